"""Grading a large round on several processors.

Quotas are per pool (a unit, or a rank layer inside a unit), so the units of a round can be
graded independently: the round's units are shared out, balanced by head count, between this
process and a few worker processes; each grades its units with the same engine and returns
the rows to store. This process then writes everything in its one transaction.

Correctness rests on three points:

* every worker reads the same data as this process: the caller holds the database's write
  lock (``BEGIN IMMEDIATE``) from before the workers start until it commits, so nobody can
  commit in between; what this process writes meanwhile (its own share's rows, uncommitted,
  invisible to the workers' WAL snapshots) is nothing the workers read;
* a pool is never split (shares are whole units), and the engine's results for a pool depend
  only on that pool's people, the rules and whether the pool may use the raised quota;
* when anything goes wrong in a worker (bad data, an override that no longer fits, a crash),
  the caller grades the whole round in-process instead, which raises the usual, complete
  error — the workers only ever speed up the normal case.

Workers are started with the ``spawn`` method (the only one on Windows; it also keeps a Qt
process's threads out of the child) and import nothing but the models. Only SQLite files
are graded this way (not PostgreSQL, not in-memory databases).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from peewee import SQL, SqliteDatabase

from models.assessment.engine import RoundResult, grade_round
from models.assessment.grading.inputs import load_inputs
from models.assessment.grading.store import (
    RowsDiff,
    diff_rows,
    remarks_of,
    row_of,
    stored_overrides,
    stored_rows,
)
from models.assessment.rules import pool_key_of
from models.assessment.tables import GradeResult, RoundMember
from models.core.db import db, make_sqlite, query_rows
from models.core.errors import DomainError

log = logging.getLogger(__name__)

# below this many people the workers' start-up (about 0.25 s each) costs more than it saves
PARALLEL_MIN_PEOPLE = 20_000
MAX_WORKERS = 4
# head count this process grades in the time a worker takes to start: its share is that much
# bigger, so that all finish together. When its rows have to be written (a first grading),
# this process writes them while the workers finish, and its head start is smaller.
HEAD_START = 8_000
HEAD_START_WRITING = 4_000


@dataclass(frozen=True)
class Share:
    """What one process graded: its rows against the stored ones, its pools' summaries and
    the remarks for the report (see models.assessment.grading.store)."""

    diff: RowsDiff
    pools: list[dict[str, Any]]  # PoolSummary.to_dict() of its pools
    remarks: list[tuple[str, str]]  # (pool key, '姓名：提示') in member order
    first: dict[str, Any]  # pool key → cadre of its first member (to put pools in order)


def default_workers(people: int) -> int:
    """Worker processes worth starting for a round of ``people`` on this computer (0: none)."""
    if people < PARALLEL_MIN_PEOPLE:
        return 0
    cpus = os.cpu_count() or 1
    return max(0, min(cpus - 1, MAX_WORKERS, people // (PARALLEL_MIN_PEOPLE // 2) - 1))


def workers_for(people: int, asked: int | None) -> int:
    """Workers to start: the default for the round, or what was asked (``--jobs``) up to
    MAX_WORKERS (more processes than processors only slow grading down)."""
    if asked is None:
        return default_workers(people)
    return max(0, min(asked, MAX_WORKERS))


def can_run_in_parallel() -> bool:
    """Whether the bound database can be read by worker processes (a SQLite file, and no
    outer transaction holding changes the workers could not see)."""
    real = db.obj
    return (
        isinstance(real, SqliteDatabase)
        and real.database not in ("", ":memory:")
        and not str(real.database).startswith("file::memory:")
    )


def plan(round_id: int, workers: int, *, head_start: int = HEAD_START) -> list[list[str]]:
    """Unit names of the round's participating members split into ``workers + 1`` shares
    balanced by head count (the first share, this process's, is the bigger by the head start
    of the others). Fewer shares when there are fewer units."""
    counts = query_rows(
        RoundMember.select(RoundMember.unit_name, SQL("count(*)"))
        .where((RoundMember.round == round_id) & (RoundMember.not_participating == ""))
        .group_by(RoundMember.unit_name)
    )
    n = min(workers + 1, len(counts))
    if n < 2:
        return [[u for u, _c in counts]]
    total = sum(c for _u, c in counts)
    loads = [-min(head_start, total // (2 * n))] + [0] * (n - 1)
    shares: list[list[str]] = [[] for _ in range(n)]
    for unit, count in sorted(counts, key=lambda uc: (-uc[1], uc[0])):
        i = min(range(n), key=loads.__getitem__)
        shares[i].append(unit)
        loads[i] += count
    return [s for s in shares if s]


def _share_condition(units: Sequence[str]) -> Any:
    """RoundMember rows of ``units``, through a temporary table (no limit on the number of
    units, whatever SQLite's limit on bound values)."""
    db.execute_sql("CREATE TEMP TABLE IF NOT EXISTS grading_share (unit_name TEXT PRIMARY KEY)")
    db.execute_sql("DELETE FROM temp.grading_share")
    cursor = db.cursor()
    cursor.executemany("INSERT INTO temp.grading_share VALUES (?)", [(u,) for u in units])
    return RoundMember.unit_name.in_(SQL("(SELECT unit_name FROM temp.grading_share)"))


def grade_share(round_id: int, units: Sequence[str], approved: Sequence[str]) -> Share:
    """Grade the members of ``units`` on the bound database connection and compare their
    rows with the stored ones."""
    share = _share_condition(units)
    # the share's stored rows, read first: the committee's overrides are among them
    stored = stored_rows(
        round_id,
        where=f"{{cadre}} IN (SELECT {RoundMember.cadre.column_name} FROM "
        f"{RoundMember._meta.table_name} WHERE {RoundMember.round.column_name} = {round_id} "
        f"AND {RoundMember.unit_name.column_name} IN "
        "(SELECT unit_name FROM temp.grading_share))",
    )
    rules, people, _round = load_inputs(
        round_id, member_where=share, stored_overrides=stored_overrides(stored)
    )
    present = {pool_key_of(rules, p.unit, p.layer) for p in people}
    result = grade_round(rules, people, approved_pools=[k for k in approved if k in present])
    return share_of(result, stored)


def share_of(result: RoundResult, stored: dict[Any, tuple[Any, ...]]) -> Share:
    first: dict[str, Any] = {}
    for p in result.people:
        first.setdefault(p.pool_key, p.person_id)
    return Share(
        diff_rows([row_of(p) for p in result.people], stored),
        [s.to_dict() for s in result.pools],
        remarks_of(result),
        first,
    )


def _worker(path: str, round_id: int, units: list[str], approved: list[str]) -> Share | str:
    """Entry point of a worker process: its own read-only connection, one read transaction.
    Returns the share, or the Chinese message of a refusal (the caller then grades the
    whole round itself and raises the complete error)."""
    real = make_sqlite(path)  # as it is: the parent process has brought its schema up to date
    db.initialize(real)
    real.connect(reuse_if_open=True)
    try:
        with db.atomic():
            return grade_share(round_id, units, approved)
    except DomainError as exc:
        return str(exc)
    finally:
        db.close()


def grade_in_parallel(
    round_id: int,
    approved: Sequence[str],
    workers: int,
    *,
    on_own: Callable[[Share], None] | None = None,
) -> list[Share] | None:
    """Grade the round's units on this process and ``workers`` others. None when it could
    not be done that way (fewer than two units, bad data, a worker failed): the caller then
    grades in-process. Call inside the write transaction (see the module docstring).

    ``on_own`` is called with this process's share as soon as it is graded, while the
    workers may still be busy (to write its rows meanwhile); when None is returned after
    that, the caller rolls those writes back (grade_and_store runs this in a savepoint)."""
    first_grading = not (
        GradeResult.select().where(GradeResult.round == round_id).limit(1).exists()
    )
    shares = plan(round_id, workers, head_start=HEAD_START_WRITING if first_grading else HEAD_START)
    if len(shares) < 2:
        return None
    path = str(db.obj.database)
    context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(max_workers=len(shares) - 1, mp_context=context) as pool:
            futures: list[Future[Share | str]] = [
                pool.submit(_worker, path, round_id, units, list(approved)) for units in shares[1:]
            ]
            try:
                own = grade_share(round_id, shares[0], approved)
            except DomainError:
                for f in futures:
                    f.cancel()
                return None
            if on_own is not None:
                on_own(own)
            out = [own]
            for f in futures:
                got = f.result()
                if isinstance(got, str):
                    log.info("parallel grading refused by a worker: %s", got)
                    return None
                out.append(got)
            return out
    except Exception:  # a worker could not start or died: grade in-process instead
        log.warning("parallel grading failed; grading in one process", exc_info=True)
        return None
