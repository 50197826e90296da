"""备份与恢复: the list of backups, backing up now and restoring after a confirmation
(:class:`BackupView`), and the daily backup at start-up (:func:`start_daily_backup`).
"""

from ui.backup.backup_view import BackupView, backup_columns
from ui.backup.startup import start_daily_backup

__all__ = ["BackupView", "backup_columns", "start_daily_backup"]
