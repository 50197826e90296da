"""Backing up a database now, at the first start of a day and before an import, a grading
or a 审定; listing the backups; and keeping them by the rotation (:mod:`.rotation`).

Where backups go: a SQLite file's beside it in ``<文件夹>/backups/<文件名>/``; a PostgreSQL
database's in a local folder, ``<用户数据文件夹>/backups/<库名>/`` (the app sets the root
with :func:`configure_server_backups`; the environment variable CADREDESK_BACKUP_DIR
overrides it). Automatic backups of a server database are taken only once the app has
turned them on (a command-line import on a server does not dump the whole server).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from peewee import PostgresqlDatabase, SqliteDatabase

from models.backup import files, server
from models.backup.naming import (
    BEFORE_UPGRADE,
    DAILY,
    MANUAL,
    SERVER_SUFFIX,
    SQLITE_SUFFIX,
    TEMP_SUFFIX,
    free_path,
    is_before,
    make_name,
    parse_name,
    safe_part,
)
from models.backup.rotation import Stamp, kept
from models.backup.server import ServerParams, ToolsMissing
from models.core.db import db, display_target, is_postgres_url, make_postgres
from models.core.errors import DomainError, os_error_text
from models.core.progress import Cancelled, IsCancelled, Progress

log = logging.getLogger(__name__)

ORGANIZATION = APPLICATION = "CadreDesk"
STALE_TEMP_SECONDS = 24 * 3600  # a .tmp older than this was left by a killed backup


@dataclass(frozen=True)
class BackupInfo:
    """One backup in the list."""

    path: Path
    when: dt.datetime
    reason: str  # 每日, 手动, 导入前, 计算等次前, 审定前, 恢复前, 升级前
    size: int  # bytes
    server: bool  # a pg_dump archive of a PostgreSQL database
    checked: bool = True  # passed its check before it got its name (see .files)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def label(self) -> str:
        """The kind as a user reads it: 每日自动备份, 手动备份, 导入前 …"""
        return {DAILY: "每日自动备份", MANUAL: "手动备份"}.get(self.reason, self.reason)


@dataclass(frozen=True)
class Source:
    """The database a backup is of: a SQLite file or a PostgreSQL database."""

    path: Path | None = None
    params: ServerParams | None = None

    @property
    def server(self) -> bool:
        return self.params is not None

    @property
    def stem(self) -> str:
        return self.params.name if self.params is not None else Path(str(self.path)).stem

    @property
    def shown(self) -> str:
        return self.params.shown if self.params is not None else str(self.path)


def _params(real: PostgresqlDatabase) -> ServerParams:
    p = real.connect_params
    return ServerParams(
        name=str(real.database),
        user=p.get("user"),
        host=p.get("host") or "localhost",
        port=int(p.get("port") or 5432),
        password=p.get("password"),
    )


def source_of(target: str | Path | None = None) -> Source | None:
    """The database ``target`` names (a file path or a PostgreSQL URL), or with None the
    one open now; None for an in-memory database or when none is open."""
    if target is None:
        real = db.obj
        if isinstance(real, PostgresqlDatabase):
            return Source(params=_params(real))
        if isinstance(real, SqliteDatabase) and real.database not in ("", ":memory:"):
            return Source(path=Path(real.database))
        return None
    if is_postgres_url(str(target)):
        return Source(params=_params(make_postgres(str(target))))
    return Source(path=Path(target))


# -- where backups go -------------------------------------------------------------------

_server_root: Path | None = None
_server_automatic = False
_paused = 0


def configure_server_backups(root: Path | None, *, automatic: bool) -> None:
    """The local folder that holds PostgreSQL backups (``root/<库名>/``; None: the user
    data folder's ``backups``), and whether daily and "before" backups are taken of a
    server database automatically (the app turns this on; commands leave it off)."""
    global _server_root, _server_automatic
    _server_root = root
    _server_automatic = automatic


@contextlib.contextmanager
def automatic_paused() -> Iterator[None]:
    """No automatic backup inside (a benchmark timing an import, a demo being built)."""
    global _paused
    _paused += 1
    try:
        yield
    finally:
        _paused -= 1


def user_data_folder() -> Path:
    """The app's user data folder, as Qt's AppDataLocation names it, found without Qt (the
    command line does not load it)."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / ORGANIZATION / APPLICATION


def backup_folder(source: Source) -> Path:
    """The default folder of ``source``'s backups (not created here)."""
    if source.params is None:
        path = Path(str(source.path))
        return path.parent / "backups" / safe_part(path.stem)
    env = os.environ.get("CADREDESK_BACKUP_DIR")
    root = Path(env) if env else _server_root or user_data_folder() / "backups"
    # by server as well as name: two servers' databases called alike never share a folder
    # (each folder's rotation would otherwise thin the other's dumps, and its list offer them)
    params = source.params
    return root / safe_part(f"{params.host}_{params.port}_{params.name}")


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DomainError(f"无法建立备份文件夹 {folder}：{os_error_text(exc)}") from None


# -- listing and rotation ---------------------------------------------------------------


def list_backups(source: Source, folder: Path | None = None) -> list[BackupInfo]:
    """``source``'s backups in ``folder`` (default :func:`backup_folder`), newest first."""
    folder = folder or backup_folder(source)
    suffix = SERVER_SUFFIX if source.server else SQLITE_SUFFIX
    stem = safe_part(source.stem)
    found: list[BackupInfo] = []
    try:
        entries = list(folder.iterdir()) if folder.is_dir() else []
    except OSError as exc:
        raise DomainError(f"无法读取备份文件夹 {folder}：{os_error_text(exc)}") from None
    for path in entries:
        name = parse_name(path.name)
        if name is None or name.stem != stem or path.suffix != suffix:
            continue
        try:
            size = path.stat().st_size
        except OSError:
            continue  # removed meanwhile (another client's rotation)
        found.append(BackupInfo(path, name.when, name.reason, size, name.server))
    found.sort(key=lambda b: (b.when, b.name), reverse=True)
    return found


def rotate(
    source: Source,
    folder: Path | None = None,
    *,
    now: dt.datetime | None = None,
    protect: frozenset[Path] = frozenset(),
) -> list[Path]:
    """Delete ``source``'s backups the rotation does not keep (never one in ``protect``),
    and temporary files a killed backup left more than a day ago; returns what went."""
    folder = folder or backup_folder(source)
    now = now or dt.datetime.now()
    backups = list_backups(source, folder)
    stamps = [Stamp(b.path, b.when, is_before(b.reason) or b.reason == MANUAL) for b in backups]
    keep = kept(stamps, now)
    gone: list[Path] = []
    for b in backups:
        if b.path in keep or b.path in protect:
            continue
        try:
            b.path.unlink(missing_ok=True)
            gone.append(b.path)
        except OSError as exc:
            log.warning("could not remove old backup %s: %s", b.path, os_error_text(exc))
    _remove_stale_temps(folder)
    if gone:
        log.info("rotation removed %d backups from %s", len(gone), folder)
    return gone


def _remove_stale_temps(folder: Path) -> None:
    limit = time.time() - STALE_TEMP_SECONDS
    for path in folder.glob(f".*{TEMP_SUFFIX}*"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            continue


# -- backing up -------------------------------------------------------------------------


def backup_now(
    source: Source,
    *,
    folder: Path | None = None,
    reason: str = MANUAL,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
    protect: frozenset[Path] = frozenset(),
    quick_check: bool = False,
) -> BackupInfo:
    """Back ``source`` up into ``folder`` (default :func:`backup_folder`), checked (with
    ``quick_check`` by SQLite's quick check: see models.backup.files), then apply the
    rotation there (never to ``protect``). Raises DomainError in Chinese when it
    cannot (the folder, the disk, a damaged database, missing pg_dump), Cancelled when the
    user cancelled."""
    folder = folder or backup_folder(source)
    now = (now or dt.datetime.now()).replace(microsecond=0)
    total = 3

    def step(done: int, text: str) -> None:
        if cancelled is not None and cancelled():
            raise Cancelled("已取消备份，没有留下备份文件")
        if progress is not None:
            progress(done, total, text)

    step(0, "正在准备备份")
    if source.params is None:
        db_path = Path(str(source.path))
        if not db_path.is_file():
            raise DomainError(f"数据库文件 {db_path} 不存在，无法备份")
    _make_folder(folder)
    name = make_name(source.stem, now, reason, server=source.server)
    final = free_path(folder, name)
    if source.params is None:
        files.write_backup(Path(str(source.path)), final, step=step, quick_check=quick_check)
    else:
        _dump(source.params, final, step, cancelled)
    size = final.stat().st_size
    step(total, "正在清理旧备份")
    rotate(source, folder, now=now, protect=protect | {final})
    log.info("backup %s of %s (%s)", final.name, source.shown, reason)
    return BackupInfo(final, now, name.reason, size, source.server)


def _dump(
    params: ServerParams,
    final: Path,
    step: Callable[[int, str], None],
    cancelled: IsCancelled | None,
) -> None:
    tmp = files.temp_path(final)
    try:
        step(1, "正在导出服务器数据库（pg_dump）")
        if not server.dump(params, tmp, cancelled=cancelled):
            raise Cancelled("已取消备份，没有留下备份文件")
        step(2, "正在检查备份")
        found = server.inspect_dump(tmp)
        if not found.cadredesk:
            raise DomainError(f"数据库 {params.shown} 不是 CadreDesk 数据库，没有备份")
        files.put_in_place(tmp, final)
    except OSError as exc:
        raise DomainError(f"无法写入备份文件夹 {final.parent}：{os_error_text(exc)}") from None
    finally:
        files.remove_temp(tmp)


def daily_backup(
    source: Source | None = None,
    *,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> BackupInfo | None:
    """The first start of a day backs the database up (每日); later ones return None, as
    does a server database while automatic server backups are off."""
    source = source or source_of()
    if source is None or _paused or (source.server and not _server_automatic):
        return None
    now = now or dt.datetime.now()
    if any(b.reason == DAILY and b.when.date() == now.date() for b in list_backups(source)):
        return None
    return backup_now(source, reason=DAILY, now=now, progress=progress, cancelled=cancelled)


def backup_before(reason: str, *, dry_run: bool = False) -> Path | None:
    """Back up the open database before an operation that changes much of it (``reason``:
    导入前, 计算等次前, 审定前); the services call it on entry. Nothing on a dry run, on an
    in-memory database, or on a server while automatic server backups are off (or its
    client tools are missing: logged). When the backup fails the operation must not run:
    DomainError says why."""
    source = None if dry_run or _paused else source_of()
    if source is None or (source.server and not _server_automatic):
        return None
    try:
        # the copy of a consistent snapshot is checked page by page (quick_check) before an
        # operation; the daily, manual and before-upgrade backups get the full check, so
        # damage the quick check cannot see is still found within a day
        return backup_now(source, reason=reason, quick_check=True).path
    except ToolsMissing:
        log.warning("no %s backup of %s: pg_dump is not installed", reason, source.shown)
        return None
    except DomainError as exc:
        what = reason.removesuffix("前")
        raise DomainError(
            f"{what}前没能备份数据库（{exc}），为保护数据，{what}没有进行", record=source.shown
        ) from None


def backup_before_upgrade(real: object, version: int, folder: Path | None = None) -> Path | None:
    """Back up the database ``real`` (a peewee Database just opened) before its schema is
    brought forward from ``version`` (升级前), into ``folder`` or its backup folder. On a
    server without pg_dump, a warning in the log and no backup (the upgrade goes on, as
    every client of a department may not have the client tools); any other failure stops
    the upgrade with a DomainError."""
    if isinstance(real, PostgresqlDatabase):
        source = Source(params=_params(real))
    elif isinstance(real, SqliteDatabase) and real.database not in ("", ":memory:"):
        source = Source(path=Path(real.database))
    else:
        return None
    try:
        info = backup_now(source, folder=folder, reason=BEFORE_UPGRADE)
    except ToolsMissing:
        log.warning("schema %s of %s upgraded without a backup: no pg_dump", version, source.shown)
        return None
    except DomainError as exc:
        raise DomainError(f"升级数据库前没能备份（{exc}），没有升级") from None
    log.info("backed up %s (schema %s) before upgrading it", source.shown, version)
    return info.path


def describe(source: Source) -> str:
    """The database as the user may see it (never a password)."""
    return display_target(source.shown)


__all__ = [
    "BackupInfo",
    "Source",
    "automatic_paused",
    "backup_before",
    "backup_before_upgrade",
    "backup_folder",
    "backup_now",
    "configure_server_backups",
    "daily_backup",
    "describe",
    "list_backups",
    "rotate",
    "source_of",
    "user_data_folder",
]
