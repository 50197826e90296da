"""PDF layout of the 考核 summary reports (landscape A4): 考核结果汇总表 (with a bar chart of the
grades), 年度考核结果审定表,
年度考核结果名册. Data comes from :mod:`reports.assessment.data`; the document plumbing
(fonts, invariant build, page numbers, progress/cancel) from :mod:`reports.common.pdf_base`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from models.assessment import STATUS_APPROVED
from models.core.progress import IsCancelled, Progress
from reports.assessment.data import (
    DETERMINED,
    NO_GRADE_KINDS,
    ApprovalData,
    ApprovalRow,
    RegisterData,
    SummaryData,
    SummaryUnit,
)
from reports.common import fonts, styles
from reports.common.charts import count_bar_drawing
from reports.common.numbers import fmt_points, fmt_score
from reports.common.pdf_base import (
    CELL,
    CELL_CENTER,
    GROUP_FILL,
    HEAD,
    INFO_LEFT,
    REPORT_TITLE,
    Job,
    Tick,
    build_pdf,
    cell_heights,
    mpara,
    para,
    table_style,
)

__all__ = ["approval_pdf", "register_pdf", "summary_pdf"]

PAGE = landscape(A4)
MX, MY = 12 * mm, 11 * mm
WIDTH = PAGE[0] - 2 * MX
QUOTA_LINE_WIDTH = 2.2  # points: the 优秀 quota line under the last place inside the quota
_SP = "\u3000"

NOTE = ParagraphStyle("ar_note", parent=CELL, spaceBefore=2)


def _job(what: str, progress: Progress | None, cancelled: IsCancelled | None) -> Job:
    def report(done: int, total: int, _what: str) -> None:
        if progress is not None:
            progress(done, total, f"正在生成{what}（{done}/{total}）")

    return Job(what, report, cancelled)


def _widths(cols: Sequence[tuple[str, float]]) -> list[float]:
    fixed = sum(w for _, w in cols) * mm
    return [w * mm if w else WIDTH - fixed for _, w in cols]


def _title(text: str, info: str) -> list[Flowable]:
    return [para(text, REPORT_TITLE), para(info, INFO_LEFT), Spacer(1, 2 * mm)]


def _status(status: str) -> str:
    """The round's state as the header says it: 已审定 once approved, else 未审定."""
    return "已审定" if status == STATUS_APPROVED else "未审定"


def _plain_style(*extra: tuple[Any, ...]) -> TableStyle:
    """A borderless table style with the CJK font set (FONTNAME is never left out)."""
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), styles.FONT),
            ("FONTSIZE", (0, 0), (-1, -1), 10),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            *extra,
        ]
    )


def _sign_table(cells: Sequence[str]) -> Table:
    """'填表人：' + a ruled blank, ... on one line (plain strings keep their spacing)."""
    n = len(cells)
    col_w = []
    row: list[Any] = []
    cmds: list[tuple[Any, ...]] = []
    for i, text in enumerate(cells):
        row += [text, ""]
        label_w = len(text) * 10 + 8
        col_w += [label_w, WIDTH / n - label_w - 12, 12]
        row.append("")
        cmds.append(("LINEBELOW", (3 * i + 1, 0), (3 * i + 1, 0), 0.6, colors.black))
    return Table(
        [row],
        colWidths=col_w,
        rowHeights=[22],
        style=_plain_style(("VALIGN", (0, 0), (-1, -1), "BOTTOM"), *cmds),
    )


# ============================================================================ 汇总表

SUMMARY_COLS = (
    ("序号", 10),
    ("姓名", 19),
    ("职务职级", 0),
    ("测评得分", 17),
    ("项目得分", 17),
    ("加减分", 15),
    ("综合得分", 17),
    ("排名", 11),
    ("拟定等次", 17),
    ("最终等次", 17),
    ("备注", 58),
)


