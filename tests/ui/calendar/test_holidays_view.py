"""The 节假日 screen: the chosen year's rows and grid, switching years, the edit form saving
and refusing, deleting, restoring the national days, and an overtaken edit."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from models import calendar
from models.calendar import DAY_OFF, WORKDAY, HolidayInput
from ui import messages
from ui.calendar import HolidayDialog, HolidaysView

D = dt.date


@pytest.fixture
def view(qtbot, database) -> HolidaysView:
    v = HolidaysView()
    qtbot.addWidget(v)
    v.year.setValue(2026)
    return v


def _column(v: HolidaysView, header: str) -> list[str]:
    c = v.model.headers().index(header)
    return [v.model.text(r, c) for r in range(v.model.rowCount())]


def test_the_year_shows_its_rows_and_grid(qtmodeltester, view) -> None:
    assert view.model.headers() == ["日期", "星期", "类型", "名称", "来源"]
    qtmodeltester.check(view.model)
    assert view.model.rowCount() == 39
    dates = _column(view, "日期")
    row = dates.index("2026-02-14")
    assert view.model.text(row, 1) == "星期六"
    assert view.model.text(row, 2) == "调休上班"
    assert view.model.text(row, 3) == "春节"
    assert view.model.text(row, 4) == "国办发明电〔2025〕7号"
    assert "2026 年：放假 33 天，调休上班 6 天。" in view.summary.text()
    assert "国办发明电〔2025〕7号" in view.summary.text()
    assert view.grid.kinds[D(2026, 2, 15)] == DAY_OFF
    assert view.grid.kinds[D(2026, 2, 28)] == WORKDAY
    assert view.restore_button.isEnabled()


def test_switching_the_year_reloads(view) -> None:
    view.year.setValue(2027)
    assert view.model.rowCount() == 13
    assert _column(view, "日期")[0] == "2027-01-01"
    assert "通知发布后" in view.summary.text()
    assert view.grid.year == 2027
    assert D(2027, 2, 8) in view.grid.kinds
    view.year.setValue(2031)
    assert view.model.rowCount() == 0
    assert "未内置 2031 年" in view.summary.text()
    assert not view.restore_button.isEnabled()


def test_the_form_saves_a_new_day_and_the_list_shows_it(qtbot, monkeypatch, view) -> None:
    def fill(holiday, day, parent):  # noqa: ANN001, ANN202
        dlg = HolidayDialog(holiday, day, parent)
        assert dlg.kind.currentText() == DAY_OFF  # a Wednesday: 放假 is offered first
        dlg.name.setCurrentText("建党节")
        dlg.source.setText("市委通知")
        dlg.save()
        return dlg.saved, True

    monkeypatch.setattr(HolidayDialog, "ask", staticmethod(fill))
    view.grid.dayActivated.emit(D(2026, 7, 1))  # double click on an ordinary day: 新增
    assert "2026-07-01" in _column(view, "日期")
    assert view.current() is not None
    assert view.current().name == "建党节"
    assert _column(view, "来源")[_column(view, "日期").index("2026-07-01")] == "市委通知"


def test_the_form_shows_what_is_wrong_and_stays_open(qtbot, view) -> None:
    dlg = HolidayDialog(None, D(2026, 3, 11), view)
    qtbot.addWidget(dlg)
    dlg.kind.setCurrentText(WORKDAY)
    dlg.name.setCurrentText("")
    dlg.save()
    assert dlg.saved is None
    assert not dlg.error.isHidden()
    assert "名称：必填" in dlg.error.text()
    assert "2026-03-11 是星期三，本来就上班" in dlg.error.text()


def test_editing_an_overtaken_day_shows_the_conflict(qtbot, monkeypatch, view) -> None:
    dates = _column(view, "日期")
    view.table.selectRow(dates.index("2026-05-09"))
    seen = view.current()
    calendar.save_holiday(
        HolidayInput(seen.day, WORKDAY, "劳动节补班", id=seen.id, version=seen.version)
    )  # another clerk, meanwhile
    shown: list[str] = []
    monkeypatch.setattr(messages, "conflict", lambda _p, text: shown.append(text))

    def edit(holiday, day, parent):  # noqa: ANN001, ANN202
        dlg = HolidayDialog(holiday, day, parent)
        dlg.name.setCurrentText("五一调休")
        dlg.save()
        return dlg.saved, dlg.conflicted

    monkeypatch.setattr(HolidayDialog, "ask", staticmethod(edit))
    view.edit()
    assert shown
    assert "已被" in shown[0]
    assert "请刷新后重试" in shown[0]
    names = _column(view, "名称")
    assert names[_column(view, "日期").index("2026-05-09")] == "劳动节补班"  # re-read


def test_delete_then_restore(monkeypatch, view) -> None:
    monkeypatch.setattr(messages, "ask_yes_no", lambda *_a: True)
    told: list[str] = []
    monkeypatch.setattr(messages, "info", lambda _p, _t, text: told.append(text))
    view.table.selectRow(_column(view, "日期").index("2026-10-07"))
    view.delete()
    assert "2026-10-07" not in _column(view, "日期")
    assert D(2026, 10, 7) not in view.grid.kinds
    view.restore()
    assert "2026-10-07" in _column(view, "日期")
    assert told == ["已恢复 1 天。"]
    view.restore()
    assert told[-1] == "2026 年的安排与国务院公布的一致，无需恢复。"


def test_a_click_on_the_grid_selects_the_row(qtbot, view) -> None:
    view.show()
    rect = view.grid.cell_rect(D(2026, 10, 1))
    qtbot.mouseClick(view.grid, Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.current() is not None
    assert view.current().day == D(2026, 10, 1)
    assert view.grid.selected == D(2026, 10, 1)


def test_a_read_only_account_sees_the_year_but_cannot_change_it(qtbot, database, monkeypatch):
    from argon2 import PasswordHasher, Type

    from models.accounts import (
        READ_ONLY,
        AccountInput,
        create_account,
        create_first_admin,
        login,
        logout,
        passwords,
    )

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1, type=Type.ID)
    monkeypatch.setattr(passwords, "_hasher", cheap)
    create_first_admin("admin", "管理员", "Secret2026")
    login("admin", "Secret2026")
    create_account(AccountInput("viewer", "只读人员", READ_ONLY), "Secret2026")
    login("viewer", "Secret2026")
    try:
        v = HolidaysView()
        qtbot.addWidget(v)
        v.year.setValue(2026)
        assert v.model.rowCount() == 39
        for b in (v.add_button, v.edit_button, v.delete_button, v.restore_button):
            assert not b.isEnabled()
        assert "只能查看节假日" in v.add_button.toolTip()
        v.grid.dayActivated.emit(D(2026, 7, 1))  # no form opens (a real one would block)
    finally:
        logout()
