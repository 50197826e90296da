"""Optimistic locking of every training edit: an edit carries the version (or the value) the
screen read; when another clerk changed the record meanwhile it is refused with who, when
and what it holds now, and nothing is stored. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from models.core.audit import set_actor
from models.core.db import is_server
from models.core.errors import ConflictError
from models.training import (
    ClassInput,
    CourseInput,
    TeacherInput,
    delete_course,
    delete_room,
    delete_site,
    delete_teacher,
    enrol,
    finish_class,
    get_class,
    get_course,
    get_teacher,
    list_elective_choices,
    list_rooms,
    list_sessions,
    list_sites,
    list_trainees,
    mark_all_present,
    move_session,
    open_class,
    plan_class_timetable,
    record_attendance,
    save_class,
    save_course,
    save_room,
    save_site,
    save_teacher,
    session_attendance,
    set_class_courses,
    set_elective_capacity,
    set_elective_choices,
    set_role,
    set_session_locked,
    split_groups,
    swap_sessions,
    update_session,
    withdraw,
)
from models.training import electives as el
from models.training import hours as hr
from models.training import planner as tt
from models.training import trainees as trainees_module
from models.training.tables import TRAINING_TABLES, Attendance, ClassSession
from tests.models.training.test_classes import cadre, new_class
from tests.models.training.test_electives import menu  # noqa: F401
from tests.models.training.test_trainees import planned_class

D = dt.date
BY_LI = r"已被 李四 于 \d{2}:\d{2} "  # who and when, as the message says them


@pytest.fixture
def tdb(database, units):
    database.create_tables(TRAINING_TABLES)
    return units


@contextmanager
def as_clerk(name: str = "李四") -> Iterator[None]:
    """Another clerk's edit: recorded under ``name``."""
    set_actor(name)
    try:
        yield
    finally:
        set_actor(None)


# ---------------------------------------------------------------------------- resources


def test_stale_teacher_edit_and_delete_are_refused(tdb):
    t = save_teacher(TeacherInput("王教授", "党校教师", phone="111", unavailable=[D(2026, 3, 3)]))
    assert t.version == 1
    with as_clerk():
        theirs = save_teacher(
            TeacherInput("王教授", "党校教师", phone="222", id=t.id, version=t.version)
        )
    assert theirs.version == 2
    mine = TeacherInput("王教授", "党校教师", phone="333", id=t.id, version=t.version)
    with pytest.raises(ConflictError, match="授课教师“王教授”" + BY_LI + "修改，请刷新后重试"):
        save_teacher(mine)
    stored = get_teacher(t.id)
    assert (stored.phone, stored.unavailable, stored.version) == ("222", (), 2)
    with pytest.raises(ConflictError, match=BY_LI + "修改"):
        delete_teacher(t.id, expected_version=1)
    assert get_teacher(t.id).phone == "222"
    with as_clerk():
        delete_teacher(t.id, expected_version=2)
    with pytest.raises(ConflictError, match="授课教师" + BY_LI + "删除"):
        delete_teacher(t.id, expected_version=2)


def test_stale_room_and_site_are_refused(tdb):
    room = save_room("第一教室", 60)
    site = save_site("会宁红军会师旧址", travel_minutes=150)
    with as_clerk():
        save_room("第一教室", 80, room_id=room.id, expected_version=room.version)
        save_site("会宁红军会师旧址", travel_minutes=120, site_id=site.id, expected_version=1)
    with pytest.raises(ConflictError, match="教室“第一教室”" + BY_LI + "修改"):
        save_room("第一教室", 40, room_id=room.id, expected_version=room.version)
    with pytest.raises(ConflictError, match="现场教学点“会宁红军会师旧址”" + BY_LI + "修改"):
        save_site("会宁红军会师旧址", travel_minutes=90, site_id=site.id, expected_version=1)
    with pytest.raises(ConflictError, match=BY_LI):
        delete_room(room.id, expected_version=room.version)
    with pytest.raises(ConflictError, match=BY_LI):
        delete_site(site.id, expected_version=1)
    assert [(r.capacity, r.version) for r in list_rooms()] == [(80, 2)]
    assert [(s.travel_minutes, s.version) for s in list_sites()] == [(120, 2)]
    # unchecked (an import, an old caller) still works, and moves the version on
    assert save_room("第一教室", 70, room_id=room.id).version == 3


