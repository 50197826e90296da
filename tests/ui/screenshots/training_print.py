"""Screenshots of printing a training kit, on a 300-cadre demo: training_print_menu.png (the
培训班 section with its 打印 button, the finished class selected) and
training_print_preview.png (打印 → 课程表: the preview window at 1280 × 800).
"""

from __future__ import annotations

from pathlib import Path

from models.training import list_classes
from tests.ui.screenshots import harness
from ui import jobs


def make(out: Path) -> list[Path]:
    with harness.session(out, cadres=300, seed=1) as shots:
        window = shots.main_window()
        training = window.training_view
        harness.show_section(window, training)
        finished = next(c for c in list_classes() if c.status == "已结业")
        training.select_class(finished.id)
        shots.settle()
        shots.save(window, "training_print_menu.png")

        training.printer.preview_timetable()
        jobs.runner().wait(60_000)
        shots.settle(20)
        dialog = training.printer.dialog
        if dialog is None:
            raise RuntimeError("the preview did not open")
        dialog.resize(*harness.SIZE)
        shots.settle(40, pause=0.05)
        shots.save(dialog, "training_print_preview.png")
        dialog.close()
        return shots.saved


if __name__ == "__main__":
    raise SystemExit(harness.main(make))
