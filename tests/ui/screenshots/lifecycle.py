"""Screenshots of a class's lifecycle, on a 300-cadre demo: class_closed.png (the class list
with the finished class chosen: 结业… disabled, 重新开班… offered) and
attendance_correction.png (its 考勤与结业 tab, read-only, with the 更正 dialog filled in).
"""

from __future__ import annotations

from pathlib import Path

from models.training import hours as hr
from models.training import list_classes
from tests.ui.screenshots import harness
from ui.training.attendance_view import CorrectionDialog, session_label


def make(out: Path) -> list[Path]:
    with harness.session(out, cadres=300, seed=1) as shots:
        window = shots.main_window()
        training = window.training_view
        harness.show_section(window, training)
        closed = next(c for c in list_classes() if c.status == "已结业")
        training.select_class(closed.id)
        training.tabs.setCurrentWidget(training.attendance)
        att = training.attendance
        att.select_session(att.sessions[3].id)
        row = next((r for r in att.model.rows if r.status == hr.ABSENT), att.model.rows[0])
        att.table.selectRow(att.model.row_of(row.cadre_id))
        shots.settle()
        shots.save(window, "class_closed.png")

        session = att.current_session()
        assert session is not None
        new = hr.LEAVE if row.status != hr.LEAVE else hr.PRESENT
        dialog = CorrectionDialog(row, session_label(session), new, window)
        dialog.reason.setText("补交请假条，经班主任核实")
        shots.save_with_dialog(window, dialog, "attendance_correction.png")
        return shots.saved


if __name__ == "__main__":
    raise SystemExit(harness.main(make))
