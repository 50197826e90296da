"""Every training screen when another clerk changed what it shows meanwhile: the edit is
refused, the screen says who changed it, when and what it is now (ui.messages.conflict),
and shows what is stored now."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from models.core.audit import set_actor
from models.training import (
    ClassDTO,
    ClassInput,
    enrol,
    get_class,
    get_session,
    list_elective_choices,
    list_rooms,
    list_sessions,
    list_trainees,
    record_attendance,
    save_class,
    save_room,
    session_attendance,
    set_elective_capacity,
    set_elective_choices,
    set_role,
    update_session,
)
from models.training import hours as hr
from tests.ui.training import support as training_support
from tests.ui.training.support import TODAY
from tests.ui.training.test_electives_view import menu  # noqa: F401
from ui import messages
from ui.training.attendance_view import AttendanceView
from ui.training.class_dialog import ClassDialog
from ui.training.classes_view import TrainingView
from ui.training.electives_view import ChoicesDialog, ElectivesView
from ui.training.resources_view import FormDialog, ResourcesView
from ui.training.timetable_view import SessionDialog, SessionEdit, TimetableView
from ui.training.trainees_view import TraineesView

# the shared demo-database fixtures (tests/ui/training/support.py)
demo_template = training_support.demo_template
demo_db = training_support.demo_db

BY_LI = "已被 李四 于 "


@contextmanager
def as_clerk(name: str = "李四") -> Iterator[None]:
    """Another clerk's edit, recorded under ``name``."""
    set_actor(name)
    try:
        yield
    finally:
        set_actor(None)


def class_input(c: ClassDTO, **changes: object) -> ClassInput:
    """The class editor's input for ``c`` as read, with ``changes``."""
    values = {k: v for k, v in dataclasses.asdict(c).items() if k != "enrolled"}
    return ClassInput(**{**values, **changes})


@pytest.fixture
def shown(monkeypatch) -> list[str]:  # noqa: ANN001
    """The texts the screens pass to ui.messages.conflict (no real message box)."""
    texts: list[str] = []
    monkeypatch.setattr(messages, "conflict", lambda _parent, text: texts.append(text))
    return texts


def test_attendance_changed_meanwhile(qtbot, shown, demo_db) -> None:
    cid = demo_db["进行中"]
    view = AttendanceView()
    qtbot.addWidget(view)
    view.set_class(cid)
    s = next(x for x in list_sessions(cid) if x.day > TODAY)  # nothing recorded yet
    view.select_session(s.id)
    first = view.model.rows[0]
    with as_clerk():
        record_attendance(s.id, {first.cadre_id: hr.LEAVE})
    assert not view.set_status([first.cadre_id], hr.PRESENT)
    assert len(shown) == 1
    assert f"学员“{first.name}”在 {s.day.isoformat()} {s.slot}《{s.title}》的考勤" in shown[0]
    assert BY_LI in shown[0]
    assert "（现为“请假”）" in shown[0]
    # the screen shows what is stored now, and nothing of the refused edit was stored
    assert view.model.rows[view.model.row_of(first.cadre_id)].status == hr.LEAVE
    assert {r.status for r in session_attendance(s.id)} == {hr.LEAVE, hr.UNRECORDED}
    # 全部出勤 on the reloaded rows goes through, and keeps the 请假
    assert view.mark_all_present() == len(view.model.rows) - 1
    stored = {r.cadre_id: r.status for r in session_attendance(s.id)}
    assert stored.pop(first.cadre_id) == hr.LEAVE
    assert set(stored.values()) == {hr.PRESENT}


def test_all_present_over_a_row_recorded_meanwhile(qtbot, shown, demo_db) -> None:
    cid = demo_db["进行中"]
    view = AttendanceView()
    qtbot.addWidget(view)
    view.set_class(cid)
    s = next(x for x in list_sessions(cid) if x.day > TODAY)
    view.select_session(s.id)
    last = view.model.rows[-1]
    with as_clerk():
        record_attendance(s.id, {last.cadre_id: hr.ABSENT})
    assert view.mark_all_present() == 0
    assert "（现为“旷课”）" in shown[0]
    assert {r.status for r in session_attendance(s.id)} == {hr.ABSENT, hr.UNRECORDED}
    assert view.model.rows[-1].status == hr.ABSENT


