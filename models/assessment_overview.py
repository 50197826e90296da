"""五项考核 overview per unit (quota pool): ranking, grade counts against the quota, people
without scores, people with warnings and each person's explanation; and the text report of
the ``grade`` command."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from models.assessment import (
    STATUS_APPROVED,
    GradeResult,
    GroupAverage,
    ItemScore,
    RoundMember,
    VoteCount,
)
from models.assessment_grading import compute_grades, pool_key_of, pool_summaries
from models.assessment_service import RoundDTO, find_round, get_round
from models.grading import excellent_quota
from models.grading_rules import Grade
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


def round_overview(round_id: int, unit_id: int | None = None) -> RoundOverview:
    """The overview of a round, all units or ``unit_id`` and its sub-units."""
    rnd = get_round(round_id)
    rules = rnd.rules
    q = (
        RoundMember.select(
            RoundMember.cadre,
            Cadre.name,
            Cadre.id_card,
            Cadre.post_title,
            RoundMember.unit_name,
            RoundMember.layer,
            RoundMember.not_participating,
        )
        .join(Cadre)
        .where(RoundMember.round == round_id)
        .order_by(RoundMember.sort_order, RoundMember.id)
    )
    if unit_id is not None:
        q = q.where(RoundMember.unit_id.in_(subtree_ids(unit_id)))
    members = list(q.tuples())
    ids = {m[0] for m in members}

    def by_cadre(model: Any, *fields: Any) -> dict[int, list[tuple[Any, ...]]]:
        out: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
        for r in model.select(model.cadre, *fields).where(model.round == round_id).tuples():
            if r[0] in ids:
                out[r[0]].append(r[1:])
        return out

    scored = by_cadre(ItemScore, ItemScore.item_code)
    voted = by_cadre(VoteCount, VoteCount.count)
    averaged = by_cadre(GroupAverage, GroupAverage.group_code)
    results = {
        r.cadre_id: r
        for r in GradeResult.select().where(GradeResult.round == round_id)
        if r.cadre_id in ids
    }
    weighted = [(code, name) for code, name, _w, _f in rules.weighted_items]
    pools: dict[str, list[OverviewRow]] = {}
    absent: list[tuple[str, str, str]] = []
    for cid, name, id_card, post, unit, layer, reason in members:
        if reason:
            absent.append((name, unit, reason))
            continue
        have = {c for (c,) in scored.get(cid, [])}
        missing = [n for code, n in weighted if code not in have]
        if rules.composite.evaluation_weight > 0 and not (
            sum(n for (n,) in voted.get(cid, [])) or averaged.get(cid)
        ):
            missing.append("民主测评")
        r = results.get(cid)
        row = OverviewRow(
            cadre_id=cid,
            name=name,
            id_card=id_card,
            unit_name=unit,
            layer=layer,
            post_title=post,
            evaluation=_dec(r.evaluation) if r else None,
            items=_dec(r.items) if r else None,
            bonus=Decimal(r.bonus) if r else Decimal(0),
            penalty=Decimal(r.penalty) if r else Decimal(0),
            composite=_dec(r.composite) if r else None,
            rank=r.rank if r else None,
            proposed_grade=r.proposed_grade if r else "",
            final_grade=r.final_grade if r else "",
            override_reason=r.override_reason if r else "",
            override_approved=bool(r.override_approved) if r else False,
            no_grade_category=r.no_grade_category if r else "",
            flags=tuple(f for f in (r.flags.split(",") if r and r.flags else [])),
            warnings=tuple(w for w in (r.warnings.split("\n") if r and r.warnings else [])),
            explanation=r.explanation if r else "尚未计算等次",
            missing=tuple(missing),
        )
        key = r.pool_key if r else pool_key_of(rules, unit, layer)
        pools.setdefault(key, []).append(row)
    summaries = pool_summaries(round_id)
    out = []
    for key, rows in pools.items():
        s = summaries.get(key)
        counts = dict.fromkeys(GRADE_ORDER, 0)
        for r in rows:
            if r.final_grade:
                counts[r.final_grade] += 1
        if s is not None:
            qd = s["quota"]
            quota, max_quota = qd["quota"], s["max_quota"]
            from models.grading import QuotaCalc
            from models.grading_rules import Rounding

            text = QuotaCalc(
                qd["people"],
                Decimal(qd["percent"]),
                Decimal(qd["raw"]),
                Rounding(qd["rounding"]),
                qd["rounded"],
                qd["at_least_one_applied"],
                quota,
            ).text
            raised, warnings, explanation = (
                s["raised_quota"],
                tuple(s["warnings"]),
                s["explanation"],
            )
            unit, layer = s["unit"], s["layer"]
        else:
            calc = excellent_quota(rules, len(rows))
            quota, text, max_quota = (
                calc.quota,
                calc.text,
                excellent_quota(rules, len(rows), raised=True).quota,
            )
            raised, warnings, explanation = False, (), ""
            unit, layer = rows[0].unit_name, rows[0].layer if "｜" in key else ""
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
    rounding, the count per grade and the warnings."""
    rnd = find_round(year)
    ov = round_overview(rnd.id, unit_id)
    people = sum(p.people for p in ov.pools)
    lines = [f"{rnd.name}（{rnd.status}）：{people} 人参加考核，{len(ov.pools)} 个考核范围"]
    totals = dict.fromkeys(GRADE_ORDER, 0)
    for p in ov.pools:
        label = f"{p.unit}（{p.layer}）" if p.layer else p.unit
        raised = "（经批准提高比例）" if p.raised_quota else ""
        lines.append(f"【{label}】{p.people} 人；优秀名额{raised} {p.quota_text}")
        counts = "，".join(f"{g} {p.counts[g]}" for g in GRADE_ORDER if p.counts[g])
        lines.append(
            f"  等次：{counts or '尚未计算'}" + ("  ※优秀超出名额" if p.over_quota else "")
        )
        for g in GRADE_ORDER:
            totals[g] += p.counts[g]
        lines.extend(f"  提示：{w}" for w in p.warnings)
        if p.without_scores:
            names = "、".join(
                f"{r.name}（缺{'、'.join(r.missing)}）" for r in p.without_scores[:10]
            )
            more = f" 等 {len(p.without_scores)} 人" if len(p.without_scores) > 10 else ""
            lines.append(f"  未录入完整：{names}{more}")
        lines.extend(f"  {r.name}：{'；'.join(r.warnings)}" for r in p.rows if r.warnings)
    lines.append("合计：" + "，".join(f"{g} {totals[g]}" for g in GRADE_ORDER if totals[g]))
    for name, unit, reason in ov.not_participating:
        lines.append(f"不参加考核：{name}（{unit}）{reason}")
    return "\n".join(lines)


def grade_command(year: int, unit_id: int | None = None, *, user: str | None = None) -> str:
    """Compute and store proposed grades for the year's annual round (the whole round: quotas
    need every pool member), then the report for ``unit_id`` (or all units). A locked round
    is not recomputed; its stored grades are printed."""
    rnd = find_round(year)
    note = ""
    if rnd.status == STATUS_APPROVED:
        note = "本轮考核已审定锁定，以下为审定时的等次，未重新计算\n"
    else:
        compute_grades(rnd.id, user=user, reason="命令行计算等次")
    return note + format_grade_report(year, unit_id)
