"""Single calculations of the 五项考核 rule engine (:mod:`models.grading`): items score,
民主测评 score, 加减分 and composite, with the fast paths and per-round memo tables
(:class:`_Consts`) that :func:`models.grading.grade_round` uses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from models.errors import DomainError, FieldIssue
from models.grading_rules import (
    HUNDRED,
    QUARTERLY_GRADES,
    ZERO,
    AssessmentRules,
    PoolBy,
    to_decimal,
)
from models.grading_rules import _fmt as fmt_number
from models.grading_types import (
    Adjustment,
    CompositeParts,
    _frozen,
    _raise_issues,
    q2,
)


def _item_values(
    rules: AssessmentRules, raw: Mapping[str, Any], who: str, issues: list[FieldIssue]
) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    items = rules.items_by_code
    for code, value in raw.items():
        item = items.get(code)
        if item is None:
            issues.append(FieldIssue("item_scores", who, f"考核项目“{code}”不在本轮考核方案中"))
            continue
        if value is None:
            continue
        if type(value) is Decimal and value.is_finite():
            v = value
        else:
            try:
                v = to_decimal(value, f"“{item.name}”得分")
            except DomainError as exc:
                issues.append(FieldIssue(f"item_scores.{code}", who, exc.message))
                continue
        if not ZERO <= v <= item.full_score:
            issues.append(
                FieldIssue(
                    f"item_scores.{code}",
                    who,
                    f"“{item.name}”得分 {fmt_number(v)} 超出 0–{fmt_number(item.full_score)}",
                )
            )
            continue
        out[code] = v
    return out


def _items_score(
    rules: AssessmentRules, values: Mapping[str, Decimal]
) -> tuple[Decimal | None, list[str]]:
    """Weighted items score on a 0-100 scale, or None and the names of missing items."""
    total_w = ZERO
    acc = ZERO
    missing: list[str] = []
    for code, name, w, full in rules.weighted_items:
        v = values.get(code)
        if v is None:
            missing.append(name)
            continue
        total_w += w
        acc += v * w / full
    if missing or total_w == 0:
        return None, missing
    return q2(acc * HUNDRED / total_w), missing


def _items_score_fast(
    k: _Consts, values: Mapping[str, Decimal]
) -> tuple[Decimal | None, list[str]]:
    """:func:`_items_score` with each item's ``score × weight ÷ full`` taken from a memo table
    (the same Decimal operations on the same numbers give the same value)."""
    acc = ZERO
    for code, memo, w, full in k.item_terms:
        v = values.get(code)
        if v is None:
            return _items_score(k.rules, values)
        term = memo.get(v)
        if term is None:
            term = memo[v] = v * w / full
        acc += term
    if not k.item_terms or k.items_total_w == 0:
        return _items_score(k.rules, values)
    return q2(acc * HUNDRED / k.items_total_w), []


def _items_fast(k: _Consts, raw: Mapping[str, Any]) -> tuple[dict[str, Decimal], Decimal] | None:
    """:func:`_item_values` and :func:`_items_score` at once for the usual person: a Decimal
    score for every weighted item, in the scheme's order, each seen before in range. None
    when anything else (the careful path then checks and reports)."""
    if len(raw) != len(k.item_terms) or not raw or type(raw) is not dict:
        return None
    acc = ZERO
    # the lengths are equal (checked above)
    for (code, v), (want, memo, _w, _full) in zip(raw.items(), k.item_terms):  # noqa: B905
        if code != want or type(v) is not Decimal:
            return None
        try:
            term = memo.get(v)
        except TypeError:  # Decimal('sNaN') cannot be hashed: the careful path reports it
            return None
        if term is None:  # first time: only the careful path may add a value to the memo
            return None
        acc += term
    if k.items_total_w == 0:
        return None
    # every entry is a checked Decimal of a scheme item, in the scheme's order: the values
    # are the input dict itself (only read from here on)
    return raw, q2(acc * HUNDRED / k.items_total_w)


def item_score(
    rules: AssessmentRules, scores: Mapping[str, Any], *, who: str = "项目得分"
) -> Decimal:
    """Weighted items score (0-100, 2 places): Σ score/满分×有效权重 ÷ Σ有效权重 × 100.

    The effective weight is the item weight plus its key-topic extra weight. Raises
    :class:`ValidationError` for unknown items, out-of-range or missing scores.
    """
    issues: list[FieldIssue] = []
    values = _item_values(rules, scores, who, issues)
    score, missing = _items_score(rules, values)
    if missing:
        issues.append(FieldIssue("item_scores", who, f"缺少“{'”“'.join(missing)}”得分"))
    _raise_issues(issues, "项目得分")
    assert score is not None
    return score


class _Evaluation:
    """民主测评 result of one person (internal)."""

    __slots__ = ("excellent_share", "missing_groups", "score")

    def __init__(self) -> None:
        self.score: Decimal | None = None
        self.excellent_share: Decimal | None = None
        self.missing_groups: list[str] = []


def _group_votes(
    k: _Consts, code: str, counts: Mapping[str, int]
) -> tuple[int, int, Decimal | None] | None:
    """(votes, top-label votes, group score × group weight) of one group's well-formed
    counts, computed as in :func:`_evaluation`; None when anything is not well-formed."""
    group = k.groups.get(code)
    if group is None:
        return None
    ivalues = k.ivalues
    top_label = k.top_label
    n = 0
    top = 0
    pts: Any = 0
    for label, count in counts.items():
        if type(count) is not int or count < 0:
            return None
        value = ivalues.get(label)
        if value is None:
            return None
        n += count
        pts += value * count
        if label == top_label:
            top += count
    if n > 0:
        return n, top, (Decimal(pts) / n) * group.weight
    return n, top, None


class _Consts:
    """Per-call constants and memo tables of one :func:`grade_round` (internal).

    The memo tables hold results of the very same Decimal operations the plain code does
    (same operands, same order), so a value taken from them is identical to a fresh one."""

    __slots__ = (
        "group_list",
        "group_memo",
        "group_seen",
        "groups",
        "groups_total_w",
        "item_terms",
        "items_total_w",
        "ivalues",
        "layered",
        "n_groups",
        "quarter_info",
        "rules",
        "share_memo",
        "tie_kinds",
        "top_label",
        "neg_good",
        "eval_weight",
        "items_weight",
        "plain_caps",
        "average_memo",
        "excellent_floor_text",
    )

    def __init__(self, rules: AssessmentRules):
        self.rules = rules
        self.layered = rules.quota.pool_by is PoolBy.UNIT_LAYER
        total = ZERO
        terms = []
        for code, _name, w, full in rules.weighted_items:
            total += w
            terms.append((code, {}, w, full))
        self.items_total_w = total
        self.item_terms: tuple[tuple[str, dict[Decimal, Decimal], Decimal, Decimal], ...] = tuple(
            terms
        )
        self.groups = rules.groups_by_code
        self.group_list = tuple((g.code, g.name, g.weight) for g in rules.rater_groups)
        self.n_groups = len(self.groups)
        total = ZERO
        for g in rules.rater_groups:
            total += g.weight
        self.groups_total_w = total
        self.ivalues: Mapping[str, Any] = rules.vote_int_values or rules.vote_value_by_label
        self.top_label = rules.vote_values[0].label if rules.vote_values else None
        self.group_memo: dict[tuple[str, Any], tuple[int, int, Decimal | None]] = {}
        # id(counts) → (counts, group code, entry), for dicts shared between people; holding
        # the dict keeps its id from being reused during the call
        self.group_seen: dict[int, tuple[Any, str, tuple[int, int, Decimal | None]]] = {}
        self.average_memo: dict[str, dict[Decimal, Decimal]] = {g: {} for g in self.groups}
        self.share_memo: dict[tuple[int, int], Decimal] = {}
        bar = rules.quarterly.bar_excellent_grades
        self.quarter_info = {g: (g == "好", g in bar) for g in QUARTERLY_GRADES}
        kinds: list[tuple[int, str, Decimal]] = []
        for key in rules.tie_break:
            if key == "evaluation":
                kinds.append((0, "", ZERO))
            elif key == "items":
                kinds.append((1, "", ZERO))
            elif key == "excellent_votes":
                kinds.append((2, "", ZERO))
            elif key == "quarterly_good":
                kinds.append((3, "", ZERO))
            else:  # item:<code>
                item = rules.items_by_code[key[5:]]
                kinds.append((4, item.code, item.full_score))
        self.tie_kinds = tuple(kinds)
        self.neg_good = tuple(-Decimal(n) for n in range(5))
        t = rules.thresholds
        floor = t.excellent_min if t.excellent_min is not None else t.competent_min
        self.excellent_floor_text = fmt_number(floor)
        c = rules.composite
        self.eval_weight = c.evaluation_weight
        self.items_weight = c.items_weight
        self.plain_caps = (c.bonus_cap is None or c.bonus_cap >= 0) and (
            c.penalty_cap is None or c.penalty_cap >= 0
        )


def _evaluation_votes_fast(
    k: _Consts, votes: Mapping[str, Mapping[str, int]]
) -> _Evaluation | None:
    """:func:`_evaluation` for well-formed vote counts; None when anything needs the careful
    path (unknown group or label, a count that is not a whole number ≥ 0).

    Each group's counts are looked up in a memo table (the same counts give the same group
    score); a hit is only used when every count is an ``int`` (True or 1.0 compare equal to 1
    but are refused by the careful path)."""
    memo = k.group_memo
    seen = k.group_seen
    weighted: dict[str, Decimal] = {}
    top = 0
    all_votes = 0
    for code, counts in votes.items():
        # the loader shares one dict among people with the same counts: a dict met before
        # (the very object, kept alive by the table) needs no key and no checks
        known = seen.get(id(counts))
        if known is not None and known[0] is counts and known[1] == code:
            entry = known[2]
        else:
            mk = (code, tuple(counts.items()))
            try:
                entry = memo.get(mk)
            except TypeError:  # an unhashable count: the careful path reports it
                return None
            if entry is None:
                entry = _group_votes(k, code, counts)
                if entry is None:
                    return None
                memo[mk] = entry
            else:
                for count in counts.values():
                    if type(count) is not int:
                        return None
            seen[id(counts)] = (counts, code, entry)
        n, top_n, prod = entry
        if n > 0:
            weighted[code] = prod
            all_votes += n
            top += top_n
    result = _Evaluation()
    if all_votes:
        sk = (top, all_votes)
        share = k.share_memo.get(sk)
        if share is None:
            share = k.share_memo[sk] = Decimal(top) / Decimal(all_votes)
        result.excellent_share = share
    return _weighted_evaluation(k, weighted, result)


def _evaluation_averages_fast(k: _Consts, averages: Mapping[str, Any]) -> _Evaluation | None:
    """:func:`_evaluation` for well-formed group averages (Decimal, 0–100, known groups);
    None when anything needs the careful path."""
    memos = k.average_memo
    weighted: dict[str, Decimal] = {}
    for code, value in averages.items():
        memo = memos.get(code)
        if memo is None:
            return None
        if value is None:
            continue
        if type(value) is not Decimal or not value.is_finite():
            return None
        prod = memo.get(value)
        if prod is None:
            if not ZERO <= value <= HUNDRED:
                return None
            prod = memo[value] = value * k.groups[code].weight
        weighted[code] = prod
    return _weighted_evaluation(k, weighted, _Evaluation())


def _weighted_evaluation(
    k: _Consts, weighted: dict[str, Decimal], result: _Evaluation
) -> _Evaluation:
    """Σ group score × weight ÷ Σ weight over the groups that have data (in the scheme's
    order, as in :func:`_evaluation`)."""
    if not weighted:
        return result
    total_w = ZERO
    acc = ZERO
    if len(weighted) == k.n_groups:
        for code, _name, _w in k.group_list:
            acc += weighted[code]
        total_w = k.groups_total_w
    else:
        for code, name, gw in k.group_list:
            prod = weighted.get(code)
            if prod is None:
                result.missing_groups.append(name)
                continue
            total_w += gw
            acc += prod
    result.score = q2(acc / total_w)
    return result


def _evaluation(
    rules: AssessmentRules,
    votes: Mapping[str, Mapping[str, int]] | None,
    averages: Mapping[str, Any] | None,
    who: str,
    issues: list[FieldIssue],
) -> _Evaluation:
    groups = rules.groups_by_code
    result = _Evaluation()
    if votes is not None and averages is not None:
        issues.append(FieldIssue("votes", who, "民主测评只能填写票数或平均分之一，不能同时填写"))
        return result
    group_scores: dict[str, Decimal] = {}
    if votes is not None:
        values = rules.vote_value_by_label
        # integer points when every vote value is whole (the usual 100/80/60/40): faster, exact
        ivalues: Mapping[str, Any] = rules.vote_int_values or values
        top_label = rules.vote_values[0].label
        top = 0
        all_votes = 0
        for code, counts in votes.items():
            group = groups.get(code)
            if group is None:
                issues.append(FieldIssue("votes", who, f"民主测评评价组“{code}”不在本轮考核方案中"))
                continue
            n = 0
            pts: Any = 0
            for label, count in counts.items():
                if label not in values:
                    issues.append(
                        FieldIssue(
                            "votes", who, f"“{group.name}”组的票种“{label}”不在测评票分值表中"
                        )
                    )
                    continue
                if type(count) is not int or count < 0:
                    issues.append(
                        FieldIssue(
                            "votes",
                            who,
                            f"“{group.name}”组“{label}”票数 {count!r} 应为不小于 0 的整数",
                        )
                    )
                    continue
                n += count
                pts += ivalues[label] * count
                if label == top_label:
                    top += count
            if n > 0:
                group_scores[code] = Decimal(pts) / n
                all_votes += n
        if all_votes:
            result.excellent_share = Decimal(top) / Decimal(all_votes)
    elif averages is not None:
        for code, value in averages.items():
            group = groups.get(code)
            if group is None:
                issues.append(
                    FieldIssue("group_averages", who, f"民主测评评价组“{code}”不在本轮考核方案中")
                )
                continue
            if value is None:
                continue
            if type(value) is Decimal and value.is_finite():
                v = value
            else:
                try:
                    v = to_decimal(value, f"“{group.name}”组平均分")
                except DomainError as exc:
                    issues.append(FieldIssue("group_averages", who, exc.message))
                    continue
            if not ZERO <= v <= HUNDRED:
                issues.append(
                    FieldIssue(
                        "group_averages", who, f"“{group.name}”组平均分 {fmt_number(v)} 超出 0–100"
                    )
                )
                continue
            group_scores[code] = v
    if not group_scores:
        return result
    total_w = ZERO
    acc = ZERO
    for g in rules.rater_groups:
        s = group_scores.get(g.code)
        if s is None:
            result.missing_groups.append(g.name)
            continue
        total_w += g.weight
        acc += s * g.weight
    result.score = q2(acc / total_w)
    return result


def evaluation_score(
    rules: AssessmentRules,
    *,
    votes: Mapping[str, Mapping[str, int]] | None = None,
    averages: Mapping[str, Any] | None = None,
    who: str = "民主测评",
) -> Decimal:
    """民主测评 score (0-100, 2 places) from vote counts or from average scores per group.

    Votes: group score = Σ票数×分值 ÷ 有效票数. Averages are taken as the group score.
    Result = Σ组得分×组权重 ÷ Σ组权重 over the groups that have data (a group with no votes
    is left out and the others' weights are scaled up).
    """
    issues: list[FieldIssue] = []
    if votes is None and averages is None:
        issues.append(FieldIssue("votes", who, "没有民主测评票数或平均分"))
    ev = _evaluation(rules, votes, averages, who, issues)
    if not issues and ev.score is None:
        issues.append(FieldIssue("votes", who, "民主测评没有有效票"))
    _raise_issues(issues, "民主测评")
    assert ev.score is not None
    return ev.score


def _adjust(
    rules: AssessmentRules, adjustments: Sequence[Adjustment], who: str, issues: list[FieldIssue]
) -> tuple[Decimal, Decimal]:
    bonus = ZERO
    penalty = ZERO
    for n, a in enumerate(adjustments, start=1):
        try:
            pts = to_decimal(a.points, f"第 {n} 项加减分")
        except DomainError as exc:
            issues.append(FieldIssue("adjustments", who, exc.message))
            continue
        if not a.reason.strip():
            issues.append(
                FieldIssue(
                    "adjustments", who, f"第 {n} 项加减分（{fmt_number(pts)} 分）没有填写理由"
                )
            )
            continue
        if pts == 0:
            issues.append(FieldIssue("adjustments", who, f"第 {n} 项加减分（{a.reason}）分值为 0"))
            continue
        if pts > 0:
            bonus += pts
        else:
            penalty -= pts
    return bonus, penalty


def _combine(
    rules: AssessmentRules,
    evaluation: Decimal,
    items: Decimal,
    bonus_raw: Decimal,
    penalty_raw: Decimal,
) -> CompositeParts:
    c = rules.composite
    bonus = bonus_raw if c.bonus_cap is None else min(bonus_raw, c.bonus_cap)
    penalty = penalty_raw if c.penalty_cap is None else min(penalty_raw, c.penalty_cap)
    composite = q2(
        (evaluation * c.evaluation_weight + items * c.items_weight) / HUNDRED + bonus - penalty
    )
    return _frozen(
        CompositeParts,
        {
            "evaluation": evaluation,
            "items": items,
            "bonus": bonus,
            "penalty": penalty,
            "bonus_raw": bonus_raw,
            "penalty_raw": penalty_raw,
            "composite": composite,
        },
    )


def composite_score(
    rules: AssessmentRules,
    evaluation: Decimal | int | str,
    items: Decimal | int | str,
    adjustments: Sequence[Adjustment] = (),
) -> CompositeParts:
    """综合得分 = 测评×测评权重% + 项目×项目权重% + min(加分, 上限) − min(扣分, 上限), 2 places."""
    issues: list[FieldIssue] = []
    bonus, penalty = _adjust(rules, adjustments, "综合得分", issues)
    _raise_issues(issues, "加减分")
    return _combine(
        rules,
        q2(to_decimal(evaluation, "民主测评得分")),
        q2(to_decimal(items, "项目得分")),
        bonus,
        penalty,
    )
