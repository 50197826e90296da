"""Save a screenshot of the 选学 tab after a settlement (offscreen) for review.

    .venv/bin/python -m tests.ui.make_electives_screenshot [OUT_DIR]

Builds a 300-cadre demo database in a temporary folder (never touches user data), adds four
elective courses to the class being planned, hands in wishes for its trainees (fixed
seed), settles them 按职级 and saves electives_view.png.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QStandardPaths  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from models.core.db import close_database, open_database  # noqa: E402
from models.demo import build_demo  # noqa: E402

SIZE = (1280, 800)
ELECTIVES = (("数字政府建设", 12), ("公文写作与处理", 10), ("突发事件应急处置", 0), ("心理调适", 8))


def settle(app: QApplication) -> None:
    for _ in range(8):
        app.processEvents()


def add_electives(class_id: int) -> None:
    from models.training.classes import (
        CourseInput,
        class_courses,
        save_course,
        set_class_courses,
    )
    from models.training.planner import plan as tt
    from models.training.trainees import list_trainees, set_elective_choices

    current = class_courses(class_id)
    ids = [cc.course.id for cc in current]
    caps = {cc.course.id: cc.capacity for cc in current}
    electives = []
    for title, places in ELECTIVES:
        cid = save_course(CourseInput(title, tt.LECTURE, 1, elective=True)).id
        electives.append(cid)
        caps[cid] = places
    set_class_courses(class_id, ids + electives, caps)
    rng = random.Random(7)
    start = dt.datetime(2026, 3, 16, 8, 30)
    popular = [electives[0], electives[0], electives[1], electives[0], electives[3]]
    for k, t in enumerate(list_trainees(class_id)):
        if k % 11 == 10:
            continue  # a few hand nothing in
        first = rng.choice(popular)
        rest = [e for e in electives if e != first]
        rng.shuffle(rest)
        wishes = [first, *rest[: rng.choice((1, 2))]]
        set_elective_choices(class_id, t.cadre_id, wishes, at=start + dt.timedelta(minutes=7 * k))


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
            from models.training.classes import list_classes

            planned = next(c for c in list_classes() if c.status == "筹备")
            add_electives(planned.id)
            window = MainWindow(db_path)
            window.resize(*SIZE)
            window.show()
            training = window.training_view
            window.nav.setCurrentRow(window.stack.indexOf(training))
            training.select_class(planned.id)
            training.tabs.setCurrentWidget(training.electives)
            view = training.electives
            view.rule.setCurrentIndex(view.rule.findData("by_rank"))
            view.settle()
            view.moved_only.setChecked(True)  # who was moved, and why
            settle(app)
            window.grab().save(str(out / "electives_view.png"))
            window.close()
        finally:
            close_database()
    print(f"saved to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("screenshots")))
