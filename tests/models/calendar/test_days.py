"""What the 节假日 table tells a class's dates: the days off and 调休 days in its range, and
the warnings the class editor shows."""

from __future__ import annotations

import datetime as dt

from models import calendar
from models.calendar import class_days, date_warnings
from models.core.db import write_transaction

D = dt.date


def test_class_days_over_the_2026_spring_festival(database) -> None:
    cal = class_days(D(2026, 2, 9), D(2026, 3, 6))
    assert cal.days_off == frozenset(D(2026, 2, d) for d in range(15, 24))
    assert cal.workdays == frozenset({D(2026, 2, 14), D(2026, 2, 28)})
    assert cal.names[D(2026, 2, 17)] == "春节"
    assert cal.names[D(2026, 2, 14)] == "春节调休上班"
    assert cal.is_off(D(2026, 2, 23))
    assert not cal.is_off(D(2026, 2, 24))
    assert class_days(D(2026, 3, 9), D(2026, 3, 20)) == calendar.CalendarDays()
    assert class_days(D(2026, 3, 20), D(2026, 3, 9)).days_off == frozenset()  # dates reversed


def test_class_days_reads_inside_the_callers_transaction(database) -> None:
    with write_transaction():
        calendar.Holiday.create(day=D(2026, 3, 10), kind="放假", name="本地节日")
        assert D(2026, 3, 10) in class_days(D(2026, 3, 9), D(2026, 3, 13)).days_off


def test_a_class_ending_on_new_years_day_is_warned(database) -> None:
    """The demo's 科级干部能力提升班 held its 结业式 on 2027-01-01."""
    got = date_warnings(D(2026, 12, 21), D(2027, 1, 1))
    assert got == [
        "结业日期 2027-01-01 是元旦假期",
        "班次期间有 1 天节假日（2027-01-01 元旦），自动排课时跳过",
    ]


def test_warnings_name_weekends_holiday_spans_and_workdays(database) -> None:
    got = date_warnings(D(2026, 9, 19), D(2026, 10, 11))
    assert got[0] == "开班日期 2026-09-19 是星期六，不是本班的上课日"
    assert got[1] == "结业日期 2026-10-11 是星期日，不是本班的上课日"
    assert got[2] == (
        "班次期间有 10 天节假日（2026-09-25 至 09-27 中秋节；2026-10-01 至 10-07 国庆节），"
        "自动排课时跳过"
    )
    assert got[3].startswith("班次期间有 2 个调休上班日：2026-09-20（星期日，国庆节调休上班）")
    assert got[3].endswith("仅在班次设置“调休上班日排课”时使用")
    # a class held on Saturdays (一天一次的在职班) is not warned about its Saturdays
    saturdays = frozenset({5})
    assert date_warnings(D(2026, 3, 7), D(2026, 3, 28), saturdays) == []
    assert date_warnings(D(2026, 3, 9), D(2026, 3, 13)) == []  # an ordinary week


def test_a_start_on_a_workday_saturday_is_named(database) -> None:
    got = date_warnings(D(2026, 2, 14), D(2026, 2, 14))
    assert (
        got[0]
        == "开班日期 2026-02-14 是星期六，为春节调休上班日，仅在班次设置“调休上班日排课”时上课"
    )
    assert len([t for t in got if t.startswith("结业日期")]) == 0  # one day: said once


def test_reversed_dates_give_no_warnings(database) -> None:
    assert date_warnings(D(2027, 1, 1), D(2026, 12, 1)) == []
