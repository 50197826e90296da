"""Save a screenshot of the training kit's preview window (offscreen) for review.

    .venv/bin/python -m tests.ui.make_training_print_screenshot [OUT_DIR]

Builds a 300-cadre demo database in a temporary folder (never touches user data), opens the
培训班 section, chooses 打印 → 课程表 for the finished class and saves
training_print_preview.png (the preview window at 1280x800) and training_print_menu.png (the
section with its 打印 button).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QStandardPaths  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from models.core.db import close_database, open_database  # noqa: E402
from models.demo import build_demo  # noqa: E402

SIZE = (1280, 800)


def settle(app: QApplication, rounds: int = 8, pause: float = 0.0) -> None:
    """Process events; ``pause`` gives QPdfView's render thread time to paint the pages."""
    for _ in range(rounds):
        app.processEvents()
        if pause:
            time.sleep(pause)


def main(out: Path) -> int:
    from models.training.classes import list_classes
    from ui import jobs, settings
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
            finished = next(c for c in list_classes() if c.status == "已结业")
            training.select_class(finished.id)
            settle(app)
            window.grab().save(str(out / "training_print_menu.png"))

            training.printer.preview_timetable()
            jobs.runner().wait(60_000)
            settle(app, 20)
            dialog = training.printer.dialog
            if dialog is None:
                print("the preview did not open", file=sys.stderr)
                return 1
            dialog.resize(*SIZE)
            settle(app, 40, pause=0.05)
            dialog.grab().save(str(out / "training_print_preview.png"))
            dialog.close()
            window.close()
        finally:
            close_database()
    print(f"saved to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("screenshots")))
