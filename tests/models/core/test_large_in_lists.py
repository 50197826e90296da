"""SQLite refuses statements with more bound values than its limit: 32,766 in current builds
(Python's on Windows among them), 999 in builds before 3.32 that older Linux systems still
ship; a roster has up to 50,000 cadres. With the limit lowered to 999 on a 1,200-cadre
database, the use cases that touch everyone must still work."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from models.core.db import close_database, db
from models.demo import build_demo
from models.roster import service as roster
from models.schema import open_database

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "big.db"
    build_demo(path, cadres=1200, seed=4, today=TODAY)
    return path


@pytest.fixture
def limited(big, tmp_path):
    copy = tmp_path / "big.db"
    src = sqlite3.connect(big)
    dst = sqlite3.connect(copy)
    src.backup(dst)
    src.close()
    dst.close()
    open_database(copy)
    db.connection().setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
    with pytest.raises(sqlite3.OperationalError, match="too many SQL variables"):
        db.connection().execute(f"SELECT 1 WHERE 1 IN ({','.join(['?'] * 1000)})", [1] * 1000)
    yield
    close_database()


def test_roster_export_and_shortfall_list_over_everyone(limited):
    from models.training import hours_report

    ids = roster.query_ids(roster.RosterFilter(status=""))
    assert len(ids) == 1200
    assert len(list(roster.iter_cadres(ids))) == 1200
    assert len(roster.fetch_rows(ids)) == 1200
    rows = hours_report(TODAY.year)
    assert rows  # the demo's cadres are mostly short of 学时


def test_grading_a_round_of_everyone(limited):
    from models.assessment import find_round
    from models.assessment.grading import compute_grades, stale_people

    rnd = find_round(TODAY.year - 1)
    result = compute_grades(rnd.id, user="测试")
    assert len(result.people) > 999
    assert stale_people(rnd.id) == []


def test_enrol_by_filter_over_everyone(limited):
    from models.training import ClassInput, enrol, save_class

    cls = save_class(
        ClassInput(
            name="全员轮训",
            level="专题班",
            start=dt.date(2027, 3, 1),
            end=dt.date(2027, 3, 5),
            class_size=2000,
        )
    )
    result = enrol(cls.id, min_age=18)
    assert len(result.added) > 999