def test_stale_course_edit_and_delete_are_refused(tdb):
    c = save_course(CourseInput("党的创新理论", tt.LECTURE, 2))
    with as_clerk():
        save_course(CourseInput("党的创新理论", tt.LECTURE, 3, id=c.id, version=c.version))
    with pytest.raises(ConflictError, match="课程《党的创新理论》" + BY_LI + "修改"):
        save_course(CourseInput("党的创新理论（新）", tt.LECTURE, 1, id=c.id, version=c.version))
    with pytest.raises(ConflictError, match=BY_LI):
        delete_course(c.id, expected_version=c.version)
    stored = get_course(c.id)
    assert (stored.title, stored.half_days, stored.version) == ("党的创新理论", 3, 2)


# ---------------------------------------------------------------------------- classes


def test_stale_class_edits_are_refused(tdb):
    course = save_course(CourseInput("讲座", tt.LECTURE, 1)).id
    cls = get_class(new_class("一班"))
    values = {"name": "一班", "level": "专题班", "start": D(2026, 3, 2), "end": D(2026, 3, 6)}
    with as_clerk():
        save_class(ClassInput(**values, head_teacher="陈老师", id=cls.id, version=cls.version))
    mine = ClassInput(**values, head_teacher="王老师", id=cls.id, version=cls.version)
    with pytest.raises(ConflictError, match="班次《一班》" + BY_LI + "修改，请刷新后重试"):
        save_class(mine)
    with pytest.raises(ConflictError, match="班次《一班》" + BY_LI + "修改（现为“筹备”）"):
        open_class(cls.id, today=D(2026, 3, 2), expected_version=cls.version)
    with pytest.raises(ConflictError, match=BY_LI):
        set_class_courses(cls.id, [course], expected_version=cls.version)
    stored = get_class(cls.id)
    assert (stored.head_teacher, stored.status, stored.version) == ("陈老师", "筹备", 2)
    assert open_class(cls.id, today=D(2026, 3, 2), expected_version=2).version == 3


def test_stale_finish_is_refused(tdb):
    a = cadre(tdb, "张一")
    cls, _ = planned_class(tdb, [a])
    for s in list_sessions(cls):
        record_attendance(s.id, {a: hr.PRESENT})
    shown = get_class(cls).version
    with as_clerk():
        open_class(cls, today=D(2026, 3, 2))
    with pytest.raises(ConflictError, match="班次《短训班》" + BY_LI + "修改（现为“进行中”）"):
        finish_class(cls, today=D(2026, 3, 4), expected_version=shown)
    assert get_class(cls).status == "进行中"
    assert finish_class(cls, today=D(2026, 3, 4), expected_version=shown + 1).entries == 1
    assert get_class(cls).status == "已结业"


# ---------------------------------------------------------------------------- sessions


@pytest.fixture
def planned(tdb):
    people = [cadre(tdb, "张一"), cadre(tdb, "李二")]
    cls, _ = planned_class(tdb, people)
    return cls, people


def test_stale_session_edits_are_refused(planned):
    cls, _ = planned
    first, second = list_sessions(cls)[1:3]
    with as_clerk():
        update_session(first.id, title="改过的讲座", expected_version=first.version)
    where = "课表时段《改过的讲座》" + BY_LI + "修改（现为“2026-03-02 下午《改过的讲座》"
    with pytest.raises(ConflictError, match=where):
        update_session(first.id, title="我的讲座", expected_version=first.version)
    with pytest.raises(ConflictError, match=BY_LI):
        set_session_locked(first.id, True, expected_version=first.version)
    with pytest.raises(ConflictError, match=BY_LI):
        move_session(first.id, D(2026, 3, 4), tt.EVENING, expected_version=first.version)
    with pytest.raises(ConflictError, match=BY_LI):
        swap_sessions(first.id, second.id, expected_versions=(first.version, second.version))
    after = {s.id: s for s in list_sessions(cls)}
    assert (after[first.id].title, after[first.id].locked) == ("改过的讲座", False)
    assert (after[first.id].day, after[first.id].slot) == (first.day, first.slot)
    assert (after[second.id].day, after[second.id].slot) == (second.day, second.slot)
    assert after[first.id].version == first.version + 1
    # with the version now shown, the same edits go through, each moving it on
    locked = set_session_locked(first.id, True, expected_version=after[first.id].version)
    assert (locked.locked, locked.version) == (True, first.version + 2)


