"""备份与恢复: the list of backups, backing up now and restoring after a confirmation
(:class:`BackupView`), and the daily backup at start-up (:func:`start_daily_backup`).

The names load on first use (models.core.lazy): the daily backup at start-up does not need
the 备份与恢复 screen.
"""

from models.core.lazy import lazy_api

__all__, __getattr__, __dir__ = lazy_api(
    __name__,
    {
        "backup_view": ("BackupView", "backup_columns"),
        "startup": ("start_daily_backup",),
    },
)
