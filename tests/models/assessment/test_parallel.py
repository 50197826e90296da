"""计算等次 on several processes stores exactly what one process stores
(models.assessment.grading.parallel): the same result rows, pool summaries and change log,
first grading and re-grading; a worker that meets bad data hands the round back to one
process, which grades every pool that is ready and lists the people who hold the others up."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from concurrent.futures import Future
from pathlib import Path

import pytest
from peewee import fn

import models.assessment.grading.parallel as parallel
import models.assessment.grading.ready as ready
import models.assessment.grading.service as grading
from models.assessment import get_round
from models.assessment.grading import grade_and_store
from models.assessment.grading.parallel import plan
from models.assessment.results import format_grade_report, format_outcome_report
from models.assessment.tables import AssessmentRound, ItemScore, RoundMember
from models.core.audit import ChangeLog
from models.core.db import close_database, db
from models.demo import add_demo_assessment, build_demo
from models.schema import open_database


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """A demo database with a 2025 round of about 300 people, not graded yet."""
    path = tmp_path_factory.mktemp("parallel") / "demo.db"
    build_demo(path, cadres=300, today=dt.date(2026, 3, 1), parts=("training",))
    open_database(path)
    info = add_demo_assessment(2025, grade=False)
    close_database()
    return path, info.round_id


def _copy(src: Path, dest: Path) -> Path:
    shutil.copy(src, dest)
    return dest


def _state(round_id: int) -> tuple:
    """What grading leaves in the database, without row ids (rows written by several
    processes come in another order: the ids mean nothing) and times."""
    results = db.execute_sql(
        "SELECT * FROM grade_result WHERE round_id = ? ORDER BY cadre_id", (round_id,)
    ).fetchall()
    cols = [c[0] for c in db.execute_sql("SELECT * FROM grade_result LIMIT 0").description]
    keep = [i for i, c in enumerate(cols) if c not in ("id", "computed_at")]
    logs = [
        (c.entity, c.entity_id, c.field, c.old_value, c.new_value, c.reason)
        for c in ChangeLog.select()
        .where(ChangeLog.field.in_(("考核等次", "grading")))
        .order_by(ChangeLog.id)
    ]
    pools = json.loads(AssessmentRound.get_by_id(round_id).pools_json)
    return [tuple(r[i] for i in keep) for r in results], pools, logs


def _grade_both_ways(demo_file, tmp_path: Path, change=None):
    """Grade copies of the demo database with one process and with a worker (twice each:
    first grading, then re-grading after ``change``); returns the states and outcomes."""
    src, rid = demo_file
    states, outcomes = {}, {}
    for workers in (0, 1):
        open_database(_copy(src, tmp_path / f"w{workers}.db"))
        try:
            first = grade_and_store(rid, user="tester", workers=workers)
            if change is not None:
                change(rid)
            again = grade_and_store(rid, user="tester", workers=workers)
            states[workers] = _state(rid)
            outcomes[workers] = (first, again)
            report = format_outcome_report(get_round(rid), again)
            assert report == format_grade_report(2025)
        finally:
            close_database()
    return states, outcomes


def test_parallel_grading_stores_what_one_process_stores(demo_file, tmp_path: Path):
    def change(rid: int) -> None:
        # lower one 优秀 person's 绩 score a lot: the grade changes, somebody else moves up
        top = (
            RoundMember.select(RoundMember.cadre)
            .where(RoundMember.round == rid)
            .order_by(RoundMember.id)
            .first()
        )
        ItemScore.update(score="10").where(
            (ItemScore.round == rid) & (ItemScore.cadre == top.cadre_id)
        ).execute()

    states, outcomes = _grade_both_ways(demo_file, tmp_path, change)
    assert states[0] == states[1]
    rows, pools, logs = states[1]
    assert len(rows) > 250
    assert len(pools) > 5
    assert sum(1 for entry in logs if entry[2] == "考核等次") >= 1  # the changed grade
    (first0, again0), (first1, again1) = outcomes[0], outcomes[1]
    assert (first0.processes, first1.processes) == (1, 2)
    for a, b in ((first0, first1), (again0, again1)):
        assert (a.people, a.counts, a.pools, a.remarks) == (b.people, b.counts, b.pools, b.remarks)


def test_bad_data_in_a_worker_share_leaves_only_its_pool_ungraded(demo_file, tmp_path: Path):
    """Scores of a person in the worker's share removed: the worker refuses, the round is
    graded in this process, which grades every other pool, stores nothing of the person's
    pool and names the person (by name and unit) as 待录入; one process alone does the same."""
    src, rid = demo_file
    states = {}
    for name, workers in (("fallback", 1), ("serial", 0)):
        open_database(_copy(src, tmp_path / f"{name}.db"))
        try:
            shares = plan(rid, 1)
            assert len(shares) == 2
            victim = (
                RoundMember.select()
                .where((RoundMember.round == rid) & (RoundMember.unit_name == shares[1][0]))
                .first()
            )
            ItemScore.delete().where(
                (ItemScore.round == rid) & (ItemScore.cadre == victim.cadre_id)
            ).execute()
            outcome = grade_and_store(rid, workers=workers)
            assert [p.cadre_id for p in outcome.pending] == [victim.cadre_id]
            assert outcome.pending_lines[0].startswith(
                f"{victim.cadre.name}（{victim.unit_name}）缺少“"
            )
            assert f"（{victim.cadre_id}）" not in outcome.message
            pool = (
                RoundMember.select()
                .where(
                    (RoundMember.round == rid)
                    & (RoundMember.unit_name == victim.unit_name)
                    & (RoundMember.not_participating == "")
                )
                .count()
            )
            stored = db.execute_sql(
                "SELECT count(*), sum(pool_key = ?) FROM grade_result", (victim.unit_name,)
            ).fetchone()
            assert stored[1] == 0
            assert stored[0] == outcome.people == grading._participants(rid) - pool
            states[name] = _state(rid)
        finally:
            close_database()
    assert states["fallback"] == states["serial"]


def test_shares_keep_units_whole_and_balanced(demo_file, tmp_path: Path):
    src, rid = demo_file
    open_database(_copy(src, tmp_path / "plan.db"))
    try:
        units = [
            u
            for (u,) in RoundMember.select(RoundMember.unit_name)
            .where((RoundMember.round == rid) & (RoundMember.not_participating == ""))
            .distinct()
            .tuples()
        ]
        shares = plan(rid, 2)
        assert sorted(u for s in shares for u in s) == sorted(units)  # each unit exactly once
        assert len(shares) == 3
        heads = dict(
            RoundMember.select(RoundMember.unit_name, fn.COUNT(RoundMember.id))
            .where((RoundMember.round == rid) & (RoundMember.not_participating == ""))
            .group_by(RoundMember.unit_name)
            .tuples()
        )
        sizes = [sum(heads[u] for u in s) for s in shares]
        # this process takes the biggest share (the workers start later), none is empty,
        # and no worker has more than a third more than the other
        assert sizes[0] == max(sizes)
        assert min(sizes) > 0
        assert max(sizes[1:]) <= min(sizes[1:]) * 4 // 3 + max(heads.values())
        assert len(plan(rid, 0)) == 1
    finally:
        close_database()


def test_inside_an_open_transaction_one_process_grades(demo_file, tmp_path: Path):
    """Workers could not see changes not yet committed: inside a caller's transaction the
    round is graded here, with those changes."""
    src, rid = demo_file
    open_database(_copy(src, tmp_path / "outer.db"))
    try:
        with db.atomic():
            outcome = grade_and_store(rid, workers=1)
        assert outcome.processes == 1
    finally:
        close_database()


def test_a_worker_that_dies_after_this_process_wrote_its_rows(
    demo_file, tmp_path: Path, monkeypatch
):
    """This process writes its own share while the workers finish; when a worker then fails,
    those writes are undone and the whole round is graded again in this process, so the
    change log still records the grade that changed in this process's share."""

    class DeadPool:
        def __init__(self, *a, **k) -> None:
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc) -> None:
            return None

        def submit(self, *a, **k):
            f: Future = Future()
            f.set_exception(RuntimeError("worker died"))
            return f

    def lower_first_of_own_share(rid: int) -> int:
        own_units = plan(rid, 1, head_start=parallel.HEAD_START)[0]
        graded = [
            (cid, grade)
            for cid, grade in db.execute_sql(
                "SELECT g.cadre_id, g.final_grade FROM grade_result g JOIN round_member m "
                "ON m.round_id = g.round_id AND m.cadre_id = g.cadre_id "
                f"WHERE g.round_id = ? AND m.unit_name IN ({', '.join('?' * len(own_units))})",
                (rid, *own_units),
            ).fetchall()
            if grade == "优秀"
        ]
        cid = graded[0][0]
        ItemScore.update(score="10").where(
            (ItemScore.round == rid) & (ItemScore.cadre == cid)
        ).execute()
        return cid

    src, rid = demo_file
    results = {}
    for name in ("serial", "fallback"):
        open_database(_copy(src, tmp_path / f"{name}.db"))
        try:
            grade_and_store(rid, user="tester", workers=0)
            cid = lower_first_of_own_share(rid)
            if name == "fallback":
                monkeypatch.setattr(parallel, "ProcessPoolExecutor", DeadPool)
            outcome = grade_and_store(rid, user="tester", workers=0 if name == "serial" else 1)
            monkeypatch.undo()
            assert outcome.processes == 1
            logged = [
                (c.old_value, c.new_value)
                for c in ChangeLog.select().where(ChangeLog.field == "考核等次")
                if c.entity_id
                == RoundMember.get((RoundMember.round == rid) & (RoundMember.cadre == cid)).id
            ]
            # every item 10 → items 10; composite ≤ 100 × 40% + 10 × 60% = 46 < 55: 不称职
            assert logged == [("优秀", "不称职")]
            results[name] = _state(rid)
        finally:
            close_database()
    assert results["serial"] == results["fallback"]


