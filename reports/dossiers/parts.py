"""Shared pieces of the 一人一档 PDF: page geometry, paragraph styles, section titles that
are bookmarks and lines of the table of contents, and the grid tables of its sections."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Table

from models.training.hours import one_place
from reports.common import styles
from reports.common.cjk import CJKParagraph
from reports.common.pdf_base import CELL_CENTER, GROUP_FILL, HEAD, mpara, para
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
