"""A class's lifecycle guards the 学时 ledger: 开班 and 结业 on the right dates, 结业 once,
attendance read-only after 结业 except by an explicit 更正, 重新开班 that takes the credits
back. Every refusal is read back from the database: the class, its attendance and the
ledger are as they were."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from models.core.audit import ChangeLog, history, set_actor
from models.core.errors import ConflictError, DomainError
from models.training import (
    class_credits,
    class_lifecycle,
    correct_attendance,
    delete_hours_entry,
    enrol,
    finish_class,
    get_class,
    list_sessions,
    mark_all_present,
    open_class,
    record_attendance,
    reopen_class,
    session_attendance,
    set_class_status,
)
from models.training import hours as hr
from models.training.tables import TRAINING_TABLES, Attendance, HoursEntry, TrainingClass
from tests.models.training.test_classes import cadre
from tests.models.training.test_trainees import planned_class

D = dt.date
START, END = D(2026, 3, 2), D(2026, 3, 4)  # planned_class: Mon-Wed, 6 half-days of 4 学时
CLOSED_AT = r"已于 2026年3月4日 \d{2}:\d{2} 由 班主任 结业"


@pytest.fixture
def tdb(database, units):
    database.create_tables(TRAINING_TABLES)
    return units


def state() -> tuple[object, ...]:
    """Everything a refusal must leave alone: the classes, attendance and the ledger."""
    classes = [
        (c.id, c.status, c.version, c.opened_at, c.opened_by, c.closed_at, c.closed_by)
        + (c.close_reason,)
        for c in TrainingClass.select().order_by(TrainingClass.id)
    ]
    marks = [
        (a.id, a.session_id, a.cadre_id, a.status, a.note, a.version)
        for a in Attendance.select().order_by(Attendance.id)
    ]
    ledger = [
        (e.id, e.cadre_id, e.year, e.day, e.kind, e.hours, e.source_class_id)
        for e in HoursEntry.select().order_by(HoursEntry.id)
    ]
    return classes, marks, ledger


def class_hours(cadre_id: int) -> Decimal:
    """The trainee's 班次培训 学时 in the ledger."""
    rows = HoursEntry.select().where(
        (HoursEntry.cadre == cadre_id) & (HoursEntry.kind == hr.CLASS_TRAINING)
    )
    return sum((e.hours for e in rows), Decimal(0))


def refused(match: str, call, *args, error=DomainError, **kw) -> str:  # noqa: ANN001
    """Call a use case that must be refused with ``match``; the database is unchanged."""
    before = state()
    with pytest.raises(error, match=match) as caught:
        call(*args, **kw)
    assert state() == before
    return str(caught.value)


@pytest.fixture
def recorded(tdb):
    """The Mon-Wed class, all attendance recorded: 全勤 present throughout (24 学时), 旷课
    absent on the second half-day (20 学时)."""
    full, truant = cadre(tdb, "全勤"), cadre(tdb, "旷课")
    cls, _ = planned_class(tdb, [full, truant])
    sessions = list_sessions(cls)
    for k, s in enumerate(sessions):
        record_attendance(s.id, {full: hr.PRESENT, truant: hr.ABSENT if k == 1 else hr.PRESENT})
    return cls, sessions, full, truant


@pytest.fixture
def closed(recorded):
    cls, sessions, full, truant = recorded
    open_class(cls, today=START, user="班主任")
    finish_class(cls, today=END, user="班主任")
    return recorded


# ---------------------------------------------------------------------------- 开班


def test_opening_before_the_start_date_is_refused(tdb):
    cls, _ = planned_class(tdb, [cadre(tdb, "张一")])
    text = refused("不能提前开班", open_class, cls, today=D(2026, 2, 27))
    assert text == "班次《短训班》的开班日期为 2026-03-02，今天是 2026-02-27，不能提前开班"
    assert get_class(cls).status == "筹备"


