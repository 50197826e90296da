"""What the lost-update checks cost: storing scores now, against the same code before them.

Run: .venv/bin/python benchmarks/bench_versions.py [--cadres 50000] [--before COMMIT] [--pg URL]

The same timing script runs twice in this run, on databases built the same way (demo roster
and last year's annual round, item scores filled):

* in a git worktree of ``--before`` (default 9d6e837, the last commit before version
  checks: plain ``UPDATE … WHERE id = ?``, no expected values) -- the bare baseline;
* in this tree, where every edit carries what it read (``expected=``), every write is
  conditional (``WHERE id = ? AND score = ?``), and the service checks the account's rights.

Measured, median of 5 runs (3 for the whole round):

* ``set_score`` × 200 cells one at a time, as the score grid saves them;
* ``set_scores`` of every item score of the round (5 × N cells in one transaction: the
  write step of ``import-scores``);
* ``import_scores`` of a filled template of everybody (every score differs from the stored
  one, so all are written), in-process, automatic backups paused (a backup is not a
  version check; it is timed by benchmarks of models.backup).

Printed: each figure for both trees and the ratio now / before. Target: ≤ 1.10.
``--pg URL`` (an empty PostgreSQL database, no password in the URL) also times this tree's
``set_score`` checked against unchecked there (the old tree has no server path to compare).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runs with the tree to measure as its working folder; uses only APIs both trees have.
SCRIPT = r"""
import contextlib, dataclasses, datetime as dt, json, statistics, sys, tempfile, time
from decimal import Decimal
from pathlib import Path
sys.path.insert(0, ".")
from models.assessment.score_template import export_score_template, import_scores
from models.assessment.scores import ScoreCell, set_score, set_scores
from models.assessment.tables import ItemScore
from models.core.db import close_database, db
from models.demo import add_demo_assessment, build_demo
from models.schema import open_database
try:
    from models.backup import automatic_paused
except ImportError:
    automatic_paused = contextlib.nullcontext
CHECKED = "expected" in {f.name for f in dataclasses.fields(ScoreCell)}
import os
cadres, target = int(sys.argv[1]), os.environ.get("BENCH_TARGET", "")

def median(fn, runs, before=None):
    times = []
    for _ in range(runs):
        if before:
            before()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), times

with tempfile.TemporaryDirectory() as tmp:
    path = Path(tmp) / "bench.db"
    with automatic_paused():
        if target:
            build_demo(target, cadres=cadres, today=dt.date(2026, 3, 1), parts=("training",))
            open_database(target)
        else:
            build_demo(path, cadres=cadres, today=dt.date(2026, 3, 1), parts=("training",))
            open_database(path)
        rid = add_demo_assessment(2025, grade=False).round_id
        q = ItemScore.select(ItemScore.cadre, ItemScore.item_code, ItemScore.score)
        stored = {(c, code): s for c, code, s in q.where(ItemScore.round == rid).tuples()}
        original = {k: Decimal(v) for k, v in stored.items()}

        def other(key):
            now = Decimal(stored[key])
            return original[key] - Decimal("0.5") if now == original[key] else original[key]

        def edit(key, checked):
            now, new = Decimal(stored[key]), other(key)
            stored[key] = str(new)
            return new, (dict(expected=now) if checked else {})

        def one_by_one(checked):
            for key in sorted(stored)[:200]:
                new, seen = edit(key, checked)
                set_score(rid, key[0], key[1], new, **seen)

        def whole(checked):
            cells = []
            for key in sorted(stored):
                new, seen = edit(key, checked)
                cells.append(ScoreCell(key[0], key[1], new, *seen.values()))
            set_scores(rid, cells)

        out = {"checked": CHECKED, "scores": len(stored)}
        out["set_score"] = median(lambda: one_by_one(CHECKED), 5)
        if CHECKED:
            out["set_score_unchecked"] = median(lambda: one_by_one(False), 5)
        out["set_scores"] = median(lambda: whole(CHECKED), 3)
        if not target:
            template = Path(tmp) / "template.xlsx"
            export_score_template(rid, None, template)  # the scores as stored now
            mark = db.param

            def scramble():  # every stored score differs from the template's
                sql = f"UPDATE item_score SET score = {mark} WHERE round_id = {mark}"
                db.execute_sql(sql, ("1", rid))

            out["import_scores"] = median(lambda: import_scores(template, rid), 3, scramble)
        close_database()
print("RESULT " + json.dumps(out))
"""


def run_tree(tree: Path, cadres: int, target: str = "") -> dict:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(cadres)],
        cwd=tree,
        env={**os.environ, "BENCH_TARGET": target},  # never a URL on a command line
        capture_output=True,
        text=True,
        check=False,
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        sys.exit(f"timing in {tree} failed:\n{done.stderr[-3000:]}")
    return json.loads(line[len("RESULT ") :])


def ms(figure: list) -> str:
    t, runs = figure
    return f"{t * 1000:9.1f} ms [{', '.join(f'{x * 1000:.0f}' for x in runs)}]"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cadres", type=int, default=50_000)
    ap.add_argument("--before", default="9d6e837", help="the commit to compare with")
    ap.add_argument("--pg", help="also on this empty PostgreSQL database (this tree only)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old_tree = Path(tmp) / "before"
        subprocess.run(
            [
                "git",
                "-C",
                str(ROOT),
                "worktree",
                "add",
                "--detach",
                "-q",
                str(old_tree),
                args.before,
            ],
            check=True,
        )
        try:
            before = run_tree(old_tree, args.cadres)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old_tree)])
        now = run_tree(ROOT, args.cadres)
    print(f"{args.cadres} cadres, {now['scores']} item scores in the round; SQLite file")
    print(f"{'':44} {'before (' + args.before + ')':>34}   {'now (checked)':>34}   ratio")
    for key, label in (
        ("set_score", "set_score × 200, one cell at a time"),
        ("set_scores", "set_scores, every score of the round"),
        ("import_scores", "import_scores, a template of everybody"),
    ):
        ratio = now[key][0] / before[key][0]
        print(f"{label:44} {ms(before[key]):>34}   {ms(now[key]):>34}   {ratio:.2f}")
    label = "set_score × 200 now without expected="
    print(f"{label:44} {'':>34}   {ms(now['set_score_unchecked']):>34}")
    if args.pg:
        server = run_tree(ROOT, min(args.cadres, 5000), args.pg)
        print(f"\nPostgreSQL ({min(args.cadres, 5000)} cadres, this tree):")
        base = server["set_score_unchecked"][0]
        print(f"  set_score × 200 without expected= {ms(server['set_score_unchecked'])}")
        ratio = server["set_score"][0] / base
        print(f"  set_score × 200 checked           {ms(server['set_score'])}   {ratio:.2f}")
        print(f"  set_scores, every score           {ms(server['set_scores'])}")


if __name__ == "__main__":
    main()
