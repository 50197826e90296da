"""Benchmark of whole-round batch printing (``print sheets``) from the database: 50,000 people.

Run: .venv/bin/python benchmarks/bench_print_db.py --db SAVED.db [--runs 3] [--jobs 2]
     (SAVED.db: a database saved by benchmarks/bench_grade_db.py --save, or any database
     with a graded annual round of 2025)

Measures, median of ``--runs`` runs each:

* the baseline, the engine alone: 1,000 people's sheets already in memory laid out and drawn
  into one PDF in this process (reports.sheets.pdf.build_pdf_bytes), in pages per second;
* the ``print sheets`` command for the whole round, as a user runs it (``python main.py print
  sheets --db … --year 2025 -o all.pdf --jobs N``; every process with compiled bytecode, as
  an installed program has it), with
  ``--jobs N`` and with ``--jobs 0``: seconds, pages per second, the peak memory of the
  command and its workers together (their resident sets summed, sampled every 50 ms) and of
  the largest single process;
* in this process (reports.sheets.batch.print_sheets with ``jobs=N``): the time to the first
  progress report of a written sheet, and the time from a cancel (3 s in) until the call has
  returned with every worker stopped and no file left.

Targets (issue 15): ≥ 1,000 pages/s with --jobs 2 and ≥ 0.5× the engine alone on one
process; peak memory ≤ 400 MB whatever the number of sheets; first progress within 1 s;
cancel within 1 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models.assessment import find_round, list_members  # noqa: E402
from models.core.db import close_database  # noqa: E402
from models.core.progress import Cancelled  # noqa: E402
from models.schema import open_database  # noqa: E402
from reports.common import fonts  # noqa: E402
from reports.sheets import batch  # noqa: E402
from reports.sheets.data import sheets_for  # noqa: E402
from reports.sheets.pdf import build_pdf_bytes  # noqa: E402

YEAR = 2025
ROOT = Path(__file__).resolve().parent.parent


def _tree_rss(pid: int) -> tuple[int, int]:
    """(sum, largest) resident set in kB of ``pid`` and its descendants (Linux /proc)."""
    total = largest = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            for line in status.splitlines():
                if line.startswith("VmRSS:"):
                    kb = int(line.split()[1])
                    total += kb
                    largest = max(largest, kb)
            for task in Path(f"/proc/{p}/task").iterdir():
                children = (task / "children").read_text().split()
                todo.extend(int(c) for c in children)
        except (OSError, ValueError):
            continue
    return total, largest


def run_command(argv: list[str], env: dict[str, str]) -> tuple[float, int, int, str]:
    """Seconds, peak summed RSS (kB), peak single RSS (kB), stdout."""
    t = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    peak_sum = peak_one = 0
    while proc.poll() is None:
        s, one = _tree_rss(proc.pid)
        peak_sum, peak_one = max(peak_sum, s), max(peak_one, one)
        time.sleep(0.05)
    elapsed = time.perf_counter() - t
    out, err = proc.communicate()
    if proc.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed:\n{err.decode()}")
    return elapsed, peak_sum, peak_one, out.decode()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    if sys.flags.dont_write_bytecode:
        # this process starts the workers of the in-process figures: they must run as an
        # installed program does, with compiled bytecode (multiprocessing passes -B on)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.setdefault("PYTHONPYCACHEPREFIX", tempfile.mkdtemp(prefix="cadredesk-bench-pyc-"))
        os.execve(sys.executable, [sys.executable, *sys.argv], env)
    if hasattr(os, "getloadavg"):
        print("load average (1/5/15 min): " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(f"processors: {os.cpu_count()}")
    with tempfile.TemporaryDirectory() as tmp:
        # every process runs as an installed program does, with compiled bytecode (the
        # worker processes this one starts inherit it), whatever this shell sets
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pyc")
        path = Path(tmp) / "bench.db"
        shutil.copy(args.db, path)
        open_database(path)
        fonts.setup_fonts()
        rnd = find_round(YEAR)
        members = list_members(rnd.id)
        print(f"people in the round: {len(members)}")

        # baseline: the engine alone, on sheets already in memory
        ids = [m.cadre_id for m in members[:1000]]
        sheets = sheets_for(rnd.id, ids)
        rates = []
        for _ in range(args.runs):
            t = time.perf_counter()
            _data, r = build_pdf_bytes(sheets)
            rates.append(r.pages / (time.perf_counter() - t))
        engine = statistics.median(rates)
        del sheets

        # in this process: first progress and cancel (a first run fills the bytecode cache)
        firsts, cancels = [], []
        for run in range(args.runs + 1):
            out = Path(tmp) / "inproc"
            out.mkdir()
            start = time.perf_counter()
            first: list[float] = []
            stop_at = [0.0]

            def progress(done: int, _t: int, _s: str, first=first, start=start) -> None:
                if done > 0 and not first:
                    first.append(time.perf_counter() - start)

            def cancelled(start=start, stop_at=stop_at) -> bool:
                if time.perf_counter() - start > 3:
                    stop_at[0] = stop_at[0] or time.perf_counter()
                    return True
                return False

            try:
                batch.print_sheets(
                    rnd.id, None, out / "all.pdf", jobs=args.jobs, progress=progress,
                    cancelled=cancelled,
                )  # fmt: skip
            except Cancelled:
                cancels.append(time.perf_counter() - stop_at[0])
            assert not any(out.iterdir()), "a cancelled batch left files"
            if run:
                firsts.append(first[0] if first else float("nan"))
            else:
                cancels.clear()
            shutil.rmtree(out)
        close_database()

        env = dict(os.environ)
        results = {}
        for jobs in (args.jobs, 0):
            runs = []
            for i in range(args.runs if jobs else 1):
                out = Path(tmp) / f"out{jobs}-{i}"
                out.mkdir()
                argv = [sys.executable, str(ROOT / "main.py"), "print", "sheets", "--db",
                        str(path), "--year", str(YEAR), "-o", str(out / "all.pdf"),
                        "--jobs", str(jobs)]  # fmt: skip
                runs.append(run_command(argv, env))
                shutil.rmtree(out)
            results[jobs] = runs
        pages = int(runs[-1][3].split("份、")[1].split("页")[0])

    print(f"pages in the round: {pages}")
    print(f"median of {args.runs} runs:")
    print(f"  engine alone (1,000 sheets in memory, one process):  {engine:,.0f} pages/s")
    for jobs, runs in results.items():
        secs = statistics.median(r[0] for r in runs)
        peak = max(r[1] for r in runs) / 1024
        one = max(r[2] for r in runs) / 1024
        rate = pages / secs
        print(
            f"  `print sheets` --jobs {jobs}: {secs:.1f} s, {rate:,.0f} pages/s "
            f"({rate / engine:.2f}× the engine alone), peak memory {peak:.0f} MB "
            f"(largest process {one:.0f} MB)  runs: {', '.join(f'{r[0]:.1f}' for r in runs)}"
        )
    print(f"  first progress (jobs={args.jobs}): {statistics.median(firsts):.2f} s")
    if cancels:
        print(
            f"  cancel to stopped, no file (jobs={args.jobs}): {statistics.median(cancels):.2f} s"
        )
    best = pages / statistics.median(r[0] for r in results[args.jobs])
    print(
        f"targets: ≥ 1,000 pages/s with --jobs {args.jobs}: "
        f"{'met' if best >= 1000 else 'NOT met'}; peak ≤ 400 MB: "
        f"{'met' if max(r[1] for rs in results.values() for r in rs) / 1024 <= 400 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
