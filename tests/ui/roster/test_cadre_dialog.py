"""The add/edit dialog: validation beside each field, 保存 disabled on errors, saving."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QComboBox, QLineEdit

from models.core.audit import ChangeLog
from models.roster import service as roster
from ui import messages
from ui.roster.cadre_dialog import CadreDialog

# The example number printed in GB 11643-1999: born 1949-12-31, 17th digit 2 → female.
VALID_ID = "11010519491231002X"


@pytest.fixture
def dialog(qtbot, units):
    dlg = CadreDialog(None)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def line(dlg: CadreDialog, name: str) -> QLineEdit:
    w = dlg.widgets[name]
    assert isinstance(w, QLineEdit)
    return w


def combo(dlg: CadreDialog, name: str) -> QComboBox:
    w = dlg.widgets[name]
    assert isinstance(w, QComboBox)
    return w


def type_into(qtbot, dlg: CadreDialog, name: str, text: str) -> None:
    edit = line(dlg, name)
    edit.clear()
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:  # QTest cannot type CJK; an input method inserts the text
        edit.insert(text)
        dlg._on_edited(name)


def pick_unit(dlg: CadreDialog, path: str) -> None:
    c = combo(dlg, "unit_id")
    c.setCurrentIndex(c.findText(path))
    dlg._on_edited("unit_id")


def test_new_dialog_has_save_disabled_and_no_red_text_yet(dialog):
    assert not dialog.save_button.isEnabled()
    assert all(label.text() == "" for label in dialog.issue_labels.values())
    assert "姓名" in dialog._summary.text()
    assert "身份证号" in dialog._summary.text()


def test_wrong_check_digit_is_shown_beside_id_field(qtbot, dialog):
    type_into(qtbot, dialog, "id_card", "110105194912310021")  # last digit should be X
    qtbot.waitUntil(lambda: dialog.issue_text("id_card") != "")
    assert dialog.issue_text("id_card") == "身份证号校验位错误：第 18 位应为 X，现为 1"
    assert "c62828" in dialog.issue_labels["id_card"].styleSheet()  # red
    assert not dialog.save_button.isEnabled()


def test_short_id_number_reason_names_the_length(qtbot, dialog):
    type_into(qtbot, dialog, "id_card", "62040219")
    qtbot.waitUntil(lambda: "现为 8 位" in dialog.issue_text("id_card"))
    assert not dialog.save_button.isEnabled()


def test_bad_date_text_is_an_error_beside_the_date(qtbot, dialog):
    type_into(qtbot, dialog, "party_date", "1975.13")
    qtbot.waitUntil(lambda: dialog.issue_text("party_date") != "")
    assert dialog.issue_text("party_date") == "“1975.13”不是有效日期"
    assert not dialog.save_button.isEnabled()


def test_valid_id_fills_sex_and_birth_and_saving_stores_the_cadre(qtbot, dialog, units):
    type_into(qtbot, dialog, "name", "刘洋")
    type_into(qtbot, dialog, "id_card", VALID_ID.lower())  # lower-case x is accepted
    qtbot.waitUntil(lambda: combo(dialog, "sex").currentText() == "女")
    assert line(dialog, "birth_date").text() == "1949.12.31"
    pick_unit(dialog, "白银市/市委/市委组织部")
    type_into(qtbot, dialog, "post_title", "市委组织部干部")
    type_into(qtbot, dialog, "phone", "0943-8221234")
    qtbot.waitUntil(dialog.save_button.isEnabled)
    assert all(label.text() == "" for label in dialog.issue_labels.values())

    dialog.save_button.click()
    assert dialog.result_dto is not None
    stored = roster.get_cadre(dialog.result_dto.id)
    assert stored.name == "刘洋"
    assert stored.id_card == VALID_ID  # stored upper-case
    assert stored.sex == "女"
    assert stored.birth_date == dt.date(1949, 12, 31)
    assert stored.unit_id == units["org"]
    assert stored.phone == "0943-8221234"
    assert stored.status == "在职"


def test_warning_is_orange_and_needs_confirmation(qtbot, dialog, monkeypatch):
    type_into(qtbot, dialog, "name", "刘洋")
    type_into(qtbot, dialog, "id_card", VALID_ID)
    qtbot.waitUntil(lambda: combo(dialog, "sex").currentText() == "女")
    combo(dialog, "sex").setCurrentIndex(combo(dialog, "sex").findText("男"))
    dialog._on_edited("sex")
    pick_unit(dialog, "白银市/靖远县")
    qtbot.waitUntil(lambda: "与身份证号不符" in dialog.issue_text("sex"))
    assert "d97706" in dialog.issue_labels["sex"].styleSheet()  # orange
    assert dialog.save_button.isEnabled()  # a warning does not block

    asked: list[list[str]] = []
    monkeypatch.setattr(messages, "confirm_warnings", lambda p, rec, issues: asked.append(
        [i.field for i in issues]) or False)  # fmt: skip
    dialog.save_button.click()
    assert asked == [["sex"]]
    assert dialog.result_dto is None
    assert roster.count_cadres() == 0  # declined: nothing saved

    monkeypatch.setattr(messages, "confirm_warnings", lambda *a: True)
    dialog.save_button.click()
    assert dialog.result_dto is not None
    assert roster.get_cadre(dialog.result_dto.id).sex == "男"


def test_duplicate_id_number_is_refused_beside_the_field(qtbot, people, units):
    existing = roster.get_cadre(people["张三"])
    dlg = CadreDialog(None)
    qtbot.addWidget(dlg)
    type_into(qtbot, dlg, "name", "张山")
    type_into(qtbot, dlg, "id_card", existing.id_card)
    pick_unit(dlg, "白银市/靖远县")
    qtbot.waitUntil(lambda: "重复" in dlg.issue_text("id_card"))
    assert dlg.issue_text("id_card") == "与已有干部“张三”的身份证号重复"
    assert not dlg.save_button.isEnabled()


def test_edit_loads_the_cadre_and_saves_the_change(qtbot, people):
    dlg = CadreDialog(None, people["李四"])
    qtbot.addWidget(dlg)
    assert line(dlg, "name").text() == "李四"
    assert line(dlg, "birth_date").text() == "1980.07.02"
    assert combo(dlg, "unit_id").currentText() == "白银市/市委/市委组织部"
    assert dlg.windowTitle() == "编辑干部：李四"
    type_into(qtbot, dlg, "post_title", "市委组织部干部二科科长")
    qtbot.waitUntil(dlg.save_button.isEnabled)
    dlg.save_button.click()
    stored = roster.get_cadre(people["李四"])
    assert stored.post_title == "市委组织部干部二科科长"
    assert stored.birth_date == dt.date(1980, 7, 2)  # untouched date kept to the day


def test_edit_conflict_is_reported_not_overwritten(qtbot, people, monkeypatch):
    dlg = CadreDialog(None, people["李四"])
    qtbot.addWidget(dlg)
    # Someone else saves 李四 while the dialog is open.
    other = roster.CadreInput.from_dto(roster.get_cadre(people["李四"]))
    other.phone = "13909430001"
    roster.save_cadre(other)

    at = ChangeLog.select().order_by(ChangeLog.id.desc()).first()
    shown: list[str] = []
    monkeypatch.setattr(messages, "conflict", lambda parent, text: shown.append(text))
    type_into(qtbot, dlg, "post_title", "我的修改")
    dlg.save_button.click()
    assert shown == [f"李四的干部信息已被 {at.user} 于 {at.at:%H:%M} 修改，请刷新后重试"]
    assert dlg.result_dto is None
    stored = roster.get_cadre(people["李四"])
    assert stored.phone == "13909430001"
    assert stored.post_title != "我的修改"
    # the dialog now shows what is stored, and saving again from there works
    assert dlg.widgets["phone"].text() == "13909430001"
    type_into(qtbot, dlg, "post_title", "我的修改")
    dlg.save_button.click()
    assert roster.get_cadre(people["李四"]).post_title == "我的修改"
    assert roster.get_cadre(people["李四"]).phone == "13909430001"


def test_unknown_unit_text_is_an_error(qtbot, dialog):
    c = combo(dialog, "unit_id")
    c.setEditText("不存在的单位")
    dialog._on_edited("unit_id")
    qtbot.waitUntil(lambda: dialog.issue_text("unit_id") != "")
    assert dialog.issue_text("unit_id") == "没有这个单位，请从列表中选择"


# --- names the printer fonts cannot print ------------------------------------------------------

PUA = "\U000f0001"  # supplementary Private Use Area: no font has a glyph for it
PUA2 = "\U000f0002"


def test_name_with_a_character_no_font_has_warns_in_orange_but_saves(qtbot, dialog, units):
    type_into(qtbot, dialog, "name", f"张{PUA}")
    qtbot.waitUntil(lambda: "缺字" in dialog.issue_text("name"))
    assert dialog.issue_text("name") == f"“{PUA}”在打印字体中缺字，打印时会显示为空白（不影响保存）"
    assert "d97706" in dialog.issue_labels["name"].styleSheet()  # orange, not red
    # the rest of a valid form: the warning alone never blocks 保存 and asks nothing
    type_into(qtbot, dialog, "id_card", VALID_ID)
    qtbot.waitUntil(lambda: combo(dialog, "sex").currentText() == "女")
    pick_unit(dialog, "白银市/市委/市委组织部")
    qtbot.waitUntil(dialog.save_button.isEnabled)
    assert "缺字" in dialog.issue_text("name")  # still shown after other fields changed
    dialog.save_button.click()  # conftest fails the test if a confirmation box were opened
    assert dialog.result_dto is not None
    assert roster.get_cadre(dialog.result_dto.id).name == f"张{PUA}"


def test_each_missing_character_is_named_once(qtbot, dialog):
    type_into(qtbot, dialog, "name", f"{PUA}张{PUA2}{PUA}")
    qtbot.waitUntil(lambda: "缺字" in dialog.issue_text("name"))
    assert dialog.issue_text("name").startswith(f"“{PUA}”、“{PUA2}”在打印字体中缺字")


def test_printable_name_has_no_warning_and_warning_goes_when_fixed(qtbot, dialog):
    type_into(qtbot, dialog, "name", "刘洋")
    dialog.validate_now()
    assert dialog.issue_text("name") == ""
    type_into(qtbot, dialog, "name", f"刘{PUA}")
    qtbot.waitUntil(lambda: "缺字" in dialog.issue_text("name"))
    type_into(qtbot, dialog, "name", "刘洋")  # the user corrects the name
    qtbot.waitUntil(lambda: dialog.issue_text("name") == "")


def test_staff_category_is_chosen_in_the_dialog(qtbot, dialog, units):
    """人员类别: empty (judged from the unit's type) or one of the three; saved as chosen and
    shown again when the person is edited."""
    c = combo(dialog, "staff_category")
    assert [c.itemText(k) for k in range(c.count())] == [
        "",
        "公务员",
        "参照公务员法管理单位工作人员",
        "事业单位工作人员",
    ]
    assert "按所在单位的类型判断" in c.toolTip()
    type_into(qtbot, dialog, "name", "刘洋")
    type_into(qtbot, dialog, "id_card", VALID_ID)
    pick_unit(dialog, "白银市/市委/市委组织部")
    c.setCurrentText("事业单位工作人员")
    dialog._on_edited("staff_category")
    qtbot.waitUntil(dialog.save_button.isEnabled)
    dialog.save_button.click()
    assert dialog.result_dto is not None
    stored = roster.get_cadre(dialog.result_dto.id)
    assert stored.staff_category == "事业单位工作人员"
    again = CadreDialog(None, stored.id)
    qtbot.addWidget(again)
    assert combo(again, "staff_category").currentText() == "事业单位工作人员"
