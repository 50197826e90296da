"""Screenshots of the 单位考评 section on the 300-cadre demo (last year's evaluation of the
市直 departments and 县区领导班子, approved):

* evaluation_tasks.png: 任务分解 — every unit's tasks with 类别, 重点工作, 分值, 完成时限;
* evaluation_checks.png: 季度自查 of a task with a late (逾期补报) quarter;
* evaluation_results.png: 年终考评 — ranked units with their scores, totals, grades and how
  each total was made.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from models.evaluation import list_checks
from tests.ui.screenshots import harness


def make(out: Path) -> list[Path]:
    with harness.session(out, cadres=300, seed=1, today=dt.date(2026, 12, 7)) as shots:
        window = shots.main_window()
        view = window.evaluation_view
        harness.show_section(window, view)
        view.year.setValue(2025)
        shots.settle()
        shots.save(window, "evaluation_tasks.png")
        view.tabs.setCurrentIndex(1)
        for k in range(view.check_task.count()):
            if any(c.late for c in list_checks(view.check_task.itemData(k))):
                view.check_task.setCurrentIndex(k)
                break
        shots.settle()
        shots.save(window, "evaluation_checks.png")
        view.tabs.setCurrentIndex(2)
        view.result_table.selectRow(0)
        shots.settle()
        shots.save(window, "evaluation_results.png")
        return shots.saved


if __name__ == "__main__":
    raise SystemExit(harness.main(make))
