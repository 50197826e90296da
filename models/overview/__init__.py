"""The 首页 (home screen) figures: 在职 cadres by 领导职务层次/职级 and by age band
(``cadres``), this year's 学时 completion by top-level unit as the 学时不足名单 judges it
(``hours``), the latest 年度考核's grade distribution from its overview (``grades``), and all
of them in one call for one background job (``home``). Reads only; the numbers come as
frozen dataclasses.

A subject of its own because it reads across the others (roster, training, assessment):
it sits above them in the layers and nothing below imports it.
"""

from models.overview.cadres import AGE_BANDS, NOT_FILLED, age_band, cadres_by_age, cadres_by_level
from models.overview.grades import GradeCounts, latest_annual_grades
from models.overview.home import HomeOverview, home_overview
from models.overview.hours import (
    HoursCompletion,
    UnitHours,
    completion_by_unit,
    hours_completion,
)
from models.overview.types import CountRow, total

__all__ = [
    "AGE_BANDS",
    "NOT_FILLED",
    "CountRow",
    "GradeCounts",
    "HomeOverview",
    "HoursCompletion",
    "UnitHours",
    "age_band",
    "cadres_by_age",
    "cadres_by_level",
    "completion_by_unit",
    "home_overview",
    "hours_completion",
    "latest_annual_grades",
    "total",
]