def test_opening_on_the_start_date_keeps_who_and_when(tdb):
    cls, _ = planned_class(tdb, [cadre(tdb, "张一")])
    opened = open_class(cls, today=START, user="班主任")
    assert opened.status == "进行中"
    life = class_lifecycle(cls)
    assert life.opened_at is not None
    assert life.opened_at.date() == START
    assert life.opened_by == "班主任"
    assert life.closed_text == ""
    log = [h for h in history("training_class", cls) if h.action == "开班"]
    assert [(h.old_value, h.new_value, h.user) for h in log] == [("筹备", "进行中", "班主任")]
    # a second 开班 says when and by whom it was opened
    refused(
        r"已于 2026年3月2日 \d{2}:\d{2} 由 班主任 开班，不能重复开班", open_class, cls, today=END
    )


def test_the_logged_in_account_is_who_opened(tdb):
    cls, _ = planned_class(tdb, [cadre(tdb, "张一")])
    set_actor("wanghong")
    try:
        open_class(cls, today=START, user="班主任")
    finally:
        set_actor(None)
    assert class_lifecycle(cls).opened_by == "wanghong"


# ---------------------------------------------------------------------------- 结业


def test_closing_a_class_not_yet_opened_is_refused(recorded):
    cls = recorded[0]
    refused("尚未开班，请先开班再结业", finish_class, cls, today=END)


def test_closing_before_the_end_date_needs_a_reason(recorded):
    cls, _sessions, full, _truant = recorded
    open_class(cls, today=START)
    text = refused("提前结业须写明原因", finish_class, cls, today=D(2026, 3, 3))
    assert text == "班次《短训班》的结业日期为 2026-03-04，今天是 2026-03-03，提前结业须写明原因"
    refused("提前结业须写明原因", finish_class, cls, today=D(2026, 3, 3), reason="   ")
    assert HoursEntry.select().count() == 0
    assert get_class(cls).status == "进行中"

    result = finish_class(cls, today=D(2026, 3, 3), reason="疫情防控，提前结束", user="班主任")
    # the two half-days of 03-04 did not take place: 4 half-days of 4 学时 are credited,
    # whatever was marked for 03-04 (16 for 全勤, 12 for 旷课 who missed one)
    assert result.entries == 2
    assert result.total_hours == Decimal(28)
    life = class_lifecycle(cls)
    assert (life.status, life.close_reason, life.closed_by) == (
        "已结业",
        "疫情防控，提前结束",
        "班主任",
    )
    assert life.closed_at is not None
    assert life.closed_at.date() == D(2026, 3, 3)
    log = next(h for h in history("training_class", cls) if h.field == "结业原因")
    assert (log.action, log.new_value, log.reason) == (
        "结业",
        "疫情防控，提前结束",
        "疫情防控，提前结束",
    )
    assert (class_hours(full), class_hours(_truant)) == (Decimal(16), Decimal(12))
    assert {r.cadre_id: r.credited_hours for r in class_credits(cls)} == {
        full: Decimal(16),
        _truant: Decimal(12),
    }
    after = next(s for s in _sessions if s.day == END)
    refused(
        "在提前结业（2026-03-03）之后，没有举行，不计学时，不能更正",
        correct_attendance,
        after.id,
        full,
        hr.LEAVE,
        "补假条",
    )


def test_closing_on_or_after_the_end_date_needs_no_reason(recorded):
    cls, _sessions, full, truant = recorded
    open_class(cls, today=START)
    result = finish_class(cls, today=D(2026, 3, 9), user="班主任")
    assert (result.entries, result.total_hours) == (2, Decimal(44))
    assert (class_hours(full), class_hours(truant)) == (Decimal(24), Decimal(20))
    lines = list(HoursEntry.select())
    assert {(e.kind, e.source_class_id, e.day, e.year) for e in lines} == {
        (hr.CLASS_TRAINING, cls, END, 2026)
    }
    assert class_lifecycle(cls).close_reason == ""


def test_closing_twice_is_refused_and_the_ledger_stays(closed):
    cls = closed[0]
    text = refused(CLOSED_AT + "，不能重复结业", finish_class, cls, today=END)
    assert text.startswith("班次《短训班》已于 2026年3月4日 ")
    refused("不能重复结业", finish_class, cls, today=END, reason="再结一次", allow_incomplete=True)
    assert class_lifecycle(cls).closed_text.startswith("已于 2026年3月4日 ")
    refused(CLOSED_AT + "；如需重新开班", open_class, cls, today=END)
    refused("已结业；如需重新开班", set_class_status, cls, "进行中")


