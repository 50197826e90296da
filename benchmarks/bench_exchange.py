"""Benchmark of the exchange package of a whole roster (issue #19): 50,000 cadres.

Run: .venv/bin/python benchmarks/bench_exchange.py --db SAVED.db [--runs 3]

``--db``: a saved 50,000-cadre demo database (benchmarks/bench_grade_db.py --save makes one;
it is copied, never changed). Measures, median of ``--runs`` runs each, beside the bare
baseline of the same run — the roster written as a plain xlsx (reports.roster, the existing
名册 export of the same people):

* ``export_unit`` of the root unit (every unit and cadre into a .cdx);
* ``preview`` of that package in a copy of the database (every record compared);
* the peak memory of this process (targets: each under 30 s, under 1 GB).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models import exchange as ex  # noqa: E402
from models.core.db import close_database  # noqa: E402
from models.roster import RosterFilter, iter_cadres, query_ids  # noqa: E402
from models.schema import open_database  # noqa: E402
from reports.roster.roster_xlsx import export_roster_xlsx  # noqa: E402


def timed(fn) -> float:  # noqa: ANN001
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        here, there = Path(tmp) / "here.db", Path(tmp) / "there.db"
        shutil.copy(args.db, there)
        open_database(there)  # migrated once, outside the timing
        ex.set_office("县委组织部")
        root = ex.find_unit("白银市")
        close_database()
        shutil.copy(there, here)
        package = Path(tmp) / "roster.cdx"
        xlsx = Path(tmp) / "roster.xlsx"
        exports, previews, baselines = [], [], []
        for _ in range(args.runs):
            open_database(there)
            ids = query_ids(RosterFilter(status=""))
            baselines.append(
                timed(lambda ids=ids: export_roster_xlsx(iter_cadres(ids), xlsx, total=len(ids)))
            )
            exports.append(timed(lambda: ex.export_unit(root, package)))
            close_database()
            open_database(here)
            previews.append(timed(lambda: ex.preview(package)))
            close_database()
        people = len(ids)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    base = statistics.median(baselines)
    for name, times in (("export_unit (.cdx)", exports), ("preview", previews)):
        m = statistics.median(times)
        print(f"{name:20s} median {m:6.1f} s  ({', '.join(f'{t:.1f}' for t in times)})"
              f"  = {m / base:.2f}× the xlsx export")  # fmt: skip
    print(f"{'xlsx export':20s} median {base:6.1f} s  (baseline, {people} cadres)")
    print(f"peak memory of this process: {peak:.0f} MB (target < 1024 MB)")


if __name__ == "__main__":
    main()
