"""The PostgreSQL driver is loaded only when a shared database is opened (start-up time of
every command and of the app on a SQLite file), and then works as usual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_opening_a_sqlite_file_does_not_load_the_postgres_driver(tmp_path: Path) -> None:
    out = run(
        "import sys\n"
        "from models.schema import open_database\n"
        "import ui.app, ui.main_window\n"
        f"open_database({str(tmp_path / 'a.db')!r})\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'psycopg'))"
    )
    assert out == "[]"


def test_a_postgres_database_gets_the_driver_and_psycopg_imports_as_usual() -> None:
    out = run(
        "import models.core.db as d, peewee\n"
        "before = peewee.psycopg\n"
        "import psycopg\n"  # held back only while peewee itself was imported
        "real = d.make_postgres('postgresql://someone@127.0.0.1:1/nowhere')\n"
        "print(before is None, peewee.psycopg is psycopg, type(real).__name__)"
    )
    assert out == "True True PostgresqlDatabase"


def test_peewee_imported_first_keeps_its_driver() -> None:
    out = run(
        "import peewee\n"
        "import models.core.db as d\n"
        "d.make_postgres('postgresql://someone@127.0.0.1:1/nowhere')\n"
        "print(peewee.psycopg is not None)"
    )
    assert out == "True"