def test_a_session_removed_meanwhile_is_a_conflict(planned):
    cls, _ = planned
    s = list_sessions(cls)[1]
    ClassSession.delete().where(ClassSession.id == s.id).execute()
    with pytest.raises(ConflictError, match="已被他人删除，请刷新后重试"):
        update_session(s.id, title="x", expected_version=s.version)


# ---------------------------------------------------------------------------- attendance


def test_stale_attendance_is_refused_naming_trainee_and_session(planned):
    cls, (zhang, li) = planned
    s = list_sessions(cls)[0]
    shown = {r.cadre_id: r.version for r in session_attendance(s.id)}
    assert shown == {zhang: 0, li: 0}
    with as_clerk():
        record_attendance(s.id, {zhang: hr.LEAVE}, expected_versions={zhang: 0})
    text = "学员“张一”在 2026-03-02 上午《开班式》的考勤" + BY_LI + "修改（现为“请假”）"
    with pytest.raises(ConflictError, match=text):
        record_attendance(s.id, {zhang: hr.PRESENT, li: hr.PRESENT}, expected_versions=shown)
    rows = {r.cadre_id: r for r in session_attendance(s.id)}
    assert (rows[zhang].status, rows[zhang].version) == (hr.LEAVE, 1)
    assert rows[li].status == hr.UNRECORDED  # nothing of the refused edit was stored
    # a record changed meanwhile (not only one entered meanwhile) is refused too
    with as_clerk():
        record_attendance(s.id, {zhang: hr.LATE}, expected_versions={zhang: 1})
    with pytest.raises(ConflictError, match="（现为“迟到”）"):
        record_attendance(s.id, {zhang: hr.ABSENT}, expected_versions={zhang: 1})
    assert {r.cadre_id: r.status for r in session_attendance(s.id)}[zhang] == hr.LATE


def test_mark_all_present_refuses_a_row_recorded_meanwhile(planned):
    cls, (zhang, li) = planned
    s = list_sessions(cls)[0]
    shown = {r.cadre_id: r.version for r in session_attendance(s.id)}
    with as_clerk():
        record_attendance(s.id, {li: hr.LEAVE})
    with pytest.raises(ConflictError, match="学员“李二”.*" + BY_LI + "修改（现为“请假”）"):
        mark_all_present(s.id, expected_versions=shown)
    assert {r.cadre_id: r.status for r in session_attendance(s.id)} == {
        zhang: hr.UNRECORDED,
        li: hr.LEAVE,
    }
    again = {r.cadre_id: r.version for r in session_attendance(s.id)}
    assert mark_all_present(s.id, expected_versions=again) == 1
    assert {r.cadre_id: r.status for r in session_attendance(s.id)}[zhang] == hr.PRESENT


def test_attendance_of_a_trainee_withdrawn_meanwhile(planned):
    cls, (zhang, li) = planned
    s = list_sessions(cls)[0]
    shown = {r.cadre_id: r.version for r in session_attendance(s.id)}
    with as_clerk():
        withdraw(cls, li)
    with pytest.raises(ConflictError, match="班次《短训班》的学员“李二”" + BY_LI + "删除"):
        mark_all_present(s.id, expected_versions=shown)
    assert {r.cadre_id: r.status for r in session_attendance(s.id)} == {zhang: hr.UNRECORDED}


# ---------------------------------------------------------------------------- enrolment


