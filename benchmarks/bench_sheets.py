"""Benchmark: 年度考核登记表 PDFs per second.

Prints, as the median of several runs in the same process, for N sheets of the official form
(two A4 pages each: title, header block and 个人总结 on the front; the five opinion boxes on the
back), every sheet with its own name and its own 个人总结 text:

* ``render_sheets`` (避头尾 wrapping, fallback fonts for rare characters, the unchanging frame of
  the form drawn once per PDF as a form XObject) for N sheets into one PDF;
* the same layout with the frame redrawn on every page (no form reuse), for reference;
* a bare reportlab canvas drawing the same form (same boxes, labels, values and text, naive
  character wrapping, every page drawn from scratch) for the same N sheets -- the baseline;
* the ratio of our speed to the bare canvas speed (goal: at least 0.7);
* 1 vs 2 worker processes (``ProcessPoolExecutor``, fonts registered once per process), each
  worker rendering its share of the sheets into its own PDF.

Run: ``.venv/bin/python benchmarks/bench_sheets.py [--sheets 1000] [--runs 3] [--profile]``
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
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

from reports.common import fonts
from reports.sheets import SIGN_LINE, SheetData, SheetVariant, render_sheets  # noqa: E402
from reports.sheets.draw import SheetCanvas  # noqa: E402
from reports.sheets.layout import geometry, layout_sheet  # noqa: E402
from reports.sheets.model import PageSize  # noqa: E402

SUMMARY = (
    "一年来，本人认真学习贯彻党的二十大精神，严格遵守各项纪律规定，扎实做好本职工作；"
    "全年完成调研报告{n}篇，组织开展“三三制”培训班{k}期，参训干部{p}人次。"
)


def make_sheets(n: int) -> list[SheetData]:
    """N different people; each 个人总结 differs (numbers), so nothing can be reused across
    sheets except what really repeats on a paper form (labels, rules, common values)."""
    return [
        SheetData(
            year=2024,
            name=f"干部{i:04d}",
            gender="男" if i % 2 else "女",
            birth=f"19{60 + i % 30}.0{1 + i % 9}",
            political_status="中共党员",
            post_since="2019.06",
            unit_and_post=f"白银市委组织部干部教育科科员（第{i % 50}号）",
            work_scope="干部教育培训",
            summary="\n".join(SUMMARY.format(n=i % 17 + j, k=j + 1, p=400 + i) for j in range(4)),
            training_hours=40 + i % 30,
            rewards_sanctions="获市级优秀共产党员表彰",
            variant=SheetVariant.OFFICIAL,
        )
        for i in range(n)
    ]


def render_ours(sheets: Sequence[SheetData]) -> int:
    buf = io.BytesIO()
    render_sheets(sheets, buf)
    return len(buf.getvalue())


def render_ours_no_reuse(sheets: Sequence[SheetData]) -> int:
    geo = geometry(PageSize.A4)
    buf = io.BytesIO()
    pdf = SheetCanvas(buf, geo.page, reuse_static=False)
    for s in sheets:
        for plan in layout_sheet(s, geo):
            pdf.draw_page(plan)
    pdf.finish()
    return len(buf.getvalue())


_WIDTHS: dict[str, float] = {}


def _wrap(text: str, width: float, font: str, size: float) -> list[str]:
    lines, line, used = [], "", 0.0
    for ch in text:
        w = _WIDTHS.get(ch)
        if w is None:
            w = _WIDTHS[ch] = stringWidth(ch, font, size)
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
    top, bottom = 282 * mm, 15 * mm
    cols = [0, lw, lw + 37 * mm, lw + 55 * mm, lw + 76 * mm, lw + 98 * mm, w]

    def label(text: str, x: float, y_mid: float, width: float) -> None:
        parts = text.split("\n")
        y = y_mid + (len(parts) - 1) * 7 - 3.5
        for part in parts:
            c.drawCentredString(x + width / 2, y, part)
            y -= 14

    for s in sheets:
        c.setLineWidth(0.8)
        c.setFont(font, 20)
        c.drawCentredString(105 * mm, top - 20, f"{s.year}年度考核登记表")
        c.setFont(font, size)
        y = top - 34
        header = [
            ("姓名", s.name, "性别", s.gender, "出生年月", s.birth),
            ("政治面貌", s.political_status, "任现职时间", "", s.post_since, ""),
            ("单位及职务\n职级", s.unit_and_post, "", "", "", ""),
            ("从事或分管\n工作", s.work_scope, "", "", "", ""),
        ]
        for row in header:
            h = 10 * mm if "\n" not in row[0] else 34
            y -= h
            c.rect(x0, y, w, h)
            for k, text in enumerate(row):
                if text or k == 0:
                    c.line(x0 + cols[k], y, x0 + cols[k], y + h)
                    if k % 2 == 0:
                        label(text, x0 + cols[k], y + h / 2, cols[k + 1] - cols[k])
                    elif "\n" in row[0]:  # 单位及职务职级, 从事或分管工作: one wide cell
                        c.drawString(x0 + cols[k] + 4, y + h / 2 - 3.5, text)
                    else:
                        c.drawCentredString(x0 + (cols[k] + cols[k + 1]) / 2, y + h / 2 - 3.5, text)
        c.rect(x0, bottom, w, y - bottom)
        c.line(x0 + lw, bottom, x0 + lw, y)
        label("个人总结", x0, (y + bottom) / 2, lw)
        ty = y - 6 - size
        for para in s.summary.split("\n"):
            for line in _wrap("　　" + para, w - lw - 12, font, size):
                c.drawString(x0 + lw + 6, ty, line)
                ty -= 16
        c.drawRightString(x0 + w - 16.5, bottom + 12, SIGN_LINE)
        c.showPage()
        c.setLineWidth(0.8)
        c.setFont(font, size)
        y = top
        for text, height, footer in (
            ("主管领导\n评语和考核\n等次建议", 70, ("考核等次建议：", SIGN_LINE)),
            ("机关负责人\n或考核委员会\n意见", 70, ("（盖章）", SIGN_LINE)),
            ("被考核人意见", 40, (SIGN_LINE,)),
            ("未确定等次\n或不参加考核\n情况说明", 45, ("年　　月　　日",)),
            ("备注", 42, ()),
        ):
            low = y - height * mm if text != "备注" else bottom
            c.rect(x0, low, w, y - low)
            c.line(x0 + lw, low, x0 + lw, y)
            label(text, x0, (y + low) / 2, lw)
            fy = low + 12
            for line in reversed(footer):
                c.drawRightString(x0 + w - 16.5, fy, line)
                fy += 16
            y = low
        c.drawString(x0 + lw + 6, y + 42 * mm - 16.5, f"培训学时：{s.training_hours}学时")
        c.drawString(x0 + lw + 6, y + 42 * mm - 32.5, f"奖惩情况：{s.rewards_sanctions}")
        c.showPage()
    c.save()
    return len(buf.getvalue())


def _init_worker() -> None:
    fonts.setup_fonts()  # once per process


def _chunk(sheets: Sequence[SheetData]) -> int:
    return render_ours(sheets)


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
    ap.add_argument("--profile", action="store_true", help="also print a cProfile of ours")
    args = ap.parse_args()
    n, runs = args.sheets, args.runs
    setup = fonts.setup_fonts()
    sheets = make_sheets(n)
    print(f"main font: {setup.main.path} ({setup.main.source}); cores: {os.cpu_count()}")
    render_ours(sheets[:2])  # warm up (font subsets, caches of this process)
    render_canvas(sheets[:2])
    # interleave the runs so a busy machine slows both alike
    t_ours: list[float] = []
    t_plain: list[float] = []
    t_base: list[float] = []
    for _ in range(runs):
        t_ours += timed(lambda: render_ours(sheets), 1)
        t_plain += timed(lambda: render_ours_no_reuse(sheets), 1)
        t_base += timed(lambda: render_canvas(sheets), 1)
    size_ours, size_plain, size_base = (
        render_ours(sheets),
        render_ours_no_reuse(sheets),
        render_canvas(sheets),
    )
    m_ours, m_plain, m_base = (statistics.median(t) for t in (t_ours, t_plain, t_base))
    print(f"{n} sheets (official form, 2 A4 pages each), median of {runs} runs:")
    rows = (
        ("render_sheets", m_ours, size_ours),
        ("  same, frame redrawn per page", m_plain, size_plain),
        ("bare canvas, same form", m_base, size_base),
    )
    for name, t, size in rows:
        print(f"  {name:32s} {t:6.2f} s  {n / t:7.1f} sheets/s  {size / 1024:7.0f} KiB")
    print(
        f"  ratio render_sheets / bare canvas speed: {m_base / m_ours:.2f}  (goal >= 0.70; "
        f"without frame reuse {m_base / m_plain:.2f})"
    )
    t1 = statistics.median(pool_times(sheets, 1, runs))
    t2 = statistics.median(pool_times(sheets, 2, runs))
    print(f"  1 worker process:  {t1:6.2f} s  {n / t1:7.1f} sheets/s")
    print(f"  2 worker processes:{t2:6.2f} s  {n / t2:7.1f} sheets/s  speed-up {t1 / t2:.2f}x")
    if args.profile:
        prof = cProfile.Profile()
        prof.runcall(render_ours, sheets)
        pstats.Stats(prof).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