def test_session_edited_meanwhile(qtbot, monkeypatch, shown, demo_db) -> None:
    cid = demo_db["筹备"]
    view = TimetableView()
    qtbot.addWidget(view)
    view.set_class(cid)
    s, other = list_sessions(cid)[2], list_sessions(cid)[3]
    view.select(s.day, s.slot)
    with as_clerk():
        update_session(s.id, title="李四改的专题")
    mine = dataclasses.replace(SessionEdit.of(s), title="我改的专题")
    monkeypatch.setattr(SessionDialog, "ask", classmethod(lambda cls, *a, **k: mine))
    assert not view.edit_current()
    assert "课表时段《李四改的专题》" + BY_LI in shown[0]
    assert view.model.session_by_id(s.id).title == "李四改的专题"  # reloaded
    assert get_session(s.id).title == "李四改的专题"
    # a drag onto another half-day (a swap) over what someone changed: refused as well
    with as_clerk():
        update_session(other.id, title="又改了")
    assert not view.move_session_to(s.id, other.day, other.slot)
    assert len(shown) == 2
    assert "又改了" in shown[1]
    assert (get_session(s.id).day, get_session(s.id).slot) == (s.day, s.slot)


def test_undo_over_a_change_made_meanwhile(qtbot, shown, demo_db) -> None:
    cid = demo_db["筹备"]
    view = TimetableView()
    qtbot.addWidget(view)
    view.set_class(cid)
    a, b = list_sessions(cid)[2], list_sessions(cid)[3]
    assert view.move_session_to(a.id, b.day, b.slot)  # a swap, stored at once
    assert view.undo_stack.count() == 1
    with as_clerk():
        update_session(a.id, title="李四改的专题")
    view.undo_stack.undo()
    qtbot.waitUntil(lambda: len(shown) == 1)
    assert BY_LI in shown[0]
    assert view.undo_stack.count() == 0  # its steps were made on what was shown before
    assert (get_session(a.id).day, get_session(a.id).slot) == (b.day, b.slot)


def test_trainee_changed_meanwhile(qtbot, shown, demo_db) -> None:
    cid = demo_db["筹备"]
    view = TraineesView()
    qtbot.addWidget(view)
    view.set_class(cid)
    t = view.model.rows[0]
    with as_clerk():
        set_role(cid, t.cadre_id, "副班长")
    view.select_ids([t.cadre_id])
    view.set_role_selected("组长")
    assert f"的学员“{t.name}”" + BY_LI in shown[0]
    assert "（现为“副班长" in shown[0]
    assert view.model.rows[view.model.row_of(t.cadre_id)].role == "副班长"
    assert {x.cadre_id: x.role for x in list_trainees(cid)}[t.cadre_id] == "副班长"


def test_enrolled_meanwhile(qtbot, shown, demo_db) -> None:
    cid = demo_db["筹备"]
    view = TraineesView()
    qtbot.addWidget(view)
    view.set_class(cid)
    before = len(view.model.rows)
    other = next(
        t.cadre_id
        for t in list_trainees(demo_db["进行中"])
        if t.cadre_id not in {x.cadre_id for x in view.model.rows}
    )
    with as_clerk():
        enrol(cid, cadre_ids=[other])
    assert view.enrol(cadre_ids=[other]) is None
    assert BY_LI in shown[0]
    assert "报名到班次" in shown[0]
    assert len(view.model.rows) == before + 1  # the screen shows 李四's enrolment now


