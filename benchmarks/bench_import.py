"""Roster import speed: rows/s for a 50,000-row 花名册 xlsx, beside a bare openpyxl pass.

    .venv/bin/python benchmarks/bench_import.py [--cadres 50000] [--runs 3]

Builds a demo database, exports it with export-roster, then times (median of --runs):
  bare   openpyxl read-only iteration over every cell of the same file
  read   models.roster.intake.read_path (header finding, normalisation, per-row issues)
  import read_path + import_rows into an empty database (validation, one transaction)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import load_workbook  # noqa: E402

from models.core.db import close_database
from models.demo import build_demo  # noqa: E402
from models.roster import service as roster
from models.roster.importing import import_rows  # noqa: E402
from models.roster.intake import read_path  # noqa: E402
from models.schema import open_database
from reports.roster.roster_xlsx import export_roster_xlsx  # noqa: E402


def bare(path: Path) -> int:
    wb = load_workbook(path, read_only=True, data_only=True)
    n = 0
    for row in wb.active.iter_rows(values_only=True):
        for _ in row:
            pass
        n += 1
    wb.close()
    return n


def timed(fn):  # noqa: ANN001, ANN202
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cadres", type=int, default=50_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-import-"))
    build_demo(tmp / "demo.db", cadres=args.cadres)
    open_database(tmp / "demo.db")
    ids = roster.query_ids(roster.RosterFilter(status=""))
    sheet = tmp / "roster.xlsx"
    export_roster_xlsx(roster.iter_cadres(ids), sheet, total=len(ids))
    close_database()
    print(f"file: {args.cadres} rows, {sheet.stat().st_size / 1e6:.1f} MB")

    t_bare, t_read, t_import = [], [], []
    for run in range(args.runs):
        t_bare.append(timed(lambda: bare(sheet))[0])
        t_read.append(timed(lambda: read_path(sheet))[0])
        open_database(tmp / f"empty{run}.db")
        try:
            t, out = timed(lambda: import_rows(read_path(sheet)))
        finally:
            close_database()
        assert out.imported, out.plan.lines()[:3]
        t_import.append(t)
    n = args.cadres
    for label, times in (
        ("bare openpyxl read-only pass", t_bare),
        ("read_path (parse + normalise)", t_read),
        ("read_path + import_rows", t_import),
    ):
        med = statistics.median(times)
        print(f"{label:32s} median {med:7.2f} s  {n / med:9,.0f} rows/s")
    print(f"import / bare ratio: {statistics.median(t_import) / statistics.median(t_bare):.1f}x")


if __name__ == "__main__":
    main()
