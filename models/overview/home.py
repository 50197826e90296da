"""Every figure of the 首页 in one call, for one background job: the 在职 cadres by
领导职务层次/职级 and by age, this year's 学时 completion by unit and the latest 年度考核's
grades."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from models.core.progress import IsCancelled, Progress, raise_if_cancelled
from models.overview.cadres import cadres_by_age, cadres_by_level
from models.overview.grades import GradeCounts, latest_annual_grades
from models.overview.hours import HoursCompletion, hours_completion
from models.overview.types import CountRow, total

_STOPPED = "已停止统计"


@dataclass(frozen=True)
class HomeOverview:
    on_date: dt.date  # ages are on this day; the 学时 year is its year
    by_level: tuple[CountRow, ...]
    by_age: tuple[CountRow, ...]
    hours: HoursCompletion
    grades: GradeCounts | None  # None: no 年度考核 round yet

    @property
    def active(self) -> int:
        """在职 cadres."""
        return total(self.by_age)


def home_overview(
    today: dt.date | None = None,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> HomeOverview:
    """The 首页's figures on ``today`` (default: the real today). Reads only; ``cancelled``
    is asked between the steps."""
    today = today or dt.date.today()
    step = progress or (lambda _done, _total, _text: None)
    step(0, 3, "统计干部结构")
    by_level, by_age = cadres_by_level(), cadres_by_age(today)
    raise_if_cancelled(cancelled, _STOPPED)
    step(1, 3, "统计学时完成情况")
    hours = hours_completion(today.year)
    raise_if_cancelled(cancelled, _STOPPED)
    step(2, 3, "统计年度考核等次")
    grades = latest_annual_grades()
    step(3, 3, "")
    return HomeOverview(today, by_level, by_age, hours, grades)


__all__ = ["HomeOverview", "home_overview"]
