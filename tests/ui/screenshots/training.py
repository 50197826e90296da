"""Screenshots of the training screens, on a 300-cadre demo: timetable_grid.png (the class in
progress), attendance_grid.png (its last past session), attendance_conflict.png (a status
another clerk changed after the grid read it: refused, re-read) and shortfall_list.png (学时).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from models.core.audit import set_actor
from models.training import hours as hr
from models.training import list_classes, record_attendance
from tests.ui.screenshots import harness
from ui import messages
from ui.training.attendance_view import AttendanceView


def _conflict_box(shots: harness.Session, att: AttendanceView) -> QMessageBox:
    """Mark a trainee whom 李四 marked 请假 meanwhile; the conflict box the tab then shows."""
    boxes: list[QMessageBox] = []
    real = messages.conflict
    messages.conflict = lambda parent, text: boxes.append(messages.conflict_box(parent, text))
    try:
        session, row = att.current_session(), att.model.rows[0]
        assert session is not None
        set_actor("李四")
        try:
            record_attendance(session.id, {row.cadre_id: hr.LEAVE})
        finally:
            set_actor(None)
        att.set_status([row.cadre_id], hr.ABSENT)
        shots.wait(lambda: bool(boxes))
    finally:
        messages.conflict = real
    return boxes[0]


def make(out: Path) -> list[Path]:
    with harness.session(out, cadres=300, seed=1) as shots:
        window = shots.main_window()
        training = window.training_view
        harness.show_section(window, training)
        running = next(c for c in list_classes() if c.status == "进行中")
        training.select_class(running.id)
        training.tabs.setCurrentWidget(training.timetable)
        shots.settle()
        shots.save(window, "timetable_grid.png")

        training.tabs.setCurrentWidget(training.attendance)
        att = training.attendance
        past = [s for s in att.sessions if s.day < dt.date.today()]
        if past:
            att.select_session(past[-1].id)
        shots.settle()
        shots.save(window, "attendance_grid.png")
        shots.save_with_dialog(window, _conflict_box(shots, att), "attendance_conflict.png")

        hours = window.hours_view
        harness.show_section(window, hours)
        hours.reload()
        hours.table.selectRow(0)
        shots.settle()
        shots.save(window, "shortfall_list.png")
        return shots.saved


if __name__ == "__main__":
    raise SystemExit(harness.main(make))
