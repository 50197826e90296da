"""Shared fixtures: every test gets its own temporary database and never a real screen,
and no test leaves a file outside its tmp_path.

The run gets a private home and temp folder (HOME, the XDG folders and TMPDIR point into one
folder made for the run, removed at its end): the user's real data folder, settings and
backups are never touched, also by the commands the tests start. ``_no_leftovers`` checks
after every test that the private home and temp folder hold nothing new: a test that leaves
a file there (a log, a backup, a settings file, a PDF) fails, naming it.
"""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_SANDBOX = Path(tempfile.mkdtemp(prefix="cadredesk-tests-"))
HOME = _SANDBOX / "home"
TEMP = _SANDBOX / "tmp"
for _folder in (HOME, TEMP):
    _folder.mkdir()
os.environ["HOME"] = str(HOME)
for _name, _sub in (
    ("XDG_DATA_HOME", ".local/share"),
    ("XDG_CONFIG_HOME", ".config"),
    ("XDG_CACHE_HOME", ".cache"),
    ("XDG_STATE_HOME", ".local/state"),
):
    os.environ[_name] = str(HOME / _sub)
os.environ["TMPDIR"] = str(TEMP)
tempfile.tempdir = None  # gettempdir() reads TMPDIR again
atexit.register(shutil.rmtree, _SANDBOX, ignore_errors=True)

_NOT_LEFTOVERS = (
    HOME / ".cache",  # fontconfig's and Mesa's caches, made by the libraries, not the tests
    TEMP / f"pytest-of-{os.environ.get('USER') or os.getuid()}",  # pytest's own tmp_path
)


def _files_in(folder: Path) -> set[Path]:
    found: set[Path] = set()
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        dirs[:] = [
            d
            for d in dirs
            if here / d not in _NOT_LEFTOVERS and not d.startswith(("pytest-of-", "pymp-"))
        ]
        found.update(here / f for f in files)
    return found


def files_outside_tmp_path() -> set[Path]:
    """The files in the run's home and temp folders, leaving out pytest's tmp_path folders
    and the libraries' caches."""
    return _files_in(HOME) | _files_in(TEMP)


def new_files(before: set[Path]) -> list[str]:
    return sorted(str(p) for p in files_outside_tmp_path() - before)


@pytest.fixture(autouse=True)
def _no_leftovers() -> Iterator[None]:
    """Fails the test when it leaves a file in the home or temp folder (outside tmp_path).
    Not under mutation testing (benchmarks/mutation.sh): mutmut's parallel workers share the
    run's folders, so one worker's file would fail another's test and count as a kill."""
    if os.environ.get("MUTANT_UNDER_TEST"):
        yield
        return
    before = files_outside_tmp_path()
    yield
    left = new_files(before)
    if left:
        for p in left:  # the next test starts clean
            Path(p).unlink(missing_ok=True)
        pytest.fail(
            "the test left files outside its tmp_path:\n  " + "\n  ".join(left), pytrace=False
        )


PG_DSN = os.environ.get("TEST_PG_DSN", "")
"""A PostgreSQL server for the ``pg`` half of the suite (``.ci/run`` starts a private one);
without it those tests are skipped."""

_MODELS_TESTS = Path(__file__).parent / "models"
_pg_names = itertools.count(1)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every models/ test that uses the ``database`` fixture runs on SQLite and PostgreSQL."""
    if "database" not in metafunc.fixturenames:
        return
    if _MODELS_TESTS not in Path(str(metafunc.definition.path)).parents:
        return
    if metafunc.definition.get_closest_marker("sqlite_only"):
        metafunc.parametrize("database", ["sqlite"], indirect=True)
        return
    metafunc.parametrize(
        "database",
        ["sqlite", pytest.param("pg", marks=pytest.mark.pg)],
        indirect=True,
    )


def _pg_admin():
    import psycopg

    return psycopg.connect(PG_DSN, autocommit=True)


def _pg_url(name: str) -> str:
    from urllib.parse import urlparse

    return urlparse(PG_DSN)._replace(path="/" + name).geturl()


@pytest.fixture(scope="session")
def pg_template():
    """A migrated PostgreSQL database every ``pg`` test copies (CREATE DATABASE … TEMPLATE):
    much faster than creating the tables for each test."""
    if not PG_DSN:
        if os.environ.get("CADREDESK_REQUIRE_PG"):
            pytest.fail("CADREDESK_REQUIRE_PG is set but TEST_PG_DSN is not")
        pytest.skip("TEST_PG_DSN is not set: no PostgreSQL server for this run")
    from models.core.db import close_database
    from models.schema import open_database

    name = f"cadredesk_tpl_{os.getpid()}"
    with _pg_admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    open_database(_pg_url(name))
    close_database()
    yield name
    with _pg_admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url(request):
    """The URL of a fresh, migrated, empty PostgreSQL database for this test (dropped after)."""
    template = request.getfixturevalue("pg_template")
    name = f"cadredesk_t{os.getpid()}_{next(_pg_names)}"
    with _pg_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    yield _pg_url(name)
    with _pg_admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "cadredesk.db"


@pytest.fixture
def database(request, db_path: Path):
    """A fresh, migrated database bound to models.core.db.db for the test: SQLite, and for
    the tests under tests/models also PostgreSQL (the ``pg`` parameter)."""
    from models.core.db import close_database
    from models.schema import open_database

    backend = getattr(request, "param", "sqlite")
    target = request.getfixturevalue("pg_url") if backend == "pg" else db_path
    real = open_database(target)
    yield real
    close_database()


@pytest.fixture
def units(database):
    """A small unit tree: 白银市 > 市委 > 市委组织部, 白银市 > 靖远县 > 乌兰镇."""
    from models.roster.tables import Unit

    city = Unit.create(name="白银市", sort_order=0)
    party = Unit.create(name="市委", parent=city, sort_order=1)
    org = Unit.create(name="市委组织部", parent=party, sort_order=2)
    county = Unit.create(name="靖远县", parent=city, sort_order=3)
    town = Unit.create(name="乌兰镇", parent=county, sort_order=4)
    return {"city": city.id, "party": party.id, "org": org.id, "county": county.id, "town": town.id}


@pytest.fixture
def db_target(request, database, db_path: Path) -> str:
    """What a command's ``--db`` names for the test's database: the SQLite file, or the
    PostgreSQL URL on the ``pg`` half."""
    from models.core.db import is_server

    return request.getfixturevalue("pg_url") if is_server(database) else str(db_path)


@pytest.fixture
def cli_db_args(request, db_target: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ``--db`` arguments a command needs for the test's database. A shared PostgreSQL
    database is used with accounts only: on the ``pg`` half its 系统管理员 is made (created
    last in the test's set-up, after which every write needs a login) and the command logs
    in with ``--user`` and CADREDESK_PASSWORD, as a department's clerk would."""
    from models.core.db import is_postgres_url

    if not is_postgres_url(db_target):
        return ["--db", db_target]
    from models.accounts import create_first_admin

    create_first_admin("admin", "管理员", "Admin2026")
    monkeypatch.setenv("CADREDESK_PASSWORD", "Admin2026")
    return ["--db", db_target, "--user", "admin"]
