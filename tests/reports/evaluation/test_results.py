"""The 单位考评结果汇总表: the units in rank order with their scores, every point deducted
(the unit's own, the inspections', the late self-checks') and approved bonuses only; the title
says （未审定） until the year is approved and not after; the count per grade; a bar chart of
the totals; on the demo the ranking of list_results."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from models.evaluation import (
    TaskInput,
    approve_year,
    default_eval_rules,
    grade_year,
    list_results,
    record_inspection,
    save_rules,
    save_task,
    set_scores,
    submit_check,
)
from models.evaluation.reading import result_lines, year_state
from reports.evaluation import print_results
from tests.reports.conftest import assert_clean_pdf, pdf_pages_text, pdf_text, squeeze

Y = 2025
D = Decimal
DAY = dt.date(2026, 1, 12)


def _rows(layout: str) -> list[str]:
    """The lines of a layout text without spaces: one table row (of one-line cells) each."""
    return [squeeze(line) for line in layout.splitlines() if line.strip()]


@pytest.fixture
def scored(units, bundled_fonts) -> dict[str, int]:  # noqa: ANN001
    """市委组织部 and 乌兰镇 with tasks and year-end scores (the 领导班子 left out of the
    total); 组织部 with 0.5 deducted by hand, 1 by the inspection and one late self-check,
    乌兰镇 asking 3 bonus points that are not approved."""
    save_rules(Y, dataclasses.replace(default_eval_rules(), team_weight=D(0)), user="考评办")
    org = save_task(TaskInput(Y, "干部教育培训全覆盖", units["org"], category="共性",
                              weight=D(40)), user="考评办")  # fmt: skip
    save_task(TaskInput(Y, "乡村振兴示范村建设", units["town"], weight=D(60)), user="考评办")
    submit_check(org.id, 1, "已培训 300 人次", D(90), today=dt.date(Y, 4, 20),
                 late_approved=True, user="组织部")  # fmt: skip
    record_inspection(Y, 1, units["org"], D(85), deduction=D(1), finding="台账不全",
                      user="督查室")  # fmt: skip
    set_scores(Y, units["org"], common=D(92), own=D(95), bonus=D(2), bonus_reason="省级推广",
               bonus_approved=True, deduction=D("0.5"), deduction_reason="材料迟交",
               user="考评办")  # fmt: skip
    set_scores(Y, units["town"], common=D(85), own=D(80), bonus=D(3), bonus_reason="创新",
               user="考评办")  # fmt: skip
    return units


def test_before_grading_the_units_are_listed_unranked(scored, tmp_path) -> None:
    out = tmp_path / "r.pdf"
    printed = print_results(Y, out, day=DAY)
    assert printed.rows == 2
    flat = squeeze(pdf_text(out))
    assert flat.startswith("2025年度单位考评结果汇总表（未审定）")
    assert "尚未定等次2个" in flat
    assert flat.count("未定") == 3  # two rows and the count line
    assert "尚未计算总分，没有得分图。" in flat


def test_graded_not_approved_then_approved(scored, tmp_path) -> None:
    grade_year(Y, user="考评办")
    out = tmp_path / "r.pdf"
    print_results(Y, out, day=DAY)
    rows = _rows(assert_clean_pdf(out))
    flat = squeeze(pdf_text(out))
    assert flat.startswith("2025年度单位考评结果汇总表（未审定）")
    assert "等次：好1个，较好1个，一般0个，较差0个" in flat
    assert "总分=共性指标×40%+个性指标×60%+批准的加分−扣分" in flat
    assert "班子得分" not in flat  # the year leaves the 领导班子 out
    # 92×40% + 95×60% = 93.8, + 2 approved, − (0.5 + 1 inspected + 0.5 late) = 93.80
    assert "1市委组织部92952293.80好" in rows
    # 85×40% + 80×60% = 82.00; the 3 points asked for are not approved, so not counted
    assert "2乌兰镇858082.00较好" in rows
    assert "乌兰镇申报加分3分，未经批准，未计入总分。" in flat
    assert flat.index("市委组织部") < flat.index("乌兰镇")
    assert "制表单位：考评办（盖章）" in flat
    assert "制表日期：2026年1月12日" in flat
    assert "2025年度各单位考评总分" in flat  # the chart, with the totals at its bars
    chart = flat[flat.index("2025年度各单位考评总分") :]
    assert "93.80" in chart
    assert "82.00" in chart

    approve_year(Y, user="考评办")
    print_results(Y, out, day=DAY)
    flat = squeeze(pdf_text(out))
    assert flat.startswith("2025年度单位考评结果汇总表参加考评单位")
    assert "未审定" not in flat
    approved = year_state(Y).approved_at
    assert approved is not None
    assert f"{approved.year}年{approved.month}月{approved.day}日由考评办审定" in flat


def test_the_demo_ranking_grades_and_chart(demo_eval, tmp_path) -> None:
    out = tmp_path / "汇总表.pdf"
    printed = print_results(2025, out, day=DAY)
    results = list_results(2025)
    assert printed.rows == len(results) > 0
    rows = _rows(assert_clean_pdf(out))
    pages = [squeeze(p) for p in pdf_pages_text(out)]
    flat = "".join(pages)
    state = year_state(2025)
    assert state.approved
    assert "未审定" not in flat
    assert ("班子得分" in flat) == bool(state.team_weight)
    at = [next(k for k, row in enumerate(rows) if row.startswith(f"{r.rank}{squeeze(r.unit)}"))
          for r in results]  # fmt: skip
    assert at == sorted(at)  # the rows in rank order
    counts = "，".join(f"{g}{sum(r.grade == g for r in results)}个" for g in state.grades)
    assert f"等次：{counts}" in flat
    for ln in result_lines(2025):
        r = ln.result
        total = f"{r.total:.2f}"
        deducted = f"{ln.deducted:.2f}".rstrip("0").rstrip(".") if ln.deducted else ""
        row = next(row for row in rows if row.startswith(f"{r.rank}{squeeze(r.unit)}"))
        assert row.endswith(f"{deducted}{total}{r.grade}"), row
    chart_page = next(p for p in pages if "2025年度各单位考评总分" in p)
    chart = chart_page[chart_page.index("2025年度各单位考评总分") :]
    for r in results:  # every unit named at its bar, its total written there
        assert squeeze(r.unit) in chart
        assert f"{r.total:.2f}" in chart
