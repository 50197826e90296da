"""Backup file names: ``<数据库名>-<YYYYMMDD>-<HHMMSS>-<原因>.db`` (``.dump`` for a PostgreSQL
server), e.g. ``cadredesk-20261207-091200-导入前.db``. The name alone says which database, when
and why, so the list needs no index file; names are safe on Windows (no ``\\/:*?"<>|``).

A file is only ever given such a name after it passed its check (see :mod:`.files`); work in
progress is written under a temporary name ending in ``.tmp``, which no listing shows.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

DAILY = "每日"
MANUAL = "手动"
BEFORE_IMPORT = "导入前"
BEFORE_GRADING = "计算等次前"
BEFORE_APPROVAL = "审定前"
BEFORE_RESTORE = "恢复前"
BEFORE_UPGRADE = "升级前"

SQLITE_SUFFIX = ".db"
SERVER_SUFFIX = ".dump"
TEMP_SUFFIX = ".tmp"

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<date>\d{8})-(?P<time>\d{6})-(?P<reason>[^-.]+)(?:-(?P<n>\d+))?"
    r"(?P<suffix>\.db|\.dump)$"
)


def safe_part(text: str, fallback: str = "数据库") -> str:
    """``text`` usable inside a file name on Windows and elsewhere: characters Windows
    forbids (and control characters) become ``_``; leading/trailing spaces and dots go."""
    cleaned = _UNSAFE.sub("_", text).strip(" .")
    return cleaned or fallback


def is_before(reason: str) -> bool:
    """Whether a backup was taken before an operation (导入前, 审定前, 恢复前 …)."""
    return reason.endswith("前")


@dataclass(frozen=True)
class BackupName:
    """What a backup's file name says."""

    stem: str
    when: dt.datetime
    reason: str
    server: bool  # a pg_dump archive (.dump), not a SQLite file

    def file_name(self, n: int = 1) -> str:
        """The file name (``n`` > 1 when a backup of the same second and reason exists)."""
        extra = f"-{n}" if n > 1 else ""
        suffix = SERVER_SUFFIX if self.server else SQLITE_SUFFIX
        return f"{self.stem}-{self.when:%Y%m%d-%H%M%S}-{self.reason}{extra}{suffix}"


def make_name(stem: str, when: dt.datetime, reason: str, *, server: bool) -> BackupName:
    """A backup name with ``stem`` and ``reason`` made safe (``-`` and ``.`` included in
    the reason, which ends the name)."""
    safe_reason = safe_part(reason.replace("-", "_").replace(".", "_"), MANUAL)
    return BackupName(safe_part(stem), when.replace(microsecond=0), safe_reason, server)


def parse_name(name: str) -> BackupName | None:
    """What a file name says, or None when it is not a backup's name."""
    match = _NAME.match(name)
    if match is None:
        return None
    try:
        when = dt.datetime.strptime(match["date"] + match["time"], "%Y%m%d%H%M%S")
    except ValueError:
        return None
    return BackupName(match["stem"], when, match["reason"], match["suffix"] == SERVER_SUFFIX)


def free_path(folder: Path, name: BackupName) -> Path:
    """Where a new backup called ``name`` goes in ``folder``: its file name, with ``-2``,
    ``-3`` … when a backup of the same second and reason is there already."""
    n = 1
    while (folder / name.file_name(n)).exists():
        n += 1
    return folder / name.file_name(n)


__all__ = [
    "BEFORE_APPROVAL",
    "BEFORE_GRADING",
    "BEFORE_IMPORT",
    "BEFORE_RESTORE",
    "BEFORE_UPGRADE",
    "DAILY",
    "MANUAL",
    "SERVER_SUFFIX",
    "SQLITE_SUFFIX",
    "TEMP_SUFFIX",
    "BackupName",
    "free_path",
    "is_before",
    "make_name",
    "parse_name",
    "safe_part",
]
