"""Read one file or a whole folder of roster files, dispatching on the real content.

The content decides how a file is read (an .xlsx is a zip with ``xl/workbook.xml``, an
.lrmx is XML, an .lrm is quoted text); when the extension says otherwise the file is still
read by its content and a warning names the file, so a roster saved as ``名册.csv`` that is
really a workbook is not lost. Every file problem becomes a :class:`FileIssue`; other files
are still read.
"""

from __future__ import annotations

import codecs
import io
import logging
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from models.core.errors import DomainError
from models.core.progress import Cancelled, IsCancelled, Progress
from models.core.workbook import OLE_MAGIC, ZIP_MAGICS, read_file
from models.roster.intake.lrm import find_pic, parse_lrm_bytes
from models.roster.intake.lrmx import parse_lrmx
from models.roster.intake.records import IMPORT_CANCELLED, FileIssue, ParsedRow, RowIssue
from models.roster.intake.tabular import (
    SheetLayout,
    UnimportedColumn,
    read_csv,
    read_xlsx,
    scan_csv,
    scan_xlsx,
)

__all__ = [
    "MAX_FILE_BYTES",
    "SUPPORTED_SUFFIXES",
    "IntakeResult",
    "read_path",
    "scan_file",
    "sniff",
]

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 200 * 1024 * 1024
_SUFFIX_KIND = {
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".lrmx": "lrmx",
    ".lrm": "lrm",
    ".xls": "xls",
    ".et": "xls",
}
SUPPORTED_SUFFIXES = frozenset(_SUFFIX_KIND) - {".xls", ".et"}
_KIND_NAMES = {
    "xlsx": "Excel工作簿（.xlsx）",
    "xls": "旧版Excel（.xls）",
    "csv": "CSV文本",
    "lrmx": "任免审批表（.lrmx）",
    "lrm": "任免审批表2.0（.lrm）",
}


@dataclass
class IntakeResult:
    """All rows read, the sheet layouts (for the column-mapping step), and file problems."""

    rows: list[ParsedRow] = field(default_factory=list)
    layouts: list[SheetLayout] = field(default_factory=list)
    issues: list[FileIssue] = field(default_factory=list)
    files_read: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[FileIssue]:
        return [i for i in self.issues if not i.warning]

    @property
    def not_imported(self) -> list[UnimportedColumn]:
        """Every column with data that is not imported (“未导入的列”), file by file."""
        return [column for layout in self.layouts for column in layout.not_imported]

    @property
    def row_issues(self) -> list[RowIssue]:
        return [issue for row in self.rows for issue in row.issues]

    @property
    def ok(self) -> bool:
        """No file error and no row error (warnings allowed)."""
        return not self.errors and not any(row.has_errors for row in self.rows)


def sniff(data: bytes) -> str:
    """What the bytes are: 'xlsx', 'xls', 'zip' (another or a damaged zip), 'lrmx' (XML),
    'quoted' (text starting with a double quote: .lrm or a quoted CSV), 'text', 'binary',
    'empty'."""
    if not data.strip():
        return "empty"
    if data.startswith(OLE_MAGIC):
        return "xls"
    if data.startswith(ZIP_MAGICS):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return "xlsx" if "xl/workbook.xml" in archive.namelist() else "zip"
        except zipfile.BadZipFile:
            return "zip"
    head = data[:4096]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "text"
    if b"\x00" in head:
        return "binary"
    start = head.lstrip(codecs.BOM_UTF8).lstrip()
    if start.startswith(b"<"):
        return "lrmx"
    if start.startswith(b'"'):
        return "quoted"
    return "text"


def _kind_for(content: str, suffix_kind: str | None) -> str:
    if content in ("xlsx", "xls", "lrmx"):
        return content
    if content == "zip":
        return "xlsx"  # a damaged workbook: read_xlsx says so
    if content in ("quoted", "text") and suffix_kind == "lrm":
        return "lrm"  # parse_lrm_bytes explains what is wrong with a damaged .lrm
    if content == "quoted":
        return "csv"
    if content == "text":
        return "csv"
    return suffix_kind or "binary"


