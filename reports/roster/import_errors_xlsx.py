"""The import error list as a sheet the sender can correct their file from."""

from __future__ import annotations

from pathlib import Path

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
    return write_table(
        Path(dest),
        title=f"导入问题清单（{plan.summary()}）",
        headers=HEADERS,
        widths=WIDTHS,
        rows=rows,
        total=len(rows),
        text_columns=[4],
        sheet_name="问题清单",
    )
