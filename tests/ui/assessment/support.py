"""Fixtures for the 年度考核 screens' tests: the demo database with last year's graded annual
round (built once per session, copied for each test) and small helpers."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

TODAY = dt.date(2026, 3, 18)  # the demo round is for 2025
TIE_UNIT = "市住房和城乡建设局"  # the demo's largest unit: a tie exactly at the quota line


@pytest.fixture(scope="session")
def assessment_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from models.demo import build_demo

    path = tmp_path_factory.mktemp("assessment") / "demo.db"
    build_demo(path, cadres=120, seed=1, today=TODAY, parts=("assessment",))
    return path


@pytest.fixture
def assessment_db(assessment_template: Path, tmp_path: Path) -> Iterator[int]:
    """A copy of the demo database, open; yields the id of the 2025 annual round."""
    from models.assessment import find_round
    from models.core.db import close_database
    from models.schema import open_database

    dest = tmp_path / "demo.db"
    shutil.copy(assessment_template, dest)
    for suffix in ("-wal", "-shm"):
        extra = Path(str(assessment_template) + suffix)
        if extra.exists():
            shutil.copy(extra, Path(str(dest) + suffix))
    open_database(dest)
    try:
        yield find_round(2025).id
    finally:
        close_database()


def unit_id_of(name: str) -> int:
    from models.roster import service as roster

    return next(u.id for u in roster.list_units() if u.name == name)
