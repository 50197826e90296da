"""The timetable screen: colours by mode, drag-and-drop move / swap with undo and redo,
clashes marked, the live shares bar, 自动排课 and the lock."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from models.training import class_clashes, list_sessions
from models.training import planner as tt
from tests.ui.training import support as training_support
from tests.ui.training.support import extend_class
from ui import messages
from ui.training.timetable_grid import CLASH_ROLE, IN_CLASS_ROLE, MODE_COLOURS, MODE_ROLE
from ui.training.timetable_view import SessionDialog, SessionEdit, TimetableView

# the shared demo-database fixtures (tests/ui/training/support.py)
demo_template = training_support.demo_template
demo_db = training_support.demo_db


def where(class_id: int, session_id: int) -> tuple[dt.date, str]:
    s = next(s for s in list_sessions(class_id) if s.id == session_id)
    return s.day, s.slot


@pytest.fixture
def view(qtbot, demo_db):  # noqa: ANN001, ANN201
    v = TimetableView()
    qtbot.addWidget(v)
    v.resize(1280, 800)
    return v


def test_model_passes_qmodeltester(qtmodeltester, view, demo_db) -> None:
    view.set_class(demo_db["进行中"])
    qtmodeltester.check(view.model)


def test_cells_show_sessions_coloured_by_mode(qtbot, view, demo_db) -> None:
    cid = demo_db["进行中"]
    view.set_class(cid)
    view.show()
    qtbot.waitExposed(view)
    sessions = list_sessions(cid)
    assert len(sessions) == 30  # 15 teaching days × 上午/下午
    # 3 weeks × 2 half-days down, 周一..周五 across
    assert (view.model.rowCount(), view.model.columnCount()) == (6, 5)
    image = view.table.viewport().grab().toImage()
    for s in sessions:
        index = view.model.index_of(s.day, s.slot)
        assert index.data(MODE_ROLE) == s.mode
        assert index.data().split("\n")[0] == s.title
        if s.teacher_name:
            assert s.teacher_name in index.data()
        # the card's fill near its bottom-right corner is the mode's colour
        rect = view.table.visualRect(index)
        pixel = image.pixelColor(QPoint(rect.right() - 5, rect.bottom() - 5))
        assert pixel.name() == QColor(MODE_COLOURS[s.mode][0]).name(), s.title
    first = view.model.index_of(dt.date(2026, 3, 9), tt.MORNING)
    assert first.data().startswith("开班式")


def test_shares_bar_shows_class_shares(view, demo_db) -> None:
    view.set_class(demo_db["进行中"])
    # by hand from the demo library: lectures 2+1+2+1+2+1 = 9 half-days, field study
    # 4+2+2+2 = 10, discussion 3+2+2+2 = 9; 28 half-days besides the ceremonies, target
    # 28/3 = 9.3 half-days = 37.3 学时 at 4 学时 each
    texts = view.shares.texts()
    assert texts[tt.LECTURE] == "■ 课堂教学 9 个半天 / 目标 9.3，36 学时 / 目标 37.3"
    assert texts[tt.FIELD_STUDY] == "■ 调研考察 10 个半天 / 目标 9.3，40 学时 / 目标 37.3"
    assert texts[tt.DISCUSSION] == "■ 研讨交流 9 个半天 / 目标 9.3，36 学时 / 目标 37.3"


def test_move_to_free_half_day_then_undo_and_redo(view, demo_db) -> None:
    cid = demo_db["筹备"]
    extend_class(cid, 3)  # ends Mon 04-13 now: 04-13 上午 and 下午 are free
    view.set_class(cid)
    lecture = next(s for s in list_sessions(cid) if s.mode == tt.LECTURE)
    before = (lecture.day, lecture.slot)
    target = (dt.date(2026, 4, 13), tt.MORNING)
    assert view.model.session_at(*target) is None

    assert view.move_session_to(lecture.id, *target)
    assert where(cid, lecture.id) == target
    assert view.model.session_at(*target).id == lecture.id
    assert view.undo_action.shortcut().toString() == "Ctrl+Z"
    assert view.redo_action.shortcut().toString() == "Ctrl+Y"

    view.undo_action.trigger()
    assert where(cid, lecture.id) == before
    assert view.model.session_at(*target) is None
    view.redo_action.trigger()
    assert where(cid, lecture.id) == target


def test_drop_on_taken_half_day_swaps_and_undo_swaps_back(qtbot, view, demo_db) -> None:
    cid = demo_db["筹备"]
    view.set_class(cid)
    sessions = list_sessions(cid)
    a = next(s for s in sessions if s.mode == tt.LECTURE)
    b = next(s for s in sessions if s.mode == tt.DISCUSSION)
    # what the view does on a drop: the model's mime data, dropped on b's cell
    data = view.model.mimeData([view.model.index_of(a.day, a.slot)])
    target = view.model.index_of(b.day, b.slot)
    assert view.model.canDropMimeData(data, Qt.DropAction.CopyAction, -1, -1, target)
    assert view.model.dropMimeData(data, Qt.DropAction.CopyAction, -1, -1, target)
    qtbot.waitUntil(lambda: where(cid, a.id) == (b.day, b.slot))
    assert where(cid, b.id) == (a.day, a.slot)
    view.undo_stack.undo()
    assert where(cid, a.id) == (a.day, a.slot)
    assert where(cid, b.id) == (b.day, b.slot)


def test_drop_outside_the_class_is_refused(view, demo_db) -> None:
    cid = demo_db["进行中"]
    view.set_class(cid)
    s = list_sessions(cid)[-1]
    data = view.model.mimeData([view.model.index_of(s.day, s.slot)])
    # the 筹备 class is not shown here; 进行中 has no Saturday column at all, and a cell
    # of this grid never lies outside it, so check the week before the start instead
    assert view.model.index_of(dt.date(2026, 3, 6), tt.MORNING).isValid() is False
    assert not view.model.dropMimeData(
        data, Qt.DropAction.CopyAction, -1, -1, view.model.index(99, 0)
    )


def test_move_onto_busy_teacher_marks_the_clash(view, demo_db) -> None:
    running, planned = demo_db["进行中"], demo_db["筹备"]
    # the two classes share the week of 03-23: find a teacher of the planned class who
    # teaches the running class then, and put the planned session on that half-day
    busy = {
        (s.teacher_id, s.day, s.slot)
        for s in list_sessions(running)
        if s.teacher_id and s.day >= dt.date(2026, 3, 23)
    }
    planned_sessions = list_sessions(planned)
    pick = None
    for s in planned_sessions:
        for teacher, day, slot in sorted(busy):
            if s.teacher_id == teacher and (s.day, s.slot) != (day, slot):
                pick = (s, day, slot)
                break
        if pick:
            break
    assert pick is not None, "the demo should share a teacher in the overlapping week"
    s, day, slot = pick
    view.set_class(planned)
    assert view.model.data(view.model.index_of(day, slot), CLASH_ROLE) is None

    assert view.move_session_to(s.id, day, slot)
    marks = view.model.data(view.model.index_of(day, slot), CLASH_ROLE)
    assert marks, "the clash is marked on the cell"
    assert any(s.teacher_name in m for m in marks)
    tooltip = view.model.data(view.model.index_of(day, slot), Qt.ItemDataRole.ToolTipRole)
    assert any(m in tooltip for m in marks)
    assert (day, slot) in {(c.day, c.slot) for c in class_clashes(planned)}
    assert "冲突" in view.clash_label.text()

    view.undo_stack.undo()  # back where it was: that half-day is clear again
    assert view.model.data(view.model.index_of(day, slot), CLASH_ROLE) is None


def test_move_after_attendance_is_refused_with_reason(monkeypatch, view, demo_db) -> None:
    cid = demo_db["进行中"]
    view.set_class(cid)
    attended = list_sessions(cid)[0]  # 开班式 on 03-09 has attendance
    other = list_sessions(cid)[-1]
    shown: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, title=None: shown.append(text))
    assert not view.move_session_to(attended.id, other.day, other.slot)
    assert shown
    assert "已有考勤记录" in shown[0]
    assert view.undo_stack.count() == 0


def test_auto_plan_picks_from_the_library_or_names_the_rule(
    qtbot, monkeypatch, view, demo_db
) -> None:
    from models.training import ClassInput, save_class
    from models.training.resources import TeacherInput, list_teachers, save_teacher

    week = [dt.date(2026, 5, 11) + dt.timedelta(days=k) for k in range(5)]
    shown: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, title=None: shown.append(text))
    # a class with no courses chosen takes them from the library, the 必修 course first
    c = save_class(ClassInput(name="未选课班", start=week[0], end=week[-1]))
    view.set_class(c.id)
    with qtbot.waitSignal(view.plan().finished, timeout=10_000):
        pass
    assert shown == []
    titles = {s.title for s in list_sessions(c.id)}
    assert {"开班式", "结业式"} <= titles
    assert any(t.startswith("习近平新时代中国特色社会主义思想专题") for t in titles)

    # no plan can exist when the 必修 course's teacher is away all week: the rule is named
    t = next(t for t in list_teachers() if t.name == "马建华")
    save_teacher(TeacherInput(**{**dataclasses.asdict(t), "unavailable": week}))
    c = save_class(ClassInput(name="教师不在班", start=week[0], end=week[-1]))
    view.set_class(c.id)
    with qtbot.waitSignal(view.plan().finished, timeout=10_000):
        pass
    assert shown == [
        "教师马建华在 2026-05-11 至 05-15 均不可用，课程《习近平新时代中国特色社会主义思想专题》"
        "无法安排（规则：教师不可用的日子不排课）"
    ]
    assert list_sessions(c.id) == []


def test_a_four_week_plan_shows_its_shares_and_what_the_planner_decided(
    qtbot, view, demo_db
) -> None:
    from models.training import ClassInput, class_shares, plan_notes, save_class

    c = save_class(ClassInput(name="四周班", start=dt.date(2026, 6, 1), end=dt.date(2026, 6, 26)))
    view.set_class(c.id)
    assert not view.notes_label.isVisible()
    assert view.clash_label.text() == "没有冲突"  # an empty timetable has nothing to clash
    with qtbot.waitSignal(view.plan().finished, timeout=20_000):
        pass
    days = {s.day for s in list_sessions(c.id)}
    assert len(days) == 19  # four weeks less 端午 (Fri 2026-06-19)
    assert dt.date(2026, 6, 19) not in days
    holiday = view.model.index_of(dt.date(2026, 6, 19), "上午")
    assert holiday.data() == "端午节"  # the grid names the day off
    assert "端午节放假，不排课" in holiday.data(Qt.ItemDataRole.ToolTipRole)
    assert not holiday.data(IN_CLASS_ROLE)
    assert all(s.within_tolerance for s in class_shares(c.id))
    notes = plan_notes(c.id)
    assert notes, "four weeks from this library need a repeat or a 机动 half-day"
    assert view.notes_label.isVisibleTo(view)
    assert view.notes_label.text() == "排课说明：\n" + "\n".join(f"· {n}" for n in notes)
    assert view.clash_label.text() == "没有冲突"


def test_auto_plan_in_background_fills_the_grid(qtbot, monkeypatch, view, demo_db) -> None:
    cid = demo_db["筹备"]
    extend_class(cid, 0)
    view.set_class(cid)
    monkeypatch.setattr(messages, "ask_yes_no", lambda *a, **k: True)
    job = view.plan()
    with qtbot.waitSignal(job.finished, timeout=20_000):
        pass
    sessions = list_sessions(cid)
    # Mon 03-23 to Fri 04-10 is 15 working days, less 清明 (Mon 2026-04-06): 28 half-days
    assert len(sessions) == 28
    assert dt.date(2026, 4, 6) not in {s.day for s in sessions}
    shown = [
        view.model.session_at(s.day, s.slot).id for s in sessions
    ]  # every stored session is on the grid
    assert sorted(shown) == sorted(s.id for s in sessions)


def test_lock_from_the_session_dialog(monkeypatch, view, demo_db) -> None:
    cid = demo_db["筹备"]
    view.set_class(cid)
    s = list_sessions(cid)[3]
    monkeypatch.setattr(
        SessionDialog,
        "ask",
        classmethod(lambda cls, s, *a, **k: dataclasses.replace(SessionEdit.of(s), locked=True)),
    )
    view.select(s.day, s.slot)
    view.edit_current()
    assert next(x for x in list_sessions(cid) if x.id == s.id).locked
    assert view.model.index_of(s.day, s.slot).data().startswith("〔锁〕")


def test_session_dialog_shows_the_session(qtbot, view, demo_db) -> None:
    """The dialog shows the half-day's own time, form, 学时, content, teacher, room and lock,
    and its clashes; a session with attendance offers only the lock."""
    from PySide6.QtWidgets import QLabel

    sessions = list_sessions(demo_db["筹备"])
    s = next(x for x in sessions if x.teacher_id and x.room_id)
    dlg = SessionDialog(s, ["教师冲突：示例"])
    qtbot.addWidget(dlg)
    labels = [w.text() for w in dlg.findChildren(QLabel)]
    assert any(
        t.startswith(f"{s.day.month}月{s.day.day}日周") and t.endswith(s.slot) for t in labels
    )
    shown_mode = s.mode + (f"（第 {s.part} / {s.parts} 个半天）" if s.parts > 1 else "")
    assert shown_mode in labels
    assert str(s.hours).rstrip("0").rstrip(".") in labels
    assert dlg.title.text() == s.title
    assert dlg.teacher.currentText().startswith(s.teacher_name)
    assert dlg.room.currentText().startswith(s.room_name)
    assert dlg.locked.isChecked() is s.locked
    assert dlg.findChild(QLabel, "session_clashes").text() == "教师冲突：示例"
    assert dlg.findChild(QLabel, "session_blocked") is None
    assert dlg.title.isEnabled()
    ro = SessionDialog(s, [], blocked="本时段已有考勤记录")
    qtbot.addWidget(ro)
    assert ro.findChild(QLabel, "session_blocked").text() == "本时段已有考勤记录；只能设置锁定。"
    assert not ro.title.isEnabled()
    assert not ro.teacher.isEnabled()
    assert ro.locked.isEnabled()


def _busy_teacher_pick(running: int, planned: int):  # noqa: ANN202
    """A classroom session of the planned class on a half-day of the overlapping week when
    the running class has a lecture by another teacher: (session, that teacher's id, name)."""
    theirs = {(s.day, s.slot): s for s in list_sessions(running) if s.teacher_id}
    for s in list_sessions(planned):
        other = theirs.get((s.day, s.slot))
        if s.room_id and other is not None and other.teacher_id != s.teacher_id:
            return s, other.teacher_id, other.teacher_name
    return None


def test_session_dialog_edits_teacher_marks_clash_and_undoes(monkeypatch, view, demo_db) -> None:
    from models.training import list_teachers

    running, planned = demo_db["进行中"], demo_db["筹备"]
    pick = _busy_teacher_pick(running, planned)
    assert pick is not None, "the demo's two classes share the week of 03-23"
    s, teacher_id, teacher_name = pick
    view.set_class(planned)
    index = view.model.index_of(s.day, s.slot)
    assert view.model.data(index, CLASH_ROLE) is None
    monkeypatch.setattr(
        SessionDialog,
        "ask",
        classmethod(
            lambda cls, s, *a, **k: dataclasses.replace(
                SessionEdit.of(s), teacher_id=teacher_id, title="改题后的专题课"
            )
        ),
    )
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, title=None: shown.append((title, text)))
    view.select(s.day, s.slot)
    assert view.edit_current()
    stored = next(x for x in list_sessions(planned) if x.id == s.id)
    assert (stored.teacher_name, stored.title) == (teacher_name, "改题后的专题课")
    # the same teacher teaches the running class at that half-day: marked and told
    marks = view.model.data(view.model.index_of(s.day, s.slot), CLASH_ROLE)
    assert any("教师冲突" in m and teacher_name in m for m in marks)
    assert view.model.index_of(s.day, s.slot).data().startswith("改题后的专题课")
    assert shown
    assert shown[0][0] == "课表冲突"
    assert "已保存" in shown[0][1]
    assert teacher_name in shown[0][1]
    assert view.undo_stack.count() == 1

    view.undo_stack.undo()
    back = next(x for x in list_sessions(planned) if x.id == s.id)
    assert (back.teacher_id, back.title) == (s.teacher_id, s.title)
    assert view.model.data(view.model.index_of(s.day, s.slot), CLASH_ROLE) is None
    view.undo_stack.redo()
    again = next(x for x in list_sessions(planned) if x.id == s.id)
    assert again.teacher_id == teacher_id
    assert {t.id for t in list_teachers()} >= {teacher_id}


