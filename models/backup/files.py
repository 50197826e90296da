"""A SQLite file's backups, through SQLite's own online backup API.

A backup is copied into a temporary file beside its final name, switched to a single file
(journal_mode DELETE, no -wal beside it), flushed to disk, checked with ``PRAGMA
integrity_check``, and only then renamed (``os.replace``) to its final name. So a process
killed during a backup leaves at most a ``.tmp`` file behind: never a half file under a
backup's name, and never a change to the database or to an older backup.

A restore goes the same way in reverse: the backup is written into the database through
the backup API, inside SQLite's own locking and journal, so other connections to the file
see the restored content and a restore cut short leaves the database as it was.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from models.core.errors import DomainError, os_error_text

log = logging.getLogger(__name__)

BUSY_WAIT_SECONDS = 30.0  # how long a backup or restore waits while another writer holds the file

_SQLITE_FULL = 13
_SQLITE_NOTADB = 26
_SQLITE_CORRUPT = 11
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_CANTOPEN = 14
_SQLITE_READONLY = 8


class DamagedDatabase(DomainError):
    """The database being backed up is itself damaged (its copy fails the check)."""


class _Busy(Exception):
    """The database stayed locked by another writer for longer than BUSY_WAIT_SECONDS."""


def _code(exc: sqlite3.Error) -> int:
    return int(getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF


def sqlite_error_text(exc: sqlite3.Error) -> str:
    """What went wrong, in Chinese (SQLite's own text is English: it goes to the log)."""
    code = _code(exc)
    if code == _SQLITE_FULL:
        return "磁盘空间不足"
    if code in (_SQLITE_NOTADB, _SQLITE_CORRUPT):
        return "文件已损坏或不是 SQLite 数据库"
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return "数据库正被其他操作（或另一台电脑）占用，请稍后重试"
    if code == _SQLITE_CANTOPEN:
        return "文件打不开（文件夹不存在或没有读写权限）"
    if code == _SQLITE_READONLY:
        return "文件或所在磁盘是只读的"
    return "读写数据库文件出错（磁盘、U盘或网络位置不可用），原因已写入日志"


def _read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection to a single-file database (a backup, never the live file)."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)


def _copy(source: sqlite3.Connection, dest: sqlite3.Connection) -> None:
    """The whole database in one step (one consistent snapshot of the source), giving up
    when the file stays locked."""
    deadline = time.monotonic() + BUSY_WAIT_SECONDS

    def waited(status: int, _remaining: int, _total: int) -> None:
        if status in (_SQLITE_BUSY, _SQLITE_LOCKED) and time.monotonic() > deadline:
            raise _Busy()

    source.backup(dest, pages=-1, progress=waited, sleep=0.1)


def integrity_problem(path: Path, *, quick: bool = False) -> str | None:
    """None when ``path`` passes ``PRAGMA integrity_check``, else what is wrong, in Chinese,
    to follow the file's name ("已损坏（完整性检查未通过）"); SQLite's findings go to the log.
    ``quick``: ``PRAGMA quick_check`` — every page, b-tree and record checked, without the
    cross-check of each index against its table (about a fifth of the time on a large file)."""
    try:
        con = _read_only(path)
        try:
            rows = con.execute(f"PRAGMA {'quick_check' if quick else 'integrity_check'}").fetchall()
        finally:
            con.close()
    except sqlite3.Error as exc:
        log.warning("integrity check of %s could not run: %r", path, exc)
        if _code(exc) == _SQLITE_NOTADB:
            return "不是 SQLite 数据库文件（或已严重损坏）"
        if _code(exc) == _SQLITE_CORRUPT:
            return "已损坏（完整性检查未通过）"
        return f"无法检查：{sqlite_error_text(exc)}"
    if [r[0] for r in rows] == ["ok"]:
        return None
    log.warning("integrity check of %s failed: %s", path, "; ".join(str(r[0]) for r in rows[:20]))
    return "已损坏（完整性检查未通过）"


@dataclass(frozen=True)
class FileContents:
    """What a SQLite file holds, as far as a restore cares."""

    cadredesk: bool  # it has CadreDesk's version table
    version: int  # its schema version (0 when not a CadreDesk database)


def contents(path: Path) -> FileContents:
    """Whether ``path`` is a CadreDesk database, and its schema version. DomainError when
    it is no SQLite database at all."""
    try:
        con = _read_only(path)
        try:
            rows = con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            tables = {r[0] for r in rows}
            if "schema_version" not in tables:
                return FileContents(False, 0)
            row = con.execute("SELECT MAX(version) FROM schema_version").fetchone()
            return FileContents(True, int(row[0] or 0))
        finally:
            con.close()
    except sqlite3.Error as exc:
        log.warning("reading %s: %r", path, exc)
        raise DomainError(f"{path.name}：{sqlite_error_text(exc)}") from None


def temp_path(final: Path) -> Path:
    """Where a backup is written before it is checked and named ``final``."""
    return final.with_name(f".{final.name}.{os.getpid()}.tmp")


def _fsync(path: Path) -> None:
    with path.open("rb+") as f:
        os.fsync(f.fileno())


def _fsync_folder(folder: Path) -> None:
    if sys.platform == "win32":  # Windows cannot open a folder for fsync; NTFS logs renames
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_temp(tmp: Path) -> None:
    """Remove a temporary backup and the -wal/-shm files SQLite may have left beside it."""
    for p in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm"),
              tmp.with_name(tmp.name + "-journal")):  # fmt: skip
        try:
            p.unlink(missing_ok=True)
        except OSError:
            log.warning("could not remove %s", p)


