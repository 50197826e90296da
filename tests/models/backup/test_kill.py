"""kill -9 during a backup: a child process writes to a database of some MB and backs it up in
a loop; it is killed (SIGKILL) while a backup is being written. Afterwards the database
passes integrity_check, every file named as a backup passes it too (no half file under a
backup's name), and the backups made before the kill are unchanged."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from models.backup import integrity_problem
from models.backup.naming import parse_name
from models.core.db import close_database
from models.schema import open_database

ROOT = Path(__file__).resolve().parents[3]
ROUNDS = 4

CHILD = """
import sqlite3, sys
from pathlib import Path
from models.backup import Source, backup_now

db, folder = Path(sys.argv[1]), Path(sys.argv[2])
con = sqlite3.connect(db, timeout=10)
while True:
    con.execute("INSERT INTO filler (data) VALUES (randomblob(3000))")
    con.commit()
    backup_now(Source(path=db), folder=folder)
    print("done", flush=True)
"""


def make_database(path: Path, megabytes: int = 8) -> None:
    open_database(path)
    close_database()
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=wal")
    con.execute("CREATE TABLE filler (id INTEGER PRIMARY KEY, data BLOB)")
    rows = megabytes * 1024 * 1024 // 3000
    con.executemany("INSERT INTO filler (data) VALUES (randomblob(3000))", [()] * rows)
    con.commit()
    con.close()


def named_backups(folder: Path) -> dict[Path, str]:
    """Every file named as a backup, with the hash of its content."""
    return {
        p: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.iterdir()
        if parse_name(p.name) is not None
    }


def db_integrity(path: Path) -> list[str]:
    con = sqlite3.connect(path)  # a writable connection: it recovers the WAL the child left
    try:
        return [r[0] for r in con.execute("PRAGMA integrity_check")]
    finally:
        con.close()


def run_and_kill(db: Path, folder: Path, backups_first: int) -> bool:
    """Start the child, let it finish ``backups_first`` backups, then kill it as soon as a
    temporary backup file appears; True when it was killed in the middle of a backup."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db), str(folder)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(backups_first):
            line = child.stdout.readline()  # type: ignore[union-attr]
            assert line == "done\n", child.stderr.read()  # type: ignore[union-attr]
        seen_before = set(folder.glob(".*.tmp"))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if set(folder.glob(".*.tmp")) - seen_before:
                break
            time.sleep(0.0005)
        mid_backup = bool(set(folder.glob(".*.tmp")) - seen_before)
        child.kill()  # SIGKILL on POSIX: no cleanup, no finally blocks
    finally:
        child.wait(30)
        child.stdout.close()  # type: ignore[union-attr]
        child.stderr.close()  # type: ignore[union-attr]
    return mid_backup


def test_kill_9_during_backups_leaves_the_database_and_every_backup_intact(
    tmp_path: Path,
) -> None:
    db = tmp_path / "cadredesk.db"
    folder = tmp_path / "backups"
    folder.mkdir()
    make_database(db)
    assert db.stat().st_size > 7 * 1024 * 1024
    killed_mid_backup = 0
    for k in range(ROUNDS):
        before = named_backups(folder)
        killed_mid_backup += run_and_kill(db, folder, backups_first=1 + k % 2)
        assert db_integrity(db) == ["ok"]
        after = named_backups(folder)
        assert len(after) > len(before)
        for path, digest in after.items():
            assert integrity_problem(path) is None, path.name  # no half file under a final name
            if path in before:
                assert digest == before[path], f"{path.name} changed"  # older backups untouched
    assert killed_mid_backup >= ROUNDS - 1  # the kills really landed inside backups
    leftovers = [p.name for p in folder.iterdir() if parse_name(p.name) is None]
    assert all(".tmp" in name for name in leftovers)  # only temporary files are left over
