"""Step “未识别的代码值” of the import wizard: asked once per value, remembered, re-planned."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import Qt

from models.roster.tables import Cadre, PicklistItem
from tests.ui.conftest import id_number
from ui import messages
from ui.roster.importing import ImportWizard

LEFT = Qt.MouseButton.LeftButton
HEADER = ["姓名", "性别", "出生年月", "身份证号", "工作单位", "全日制学历", "政治面貌"]
IDS = [id_number("620402", dt.date(1980, 1, 2), n, n % 2 == 1) for n in range(1, 5)]


def sheet(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    wb.active.append(HEADER)
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


def people(tmp_path: Path) -> Path:
    return sheet(
        tmp_path / "名册.xlsx",
        [
            ["吴一", "男", "1980.01", IDS[0], "市委组织部", "大学本科（函授）", "党员"],
            ["吴二", "女", "1980.01", IDS[1], "市委组织部", "大学", "中共党员"],
            ["吴三", "男", "1980.01", IDS[2], "市委组织部", "大学本科(函授)", "农民"],
            ["吴四", "女", "1980.01", IDS[3], "市委组织部", "大专", "群众"],
        ],
    )


def to_values(qtbot, path: Path) -> ImportWizard:  # noqa: ANN001
    w = ImportWizard()
    qtbot.addWidget(w)
    w.show()
    w.path_edit.setText(str(path))
    for page in (ImportWizard.OPTIONS, ImportWizard.VALUES):
        qtbot.mouseClick(w.next_button, LEFT)
        qtbot.waitUntil(lambda p=page: w.job is None and w.page == p, timeout=20_000)
    return w


def cells(w: ImportWizard) -> list[list[str]]:
    t = w.values_table
    return [[t.item(r, c).text() for c in range(4)] for r in range(t.rowCount())]


def test_unknown_values_are_asked_once_then_remembered(qtbot, units, tmp_path, monkeypatch):
    w = to_values(qtbot, people(tmp_path))
    assert "未识别的代码值" in w.steps_label.text()
    assert w.steps_label.text().startswith("第 3 步，共 4 步")
    assert cells(w) == [
        ["学历", "大学本科（函授）", "2", "第 2、4 行"],
        ["政治面貌", "农民", "1", "第 4 行"],
    ]
    combo = w.value_combo(0)
    items = [combo.itemText(i) for i in range(combo.count())]
    assert items[:4] == ["（暂不对应）", "新增到代码表", "博士研究生", "硕士研究生"]
    assert "大学本科" in items
    w.set_value_choice(0, "大学本科")
    w.set_value_choice(1, "")  # 新增到代码表
    qtbot.mouseClick(w.next_button, LEFT)
    qtbot.waitUntil(lambda: w.job is None and w.page == ImportWizard.PREVIEW, timeout=20_000)
    assert w.counts_label.text() == "新增 4，更新 0，跳过 0，错误 0"
    assert "大学本科（函授）" in PicklistItem.get(kind="education", name="大学本科").variants
    monkeypatch.setattr(messages, "info", lambda *a, **k: None)
    qtbot.mouseClick(w.import_button, LEFT)
    qtbot.waitUntil(lambda: w.import_result is not None, timeout=20_000)
    got = sorted((c.name, c.ft_education, c.political_status) for c in Cadre.select())
    assert got == [
        ("吴一", "大学本科", "中共党员"),
        ("吴三", "大学本科", "农民"),
        ("吴二", "大学本科", "中共党员"),
        ("吴四", "大学专科", "群众"),
    ]
    # the next file with the same values goes straight to the preview
    again = ImportWizard()
    qtbot.addWidget(again)
    (tmp_path / "next").mkdir()
    again.path_edit.setText(str(people(tmp_path / "next")))
    for page in (ImportWizard.OPTIONS, ImportWizard.PREVIEW):
        qtbot.mouseClick(again.next_button, LEFT)
        qtbot.waitUntil(lambda p=page: again.job is None and again.page == p, timeout=20_000)
    assert not again.values_shown


def test_values_left_unmapped_stay_errors_and_back_returns_to_the_step(qtbot, units, tmp_path):
    w = to_values(qtbot, people(tmp_path))
    qtbot.mouseClick(w.next_button, LEFT)  # nothing chosen
    qtbot.waitUntil(lambda: w.job is None and w.page == ImportWizard.PREVIEW, timeout=20_000)
    assert w.counts_label.text() == "新增 2，更新 0，跳过 0，错误 2"
    assert not w.import_button.isEnabled()
    assert "大学本科（函授）" not in PicklistItem.get(kind="education", name="大学本科").variants
    qtbot.mouseClick(w.back_button, LEFT)
    assert w.page == ImportWizard.VALUES
    qtbot.mouseClick(w.back_button, LEFT)
    assert w.page == ImportWizard.OPTIONS


def test_a_refused_choice_is_said_and_nothing_is_stored(qtbot, units, tmp_path, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _parent, text, *a, **k: shown.append(text))
    w = to_values(qtbot, people(tmp_path))
    PicklistItem.create(kind="political_status", name="农民", sort_order=99)  # meanwhile
    w.set_value_choice(0, "大学本科")
    w.set_value_choice(1, "")
    qtbot.mouseClick(w.next_button, LEFT)
    qtbot.waitUntil(lambda: w.job is None, timeout=20_000)  # the choices are saved on the worker
    assert shown == ["政治面貌中已有“农民”"]
    assert w.page == ImportWizard.VALUES
    assert "函授" not in PicklistItem.get(kind="education", name="大学本科").variants


@pytest.fixture(autouse=True)
def _no_file_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"unexpected dialog {args[1:]!r}")

    for name in ("open_file", "open_folder", "choose_item"):
        monkeypatch.setattr(messages, name, fail)


def test_going_back_and_on_does_not_store_the_choices_twice(qtbot, units, tmp_path, monkeypatch):
    """预览 → 上一步 → 下一步 keeps the choices made (already in the code tables) and reaches
    the preview again, instead of refusing "已有" for a value it added itself."""
    shown: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _parent, text, *a, **k: shown.append(text))
    w = to_values(qtbot, people(tmp_path))
    w.set_value_choice(0, "大学本科")
    w.set_value_choice(1, "")
    qtbot.mouseClick(w.next_button, LEFT)
    qtbot.waitUntil(lambda: w.job is None and w.page == ImportWizard.PREVIEW, timeout=20_000)
    qtbot.mouseClick(w.back_button, LEFT)
    qtbot.waitUntil(lambda: w.job is None, timeout=20_000)
    if w.page == ImportWizard.VALUES:  # the step is shown again only if values are left
        qtbot.mouseClick(w.next_button, LEFT)
        qtbot.waitUntil(lambda: w.job is None and w.page == ImportWizard.PREVIEW, timeout=20_000)
    assert shown == []
    assert (
        PicklistItem.select()
        .where((PicklistItem.kind == "political_status") & (PicklistItem.name == "农民"))
        .count()
        == 1
    )