def test_grading_holds_the_write_lock_from_the_start(demo_file, tmp_path: Path, monkeypatch):
    """Another writer who tries to commit while the round is being graded waits (here: gives
    up after 0.1 s) instead of making the grading fail at its first write: the grading took
    the write lock before reading (BEGIN IMMEDIATE), one process or several."""
    src, rid = demo_file
    path = _copy(src, tmp_path / "lock.db")
    open_database(path)
    try:
        refused: list[str] = []
        real = ready.load_inputs

        def meanwhile(round_id: int, **kwargs):
            other = sqlite3.connect(path, timeout=0.1)
            try:
                with other:
                    other.execute(
                        "INSERT INTO change_log (at, user, entity, entity_id, action, field, "
                        "old_value, new_value, reason) "
                        "VALUES ('2026-01-01 00:00:00', '他人', 'x', 1, '修改', 'f', '', '', '')"
                    )
            except sqlite3.OperationalError as exc:
                refused.append(str(exc))
            finally:
                other.close()
            return real(round_id, **kwargs)

        monkeypatch.setattr(ready, "load_inputs", meanwhile)
        outcome = grade_and_store(rid, user="tester", workers=0)
        assert outcome.people > 250
        assert refused == ["database is locked"]
        assert db.execute_sql("SELECT count(*) FROM grade_result").fetchone()[0] == outcome.people
    finally:
        close_database()
