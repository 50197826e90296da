"""The 领导班子年度考核登记表 of a unit, from the 单位考评 of a year: the title and year line, the
unit and its 班子成员, then boxed sections — 年度工作任务完成情况 (each task with its self-checks
on time and late and its year-end score), 五项考核 (思想政治建设、领导水平、工作实绩、完成重点
任务、反腐倡廉 with weights and scores), 民主测评 (votes by rater group), 年终考评 (共性, 个性,
班子, 加分, 扣分, 总分, 排名 and the 等次 — printed only once the year is approved: a proposed
grade is not written on a form that is filed), the reasons of 加分/扣分, and the boxes the
考评委员会 and the unit's 主要负责人 sign by hand. One A4 page for a usual unit."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from models.core.progress import IsCancelled, Progress
from models.evaluation.rules import VOTE_LABELS
from models.evaluation.team import TeamSheet, team_sheet
from reports.common import fonts
from reports.common.files import write_atomic
from reports.common.pdf_base import (
    CELL_CENTER,
    GROUP_FILL,
    HEAD,
    INFO,
    INFO_LEFT,
    INFO_RIGHT,
    REPORT_TITLE,
    font_warnings,
    para,
    table_style,
)
from reports.evaluation.layout import Printed, build_form, job

__all__ = ["print_team_form", "team_form_pdf", "team_form_report"]

PAGE = A4
MX, MY = 18 * mm, 14 * mm
WIDTH = PAGE[0] - 2 * MX
LABEL_W = 24 * mm
SIGN = ParagraphStyle("team_sign", parent=INFO_RIGHT, spaceBefore=0)
SECTION = ParagraphStyle("team_section", parent=HEAD, alignment=0)


def _n(v: Decimal | None) -> str:
    if v is None:
        return ""
    text = f"{v:.2f}"
    return text.rstrip("0").rstrip(".")


def _section(title: str, head: list[str], rows: list[list[str]], widths: list[float]) -> Table:
    """A boxed section: its name across the top, the column heads, the rows; it may run onto
    the next page, its name and heads repeated there."""
    cols = len(head)
    body = [[para(c, CELL_CENTER) for c in r] for r in rows]
    extra: list[tuple[object, ...]] = [
        ("SPAN", (0, 0), (-1, 0)),
        ("BACKGROUND", (0, 0), (-1, 1), GROUP_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    if not rows:
        body.append([para("无", CELL_CENTER)] + [para("") for _ in head[1:]])
        extra.append(("SPAN", (0, 2), (-1, 2)))
    data = [[para(title, SECTION)] + [""] * (cols - 1), [para(h, HEAD) for h in head], *body]
    return Table(data, colWidths=widths, repeatRows=2, style=table_style(*extra))


def _scaled(parts: list[float]) -> list[float]:
    total = sum(parts)
    return [WIDTH * p / total for p in parts]


def team_form_pdf(
    s: TeamSheet, *, progress: Progress | None = None, cancelled: IsCancelled | None = None
) -> tuple[bytes, int]:
    """The form's PDF bytes and pages."""
    fonts.current_setup()
    members = (
        "、".join(f"{n}（{p}）" if p else n for n, p in s.members) or "（名册中未登记班子成员）"
    )
    story: list[Flowable] = [
        para("领导班子年度考核登记表", REPORT_TITLE),
        para(f"（{s.year} 年度）", INFO),
        Spacer(1, 3 * mm),
        Table(
            [[para("单位名称", HEAD), para(s.unit)], [para("班子成员", HEAD), para(members)]],
            colWidths=[LABEL_W, WIDTH - LABEL_W],
            style=table_style(("VALIGN", (0, 0), (-1, -1), "MIDDLE")),
        ),
    ]
    tasks = [
        [str(k), title + ("（重点）" if key else ""), cat, _n(weight),
         f"{on}/{late}" if on or late else "", _n(score)]
        for k, (title, cat, key, weight, score, on, late) in enumerate(s.tasks, start=1)
    ]  # fmt: skip
    head = ["序号", "任务", "类别", "分值", "自查按时/逾期", "年终评分"]
    story.append(_section("一、年度工作任务完成情况", head, tasks, _scaled([8, 48, 10, 9, 20, 12])))
    items = [[name, f"{_n(w)}%", _n(score)] for name, w, score in s.items]
    story.append(_section("二、五项考核", ["项目", "权重", "得分"], items, _scaled([50, 20, 30])))
    labels = [k for k, _p in VOTE_LABELS]
    votes = [
        [name, f"{_n(w)}%", *(str(c) for c in counts), str(sum(counts)), _n(mean)]
        for name, w, counts, mean in s.votes
    ]
    story.append(
        _section("三、民主测评", ["测评组", "权重", *labels, "合计", "均分"], votes,
                 _scaled([34, 11, 9, 9, 9, 9, 9, 10]))
    )  # fmt: skip
    rank = f"{s.rank}/{s.units}" if s.rank else ""
    grade = s.grade if s.approved else "（审定后填写）"
    team = _n(s.team) if s.team_weight else "不计入"
    head = ["共性得分", "个性得分", f"班子得分（{_n(s.team_weight)}%）", "加分", "扣分", "总分",
            "排名", "等次"]  # fmt: skip
    row = [_n(s.common), _n(s.own), team, _n(s.bonus) if s.bonus else "",
           _n(s.deduction) if s.deduction else "", _n(s.total), rank, grade]  # fmt: skip
    story.append(_section("四、年终考评", head, [row], _scaled([11, 11, 16, 8, 8, 11, 10, 17])))
    reasons = []
    if s.bonus:
        reasons.append(f"加分：{s.bonus_reason}")
    if s.deduction:
        reasons.append(f"扣分：{s.deduction_reason}")
    day = "年\u3000\u3000月\u3000\u3000日"
    box = [
        [para("加分扣分事由", HEAD), para("；".join(reasons) or "无")],
        [para("计分说明", HEAD), para(s.explanation or "尚未计算等次")],
        [para("单位主要负责人意见", HEAD), para(f"签字：{chr(0x3000) * 12}{day}", SIGN)],
        [para("考评委员会意见", HEAD), para(f"（盖章）{chr(0x3000) * 12}{day}", SIGN)],
    ]
    explained = para(s.explanation or "尚未计算等次").wrap(WIDTH - LABEL_W - 6, 1e9)[1]
    story.append(
        Table(box, colWidths=[LABEL_W, WIDTH - LABEL_W],
              rowHeights=[None, max(14 * mm, explained + 8), 26 * mm, 34 * mm],
              style=table_style(("VALIGN", (0, 0), (0, -1), "MIDDLE"),
                                ("VALIGN", (1, 2), (1, 3), "BOTTOM")))
    )  # fmt: skip
    if s.approved:
        story.append(para(f"审定：{s.approved}", INFO_LEFT))
    title = f"{s.unit}领导班子{s.year}年度考核登记表"
    data, pages = build_form(
        story, job=job("领导班子考核登记表", progress, cancelled), title=title,
        pagesize=PAGE, margin_x=MX, margin_y=MY, hint="请精简加分、扣分理由或任务名称后再打印",
    )  # fmt: skip
    return data, pages


def team_form_report(
    year: int,
    unit_id: int,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> Printed:
    """The unit's form of ``year`` in memory, for a preview."""
    s = team_sheet(year, unit_id)
    data, pages = team_form_pdf(s, progress=progress, cancelled=cancelled)
    texts = [("单位名称", s.unit), *(("班子成员", n) for n, _p in s.members)]
    return Printed(data, pages, 1, tuple(font_warnings(texts)))


def print_team_form(year: int, unit_id: int, out: str | Path) -> Printed:
    """Write the unit's form of ``year`` to ``out``."""
    printed = team_form_report(year, unit_id)
    write_atomic(out, printed.data, "领导班子年度考核登记表")
    return printed