def _unit_block(u: SummaryUnit, col_w: list[float]) -> list[Flowable]:
    counts = "，".join(f"{g} {n}" for g, n in u.counts.items() if n) or "尚未计算"
    raised = "（经批准提高比例）" if u.raised_quota else ""
    head = (
        f"<b>{fonts.markup(u.label)}</b>{_SP}参加考核 {u.people} 人{_SP}"
        f"优秀名额{raised}：{fonts.escape(u.quota_text)}{_SP}等次：{counts}"
    )
    rows: list[list[Any]] = [[mpara(h, HEAD) for h, _ in SUMMARY_COLS]]
    rows += [
        [
            para(str(r.seq), CELL_CENTER),
            para(r.name, CELL_CENTER),
            para(r.post),
            para(fmt_score(r.evaluation), CELL_CENTER),
            para(fmt_score(r.items), CELL_CENTER),
            para(fmt_points(r.adjust) if r.adjust else "", CELL_CENTER),
            para(fmt_score(r.composite), CELL_CENTER),
            para("" if r.rank is None else str(r.rank), CELL_CENTER),
            para(r.proposed, CELL_CENTER),
            para(r.final, CELL_CENTER),
            para(r.note),
        ]
        for r in u.rows
    ]
    line = u.line_after + 1  # table row (the header is row 0)
    cmds: list[tuple[Any, ...]] = [
        ("LINEBELOW", (0, line), (-1, line), QUOTA_LINE_WIDTH, colors.black)
    ]
    heights = cell_heights(rows, col_w, [22.0] + [19.0] * len(u.rows))
    table = Table(rows, colWidths=col_w, rowHeights=heights, repeatRows=1, style=table_style(*cmds))
    notes = [f"粗线为优秀名额线：名额 {u.quota} 名（{fonts.escape(u.quota_text)}）。"]
    notes += [fonts.markup(w) for w in u.notes]
    after = [mpara(n, NOTE) for n in notes]
    return [KeepTogether([mpara(head, INFO_LEFT), Spacer(1, 1 * mm), table, *after]),
            Spacer(1, 4 * mm)]  # fmt: skip


def _grades_chart(d: SummaryData) -> Flowable:
    """The people of each grade over every unit as bars, centred under the title."""
    grades = d.grade_counts
    chart = count_bar_drawing(
        [g for g, _n in grades], [n for _g, n in grades],
        title=f"等次分布（参加考核 {d.people} 人）", width=130 * mm, height=52 * mm,
    )  # fmt: skip
    chart.hAlign = "CENTER"
    return chart


