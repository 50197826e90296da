"""半年一督查、一通报: inspection findings refused when incomplete, the bulletin ranking the
units of a half (equal scores share a rank) with the units to praise and to criticise, and
the points deducted counted in the year-end total with the reason shown."""

from __future__ import annotations

from decimal import Decimal

import pytest

from models.core.errors import DomainError
from models.evaluation import bulletin, grade_year, record_inspection, set_scores
from tests.models.evaluation.conftest import Y

D = Decimal


def test_refusals(plan, units) -> None:
    a, b = plan
    with pytest.raises(DomainError, match="扣分须写明督查发现的问题"):
        record_inspection(Y, 1, units["org"], D(80), deduction=D(1))
    with pytest.raises(DomainError, match="督查半年应为 1（上半年）或 2（下半年），现为 3"):
        record_inspection(Y, 3, units["org"], D(80))
    with pytest.raises(DomainError, match="督查评分应在 0–100 之间，现为 101"):
        record_inspection(Y, 1, units["org"], D(101))
    with pytest.raises(DomainError, match="所选任务不是“市委组织部”2025年度牵头的任务"):
        record_inspection(Y, 1, units["org"], D(90), task_id=b)  # 乌兰镇's task
    with pytest.raises(DomainError, match="还没有督查记录"):
        bulletin(Y, 2)


def test_bulletin_and_the_points_in_the_year_end_total(plan, units) -> None:
    record_inspection(Y, 1, units["org"], D(97), finding="经验被省级推广", user="督查室")
    record_inspection(Y, 1, units["town"], D(78), deduction=D(1), finding="台账不完整")
    record_inspection(Y, 1, units["county"], D(78))
    b = bulletin(Y, 1)
    assert b.title == "2025年上半年工作督查情况通报"
    assert [(r.rank, r.unit, r.score) for r in b.rows] == [
        (1, "市委组织部", D(97)), (2, "乌兰镇", D(78)), (2, "靖远县", D(78)),
    ]  # fmt: skip
    assert [r.unit for r in b.praised] == ["市委组织部"]
    assert [r.unit for r in b.criticised] == ["乌兰镇"]
    set_scores(Y, units["org"], common=D(90), own=D(90))
    set_scores(Y, units["town"], common=D(85), own=D(80))
    town = next(r for r in grade_year(Y) if r.unit == "乌兰镇")
    assert town.total == D("81.00")  # 82 − 1 督查扣分
    assert "督查扣分 1" in town.explanation
