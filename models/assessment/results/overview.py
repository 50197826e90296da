"""五项考核 overview per unit (quota pool): ranking, grade counts against the quota, people
without scores, people with warnings and each person's explanation; and the per-pool pieces
(members, missing entries, quota line) the text report of the ``grade`` command shares."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import fn

from models.assessment.engine import (
    QuotaCalc,
    ceiling_warning,
    excellent_quota,
    share_of_summary,
)
from models.assessment.grading import pool_summaries
from models.assessment.rounds import RoundDTO, get_round
from models.assessment.rules import (
    POOL_KEY_SEPARATOR,
    AssessmentRules,
    Grade,
    Rounding,
    named_hosts,
    pool_key_of,
)
from models.assessment.tables import (
    GradeResult,
    GroupAverage,
    ItemScore,
    PoolApproval,
    RoundMember,
    VoteCount,
)
from models.core.db import chunks, query_rows
from models.roster import subtree_ids
from models.roster.tables import Cadre, Unit

__all__ = [
    "OverviewRow",
    "PoolOverview",
    "RoundOverview",
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
    version: int = 0  # the stored result's version (0: not graded); an override passes it

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
    without_scores: tuple[OverviewRow, ...]  # something not entered (graded earlier or not)
    with_warnings: tuple[OverviewRow, ...]
    warnings: tuple[str, ...]
    explanation: str
    approved: str = ""  # approved on its own: '2026-12-07 10:20 张三'; '' if not

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
    # the overall 优秀 share above the rules' ceiling, and the pools that cause it; '' if not
    ceiling_warning: str = ""


def _dec(text: str | None) -> Decimal | None:
    return None if text is None or text == "" else Decimal(text)


def members_query(round_id: int, unit_id: int | None, *columns: Any) -> Any:
    q = (
        RoundMember.select(*columns)
        .join(Cadre)
        .where(RoundMember.round == round_id)
        .order_by(RoundMember.sort_order, RoundMember.id)
    )
    if unit_id is not None:
        q = q.where(RoundMember.unit_id.in_(subtree_ids(unit_id)))
    return q


def missing_entries(
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
            for (cid,) in query_rows(
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
            for cid, n in query_rows(
                ItemScore.select(ItemScore.cadre, fn.COUNT(ItemScore.id))
                .where(among(ItemScore, None) & ItemScore.item_code.in_(codes))
                .group_by(ItemScore.cadre)
            )
            if n == len(codes)
        }
    partial = [cid for cid in wanted if cid not in complete] if codes else []
    for part in chunks(partial):
        for cid, code in query_rows(
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
                for (cid,) in query_rows(
                    VoteCount.select(VoteCount.cadre)
                    .where(among(VoteCount, part))
                    .group_by(VoteCount.cadre)
                    .having(fn.SUM(VoteCount.count) > 0)
                )
            )
            averaged = GroupAverage.select(GroupAverage.cadre).where(among(GroupAverage, part))
            rated.update(cid for (cid,) in query_rows(averaged.distinct()))
    out: dict[int, tuple[str, ...]] = {}
    for cid in wanted:
        got = have.get(cid, ())
        names = [] if cid in complete else [name for code, name in weighted if code not in got]
        if rules.composite.evaluation_weight > 0 and cid not in rated:
            names.append("民主测评")
        if names:
            out[cid] = tuple(names)
    return out


def pool_head(
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
    calc = excellent_quota(rules, n, unit=unit)
    max_quota = excellent_quota(rules, n, raised=True, unit=unit).quota
    pool_layer = layer if POOL_KEY_SEPARATOR in key else ""
    return unit, pool_layer, calc.quota, calc.text, max_quota, False, (), ""


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
    GradeResult.version,
)


def round_overview(round_id: int, unit_id: int | None = None) -> RoundOverview:
    """The overview of a round, all units or ``unit_id`` and its sub-units."""
    rnd = get_round(round_id)
    rules = rnd.rules
    members = query_rows(
        members_query(
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
    missing = missing_entries(round_id, rules)
    results = {
        r[0]: r
        for r in query_rows(
            GradeResult.select(*_RESULT_FIELDS).where(GradeResult.round == round_id)
        )
    }
    pools: dict[str, list[OverviewRow]] = {}
    absent: list[tuple[str, str, str]] = []
    named = named_hosts(rules)  # a user-drawn pool holds its units before any grading
    for cid, name, id_card, post, unit, layer, reason in members:
        if reason:
            absent.append((name, unit, reason))
            continue
        r = results.get(cid)
        if r is None:
            key = pool_key_of(rules, named.get(unit, unit), layer)
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
            (o_reason, o_approved, no_grade, flags, warnings, explanation, version) = r[10:]
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
                version=version,
            )
        pools.setdefault(key, []).append(row)
    summaries = pool_summaries(round_id)
    approvals = {
        key: f"{at:%Y-%m-%d %H:%M} {by}".strip()
        for key, at, by in PoolApproval.select(
            PoolApproval.pool_key, PoolApproval.approved_at, PoolApproval.approved_by
        )
        .where(PoolApproval.round == round_id)
        .tuples()
    }
    out = []
    shares = []
    for key, rows in pools.items():
        counts = dict.fromkeys(GRADE_ORDER, 0)
        for r in rows:
            if r.final_grade:
                counts[r.final_grade] += 1
        unit, layer, quota, text, max_quota, raised, warnings, explanation = pool_head(
            rules, key, summaries.get(key), len(rows), rows[0].unit_name, rows[0].layer
        )
        ranked = sorted(rows, key=lambda r: (r.rank is None, r.rank or 0))
        if summaries.get(key) is not None:
            shares.append(share_of_summary(summaries[key], counts[Grade.EXCELLENT.value]))
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
                without_scores=tuple(r for r in rows if r.missing),
                with_warnings=tuple(
                    r for r in rows if r.warnings or "tie_at_quota_line" in r.flags
                ),
                warnings=warnings,
                explanation=explanation,
                approved=approvals.get(key, ""),
            )
        )
    ceiling = ceiling_warning(rules, shares, scope_text(unit_id))
    return RoundOverview(rnd, tuple(out), tuple(absent), rnd.graded_at, ceiling)


def scope_text(unit_id: int | None) -> str:
    """How the city-level check names its scope: 全市, or “单位”范围内."""
    if unit_id is None:
        return "全市"
    name = Unit.select(Unit.name).where(Unit.id == unit_id).scalar() or "所选单位"
    return f"“{name}”范围内"
