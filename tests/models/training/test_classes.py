"""Training resources, classes and the stored timetable, with values worked by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from models.core.errors import DomainError, ValidationError
from models.roster.tables import Cadre
from models.training import (
    ClassInput,
    CourseInput,
    TeacherInput,
    class_clashes,
    class_shares,
    delete_course,
    format_plan_summary,
    list_sessions,
    move_session,
    plan_class_timetable,
    save_class,
    save_course,
    save_room,
    save_site,
    save_teacher,
    set_class_courses,
    set_session_locked,
    swap_sessions,
)
from models.training import planner as tt
from models.training.tables import TRAINING_TABLES, ClassSession, TrainingClass

D = dt.date
MON, FRI = D(2026, 3, 2), D(2026, 3, 6)  # one week: 10 half-days, 8 besides the ceremonies


@pytest.fixture
def tdb(database, units):
    database.create_tables(TRAINING_TABLES)
    return units


def cadre(units, name: str, unit: str = "org", **kw) -> int:
    n = Cadre.select().count() + 1
    values = {
        "name": name,
        "sex": "男",
        "birth_date": D(1980, 1, 1),
        "unit": units[unit],
        "id_card": f"6204211980010100{n:02d}",
    }
    values.update(kw)
    return Cadre.create(**values).id


@pytest.fixture
def lib(tdb):
    """Teacher 王 (lectures), 李 (spare), one site, two rooms and a one-week course set:
    lectures 3, field study 2 (one day), discussion 3 half-days: 3 + 2 + 3 = 8."""
    wang = save_teacher(TeacherInput("王教授", "党校教师")).id
    li = save_teacher(TeacherInput("李老师", "党校教师")).id
    site = save_site("会宁红军会师旧址", travel_minutes=150).id
    rooms = [save_room("第一教室", 60).id, save_room("第二教室", 50).id]
    lec = save_course(CourseInput("党的创新理论", tt.LECTURE, 3, teacher_id=wang, block="理论")).id
    fld = save_course(CourseInput("会师旧址现场教学", tt.FIELD_STUDY, 2, site_id=site)).id
    dis = save_course(CourseInput("理论研讨", tt.DISCUSSION, 3, follows="理论")).id
    return {"wang": wang, "li": li, "site": site, "rooms": rooms, "courses": [lec, fld, dis]}


def new_class(title: str, **kw) -> int:
    values = {"name": title, "level": "专题班", "start": MON, "end": FRI, "class_size": 40}
    values.update(kw)
    return save_class(ClassInput(**values)).id


# ---------------------------------------------------------------------------- resources


def test_teacher_unavailable_dates_are_stored(tdb):
    t = save_teacher(TeacherInput("马老师", "外请专家", unavailable=[D(2026, 3, 4), D(2026, 3, 3)]))
    assert t.unavailable == (D(2026, 3, 3), D(2026, 3, 4))
    t2 = save_teacher(TeacherInput("马老师", "外请专家", unavailable=[D(2026, 3, 5)], id=t.id))
    assert t2.unavailable == (D(2026, 3, 5),)


@pytest.mark.parametrize(
    ("inp", "field"),
    [
        (TeacherInput("", "党校教师"), "name"),
        (TeacherInput("王", "教授"), "kind"),
        (TeacherInput("王", "党校教师", cadre_id=999), "cadre_id"),
    ],
)
def test_bad_teacher_is_refused(tdb, inp, field):
    with pytest.raises(ValidationError) as err:
        save_teacher(inp)
    assert err.value.issues[0].field == field


def test_bad_course_and_room_are_refused(tdb):
    with pytest.raises(ValidationError, match="偶数"):
        save_course(CourseInput("半天考察", tt.FIELD_STUDY, 1))
    with pytest.raises(ValidationError, match="研讨的专题"):
        save_course(CourseInput("讲座", tt.LECTURE, 1, follows="x"))
    with pytest.raises(ValidationError, match="容量"):
        save_room("小会议室", 0)
    save_room("小会议室", 10)
    with pytest.raises(ValidationError, match="同名"):
        save_room("小会议室", 12)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end": D(2026, 3, 1)}, "end"),
        ({"share_lecture": 0.5}, "share_lecture"),
        ({"level": "研究生班"}, "level"),
        ({"weekdays": ()}, "weekdays"),
        ({"hours_per_half_day": 0}, "hours_per_half_day"),
        ({"holidays": [D(2026, 4, 1)]}, "holidays"),
        ({"name": " "}, "name"),
    ],
)
def test_bad_class_settings_are_named(tdb, changes, field):
    with pytest.raises(ValidationError) as err:
        new_class("测试班", **changes)
    assert field in {i.field for i in err.value.issues}


def test_class_stores_holidays_and_decimal_hours(tdb):
    c = save_class(
        ClassInput(
            name="专题班",
            start=MON,
            end=FRI,
            holidays=[D(2026, 3, 4)],
            hours_per_half_day=Decimal("3.75"),
        )
    )
    assert c.holidays == (D(2026, 3, 4),)
    assert c.hours_per_half_day == Decimal("3.75")
    assert c.weekdays == frozenset({0, 1, 2, 3, 4})


# ---------------------------------------------------------------------------- planning


def keys(class_id: int, attr: str) -> set[tuple[object, dt.date, str]]:
    return {
        (getattr(s, attr), s.day, s.slot)
        for s in list_sessions(class_id)
        if getattr(s, attr) is not None
    }


def test_plan_stores_sessions_with_the_shares(lib):
    a = new_class("一班")
    set_class_courses(a, lib["courses"])
    result = plan_class_timetable(a)
    sessions = list_sessions(a)
    assert len(sessions) == 10  # 5 days x 2
    assert sessions[0].title == tt.OPENING
    assert (sessions[0].day, sessions[0].slot) == (MON, "上午")
    assert sessions[-1].title == tt.CLOSING
    assert (sessions[-1].day, sessions[-1].slot) == (
        FRI,
        "下午",
    )
    got = {s.mode: (s.half_days, s.hours) for s in result.shares}
    # hand-worked: 3 / 2 / 3 half-days of 4 学时
    assert got == {tt.LECTURE: (3, 12.0), tt.FIELD_STUDY: (2, 8.0), tt.DISCUSSION: (3, 12.0)}
    field = [s for s in sessions if s.mode == tt.FIELD_STUDY]
    assert field[0].day == field[1].day
    assert {s.slot for s in field} == {"上午", "下午"}
    last_lecture = max((s.day, s.slot == "下午") for s in sessions if s.mode == tt.LECTURE)
    first_talk = min((s.day, s.slot == "下午") for s in sessions if s.mode == tt.DISCUSSION)
    assert first_talk > last_lecture
    assert all(s.hours == Decimal(4) for s in sessions)
    text = format_plan_summary(a)
    assert "一班" in text
    assert "2026-03-02 至 2026-03-06" in text
    assert "课堂教学  3 个半天 / 目标 2.7，12 学时 / 目标 10.7" in text


def test_two_classes_planned_one_after_another_share_nothing(lib):
    """Two-week classes on the same dates (18 half-days each: 6 / 6 / 6) needing the same
    teacher, site and rooms; the second is planned around the first."""
    village = save_site("北湾镇示范村").id
    extra = [
        save_course(CourseInput("基层治理视频课", tt.LECTURE, 3, block="实践")).id,
        save_course(CourseInput("示范村蹲点", tt.FIELD_STUDY, 4, site_id=village)).id,
    ]
    extra.append(save_course(CourseInput("实践研讨", tt.DISCUSSION, 3, follows="实践")).id)
    end = D(2026, 3, 13)
    a, b = new_class("一班", end=end), new_class("二班", end=end)
    for c in (a, b):
        set_class_courses(c, lib["courses"] + extra)
        plan_class_timetable(c)
        assert len(list_sessions(c)) == 20
    for attr in ("teacher_id", "room_id", "site_id"):
        assert keys(a, attr), attr
        assert not keys(a, attr) & keys(b, attr), attr
    assert class_clashes(a) == ()
    assert class_clashes(b) == ()


def test_replanning_keeps_locked_sessions(lib):
    a = new_class("一班")
    set_class_courses(a, lib["courses"])
    plan_class_timetable(a)
    lecture = next(s for s in list_sessions(a) if s.mode == tt.LECTURE)
    set_session_locked(lecture.id, True)
    result = plan_class_timetable(a)
    assert result.kept == 1
    again = {s.id: s for s in list_sessions(a)}
    assert again[lecture.id].day == lecture.day
    assert again[lecture.id].slot == lecture.slot
    assert sum(1 for s in again.values() if s.mode == tt.LECTURE) == 3
    assert len({(s.day, s.slot) for s in again.values()}) == len(again) == 10


def test_impossible_plan_names_the_reason_and_changes_nothing(lib):
    """王教授 is away all week. His course chosen for the class is left out, with a note, and
    its half-days become 自学 (no other lecture in the library); once it is 必修, no plan
    can exist: refused naming him and the rule, and the stored timetable stays as it was."""
    from models.training.tables import Course

    a = new_class("一班")
    set_class_courses(a, lib["courses"])
    plan_class_timetable(a)
    save_teacher(
        TeacherInput(
            "王教授",
            "党校教师",
            unavailable=[MON + dt.timedelta(days=k) for k in range(5)],
            id=lib["wang"],
        )
    )
    result = plan_class_timetable(a)
    assert "未排入《党的创新理论》：教师在本班期间没有空闲的半天" in result.notes
    assert not any(s.teacher_id == lib["wang"] for s in list_sessions(a))
    assert [s.title for s in list_sessions(a) if s.mode == tt.OTHER].count("自学") == 3
    before = [s.id for s in list_sessions(a)]
    Course.update(required=True).where(Course.id == lib["courses"][0]).execute()
    with pytest.raises(tt.PlanningError, match="王教授.*（规则：教师不可用的日子不排课）"):
        plan_class_timetable(a)
    assert [s.id for s in list_sessions(a)] == before


def test_empty_library_is_refused(tdb):
    a = new_class("一班")
    with pytest.raises(tt.PlanningError, match="课程库中还没有课程"):
        plan_class_timetable(a)
    assert list_sessions(a) == []


def test_class_without_courses_is_planned_from_the_library_unless_finished(lib):
    """No course chosen for the class: the planner takes them from the library (here all
    of it: 3 / 2 / 3 half-days for the 8 of a week); the class's own course list stays empty."""
    from models.training import class_courses

    a = new_class("一班")
    result = plan_class_timetable(a)
    assert {s.mode: s.half_days for s in result.shares} == {
        tt.LECTURE: 3,
        tt.FIELD_STUDY: 2,
        tt.DISCUSSION: 3,
    }
    assert result.notes == ()
    assert class_courses(a) == []
    with pytest.raises(DomainError, match="结业请在“考勤与结业”中办理"):
        new_class("二班", status="已结业")  # only finish_class may close a class
    b = new_class("二班")
    set_class_courses(b, lib["courses"])
    TrainingClass.update(status="已结业").where(TrainingClass.id == b).execute()
    with pytest.raises(DomainError, match="已结业"):
        plan_class_timetable(b)


