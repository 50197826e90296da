"""Roster screen with 50,000 cadres: launch time and filter keystroke time.

    .venv/bin/python benchmarks/startup/bench_roster_ui.py [--cadres 50000] [--runs 3]

Prints the machine's load, then, each beside a bare baseline measured in the same run:
  * launch → roster shown (QApplication, open the database, main window, first screen of
    rows painted; startup/app_child.py, the way main.py starts), median of N fresh
    subprocesses run alternately with an empty QMainWindow start;
  * one filter keystroke (query_ids + model reset + the visible rows fetched), median over
    typing several words, beside the same filter as one raw sqlite3 query.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks" / "startup"))
from app_child import MAIN_WINDOW  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

READY = "READY"

CHILD_ROSTER = (
    MAIN_WINDOW
    + """
w.grab()  # paints the window, so the visible rows are fetched and drawn
app.processEvents()
assert w.roster_view.model.rowCount() > 0
print("READY", flush=True)
"""
)

CHILD_EMPTY = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([sys.argv[0]])
w = QMainWindow()
w.resize(1280, 800)
w.show()
w.grab()
app.processEvents()
print("READY", flush=True)
"""

# The keystrokes: typing these words one character at a time.
WORDS = ["zhang", "wjh", "liu", "620421", "ma"]


# The children run as an installed program does: with compiled bytecode (pip and the packaged
# builds ship it), here in a cache of this run whatever PYTHONDONTWRITEBYTECODE this shell sets.
_PYCACHE = tempfile.mkdtemp(prefix="cadredesk-bench-pyc-")
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {
    "PYTHONPYCACHEPREFIX": _PYCACHE
}


def time_child(code: str, *args: str) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=_ENV,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip() == READY:
            elapsed = time.perf_counter() - start
            break
    else:
        raise RuntimeError("child did not get ready")
    proc.wait(timeout=60)
    return elapsed


def import_top(db_path: Path, settings_path: Path, n: int = 10) -> list[tuple[float, str]]:
    """The ``n`` modules with the largest cumulative import time in a roster launch: the top
    level ones (what start-up pays for directly) and the heaviest below them."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", CHILD_ROSTER, str(db_path), str(settings_path)],
        cwd=ROOT, capture_output=True, text=True, env=_ENV, check=True,
    )  # fmt: skip
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        parts = line.removeprefix("import time:").split("|")
        try:
            rows.append((int(parts[1]) / 1000, parts[2].rstrip()))
        except ValueError:
            continue  # the header line
    return sorted(rows, reverse=True)[:n]


def raw_sql(text: str) -> tuple[str, list[object]]:
    """The roster query for a search text, status 在职, default order, written by hand."""
    q = "".join(text.split())
    where = ["c.status = ?"]
    params: list[object] = ["在职"]
    if q.isdigit():
        where.append("c.id_card LIKE ?")
        params.append(f"%{q}%")
    elif q.isascii():
        where.append(
            "(c.name_initials LIKE ? OR c.name_initials LIKE ? "
            "OR c.name_pinyin LIKE ? OR c.name_pinyin LIKE ?)"
        )
        params += [f"{q}%", f"% {q}%", f"{q}%", f"% {q}%"]
    else:
        where.append("c.name LIKE ?")
        params.append(f"%{q}%")
    sql = (
        "SELECT c.id FROM cadre c JOIN unit u ON c.unit_id = u.id "
        "LEFT JOIN picklist_item l ON l.kind = 'leadership_level' AND l.name = c.leadership_level "
        "LEFT JOIN picklist_item r ON r.kind = 'rank' AND r.name = c.rank "
        f"WHERE {' AND '.join(where)} "
        "ORDER BY u.sort_order, u.id, COALESCE(l.sort_order, 99), COALESCE(r.sort_order, 99), "
        "c.birth_date, c.id"
    )
    return sql, params


def bench_keystrokes(db_path: Path, settings_path: Path, runs: int) -> tuple[float, float, int]:
    from PySide6.QtCore import QStandardPaths

    from models.core.db import close_database
    from models.schema import open_database
    from ui import settings
    from ui.app import create_app
    from ui.roster.roster_view import RosterView

    QStandardPaths.setTestModeEnabled(True)
    settings.use_file(settings_path)
    app = create_app([sys.argv[0]])
    open_database(db_path)
    view = RosterView()
    view.resize(1200, 760)
    view.show()
    app.processEvents()
    visible = 40  # rows on a 800-pixel screen
    ui_times: list[float] = []
    sql_times: list[float] = []
    raw = sqlite3.connect(str(db_path))
    rows_seen = 0
    try:
        for _ in range(runs):
            for word in WORDS:
                for n in range(1, len(word) + 1):
                    text = word[:n]
                    t = time.perf_counter()
                    view.search.setText(text)
                    view.apply_filter()
                    for r in range(min(visible, view.model.rowCount())):
                        view.model.row_data(r)
                    ui_times.append(time.perf_counter() - t)
                    rows_seen = max(rows_seen, view.model.rowCount())

                    sql, params = raw_sql(text)
                    t = time.perf_counter()
                    raw.execute(sql, params).fetchall()
                    sql_times.append(time.perf_counter() - t)
                    app.processEvents()
            view.search.clear()
            view.apply_filter()
    finally:
        raw.close()
        view.close()
        close_database()
    return statistics.median(ui_times), statistics.median(sql_times), rows_seen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cadres", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", type=Path, help="reuse this demo database (built if missing)")
    args = parser.parse_args()

    from models.demo import build_demo

    if hasattr(os, "getloadavg"):
        print("load average (1/5/15 min): " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    with tempfile.TemporaryDirectory() as tmp:
        db_path = args.db or Path(tmp) / "bench.db"
        if not db_path.exists():
            t = time.perf_counter()
            build_demo(db_path, cadres=args.cadres, seed=1)
            print(f"demo database, {args.cadres} cadres: built in {time.perf_counter() - t:.1f} s")
        settings_path = Path(tmp) / "settings.ini"

        time_child(CHILD_ROSTER, str(db_path), str(settings_path))  # fills the bytecode cache
        time_child(CHILD_EMPTY)
        empty: list[float] = []
        launch: list[float] = []
        for _ in range(args.runs):  # alternately, so that load on the machine hits both alike
            empty.append(time_child(CHILD_EMPTY))
            launch.append(time_child(CHILD_ROSTER, str(db_path), str(settings_path)))
        e, r = statistics.median(empty), statistics.median(launch)
        print(f"launch → roster shown   median {r * 1000:7.0f} ms   "
              f"(empty QMainWindow {e * 1000:5.0f} ms, ratio {r / e:4.1f}×, "
              f"+{(r - e) * 1000:.0f} ms)")  # fmt: skip

        print("import time, top ten of launch → roster shown (-X importtime, cumulative):")
        for ms, name in import_top(db_path, settings_path):
            print(f"  {ms:7.1f} ms  {name}")

        ui_t, sql_t, rows = bench_keystrokes(db_path, settings_path, args.runs)
        print(f"filter keystroke        median {ui_t * 1000:7.1f} ms   "
              f"(raw sqlite3 query {sql_t * 1000:5.1f} ms, ratio {ui_t / sql_t:4.1f}×; "
              f"up to {rows} rows matched, {len(WORDS)} words typed × {args.runs})")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
