"""Roster sheets (花名册): .xlsx via openpyxl and CSV in UTF-8, UTF-8 with BOM, UTF-16 or
GBK/GB18030, detected automatically.

Each sheet: title rows above the header are skipped, the header row is found and its
columns mapped (names and synonyms, plus the user's own mapping), blank rows, subtotal rows
(合计/小计/总计) and signature lines below the table are skipped, and every other row becomes
a :class:`ParsedRow`. File problems raise :class:`DomainError` naming the file. Cells
Excel marks as errors (#REF!...) and the control characters .xlsx files escape (_x0007_)
are passed on so that the row records them; nothing of them is stored.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from models.core.errors import DomainError
from models.core.progress import Cancelled, IsCancelled, Progress
from models.core.workbook import OLE_MAGIC, ZIP_MAGICS, looks_like_text, open_workbook
from models.roster.intake.headers import (
    HEADER_SCAN_ROWS,
    IGNORED_HEADERS,
    ColumnInfo,
    attribute_for,
    claims,
    find_header,
    header_key,
    map_columns,
    unit_and_post,
)
from models.roster.intake.records import (
    ATTRIBUTE_LABELS,
    COMBINED_ATTRIBUTES,
    IMPORT_CANCELLED,
    FileIssue,
    ParsedRow,
    RowBuilder,
    SourceRef,
)
from models.roster.intake.values import INVISIBLE, split_education_degree, unescape_ooxml

__all__ = [
    "Progress",
    "SheetLayout",
    "TableResult",
    "UnimportedColumn",
    "decode_text",
    "read_csv",
    "read_xlsx",
    "scan_csv",
    "scan_xlsx",
]

log = logging.getLogger(__name__)


PROGRESS_EVERY = 500
_CSV_FIELD_LIMIT = 256 * 1024 * 1024  # above the largest file read_path accepts
_BLANK_CHARS = " \t\r\n\u00a0\u3000" + INVISIBLE
# 合计, 小计：12人, 总计(人), 共计 35 -- but not a unit such as 总计划处
_SUBTOTAL = re.compile(r"(合计|小计|总计|共计)(\d.*|人.*|\(.*)?")
_FOOTNOTES = (
    "填表人",
    "制表人",
    "审核人",
    "填报人",
    "负责人",
    "制表时间",
    "填表时间",
    "填报时间",
    "填报日期",
    "制表日期",
    "注:",
    "注：",
    "说明:",
    "说明：",
)


@dataclass(frozen=True)
class UnimportedColumn:
    """A source column whose values are not imported (“未导入的列”): where it is, its header
    as written (empty: the column has no header), how many data rows hold something in it,
    and why (Chinese)."""

    file: str
    sheet: str | None
    letter: str
    header: str
    count: int
    reason: str

    def describe(self) -> str:
        """'“籍贯（县）”（E列，300 个非空单元格，名册中没有对应的项目）'."""
        if not self.header:
            return f"{self.letter}列（无列名，{self.count} 个非空单元格）"
        return f"“{self.header}”（{self.letter}列，{self.count} 个非空单元格，{self.reason}）"

    def text(self) -> str:
        """The line for the command line: the file (and sheet), then :meth:`describe`."""
        where = f"“{self.file}”" + (f"工作表“{self.sheet}”" if self.sheet else "")
        return f"{where}：{self.describe()}"


@dataclass(frozen=True)
class SheetLayout:
    """How one sheet was read: the (last) header row as the user sees it, and the columns.
    ``unmapped`` are the columns to ask the user about. ``filled`` counts, after a full
    read, the non-empty cells of every column that is not imported (by 0-based index)."""

    file: str
    sheet: str | None
    header_row: int
    columns: list[ColumnInfo]
    filled: dict[int, int] = field(default_factory=dict, compare=False)

    @property
    def not_imported(self) -> list[UnimportedColumn]:
        """Every column holding data that is not imported, in sheet order (unknown header,
        a duplicate, 序号/年龄, ignored by the user, or no header at all). Columns empty in
        every data row are left out. Empty after a header-only scan."""
        from openpyxl.utils import get_column_letter  # lazy: openpyxl costs 0.2 s at start-up

        by_index = {c.index: c for c in self.columns}
        out: list[UnimportedColumn] = []
        for index in sorted(self.filled):
            count = self.filled[index]
            if count == 0:
                continue
            column = by_index.get(index)
            header = column.header if column is not None else ""
            reason = self._reason(column)
            letter = get_column_letter(index + 1)
            out.append(UnimportedColumn(self.file, self.sheet, letter, header, count, reason))
        return out

    def _reason(self, column: ColumnInfo | None) -> str:
        if column is None:
            return "没有列名"
        if column.status == "duplicate":
            wanted = claims(attribute_for(column.header) or "")
            first = next((c for c in self.mapped if claims(c.attribute or "") & wanted), None)
            if first is not None:
                return f"与{first.letter}列“{first.header}”重复，只导入{first.letter}列"
            return "与前面的列重复"
        if column.status == "ignored":
            key = header_key(column.header)
            if key in IGNORED_HEADERS or re.sub(r"\(.*\)$", "", key) in IGNORED_HEADERS:
                return "序号、年龄、照片等列不需导入"
            return "已选择不导入"
        return "名册中没有对应的项目"

    @property
    def field_columns(self) -> dict[str, tuple[str, str]]:
        """attribute -> (column letter, header), with both fields of a combined 学历学位
        column: where a problem with a stored field is."""
        out: dict[str, tuple[str, str]] = {}
        for c in self.mapped:
            for attribute in (c.attribute or "", *COMBINED_ATTRIBUTES.get(c.attribute or "", ())):
                out[attribute] = (c.letter, c.header)
        return out

    @property
    def unit_from_post(self) -> bool:
        """The sheet has no 单位 column and its 现任职务 column is a “工作单位及职务” column:
        the unit is to be found from the post, as for a 任免审批表."""
        attributes = {c.attribute for c in self.mapped}
        return "unit" not in attributes and any(
            c.attribute == "post_title" and unit_and_post(c.header) for c in self.mapped
        )

    @property
    def unmapped(self) -> list[ColumnInfo]:
        return [c for c in self.columns if c.status == "unmapped"]

    @property
    def mapped(self) -> list[ColumnInfo]:
        return [c for c in self.columns if c.attribute is not None]


@dataclass
class TableResult:
    """Everything read from one spreadsheet or CSV file."""

    rows: list[ParsedRow] = field(default_factory=list)
    layouts: list[SheetLayout] = field(default_factory=list)
    notices: list[FileIssue] = field(default_factory=list)  # warnings (skipped sheets...)


# --- content checks -----------------------------------------------------------------------


# --- shared row processing ----------------------------------------------------------------


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _is_blank(values: Sequence[object]) -> bool:
    """Nothing but empty cells, spaces and invisible characters (a stray U+FEFF)."""
    return all(
        v is None or (isinstance(v, str) and not (v.strip() and v.strip(_BLANK_CHARS)))
        for v in values
    )


def _has_value(value: object) -> bool:
    if value is None:
        return False
    return not isinstance(value, str) or bool(value.strip(_BLANK_CHARS))


def _is_subtotal(values: Sequence[object]) -> bool:
    for value in values:
        if isinstance(value, str) and len(value) < 40 and _SUBTOTAL.fullmatch(header_key(value)):
            return True
    return False


def _is_footnote(values: Sequence[object], name_index: int | None) -> bool:
    filled = [v for v in values if not _is_blank([v])]
    if len(filled) != 1:
        return False
    if name_index is not None and name_index < len(values) and not _is_blank([values[name_index]]):
        return False
    return isinstance(filled[0], str) and filled[0].strip().startswith(_FOOTNOTES)


class _Sheet:
    """One grid of cells: a worksheet or a CSV file, read lazily row by row."""

    def __init__(
        self,
        file_name: str,
        sheet: str | None,
        rows: Iterator[Sequence[Any]],
        *,
        cell_values: bool,
    ):
        self.file_name = file_name
        self.sheet = sheet
        self.rows = rows
        self.cell_values = cell_values  # xlsx: cells with .value/.number_format; CSV: str

    def values(self, row: Sequence[Any]) -> list[object]:
        if self.cell_values:
            return [c.value for c in row]
        return list(row)

    @property
    def where(self) -> str:
        if self.sheet is None:
            return f"“{self.file_name}”"
        return f"“{self.file_name}”的工作表“{self.sheet}”"


class _SheetProblem(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _read_sheet(
    grid: _Sheet,
    mapping: Mapping[str, str | None] | None,
    result: TableResult,
    tick: Callable[[], None],
    *,
    layout_only: bool = False,
) -> None:
    head: list[Sequence[Any]] = []
    for row in grid.rows:
        head.append(row)
        tick()
        if len(head) >= HEADER_SCAN_ROWS:
            break
    head_values = [grid.values(r) for r in head]
    if all(_is_blank(v) for v in head_values):
        raise _SheetProblem(f"{grid.where}是空的，没有任何内容")
    found = find_header(head_values)
    if found is None:
        raise _SheetProblem(
            f"{grid.where}的前{HEADER_SCAN_ROWS}行中没有找到表头"
            "（应有“姓名”“性别”“出生年月”“身份证号”等列名）"
        )
    columns = _dedupe(map_columns(found.texts, mapping))
    layout = SheetLayout(grid.file_name, grid.sheet, found.last_row + 1, columns)
    result.layouts.append(layout)
    if layout_only:
        return
    mapped = layout.mapped
    name_index = next((c.index for c in mapped if c.attribute == "name"), None)
    date_columns = {
        c.index
        for c in mapped
        if c.attribute in ("birth_date", "party_date", "work_start_date", "post_since")
    }
    first_data = found.last_row + 1
    rest = chain(head[first_data:], _ticking(grid.rows, tick))
    count = 0
    header_width = len(found.texts)
    imported = {c.index for c in mapped}
    dropped = [i for i in range(header_width) if i not in imported]
    filled = layout.filled
    for offset, row in enumerate(rest):
        values = grid.values(row)
        if _is_blank(values):
            continue
        width = len(values)
        cells = [values[c.index] if c.index < width else None for c in mapped]
        if _is_blank(cells) or _is_subtotal(values) or _is_footnote(values, name_index):
            continue
        for index in chain(dropped, range(header_width, width)):
            if index < width and _has_value(values[index]):
                filled[index] = filled.get(index, 0) + 1
        source = SourceRef(grid.file_name, grid.sheet, first_data + offset + 1)
        builder = RowBuilder(source)
        for column, value in zip(mapped, cells, strict=True):
            number_format = None
            error_cell = False
            if grid.cell_values:
                if column.index in date_columns and isinstance(value, float):
                    number_format = getattr(row[column.index], "number_format", None)
                elif isinstance(value, str):
                    value = unescape_ooxml(value)
                    error_cell = value[:1] == "#" and row[column.index].data_type == "e"
            parts = COMBINED_ATTRIBUTES.get(column.attribute or "")
            if parts:  # “大学 经济学学士” in one cell: 学历 and 学位
                split = split_education_degree(value) if isinstance(value, str) else (value, None)
                for attribute, part in zip(parts, split, strict=True):
                    builder.add(
                        attribute,
                        part,
                        column=column.letter,
                        header=column.header,
                        error_cell=error_cell,
                    )
                continue
            builder.add(
                column.attribute or "",
                value,
                column=column.letter,
                header=column.header,
                number_format=number_format,
                error_cell=error_cell,
            )
        result.rows.append(builder.build())
        count += 1
    if count == 0:
        raise _SheetProblem(f"{grid.where}只有表头（第{found.last_row + 1}行），没有数据行")


def _dedupe(columns: list[ColumnInfo]) -> list[ColumnInfo]:
    """A user mapping that names one attribute twice keeps the first column only."""
    seen: set[str] = set()
    out: list[ColumnInfo] = []
    for column in columns:
        if column.attribute is not None and claims(column.attribute) & seen:
            column = ColumnInfo(column.index, column.letter, column.header, None, "duplicate")
        elif column.attribute is not None:
            seen |= claims(column.attribute)
        out.append(column)
    return out


def _ticking(rows: Iterable[Sequence[Any]], tick: Callable[[], None]) -> Iterator[Sequence[Any]]:
    for row in rows:
        tick()
        yield row


class _Ticker:
    def __init__(self, total: int, progress: Progress | None, cancelled: IsCancelled | None):
        self.total = total
        self.done = 0
        self.progress = progress
        self.cancelled = cancelled

    def __call__(self) -> None:
        self.done += 1
        if self.done % PROGRESS_EVERY == 0:
            if self.cancelled is not None and self.cancelled():
                raise Cancelled(IMPORT_CANCELLED)
            if self.progress is not None and self.total:
                self.progress(min(self.done, self.total), self.total, "正在读取表格")
            elif self.progress is not None:  # a sheet that does not state its size
                self.progress(0, 0, f"正在读取表格（已读 {self.done} 行）")

    def finish(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise Cancelled(IMPORT_CANCELLED)
        if self.progress is not None:
            self.progress(self.total, self.total, "正在读取表格")


def _finish(file_name: str, problems: list[tuple[str | None, str]], result: TableResult) -> None:
    """No rows at all: the sheet problems are the file's error. Otherwise they are notices."""
    if not result.rows:
        if not problems:
            raise DomainError(f"“{file_name}”中没有工作表", record=file_name)
        raise DomainError("；".join(message for _, message in problems), record=file_name)
    for _, message in problems:
        result.notices.append(FileIssue(file_name, f"已跳过：{message}", warning=True))


