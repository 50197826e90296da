"""The 代码表 screen: pick-lists edited through models.roster.codes, refusals shown in Chinese."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from models.roster import codes
from models.roster import service as roster
from models.roster.picklists import KINDS
from ui import messages
from ui.main_window import MainWindow
from ui.roster.codes_view import CodesView

LEFT = Qt.MouseButton.LeftButton
DISPLAY = Qt.ItemDataRole.DisplayRole


@pytest.fixture
def view(qtbot, people):
    v = CodesView()
    qtbot.addWidget(v)
    v.resize(900, 600)
    v.show()
    return v


def names(view: CodesView) -> list[str]:
    return [view.model.index(r, 0).data(DISPLAY) for r in range(view.model.rowCount())]


def select(view: CodesView, kind: str, name: str) -> None:
    view.select_kind(kind)
    assert view.select_item(next(i.id for i in codes.list_items(kind) if i.name == name))


def answers(*texts: str | None) -> object:
    it: Iterator[str | None] = iter(texts)
    return lambda *a, **k: next(it)


def test_kinds_and_items_are_listed(qtbot, qtmodeltester, view):
    kinds = [view.kinds.item(r).text() for r in range(view.kinds.count())]
    assert kinds == list(KINDS.values())
    view.select_kind("political_status")
    qtmodeltester.check(view.model)
    assert "中共党员" in names(view)
    headers = [view.model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]
    assert headers == ["名称", "代码", "使用次数", "状态"]
    row = names(view).index("中共党员")
    # All six people of the fixture are 中共党员.
    assert view.model.index(row, 2).data(DISPLAY) == "6"
    assert view.model.index(row, 3).data(DISPLAY) == "启用"
    assert view.title.text().startswith("政治面貌（")


def test_rename_changes_the_cadres_value(qtbot, view, people, monkeypatch):
    select(view, "rank", "一级调研员")  # only 张三 holds it
    monkeypatch.setattr(messages, "ask_text", answers("一级调研员（试）"))
    qtbot.mouseClick(view.buttons["rename"], LEFT)
    assert roster.get_cadre(people["张三"]).rank == "一级调研员（试）"
    assert view.status_label.text() == (
        "已把“一级调研员”改为“一级调研员（试）”，1 处干部信息随之更新。"
    )
    assert view.current_item().name == "一级调研员（试）"
    assert "一级调研员" not in names(view)


def test_deleting_a_used_item_shows_the_refusal(qtbot, view, monkeypatch):
    select(view, "rank", "一级主任科员")  # 李四
    monkeypatch.setattr(messages, "ask_yes_no", lambda *a, **k: True)
    shown: list[tuple[str, str | None]] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, title=None: shown.append((text, title)))
    qtbot.mouseClick(view.buttons["delete"], LEFT)
    assert shown == [
        (
            "“一级主任科员”已被 1 条记录使用，不能删除；可以停用它，停用后不再出现在选项中",
            "不能删除",
        )
    ]
    assert "一级主任科员" in names(view)


def test_add_then_delete_an_unused_item(qtbot, view, monkeypatch):
    view.select_kind("health")
    before = names(view)
    monkeypatch.setattr(messages, "ask_text", answers(" 良好 ", "9"))
    qtbot.mouseClick(view.buttons["add"], LEFT)
    assert names(view) == [*before, "良好"]
    item = view.current_item()
    assert (item.name, item.code, item.used) == ("良好", "9", 0)
    monkeypatch.setattr(messages, "ask_yes_no", lambda *a, **k: True)
    qtbot.mouseClick(view.buttons["delete"], LEFT)
    assert names(view) == before
    assert view.status_label.text() == "已删除“良好”。"


def test_adding_a_name_already_there_is_refused(qtbot, view, monkeypatch):
    view.select_kind("rank")
    count = view.model.rowCount()
    monkeypatch.setattr(messages, "ask_text", answers("一级科员", ""))
    shown: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, title=None: shown.append(text))
    qtbot.mouseClick(view.buttons["add"], LEFT)
    assert shown == ["职级中已有“一级科员”"]
    assert view.model.rowCount() == count


def test_cancelling_the_name_adds_nothing(qtbot, view, monkeypatch):
    view.select_kind("degree")
    count = view.model.rowCount()
    monkeypatch.setattr(messages, "ask_text", answers(None))
    qtbot.mouseClick(view.buttons["add"], LEFT)
    assert view.model.rowCount() == count


def test_switch_off_and_on(qtbot, view):
    select(view, "ethnicity", "回族")
    assert view.buttons["toggle"].text() == "停用(&T)"
    qtbot.mouseClick(view.buttons["toggle"], LEFT)
    row = names(view).index("回族")
    assert view.model.index(row, 3).data(DISPLAY) == "停用"
    assert view.model.index(row, 0).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert view.buttons["toggle"].text() == "启用(&T)"
    assert not next(i for i in codes.list_items("ethnicity") if i.name == "回族").active
    qtbot.mouseClick(view.buttons["toggle"], LEFT)
    assert view.model.index(row, 3).data(DISPLAY) == "启用"


def test_move_up_and_down(qtbot, view):
    view.select_kind("health")
    first, second = names(view)[:2]
    view.table.selectRow(1)
    qtbot.mouseClick(view.buttons["up"], LEFT)
    assert names(view)[:2] == [second, first]
    assert view.current_item().name == second
    assert not view.buttons["up"].isEnabled()  # now the first
    qtbot.mouseClick(view.buttons["down"], LEFT)
    assert names(view)[:2] == [first, second]


def test_main_window_has_the_section_and_the_roster_follows_a_rename(
    qtbot, people, db_path, monkeypatch
):
    w = MainWindow(db_path)
    qtbot.addWidget(w)
    sections = [w.nav.item(i).text() for i in range(w.nav.count())]
    assert "代码表" in sections
    w.nav.setCurrentRow(sections.index("代码表"))
    assert w.stack.currentWidget() is w.codes_view
    select(w.codes_view, "rank", "一级科员")  # 赵敏
    monkeypatch.setattr(messages, "ask_text", answers("一级科员（甲）"))
    qtbot.mouseClick(w.codes_view.buttons["rename"], LEFT)
    model = w.roster_view.model
    col = model.column_of("rank")
    ranks = [model.index(r, col).data(DISPLAY) for r in range(model.rowCount())]
    assert "一级科员（甲）" in ranks
    assert "一级科员" not in ranks


def test_variants_are_shown_and_edited(qtbot, view, monkeypatch):
    select(view, "education", "大学本科")
    row = names(view).index("大学本科")
    assert view.model.headerData(4, Qt.Orientation.Horizontal) == "别名"
    assert view.model.index(row, 4).data(DISPLAY).startswith("大学、本科")
    asked: list[str] = []

    def ask(_parent, _title, _label, text=""):
        asked.append(text)
        return text + "、函授本科，电大本科"

    monkeypatch.setattr(messages, "ask_text", ask)
    qtbot.mouseClick(view.buttons["variants"], LEFT)
    assert asked[0].startswith("大学、本科")
    assert view.model.index(row, 4).data(DISPLAY).endswith("、函授本科、电大本科")
    assert view.status_label.text().startswith("已修改“大学本科”的别名：大学、本科")
    item = next(i for i in codes.list_items("education") if i.name == "大学本科")
    assert item.variants[-2:] == ("函授本科", "电大本科")


def test_a_variant_of_another_item_is_refused(qtbot, view, monkeypatch):
    select(view, "education", "大学本科")
    before = view.current_item().variants
    monkeypatch.setattr(messages, "ask_text", answers("大学、大专"))
    shown: list[tuple[str, str | None]] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, title=None: shown.append((text, title)))
    qtbot.mouseClick(view.buttons["variants"], LEFT)
    assert shown == [
        ("学历别名“大专”已是“大学专科”的名称或别名，不能同时指向“大学本科”", "不能修改别名")
    ]
    assert view.current_item().variants == before
