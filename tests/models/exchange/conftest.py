"""Two offices: the 党校 (a demo database with a finished 县处级进修班, a SQLite file built
once per module and copied per test) and the receiver (the test's own database, SQLite or
PostgreSQL), whose roster arrives first through a unit package of the whole city. For the
round scope, the 县委组织部 (a demo database with the graded 2025 annual round) plays the
sender, and the receiver's roster comes from it."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from models import exchange as ex
from models.core.db import close_database
from models.demo import build_demo
from models.roster.tables import Unit
from models.schema import open_database
from models.training.tables import TrainingClass

TODAY = dt.date(2026, 3, 1)


@contextlib.contextmanager
def on(target: str | Path, back: str | Path | None = None) -> Iterator[None]:
    """Work in the database ``target`` for a while, then go back to ``back`` (if given)."""
    close_database()
    open_database(target)
    try:
        yield
    finally:
        close_database()
        if back is not None:
            open_database(back)


def copy_sqlite(source: Path, dest: Path) -> Path:
    src, dst = sqlite3.connect(source), sqlite3.connect(dest)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return dest


def finished_class() -> int:
    return TrainingClass.get(TrainingClass.status == "已结业").id


def city() -> int:
    return Unit.get(Unit.parent.is_null()).id


@pytest.fixture(scope="module")
def school_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("school") / "school.db"
    build_demo(path, cadres=300, today=TODAY, parts=("training",))
    with on(path):
        ex.set_office("市委党校")
    return path


@pytest.fixture
def school(school_template: Path, tmp_path: Path) -> Path:
    """The 党校's database for this test (a copy it may change)."""
    return copy_sqlite(school_template, tmp_path / "school.db")


@pytest.fixture(scope="module")
def county_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("county") / "county.db"
    build_demo(path, cadres=300, today=TODAY, parts=("assessment",))
    with on(path):
        ex.set_office("县委组织部")
    return path


@pytest.fixture
def county(county_template: Path, tmp_path: Path) -> Path:
    """The 县委组织部's database for this test, with the graded 2025 annual round."""
    return copy_sqlite(county_template, tmp_path / "county.db")


@pytest.fixture
def county_receiver(database, db_target: str, county: Path, tmp_path: Path) -> str:
    """The 市委组织部's database (the test's own), holding the roster received from the
    县委组织部 (so the units are the county's to report on); the open database."""
    roster = tmp_path / "county_roster.cdx"
    with on(county, db_target):
        ex.export_unit(city(), roster)
    ex.set_office("市委组织部")
    assert ex.apply(ex.preview(roster)).added > 300
    return db_target


@pytest.fixture
def receiver(database, db_target: str, school: Path, tmp_path: Path) -> str:
    """The 组织部's database (the test's own), holding the city's roster received from the
    党校, named 市委组织部; it is the open database when the test starts."""
    roster = tmp_path / "roster.cdx"
    with on(school, db_target):
        ex.export_unit(city(), roster)
    ex.set_office("市委组织部")
    result = ex.apply(ex.preview(roster))
    assert result.added > 300
    return db_target
