"""The 单位考评结果汇总表 as PDF (portrait A4): the year's units in rank order with 共性、个性,
班子得分 (when the year counts the 领导班子), 加分 (approved bonuses only), 扣分 (the unit's
own, the half-year inspections' and the late self-checks'), 总分 and 等次; the title says
（未审定） while the year is not approved, the line under it who approved it and when once it
is; the count of units per grade; notes on scores computed from the tasks and on bonuses
asked for but not approved; the issuing line; then a bar chart of the totals by unit
coloured by grade (below the table, or on the next page when it does not fit). Data from
:mod:`models.evaluation.reading`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from models.core.dates import ymd_cn
from models.core.progress import IsCancelled, Progress
from models.evaluation.reading import ResultLine, YearState, result_lines, year_state
from reports.common import fonts
from reports.common.files import write_atomic
from reports.common.pdf_base import (
    CELL,
    CELL_CENTER,
    GROUP_FILL,
    HEAD,
    INFO,
    INFO_LEFT,
    REPORT_TITLE,
    font_warnings,
    mpara,
    para,
    table_style,
)
from reports.evaluation.charts import score_bar_drawing
from reports.evaluation.layout import Printed, build_form, issue_line, job, points

__all__ = ["RESULT_COLUMNS", "print_results", "results_pdf", "results_report", "results_title"]

PAGE = A4
MX, MY = 18 * mm, 15 * mm
WIDTH = PAGE[0] - 2 * MX
NOT_APPROVED = "（未审定）"

#: (header, width in mm; 0: what is left); 班子得分 only when the year counts the 领导班子
RESULT_COLUMNS = (
    ("排名", 12),
    ("单位", 0),
    ("共性<br/>指标", 16),
    ("个性<br/>指标", 16),
    ("班子<br/>得分", 16),
    ("加分", 14),
    ("扣分", 14),
    ("总分", 18),
    ("等次", 15),
)
TEAM_COLUMN = 4


def results_title(state: YearState) -> str:
    """'2025年度单位考评结果汇总表', with （未审定） until the year is approved."""
    return f"{state.year}年度单位考评结果汇总表" + ("" if state.approved else NOT_APPROVED)


def _columns(state: YearState) -> list[tuple[str, float]]:
    return [c for k, c in enumerate(RESULT_COLUMNS) if k != TEAM_COLUMN or state.team_weight]


def _widths(columns: Sequence[tuple[str, float]]) -> list[float]:
    fixed = sum(w for _h, w in columns) * mm
    return [w * mm if w else WIDTH - fixed for _h, w in columns]


def _grade_counts(state: YearState, lines: Sequence[ResultLine]) -> str:
    counts = dict.fromkeys(state.grades, 0)
    ungraded = 0
    for ln in lines:
        if ln.result.grade in counts:
            counts[ln.result.grade] += 1
        elif ln.result.grade:
            counts[ln.result.grade] = 1  # a grade the year's rules no longer name
        else:
            ungraded += 1
    text = "等次：" + "，".join(f"{g} {n} 个" for g, n in counts.items())
    return text + (f"；尚未定等次 {ungraded} 个" if ungraded else "")


def _how(state: YearState) -> str:
    work = f"共性指标 × {points(state.common_weight)}% + 个性指标 × {points(state.own_weight)}%"
    if state.team_weight:
        rest = points(Decimal(100) - state.team_weight)
        work = f"（{work}）× {rest}% + 班子得分 × {points(state.team_weight)}%"
    return f"总分 = {work} + 批准的加分 − 扣分"


def _notes(state: YearState, lines: Sequence[ResultLine]) -> list[str]:
    out = [
        "注：加分栏只计经批准的特色、创新工作加分；扣分栏含年终录入的扣分、半年督查扣分和逾期"
        f"自查扣分（每项逾期补报 {points(state.late_deduction)} 分）。"
    ]
    if any(ln.computed for ln in lines):
        out.append("标 * 的共性、个性得分未单独录入，按该单位牵头任务的年终评分计算。")
    for ln in lines:
        r = ln.result
        if r.bonus and not r.bonus_approved:
            out.append(f"{r.unit}申报加分 {points(r.bonus)} 分，未经批准，未计入总分。")
    return out


def _row(ln: ResultLine, team: bool) -> list[Any]:
    r = ln.result
    bonus = r.bonus if r.bonus_approved else Decimal(0)

    def score(v: Decimal | None, category: str) -> str:
        return points(v) + ("*" if category in ln.computed else "")

    return [
        para("" if r.rank is None else str(r.rank), CELL_CENTER),
        para(r.unit),
        para(score(ln.common, "共性"), CELL_CENTER),
        para(score(ln.own, "个性"), CELL_CENTER),
        *([para("" if r.team is None else f"{r.team:.2f}", CELL_CENTER)] if team else []),
        para(points(bonus) if bonus else "", CELL_CENTER),
        para(points(ln.deducted) if ln.deducted else "", CELL_CENTER),
        para("" if r.total is None else f"{r.total:.2f}", CELL_CENTER),
        para(r.grade or "未定", CELL_CENTER),
    ]


def _chart(state: YearState, lines: Sequence[ResultLine]) -> Flowable:
    scored = [ln.result for ln in lines if ln.result.total is not None]
    if not scored:
        return para("尚未计算总分，没有得分图。", INFO_LEFT)
    chart = score_bar_drawing(
        [r.unit for r in scored], [r.total or Decimal(0) for r in scored],
        [r.grade for r in scored], state.grades,
        title=f"{state.year}年度各单位考评总分", width=WIDTH,
    )  # fmt: skip
    chart.hAlign = "CENTER"
    return chart


def results_pdf(
    state: YearState,
    lines: Sequence[ResultLine],
    *,
    issuer: str = "考评办",
    day: dt.date | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> tuple[bytes, int]:
    """The summary of ``lines`` (in rank order) as PDF bytes and its pages."""
    fonts.current_setup()  # the fonts registered before the first paragraph is built
    day = day or dt.date.today()
    info = [f"参加考评单位 {len(lines)} 个；{_grade_counts(state, lines)}", _how(state)]
    if state.approved and state.approved_at is not None:
        info.append(f"{ymd_cn(state.approved_at.date())}由{state.approved_by or '考评办'}审定")
    columns = _columns(state)
    rows: list[list[Any]] = [[mpara(h, HEAD) for h, _w in columns]]
    rows += [_row(ln, bool(state.team_weight)) for ln in lines]
    table = Table(
        rows, colWidths=_widths(columns), repeatRows=1,
        style=table_style(("BACKGROUND", (0, 0), (-1, 0), GROUP_FILL),
                          ("VALIGN", (0, 0), (-1, -1), "MIDDLE")),
    )  # fmt: skip
    story: list[Flowable] = [
        para(results_title(state), REPORT_TITLE),
        *(para(text, INFO) for text in info),
        Spacer(1, 3 * mm),
        table,
        Spacer(1, 2 * mm),
        *(para(n, CELL) for n in _notes(state, lines)),
        Spacer(1, 5 * mm),
        issue_line(WIDTH, issuer, day),
        Spacer(1, 8 * mm),
        _chart(state, lines),
    ]
    return build_form(
        story, job=job("单位考评结果汇总表", progress, cancelled),
        title=results_title(state), pagesize=PAGE, margin_x=MX, margin_y=MY,
        hint="请检查单位名称等文字",
    )  # fmt: skip


def results_report(
    year: int,
    *,
    issuer: str = "考评办",
    day: dt.date | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> Printed:
    """The year's summary in memory; DomainError when the year has neither tasks nor scores."""
    lines = result_lines(year)
    data, pages = results_pdf(
        year_state(year), lines, issuer=issuer, day=day, progress=progress, cancelled=cancelled
    )
    texts = [("单位名称", ln.result.unit) for ln in lines]
    return Printed(data, pages, len(lines), tuple(font_warnings(texts)))


def print_results(year: int, out: str | Path, *, day: dt.date | None = None) -> Printed:
    """Write the year's summary to ``out``."""
    printed = results_report(year, day=day)
    write_atomic(out, printed.data, "单位考评结果汇总表")
    return printed
