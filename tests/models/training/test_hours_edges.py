"""Edges of the 学时 rules that the hand-worked cases in test_hours.py do not reach: the
field and record an error points the user at, sessions and entries of 0 or under 1 学时,
leave on the last day, every 迟到 counted as 旷课, the following year's hours, the online
requirement of a cadre with no hours, and how 学时 are written in messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest

from models.training.hours import (
    ABSENT,
    CLASS_TRAINING,
    LATE,
    LEAVE,
    ONLINE_STUDY,
    OUTSIDE_TRAINING,
    PRESENT,
    Attendance,
    AttendanceError,
    CadreRank,
    CreditRules,
    HoursEntry,
    Requirements,
    class_entries,
    credit_class,
    one_place,
    shortfalls,
    yearly_totals,
)

D = date
MONDAY = D(2026, 3, 2)


@dataclass(frozen=True)
class Half:
    day: date
    slot: str
    hours: float = 4.0


def half_days(n: int, start: date = MONDAY, hours: float = 4.0) -> list[Half]:
    """n half-days, morning and afternoon, on consecutive days from ``start``."""
    return [Half(start + timedelta(days=i // 2), ("上午", "下午")[i % 2], hours) for i in range(n)]


def marks(cadre: str, sessions: list[Half], statuses: list[str]) -> list[Attendance]:
    return [Attendance(cadre, s.day, s.slot, st) for s, st in zip(sessions, statuses, strict=True)]


# ---------------------------------------------------------------------------- errors


def test_attendance_errors_name_the_field_and_the_trainee() -> None:
    """The attendance screen highlights the cell an error names: the status of a bad or
    doubled record, the day of a record outside the class, the hours of a bad session."""
    sessions = half_days(2)
    with pytest.raises(AttendanceError) as bad_status:
        credit_class(sessions, [Attendance("c7", D(2026, 3, 2), "上午", "病假")])
    assert (bad_status.value.field, bad_status.value.record) == ("status", "c7")

    with pytest.raises(AttendanceError) as outside:
        credit_class(sessions, [Attendance("c7", D(2026, 3, 9), "上午", PRESENT)])
    assert outside.value.message == "学员 c7 在 2026-03-09 上午的考勤记录不对应本班的任何课程"
    assert (outside.value.field, outside.value.record) == ("day", "c7")

    with pytest.raises(AttendanceError) as doubled:
        credit_class(
            sessions,
            [
                Attendance("c7", D(2026, 3, 2), "上午", PRESENT),
                Attendance("c7", D(2026, 3, 2), "上午", LEAVE),
            ],
        )
    assert doubled.value.message == "学员 c7 在 2026-03-02 上午有两条不同的考勤记录（出勤、请假）"
    assert (doubled.value.field, doubled.value.record) == ("status", "c7")

    with pytest.raises(AttendanceError) as negative:
        credit_class([Half(D(2026, 3, 2), "下午", -1)], [], class_name="甲班")
    assert negative.value.message == "班次《甲班》 2026-03-02 下午 的学时不能为负数"
    assert negative.value.field == "hours"


def test_ledger_errors_name_the_field_and_the_cadre() -> None:
    """A bad 学时 line says which kinds are allowed and points at the kind or the hours of
    that cadre's line."""
    with pytest.raises(AttendanceError) as bad_kind:
        yearly_totals([HoursEntry("c3", D(2026, 1, 5), 4, "自学")])
    assert bad_kind.value.message == (
        "学员 c3 2026-01-05 的学时类别“自学”无效，应为 班次培训、外出培训、网络学习、领导干部讲坛"
    )
    assert (bad_kind.value.field, bad_kind.value.record) == ("kind", "c3")

    with pytest.raises(AttendanceError) as negative:
        yearly_totals([HoursEntry("c3", D(2026, 1, 5), -2, OUTSIDE_TRAINING)])
    assert negative.value.message == "学员 c3 2026-01-05 的学时（外出培训）不能为负数：-2"
    assert (negative.value.field, negative.value.record) == ("hours", "c3")


def test_negative_hours_are_shown_with_two_decimals() -> None:
    """学时 in a message have at most two decimals: -0.375 shows as -0.38, -2.5 as -2.5."""
    with pytest.raises(AttendanceError, match="不能为负数：-0.38$"):
        yearly_totals([HoursEntry("c3", D(2026, 1, 5), -0.375, ONLINE_STUDY, "网络学院")])
    with pytest.raises(AttendanceError, match="不能为负数：-2.5$"):
        yearly_totals([HoursEntry("c3", D(2026, 1, 5), -2.5, ONLINE_STUDY, "网络学院")])


