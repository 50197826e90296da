"""The 年度工作任务分解表 of the 单位考评 as PDF (landscape A4): every task of the year under its
lead unit (the units in the unit tree's order, each with its number of tasks and points),
with 序号、任务、类别、重点工作、目标与措施、分值、完成时限、牵头单位、配合单位、责任人; long text
wraps inside its cell, the header row repeats on every page, and the issuing line
(制表单位、审核人、制表日期) closes it. Data from :mod:`models.evaluation.reading`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from models.core.errors import DomainError
from models.core.progress import IsCancelled, Progress
from models.evaluation.reading import UnitTasks, tasks_by_unit
from reports.common import fonts
from reports.common.files import write_atomic
from reports.common.pdf_base import (
    CELL_CENTER,
    GROUP_FILL,
    HEAD,
    INFO,
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
    issue_line,
    job,
    points,
    text_para,
)

__all__ = ["TASK_COLUMNS", "print_tasks", "tasks_pdf", "tasks_report"]

PAGE = landscape(A4)
MX, MY = 12 * mm, 12 * mm
WIDTH = PAGE[0] - 2 * MX

#: (header, width in mm; 0: what is left)
TASK_COLUMNS = (
    ("序号", 10),
    ("任务", 52),
    ("类别", 11),
    ("重点<br/>工作", 11),
    ("目标与措施", 0),
    ("分值", 11),
    ("完成时限", 21),
    ("牵头单位", 31),
    ("配合单位", 31),
    ("责任人", 23),
)


def _widths() -> list[float]:
    fixed = sum(w for _h, w in TASK_COLUMNS) * mm
    return [w * mm if w else WIDTH - fixed for _h, w in TASK_COLUMNS]


def _title(year: int) -> str:
    return f"{year}年度工作任务分解表"


def _summary(groups: Sequence[UnitTasks]) -> str:
    tasks = [t for g in groups for t in g.tasks]
    common = sum(1 for t in tasks if t.category == "共性")
    key = sum(1 for t in tasks if t.key_topic)
    return (
        f"共 {len(tasks)} 项任务，牵头单位 {len(groups)} 个；"
        f"共性任务 {common} 项，个性任务 {len(tasks) - common} 项；年度重点工作 {key} 项"
    )


def tasks_pdf(
    year: int,
    groups: Sequence[UnitTasks],
    *,
    issuer: str = "考评办",
    day: dt.date | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> tuple[bytes, int]:
    """The breakdown table of ``groups`` (one per lead unit) as PDF bytes and its pages."""
    fonts.current_setup()  # the fonts registered before the first paragraph is built
    day = day or dt.date.today()
    col_w = _widths()
    rows: list[list[Any]] = [[mpara(h, HEAD) for h, _w in TASK_COLUMNS]]
    cmds: list[tuple[Any, ...]] = [("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    seq = 0
    for g in groups:
        weight = sum((t.weight for t in g.tasks), Decimal(0))
        at = len(rows)
        rows.append(
            [mpara(f"<b>{fonts.markup(g.unit)}</b>\u3000牵头任务 {len(g.tasks)} 项，"
                   f"分值合计 {points(weight)} 分")]
            + [""] * (len(TASK_COLUMNS) - 1)
        )  # fmt: skip
        cmds += [("SPAN", (0, at), (-1, at)), ("BACKGROUND", (0, at), (-1, at), GROUP_FILL)]
        for t in g.tasks:
            seq += 1
            rows.append([
                para(str(seq), CELL_CENTER), text_para(t.title), para(t.category, CELL_CENTER),
                para("是" if t.key_topic else "", CELL_CENTER), text_para(t.target),
                para(points(t.weight), CELL_CENTER), para(date_dot(t.deadline), CELL_CENTER),
                para(t.lead_unit), text_para(t.co_units), para(t.responsible, CELL_CENTER),
            ])  # fmt: skip
    table = Table(rows, colWidths=col_w, repeatRows=1, style=table_style(*cmds))
    story: list[Flowable] = [
        para(_title(year), REPORT_TITLE),
        para(_summary(groups), INFO),
        Spacer(1, 3 * mm),
        table,
        Spacer(1, 6 * mm),
        issue_line(WIDTH, issuer, day),
    ]
    return build_form(
        story, job=job("工作任务分解表", progress, cancelled), title=_title(year),
        pagesize=PAGE, margin_x=MX, margin_y=MY, hint="请精简任务的目标与措施等文字后再打印",
    )  # fmt: skip


def tasks_report(
    year: int,
    *,
    issuer: str = "考评办",
    day: dt.date | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> Printed:
    """The year's breakdown table in memory; DomainError when the year has no tasks."""
    groups = tasks_by_unit(year)
    if not groups:
        raise DomainError(f"{year} 年度还没有工作任务，无法打印任务分解表")
    data, pages = tasks_pdf(
        year, groups, issuer=issuer, day=day, progress=progress, cancelled=cancelled
    )
    texts = [
        (f"任务“{t.title}”", f"{t.title}{t.target}{t.co_units}{t.responsible}")
        for g in groups
        for t in g.tasks
    ]
    n = sum(len(g.tasks) for g in groups)
    return Printed(data, pages, n, tuple(font_warnings(texts)))


def print_tasks(year: int, out: str | Path, *, day: dt.date | None = None) -> Printed:
    """Write the year's breakdown table to ``out``."""
    printed = tasks_report(year, day=day)
    write_atomic(out, printed.data, "工作任务分解表")
    return printed
