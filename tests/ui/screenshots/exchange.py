"""Screenshots of 数据交换 between a county 组织部 and the city (two demo databases in a
temporary folder): the city first received the county's roster; then both edited the same
cadre's phone number, and the county sends its roster again.

* exchange_send.png: 发送 on the county's side (a unit's roster); exchange_send_hours.png:
  the 学时 of a period chosen instead;
* exchange_receive.png: 接收 on the city's side: the counts per table (新增, 相同, 对方修改,
  本地修改, 冲突) and the conflict with both values, before 接收;
* exchange_history.png: 记录 after receiving, with the packages' hashes.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from PySide6.QtCore import QDate

from models import exchange as ex
from models.core.db import close_database
from models.demo import build_demo
from models.roster.tables import Cadre, Unit
from models.schema import open_database
from tests.ui.screenshots import harness


def make(out: Path) -> list[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        county = Path(tmp) / "county.db"
        build_demo(county, cadres=120, today=dt.date(2026, 12, 7), parts=())
        first, again = Path(tmp) / "名册.cdx", Path(tmp) / "名册（第二次）.cdx"
        with harness.session(
            out, cadres=120, seed=1, parts=(), today=dt.date(2026, 12, 7)
        ) as shots:
            close_database()
            open_database(county)
            ex.set_office("靖远县委组织部")
            jingyuan = Unit.get(Unit.name == "靖远县").id
            ex.export_unit(jingyuan, first)
            close_database()
            open_database(shots.db_path)
            ex.set_office("白银市委组织部")
            ex.apply(ex.preview(first))
            person = (
                Cadre.select()
                .join(Unit)
                .where((Unit.parent == Unit.get(Unit.name == "靖远县").id) & (Cadre.phone != ""))
                .first()
            )
            Cadre.update(phone="0943-6612345").where(Cadre.id == person.id).execute()
            close_database()
            open_database(county)
            Cadre.update(phone="0943-6688888").where(Cadre.id_card == person.id_card).execute()
            ex.export_unit(jingyuan, again)
            window = shots.main_window()
            view = window.exchange_view
            harness.show_section(window, view)
            view.reload()
            view.send_unit.setChecked(True)
            view.unit_box.setCurrentIndex(view.unit_box.findText("靖远县"))
            shots.settle()
            shots.save(window, "exchange_send.png")
            view.send_hours.setChecked(True)
            view.hours_from.setDate(QDate(2026, 1, 1))
            view.hours_to.setDate(QDate(2026, 6, 30))
            shots.settle()
            shots.save(window, "exchange_send_hours.png")
            window.close()
            close_database()
            open_database(shots.db_path)
            window = shots.main_window()
            view = window.exchange_view
            harness.show_section(window, view)
            view.reload()
            view.tabs.setCurrentIndex(1)
            view.show_preview(ex.preview(again))
            shots.settle()
            shots.save(window, "exchange_receive.png")
            ex.apply(view.preview, prefer="mine")
            view.reload()
            view.tabs.setCurrentIndex(2)
            shots.settle()
            shots.save(window, "exchange_history.png")
            return shots.saved


if __name__ == "__main__":
    raise SystemExit(harness.main(make))