# ---------------------------------------------------------------------------- crediting


def test_sessions_of_zero_and_half_an_hour_are_accepted() -> None:
    """A 开班式 of 0 学时 is a valid session (only negative 学时 are refused), and a session
    of 0.5 学时 attended earns its 0.5 in the year it was held."""
    sessions = [Half(D(2026, 3, 2), "上午", 0), Half(D(2026, 3, 2), "下午", 0.5)]
    got = credit_class(sessions, marks("c1", sessions, [PRESENT, PRESENT]))["c1"]
    assert got.class_hours == 0.5
    assert got.credited_hours == 0.5
    assert dict(got.by_year) == {2026: 0.5}
    assert dict(got.last_day) == {2026: D(2026, 3, 2)}


def test_leave_on_the_last_days_does_not_move_the_ledger_date() -> None:
    """The ledger line of a class is dated on the last half-day the trainee earned 学时; a
    year in which the trainee was only on leave gets no line at all."""
    sessions = half_days(8, start=D(2025, 12, 30))  # 12-30 .. 2026-01-02
    statuses = [PRESENT] * 2 + [LEAVE] * 6  # on leave from 2025-12-31
    credit = credit_class(sessions, marks("c1", sessions, statuses))["c1"]
    assert dict(credit.by_year) == {2025: 8}
    assert class_entries([credit], "跨年班") == [
        HoursEntry("c1", D(2025, 12, 30), 8, CLASS_TRAINING, "跨年班")
    ]


def test_every_late_counts_as_an_absence_when_configured_so() -> None:
    """With 每 1 次迟到折合一次旷课, 2 旷课 + 2 迟到 are 4 half-days: flagged."""
    sessions = half_days(10)
    statuses = [ABSENT] * 2 + [LATE] * 2 + [PRESENT] * 6
    got = credit_class(
        sessions, marks("a", sessions, statuses), rules=CreditRules(lates_per_absence=1)
    )
    assert got["a"].absent_half_days == 4
    assert got["a"].flags == (
        "旷课 4 个半天（含迟到、早退每 1 次折合的旷课），超过 3 个半天的上限，应提请退学审查",
    )


def test_an_incomplete_group_of_lates_is_not_an_absence() -> None:
    """Every 2 迟到 count as one 旷课: 3 迟到 are one whole 旷课, not one and a half."""
    sessions = half_days(10)
    statuses = [ABSENT] + [LATE] * 3 + [PRESENT] * 6
    got = credit_class(
        sessions, marks("a", sessions, statuses), rules=CreditRules(lates_per_absence=2)
    )
    assert got["a"].absent_half_days == 2
    assert not got["a"].review


def test_leave_limit_message_keeps_half_hours() -> None:
    """17.5 学时 in a message are written 17.5, not 18 or 17.50."""
    sessions = half_days(7, hours=2.5)  # 17.5 学时, 1/7 = 2.5
    got = credit_class(sessions, marks("a", sessions, [LEAVE] * 2 + [PRESENT] * 5))
    assert got["a"].flags == (
        "请假 5 学时，超过本班总学时 17.5 的 1/7（2.5 学时），应提请退学审查",
    )


# ---------------------------------------------------------------------------- ledger


def test_yearly_totals_carry_the_cadre_and_year_and_accept_small_entries() -> None:
    """Each total says whose and which year it is; entries of 0 and 0.5 学时 are valid."""
    got = yearly_totals(
        [
            HoursEntry("c1", D(2026, 2, 1), 0, ONLINE_STUDY, "网络学院"),
            HoursEntry("c1", D(2026, 2, 2), 0.5, ONLINE_STUDY, "网络学院"),
        ]
    )
    t = got["c1"][2026]
    assert (t.cadre_id, t.year, t.online_hours, t.total) == ("c1", 2026, 0.5, 0.5)


# ---------------------------------------------------------------------------- shortfall

A = CadreRank("a", "甲", "财政局", "乡科级正职", "二级主任科员")  # yearly 90
C = CadreRank("c", "丙", "发改委", "县处级副职", None)  # five years 550


