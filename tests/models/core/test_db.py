import datetime as dt
import sqlite3
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from models.core import db as dbmod
from models.core.audit import ChangeLog
from models.core.db import WRITE_BUSY_MESSAGE, bulk_insert, db, write_transaction
from models.core.errors import DomainError
from models.roster.tables import Cadre


def test_bulk_insert_stores_rows_exactly_as_peewee_does(units):
    row = {
        "name": "张三",
        "sex": "男",
        "birth_date": dt.date(1975, 3, 12),
        "unit": units["org"],
        "id_card": "620421197503120014",
        "party_date": None,
    }
    is_sqlite = isinstance(db.obj, SqliteDatabase)
    Cadre.insert(**row).execute()
    bulk_insert(Cadre, [{**row, "id_card": "620402198805200023"}])
    stored_type = "typeof(created_at)" if is_sqlite else "pg_typeof(created_at)::text"
    raw = db.execute_sql(
        "SELECT name, sex, birth_date, unit_id, party_date, status, version, notes,"
        f" {stored_type} FROM cadre ORDER BY id"
    ).fetchall()
    assert raw[0] == raw[1]
    birth = "1975-03-12" if is_sqlite else dt.date(1975, 3, 12)  # PostgreSQL has a date type
    assert raw[1][:7] == ("张三", "男", birth, units["org"], None, "在职", 1)
    b = Cadre.get(Cadre.id_card == "620402198805200023")
    assert b.birth_date == dt.date(1975, 3, 12)
    assert isinstance(b.created_at, dt.datetime)


def test_bulk_insert_of_nothing_and_of_many(database):
    assert bulk_insert(ChangeLog, []) == 0
    n = bulk_insert(
        ChangeLog,
        [
            {
                "user": "u",
                "entity": "x",
                "entity_id": i,
                "action": "新增",
                "new_value": str(Decimal("1.50")),
            }
            for i in range(3)
        ],
    )
    assert n == 3
    assert [r.entity_id for r in ChangeLog.select().order_by(ChangeLog.id)] == [0, 1, 2]


# ----------------------------------------------------------------- the write lock (issue #11)


class OtherWriter:
    """A second connection to the same database file holding the write lock, as another
    import (or another computer on a shared folder) does while it writes."""

    def __init__(self, path: Path) -> None:
        self.con = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.con.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        if self.con.in_transaction:
            self.con.execute("ROLLBACK")

    def release_after(self, seconds: float) -> threading.Timer:
        timer = threading.Timer(seconds, self.release)
        timer.start()
        return timer


@pytest.fixture
def other_writer(database, db_path, monkeypatch):
    """Another connection holds the write lock; this connection's busy timeout is 50 ms
    and write_transaction waits 0.3 s in all, so that the tests are fast."""
    db.execute_sql("PRAGMA busy_timeout = 50")
    monkeypatch.setattr(dbmod, "WRITE_WAIT_SECONDS", 0.3)
    other = OtherWriter(db_path)
    yield other
    other.release()
    other.con.close()


