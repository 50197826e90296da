"""What the printed forms of the 单位考评 share: the result of a printed form (:class:`Printed`,
bytes with the pages, the rows and the font's notes), the ruled page geometry, multi-line user
text in a cell, points printed without trailing zeros, the issuing line (制表单位、审核人、
制表日期) and the signature block of a unit (单位主要负责人签字、单位盖章)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table, TableStyle
from reportlab.platypus.doctemplate import LayoutError

from models.core.errors import DomainError
from models.core.progress import IsCancelled, Progress
from reports.common import fonts, styles
from reports.common.cjk import CJKParagraph
from reports.common.numbers import fmt_score
from reports.common.pdf_base import CELL, Job, build_pdf, mpara

__all__ = [
    "Printed",
    "build_form",
    "date_dot",
    "issue_line",
    "job",
    "points",
    "sign_block",
    "text_para",
]


@dataclass(frozen=True)
class Printed:
    """A printed form in memory: its bytes, pages, how many rows (tasks, units) it holds and
    the font's notes (names it cannot print) to show beside the preview."""

    data: bytes
    pages: int
    rows: int
    warnings: tuple[str, ...]


def build_form(
    story: list[Flowable],
    *,
    job: Job,
    title: str,
    pagesize: tuple[float, float],
    margin_x: float,
    margin_y: float,
    hint: str,
) -> tuple[bytes, int]:
    """:func:`reports.common.pdf_base.build_pdf`, with a box taller than a page (text typed
    by hand, or another system's) refused in Chinese, ``hint`` saying what to shorten."""
    try:
        return build_pdf(story, job=job, total=1, title=title, pagesize=pagesize,
                         margin_x=margin_x, margin_y=margin_y)  # fmt: skip
    except LayoutError:
        raise DomainError(
            f"《{title}》中有一栏内容过长，一页放不下；{hint}", field="print"
        ) from None


def job(what: str, progress: Progress | None, cancelled: IsCancelled | None) -> Job:
    def report(done: int, total: int, _what: str) -> None:
        if progress is not None:
            progress(done, total, f"正在生成{what}（{done}/{total}）")

    return Job(what, report, cancelled)


def points(value: Decimal | None) -> str:
    """A score or a weight as printed: 93.8 → '93.8', 40.00 → '40', None → ''."""
    if value is None:
        return ""
    text = fmt_score(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def date_dot(value: dt.date | None) -> str:
    """A deadline as the forms write it: 2025.12.31."""
    return f"{value.year}.{value.month:02d}.{value.day:02d}" if value else ""


def text_para(text: str, style: ParagraphStyle = CELL) -> CJKParagraph:
    """User text that may hold line breaks: each line escaped, kept as a line."""
    lines = [fonts.markup(line) for line in (text or "").strip().splitlines()]
    return mpara("<br/>".join(lines), style)


def _plain(*extra: tuple[Any, ...]) -> TableStyle:
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), styles.FONT),
            ("FONTSIZE", (0, 0), (-1, -1), 10.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            *extra,
        ]
    )


def _label_width(text: str) -> float:
    return len(text) * 10.5 + 4


def issue_line(width: float, issuer: str, day: dt.date) -> Table:
    """制表单位：考评办（盖章）  审核人：________  制表日期：2026年12月7日 on one line."""
    cells: Sequence[tuple[str, str]] = (
        ("制表单位：", f"{issuer}（盖章）"),
        ("审核人：", ""),
        ("制表日期：", f"{day.year}年{day.month}月{day.day}日"),
    )
    row: list[Any] = []
    col_w: list[float] = []
    cmds: list[tuple[Any, ...]] = []
    part = width / len(cells)
    for i, (label, value) in enumerate(cells):
        lw = _label_width(label)
        row += [label, value, ""]
        col_w += [lw, part - lw - 8 * mm, 8 * mm]
        cmds.append(("LINEBELOW", (3 * i + 1, 0), (3 * i + 1, 0), 0.6, colors.black))
    return Table([row], colWidths=col_w, rowHeights=[24], style=_plain(*cmds))


def sign_block(width: float) -> Table:
    """单位主要负责人签字：________  填表人：________ / 单位（盖章）  年 月 日 — for the
    unit to sign and seal before it hands the form in."""
    left, right = width * 0.55, width * 0.45
    lw = _label_width("单位主要负责人（签字）：")
    rows = [
        ["单位主要负责人（签字）：", "", "单位（盖章）", ""],
        ["填表人：", "", "", ""],
        ["", "", "年\u3000\u3000月\u3000\u3000日", ""],
    ]
    col_w = [lw, left - lw - 10 * mm, right - 10 * mm, 10 * mm]
    table = Table(
        rows,
        colWidths=col_w,
        rowHeights=[30, 30, 30],
        style=_plain(
            ("LINEBELOW", (1, 0), (1, 0), 0.6, colors.black),
            ("LINEBELOW", (1, 1), (1, 1), 0.6, colors.black),
            ("ALIGN", (2, 0), (2, -1), "RIGHT"),
        ),
    )
    table.hAlign = "LEFT"
    return table
