"""结业证书 (one landscape page per trainee) and 学时证明 (a cadre's 学时 for one year) as PDF.

Written atomically, deterministic, with progress/cancel per certificate, like the rest of the
training kit (:mod:`reports.training.kit`).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer, Table

from models.core.errors import DomainError
from models.core.progress import IsCancelled, Progress
from models.training import hours as hr
from models.training import print_data as tp
from reports.common import fonts, styles
from reports.common.cjk import CJKParagraph
from reports.common.files import write_atomic
from reports.common.pdf_base import (
    CELL,
    CELL_CENTER,
    HEAD,
    Job,
    Tick,
    build_pdf,
    cell_heights,
    font_warnings,
)
from reports.training.kit import KitResult

__all__ = [
    "print_certificates",
    "print_hours_certificate",
    "render_certificates",
    "render_hours_certificates",
]

SEAL_RED = colors.HexColor("#A32A2A")  # border and title; prints dark grey in black and white

CERT_NAME = ParagraphStyle(
    "cert_name", parent=styles.BODY, fontSize=22, leading=40, alignment=TA_LEFT
)
CERT_BODY = ParagraphStyle(
    "cert_body", parent=styles.BODY, fontSize=20, leading=38, firstLineIndent=40
)
CERT_ISSUER = ParagraphStyle(
    "cert_issuer", parent=styles.BODY, fontSize=17, leading=26, alignment=TA_CENTER
)
HOURS_TEXT = ParagraphStyle("hours_text", parent=styles.PROSE, fontSize=12, leading=22)
_SP = "\u3000"


# ============================================================================ 结业证书


class CertificatePage(Flowable):
    """One 结业证书 filling the frame: double border, serial, title, text, issuer and date
    (the seal is pressed over the issuer and date)."""

    def __init__(self, cert: tp.Certificate) -> None:
        super().__init__()
        self.cert = cert

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width, self.height = availWidth, availHeight - 0.5
        return self.width, self.height

    def _body(self) -> list[CJKParagraph]:
        c = self.cert
        where = f"{c.issuer}举办的" if c.issuer else ""
        text = (
            f"于{tp.period_cn(c.start, c.end)}参加{where}{c.class_name}学习，"
            f"完成规定课程，累计{tp.fmt_num(c.hours)}学时，经考核合格，准予结业。"
        )
        return [
            CJKParagraph(f"{fonts.markup(c.name)}&nbsp;同志：", CERT_NAME),
            CJKParagraph(fonts.markup(text), CERT_BODY),
            CJKParagraph("特发此证。", CERT_BODY),
        ]

    def draw(self) -> None:
        c = self.canv
        w, h = self.width, self.height
        c.saveState()
        c.setStrokeColor(SEAL_RED)
        c.setLineWidth(2.4)
        c.rect(0, 0, w, h)
        c.setLineWidth(0.7)
        c.rect(3 * mm, 3 * mm, w - 6 * mm, h - 6 * mm)
        c.setFillColor(colors.black)
        c.setFont(styles.FONT, 11)
        c.drawRightString(w - 14 * mm, h - 14 * mm, f"编号：{self.cert.serial}")
        c.setFillColor(SEAL_RED)
        c.setFont(styles.FONT, 40)
        title = "结业证书"
        space = 18.0
        c.drawCentredString(w / 2 + space / 2, h - 42 * mm, title, charSpace=space)
        c.setFillColor(colors.black)
        text_w = 205 * mm
        x = (w - text_w) / 2
        y = h - 52 * mm
        for para in self._body():
            _, ph = para.wrap(text_w, h)
            y -= ph
            para.drawOn(c, x, y)
        # issuer and date, centred on the same axis, bottom right
        box_w = 110 * mm
        bx = w - 22 * mm - box_w
        date = CJKParagraph(tp.cn_date(self.cert.issue_date), CERT_ISSUER)
        _, dh = date.wrap(box_w, h)
        date.drawOn(c, bx, 22 * mm)
        if self.cert.issuer:
            issuer = CJKParagraph(fonts.markup(self.cert.issuer), CERT_ISSUER)
            _, ih = issuer.wrap(box_w, h)
            issuer.drawOn(c, bx, 22 * mm + dh + 4)
        c.restoreState()


def render_certificates(
    data: tp.CertificatePrint,
    out: str | os.PathLike[str],
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> KitResult:
    """结业证书: one landscape A4 page per certificate, in serial order."""
    if not data.certificates:
        raise DomainError(
            f"班次《{data.cls.name}》没有可发结业证书的学员（{len(data.excluded)} 人待退学审查）",
            field="class",
        )
    job = Job("结业证书", progress, cancelled)
    total = len(data.certificates)
    story: list[Flowable] = []
    for i, cert in enumerate(data.certificates):
        if i:
            story.append(PageBreak())
        story += [Tick(job, i, total), CertificatePage(cert)]
    warnings = font_warnings(
        (f"结业证书 {x.serial}（{x.name}）", x.name) for x in data.certificates
    )
    warnings += [f"{x.name}未发结业证书：{x.reason}" for x in data.excluded]
    pdf, pages = build_pdf(
        story,
        job=job,
        total=total,
        title=f"{data.cls.name}结业证书",
        pagesize=landscape(A4),
        margin_x=12 * mm,
        margin_y=12 * mm,
        page_numbers=False,
    )
    write_atomic(out, pdf, "结业证书")
    return KitResult(pages, total, tuple(warnings))


def print_certificates(
    class_id: int,
    out: str | os.PathLike[str],
    first_serial: int = 1,
    *,
    prefix: str | None = None,
    issuer: str | None = None,
    issue_date: dt.date | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> KitResult:
    """结业证书 PDF of a finished class (see
    :func:`models.training.print_data.certificate_data`)."""
    data = tp.certificate_data(
        class_id, first_serial, prefix=prefix, issuer=issuer, issue_date=issue_date
    )
    return render_certificates(data, out, progress, cancelled)


# ============================================================================ 学时证明


class SignBlock(Flowable):
    """Issuer (with 盖章) and date lines, right aligned, with room for the seal above.
    Drawn directly so the ideographic spaces left for handwriting keep their width."""

    def __init__(self, issuer: str, issued: dt.date | None, seal_room: float = 28 * mm) -> None:
        super().__init__()
        self.lines = [
            f"出具单位（盖章）：{issuer or _SP * 10}",
            tp.cn_date(issued) if issued else f"{_SP * 3}年{_SP * 2}月{_SP * 2}日",
        ]
        self.seal_room = seal_room

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        self.height = self.seal_room + 2 * 24
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setFont(styles.FONT, 13)
        right = self.width - 10 * mm
        c.drawRightString(right, 30, self.lines[0])
        c.drawRightString(right, 6, self.lines[1])
        c.restoreState()


def _hours_table(h: tp.HoursCertificate, width: float) -> Table:
    col_w = [12 * mm, 26 * mm, 24 * mm, 0.0, 22 * mm]
    col_w[3] = width - sum(col_w)
    rows: list[list[Any]] = [[_h("序号"), _h("日期"), _h("类别"), _h("培训项目"), _h("学时")]]
    for k, line in enumerate(h.lines, start=1):
        rows.append(
            [
                CJKParagraph(str(k), CELL_CENTER),
                CJKParagraph(line.day.isoformat(), CELL_CENTER),
                CJKParagraph(line.kind, CELL_CENTER),
                CJKParagraph(fonts.markup(line.title), CELL),
                CJKParagraph(tp.fmt_num(line.hours), CELL_CENTER),
            ]
        )
    cmds: list[tuple[Any, ...]] = []
    spans: dict[tuple[int, int], int] = {}
    if not h.lines:
        spans[(1, 0)] = 5
        cmds.append(("SPAN", (0, 1), (-1, 1)))
        rows.append([CJKParagraph(f"{h.year}年度没有学时记录", CELL_CENTER), "", "", "", ""])
    for kind, value in h.by_kind:
        r = len(rows)
        spans[(r, 0)] = 4
        cmds.append(("SPAN", (0, r), (3, r)))
        rows.append([CJKParagraph(f"{kind}小计", CELL_CENTER), "", "", "", _n(value)])
    r = len(rows)
    spans[(r, 0)] = 4
    cmds += [
        ("SPAN", (0, r), (3, r)),
        ("LINEABOVE", (0, r), (-1, r), 1.2, colors.black),
    ]
    rows.append([CJKParagraph(f"{h.year}年度合计", CELL_CENTER), "", "", "", _n(h.year_total)])
    return Table(
        rows,
        colWidths=col_w,
        rowHeights=cell_heights(rows, col_w, 20.0, spans),
        repeatRows=1,
        style=styles.form_table_style(
            ("FONTSIZE", (0, 0), (-1, -1), 9),
            ("LINEBELOW", (0, 0), (-1, 0), 1.2, colors.black),
            *cmds,
        ),
    )


def _h(text: str) -> CJKParagraph:
    return CJKParagraph(text, HEAD)


def _n(value: Any) -> CJKParagraph:
    return CJKParagraph(tp.fmt_num(value), CELL_CENTER)


def _birth_cn(birth: str) -> str:
    """'1976.09' → '1976年9月出生'."""
    year, _, month = birth.partition(".")
    if not (year.isdigit() and month.isdigit()):
        return ""
    return f"{year}年{int(month)}月出生"


def _requirement_text(h: tp.HoursCertificate) -> str:
    span = f"{h.year}年度" if h.first_year == h.last_year else f"{h.first_year}—{h.last_year}年累计"
    verdict = "已达到规定要求" if h.met else f"尚差{tp.fmt_num(h.short)}学时"
    return (
        f"按干部教育培训学时要求（{h.requirement}），该同志{span}应完成"
        f"{tp.fmt_num(h.required)}学时，已完成{tp.fmt_num(h.earned)}学时，{verdict}。"
    )


def hours_story(h: tp.HoursCertificate, width: float) -> list[Flowable]:
    who = [h.sex, _birth_cn(h.birth), h.unit_post]
    intro = (
        f"兹证明{fonts.markup(h.name)}同志（{fonts.markup('，'.join(x for x in who if x))}）"
        f"{h.year}年度参加干部教育培训学时情况如下："
    )
    return [
        CJKParagraph("干部教育培训学时证明", styles.TITLE),
        Spacer(1, 4 * mm),
        CJKParagraph(intro, HOURS_TEXT),
        Spacer(1, 2 * mm),
        _hours_table(h, width),
        Spacer(1, 4 * mm),
        CJKParagraph(fonts.escape(_requirement_text(h)), HOURS_TEXT),
        CJKParagraph("特此证明。", HOURS_TEXT),
        Spacer(1, 6 * mm),
        SignBlock(h.issuer, h.issue_date),
    ]


def render_hours_certificates(
    items: Sequence[tp.HoursCertificate],
    out: str | os.PathLike[str],
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> KitResult:
    """学时证明 (A4 portrait), one per cadre; a long ledger continues on the next page."""
    if not items:
        raise DomainError("没有要打印的学时证明：请先选择干部", field="cadres")
    job = Job("学时证明", progress, cancelled)
    width = A4[0] - 2 * 22 * mm
    story: list[Flowable] = []
    for i, h in enumerate(items):
        if i:
            story.append(PageBreak())
        story += [Tick(job, i, len(items)), *hours_story(h, width)]
    warnings = font_warnings((f"学时证明（{h.name}）", h.name + h.unit_post) for h in items)
    pdf, pages = build_pdf(
        story,
        job=job,
        total=len(items),
        title="干部教育培训学时证明",
        pagesize=A4,
        margin_x=22 * mm,
        margin_y=20 * mm,
        page_numbers=False,
    )
    write_atomic(out, pdf, "学时证明")
    return KitResult(pages, len(items), tuple(warnings))


def print_hours_certificate(
    cadre_id: int,
    year: int,
    out: str | os.PathLike[str],
    *,
    rules: hr.Requirements | None = None,
    issuer: str = "",
    issue_date: dt.date | None = None,
) -> KitResult:
    """学时证明 PDF of one cadre for one year."""
    data = tp.hours_certificate_data(
        cadre_id, year, rules=rules, issuer=issuer, issue_date=issue_date
    )
    return render_hours_certificates([data], out)