def test_session_dialog_refusal_is_shown(monkeypatch, view, demo_db) -> None:
    cid = demo_db["筹备"]
    view.set_class(cid)
    s = next(x for x in list_sessions(cid) if x.mode == tt.LECTURE)
    monkeypatch.setattr(
        SessionDialog,
        "ask",
        classmethod(lambda cls, s, *a, **k: dataclasses.replace(SessionEdit.of(s), room_id=None)),
    )
    shown: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, title=None: shown.append(text))
    view.select(s.day, s.slot)
    assert not view.edit_current()
    assert shown == [f"{s.day.isoformat()} {s.slot}《{s.title}》：课堂教学须选择教室"]
    assert next(x for x in list_sessions(cid) if x.id == s.id).room_id == s.room_id
    assert view.undo_stack.count() == 0


def test_session_dialog_widgets(qtbot, demo_db) -> None:
    from models.training import list_rooms, list_sites, list_teachers

    cid = demo_db["筹备"]
    s = next(x for x in list_sessions(cid) if x.mode == tt.LECTURE and x.teacher_id)
    teachers, rooms = list_teachers(), list_rooms()
    dlg = SessionDialog(s, [], teachers=teachers, rooms=rooms, sites=list_sites())
    qtbot.addWidget(dlg)
    assert dlg.value() == SessionEdit.of(s)  # opens on what is stored
    other = next(t for t in teachers if t.id != s.teacher_id)
    dlg.teacher.setCurrentIndex(dlg.teacher.findData(other.id))
    dlg.room.setCurrentIndex(dlg.room.findData(rooms[-1].id))
    dlg.title.clear()
    dlg.title.insert("新的题目")
    dlg.locked.setChecked(True)
    value = dlg.value()
    assert value == SessionEdit("新的题目", other.id, rooms[-1].id, None, True)
    assert value.changes(SessionEdit.of(s)) == {
        "title": "新的题目",
        "teacher_id": other.id,
        "room_id": rooms[-1].id,
        "locked": True,
    }

    # attendance taken: only the lock can change
    attended = list_sessions(demo_db["进行中"])[0]
    blocked = SessionDialog(attended, [], blocked="已有考勤记录，不能再修改")
    qtbot.addWidget(blocked)
    assert not blocked.teacher.isEnabled()
    assert not blocked.title.isEnabled()
    assert blocked.locked.isEnabled()
