"""学时 completion counted from a 学时不足名单 already made (the 学时 screen's chart): every
unit by top-level unit, as the 首页 counts it; one unit by its direct sub-units."""

from __future__ import annotations

import datetime as dt

import pytest

from models.overview import completion_by_unit, hours_completion
from models.training import add_hours_entry, hours_report
from models.training import hours as hr
from tests.models.overview import test_overview as home_tests

people = home_tests.people  # the small roster whose every number is known


@pytest.fixture
def hours(people: dict[str, int]) -> dict[str, int]:
    """李四 and 赵敏 meet the 2026 requirement; 张三 (五年 550) with 100 does not."""
    add_hours_entry(people["李四"], dt.date(2026, 5, 1), hr.OUTSIDE_TRAINING, 90, "省委党校专题班")
    add_hours_entry(people["赵敏"], dt.date(2026, 4, 1), hr.ONLINE_STUDY, 95, "网络学院")
    add_hours_entry(people["张三"], dt.date(2026, 4, 1), hr.ONLINE_STUDY, 100, "网络学院")
    return people


def shown(year: int, unit_id: int | None) -> list[tuple[str, int, int]]:
    short = [r.cadre_id for r in hours_report(year, unit_id)]
    return [(u.unit, u.people, u.met) for u in completion_by_unit(year, short, unit_id).units]


def test_every_unit_is_what_the_home_screen_counts(hours, units) -> None:  # noqa: ANN001
    assert shown(2026, None) == [
        (u.unit, u.people, u.met) for u in hours_completion(2026).units
    ] == [("白银市本级", 1, 0), ("市委", 2, 1), ("靖远县", 4, 1)]  # fmt: skip


def test_one_unit_is_counted_by_its_sub_units(hours, units) -> None:  # noqa: ANN001
    # 靖远县 itself: 周志强 (县处级, nothing); 乌兰镇: 王芳 (30 last year), 赵敏 (met), 钱亮
    assert shown(2026, units["county"]) == [("靖远县本级", 1, 0), ("乌兰镇", 3, 1)]
    # a unit without sub-units: one bar
    assert shown(2026, units["town"]) == [("乌兰镇", 3, 1)]
    # 市委 has no cadre of its own: only 市委组织部 (张三 short, 李四 met)
    assert shown(2026, units["party"]) == [("市委组织部", 2, 1)]
