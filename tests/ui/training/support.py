"""Fixtures for the training screens' tests: a small demo database (built once per session
with a fixed 'today', then copied for each test) and helpers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# The demo's classes, for today = 2026-03-18 (a Wednesday): 进行中 runs Mon 2026-03-09 to
# Fri 03-27, 筹备 Mon 03-23 to Fri 04-10 (they share the week of 03-23), 已结业 ended in
# January. Attendance of the running class is recorded for the half-days before 03-18.
TODAY = dt.date(2026, 3, 18)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from models.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path, cadres=120, seed=1, today=TODAY)
    return path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Iterator[dict[str, int]]:
    """A copy of the demo database, open; class ids by status."""
    from models.core.db import close_database
    from models.schema import open_database
    from models.training import list_classes

    dest = tmp_path / "demo.db"
    shutil.copy(demo_template, dest)
    for suffix in ("-wal", "-shm"):
        extra = Path(str(demo_template) + suffix)
        if extra.exists():
            shutil.copy(extra, Path(str(dest) + suffix))
    open_database(dest)
    try:
        yield {c.status: c.id for c in list_classes()}
    finally:
        close_database()


def extend_class(class_id: int, days: int) -> None:
    """Move a class's end date ``days`` later (free half-days to move sessions to)."""
    from models.training import ClassInput, get_class, save_class

    c = get_class(class_id)
    values = {k: v for k, v in dataclasses.asdict(c).items() if k != "enrolled"}
    values["end"] = c.end + dt.timedelta(days=days)
    save_class(ClassInput(**values))
