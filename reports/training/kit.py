"""The printed kit of a training class: 课程表, 签到表 and 学员名册 as PDF.

(结业证书 and 学时证明 are in :mod:`reports.training.certificates`, the xlsx exports in
:mod:`reports.training.kit_xlsx`, the shared plumbing in :mod:`reports.common.pdf_base`.)

Every PDF is laid out in memory and written through a temporary file renamed into place, so
a cancelled or failed job never leaves a half-written file; the same data gives the same bytes
(``invariant=1``). ``progress(done, total, text)`` is called after each item (a sheet, a
group...); ``cancelled()`` is checked before each one and raises
:class:`models.core.progress.Cancelled`.

Data comes from :mod:`models.training.print_data`; the ``print_*`` functions gather it for a class
id, the ``render_*`` functions lay out data already gathered.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer, Table

from models.core.progress import IsCancelled, Progress
from models.training import planner as tt
from models.training import print_data as tp
from reports.common import fonts, styles
from reports.common.cjk import CJKParagraph
from reports.common.files import write_atomic
from reports.common.pdf_base import (
    CELL,
    CELL_CENTER,
    GROUP_FILL,
    HEAD,
    INFO,
    INFO_LEFT,
    INFO_RIGHT,
    REPORT_TITLE,
    Job,
    Tick,
    build_pdf,
    cell_heights,
    font_warnings,
    mpara,
    para,
    table_style,
)

__all__ = [
    "KitResult",
    "print_roster",
    "print_signin",
    "print_timetable",
    "render_roster",
    "render_signin",
    "render_timetable",
]


@dataclass(frozen=True)
class KitResult:
    """What a kit PDF function produced: pages, items (sheets, certificates...) and warnings."""

    pages: int
    items: int
    warnings: tuple[str, ...] = field(default_factory=tuple)


#: Light fills per teaching mode: readable in colour, near-white in black and white (the mode
#: name is always printed in the cell too).
MODE_COLOURS: dict[str, colors.Color] = {
    tt.LECTURE: colors.HexColor("#D6E6F7"),
    tt.FIELD_STUDY: colors.HexColor("#DCEFD5"),
    tt.DISCUSSION: colors.HexColor("#FBEACB"),
    tt.OTHER: colors.HexColor("#ECECEC"),
}
#: A 课程表 cell: the course title, then mode, teacher and place in small print.
TT_CELL = ParagraphStyle("kit_tt", parent=CELL_CENTER, fontSize=9.5, leading=11.2)


def _info_line(c: tp.ClassHeader, *extra: str) -> CJKParagraph:
    parts = [f"培训时间：{c.period}"]
    if c.organiser:
        parts.append(f"主办单位：{c.organiser}")
    if c.head_teacher:
        parts.append(f"班主任：{c.head_teacher}")
    parts.extend(extra)
    return mpara("&nbsp;&nbsp;&nbsp;&nbsp;".join(fonts.markup(x) for x in parts), INFO)


# ============================================================================ 课程表


def _tt_cell(cell: tp.TimetableCell | None) -> Any:
    if cell is None:
        return ""
    title = fonts.markup(cell.title + ("（选学）" if cell.elective else ""))
    meta = [cell.mode] if cell.mode != tt.OTHER else []
    meta += [x for x in (cell.teacher, cell.place) if x]
    text = f"{title}"
    if meta:
        text += f'<br/><font size="8">{fonts.markup("｜".join(meta))}</font>'
    return mpara(text, TT_CELL)


def _share_cell(line: tp.ShareLine) -> CJKParagraph:
    mark = "" if line.within_tolerance else "（偏离目标）"
    text = (
        f"{line.mode}：{line.half_days} 个半天，{tp.fmt_num(line.hours)} 学时{mark}<br/>"
        f'<font size="8">目标 {tp.fmt_num(line.target_half_days)} 个半天，'
        f"{tp.fmt_num(line.target_hours)} 学时</font>"
    )
    return mpara(text, CELL_CENTER)


def timetable_story(data: tp.TimetablePrint, width: float) -> list[Flowable]:
    c = data.cls
    story: list[Flowable] = [
        para(f"{c.name}课程表", REPORT_TITLE),
        _info_line(c),
        Spacer(1, 2 * mm),
    ]
    date_w = 24 * mm
    slot_w = (width - date_w) / len(data.slots)
    col_w = [date_w, *([slot_w] * len(data.slots))]
    rows: list[list[Any]] = [[mpara("日期", HEAD), *(mpara(s, HEAD) for s in data.slots)]]
    cmds: list[tuple[Any, ...]] = []
    for r, day in enumerate(data.days, start=1):
        label = f"{day.day.month}月{day.day.day}日<br/>{day.weekday}"
        rows.append([mpara(label, TT_CELL), *(_tt_cell(x) for x in day.cells)])
        for k, cell in enumerate(day.cells, start=1):
            if cell is not None:
                fill = MODE_COLOURS.get(cell.mode, MODE_COLOURS[tt.OTHER])
                cmds.append(("BACKGROUND", (k, r), (k, r), fill))
    heights = cell_heights(rows, col_w, [18.0] + [27.0] * len(data.days))
    story.append(
        Table(
            rows,
            colWidths=col_w,
            rowHeights=heights,
            repeatRows=1,
            style=table_style(*cmds),
        )
    )
    # footer: shares coloured like the cells, so it is also the legend
    foot: list[Any] = [mpara("三三制比例<br/>（图例）", CELL_CENTER)]
    foot += [_share_cell(x) for x in data.shares]
    foot.append(
        mpara(
            f"其他（开班式、结业式等）<br/>{data.other_half_days} 个半天，"
            f"{tp.fmt_num(data.other_hours)} 学时",
            CELL_CENTER,
        )
    )
    foot.append(
        mpara(
            f"合计<br/>{data.total_half_days} 个半天，{tp.fmt_num(data.total_hours)} 学时",
            CELL_CENTER,
        )
    )
    fw = [date_w] + [(width - date_w) * f for f in (0.22, 0.22, 0.22, 0.18)]
    fw.append(width - sum(fw))
    fcmds: list[tuple[Any, ...]] = [
        ("BACKGROUND", (k + 1, 0), (k + 1, 0), MODE_COLOURS.get(x.mode, colors.white))
        for k, x in enumerate(data.shares)
    ]
    fcmds.append(
        ("BACKGROUND", (len(data.shares) + 1, 0), (len(data.shares) + 1, 0), MODE_COLOURS[tt.OTHER])
    )
    story.append(Spacer(1, 1.5 * mm))
    story.append(
        Table(
            [foot],
            colWidths=fw,
            rowHeights=cell_heights([foot], fw, 28.0),
            style=table_style(
                *fcmds, ("LINEBELOW", (0, 0), (-1, 0), styles.LINE_WIDTH, colors.black)
            ),
        )
    )
    return story


def render_timetable(
    data: tp.TimetablePrint,
    out: str | os.PathLike[str],
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> KitResult:
    """课程表 of one class on landscape A4 pages (the header row repeats on each page)."""
    job = Job("课程表", progress, cancelled)
    page = landscape(A4)
    mx, my = 12 * mm, 9 * mm
    story: list[Flowable] = [Tick(job, 0, 1), *timetable_story(data, page[0] - 2 * mx)]
    texts = [(f"课程表《{s.title}》", f"{s.title}{s.teacher_name}") for s in data.sessions]
    warnings = font_warnings(texts)
    pdf, pages = build_pdf(
        story,
        job=job,
        total=1,
        title=f"{data.cls.name}课程表",
        pagesize=page,
        margin_x=mx,
        margin_y=my,
    )
    write_atomic(out, pdf, "课程表")
    return KitResult(pages, 1, tuple(warnings))


def print_timetable(
    class_id: int,
    out: str | os.PathLike[str],
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> KitResult:
    """Gather the class's timetable and write its 课程表 PDF to ``out``."""
    return render_timetable(tp.timetable_print_data(class_id), out, progress, cancelled)


