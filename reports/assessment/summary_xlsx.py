"""The 考核 summary reports as xlsx (one sheet each, written atomically through
reports.common.xlsx.write_table): 汇总表 with a 名额线 column and a second sheet of the grade
counts by unit with their bar chart, 审定表 with the lists of 不定等次 and absent people below
the counts, 名册 by unit."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from functools import partial
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from models.core.progress import IsCancelled, Progress
from reports.assessment.data import (
    DETERMINED,
    NO_GRADE_KINDS,
    UNGRADED,
    ApprovalData,
    RegisterData,
    SummaryData,
)
from reports.common.xlsx import add_bar_chart, write_table

__all__ = [
    "APPROVAL_HEADERS",
    "REGISTER_HEADERS",
    "SUMMARY_HEADERS",
    "counts_sheet",
    "approval_xlsx",
    "register_xlsx",
    "summary_xlsx",
]


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _summary_rows(d: SummaryData) -> Iterator[Sequence[object]]:
    for u in d.units:
        for r in u.rows:
            yield (
                u.label, r.seq, r.name, r.post, _num(r.evaluation), _num(r.items),
                _num(r.adjust) if r.adjust else None, _num(r.composite), r.rank,
                r.proposed, r.final, "名额线内" if r.within_quota else "",
                f"{u.quota} 名（{u.quota_text}）", r.note,
            )  # fmt: skip


def _approval_rows(d: ApprovalData) -> Iterator[Sequence[object]]:
    for r in (*d.rows, d.total):
        yield (
            r.layer, r.members, *(r.grades[g] for g in DETERMINED),
            *(r.no_grade[k] for k in NO_GRADE_KINDS), r.subtotal, r.absent,
        )  # fmt: skip
    if d.no_grade:
        yield ()
        yield ("不定等次人员",)
        for name, unit, kind, reason in d.no_grade:
            yield (name, unit, kind, reason)
    if d.absent:
        yield ()
        yield ("未参加考核人员",)
        for name, unit, reason in d.absent:
            yield (name, unit, reason)
    if d.ungraded:
        yield ()
        yield ("尚未计算等次",)
        for name, unit in d.ungraded:
            yield (name, unit)


def _register_rows(d: RegisterData) -> Iterator[Sequence[object]]:
    for _unit, rows in d.units:
        for r in rows:
            yield (
                r.unit, r.seq, r.name, r.sex, r.birth, r.post, r.layer,
                _num(r.evaluation), _num(r.composite), r.final, r.note,
            )  # fmt: skip


SUMMARY_HEADERS = (
    *("单位", "序号", "姓名", "职务职级", "测评得分", "项目得分", "加减分", "综合得分"),
    *("排名", "拟定等次", "最终等次", "名额线", "优秀名额", "备注"),
)
APPROVAL_HEADERS = (
    *("职级层次", "实有人数", *DETERMINED),
    *(f"不定等次-{k}" for k in NO_GRADE_KINDS),
    *("小计", "未参加考核人员"),
)
REGISTER_HEADERS = (
    *("单位", "序号", "姓名", "性别", "出生年月", "现任职务", "职级层次"),
    *("民主测评", "综合得分", "考核等次", "备注"),
)


def counts_sheet(d: SummaryData, wb: Workbook) -> None:
    """The sheet 等次分布: a title, the grades across, a row of counts per unit and the 合计
    row (row 3 + units), and the bar chart of that 合计 row beside the table."""
    grades = [g for g, _n in d.grade_counts]
    waiting = grades[-1] == UNGRADED
    ws = wb.create_sheet("等次分布")
    ws.column_dimensions["A"].width = 28
    ws.append([f"{d.round_name}等次分布（{d.scope}）"])
    ws.append(["单位", *grades, "合计"])
    for u in d.units:
        counts = [u.counts.get(g, 0) for g in grades if g != UNGRADED]
        ws.append([u.label, *counts, *([u.people - sum(counts)] if waiting else []), u.people])
    ws.append(["合计", *(n for _g, n in d.grade_counts), d.people])
    last, total_row = len(grades) + 1, len(d.units) + 3
    add_bar_chart(
        ws, title=f"{d.year}年度考核等次分布（{d.scope}）", categories=(2, 2, last),
        values=(total_row, 1, last), anchor=f"{get_column_letter(last + 3)}2",
    )  # fmt: skip


def _xlsx(
    out: str | os.PathLike[str],
    title: str,
    headers: Sequence[str],
    widths: Sequence[int],
    rows: list[Sequence[object]],
    sheet: str,
    progress: Progress | None,
    cancelled: IsCancelled | None,
    more: Callable[[Workbook], object] | None = None,
) -> int:
    return write_table(
        Path(out), title=title, headers=headers, widths=widths, rows=rows, total=len(rows),
        progress=progress, cancelled=cancelled, sheet_name=sheet, more=more,
    )  # fmt: skip


def summary_xlsx(
    d: SummaryData,
    out: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> int:
    """One row per person, pools one after the other, then the sheet 等次分布 with its
    chart (:func:`counts_sheet`); returns the rows written."""
    return _xlsx(
        out, f"{d.round_name}结果汇总表（{d.scope}）", SUMMARY_HEADERS,
        (20, 6, 10, 30, 9, 9, 8, 9, 6, 9, 9, 9, 30, 40),
        list(_summary_rows(d)), "汇总表", progress, cancelled, partial(counts_sheet, d),
    )  # fmt: skip


def approval_xlsx(
    d: ApprovalData,
    out: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> int:
    """The counts per layer and 合计, then the people lists; returns the rows written."""
    return _xlsx(
        out, f"{d.year}年度考核结果审定表（{d.scope}）", APPROVAL_HEADERS,
        (16, 10, 8, 8, 10, 8, 16, 16, 16, 8, 14),
        list(_approval_rows(d)), "审定表", progress, cancelled,
    )  # fmt: skip


def register_xlsx(
    d: RegisterData,
    out: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> int:
    """Every member with the final grade; returns the rows written."""
    return _xlsx(
        out, f"{d.year}年度考核结果名册（{d.scope}）", REGISTER_HEADERS,
        (20, 6, 10, 6, 10, 34, 12, 9, 9, 10, 30),
        list(_register_rows(d)), "名册", progress, cancelled,
    )  # fmt: skip