def test_used_course_cannot_be_deleted(lib):
    a = new_class("一班")
    set_class_courses(a, lib["courses"])
    with pytest.raises(DomainError, match="1 个班次"):
        delete_course(lib["courses"][0])


# ---------------------------------------------------------------------------- moves


def test_move_onto_another_class_teacher_is_stored_and_reported(lib):
    a, b = new_class("一班"), new_class("二班")
    # 二班 has one free half-day: 3 lecture + 2 field + 2 discussion = 7 of 8
    short = save_course(CourseInput("短研讨", tt.DISCUSSION, 2, follows="理论")).id
    set_class_courses(a, lib["courses"])
    plan_class_timetable(a)
    set_class_courses(b, [lib["courses"][0], lib["courses"][1], short])
    plan_class_timetable(b)
    # a half-day when 王教授 lectures in 一班
    target = next(s for s in list_sessions(a) if s.teacher_id == lib["wang"])
    mine = next(s for s in list_sessions(b) if s.teacher_id == lib["wang"])
    in_way = next(
        (s for s in list_sessions(b) if (s.day, s.slot) == (target.day, target.slot)), None
    )
    if in_way is not None:
        if in_way.id == mine.id:  # pragma: no cover - the planner keeps them apart
            pytest.fail("double booking after planning")
        with pytest.raises(DomainError, match="交换"):
            move_session(mine.id, target.day, target.slot)
        result = swap_sessions(mine.id, in_way.id)
    else:
        result = move_session(mine.id, target.day, target.slot)
    moved = next(s for s in result.sessions if s.id == mine.id)
    assert (moved.day, moved.slot) == (target.day, target.slot)
    stored = ClassSession.get_by_id(mine.id)
    assert (stored.day, stored.slot) == (target.day, target.slot)
    kinds = {(c.kind, c.day, c.slot) for c in result.clashes}
    assert ("教师冲突", target.day, target.slot) in kinds
    assert any("王教授" in c.message for c in result.clashes)


