"""The daily backup at the app's start: the first start of a day backs the database up on the
worker (ui.jobs), without delaying the window; the status bar says when it is done, and a
failure (a full disk, a damaged database) is told at once."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMainWindow

from models import backup
from models.core.errors import DomainError
from ui import jobs, messages

log = logging.getLogger(__name__)

__all__ = ["start_daily_backup"]

STATUS_MS = 15_000


def _tr(text: str) -> str:
    return QCoreApplication.translate("backup", text)


def start_daily_backup(window: QMainWindow, data_folder: Path) -> jobs.Job | None:
    """Turn on automatic backups (a PostgreSQL database's go to ``data_folder``/backups) and,
    at the first start of the day, back the open database up; returns the job, or None when
    there is nothing to do now (an in-memory database, a server without pg_dump)."""
    backup.configure_server_backups(data_folder / "backups", automatic=True)
    source = backup.source_of()
    if source is None:
        return None
    if source.server and not backup.tools_available():
        log.warning("no daily backup of %s: pg_dump is not installed", source.shown)
        return None

    def done(info: backup.BackupInfo | None) -> None:
        if info is not None:
            window.statusBar().showMessage(
                _tr("已完成今天的自动备份：{name}").format(name=info.name), STATUS_MS
            )

    def failed(exc: BaseException) -> None:
        if isinstance(exc, DomainError):
            why = str(exc)
        else:
            log.error("daily backup failed", exc_info=exc)
            why = _tr("原因已写入日志")
        messages.error(
            window,
            _tr(
                "今天的自动备份没有完成：{why}\n请在“备份与恢复”中立即备份，或检查备份文件夹。"
            ).format(why=why),
            _tr("自动备份"),
        )

    return jobs.runner().run(
        backup.daily_backup,
        source,
        title=_tr("每日自动备份"),
        parent_widget=window,
        on_success=done,
        on_failure=failed,
    )
