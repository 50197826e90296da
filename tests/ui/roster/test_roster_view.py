"""The 干部名册 screen, driven the way a user drives it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from models.core.audit import history
from models.core.errors import NotFoundError
from models.roster import service as roster
from ui import messages
from ui.roster.cadre_dialog import CadreDialog
from ui.roster.roster_view import RosterView

DISPLAY = Qt.ItemDataRole.DisplayRole


def shown_names(view: RosterView) -> list[str]:
    model = view.model
    col = model.column_of("name")
    return [model.index(r, col).data(DISPLAY) for r in range(model.rowCount())]


def test_opens_on_serving_cadres_in_unit_order(view):
    # 在职 only (张珊珊 retired); unit order 市委组织部, 靖远县, 乌兰镇 from the fixture.
    assert shown_names(view) == ["张三", "李四", "周志强", "王芳", "赵敏"]
    assert view.count_label.text() == "共 5 人"


def test_typing_pinyin_initials_finds_zhang_san(qtbot, view):
    qtbot.keyClicks(view.search, "zs")
    qtbot.waitUntil(lambda: shown_names(view) == ["张三"])
    assert view.count_label.text() == "共 1 人"


def test_search_by_part_of_id_number_and_by_chinese_name(qtbot, view):
    number = roster.get_cadre(view.model.ids[0]).id_card  # 张三
    qtbot.keyClicks(view.search, number[-6:])
    qtbot.waitUntil(lambda: shown_names(view) == ["张三"])
    view.search.clear()
    view.search.insert("王")  # QTest.keyClicks aborts on non-Latin-1 text; type it as an IME would
    qtbot.waitUntil(lambda: shown_names(view) == ["王芳"])


def test_search_with_no_match_shows_empty_list(qtbot, view):
    qtbot.keyClicks(view.search, "qqq")
    qtbot.waitUntil(lambda: view.model.rowCount() == 0)
    assert view.count_label.text() == "共 0 人"
    assert not view.edit_button.isEnabled()


def test_unit_tree_filters_unit_and_subunits(view, units):
    view.select_unit(units["county"])  # 靖远县 and its 乌兰镇
    assert shown_names(view) == ["周志强", "王芳", "赵敏"]
    view.select_unit(units["town"])
    assert shown_names(view) == ["王芳", "赵敏"]
    view.select_unit(None)  # 全部单位
    assert len(shown_names(view)) == 5


def test_unit_tree_shows_serving_counts_including_subunits(view, units):
    model = view.unit_model
    root = model.item(0)
    assert root.text() == "全部单位（5）"
    texts = []

    def walk(item):  # noqa: ANN001, ANN202
        for r in range(item.rowCount()):
            texts.append(item.child(r).text())
            walk(item.child(r))

    walk(root)
    # 白银市 5 在职; 市委 holds 组织部's 2 (张珊珊 is retired); 靖远县 1 + 乌兰镇 2.
    assert texts == ["白银市（5）", "市委（2）", "市委组织部（2）", "靖远县（3）", "乌兰镇（2）"]


def test_level_filter_matches_leadership_level_or_rank(view):
    view.level_combo.setCurrentIndex(view.level_combo.findText("县处级正职"))
    assert shown_names(view) == ["张三"]
    view.level_combo.setCurrentIndex(view.level_combo.findText("三级主任科员"))
    assert shown_names(view) == ["王芳"]
    view.level_combo.setCurrentIndex(0)  # 全部
    assert len(shown_names(view)) == 5


def test_status_filter(view):
    view.status_combo.setCurrentIndex(view.status_combo.findText("退休"))
    assert shown_names(view) == ["张珊珊"]
    view.status_combo.setCurrentIndex(view.status_combo.findText("调离"))
    assert shown_names(view) == []
    view.status_combo.setCurrentIndex(view.status_combo.findText("全部"))
    assert len(shown_names(view)) == 6


def test_clicking_a_header_sorts_and_clicking_again_reverses(qtbot, view):
    header = view.table.horizontalHeader()
    col = view.model.column_of("birth")
    x = header.sectionViewportPosition(col) + header.sectionSize(col) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert shown_names(view) == ["周志强", "张三", "李四", "王芳", "赵敏"]  # 1968 … 1990
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert shown_names(view) == ["赵敏", "王芳", "李四", "张三", "周志强"]
    # The sort survives a new search.
    qtbot.keyClicks(view.search, "z")
    qtbot.waitUntil(lambda: shown_names(view) == ["赵敏", "张三", "周志强"])


def test_column_choice_is_remembered_by_a_new_window(qtbot, view, ui_settings):
    menu = view.column_menu()
    by_key = {a.data(): a for a in menu.actions()}
    by_key["unit_name"].setChecked(False)
    by_key["phone"].setChecked(True)
    assert view.table.isColumnHidden(view.model.column_of("unit_name"))
    # Written to the INI file, not only cached in this process.
    assert "unit_name" in ui_settings.read_text(encoding="utf-8")

    again = RosterView()
    qtbot.addWidget(again)
    assert again.table.isColumnHidden(again.model.column_of("unit_name"))
    assert not again.table.isColumnHidden(again.model.column_of("phone"))
    assert not again.table.isColumnHidden(again.model.column_of("name"))


def test_the_last_visible_column_cannot_be_hidden(view):
    for key in view.model.column_keys():
        view.set_column_visible(key, False)
    visible = [c for c in range(view.model.columnCount()) if not view.table.isColumnHidden(c)]
    assert len(visible) == 1


def test_delete_refused_shows_the_services_reason(view, people, monkeypatch):
    # Pretend 张三 has training records elsewhere: the service must refuse.
    monkeypatch.setattr(roster, "references", lambda cid: {"培训记录": 2})
    shown: list[str] = []
    monkeypatch.setattr(messages, "ask_yes_no", lambda *a, **k: True)
    monkeypatch.setattr(messages, "error", lambda parent, text, title=None: shown.append(text))
    view.select_id(people["张三"])
    view.delete_button.click()
    assert shown == ["干部“张三”已有培训记录 2 条，不能删除；如已离开，请把状态改为“调离”或“退休”"]
    assert roster.get_cadre(people["张三"]).name == "张三"
    assert "张三" in shown_names(view)


def test_delete_key_asks_then_deletes(qtbot, view, people, monkeypatch):
    asked: list[str] = []
    monkeypatch.setattr(messages, "ask_yes_no", lambda p, t, text: asked.append(text) or False)
    view.select_id(people["李四"])
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert len(asked) == 1
    assert "李四" in asked[0]
    assert "李四" in shown_names(view)  # answered No

    monkeypatch.setattr(messages, "ask_yes_no", lambda *a: True)
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert "李四" not in shown_names(view)
    with pytest.raises(NotFoundError):
        roster.get_cadre(people["李四"])
    assert view.count_label.text() == "共 4 人"


def test_change_status_with_reason(view, people, monkeypatch):
    monkeypatch.setattr(messages, "ask_text", lambda *a, **k: "调往兰州市")
    view.select_id(people["王芳"])
    view.status_actions["调离"].trigger()
    assert roster.get_cadre(people["王芳"]).status == "调离"
    assert "王芳" not in shown_names(view)  # the list shows 在职 only
    assert any(c.reason == "调往兰州市" and c.new_value == "调离" for c in
               history("cadre", people["王芳"]))  # fmt: skip


def test_change_status_cancelled_changes_nothing(view, people, monkeypatch):
    monkeypatch.setattr(messages, "ask_text", lambda *a, **k: None)
    view.select_id(people["王芳"])
    view.status_actions["退休"].trigger()
    assert roster.get_cadre(people["王芳"]).status == "在职"


def test_enter_and_double_click_open_the_edit_dialog(qtbot, view, people, monkeypatch):
    opened: list[int | None] = []
    monkeypatch.setattr(CadreDialog, "ask", classmethod(lambda cls, p, cid=None:
                                                        opened.append(cid)))  # fmt: skip
    view.select_id(people["赵敏"])
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened == [people["赵敏"]]
    rect = view.table.visualRect(view.table.currentIndex())
    # The view needs the press of the first click before the double-click event.
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened == [people["赵敏"], people["赵敏"]]


def test_ctrl_n_adds_and_selects_the_new_cadre(qtbot, view, units, monkeypatch):
    def fake_ask(cls, parent, cadre_id=None):  # noqa: ANN001, ANN202
        assert cadre_id is None
        import datetime as dt

        from tests.ui.conftest import id_number

        return roster.save_cadre(
            roster.CadreInput(name="孙新", sex="男", birth_date=dt.date(1992, 4, 1),
                              unit_id=units["org"],
                              id_card=id_number("620402", dt.date(1992, 4, 1), 9, True))
        )  # fmt: skip

    monkeypatch.setattr(CadreDialog, "ask", classmethod(fake_ask))
    view.activateWindow()
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert "孙新" in shown_names(view)
    assert view.model.index(view.table.currentIndex().row(), 0).data(DISPLAY) == "孙新"
    assert view.unit_model.item(0).text() == "全部单位（6）"


def test_ctrl_f_focuses_the_search_box(qtbot, view):
    view.activateWindow()
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.search)


def test_recent_assessment_results_show_once_approved(qtbot, people):  # noqa: ANN001
    """近三年考核: the approved 年度考核 results (a draft grade is not shown); without any,
    the text kept from an imported 任免审批表."""
    import datetime as dt

    from models.assessment.tables import AssessmentRound, GradeResult, PoolApproval
    from models.roster.tables import Cadre

    ids = {c.name: c.id for c in Cadre.select(Cadre.id, Cadre.name)}
    year = dt.date.today().year - 1

    def round_of(status: str) -> AssessmentRound:
        return AssessmentRound.create(
            year=year, name=f"{year}年度考核", rules_json="{}", status=status
        )

    approved = round_of("审定")
    GradeResult.create(round=approved, cadre=ids["张三"], final_grade="优秀")
    draft = round_of("录入")
    GradeResult.create(round=draft, cadre=ids["李四"], final_grade="基本称职", pool_key="甲")
    GradeResult.create(round=draft, cadre=ids["王芳"], final_grade="称职", pool_key="乙")
    PoolApproval.create(round=draft, pool_key="乙", label="乙")  # 王芳's pool approved
    Cadre.update(annual_results="2019年度考核优秀").where(Cadre.id == ids["赵敏"]).execute()
    v = RosterView()
    qtbot.addWidget(v)
    col = v.model.column_of("annual_results")
    assert v.model.headerData(col, Qt.Orientation.Horizontal) == "近三年考核"
    shown = {
        v.model.index(r, v.model.column_of("name")).data(DISPLAY): v.model.index(r, col).data(
            DISPLAY
        )
        for r in range(v.model.rowCount())
    }
    assert shown["张三"] == f"{year} 优秀"
    assert shown["李四"] == ""  # a draft grade is not a result
    assert shown["王芳"] == f"{year} 称职"
    assert shown["赵敏"] == "2019年度考核优秀"  # from the imported form
