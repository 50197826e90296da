"""The national holidays and 调休 working days as the State Council published them, one
year at a time, for seeding the 节假日 table (later years are entered on the 节假日 screen).

Sources, each checked against the notice text as 新华社 and 中国政府网 published it:

* 2025: 《国务院办公厅关于2025年部分节假日安排的通知》国办发明电〔2024〕12号, 2024年11月12日.
  The first year under 《全国年节及纪念日放假办法》 as amended by 国务院令第795号 (in force
  from 2025-01-01): 春节 4 days (农历除夕、正月初一至初三), 劳动节 2 days (5月1日、2日).
* 2026: 《国务院办公厅关于2026年部分节假日安排的通知》国办发明电〔2025〕7号, 2025年11月4日.
* 2027: the notice for 2027 was not found when this table was entered (December 2026), so
  only the statutory days of 《全国年节及纪念日放假办法》第二条 (国务院令第795号) are given:
  元旦 1月1日; 春节 农历除夕至正月初三 (2027-02-05 至 02-08); 清明 (2027-04-05); 劳动节
  5月1日、2日; 端午 (2027-06-09); 中秋 (2027-09-15); 国庆节 10月1日至3日. The lunar and
  solar-term dates are from the Chinese calendar (农历二〇二七年正月初一 = 2027-02-06). These
  days are off whatever the notice says; its 调休 days (and the weekday 补假 for statutory
  days that fall on a weekend) must be added when it is published.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from models.calendar.tables import DAY_OFF, WORKDAY

D = dt.date

SOURCE_2025 = "国办发明电〔2024〕12号"
SOURCE_2026 = "国办发明电〔2025〕7号"
SOURCE_2027 = "国务院令第795号（法定假日）"


@dataclass(frozen=True)
class Notice:
    """One year's arrangement: ``off`` holds (name, first, last) periods of days off, ``work``
    (name, day) weekend days worked. ``complete`` is False when only the statutory days are
    known (the year's notice not yet entered)."""

    year: int
    title: str  # the document's title
    issued: str  # its date
    source: str  # its number, stored with each day
    off: tuple[tuple[str, dt.date, dt.date], ...]
    work: tuple[tuple[str, dt.date], ...] = ()
    complete: bool = True


@dataclass(frozen=True)
class NationalDay:
    day: dt.date
    kind: str  # 放假 / 调休上班
    name: str
    source: str


NOTICES: dict[int, Notice] = {
    2025: Notice(
        2025,
        "国务院办公厅关于2025年部分节假日安排的通知",
        "2024年11月12日",
        SOURCE_2025,
        off=(
            ("元旦", D(2025, 1, 1), D(2025, 1, 1)),  # 1月1日（周三）放假1天，不调休
            ("春节", D(2025, 1, 28), D(2025, 2, 4)),  # 农历除夕至正月初七，共8天
            ("清明节", D(2025, 4, 4), D(2025, 4, 6)),
            ("劳动节", D(2025, 5, 1), D(2025, 5, 5)),
            ("端午节", D(2025, 5, 31), D(2025, 6, 2)),
            ("国庆节、中秋节", D(2025, 10, 1), D(2025, 10, 8)),  # 合并放假，共8天
        ),
        work=(
            ("春节", D(2025, 1, 26)),  # 周日
            ("春节", D(2025, 2, 8)),  # 周六
            ("劳动节", D(2025, 4, 27)),  # 周日
            ("国庆节、中秋节", D(2025, 9, 28)),  # 周日
            ("国庆节、中秋节", D(2025, 10, 11)),  # 周六
        ),
    ),
    2026: Notice(
        2026,
        "国务院办公厅关于2026年部分节假日安排的通知",
        "2025年11月4日",
        SOURCE_2026,
        off=(
            ("元旦", D(2026, 1, 1), D(2026, 1, 3)),
            ("春节", D(2026, 2, 15), D(2026, 2, 23)),  # 农历腊月二十八至正月初七，共9天
            ("清明节", D(2026, 4, 4), D(2026, 4, 6)),
            ("劳动节", D(2026, 5, 1), D(2026, 5, 5)),
            ("端午节", D(2026, 6, 19), D(2026, 6, 21)),
            ("中秋节", D(2026, 9, 25), D(2026, 9, 27)),
            ("国庆节", D(2026, 10, 1), D(2026, 10, 7)),
        ),
        work=(
            ("元旦", D(2026, 1, 4)),  # 周日
            ("春节", D(2026, 2, 14)),  # 周六
            ("春节", D(2026, 2, 28)),  # 周六
            ("劳动节", D(2026, 5, 9)),  # 周六
            ("国庆节", D(2026, 9, 20)),  # 周日
            ("国庆节", D(2026, 10, 10)),  # 周六
        ),
    ),
    2027: Notice(
        2027,
        "全国年节及纪念日放假办法",
        "2025年1月1日起施行",
        SOURCE_2027,
        off=(
            ("元旦", D(2027, 1, 1), D(2027, 1, 1)),
            ("春节", D(2027, 2, 5), D(2027, 2, 8)),  # 农历除夕、正月初一至初三
            ("清明节", D(2027, 4, 5), D(2027, 4, 5)),
            ("劳动节", D(2027, 5, 1), D(2027, 5, 2)),
            ("端午节", D(2027, 6, 9), D(2027, 6, 9)),
            ("中秋节", D(2027, 9, 15), D(2027, 9, 15)),
            ("国庆节", D(2027, 10, 1), D(2027, 10, 3)),
        ),
        complete=False,
    ),
}

NATIONAL_YEARS = tuple(sorted(NOTICES))


def national_days(year: int) -> list[NationalDay]:
    """The year's days off and worked weekend days, in date order ([] for a year not here)."""
    notice = NOTICES.get(year)
    if notice is None:
        return []
    out: list[NationalDay] = []
    for name, first, last in notice.off:
        day = first
        while day <= last:
            out.append(NationalDay(day, DAY_OFF, name, notice.source))
            day += dt.timedelta(days=1)
    out.extend(NationalDay(day, WORKDAY, name, notice.source) for name, day in notice.work)
    return sorted(out, key=lambda d: d.day)


def all_national_days() -> list[NationalDay]:
    return [d for year in NATIONAL_YEARS for d in national_days(year)]


def national_note(year: int) -> str:
    """What the seeded table holds for ``year``, for the 节假日 screen: the notice it was
    entered from, or that it still has to be entered."""
    notice = NOTICES.get(year)
    if notice is None:
        return (
            f"本程序未内置 {year} 年的放假安排：请按国务院办公厅关于 {year} 年部分节假日安排的"
            "通知逐日新增放假日和调休上班日"
        )
    if not notice.complete:
        return (
            f"{year} 年仅内置《全国年节及纪念日放假办法》规定的法定假日；国务院办公厅的 {year} "
            "年放假调休通知发布后，请按通知补充放假日和调休上班日"
        )
    return f"{year} 年的放假安排录自《{notice.title}》（{notice.source}，{notice.issued}）"


__all__ = [
    "NATIONAL_YEARS",
    "NOTICES",
    "SOURCE_2025",
    "SOURCE_2026",
    "SOURCE_2027",
    "NationalDay",
    "Notice",
    "all_national_days",
    "national_days",
    "national_note",
]
