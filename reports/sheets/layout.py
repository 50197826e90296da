"""Where everything on a 年度考核登记表 goes: fixed coordinates (points) for each page.

:func:`layout_sheet` turns one :class:`SheetData` into :class:`PagePlan` objects. A plan keeps
what is the same on every sheet with this geometry (rules, box labels, the title, signature
lines: ``static``) apart from what is typed data (``text``), so :mod:`reports.sheets.draw` can
draw the static part once per document as a PDF form and reuse it on every page.

The geometry is that of the paper form (DOMAIN.md §2.1): the title per personnel category
with its year line, a ruled header table, then boxes with a label column on the left. Text is
measured and wrapped by
:mod:`reports.sheets.text` (避头尾 rules, fallback fonts for characters the main font lacks).
The 个人总结 fills the rest of page 1 and continues on the next page in a "个人总结（续）" box;
no text is ever clipped.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

from reportlab.lib.units import mm

from models.core.errors import DomainError
from reports.common import styles
from reports.common.cjk import FIT_TOLERANCE
from reports.sheets.model import (
    DATE_LINE,
    SEAL_LINE,
    SIGN_LINE,
    SP,
    PageSize,
    SheetData,
    fmt_plain,
    text_paragraphs,
)
from reports.sheets.text import (
    BODY,
    CENTER,
    LABEL,
    PROSE,
    TITLE,
    TITLE_SPACE_AFTER,
    Para,
    StaticOp,
    TextLine,
    TextStyle,
    label_para,
    place,
    runs_of,
    text_width,
    wrap,
)

# ---------------------------------------------------------------------------------------------
# geometry


@dataclass(frozen=True)
class Geometry:
    page: tuple[float, float]  # points
    margin_x: float
    margin_y: float

    @property
    def width(self) -> float:
        return self.page[0] - 2 * self.margin_x

    @property
    def height(self) -> float:
        return self.page[1] - 2 * self.margin_y

    @property
    def left(self) -> float:
        return self.margin_x

    @property
    def top(self) -> float:
        return self.page[1] - self.margin_y

    @property
    def bottom(self) -> float:
        return self.margin_y

    @property
    def label_w(self) -> float:
        return round(self.width * 0.15, 2)

    def v(self, a4_mm: float) -> float:
        """A vertical size given in mm for A4, scaled to this page's frame height."""
        return a4_mm * mm * self.height / (267 * mm)


@functools.cache
def geometry(size: PageSize) -> Geometry:
    w, h = size.value
    margin_x = {PageSize.A4: 20.0, PageSize.K16: 15.0, PageSize.B5: 14.0}[size]
    margin_y = {PageSize.A4: 15.0, PageSize.K16: 13.0, PageSize.B5: 12.0}[size]
    return Geometry((w * mm, h * mm), margin_x * mm, margin_y * mm)


# ---------------------------------------------------------------------------------------------
# pages


@dataclass
class PagePlan:
    """One page: ``static`` is the same for every sheet with this geometry, ``text`` is data."""

    static: list[StaticOp] = field(default_factory=list)
    text: list[TextLine] = field(default_factory=list)

    def add_static_text(self, lines: Sequence[TextLine]) -> None:
        self.static.extend(("text", *line) for line in lines)


class Flow:
    """Stacks blocks down the page like a platypus Frame, starting new pages as needed."""

    def __init__(self, geo: Geometry) -> None:
        self.geo = geo
        self.pages: list[PagePlan] = []
        self.page = PagePlan()
        self.y = geo.top
        self.new_page()

    def new_page(self) -> None:
        self.page = PagePlan()
        self.pages.append(self.page)
        self.y = self.geo.top

    @property
    def avail(self) -> float:
        return self.y - self.geo.bottom

    @property
    def at_top(self) -> bool:
        return self.avail >= self.geo.height - 1.0


# --- tables ------------------------------------------------------------------------------------