def test_move_to_a_weekend_is_a_clash_and_bad_slot_is_refused(lib):
    a = new_class("一班")
    set_class_courses(a, lib["courses"])
    plan_class_timetable(a)
    talk = next(s for s in list_sessions(a) if s.mode == tt.DISCUSSION)
    with pytest.raises(DomainError, match="时段"):
        move_session(talk.id, D(2026, 3, 7), "中午")
    result = move_session(talk.id, D(2026, 3, 7), "上午")
    assert [c.kind for c in result.clashes if c.day == D(2026, 3, 7)] == ["非教学时间"]


def test_discussion_swapped_before_its_lecture_is_a_clash(lib):
    a = new_class("一班")
    set_class_courses(a, lib["courses"])
    plan_class_timetable(a)
    sessions = list_sessions(a)
    first_lecture = next(s for s in sessions if s.mode == tt.LECTURE)
    last_talk = [s for s in sessions if s.mode == tt.DISCUSSION][-1]
    result = swap_sessions(first_lecture.id, last_talk.id)
    assert "研讨顺序" in {c.kind for c in result.clashes}
    shares = {s.mode: s.half_days for s in class_shares(a)}
    assert shares == {tt.LECTURE: 3, tt.FIELD_STUDY: 2, tt.DISCUSSION: 3}


def test_class_and_courses_are_saved_together_or_not_at_all(lib):
    from models.core.errors import NotFoundError
    from models.training import class_courses, get_class, save_class_with_courses

    cid = new_class("秋季专题班")
    set_class_courses(cid, lib["courses"][:1])
    before = get_class(cid)
    inp = ClassInput(
        name="秋季专题班（改）",
        level="专题班",
        start=MON,
        end=FRI,
        class_size=40,
        id=cid,
        version=before.version,
    )
    with pytest.raises(NotFoundError, match="找不到编号为 9999 的课程"):
        save_class_with_courses(inp, [lib["courses"][0], 9999])
    assert get_class(cid).name == "秋季专题班"  # the renamed settings were rolled back too
    assert [c.course.id for c in class_courses(cid)] == lib["courses"][:1]
    saved = save_class_with_courses(inp, lib["courses"])
    assert saved.name == "秋季专题班（改）"
    assert [c.course.id for c in class_courses(cid)] == lib["courses"]
