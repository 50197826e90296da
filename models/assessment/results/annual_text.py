"""The 年度考核结果 text of a 任免审批表, from the grades stored for each person.

The form writes the results of the last three years in one line, the way the official
任免表编辑器 does: "2023年度考核称职；2024年度考核优秀；2025年度考核称职。". Only approved
results count: the annual round 审定, or the person's 考核范围 approved on its own (a grade
still being worked on is not a result); of several rounds of a year the approved round wins,
then the latest graded. The same results show in the roster (近三年考核) and pick the
cadres for targeted training (e.g. the 基本称职 of last year). The roster's .lrmx export
takes the texts as a parameter (models.roster sits below models.assessment and never
imports it); the command line and the roster screen fill it from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from peewee import JOIN

from models.assessment.tables import (
    KIND_ANNUAL,
    STATUS_APPROVED,
    AssessmentRound,
    GradeResult,
    PoolApproval,
)
from models.core.db import query_rows

__all__ = [
    "RESULT_YEARS",
    "annual_results_text",
    "approved_grades",
    "format_annual_results",
    "short_results",
]

RESULT_YEARS = 3
_CHUNK = 500  # ids per query, under SQLite's variable limit


def format_annual_results(grades: dict[int, str]) -> str:
    """{2023: '称职', 2024: '优秀'} -> '2023年度考核称职；2024年度考核优秀。' ('' when empty)."""
    parts = [f"{year}年度考核{grade}" for year, grade in sorted(grades.items())]
    return "；".join(parts) + "。" if parts else ""


def approved_grades(cadre_ids: Sequence[int], first: int, last: int) -> dict[int, dict[int, str]]:
    """cadre id -> {year: final grade} of the annual rounds from ``first`` to ``last``,
    approved results only: the round 审定, or the person's 考核范围 approved on its own (a
    draft grade is not a result yet). Of several rounds of one year, the approved round
    wins, then the latest graded. People without such a grade are left out."""
    # (cadre, year) -> (round approved, when graded, round id, grade): the highest wins
    chosen: dict[tuple[int, int], tuple[bool, str, int, str]] = {}
    ids = list(dict.fromkeys(cadre_ids))
    pool_on = (PoolApproval.round == GradeResult.round) & (
        PoolApproval.pool_key == GradeResult.pool_key
    )
    for start in range(0, len(ids), _CHUNK):
        query = (
            GradeResult.select(
                GradeResult.cadre,
                AssessmentRound.year,
                AssessmentRound.status,
                AssessmentRound.graded_at,
                GradeResult.computed_at,
                AssessmentRound.id,
                GradeResult.final_grade,
            )
            .join(AssessmentRound)
            .switch(GradeResult)
            .join(PoolApproval, JOIN.LEFT_OUTER, on=pool_on)
            .where(
                GradeResult.cadre.in_(ids[start : start + _CHUNK]),
                AssessmentRound.kind == KIND_ANNUAL,
                AssessmentRound.year.between(first, last),
                GradeResult.final_grade != "",
                (AssessmentRound.status == STATUS_APPROVED) | PoolApproval.id.is_null(False),
            )
        )
        for cid, year, status, graded_at, computed_at, round_id, grade in query_rows(query):
            when = str(graded_at or computed_at or "")
            candidate = (status == STATUS_APPROVED, when, round_id, grade)
            key = (cid, year)
            if key not in chosen or candidate[:3] > chosen[key][:3]:
                chosen[key] = candidate
    by_cadre: dict[int, dict[int, str]] = {}
    for (cid, year), (*_rest, grade) in sorted(chosen.items()):
        by_cadre.setdefault(cid, {})[year] = grade
    return by_cadre


def annual_results_text(
    cadre_ids: Sequence[int], *, today: dt.date | None = None, years: int = RESULT_YEARS
) -> dict[int, str]:
    """cadre id -> the 年度考核结果 text of the approved results of the ``years`` years up
    to ``today``'s year (people without one are left out)."""
    today = today or dt.date.today()
    grades = approved_grades(cadre_ids, today.year - years, today.year)
    return {
        cid: format_annual_results(dict(sorted(g.items())[-years:])) for cid, g in grades.items()
    }


def short_results(cadre_ids: Sequence[int], *, today: dt.date | None = None) -> dict[int, str]:
    """cadre id -> '2023 称职，2024 优秀，2025 称职': the approved results of the last
    :data:`RESULT_YEARS` years in a table cell (the roster's 近三年考核 column)."""
    today = today or dt.date.today()
    grades = approved_grades(cadre_ids, today.year - RESULT_YEARS, today.year)
    return {
        cid: "，".join(f"{y} {grade}" for y, grade in sorted(g.items())[-RESULT_YEARS:])
        for cid, g in grades.items()
    }