# a cell: None (empty, or covered by a span) or (text, style, is_static)
Cell = tuple[str, TextStyle, bool] | None
_PAD_X = styles.CELL_PAD_X / 2  # left/right padding of a table cell
_PAD_Y = styles.CELL_PAD_Y


def table(
    flow: Flow,
    what: str,
    col_w: Sequence[float],
    rows: Sequence[Sequence[Cell]],
    spans: dict[tuple[int, int], int],
    min_h: float,
    *,
    first_col_spans_rows: bool = False,
    pad_y: float = _PAD_Y,
) -> None:
    """A ruled table: every cell's text centred vertically, rows as tall as their text.

    ``spans`` maps (row, col) to the number of columns the cell covers. With
    ``first_col_spans_rows`` the cell (0, 0) covers the first column of every row. ``pad_y``:
    the room above and below a cell's text, together.
    """
    geo = flow.geo
    xs = [geo.left]
    for w in col_w:
        xs.append(xs[-1] + w)
    wrapped: list[list[tuple[int, int, Para, bool]]] = []
    heights: list[float] = []
    for r, row in enumerate(rows):
        h_row = min_h
        cells: list[tuple[int, int, Para, bool]] = []
        for c, cell in enumerate(row):
            if cell is None:
                continue
            text, style, static = cell
            n = spans.get((r, c), 1)
            width = xs[c + n] - xs[c] - 2 * _PAD_X
            para = label_para(text, width) if style is LABEL else wrap(text, width, style)
            cells.append((c, n, para, static))
            h_row = max(h_row, para.height + pad_y)
        wrapped.append(cells)
        heights.append(h_row)
    total = sum(heights)
    if total > flow.avail + FIT_TOLERANCE and not flow.at_top:
        flow.new_page()
    if total > flow.avail + FIT_TOLERANCE:
        raise DomainError(f"{what}的内容过多，一页放不下，请精简后再打印", field=what)
    page = flow.page
    top = flow.y
    bottom = top - total
    segments: list[tuple[float, float, float, float]] = []
    y = top
    x_first = xs[1] if first_col_spans_rows else xs[0]
    for r, (cells, h) in enumerate(zip(wrapped, heights, strict=True)):
        y_low = y - h
        if r:
            segments.append((x_first, y, xs[-1], y))
        covered = {inner for c, n, _, _ in cells for inner in range(c + 1, c + n)}
        segments.extend((xs[c], y_low, xs[c], y) for c in range(1, len(col_w)) if c not in covered)
        for c, _n, para, static in cells:
            if first_col_spans_rows and r == 0 and c == 0:
                cell_bottom, cell_h = bottom, total
            else:
                cell_bottom, cell_h = y_low, h
            para_top = cell_bottom + (cell_h + para.height) / 2
            lines = place(para, xs[c] + _PAD_X, para_top)
            if static:
                page.add_static_text(lines)
            else:
                page.text.extend(lines)
        y = y_low
    page.static.append(("rect", xs[0], bottom, xs[-1] - xs[0], total))
    page.static.append(("lines", tuple(segments)))
    flow.y = bottom


def label_cell(text: str) -> Cell:
    return (text, LABEL, True)


def value_cell(text: str, style: TextStyle = BODY) -> Cell:
    return (text, style, False)


def _header(flow: Flow, s: SheetData) -> None:
    geo = flow.geo
    w, lw = geo.width, geo.label_w
    rest = w - lw
    col_w = [lw, rest * 0.26, rest * 0.12, rest * 0.14, rest * 0.15]
    col_w.append(w - sum(col_w))
    rows: list[list[Cell]] = [
        [
            label_cell("姓名"),
            value_cell(s.name, CENTER),
            label_cell("性别"),
            value_cell(s.gender, CENTER),
            label_cell("出生年月"),
            value_cell(s.birth, CENTER),
        ],
        [
            label_cell("政治面貌"),
            value_cell(s.political_status, CENTER),
            label_cell("任现职时间"),
            None,
            value_cell(s.post_since, CENTER),
            None,
        ],
    ]
    wide = [("单位及职务\n职级", s.unit_and_post), ("从事或分管\n工作", s.work_scope)]
    if s.education is not None:
        wide.insert(0, ("文化程度", s.education))
    if s.training_row is not None:
        wide.append(("参加脱产\n培训情况", s.training_row))
    spans = {(1, 2): 2, (1, 4): 2}
    for label, text in wide:
        spans[(len(rows), 1)] = 5
        rows.append([label_cell(label), value_cell(text), None, None, None, None])
    table(flow, "表头（姓名、单位及职务等）", col_w, rows, spans, geo.v(10))


