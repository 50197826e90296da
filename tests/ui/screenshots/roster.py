"""Screenshots of the roster: roster_full.png, roster_search_zs.png (the 拼音 initials search:
丁爽 is not found, 丁 being dīng as a surname), roster_sorted_by_name.png (陈 before 程)
and cadre_dialog_error.png (the edit dialog with a wrong check digit and a bad phone number),
on a 300-cadre demo.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from models.roster import idcard
from models.roster import service as roster
from tests.ui.screenshots import harness
from ui.roster.cadre_dialog import CadreDialog
from ui.roster.roster_view import RosterView


def add_zs_people(view: RosterView) -> None:
    """The 300-cadre demo happens to have no name with initials "zs": add three, and 丁爽
    (whom a search by every dictionary reading of 丁, zhēng included, would also find)."""
    unit = roster.list_units()[1].id
    for seq, (name, sex, birth) in enumerate(
        [("张三", "男", dt.date(1975, 3, 12)), ("赵爽", "女", dt.date(1983, 6, 2)),
         ("周胜利", "男", dt.date(1971, 10, 8)), ("丁爽", "男", dt.date(1979, 4, 16))],
        start=1):  # fmt: skip
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
    view.reload_units()


def make(out: Path) -> list[Path]:
    with harness.session(out, cadres=300, seed=1) as shots:
        window = shots.main_window()
        shots.settle()
        shots.save(window, "roster_full.png")

        view = window.roster_view
        add_zs_people(view)
        window.update_counts()
        view.search.setText("zs")
        view.apply_filter()
        shots.settle(5)  # before the search field's clear button fades in
        shots.save(window, "roster_search_zs.png")

        view.search.clear()
        view.apply_filter()
        model = view.table.model()
        name_col = next(
            c
            for c in range(model.columnCount())
            if model.headerData(c, Qt.Orientation.Horizontal) == "姓名"
        )
        view.table.horizontalHeader().setSortIndicator(name_col, Qt.SortOrder.AscendingOrder)
        shots.settle()
        shots.save(window, "roster_sorted_by_name.png")
        view.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)

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
        dialog.validate_now()  # editing a cadre: every field counts as touched
        dialog.adjustSize()
        dialog.show()
        shots.settle()
        shots.save(dialog, "cadre_dialog_error.png")
        dialog.close()
        return shots.saved


if __name__ == "__main__":
    raise SystemExit(harness.main(make))
