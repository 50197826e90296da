"""Benchmark: 年度考核登记表 PDFs per second.

Prints, as the median of several runs in the same process:

* ``render_sheets`` (platypus, 避头尾 wrapping, fallback-font markup) for N sheets into one PDF;
* a bare reportlab canvas drawing the same two-page form (same boxes, labels and text, naive
  character wrapping) for the same N sheets -- the baseline;
* 1 vs 2 worker processes (``ProcessPoolExecutor``, fonts registered once per process), each
  worker rendering its share of the sheets into its own PDF.

Run: ``.venv/bin/python benchmarks/bench_sheets.py [--sheets 1000] [--runs 3]``
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.lib.units import mm  # noqa: E402
from reportlab.pdfbase.pdfmetrics import stringWidth  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from reports import fonts  # noqa: E402
from reports.sheet import SheetData, SheetVariant, render_sheets  # noqa: E402

SUMMARY = (
    "一年来，本人认真学习贯彻党的二十大精神，严格遵守各项纪律规定，扎实做好本职工作；"
    "全年完成调研报告12篇，组织开展“三三制”培训班3期，参训干部480人次。" * 4
)


def make_sheets(n: int) -> list[SheetData]:
    return [
        SheetData(
            year=2024,
            name=f"干部{i:04d}",
            gender="男" if i % 2 else "女",
            birth="1975.03",
            political_status="中共党员",
            post_since="2019.06",
            unit_and_post="白银市委组织部干部教育科科长",
            work_scope="干部教育培训",
            summary=SUMMARY,
            training_hours=56,
            rewards_sanctions="获市级优秀共产党员表彰",
            variant=SheetVariant.OFFICIAL,
        )
        for i in range(n)
    ]


def render_platypus(sheets: Sequence[SheetData]) -> int:
    buf = io.BytesIO()
    render_sheets(sheets, buf)
    return len(buf.getvalue())


def _wrap(text: str, width: float, font: str, size: float) -> list[str]:
    lines, line, used = [], "", 0.0
    for ch in text:
        w = stringWidth(ch, font, size)
        if used + w > width and line:
            lines.append(line)
            line, used = "", 0.0
        line += ch
        used += w
    if line:
        lines.append(line)
    return lines


def render_canvas(sheets: Sequence[SheetData]) -> int:
    """The same two-page official form drawn directly on a canvas (the bare baseline)."""
    font, size = fonts.MAIN_FONT, 10.5
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(210 * mm, 297 * mm), invariant=1, initialFontName=font)
    x0, w, lw = 20 * mm, 170 * mm, 25.5 * mm
    top = 282 * mm
    for s in sheets:
        c.setFont(font, 20)
        c.drawCentredString(105 * mm, top - 8 * mm, f"{s.year}年度考核登记表")
        c.setFont(font, size)
        y = top - 14 * mm
        header = [
            ("姓名", s.name, "性别", s.gender, "出生年月", s.birth),
            ("政治面貌", s.political_status, "任现职时间", s.post_since, "", ""),
            ("单位及职务职级", s.unit_and_post, "", "", "", ""),
            ("从事或分管工作", s.work_scope, "", "", "", ""),
        ]
        cols = [0, lw, lw + 37 * mm, lw + 55 * mm, lw + 76 * mm, lw + 98 * mm, w]
        for row in header:
            y -= 10 * mm
            c.rect(x0, y, w, 10 * mm)
            for k, text in enumerate(row):
                if text:
                    c.line(x0 + cols[k], y, x0 + cols[k], y + 10 * mm)
                    c.drawString(x0 + cols[k] + 4, y + 3.5 * mm, text)
        boxes = [("个人总结", s.summary, y - (15 * mm))]
        for label, text, bottom in boxes:
            c.rect(x0, bottom, w, y - bottom)
            c.line(x0 + lw, bottom, x0 + lw, y)
            c.drawString(x0 + 4, (y + bottom) / 2, label)
            ty = y - 16
            for line in _wrap(text, w - lw - 12, font, size):
                c.drawString(x0 + lw + 6, ty, line)
                ty -= 16
            c.drawRightString(x0 + w - 16, bottom + 10, "签名：　　　　　　年　　月　　日")
        c.showPage()
        c.setFont(font, size)
        y = top
        for label, height in (
            ("主管领导评语和考核等次建议", 70),
            ("机关负责人或考核委员会意见", 70),
            ("被考核人意见", 40),
            ("未确定等次或不参加考核情况说明", 45),
            ("备注", 42),
        ):
            bottom = y - height * mm
            c.rect(x0, bottom, w, y - bottom)
            c.line(x0 + lw, bottom, x0 + lw, y)
            c.drawString(x0 + 4, (y + bottom) / 2, label[:5])
            c.drawRightString(x0 + w - 16, bottom + 10, "签名：　　　　　　年　　月　　日")
            y = bottom
        c.drawString(x0 + lw + 6, y + 30 * mm, f"培训学时：{s.training_hours}学时")
        c.showPage()
    c.save()
    return len(buf.getvalue())


def _init_worker() -> None:
    fonts.setup_fonts()  # once per process


def _chunk(sheets: Sequence[SheetData]) -> int:
    return render_platypus(sheets)


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def pool_times(sheets: list[SheetData], workers: int, runs: int) -> list[float]:
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker) as pool:
        list(pool.map(_chunk, [sheets[:2]] * workers))  # warm up: start and register fonts
        parts = [sheets[i::workers] for i in range(workers)]
        return timed(lambda: list(pool.map(_chunk, parts)), runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sheets", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    n, runs = args.sheets, args.runs
    setup = fonts.setup_fonts()
    sheets = make_sheets(n)
    print(f"main font: {setup.main.path} ({setup.main.source}); cores: {os.cpu_count()}")
    size = render_platypus(sheets[:1])  # warm up
    t_ours = timed(lambda: render_platypus(sheets), runs)
    t_base = timed(lambda: render_canvas(sheets), runs)
    size_ours, size_base = render_platypus(sheets), render_canvas(sheets)
    m_ours, m_base = statistics.median(t_ours), statistics.median(t_base)
    print(f"{n} sheets (2 A4 pages each), median of {runs} runs:")
    print(
        f"  render_sheets (platypus):  {m_ours:6.2f} s  {n / m_ours:7.1f} sheets/s  "
        f"{size_ours / 1024:7.0f} KiB"
    )
    print(
        f"  bare canvas baseline:      {m_base:6.2f} s  {n / m_base:7.1f} sheets/s  "
        f"{size_base / 1024:7.0f} KiB"
    )
    print(
        f"  render_sheets / canvas time ratio: {m_ours / m_base:.2f}x  (one sheet: "
        f"{size / 1024:.0f} KiB)"
    )
    t1 = statistics.median(pool_times(sheets, 1, runs))
    t2 = statistics.median(pool_times(sheets, 2, runs))
    print(f"  1 worker process:          {t1:6.2f} s  {n / t1:7.1f} sheets/s")
    print(
        f"  2 worker processes:        {t2:6.2f} s  {n / t2:7.1f} sheets/s  speed-up {t1 / t2:.2f}x"
    )


if __name__ == "__main__":
    main()
