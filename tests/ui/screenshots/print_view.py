"""Renders of the printed 考核 reports and a screenshot of the 报表打印 section, on a
300-cadre demo: report_summary-1.png, report_approval-1.png, sheet_demo-1.png (the official
考核登记表) and sheet_scored-1.png (the person's 考核评分表) (first pages at 60 dpi) and
print_view.png (the section with the 汇总表 of one unit previewed).
"""

from __future__ import annotations

from pathlib import Path

from models.assessment import find_round, list_members
from models.assessment.results import person_sheet
from models.roster.tables import Unit
from reports.assessment import summary as ar
from reports.sheets.batch import PrintOptions, print_sheets
from reports.sheets.data import training_hours
from reports.sheets.model import SheetVariant
from tests.ui.screenshots import harness

YEAR = 2025


def make(out: Path) -> list[Path]:
    with harness.session(out, cadres=300, seed=1) as shots:
        folder = shots.folder
        rnd = find_round(YEAR)
        tie = Unit.get(Unit.name == "市住房和城乡建设局").id
        ar.print_report("summary", YEAR, folder / "summary.pdf", unit_id=None)
        shots.save_pdf_page(folder / "summary.pdf", "report_summary")
        ar.print_report("approval", YEAR, folder / "approval.pdf")
        shots.save_pdf_page(folder / "approval.pdf", "report_approval")
        # a person whose sheet shows most of the data: 加分 and 学时 of the year
        chosen = next(
            m
            for m in list_members(rnd.id)
            if person_sheet(rnd.id, m.cadre_id).adjustments and training_hours(m.cadre_id, YEAR)
        )
        print_sheets(rnd.id, None, folder / "sheet.pdf", cadre_ids=[chosen.cadre_id])
        shots.save_pdf_page(folder / "sheet.pdf", "sheet_demo")
        scored = PrintOptions(variant=SheetVariant.SCORED)
        print_sheets(
            rnd.id, None, folder / "scored.pdf", options=scored, cadre_ids=[chosen.cadre_id]
        )
        shots.save_pdf_page(folder / "scored.pdf", "sheet_scored")

        window = shots.main_window()
        view = window.print_view
        harness.show_section(window, view)
        view.report.setCurrentIndex(view.report.findData("summary"))
        view.unit.setCurrentIndex(view.unit.findData(tie))
        job = view.start_preview()
        shots.wait(lambda: job is None or job.done)
        shots.settle(20)
        shots.save(window, "print_view.png")
        return shots.saved


if __name__ == "__main__":
    raise SystemExit(harness.main(make))
