"""The database: one DatabaseProxy every table binds to, opened for SQLite or PostgreSQL."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from urllib.parse import unquote, urlparse

from peewee import DatabaseProxy, Model, PostgresqlDatabase, SqliteDatabase

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
    u = urlparse(url)
    return PostgresqlDatabase(
        unquote(u.path.lstrip("/")),
        user=unquote(u.username) if u.username else None,
        password=unquote(u.password) if u.password else None,
        host=u.hostname or "localhost",
        port=u.port or 5432,
        autoconnect=True,
    )


def open_database(target: str | Path, *, backup_dir: Path | None = None, migrate: bool = True):
    """Open a SQLite file (or a PostgreSQL URL), bind the proxy and bring the schema up to date.

    A backup is taken before any migration of an existing database (see models.schema).
    """
    from models import schema  # imported here: schema imports the table modules

    target = str(target)
    real = make_postgres(target) if is_postgres_url(target) else make_sqlite(target)
    db.initialize(real)
    real.connect(reuse_if_open=True)
    if migrate:
        schema.migrate(real, backup_dir=backup_dir)
    return real


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
    keys. Values go through each field's db_value, so dates and decimals are stored the way
    peewee stores them. Returns the number of rows.
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

    def value(f, row):  # noqa: ANN001, ANN202
        if f.name in row:
            return row[f.name]
        return f.default() if callable(f.default) else f.default

    params = [tuple(_bindable(f.db_value(value(f, row))) for f in fields) for row in rows]
    db.cursor().executemany(sql, params)
    return len(params)


def _bindable(value: object) -> object:
    from decimal import Decimal

    return str(value) if isinstance(value, Decimal) else value