# ============================================================================ 签到表

SIGNIN_ROW_H = 9 * mm  # room for a handwritten signature
SIGNIN_COLS = (("序号", 10), ("姓名", 22), ("单位", 42), ("职务", 32), ("组别", 14))


def _signin_table(data: tp.SigninPrint, sheet: tp.SigninSheet, width: float) -> Table:
    fixed = [w * mm for _, w in SIGNIN_COLS]
    note_w = 20 * mm
    col_w = [*fixed, width - sum(fixed) - note_w, note_w]
    n = len(col_w)
    gap = "&nbsp;&nbsp;&nbsp;&nbsp;"
    when = f"{tp.date_cn(sheet.day)}（{sheet.weekday}）{sheet.slot}"
    line1 = f"时间：{when}{gap}课程：{fonts.markup(sheet.title)}"
    bits = [f"教学形式：{sheet.mode}"] if sheet.mode != tt.OTHER else []
    if sheet.teacher:
        bits.append(f"授课教师：{fonts.markup(sheet.teacher)}")
    if sheet.place:
        bits.append(f"地点：{fonts.markup(sheet.place)}")
    bits.append(f"学时：{tp.fmt_num(sheet.hours)}")
    info = mpara(f"{line1}<br/>{gap.join(bits)}", INFO_LEFT)
    rows: list[list[Any]] = [[info] + [""] * (n - 1)]
    heads = [*(h for h, _ in SIGNIN_COLS), "签名", "备注"]
    rows.append([mpara(h, HEAD) for h in heads])
    rows.extend(
        [
            para(str(r.seq), CELL_CENTER),
            para(r.name, CELL_CENTER),
            para(r.unit),
            para(r.post),
            para(r.group, CELL_CENTER),
            "",
            para(r.note, CELL_CENTER),
        ]
        for r in sheet.rows
    )
    spans = {(0, 0): n}
    heights = cell_heights(rows, col_w, [0.0, 20.0] + [SIGNIN_ROW_H] * len(sheet.rows), spans)
    return Table(
        rows,
        colWidths=col_w,
        rowHeights=heights,
        repeatRows=2,
        style=table_style(
            ("SPAN", (0, 0), (-1, 0)),
            ("LINEBELOW", (0, 0), (-1, 0), styles.LINE_WIDTH, colors.black),
            ("LINEBELOW", (0, 1), (-1, 1), 1.2, colors.black),
            ("TOPPADDING", (0, 0), (-1, 0), 4),
            ("BOTTOMPADDING", (0, 0), (-1, 0), 4),
        ),
    )


