"""Quota pools of the 五项考核 rule engine: 优秀 quotas, ranking in the pool, ties at the quota
line, committee overrides against the quota and the pool summary."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from operator import attrgetter

from models.assessment.engine.person import PersonWork
from models.assessment.engine.types import (
    FLAG_DISPLACED,
    FLAG_OVER_QUOTA,
    FLAG_TIE,
    FLAG_TIE_UNRESOLVED,
    NO_GRADE_OTHER,
    NO_GRADE_PROBATION,
    NO_GRADE_SANCTION,
    AppliedRule,
    PoolSummary,
    QuotaCalc,
    merged_pool_label,
)
from models.assessment.rules.numbers import HUNDRED, fmt_number
from models.assessment.rules.pools import pool_label, pools_by_layer
from models.assessment.rules.types import AssessmentRules, Grade, QuotaBase, Rounding
from models.core.errors import DomainError

# the members as plain names: looking one up on the Enum class is ten times slower, in the
# per-person loops
_EXCELLENT = Grade.EXCELLENT
_COMPETENT = Grade.COMPETENT
_UNDETERMINED = Grade.UNDETERMINED

_DISPLACED = AppliedRule(
    "quota:displaced", "因考核委员会将他人调整为优秀，未获得优秀名额，定为称职"
)
_sort_key = attrgetter("key")  # a person's ranking key (PersonWork.key)

_ROUNDING = {
    Rounding.HALF_UP: ROUND_HALF_UP,
    Rounding.UP: ROUND_CEILING,
    Rounding.DOWN: ROUND_FLOOR,
}


def quota_for(percent: Decimal, people: int, rounding: Rounding, at_least_one: bool) -> QuotaCalc:
    """Whole-number quota: percent×people/100 rounded by ``rounding``; "at least one" when
    the pool has anybody and rounding gave 0."""
    if people < 0:
        raise DomainError(f"人数 {people} 不能为负数")
    raw = percent * people / HUNDRED
    rounded = int(raw.quantize(Decimal(1), rounding=_ROUNDING[rounding]))
    bump = at_least_one and people > 0 and rounded == 0 and percent > 0
    return QuotaCalc(people, percent, raw, rounding, rounded, bump, 1 if bump else rounded)


def excellent_quota(
    rules: AssessmentRules, people: int, *, raised: bool = False, unit: str = ""
) -> QuotaCalc:
    """优秀 quota of a pool of ``people``; ``raised`` uses the approved maximum percentage.
    ``unit``: the pool's unit, whose percent the 单位考评 may have set (quota.unit_percents)."""
    q = rules.quota
    percent = q.percent_of(unit) if q.unit_percents else q.percent
    if raised:
        percent = max(q.max_percent, percent)
    return quota_for(percent, people, q.rounding, q.at_least_one)


# ---------------------------------------------------------------------------------------
# the round


@dataclass
class _Tie:
    composite: Decimal
    members: list[PersonWork]
    resolved: bool
    decider: str  # Chinese label of the key that decided, "" when unresolved
    unresolved: list[PersonWork]
    line_key: tuple[Decimal, ...]  # key of the last place inside the quota
    next_key: tuple[Decimal, ...]  # key of the first place outside


def _first_difference(a: tuple[Decimal, ...], b: tuple[Decimal, ...]) -> int:
    return next(i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y)


def _fill(
    cands: list[PersonWork], slots: int, rules: AssessmentRules
) -> tuple[set[int], _Tie | None]:
    """Pick ``slots`` candidates (already sorted). Returns chosen indexes and the line tie."""
    if slots <= 0:
        return set(), None
    if len(cands) <= slots:
        return {w.index for w in cands}, None
    line, nxt = cands[slots - 1], cands[slots]
    chosen = {w.index for w in cands[:slots]}
    if line.key[0] != nxt.key[0]:
        return chosen, None
    comp = -line.key[0]
    members = [w for w in cands if w.key[0] == line.key[0]]
    if line.key == nxt.key:
        unresolved = [w for w in cands if w.key == line.key]
        for w in unresolved:
            chosen.discard(w.index)
        return chosen, _Tie(comp, members, False, "", unresolved, line.key, nxt.key)
    pos = _first_difference(line.key, nxt.key)
    label = rules.tie_break_label(rules.tie_break[pos - 1])
    return chosen, _Tie(comp, members, True, label, [], line.key, nxt.key)