def write_backup(
    db_path: Path,
    final: Path,
    *,
    step: Callable[[int, str], None] | None = None,
    quick_check: bool = False,
) -> None:
    """Back up the SQLite file ``db_path`` into ``final`` (which must not exist) as the
    module's docstring says; ``step(n, text)`` is told of step 1 (copy) and 2 (check), and
    may raise to stop; ``quick_check``: the copy is checked with ``PRAGMA quick_check``
    (see :func:`integrity_problem`). Raises DomainError (in Chinese) on any failure;
    ``final`` then does not exist."""
    tmp = temp_path(final)
    try:
        if step:
            step(1, "正在复制数据库")
        source = sqlite3.connect(str(db_path), timeout=5)
        try:
            dest = sqlite3.connect(str(tmp))
            try:
                _copy(source, dest)
                dest.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
            finally:
                dest.close()
        finally:
            source.close()
        _fsync(tmp)
        if step:
            step(2, "正在检查备份")
        problem = integrity_problem(tmp, quick=quick_check)
        if problem is not None:
            raise DamagedDatabase(
                f"数据库 {db_path.name} 的备份{problem}，数据库文件本身可能已损坏，"
                "请在“备份与恢复”中恢复最近的备份"
            )
        os.replace(tmp, final)
        _fsync_folder(final.parent)
    except _Busy:
        raise DomainError(
            f"数据库 {db_path} 被其他操作占用超过 {BUSY_WAIT_SECONDS:.0f} 秒，没有备份，请稍后重试"
        ) from None
    except sqlite3.Error as exc:
        log.warning("backup of %s into %s failed: %r", db_path, final, exc)
        if _code(exc) in (_SQLITE_NOTADB, _SQLITE_CORRUPT):
            raise DamagedDatabase(
                f"备份数据库 {db_path} 失败：数据库文件已损坏，请在“备份与恢复”中恢复最近的备份"
            ) from None
        raise DomainError(f"备份数据库 {db_path} 失败：{sqlite_error_text(exc)}") from None
    except OSError as exc:
        raise DomainError(f"无法写入备份文件夹 {final.parent}：{os_error_text(exc)}") from None
    finally:
        remove_temp(tmp)
    log.info("database %s backed up to %s", db_path, final)


def write_into(backup: Path, db_path: Path) -> None:
    """Replace the content of the database ``db_path`` with the (checked) backup file.
    A database so damaged that SQLite cannot write into it is replaced as a file."""
    try:
        source = _read_only(backup)
        try:
            dest = sqlite3.connect(str(db_path), timeout=5)
            try:
                _copy(source, dest)
            finally:
                dest.close()
        finally:
            source.close()
    except _Busy:
        raise DomainError(
            f"数据库 {db_path} 被其他操作（或另一台电脑）占用超过 {BUSY_WAIT_SECONDS:.0f} 秒，"
            "没有恢复，请关闭其他使用它的程序后重试"
        ) from None
    except sqlite3.Error as exc:
        log.warning("restoring %s into %s failed: %r", backup, db_path, exc)
        if _code(exc) in (_SQLITE_NOTADB, _SQLITE_CORRUPT):
            _replace_file(backup, db_path)
            return
        raise DomainError(
            f"恢复数据库 {db_path} 失败：{sqlite_error_text(exc)}；数据库保持原样"
        ) from None
    except OSError as exc:
        raise DomainError(f"恢复数据库 {db_path} 失败：{os_error_text(exc)}") from None
    log.info("database %s restored from %s", db_path, backup)


def _replace_file(backup: Path, db_path: Path) -> None:
    """Put a copy of ``backup`` in place of a damaged database file (a temp copy beside it,
    then a rename); the damaged file's -wal and -shm go, or SQLite would replay them."""
    tmp = temp_path(db_path)
    try:
        source = _read_only(backup)
        try:
            dest = sqlite3.connect(str(tmp))
            try:
                _copy(source, dest)
                dest.execute("PRAGMA journal_mode=DELETE")
            finally:
                dest.close()
        finally:
            source.close()
        _fsync(tmp)
        for extra in ("-wal", "-shm", "-journal"):
            db_path.with_name(db_path.name + extra).unlink(missing_ok=True)
        os.replace(tmp, db_path)
    except (sqlite3.Error, _Busy) as exc:
        log.warning("replacing %s by %s failed: %r", db_path, backup, exc)
        raise DomainError(f"恢复数据库 {db_path} 失败：数据库文件已损坏且无法替换") from None
    except OSError as exc:
        raise DomainError(f"恢复数据库 {db_path} 失败：{os_error_text(exc)}") from None
    finally:
        remove_temp(tmp)
    log.info("damaged database %s replaced by %s", db_path, backup)


def put_in_place(tmp: Path, final: Path) -> None:
    """Give a finished, checked temporary file its final name, durably: its content on the
    disk first, then the rename, then the folder's entry (a power cut leaves the old state
    or the whole new file, never an empty file under the final name)."""
    _fsync(tmp)
    os.replace(tmp, final)
    _fsync_folder(final.parent)


__all__ = [
    "BUSY_WAIT_SECONDS",
    "DamagedDatabase",
    "FileContents",
    "contents",
    "integrity_problem",
    "put_in_place",
    "remove_temp",
    "sqlite_error_text",
    "temp_path",
    "write_backup",
    "write_into",
]
