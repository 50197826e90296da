"""What the 节假日 table says about a class's dates: which days in a range are off and which
weekend days are worked (:func:`class_days`), and the warnings a class editor shows for a
start or end date on a holiday or a day without classes (:func:`date_warnings`).

Both only read, with plain selects, inside whatever transaction the caller holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from models.calendar.tables import DAY_OFF, WORKDAY, Holiday
from models.core.dates import as_date

WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
MON_TO_FRI = frozenset({0, 1, 2, 3, 4})


@dataclass(frozen=True)
class CalendarDays:
    """The 节假日 table over one range of dates: ``days_off`` (放假), ``workdays`` (调休上班,
    weekend days worked) and each such day's name (元旦, 春节调休上班…)."""

    days_off: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()
    names: Mapping[dt.date, str] = field(default_factory=lambda: MappingProxyType({}))

    def is_off(self, day: dt.date) -> bool:
        return day in self.days_off

    def is_workday(self, day: dt.date) -> bool:
        return day in self.workdays


def day_name(name: str, kind: str) -> str:
    """How a day is named: the holiday's name for a day off, "春节调休上班" for a worked day
    (a name that already says 调休 stays as it is)."""
    if kind == WORKDAY and "调休" not in name:
        return f"{name}调休上班"
    return name


def class_days(start: dt.date, end: dt.date) -> CalendarDays:
    """The 放假 and 调休上班 days from ``start`` to ``end`` (both included)."""
    if end < start:
        return CalendarDays()
    off: set[dt.date] = set()
    work: set[dt.date] = set()
    names: dict[dt.date, str] = {}
    rows = (
        Holiday.select(Holiday.day, Holiday.kind, Holiday.name)
        .where(Holiday.day.between(start, end))
        .tuples()
    )
    for raw, kind, name in rows:
        day = as_date(raw)
        if kind == DAY_OFF:
            off.add(day)
        elif kind == WORKDAY:
            work.add(day)
        else:
            continue
        names[day] = day_name(name, kind)
    return CalendarDays(frozenset(off), frozenset(work), MappingProxyType(names))


def _short(first: dt.date, last: dt.date) -> str:
    """'2027-01-01 至 01-03' (the second date without its year when it is the same year)."""
    if first == last:
        return first.isoformat()
    tail = f"{last:%m-%d}" if last.year == first.year else last.isoformat()
    return f"{first.isoformat()} 至 {tail}"


def _runs(days: Iterable[dt.date], names: Mapping[dt.date, str]) -> list[tuple[dt.date, dt.date]]:
    """Consecutive days of one name, as (first, last) pairs in date order."""
    out: list[tuple[dt.date, dt.date]] = []
    for day in sorted(days):
        if out:
            first, last = out[-1]
            if day - last == dt.timedelta(days=1) and names.get(day) == names.get(last):
                out[-1] = (first, day)
                continue
        out.append((day, day))
    return out


def _day_warning(label: str, day: dt.date, cal: CalendarDays, weekdays: frozenset[int]) -> str:
    name = cal.names.get(day, "")
    weekday = WEEKDAY_NAMES[day.weekday()]
    if cal.is_off(day):
        return f"{label} {day.isoformat()} 是{name}假期"
    if cal.is_workday(day):
        return (
            f"{label} {day.isoformat()} 是{weekday}，为{name}日，仅在班次设置“调休上班日排课”时上课"
        )
    if day.weekday() not in weekdays:
        return f"{label} {day.isoformat()} 是{weekday}，不是本班的上课日"
    return ""


def date_warnings(start: dt.date, end: dt.date, weekdays: frozenset[int] = MON_TO_FRI) -> list[str]:
    """Chinese warnings about a class held from ``start`` to ``end`` on ``weekdays``
    (0 = Monday): a start or end date on a holiday or a day without classes, the holidays
    inside (skipped by 自动排课) and the 调休上班 days inside. Empty when all is well or the
    dates are not in order (another check says so)."""
    if end < start:
        return []
    cal = class_days(start, end)
    out = [
        text
        for text in (
            _day_warning("开班日期", start, cal, weekdays),
            _day_warning("结业日期", end, cal, weekdays) if end != start else "",
        )
        if text
    ]
    if cal.days_off:
        spans = "；".join(
            f"{_short(a, b)} {cal.names.get(a, '')}" for a, b in _runs(cal.days_off, cal.names)
        )
        out.append(f"班次期间有 {len(cal.days_off)} 天节假日（{spans}），自动排课时跳过")
    if cal.workdays:
        listed = "、".join(
            f"{d.isoformat()}（{WEEKDAY_NAMES[d.weekday()]}，{cal.names.get(d, '')}）"
            for d in sorted(cal.workdays)
        )
        out.append(
            f"班次期间有 {len(cal.workdays)} 个调休上班日：{listed}，"
            "仅在班次设置“调休上班日排课”时使用"
        )
    return out


__all__ = ["MON_TO_FRI", "WEEKDAY_NAMES", "CalendarDays", "class_days", "date_warnings", "day_name"]
