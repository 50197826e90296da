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

from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    NextPageTemplate,
    PageBreak,
    Spacer,
)
from reportlab.platypus.doctemplate import LayoutError

from models.core.errors import DomainError
from models.core.progress import Cancelled, IsCancelled, Progress
from reports.common import fonts
from reports.common.files import safe_part, write_atomic
from reports.dossiers.data import DossierData, dossier_data
from reports.dossiers.parts import Bookmark, DossierDoc, cover_and_contents
from reports.dossiers.sections import (
    assessment_section,
    basic_section,
    feedback_section,
    sanctions_section,
    training_section,
)
from reports.sheets import PageSize, draw_plan, pages_of

__all__ = ["dossier_file_name", "dossier_pdf", "write_dossiers"]


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
                    out.append(Bookmark((0, "附：年度考核登记表", "sheets")))
                    first = False
            out.append(_SheetPage(plan, outline))
    return out


def dossier_pdf(d: DossierData) -> tuple[bytes, int]:
    """The PDF bytes of one 一人一档 and its page count."""
    fonts.current_setup()  # the fonts registered before the first paragraph is built
    c = d.cadre
    story: list[Flowable] = [
        *cover_and_contents(
            "干部个人档案",
            "（一人一档）",
            [f"姓名：{c.name}", f"单位：{c.unit_name}", f"职务：{c.post_title or '—'}"],
            d.printed_on,
        ),
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
    doc = DossierDoc(buf, f"{c.name} 一人一档", f"{c.name} 一人一档", d.printed_on)
    try:
        doc.multiBuild(story)
    except LayoutError:  # a cell taller than a page: text typed by hand, never seen so far
        raise DomainError(
            f"“{c.name}”的一人一档中有一栏内容过长，一页放不下；请检查简历、奖惩等文字",
            record=c.name,
        ) from None
    return buf.getvalue(), doc.page


def dossier_file_name(d: DossierData) -> str:
    """单位_姓名_一人一档.pdf, with what no file system accepts (a unit named by another
    system as 市委/办公室 or 一科:二组) made safe (reports.common.files.safe_part)."""
    return f"{safe_part(d.cadre.unit_name)}_{safe_part(d.cadre.name)}_一人一档.pdf"


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
