"""A unit's 季度自查表 of the 单位考评 as PDF (landscape A4), for one quarter or the whole year:
per quarter (its deadline and how many were reported, late or not at all) every task the unit
leads with 工作进展、自评分、存在问题, whether it came on time (按时报送), late with the
考评办's consent (逾期补报, shaded) or not at all (未报送), who reported it and when; then the
rule on late reports and the unit's signature block (单位主要负责人签字、填表人、单位盖章).
Data from :mod:`models.evaluation.reading`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from models.core.dates import ymd_cn
from models.core.errors import DomainError
from models.core.progress import IsCancelled, Progress
from models.evaluation.reading import (
    QUARTERS,
    TaskChecks,
    YearState,
    quarter_deadlines,
    unit_checks,
    year_state,
)
from reports.common import fonts
from reports.common.files import write_atomic
from reports.common.pdf_base import (
    CELL,
    CELL_CENTER,
    GROUP_FILL,
    HEAD,
    INFO_LEFT,
    REPORT_TITLE,
    font_warnings,
    mpara,
    para,
    table_style,
)
from reports.evaluation.layout import (
    Printed,
    build_form,
    date_dot,
    job,
    points,
    sign_block,
    text_para,
)

__all__ = ["CHECK_COLUMNS", "print_self_check", "self_check_pdf", "self_check_report"]

PAGE = landscape(A4)
MX, MY = 12 * mm, 12 * mm
WIDTH = PAGE[0] - 2 * MX
QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}
LATE_FILL = colors.HexColor("#fde2e2")

ON_TIME, LATE, MISSING, NOT_DUE = "按时报送", "逾期补报", "未报送（已逾期）", "未到截止日期"

#: (header, width in mm; 0: what is left)
CHECK_COLUMNS = (
    ("序号", 10),
    ("工作任务", 50),
    ("分值", 11),
    ("完成时限", 20),
    ("工作进展", 0),
    ("自评分", 13),
    ("存在问题", 44),
    ("报送情况", 19),
    ("填报人", 18),
    ("填报时间", 21),
)
TARGET = ParagraphStyle("eval_target", parent=CELL, fontSize=8, leading=10.5,
                        textColor=colors.HexColor("#444444"))  # fmt: skip


def _widths() -> list[float]:
    fixed = sum(w for _h, w in CHECK_COLUMNS) * mm
    return [w * mm if w else WIDTH - fixed for _h, w in CHECK_COLUMNS]


def _title(year: int, quarter: int | None) -> str:
    when = f"{year}年{QUARTER_NAMES[quarter]}" if quarter else f"{year}年度"
    return f"{when}工作任务自查表"


def _status(item: TaskChecks, quarter: int, due: dt.date, day: dt.date) -> str:
    c = item.checks.get(quarter)
    if c is not None:
        return LATE if c.late else ON_TIME
    return MISSING if day > due else NOT_DUE


def _task_cell(item: TaskChecks) -> Any:
    t = item.task
    text = fonts.markup(t.title) + ("\u3000（年度重点工作）" if t.key_topic else "")
    if t.target.strip():
        target = "<br/>".join(fonts.markup(x) for x in t.target.strip().splitlines())
        text += f'<br/><font size="8" color="#444444">目标：{target}</font>'
    return mpara(text, CELL)


def _quarter_rows(
    items: Sequence[TaskChecks], quarter: int, due: dt.date, day: dt.date, at: int
) -> tuple[list[list[Any]], list[tuple[Any, ...]]]:
    """The quarter's group row (its deadline and how many were reported) and one row per
    task; ``at``: the table row the group row lands on."""
    statuses = [_status(i, quarter, due, day) for i in items]
    done = sum(1 for s in statuses if s in (ON_TIME, LATE))
    missing = statuses.count(MISSING)
    head = (
        f"{QUARTER_NAMES[quarter]}\u3000自查截止：{ymd_cn(due)}\u3000"
        f"已报送 {done} 项（其中逾期补报 {statuses.count(LATE)} 项），"
        f"未报送 {len(items) - done} 项" + (f"（已逾期 {missing} 项）" if missing else "")
    )
    rows: list[list[Any]] = [[para(head)] + [""] * (len(CHECK_COLUMNS) - 1)]
    cmds: list[tuple[Any, ...]] = [
        ("SPAN", (0, at), (-1, at)),
        ("BACKGROUND", (0, at), (-1, at), GROUP_FILL),
    ]
    for n, (item, status) in enumerate(zip(items, statuses, strict=True), start=1):
        t, c = item.task, item.checks.get(quarter)
        rows.append([
            para(str(n), CELL_CENTER), _task_cell(item), para(points(t.weight), CELL_CENTER),
            para(date_dot(t.deadline), CELL_CENTER),
            text_para(c.progress) if c else para(""),
            para(points(c.self_score) if c else "", CELL_CENTER),
            text_para(c.problems) if c else para(""),
            para(status, CELL_CENTER),
            para(c.submitted_by if c else "", CELL_CENTER),
            mpara(f"{c.submitted_at:%Y.%m.%d}<br/>{c.submitted_at:%H:%M}", CELL_CENTER)
            if c else para(""),
        ])  # fmt: skip
        if status in (LATE, MISSING):
            cmds.append(("BACKGROUND", (7, at + n), (7, at + n), LATE_FILL))
    return rows, cmds


def self_check_pdf(
    state: YearState,
    unit: str,
    items: Sequence[TaskChecks],
    quarters: Sequence[int],
    *,
    day: dt.date | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> tuple[bytes, int]:
    """The self-check form of ``unit`` for ``quarters`` (one, or all four) as PDF bytes and
    its pages."""
    fonts.current_setup()  # the fonts registered before the first paragraph is built
    day = day or dt.date.today()
    deadlines = quarter_deadlines(state.year)
    one = quarters[0] if len(quarters) == 1 else None
    title = _title(state.year, one)
    col_w = _widths()
    info = f"填报单位：{fonts.markup(unit)}\u3000\u3000牵头任务 {len(items)} 项"
    story: list[Flowable] = [
        mpara(title, REPORT_TITLE),
        mpara(info, INFO_LEFT),
        Spacer(1, 3 * mm),
    ]
    rows: list[list[Any]] = [[mpara(h, HEAD) for h, _w in CHECK_COLUMNS]]
    cmds: list[tuple[Any, ...]] = [("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    for q in quarters:
        more, style = _quarter_rows(items, q, deadlines[q], day, len(rows))
        rows += more
        cmds += style
    story.append(Table(rows, colWidths=col_w, repeatRows=1, style=table_style(*cmds)))
    story.append(Spacer(1, 4 * mm))
    rule = (
        f"说明：每季度结束后 {state.check_days} 日内报送自查；逾期须经考评办同意后补报，"
        f"每项逾期补报在年终考评中扣 {points(state.late_deduction)} 分。"
    )
    story.append(KeepTogether([para(rule, INFO_LEFT), Spacer(1, 6 * mm), sign_block(WIDTH)]))
    return build_form(
        story, job=job("季度自查表", progress, cancelled), title=f"{unit}{title}",
        pagesize=PAGE, margin_x=MX, margin_y=MY, hint="请精简自查的工作进展或存在问题后再打印",
    )  # fmt: skip


def self_check_report(
    year: int,
    unit_id: int,
    unit_name: str,
    quarter: int | None = None,
    *,
    day: dt.date | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> Printed:
    """The unit's self-check form for ``quarter`` (None: all four) in memory; DomainError
    when the quarter is not 1–4 or the unit leads no task in the year."""
    if quarter is not None and quarter not in QUARTERS:
        raise DomainError(f"季度应为 1–4，现为 {quarter}", field="quarter")
    items = unit_checks(year, unit_id, unit_name)
    quarters = (quarter,) if quarter else QUARTERS
    data, pages = self_check_pdf(
        year_state(year), unit_name, items, quarters,
        day=day, progress=progress, cancelled=cancelled,
    )  # fmt: skip
    texts = [("单位名称", unit_name)]
    for i in items:
        texts.append((f"任务“{i.task.title}”", f"{i.task.title}{i.task.target}"))
        for q in quarters:
            c = i.checks.get(q)
            if c is not None:
                where = f"任务“{i.task.title}”{QUARTER_NAMES[q]}自查"
                texts.append((where, f"{c.progress}{c.problems}{c.submitted_by}"))
    return Printed(data, pages, len(items), tuple(font_warnings(texts)))


def print_self_check(
    year: int,
    unit_id: int,
    unit_name: str,
    quarter: int | None,
    out: str | Path,
    *,
    day: dt.date | None = None,
) -> Printed:
    """Write the unit's self-check form to ``out``."""
    printed = self_check_report(year, unit_id, unit_name, quarter, day=day)
    write_atomic(out, printed.data, "季度自查表")
    return printed
