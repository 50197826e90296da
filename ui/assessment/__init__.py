"""The 年度考核 section (五项考核): rounds and their workflow (录入 → 审核 → 审定), score entry
(the grid and the score template for units), 人员情况 (:mod:`ui.assessment.people`), the
scheme (:mod:`ui.assessment.scheme`) and 结果汇总 with the committee's overrides.
"""

from ui.assessment.assessment_view import AssessmentView, NewRoundDialog
from ui.assessment.overview_parts import OverrideDialog
from ui.assessment.overview_view import OverviewView
from ui.assessment.people import PeopleView
from ui.assessment.scheme import SchemeEditor
from ui.assessment.score_grid import ScoreGrid

__all__ = [
    "AssessmentView",
    "NewRoundDialog",
    "OverrideDialog",
    "OverviewView",
    "PeopleView",
    "SchemeEditor",
    "ScoreGrid",
]
