"""Shared plumbing of the table-style PDF reports (the training kit and certificates, the 考核
summary reports): paragraph styles and table helpers, progress and cancel while a document is
laid out (:class:`Job`, :class:`Tick`), the in-memory build with ``invariant=1`` (same data,
same bytes) and font warnings. Files are written with :func:`reports.common.files.write_atomic`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from models.core.progress import Cancelled, IsCancelled, Progress
from reports.common import fonts, styles
from reports.common.cjk import CJKParagraph

__all__ = [
    "CELL",
    "CELL_CENTER",
    "GROUP_FILL",
    "HEAD",
    "INFO",
    "INFO_LEFT",
    "INFO_RIGHT",
    "REPORT_TITLE",
    "Job",
    "Tick",
    "build_pdf",
    "document_options",
    "cell_heights",
    "font_warnings",
    "mpara",
    "para",
    "table_style",
]

# ============================================================================ styles

#: Background of a group row (a unit, a discussion group) and of a 合计 row.
GROUP_FILL = colors.HexColor("#EFEFEF")

CELL = ParagraphStyle("report_cell", parent=styles.BODY, fontSize=9, leading=12)
CELL_CENTER = ParagraphStyle("report_cell_c", parent=CELL, alignment=TA_CENTER)
HEAD = ParagraphStyle("report_head", parent=styles.LABEL, fontSize=10, leading=13)
INFO = ParagraphStyle(
    "report_info", parent=styles.BODY, fontSize=10, leading=14, alignment=TA_CENTER
)
INFO_LEFT = ParagraphStyle("report_info_l", parent=INFO, alignment=TA_LEFT)
INFO_RIGHT = ParagraphStyle("report_info_r", parent=INFO, alignment=TA_RIGHT, spaceBefore=6)
REPORT_TITLE = ParagraphStyle(
    "report_title", parent=styles.TITLE, fontSize=18, leading=26, spaceAfter=2
)

_PAD_X = 6.0  # left + right padding of the cells of table_style
_PAD_Y = 5.0


def table_style(*extra: tuple[Any, ...]) -> Any:
    """The ruled report table (9 pt, a heavier rule under the header row) plus ``extra``."""
    return styles.form_table_style(
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LINEBELOW", (0, 0), (-1, 0), 1.2, colors.black),
        *extra,
    )


def para(text: str, style: ParagraphStyle = CELL) -> CJKParagraph:
    """User text (escaped, rare characters in a fallback font)."""
    return CJKParagraph(fonts.markup(text), style)


def mpara(markup: str, style: ParagraphStyle = CELL) -> CJKParagraph:
    """Markup built here (user parts already passed through fonts.markup)."""
    return CJKParagraph(markup, style)


def cell_heights(
    rows: Sequence[Sequence[Any]],
    col_w: Sequence[float],
    min_h: Sequence[float] | float,
    spans: dict[tuple[int, int], int] | None = None,
) -> list[float]:
    """Row heights fitting every wrapped cell, never below ``min_h`` (per row or for all)."""
    spans = spans or {}
    out = []
    for r, row in enumerate(rows):
        h = min_h[r] if isinstance(min_h, Sequence) else min_h
        for c, cell in enumerate(row):
            if isinstance(cell, CJKParagraph):
                w = sum(col_w[c : c + spans.get((r, c), 1)]) - _PAD_X
                h = max(h, cell.wrap(w, 1e9)[1] + _PAD_Y + 1)
        out.append(h)
    return out


# ============================================================================ document plumbing


class Job:
    """One document being laid out: :meth:`tick` raises Cancelled once ``cancelled()`` says
    so and reports ``progress(done, total, what)``."""

    def __init__(self, what: str, progress: Progress | None, cancelled: IsCancelled | None):
        self.what = what
        self.progress = progress
        self.cancelled = cancelled

    def tick(self, done: int, total: int) -> None:
        if self.cancelled is not None and self.cancelled():
            raise Cancelled(f"已取消生成{self.what}，未写入文件")
        if self.progress is not None and done > 0:
            self.progress(done, total, self.what)


class Tick(Flowable):
    """Zero-size marker before item ``index``: checks cancel, reports the items done."""

    _ZEROSIZE = True

    def __init__(self, job: Job, index: int, total: int) -> None:
        super().__init__()
        self.job, self.index, self.total = job, index, total

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0.0, 0.0

    def draw(self) -> None:
        self.job.tick(self.index, self.total)


def _page_frame(pagesize: tuple[float, float], mx: float, my: float) -> Frame:
    return Frame(mx, my, pagesize[0] - 2 * mx, pagesize[1] - 2 * my, 0, 0, 0, 0, id="body")


def document_options(title: str) -> dict[str, Any]:
    """What every document of the app sets on its reportlab doc template: the title, no
    author or subject (personnel data stays out of the metadata), the creator, the same
    bytes for the same data (``invariant``), compressed pages and the main font."""
    return {
        "title": title,
        "author": "",
        "subject": "",
        "creator": "CadreDesk",
        "producer": "CadreDesk (ReportLab)",
        "invariant": 1,
        "pageCompression": 1,
        "initialFontName": styles.FONT,
        "initialFontSize": styles.BODY_SIZE,
    }


def build_pdf(
    story: list[Flowable],
    *,
    job: Job,
    total: int,
    title: str,
    pagesize: tuple[float, float],
    margin_x: float,
    margin_y: float,
    page_numbers: bool = True,
) -> tuple[bytes, int]:
    """Lay out ``story`` on pages of ``pagesize``; returns the PDF bytes and the page count."""
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf,
        pagesize=pagesize,
        leftMargin=margin_x,
        rightMargin=margin_x,
        topMargin=margin_y,
        bottomMargin=margin_y,
        **document_options(title),
    )

    def number(canv: Any, document: Any) -> None:
        if page_numbers:
            canv.saveState()
            canv.setFont(styles.FONT, 8)
            canv.drawCentredString(pagesize[0] / 2, margin_y / 2, f"第 {document.page} 页")
            canv.restoreState()

    frame = _page_frame(pagesize, margin_x, margin_y)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=number)])
    job.tick(0, total)
    doc.build(story)
    job.tick(total, total)
    return buf.getvalue(), doc.page


def font_warnings(texts: Iterable[tuple[str, str]]) -> list[str]:
    """The font setup's warning plus one line per text with characters no font prints;
    ``texts``: (where, text) pairs."""
    setup = fonts.current_setup()
    out = [setup.warning] if setup.warning else []
    for where, text in texts:
        bad = fonts.unprintable(text)
        if bad:
            out.append(f"{where}中的“{''.join(bad)}”没有字体能打印，将显示为空白")
    return out
