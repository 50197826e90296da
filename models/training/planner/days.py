"""三三制 timetable: the whole days a field-study visit needs -- the travel half-days a distant
site adds, whether a visit's site and teacher are free all day, and the runs of consecutive
whole days (上午 and 下午) a class has free for visits."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from models.training.planner.rules import TRAVEL_MINUTES, away_overnight
from models.training.planner.types import (
    AFTERNOON,
    EVENING,
    FIELD_STUDY,
    MORNING,
    Bookings,
    Course,
    Site,
    Slot,
    Teacher,
)

__all__ = ["away_evening", "travel_half_days", "visit_day_free", "whole_day_runs"]


def away_evening(
    slots: Sequence[Slot],
    index: Mapping[Slot, int],
    occ: Sequence[Any],
    sites: Mapping[str, Site],
    i: int,
) -> bool:
    """Whether half-day ``i`` is an evening the class spends away on a field visit (``occ``:
    what each half-day holds while planning, units with their course)."""
    day, slot = slots[i]
    pm, am = index.get((day, AFTERNOON)), index.get((day + timedelta(days=1), MORNING))
    visit, nxt = (occ[j] if j is not None else None for j in (pm, am))
    if slot != EVENING or visit is None or visit.mode != FIELD_STUDY:
        return False
    site = sites.get(visit.course.site_id or "")
    then = nxt.course.id if nxt is not None and nxt.mode == FIELD_STUDY else None
    return away_overnight(site.travel_minutes if site else 0, visit.course.id, then)


def travel_half_days(course: Course, sites: Mapping[str, Site]) -> int:
    """Half-days of travel a field visit adds: 2 (去程 and 返程) for a distant site."""
    site = sites.get(course.site_id or "")
    if course.mode == FIELD_STUDY and site is not None and site.travel_minutes >= TRAVEL_MINUTES:
        return 2
    return 0


def visit_day_free(
    course: Course,
    day: date,
    sites: Mapping[str, Site],
    teachers: Mapping[str, Teacher],
    bookings: Bookings,
) -> bool:
    """Whether the visit's site and teacher are free all ``day``: not booked by other classes
    on either half, not unavailable."""
    site = sites.get(course.site_id or "")
    teacher = teachers.get(course.teacher_id or "")
    halves = ((day, MORNING), (day, AFTERNOON))
    for who, busy in ((site, bookings.sites), (teacher, bookings.teachers)):
        if who is None:
            continue
        taken = busy.get(who.id, frozenset())
        if day in who.unavailable or any(h in taken for h in halves):
            return False
    return True


def whole_day_runs(
    slots: Sequence[Slot],
    blocked: Collection[Slot],
    day_ok: Callable[[date], bool] | None = None,
) -> list[int]:
    """Lengths of the runs of consecutive whole days among ``slots``: days whose 上午 and
    下午 are both class half-days, neither ``blocked`` (and ``day_ok``, when given)."""
    have = set(slots)
    days = sorted(
        {
            d
            for d, _ in slots
            if (d, MORNING) in have
            and (d, AFTERNOON) in have
            and (d, MORNING) not in blocked
            and (d, AFTERNOON) not in blocked
            and (day_ok is None or day_ok(d))
        }
    )
    runs: list[int] = []
    for k, d in enumerate(days):
        if k and d - days[k - 1] == timedelta(days=1):
            runs[-1] += 1
        else:
            runs.append(1)
    return runs
