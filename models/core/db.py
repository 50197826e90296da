"""The database: one DatabaseProxy every table binds to, opened for SQLite or PostgreSQL."""

from __future__ import annotations

import importlib.util
import logging
import sqlite3
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from peewee import (
    BooleanField,
    CharField,
    DatabaseProxy,
    DecimalField,
    Field,
    ForeignKeyField,
    IntegerField,
    Model,
    OperationalError,
    PostgresqlDatabase,
    SqliteDatabase,
    TextField,
)

from models.core.errors import DomainError

log = logging.getLogger(__name__)

db = DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "normal",
    "busy_timeout": 5000,
    "cache_size": -16000,
}


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False


def is_postgres_url(target: str) -> bool:
    return target.startswith(("postgres://", "postgresql://"))


def make_sqlite(path: str | Path) -> SqliteDatabase:
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    return SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, timeout=5, autoconnect=True)


def make_postgres(url: str) -> PostgresqlDatabase:
    """A shared departmental database. Needs the psycopg driver (not installed by default);
    not yet covered by the test suite, which runs on SQLite."""
    if not any(importlib.util.find_spec(m) for m in ("psycopg", "psycopg2")):
        raise DomainError(
            '连接 PostgreSQL 共享数据库需要先安装数据库驱动：pip install "psycopg[binary]"'
        )
    u = urlparse(url)
    return PostgresqlDatabase(
        unquote(u.path.lstrip("/")),
        user=unquote(u.username) if u.username else None,
        password=unquote(u.password) if u.password else None,
        host=u.hostname or "localhost",
        port=u.port or 5432,
        autoconnect=True,
    )


def close_database() -> None:
    if db.obj is not None and not db.is_closed():
        db.close()


