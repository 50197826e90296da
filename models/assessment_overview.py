"""五项考核 overview per unit (quota pool): ranking, grade counts against the quota, people
without scores, people with warnings and each person's explanation; and the text report of
the ``grade`` command."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import fn

from models.assessment import (
    STATUS_APPROVED,
    GradeResult,
    GroupAverage,
    ItemScore,
    RoundMember,
    VoteCount,
)
from models.assessment_grading import (
    GradingOutcome,
    grade_and_store,
    pool_key_of,
    pool_summaries,
)
from models.assessment_service import RoundDTO, find_round, get_round
from models.db import chunks
from models.db import query_rows as _raw
from models.grading import QuotaCalc, excellent_quota
from models.grading_rules import AssessmentRules, Grade, Rounding
from models.people import Cadre
from models.roster import subtree_ids

__all__ = [
    "OverviewRow",
    "PoolOverview",
    "RoundOverview",
    "format_grade_report",
    "grade_command",
    "round_overview",
]

GRADE_ORDER = [g.value for g in Grade]


@dataclass(frozen=True)
class OverviewRow:
    cadre_id: int
    name: str
    id_card: str
    unit_name: str
    layer: str
    post_title: str
    evaluation: Decimal | None
    items: Decimal | None
    bonus: Decimal
    penalty: Decimal
    composite: Decimal | None
    rank: int | None
    proposed_grade: str  # the rules' grade ('' when not graded yet)
    final_grade: str  # after the committee's decision
    override_reason: str
    override_approved: bool
    no_grade_category: str
    flags: tuple[str, ...]
    warnings: tuple[str, ...]
    explanation: str
    missing: tuple[str, ...]  # what has not been entered (项目 names, 民主测评)

    @property
    def graded(self) -> bool:
        return bool(self.final_grade)


@dataclass(frozen=True)
class PoolOverview:
    pool_key: str
    unit: str
    layer: str
    people: int
    quota: int
    quota_text: str  # '20%×12=2.4，四舍五入为 2 名'
    raised_quota: bool
    max_quota: int
    counts: dict[str, int]  # final grade → people, every grade present
    rows: tuple[OverviewRow, ...]  # ranked: by rank, then the ungraded
    without_scores: tuple[OverviewRow, ...]
    with_warnings: tuple[OverviewRow, ...]
    warnings: tuple[str, ...]
    explanation: str

    @property
    def excellent(self) -> int:
        return self.counts.get(Grade.EXCELLENT.value, 0)

    @property
    def over_quota(self) -> bool:
        return self.excellent > self.quota


@dataclass(frozen=True)
class RoundOverview:
    round: RoundDTO
    pools: tuple[PoolOverview, ...]
    not_participating: tuple[tuple[str, str, str], ...]  # (name, unit, reason)
    graded_at: dt.datetime | None


def _dec(text: str | None) -> Decimal | None:
    return None if text is None or text == "" else Decimal(text)


def _members_query(round_id: int, unit_id: int | None, *columns: Any) -> Any:
    q = (
        RoundMember.select(*columns)
        .join(Cadre)
        .where(RoundMember.round == round_id)
        .order_by(RoundMember.sort_order, RoundMember.id)
    )
    if unit_id is not None:
        q = q.where(RoundMember.unit_id.in_(subtree_ids(unit_id)))
    return q


def _missing(
    round_id: int, rules: AssessmentRules, cadre_ids: list[int] | None = None
) -> dict[int, tuple[str, ...]]:
    """What has not been entered (weighted 项目 names, 民主测评), for the members (or only
    ``cadre_ids``) who lack anything. A whole round is counted with SQL aggregates, so a
    complete round of 50,000 people costs a few grouped scans, not a row per score."""
    weighted = [(code, name) for code, name, _w, _f in rules.weighted_items]
    codes = [code for code, _n in weighted]
    if cadre_ids is None:
        wanted = [
            cid
            for (cid,) in _raw(
                RoundMember.select(RoundMember.cadre).where(RoundMember.round == round_id)
            )
        ]
        parts: list[Any] = [None]
    else:
        wanted = cadre_ids
        parts = chunks(list(cadre_ids))

    def among(model: Any, part: list[int] | None) -> Any:
        cond = model.round == round_id
        return cond if part is None else cond & model.cadre.in_(part)

    have: dict[int, set[str]] = defaultdict(set)
    complete: set[int] = set()  # every weighted item entered
    if cadre_ids is None and codes:
        complete = {
            cid
            for cid, n in _raw(
                ItemScore.select(ItemScore.cadre, fn.COUNT(ItemScore.id))
                .where(among(ItemScore, None) & ItemScore.item_code.in_(codes))
                .group_by(ItemScore.cadre)
            )
            if n == len(codes)
        }
    partial = [cid for cid in wanted if cid not in complete] if codes else []
    for part in chunks(partial):
        for cid, code in _raw(
            ItemScore.select(ItemScore.cadre, ItemScore.item_code).where(
                among(ItemScore, part) & ItemScore.item_code.in_(codes)
            )
        ):
            have[cid].add(code)
    rated: set[int] = set()
    for part in parts if wanted else []:
        if rules.composite.evaluation_weight > 0:
            rated.update(
                cid
                for (cid,) in _raw(
                    VoteCount.select(VoteCount.cadre)
                    .where(among(VoteCount, part))
                    .group_by(VoteCount.cadre)
                    .having(fn.SUM(VoteCount.count) > 0)
                )
            )
            averaged = GroupAverage.select(GroupAverage.cadre).where(among(GroupAverage, part))
            rated.update(cid for (cid,) in _raw(averaged.distinct()))
    out: dict[int, tuple[str, ...]] = {}
    for cid in wanted:
        got = have.get(cid, ())
        names = [] if cid in complete else [name for code, name in weighted if code not in got]
        if rules.composite.evaluation_weight > 0 and cid not in rated:
            names.append("民主测评")
        if names:
            out[cid] = tuple(names)
    return out


def _pool_head(
    rules: AssessmentRules, key: str, summary: dict[str, Any] | None, n: int, unit: str, layer: str
) -> tuple[str, str, int, str, int, bool, tuple[str, ...], str]:
    """(unit, layer, quota, quota text, max quota, raised, warnings, explanation) of a pool:
    from its stored summary, or worked out from the rules when it was never graded."""
    if summary is not None:
        qd = summary["quota"]
        text = QuotaCalc(
            qd["people"],
            Decimal(qd["percent"]),
            Decimal(qd["raw"]),
            Rounding(qd["rounding"]),
            qd["rounded"],
            qd["at_least_one_applied"],
            qd["quota"],
        ).text
        return (
            summary["unit"],
            summary["layer"],
            qd["quota"],
            text,
            summary["max_quota"],
            summary["raised_quota"],
            tuple(summary["warnings"]),
            summary["explanation"],
        )
    calc = excellent_quota(rules, n)
    max_quota = excellent_quota(rules, n, raised=True).quota
    return unit, layer if "｜" in key else "", calc.quota, calc.text, max_quota, False, (), ""


# GradeResult columns read for the overview, after the cadre
_RESULT_FIELDS = (
    GradeResult.cadre,
    GradeResult.pool_key,
    GradeResult.evaluation,
    GradeResult.items,
    GradeResult.bonus,
    GradeResult.penalty,
    GradeResult.composite,
    GradeResult.rank,
    GradeResult.proposed_grade,
    GradeResult.final_grade,
    GradeResult.override_reason,
    GradeResult.override_approved,
    GradeResult.no_grade_category,
    GradeResult.flags,
    GradeResult.warnings,
    GradeResult.explanation,
)


def round_overview(round_id: int, unit_id: int | None = None) -> RoundOverview:
    """The overview of a round, all units or ``unit_id`` and its sub-units."""
    rnd = get_round(round_id)
    rules = rnd.rules
    members = _raw(
        _members_query(
            round_id,
            unit_id,
            RoundMember.cadre,
            Cadre.name,
            Cadre.id_card,
            Cadre.post_title,
            RoundMember.unit_name,
            RoundMember.layer,
            RoundMember.not_participating,
        )
    )
    missing = _missing(round_id, rules)
    results = {
        r[0]: r
        for r in _raw(GradeResult.select(*_RESULT_FIELDS).where(GradeResult.round == round_id))
    }
    pools: dict[str, list[OverviewRow]] = {}
    absent: list[tuple[str, str, str]] = []
    for cid, name, id_card, post, unit, layer, reason in members:
        if reason:
            absent.append((name, unit, reason))
            continue
        r = results.get(cid)
        if r is None:
            key = pool_key_of(rules, unit, layer)
            row = OverviewRow(
                cadre_id=cid,
                name=name,
                id_card=id_card,
                unit_name=unit,
                layer=layer,
                post_title=post,
                evaluation=None,
                items=None,
                bonus=Decimal(0),
                penalty=Decimal(0),
                composite=None,
                rank=None,
                proposed_grade="",
                final_grade="",
                override_reason="",
                override_approved=False,
                no_grade_category="",
                flags=(),
                warnings=(),
                explanation="尚未计算等次",
                missing=missing.get(cid, ()),
            )
        else:
            (_c, key, ev, items, bonus, penalty, comp, rank, proposed, final) = r[:10]
            (o_reason, o_approved, no_grade, flags, warnings, explanation) = r[10:]
            row = OverviewRow(
                cadre_id=cid,
                name=name,
                id_card=id_card,
                unit_name=unit,
                layer=layer,
                post_title=post,
                evaluation=_dec(ev),
                items=_dec(items),
                bonus=Decimal(bonus),
                penalty=Decimal(penalty),
                composite=_dec(comp),
                rank=rank,
                proposed_grade=proposed,
                final_grade=final,
                override_reason=o_reason,
                override_approved=bool(o_approved),
                no_grade_category=no_grade,
                flags=tuple(flags.split(",")) if flags else (),
                warnings=tuple(warnings.split("\n")) if warnings else (),
                explanation=explanation,
                missing=missing.get(cid, ()),
            )
        pools.setdefault(key, []).append(row)
    summaries = pool_summaries(round_id)
    out = []
    for key, rows in pools.items():
        counts = dict.fromkeys(GRADE_ORDER, 0)
        for r in rows:
            if r.final_grade:
                counts[r.final_grade] += 1
        unit, layer, quota, text, max_quota, raised, warnings, explanation = _pool_head(
            rules, key, summaries.get(key), len(rows), rows[0].unit_name, rows[0].layer
        )
        ranked = sorted(rows, key=lambda r: (r.rank is None, r.rank or 0))
        out.append(
            PoolOverview(
                pool_key=key,
                unit=unit,
                layer=layer,
                people=len(rows),
                quota=quota,
                quota_text=text,
                raised_quota=raised,
                max_quota=max_quota,
                counts=counts,
                rows=tuple(ranked),
                without_scores=tuple(r for r in rows if r.missing and not r.graded),
                with_warnings=tuple(
                    r for r in rows if r.warnings or "tie_at_quota_line" in r.flags
                ),
                warnings=warnings,
                explanation=explanation,
            )
        )
    return RoundOverview(rnd, tuple(out), tuple(absent), rnd.graded_at)


def format_grade_report(year: int, unit_id: int | None = None) -> str:
    """The text the ``grade`` command prints: per unit (pool) the people, the quota and its
    rounding, the count per grade and the warnings.

    Works from SQL aggregates and the stored pool summaries (not from one object per person),
    so the report of a 50,000-person round takes a fraction of a second."""
    rnd = find_round(year)
    rules = rnd.rules
    members = _raw(
        _members_query(
            rnd.id,
            unit_id,
            RoundMember.cadre,
            Cadre.name,
            RoundMember.unit_name,
            RoundMember.layer,
            RoundMember.not_participating,
        )
    )
    graded = {
        cid: (key, final, warnings)
        for cid, key, final, warnings in _raw(
            GradeResult.select(
                GradeResult.cadre,
                GradeResult.pool_key,
                GradeResult.final_grade,
                GradeResult.warnings,
            ).where(GradeResult.round == rnd.id)
        )
    }
    missing = _missing(rnd.id, rules, [m[0] for m in members if not m[4] and m[0] not in graded])
    # per pool, in order of first appearance: people, counts, first member, remarks
    pools: dict[str, list[Any]] = {}
    absent: list[tuple[str, str]] = []
    for cid, name, unit, layer, reason in members:
        if reason:
            absent.append((f"{name}（{unit}）", reason))
            continue
        g = graded.get(cid)
        key = g[0] if g is not None else pool_key_of(rules, unit, layer)
        pool = pools.get(key)
        if pool is None:
            pool = pools[key] = [0, dict.fromkeys(GRADE_ORDER, 0), unit, layer, [], []]
        pool[0] += 1
        if g is None:
            if cid in missing:
                pool[4].append(f"{name}（缺{'、'.join(missing[cid])}）")
            continue
        if g[1]:
            pool[1][g[1]] += 1
        if g[2]:
            pool[5].append(f"{name}：{'；'.join(g[2].split(chr(10)))}")
    summaries = pool_summaries(rnd.id)
    lines = []
    for key, (n, counts, unit0, layer0, without, remarks) in pools.items():
        unit, layer, quota, text, _max, raised, warnings, _e = _pool_head(
            rules, key, summaries.get(key), n, unit0, layer0
        )
        lines.append(
            _ReportPool(unit, layer, n, raised, text, quota, counts, warnings, without, remarks)
        )
    return _report_text(rnd, lines, absent)


@dataclass(frozen=True)
class _ReportPool:
    unit: str
    layer: str
    people: int
    raised: bool
    quota_text: str
    quota: int
    counts: dict[str, int]
    warnings: tuple[str, ...]
    without: list[str]  # '姓名（缺…）' of people not graded for want of scores
    remarks: list[str]  # '姓名：提示' of people with warnings


def _report_text(rnd: RoundDTO, pools: list[_ReportPool], absent: list[tuple[str, str]]) -> str:
    people = sum(p.people for p in pools)
    lines = [f"{rnd.name}（{rnd.status}）：{people} 人参加考核，{len(pools)} 个考核范围"]
    totals = dict.fromkeys(GRADE_ORDER, 0)
    for p in pools:
        label = f"{p.unit}（{p.layer}）" if p.layer else p.unit
        raised_text = "（经批准提高比例）" if p.raised else ""
        lines.append(f"【{label}】{p.people} 人；优秀名额{raised_text} {p.quota_text}")
        shown = "，".join(f"{g} {p.counts[g]}" for g in GRADE_ORDER if p.counts[g])
        over = p.counts[Grade.EXCELLENT.value] > p.quota
        lines.append(f"  等次：{shown or '尚未计算'}" + ("  ※优秀超出名额" if over else ""))
        for g in GRADE_ORDER:
            totals[g] += p.counts[g]
        lines.extend(f"  提示：{w}" for w in p.warnings)
        if p.without:
            more = f" 等 {len(p.without)} 人" if len(p.without) > 10 else ""
            lines.append(f"  未录入完整：{'、'.join(p.without[:10])}{more}")
        lines.extend(f"  {r}" for r in p.remarks)
    lines.append("合计：" + "，".join(f"{g} {totals[g]}" for g in GRADE_ORDER if totals[g]))
    lines.extend(f"不参加考核：{who}{reason}" for who, reason in absent)
    return "\n".join(lines)


def _absent(round_id: int) -> list[tuple[str, str]]:
    return [
        (f"{name}（{unit}）", reason)
        for name, unit, reason in _raw(
            _members_query(
                round_id, None, Cadre.name, RoundMember.unit_name, RoundMember.not_participating
            ).where(RoundMember.not_participating != "")
        )
    ]


def format_outcome_report(rnd: RoundDTO, outcome: GradingOutcome) -> str:
    """The ``grade`` report of the whole round straight from the grading just done (the same
    text :func:`format_grade_report` reads back from the database, without reading it)."""
    pools = []
    for d in outcome.pools:
        unit, layer, quota, text, _max, raised, warnings, _e = _pool_head(
            rnd.rules, d["pool_key"], d, d["people"], d["unit"], d["layer"]
        )
        pools.append(
            _ReportPool(
                unit,
                layer,
                d["people"],
                raised,
                text,
                quota,
                {g: d["counts"].get(g, 0) for g in GRADE_ORDER},
                warnings,
                [],
                list(outcome.remarks.get(d["pool_key"], ())),
            )
        )
    return _report_text(rnd, pools, _absent(rnd.id))


def grade_command(
    year: int,
    unit_id: int | None = None,
    *,
    user: str | None = None,
    workers: int | None = None,
) -> str:
    """Compute and store proposed grades for the year's annual round (the whole round: quotas
    need every pool member), then the report for ``unit_id`` (or all units). A locked round
    is not recomputed; its stored grades are printed."""
    rnd = find_round(year)
    note = ""
    if rnd.status == STATUS_APPROVED:
        note = "本轮考核已审定锁定，以下为审定时的等次，未重新计算\n"
    else:
        outcome = grade_and_store(rnd.id, user=user, reason="命令行计算等次", workers=workers)
        if unit_id is None:
            return format_outcome_report(rnd, outcome)
    return note + format_grade_report(year, unit_id)
