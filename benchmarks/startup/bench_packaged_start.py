"""Start-up of the packaged program (PyInstaller one-folder build) beside ``python main.py``.

    bash packaging/build.sh            # once: makes dist/cadredesk/
    .venv/bin/python benchmarks/startup/bench_packaged_start.py [--dist dist/cadredesk] [--runs 5]

Prints, for the built ``cadredesk`` and for ``python main.py`` in the same run, the median of
N fresh processes (after one warm-up start of each):
  * launch → main window shown: ``--platform offscreen --db demo.db`` until the main window's
    first frame is flushed (the roster painted);
  * ``--help``: a command that starts, prints and exits;
and the ratio packaged / source.

How "shown" is seen: bench_roster_ui.py times a child (startup/app_child.py) that runs code
given with ``python -c`` and prints READY after ``w.grab()``. A frozen program has no
interpreter to hand such code to, so here both programs run exactly as a user starts them and
are timed from outside: Qt's own logging category ``qt.widgets.painting`` (QT_LOGGING_RULES)
prints "Flushing QRegion(...) of MainWindow(...)" when the main window's first frame reaches
the screen, which is the READY of both. The process is then stopped (the app has no option to
quit by itself). As in bench_roster_ui.py the source run uses compiled bytecode, in a cache of
this run, as an installed program does; each run has its own temporary home, so no user data,
settings or backups are touched.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[2]

SHOWN = re.compile(r"Flushing QRegion.* of MainWindow\(")


def child_env(home: Path, pycache: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONDONTWRITEBYTECODE", "QT_QPA_PLATFORM", "QT_LOGGING_RULES")
    }
    return env | {
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "PYTHONPYCACHEPREFIX": str(pycache),
        "QT_LOGGING_RULES": "qt.widgets.painting=true",
    }


def time_shown(cmd: Sequence[str], env: dict[str, str], timeout: float = 120) -> float:
    """Seconds from starting ``cmd`` to the main window's first frame; the process is then
    stopped (also after ``timeout`` seconds without it, e.g. behind a modal message box)."""
    shown = threading.Event()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    start = time.perf_counter()
    elapsed: list[float] = []

    def read(stream: IO[str]) -> None:
        for line in stream:  # read to the end, so that the child never blocks on a full pipe
            if not shown.is_set() and SHOWN.search(line):
                elapsed.append(time.perf_counter() - start)
                shown.set()

    assert proc.stderr is not None
    reader = threading.Thread(target=read, args=(proc.stderr,), daemon=True)
    reader.start()
    shown.wait(timeout)
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    reader.join(timeout=10)
    if not elapsed:
        raise RuntimeError(f"{cmd[0]}: the main window was not shown (exit {proc.returncode})")
    return elapsed[0]


def time_run(cmd: Sequence[str], env: dict[str, str]) -> float:
    """Seconds for ``cmd`` to run to its end (it must succeed)."""
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, check=True, timeout=120)
    return time.perf_counter() - start


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist" / "cadredesk")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cadres", type=int, default=300, help="demo database size")
    args = parser.parse_args()

    exe = args.dist.resolve() / ("cadredesk.exe" if sys.platform == "win32" else "cadredesk")
    if not exe.exists():
        print(f"no packaged program at {exe}: run bash packaging/build.sh first", file=sys.stderr)
        return 1

    with tempfile.TemporaryDirectory(prefix="cadredesk-bench-") as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "home").mkdir()
        env = child_env(tmp / "home", tmp / "pycache")
        # the demo made by the packaged program, one copy each: a source tree ahead of the build
        # migrates its copy to a newer schema, which the build would refuse to open
        demo = tmp / "demo.db"
        time_run([str(exe), "demo", "--db", str(demo), "--cadres", str(args.cadres)], env)
        programs = {
            "packaged": [str(exe)],
            "source": [sys.executable, str(ROOT / "main.py")],
        }
        window: dict[str, list[str]] = {}
        for name in programs:
            shutil.copyfile(demo, tmp / f"{name}.db")
            window[name] = ["--platform", "offscreen", "--db", str(tmp / f"{name}.db")]
        shown: dict[str, list[float]] = {name: [] for name in programs}
        helped: dict[str, list[float]] = {name: [] for name in programs}
        for name, cmd in programs.items():  # warm-up: caches, migration, the daily backup
            time_shown([*cmd, *window[name]], env)
            time_run([*cmd, "--help"], env)
        for _ in range(args.runs):  # interleaved, so that load on the machine hits both alike
            for name, cmd in programs.items():
                shown[name].append(time_shown([*cmd, *window[name]], env))
                helped[name].append(time_run([*cmd, "--help"], env))

    print(f"start-up, median of {args.runs} (demo database, {args.cadres} cadres; {exe}):")
    for label, results in (("launch → main window shown", shown), ("--help", helped)):
        packaged, source = median_ms(results["packaged"]), median_ms(results["source"])
        print(f"  {label:27s} packaged {packaged:6.0f} ms   python main.py {source:6.0f} ms   "
              f"ratio {packaged / source:4.2f}×")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