def test_a_class_closed_before_v10_says_when_from_the_change_log(closed):
    cls = closed[0]
    TrainingClass.update(closed_at=None, closed_by="").where(TrainingClass.id == cls).execute()
    logged = r"已于 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} 由 班主任 结业"  # when it was logged
    refused(logged + "，不能重复结业", finish_class, cls, today=END)
    ChangeLog.delete().where(ChangeLog.action == "结业").execute()
    refused("班次《短训班》已结业，不能重复结业", finish_class, cls, today=END)


# ---------------------------------------------------------------------------- after 结业


def test_attendance_is_read_only_after_closing(closed):
    cls, sessions, full, truant = closed
    message = "班次《短训班》" + CLOSED_AT + "，考勤不能再修改；如需更正"
    refused(message, record_attendance, sessions[1].id, {truant: hr.PRESENT}, reason="补登")
    refused(message, record_attendance, sessions[0].id, {full: hr.PRESENT})  # same status
    refused(message, mark_all_present, sessions[0].id)  # nobody left to mark: refused all the same
    refused(message, mark_all_present, sessions[0].id, expected_versions={full: 1, truant: 1})
    # the ledger's own entry point: a class's line is not deleted by hand
    line = HoursEntry.get(HoursEntry.cadre == truant)
    refused("来自班次结业", delete_hours_entry, line.id, reason="多记了")
    assert (class_hours(full), class_hours(truant)) == (Decimal(24), Decimal(20))


def test_a_correction_rewrites_the_trainees_ledger_lines_and_logs_the_reason(closed):
    cls, sessions, full, truant = closed
    before_full = [e.id for e in HoursEntry.select().where(HoursEntry.cadre == full)]
    result = correct_attendance(sessions[1].id, truant, hr.PRESENT, "补交假条后核实为出勤")
    assert result.old_status == hr.ABSENT
    assert (result.hours_before, result.hours_after) == (Decimal(20), Decimal(24))
    assert result.row.status == hr.PRESENT
    assert result.row.version == 2
    assert {r.cadre_id: r.status for r in session_attendance(sessions[1].id)}[truant] == hr.PRESENT
    assert class_hours(truant) == Decimal(24)
    # the other trainee's line is untouched
    assert [e.id for e in HoursEntry.select().where(HoursEntry.cadre == full)] == before_full
    assert class_hours(full) == Decimal(24)
    assert get_class(cls).status == "已结业"
    mark = Attendance.get((Attendance.session == sessions[1].id) & (Attendance.cadre == truant))
    log = [h for h in history("attendance", mark.id) if h.action == "更正"]
    assert [(h.field, h.old_value, h.new_value, h.reason) for h in log] == [
        ("status", hr.ABSENT, hr.PRESENT, "补交假条后核实为出勤")
    ]
    ledger_log = ChangeLog.select().where(ChangeLog.entity == "hours_entry")
    why = {r.reason for r in ledger_log if r.action in ("删除", "新增") and "更正" in r.reason}
    assert why == {
        "更正学员“旷课”在 班次《短训班》2026-03-02 下午《讲座》的考勤：补交假条后核实为出勤"
    }


def test_a_correction_that_keeps_the_hours_leaves_the_ledger_alone(closed):
    _cls, sessions, _full, truant = closed
    lines = state()[2]
    result = correct_attendance(sessions[0].id, truant, hr.LATE, "签到表核对")  # 迟到 keeps 学时
    assert (result.hours_before, result.hours_after) == (Decimal(20), Decimal(20))
    assert state()[2] == lines