# --- boxes -------------------------------------------------------------------------------------

BOX_PAD_X = 6.0
BOX_LABEL_PAD = 3.0
BOX_PAD_TOP = 6.0
BOX_PAD_BOTTOM = 8.0
_LEADING = styles.BODY_LEADING


@dataclass(frozen=True)
class _Box:
    label: str
    paras: tuple[Para, ...]
    min_height: float = 0.0
    footer: tuple[tuple[str, str], ...] = ()  # (text, "left" | "right")
    fill: bool = False  # stretch to the bottom of the page when the content fits
    keep_together: bool = True  # rather start a new page than split (unless taller than one)


def _footer_h(footer: Sequence[tuple[str, str]]) -> float:
    return _LEADING * (len(footer) + 0.5) if footer else 0.0


def _need(box: _Box) -> float:
    content = sum(p.height for p in box.paras)
    need = BOX_PAD_TOP + content + _footer_h(box.footer) + BOX_PAD_BOTTOM
    return max(box.min_height, need)


def _draw_box(flow: Flow, box: _Box, height: float) -> None:
    geo = flow.geo
    page = flow.page
    left, lw, width = geo.left, geo.label_w, geo.width
    top = flow.y
    bottom = top - height
    page.static.append(("rect", left, bottom, width, height))
    page.static.append(("lines", ((left + lw, bottom, left + lw, top),)))
    label = label_para(box.label, lw - 2 * BOX_LABEL_PAD)
    page.add_static_text(place(label, left + BOX_LABEL_PAD, bottom + (height + label.height) / 2))
    x = left + lw + BOX_PAD_X
    y = top - BOX_PAD_TOP
    for para in box.paras:
        page.text.extend(place(para, x, y))
        y -= para.height
    # signature, date and seal lines keep their U+3000 gaps for handwriting
    size = styles.BODY_SIZE
    y = bottom + BOX_PAD_BOTTOM + 0.25 * _LEADING
    right = left + width - BOX_PAD_X - size
    for text, align in reversed(box.footer):
        runs = runs_of(text)
        tx = right - text_width(text, size) if align == "right" else x
        page.static.append(("text", tx, y, size, runs))
        y += _LEADING
    flow.y = bottom


def _split(paras: Sequence[Para], room: float) -> tuple[list[Para], list[Para]]:
    """Paragraphs (and lines) that fit into ``room`` points, and the rest.

    A paragraph is split between lines, but never leaves a single line behind (no orphans).
    """
    taken: list[Para] = []
    rest: list[Para] = []
    used = 0.0
    for i, para in enumerate(paras):
        if used + para.height <= room:
            taken.append(para)
            used += para.height
            continue
        fit = int((room - used) / para.style.leading) if room - used >= FIT_TOLERANCE else 0
        if fit > 1:
            taken.append(para.head(fit))
            rest.append(para.tail(fit))
        else:
            rest.append(para)
        rest.extend(paras[i + 1 :])
        break
    return taken, rest


