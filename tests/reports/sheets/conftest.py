"""The demo database the batch tests print from: built once per test module, opened by
``demo`` (read only: a test that changes it opens a copy, see test_batch's ``own_demo``)."""

from __future__ import annotations

import pytest

from models.core.db import close_database
from models.schema import open_database
from tests.reports.conftest import make_demo_db


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    return make_demo_db(tmp_path_factory)


@pytest.fixture
def demo(demo_db, bundled_fonts):  # noqa: ANN001, ANN201
    open_database(demo_db[0])
    yield demo_db[1]
    close_database()
