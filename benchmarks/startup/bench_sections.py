"""First open of the big sections with 50,000 cadres: 年度考核 and 报表打印.

    .venv/bin/python benchmarks/startup/bench_sections.py --db SAVED.db [--runs 3]
    (SAVED.db: a database saved by benchmarks/bench_grade_db.py --save: 50,000 cadres and a
    graded 2025 round)

Each run is a fresh process (offscreen): the main window on the roster, with what the app
does once its window is shown (the print fonts registered on the worker: ui.app.
start_print_fonts; the process waits for it, as a user's first click comes after it), then each
section opened for the first time, timed until the GUI thread is free again (the screen is
usable; lists still loading in the background show 正在读取…); then the resident memory.
Beside it, the baseline measured in the same process: the first open of 代码表, a section
with little data. Targets (issue 15): ≤ 0.5 s to a usable screen each, ≤ 300 MB after both.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks" / "startup"))
from app_child import MAIN_WINDOW  # noqa: E402

CHILD = (
    MAIN_WINDOW
    + """
app.processEvents()
from ui import jobs
from ui.app import start_print_fonts
start_print_fonts()  # what the app does after its first frame
jobs.runner().wait(60_000)
app.processEvents()

def rss():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0

out = {"start_mb": rss()}
rows = {w.nav.item(i).text(): i for i in range(w.nav.count())}
for name in ("代码表", "年度考核", "报表打印"):
    t = time.perf_counter()
    w.nav.setCurrentRow(rows[name])
    w.grab()
    app.processEvents()
    out[name] = time.perf_counter() - t
end = time.perf_counter() + 5  # background loading finishes, for the memory after
while time.perf_counter() < end:
    app.processEvents()
    time.sleep(0.01)
out["end_mb"] = rss()
print("RESULT " + json.dumps(out), flush=True)
"""
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "getloadavg"):
        print("load average (1/5/15 min): " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pyc")
        for i in range(args.runs + 1):  # the first run fills the bytecode cache
            db = Path(tmp) / "bench.db"
            db.write_bytes(args.db.read_bytes())
            done = subprocess.run(
                [sys.executable, "-c", CHILD, str(db), str(Path(tmp) / "settings.ini")],
                cwd=ROOT, capture_output=True, text=True, env=env, timeout=600,
            )  # fmt: skip
            line = [x for x in done.stdout.splitlines() if x.startswith("RESULT ")]
            if not line:
                sys.exit(f"the child failed:\n{done.stderr[-3000:]}")
            if i:
                results.append(json.loads(line[0].removeprefix("RESULT ")))
    med = {k: statistics.median(r[k] for r in results) for k in results[0]}
    base = med["代码表"]
    print(f"median of {args.runs} fresh processes:")
    print(f"  baseline: first open of 代码表            {base * 1000:6.0f} ms")
    for label in ("年度考核", "报表打印"):
        print(
            f"  first open of {label} to a usable screen {med[label] * 1000:6.0f} ms "
            f"({med[label] / base:.1f}× the baseline)"
        )
    print(f"  memory: {med['start_mb']:.0f} MB on the roster, {med['end_mb']:.0f} MB after both")
    ok = med["年度考核"] <= 0.5 and med["报表打印"] <= 0.5 and med["end_mb"] <= 300
    print(f"targets ≤ 0.5 s each, ≤ 300 MB: {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
