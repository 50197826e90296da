"""Backups and restore: SQLite online backups kept by a rotation and checked, and
pg_dump/pg_restore for a PostgreSQL server.

- :mod:`.naming`: backup file names (which database, when, why) and the reasons.
- :mod:`.rotation`: which backups to keep (7 daily, 4 weekly, 12 monthly, "before" ones of
  the last 7 days, always the newest); pure rules.
- :mod:`.files`: a SQLite file backed up through the backup API, checked with
  ``integrity_check`` and only then named; a backup written back into a database.
- :mod:`.server`: pg_dump/pg_restore for a PostgreSQL database (password only in the child's
  environment).
- :mod:`.service`: back up now, every day, before an import/grading/审定; list; rotate.
- :mod:`.restoring`: restore a backup after backing up what is there (恢复前).

This package sits below roster, training and assessment (their services call
:func:`backup_before`) and imports only models.core.
"""

from models.backup.files import integrity_problem
from models.backup.naming import (
    BEFORE_APPROVAL,
    BEFORE_GRADING,
    BEFORE_IMPORT,
    BEFORE_RESTORE,
    BEFORE_UPGRADE,
    DAILY,
    MANUAL,
)
from models.backup.restoring import RestoreResult, check_backup, find_backup, restore
from models.backup.server import CLIENT_TOOLS_HINT, ToolsMissing, tools_available
from models.backup.service import (
    BackupInfo,
    Source,
    automatic_paused,
    backup_before,
    backup_before_upgrade,
    backup_folder,
    backup_now,
    configure_server_backups,
    daily_backup,
    describe,
    list_backups,
    rotate,
    source_of,
    user_data_folder,
)
from models.backup.text import listing_lines, size_text

__all__ = [
    "BEFORE_APPROVAL",
    "BEFORE_GRADING",
    "BEFORE_IMPORT",
    "BEFORE_RESTORE",
    "BEFORE_UPGRADE",
    "CLIENT_TOOLS_HINT",
    "DAILY",
    "MANUAL",
    "BackupInfo",
    "RestoreResult",
    "Source",
    "ToolsMissing",
    "automatic_paused",
    "backup_before",
    "backup_before_upgrade",
    "backup_folder",
    "backup_now",
    "check_backup",
    "configure_server_backups",
    "daily_backup",
    "describe",
    "find_backup",
    "integrity_problem",
    "list_backups",
    "listing_lines",
    "restore",
    "rotate",
    "size_text",
    "source_of",
    "tools_available",
    "user_data_folder",
]