def test_enrolling_someone_enrolled_meanwhile_is_a_conflict(tdb):
    a, b = cadre(tdb, "张一"), cadre(tdb, "李二")
    cls = new_class("一班")
    shown = [t.cadre_id for t in list_trainees(cls)]  # nobody yet
    with as_clerk():
        enrol(cls, cadre_ids=[a])
    with pytest.raises(
        ConflictError, match="干部“张一”" + BY_LI + "报名到班次《一班》，请刷新后重试"
    ):
        enrol(cls, cadre_ids=[a, b], expected_trainees=shown)
    assert [t.name for t in list_trainees(cls)] == ["张一"]  # 李二 was not added either
    # with the list as it is now, 张一 is simply refused as already in the class
    result = enrol(cls, cadre_ids=[a, b], expected_trainees=[a])
    assert [t.name for t in result.added] == ["李二"]


def test_stale_withdraw_and_role_are_refused(tdb):
    a, b = cadre(tdb, "张一"), cadre(tdb, "李二")
    cls = new_class("一班")
    enrol(cls, cadre_ids=[a, b])
    shown = {t.cadre_id: t.version for t in list_trainees(cls)}
    with as_clerk():
        set_role(cls, a, "组长", expected_version=shown[a])
    who = "班次《一班》的学员“张一”" + BY_LI + "修改（现为“组长，未分组”）"
    with pytest.raises(ConflictError, match=who):
        withdraw(cls, a, expected_version=shown[a])
    with pytest.raises(ConflictError, match=who):
        set_role(cls, a, "班长", expected_version=shown[a])
    assert {t.cadre_id: t.role for t in list_trainees(cls)} == {a: "组长", b: "学员"}
    with as_clerk():
        withdraw(cls, b, expected_version=shown[b])
    with pytest.raises(ConflictError, match="学员“李二”" + BY_LI + "删除，请刷新后重试"):
        set_role(cls, b, "班长", expected_version=shown[b])
    # a new 班长 steps the old one down, and moves their version on too
    set_role(cls, a, "班长", expected_version=shown[a] + 1)
    c = cadre(tdb, "王三")
    enrol(cls, cadre_ids=[c])
    set_role(cls, c, "班长")
    roles = {t.cadre_id: (t.role, t.version) for t in list_trainees(cls)}
    assert roles[a] == ("学员", shown[a] + 3)
    assert roles[c][0] == "班长"


def test_stale_groups_are_refused(tdb):
    ids = [cadre(tdb, f"学员{k}") for k in range(4)]
    cls = new_class("一班")
    enrol(cls, cadre_ids=ids)
    shown = {t.cadre_id: t.version for t in list_trainees(cls)}
    with as_clerk():
        split_groups(cls, 2, expected_versions=shown)
    with pytest.raises(ConflictError, match=BY_LI + r"修改（现为“学员，第\d组"):
        split_groups(cls, 1, expected_versions=shown)
    assert sorted({t.group_no for t in list_trainees(cls)}) == [1, 2]


# ---------------------------------------------------------------------------- electives


def test_stale_wishes_and_places_are_refused(menu):  # noqa: F811
    cls, p, e1, e2 = menu["cls"], menu["people"]["P"], menu["e1"], menu["e2"]
    shown = {t.cadre_id: t for t in list_elective_choices(cls)}[p]
    with as_clerk():
        set_elective_choices(cls, p, [e2], expected_version=shown.version)
    text = "学员“P”的选学志愿" + BY_LI + "修改（现为“《公文写作》”）"
    with pytest.raises(ConflictError, match=text):
        set_elective_choices(cls, p, [e1, e2], expected_version=shown.version)
    now = {t.cadre_id: t for t in list_elective_choices(cls)}[p]
    assert [w.title for w in now.wishes] == ["公文写作"]
    assert now.version == shown.version + 1
    with as_clerk():
        set_elective_capacity(cls, e1, 20, expected_capacity=1)
    text = "选学课程《数字政府》的名额" + BY_LI + "修改（现为“20”）"
    with pytest.raises(ConflictError, match=text):
        set_elective_capacity(cls, e1, 3, expected_capacity=1)
    assert {o.course_id: o.capacity for o in el.elective_options(cls)}[e1] == 20


# ---------------------------------------------------------------------------- two clients


def _need_a_server() -> None:
    """On SQLite a second writer waits for the first one's lock instead of racing it."""
    if not is_server():
        pytest.skip("two clients racing for one row need a server")


