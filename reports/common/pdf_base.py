"""Shared plumbing of the training kit PDFs (reports.training.kit,
reports.training.certificates): styles, table helpers, progress/cancel, in-memory build with
``invariant=1`` and atomic writing."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from models.core.errors import DomainError
from models.training.planner import plan as tt
from reports.common import fonts, styles
from reports.common.cjk import CJKParagraph
from reports.common.xlsx import ExportCancelled

ProgressFn = Callable[[int, int], None]
CancelledFn = Callable[[], bool]


class KitCancelled(ExportCancelled):
    """The user cancelled; nothing was written."""

    def __init__(self, what: str) -> None:
        super().__init__(f"已取消生成{what}，未写入文件")
        self.what = what


@dataclass(frozen=True)
class KitResult:
    """What a PDF function produced: pages, items (sheets, certificates...) and warnings."""

    pages: int
    items: int
    warnings: tuple[str, ...] = field(default_factory=tuple)


# ============================================================================ colours, styles

#: Light fills per teaching mode: readable in colour, near-white in black and white (the mode
#: name is always printed in the cell too).
MODE_COLOURS: dict[str, colors.Color] = {
    tt.LECTURE: colors.HexColor("#D6E6F7"),
    tt.FIELD_STUDY: colors.HexColor("#DCEFD5"),
    tt.DISCUSSION: colors.HexColor("#FBEACB"),
    tt.OTHER: colors.HexColor("#ECECEC"),
}
GROUP_FILL = colors.HexColor("#EFEFEF")

CELL = ParagraphStyle("kit_cell", parent=styles.BODY, fontSize=9, leading=12)
CELL_CENTER = ParagraphStyle("kit_cell_c", parent=CELL, alignment=TA_CENTER)
HEAD = ParagraphStyle("kit_head", parent=styles.LABEL, fontSize=10, leading=13)
TT_CELL = ParagraphStyle("kit_tt", parent=CELL_CENTER, fontSize=9.5, leading=11.2)
INFO = ParagraphStyle("kit_info", parent=styles.BODY, fontSize=10, leading=14, alignment=TA_CENTER)
INFO_LEFT = ParagraphStyle("kit_info_l", parent=INFO, alignment=TA_LEFT)
INFO_RIGHT = ParagraphStyle("kit_info_r", parent=INFO, alignment=TA_RIGHT, spaceBefore=6)
KIT_TITLE = ParagraphStyle("kit_title", parent=styles.TITLE, fontSize=18, leading=26, spaceAfter=2)

PAD_X = 6.0  # left + right padding of kit table cells
PAD_Y = 5.0


def table_style(*extra: tuple[Any, ...]) -> Any:
    return styles.form_table_style(
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LINEBELOW", (0, 0), (-1, 0), 1.2, colors.black),
        *extra,
    )


def para(text: str, style: ParagraphStyle = CELL) -> CJKParagraph:
    """User text (escaped, rare characters in a fallback font)."""
    return CJKParagraph(fonts.markup(text), style)


def mpara(markup: str, style: ParagraphStyle = CELL) -> CJKParagraph:
    """Markup built here (user parts already passed through fonts.markup)."""
    return CJKParagraph(markup, style)


def cell_heights(
    rows: Sequence[Sequence[Any]],
    col_w: Sequence[float],
    min_h: Sequence[float] | float,
    spans: dict[tuple[int, int], int] | None = None,
) -> list[float]:
    """Row heights fitting every wrapped cell, never below ``min_h`` (per row or for all)."""
    spans = spans or {}
    out = []
    for r, row in enumerate(rows):
        h = min_h[r] if isinstance(min_h, Sequence) else min_h
        for c, cell in enumerate(row):
            if isinstance(cell, CJKParagraph):
                w = sum(col_w[c : c + spans.get((r, c), 1)]) - PAD_X
                h = max(h, cell.wrap(w, 1e9)[1] + PAD_Y + 1)
        out.append(h)
    return out


# ============================================================================ document plumbing


class Job:
    def __init__(self, what: str, progress: ProgressFn | None, cancelled: CancelledFn | None):
        self.what = what
        self.progress = progress
        self.cancelled = cancelled

    def tick(self, done: int, total: int) -> None:
        if self.cancelled is not None and self.cancelled():
            raise KitCancelled(self.what)
        if self.progress is not None and done > 0:
            self.progress(done, total)


class Tick(Flowable):
    """Zero-size marker before item ``index``: checks cancel, reports the items done."""

    _ZEROSIZE = True

    def __init__(self, job: Job, index: int, total: int) -> None:
        super().__init__()
        self.job, self.index, self.total = job, index, total

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0.0, 0.0

    def draw(self) -> None:
        self.job.tick(self.index, self.total)


def page_frame(pagesize: tuple[float, float], mx: float, my: float) -> Frame:
    return Frame(mx, my, pagesize[0] - 2 * mx, pagesize[1] - 2 * my, 0, 0, 0, 0, id="body")


def build_pdf(
    story: list[Flowable],
    *,
    job: Job,
    total: int,
    title: str,
    pagesize: tuple[float, float],
    margin_x: float,
    margin_y: float,
    page_numbers: bool = True,
) -> tuple[bytes, int]:
    """Lay out ``story`` on pages of ``pagesize``; returns the PDF bytes and the page count."""
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf,
        pagesize=pagesize,
        leftMargin=margin_x,
        rightMargin=margin_x,
        topMargin=margin_y,
        bottomMargin=margin_y,
        title=title,
        author="",
        subject="",
        creator="CadreDesk",
        producer="CadreDesk (ReportLab)",
        invariant=1,
        initialFontName=styles.FONT,
        initialFontSize=styles.BODY_SIZE,
        pageCompression=1,
    )

    def number(canv: Any, document: Any) -> None:
        if page_numbers:
            canv.saveState()
            canv.setFont(styles.FONT, 8)
            canv.drawCentredString(pagesize[0] / 2, margin_y / 2, f"第 {document.page} 页")
            canv.restoreState()

    frame = page_frame(pagesize, margin_x, margin_y)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=number)])
    job.tick(0, total)
    doc.build(story)
    job.tick(total, total)
    return buf.getvalue(), doc.page


def write_atomic(path: str | os.PathLike[str], data: bytes, what: str) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise DomainError(f"保存{what}失败：文件夹不存在：{folder}", field="path")
    tmp_name: str | None = None
    try:
        with tempfile.NamedTemporaryFile(
            dir=folder, prefix=f".{path.name}.", suffix=".part", delete=False
        ) as tmp:
            tmp_name = tmp.name
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        raise DomainError(
            f"保存{what}失败：无法写入 {path}（{exc.strerror or exc}）", field="path"
        ) from exc
    finally:
        if tmp_name is not None and os.path.exists(tmp_name):
            os.unlink(tmp_name)


def font_warnings(texts: Iterable[tuple[str, str]]) -> list[str]:
    """The font setup's warning plus one line per text with characters no font prints;
    ``texts``: (where, text) pairs."""
    setup = fonts.current_setup()
    out = [setup.warning] if setup.warning else []
    for where, text in texts:
        bad = fonts.unprintable(text)
        if bad:
            out.append(f"{where}中的“{''.join(bad)}”没有字体能打印，将显示为空白")
    return out
