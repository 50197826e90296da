"""The 年度考核登记表 (annual assessment register form, titled per personnel category) and the
考核评分表 (the scoring detail, one page per person): their data (:class:`SheetData`) and
validation, the data of one person gathered from the database (:func:`sheet_for`), the PDF
drawn at the paper form's fixed coordinates (:func:`build_pdf_bytes`, :func:`render_sheets`)
and batches for a unit, everyone or chosen people, combined or one file per person
(:func:`print_sheets`, :func:`build_sheets_pdf`).
"""

from reports.sheets.batch import (
    BatchResult,
    PrintOptions,
    batch_members,
    build_sheets_pdf,
    print_sheets,
    sheet_file_name,
)
from reports.sheets.data import (
    category_of,
    from_dto,
    full_time_training,
    sheet_for,
    sheets_for,
    training_hours,
)
from reports.sheets.draw import draw_plan
from reports.sheets.model import (
    DATE_LINE,
    HEADER_ROWS,
    SEAL_LINE,
    SIGN_LINE,
    Adjustment,
    PageSize,
    RaterGroupScore,
    RenderResult,
    ScoreBlock,
    ScoreItem,
    SheetData,
    SheetVariant,
    StaffCategory,
    template_rows,
    validate_sheet,
)
from reports.sheets.pdf import build_pdf_bytes, pages_of, render_sheets
from reports.sheets.scoring import allocate, score_block, shares

__all__ = [
    "DATE_LINE",
    "HEADER_ROWS",
    "SEAL_LINE",
    "SIGN_LINE",
    "Adjustment",
    "BatchResult",
    "PageSize",
    "PrintOptions",
    "RaterGroupScore",
    "RenderResult",
    "ScoreBlock",
    "ScoreItem",
    "SheetData",
    "SheetVariant",
    "StaffCategory",
    "allocate",
    "batch_members",
    "build_pdf_bytes",
    "build_sheets_pdf",
    "category_of",
    "draw_plan",
    "from_dto",
    "full_time_training",
    "pages_of",
    "print_sheets",
    "render_sheets",
    "score_block",
    "sheet_file_name",
    "shares",
    "sheet_for",
    "sheets_for",
    "template_rows",
    "training_hours",
    "validate_sheet",
]
