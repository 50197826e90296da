"""The training screens' charts: beside the 学时不足名单, each unit's share of 在职 cadres
who met the requirement (by top-level unit, or by the sub-units of the unit chosen); in a
class's 课表, the 三三制 half-days of each mode against the target (三三制图表)."""

from __future__ import annotations

import datetime as dt

import pytest

from models.training import add_hours_entry, class_shares
from tests.ui.training import support as training_support
from ui.training.hours_view import HoursView
from ui.training.timetable_view import TimetableView

# the shared demo-database fixtures (tests/ui/training/support.py)
demo_template = training_support.demo_template
demo_db = training_support.demo_db


@pytest.fixture
def hours(qtbot, people):  # noqa: ANN001, ANN201
    # 市委组织部: 李四 (90 a year) has 95 in 2026, 张三 (五年 550) 500 since 2022: short;
    # 靖远县: 周志强 (县处级) nothing; 乌兰镇: 王芳 30, 赵敏 nothing; 张珊珊 retired
    add_hours_entry(people["李四"], dt.date(2026, 4, 1), "网络学习", 95, "网络学院")
    add_hours_entry(people["王芳"], dt.date(2026, 4, 1), "外出培训", 30, "省委党校培训")
    add_hours_entry(people["张三"], dt.date(2023, 6, 1), "外出培训", 500, "中央党校进修")
    v = HoursView()
    qtbot.addWidget(v)
    v.year.setValue(2026)
    with qtbot.waitSignal(v.reload().finished, timeout=10_000):
        pass
    return v


def test_hours_chart_shows_each_units_completion(qtbot, hours, units) -> None:  # noqa: ANN001
    chart = hours.chart
    assert chart.categories() == chart.axis_labels() == ["市委", "靖远县"]
    assert chart.series_names() == ["达标率"]
    assert chart.shown_values("达标率") == [50.0, 0.0]
    assert chart.chart().title() == "2026 年各单位学时达标率（合计 1/5 人达标）"
    # one unit: its own people and each sub-unit
    hours.unit.setCurrentIndex(hours.unit.findData(units["county"]))
    with qtbot.waitSignal(hours.reload().finished, timeout=10_000):
        pass
    assert chart.categories() == ["靖远县本级", "乌兰镇"]
    assert chart.shown_values("达标率") == [0.0, 0.0]
    assert chart.chart().title() == "2026 年各单位学时达标率（合计 0/3 人达标）"


def test_hours_chart_follows_the_year(qtbot, hours) -> None:  # noqa: ANN001
    hours.year.setValue(2023)  # 张三's 500 of 550 by 2023; 李四 nothing that year
    with qtbot.waitSignal(hours.reload().finished, timeout=10_000):
        pass
    assert hours.chart.shown_values("达标率") == [0.0, 0.0]
    assert hours.chart.chart().title().startswith("2023 年各单位学时达标率")


@pytest.fixture
def timetable(qtbot, demo_db):  # noqa: ANN001, ANN201
    v = TimetableView()
    qtbot.addWidget(v)
    v.resize(1280, 800)
    v.show()
    return v


def test_shares_chart_shows_actual_against_target(timetable, demo_db) -> None:  # noqa: ANN001
    chart = timetable.shares_chart
    assert chart.button.text() == "三三制图表"
    assert not chart.isVisible()
    chart.button.click()
    assert chart.isVisible()
    cid = demo_db["进行中"]
    timetable.set_class(cid)
    shares = class_shares(cid)
    assert chart.categories() == chart.axis_labels() == ["课堂教学", "调研考察", "研讨交流"]
    assert chart.series_names() == ["实际", "目标"]
    assert chart.shown_values("实际") == [s.half_days for s in shares]
    assert chart.shown_values("目标") == pytest.approx(
        [round(s.target_half_days, 1) for s in shares]
    )
    assert sum(chart.shown_values("实际")) > 0
    assert chart.chart().title() == "三三制比例（半天）"
    chart.button.click()
    assert not chart.isVisible()
    timetable.set_class(None)  # no class: nothing to chart
    assert chart.categories() == []
