"""Save screenshots of the import wizard (column mapping, preview with errors) and the 代码表
screen, offscreen, for review.

    .venv/bin/python -m tests.ui.make_import_screenshots [OUT_DIR]

Works on a 300-cadre demo database and a generated 花名册 in a temporary folder, so it
never touches user data.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from openpyxl import Workbook  # noqa: E402
from PySide6.QtCore import QStandardPaths  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from models.core.db import close_database, open_database  # noqa: E402
from models.demo import build_demo  # noqa: E402

HEADER = ["序号", "姓 名", "性别", "出生年月", "民族", "政治面貌", "入党时间", "公民身份号码",
          "工作单位", "现任职务", "职级", "个人手机", "档案编号"]  # fmt: skip


def wait(app: QApplication, done: Callable[[], bool], limit: float = 60.0) -> None:
    end = time.monotonic() + limit
    while not done():
        if time.monotonic() > end:
            raise TimeoutError("the wizard did not finish its step")
        app.processEvents()
        time.sleep(0.01)
    for _ in range(5):
        app.processEvents()


def write_sheet(path: Path, demo_ids: list[str]) -> None:
    """A 花名册 with a title row, two columns nobody recognises, and a few mistakes."""
    from models.roster import idcard

    def new_id(birth: str, seq: int, male: bool) -> str:
        first17 = f"620402{birth}{seq * 10 + (1 if male else 2):03d}"
        return first17 + idcard.check_char(first17)

    wb = Workbook()
    ws = wb.active
    ws.title = "市直机关"
    ws.append(["白银市直机关干部花名册（2026年11月）"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    ws.append(HEADER)
    good = new_id("19850416", 7, True)
    bad = new_id("19911203", 8, False)
    bad = bad[:-1] + ("1" if bad[-1] != "1" else "2")  # a wrong check digit
    rows = [
        ["吴刚", "男", "1985.04", "汉族", "中共党员", "2008.06", good, "白银市/市委/市委组织部",
         "干部科科员", "一级科员"],
        ["郑爽", "女", "1991.12", "汉族", "共青团员", "", bad,
         "白银市/市委/市委组织部", "干部科科员", "二级科员"],
        ["孙海涛", "男", "1979.3", "回族", "中共党员", "2001.07", new_id("19790321", 9, True),
         "白银市/白银区", "副区长", "处长"],
        ["李明华", "男", "1983年7月", "汉族", "中共党员", "2005.12", new_id("19830702", 3, True),
         "白银市/靖远县", "县委办公室主任", "一级主任科员"],
        ["周婷", "女", "1990-02", "汉族", "群众", "", new_id("19900211", 4, False),
         "白银市/会宁县", "科员", "一级科员"],
        ["钱志强", "男", "197608", "汉族", "中共党员", "1999.07", demo_ids[0], "白银市/白银区",
         "区委副书记", "二级巡视员"],
        ["王建国", "男", "1968.10", "汉族", "中共党员", "1992.05", new_id("19681030", 5, True),
         "白银市/景泰县", "调研员", "三级调研员"],
        ["赵丽", "女", "1994.05", "汉族", "中共党员", "2016.06", new_id("19940518", 6, False),
         "白银市/平川区", "科员", "四级主任科员"],
    ]  # fmt: skip
    for n, r in enumerate(rows, start=1):
        ws.append([n, *r, f"1390943{n:04d}", f"BY-{n:04d}"])
    wb.save(path)


def main(out: Path) -> int:
    from models.roster import service as roster
    from ui import settings
    from ui.app import create_app
    from ui.main_window import MainWindow
    from ui.roster.importing.wizard import ImportWizard

    out.mkdir(parents=True, exist_ok=True)
    QStandardPaths.setTestModeEnabled(True)
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "demo.db"
        settings.use_file(Path(tmp) / "settings.ini")
        build_demo(db_path, cadres=300, seed=1)
        app = create_app([sys.argv[0]])
        open_database(db_path)
        try:
            sheet = Path(tmp) / "市直机关花名册.xlsx"
            first = roster.get_cadre(roster.query_ids(roster.RosterFilter())[0])
            write_sheet(sheet, [first.id_card])

            wizard = ImportWizard()
            wizard.resize(1180, 640)
            wizard.show()
            wizard.path_edit.setText(str(sheet))
            wizard.go_next()
            wait(app, lambda: wizard.job is None and wizard.page == ImportWizard.MAPPING)
            wizard.set_column_choice("L", "phone")
            wait(app, lambda: True)
            wizard.grab().save(str(out / "import_mapping.png"))

            wizard.go_next()
            wait(app, lambda: wizard.job is None and wizard.page == ImportWizard.OPTIONS)
            wizard.go_next()
            wait(app, lambda: wizard.job is None and wizard.page == ImportWizard.PREVIEW)
            wizard.grab().save(str(out / "import_preview_errors.png"))
            wizard.close()

            window = MainWindow(db_path)
            window.resize(1280, 800)
            window.show()
            sections = [window.nav.item(i).text() for i in range(window.nav.count())]
            window.nav.setCurrentRow(sections.index("代码表"))
            window.codes_view.select_kind("rank")
            wait(app, lambda: True)
            window.grab().save(str(out / "codes_view.png"))
            window.close()
        finally:
            close_database()
            settings.use_file(None)
    print(f"screenshots written to {out}")
    return 0


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[2] / "screenshots"
    raise SystemExit(main(target))
