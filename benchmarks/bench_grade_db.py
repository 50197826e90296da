"""Benchmark of the ``grade`` use case from the database: 50,000 people.

Run: .venv/bin/python benchmarks/bench_grade_db.py [--cadres 50000] [--db SAVED.db]

Builds a demo database (models.demo.build_demo with the training part only, so that it does
not add and grade its own demo round) with a generated annual round of last year
(models.assessment_demo.add_demo_assessment: item scores, 民主测评 vote counts, four quarters,
sanctions...), then measures, median of 5 runs each:

* ``load_inputs`` alone (SQLite → PersonInput);
* ``grade_round`` alone on the same inputs: the bare baseline, the rule engine with no
  database;
* ``compute_grades`` on a round graded before (what running ``grade`` again does: load +
  grade + store, with unchanged rows left as they are);
* ``compute_grades`` the first time (no stored results: every row is inserted; the results
  are removed before each run, outside the timing).

Both ``compute_grades`` figures include the transaction, the pool summaries and the change
log. ``--db`` copies a database saved by an earlier run (``--save``) instead of building one
(building 50,000 cadres takes minutes). Target: ``grade`` under 2 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models.assessment import AssessmentRound, GradeResult  # noqa: E402
from models.assessment_demo import add_demo_assessment  # noqa: E402
from models.assessment_grading import compute_grades, load_inputs  # noqa: E402
from models.db import close_database, db, open_database  # noqa: E402
from models.demo import build_demo  # noqa: E402
from models.grading import grade_round  # noqa: E402

RUNS = 5
YEAR = 2025


def median_time(
    fn: Callable[[], Any], runs: int = RUNS, before: Callable[[], None] | None = None
) -> tuple[float, list[float], Any]:
    times = []
    out = None
    for _ in range(runs):
        if before is not None:
            before()
        out = None  # the previous result is freed outside the timing
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), times, out


def _runs(times: list[float]) -> str:
    return ", ".join(f"{t:.3f}" for t in times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cadres", type=int, default=50_000)
    ap.add_argument("--db", type=Path, help="copy this saved database instead of building one")
    ap.add_argument("--save", type=Path, help="keep a copy of the built database here")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        t = time.perf_counter()
        if args.db:
            shutil.copy(args.db, path)
            open_database(path)
            row = (
                AssessmentRound.select()
                .where(AssessmentRound.year == YEAR)
                .order_by(AssessmentRound.id.desc())
                .first()
            )
            if row is None:
                sys.exit(f"{args.db} 中没有 {YEAR} 年度考核轮次")
            rid = row.id
        else:
            # parts=("training",): build_demo would otherwise add (and grade) its own demo
            # round for last year; this script adds the round itself
            build_demo(path, cadres=args.cadres, today=dt.date(2026, 3, 1), parts=("training",))
            open_database(path)
            rid = add_demo_assessment(YEAR, grade=False).round_id
            if args.save:
                close_database()
                shutil.copy(path, args.save)
                open_database(path)
        members = load_inputs(rid)[1]
        print(f"setup: {len(members)} people in the round, {time.perf_counter() - t:.1f} s")
        if hasattr(os, "getloadavg"):
            print("load average (1/5/15 min): " + " ".join(f"{x:.2f}" for x in os.getloadavg()))

        load_t, load_runs, loaded = median_time(lambda: load_inputs(rid))
        rules, people, _row = loaded
        bare_t, bare_runs, result = median_time(lambda: grade_round(rules, people))
        compute_grades(rid, user="bench")  # graded at least once
        again_t, again_runs, _ = median_time(lambda: compute_grades(rid, user="bench"))

        def forget() -> None:
            with db.atomic():
                GradeResult.delete().where(GradeResult.round == rid).execute()

        first_t, first_runs, _ = median_time(
            lambda: compute_grades(rid, user="bench"), before=forget
        )
        stored = GradeResult.select().where(GradeResult.round == rid).count()
        excellent = sum(1 for p in result.people if p.proposed_grade.value == "优秀")
        quota = sum(s.quota.quota for s in result.pools)
        close_database()
    print(
        f"people graded: {len(people)}, results stored: {stored}, 优秀 {excellent} ≤ quota {quota}"
    )
    print(f"median of {RUNS} (runs in s):")
    print(f"  load_inputs (SQLite → PersonInput):        {load_t:.3f} s  ({_runs(load_runs)})")
    print(f"  grade_round alone (bare baseline):         {bare_t:.3f} s  ({_runs(bare_runs)})")
    print(f"  compute_grades, graded before (`grade`):   {again_t:.3f} s  ({_runs(again_runs)})")
    print(f"  compute_grades, first grading:             {first_t:.3f} s  ({_runs(first_runs)})")
    print(f"ratio compute_grades (graded before) / grade_round alone: {again_t / bare_t:.2f}")
    print(f"ratio compute_grades (first grading) / grade_round alone: {first_t / bare_t:.2f}")
    worst = max(again_t, first_t)
    print(f"target `grade` < 2 s: {'met' if worst < 2 else 'NOT met'} ({worst:.3f} s)")


if __name__ == "__main__":
    main()
