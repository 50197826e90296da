"""Writing sheets: a write-only openpyxl workbook, written to a temp file and renamed into
place, so a cancelled or failed export never leaves a half-written file behind; and a bar
chart over counts a sheet holds (:func:`add_bar_chart`)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from models.core.files import as_new_file
from models.core.progress import Cancelled, IsCancelled, Progress


def _discard(ws: Any) -> None:
    """Close a write-only sheet that will not be saved and delete the temporary file
    openpyxl streams its rows into (else the file stays in the temp folder, and the
    half-written stream complains when it is collected)."""
    ws.close()
    ws._writer.cleanup()  # openpyxl's own temp file; no public way to drop a sheet unsaved


def write_table(
    dest: Path,
    *,
    title: str,
    headers: Sequence[str],
    widths: Sequence[int],
    rows: Iterable[Sequence[object]],
    total: int,
    text_columns: Sequence[int] = (),
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
    sheet_name: str = "Sheet1",
    more: Callable[[Workbook], object] | None = None,
) -> int:
    """One sheet: a title row, a bold header row, then ``rows``. Columns listed in
    ``text_columns`` are stored as text (ID numbers must never become numbers). ``more``
    adds further sheets to the (write-only) workbook after the table (a chart of its counts)."""
    dest = Path(dest)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_name)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "B3"
    cell = WriteOnlyCell(ws, value=title)
    cell.font = Font(bold=True, size=14)
    ws.append([cell])
    header = []
    for h in headers:
        c = WriteOnlyCell(ws, value=h)
        c.font = Font(bold=True)
        c.alignment = Alignment(horizontal="center")
        header.append(c)
    ws.append(header)
    text_set = set(text_columns)
    written = 0
    for row in rows:
        if cancelled and written % 200 == 0 and cancelled():
            _discard(ws)
            raise Cancelled("已取消导出，没有写入文件")
        out: list[object] = []
        for i, value in enumerate(row):
            if i in text_set:
                c = WriteOnlyCell(ws, value="" if value is None else str(value))
                c.number_format = "@"
                out.append(c)
            else:
                out.append(value)
        ws.append(out)
        written += 1
        if progress and written % 500 == 0:
            progress(written, total, "正在写入表格")
    if more is not None:
        more(wb)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".~", suffix=".xlsx", dir=dest.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        if cancelled and cancelled():
            raise Cancelled("已取消导出，没有写入文件")
        as_new_file(tmp)  # readable as any file the user saves, not owner-only
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if progress:
        progress(total, total, "完成")
    return written


def add_bar_chart(
    ws: Any,
    *,
    title: str,
    categories: tuple[int, int, int],
    values: tuple[int, int, int],
    anchor: str,
    y_title: str = "人数",
) -> BarChart:
    """An upright bar chart on ``ws`` at ``anchor`` over cells already written: ``categories``
    and ``values`` are (row, first column, last column) of one row each (1-based), the
    value row's first cell holding the series name."""
    chart = BarChart()
    chart.type = "col"
    chart.title = title
    chart.y_axis.title = y_title
    chart.legend = None
    row, first, last = values
    chart.add_data(
        Reference(ws, min_col=first, max_col=last, min_row=row, max_row=row),
        from_rows=True,
        titles_from_data=True,
    )
    row, first, last = categories
    labels = Reference(ws, min_col=first, max_col=last, min_row=row, max_row=row)
    for series in chart.series:  # text labels: a string reference (openpyxl's is numeric)
        series.cat = AxDataSource(strRef=StrRef(f=str(labels)))
    chart.dataLabels = DataLabelList()
    chart.dataLabels.showVal = True
    chart.width, chart.height = 16, 8
    ws.add_chart(chart, anchor)
    return chart
