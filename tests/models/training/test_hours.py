"""Attendance crediting, 退学 flags, yearly / five-year totals and the shortfall list,
against values worked by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

import pytest

from models.training.hours import (
    ABSENT,
    CLASS_TRAINING,
    LATE,
    LEAVE,
    LEFT_EARLY,
    ONLINE_STUDY,
    OUTSIDE_TRAINING,
    PRESENT,
    UNRECORDED,
    Attendance,
    AttendanceError,
    CadreRank,
    CreditRules,
    HoursEntry,
    Requirements,
    class_entries,
    credit_class,
    shortfalls,
    yearly_totals,
)
from models.training.planner import Session

D = date


@dataclass(frozen=True)
class Half:
    day: date
    slot: str
    hours: float = 4.0


MONDAY = D(2026, 3, 2)


def half_days(n: int, start: date = MONDAY, hours: float = 4.0) -> list[Half]:
    """n half-days, morning and afternoon, on consecutive days from ``start``."""
    return [Half(start + timedelta(days=i // 2), ("上午", "下午")[i % 2], hours) for i in range(n)]


def marks(cadre: str, sessions: list[Half], statuses: list[str]) -> list[Attendance]:
    return [Attendance(cadre, s.day, s.slot, st) for s, st in zip(sessions, statuses, strict=True)]


# ---------------------------------------------------------------------------- crediting


def test_default_crediting() -> None:
    # 10 half-days x 4 = 40 学时. 6 出勤 + 1 迟到 + 1 早退 keep their hours: 8 x 4 = 32;
    # 请假 and 旷课 earn nothing. Leave 4 学时 <= 40/7 = 5.71: no flag.
    sessions = half_days(10)
    statuses = [PRESENT] * 6 + [LATE, LEFT_EARLY, LEAVE, ABSENT]
    got = credit_class(sessions, marks("c1", sessions, statuses))["c1"]
    assert got.class_hours == 40
    assert got.credited_hours == 32
    assert got.leave_hours == 4
    assert got.leave_limit_hours == pytest.approx(40 / 7)
    assert got.absent_half_days == 1
    assert dict(got.counts) == {
        PRESENT: 6,
        LATE: 1,
        LEFT_EARLY: 1,
        LEAVE: 1,
        ABSENT: 1,
        UNRECORDED: 0,
    }
    assert got.flags == ()
    assert not got.review


def test_configured_crediting_half_for_late_and_early() -> None:
    # 6 x 4 + (迟到 + 早退) x 4 x 0.5 = 24 + 4 = 28
    sessions = half_days(10)
    statuses = [PRESENT] * 6 + [LATE, LEFT_EARLY, LEAVE, ABSENT]
    rules = CreditRules(late=0.5, left_early=0.5)
    assert (
        credit_class(sessions, marks("c1", sessions, statuses), rules=rules)["c1"].credited_hours
        == 28
    )


def test_sessions_from_a_planned_timetable_are_accepted() -> None:
    s = Session(D(2026, 3, 2), "上午", "课堂教学", "讲座", 3.75)
    got = credit_class([s], [Attendance("c1", s.day, s.slot, PRESENT)])["c1"]
    assert got.credited_hours == 3.75


def test_unrecorded_sessions_earn_nothing_and_enrolled_without_records_appear() -> None:
    sessions = half_days(4)
    got = credit_class(sessions, marks("c1", sessions[:3], [PRESENT] * 3), cadre_ids=["c1", "c2"])
    assert got["c1"].credited_hours == 12
    assert got["c1"].counts[UNRECORDED] == 1
    assert got["c2"].credited_hours == 0
    assert got["c2"].counts[UNRECORDED] == 4


def test_leave_over_one_seventh_is_flagged() -> None:
    # 30 half-days x 4 = 120 学时; 1/7 = 17.14. 4 half-days of leave = 16: kept.
    # 5 half-days = 20: flagged.
    sessions = half_days(30)
    four = marks("a", sessions, [LEAVE] * 4 + [PRESENT] * 26)
    five = marks("b", sessions, [LEAVE] * 5 + [PRESENT] * 25)
    got = credit_class(sessions, four + five, class_name="科级干部班")
    assert not got["a"].review
    assert got["a"].credited_hours == 104
    assert got["b"].review
    assert got["b"].flags == (
        "请假 20 学时，超过班次《科级干部班》总学时 120 的 1/7（17.14 学时），应提请退学审查",
    )


def test_leave_exactly_one_seventh_is_not_beyond() -> None:
    # 7 half-days x 4 = 28 学时; 1/7 = 4 exactly. One leave = 4: not beyond; two = 8: beyond.
    sessions = half_days(7)
    got = credit_class(
        sessions,
        marks("a", sessions, [LEAVE] + [PRESENT] * 6)
        + marks("b", sessions, [LEAVE] * 2 + [PRESENT] * 5),
    )
    assert not got["a"].review
    assert got["b"].review


def test_leave_limit_is_configurable() -> None:
    # 1/10 of 40 = 4: one leave (4) is not beyond, two (8) are.
    sessions = half_days(10)
    rules = CreditRules(leave_limit=Fraction(1, 10))
    got = credit_class(sessions, marks("a", sessions, [LEAVE] * 2 + [PRESENT] * 8), rules=rules)
    assert got["a"].flags[0].startswith("请假 8 学时，超过本班总学时 40 的 1/10（4 学时）")


def test_absences_beyond_the_limit_are_flagged() -> None:
    # default limit 3 half-days: 3 旷课 kept, 4 (two whole days, as at 天河) flagged
    sessions = half_days(20)
    got = credit_class(
        sessions,
        marks("a", sessions, [ABSENT] * 3 + [PRESENT] * 17)
        + marks("b", sessions, [ABSENT] * 4 + [PRESENT] * 16),
    )
    assert not got["a"].review
    assert got["b"].flags == ("旷课 4 个半天，超过 3 个半天的上限，应提请退学审查",)
    assert got["b"].credited_hours == 64  # 16 x 4


def test_late_and_early_converted_to_absence_when_configured() -> None:
    # every 2 迟到/早退 count as one 旷课: 2 旷课 + 3 迟到 + 1 早退 = 2 + 4 // 2 = 4 > 3
    sessions = half_days(20)
    statuses = [ABSENT] * 2 + [LATE] * 3 + [LEFT_EARLY] + [PRESENT] * 14
    plain = credit_class(sessions, marks("a", sessions, statuses))["a"]
    assert plain.absent_half_days == 2
    assert not plain.review
    rules = CreditRules(lates_per_absence=2)
    strict = credit_class(sessions, marks("a", sessions, statuses), rules=rules)["a"]
    assert strict.absent_half_days == 4
    assert "含迟到、早退每 2 次折合的旷课" in strict.flags[0]
    assert strict.credited_hours == 72  # 18 attended half-days x 4 still credited


def test_bad_attendance_records() -> None:
    sessions = half_days(2)
    with pytest.raises(
        AttendanceError, match="考勤状态“病假”无效，应为 出勤、迟到、早退、请假、旷课"
    ):
        credit_class(sessions, [Attendance("c1", D(2026, 3, 2), "上午", "病假")])
    with pytest.raises(AttendanceError, match="2026-03-09 上午的考勤记录不对应班次《甲班》"):
        credit_class(
            sessions, [Attendance("c1", D(2026, 3, 9), "上午", PRESENT)], class_name="甲班"
        )
    with pytest.raises(AttendanceError, match="有两条不同的考勤记录（出勤、旷课）"):
        credit_class(
            sessions,
            [
                Attendance("c1", D(2026, 3, 2), "上午", PRESENT),
                Attendance("c1", D(2026, 3, 2), "上午", ABSENT),
            ],
        )
    with pytest.raises(AttendanceError, match="学时不能为负数"):
        credit_class([Half(D(2026, 3, 2), "上午", -4)], [])


def test_class_over_new_year_is_split_by_year() -> None:
    # Tue 2025-12-30 .. Fri 2026-01-02, 8 half-days x 4. Absent on 2026-01-02 morning:
    # 2025: 4 half-days = 16; 2026: 3 half-days = 12.
    sessions = half_days(8, start=D(2025, 12, 30))
    statuses = [PRESENT] * 6 + [ABSENT, PRESENT]
    credit = credit_class(sessions, marks("c1", sessions, statuses))["c1"]
    assert dict(credit.by_year) == {2025: 16, 2026: 12}
    assert class_entries([credit], "跨年班") == [
        HoursEntry("c1", D(2025, 12, 31), 16, CLASS_TRAINING, "跨年班"),
        HoursEntry("c1", D(2026, 1, 2), 12, CLASS_TRAINING, "跨年班"),
    ]


# ---------------------------------------------------------------------------- ledger


def test_yearly_totals_by_kind() -> None:
    entries = [
        HoursEntry("c1", D(2026, 3, 13), 72, CLASS_TRAINING, "科级干部班"),
        HoursEntry("c1", D(2026, 5, 1), 8, OUTSIDE_TRAINING, "省厅培训"),
        HoursEntry("c1", D(2026, 6, 1), 12.5, ONLINE_STUDY, "网络学院"),
        HoursEntry("c1", D(2026, 7, 1), 7.5, ONLINE_STUDY, "网络学院"),
        HoursEntry("c1", D(2025, 7, 1), 30, CLASS_TRAINING, "去年"),
        HoursEntry("c2", D(2026, 7, 1), 10, OUTSIDE_TRAINING),
    ]
    got = yearly_totals(entries)
    t = got["c1"][2026]
    assert (t.class_hours, t.outside_hours, t.online_hours, t.total) == (72, 8, 20, 100)
    assert got["c1"][2025].total == 30
    assert got["c2"][2026].total == 10
    assert list(got) == ["c1", "c2"]


def test_bad_ledger_entries() -> None:
    with pytest.raises(AttendanceError, match="学时类别“自学”无效"):
        yearly_totals([HoursEntry("c1", D(2026, 1, 1), 4, "自学")])
    with pytest.raises(AttendanceError, match="学时（网络学院）不能为负数：-3"):
        yearly_totals([HoursEntry("c1", D(2026, 1, 1), -3, ONLINE_STUDY, "网络学院")])


# ---------------------------------------------------------------------------- shortfall

CADRES = [
    CadreRank("a", "甲", "财政局", "乡科级正职", "二级主任科员"),  # yearly 90
    CadreRank("b", "乙", "财政局", None, "一级主任科员"),  # yearly 90
    CadreRank("c", "丙", "发改委", "县处级副职", None),  # five years 550
    CadreRank("d", "丁", "发改委", None, "四级调研员"),  # five years 550 (rank alone)
    CadreRank("e", "戊", "财政局", None, None),  # no level or rank: yearly 90
]


def ledger() -> list[HoursEntry]:
    e = [
        HoursEntry("a", D(2026, 3, 13), 60, CLASS_TRAINING, "科级干部班"),
        HoursEntry("a", D(2026, 9, 1), 20, ONLINE_STUDY, "网络学院"),  # a: 80 in 2026
        HoursEntry("b", D(2026, 4, 1), 90, CLASS_TRAINING, "专题班"),  # b: exactly 90
        HoursEntry("e", D(2025, 4, 1), 200, CLASS_TRAINING, "去年"),  # e: 0 in 2026
    ]
    # c: 100 a year 2021..2026; window 2022..2026 = 500
    e += [HoursEntry("c", D(y, 6, 1), 100, CLASS_TRAINING, "进修班") for y in range(2021, 2027)]
    # d: 600 in 2022, inside the window
    e.append(HoursEntry("d", D(2022, 6, 1), 600, CLASS_TRAINING, "县处级进修班"))
    return e


def test_shortfall_list_by_unit() -> None:
    got = [
        (
            s.unit,
            s.cadre_id,
            s.requirement,
            s.first_year,
            s.last_year,
            s.required,
            s.earned,
            s.short,
        )
        for s in shortfalls(CADRES, ledger(), 2026)
    ]
    assert got == [
        ("发改委", "c", "五年 550 学时", 2022, 2026, 550, 500, 50),
        ("财政局", "e", "每年 90 学时", 2026, 2026, 90, 0, 90),
        ("财政局", "a", "每年 90 学时", 2026, 2026, 90, 80, 10),
    ]


def test_five_year_window_moves_with_the_year() -> None:
    # judged in 2027 the window is 2023..2027: c has 100 x 4 = 400 (short 150);
    # d's 600 from 2022 has dropped out (short 550).
    got = {s.cadre_id: s.short for s in shortfalls(CADRES, ledger(), 2027)}
    assert got["c"] == 150
    assert got["d"] == 550


def test_fixed_five_year_periods() -> None:
    # periods 2023-2027: in 2026 c has 2023..2026 = 400 of 550 (short 150); d's 2022
    # hours belong to the previous period.
    rules = Requirements(period_start=2023)
    got = {s.cadre_id: (s.first_year, s.short) for s in shortfalls(CADRES, ledger(), 2026, rules)}
    assert got["c"] == (2023, 150)
    assert got["d"] == (2023, 550)
    assert rules.window(2028) == (2028, 2028)


def test_online_hours_can_be_left_out_and_required_separately() -> None:
    rules = Requirements(count_online=False, online_hours=50)
    rows = shortfalls(CADRES[:1], ledger(), 2026, rules)
    got = [(s.requirement, s.earned, s.short) for s in rows]
    # 60 class hours (online not counted) -> short 30; online 20 of 50 -> short 30
    assert sorted(got) == [("每年 90 学时", 60, 30), ("网络学习每年 50 学时", 20, 30)]


def test_requirement_values_and_rank_lists_are_configurable() -> None:
    rules = Requirements(annual_hours=84, five_year_ranks=frozenset())
    got = {s.cadre_id: (s.requirement, s.short) for s in shortfalls(CADRES, ledger(), 2026, rules)}
    # a: 80 of 84 short 4; b: 90 fine; d now under the yearly rule with 0 in 2026
    assert got["a"] == ("每年 84 学时", 4)
    assert "b" not in got
    assert got["d"] == ("每年 84 学时", 84)


def test_category_by_level_or_rank() -> None:
    r = Requirements()
    assert [r.five_year(c) for c in CADRES] == [False, False, True, True, False]
    assert r.five_year(CadreRank("x", "x", rank="一级巡视员"))
    assert not r.five_year(CadreRank("x", "x", leadership_level="乡科级副职", rank="一级科员"))
