"""Two processes edit the same score / the same cadre 100 times each, on SQLite and on
PostgreSQL: every save either lands or is refused with the Chinese conflict message, so
nothing is lost and no raw driver error gets through."""

from __future__ import annotations

import datetime as dt
import multiprocessing
from decimal import Decimal

import pytest

from models.assessment.members import add_unit_members
from models.assessment.rounds import create_round
from models.assessment.scores import ScoreCell, person_scores, set_score, set_scores
from models.core.audit import ChangeLog, set_actor
from models.core.db import close_database
from models.core.errors import ConflictError
from models.roster import service as roster
from models.roster.tables import Cadre
from tests.models.concurrency import workers


@pytest.fixture
def one_person(database, units, db_target):
    cid = Cadre.create(
        name="甲",
        sex="男",
        birth_date=dt.date(1975, 3, 12),
        unit=units["org"],
        id_card="620421197503120014",
    ).id
    rnd = create_round(2025)
    add_unit_members(rnd.id, units["org"])
    return db_target, rnd.id, cid


def _run_two(func, *args):
    """``func(*args, actor)`` in two processes at once; their results."""
    close_database()  # the children open their own connections
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        pending = [pool.apply_async(func, (*args, actor)) for actor in ("张三", "李四")]
        return [p.get(timeout=240) for p in pending]


def test_two_processes_on_one_score_lose_nothing(one_person):
    target, round_id, cid = one_person
    results = _run_two(workers.bump_score, target, round_id, cid, "de")
    assert [r["raw"] for r in results] == [[], []]
    assert [r["done"] for r in results] == [workers.ROUNDS, workers.ROUNDS]
    # 200 successful increments of 0.1, none lost
    assert person_scores(round_id, cid)["de"] == Decimal("20.0")
    # every change-log entry's old value is the value its writer saw and replaced
    entries = list(ChangeLog.select().where(ChangeLog.field == "德得分").order_by(ChangeLog.id))
    assert len(entries) == 2 * workers.ROUNDS
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.old_value == before.new_value
    assert {e.user for e in entries} == {"张三", "李四"}


def test_two_processes_on_one_cadre_lose_nothing(one_person):
    target, _round_id, cid = one_person
    results = _run_two(workers.bump_cadre, target, cid)
    assert [r["raw"] for r in results] == [[], []]
    notes = roster.get_cadre(cid).notes
    assert sorted(notes) == sorted("张" * workers.ROUNDS + "李" * workers.ROUNDS)
    assert roster.get_cadre(cid).version == 1 + 2 * workers.ROUNDS


def test_a_score_changed_since_it_was_read_is_refused_with_who_and_when(one_person):
    _target, round_id, cid = one_person
    set_actor("李四")
    try:
        set_score(round_id, cid, "de", "88", expected=None)
    finally:
        set_actor(None)
    at = ChangeLog.select().order_by(ChangeLog.id.desc()).first().at
    # 张三's screen still shows the cell empty
    with pytest.raises(ConflictError) as caught:
        set_score(round_id, cid, "de", "90", expected=None)
    assert str(caught.value) == (
        f"甲（市委组织部）的“德”得分已被 李四 于 {at:%H:%M} 修改（现为“88”），请刷新后重试"
    )
    assert person_scores(round_id, cid)["de"] == Decimal("88")
    # a block with one stale cell stores nothing
    with pytest.raises(ConflictError):
        set_scores(
            round_id,
            [ScoreCell(cid, "neng", "80", None), ScoreCell(cid, "de", "70", "85")],
        )
    assert person_scores(round_id, cid) == {"de": Decimal("88")}
    # read again, then saved: fine
    assert set_score(round_id, cid, "de", "90", expected="88") == Decimal("90")
