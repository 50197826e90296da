"""Screenshots of the charts, on the 300-cadre demo (last year's graded annual round):
chart_overview.png (结果汇总 with 图表 pressed: grades by unit and each unit's 优秀 share
against the percent and the ceiling), chart_hours.png (学时: the 学时不足名单 with each unit's
completion beside it), chart_shares.png (the running class's 课表 with 三三制图表 pressed) and
chart_summary_pdf-1.png (the 考核结果汇总表's first page with its grade chart, at 60 dpi).
"""

from __future__ import annotations

from pathlib import Path

from models.training import list_classes
from reports.assessment import summary as ar
from tests.ui.screenshots import harness

YEAR = 2025


def make(out: Path) -> list[Path]:
    with harness.session(out, cadres=300, seed=1) as shots:
        ar.print_report("summary", YEAR, shots.folder / "summary.pdf")
        shots.save_pdf_page(shots.folder / "summary.pdf", "chart_summary_pdf")

        window = shots.main_window()
        assessment = window.assessment_view
        harness.show_section(window, assessment)
        assessment.tabs.setCurrentWidget(assessment.overview)
        assessment.overview.chart.button.setChecked(True)
        shots.settle()
        shots.save(window, "chart_overview.png")

        hours = window.hours_view
        harness.show_section(window, hours)
        job = hours.reload()
        shots.wait(lambda: job.done)
        shots.save(window, "chart_hours.png")

        training = window.training_view
        harness.show_section(window, training)
        running = next(c for c in list_classes() if c.status == "进行中")
        training.select_class(running.id)
        training.tabs.setCurrentWidget(training.timetable)
        training.timetable.shares_chart.button.setChecked(True)
        shots.settle()
        shots.save(window, "chart_shares.png")
        return shots.saved


if __name__ == "__main__":
    raise SystemExit(harness.main(make))
