"""The demo database with last year's 单位考评 (two half-year inspections), built once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from models.core.db import close_database
from models.demo import build_demo
from models.schema import open_database


@pytest.fixture(scope="module")
def demo_eval_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("evaluation") / "demo.db"
    build_demo(path, cadres=120, today=dt.date(2026, 12, 7), parts=("evaluation",))
    return path


@pytest.fixture
def demo_eval(demo_eval_path, bundled_fonts):  # noqa: ANN001, ANN201
    open_database(demo_eval_path)
    yield demo_eval_path
    close_database()
