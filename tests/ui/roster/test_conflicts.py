"""Optimistic locking on the roster screens: when another clerk (王科长, calling the services
directly as his copy of the program would on the shared database) changes a unit, a
code-table item or a cadre behind an open screen, the user's edit is refused with the
conflict message (who, when, what it is now), nothing is written, and the screen reads the
data again so the other clerk's state is on screen; the next edit then goes through."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from models.roster import codes
from models.roster import service as roster
from models.roster import units as unit_service
from ui import messages
from ui.roster.codes_view import CodesView
from ui.roster.roster_view import RosterView

pytestmark = pytest.mark.ui

DISPLAY = Qt.ItemDataRole.DisplayRole
OTHER = "王科长"


def shown_names(view: RosterView) -> list[str]:
    col = view.model.column_of("name")
    return [view.model.index(r, col).data(DISPLAY) for r in range(view.model.rowCount())]


def tree_texts(view: RosterView) -> list[str]:
    out: list[str] = []

    def walk(item) -> None:  # noqa: ANN001
        out.append(item.text())
        for r in range(item.rowCount()):
            walk(item.child(r))

    walk(view.unit_model.item(0))
    return out


def trigger(view: RosterView, name: str) -> None:
    action = view.unit_tree.unit_menu().findChild(QAction, name)
    assert action is not None
    assert action.isEnabled()
    action.trigger()


def conflict_text(text: str, *parts: str) -> None:
    assert f"已被 {OTHER} 于 " in text, text
    assert text.endswith("，请刷新后重试"), text
    for p in parts:
        assert p in text, text


# --------------------------------------------------------------------------- unit tree


def test_rename_of_a_unit_renamed_meanwhile_shows_the_conflict_and_reloads(
    view, units, conflicts, monkeypatch
) -> None:  # noqa: ANN001
    view.select_unit(units["town"])
    assert "乌兰镇（2）" in tree_texts(view)
    shown = next(u for u in view.unit_tree.units if u.id == units["town"])
    unit_service.rename_unit(units["town"], "乌兰新镇", user=OTHER, expected_version=1)
    monkeypatch.setattr(messages, "ask_text", lambda *a, **k: "乌兰镇人民政府")
    trigger(view, "rename_unit")
    assert len(conflicts) == 1
    conflict_text(conflicts[0], "所选单位", "（现为“白银市/靖远县/乌兰新镇”）")
    # nothing written; the tree shows the other clerk's name and holds the new version
    assert roster.unit_paths()[units["town"]] == "白银市/靖远县/乌兰新镇"
    assert "乌兰新镇（2）" in tree_texts(view)
    assert "乌兰镇（2）" not in tree_texts(view)
    now = next(u for u in view.unit_tree.units if u.id == units["town"])
    assert now.version == shown.version + 1
    assert view.unit_tree.selected_unit_id() == units["town"]
    # the user renames again, on what the tree shows now: saved
    trigger(view, "rename_unit")
    assert len(conflicts) == 1
    assert roster.unit_paths()[units["town"]] == "白银市/靖远县/乌兰镇人民政府"


def test_delete_of_a_unit_moved_meanwhile_is_refused(view, units, conflicts, monkeypatch) -> None:  # noqa: ANN001
    office = unit_service.add_unit("临时机构", units["city"])
    view.unit_tree.reload()
    view.select_unit(office.id)
    unit_service.move_unit(office.id, units["county"], user=OTHER, expected_version=1)
    monkeypatch.setattr(messages, "ask_yes_no", lambda *a, **k: True)
    trigger(view, "delete_unit")
    assert len(conflicts) == 1
    conflict_text(conflicts[0], "（现为“白银市/靖远县/临时机构”）")
    assert roster.unit_paths()[office.id] == "白银市/靖远县/临时机构"
    # the tree shows it under 靖远县 now
    items = view.unit_tree.unit_model.match(
        view.unit_tree.unit_model.index(0, 0),
        Qt.ItemDataRole.UserRole + 1,
        office.id,
        1,
        Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
    )
    assert items
    assert items[0].parent().data(DISPLAY).startswith("靖远县")


# --------------------------------------------------------------------------- roster table


def test_status_change_on_a_stale_row_shows_the_conflict_and_reloads(
    view, people, conflicts, monkeypatch
) -> None:  # noqa: ANN001
    view.select_id(people["王芳"])
    row = view.model.row_data(view.table.currentIndex().row())
    assert (row.name, row.status) == ("王芳", "在职")
    roster.set_status(people["王芳"], "退休", user=OTHER, reason="到龄退休")
    monkeypatch.setattr(messages, "ask_text", lambda *a, **k: "调往兰州市")
    view.status_actions["调离"].trigger()
    assert len(conflicts) == 1
    conflict_text(conflicts[0], "干部“王芳”", "（现为“状态：退休”）")
    assert roster.get_cadre(people["王芳"]).status == "退休"
    assert "王芳" not in shown_names(view)  # read again: the list shows 在职 only


def test_status_change_after_another_edit_then_succeeds_on_the_new_row(
    view, people, conflicts, monkeypatch
) -> None:  # noqa: ANN001
    view.select_id(people["赵敏"])
    edit = roster.CadreInput.from_dto(roster.get_cadre(people["赵敏"]))
    edit.phone = "13909430001"
    roster.save_cadre(edit, user=OTHER)
    monkeypatch.setattr(messages, "ask_text", lambda *a, **k: "调往兰州市")
    view.status_actions["调离"].trigger()
    conflict_text(conflicts[-1], "（现为“联系电话：13909430001”）")
    assert roster.get_cadre(people["赵敏"]).status == "在职"
    # the row was read again with its new version and stays selected: the retry passes
    assert view.current_id() == people["赵敏"]
    view.status_actions["调离"].trigger()
    assert len(conflicts) == 1
    stored = roster.get_cadre(people["赵敏"])
    assert (stored.status, stored.phone) == ("调离", "13909430001")


def test_delete_of_a_cadre_edited_meanwhile_is_refused(
    view, people, conflicts, monkeypatch
) -> None:  # noqa: ANN001
    view.select_id(people["李四"])
    edit = roster.CadreInput.from_dto(roster.get_cadre(people["李四"]))
    edit.post_title = "市委组织部干部二科科长"
    roster.save_cadre(edit, user=OTHER)
    monkeypatch.setattr(messages, "ask_yes_no", lambda *a, **k: True)
    view.delete_button.click()
    assert len(conflicts) == 1
    conflict_text(conflicts[0], "干部“李四”", "（现为“现任职务：市委组织部干部二科科长”）")
    assert roster.get_cadre(people["李四"]).name == "李四"
    assert "李四" in shown_names(view)


# --------------------------------------------------------------------------- 代码表


@pytest.fixture
def codes_view(qtbot, people):  # noqa: ANN001, ANN201
    v = CodesView()
    qtbot.addWidget(v)
    v.resize(900, 600)
    v.show()
    return v


def select(view: CodesView, kind: str, name: str) -> codes.CodeItem:
    view.select_kind(kind)
    item = next(i for i in codes.list_items(kind) if i.name == name)
    assert view.select_item(item.id)
    return item


def test_rename_of_an_item_switched_off_meanwhile_shows_the_conflict_and_reloads(
    codes_view, conflicts, monkeypatch
) -> None:  # noqa: ANN001
    shown = select(codes_view, "ethnicity", "满族")
    codes.set_active(shown.id, False, user=OTHER, expected_version=shown.version)
    monkeypatch.setattr(messages, "ask_text", lambda *a, **k: "满族（测试）")
    codes_view.rename_current()
    assert len(conflicts) == 1
    conflict_text(conflicts[0], "所选民族", "（现为“满族（已停用）”）")
    assert "满族（测试）" not in [i.name for i in codes.list_items("ethnicity")]
    # read again: the row says 停用 and carries the new version
    item = codes_view.current_item()
    assert item is not None
    assert (item.name, item.active, item.version) == ("满族", False, shown.version + 1)
    row = codes_view.model.row_of(shown.id)
    assert codes_view.model.index(row, 3).data(DISPLAY) == "停用"
    # switching it on again from the refreshed list works
    monkeypatch.setattr(messages, "ask_text", lambda *a, **k: None)
    codes_view.toggle_current()
    assert next(i for i in codes.list_items("ethnicity") if i.id == shown.id).active


def test_delete_of_an_item_renamed_meanwhile_is_refused(codes_view, conflicts, monkeypatch) -> None:  # noqa: ANN001
    new = codes.add_item("ethnicity", "测试民族")
    codes_view.reload(new.id)
    select(codes_view, "ethnicity", "测试民族")
    codes.rename_item(new.id, "测试民族二", user=OTHER, expected_version=new.version)
    monkeypatch.setattr(messages, "ask_yes_no", lambda *a, **k: True)
    codes_view.delete_current()
    assert len(conflicts) == 1
    conflict_text(conflicts[0], "（现为“测试民族二”）")
    assert "测试民族二" in [i.name for i in codes.list_items("ethnicity")]
    assert codes_view.current_item().name == "测试民族二"
