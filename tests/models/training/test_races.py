"""Two processes edit the same timetable half-day (100 times each) and the same attendance
record (50 times each, starting from none: an insert race), on SQLite and PostgreSQL: every
save either lands or is refused with the Chinese conflict message, so nothing is lost and
no raw driver error gets through."""

from __future__ import annotations

import multiprocessing

import pytest

from models.core.audit import ChangeLog
from models.core.db import close_database
from models.training import get_session, list_sessions, session_attendance, update_session
from models.training.tables import TRAINING_TABLES
from tests.models.training import race_workers as workers
from tests.models.training.test_classes import cadre
from tests.models.training.test_trainees import planned_class


@pytest.fixture
def lecture(database, units, db_target):
    """A planned class with one trainee; its lecture's title is '0'."""
    database.create_tables(TRAINING_TABLES)
    zhang = cadre(units, "张一")
    cls, _ = planned_class(units, [zhang])
    s = next(x for x in list_sessions(cls) if x.course_id is not None and x.mode == "课堂教学")
    update_session(s.id, title="0")
    return db_target, s.id, zhang


def _run_two(func, *args):
    """``func(*args, actor)`` in two processes at once; their results."""
    close_database()  # the children open their own connections
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        pending = [pool.apply_async(func, (*args, actor)) for actor in ("张三", "李四")]
        return [p.get(timeout=240) for p in pending]


def _reopen(target: str) -> None:
    from models.schema import open_database

    open_database(target)


def test_two_processes_on_one_session_lose_nothing(lecture):
    target, session_id, _ = lecture
    results = _run_two(workers.bump_session, target, session_id)
    _reopen(target)
    assert [r["raw"] for r in results] == [[], []]
    assert [r["done"] for r in results] == [workers.ROUNDS, workers.ROUNDS]
    s = get_session(session_id)
    assert s.title == str(2 * workers.ROUNDS)  # 200 increments, none lost
    entries = list(
        ChangeLog.select()
        .where(
            (ChangeLog.entity == "class_session")
            & (ChangeLog.entity_id == session_id)
            & (ChangeLog.field == "title")
            & (ChangeLog.user.in_(["张三", "李四"]))
        )
        .order_by(ChangeLog.id)
    )
    assert len(entries) == 2 * workers.ROUNDS
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.old_value == before.new_value  # each writer replaced what it saw


def test_two_processes_on_one_attendance_record_lose_nothing(lecture):
    target, session_id, zhang = lecture
    results = _run_two(workers.bump_attendance, target, session_id, zhang)
    _reopen(target)
    assert [r["raw"] for r in results] == [[], []]
    row = next(r for r in session_attendance(session_id) if r.cadre_id == zhang)
    assert row.note == str(workers.ROUNDS)  # 2 × 50 increments, none lost
    assert row.version == workers.ROUNDS  # inserted once, then changed 99 times
