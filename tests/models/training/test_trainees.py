"""Enrolment, discussion groups, attendance → 学时 → ledger, shortfalls and electives."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from models.core.audit import history
from models.core.errors import DomainError
from models.roster import service as roster
from models.training import (
    BY_RANK,
    FIRST_COME,
    CourseInput,
    HoursImportRow,
    add_hours_entry,
    class_credits,
    correct_attendance,
    enrol,
    finish_class,
    format_shortfall,
    get_class,
    hours_report,
    import_hours,
    list_sessions,
    list_trainees,
    mark_all_present,
    move_session,
    open_class,
    plan_class_timetable,
    record_attendance,
    save_course,
    session_attendance,
    set_class_courses,
    set_elective_choices,
    settle_electives,
    split_groups,
    withdraw,
)
from models.training import hours as hr
from models.training import planner as tt
from models.training.tables import TRAINING_TABLES, HoursEntry
from tests.models.training.test_classes import cadre, new_class

D = dt.date


@pytest.fixture
def tdb(database, units):
    database.create_tables(TRAINING_TABLES)
    return units


# ---------------------------------------------------------------------------- enrolment


def test_enrol_refuses_duplicates_retired_and_over_the_cap(tdb):
    a = cadre(tdb, "张一")
    b = cadre(tdb, "李二")
    gone = cadre(tdb, "王退", status="退休")
    c = cadre(tdb, "赵三")
    cls = new_class("一班", class_size=2)
    first = enrol(cls, cadre_ids=[a])
    assert [t.name for t in first.added] == ["张一"]
    result = enrol(cls, cadre_ids=[a, gone, b, c])
    assert [t.name for t in result.added] == ["李二"]
    reasons = {r.name: r.reason for r in result.refused}
    assert "已在班次《一班》中" in reasons["张一"]
    assert "退休" in reasons["王退"]
    assert "班额" in reasons["赵三"]
    assert get_class(cls).enrolled == 2


def test_enrol_by_unit_and_age(tdb):
    young = cadre(tdb, "青年", unit="town", birth_date=D(1995, 6, 1))
    cadre(tdb, "老将", unit="town", birth_date=D(1968, 6, 1))
    cadre(tdb, "市里", unit="org", birth_date=D(1994, 6, 1))
    cadre(tdb, "调走", unit="town", birth_date=D(1996, 6, 1), status="调离")
    cls = new_class("中青年班")
    # ages on the class start 2026-03-02: 30, 57, 31, 29 (调离: not found by the filter)
    result = enrol(cls, unit_id=tdb["county"], max_age=40)
    assert [t.cadre_id for t in result.added] == [young]
    assert result.refused == ()


def test_withdraw_is_refused_once_attendance_exists(tdb):
    a = cadre(tdb, "张一")
    cls, session = planned_class(tdb, [a])
    record_attendance(session, {a: hr.PRESENT}, user="班主任")
    with pytest.raises(DomainError, match="考勤记录"):
        withdraw(cls, a)


# ---------------------------------------------------------------------------- groups


def test_groups_balanced_by_size_and_unit_with_senior_convener(tdb):
    ids = [cadre(tdb, f"组织{k}", unit="org", birth_date=D(1980 + k, 1, 1)) for k in range(4)]
    ids += [
        cadre(tdb, f"乌兰{k}", unit="town", sex="女", birth_date=D(1985 + k, 1, 1))
        for k in range(3)
    ]
    ids += [cadre(tdb, f"靖远{k}", unit="county", birth_date=D(1975 + k, 1, 1)) for k in range(2)]
    boss = cadre(tdb, "处长", unit="county", leadership_level="县处级正职", rank="一级调研员")
    cls = new_class("一班")
    enrol(cls, cadre_ids=[*ids, boss])
    groups = split_groups(cls, 3)
    assert sorted(len(g.members) for g in groups) == [3, 3, 4]  # 10 trainees
    for g in groups:
        units = [m.unit_id for m in g.members]
        # 4 from 组织部 over 3 groups: at most 2 together; 3 from 乌兰镇 and 3 from 靖远县:
        # one per group
        assert units.count(tdb["org"]) <= 2
        assert units.count(tdb["town"]) == 1
        assert units.count(tdb["county"]) == 1
        assert g.convener in g.members
        assert sum(m.is_convener for m in g.members) == 1
    boss_group = next(g for g in groups if any(m.cadre_id == boss for m in g.members))
    assert boss_group.convener.cadre_id == boss
    # deterministic
    again = split_groups(cls, 3)
    assert [[m.cadre_id for m in g.members] for g in again] == [
        [m.cadre_id for m in g.members] for g in groups
    ]
    with pytest.raises(DomainError, match="不能分成 11 个组"):
        split_groups(cls, 11)


# ---------------------------------------------------------------------------- attendance


def planned_class(units, trainees: list[int]) -> tuple[int, int]:
    """A Mon-Wed class (6 half-days of 4 学时 = 24): 开班式, lecture, field day, discussion,
    结业式. Returns the class id and its first session id."""
    from models.training import save_room

    save_room("第一教室", 60)
    courses = [
        save_course(CourseInput("讲座", tt.LECTURE, 1, block="b")).id,
        save_course(CourseInput("考察", tt.FIELD_STUDY, 2)).id,
        save_course(CourseInput("研讨", tt.DISCUSSION, 1, follows="b")).id,
    ]
    cls = new_class("短训班", end=D(2026, 3, 4))
    set_class_courses(cls, courses)
    enrol(cls, cadre_ids=trainees)
    plan_class_timetable(cls)
    return cls, list_sessions(cls)[0].id


def test_attendance_credits_hours_and_finish_writes_the_ledger_once(tdb):
    full = cadre(tdb, "全勤", leadership_level="乡科级正职")
    leave = cadre(tdb, "请假")
    truant = cadre(tdb, "旷课")
    cls, _ = planned_class(tdb, [full, leave, truant])
    sessions = list_sessions(cls)
    assert len(sessions) == 6
    for k, s in enumerate(sessions):
        marks = {full: hr.PRESENT, leave: hr.PRESENT, truant: hr.ABSENT}
        if k == 1:
            marks[leave] = hr.LATE  # keeps the 4 学时
        if k == 2:
            marks[leave] = hr.LEAVE  # 4 学时 of leave > 24 / 7 = 3.43: review
        if k in (0, 5):
            marks[truant] = hr.PRESENT  # 4 half-days of 旷课 > 3: review
        record_attendance(s.id, marks, user="班主任")
    credits = {c.cadre_id: c for c in class_credits(cls)}
    assert credits[full].credited_hours == Decimal(24)
    assert credits[leave].credited_hours == Decimal(20)
    assert credits[truant].credited_hours == Decimal(8)
    assert not credits[full].review
    assert "请假 4 学时" in credits[leave].flags[0]
    assert "旷课 4 个半天" in credits[truant].flags[0]
    assert credits[leave].counts[hr.LATE] == 1

    open_class(cls, today=D(2026, 3, 2))
    result = finish_class(cls, user="班主任", today=D(2026, 3, 4))
    with pytest.raises(DomainError, match="不能重复结业"):
        finish_class(cls, user="班主任", today=D(2026, 3, 4))
    assert result.entries == 3
    assert result.total_hours == Decimal(52)
    assert {r.cadre_id for r in result.review} == {leave, truant}
    rows = {e.cadre_id: e for e in HoursEntry.select()}
    assert len(rows) == 3
    assert HoursEntry.select().count() == 3
    assert rows[full].hours == Decimal(24)
    assert rows[full].kind == hr.CLASS_TRAINING
    assert rows[full].year == 2026
    assert rows[full].day == D(2026, 3, 4)
    assert get_class(cls).status == "已结业"
    with pytest.raises(DomainError, match="已结业"):
        move_session(sessions[1].id, D(2026, 3, 4), "上午")
    # a 更正 after 结业 reaches the ledger at once: 旷课 → 出勤 adds 4 学时
    correct_attendance(sessions[1].id, truant, hr.PRESENT, "补登", user="班主任")
    assert HoursEntry.get(HoursEntry.cadre == truant).hours == Decimal(12)
    assert HoursEntry.select().count() == 3


def test_finish_refuses_missing_attendance_and_attendance_is_audited(tdb):
    a = cadre(tdb, "张一")
    b = cadre(tdb, "李二")
    cls, first = planned_class(tdb, [a, b])
    record_attendance(first, {a: hr.LEAVE}, user="班主任")
    assert mark_all_present(first, user="班主任") == 1  # only 李二 had no record
    assert {r.name: r.status for r in session_attendance(first)} == {
        "张一": hr.LEAVE,
        "李二": hr.PRESENT,
    }
    record_attendance(first, {a: hr.PRESENT}, user="班主任", reason="补假条")
    changes = [h for h in history("attendance", 1) if h.field == "status"]
    assert [(h.old_value, h.new_value) for h in changes] == [(hr.LEAVE, hr.PRESENT), ("", hr.LEAVE)]
    open_class(cls, today=D(2026, 3, 2))
    with pytest.raises(DomainError, match="只登记了 0 名"):
        finish_class(cls, today=D(2026, 3, 4))
    with pytest.raises(DomainError, match="考勤状态“病假”无效"):
        record_attendance(first, {a: "病假"})
    outsider = cadre(tdb, "外人")
    with pytest.raises(DomainError, match="不是本班学员"):
        record_attendance(first, {outsider: hr.PRESENT})


def test_moving_a_session_with_attendance_is_refused(tdb):
    a = cadre(tdb, "张一")
    cls, first = planned_class(tdb, [a])
    second = list_sessions(cls)[1]
    record_attendance(second.id, {a: hr.PRESENT})
    with pytest.raises(DomainError, match="已有考勤记录"):
        move_session(second.id, D(2026, 3, 6), "上午")


# ---------------------------------------------------------------------------- ledger


def test_shortfall_list_for_a_cadre_short_of_90(tdb):
    short = cadre(tdb, "差学时", unit="town", rank="一级科员")
    done = cadre(tdb, "够学时", unit="town", rank="一级科员")
    leader = cadre(tdb, "县领导", unit="county", leadership_level="县处级副职")
    add_hours_entry(short, D(2026, 5, 1), hr.OUTSIDE_TRAINING, 40, "省委党校专题班")
    add_hours_entry(short, D(2026, 6, 1), hr.ONLINE_STUDY, Decimal("14.5"), "网络学院")
    add_hours_entry(short, D(2025, 6, 1), hr.ONLINE_STUDY, 90, "上一年的不算")
    add_hours_entry(done, D(2026, 6, 1), hr.ONLINE_STUDY, 90, "网络学院")
    add_hours_entry(leader, D(2023, 6, 1), hr.OUTSIDE_TRAINING, 300, "中青班")
    add_hours_entry(leader, D(2026, 6, 1), hr.OUTSIDE_TRAINING, 200, "进修班")
    rows = hours_report(2026)
    got = {r.name: (r.required, r.earned, r.short) for r in rows}
    # 90 - (40 + 14.5) = 35.5; leader: 550 - (300 + 200) over 2022-2026 = 50
    assert got == {
        "差学时": (Decimal(90), Decimal("54.5"), Decimal("35.5")),
        "县领导": (Decimal(550), Decimal(500), Decimal(50)),
    }
    assert [r.name for r in hours_report(2026, tdb["town"])] == ["差学时"]
    text = format_shortfall(2026, tdb["town"])
    assert "乌兰镇\t差学时\t—\t一级科员\t每年 90 学时\t90\t54.5\t35.5" in text
    with pytest.raises(DomainError, match="班次结业自动登记"):
        add_hours_entry(short, D(2026, 1, 1), hr.CLASS_TRAINING, 4, "自填")
    with pytest.raises(DomainError, match="大于 0"):
        add_hours_entry(short, D(2026, 1, 1), hr.ONLINE_STUDY, 0, "x")
    # a cadre with 学时 records cannot be deleted
    with pytest.raises(DomainError, match="学时登记记录"):
        roster.delete_cadre(short)


def test_import_is_all_or_nothing_with_row_numbers(tdb):
    a = cadre(tdb, "张一")
    card = roster.get_cadre(a).id_card
    good = HoursImportRow(2, card, "张一", "2026-04-01", hr.ONLINE_STUDY, "12", "网络学院")
    bad = [
        HoursImportRow(3, "620421000000000000", "", "2026-04-01", hr.ONLINE_STUDY, "1", "x"),
        HoursImportRow(4, card, "张一", "四月", hr.ONLINE_STUDY, "1", "x"),
        HoursImportRow(5, card, "张一", "2026-04-01", hr.ONLINE_STUDY, "十", "x"),
    ]
    with pytest.raises(DomainError) as err:
        import_hours([good, *bad])
    text = err.value.message
    assert "第 3 行“身份证号”列" in text
    assert "第 4 行“日期”列" in text
    assert "第 5 行“学时”列" in text
    assert HoursEntry.select().count() == 0
    assert import_hours([good]) == 1
    assert HoursEntry.get().hours == Decimal(12)
    # the same file again, or the same line twice, would count the hours twice
    with pytest.raises(DomainError, match="第 2 行：张一 2026-04-01 的“网络学院”已登记过"):
        import_hours([good])
    twice = HoursImportRow(3, card, "张一", "2026-05-01", hr.ONLINE_STUDY, "2", "专题")
    with pytest.raises(DomainError, match="第 4 行：与第 3 行重复"):
        import_hours([twice, dataclasses.replace(twice, row=4)])
    assert HoursEntry.select().count() == 1


# ---------------------------------------------------------------------------- electives


@pytest.fixture
def elective_class(tdb):
    """E1 1 place, E2 2 places; four trainees and their wishes:
    P 一级科员 [E1, E2] at 09:00; Q 县处级正职 [E1, E2] at 10:00; R 一级主任科员 [E2] at
    08:00; S 二级科员 no wishes."""
    e1 = save_course(CourseInput("数字政府", tt.LECTURE, 1, elective=True)).id
    e2 = save_course(CourseInput("公文写作", tt.LECTURE, 1, elective=True)).id
    cls = new_class("选学班")
    set_class_courses(cls, [e1, e2], capacities={e1: 1, e2: 2})
    p = cadre(tdb, "P", rank="一级科员")
    q = cadre(tdb, "Q", leadership_level="县处级正职", rank="一级调研员")
    r = cadre(tdb, "R", rank="一级主任科员")
    s = cadre(tdb, "S", rank="二级科员")
    enrol(cls, cadre_ids=[p, q, r, s])
    day = dt.datetime(2026, 2, 20)
    set_elective_choices(cls, p, [e1, e2], at=day.replace(hour=9))
    set_elective_choices(cls, q, [e1, e2], at=day.replace(hour=10))
    set_elective_choices(cls, r, [e2], at=day.replace(hour=8))
    return cls, {"e1": e1, "e2": e2, "P": p, "Q": q, "R": r, "S": s}


def outcome(settlement) -> dict[str, tuple[str, bool]]:
    return {o.name: (o.course_title, o.moved) for o in settlement.outcomes}


def test_electives_first_come(elective_class):
    cls, ids = elective_class
    result = settle_electives(cls, FIRST_COME)
    # R (08:00) 公文写作; P (09:00) 数字政府; Q (10:00) 数字政府 full → 公文写作; S none left
    assert outcome(result) == {
        "R": ("公文写作", False),
        "P": ("数字政府", False),
        "Q": ("公文写作", True),
        "S": ("", True),
    }
    why = {o.name: o.reason for o in result.outcomes}
    assert why["Q"] == "《数字政府》名额已满"
    assert "未填报选学志愿" in why["S"]
    assert "均已满" in why["S"]
    assert {o.title: o.admitted for o in result.options} == {"数字政府": 1, "公文写作": 2}


def test_electives_by_rank(elective_class):
    cls, ids = elective_class
    settle_electives(cls, FIRST_COME)
    result = settle_electives(cls, BY_RANK)  # settling again starts afresh
    # Q (县处级正职) 数字政府; R (一级主任科员) 公文写作; P (一级科员) 数字政府 full → 公文写作
    assert outcome(result) == {
        "Q": ("数字政府", False),
        "R": ("公文写作", False),
        "P": ("公文写作", True),
        "S": ("", True),
    }
    assert [o.name for o in result.outcomes] == ["Q", "R", "P", "S"]
    with pytest.raises(DomainError, match="选学规则"):
        settle_electives(cls, "lottery")
    with pytest.raises(DomainError, match="不是班次《选学班》的选学课程"):
        set_elective_choices(cls, ids["S"], [9999])


def test_trainee_list_has_groups_and_roles(tdb):
    a = cadre(tdb, "张一")
    cls = new_class("一班")
    enrol(cls, cadre_ids=[a])
    (t,) = list_trainees(cls)
    assert (t.name, t.role, t.group_no, t.unit_name) == ("张一", "学员", 0, "市委组织部")


def test_leave_and_credit_follow_the_sessions_own_hours(tdb):
    """A class of 3 学时 per half-day: 请假 counts the session's 3 学时 toward the 1/7 limit
    (not a fixed 4), and a present trainee is credited 3 学时 per half-day."""
    a = cadre(tdb, "三学时")
    from models.training import save_room

    save_room("第一教室", 60)
    courses = [
        save_course(CourseInput("讲座", tt.LECTURE, 1, block="b")).id,
        save_course(CourseInput("考察", tt.FIELD_STUDY, 2)).id,
        save_course(CourseInput("研讨", tt.DISCUSSION, 1, follows="b")).id,
    ]
    cls = new_class("三学时班", end=D(2026, 3, 4), hours_per_half_day=Decimal(3))
    set_class_courses(cls, courses)
    enrol(cls, cadre_ids=[a])
    plan_class_timetable(cls)
    sessions = list_sessions(cls)
    assert len(sessions) == 6
    for k, s in enumerate(sessions):
        record_attendance(s.id, {a: hr.LEAVE if k == 1 else hr.PRESENT}, user="班主任")
    credit = class_credits(cls)[0]
    assert credit.credited_hours == Decimal(15)  # 5 half-days of 3 学时
    # 3 学时 of leave > 18 / 7 = 2.57: review, naming the 3 学时
    assert credit.review
    assert "请假 3 学时" in credit.flags[0]


def test_finish_refuses_one_missing_attendance_and_accepts_a_complete_record(tdb):
    """Every trainee of every held half-day needs a status: one missing (of two) is refused,
    naming the session and the count; with it entered, 结业 goes through."""
    a = cadre(tdb, "张一")
    b = cadre(tdb, "李二")
    cls, _ = planned_class(tdb, [a, b])
    sessions = list_sessions(cls)
    for s in sessions[:-1]:
        record_attendance(s.id, {a: hr.PRESENT, b: hr.PRESENT}, user="班主任")
    last = sessions[-1]
    record_attendance(last.id, {a: hr.PRESENT}, user="班主任")
    open_class(cls, today=D(2026, 3, 2))
    with pytest.raises(DomainError, match="只登记了 1 名学员的考勤（共 2 名）"):
        finish_class(cls, today=D(2026, 3, 4))
    assert get_class(cls).status != "已结业"
    assert HoursEntry.select().count() == 0
    record_attendance(last.id, {b: hr.PRESENT}, user="班主任")
    assert finish_class(cls, user="班主任", today=D(2026, 3, 4)).entries == 2
    assert get_class(cls).status == "已结业"
