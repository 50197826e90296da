"""Save screenshots of the training screens (offscreen) for review.

    .venv/bin/python -m tests.ui.make_training_screenshots [OUT_DIR]

Builds a 300-cadre demo database in a temporary folder (never touches user data) and saves
timetable_grid.png (the class in progress), attendance_grid.png and shortfall_list.png.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QStandardPaths  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from models.core.db import close_database, open_database  # noqa: E402
from models.demo import build_demo  # noqa: E402

SIZE = (1280, 800)


def settle(app: QApplication) -> None:
    for _ in range(8):
        app.processEvents()


def main(out: Path) -> int:
    from ui import settings
    from ui.app import create_app
    from ui.main_window import MainWindow

    out.mkdir(parents=True, exist_ok=True)
    QStandardPaths.setTestModeEnabled(True)
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "demo.db"
        settings.use_file(Path(tmp) / "settings.ini")
        build_demo(db_path, cadres=300, seed=1)
        app = create_app([sys.argv[0]])
        open_database(db_path)
        try:
            window = MainWindow(db_path)
            window.resize(*SIZE)
            window.show()
            training = window.training_view
            window.nav.setCurrentRow(window.stack.indexOf(training))
            from models.training.classes import list_classes

            running = next(c for c in list_classes() if c.status == "进行中")
            training.select_class(running.id)
            training.tabs.setCurrentWidget(training.timetable)
            settle(app)
            window.grab().save(str(out / "timetable_grid.png"))

            training.tabs.setCurrentWidget(training.attendance)
            att = training.attendance
            today = dt.date.today()
            past = [s for s in att.sessions if s.day < today]
            if past:
                att.select_session(past[-1].id)
            settle(app)
            window.grab().save(str(out / "attendance_grid.png"))

            hours = window.hours_view
            window.nav.setCurrentRow(window.stack.indexOf(hours))
            hours.reload()
            hours.table.selectRow(0)
            settle(app)
            window.grab().save(str(out / "shortfall_list.png"))
            window.close()
        finally:
            close_database()
    print(f"saved to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("screenshots")))
