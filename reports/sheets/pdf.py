"""年度考核登记表 (annual assessment register form) as PDF.

Layout follows the paper form (DOMAIN.md §2.1): title "YYYY年度考核登记表", a ruled header
block (姓名/性别/出生年月, 政治面貌/任现职时间, 单位及职务职级, 从事或分管工作), in the ``full``
variant a scoring block, then boxed sections with a label column on the left: 个人总结 (fills
the rest of page 1; long text continues on the next page in a "个人总结（续）" box, never
clipped), 主管领导评语和考核等次建议, 机关负责人或考核委员会意见 (with 盖章 space), 被考核人意见,
未确定等次或不参加考核情况说明 and 备注 (学时, 奖惩; fills the rest of its page).
Signature and date lines are left blank for handwriting.

The form is drawn directly on a canvas at fixed coordinates (:mod:`reports.sheets.layout`
places everything, :mod:`reports.sheets.draw` draws it, reusing the unchanging frame of the form
as a PDF form XObject). The data classes are in :mod:`reports.sheets.model`. Same data gives
the same bytes (the canvas is built with ``invariant=1``).
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

from models.core.errors import DomainError, ValidationError
from models.core.progress import IsCancelled, Progress, raise_if_cancelled
from reports.common import fonts
from reports.common.files import write_atomic
from reports.sheets.draw import SheetCanvas
from reports.sheets.layout import PagePlan, blank_page, geometry, layout_sheet
from reports.sheets.model import (
    CANCELLED_MESSAGE,
    PageSize,
    RenderResult,
    SheetData,
    SheetVariant,
    validate_sheet,
)
from reports.sheets.scored import layout_scored

__all__ = ["build_pdf_bytes", "check_sheets", "pages_of", "render_sheets"]

log = logging.getLogger(__name__)


def check_sheets(sheets: Sequence[SheetData], *, first: int = 0) -> list[str]:
    """ValidationError for a sheet that cannot be printed; the warnings (characters no font
    has) of the others. ``first``: the position of the first sheet in its batch, so that
    people are numbered as in the whole batch."""
    warnings: list[str] = []
    for i, s in enumerate(sheets, first + 1):
        record = f"第{i}份{s.variant.label}（{s.name or '未填姓名'}）"
        issues = validate_sheet(s)
        if issues:
            raise ValidationError(issues, record=record)
        texts = {
            "姓名": s.name,
            "单位及职务职级": s.unit_and_post,
            "从事或分管工作": s.work_scope,
            "个人总结": s.summary,
        }
        for label, text in texts.items():
            # each distinct character once, in order of first appearance: same answer, faster
            bad = fonts.unprintable("".join(dict.fromkeys(text)))
            if bad:
                warnings.append(
                    f"{record}：{label}中的“{''.join(bad)}”没有字体能打印，将显示为空白"
                )
    return warnings


def pages_of(s: SheetData, page_size: PageSize, *, duplex: bool = False) -> list[PagePlan]:
    """The pages of one person's form (登记表 or 评分表); with ``duplex`` a "（本页空白）" page
    is added when their number is odd, so that printed on both sides no sheet of paper carries
    two people."""
    geo = geometry(page_size)
    plans = layout_scored(s, geo) if s.variant is SheetVariant.SCORED else layout_sheet(s, geo)
    if duplex and len(plans) % 2:
        plans.append(blank_page(geo))
    return plans


def build_pdf_bytes(
    sheets: Sequence[SheetData],
    *,
    page_size: PageSize = PageSize.A4,
    duplex: bool = False,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> tuple[bytes, RenderResult]:
    """Lay out the sheets into one PDF in memory. Raises Cancelled or ValidationError.

    ``cancelled()`` is checked before each sheet, ``progress(done, total, text)`` called after each.
    ``duplex``: every person's pages are padded to an even number (see :func:`pages_of`).
    """
    setup = fonts.current_setup()
    if not sheets:
        raise DomainError("没有要打印的考核登记表：请先选择人员", field="sheets")
    warnings = ([setup.warning] if setup.warning else []) + check_sheets(sheets)
    total = len(sheets)
    _tick(0, total, progress, cancelled)
    geo = geometry(page_size)
    buf = io.BytesIO()
    title = f"年度{sheets[0].variant.label}"
    pdf = SheetCanvas(buf, geo.page, title=title)
    for i, s in enumerate(sheets):
        _tick(i, total, progress, cancelled)
        for plan in pages_of(s, page_size, duplex=duplex):
            pdf.draw_page(plan)
    _tick(total, total, progress, cancelled)
    pdf.finish()
    return buf.getvalue(), RenderResult(total, pdf.pages, tuple(warnings))


def _tick(
    done: int,
    total: int,
    progress: Progress | None,
    cancelled: IsCancelled | None,
) -> None:
    raise_if_cancelled(cancelled, CANCELLED_MESSAGE)
    if progress is not None and done > 0:
        progress(done, total, f"正在排版（{done}/{total}）")


def render_sheets(
    sheets: Iterable[SheetData],
    out: str | os.PathLike[str] | BinaryIO,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
    *,
    page_size: PageSize = PageSize.A4,
    duplex: bool = False,
) -> RenderResult:
    """Write all sheets into one PDF at ``out`` (a path or a writable binary file).

    ``progress(done, total, text)`` is called after each sheet is laid out; ``cancelled()`` is
    checked before each sheet and, when true, :class:`Cancelled` is raised and nothing is written:
    a path is only replaced (atomically, via a temporary file in the same folder) after the whole
    PDF is built, and a file object only receives the finished bytes.
    """
    data, result = build_pdf_bytes(
        list(sheets), page_size=page_size, duplex=duplex, progress=progress, cancelled=cancelled
    )
    if isinstance(out, (str, os.PathLike)):
        write_atomic(Path(out), data, "考核登记表")
    else:
        out.write(data)
    return result
