"""The 年度考核 section (五项考核): rounds and their workflow (录入 → 审核 → 审定), score entry
(the grid and the score template for units), 人员情况 (:mod:`ui.assessment.people`), the
scheme (:mod:`ui.assessment.scheme`) and 结果汇总 with the committee's overrides.

The names load on first use (models.core.lazy), and the section builds each tab the first
time it is shown: opening the section loads the score grid, not the charts of 结果汇总.
"""

from models.core.lazy import lazy_api

__all__, __getattr__, __dir__ = lazy_api(
    __name__,
    {
        "assessment_view": ("AssessmentView", "NewRoundDialog"),
        "overview_parts": ("OverrideDialog",),
        "overview_view": ("OverviewView",),
        "people": ("PeopleView",),
        "scheme": ("SchemeEditor",),
        "score_grid": ("ScoreGrid",),
    },
)
