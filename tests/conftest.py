"""Shared fixtures: every test gets its own temporary database and never a real screen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "cadredesk.db"


@pytest.fixture
def database(db_path: Path):
    """A fresh, migrated SQLite database bound to models.core.db.db for the test."""
    from models.core.db import close_database
    from models.schema import open_database

    real = open_database(db_path)
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
