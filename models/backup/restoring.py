"""Restoring a backup: check it, back up what is there now (恢复前), put the backup's
content in place, and open the database again so that migrations bring an older backup up
to date. When that last step fails, the 恢复前 backup is put back.

models.backup sits below the schema, so the caller hands in how to reopen the database
(``models.schema.open_database``) and the newest schema version this program knows.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from peewee import PostgresqlDatabase

from models.backup import files, server
from models.backup.naming import BEFORE_RESTORE, SERVER_SUFFIX
from models.backup.server import ServerParams
from models.backup.service import (
    BackupInfo,
    Source,
    backup_folder,
    backup_now,
)
from models.core.db import close_database
from models.core.driver import attach_postgres_driver
from models.core.errors import DomainError, os_error_text
from models.core.progress import Cancelled, IsCancelled, Progress

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did."""

    restored: Path  # the backup now in place
    safety: BackupInfo | None  # the 恢复前 backup of what was there (None: nothing was)
    damaged_copy: Path | None = None  # a damaged database, kept as it was, not as a backup


def find_backup(source: Source, backup: str | Path, folder: Path | None = None) -> Path:
    """The backup file ``backup`` names: a path, or a file name in the backup folder.
    DomainError when there is no such file."""
    path = Path(backup)
    if path.is_file():
        return path
    if path.parent == Path("."):
        in_folder = (folder or backup_folder(source)) / path.name
        if in_folder.is_file():
            return in_folder
    raise DomainError(f"备份文件 {backup} 不存在")


def _check_kind(source: Source, path: Path) -> None:
    if source.server and path.suffix != SERVER_SUFFIX:
        raise DomainError(
            f"{path.name} 不是 PostgreSQL 数据库的备份（应为 pg_dump 生成的 .dump 文件），"
            f"不能恢复到服务器数据库 {source.shown}"
        )
    if not source.server and path.suffix == SERVER_SUFFIX:
        raise DomainError(
            f"{path.name} 是 PostgreSQL 服务器数据库的备份，不能恢复到数据库文件 {source.shown}"
        )


def check_backup(source: Source, path: Path, latest: int) -> None:
    """DomainError (in Chinese) unless ``path`` is an undamaged CadreDesk backup of the
    right kind whose schema this program can open."""
    _check_kind(source, path)
    if source.server:
        found = server.inspect_dump(path)
        cadredesk, version = found.cadredesk, found.version
    else:
        problem = files.integrity_problem(path)
        if problem is not None:
            raise DomainError(f"备份文件 {path.name} {problem}，不能用来恢复")
        content = files.contents(path)
        cadredesk, version = content.cadredesk, content.version
    if not cadredesk:
        raise DomainError(f"{path.name} 不是 CadreDesk 数据库的备份（没有版本记录），不能用来恢复")
    if version > latest:
        raise DomainError(
            f"备份 {path.name} 的数据库版本为 {version}，高于本程序支持的 {latest}，"
            "请使用新版程序恢复"
        )


def restore(
    source: Source,
    backup: str | Path,
    *,
    reopen: Callable[[str], object],
    latest: int,
    target: str | None = None,
    folder: Path | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> RestoreResult:
    """Replace ``source``'s content with ``backup`` (a path, or a file name in the backup
    folder), then ``reopen(target)`` (default: the file's path; a server's URL must be
    given, with whatever credentials it carries). The database open in this thread is
    closed first. Every failure is a DomainError in Chinese; before the content is
    replaced, nothing has changed."""
    total = 4

    def step(done: int, text: str) -> None:
        if progress is not None:
            progress(done, total, text)

    step(0, "正在检查备份")
    path = find_backup(source, backup, folder)
    if source.path is not None and path.resolve() == Path(str(source.path)).resolve():
        raise DomainError(f"{path.name} 就是要恢复的数据库本身，请选择一个备份文件")
    check_backup(source, path, latest)
    if cancelled is not None and cancelled():
        raise Cancelled("已取消恢复，数据库没有改变")
    step(1, "正在备份当前数据（恢复前）")
    safety, damaged = _safety_backup(source, path, folder)
    step(2, "正在恢复")
    close_database()
    if source.params is not None:
        _restore_server(source.params, path)
    else:
        files.write_into(path, Path(str(source.path)))
    step(3, "正在打开恢复后的数据库")
    where = target if target is not None else str(source.path)
    try:
        reopen(where)
    except Exception as exc:
        log.exception("reopening %s after restoring %s failed", source.shown, path)
        close_database()
        if safety is None:
            raise
        _put_back(source, safety.path)
        reopen(where)
        reason = str(exc) if isinstance(exc, DomainError) else "原因已写入日志"
        raise DomainError(
            f"恢复 {path.name} 后数据库无法打开（{reason}），已还原为恢复前的数据"
        ) from None
    step(4, "恢复完成")
    log.info("restored %s from %s", source.shown, path)
    return RestoreResult(path, safety, damaged)


def _safety_backup(
    source: Source, restoring: Path, folder: Path | None
) -> tuple[BackupInfo | None, Path | None]:
    """Back up what is there now (恢复前), keeping ``restoring`` from the rotation (a new
    backup may push an old one out of it). A damaged file is kept as it is, under a name
    that is no backup's."""
    if source.params is None and not Path(str(source.path)).exists():
        return None, None
    try:
        info = backup_now(
            source, folder=folder, reason=BEFORE_RESTORE, protect=frozenset({restoring})
        )
    except files.DamagedDatabase:
        return None, _keep_damaged(Path(str(source.path)), folder or backup_folder(source))
    except DomainError as exc:
        raise DomainError(f"恢复前没能备份当前数据（{exc}），没有恢复") from None
    return info, None


def _keep_damaged(db_path: Path, folder: Path) -> Path:
    """Copy a damaged database (and its -wal) aside, named ``….db.损坏``."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    dest = folder / f"{db_path.stem}-{stamp}-恢复前.db.损坏"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(db_path, dest)
        wal = db_path.with_name(db_path.name + "-wal")
        if wal.exists():
            shutil.copy2(wal, dest.with_name(dest.name + "-wal"))
    except OSError as exc:
        raise DomainError(
            f"当前数据库已损坏，且无法把它另存到 {folder}（{os_error_text(exc)}），没有恢复"
        ) from None
    log.warning("damaged database %s kept as %s before restoring", db_path, dest)
    return dest


def _restore_server(params: ServerParams, path: Path) -> None:
    """pg_restore, then drop the tables the backup does not have (a newer program's), so
    the database holds what the backup holds, as a restored file would."""
    server.restore(params, path)
    in_backup = server.tables_in(path)
    attach_postgres_driver()  # pg_restore has run: the server is there, and so is psycopg
    real = PostgresqlDatabase(
        params.name, user=params.user, host=params.host, port=params.port,
        password=params.password, connect_timeout=10,
    )  # fmt: skip
    try:
        real.connect()
        with real.atomic():
            now = real.execute_sql(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            ).fetchall()
            for (table,) in now:
                if table not in in_backup:
                    log.info("dropping table %s (not in the restored backup)", table)
                    real.execute_sql(f'DROP TABLE IF EXISTS "{table}" CASCADE')
    finally:
        real.close()


def _put_back(source: Source, safety: Path) -> None:
    if source.params is not None:
        _restore_server(source.params, safety)
    else:
        files.write_into(safety, Path(str(source.path)))


__all__ = [
    "RestoreResult",
    "check_backup",
    "find_backup",
    "restore",
]
