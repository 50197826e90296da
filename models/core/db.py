"""The database: one DatabaseProxy every table binds to, opened for SQLite or PostgreSQL."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from peewee import (
    EXCEPTIONS,
    BooleanField,
    CharField,
    DatabaseProxy,
    DecimalField,
    ExceptionWrapper,
    Field,
    ForeignKeyField,
    IntegerField,
    IntegrityError,
    InterfaceError,
    Model,
    OperationalError,
    PeeweeException,  # noqa: F401  (re-exported: what the app and commands catch)
    PostgresqlDatabase,
    SqliteDatabase,
    TextField,
)

from models.core.driver import attach_postgres_driver
from models.core.errors import ConflictError, DomainError

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
    """Whether ``target`` names a PostgreSQL server (``postgresql://…`` or ``postgres://…``,
    in any case) rather than a SQLite file."""
    return str(target).lower().startswith(("postgres://", "postgresql://"))


def display_target(target: str | Path) -> str:
    """How a database is named to the user and in the log: a file's path, or a server URL
    without its password (``postgresql://user@host:port/name``). A password in a URL is
    accepted but never shown; ~/.pgpass or PGPASSWORD is the better place for it.

    Parsed by hand, not by urlparse: a password holding an unescaped ``/``, ``?``, ``#`` or
    ``@`` would end urlparse's netloc early and put part of it in the "path" shown. Anything
    up to the last ``@`` is user information; only the name before its first ``:`` is kept."""
    text = str(target)
    if "://" not in text:
        return text
    scheme, rest = text.split("://", 1)
    if "@" in rest:
        userinfo, rest = rest.rsplit("@", 1)
        user = userinfo.split(":", 1)[0]
        rest = f"{unquote(user)}@{rest}" if user else rest
    return f"{scheme}://{rest.split('?', 1)[0].split('#', 1)[0]}"


def current_target() -> str:
    """The open database as :func:`display_target` names it ("" when none is open)."""
    real = db.obj
    if real is None:
        return ""
    if isinstance(real, SqliteDatabase):
        return str(real.database)
    params = real.connect_params
    user = params.get("user")
    host = params.get("host") or "localhost"
    port = params.get("port") or 5432
    return f"postgresql://{user + '@' if user else ''}{host}:{port}/{real.database}"


def is_server(real: Any = None) -> bool:
    """Whether the open database (or ``real``) is a PostgreSQL server, not a SQLite file."""
    return isinstance(real if real is not None else db.obj, PostgresqlDatabase)


def worker_target() -> tuple[str, str, dict[str, Any]] | None:
    """How a worker process opens the bound database itself (:func:`bind_worker`):
    ``("sqlite", path, {})`` for a file, ``("postgres", name, connection parameters)`` for a
    server; None for an in-memory database, which no other process can see. The parameters
    may hold the password given in the address: they go to the workers, never to a log."""
    real = db.obj
    if isinstance(real, SqliteDatabase):
        path = str(real.database)
        if path in ("", ":memory:") or path.startswith("file::memory:"):
            return None
        return ("sqlite", path, {})
    if isinstance(real, PostgresqlDatabase):
        return ("postgres", str(real.database), dict(real.connect_params))
    return None


def bind_worker(target: tuple[str, str, dict[str, Any]]) -> None:
    """Bind this worker process to the database of :func:`worker_target`, as it is (the
    process that started the worker has brought its schema up to date)."""
    kind, name, params = target
    if kind == "sqlite":
        db.initialize(make_sqlite(name))
    else:
        attach_postgres_driver()
        db.initialize(PostgresqlDatabase(name, autoconnect=True, **params))


def make_sqlite(path: str | Path) -> SqliteDatabase:
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    return SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, timeout=5, autoconnect=True)


def make_postgres(url: str) -> PostgresqlDatabase:
    """A shared departmental database on a PostgreSQL server (psycopg 3, an optional
    dependency: requirements-postgres.txt). Without a password in the URL, the driver reads
    PGPASSWORD or ~/.pgpass (%APPDATA%\\postgresql\\pgpass.conf on Windows) as psql does."""
    if not attach_postgres_driver():
        raise DomainError(
            "连接 PostgreSQL 共享数据库需要先安装数据库驱动 psycopg："
            'pip install -r requirements-postgres.txt（或 pip install "psycopg[binary]"）'
        )
    u = urlparse(url)
    name = unquote(u.path.lstrip("/"))
    try:
        port = u.port or 5432
    except ValueError:
        port = -1
    if not name or port < 0 or "/" in name:
        raise DomainError(
            f"数据库地址 {display_target(url)} 无法识别，应写作 postgresql://账号@主机:端口/库名；"
            "密码请放在 ~/.pgpass 或环境变量 PGPASSWORD 中（写在地址里时，其中的 / ? # @ : "
            "须写成 %2F %3F %23 %40 %3A）"
        )
    options: dict[str, Any] = {
        "user": unquote(u.username) if u.username else None,
        "host": u.hostname or "localhost",
        "port": port,
        "connect_timeout": 10,
        "application_name": "CadreDesk",
        # the JIT compiler spends seconds on the first run of a complex query and saves
        # nothing on a department's data sizes; a write waiting longer than 15 s for a row
        # another client holds gives up and is told (is_contention) instead of hanging
        "options": "-c jit=off -c lock_timeout=15000",
    }
    if u.password:
        options["password"] = unquote(u.password)
    return PostgresqlDatabase(name, autoconnect=True, **options)


def connect_error_text(exc: BaseException, target: str) -> str:
    """Why a server could not be reached, in Chinese (never the driver's English text, which
    may also repeat connection details)."""
    text = str(exc).lower()
    where = display_target(target)
    if "password" in text and ("no password" in text or "fe_sendauth" in text):
        return (
            f"数据库服务器 {where} 要求密码：请把密码保存在 ~/.pgpass（Windows 为 "
            "%APPDATA%\\postgresql\\pgpass.conf）中，或设置环境变量 PGPASSWORD"
        )
    if "password authentication failed" in text or "authentication failed" in text:
        return f"数据库服务器 {where} 拒绝登录：账号或密码不对"
    if "does not exist" in text and "database" in text:
        return f"数据库服务器上没有数据库 {where}，请先请管理员建立（createdb）"
    if "timeout" in text or "timed out" in text:
        return f"连接数据库服务器 {where} 超时，请检查网络和服务器"
    return f"无法连接数据库服务器 {where}：服务器未启动、地址或端口不对，或网络不通"


def database_error_text(exc: BaseException) -> str:
    """A database error no use case foresaw, in Chinese (the driver's English text, which
    may repeat connection details, goes to the log only), with PostgreSQL's SQLSTATE code
    for whoever looks after the server."""
    log.error("database error: %r", exc)
    cause = exc.__cause__ or exc.__context__ or exc
    code = getattr(cause, "sqlstate", None)
    text = str(exc).lower()
    if code in {"42501"} or "permission denied" in text:
        why = "数据库账号没有所需的权限，请联系数据库管理员"
    elif isinstance(exc, InterfaceError) or "closed" in text or "terminat" in text:
        why = "与数据库服务器的连接已断开，请检查网络和服务器后重新运行"
    elif "malformed" in text or "not a database" in text:
        why = "数据库文件已损坏，请在“备份与恢复”中用最近的备份恢复"
    else:
        why = "数据库操作失败，没有保存任何修改；请重试，仍不行时请联系维护人员"
    return f"{why}（代码 {code}）" if code else why


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
    executemany(sql, params)
    return len(params)


_DRIVER_ERRORS = ExceptionWrapper(EXCEPTIONS)  # what peewee's own execute_sql does


def executemany(sql: str, params: list[tuple[Any, ...]]) -> int:
    """Run ``sql`` once per parameter tuple through the driver (one prepared statement);
    returns the number of rows affected in all (both drivers sum them). The driver's errors
    come out as peewee's (IntegrityError, OperationalError…), as from any peewee query, so
    that :func:`write_transaction` can tell a unique-key clash or a busy database."""
    cursor = db.cursor()
    with _DRIVER_ERRORS:
        cursor.executemany(sql, params)
    return cursor.rowcount


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


def is_unique_violation(exc: BaseException) -> bool:
    """Whether ``exc`` is a unique index refusing a second row with the same key (SQLite's
    "UNIQUE constraint failed", PostgreSQL's SQLSTATE 23505)."""
    if not isinstance(exc, IntegrityError):
        return False
    cause = exc.__cause__ or exc.__context__
    if getattr(cause, "sqlstate", None) == "23505":
        return True
    text = str(exc)
    return "UNIQUE constraint failed" in text or "duplicate key value" in text


REFERENCE_CHANGED = "保存未完成：要用到的记录刚被他人删除，或要删除的记录刚被他人使用。请刷新后重试"
"""What a writer is told when a foreign key refused its write (see is_reference_violation)."""


def is_reference_violation(exc: BaseException) -> bool:
    """Whether ``exc`` is a foreign key refusing a write (SQLite's "FOREIGN KEY constraint
    failed", PostgreSQL's SQLSTATE 23503): between this use case's checks and its write,
    another client deleted what it refers to, or referred to what it deletes."""
    if not isinstance(exc, IntegrityError):
        return False
    cause = exc.__cause__ or exc.__context__
    if getattr(cause, "sqlstate", None) == "23503":
        return True
    return "FOREIGN KEY constraint failed" in str(exc)


def is_contention(exc: BaseException) -> bool:
    """Whether ``exc`` is PostgreSQL ending a transaction because of another one (deadlock,
    serialization failure, lock timeout): nothing was written and trying again may work."""
    cause = exc.__cause__ or exc.__context__
    return getattr(cause, "sqlstate", None) in {"40001", "40P01", "55P03"}


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
        nested = db.in_transaction()
        if not isinstance(db.obj, SqliteDatabase) or nested:
            self._top = not nested
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
        if exc is not None and not handled and self._top and is_unique_violation(exc):
            # rolled back above: another client inserted the same key since this one read
            log.warning("insert met a row written meanwhile: %s", type(exc).__name__)
            raise ConflictError(action="同时新增") from exc
        if exc is not None and not handled and self._top and is_reference_violation(exc):
            # rolled back above: a record this one refers to was deleted meanwhile, or one
            # being deleted is now referred to by a record another client just saved
            log.warning("write met a reference changed meanwhile: %s", type(exc).__name__)
            raise ConflictError(text=REFERENCE_CHANGED) from exc
        if exc is not None and not handled and self._top and is_contention(exc):
            log.warning("transaction aborted by the server: %s", type(exc).__name__)
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
