"""Unit management from the roster's unit tree (context menu), as a user does it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from models.roster import service as roster
from models.roster.tables import Unit
from ui import messages
from ui.roster.roster_view import RosterView

DISPLAY = Qt.ItemDataRole.DisplayRole


@pytest.fixture
def view(qtbot, people):
    v = RosterView()
    qtbot.addWidget(v)
    v.resize(1200, 700)
    v.show()
    qtbot.waitExposed(v)
    return v


def tree_texts(view: RosterView) -> list[str]:
    """Every node of the tree, depth-first, indented by two spaces per level."""
    out: list[str] = []

    def walk(item, depth):  # noqa: ANN001, ANN202
        out.append("  " * depth + item.text())
        for r in range(item.rowCount()):
            walk(item.child(r), depth + 1)

    walk(view.unit_model.item(0), 0)
    return out


def shown_names(view: RosterView) -> list[str]:
    col = view.model.column_of("name")
    return [view.model.index(r, col).data(DISPLAY) for r in range(view.model.rowCount())]


def trigger(view: RosterView, name: str) -> None:
    menu = view.unit_tree.unit_menu()
    action = menu.findChild(QAction, name)
    assert action is not None, name
    assert action.isEnabled(), name
    action.trigger()


def test_menu_offers_unit_actions_and_only_add_on_all_units(view, units):
    view.select_unit(None)
    names = [a.objectName() for a in view.unit_tree.unit_menu().actions() if a.objectName()]
    assert names == ["add_unit"]
    view.select_unit(units["party"])  # first child of 白银市: cannot move up
    menu = view.unit_tree.unit_menu()
    texts = [a.text() for a in menu.actions() if a.text()]
    assert texts == ["新增下级单位…", "改名…", "移动到…", "上移", "下移", "删除"]
    assert not menu.findChild(QAction, "unit_up").isEnabled()
    assert menu.findChild(QAction, "unit_down").isEnabled()


def test_add_rename_and_delete_a_unit(view, units, monkeypatch):
    view.select_unit(units["county"])
    monkeypatch.setattr(messages, "ask_text", lambda *a, **k: " 东湾镇 ")
    trigger(view, "add_unit")
    new = Unit.get(Unit.name == "东湾镇")
    assert new.parent_id == units["county"]
    assert "      东湾镇（0）" in tree_texts(view)  # under 白银市 > 靖远县
    assert view.selected_unit_id() == new.id
    assert shown_names(view) == []  # the new unit is selected: nobody in it yet

    monkeypatch.setattr(messages, "ask_text", lambda *a, **k: "东湾镇人民政府")
    trigger(view, "rename_unit")
    assert roster.unit_paths()[new.id] == "白银市/靖远县/东湾镇人民政府"
    assert "      东湾镇人民政府（0）" in tree_texts(view)

    monkeypatch.setattr(messages, "ask_yes_no", lambda *a, **k: True)
    trigger(view, "delete_unit")
    assert Unit.get_or_none(Unit.id == new.id) is None
    assert not any("东湾镇" in t for t in tree_texts(view))
    assert view.selected_unit_id() == units["county"]  # back on the parent


def test_deleting_a_unit_with_people_is_refused_and_nothing_changes(view, units, monkeypatch):
    view.select_unit(units["org"])  # 张三 and 李四 work here
    monkeypatch.setattr(messages, "ask_yes_no", lambda *a, **k: True)
    shown: list[tuple[str, str | None]] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, title=None: shown.append((text, title)))
    trigger(view, "delete_unit")
    assert shown == [
        (
            "“市委组织部”还有 2 名干部（含调离、退休），不能删除；请先把他们调到其他单位",
            "不能删除",
        )
    ]
    assert Unit.get_or_none(Unit.id == units["org"]) is not None
    assert shown_names(view) == ["张三", "李四"]


def test_a_duplicate_name_is_refused(view, units, monkeypatch):
    view.select_unit(units["party"])
    monkeypatch.setattr(messages, "ask_text", lambda *a, **k: "市委组织部")
    shown: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, title=None: shown.append(text))
    trigger(view, "add_unit")
    assert shown == ["“白银市/市委”下已有名为“市委组织部”的单位"]
    assert Unit.select().where(Unit.name == "市委组织部").count() == 1


def test_rename_shows_in_the_roster_table(view, units, monkeypatch):
    view.select_unit(units["org"])
    monkeypatch.setattr(messages, "ask_text", lambda *a, **k: "组织部")
    trigger(view, "rename_unit")
    col = view.model.column_of("unit_name")
    assert [view.model.index(r, col).data(DISPLAY) for r in range(2)] == ["组织部", "组织部"]


def test_move_unit_under_another_parent(view, units, monkeypatch):
    view.select_unit(units["town"])  # 乌兰镇 (王芳, 赵敏), now under 靖远县
    offered: list[list[str]] = []

    def choose(_p, _title, _label, items, current=0):  # noqa: ANN001, ANN202
        offered.append(list(items))
        return list(items).index("白银市/市委")

    monkeypatch.setattr(messages, "choose_item", choose)
    trigger(view, "move_unit")
    # Not offered: itself, and its current parent.
    assert offered[0] == [
        "（顶层，不属于任何单位）",
        "白银市",
        "白银市/市委",
        "白银市/市委/市委组织部",
    ]
    assert roster.unit_paths()[units["town"]] == "白银市/市委/乌兰镇"
    view.select_unit(units["party"])
    assert sorted(shown_names(view)) == sorted(["张三", "李四", "王芳", "赵敏"])


def test_moving_a_unit_below_itself_is_not_offered(view, units, monkeypatch):
    view.select_unit(units["county"])
    offered: list[list[str]] = []
    monkeypatch.setattr(
        messages, "choose_item", lambda _p, _t, _l, items, current=0: offered.append(items)
    )
    trigger(view, "move_unit")  # cancelled: choose_item returned None
    assert "白银市/靖远县/乌兰镇" not in offered[0]
    assert roster.unit_paths()[units["county"]] == "白银市/靖远县"


def test_move_down_changes_the_order_in_the_tree(view, units):
    view.select_unit(units["party"])
    before = tree_texts(view)
    assert before[1:3] == ["  白银市（5）", "    市委（2）"]
    trigger(view, "unit_down")
    after = tree_texts(view)
    assert after.index("    靖远县（3）") < after.index("    市委（2）")
    assert view.selected_unit_id() == units["party"]
