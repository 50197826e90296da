"""How the sections behave on a big round, shown on the 300-cadre demo with the size above
which a screen reads in the background lowered to 100 (as a 50,000-person round is):

* grid_loading.png: 年度考核 right after it opens: the section usable, the grid saying
  正在读取 N 人的评分…, its buttons waiting;
* grid_loaded.png: the same once read: every participating member, the hint with the count;
* print_preview_first.png: 报表打印 previewing the 考核登记表 of everyone: the first 200
  people, the title saying so and pointing to 批量生成.
"""

from __future__ import annotations

from pathlib import Path

from tests.ui.screenshots import harness
from ui import jobs


def make(out: Path) -> list[Path]:
    before = jobs.BACKGROUND_ROWS
    jobs.BACKGROUND_ROWS = 100  # as for a 50,000-person round; restored for later scripts
    try:
        return _make(out)
    finally:
        jobs.BACKGROUND_ROWS = before


def _make(out: Path) -> list[Path]:
    with harness.session(out, cadres=300, seed=1) as shots:
        window = shots.main_window()
        view = window.assessment_view
        harness.show_section(window, view)
        shots.save(window, "grid_loading.png")  # before the worker's answer is handled
        shots.wait(lambda: view.grid.model.rowCount() > 0)
        shots.settle()
        shots.save(window, "grid_loaded.png")

        pv = window.print_view
        harness.show_section(window, pv)
        shots.wait(lambda: pv.people.count() > 0)
        pv.report.setCurrentIndex(pv.report.findData("sheet_official"))
        job = pv.start_preview()
        shots.wait(lambda: job is None or job.done)
        shots.settle(20, pause=1.0)
        shots.save(window, "print_preview_first.png")
        return shots.saved


if __name__ == "__main__":
    raise SystemExit(harness.main(make))