def grade_pool(
    rules: AssessmentRules,
    key: str,
    members: list[PersonWork],
    raised: bool,
    errors: list[str],
    hosts: Mapping[str, str] | None = None,
) -> PoolSummary:
    """Rank the pool, give 优秀 within the quota (``raised``: the approved maximum), apply the
    committee's 优秀 against it and sum the pool up. Overrides beyond what may be approved
    are added to ``errors``. ``hosts``: small unit → the parent unit whose pool it shares."""
    first = members[0].person
    unit = (hosts or {}).get(first.unit, first.unit)
    layer = first.layer if pools_by_layer(rules) else ""
    units = list(dict.fromkeys(w.person.unit for w in members))
    merged = tuple(units) if units != [unit] else ()
    label = merged_pool_label(pool_label(rules, unit, first.layer), merged)
    n = len(members)
    if rules.quota.base is QuotaBase.GRADED:
        base_n = sum(
            1
            for w in members
            if (w.override_grade if w.override_grade is not None else w.system) is not _UNDETERMINED
        )
    else:
        base_n = n
    quota = excellent_quota(rules, base_n, raised=raised, unit=unit)
    max_quota = excellent_quota(rules, base_n, raised=True, unit=unit)
    warnings: list[str] = []

    ranked = sorted([w for w in members if w.parts is not None], key=_sort_key)
    prev: tuple[Decimal, ...] | None = None
    rank = 0
    for pos, w in enumerate(ranked, start=1):
        if w.key != prev:
            rank = pos
            prev = w.key
        w.rank = rank

    # the system's suggestion, as if nobody were overridden
    cands = [w for w in ranked if w.candidate]
    for pos, w in enumerate(cands, start=1):
        w.cand_pos = pos
    auto_chosen, _ = _fill(cands, quota.quota, rules)

    # committee overrides to 优秀 take their places first
    ov_exc = [w for w in members if w.override_grade is _EXCELLENT]
    if len(ov_exc) > quota.quota:
        unapproved = [w for w in ov_exc if w.override is not None and not w.override.approved]
        if unapproved:
            errors.append(
                f"{label}：优秀名额 {quota.quota} 名，考核委员会调整为优秀的有 {len(ov_exc)} 名，"
                f"超出名额；{'、'.join(w.who for w in unapproved)} 的调整未经批准"
            )
        elif len(ov_exc) > max_quota.quota:
            errors.append(
                f"{label}：考核委员会调整为优秀的有 {len(ov_exc)} 名，即使经批准也不能超过"
                f" {fmt_number(rules.quota.max_percent)}%（{max_quota.text}）"
            )
        else:
            warnings.append(
                f"考核委员会经批准将 {len(ov_exc)} 人调整为优秀，超出名额 {quota.quota} 名"
            )
            for w in ov_exc:
                w.flags.append(FLAG_OVER_QUOTA)
    for w in ov_exc:
        if not w.candidate:
            w.warnings.append("本人未达优秀排名条件，由考核委员会调整为优秀")
    slots = max(0, quota.quota - len(ov_exc))
    free = [w for w in cands if w.override is None]
    chosen, tie = _fill(free, slots, rules)

    if tie is not None:
        names = "、".join(w.person.name for w in tie.members)
        for w in tie.members:
            w.flags.append(FLAG_TIE)
            if tie.resolved or w not in tie.unresolved:
                inside = w.index in chosen
                pos = _first_difference(w.key, tie.next_key if inside else tie.line_key)
                decider = rules.tie_break_label(rules.tie_break[pos - 1])
                got = "获得优秀名额" if inside else "未获得优秀名额"
                w.rules.append(
                    AppliedRule(
                        "tie:resolved",
                        f"名额线并列（综合得分同为 {tie.composite}），按{decider}确定，{got}",
                    )
                )
        if tie.resolved:
            warnings.append(
                f"名额线并列：{names}（综合得分 {tie.composite}），已按{tie.decider}确定"
            )
        else:
            for w in tie.unresolved:
                w.flags.append(FLAG_TIE_UNRESOLVED)
                w.warnings.append("名额线完全并列，需考核委员会确定")
                w.rules.append(
                    AppliedRule(
                        "tie:unresolved",
                        "名额线并列，综合得分及各项排序依据均相同，无法按规则确定，"
                        "暂定称职，需考核委员会确定",
                    )
                )
            warnings.append(
                f"名额线完全并列：{'、'.join(w.person.name for w in tie.unresolved)}"
                f"（综合得分 {tie.composite}），空出 {slots - len(chosen)} 个优秀名额"
                "待考核委员会确定"
            )

    counts = dict.fromkeys(Grade, 0)
    no_grade_counts = {NO_GRADE_PROBATION: 0, NO_GRADE_SANCTION: 0, NO_GRADE_OTHER: 0}
    # the same rule for everybody of the pool it applies to (AppliedRule is immutable)
    selected = AppliedRule("quota:selected", f"排名在优秀名额（{quota.quota} 名）内，评为优秀")
    not_selected = AppliedRule(
        "quota:not_selected", f"排名未进入优秀名额（{quota.quota} 名），定为称职"
    )
    for w in members:
        if w.candidate:
            if w.override is not None:
                w.system = _EXCELLENT if w.index in auto_chosen else _COMPETENT
            elif w.index in chosen:
                w.system = _EXCELLENT
                w.rules.append(selected)
            else:
                w.system = _COMPETENT
                if w.index in auto_chosen and ov_exc:
                    w.flags.append(FLAG_DISPLACED)
                    w.rules.append(_DISPLACED)
                elif FLAG_TIE_UNRESOLVED not in w.flags:
                    w.rules.append(not_selected)
        final = w.override_grade
        if final is None:
            final = w.system
        counts[final] += 1
        if final is _UNDETERMINED:
            no_grade_counts[w.no_grade or NO_GRADE_OTHER] += 1

    # 平时考核: cap on 好 per quarter (a warning; past quarters are not re-graded here)
    cap_pct = rules.quarterly.good_cap_percent
    if cap_pct is not None:
        cap = quota_for(cap_pct, n, rules.quota.rounding, rules.quarterly.good_cap_at_least_one)
        good_per_quarter = [0, 0, 0, 0]
        for w in members:
            for qi, g in enumerate(w.person.quarterly_grades[:4]):
                if g == "好":
                    good_per_quarter[qi] += 1
        for qi, good in enumerate(good_per_quarter):
            if good > cap.quota:
                warnings.append(
                    f"第 {qi + 1} 季度平时考核“好”等次 {good} 人，超过上限 {cap.quota} 人"
                    f"（{cap.text}）"
                )

    if merged:
        part = f"“{layer}”层次" if pools_by_layer(rules) else ""
        pool_text = f"{len(merged)} 个单位{part}合并计算名额，共 {n} 人"
    elif pools_by_layer(rules):
        pool_text = f"本单位“{layer}”层次 {n} 人"
    else:
        pool_text = f"本单位 {n} 人"
    if base_n != n:
        pool_text += f"（确定等次 {base_n} 人）"
    raised_text = f"（经批准按 {fmt_number(rules.quota.max_percent)}%）" if raised else ""
    pool_text += f"，优秀名额{raised_text or ' '}{quota.text}"
    count_text = "、".join(f"{g.value} {counts[g]} 人" for g in Grade if counts[g])
    explanation = f"{label}：{pool_text}；{count_text}"
    if warnings:
        explanation += "；" + "；".join(warnings)
    explanation += "。"
    for w in members:
        w.pool_text = pool_text
        if merged:
            others = "、".join(u for u in merged if u != w.person.unit)
            host = pool_label(rules, unit, w.person.layer)
            text = f"与{others}合并计算名额（并入{host}）" if others else f"并入{host}计算名额"
            w.rules.append(AppliedRule("quota:merged", f"本单位{text}"))
    return PoolSummary(
        pool_key=key,
        unit=unit,
        layer=layer,
        people=n,
        quota=quota,
        raised_quota=raised,
        max_quota=max_quota.quota,
        counts=counts,
        no_grade_counts=no_grade_counts,
        excellent_overrides=len(ov_exc),
        warnings=tuple(warnings),
        explanation=explanation,
        merged_units=merged,
    )
