"""The 考核评分表: one page per person with the scoring detail that does not belong on the
考核登记表 filed in the 人事档案.

Three ruled tables whose last column a reader can add up by hand: 一、考核项目 (each item's
score × its share = weighted points, adding up to the 项目得分), 二、民主测评 (the same for the
rater groups, adding up to the 民主测评得分), 三、综合得分 (both parts × their weights, plus the
counted 加分, minus the counted 扣分, adding up to the 综合得分). Then 排名, 拟定等次 and the
grading's explanation. The numbers come from :mod:`reports.sheets.scoring`.
"""

from __future__ import annotations

from reports.common import styles
from reports.common.cjk import FIT_TOLERANCE
from reports.common.numbers import Number, fmt_points, fmt_score
from reports.sheets.layout import (
    Cell,
    Flow,
    Geometry,
    PagePlan,
    label_cell,
    table,
    title_block,
    value_cell,
)
from reports.sheets.model import (
    SIGN_LINE,
    SP,
    ScoreBlock,
    SheetData,
    fmt_plain,
    fmt_weight,
)
from reports.sheets.text import BODY, CENTER, TextStyle, place, runs_of, wrap

__all__ = ["SCORED_TITLE", "layout_scored"]

SCORED_TITLE = "年度考核评分表"
_KEEP = 3 * 17.0  # a heading stays with the first rows of its table
SCORED_TITLE_STYLE = TextStyle(16.0, 20.0, True)  # smaller than the 登记表's: one page holds all
SMALL = TextStyle(styles.SMALL.fontSize, styles.SMALL.leading)
ROW_H = 5.5  # minimum row height in A4 mm
PAD_Y = 2.0  # rows are as tall as their text plus this: about 6 mm, so a page holds it all
ROUNDING_NOTE = "注：加权得分＝得分÷满分×权重，两位小数，尾差按最大余数法调整，各栏相加等于合计。"


def _text(
    flow: Flow, text: str, style: TextStyle = BODY, gap: float = 3.0, keep: float = 0.0
) -> None:
    """A line of text across the page (a section heading or a note); ``keep``: room the
    following table's first rows need, so that a heading never ends a page."""
    geo = flow.geo
    para = wrap(text, geo.width, style)
    if para.height + gap + keep > flow.avail + FIT_TOLERANCE and not flow.at_top:
        flow.new_page()
    flow.y -= gap
    flow.page.text.extend(place(para, flow.geo.left, flow.y))
    flow.y -= para.height


def _cols(geo: Geometry) -> list[float]:
    w = geo.width
    col_w = [w * 0.40, w * 0.18, w * 0.16]
    col_w.append(w - sum(col_w))
    return col_w


def _head(first: str, last: str) -> list[Cell]:
    return [label_cell(first), label_cell("得分"), label_cell("权重"), label_cell(last)]


def _num(text: str) -> Cell:
    return value_cell(text, CENTER)


def _score_text(score: Number | None, full: Number) -> str:
    text = fmt_score(score)
    if text and fmt_plain(full) != "100":
        text += f"（满分{fmt_plain(full)}）"
    return text


def _header(flow: Flow, s: SheetData) -> None:
    geo = flow.geo
    col_w = _cols(geo)
    rows: list[list[Cell]] = [
        [label_cell("姓名"), _num(s.name), label_cell("人员类别"), _num(s.category.short)],
        [label_cell("单位及职务职级"), value_cell(s.unit_and_post), None, None],
    ]
    table(flow, "表头（姓名、单位及职务等）", col_w, rows, {(1, 1): 3}, geo.v(ROW_H), pad_y=PAD_Y)


def _items(flow: Flow, b: ScoreBlock) -> None:
    geo = flow.geo
    _text(flow, f"一、考核项目（项目得分，占综合得分{fmt_plain(b.items_weight)}%）", keep=_KEEP)
    rows = [_head("考核项目", "加权得分")]
    rows.extend(
        [
            value_cell(it.name),
            _num(_score_text(it.score, it.full_score)),
            _num(fmt_weight(it.weight)),
            _num(fmt_score(it.weighted)),
        ]
        for it in b.items
    )
    total = "100%" if b.items else ""
    rows.append([label_cell("项目得分（合计）"), None, _num(total), _num(fmt_score(b.items_score))])
    table(flow, "考核项目", _cols(geo), rows, {}, geo.v(ROW_H), pad_y=PAD_Y)
    if b.items_note:
        _text(flow, b.items_note, SMALL, gap=2.0)


