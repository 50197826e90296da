"""A 100,000-row 花名册 with one bad row must be refused, naming that row, in under 60 s and
under 1 GB (issue #11).

    .venv/bin/python benchmarks/bench_big_roster.py [--rows 100000] [--runs 3]

Writes the sheet (valid 身份证号, one row with a wrong check digit), then runs, each in its
own process and timed from outside (median of --runs):
  bare    openpyxl read-only iteration over every cell of the same file
  import  ``main.py import-roster --db <empty db> <file>`` (must exit 1 and name the row)
Peak memory is the child's ru_maxrss (os.wait4), which tracemalloc cannot see.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[1]
HEADER = [
    "序号",
    "姓名",
    "性别",
    "出生年月",
    "民族",
    "政治面貌",
    "工作单位",
    "现任职务",
    "身份证号",
]
UNITS = ["市委组织部", "市委宣传部", "市财政局", "靖远县", "会宁县", "景泰县", "白银区", "平川区"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def id_number(birth: dt.date, seq: int) -> str:
    """A valid GB 11643 number (MOD 11-2 check digit) in 620402."""
    body = f"620402{birth:%Y%m%d}{seq:03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS, strict=True)) % 11]


def write_sheet(path: Path, rows: int, bad_row: int) -> None:
    """``bad_row`` is the sheet row (the header is row 1) whose 身份证号 has a wrong check
    digit."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("花名册")
    ws.append(HEADER)
    start = dt.date(1962, 1, 1)
    for i in range(rows):
        birth = start + dt.timedelta(days=i % 13_000)
        seq = 2 * (i // 13_000) + 1  # odd: 男
        number = id_number(birth, seq)
        if i + 2 == bad_row:
            number = number[:-1] + ("0" if number[-1] != "0" else "1")
        name = SURNAMES[i % 20] + GIVEN[(i // 20) % 20] + GIVEN[(i // 400) % 20]
        ws.append([
            i + 1, name, "男", f"{birth:%Y.%m}", "汉族", "中共党员",
            UNITS[i % len(UNITS)], "科员", number,
        ])  # fmt: skip
    wb.save(path)


BARE = """
import sys
from openpyxl import load_workbook
wb = load_workbook(sys.argv[1], read_only=True, data_only=True)
n = 0
for row in wb.active.iter_rows(values_only=True):
    for _ in row:
        pass
    n += 1
wb.close()
print(n)
"""


def run_child(argv: list[str]) -> tuple[float, float, int, str]:
    """(seconds, peak RSS in MB, exit code, stdout+stderr) of one child process."""
    t = time.perf_counter()
    proc = subprocess.Popen(
        argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    out = proc.stdout.read() if proc.stdout else ""
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_maxrss / 1024, proc.returncode, out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-big-roster-"))
    sheet = tmp / "花名册10万行.xlsx"
    bad_row = args.rows // 2 + 7
    t = time.perf_counter()
    write_sheet(sheet, args.rows, bad_row)
    print(f"写入 {args.rows} 行（第{bad_row}行身份证号校验码错）：{time.perf_counter() - t:.1f} s，"
          f"{sheet.stat().st_size / 1e6:.1f} MB")  # fmt: skip
    py = sys.executable
    bare, imp = [], []
    for n in range(args.runs):
        bare.append(run_child([py, "-c", BARE, str(sheet)]))
        db = tmp / f"run{n}.db"
        imp.append(run_child([py, "main.py", "import-roster", "--db", str(db), str(sheet)]))
    ok = True
    for _seconds, _mb, code, out in imp:
        named = f"第{bad_row}行" in out and "身份证号" in out
        if code != 1 or not named or "Traceback" in out:
            ok = False
            print(f"意外结果：退出码 {code}\n{out[-2000:]}")
    t_bare = statistics.median(s for s, *_ in bare)
    m_bare = statistics.median(m for _, m, *_ in bare)
    t_imp = statistics.median(s for s, *_ in imp)
    m_imp = max(m for _, m, *_ in imp)
    print(
        f"bare openpyxl 读取  {t_bare:6.1f} s  峰值内存 {m_bare:7.0f} MB  (中位数，{args.runs} 次)"
    )
    print(f"import-roster 拒绝  {t_imp:6.1f} s  峰值内存 {m_imp:7.0f} MB  (时间中位数，内存最大)")
    print(f"import / bare 时间比 {t_imp / t_bare:.2f}×；每次运行："
          + "，".join(f"{s:.1f} s/{m:.0f} MB" for s, m, *_ in imp))  # fmt: skip
    lines = [ln for ln in imp[0][3].splitlines() if f"第{bad_row}行" in ln]
    print("报出的错误：" + (lines[0] if lines else "（没有）"))
    passed = ok and t_imp < 60 and m_imp < 1024
    print("结论：" + ("通过（< 60 s，< 1 GB）" if passed else "未通过"))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
