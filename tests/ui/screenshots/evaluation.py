"""Screenshots of the 单位考评 section on the 300-cadre demo (last year's evaluation of the
市直 departments and 县区领导班子, approved):

* evaluation_tasks.png: 任务分解 — every unit's tasks with 类别, 重点工作, 分值, 完成时限;
* evaluation_checks.png: 季度自查 of a task with a late (逾期补报) quarter;
* evaluation_results.png: 年终考评 — ranked units with their scores, 班子得分, totals, grades
  and how each total was made;
* evaluation_team.png: 领导班子评分 of the first unit — five items with weights, the 民主测评
  votes by group and the 班子得分 they make;
* evaluation_evidence.png: 佐证材料 of a self-check with a ledger filed;
* evaluation_team_form-1.png: the first unit's 领导班子年度考核登记表;
* evaluation_bulletin-1.png: the second half's 督查通报 (ranking, 表扬, 通报批评);
* evaluation_task_table-1.png, evaluation_self_check-1.png (市委办公室, the whole year),
  evaluation_results_pdf-1.png and -2.png (the 考评结果汇总表 and its chart of totals).
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from models.evaluation import list_checks, list_evidence, read_team, year_rules
from models.roster.tables import Unit
from reports.evaluation import (
    print_bulletin,
    print_results,
    print_self_check,
    print_tasks,
    print_team_form,
)
from tests.ui.screenshots import harness
from ui.evaluation import EvidenceDialog, TeamDialog


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
        first = view.result_model.rows[0]
        team = TeamDialog(read_team(2025, first.unit_id), year_rules(2025), window)
        shots.save_with_dialog(window, team, "evaluation_team.png")

        view.tabs.setCurrentIndex(1)
        for k in range(view.check_task.count()):
            checks = list_checks(view.check_task.itemData(k))
            filed = next((c for c in checks if list_evidence(c.id)), None)
            if filed is not None:
                view.check_task.setCurrentIndex(k)
                break
        assert filed is not None, "the demo files ledgers with some self-checks"
        task = next(t for t in view.task_model.rows if t.id == view.check_task.currentData())
        shots.settle()
        dialog = EvidenceDialog(filed, task.title, dt.date(2026, 12, 7), True, window)
        shots.save_with_dialog(window, dialog, "evaluation_evidence.png")

        pdf = shots.folder / "evaluation_team_form.pdf"
        print_team_form(2025, first.unit_id, str(pdf))
        shots.save_pdf_page(pdf, "evaluation_team_form")
        office = Unit.get(Unit.name == "市委办公室")
        for stem, write in (
            ("evaluation_bulletin", lambda p: print_bulletin(2025, 2, str(p))),
            ("evaluation_task_table", lambda p: print_tasks(2025, p)),
            ("evaluation_self_check", lambda p: print_self_check(2025, office.id, office.name,
                                                                 None, p)),
            ("evaluation_results_pdf", lambda p: print_results(2025, p)),
        ):  # fmt: skip
            write(pdf)
            shots.save_pdf_page(pdf, stem)
        # the chart of totals is the summary's second page
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "2", "-l", "2", str(pdf),
                        str(shots.out / "chart")], check=True)  # fmt: skip
        made = sorted(shots.out.glob("chart-*.png"), key=lambda p: p.stat().st_mtime)[-1]
        shots.saved.append(made.replace(shots.out / "evaluation_results_pdf-2.png"))
        pdf.unlink()
        return shots.saved


if __name__ == "__main__":
    raise SystemExit(harness.main(make))
