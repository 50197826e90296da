"""Shared pieces of the 一人一档 PDF: page geometry, paragraph styles, section titles that
are bookmarks and lines of the table of contents, and the grid tables of its sections."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from models.core.dates import ymd_cn
from models.training.hours import one_place
from reports.common import styles
from reports.common.cjk import CJKParagraph
from reports.common.pdf_base import (
    CELL_CENTER,
    GROUP_FILL,
    HEAD,
    REPORT_TITLE,
    document_options,
    mpara,
    para,
)
from reports.common.pdf_base import table_style as base_style

PAGE = A4
MX, MY = 18 * mm, 16 * mm
WIDTH = PAGE[0] - 2 * MX
H1 = ParagraphStyle(
    "dossier_h1",
    parent=styles.TITLE,
    fontSize=14,
    leading=20,
    alignment=0,
    spaceBefore=4,
    spaceAfter=6,
)
H2 = ParagraphStyle(
    "dossier_h2",
    parent=styles.LABEL,
    fontSize=11,
    leading=16,
    alignment=0,
    spaceBefore=6,
    spaceAfter=3,
)
TEXT = ParagraphStyle("dossier_text", parent=styles.BODY, fontSize=10, leading=15)
HANG = ParagraphStyle("dossier_hang", parent=TEXT, leftIndent=0)
NONE = "无"


def dash(value: object) -> str:
    return "" if value is None else str(value)


class Heading(CJKParagraph):
    """A section title that is also a bookmark and a line of the table of contents."""

    def __init__(self, text: str, level: int, key: str) -> None:
        super().__init__(text, H1 if level == 0 else H2)
        self.outline = (level, text, key)


def grid_style(*extra: tuple[Any, ...]) -> Any:
    return base_style(("VALIGN", (0, 0), (-1, -1), "MIDDLE"), *extra)


def label(text: str) -> Any:
    """A label cell (``<br/>`` breaks the line)."""
    return mpara(text, CELL_CENTER)


def grid(header: Sequence[str], body: list[list[Any]], widths: Sequence[float]) -> Table:
    head = [para(h, HEAD) for h in header]
    return Table(
        [head, *body],
        colWidths=list(widths),
        repeatRows=1,
        style=grid_style(("BACKGROUND", (0, 0), (-1, 0), GROUP_FILL)),
    )


def hours_text(value: Decimal | None) -> str:
    """学时 as the ledger screens show them: 88, 1.5 ("" when none)."""
    return "" if value is None else one_place(value)


COVER = ParagraphStyle(
    "dossier_cover",
    parent=REPORT_TITLE,
    fontSize=24,
    leading=34,
    spaceBefore=50 * mm,
    spaceAfter=12 * mm,
)
COVER_LINE = ParagraphStyle("dossier_cover_line", parent=styles.LABEL, fontSize=14, leading=24)
TOC_STYLES = [
    ParagraphStyle("dossier_toc0", parent=TEXT, fontSize=12, leading=20, leftIndent=8 * mm),
    ParagraphStyle("dossier_toc1", parent=TEXT, fontSize=10.5, leading=17, leftIndent=16 * mm),
]


def contents() -> TableOfContents:
    """The table of contents (filled by DossierDoc.multiBuild)."""
    return TableOfContents(
        levelStyles=TOC_STYLES,
        dotsMinLevel=0,
        # its table sets its cells' font even around paragraphs: without FONTNAME, Helvetica
        # would be put into the PDF unembedded
        tableStyle=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles.FONT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
    )


def cover_and_contents(
    title: str, subtitle: str, lines: Sequence[str], printed_on: dt.date
) -> list[Flowable]:
    """A title page (``lines`` under the title, then the printing date) and the table of
    contents on the next page."""
    return [
        CJKParagraph(title, COVER),
        CJKParagraph(subtitle, COVER_LINE),
        Spacer(1, 10 * mm),
        *(para(text, COVER_LINE) for text in lines),
        CJKParagraph(f"打印日期：{ymd_cn(printed_on)}", COVER_LINE),
        PageBreak(),
        CJKParagraph("目录", H1),
        contents(),
        PageBreak(),
    ]


class DossierDoc(BaseDocTemplate):
    """A dossier's document: A4 pages with a footer (``footer`` and the page number), full
    pages without margins for a form drawn at its own coordinates ("sheet"), landscape pages
    ("landscape"); every flowable with an ``outline`` (level, text, key) becomes a bookmark
    and a line of the table of contents (build with ``multiBuild``)."""

    def __init__(self, buf: io.BytesIO, title: str, footer_text: str, printed_on: dt.date) -> None:
        super().__init__(
            buf,
            pagesize=PAGE,
            leftMargin=MX,
            rightMargin=MX,
            topMargin=MY,
            bottomMargin=MY,
            **document_options(title),
        )
        body = Frame(MX, MY, WIDTH, PAGE[1] - 2 * MY, 0, 0, 0, 0, id="body")
        full = Frame(0, 0, PAGE[0], PAGE[1], 0, 0, 0, 0, id="full")
        wide = landscape(PAGE)
        across = Frame(MX, MY, wide[0] - 2 * MX, wide[1] - 2 * MY, 0, 0, 0, 0, id="across")
        line = f"{footer_text}（{ymd_cn(printed_on)}打印）"

        def footer(canv: Any, doc: Any) -> None:
            canv.saveState()
            canv.setFont(styles.FONT, 8)
            canv.drawString(MX, MY / 2, line)
            canv.drawRightString(doc.pagesize[0] - MX, MY / 2, f"第 {doc.page} 页")
            canv.restoreState()

        self.addPageTemplates(
            [
                PageTemplate(id="page", frames=[body], onPage=footer),
                PageTemplate(id="sheet", frames=[full]),
                PageTemplate(id="landscape", frames=[across], onPage=footer, pagesize=wide),
            ]
        )

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802
        outline = getattr(flowable, "outline", None)
        if outline is None:
            return
        level, text, key = outline
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(text, key, level=level, closed=False)
        self.notify("TOCEntry", (level, text, self.page, key))


class Bookmark(Flowable):
    """A zero-size flowable that is only a bookmark (on the page of what follows)."""

    _ZEROSIZE = True

    def __init__(self, outline: tuple[int, str, str]) -> None:
        super().__init__()
        self.outline = outline

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0.0, 0.0

    def draw(self) -> None:
        pass
