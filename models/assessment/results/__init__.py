"""五项考核 results read back from the database: the overview per unit (quota pool) the
screens and the summary reports show (``overview``), the data of one person's 年度考核登记表
(``sheet_data``) and the text report of the ``grade`` command (``grade_text``).
"""

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
from models.assessment.results.sheet_data import GroupLine, ItemLine, PersonSheetDTO, person_sheet

__all__ = [
    "GroupLine",
    "ItemLine",
    "OverviewRow",
    "PersonSheetDTO",
    "PoolOverview",
    "RoundOverview",
    "format_grade_report",
    "format_outcome_report",
    "grade_command",
    "person_sheet",
    "round_overview",
]
