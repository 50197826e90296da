"""Save renders of the printed 考核 reports and a screenshot of the 报表打印 section.

    .venv/bin/python -m tests.ui.make_print_screenshots [OUT_DIR]

Builds a 300-cadre demo database in a temporary folder (never touches user data), then saves
report_summary-1.png, report_approval-1.png, sheet_demo-1.png (pdftoppm -r 60, first page)
and print_view.png (the section with the 汇总表 of one unit previewed).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QStandardPaths  # noqa: E402

from models.core.db import close_database, open_database  # noqa: E402
from models.demo import build_demo  # noqa: E402

SIZE = (1280, 800)
YEAR = 2025


def render(pdf: Path, out: Path, stem: str) -> None:
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf), str(out / stem)],
        check=True,
    )
    # pdftoppm pads the page number to the page count's width: report_summary-01.png
    made = sorted(out.glob(f"{stem}-*.png"), key=lambda p: p.stat().st_mtime)[-1]
    made.replace(out / f"{stem}-1.png")


def main(out: Path) -> int:
    from models.assessment.grading.service import person_sheet
    from models.assessment.service import find_round, list_members
    from models.roster.tables import Unit
    from reports.assessment import summary as ar
    from reports.sheets.batch import print_sheets
    from reports.sheets.data import training_hours
    from ui import settings
    from ui.app import create_app
    from ui.main_window import MainWindow

    out.mkdir(parents=True, exist_ok=True)
    QStandardPaths.setTestModeEnabled(True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db_path = folder / "demo.db"
        settings.use_file(folder / "settings.ini")
        build_demo(db_path, cadres=300, seed=1)
        app = create_app([sys.argv[0]])
        open_database(db_path)
        try:
            rnd = find_round(YEAR)
            tie = Unit.get(Unit.name == "市住房和城乡建设局").id
            ar.print_summary(YEAR, folder / "summary.pdf", unit_id=None)
            render(folder / "summary.pdf", out, "report_summary")
            ar.print_approval(YEAR, folder / "approval.pdf")
            render(folder / "approval.pdf", out, "report_approval")
            # a person whose sheet shows most of the data: 加分 and 学时 of the year
            chosen = next(
                m
                for m in list_members(rnd.id)
                if person_sheet(rnd.id, m.cadre_id).adjustments and training_hours(m.cadre_id, YEAR)
            )
            print_sheets(rnd.id, None, folder / "sheet.pdf", cadre_ids=[chosen.cadre_id])
            render(folder / "sheet.pdf", out, "sheet_demo")

            window = MainWindow(db_path)
            window.resize(*SIZE)
            window.show()
            view = window.print_view
            window.nav.setCurrentRow(window.stack.indexOf(view))
            view.report.setCurrentIndex(view.report.findData("summary"))
            view.unit.setCurrentIndex(view.unit.findData(tie))
            job = view.start_preview()
            while job is not None and not job.done:
                app.processEvents()
            for _ in range(20):
                app.processEvents()
            window.grab().save(str(out / "print_view.png"))
            window.close()
        finally:
            close_database()
    print(f"saved to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("screenshots")))
