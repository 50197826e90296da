"""The import error list as a sheet the sender can correct their file from."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from models.roster.import_plan import ImportPlan
from reports.common.xlsx import write_table

HEADERS = ["文件", "行", "列", "字段", "原值", "问题", "类别"]
WIDTHS = [24, 6, 8, 14, 24, 60, 6]


def export_import_errors(plan: ImportPlan, dest: Path) -> int:
    """One row per problem: file problems first, then row problems in sheet order."""
    rows: list[list[object]] = [
        [f.file, None, "", "", "", f.message, "提示" if f.warning else "错误"]
        for f in plan.file_issues
    ]
    for i in plan.issues:
        column = i.column + (f"（{i.header}）" if i.header and i.header != i.label else "")
        rows.append(
            [i.file, i.row, column, i.label, i.value, i.message, "提示" if i.warning else "错误"]
        )
    written = write_table(
        Path(dest),
        title=f"导入问题清单（{plan.summary()}）",
        headers=HEADERS,
        widths=WIDTHS,
        rows=rows,
        total=len(rows),
        text_columns=[4],
        sheet_name="问题清单",
    )
    _add_not_imported(plan, Path(dest))
    return written


NOT_IMPORTED_SHEET = "未导入的列"
NOT_IMPORTED_HEADERS = ["文件", "工作表", "列", "列名", "非空单元格数", "原因"]
_NOT_IMPORTED_WIDTHS = [24, 14, 6, 24, 12, 40]


def _add_not_imported(plan: ImportPlan, dest: Path) -> None:
    """The second sheet: every source column with data that was not imported (empty
    columns are not listed; a sheet saying so when every column was imported)."""
    workbook = load_workbook(dest)
    sheet = workbook.create_sheet(NOT_IMPORTED_SHEET)
    sheet.append([f"未导入的列（{len(plan.not_imported)} 列）"])
    sheet.append(NOT_IMPORTED_HEADERS)
    for column in plan.not_imported:
        header = column.header or "（无列名）"
        sheet.append(
            [column.file, column.sheet or "", column.letter, header, column.count, column.reason]
        )
    if not plan.not_imported:
        sheet.append(["所有有内容的列都已导入"])
    for index, width in enumerate(_NOT_IMPORTED_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    workbook.save(dest)
