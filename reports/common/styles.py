"""Paragraph and table styles for PDF output, built once at import.

Every style uses the registered main font name :data:`reports.common.fonts.MAIN_FONT` and
``wordWrap='CJK'``; every table style sets FONTNAME explicitly (a table without it prints
Chinese as black squares and raises nothing). Call :func:`reports.common.fonts.setup_fonts` before
building a document so the name is registered.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import TableStyle

from reports.common.fonts import MAIN_FONT

FONT = MAIN_FONT
BODY_SIZE = 10.5  # 五号
BODY_LEADING = 16.0
LINE_WIDTH = 0.8  # form rules, points

_base = ParagraphStyle(
    "cd_base",
    fontName=FONT,
    fontSize=BODY_SIZE,
    leading=BODY_LEADING,
    wordWrap="CJK",
    alignment=TA_LEFT,
    textColor=colors.black,
)

#: Running text in a value cell or box.
BODY = ParagraphStyle("cd_body", parent=_base)
#: Long text with a two-character first-line indent (个人总结, 评语).
PROSE = ParagraphStyle("cd_prose", parent=_base, firstLineIndent=2 * BODY_SIZE)
#: Label cells of a form (centred).
LABEL = ParagraphStyle("cd_label", parent=_base, alignment=TA_CENTER, leading=14.0)
#: Value cells that are short and centred (性别, scores).
VALUE_CENTER = ParagraphStyle("cd_value_center", parent=_base, alignment=TA_CENTER, leading=14.0)
#: Numbers in score tables (right aligned).
NUMBER = ParagraphStyle("cd_number", parent=_base, alignment=TA_RIGHT, leading=14.0)
#: Signature / date lines, right aligned.
SIGN = ParagraphStyle("cd_sign", parent=_base, alignment=TA_RIGHT)
#: Form title.
TITLE = ParagraphStyle(
    "cd_title", parent=_base, fontSize=20, leading=28, alignment=TA_CENTER, spaceAfter=6
)
#: Small print under the title or in footers.
SMALL = ParagraphStyle("cd_small", parent=_base, fontSize=9, leading=12)

_TABLE_COMMANDS: list[tuple[Any, ...]] = [
    ("FONTNAME", (0, 0), (-1, -1), FONT),
    ("FONTSIZE", (0, 0), (-1, -1), BODY_SIZE),
    ("LEADING", (0, 0), (-1, -1), 14.0),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("GRID", (0, 0), (-1, -1), LINE_WIDTH, colors.black),
    ("LEFTPADDING", (0, 0), (-1, -1), 4),
    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ("TOPPADDING", (0, 0), (-1, -1), 3),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
]

#: Bordered form grid: every cell ruled, CJK font, vertically centred.
FORM_TABLE = TableStyle(_TABLE_COMMANDS)
#: Padding used by :data:`FORM_TABLE` cells (left+right, top+bottom), for measuring.
CELL_PAD_X = 8.0
CELL_PAD_Y = 6.0


def form_table_style(*extra: tuple[Any, ...]) -> TableStyle:
    """:data:`FORM_TABLE` plus extra commands (SPAN, ALIGN...); FONTNAME is always included."""
    return TableStyle([*_TABLE_COMMANDS, *extra])
