"""Opening the files users bring: a file's bytes and an .xlsx workbook, or a DomainError.

Every import (花名册, 打分表, 选学志愿, 学时) reads a file somebody else wrote. What goes wrong
is told in Chinese and names the file: missing, unreadable, empty, an old .xls, a CSV with an
.xlsx name, a Word document, a damaged or half-copied workbook. Nothing here says what the
file is *for*; a caller adds that with ``hint`` (e.g. "请用本系统导出的评分表填写").
"""

from __future__ import annotations

import codecs
import io
import logging
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models.core.errors import DomainError

if TYPE_CHECKING:  # openpyxl is imported when a workbook is opened (start-up time)
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

log = logging.getLogger(__name__)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The first bytes of an Excel 97-2003 .xls (and of an encrypted .xlsx)."""
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
"""The first bytes of a zip archive, which an .xlsx is."""


def read_file(path: str | Path) -> bytes:
    """The bytes of ``path``; a DomainError naming the file when it cannot be read."""
    path = Path(path)
    name = path.name
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise DomainError(f"找不到文件“{name}”（{path.parent}）", record=name) from None
    except IsADirectoryError:
        raise DomainError(f"“{name}”是文件夹，不是文件", record=name) from None
    except PermissionError:
        raise DomainError(
            f"没有读取“{name}”的权限，或文件正被其他程序占用；请关闭该文件后重试", record=name
        ) from None
    except OSError as exc:
        log.warning("cannot read %s: %r", path, exc)
        raise DomainError(
            f"无法读取“{name}”（磁盘或U盘读取出错）；请把文件复制到本机后重试", record=name
        ) from None


def looks_like_text(data: bytes) -> bool:
    """Whether ``data`` reads as text (CSV, TXT) rather than a binary format."""
    sample = data[:4096]
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    return b"\x00" not in sample


def not_xlsx(data: bytes, file_name: str) -> DomainError | None:
    """Why ``data`` is not an .xlsx workbook, or None if it might be one (checks the bytes
    only; :func:`open_workbook` checks the rest)."""
    if not data:
        return DomainError(f"“{file_name}”是空文件（0字节）", record=file_name)
    if data.startswith(OLE_MAGIC):
        return DomainError(
            f"“{file_name}”是旧版Excel 97-2003（.xls）文件或已加密的工作簿，无法直接读取；"
            "请在Excel或WPS中打开，取消密码后另存为.xlsx再导入",
            record=file_name,
        )
    if not data.startswith(ZIP_MAGICS):
        if looks_like_text(data):
            return DomainError(
                f"“{file_name}”的内容是文本（可能是CSV），不是Excel工作簿（.xlsx）；"
                "请在Excel或WPS中打开后另存为.xlsx",
                record=file_name,
            )
        return DomainError(f"“{file_name}”不是Excel工作簿（.xlsx），无法读取", record=file_name)
    return None


def _check_archive(data: bytes, file_name: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise DomainError(
            f"“{file_name}”已损坏或不完整（可能没有下载或复制完整），无法打开；请重新获取原文件",
            record=file_name,
        ) from None
    with archive:
        names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            what = "Word文档"
        elif "ppt/presentation.xml" in names:
            what = "PowerPoint文档"
        else:
            what = "压缩包"
        raise DomainError(f"“{file_name}”是{what}，不是Excel工作簿（.xlsx）", record=file_name)


def open_workbook(data: bytes, file_name: str, *, hint: str = "") -> Workbook:
    """Open an .xlsx given as bytes, read-only with cell values (not formulas).

    Raises DomainError naming ``file_name`` when the bytes are not a workbook or it is
    damaged; ``hint`` (e.g. "请用本系统导出的评分表填写") is added to those messages.
    The caller closes the workbook (``wb.close()``) when done.
    """
    # lazy: openpyxl costs about 0.2 s to import; only imports need it
    import openpyxl

    suffix = f"；{hint}" if hint else ""
    problem = not_xlsx(data, file_name)
    if problem is not None:
        raise DomainError(problem.message + suffix, record=file_name)
    _check_archive(data, file_name)
    _size_sheets_at_once()
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged parts
        log.warning("cannot open workbook %s: %r", file_name, exc)
        raise DomainError(
            f"“{file_name}”已损坏，无法作为Excel工作簿打开；请在Excel或WPS中打开后重新保存"
            + suffix,
            record=file_name,
        ) from exc


def _size_sheets_at_once() -> None:
    """openpyxl sizes each read-only sheet as it opens the workbook: from the sheet's
    <dimension>, or, when the writer left that out (openpyxl's own write-only files and many
    generators do), by parsing the whole sheet once before anything is read, as its probe
    waits for the end of <sheetData>. Every import reads all rows anyway (and distrusts a
    stated size: reset_dimensions), so here the probe stops at the start of <sheetData>: a
    sheet without <dimension> is left unsized, and read once instead of twice."""
    from openpyxl.reader import excel  # lazy: with openpyxl

    if getattr(excel.ReadOnlyWorksheet, "sized_at_once", False):
        return
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet  # lazy: with openpyxl
    from openpyxl.worksheet.dimensions import SheetDimension  # lazy: with openpyxl
    from openpyxl.xml.constants import SHEET_MAIN_NS  # lazy: with openpyxl
    from openpyxl.xml.functions import iterparse  # lazy: with openpyxl

    dimension, sheet_data = f"{{{SHEET_MAIN_NS}}}dimension", f"{{{SHEET_MAIN_NS}}}sheetData"

    class SizedAtOnce(ReadOnlyWorksheet):  # type: ignore[misc]
        sized_at_once = True

        def _get_size(self) -> None:
            src = self._get_source()
            try:
                for _event, element in iterparse(src, events=("start",)):
                    if element.tag == dimension:
                        bounds = SheetDimension.from_tree(element).boundaries
                        self._min_column, self._min_row, self._max_column, self._max_row = bounds
                        return
                    if element.tag == sheet_data:
                        return
            finally:
                src.close()

    excel.ReadOnlyWorksheet = SizedAtOnce


def sheet_rows(sheet: ReadOnlyWorksheet, file_name: str) -> Iterator[tuple[Any, ...]]:
    """The rows of a worksheet opened by :func:`open_workbook`, as value tuples. A part that
    breaks while it is read (openpyxl raises many types) is a DomainError naming the file and
    the sheet; the reason goes to the log."""
    try:
        yield from sheet.iter_rows(values_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged parts
        log.warning("damaged sheet %s/%s: %r", file_name, sheet.title, exc)
        raise DomainError(
            f"“{file_name}”的工作表“{sheet.title}”已损坏，无法读完；请在Excel或WPS中打开后重新保存",
            record=file_name,
        ) from exc


__all__ = [
    "OLE_MAGIC",
    "ZIP_MAGICS",
    "looks_like_text",
    "not_xlsx",
    "open_workbook",
    "read_file",
    "sheet_rows",
]
