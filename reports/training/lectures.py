"""The printed pieces of a 领导干部讲坛 lecture, as PDF on A4 portrait:

* the 通知 — heading, 主送 line, the lecture's particulars numbered 一、二、…, the 有关要求
  numbered （一）（二）… with the 学时 line last, the 主办单位 and date at the foot;
* the 签到表 — the lecture line over 序号、姓名、单位、职务、签到 columns, the expected
  cadres unit by unit (a shaded row names each unit), header rows repeated on every page,
  rows tall enough for a handwritten signature, 应到/实到 counts under the table.

Like the class kit (:mod:`reports.training.kit`): laid out in memory, written atomically,
the same data gives the same bytes; each function returns a :class:`KitResult`. The data
comes from :mod:`models.training.lectures.print_data`.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from models.core.progress import IsCancelled, Progress
from models.training.lectures import print_data as lp
from models.training.print_data import cn_number, date_cn, fmt_num
from reports.common import fonts, styles
from reports.common.cjk import CJKParagraph
from reports.common.files import write_atomic
from reports.common.pdf_base import (
    CELL,
    CELL_CENTER,
    GROUP_FILL,
    HEAD,
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
from reports.training.kit import KitResult

__all__ = [
    "print_lecture_notice",
    "print_lecture_signin",
    "render_lecture_notice",
    "render_lecture_signin",
]

_SP = "\u3000"  # a full-width space: the notice's indents are counted in characters

NOTICE_TITLE = ParagraphStyle(
    "lecture_notice_title", parent=styles.TITLE, fontSize=19, leading=30, spaceAfter=14
)
NOTICE_TEXT = ParagraphStyle(
    "lecture_notice_text", parent=styles.BODY, fontSize=14, leading=27, alignment=TA_LEFT
)
NOTICE_PARA = ParagraphStyle("lecture_notice_para", parent=NOTICE_TEXT, firstLineIndent=28)
NOTICE_ITEM = ParagraphStyle(
    "lecture_notice_item", parent=NOTICE_TEXT, leftIndent=28, firstLineIndent=0
)
NOTICE_SIGN = ParagraphStyle(
    "lecture_notice_sign", parent=NOTICE_TEXT, alignment=TA_RIGHT, rightIndent=28
)


# ============================================================================ 通知


def _item(label: str, text: str) -> CJKParagraph:
    """一、讲座题目：… (the label marked bold; the CJK fonts have one face, so it prints plain)."""
    return CJKParagraph(f"<b>{label}</b>{fonts.markup(text)}", NOTICE_PARA)


def notice_story(data: lp.NoticePrint) -> list[Flowable]:
    lec = data.lecture
    place = f"在{lec.place}" if lec.place else ""
    intro = f"经研究，定于{lec.when}{place}举办{lec.heading}，现将有关事项通知如下："
    speaker = lec.speaker + (f"（{lec.speaker_title}）" if lec.speaker_title else "")
    audience = f"{data.audience}（共 {data.expected} 人）" if data.expected else data.audience
    items = [
        ("讲座题目：", f"《{lec.title}》"),
        ("主讲人：", speaker),
        ("时间：", lec.when),
        ("地点：", lec.place or "另行通知"),
        ("参加人员：", audience),
    ]
    story: list[Flowable] = [
        CJKParagraph(fonts.markup(data.title), NOTICE_TITLE),
        CJKParagraph("各有关单位：", NOTICE_TEXT),
        CJKParagraph(fonts.markup(intro), NOTICE_PARA),
    ]
    for k, (label, text) in enumerate(items, start=1):
        story.append(_item(f"{cn_number(k)}、{label}", text))
    story.append(CJKParagraph(f"<b>{cn_number(len(items) + 1)}、有关要求</b>", NOTICE_PARA))
    lines = [*data.requirements, data.hours_line]
    for k, line in enumerate(lines, start=1):
        story.append(CJKParagraph(f"（{cn_number(k)}）{fonts.markup(line)}", NOTICE_PARA))
    when = date_cn(data.issue_date) if data.issue_date else f"{_SP * 3}年{_SP * 2}月{_SP * 2}日"
    story += [
        Spacer(1, 16 * mm),
        CJKParagraph(fonts.markup(lec.organiser or "（主办单位）"), NOTICE_SIGN),
        CJKParagraph(when, NOTICE_SIGN),
    ]
    return story


def render_lecture_notice(
    data: lp.NoticePrint,
    out: str | os.PathLike[str],
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> KitResult:
    """讲坛通知 of one lecture (A4 portrait, usually one page)."""
    job = Job("讲坛通知", progress, cancelled)
    story: list[Flowable] = [Tick(job, 0, 1), *notice_story(data)]
    lec = data.lecture
    texts = [
        ("通知", lec.title + lec.speaker + lec.speaker_title + lec.place + data.audience),
        ("通知的有关要求", "".join(data.requirements)),
    ]
    pdf, pages = build_pdf(
        story,
        job=job,
        total=1,
        title=data.title,
        pagesize=A4,
        margin_x=26 * mm,
        margin_y=25 * mm,
        page_numbers=False,
    )
    write_atomic(out, pdf, "讲坛通知")
    return KitResult(pages, 1, tuple(font_warnings(texts)))


def print_lecture_notice(
    lecture_id: int,
    out: str | os.PathLike[str],
    *,
    issue_date: dt.date | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> KitResult:
    """Gather the lecture's notice data and write the 通知 PDF to ``out``."""
    data = lp.notice_data(lecture_id, issue_date=issue_date)
    return render_lecture_notice(data, out, progress, cancelled)


