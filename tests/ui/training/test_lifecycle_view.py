"""开班, 结业, 更正 and 重新开班 on the screens: 开班 refused before the start date; 结业 asks
for a reason before the end date and is disabled once done; after 结业 the attendance grid
is read-only (a key press changes nothing, a click proposes a 更正); 更正… needs a reason and
updates the 学时档案; 重新开班… takes the class's 学时 back. Read back from the database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from models.training import (
    class_lifecycle,
    get_class,
    list_hours,
    session_attendance,
)
from models.training import hours as hr
from models.training.tables import Attendance, HoursEntry
from tests.ui.training import support as training_support
from tests.ui.training.support import TODAY
from ui import messages
from ui.training.attendance_view import AttendanceView, CorrectionDialog
from ui.training.classes_view import TrainingView

# the shared demo-database fixtures (tests/ui/training/support.py)
demo_template = training_support.demo_template
demo_db = training_support.demo_db


def ledger() -> list[tuple[int, int, Decimal]]:
    return [(e.id, e.cadre_id, e.hours) for e in HoursEntry.select().order_by(HoursEntry.id)]


def marks() -> list[tuple[int, str, int]]:
    return [(a.id, a.status, a.version) for a in Attendance.select().order_by(Attendance.id)]


@pytest.fixture
def said(monkeypatch) -> dict[str, list[str]]:  # noqa: ANN001
    """What the screens tell the user (no real message boxes)."""
    out: dict[str, list[str]] = {"error": [], "info": [], "conflict": []}
    monkeypatch.setattr(messages, "error", lambda _p, text, title=None: out["error"].append(text))
    monkeypatch.setattr(messages, "info", lambda _p, _t, text: out["info"].append(text))
    monkeypatch.setattr(messages, "conflict", lambda _p, text: out["conflict"].append(text))
    return out


@pytest.fixture
def classes(qtbot, demo_db) -> TrainingView:  # noqa: ANN001
    view = TrainingView()
    qtbot.addWidget(view)
    view.today = TODAY
    return view


@pytest.fixture
def closed_view(qtbot, demo_db) -> AttendanceView:  # noqa: ANN001
    """The attendance tab of the demo's finished class, on its first session."""
    v = AttendanceView()
    qtbot.addWidget(v)
    v.today = TODAY
    v.set_class(demo_db["已结业"])
    v.select_session(v.sessions[1].id)
    return v


# ---------------------------------------------------------------------------- classes screen


def test_buttons_follow_the_lifecycle(classes, demo_db) -> None:
    classes.select_class(demo_db["筹备"])
    assert classes.start_button.isEnabled()
    assert not classes.close_button.isEnabled()
    assert not classes.reopen_button.isEnabled()
    classes.select_class(demo_db["进行中"])
    assert not classes.start_button.isEnabled()
    assert classes.close_button.isEnabled()
    classes.select_class(demo_db["已结业"])
    assert not classes.close_button.isEnabled()  # 结业 once
    assert classes.close_button.toolTip().startswith("本班已于 ")
    assert "由 演示数据 结业" in classes.close_button.toolTip()
    assert classes.reopen_button.isEnabled()
    assert not classes.start_button.isEnabled()


def test_a_double_click_does_not_edit_a_closed_class(monkeypatch, classes, demo_db) -> None:
    from ui.training.class_dialog import ClassDialog

    asked: list[int] = []
    monkeypatch.setattr(ClassDialog, "ask", classmethod(lambda cls, c, *a: asked.append(c.id)))
    for status in ("已结业", "筹备"):
        classes.select_class(demo_db[status])
        classes.table.doubleClicked.emit(classes.table.currentIndex())
    assert asked == [demo_db["筹备"]]  # the closed class's dialog never opened


def test_opening_before_the_start_date_is_refused(classes, said, demo_db) -> None:
    cid = demo_db["筹备"]  # starts Monday 2026-03-23
    classes.select_class(cid)
    classes.start_class()
    assert said["error"] == [
        "班次《科级干部能力提升班》的开班日期为 2026-03-23，今天是 2026-03-18，不能提前开班"
    ]
    assert get_class(cid).status == "筹备"
    classes.today = dt.date(2026, 3, 23)
    classes.start_class()
    assert get_class(cid).status == "进行中"
    assert class_lifecycle(cid).opened_at.date() == dt.date(2026, 3, 23)
    assert classes.model.text(classes.model.row_of(cid), 4) == "进行中"
    assert not classes.start_button.isEnabled()
    assert classes.close_button.isEnabled()


def test_reopening_asks_for_a_reason_and_takes_the_hours_back(
    classes, said, monkeypatch, demo_db
) -> None:
    cid = demo_db["已结业"]
    classes.select_class(cid)
    lines = HoursEntry.select().where(HoursEntry.source_class == cid).count()
    assert lines > 0
    before = ledger()
    monkeypatch.setattr(messages, "ask_text", lambda *a: None)  # 取消
    classes.reopen_class()
    monkeypatch.setattr(messages, "ask_text", lambda *a: "  ")  # no reason
    classes.reopen_class()
    assert said["error"] == [
        "班次《2025年县处级领导干部进修班》重新开班须写明原因（本班登记的学时将从学时档案中撤销）"
    ]
    assert ledger() == before
    assert get_class(cid).status == "已结业"
    asked: list[str] = []
    monkeypatch.setattr(
        messages, "ask_text", lambda _p, _t, label: asked.append(label) or "补录考勤"
    )
    classes.reopen_class()
    assert "本班登记的学时将从学时档案中撤销" in asked[0]
    assert get_class(cid).status == "进行中"
    assert HoursEntry.select().where(HoursEntry.source_class == cid).count() == 0
    assert said["info"][0].startswith(
        f"班次《2025年县处级领导干部进修班》已重新开班，撤销学时记录 {lines} 条"
    )
    assert classes.close_button.isEnabled()
    assert not classes.reopen_button.isEnabled()


