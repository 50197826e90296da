"""Save a screenshot of the 年度考核 人员情况 tab (offscreen) for review.

    .venv/bin/python -m tests.ui.make_people_screenshot [OUT_DIR]

Builds a 120-cadre demo database (last year's graded annual round) in a temporary folder,
shows the 人员情况 tab for 全部单位 with the demo's person under 诫勉 selected, and
saves assessment_people.png (1280 × 800).
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
    from models.assessment.scores import list_sanctions
    from models.assessment.service import find_round, list_members
    from ui import settings
    from ui.app import create_app
    from ui.main_window import MainWindow

    out.mkdir(parents=True, exist_ok=True)
    QStandardPaths.setTestModeEnabled(True)
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "demo.db"
        settings.use_file(Path(tmp) / "settings.ini")
        build_demo(db_path, cadres=120, seed=1, today=dt.date(2026, 3, 18), parts=("assessment",))
        app = create_app([sys.argv[0]])
        open_database(db_path)
        try:
            window = MainWindow(db_path)
            window.resize(*SIZE)
            window.show()
            view = window.assessment_view
            window.nav.setCurrentRow(window.stack.indexOf(view))
            view.tabs.setCurrentWidget(view.people)
            rnd = find_round(2025)
            # 全部单位, the demo's person under 诫勉 selected (sanction and history visible)
            admonished = next(
                m
                for m in list_members(rnd.id)
                if any(s.code == "admonition" for s in list_sanctions(m.cadre_id))
            )
            view.people.select_person(admonished.cadre_id, 8)
            settle(app)
            window.grab().save(str(out / "assessment_people.png"))
        finally:
            close_database()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("screenshots")))