def test_a_correction_of_an_unrecorded_half_day(recorded):
    cls, sessions, full, truant = recorded
    Attendance.delete().where(
        (Attendance.session == sessions[2].id) & (Attendance.cadre == full)
    ).execute()
    open_class(cls, today=START)
    finish_class(cls, today=END, allow_incomplete=True)
    assert class_hours(full) == Decimal(20)
    result = correct_attendance(sessions[2].id, full, hr.PRESENT, "补登", expected_version=0)
    assert (result.old_status, result.hours_after) == (hr.UNRECORDED, Decimal(24))
    assert class_hours(full) == Decimal(24)


def test_corrections_that_are_refused_change_nothing(tdb, recorded):
    cls, sessions, full, truant = recorded
    open_class(cls, today=START)
    s = sessions[1].id
    refused("尚未结业，考勤直接登记即可", correct_attendance, s, truant, hr.PRESENT, "补登")
    finish_class(cls, today=END)
    refused("须写明原因", correct_attendance, s, truant, hr.PRESENT, "  ")
    refused("已是“旷课”，不需要更正", correct_attendance, s, truant, hr.ABSENT, "核对")
    refused("考勤状态“病假”无效", correct_attendance, s, truant, "病假", "核对")
    outsider = cadre(tdb, "外人")
    refused("不是本班学员", correct_attendance, s, outsider, hr.PRESENT, "核对")
    text = refused("更正学员“旷课”在 班次《短训班》2026-03-02 下午《讲座》的考勤须写明原因",
                   correct_attendance, s, truant, hr.PRESENT, "")  # fmt: skip
    assert "须写明原因" in text


def test_a_correction_over_a_change_made_meanwhile_is_a_conflict(closed):
    _cls, sessions, _full, truant = closed
    shown = {r.cadre_id: r.version for r in session_attendance(sessions[1].id)}[truant]
    set_actor("李四")
    try:
        correct_attendance(sessions[1].id, truant, hr.LEAVE, "补假条", expected_version=shown)
    finally:
        set_actor(None)
    refused(
        r"已被 李四 于 \d{2}:\d{2} 修改（现为“请假”）",
        correct_attendance,
        sessions[1].id,
        truant,
        hr.PRESENT,
        "核实",
        expected_version=shown,
        error=ConflictError,
    )
    assert class_hours(truant) == Decimal(20)  # 请假 earns nothing either


# ---------------------------------------------------------------------------- 重新开班


def test_reopening_needs_a_reason_and_takes_the_credits_back(closed):
    cls, sessions, full, truant = closed
    refused("重新开班须写明原因", reopen_class, cls, "")
    shown = get_class(cls).version
    result = reopen_class(cls, "结业后发现课表学时有误", user="班主任", expected_version=shown)
    assert (result.entries, result.total_hours) == (2, Decimal(44))
    assert HoursEntry.select().count() == 0
    life = class_lifecycle(cls)
    assert (life.status, life.closed_at, life.closed_by, life.close_reason) == (
        "进行中",
        None,
        "",
        "",
    )
    log = next(h for h in history("training_class", cls) if h.action == "重新开班")
    assert (log.old_value, log.new_value, log.reason) == (
        "已结业",
        "进行中",
        "结业后发现课表学时有误",
    )
    deleted = ChangeLog.select().where(
        (ChangeLog.entity == "hours_entry") & (ChangeLog.action == "删除")
    )
    assert {r.reason for r in deleted} == {"班次《短训班》重新开班：结业后发现课表学时有误"}
    # attendance can be entered again, and the next 结业 writes the lines once more
    record_attendance(sessions[1].id, {truant: hr.PRESENT}, reason="补登")
    again = finish_class(cls, today=END)
    assert (again.entries, again.total_hours) == (2, Decimal(48))
    assert (class_hours(full), class_hours(truant)) == (Decimal(24), Decimal(24))


def test_reopening_a_class_that_is_not_closed_is_refused(recorded):
    cls = recorded[0]
    refused("尚未结业（现为“筹备”），不需要重新开班", reopen_class, cls, "原因")
    open_class(cls, today=START)
    refused("尚未结业（现为“进行中”）", reopen_class, cls, "原因")


