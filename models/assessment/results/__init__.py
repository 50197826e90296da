"""五项考核 results read back from the database: the overview per unit (quota pool) the
screens and the summary reports show (``overview``), the data of one person's 年度考核登记表
(``sheet_data``), one cadre's rounds over the years for the 一人一档
(``person_record``), the text report of the ``grade`` command (``grade_text``) and the
年度考核结果 line of a 任免审批表 (``annual_text``).

The names load on first use (models.core.lazy): the roster's 近三年考核 column needs only
``annual_text`` when the app starts, not the grading report and the sheets behind the others.
"""

from __future__ import annotations

from models.core.lazy import lazy_api

_API: dict[str, tuple[str, ...]] = {
    "annual_text": (
        "RESULT_YEARS",
        "annual_results_text",
        "approved_grades",
        "format_annual_results",
        "short_results",
    ),
    "grade_text": ("format_grade_report", "format_outcome_report", "grade_command"),
    "overview": ("OverviewRow", "PoolOverview", "RoundOverview", "round_overview"),
    "person_record": ("CadreRoundDTO", "cadre_rounds"),
    "sheet_data": ("GroupLine", "ItemLine", "PersonSheetDTO", "person_sheet", "person_sheets"),
}
__all__, __getattr__, __dir__ = lazy_api(__name__, _API)