def _democratic(flow: Flow, b: ScoreBlock) -> None:
    geo = flow.geo
    _text(
        flow,
        f"二、民主测评（民主测评得分，占综合得分{fmt_plain(b.evaluation_weight)}%）",
        keep=_KEEP,
    )
    rows = [_head("测评主体", "加权得分")]
    for g in b.democratic:
        name = g.group if g.raters is None else f"{g.group}（{g.raters}人）"
        if g.score is None:
            rows.append([value_cell(name), _num("无测评数据"), None, None])
            continue
        rows.append(
            [
                value_cell(name),
                _num(fmt_score(g.score)),
                _num(fmt_weight(g.weight)),
                _num(fmt_score(g.weighted)),
            ]
        )
    total = "100%" if any(g.score is not None for g in b.democratic) else ""
    rows.append(
        [label_cell("民主测评得分（合计）"), None, _num(total), _num(fmt_score(b.evaluation))]
    )
    spans = {(r, 1): 3 for r, row in enumerate(rows) if row[2] is None and row[1] is not None}
    table(flow, "民主测评", _cols(geo), rows, spans, geo.v(ROW_H), pad_y=PAD_Y)
    if b.evaluation_note:
        _text(flow, b.evaluation_note, SMALL, gap=2.0)


def _composite(flow: Flow, b: ScoreBlock) -> None:
    geo = flow.geo
    _text(flow, "三、综合得分", keep=_KEEP)
    rows = [_head("组成", "计入综合得分")]
    spans: dict[tuple[int, int], int] = {}
    if b.evaluation_weight:
        rows.append(
            [
                value_cell("民主测评得分"),
                _num(fmt_score(b.evaluation)),
                _num(fmt_weight(b.evaluation_weight)),
                _num(fmt_score(b.evaluation_part)),
            ]
        )
    if b.items_weight:
        rows.append(
            [
                value_cell("项目得分"),
                _num(fmt_score(b.items_score)),
                _num(fmt_weight(b.items_weight)),
                _num(fmt_score(b.items_part)),
            ]
        )
    for adj in b.adjustments:
        kind = "加分" if adj.points >= 0 else "扣分"
        spans[(len(rows), 1)] = 2
        rows.append([value_cell(f"{kind}：{adj.reason}"), _num(fmt_points(adj.points)), None, None])
    if any(a.points >= 0 for a in b.adjustments) or b.bonus:
        spans[(len(rows), 0)] = 3
        rows.append([label_cell("计入加分（按上限）"), None, None, _num(fmt_points(b.bonus))])
    if any(a.points < 0 for a in b.adjustments) or b.penalty:
        spans[(len(rows), 0)] = 3
        rows.append([label_cell("计入扣分（按上限）"), None, None, _num(fmt_points(-b.penalty))])
    spans[(len(rows), 0)] = 3
    rows.append([label_cell("综合得分（合计）"), None, None, _num(fmt_score(b.composite))])
    table(flow, "综合得分", _cols(geo), rows, spans, geo.v(ROW_H), pad_y=PAD_Y)


def _outcome(flow: Flow, b: ScoreBlock) -> None:
    geo = flow.geo
    _text(flow, "四、排名与拟定等次", keep=_KEEP)
    rank = ""
    if b.rank is not None:
        rank = f"第{b.rank}名"
        if b.pool_size is not None:
            rank += f"（{b.pool_name}共{b.pool_size}人）"
    rows: list[list[Cell]] = [
        [label_cell("排名"), _num(rank), label_cell("拟定等次"), _num(b.proposed_grade)],
    ]
    w = geo.width
    col_w = [w * 0.16, w * 0.42, w * 0.16]
    col_w.append(w - sum(col_w))
    spans: dict[tuple[int, int], int] = {}
    for label, text in (
        ("说明", b.explanation),
        ("平时考核", b.quarters.removeprefix("平时考核：")),
    ):
        if text:
            spans[(len(rows), 1)] = 3
            rows.append([label_cell(label), value_cell(text, SMALL), None, None])
    table(flow, "排名与等次", col_w, rows, spans, geo.v(ROW_H), pad_y=PAD_Y)


def layout_scored(s: SheetData, geo: Geometry) -> list[PagePlan]:
    """The 考核评分表 of one person: one page (more only when the explanation is very long)."""
    flow = Flow(geo)
    title_block(flow, SCORED_TITLE, f"（{s.year}年度）", SCORED_TITLE_STYLE)
    _header(flow, s)
    b = s.scores or ScoreBlock()
    _items(flow, b)
    if b.democratic or b.evaluation is not None:
        _democratic(flow, b)
    _composite(flow, b)
    _outcome(flow, b)
    _text(flow, ROUNDING_NOTE, SMALL, gap=2.0)
    _signatures(flow)
    return flow.pages


def _signatures(flow: Flow) -> None:
    """制表人 / 审核人 and the date, left blank for handwriting (the gaps are U+3000)."""
    size = styles.BODY_SIZE
    if flow.avail < 2 * styles.BODY_LEADING and not flow.at_top:
        flow.new_page()
    flow.y -= styles.BODY_LEADING
    text = f"制表人：{SP * 6}审核人：{SP * 6}{SIGN_LINE.removeprefix('签名：')}"
    flow.page.static.append(("text", flow.geo.left, flow.y, size, runs_of(text)))