def _check_mapping(mapping: Mapping[str, str | None] | None) -> None:
    """A mapping naming an attribute that does not exist is a programming error."""
    for attribute in (mapping or {}).values():
        if attribute is not None and attribute not in ATTRIBUTE_LABELS:
            raise ValueError(f"unknown attribute in mapping: {attribute!r}")


# --- xlsx -----------------------------------------------------------------------------------


def read_xlsx(
    data: bytes,
    file_name: str,
    *,
    mapping: Mapping[str, str | None] | None = None,
    sheet: str | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> TableResult:
    """Read every worksheet (or only ``sheet``) of an .xlsx workbook given as bytes.

    ``mapping`` is header text -> attribute (None: ignore the column). Raises DomainError
    naming the file when it is not a workbook, is damaged, or no sheet holds data rows.
    """
    _check_mapping(mapping)
    workbook = open_workbook(data, file_name)
    try:
        sheets = list(workbook.worksheets)
        if sheet is not None:
            sheets = [ws for ws in sheets if ws.title == sheet]
            if not sheets:
                raise DomainError(f"“{file_name}”中没有名为“{sheet}”的工作表", record=file_name)
        total = sum(ws.max_row or 0 for ws in sheets)
        ticker = _Ticker(total, progress, cancelled)
        result = TableResult()
        problems: list[tuple[str | None, str]] = []
        for ws in sheets:
            ws.reset_dimensions()  # some writers store a wrong dimension; read every cell
            grid = _Sheet(file_name, ws.title, iter(ws.iter_rows()), cell_values=True)
            try:
                _read_sheet(grid, mapping, result, ticker)
            except _SheetProblem as sheet_problem:
                problems.append((ws.title, sheet_problem.message))
            except (Cancelled, DomainError):
                raise
            except Exception as exc:
                log.warning("damaged sheet %s/%s: %r", file_name, ws.title, exc)
                raise DomainError(
                    f"“{file_name}”的工作表“{ws.title}”已损坏，读到第{ticker.done}行附近出错；"
                    "请在Excel或WPS中打开后重新保存",
                    record=file_name,
                ) from exc
        ticker.finish()
    finally:
        workbook.close()
    _finish(file_name, problems, result)
    return result


def scan_xlsx(
    data: bytes, file_name: str, *, mapping: Mapping[str, str | None] | None = None
) -> list[SheetLayout]:
    """The header layout of every sheet, reading only the first rows of each: what the
    column-mapping step shows before the whole file is read. Sheets without a header are
    left out; a file that is not a workbook raises DomainError."""
    return _scan(lambda: _xlsx_grids(data, file_name), mapping)


def _scan(
    grids: Callable[[], Iterator[_Sheet]], mapping: Mapping[str, str | None] | None
) -> list[SheetLayout]:
    _check_mapping(mapping)
    result = TableResult()
    for grid in grids():
        try:
            _read_sheet(grid, mapping, result, lambda: None, layout_only=True)
        except _SheetProblem:
            continue
    return result.layouts


def _xlsx_grids(data: bytes, file_name: str) -> Iterator[_Sheet]:
    workbook = open_workbook(data, file_name)
    try:
        for ws in workbook.worksheets:
            ws.reset_dimensions()
            yield _Sheet(file_name, ws.title, iter(ws.iter_rows()), cell_values=True)
    finally:
        workbook.close()


# --- CSV --------------------------------------------------------------------------------------


def decode_text(data: bytes, file_name: str) -> tuple[str, str]:
    """Decode a text file: BOM first (UTF-8, UTF-16), then UTF-8, then GB18030 (a superset
    of GBK and GB2312). Returns (text, encoding name shown to the user)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "UTF-8（带BOM）"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "GBK/GB18030"
    except UnicodeDecodeError as exc:
        raise DomainError(
            f"“{file_name}”的文字编码无法识别（既不是UTF-8也不是GBK），"
            f"第{exc.start}字节附近无法解码；请用Excel或WPS另存为“CSV UTF-8”",
            record=file_name,
        ) from None


def _delimiter(text: str) -> str:
    sample = text[:8192]
    counts = {d: sample.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_records(data: bytes, file_name: str) -> list[list[str]]:
    if not data:
        raise DomainError(f"“{file_name}”是空文件（0字节）", record=file_name)
    if data.startswith(ZIP_MAGICS):
        raise DomainError(
            f"“{file_name}”的内容是Excel工作簿（.xlsx），不是CSV文本；请把扩展名改为.xlsx",
            record=file_name,
        )
    if data.startswith(OLE_MAGIC):
        raise DomainError(
            f"“{file_name}”的内容是旧版Excel（.xls）文件，不是CSV文本；请在Excel或WPS中另存为.xlsx",
            record=file_name,
        )
    if not looks_like_text(data):
        raise DomainError(f"“{file_name}”不是文本文件，无法按CSV读取", record=file_name)
    text, _encoding = decode_text(data, file_name)
    if csv.field_size_limit() < _CSV_FIELD_LIMIT:
        # The csv module refuses a cell over 128 KB with an English error. Read every cell
        # (the file is at most 200 MB) and let the length limit name the row and column.
        csv.field_size_limit(_CSV_FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        records = list(reader)
    except csv.Error as exc:  # the csv module's messages are English; never shown
        log.warning("unreadable CSV %s line %s: %r", file_name, reader.line_num, exc)
        raise DomainError(
            f"“{file_name}”不是有效的CSV文件：第{reader.line_num}行无法按表格读取"
            "（引号不配对、单元格过长或含有无法识别的字符）；请在Excel中另存为.xlsx",
            record=file_name,
        ) from None
    return records


def scan_csv(
    data: bytes, file_name: str, *, mapping: Mapping[str, str | None] | None = None
) -> list[SheetLayout]:
    """The header layout of a CSV file (see :func:`scan_xlsx`)."""
    records = _csv_records(data, file_name)
    grid = _Sheet(file_name, None, iter(records), cell_values=False)
    return _scan(lambda: iter([grid]), mapping)


def read_csv(
    data: bytes,
    file_name: str,
    *,
    mapping: Mapping[str, str | None] | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> TableResult:
    """Read a CSV (or tab-separated) roster given as bytes; encoding detected."""
    _check_mapping(mapping)
    records = _csv_records(data, file_name)
    ticker = _Ticker(len(records), progress, cancelled)
    result = TableResult()
    grid = _Sheet(file_name, None, iter(records), cell_values=False)
    problems: list[tuple[str | None, str]] = []
    try:
        _read_sheet(grid, mapping, result, ticker)
    except _SheetProblem as sheet_problem:
        problems.append((None, sheet_problem.message))
    ticker.finish()
    _finish(file_name, problems, result)
    return result