# ============================================================================ 签到表

SIGNIN_ROW_H = 9 * mm  # room for a handwritten signature
SIGNIN_COLS = (("序号", 12), ("姓名", 24), ("单位", 0), ("职务", 44), ("签到", 36))
LEAVE_MARK = ParagraphStyle(
    "lecture_leave", parent=CELL_CENTER, textColor=colors.HexColor("#555555")
)


def _signin_table(data: lp.LectureSigninPrint, width: float, job: Job) -> Table:
    fixed = sum(w for _, w in SIGNIN_COLS) * mm
    col_w = [w * mm if w else width - fixed for _, w in SIGNIN_COLS]
    n = len(col_w)
    lec = data.lecture
    gap = "&nbsp;&nbsp;&nbsp;&nbsp;"
    line1 = f"讲座：《{fonts.markup(lec.title)}》{gap}主讲人：{fonts.markup(lec.speaker)}"
    bits = [f"时间：{fonts.markup(lec.when)}"]
    if lec.place:
        bits.append(f"地点：{fonts.markup(lec.place)}")
    bits.append(f"学时：{fmt_num(lec.hours)}")
    rows: list[list[Any]] = [[mpara(f"{line1}<br/>{gap.join(bits)}", INFO_LEFT)] + [""] * (n - 1)]
    rows.append([mpara(h, HEAD) for h, _ in SIGNIN_COLS])
    mins: list[float] = [0.0, 20.0]
    spans: dict[tuple[int, int], int] = {(0, 0): n}
    cmds: list[tuple[Any, ...]] = [
        ("SPAN", (0, 0), (-1, 0)),
        ("LINEBELOW", (0, 0), (-1, 0), styles.LINE_WIDTH, colors.black),
        ("LINEBELOW", (0, 1), (-1, 1), 1.2, colors.black),
        ("TOPPADDING", (0, 0), (-1, 0), 4),
        ("BOTTOMPADDING", (0, 0), (-1, 0), 4),
    ]
    total = len(data.units)
    for i, unit in enumerate(data.units):
        job.tick(i, total)
        r = len(rows)
        rows.append(
            [mpara(f"{fonts.markup(unit.unit)}（{len(unit.people)} 人）", CELL)] + [""] * (n - 1)
        )
        spans[(r, 0)] = n
        mins.append(18.0)
        cmds += [
            ("SPAN", (0, r), (-1, r)),
            ("BACKGROUND", (0, r), (-1, r), GROUP_FILL),
            ("NOSPLIT", (0, r), (-1, r + 1)),  # a unit's row never ends a page alone
        ]
        for p in unit.people:
            rows.append(
                [
                    para(str(p.seq), CELL_CENTER),
                    para(p.name, CELL_CENTER),
                    para(p.unit),
                    para(p.post),
                    para(f"（{p.note}）", LEAVE_MARK) if p.note else "",
                ]
            )
            mins.append(SIGNIN_ROW_H)
    heights = cell_heights(rows, col_w, mins, spans)
    return Table(rows, colWidths=col_w, rowHeights=heights, repeatRows=2, style=table_style(*cmds))


def signin_story(data: lp.LectureSigninPrint, width: float, job: Job) -> list[Flowable]:
    blank = "_______"
    leave = f"（已请假 {data.excused} 人）" if data.excused else ""
    return [
        Tick(job, 0, len(data.units)),
        para(f"{data.lecture.heading}签到表", REPORT_TITLE),
        Spacer(1, 2 * mm),
        _signin_table(data, width, job),
        Spacer(1, 3 * mm),
        mpara(
            f"应到 {data.total} 人{leave}，实到{blank}人，请假{blank}人，缺席{blank}人。",
            INFO_LEFT,
        ),
        mpara(f"签到负责人（签字）：{blank}{blank}", INFO_RIGHT),
    ]


def render_lecture_signin(
    data: lp.LectureSigninPrint,
    out: str | os.PathLike[str],
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> KitResult:
    """讲坛签到表 (A4 portrait): a long list continues on further pages with the lecture line
    and the column headers repeated."""
    job = Job("讲坛签到表", progress, cancelled)
    page = A4
    mx, my = 15 * mm, 12 * mm
    story = signin_story(data, page[0] - 2 * mx, job)
    people = [p for u in data.units for p in u.people]
    warnings = font_warnings((f"签到表“{p.name}”", p.name + p.unit + p.post) for p in people)
    pdf, pages = build_pdf(
        story,
        job=job,
        total=len(data.units),
        title=f"{data.lecture.heading}签到表",
        pagesize=page,
        margin_x=mx,
        margin_y=my,
    )
    write_atomic(out, pdf, "讲坛签到表")
    return KitResult(pages, data.total, tuple(warnings))


def print_lecture_signin(
    lecture_id: int,
    out: str | os.PathLike[str],
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> KitResult:
    """Gather the lecture's expected cadres and write its 签到表 PDF to ``out``."""
    return render_lecture_signin(lp.lecture_signin_data(lecture_id), out, progress, cancelled)
