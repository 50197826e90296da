"""Benchmark of the ``grade`` use case from the database: 50,000 people.

Run: .venv/bin/python benchmarks/bench_grade_db.py [--cadres 50000]

Builds a demo database (models.demo.build_demo) with a generated annual round
(models.assessment_demo.add_demo_assessment: item scores, 民主测评 vote counts, four quarters,
sanctions...), then measures, median of 3 runs each:

* ``compute_grades``: load the inputs from SQLite + grade_round + store 50,000 GradeResult rows
  and the change log, in one transaction (what the ``grade`` command does);
* its parts: ``load_inputs`` alone, and ``grade_round`` alone on the same inputs (the bare
  baseline: the rule engine with no database).

Target: the whole ``grade`` under 2 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models.assessment import GradeResult  # noqa: E402
from models.assessment_demo import add_demo_assessment  # noqa: E402
from models.assessment_grading import compute_grades, load_inputs  # noqa: E402
from models.db import close_database, open_database  # noqa: E402
from models.demo import build_demo  # noqa: E402
from models.grading import grade_round  # noqa: E402

RUNS = 3


def median_time(fn, runs: int = RUNS) -> tuple[float, object]:  # noqa: ANN001
    times = []
    out = None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cadres", type=int, default=50_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        t = time.perf_counter()
        build_demo(path, cadres=args.cadres, today=dt.date(2026, 3, 1))
        open_database(path)
        info = add_demo_assessment(2025, grade=False)
        print(f"setup: {info.people} people in the round, {time.perf_counter() - t:.1f} s")
        rid = info.round_id

        load_t, loaded = median_time(lambda: load_inputs(rid))
        rules, people, _row = loaded  # type: ignore[misc]
        bare_t, result = median_time(lambda: grade_round(rules, people))
        whole_t, _ = median_time(lambda: compute_grades(rid, user="bench"))
        stored = GradeResult.select().where(GradeResult.round == rid).count()
        excellent = sum(1 for p in result.people if p.proposed_grade.value == "优秀")  # type: ignore[attr-defined]
        quota = sum(s.quota.quota for s in result.pools)  # type: ignore[attr-defined]
        close_database()
    print(
        f"people graded: {len(people)}, results stored: {stored}, 优秀 {excellent} ≤ quota {quota}"
    )
    print(f"load_inputs (SQLite → PersonInput), median of {RUNS}: {load_t:.3f} s")
    print(f"grade_round alone (bare baseline), median of {RUNS}:   {bare_t:.3f} s")
    print(f"compute_grades (load + grade + store), median of {RUNS}: {whole_t:.3f} s")
    print(f"ratio whole / grade_round alone: {whole_t / bare_t:.2f}")
    print(f"target < 2 s: {'met' if whole_t < 2 else 'NOT met'}")


if __name__ == "__main__":
    main()