def test_wishes_and_places_changed_meanwhile(qtbot, monkeypatch, shown, menu) -> None:  # noqa: F811
    cid = menu["cls"]
    view = ElectivesView()
    qtbot.addWidget(view)
    view.set_class(cid)
    t = next(x for x in view.choices.rows if x.name == "李四")  # shown with [公文写作]
    with as_clerk():
        set_elective_choices(cid, t.cadre_id, [menu["e3"]], expected_version=t.version)
    monkeypatch.setattr(ChoicesDialog, "ask", classmethod(lambda cls, *a, **k: [menu["e1"]]))
    view.select_trainee(t.cadre_id)
    assert not view.edit_choices()
    assert "学员“李四”的选学志愿" + BY_LI in shown[0]
    assert "（现为“《应急管理》”）" in shown[0]
    now = {x.cadre_id: x for x in list_elective_choices(cid)}[t.cadre_id]
    assert [w.course_id for w in now.wishes] == [menu["e3"]]
    assert {x.cadre_id: x.version for x in view.choices.rows}[t.cadre_id] == now.version
    # the places: the cell's commit is refused, and the table re-read once the editor closed
    with as_clerk():
        set_elective_capacity(cid, menu["e1"], 9, expected_capacity=1)
    assert not view.options.setData(view.options.index(0, 1), 5)
    qtbot.waitUntil(lambda: len(shown) == 2)
    assert "选学课程《数字政府》的名额" + BY_LI in shown[1]
    assert "（现为“9”）" in shown[1]
    assert view.options.text(0, 1) == "9"


def test_class_start_and_edit_meanwhile(qtbot, shown, demo_db) -> None:
    cid = demo_db["筹备"]
    view = TrainingView()
    qtbot.addWidget(view)
    view.select_class(cid)
    with as_clerk():
        c = get_class(cid)
        save_class(class_input(c, head_teacher="李四的班主任"))
    view.start_class()
    assert f"班次《{c.name}》" + BY_LI in shown[0]
    assert "（现为“筹备”）" in shown[0]
    assert get_class(cid).status == "筹备"
    assert view.current_class().version == get_class(cid).version  # the list re-read it
    # the class editor opened before 李四's change: refused, then shows what is stored
    dlg = ClassDialog(c)
    qtbot.addWidget(dlg)
    with as_clerk():
        save_class(class_input(get_class(cid), head_teacher="又换了"))
    dlg.organiser.setText("我改的主办单位")
    dlg.save()
    assert len(shown) == 2
    assert BY_LI in shown[1]
    assert dlg.result() != QDialog.DialogCode.Accepted
    assert dlg.saved is None
    assert dlg.head_teacher.text() == "又换了"
    assert get_class(cid).organiser == c.organiser


def test_resource_edited_meanwhile(qtbot, monkeypatch, shown, demo_db) -> None:
    view = ResourcesView()
    qtbot.addWidget(view)
    room = view.rooms.model.rows[0]
    with as_clerk():
        save_room(room.name, room.capacity + 10, room_id=room.id, expected_version=room.version)

    # the form opened on what the list showed: its save is refused and the list re-read
    def press_save(dlg: FormDialog) -> int:
        dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
        return dlg.result()

    monkeypatch.setattr(FormDialog, "exec", press_save)
    view.rooms.table.selectRow(0)
    view.rooms.edit()
    assert f"教室“{room.name}”" + BY_LI in shown[0]
    assert view.rooms.model.rows[0].capacity == room.capacity + 10
    assert {r.id: r.capacity for r in list_rooms()}[room.id] == room.capacity + 10
    # deleting what someone changed since it was listed: refused too
    stale = view.rooms.model.rows[1]
    with as_clerk():
        save_room(stale.name, stale.capacity + 1, room_id=stale.id)
    monkeypatch.setattr(messages, "ask_yes_no", lambda *_a: True)
    view.rooms.table.selectRow(1)
    view.rooms.delete()
    assert len(shown) == 2
    assert f"教室“{stale.name}”" + BY_LI in shown[1]
    assert stale.id in {r.id for r in list_rooms()}
