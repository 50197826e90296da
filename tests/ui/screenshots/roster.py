"""Save screenshots of the roster and the edit dialog (offscreen) for review.

    .venv/bin/python -m tests.ui.make_screenshots [OUT_DIR]

Builds a 300-cadre demo database in a temporary folder, so it never touches user data.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QStandardPaths  # noqa: E402
from PySide6.QtWidgets import QApplication, QLineEdit  # noqa: E402

from models.core.db import close_database, open_database  # noqa: E402
from models.demo import build_demo  # noqa: E402

SIZE = (1280, 800)


def settle(app: QApplication, widget_check: object = None) -> None:
    for _ in range(5):
        app.processEvents()


def add_zs_people(view: object) -> None:
    import datetime as dt

    from models.roster import idcard
    from models.roster import service as roster

    unit = roster.list_units()[1].id
    for seq, (name, sex, birth) in enumerate(
        [("张三", "男", dt.date(1975, 3, 12)), ("赵爽", "女", dt.date(1983, 6, 2)),
         ("周胜利", "男", dt.date(1971, 10, 8))], start=1):  # fmt: skip
        order = seq * 10 + (1 if sex == "男" else 2)
        first17 = f"620402{birth:%Y%m%d}{order:03d}"
        roster.save_cadre(
            roster.CadreInput(
                name=name, sex=sex, birth_date=birth, ethnicity="汉族",
                political_status="中共党员", party_date=dt.date(birth.year + 23, 7, 1),
                unit_id=unit, post_title="科员", rank="一级科员",
                id_card=first17 + idcard.check_char(first17),
            ),
            accept_warnings=True,
        )  # fmt: skip
    view.reload_units()  # type: ignore[attr-defined]


def main(out: Path) -> int:
    from ui import settings
    from ui.app import create_app
    from ui.main_window import MainWindow
    from ui.roster.cadre_dialog import CadreDialog

    out.mkdir(parents=True, exist_ok=True)
    QStandardPaths.setTestModeEnabled(True)
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "demo.db"
        settings.use_file(Path(tmp) / "settings.ini")
        build_demo(db_path, cadres=300, seed=1)
        app = create_app([sys.argv[0]])
        open_database(db_path)
        try:
            window = MainWindow(db_path)
            window.resize(*SIZE)
            window.show()
            settle(app)
            window.grab().save(str(out / "roster_full.png"))

            view = window.roster_view
            # The 300-cadre demo happens to have no name with initials "zs": add three.
            add_zs_people(view)
            window.update_counts()
            view.search.setText("zs")
            view.apply_filter()
            settle(app)
            window.grab().save(str(out / "roster_search_zs.png"))

            view.search.clear()
            view.apply_filter()
            cadre_id = min(view.model.ids)  # a demo cadre (the three added above come last)
            dialog = CadreDialog(window, cadre_id)
            id_edit = dialog.widgets["id_card"]
            assert isinstance(id_edit, QLineEdit)
            number = id_edit.text()
            bad_last = "0" if number[-1] != "0" else "1"
            id_edit.setText(number[:-1] + bad_last)  # a wrong check digit
            phone = dialog.widgets["phone"]
            assert isinstance(phone, QLineEdit)
            phone.setText("0943-82abc")
            dialog._touched.update({"id_card", "phone"})
            dialog.validate_now()
            dialog.adjustSize()
            dialog.show()
            settle(app)
            dialog.grab().save(str(out / "cadre_dialog_error.png"))
            dialog.close()
            window.close()
        finally:
            close_database()
            settings.use_file(None)
    print(f"screenshots written to {out}")
    return 0


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[2] / "screenshots"
    raise SystemExit(main(target))
