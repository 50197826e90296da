"""What the lost-update checks cost: storing scores with and without the value each edit read.

Run: .venv/bin/python benchmarks/bench_versions.py [--cadres 50000] [--pg URL]

Builds a demo roster with an annual round of last year (item scores filled), then measures,
median of 5 runs each (figures printed, nothing asserted):

* ``set_score`` one cell at a time, 200 cells, as the score grid saves them: checked (the edit
  carries the score the grid showed, ``expected=``) against unchecked (``UNREAD``, what an
  import does) -- the ratio is the cost of the check the grid now makes;
* the write step of ``import-scores`` for the whole round (every item score of every person
  changed: 5 × N updates in one transaction, ``set_scores``), checked against unchecked;
* the bare baseline of that write: the same UPDATE statements straight through the driver
  (executemany), plain (``WHERE id = ?``) and conditional on the value read (``WHERE id = ?
  AND score = ?``, what every store now does) -- the ratio is the SQL cost of the condition;
* the whole ``import-scores`` command on a filled template of everybody, for reference.

With ``--pg URL`` (an empty PostgreSQL database, no password in the URL: PGPASSWORD or
~/.pgpass) the first three run there too. Target: checked ≤ 1.10 × unchecked.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models.assessment.scores import UNREAD, ScoreCell, set_score, set_scores  # noqa: E402
from models.assessment.tables import ItemScore  # noqa: E402
from models.core.db import close_database, db, display_target, write_transaction  # noqa: E402
from models.demo import add_demo_assessment, build_demo  # noqa: E402
from models.schema import open_database  # noqa: E402

RUNS = 5
YEAR = 2025
ROOT = Path(__file__).resolve().parent.parent


def median(fn: Callable[[], object], runs: int = RUNS) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), times


def show(label: str, result: tuple[float, list[float]], base: float | None = None) -> None:
    t, runs = result
    ratio = f"  ({t / base:.2f}× of the line above)" if base else ""
    print(
        f"  {label:<52} {t * 1000:9.1f} ms  [{', '.join(f'{x * 1000:.0f}' for x in runs)}]{ratio}"
    )


def scores_now(rid: int) -> dict[tuple[int, str], str]:
    q = ItemScore.select(ItemScore.cadre, ItemScore.item_code, ItemScore.score).where(
        ItemScore.round == rid
    )
    return {(c, code): s for c, code, s in q.tuples()}


def measure(target: str, rid: int) -> None:
    print(f"database: {display_target(target)}")
    stored = scores_now(rid)
    original = {k: Decimal(v) for k, v in stored.items()}
    cells = sorted(stored)[:200]

    def other(key: tuple[int, str]) -> Decimal:
        """Each run changes every score: between its demo value and half a point less."""
        now = Decimal(stored[key])
        return original[key] - Decimal("0.5") if now == original[key] else original[key]

    def one_by_one(checked: bool) -> None:
        for cid, code in cells:
            now, new = Decimal(stored[(cid, code)]), other((cid, code))
            set_score(rid, cid, code, new, expected=now if checked else UNREAD)
            stored[(cid, code)] = str(new)

    show("set_score × 200, unchecked (UNREAD)", base := median(lambda: one_by_one(False)))
    show("set_score × 200, checked (expected = shown)", median(lambda: one_by_one(True)), base[0])

    every = sorted(stored)

    def block(checked: bool) -> None:
        batch = []
        for key in every:
            now, new = Decimal(stored[key]), other(key)
            batch.append(ScoreCell(key[0], key[1], new, now if checked else UNREAD))
            stored[key] = str(new)
        set_scores(rid, batch)

    print(f"  ({len(every)} item scores in the round)")
    show("set_scores of the whole round, unchecked", base := median(lambda: block(False), 3))
    show("set_scores of the whole round, checked", median(lambda: block(True), 3), base[0])

    mark = db.param
    rows = list(
        ItemScore.select(ItemScore.id, ItemScore.score).where(ItemScore.round == rid).tuples()
    )

    flip = [False]

    def bare(conditional: bool) -> None:
        nonlocal rows
        flip[0] = not flip[0]
        step = Decimal("-0.5") if flip[0] else Decimal("0.5")
        new_rows = [(i, str(Decimal(s) + step)) for i, s in rows]
        with write_transaction():
            if conditional:
                sql = f"UPDATE item_score SET score = {mark} WHERE id = {mark} AND score = {mark}"
                params = [(n, i, o) for (i, o), (_, n) in zip(rows, new_rows, strict=True)]
            else:
                sql = f"UPDATE item_score SET score = {mark} WHERE id = {mark}"
                params = [(n, i) for i, n in new_rows]
            db.cursor().executemany(sql, params)
        rows = new_rows

    show("bare executemany UPDATE … WHERE id = ?", base := median(lambda: bare(False), 3))
    show(
        "bare executemany UPDATE … WHERE id = ? AND score = ?",
        median(lambda: bare(True), 3),
        base[0],
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cadres", type=int, default=50_000)
    ap.add_argument("--pg", help="also on this empty PostgreSQL database")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        t = time.perf_counter()
        build_demo(path, cadres=args.cadres, today=dt.date(2026, 3, 1), parts=("training",))
        open_database(path)
        rid = add_demo_assessment(YEAR, grade=False).round_id
        print(f"setup: {args.cadres} cadres, {time.perf_counter() - t:.1f} s")
        measure(str(path), rid)
        close_database()

        # the whole command, for reference: a template of everybody, filled, imported
        template = Path(tmp) / "template.xlsx"
        main_py = str(ROOT / "main.py")
        base = [sys.executable, main_py]
        db_args = ["--db", str(path), "--year", str(YEAR)]
        subprocess.run([*base, "export-score-template", *db_args, "-o", str(template)], check=True)
        copy = Path(tmp) / "copy.db"

        def command() -> None:
            shutil.copy(path, copy)
            run = [*base, "import-scores", "--db", str(copy), "--year", str(YEAR), str(template)]
            subprocess.run(run, check=True, capture_output=True)

        show("import-scores command (file copy included)", median(command, 3))

        if args.pg:
            t = time.perf_counter()
            build_demo(
                args.pg,
                cadres=min(args.cadres, 5000),
                today=dt.date(2026, 3, 1),
                parts=("training",),
            )
            open_database(args.pg)
            rid = add_demo_assessment(YEAR, grade=False).round_id
            took = time.perf_counter() - t
            print(f"setup on the server: {min(args.cadres, 5000)} cadres, {took:.1f} s")
            measure(args.pg, rid)
            close_database()


if __name__ == "__main__":
    main()
