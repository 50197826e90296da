"""一项指导 on paper: the 考核结果反馈表 (谈话记录) of an annual round, and its list as xlsx.

PDF: one A4 page per cadre whose result is approved (the round 审定, or their 考核范围
approved on its own): 姓名, 考核等次, 单位及职务, when, where, how and by whom the result was
fed back, then the boxes 主要优点, 存在不足, 改进方向和指导意见 and 本人意见 with the
signature lines. A cadre with a record gets it printed; one without gets the same form with
empty boxes, to take to the talk and fill in by hand. Long text continues on the next page
(never clipped). xlsx: every participating member with their grade and feedback status
(已反馈 / 未反馈 / 结果未审定), the talk's date and 谈话人: the list of who is still to be
seen. Data from :func:`models.assessment.feedback_list`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer, Table
from reportlab.platypus.doctemplate import LayoutError

from models.assessment import FeedbackRow, feedback_list
from models.core.errors import DomainError
from models.core.progress import IsCancelled, Progress
from reports.assessment.data import resolve_round
from reports.common import fonts, styles
from reports.common.pdf_base import (
    INFO,
    REPORT_TITLE,
    Job,
    Tick,
    build_pdf,
    cell_heights,
    mpara,
    para,
)
from reports.common.xlsx import write_table

__all__ = ["FEEDBACK_HEADERS", "FeedbackData", "feedback_data", "feedback_pdf", "feedback_xlsx"]

PAGE = A4
MX, MY = 18 * mm, 14 * mm
WIDTH = PAGE[0] - 2 * MX
LABEL_W = 30 * mm
_NB = "\u00a0"  # a blank to write in: a paragraph keeps no-break spaces (not U+3000)
BOX = ParagraphStyle("fb_box", parent=styles.BODY, fontSize=11, leading=18)
LABEL = ParagraphStyle("fb_label", parent=styles.LABEL, fontSize=11, leading=15)
VALUE = ParagraphStyle("fb_value", parent=styles.BODY, fontSize=11, leading=15)
SIGN = ParagraphStyle("fb_sign", parent=styles.SIGN, fontSize=11, leading=18)
#: the boxes: field, label, minimum height (room to write by hand)
BOXES = (
    ("strengths", "主要优点", 46 * mm),
    ("shortcomings", "存在不足", 40 * mm),
    ("improvements", "改进方向和<br/>指导意见", 50 * mm),
    ("response", "本人意见", 32 * mm),
)
FEEDBACK_HEADERS = (
    "序号", "单位", "姓名", "职务", "考核等次", "反馈情况", "谈话时间", "谈话人", "反馈形式",
)  # fmt: skip


@dataclass(frozen=True)
class FeedbackData:
    year: int
    round_name: str
    rows: tuple[FeedbackRow, ...]  # every participating member (unit scope), member order

    @property
    def printable(self) -> tuple[FeedbackRow, ...]:
        """Those whose result is approved: the forms to print."""
        return tuple(r for r in self.rows if r.approved)


def feedback_data(year_or_round: Any, unit_id: int | None = None) -> FeedbackData:
    rnd = resolve_round(year_or_round)
    return FeedbackData(rnd.year, rnd.name, tuple(feedback_list(rnd.id, unit_id)))


def _blank_date() -> str:
    return f"{_NB * 8}年{_NB * 5}月{_NB * 5}日"


def _lab(text: str) -> Any:
    return mpara(text, LABEL)


def _val(text: str) -> Any:
    return para(text, VALUE)


def _paras(text: str) -> list[Flowable]:
    return [para(p, BOX) for p in text.splitlines() if p.strip()]


#: room the title, its second line and the gap below take on the page
_TITLE_H = REPORT_TITLE.leading + REPORT_TITLE.spaceAfter + INFO.leading + 4 * mm
_INNER_PAD = 6.0  # top + bottom padding of a form_table_style cell


def _signed(paras: list[Flowable], sign: str, width: float, height: float) -> Table:
    """A box's text at the top and its signature line at the bottom (a borderless table
    as tall as the box)."""
    line = 9 * mm
    return Table(
        [[paras or [Spacer(1, 0)]], [mpara(sign, SIGN)]],
        colWidths=[width],
        rowHeights=[height - line - _INNER_PAD, line],
        style=[
            ("FONTNAME", (0, 0), (-1, -1), styles.FONT),
            ("VALIGN", (0, 0), (0, 0), "TOP"),
            ("VALIGN", (0, 1), (0, 1), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ],
    )


def _page(d: FeedbackData, r: FeedbackRow) -> list[Flowable]:
    f = r.feedback
    day = f"{f.talk_date.year}年{f.talk_date.month}月{f.talk_date.day}日" if f else _blank_date()
    value_w = (WIDTH - 2 * LABEL_W) / 2
    col_w = [LABEL_W, value_w, LABEL_W, value_w]
    box_w = WIDTH - LABEL_W - 8  # inside the cell's padding
    rows: list[list[Any]] = [
        [_lab("姓名"), _val(r.name), _lab("考核等次"), _val(r.grade)],
        [_lab("单位及职务"), _val(r.unit_and_post), "", ""],
        [_lab("谈话时间"), _val(day), _lab("反馈形式"), _val(f.form if f else "")],
        [_lab("谈话地点"), _val(f.place if f else ""), _lab("谈话人"), _val(f.talker if f else "")],
    ]
    heights = cell_heights(rows, col_w, 11 * mm, {(1, 1): 3})
    sign_h = 16 * mm
    boxes = [(label, _paras(getattr(f, name) if f else ""), low) for name, label, low in BOXES]
    need = [
        max(low, sum(p.wrap(box_w, 1e9)[1] for p in paras) + _INNER_PAD + 2)
        for _label, paras, low in boxes
    ]
    need[-1] += 9 * mm  # the 本人意见 box holds the cadre's signature line too
    # the boxes share out the rest of the page (room to write by hand), as the form does
    spare = PAGE[1] - 2 * MY - _TITLE_H - sum(heights) - sum(need) - sign_h - 2
    if spare > 0:
        lows = sum(low for *_x, low in boxes)
        need = [h + spare * low / lows for h, (*_x, low) in zip(need, boxes, strict=True)]
    for (label, paras, _low), h in zip(boxes, need, strict=True):
        if label == "本人意见":
            cell: Any = _signed(paras, f"本人签名：{_NB * 24}{_blank_date()}", box_w, h)
        else:
            cell = paras or ""
        rows.append([_lab(label), cell, "", ""])
        heights.append(h)
    recorder = f.recorder if f else ""
    sign = f"谈话人（签名）：{_NB * 12}记录人：{recorder}{_NB * 3}{_blank_date()}"
    rows.append([_lab("谈话人签名"), mpara(sign, SIGN), "", ""])
    heights.append(sign_h)
    spans = [(1, 1)] + [(k, 1) for k in range(4, len(rows))]
    cmds: list[tuple[Any, ...]] = [("SPAN", (c, k), (3, k)) for k, c in spans]
    cmds.append(("VALIGN", (1, 4), (1, len(rows) - 2), "TOP"))
    table = Table(
        rows,
        colWidths=col_w,
        rowHeights=heights,
        style=styles.form_table_style(*cmds),
        splitByRow=1,
    )
    return [
        para(f"{d.year}年度考核结果反馈表", REPORT_TITLE),
        para("（考核结果反馈与指导谈话记录）", INFO),
        Spacer(1, 4 * mm),
        table,
    ]


def feedback_pdf(
    d: FeedbackData,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> tuple[bytes, int]:
    """The 考核结果反馈表 of every approved person (filled in, or blank to fill by hand)."""
    fonts.current_setup()  # the fonts registered before the first label is built
    people = d.printable
    if not people:
        raise DomainError(
            f"“{d.round_name}”所选范围内还没有审定的考核结果，审定后才能打印考核结果反馈表",
            field="feedback",
        )

    def report(done: int, total: int, _what: str) -> None:
        if progress is not None:
            progress(done, total, f"正在生成考核结果反馈表（{done}/{total}）")

    job = Job("考核结果反馈表", report, cancelled)
    story: list[Flowable] = []
    for i, r in enumerate(people):
        if i:
            story.append(PageBreak())
        story.append(Tick(job, i, len(people)))
        story.extend(_page(d, r))
    try:
        return build_pdf(
            story, job=job, total=len(people), title=f"{d.year}年度考核结果反馈表",
            pagesize=PAGE, margin_x=MX, margin_y=MY, page_numbers=False,
        )  # fmt: skip
    except LayoutError:  # a box longer than a page (the form's limit is checked on entry)
        raise DomainError(
            "考核结果反馈表中有一栏内容过长，一页放不下；请在“反馈与指导”中精简后再打印",
            field="feedback",
        ) from None


def feedback_xlsx(
    d: FeedbackData,
    out: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> int:
    """Every participating member with their feedback status; returns the rows written."""
    rows = [
        (
            i,
            r.unit_name,
            r.name,
            r.post_title,
            r.grade,
            r.status,
            f"{r.feedback.talk_date:%Y-%m-%d}" if r.feedback else "",
            r.feedback.talker if r.feedback else "",
            r.feedback.form if r.feedback else "",
        )
        for i, r in enumerate(d.rows, 1)
    ]
    return write_table(
        Path(out), title=f"{d.round_name}结果反馈情况", headers=FEEDBACK_HEADERS,
        widths=(6, 24, 10, 30, 10, 12, 12, 24, 10), rows=rows, total=len(rows),
        progress=progress, cancelled=cancelled, sheet_name="反馈情况",
    )  # fmt: skip
