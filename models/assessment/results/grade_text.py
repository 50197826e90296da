"""The text report of the ``grade`` command: per unit (quota pool) the people, the 优秀 quota
and its rounding, the count per grade and the warnings; read back from the database, or
straight from the grading just done (the same text). For a 平时考核 round, the quarter
grades per unit against the cap on 好."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from models.assessment.engine import (
    ceiling_warning,
    merged_pool_label,
    share_of_summary,
    summaries_warning,
)
from models.assessment.grading import (
    GradingOutcome,
    compute_quarter_grades,
    format_quarter_report,
    grade_and_store,
    pool_summaries,
)
from models.assessment.results.overview import (
    GRADE_ORDER,
    members_query,
    missing_entries,
    pool_head,
    scope_text,
)
from models.assessment.rounds import RoundDTO, find_round
from models.assessment.rules import Grade, pool_key_of
from models.assessment.tables import KIND_QUARTERLY, STATUS_APPROVED, GradeResult, RoundMember
from models.core.db import query_rows
from models.roster.tables import Cadre

__all__ = ["format_grade_report", "format_outcome_report", "grade_command"]


def format_grade_report(year: int, unit_id: int | None = None) -> str:
    """The text the ``grade`` command prints: per unit (pool) the people, the quota and its
    rounding, the count per grade and the warnings.

    Works from SQL aggregates and the stored pool summaries (not from one object per person),
    so the report of a 50,000-person round takes a fraction of a second."""
    rnd = find_round(year)
    rules = rnd.rules
    members = query_rows(
        members_query(
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
        for cid, key, final, warnings in query_rows(
            GradeResult.select(
                GradeResult.cadre,
                GradeResult.pool_key,
                GradeResult.final_grade,
                GradeResult.warnings,
            ).where(GradeResult.round == rnd.id)
        )
    }
    # what is missing, of everyone taking part: a pool graded before someone's score was
    # cleared keeps its last grades, and says so
    missing = missing_entries(
        rnd.id, rules, None if unit_id is None else [m[0] for m in members if not m[4]]
    )
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
        if cid in missing:
            pool[4].append(f"{name}（缺{'、'.join(missing[cid])}）")
        if g is None:
            continue
        if g[1]:
            pool[1][g[1]] += 1
        if g[2]:
            pool[5].append(f"{name}：{'；'.join(g[2].split(chr(10)))}")
    summaries = pool_summaries(rnd.id)
    lines = []
    shares = []
    for key, (n, counts, unit0, layer0, without, remarks) in pools.items():
        summary = summaries.get(key)
        unit, layer, quota, text, _max, raised, warnings, _e = pool_head(
            rules, key, summary, n, unit0, layer0
        )
        merged = tuple(summary.get("merged_units") or ()) if summary else ()
        lines.append(
            _ReportPool(
                unit, layer, n, raised, text, quota, counts, warnings, without, remarks, merged
            )
        )
        if summary is not None:
            shares.append(share_of_summary(summary, counts[Grade.EXCELLENT.value]))
    return _report_text(rnd, lines, absent, ceiling_warning(rules, shares, scope_text(unit_id)))


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
    merged: tuple[str, ...] = ()  # the small units sharing the pool, when merged


def _report_text(
    rnd: RoundDTO, pools: list[_ReportPool], absent: list[tuple[str, str]], ceiling: str = ""
) -> str:
    people = sum(p.people for p in pools)
    lines = [f"{rnd.name}（{rnd.status}）：{people} 人参加考核，{len(pools)} 个考核范围"]
    totals = dict.fromkeys(GRADE_ORDER, 0)
    for p in pools:
        label = merged_pool_label(f"{p.unit}（{p.layer}）" if p.layer else p.unit, p.merged)
        raised_text = "（经批准提高比例）" if p.raised else ""
        lines.append(f"【{label}】{p.people} 人；优秀名额{raised_text} {p.quota_text}")
        shown = "，".join(f"{g} {p.counts[g]}" for g in GRADE_ORDER if p.counts[g])
        over = p.counts[Grade.EXCELLENT.value] > p.quota
        lines.append(f"  等次：{shown or '尚未计算'}" + ("  ※优秀超出名额" if over else ""))
        if shown and p.without:
            lines.append("  ※有人待录入，以上是上次计算的等次，补录后需重新计算")
        for g in GRADE_ORDER:
            totals[g] += p.counts[g]
        lines.extend(f"  提示：{w}" for w in p.warnings)
        if p.without:
            more = f" 等 {len(p.without)} 人" if len(p.without) > 10 else ""
            lines.append(f"  未录入完整：{'、'.join(p.without[:10])}{more}")
        lines.extend(f"  {r}" for r in p.remarks)
    lines.append("合计：" + "，".join(f"{g} {totals[g]}" for g in GRADE_ORDER if totals[g]))
    if ceiling:
        lines.append(f"注意：{ceiling}")
    lines.extend(f"不参加考核：{who}{reason}" for who, reason in absent)
    return "\n".join(lines)


def _absent(round_id: int) -> list[tuple[str, str]]:
    return [
        (f"{name}（{unit}）", reason)
        for name, unit, reason in query_rows(
            members_query(
                round_id, None, Cadre.name, RoundMember.unit_name, RoundMember.not_participating
            ).where(RoundMember.not_participating != "")
        )
    ]


def format_outcome_report(rnd: RoundDTO, outcome: GradingOutcome) -> str:
    """The ``grade`` report of the whole round straight from the grading just done (the same
    text :func:`format_grade_report` reads back from the database, without reading it)."""
    pools = []
    for d in outcome.pools:
        unit, layer, quota, text, _max, raised, warnings, _e = pool_head(
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
                tuple(d.get("merged_units") or ()),
            )
        )
    return _report_text(rnd, pools, _absent(rnd.id), summaries_warning(rnd.rules, outcome.pools))


def grade_command(
    year: int,
    unit_id: int | None = None,
    *,
    quarter: int | None = None,
    user: str | None = None,
    workers: int | None = None,
) -> str:
    """Compute and store proposed grades for the year's annual round: every quota pool whose
    people are all complete (of ``unit_id`` and its sub-units, or of the whole round); then
    what was graded, the 待录入 list (every person, by name and unit, and what is missing)
    and the report of ``unit_id`` (or all units). A locked round is not recomputed; its
    stored grades are printed. ``quarter``: the year's 平时考核 round of that quarter
    instead (its quarter grades, per unit against the cap on 好)."""
    if quarter is not None:
        rnd = find_round(year, KIND_QUARTERLY, quarter)
        return format_quarter_report(
            compute_quarter_grades(rnd.id, user=user, reason="命令行计算季度等次")
        )
    rnd = find_round(year)
    if rnd.status == STATUS_APPROVED:
        note = "本轮考核已审定锁定，以下为审定时的等次，未重新计算\n"
        return note + format_grade_report(year, unit_id)
    outcome = grade_and_store(
        rnd.id, unit_id=unit_id, user=user, reason="命令行计算等次", workers=workers
    )
    head = [outcome.message]  # the report ends with the city-level check (注意：…)
    if outcome.pending:
        head.append(f"待录入 {len(outcome.pending)} 人：")
        head.extend(f"  {line}" for line in outcome.pending_lines)
    if unit_id is None and not outcome.pending:
        report = format_outcome_report(rnd, outcome)
    else:
        report = format_grade_report(year, unit_id)
    return "\n".join([*head, report])
