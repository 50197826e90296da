"""Writing report files: atomic writes and file names every file system accepts.

A report is built in memory and written through a temporary file in the target folder that
is renamed into place, so a cancelled or failed job never leaves a half-written file.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from models.core.errors import DomainError, os_error_text
from models.core.files import as_new_file

__all__ = ["safe_part", "write_atomic"]

_BAD_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{i}" for p in ("COM", "LPT") for i in range(10)}
_PART_MAX = 60  # characters per name part; keeps a file name well under 255 bytes in UTF-8


def write_atomic(path: str | os.PathLike[str], data: bytes, what: str) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder; ``what`` names
    the document in the DomainError raised when the folder is missing or cannot be written."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise DomainError(f"保存{what}失败：文件夹不存在：{folder}", field="path")
    tmp_name: str | None = None
    try:
        with tempfile.NamedTemporaryFile(
            dir=folder, prefix=f".{path.name}.", suffix=".part", delete=False
        ) as tmp:
            tmp_name = tmp.name
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        as_new_file(tmp_name)  # readable as any file the user saves, not owner-only
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        exc.filename = None  # the path is named once, below
        raise DomainError(
            f"保存{what}失败：无法写入 {path}（{os_error_text(exc)}）", field="path"
        ) from exc
    finally:
        if tmp_name is not None and os.path.exists(tmp_name):
            os.unlink(tmp_name)


def safe_part(text: str) -> str:
    """One part of a file name that every file system accepts: path separators, ``:*?"<>|``
    and control characters become "-", surrounding spaces and dots go, reserved Windows names
    get a leading "_", long parts are cut."""
    text = _BAD_CHARS.sub("-", " ".join(text.split())).strip(" .")[:_PART_MAX].strip(" .")
    if not text:
        return "未命名"
    if text.upper() in _RESERVED:
        return f"_{text}"
    return text
