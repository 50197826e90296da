"""The import wizard and the roster for people without 身份证号, and rows whose 出生年月
contradicts their 身份证号 (需确认)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from models.roster import RosterFilter
from models.roster.tables import Cadre
from tests.fixtures.sheets import book
from tests.ui.conftest import id_number
from ui import messages
from ui.roster.importing import ImportWizard
from ui.roster.roster_model import RosterModel

LEFT = Qt.MouseButton.LeftButton
WU = id_number("620402", dt.date(1985, 4, 16), 7, True)


def test_roster_without_id_imports_when_the_box_is_ticked_and_shows_missing(
    qtbot, units, tmp_path, monkeypatch
):
    done: list[str] = []
    monkeypatch.setattr(messages, "info", lambda _p, _title, text: done.append(text))
    f = book(tmp_path / "无身份证.xlsx", ["姓名", "性别", "出生年月", "工作单位"], [
        ["王五", "男", "1980.01", "市委组织部"],
    ])  # fmt: skip
    w = ImportWizard(None)
    qtbot.addWidget(w)
    w.show()
    w.path_edit.setText(str(f))
    qtbot.mouseClick(w.next_button, LEFT)
    qtbot.waitUntil(lambda: w.job is None and w.page == ImportWizard.OPTIONS, timeout=20_000)
    assert w.allow_missing_id.text() == "允许没有身份证号的人员（按姓名+出生年月匹配）"
    assert not w.allow_missing_id.isChecked()
    qtbot.mouseClick(w.next_button, LEFT)
    qtbot.waitUntil(lambda: w.job is None and w.page == ImportWizard.PREVIEW, timeout=20_000)
    assert not w.import_button.isEnabled()
    assert w.plan is not None
    assert not w.plan.ok
    qtbot.mouseClick(w.back_button, LEFT)
    qtbot.waitUntil(lambda: w.page == ImportWizard.OPTIONS, timeout=20_000)
    w.allow_missing_id.setChecked(True)
    qtbot.mouseClick(w.next_button, LEFT)
    qtbot.waitUntil(lambda: w.job is None and w.page == ImportWizard.PREVIEW, timeout=20_000)
    assert w.import_button.isEnabled()
    qtbot.mouseClick(w.import_button, LEFT)
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    assert done == ["导入完成：新增 1，更新 0，跳过 0，错误 0"]
    wang = Cadre.get(Cadre.name == "王五")
    assert wang.id_card is None
    model = RosterModel()
    model.set_filter(RosterFilter(text="缺身份证号", status=""))
    assert model.ids == [wang.id]
    cell = model.index(0, model.column_of("id_card"))
    assert cell.data(Qt.ItemDataRole.DisplayRole) == "缺身份证号"
    assert cell.data(Qt.ItemDataRole.ForegroundRole).color().name() == "#808080"


def test_birth_mismatch_is_listed_and_imported_only_once_confirmed(
    qtbot, units, tmp_path, monkeypatch
):
    done: list[str] = []
    monkeypatch.setattr(messages, "info", lambda _p, _title, text: done.append(text))
    f = book(tmp_path / "不符.xlsx", ["姓名", "性别", "出生年月", "身份证号", "工作单位"], [
        ["吴六", "男", "1985.05", WU, "市委组织部"],
    ])  # fmt: skip
    w = ImportWizard(None)
    qtbot.addWidget(w)
    w.show()
    w.path_edit.setText(str(f))
    for page in (ImportWizard.OPTIONS, ImportWizard.PREVIEW):
        qtbot.mouseClick(w.next_button, LEFT)
        qtbot.waitUntil(lambda p=page: w.job is None and w.page == p, timeout=20_000)
    assert w.confirm_box.isVisible()
    assert (
        w.confirm_list.text() == "“不符.xlsx”第2行 吴六：表中出生年月 1985.05，身份证号中为 1985.04"
    )
    assert w.accept_birth_mismatch.text() == "我已核对，按表中出生年月导入"
    assert not w.import_button.isEnabled()
    w.accept_birth_mismatch.setChecked(True)  # plans again
    qtbot.waitUntil(lambda: w.job is None and w.import_button.isEnabled(), timeout=20_000)
    qtbot.mouseClick(w.import_button, LEFT)
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    assert Cadre.get(Cadre.id_card == WU).birth_date == dt.date(1985, 5, 1)
