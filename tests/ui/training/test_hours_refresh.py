"""The 学时 section follows the year and unit chosen without 查询: the 学时档案 shown is
re-read when the year changes, and the 学时不足名单 is computed when the section is shown and
when the year or unit changes."""

from __future__ import annotations

import datetime as dt

import pytest

from models.training import add_hours_entry
from ui.training.hours_view import HoursView


@pytest.fixture
def hours(people):  # noqa: ANN001, ANN201
    # 王芳 (乡科级副职, 90 a year): 30 in 2025, 95 in 2026; 李四 (乡科级正职): 95 in 2026 only
    add_hours_entry(people["王芳"], dt.date(2025, 6, 1), "外出培训", 30, "省委党校培训")
    add_hours_entry(people["王芳"], dt.date(2026, 4, 1), "网络学习", 95, "网络学院")
    add_hours_entry(people["李四"], dt.date(2026, 4, 1), "网络学习", 95, "网络学院")
    return people


def names(view: HoursView) -> set[str]:
    return {view.model.text(r, 1) for r in range(view.model.rowCount())}


def test_ledger_follows_the_year(qtbot, hours) -> None:
    view = HoursView()
    qtbot.addWidget(view)
    view.year.setValue(2026)
    view.show_ledger(hours["王芳"])
    assert [e.title for e in view.ledger_model.rows] == ["网络学院"]
    view.year.setValue(2025)  # no 查询, no 查找干部
    assert [e.title for e in view.ledger_model.rows] == ["省委党校培训"]
    assert view.ledger_title.text().startswith("王芳 2025 年共 30 学时")
    view.year.setValue(2024)
    assert view.ledger_model.rowCount() == 0
    assert view.ledger_title.text().startswith("王芳 2024 年共 0 学时")


def test_shortfall_list_loads_when_shown_and_follows_year_and_unit(qtbot, hours, units) -> None:
    view = HoursView()
    qtbot.addWidget(view)
    view.year.setValue(2026)
    assert view.model.rowCount() == 0  # not shown yet: nothing computed
    view.show()
    # 2026: 王芳 and 李四 have enough; 赵敏 has nothing; 张三 and 周志强 (县处级) fall short
    qtbot.waitUntil(lambda: names(view) == {"赵敏", "张三", "周志强"}, timeout=10_000)
    assert view.count.text().startswith("2026 年学时不足 3 人")
    view.year.setValue(2025)
    qtbot.waitUntil(lambda: "王芳" in names(view), timeout=10_000)  # 30 of 90 in 2025
    assert view.count.text().startswith("2025 年学时不足")
    view.unit.setCurrentIndex(view.unit.findData(units["town"]))
    qtbot.waitUntil(lambda: names(view) == {"王芳", "赵敏"}, timeout=10_000)
