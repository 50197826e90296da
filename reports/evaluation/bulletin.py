"""The 督查通报 (half-year inspection bulletin) of the 单位考评 as PDF: the title and the
half, the units ranked by their inspection score (排名, 单位, 督查评分, 扣分, 主要问题), then
表扬 (the units that reached the praise line with nothing deducted) and 通报批评 (those with
points deducted or below the line, each with what was found), and the issuing line. Data from
:func:`models.evaluation.bulletin`."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from models.core.dates import ymd_cn
from models.evaluation import Bulletin, bulletin
from models.evaluation.inspections import CRITICISE_SCORE, PRAISE_SCORE
from reports.common import fonts
from reports.common.files import write_atomic
from reports.common.numbers import fmt_score
from reports.common.pdf_base import (
    CELL_CENTER,
    GROUP_FILL,
    HEAD,
    INFO,
    INFO_LEFT,
    INFO_RIGHT,
    REPORT_TITLE,
    Job,
    para,
    table_style,
)
from reports.evaluation.layout import build_form

__all__ = ["bulletin_pdf", "print_bulletin"]

PAGE = A4
MX, MY = 18 * mm, 16 * mm
WIDTH = PAGE[0] - 2 * MX


def _points(v: object) -> str:
    text = fmt_score(v)  # type: ignore[arg-type]
    return text.rstrip("0").rstrip(".") if "." in text else text


def bulletin_pdf(b: Bulletin, *, issuer: str = "考评办", day: dt.date | None = None) -> bytes:
    """The bulletin's PDF bytes."""
    fonts.current_setup()  # the fonts registered before the first paragraph is built
    day = day or dt.date.today()
    story: list[Flowable] = [
        para(b.title, REPORT_TITLE),
        para(
            f"共督查 {len(b.rows)} 个单位；表扬 {len(b.praised)} 个，"
            f"通报批评 {len(b.criticised)} 个",
            INFO,
        ),
        Spacer(1, 4 * mm),
        para("一、督查排名", INFO_LEFT),
    ]
    head = [para(h, HEAD) for h in ("排名", "单位", "督查评分", "扣分", "主要问题或做法")]
    body = [
        [para(str(r.rank), CELL_CENTER), para(r.unit), para(_points(r.score), CELL_CENTER),
         para(_points(r.deduction) if r.deduction else "", CELL_CENTER),
         para("；".join(r.findings))]
        for r in b.rows
    ]  # fmt: skip
    story.append(
        Table([head, *body], colWidths=[14 * mm, 40 * mm, 20 * mm, 14 * mm, WIDTH - 88 * mm],
              repeatRows=1, style=table_style(("BACKGROUND", (0, 0), (-1, 0), GROUP_FILL)))
    )  # fmt: skip
    story.append(Spacer(1, 5 * mm))
    story.append(para(f"二、表扬（督查评分 {_points(PRAISE_SCORE)} 分以上且无扣分）", INFO_LEFT))
    praised = "、".join(r.unit for r in b.praised) or "无"
    story.append(para(praised, INFO_LEFT))
    story.append(Spacer(1, 4 * mm))
    story.append(
        para(f"三、通报批评（有扣分或督查评分低于 {_points(CRITICISE_SCORE)} 分）", INFO_LEFT)
    )
    if b.criticised:
        for r in b.criticised:
            found = "；".join(r.findings) or "督查评分偏低"
            cost = f"，扣 {_points(r.deduction)} 分，计入年终考评" if r.deduction else ""
            story.append(para(f"{r.unit}：{found}{cost}。", INFO_LEFT))
    else:
        story.append(para("无", INFO_LEFT))
    story.append(Spacer(1, 10 * mm))
    story.append(para(issuer, INFO_RIGHT))
    story.append(para(ymd_cn(day), INFO_RIGHT))
    data, _pages = build_form(
        story, job=Job("督查通报", None, None), title=b.title, pagesize=PAGE,
        margin_x=MX, margin_y=MY, hint="请精简督查发现的问题后再打印",
    )  # fmt: skip
    return data


def print_bulletin(year: int, half: int, out: str, *, day: dt.date | None = None) -> int:
    """Write the bulletin of ``year``'s ``half`` to ``out``; returns the units ranked."""
    b = bulletin(year, half)
    write_atomic(out, bulletin_pdf(b, day=day), "督查通报")
    return len(b.rows)