def _read_one(
    path: Path,
    shown: str,
    result: IntakeResult,
    mapping: Mapping[str, str | None] | None,
    progress: Progress | None,
    cancelled: IsCancelled | None,
) -> None:
    try:
        try:
            size = path.stat().st_size
        except OSError:
            size = 0  # read_file says why the file cannot be read
        if size > MAX_FILE_BYTES:
            raise DomainError(
                f"“{shown}”有{size / 1024 / 1024:.0f} MB，超过导入上限"
                f"{MAX_FILE_BYTES // 1024 // 1024} MB",
                record=shown,
            )
        data = read_file(path)
    except DomainError as exc:
        result.issues.append(FileIssue(shown, exc.message))
        return
    suffix_kind = _SUFFIX_KIND.get(path.suffix.lower())
    content = sniff(data)
    kind = _kind_for(content, suffix_kind)
    if content == "empty":
        result.issues.append(FileIssue(shown, f"“{shown}”是空文件"))
        return
    if kind == "binary":
        result.issues.append(
            FileIssue(shown, f"“{shown}”不是支持的文件类型（应为.xlsx、.csv、.lrmx或.lrm）")
        )
        return
    if suffix_kind is not None and suffix_kind != kind and kind in _KIND_NAMES:
        result.issues.append(
            FileIssue(
                shown,
                f"“{shown}”的扩展名是{path.suffix}，但内容是{_KIND_NAMES[kind]}，"
                f"已按{_KIND_NAMES[kind]}读取；建议改正扩展名",
                warning=True,
            )
        )
    try:
        if kind in ("xlsx", "xls"):
            table = read_xlsx(data, shown, mapping=mapping, progress=progress, cancelled=cancelled)
        elif kind == "csv":
            table = read_csv(data, shown, mapping=mapping, progress=progress, cancelled=cancelled)
        elif kind == "lrmx":
            result.rows.append(parse_lrmx(data, shown))
            result.files_read.append(shown)
            return
        else:
            pic = find_pic(path)
            row = parse_lrm_bytes(
                data, shown, pic.read_bytes() if pic else None, photo_name=pic.name if pic else ""
            )
            if pic is None:
                message = f"没有找到照片文件“{path.stem}.pic”，照片为空"
                row.issues.append(RowIssue(shown, None, "", "照片", "", message, warning=True))
            result.rows.append(row)
            result.files_read.append(shown)
            return
    except DomainError as exc:
        result.issues.append(FileIssue(shown, exc.message))
        return
    result.rows.extend(table.rows)
    result.layouts.extend(table.layouts)
    result.issues.extend(table.notices)
    result.files_read.append(shown)


def read_path(
    path: str | Path,
    *,
    mapping: Mapping[str, str | None] | None = None,
    recursive: bool = False,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> IntakeResult:
    """Read one file or every supported file in a folder (``recursive`` for subfolders).

    ``mapping`` (header text -> attribute, None to ignore) applies to every sheet.
    ``progress(done, total, text)`` counts rows for one file and files for a folder;
    ``cancelled()`` is polled and raises Cancelled. File problems are returned in
    ``issues``; only a missing path raises DomainError.
    """
    path = Path(path)
    result = IntakeResult()
    if path.is_file():
        _read_one(path, path.name, result, mapping, progress, cancelled)
        return result
    if not path.is_dir():
        raise DomainError(f"找不到文件或文件夹“{path}”", record=str(path))
    pattern = "**/*" if recursive else "*"
    files = sorted(p for p in path.glob(pattern) if p.is_file())
    wanted: list[Path] = []
    for file in files:
        shown = file.relative_to(path).as_posix()
        name = file.name
        if name.startswith(("~$", ".")) or file.suffix.lower() == ".pic":
            continue  # Excel lock files, hidden files, .lrm photos
        if file.suffix.lower() in SUPPORTED_SUFFIXES or file.suffix.lower() in (".xls", ".et"):
            wanted.append(file)
        else:
            result.issues.append(
                FileIssue(shown, f"已跳过“{shown}”：不是支持的文件类型", warning=True)
            )
    if not wanted:
        result.issues.append(
            FileIssue(
                path.name,
                f"文件夹“{path.name}”中没有可导入的文件（.xlsx、.csv、.lrmx、.lrm）",
            )
        )
        return result
    for done, file in enumerate(wanted):
        if cancelled is not None and cancelled():
            raise Cancelled(IMPORT_CANCELLED)
        _read_one(file, file.relative_to(path).as_posix(), result, mapping, None, cancelled)
        if progress is not None:
            progress(done + 1, len(wanted), f"正在读取文件：{file.name}")
    return result


def scan_file(
    path: str | Path, *, mapping: Mapping[str, str | None] | None = None
) -> list[SheetLayout]:
    """The header layout of a spreadsheet or CSV (first rows only), for the column-mapping
    step; [] for .lrmx/.lrm, which need no mapping. Raises DomainError for a file that
    cannot be read."""
    path = Path(path)
    data = read_file(path)
    kind = _kind_for(sniff(data), _SUFFIX_KIND.get(path.suffix.lower()))
    if kind in ("xlsx", "xls"):
        return scan_xlsx(data, path.name, mapping=mapping)
    if kind == "csv":
        return scan_csv(data, path.name, mapping=mapping)
    return []
