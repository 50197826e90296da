"""The 年度考核结果 text of a 任免审批表, from the grades stored for each person.

The form writes the results of the last three years in one line, the way the official
任免表编辑器 does: "2023年度考核称职；2024年度考核优秀；2025年度考核称职。". Per year the grade
of an approved (审定) annual round wins; without one, the latest graded round of that year
counts. The roster's .lrmx export takes the texts as a parameter (models.roster sits below
models.assessment and never imports it); the command line and the roster screen fill it
from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from models.assessment.tables import KIND_ANNUAL, STATUS_APPROVED, AssessmentRound, GradeResult
from models.core.db import query_rows

__all__ = ["RESULT_YEARS", "annual_results_text", "format_annual_results"]

RESULT_YEARS = 3
_CHUNK = 500  # ids per query, under SQLite's variable limit


def format_annual_results(grades: dict[int, str]) -> str:
    """{2023: '称职', 2024: '优秀'} -> '2023年度考核称职；2024年度考核优秀。' ('' when empty)."""
    parts = [f"{year}年度考核{grade}" for year, grade in sorted(grades.items())]
    return "；".join(parts) + "。" if parts else ""


def annual_results_text(
    cadre_ids: Sequence[int], *, today: dt.date | None = None, years: int = RESULT_YEARS
) -> dict[int, str]:
    """cadre id -> the 年度考核结果 text of the ``years`` most recent graded years up to
    ``today``'s year (people without a stored grade are left out)."""
    today = today or dt.date.today()
    first = today.year - years
    # (cadre, year) -> (approved, when graded, round id, grade): the highest wins
    chosen: dict[tuple[int, int], tuple[bool, str, int, str]] = {}
    ids = list(dict.fromkeys(cadre_ids))
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
            .where(
                GradeResult.cadre.in_(ids[start : start + _CHUNK]),
                AssessmentRound.kind == KIND_ANNUAL,
                AssessmentRound.year.between(first, today.year),
                GradeResult.final_grade != "",
            )
        )
        for cid, year, status, graded_at, computed_at, round_id, grade in query_rows(query):
            when = str(graded_at or computed_at or "")
            candidate = (status == STATUS_APPROVED, when, round_id, grade)
            key = (cid, year)
            if key not in chosen or candidate[:3] > chosen[key][:3]:
                chosen[key] = candidate
    by_cadre: dict[int, dict[int, str]] = {}
    for (cid, year), (*_rest, grade) in chosen.items():
        by_cadre.setdefault(cid, {})[year] = grade
    return {
        cid: format_annual_results(dict(sorted(grades.items())[-years:]))
        for cid, grades in by_cadre.items()
    }
