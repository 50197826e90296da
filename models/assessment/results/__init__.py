"""五项考核 results read back from the database: the overview per unit (quota pool) the
screens and the summary reports show (``overview``), the data of one person's 年度考核登记表
(``sheet_data``), the text report of the ``grade`` command (``grade_text``) and the
年度考核结果 line of a 任免审批表 (``annual_text``).
"""

from models.assessment.results.annual_text import (
    RESULT_YEARS,
    annual_results_text,
    approved_grades,
    format_annual_results,
    short_results,
)
from models.assessment.results.grade_text import (
    format_grade_report,
    format_outcome_report,
    grade_command,
)
from models.assessment.results.overview import (
    OverviewRow,
    PoolOverview,
    RoundOverview,
    round_overview,
)
from models.assessment.results.sheet_data import (
    GroupLine,
    ItemLine,
    PersonSheetDTO,
    person_sheet,
    person_sheets,
)

__all__ = [
    "RESULT_YEARS",
    "GroupLine",
    "ItemLine",
    "OverviewRow",
    "PersonSheetDTO",
    "PoolOverview",
    "RoundOverview",
    "annual_results_text",
    "approved_grades",
    "format_annual_results",
    "format_grade_report",
    "format_outcome_report",
    "grade_command",
    "person_sheet",
    "person_sheets",
    "round_overview",
    "short_results",
]