def _flow_box(flow: Flow, box: _Box) -> None:
    """Place a box; content that does not fit continues on the next page in a "（续）" box."""
    geo = flow.geo
    while True:
        avail = flow.avail
        need = _need(box)
        if need <= avail + FIT_TOLERANCE:
            _draw_box(flow, box, max(need, avail - 0.01) if box.fill else need)
            return
        at_top = flow.at_top
        if box.keep_together and not at_top and need <= geo.height:
            flow.new_page()
            continue
        room = avail - BOX_PAD_TOP - BOX_PAD_BOTTOM
        if room < 2 * _LEADING and not at_top:
            flow.new_page()
            continue
        taken, rest = _split(box.paras, room)
        if not taken:
            if not at_top:
                flow.new_page()
                continue
            # one line taller than a page cannot happen with our styles
            raise DomainError(f"“{box.label}”栏的内容无法排版（单行高于一页）", field=box.label)
        first = _Box(box.label, tuple(taken), fill=True, keep_together=False)
        _draw_box(flow, first, max(_need(first), avail - 0.01))
        flow.new_page()
        label = box.label if box.label.endswith("（续）") else f"{box.label}\n（续）"
        box = _Box(label, tuple(rest), footer=box.footer, fill=False, keep_together=False)


def _prose(text: str, width: float) -> tuple[Para, ...]:
    return tuple(wrap(t, width, PROSE) for t in text_paragraphs(text))


def title_block(flow: Flow, title: str, year_line: str, style: TextStyle = TITLE) -> None:
    """The form's title and, centred under it, the year line "（2025年度）"."""
    geo = flow.geo
    head = wrap(title, geo.width, style)
    flow.page.add_static_text(place(head, geo.left, flow.y))
    flow.y -= head.height + 2
    year = wrap(year_line, geo.width, CENTER)
    flow.page.text.extend(place(year, geo.left, flow.y))
    flow.y -= year.height + TITLE_SPACE_AFTER


def blank_page(geo: Geometry) -> PagePlan:
    """A page left empty for duplex printing, marked so nobody writes on it."""
    plan = PagePlan()
    mark = wrap("（本页空白）", geo.width, CENTER)
    plan.add_static_text(place(mark, geo.left, geo.bottom + geo.height / 2))
    return plan


def layout_sheet(s: SheetData, geo: Geometry) -> list[PagePlan]:
    """The pages of the 考核登记表, top to bottom (at least two: the form is printed
    double-sided). The 个人总结 box fills the rest of page 1 (the largest box of the form); the
    boxes the 主管领导, the committee and the person write in are left empty."""
    flow = Flow(geo)
    title_block(flow, s.category.form_title, f"（{s.year}年度）")
    _header(flow, s)
    cw = geo.width - geo.label_w - 2 * BOX_PAD_X
    sign = ((SIGN_LINE, "right"),)
    grade = s.supervisor_grade or SP * 6
    notes: list[Para] = []
    if s.training_hours is not None:
        hours = fmt_plain(s.training_hours)
        notes.append(wrap(f"培训学时：{hours}学时", cw, BODY))
    if s.rewards_sanctions.strip():
        notes.append(wrap(f"奖惩情况：{' '.join(text_paragraphs(s.rewards_sanctions))}", cw, BODY))
    notes += [wrap(t, cw, BODY) for t in text_paragraphs(s.remarks)]
    boxes = (
        _Box(
            "个人总结",
            _prose(s.summary, cw),
            min_height=geo.v(60),
            footer=sign,
            fill=True,
            keep_together=False,
        ),
        _Box(
            "主管领导\n评语和考核\n等次建议",
            _prose(s.supervisor_comment, cw),
            min_height=geo.v(70),
            footer=((f"考核等次建议：{grade}", "left"), *sign),
        ),
        _Box(
            "机关负责人\n或考核委员会\n意见",
            _prose(s.committee_opinion, cw),
            min_height=geo.v(70),
            footer=((SEAL_LINE, "right"), *sign),
        ),
        _Box("被考核人意见", _prose(s.self_opinion, cw), min_height=geo.v(40), footer=sign),
        _Box(
            "未确定等次\n或不参加考核\n情况说明",
            _prose(s.no_grade_note, cw),
            min_height=geo.v(45),
            footer=((DATE_LINE, "right"),),
        ),
        _Box("备注", tuple(notes), min_height=geo.v(30), fill=True),
    )
    for box in boxes:
        _flow_box(flow, box)
    return flow.pages
