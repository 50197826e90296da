"""The 年度工作任务分解表 PDF: on the demo every task is printed under its lead unit, the units
in the unit tree's order, numbered through; a long task title and a long 目标与措施 wrap
inside their cells and are printed whole; a year without tasks is refused in Chinese."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from models.core.errors import DomainError
from models.evaluation import TaskInput, list_tasks, save_task
from models.evaluation.reading import tasks_by_unit
from models.roster.tables import Unit
from reports.evaluation import print_tasks, tasks_report
from tests.reports.conftest import assert_clean_pdf, pdf_info, pdf_text, squeeze

DAY = dt.date(2026, 1, 8)
LONG_TITLE = (
    "深入推进城市转型发展三年行动计划，统筹抓好产业结构调整、资源枯竭型城市转型、"
    "生态环境修复治理和重点项目建设，确保各项指标全面完成"
)
LONG_TARGET = "；".join(
    f"第{n}项措施：建立健全工作台账，明确责任分工和完成时限，每月调度一次进展情况，"
    f"按季度向考评办报送自查材料并接受督查"
    for n in range(1, 9)
)


def test_every_task_is_printed_under_its_lead_unit_in_tree_order(demo_eval, tmp_path) -> None:
    out = tmp_path / "任务分解表.pdf"
    printed = print_tasks(2025, out, day=DAY)
    tasks = list_tasks(2025)
    assert printed.rows == len(tasks) > 0
    text = assert_clean_pdf(out)
    flat = squeeze(text)
    assert flat.startswith("2025年度工作任务分解表")
    assert f"共{len(tasks)}项任务，牵头单位{len(tasks_by_unit(2025))}个" in flat
    assert "制表单位：考评办（盖章）" in flat
    assert "制表日期：2026年1月8日" in flat
    pos = 0
    seq = 0
    for group in tasks_by_unit(2025):
        heading = squeeze(f"{group.unit}\u3000牵头任务 {len(group.tasks)} 项")
        pos = flat.index(heading, pos)  # the units come in this order
        for t in group.tasks:
            seq += 1
            pos = flat.index(f"{seq}{squeeze(t.title)}{t.category}", pos)
    assert seq == len(tasks)
    assert int(pdf_info(out)["Pages"]) == printed.pages
    assert "841.89 x 595.276" in pdf_info(out)["Page size"]  # landscape A4


def test_a_long_title_and_target_wrap_and_are_printed_whole(units, bundled_fonts, tmp_path):
    # added last, but first among 市委's departments in the tree
    office = Unit.create(name="市委办公室", parent=units["party"], sort_order=0)
    save_task(TaskInput(2025, LONG_TITLE, units["org"], category="个性", key_topic=True,
                        target=LONG_TARGET, weight=Decimal(60), deadline=dt.date(2025, 11, 30),
                        co_units="市发展和改革委员会、市财政局", responsible="分管负责同志"),
              user="考评办")  # fmt: skip
    save_task(TaskInput(2025, "干部教育培训全覆盖", units["town"], category="共性",
                        weight=Decimal(40)), user="考评办")  # fmt: skip
    save_task(TaskInput(2025, "意识形态工作责任制落实", office.id, weight=Decimal(40)),
              user="考评办")  # fmt: skip
    out = tmp_path / "t.pdf"
    printed = print_tasks(2025, out, day=DAY)
    assert printed.rows == 3
    raw = pdf_text(out)
    flat = squeeze(raw)
    assert squeeze(LONG_TITLE) in flat  # nothing clipped
    assert squeeze(LONG_TARGET) in flat
    lines = [squeeze(line) for line in raw.splitlines()]
    assert squeeze(LONG_TITLE) not in lines  # ... because it wrapped inside its cell
    assert not any(squeeze(LONG_TITLE)[:30] in line for line in lines)
    assert "2025.11.30" in flat
    assert "市发展和改革委员会、市财政局" in flat
    # the units in the tree's order, not in the order they were added
    at = [flat.index(f"{u}牵头任务") for u in ("市委办公室", "市委组织部", "乌兰镇")]
    assert at == sorted(at)


def test_a_year_without_tasks_is_refused(units, bundled_fonts) -> None:
    with pytest.raises(DomainError, match="2024 年度还没有工作任务，无法打印任务分解表"):
        tasks_report(2024)
