"""年度考核登记表 (annual assessment register form) as PDF.

Layout follows the paper form (DOMAIN.md §2.1): title "YYYY年度考核登记表", a ruled header
block (姓名/性别/出生年月, 政治面貌/任现职时间, 单位及职务职级, 从事或分管工作), in the ``full``
variant a scoring block, then boxed sections with a label column on the left: 个人总结 (fills
the rest of page 1; long text continues on the next page in a "个人总结（续）" box, never
clipped), 主管领导评语和考核等次建议, 机关负责人或考核委员会意见 (with 盖章 space), 被考核人意见,
未确定等次或不参加考核情况说明 and 备注 (学时, 奖惩; fills the rest of its page).
Signature and date lines are left blank for handwriting.

Same data gives the same bytes (the document is built with ``invariant=1``).
"""

from __future__ import annotations

import io
import logging
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum, StrEnum
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate, Table

from models.errors import DomainError, FieldIssue, ValidationError
from reports import fonts, styles
from reports.cjk import CJKParagraph

log = logging.getLogger(__name__)

Number = int | float | Decimal


class SheetVariant(StrEnum):
    """``OFFICIAL`` prints the paper form only; ``FULL`` adds the scoring block."""

    OFFICIAL = "official"
    FULL = "full"


class PageSize(Enum):
    """Paper sizes (width, height) in mm."""

    A4 = (210.0, 297.0)
    K16 = (184.0, 260.0)  # 16开
    B5 = (176.0, 250.0)

    @property
    def label(self) -> str:
        return {"A4": "A4", "K16": "16开", "B5": "B5"}[self.name]


@dataclass(frozen=True)
class ScoreItem:
    """One scored item, e.g. 德 with weight 20 (percent), score 92, weighted score 18.4."""

    name: str
    weight: Number | None  # percent, 0..100
    score: Number | None
    weighted: Number | None


@dataclass(frozen=True)
class RaterGroupScore:
    """民主测评 result of one rater group (e.g. 班子成员, 中层干部, 服务对象)."""

    group: str
    weight: Number | None  # percent, 0..100
    score: Number | None
    weighted: Number | None
    raters: int | None = None  # number of people who rated


@dataclass(frozen=True)
class Adjustment:
    """加分 (points > 0) or 扣分 (points < 0) with its reason."""

    reason: str
    points: Number


