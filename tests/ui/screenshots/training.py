"""Screenshots of the training screens, on a 300-cadre demo: timetable_grid.png (the class in
progress), attendance_grid.png (its last past session) and shortfall_list.png (学时).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from models.training import list_classes
from tests.ui.screenshots import harness


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

        hours = window.hours_view
        harness.show_section(window, hours)
        hours.reload()
        hours.table.selectRow(0)
        shots.settle()
        shots.save(window, "shortfall_list.png")
        return shots.saved


if __name__ == "__main__":
    raise SystemExit(harness.main(make))