def test_stale_reopen_and_finish_are_conflicts(closed):
    cls = closed[0]
    shown = get_class(cls).version
    set_actor("李四")
    try:
        reopen_class(cls, "补录考勤")
    finally:
        set_actor(None)
    refused(r"已被 李四 于 \d{2}:\d{2} 修改（现为“进行中”）", reopen_class, cls, "再开",
            expected_version=shown, error=ConflictError)  # fmt: skip
    now = get_class(cls).version
    set_actor("李四")
    try:
        finish_class(cls, today=END)
    finally:
        set_actor(None)
    refused(r"已被 李四 于 \d{2}:\d{2} 修改（现为“已结业”）", finish_class, cls, today=END,
            expected_version=now, error=ConflictError)  # fmt: skip


# ---------------------------------------------------------------------------- set_class_status


def test_set_class_status_only_takes_an_unused_class_back_to_planning(tdb):
    a = cadre(tdb, "张一")
    cls, first = planned_class(tdb, [a])
    refused("请用“开班”操作开班", set_class_status, cls, "进行中")
    refused("请用“结业”操作结束", set_class_status, cls, "已结业")
    refused("已是“筹备”", set_class_status, cls, "筹备")
    open_class(cls, today=START)
    back = set_class_status(cls, "筹备")
    assert back.status == "筹备"
    assert class_lifecycle(cls).opened_at is None
    open_class(cls, today=START)
    record_attendance(first, {a: hr.PRESENT})
    refused("已登记考勤，不能退回筹备", set_class_status, cls, "筹备")


def test_enrolling_after_closing_is_refused(closed):
    cls = closed[0]
    refused("已结业，不能再报名", enrol, cls, cadre_ids=[closed[2]])


# ---------------------------------------------------------------------------- saving the class


def _as_input(cls: int, **changes: object):  # noqa: ANN202
    import dataclasses

    from models.training import ClassInput

    values = {k: v for k, v in dataclasses.asdict(get_class(cls)).items() if k != "enrolled"}
    values.update(changes)
    return ClassInput(**values)


def test_saving_a_class_cannot_open_close_or_change_a_closed_one(tdb, closed):
    from models.core.errors import ValidationError
    from models.training import save_class

    cls = closed[0]
    # a closed class is not edited (nor re-opened by saving it as 进行中): 重新开班 first
    for changes in ({"status": "进行中"}, {"name": "改名班"}, {"end": D(2026, 3, 20)}):
        text = refused(
            "已结业，不能再修改", save_class, _as_input(cls, **changes), error=ValidationError
        )
        assert "重新开班" in text
    # once re-opened (with its reason) it is edited again, but its status only changes
    # through 开班 / 结业 / 重新开班, with their date checks and reasons
    reopen_class(cls, "补录考勤", user="班主任")
    assert get_class(cls).status == "进行中"
    assert save_class(_as_input(cls, name="改名班")).name == "改名班"
    for status in ("筹备", "已结业"):
        refused("请", save_class, _as_input(cls, status=status), error=ValidationError)
    text = refused(
        "开班、结业、重新开班请用", save_class, _as_input(cls, status="筹备"), error=ValidationError
    )
    assert "状态" in text


def test_attendance_of_a_half_day_still_to_come_is_only_leave(tdb):
    from models.training import plan_class_timetable, save_class

    a, b = cadre(tdb, "甲"), cadre(tdb, "乙")
    cls, _first = planned_class(tdb, [a, b])
    soon = dt.date.today() + dt.timedelta(days=14)
    monday = soon - dt.timedelta(days=soon.weekday())
    save_class(_as_input(cls, start=monday, end=monday + dt.timedelta(days=2)))
    plan_class_timetable(cls)
    s = list_sessions(cls)[0]
    assert s.day > dt.date.today()
    text = refused("只能提前登记请假", record_attendance, s.id, {a: hr.PRESENT, b: hr.LEAVE})
    assert text.startswith(f"{s.day.isoformat()} 上午《开班式》还没到")
    refused("不能登记全部出勤", mark_all_present, s.id)
    record_attendance(s.id, {b: hr.LEAVE})  # a leave handed in ahead is kept
    assert {r.cadre_id: r.status for r in session_attendance(s.id)}[b] == hr.LEAVE