def backup_sqlite(real: SqliteDatabase, dest: Path) -> Path:
    """Online backup through SQLite's backup API: safe while the database is in use (WAL)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    target = sqlite3.connect(str(dest))
    try:
        real.connection().backup(target)
    finally:
        target.close()
    log.info("database backed up to %s", dest)
    return dest


def bulk_insert(model: type[Model], rows: list[dict[str, object]]) -> int:
    """Insert many rows with one prepared statement (the driver's executemany).

    peewee's insert_many builds SQL text for every value, which costs more than the insert
    itself for tens of thousands of rows; this binds them instead. Keys are field names
    (a foreign key by its field name, e.g. ``unit``, holding the id); every row has the same
    keys; missing fields get their defaults. Values are stored the way peewee stores them
    (dates by the driver's adapter, decimals as text). Returns the number of rows.
    """
    if not rows:
        return 0
    given = set(rows[0])
    fields = [
        f
        for f in model._meta.sorted_fields
        if f.name in given or (f.default is not None and not f.primary_key)
    ]
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    marks = ", ".join([db.param] * len(fields))
    sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'
    getters = [_getter(f, f.name in given) for f in fields]
    params = [tuple(get(row) for get in getters) for row in rows]
    db.cursor().executemany(sql, params)
    return len(params)


def _getter(field: Field, given: bool) -> Callable[[dict[str, object]], object]:
    """How to read one column's value from a row dict, converted once per field type."""
    name = field.name
    if not given:
        default = field.default
        if callable(default):
            return lambda _row: _bindable(field.db_value(default()))
        value = _bindable(field.db_value(default))
        return lambda _row: value
    if isinstance(field, DecimalField):
        return lambda row: None if row[name] is None else str(field.db_value(row[name]))
    if isinstance(field, (CharField, IntegerField, ForeignKeyField, TextField, BooleanField)):
        return lambda row: row[name]
    return lambda row: _bindable(field.db_value(row[name]))


def _bindable(value: object) -> object:
    return str(value) if isinstance(value, Decimal) else value


def chunks(values: list, size: int = 500) -> list[list]:  # type: ignore[type-arg]
    """``values`` in slices for ``IN (...)`` lists: SQLite builds (Python's on Windows among
    them) refuse statements with more than 32,766 bound values, and rosters reach 50,000."""
    return [values[i : i + size] for i in range(0, len(values), size)]


def query_rows(query: Any) -> list[tuple[Any, ...]]:
    """Rows of a peewee query as plain tuples, through the driver cursor directly (no per-row
    wrapper): about three times faster than ``.tuples()`` for the hundreds of thousands of
    score and vote rows of a big round."""
    sql, params = query.sql()
    return db.execute_sql(sql, params).fetchall()


WRITE_BUSY_MESSAGE = "另一项导入或保存正在写入数据库，请稍候再试"
"""What a writer is told when another one held the write lock for the whole wait."""

WRITE_WAIT_SECONDS = 10.0
"""How long :func:`write_transaction` keeps trying to take the write lock, in all."""

_RETRY_PAUSE = 0.2  # seconds between attempts (each attempt itself waits the busy timeout)


def is_busy(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite's "database is locked"/"busy" (from the driver or peewee)."""
    if not isinstance(exc, (sqlite3.OperationalError, OperationalError)):
        return False
    text = str(exc).lower()
    return "locked" in text or "busy" in text


class _WriteTransaction:
    """The context manager :func:`write_transaction` returns (see there)."""

    def __init__(self, wait: float) -> None:
        self._wait = wait
        self._inner: Any = None
        self._txn: Any = None
        self._top = False

    def __enter__(self) -> _WriteTransaction:
        if not isinstance(db.obj, SqliteDatabase) or db.in_transaction():
            self._inner = db.atomic()
            self._txn = self._inner.__enter__()
            return self
        self._top = True
        deadline = time.monotonic() + self._wait
        attempt = 0
        while True:
            attempt += 1
            self._inner = db.atomic(lock_type="IMMEDIATE")
            try:
                self._txn = self._inner.__enter__()
                return self
            except (sqlite3.OperationalError, OperationalError) as exc:
                if not is_busy(exc):
                    raise
                left = deadline - time.monotonic()
                if left <= 0:
                    log.warning("write lock not taken after %d attempts: %r", attempt, exc)
                    raise DomainError(WRITE_BUSY_MESSAGE) from None
                log.info("database busy (attempt %d), waiting for the write lock", attempt)
                time.sleep(min(_RETRY_PAUSE, left))

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> bool:
        try:
            handled = bool(self._inner.__exit__(exc_type, exc, tb))
        except (sqlite3.OperationalError, OperationalError) as commit_error:
            if is_busy(commit_error):
                log.warning("commit failed, database busy: %r", commit_error)
                raise DomainError(WRITE_BUSY_MESSAGE) from commit_error
            raise
        if exc is not None and not handled and is_busy(exc):
            # rolled back above; a write inside the block met another writer's lock
            log.warning("write failed, database busy: %r", exc)
            raise DomainError(WRITE_BUSY_MESSAGE) from exc
        return handled

    def rollback(self) -> None:
        """Undo what the block wrote so far; the block goes on in a fresh transaction (which,
        unlike peewee's own rollback, does not wait for the write lock again)."""
        if self._top:
            self._txn.rollback(False)
            db.begin()
        else:
            self._txn.rollback()


def write_transaction(wait: float | None = None) -> _WriteTransaction:
    """A use case's transaction that reads and then writes: on SQLite it takes the write lock
    at once (BEGIN IMMEDIATE), so that a writer who commits in between makes it wait (up to
    the busy timeout) instead of failing at its first write with "database is locked"
    (SQLite cannot turn a read that others have overtaken into a write). Inside an open
    transaction, a savepoint as usual.

    While another connection (another import, another computer on a shared folder) holds
    the write lock, it tries again until ``wait`` seconds have passed (default
    :data:`WRITE_WAIT_SECONDS`), then raises DomainError :data:`WRITE_BUSY_MESSAGE` with
    nothing written; a write inside the block that meets the lock anyway is rolled back and
    told the same way. ``with write_transaction() as txn`` gives ``txn.rollback()``."""
    return _WriteTransaction(WRITE_WAIT_SECONDS if wait is None else wait)
