"""The 年度考核登记表 (annual assessment register form): its data (:class:`SheetData`) and
validation, the data of one person gathered from the database (:func:`sheet_for`), the PDF
drawn at the paper form's fixed coordinates (:func:`build_pdf_bytes`, :func:`render_sheets`)
and batches for a unit, everyone or chosen people, combined or one file per person
(:func:`print_sheets`, :func:`build_sheets_pdf`).
"""

from reports.sheets.batch import (
    BatchResult,
    batch_members,
    build_sheets_pdf,
    print_sheets,
    sheet_file_name,
)
from reports.sheets.data import from_dto, rewards_text, sheet_for, training_hours
from reports.sheets.model import (
    DATE_LINE,
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
    validate_sheet,
)
from reports.sheets.pdf import build_pdf_bytes, render_sheets

__all__ = [
    "DATE_LINE",
    "SEAL_LINE",
    "SIGN_LINE",
    "Adjustment",
    "BatchResult",
    "PageSize",
    "RaterGroupScore",
    "RenderResult",
    "ScoreBlock",
    "ScoreItem",
    "SheetData",
    "SheetVariant",
    "batch_members",
    "build_pdf_bytes",
    "build_sheets_pdf",
    "from_dto",
    "print_sheets",
    "render_sheets",
    "rewards_text",
    "sheet_file_name",
    "sheet_for",
    "training_hours",
    "validate_sheet",
]
