"""Step “确定单位” of the import wizard: asked only for .lrmx/.lrm people whose 现任职务
names no unit or several, the choice is used, 上一步 works."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt

from models.roster.intake import write_lrmx
from models.roster.tables import Cadre, Unit
from ui import messages
from ui.roster.importing import ImportWizard

LEFT = Qt.MouseButton.LeftButton
ZHANG = "620421197503120014"
LI = "620402198805200023"


def lrmx_file(folder: Path, name: str, post: str, number: str, **more: object) -> Path:
    record = {"name": name, "sex": "男", "birth_date": dt.date(1975, 3, 1)}
    record |= {"id_card": number, "post_title": post, **more}
    path = folder / f"{name}.lrmx"
    path.write_bytes(write_lrmx(record))
    return path


def folder(tmp_path: Path, units: dict[str, int], *, sure: bool = False) -> Path:
    Unit.create(name="办公室", parent=units["party"], sort_order=5)
    Unit.create(name="办公室", parent=units["county"], sort_order=6)
    out = tmp_path / "files"
    out.mkdir()
    lrmx_file(out, "张三", "市委组织部部长" if sure else "办公室主任", ZHANG)
    post = "市委组织部科长" if sure else "兰州市某局局长"
    lrmx_file(out, "李四", post, LI, sex="女", birth_date=dt.date(1988, 5, 1))
    return out


def step(qtbot, w: ImportWizard, page: int) -> None:  # noqa: ANN001
    qtbot.mouseClick(w.next_button, LEFT)
    qtbot.waitUntil(lambda: w.job is None and w.page == page, timeout=20_000)


def wizard(qtbot, path: Path) -> ImportWizard:  # noqa: ANN001
    w = ImportWizard()
    qtbot.addWidget(w)
    w.show()
    w.path_edit.setText(str(path))
    step(qtbot, w, ImportWizard.OPTIONS)
    return w


def test_the_unit_is_asked_and_the_person_imported_there(qtbot, units, tmp_path, monkeypatch):
    w = wizard(qtbot, folder(tmp_path, units))
    step(qtbot, w, ImportWizard.UNITS)
    assert w.steps_label.text().startswith("第 3 步，共 4 步")
    assert "确定单位" in w.steps_label.text()
    t = w.units_table
    rows = sorted([t.item(r, c).text() for c in range(3)] for r in range(t.rowCount()))
    assert rows == [["张三.lrmx", "张三", "办公室主任"], ["李四.lrmx", "李四", "兰州市某局局长"]]
    zhang = next(r for r in range(t.rowCount()) if t.item(r, 1).text() == "张三")
    li = 1 - zhang
    combo = w.unit_choice_combo(zhang)
    items = [combo.itemText(i) for i in range(combo.count())]
    assert items[:3] == ["（暂不指定）", "白银市/市委/办公室", "白银市/靖远县/办公室"]
    assert "白银市/靖远县/乌兰镇" in items
    assert items.count("白银市/靖远县/办公室") == 1

    # 上一步 goes back to the options, and 下一步 asks again
    qtbot.mouseClick(w.back_button, LEFT)
    assert w.page == ImportWizard.OPTIONS
    step(qtbot, w, ImportWizard.UNITS)

    w.set_unit_choice(zhang, "白银市/靖远县/办公室")
    w.set_unit_choice(li, "白银市/靖远县/乌兰镇")
    step(qtbot, w, ImportWizard.PREVIEW)
    assert w.counts_label.text() == "新增 2，更新 0，跳过 0，错误 0"
    qtbot.mouseClick(w.back_button, LEFT)
    assert w.page == ImportWizard.UNITS
    step(qtbot, w, ImportWizard.PREVIEW)
    monkeypatch.setattr(messages, "info", lambda *a, **k: None)
    qtbot.mouseClick(w.import_button, LEFT)
    qtbot.waitUntil(lambda: w.import_result is not None, timeout=20_000)
    office = Unit.get(Unit.name == "办公室", Unit.parent == units["county"]).id
    got = {c.name: c.unit_id for c in Cadre.select()}
    assert got == {"张三": office, "李四": units["town"]}


def test_a_person_left_without_a_unit_stays_an_error(qtbot, units, tmp_path):
    w = wizard(qtbot, folder(tmp_path, units))
    step(qtbot, w, ImportWizard.UNITS)
    t = w.units_table
    li = next(r for r in range(t.rowCount()) if t.item(r, 1).text() == "李四")
    w.set_unit_choice(li, "白银市/靖远县/乌兰镇")
    step(qtbot, w, ImportWizard.PREVIEW)
    assert w.counts_label.text() == "新增 1，更新 0，跳过 0，错误 1"
    assert not w.import_button.isEnabled()
    assert Cadre.select().count() == 0


def test_the_step_is_not_shown_when_every_unit_is_found(qtbot, units, tmp_path):
    w = wizard(qtbot, folder(tmp_path, units, sure=True))
    step(qtbot, w, ImportWizard.PREVIEW)
    assert "确定单位" not in w.steps_label.text()
    assert w.counts_label.text() == "新增 2，更新 0，跳过 0，错误 0"


def test_the_default_unit_skips_the_step(qtbot, units, tmp_path):
    w = wizard(qtbot, folder(tmp_path, units))
    w.unit_combo.setCurrentIndex(w.unit_combo.findData("白银市/靖远县/乌兰镇"))
    step(qtbot, w, ImportWizard.PREVIEW)
    assert "确定单位" not in w.steps_label.text()
    assert w.counts_label.text() == "新增 2，更新 0，跳过 0，错误 0"