def _other_client(request: pytest.FixtureRequest, sql: str, params: tuple[object, ...]) -> None:
    """Another client's write, committed on its own connection."""
    import psycopg  # lazy: only the PostgreSQL half has the driver for a second client

    with psycopg.connect(request.getfixturevalue("pg_url"), autocommit=True) as other:
        other.execute(sql, params)


def test_one_trainee_enrolled_by_two_clients_at_once(tdb, monkeypatch, request):
    _need_a_server()
    a = cadre(tdb, "张一")
    cls = new_class("一班")
    real = trainees_module.bulk_insert

    def racing(model: object, rows: list[dict[str, object]]) -> int:
        # after this client read the class's trainees, before its insert
        _other_client(
            request,
            "INSERT INTO enrolment (training_class_id, cadre_id, group_no, role, is_convener,"
            " enrolled_at, version) VALUES (%s, %s, 0, '学员', false, now(), 1)",
            (cls, a),
        )
        return real(model, rows)

    monkeypatch.setattr(trainees_module, "bulk_insert", racing)
    with pytest.raises(ConflictError, match="干部“张一”已被他人报名到班次《一班》，请刷新后重试"):
        enrol(cls, cadre_ids=[a])
    assert [t.name for t in list_trainees(cls)] == ["张一"]  # the other client's row


def test_one_attendance_entered_by_two_clients_at_once(planned, monkeypatch, request):
    _need_a_server()
    cls, (zhang, _li) = planned
    s = list_sessions(cls)[0]
    real = Attendance.insert

    def racing(*args: object, **kwargs: object) -> object:
        _other_client(
            request,
            "INSERT INTO attendance (session_id, cadre_id, status, note, version)"
            " VALUES (%s, %s, '请假', '', 1)",
            (s.id, zhang),
        )
        return real(*args, **kwargs)

    monkeypatch.setattr(Attendance, "insert", racing)
    with pytest.raises(ConflictError, match="学员“张一”在 .*的考勤已被他人修改（现为“请假”）"):
        record_attendance(s.id, {zhang: hr.PRESENT}, expected_versions={zhang: 0})
    monkeypatch.undo()
    assert {r.cadre_id: r.status for r in session_attendance(s.id)}[zhang] == hr.LEAVE


def test_a_session_locked_by_another_client_while_planning(planned, monkeypatch, request):
    _need_a_server()
    cls, _ = planned
    before = {s.id for s in list_sessions(cls)}
    target = list_sessions(cls)[1]  # unlocked, no attendance: planning would replace it
    real = tt.plan_class

    def racing(*args: object, **kwargs: object) -> object:
        # after the planner read the class's sessions, before it replaces the unlocked ones
        _other_client(
            request,
            "UPDATE class_session SET locked = true, version = version + 1 WHERE id = %s",
            (target.id,),
        )
        return real(*args, **kwargs)

    monkeypatch.setattr(tt, "plan_class", racing)
    with pytest.raises(ConflictError, match="课表时段 .*《讲座》已被他人修改，请刷新后重试"):
        plan_class_timetable(cls)
    monkeypatch.undo()
    after = {s.id: s for s in list_sessions(cls)}
    assert after[target.id].locked  # kept, with the lock the other client set
    assert set(after) == before  # nothing of the refused plan was stored


def test_a_ledger_line_deleted_meanwhile_says_who_and_when(tdb):
    """学时 lines are only added and deleted: deleting one another clerk deleted already is a
    conflict naming them, never "找不到编号为 N"."""
    from decimal import Decimal

    from models.core.audit import ChangeLog
    from models.training import add_hours_entry, delete_hours_entry, list_hours

    zhang = cadre(tdb, "张三")
    line = add_hours_entry(zhang, dt.date(2026, 5, 1), hr.OUTSIDE_TRAINING, 40, "省委党校专题班")
    with as_clerk("李四"):
        delete_hours_entry(line.id, reason="重复录入")
    at = ChangeLog.select().order_by(ChangeLog.id.desc()).first().at
    with pytest.raises(ConflictError) as refused:
        delete_hours_entry(line.id)  # this clerk's screen still showed the line
    assert str(refused.value) == f"这条学时记录已被 李四 于 {at:%H:%M} 删除，请刷新后重试"
    assert list_hours(zhang) == []
    assert Decimal(40) == line.hours