def signin_story(data: tp.SigninPrint, width: float, job: Job) -> list[Flowable]:
    story: list[Flowable] = []
    total = len(data.sheets)
    for i, sheet in enumerate(data.sheets):
        if i:
            story.append(PageBreak())
        story.append(Tick(job, i, total))
        story.append(para(f"{data.cls.name}签到表", REPORT_TITLE))
        story.append(Spacer(1, 2 * mm))
        story.append(_signin_table(data, sheet, width))
        leave = sum(1 for r in sheet.rows if r.note)
        blank = "_______"
        counts = (
            f"应到 {len(sheet.rows)} 人，实到{blank}人，请假{blank}人"
            f"{f'（已登记 {leave} 人）' if leave else ''}，缺勤{blank}人。"
        )
        story.append(Spacer(1, 3 * mm))
        story.append(mpara(counts, INFO_LEFT))
        story.append(mpara(f"考勤人（签字）：{blank}{blank}", INFO_RIGHT))
    return story


def render_signin(
    data: tp.SigninPrint,
    out: str | os.PathLike[str],
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> KitResult:
    """签到表: one sheet per session (A4 portrait), a long class continues on further pages
    with the session line and the column headers repeated."""
    job = Job("签到表", progress, cancelled)
    page = A4
    mx, my = 15 * mm, 12 * mm
    story = signin_story(data, page[0] - 2 * mx, job)
    names = data.sheets[0].rows if data.sheets else ()
    warnings = font_warnings((f"签到表学员“{r.name}”", r.name + r.unit + r.post) for r in names)
    pdf, pages = build_pdf(
        story,
        job=job,
        total=len(data.sheets),
        title=f"{data.cls.name}签到表",
        pagesize=page,
        margin_x=mx,
        margin_y=my,
    )
    write_atomic(out, pdf, "签到表")
    return KitResult(pages, len(data.sheets), tuple(warnings))


def print_signin(
    class_id: int,
    out: str | os.PathLike[str],
    session_id: int | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> KitResult:
    """签到表 PDF of every session of the class, or only ``session_id``."""
    return render_signin(tp.signin_data(class_id, session_id), out, progress, cancelled)


# ============================================================================ 学员名册

ROSTER_COLS = (
    ("序号", 10),
    ("姓名", 24),
    ("性别", 10),
    ("出生年月", 18),
    ("单位及职务", 0),  # the rest of the width
    ("职级", 26),
    ("联系电话", 28),
)


def _roster_name(p: tp.RosterPerson) -> CJKParagraph:
    text = fonts.markup(p.name)
    if p.marks:
        text += f'<br/><font size="7.5">（{"、".join(p.marks)}）</font>'
    return mpara(text, CELL_CENTER)


def roster_story(data: tp.RosterPrint, width: float, job: Job) -> list[Flowable]:
    c = data.cls
    story: list[Flowable] = [
        para(f"{c.name}学员名册", REPORT_TITLE),
        _info_line(c, f"学员 {data.total} 人"),
        Spacer(1, 3 * mm),
    ]
    fixed = sum(w for _, w in ROSTER_COLS) * mm
    col_w = [w * mm if w else width - fixed for _, w in ROSTER_COLS]
    rows: list[list[Any]] = [[mpara(h, HEAD) for h, _ in ROSTER_COLS]]
    cmds: list[tuple[Any, ...]] = []
    spans: dict[tuple[int, int], int] = {}
    mins: list[float] = [20.0]
    total = len(data.groups)
    for i, g in enumerate(data.groups):
        job.tick(i, total)
        r = len(rows)
        head = f"{g.label}（{len(g.people)} 人）"
        if g.convener:
            head += f"&nbsp;&nbsp;&nbsp;&nbsp;召集人：{fonts.markup(g.convener)}"
        rows.append([mpara(head, CELL)] + [""] * (len(col_w) - 1))
        spans[(r, 0)] = len(col_w)
        mins.append(18.0)
        cmds += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), GROUP_FILL)]
        for p in g.people:
            rows.append(
                [
                    para(str(p.seq), CELL_CENTER),
                    _roster_name(p),
                    para(p.sex, CELL_CENTER),
                    para(p.birth, CELL_CENTER),
                    para(p.unit_post),
                    para(p.rank, CELL_CENTER),
                    para(p.phone, CELL_CENTER),
                ]
            )
            mins.append(22.0)
    heights = cell_heights(rows, col_w, mins, spans)
    story.append(
        Table(rows, colWidths=col_w, rowHeights=heights, repeatRows=1, style=table_style(*cmds))
    )
    return story


def render_roster(
    data: tp.RosterPrint,
    out: str | os.PathLike[str],
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> KitResult:
    """学员名册 (A4 portrait): trainees by discussion group, officers and conveners marked."""
    job = Job("学员名册", progress, cancelled)
    page = A4
    mx, my = 15 * mm, 12 * mm
    story = roster_story(data, page[0] - 2 * mx, job)
    people = [p for g in data.groups for p in g.people]
    warnings = font_warnings((f"学员名册“{p.name}”", p.name + p.unit_post) for p in people)
    pdf, pages = build_pdf(
        story,
        job=job,
        total=len(data.groups),
        title=f"{data.cls.name}学员名册",
        pagesize=page,
        margin_x=mx,
        margin_y=my,
    )
    write_atomic(out, pdf, "学员名册")
    return KitResult(pages, len(people), tuple(warnings))


def print_roster(
    class_id: int,
    out: str | os.PathLike[str],
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> KitResult:
    """学员名册 PDF of the class."""
    return render_roster(tp.roster_print_data(class_id), out, progress, cancelled)