def summary_pdf(
    d: SummaryData,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> tuple[bytes, int]:
    """The 汇总表 as PDF bytes and its page count."""
    job = _job("考核结果汇总表", progress, cancelled)
    col_w = _widths(SUMMARY_COLS)
    story = _title(
        f"{d.year}年度考核结果汇总表",
        f"考核范围：{fonts.markup(d.scope)}{_SP * 2}参加考核 {d.people} 人{_SP * 2}"
        f"{len(d.units)} 个考核单位{_SP * 2}（{d.round_name}，{_status(d.status)}）",
    )
    story += [_grades_chart(d), Spacer(1, 3 * mm)]
    total = len(d.units)
    for i, u in enumerate(d.units):
        story.append(Tick(job, i, total))
        story.extend(_unit_block(u, col_w))
    story.append(_sign_table(["填表人：", "审核人：", "填表日期："]))
    return build_pdf(
        story, job=job, total=total, title=f"{d.year}年度考核结果汇总表",
        pagesize=PAGE, margin_x=MX, margin_y=MY,
    )  # fmt: skip


# ============================================================================ 审定表


def _approval_table(d: ApprovalData) -> Table:
    nd, nn = len(DETERMINED), len(NO_GRADE_KINDS)
    col_w = [44 * mm, 22 * mm] + [21 * mm] * (nd + nn) + [22 * mm]
    col_w.append(WIDTH - sum(col_w))
    last = len(col_w) - 1
    head0: list[Any] = [mpara("职级层次", HEAD), mpara("实有人数", HEAD), mpara("确定等次", HEAD)]
    head0 += [""] * (nd - 1) + [mpara("不定等次", HEAD)] + [""] * (nn - 1)
    head0 += [mpara("小计", HEAD), mpara("未参加<br/>考核人员", HEAD)]
    head1: list[Any] = ["", ""] + [mpara(g, HEAD) for g in (*DETERMINED, *NO_GRADE_KINDS)]
    head1 += ["", ""]

    def line(r: ApprovalRow) -> list[Any]:
        nums = [r.members, *(r.grades[g] for g in DETERMINED)]
        nums += [*(r.no_grade[k] for k in NO_GRADE_KINDS), r.subtotal, r.absent]
        return [para(r.layer, CELL_CENTER), *(para(str(n), CELL_CENTER) for n in nums)]

    rows = [head0, head1, *(line(r) for r in d.rows), line(d.total)]
    cmds: list[tuple[Any, ...]] = [
        ("SPAN", (0, 0), (0, 1)),
        ("SPAN", (1, 0), (1, 1)),
        ("SPAN", (2, 0), (1 + nd, 0)),
        ("SPAN", (2 + nd, 0), (1 + nd + nn, 0)),
        ("SPAN", (last - 1, 0), (last - 1, 1)),
        ("SPAN", (last, 0), (last, 1)),
        ("LINEBELOW", (0, 1), (-1, 1), 1.2, colors.black),
        ("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), GROUP_FILL),
        ("LINEABOVE", (0, len(rows) - 1), (-1, len(rows) - 1), 1.2, colors.black),
    ]
    heights = cell_heights(rows, col_w, [24.0, 22.0] + [24.0] * (len(rows) - 2))
    return Table(rows, colWidths=col_w, rowHeights=heights, style=table_style(*cmds))


def _list_table(title: str, headers: Sequence[tuple[str, float]], data: list[list[str]]) -> Table:
    col_w = _widths(headers)
    rows: list[list[Any]] = [[mpara(f"<b>{title}</b>", CELL)] + [""] * (len(col_w) - 1)]
    rows.append([mpara(h, HEAD) for h, _ in headers])
    for i, values in enumerate(data, 1):
        rows.append(
            [para(str(i), CELL_CENTER)]
            + [para(v, CELL_CENTER if j < len(values) - 1 else CELL) for j, v in enumerate(values)]
        )
    heights = cell_heights(rows, col_w, [20.0] * len(rows), {(0, 0): len(col_w)})
    return Table(
        rows,
        colWidths=col_w,
        rowHeights=heights,
        repeatRows=2,
        style=table_style(("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 0), GROUP_FILL),
                          ("LINEBELOW", (0, 1), (-1, 1), 1.2, colors.black)),
    )  # fmt: skip


def _committee_boxes() -> Table:
    labels = ("考核委员会审定意见", "主管部门意见", "组织（人事）部门意见")
    w = WIDTH / 3
    sign = f"负责人（签名）：{_SP * 6}"
    seal = f"（盖章）{_SP * 6}"
    date = f"年{_SP * 2}月{_SP * 2}日{_SP * 2}"
    rows: list[list[Any]] = [
        [mpara(f"<b>{t}</b>", CELL) for t in labels],
        ["", "", ""],
        [sign] * 3,
        [seal] * 3,
        [date] * 3,
    ]
    return Table(
        rows,
        colWidths=[w] * 3,
        rowHeights=[20, 36 * mm - 60 - 20, 20, 20, 20],
        style=_plain_style(
            ("BOX", (0, 0), (0, -1), styles.LINE_WIDTH, colors.black),
            ("BOX", (1, 0), (1, -1), styles.LINE_WIDTH, colors.black),
            ("BOX", (2, 0), (2, -1), styles.LINE_WIDTH, colors.black),
            ("ALIGN", (0, 2), (-1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, 0), "TOP"),
        ),
    )


def _filler_table(filler: str, info: str) -> Table:
    """'填表单位（盖章）：' on a ruled line holding the unit's name, or left blank to be filled
    in by hand when the table covers every unit, then the counts."""
    label = "填表单位（盖章）："
    label_w = len(label) * 10 + 8
    blank_w = 64 * mm
    row = [para(label, INFO_LEFT), para(filler, INFO_LEFT), mpara(info, INFO_LEFT)]
    return Table(
        [row],
        colWidths=[label_w, blank_w, WIDTH - label_w - blank_w],
        style=_plain_style(  # no fixed height: a long unit name wraps onto a second line
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("TOPPADDING", (0, 0), (-1, -1), 8),
            ("LINEBELOW", (1, 0), (1, 0), 0.6, colors.black),
            ("LEFTPADDING", (2, 0), (2, 0), 12),
        ),
    )


def approval_pdf(
    d: ApprovalData,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> tuple[bytes, int]:
    """The 审定表 as PDF bytes and its page count."""
    job = _job("年度考核结果审定表", progress, cancelled)
    people = d.total.members
    story: list[Flowable] = [
        para(f"{d.year}年度考核结果审定表", REPORT_TITLE),
        _filler_table(
            d.filler,
            f"人员总数：{people} 人{_SP * 3}参加考核：{people - d.total.absent} 人{_SP * 3}"
            f"（{d.round_name}，{_status(d.status)}）",
        ),
        Spacer(1, 2 * mm),
    ]
    story.append(_sign_table(["填表人：", "联系电话：", "填表日期："]))
    story.append(Spacer(1, 2 * mm))
    story.append(Tick(job, 0, 1))
    story.append(_approval_table(d))
    excellent = d.total.grades[DETERMINED[0]]
    taking_part = people - d.total.absent
    share = f"{excellent * 100 / taking_part:.1f}%" if taking_part else "—"
    # above the rules' ceiling: said on the same line ("超过 25% 上限"); the pools that
    # cause it are listed on 结果汇总 and by the grade command, not on the form
    over = d.ceiling_warning.split("；", 1)[0].rsplit("，", 1)[-1] if d.ceiling_warning else ""
    story.append(
        para(
            f"优秀 {excellent} 人，占参加考核人数 {taking_part} 人的 {share}"
            f"{'，' + over if over else ''}；小计 = 确定等次 + 不定等次。",
            CELL,
        )
    )
    if d.ungraded:
        names = "、".join(f"{n}（{u}）" for n, u in d.ungraded[:20])
        more = f"等 {len(d.ungraded)} 人" if len(d.ungraded) > 20 else ""
        story.append(para(f"尚未计算等次、未计入上表：{names}{more}", CELL))
    story.append(Spacer(1, 3 * mm))
    if d.no_grade:
        story.append(
            _list_table(
                f"不定等次人员（{len(d.no_grade)} 人）",
                (("序号", 12), ("姓名", 22), ("单位", 50), ("类别", 20), ("原因", 0)),
                [[n, u, k, r] for n, u, k, r in d.no_grade],
            )
        )
        story.append(Spacer(1, 3 * mm))
    if d.absent:
        story.append(
            _list_table(
                f"未参加考核人员（{len(d.absent)} 人）",
                (("序号", 12), ("姓名", 22), ("单位", 50), ("情况说明", 0)),
                [[n, u, r] for n, u, r in d.absent],
            )
        )
        story.append(Spacer(1, 3 * mm))
    story.append(KeepTogether([Spacer(1, 2 * mm), _committee_boxes()]))
    return build_pdf(
        story, job=job, total=1, title=f"{d.year}年度考核结果审定表",
        pagesize=PAGE, margin_x=MX, margin_y=MY,
    )  # fmt: skip


# ============================================================================ 名册

REGISTER_COLS = (
    ("序号", 10),
    ("姓名", 20),
    ("性别", 10),
    ("出生年月", 18),
    ("现任职务", 0),
    ("职级层次", 24),
    ("民主测评", 18),
    ("综合得分", 18),
    ("考核等次", 20),
    ("备注", 48),
)


def register_pdf(
    d: RegisterData,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> tuple[bytes, int]:
    """The 名册 as PDF bytes and its page count: one long table, a shaded row per unit."""
    job = _job("年度考核结果名册", progress, cancelled)
    col_w = _widths(REGISTER_COLS)
    story = _title(
        f"{d.year}年度考核结果名册",
        f"考核范围：{fonts.markup(d.scope)}{_SP * 2}共 {d.people} 人{_SP * 2}"
        f"（{d.round_name}，{_status(d.status)}）",
    )
    story.append(Tick(job, 0, 1))
    rows: list[list[Any]] = [[mpara(h, HEAD) for h, _ in REGISTER_COLS]]
    mins = [22.0]
    cmds: list[tuple[Any, ...]] = []
    spans: dict[tuple[int, int], int] = {}
    for unit, people in d.units:
        r = len(rows)
        rows.append([para(f"{unit}（{len(people)} 人）")] + [""] * (len(col_w) - 1))
        spans[(r, 0)] = len(col_w)
        mins.append(18.0)
        cmds += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), GROUP_FILL)]
        cmds.append(("NOSPLIT", (0, r), (-1, min(r + 2, r + len(people)))))  # no lone unit row
        for p in people:
            rows.append(
                [
                    para(str(p.seq), CELL_CENTER),
                    para(p.name, CELL_CENTER),
                    para(p.sex, CELL_CENTER),
                    para(p.birth, CELL_CENTER),
                    para(p.post),
                    para(p.layer, CELL_CENTER),
                    para(fmt_score(p.evaluation), CELL_CENTER),
                    para(fmt_score(p.composite), CELL_CENTER),
                    para(p.final, CELL_CENTER),
                    para(p.note),
                ]
            )
            mins.append(19.0)
    heights = cell_heights(rows, col_w, mins, spans)
    story.append(
        Table(rows, colWidths=col_w, rowHeights=heights, repeatRows=1, style=table_style(*cmds))
    )
    story.append(Spacer(1, 3 * mm))
    story.append(_sign_table(["填表人：", "审核人：", "填表日期："]))
    return build_pdf(
        story, job=job, total=1, title=f"{d.year}年度考核结果名册",
        pagesize=PAGE, margin_x=MX, margin_y=MY,
    )  # fmt: skip