def test_class_and_outside_hours_add_up_toward_the_year() -> None:
    """60 班次培训 + 20 外出培训 = 80 of the yearly 90: short 10, and the row names 甲."""
    entries = [
        HoursEntry("a", D(2026, 3, 1), 60, CLASS_TRAINING, "科级干部班"),
        HoursEntry("a", D(2026, 5, 1), 20, OUTSIDE_TRAINING, "省厅培训"),
    ]
    (row,) = shortfalls([A], entries, 2026)
    assert (row.name, row.unit, row.requirement, row.earned, row.short) == (
        "甲",
        "财政局",
        "每年 90 学时",
        80,
        10,
    )


def test_next_years_hours_do_not_count() -> None:
    """学时 of the year after the year judged count in neither the yearly nor the five-year
    requirement."""
    entries = [
        HoursEntry("a", D(2027, 1, 10), 90, CLASS_TRAINING, "明年"),
        HoursEntry("c", D(2027, 1, 10), 550, CLASS_TRAINING, "明年"),
    ]
    got = {(s.cadre_id, s.name, s.earned, s.short) for s in shortfalls([A, C], entries, 2026)}
    assert got == {("a", "甲", 0, 90), ("c", "丙", 0, 550)}


def test_a_shortfall_of_half_an_hour_is_listed() -> None:
    """89.5 of 90 学时 is short 0.5: on the list; 0.5 of 1 online 学时 too."""
    entries = [
        HoursEntry("a", D(2026, 3, 1), 89, CLASS_TRAINING, "科级干部班"),
        HoursEntry("a", D(2026, 5, 1), 0.5, ONLINE_STUDY, "网络学院"),
    ]
    rows = shortfalls([A], entries, 2026, Requirements(online_hours=1))
    assert [(s.requirement, s.earned, s.short) for s in rows] == [
        ("每年 90 学时", 89.5, 0.5),
        ("网络学习每年 1 学时", 0.5, 0.5),
    ]


def test_online_requirement_of_a_cadre_without_hours_that_year() -> None:
    """A cadre with no 学时 in the year is short of the whole online requirement, on a row
    for that year with his name."""
    entries = [HoursEntry("a", D(2025, 3, 1), 200, ONLINE_STUDY, "去年")]
    rows = shortfalls([A], entries, 2026, Requirements(online_hours=50))
    assert [
        (s.name, s.requirement, s.first_year, s.last_year, s.earned, s.short) for s in rows
    ] == [
        ("甲", "每年 90 学时", 2026, 2026, 0, 90),
        ("甲", "网络学习每年 50 学时", 2026, 2026, 0, 50),
    ]


def test_online_requirement_met_gives_no_row() -> None:
    """50 online 学时 of 50 required: only the yearly shortfall is listed."""
    entries = [HoursEntry("a", D(2026, 3, 1), 50, ONLINE_STUDY, "网络学院")]
    rows = shortfalls([A], entries, 2026, Requirements(online_hours=50))
    assert [(s.requirement, s.short) for s in rows] == [("每年 90 学时", 40)]


# ---------------------------------------------------------------------------- printing


def test_one_place_as_the_command_line_prints_hours() -> None:
    """Whole 学时 print without decimals, others with one: 4, 37.3, 2.5, 0.5."""
    assert one_place(4) == "4"
    assert one_place(4.0) == "4"
    assert one_place(Decimal("90.00")) == "90"
    assert one_place(37.333) == "37.3"
    assert one_place(Decimal("2.50")) == "2.5"
    assert one_place(0.5) == "0.5"
    assert one_place(-1.25) == "-1.2"
    assert one_place(0) == "0"


@pytest.mark.parametrize("hours", [3.3, 3.2, 2.7, 2.4])
def test_leave_of_exactly_a_seventh_is_not_flagged(hours: float) -> None:
    """14 half-days of 3.3 学时, 2 of them 请假: 6.6 is exactly 1/7 of 46.2 — not above it,
    whatever the float sums say (46.19999999999999 made it look above)."""
    sessions = half_days(14, hours=hours)
    statuses = [LEAVE, LEAVE] + [PRESENT] * 12
    got = credit_class(sessions, marks("a", sessions, statuses))["a"]
    assert got.flags == ()
    assert got.leave_hours == pytest.approx(2 * hours)
    # one more half-day of leave is above the limit and is flagged
    statuses = [LEAVE, LEAVE, LEAVE] + [PRESENT] * 11
    assert credit_class(sessions, marks("a", sessions, statuses))["a"].flags
