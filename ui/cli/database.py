"""Opening the database for one command: a SQLite file or a PostgreSQL URL, migrated, and
closed afterwards; the URL's password is never shown."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from models.core.db import close_database, display_target, is_postgres_url
from models.core.errors import DomainError
from models.schema import open_database
from ui.cli.login import login_for_command, logout_after_command


def existing_file(path: str) -> Path:
    """``path`` as a Path; DomainError when there is no such database file."""
    db_path = Path(path)
    if not db_path.is_file():
        raise DomainError(f"数据库文件 {db_path} 不存在")
    return db_path


def new_file_allowed(target: str) -> bool:
    """For a command that may create its database file (import-roster): True when the file
    is to be created (and says so), False when it exists or ``target`` is a server URL;
    DomainError when its folder does not exist."""
    if is_postgres_url(target):
        return False
    db_path = Path(target)
    if db_path.exists():
        return False
    if not db_path.parent.is_dir():
        raise DomainError(f"数据库所在文件夹 {db_path.parent} 不存在")
    return True


@contextlib.contextmanager
def command_database(
    target: str, *, create: bool = False, user: str | None = None, first_account: bool = False
) -> Iterator[str]:
    """Open (and migrate) the database ``target`` for one command, and close it afterwards;
    yields its name as it may be shown (:func:`display_target`). A file must exist unless
    ``create``; a URL names a PostgreSQL database on a server. A database with accounts
    needs ``user`` (--user), logged in with the password from the environment or a prompt
    (:func:`ui.cli.login.login_for_command`); the session ends with the command. A server
    database without accounts is refused but by the command making the first one
    (``first_account``)."""
    if is_postgres_url(target):
        open_database(target)
    else:
        open_database(Path(target) if create else existing_file(target))
    try:
        login_for_command(user, first_account=first_account)
        yield display_target(target)
    finally:
        logout_after_command()
        close_database()


__all__ = ["command_database", "existing_file", "new_file_allowed"]
