"""一人一档: one cadre's whole record as one PDF, to print and file, or to hand to a
committee: a title page with the table of contents, then 基本信息 (as the 任免审批表 has it,
with the photo, 简历 and family), 学习培训 (every class, every 学时 line, each year against
the requirement), 年度考核 (each year's result and score, 平时考核), 反馈与指导, 处分, and
the 考核登记表 of each approved year at the end. Every part is a PDF bookmark.

A unit's dossiers (:func:`write_dossiers`) are written one file per cadre, with progress and
cancel; a cancelled or failed batch leaves no file of the batch behind.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus.doctemplate import LayoutError
from reportlab.platypus.tableofcontents import TableOfContents

from models.core.dates import ymd_cn
from models.core.errors import DomainError
from models.core.progress import Cancelled, IsCancelled, Progress
from reports.common import fonts, styles
from reports.common.cjk import CJKParagraph
from reports.common.files import write_atomic
from reports.common.pdf_base import REPORT_TITLE, para
from reports.dossiers.data import DossierData, dossier_data
from reports.dossiers.parts import H1, MX, MY, PAGE, TEXT, WIDTH
from reports.dossiers.sections import (
    assessment_section,
    basic_section,
    feedback_section,
    sanctions_section,
    training_section,
)
from reports.sheets import PageSize, draw_plan, pages_of

__all__ = ["dossier_file_name", "dossier_pdf", "write_dossiers"]

COVER = ParagraphStyle(
    "dossier_cover",
    parent=REPORT_TITLE,
    fontSize=24,
    leading=34,
    spaceBefore=50 * mm,
    spaceAfter=12 * mm,
)
COVER_LINE = ParagraphStyle("dossier_cover_line", parent=styles.LABEL, fontSize=14, leading=24)
TOC_STYLES = [
    ParagraphStyle("dossier_toc0", parent=TEXT, fontSize=12, leading=20, leftIndent=8 * mm),
    ParagraphStyle("dossier_toc1", parent=TEXT, fontSize=10.5, leading=17, leftIndent=16 * mm),
]


class _SheetPage(Flowable):
    """A page of a 考核登记表, drawn at the form's own coordinates on a page without margins
    (the "sheet" page template)."""

    def __init__(self, plan: Any, outline: tuple[int, str, str] | None = None) -> None:
        super().__init__()
        self.plan = plan
        if outline is not None:
            self.outline = outline

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return availWidth, availHeight

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        canvas.saveState()
        draw_plan(canvas, self.plan)
        canvas.restoreState()


class _Doc(BaseDocTemplate):
    def __init__(self, buf: io.BytesIO, d: DossierData) -> None:
        name = d.cadre.name
        super().__init__(
            buf,
            pagesize=PAGE,
            leftMargin=MX,
            rightMargin=MX,
            topMargin=MY,
            bottomMargin=MY,
            title=f"{name} 一人一档",
            author="",
            subject="",
            creator="CadreDesk",
            producer="CadreDesk (ReportLab)",
            invariant=1,
            pageCompression=1,
            initialFontName=styles.FONT,
            initialFontSize=styles.BODY_SIZE,
        )
        body = Frame(MX, MY, WIDTH, PAGE[1] - 2 * MY, 0, 0, 0, 0, id="body")
        full = Frame(0, 0, PAGE[0], PAGE[1], 0, 0, 0, 0, id="full")

        def footer(canv: Any, doc: Any) -> None:
            canv.saveState()
            canv.setFont(styles.FONT, 8)
            canv.drawString(MX, MY / 2, f"{name} 一人一档（{ymd_cn(d.printed_on)}打印）")
            canv.drawRightString(PAGE[0] - MX, MY / 2, f"第 {doc.page} 页")
            canv.restoreState()

        self.addPageTemplates(
            [
                PageTemplate(id="page", frames=[body], onPage=footer),
                PageTemplate(id="sheet", frames=[full]),
            ]
        )
        self.seen: set[str] = set()

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802
        outline = getattr(flowable, "outline", None)
        if outline is None:
            return
        level, text, key = outline
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(text, key, level=level, closed=False)
        self.notify("TOCEntry", (level, text, self.page, key))


def _sheets(d: DossierData) -> list[Flowable]:
    if not d.sheets:
        return []
    out: list[Flowable] = [NextPageTemplate("sheet"), PageBreak()]
    first = True
    for year, sheet in d.sheets:
        for k, plan in enumerate(pages_of(sheet, PageSize.A4)):
            outline = None
            if k == 0:
                outline = (1, f"{year}年度考核登记表", f"sheet.{year}")
                if first:  # the appendix's own bookmark, on its first page
                    out.append(_Marker((0, "附：年度考核登记表", "sheets")))
                    first = False
            out.append(_SheetPage(plan, outline))
    return out


class _Marker(Flowable):
    """A zero-size flowable that is only a bookmark (on the page of what follows)."""

    _ZEROSIZE = True

    def __init__(self, outline: tuple[int, str, str]) -> None:
        super().__init__()
        self.outline = outline

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0.0, 0.0

    def draw(self) -> None:
        pass


def dossier_pdf(d: DossierData) -> tuple[bytes, int]:
    """The PDF bytes of one 一人一档 and its page count."""
    fonts.current_setup()  # the fonts registered before the first paragraph is built
    c = d.cadre
    toc = TableOfContents(
        levelStyles=TOC_STYLES,
        dotsMinLevel=0,
        # its table sets its cells' font even around paragraphs: without FONTNAME, Helvetica
        # would be put into the PDF unembedded
        tableStyle=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles.FONT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        ),  # fmt: skip
    )
    story: list[Flowable] = [
        CJKParagraph("干部个人档案", COVER),
        CJKParagraph("（一人一档）", COVER_LINE),
        Spacer(1, 10 * mm),
        para(f"姓名：{c.name}", COVER_LINE),
        para(f"单位：{c.unit_name}", COVER_LINE),
        para(f"职务：{c.post_title or '—'}", COVER_LINE),
        CJKParagraph(f"打印日期：{ymd_cn(d.printed_on)}", COVER_LINE),
        PageBreak(),
        CJKParagraph("目录", H1),
        toc,
        PageBreak(),
        *basic_section(d),
        PageBreak(),
        *training_section(d),
        PageBreak(),
        *assessment_section(d),
        Spacer(1, 6 * mm),
        *feedback_section(d),
        Spacer(1, 6 * mm),
        *sanctions_section(d),
        *_sheets(d),
    ]
    buf = io.BytesIO()
    doc = _Doc(buf, d)
    try:
        doc.multiBuild(story)
    except LayoutError:  # a cell taller than a page: text typed by hand, never seen so far
        raise DomainError(
            f"“{c.name}”的一人一档中有一栏内容过长，一页放不下；请检查简历、奖惩等文字",
            record=c.name,
        ) from None
    return buf.getvalue(), doc.page


def dossier_file_name(d: DossierData) -> str:
    unit = d.cadre.unit_name.replace("/", "／")
    return f"{unit}_{d.cadre.name}_一人一档.pdf"


def write_dossiers(
    cadre_ids: Sequence[int],
    folder: Path,
    *,
    today: dt.date | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> list[Path]:
    """One 一人一档 PDF per cadre into ``folder`` (file names 单位_姓名_一人一档.pdf, a number
    added when two are the same). Cancel or a failure removes the files of the batch
    written so far; files that were there before are kept."""
    if not cadre_ids:
        raise DomainError("没有要打印一人一档的干部：请先选择人员或单位", field="cadres")
    folder = Path(folder)
    written: list[Path] = []
    used: set[str] = set()
    total = len(cadre_ids)
    try:
        for i, cid in enumerate(cadre_ids):
            if cancelled is not None and cancelled():
                raise Cancelled("已取消生成一人一档，未留下文件")
            d = dossier_data(cid, today=today)
            data, _pages = dossier_pdf(d)
            name = dossier_file_name(d)
            stem, n = name.removesuffix(".pdf"), 2
            while name in used or (folder / name).exists():
                name = f"{stem}（{n}）.pdf"
                n += 1
            used.add(name)
            path = folder / name
            write_atomic(path, data, "一人一档")
            written.append(path)
            if progress is not None:
                progress(i + 1, total, f"正在生成一人一档（{i + 1}/{total}）：{d.cadre.name}")
    except BaseException:
        for p in written:
            p.unlink(missing_ok=True)
        raise
    return written