def snapshot() -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows, to show that nothing was written."""
    tables = [
        t
        for (t,) in db.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ).fetchall()
    ]
    return {t: sorted(db.execute_sql(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}


def _log(entity_id: int) -> None:
    ChangeLog.create(user="u", entity="x", entity_id=entity_id, action="新增")


@pytest.mark.sqlite_only  # SQLite's write lock
def test_a_writer_meeting_another_writer_is_told_in_chinese_and_writes_nothing(other_writer):
    before = snapshot()
    started = time.monotonic()
    entered: list[int] = []

    def write() -> None:
        with write_transaction():
            entered.append(1)
            _log(1)

    with pytest.raises(DomainError) as err:
        write()
    waited = time.monotonic() - started
    assert err.value.message == "另一项导入或保存正在写入数据库，请稍候再试"
    assert err.value.message == WRITE_BUSY_MESSAGE
    assert entered == []
    assert 0.3 <= waited < 3  # it waited (and tried again) before giving up
    assert not db.in_transaction()
    assert snapshot() == before
    other_writer.release()
    with write_transaction():  # the lock free again: works as before
        _log(2)
    assert [r.entity_id for r in ChangeLog.select()] == [2]


@pytest.mark.sqlite_only  # SQLite's write lock
def test_a_writer_goes_on_when_the_lock_is_released_during_the_wait(other_writer):
    timer = other_writer.release_after(0.2)
    started = time.monotonic()
    with write_transaction(wait=5):
        _log(1)
    timer.join()
    assert time.monotonic() - started >= 0.15
    assert [r.entity_id for r in ChangeLog.select()] == [1]


def test_the_default_wait_is_about_ten_seconds():
    assert 5 <= dbmod.WRITE_WAIT_SECONDS <= 15


@pytest.mark.sqlite_only  # SQLite's write lock
def test_rollback_inside_does_not_wait_for_the_lock_again(database, db_path):
    db.execute_sql("PRAGMA busy_timeout = 50")
    with write_transaction(wait=0) as txn:
        _log(1)
        txn.rollback()
        # the block goes on in a plain transaction: another writer may take the lock now
        other = OtherWriter(db_path)
        other.release()
        other.con.close()
    assert ChangeLog.select().count() == 0


def _write_then(fail: Exception | None = None, sql: str = "") -> None:
    with write_transaction():
        _log(1)
        if sql:
            db.cursor().execute(sql)
        if fail is not None:
            raise fail


@pytest.mark.sqlite_only  # SQLite's write lock
def test_database_is_locked_inside_the_block_is_rolled_back_and_told_in_chinese(database):
    with pytest.raises(DomainError, match="另一项导入或保存正在写入数据库"):
        _write_then(sqlite3.OperationalError("database is locked"))
    assert ChangeLog.select().count() == 0
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        _write_then(sql="SELECT * FROM no_such_table")
    assert ChangeLog.select().count() == 0


def test_inside_a_transaction_it_is_a_savepoint(database):
    def inner() -> None:
        with write_transaction():
            _log(2)
            raise ValueError("x")

    with write_transaction():
        _log(1)
        with pytest.raises(ValueError, match="x"):
            inner()
        _log(3)
    assert [r.entity_id for r in ChangeLog.select().order_by(ChangeLog.id)] == [1, 3]


def test_a_key_inserted_meanwhile_is_a_chinese_conflict_and_nothing_is_written(units):
    """Two clients inserting the same key: the second is told in Chinese (not the driver's
    UniqueViolation / "UNIQUE constraint failed") and its whole use case is undone."""
    from models.core.errors import ConflictError
    from models.roster.tables import Unit

    row = {
        "name": "张三",
        "sex": "男",
        "birth_date": dt.date(1975, 3, 12),
        "unit": units["org"],
        "id_card": "620421197503120014",
    }
    Cadre.insert(**row).execute()

    def use_case() -> None:
        with write_transaction():
            Unit.create(name="新单位", sort_order=9)
            Cadre.insert(**{**row, "name": "张三丰"}).execute()

    with pytest.raises(ConflictError) as caught:
        use_case()
    assert str(caught.value) == "该记录已被他人同时新增，请刷新后重试"
    assert not Unit.select().where(Unit.name == "新单位").exists()
    assert [c.name for c in Cadre.select()] == ["张三"]


def test_a_record_deleted_meanwhile_is_a_chinese_conflict_and_nothing_is_written(units):
    """The unit a new cadre is saved into was deleted by another client after this one
    checked it: the foreign key refuses, and the user reads Chinese, not the driver."""
    from models.core.errors import ConflictError
    from models.roster.tables import Unit

    def use_case() -> None:
        with write_transaction():
            Unit.create(name="新单位", sort_order=9)
            Cadre.insert(
                name="张三",
                sex="男",
                birth_date=dt.date(1975, 3, 12),
                unit=99_999,  # gone
                id_card="620421197503120014",
            ).execute()

    with pytest.raises(ConflictError) as caught:
        use_case()
    assert str(caught.value) == (
        "保存未完成：要用到的记录刚被他人删除，或要删除的记录刚被他人使用。请刷新后重试"
    )
    assert not Unit.select().where(Unit.name == "新单位").exists()
    assert Cadre.select().count() == 0