# ---------------------------------------------------------------------------- 结业 early


def test_closing_early_asks_for_the_reason_and_keeps_it(qtbot, monkeypatch, said, demo_db) -> None:
    view = AttendanceView()
    qtbot.addWidget(view)
    view.today = TODAY  # the class ends 2026-03-27
    cid = demo_db["进行中"]
    view.set_class(cid)
    asked: list[str] = []
    monkeypatch.setattr(messages, "ask_text", lambda _p, _t, label: asked.append(label) or "")
    assert view.finish_class() is None
    assert "结业日期为 2026-03-27，今天是 2026-03-18" in asked[0]
    assert said["error"] == ["提前结业须写明原因"]
    monkeypatch.setattr(messages, "ask_text", lambda *a: None)
    assert view.finish_class() is None
    assert get_class(cid).status == "进行中"
    monkeypatch.setattr(messages, "ask_text", lambda *a: "学员赴抗洪一线，提前结束")
    monkeypatch.setattr(messages, "ask_yes_no", lambda *a: True)  # 结业? and 仍要结业?
    job = view.finish_class()
    with qtbot.waitSignal(job.finished, timeout=20_000):
        pass
    qtbot.waitUntil(lambda: get_class(cid).status == "已结业", timeout=20_000)
    life = class_lifecycle(cid)
    assert life.close_reason == "学员赴抗洪一线，提前结束"
    assert life.closed_at.date() == TODAY
    qtbot.waitUntil(lambda: "提前结业：学员赴抗洪一线" in view.hint.text(), timeout=20_000)
    assert not view.finish.isEnabled()


# ---------------------------------------------------------------------------- after 结业


def test_a_closed_class_grid_is_read_only(qtbot, monkeypatch, closed_view, said) -> None:
    v = closed_view
    assert not v.all_present.isEnabled()
    assert not v.finish.isEnabled()
    assert v.correct.isEnabled()
    assert "考勤只读" in v.hint.text()
    before = (marks(), ledger())
    v.table.setFocus()
    v.table.selectRow(0)
    qtbot.keyClick(v.table, Qt.Key.Key_5)  # 旷课: refused, not silently stored
    assert len(said["error"]) == 1
    assert "考勤不能再修改；如需更正" in said["error"][0]
    assert "已于 " in said["error"][0]
    proposed: list[str] = []
    monkeypatch.setattr(
        CorrectionDialog,
        "ask",
        classmethod(lambda cls, row, where, status, parent: proposed.append(status)),
    )
    row = v.model.rows[0]
    absent_column = 3 + list(hr.STATUSES).index(hr.ABSENT)
    v._clicked(v.model.index(0, absent_column))  # a click proposes a 更正 (cancelled here)
    assert proposed == ([hr.ABSENT] if row.status != hr.ABSENT else [])
    assert (marks(), ledger()) == before


def test_a_correction_updates_the_record_and_the_hours(monkeypatch, closed_view, said) -> None:
    v = closed_view
    row = next(r for r in v.model.rows if r.status == hr.PRESENT)
    v.table.selectRow(v.model.row_of(row.cadre_id))
    hours = sum(e.hours for e in list_hours(row.cadre_id) if e.kind == hr.CLASS_TRAINING)
    monkeypatch.setattr(
        CorrectionDialog,
        "ask",
        classmethod(lambda cls, *a: (hr.ABSENT, "签到表核对为旷课")),
    )
    done = v.correct_selected()
    assert done is not None
    s = v.current_session()
    assert {r.cadre_id: r.status for r in session_attendance(s.id)}[row.cadre_id] == hr.ABSENT
    after = sum(e.hours for e in list_hours(row.cadre_id) if e.kind == hr.CLASS_TRAINING)
    assert after == hours - s.hours
    assert (done.hours_before, done.hours_after) == (hours, after)
    assert said["info"][0].startswith(f"学员“{row.name}”")
    assert "出勤 → 旷课" in said["info"][0]
    assert "学时档案已同步更新" in said["info"][0]
    assert v.model.text(v.model.row_of(row.cadre_id), 7) == "●"  # the grid re-read it


def test_correct_without_a_selection_says_so(closed_view, said) -> None:
    closed_view.table.clearSelection()
    assert closed_view.correct_selected() is None
    assert said["error"] == ["请先在表中选中一名学员，再点“更正…”"]


def test_the_correction_dialog_needs_a_reason_and_a_new_status(qtbot, closed_view) -> None:
    row = closed_view.model.rows[0]
    dlg = CorrectionDialog(row, "2026-01-05 下午 课堂教学《讲座》", "", closed_view)
    qtbot.addWidget(dlg)
    ok = dlg.buttons.button(dlg.buttons.StandardButton.Ok)
    assert dlg.status.currentText() != row.status
    assert not ok.isEnabled()  # no reason yet
    dlg.reason.setText("补交假条")
    assert ok.isEnabled()
    dlg.status.setCurrentText(row.status)
    assert not ok.isEnabled()  # the status it already has
    dlg.status.setCurrentText(hr.LEAVE if row.status != hr.LEAVE else hr.PRESENT)
    dlg.reason.setText("   ")
    assert not ok.isEnabled()
