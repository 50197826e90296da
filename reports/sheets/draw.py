"""Draw laid-out 考核登记表 pages (:mod:`reports.sheets.layout`) on a reportlab canvas.

The static part of a page (rules, labels, title, signature lines) is drawn once per document as
a PDF form XObject and placed on every page that has the same static part, so a batch of a
thousand sheets draws the form's frame a few times, not a thousand times. The typed data is
drawn directly, one text object per page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import BinaryIO

from reportlab.pdfgen import canvas as rl_canvas
from reportlab.pdfgen.textobject import PDFTextObject

from reports.common import styles
from reports.sheets.layout import PagePlan
from reports.sheets.text import StaticOp, TextLine


def _text(tx: PDFTextObject, lines: Sequence[TextLine]) -> None:
    current: tuple[str, float] | None = None
    for x, y, size, runs in lines:
        tx.setTextOrigin(x, y)
        for font, chunk in runs:
            if current != (font, size):
                tx.setFont(font, size)
                current = (font, size)
            tx.textOut(chunk)


def _static(c: rl_canvas.Canvas, ops: Sequence[StaticOp]) -> None:
    c.setLineWidth(styles.LINE_WIDTH)
    texts: list[TextLine] = []
    for op in ops:
        kind = op[0]
        if kind == "rect":
            c.rect(op[1], op[2], op[3], op[4], stroke=1, fill=0)
        elif kind == "lines":
            c.lines(op[1])
        else:  # "text"
            texts.append(op[1:])
    if texts:
        tx = c.beginText()
        _text(tx, texts)
        c.drawText(tx)


def _typed(c: rl_canvas.Canvas, plan: PagePlan) -> None:
    if plan.text:
        tx = c.beginText()
        _text(tx, plan.text)
        c.drawText(tx)


def draw_plan(c: rl_canvas.Canvas, plan: PagePlan) -> None:
    """One laid-out page drawn on any canvas at the page's own coordinates (the page is not
    ended): how another document (the 一人一档) takes a 考核登记表 page in."""
    c.saveState()
    _static(c, plan.static)
    c.restoreState()
    _typed(c, plan)


class SheetCanvas:
    """A PDF of sheets: :meth:`draw_page` for each page, then :meth:`finish`."""

    def __init__(
        self,
        out: BinaryIO,
        page: tuple[float, float],
        *,
        reuse_static: bool = True,
        title: str = "年度考核登记表",
    ) -> None:
        """``reuse_static=False`` draws the frame of the form on every page (for comparison)."""
        c = rl_canvas.Canvas(
            out,
            pagesize=page,
            invariant=1,
            pageCompression=1,
            initialFontName=styles.FONT,
            initialFontSize=styles.BODY_SIZE,
        )
        c.setTitle(title)
        c.setAuthor("")
        c.setSubject("")
        c.setCreator("CadreDesk")
        c.setProducer("CadreDesk (ReportLab)")
        self.canvas = c
        self.pages = 0
        self.reuse_static = reuse_static
        self._forms: dict[tuple[StaticOp, ...], str] = {}

    def _form(self, ops: tuple[StaticOp, ...]) -> str:
        """Name of the form XObject holding ``ops``, drawn the first time it is needed."""
        name = self._forms.get(ops)
        if name is None:
            name = f"SheetForm{len(self._forms)}"
            self.canvas.beginForm(name)
            _static(self.canvas, ops)
            self.canvas.endForm()
            self._forms[ops] = name
        return name

    def draw_page(self, plan: PagePlan) -> None:
        c = self.canvas
        if self.reuse_static:
            c.doForm(self._form(tuple(plan.static)))
            _typed(c, plan)
        else:
            draw_plan(c, plan)
        c.showPage()
        self.pages += 1

    def finish(self) -> None:
        self.canvas.save()
