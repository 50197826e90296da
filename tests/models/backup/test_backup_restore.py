"""Backing up and restoring, on a SQLite file and on PostgreSQL (pg_dump/pg_restore): a
backup is checked and listed; a restore brings back the backed-up data and keeps what was
there as a 恢复前 backup, which can itself be restored."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from models.backup import (
    BEFORE_RESTORE,
    MANUAL,
    backup_now,
    integrity_problem,
    list_backups,
    restore,
    source_of,
)
from models.backup.naming import parse_name
from models.core.db import is_server
from models.roster.tables import Unit
from models.schema import LATEST, open_database


@pytest.fixture
def target(database, db_path: Path) -> str:
    """How the test's database is opened (its file, or its server URL), with pg_dump needed
    on a server."""
    if is_server():
        if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
            pytest.skip("pg_dump/pg_restore are not installed")
        real = database
        p = real.connect_params
        return f"postgresql://{p['user']}@{p['host']}:{p['port']}/{real.database}"
    return str(db_path)


def unit_names() -> list[str]:
    return [u.name for u in Unit.select().order_by(Unit.id)]


def test_a_backup_is_checked_named_and_listed(target: str, tmp_path: Path) -> None:
    Unit.create(name="白银市", sort_order=0)
    source = source_of()
    assert source is not None
    folder = tmp_path / "bk"
    steps: list[tuple[int, int, str]] = []
    info = backup_now(source, folder=folder, progress=lambda d, t, s: steps.append((d, t, s)))
    assert info.path.parent == folder
    assert info.reason == MANUAL
    assert info.size == info.path.stat().st_size > 0
    name = parse_name(info.path.name)
    assert name is not None
    assert name.server == source.server
    assert abs(name.when - dt.datetime.now()) < dt.timedelta(minutes=1)
    assert [b.path for b in list_backups(source, folder)] == [info.path]
    assert list_backups(source, folder)[0].checked
    assert steps[-1][0] == steps[-1][1]  # progress reached its end
    assert not [p for p in folder.iterdir() if p != info.path]  # no temp file left
    if not source.server:
        assert integrity_problem(info.path) is None


def test_restore_brings_back_the_data_and_keeps_a_before_restore_backup(
    target: str, tmp_path: Path
) -> None:
    folder = tmp_path / "bk"
    Unit.create(name="白银市", sort_order=0)
    source = source_of()
    assert source is not None
    first = backup_now(source, folder=folder)
    Unit.create(name="靖远县", sort_order=1)
    assert unit_names() == ["白银市", "靖远县"]

    result = restore(source, first.path, reopen=open_database, latest=LATEST, target=target,
                     folder=folder)  # fmt: skip

    assert unit_names() == ["白银市"]  # the database is open again, on the restored data
    assert result.restored == first.path
    assert result.safety is not None
    assert result.safety.reason == BEFORE_RESTORE
    assert result.safety.path.exists()
    listed = {b.path: b.reason for b in list_backups(source, folder)}
    assert listed == {first.path: MANUAL, result.safety.path: BEFORE_RESTORE}
    # what was there before the restore comes back from its 恢复前 backup
    restore(source, result.safety.path, reopen=open_database, latest=LATEST, target=target,
            folder=folder)  # fmt: skip
    assert unit_names() == ["白银市", "靖远县"]
    Unit.create(name="平川区", sort_order=2)  # and the reopened database takes writes
    assert len(unit_names()) == 3