@dataclass(frozen=True)
class ScoreBlock:
    """The scoring block printed only in the ``FULL`` variant."""

    items: tuple[ScoreItem, ...] = ()
    democratic: tuple[RaterGroupScore, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    composite: Number | None = None
    rank: int | None = None
    pool_size: int | None = None
    pool_name: str = ""  # e.g. "科级干部"
    proposed_grade: str = ""  # e.g. 优秀 / 称职 / 基本称职 / 不称职
    explanation: str = ""


@dataclass(frozen=True)
class SheetData:
    """Content of one 年度考核登记表. Dates are strings as printed: '1975.03'."""

    year: int
    name: str
    gender: str = ""
    birth: str = ""  # 出生年月, 'YYYY.MM'
    political_status: str = ""  # 政治面貌
    post_since: str = ""  # 任现职时间, 'YYYY.MM'
    unit_and_post: str = ""  # 单位及职务职级
    work_scope: str = ""  # 从事或分管工作
    summary: str = ""  # 个人总结 (long; newlines separate paragraphs)
    supervisor_comment: str = ""  # 主管领导评语
    supervisor_grade: str = ""  # 主管领导考核等次建议 (usually handwritten: leave empty)
    committee_opinion: str = ""  # 机关负责人或考核委员会意见
    self_opinion: str = ""  # 被考核人意见
    no_grade_note: str = ""  # 未确定等次或不参加考核情况说明
    training_hours: Number | None = None  # 备注: 学时
    rewards_sanctions: str = ""  # 备注: 奖惩
    remarks: str = ""  # 备注: 其他
    scores: ScoreBlock | None = None
    variant: SheetVariant = SheetVariant.FULL


@dataclass(frozen=True)
class RenderResult:
    """What :func:`render_sheets` produced."""

    sheets: int
    pages: int
    warnings: tuple[str, ...] = field(default_factory=tuple)


class RenderCancelled(Exception):  # noqa: N818 (a cancel, not an error)
    """The user cancelled; nothing was written."""

    def __init__(self) -> None:
        super().__init__("已取消生成考核登记表，未写入文件")


# ---------------------------------------------------------------------------------------------
# formatting helpers

_SP = "\u3000"  # ideographic space: keeps handwriting gaps the same width in every font
SIGN_LINE = f"签名：{_SP * 6}年{_SP * 2}月{_SP * 2}日"
DATE_LINE = f"年{_SP * 2}月{_SP * 2}日"
SEAL_LINE = f"（盖章）{_SP * 8}"
_YM_RE = re.compile(r"^(\d{4})\.(\d{2})$")


def _fmt(value: Number | None, places: int = 2) -> str:
    if value is None:
        return ""
    q = Decimal(1).scaleb(-places)
    return str(Decimal(str(value)).quantize(q, rounding=ROUND_HALF_UP))


def _fmt_weight(value: Number | None) -> str:
    if value is None:
        return ""
    d = Decimal(str(value)).normalize()
    text = format(d, "f")
    return f"{text}%"


def _fmt_points(value: Number) -> str:
    text = _fmt(value)
    return text if text.startswith("-") else f"+{text}"


def _lines(text: str) -> list[str]:
    """Paragraphs of a user text: split on newlines, blank lines dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [line.strip() for line in text.split("\n") if line.strip()]


def _p(text: str, style: Any = styles.BODY) -> CJKParagraph:
    return CJKParagraph(fonts.markup(text), style)


def _label(text: str) -> CJKParagraph:
    """A label cell; "\n" in our fixed labels marks the preferred line breaks."""
    return CJKParagraph("<br/>".join(fonts.escape(t) for t in text.split("\n")), styles.LABEL)


# ---------------------------------------------------------------------------------------------
# validation

_SCORE_FIELDS = ("weight", "score", "weighted")


def _check_ym(value: str, fld: str, label: str, issues: list[FieldIssue]) -> None:
    if not value:
        return
    m = _YM_RE.match(value)
    if m is None or not 1 <= int(m.group(2)) <= 12 or not 1900 <= int(m.group(1)) <= 2100:
        issues.append(FieldIssue(fld, label, f"应写成“年.月”，如 1975.03，现为“{value}”"))


def validate_sheet(sheet: SheetData) -> list[FieldIssue]:
    """Problems that block printing this sheet (empty list: fine)."""
    issues: list[FieldIssue] = []
    if not isinstance(sheet.year, int) or not 1949 <= sheet.year <= 2100:
        issues.append(
            FieldIssue("year", "考核年度", f"应为 1949–2100 之间的年份，现为“{sheet.year}”")
        )
    if not sheet.name.strip():
        issues.append(FieldIssue("name", "姓名", "不能为空"))
    _check_ym(sheet.birth, "birth", "出生年月", issues)
    _check_ym(sheet.post_since, "post_since", "任现职时间", issues)
    if sheet.training_hours is not None and sheet.training_hours < 0:
        issues.append(
            FieldIssue("training_hours", "学时", f"不能为负数，现为 {sheet.training_hours}")
        )
    block = sheet.scores
    if block is not None:
        rows: list[tuple[str, Any]] = [
            (f"考核项目第{i}行", it) for i, it in enumerate(block.items, 1)
        ]
        rows += [(f"民主测评第{i}行", g) for i, g in enumerate(block.democratic, 1)]
        for where, row in rows:
            weight = row.weight
            if weight is not None and not 0 <= weight <= 100:
                issues.append(
                    FieldIssue("scores", "评分", f"{where}权重应在 0–100（%）之间，现为 {weight}")
                )
        if (
            block.rank is not None
            and block.pool_size is not None
            and not (1 <= block.rank <= block.pool_size)
        ):
            issues.append(
                FieldIssue(
                    "scores", "排名", f"名次 {block.rank} 不在 1–{block.pool_size}（参评人数）之间"
                )
            )
    return issues


# ---------------------------------------------------------------------------------------------
# geometry


@dataclass(frozen=True)
class _Geometry:
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
    def label_w(self) -> float:
        return round(self.width * 0.15, 2)

    def v(self, a4_mm: float) -> float:
        """A vertical size given in mm for A4, scaled to this page's frame height."""
        return a4_mm * mm * self.height / (267 * mm)


def _geometry(size: PageSize) -> _Geometry:
    w, h = size.value
    margin_x = {PageSize.A4: 20.0, PageSize.K16: 15.0, PageSize.B5: 14.0}[size]
    margin_y = {PageSize.A4: 15.0, PageSize.K16: 13.0, PageSize.B5: 12.0}[size]
    return _Geometry((w * mm, h * mm), margin_x * mm, margin_y * mm)


# ---------------------------------------------------------------------------------------------
# flowables


class _SheetStart(Flowable):
    """Zero-size marker before each sheet: reports progress and checks for cancel."""

    _ZEROSIZE = True

    def __init__(self, index: int, total: int, job: _Job) -> None:
        super().__init__()
        self.index = index
        self.total = total
        self.job = job

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0.0, 0.0

    def draw(self) -> None:
        self.job.tick(self.index, self.total)


class FormBox(Flowable):
    """A ruled box: label column on the left, text on the right, optional signature line.

    ``fill``: stretch down to the bottom of the frame when the content fits.
    ``keep_together``: move to the next page rather than split, unless it is taller than a page.
    Content that does not fit is split over pages, continued in a box labelled "…（续）".
    """

    PAD_X = 6.0
    LABEL_PAD = 3.0
    PAD_TOP = 6.0
    PAD_BOTTOM = 8.0

    def __init__(
        self,
        label: str,
        paras: Sequence[CJKParagraph],
        *,
        geometry: _Geometry,
        min_height: float = 0.0,
        footer: Sequence[tuple[str, str]] = (),
        fill: bool = False,
        keep_together: bool = True,
    ) -> None:
        super().__init__()
        self.label = label
        self.paras = list(paras)
        self.geo = geometry
        self.min_height = min_height
        self.footer = list(footer)
        self.fill = fill
        self.keep_together = keep_together
        self._measured_w: float | None = None
        self._heights: list[float] = []
        self._footer_h = 0.0

    # measuring -----------------------------------------------------------------------------
    @property
    def _content_w(self) -> float:
        return self.width - self.geo.label_w - 2 * self.PAD_X

    def _measure(self, avail_w: float) -> float:
        self.width = avail_w
        if self._measured_w != avail_w:
            cw = self._content_w
            self._heights = [p.wrap(cw, 1e9)[1] for p in self.paras]
            self._footer_h = styles.BODY_LEADING * (len(self.footer) + 0.5 * bool(self.footer))
            self._measured_w = avail_w
        need = self.PAD_TOP + sum(self._heights) + self._footer_h + self.PAD_BOTTOM
        return max(self.min_height, need)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        need = self._measure(availWidth)
        if self.fill and need <= availHeight:
            self.height = max(need, availHeight - 0.01)
        else:
            self.height = need
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        need = self._measure(availWidth)
        at_top = availHeight >= self.geo.height - 1.0
        if self.keep_together and not at_top and need <= self.geo.height:
            return []
        room = availHeight - self.PAD_TOP - self.PAD_BOTTOM
        if room < 2 * styles.BODY_LEADING and not at_top:
            return []
        cw = self._content_w
        taken: list[CJKParagraph] = []
        rest: list[CJKParagraph] = []
        used = 0.0
        for i, (para, h) in enumerate(zip(self.paras, self._heights, strict=True)):
            if used + h <= room:
                taken.append(para)
                used += h
                continue
            parts = para.split(cw, room - used)
            if len(parts) == 2:
                taken.append(parts[0])
                rest.append(parts[1])
            else:
                rest.append(para)
            rest.extend(self.paras[i + 1 :])
            break
        if not taken and not at_top:
            return []
        if not taken:  # one line taller than a page cannot happen with our styles
            raise DomainError(f"“{self.label}”栏的内容无法排版（单行高于一页）", field=self.label)
        first = FormBox(self.label, taken, geometry=self.geo, fill=True, keep_together=False)
        label = self.label if self.label.endswith("（续）") else f"{self.label}\n（续）"
        second = FormBox(
            label,
            rest,
            geometry=self.geo,
            min_height=0.0,
            footer=self.footer,
            fill=False,
            keep_together=False,
        )
        return [first, second]

    # drawing -------------------------------------------------------------------------------
    def draw(self) -> None:
        c = self.canv
        lw = self.geo.label_w
        c.saveState()
        c.setLineWidth(styles.LINE_WIDTH)
        c.rect(0, 0, self.width, self.height)
        c.line(lw, 0, lw, self.height)
        label = _label(self.label)
        _, lh = label.wrap(lw - 2 * self.LABEL_PAD, self.height)
        label.drawOn(c, self.LABEL_PAD, (self.height - lh) / 2)
        x = lw + self.PAD_X
        y = self.height - self.PAD_TOP
        cw = self._content_w
        for para in self.paras:
            _, h = para.wrap(cw, 1e9)
            y -= h
            para.drawOn(c, x, y)
        # footer lines (signature, date, seal) drawn directly so the U+3000 gaps left for
        # handwriting keep their width (Paragraph markup collapses whitespace)
        c.setFont(styles.FONT, styles.BODY_SIZE)
        y = self.PAD_BOTTOM + 0.25 * styles.BODY_LEADING
        right = self.width - self.PAD_X - styles.BODY_SIZE
        for text, align in reversed(self.footer):
            if align == "right":
                c.drawRightString(right, y, text)
            else:
                c.drawString(x, y, text)
            y += styles.BODY_LEADING
        c.restoreState()


# ---------------------------------------------------------------------------------------------
# story


def _row_heights(
    rows: list[list[Any]], col_w: Sequence[float], spans: dict[tuple[int, int], int], min_h: float
) -> list[float]:
    """Row heights that fit every cell's wrapped text; ``spans`` maps (row, col) -> columns."""
    heights: list[float] = []
    for r, row in enumerate(rows):
        h_row = min_h
        for c, cell in enumerate(row):
            if not isinstance(cell, CJKParagraph):
                continue
            n = spans.get((r, c), 1)
            w = sum(col_w[c : c + n]) - styles.CELL_PAD_X
            h_row = max(h_row, cell.wrap(w, 1e9)[1] + styles.CELL_PAD_Y)
        heights.append(h_row)
    return heights


def _span_cmds(spans: dict[tuple[int, int], int]) -> list[tuple[Any, ...]]:
    return [("SPAN", (c, r), (c + n - 1, r)) for (r, c), n in spans.items() if n > 1]


def _header_table(s: SheetData, geo: _Geometry) -> Table:
    w = geo.width
    lw = geo.label_w
    rest = w - lw
    col_w = [lw, rest * 0.26, rest * 0.12, rest * 0.14, rest * 0.15]
    col_w.append(w - sum(col_w))
    center = styles.VALUE_CENTER
    rows: list[list[Any]] = [
        [
            _label("姓名"),
            _p(s.name, center),
            _label("性别"),
            _p(s.gender, center),
            _label("出生年月"),
            _p(s.birth, center),
        ],
        [
            _label("政治面貌"),
            _p(s.political_status, center),
            _label("任现职时间"),
            "",
            _p(s.post_since, center),
            "",
        ],
        [_label("单位及职务\n职级"), _p(s.unit_and_post), "", "", "", ""],
        [_label("从事或分管\n工作"), _p(s.work_scope), "", "", "", ""],
    ]
    spans = {(1, 2): 2, (1, 4): 2, (2, 1): 5, (3, 1): 5}
    heights = _row_heights(rows, col_w, spans, geo.v(10))
    return Table(
        rows,
        colWidths=col_w,
        rowHeights=heights,
        style=styles.form_table_style(*_span_cmds(spans)),
    )


def _score_table(block: ScoreBlock, geo: _Geometry) -> Table:
    w = geo.width
    lw = geo.label_w
    rest = w - lw
    col_w = [lw, rest * 0.40, rest * 0.20, rest * 0.20]
    col_w.append(w - sum(col_w))
    num = styles.VALUE_CENTER
    rows: list[list[Any]] = []
    spans: dict[tuple[int, int], int] = {}
    shaded: list[int] = []

    def head(first: str) -> None:
        shaded.append(len(rows))
        rows.append(["", _label(first), _label("权重"), _label("得分"), _label("加权得分")])

    head("考核项目")
    rows.extend(
        [
            "",
            _p(it.name),
            _p(_fmt_weight(it.weight), num),
            _p(_fmt(it.score), num),
            _p(_fmt(it.weighted), num),
        ]
        for it in block.items
    )
    if block.democratic:
        head("民主测评（测评主体）")
        for g in block.democratic:
            name = g.group if g.raters is None else f"{g.group}（{g.raters}人）"
            rows.append(
                [
                    "",
                    _p(name),
                    _p(_fmt_weight(g.weight), num),
                    _p(_fmt(g.score), num),
                    _p(_fmt(g.weighted), num),
                ]
            )
    if block.adjustments:
        for adj in block.adjustments:
            kind = "加分" if adj.points >= 0 else "扣分"
            spans[(len(rows), 2)] = 2
            rows.append(["", _label(kind), _p(adj.reason), "", _p(_fmt_points(adj.points), num)])
    else:
        spans[(len(rows), 2)] = 3
        rows.append(["", _label("加分/扣分"), _p("无", num), "", ""])
    rank = ""
    if block.rank is not None:
        rank = f"第{block.rank}名"
        if block.pool_size is not None:
            pool = f"{block.pool_name}" if block.pool_name else ""
            rank += f"（{pool}共{block.pool_size}人）"
    rows.append(
        ["", _label("综合得分"), _p(_fmt(block.composite), num), _label("排名"), _p(rank, num)]
    )
    spans[(len(rows), 2)] = 3
    rows.append(["", _label("建议等次"), _p(block.proposed_grade, num), "", ""])
    if block.explanation:
        spans[(len(rows), 2)] = 3
        rows.append(["", _label("说明"), _p(block.explanation), "", ""])
    rows[0][0] = _label("考核\n评分")
    heights = _row_heights(rows, col_w, spans, geo.v(7.5))
    cmds: list[tuple[Any, ...]] = [("SPAN", (0, 0), (0, len(rows) - 1))]
    cmds += _span_cmds(spans)
    return Table(rows, colWidths=col_w, rowHeights=heights, style=styles.form_table_style(*cmds))


def _sheet_story(s: SheetData, geo: _Geometry) -> list[Flowable]:
    story: list[Flowable] = [CJKParagraph(f"{s.year}年度考核登记表", styles.TITLE)]
    story.append(_header_table(s, geo))
    if s.variant is SheetVariant.FULL and s.scores is not None:
        story.append(_score_table(s.scores, geo))
    sign = [(SIGN_LINE, "right")]
    story.append(
        FormBox(
            "个人总结",
            [_p(t, styles.PROSE) for t in _lines(s.summary)],
            geometry=geo,
            min_height=geo.v(60),
            footer=sign,
            fill=True,
            keep_together=False,
        )
    )
    grade = s.supervisor_grade or _SP * 6
    story.append(
        FormBox(
            "主管领导\n评语和考核\n等次建议",
            [_p(t, styles.PROSE) for t in _lines(s.supervisor_comment)],
            geometry=geo,
            min_height=geo.v(70),
            footer=[(f"考核等次建议：{grade}", "left"), *sign],
        )
    )
    story.append(
        FormBox(
            "机关负责人\n或考核委员会\n意见",
            [_p(t, styles.PROSE) for t in _lines(s.committee_opinion)],
            geometry=geo,
            min_height=geo.v(70),
            footer=[(SEAL_LINE, "right"), *sign],
        )
    )
    story.append(
        FormBox(
            "被考核人意见",
            [_p(t, styles.PROSE) for t in _lines(s.self_opinion)],
            geometry=geo,
            min_height=geo.v(40),
            footer=sign,
        )
    )
    story.append(
        FormBox(
            "未确定等次\n或不参加考核\n情况说明",
            [_p(t, styles.PROSE) for t in _lines(s.no_grade_note)],
            geometry=geo,
            min_height=geo.v(45),
            footer=[(DATE_LINE, "right")],
        )
    )
    notes: list[CJKParagraph] = []
    if s.training_hours is not None:
        hours = format(Decimal(str(s.training_hours)).normalize(), "f")
        notes.append(_p(f"培训学时：{hours}学时"))
    if s.rewards_sanctions.strip():
        notes.append(_p(f"奖惩情况：{' '.join(_lines(s.rewards_sanctions))}"))
    notes += [_p(t) for t in _lines(s.remarks)]
    story.append(FormBox("备注", notes, geometry=geo, min_height=geo.v(30), fill=True))
    return story


# ---------------------------------------------------------------------------------------------
# rendering


class _Job:
    def __init__(
        self,
        progress: Callable[[int, int], None] | None,
        cancelled: Callable[[], bool] | None,
    ) -> None:
        self.progress = progress
        self.cancelled = cancelled

    def tick(self, done: int, total: int) -> None:
        if self.cancelled is not None and self.cancelled():
            raise RenderCancelled
        if self.progress is not None and done > 0:
            self.progress(done, total)


def _check_all(sheets: Sequence[SheetData]) -> list[str]:
    warnings: list[str] = []
    for i, s in enumerate(sheets, 1):
        record = f"第{i}份考核登记表（{s.name or '未填姓名'}）"
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
            bad = fonts.unprintable(text)
            if bad:
                warnings.append(
                    f"{record}：{label}中的“{''.join(bad)}”没有字体能打印，将显示为空白"
                )
    return warnings


def build_pdf_bytes(
    sheets: Sequence[SheetData],
    *,
    page_size: PageSize = PageSize.A4,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> tuple[bytes, RenderResult]:
    """Lay out the sheets into one PDF in memory. Raises RenderCancelled or ValidationError."""
    setup = fonts.current_setup()
    if not sheets:
        raise DomainError("没有要打印的考核登记表：请先选择人员", field="sheets")
    warnings = ([setup.warning] if setup.warning else []) + _check_all(sheets)
    job = _Job(progress, cancelled)
    geo = _geometry(page_size)
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf,
        pagesize=geo.page,
        leftMargin=geo.margin_x,
        rightMargin=geo.margin_x,
        topMargin=geo.margin_y,
        bottomMargin=geo.margin_y,
        title="年度考核登记表",
        author="",
        subject="",
        creator="CadreDesk",
        producer="CadreDesk (ReportLab)",
        invariant=1,
        initialFontName=styles.FONT,
        initialFontSize=styles.BODY_SIZE,
        pageCompression=1,
    )
    frame = Frame(
        geo.margin_x,
        geo.margin_y,
        geo.width,
        geo.height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc.addPageTemplates([PageTemplate(id="sheet", frames=[frame])])
    total = len(sheets)
    story: list[Flowable] = []
    for i, s in enumerate(sheets):
        if i:
            story.append(PageBreak())
        story.append(_SheetStart(i, total, job))
        story.extend(_sheet_story(s, geo))
    job.tick(0, total)
    doc.build(story)
    job.tick(total, total)
    return buf.getvalue(), RenderResult(total, doc.page, tuple(warnings))


def render_sheets(
    sheets: Iterable[SheetData],
    out: str | os.PathLike[str] | BinaryIO,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    *,
    page_size: PageSize = PageSize.A4,
) -> RenderResult:
    """Write all sheets into one PDF at ``out`` (a path or a writable binary file).

    ``progress(done, total)`` is called after each sheet is laid out; ``cancelled()`` is checked
    before each sheet and, when true, :class:`RenderCancelled` is raised and nothing is written:
    a path is only replaced (atomically, via a temporary file in the same folder) after the whole
    PDF is built, and a file object only receives the finished bytes.
    """
    data, result = build_pdf_bytes(
        list(sheets), page_size=page_size, progress=progress, cancelled=cancelled
    )
    if isinstance(out, (str, os.PathLike)):
        _write_atomic(Path(out), data)
    else:
        out.write(data)
    return result


def _write_atomic(path: Path, data: bytes) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise DomainError(f"保存考核登记表失败：文件夹不存在：{folder}", field="path")
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
            f"保存考核登记表失败：无法写入 {path}（{exc.strerror or exc}）", field="path"
        ) from exc
    finally:
        if tmp_name is not None and os.path.exists(tmp_name):
            os.unlink(tmp_name)
