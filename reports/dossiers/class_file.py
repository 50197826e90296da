"""一班一档: a training class's whole file as one PDF, to file with the class's records: a
title page with the table of contents, then 班次概况 (the plan: dates, organiser, 班主任,
三三制 shares against the target, what 自动排课 had to decide), the 课程表 (landscape pages),
the 学员名册, the 签到表 of every half-day, the 考勤汇总 with each trainee's 学时 credited
and 退学 review notes, and the 结业证书 list (numbers, or why someone has none). Every part
is a PDF bookmark. The parts are the same tables the class's own printouts use
(reports.training.kit)."""

from __future__ import annotations

import datetime as dt
import io

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, NextPageTemplate, PageBreak, Spacer, Table
from reportlab.platypus.doctemplate import LayoutError

from models.core.errors import DomainError
from models.core.progress import IsCancelled, Progress
from models.training import class_credits, get_class, plan_notes
from models.training import hours as hr
from models.training import print_data as tp
from reports.common import fonts
from reports.common.pdf_base import CELL_CENTER, Job, para
from reports.dossiers.parts import (
    MX,
    NONE,
    PAGE,
    TEXT,
    WIDTH,
    DossierDoc,
    Heading,
    cover_and_contents,
    grid,
    grid_style,
    hours_text,
    label,
)
from reports.training.kit import roster_story, signin_story, timetable_story

__all__ = ["class_file_pdf"]

STATUSES = (hr.PRESENT, hr.LATE, hr.LEFT_EARLY, hr.LEAVE, hr.ABSENT, hr.UNRECORDED)


def _overview(class_id: int, data: tp.TimetablePrint) -> list[Flowable]:
    c = get_class(class_id)
    rows = [
        ("班次名称", c.name),
        ("班次层次", c.level),
        ("主办单位", c.organiser or "—"),
        ("起止日期", data.cls.period),
        ("班主任", c.head_teacher or "—"),
        ("学员人数", f"{c.enrolled} 人" + (f"（班额 {c.class_size} 人）" if c.class_size else "")),
        ("每半天学时", hours_text(c.hours_per_half_day)),
        ("状态", c.status),
    ]
    out: list[Flowable] = [
        Heading("一、班次概况", 0, "overview"),
        Table(
            [[label(k), para(v)] for k, v in rows],
            colWidths=[30 * mm, WIDTH - 30 * mm],
            style=grid_style(),
        ),
        Heading("三三制比例", 1, "overview.shares"),
    ]
    body = [
        [para(s.mode, CELL_CENTER), para(str(s.half_days), CELL_CENTER),
         para(hours_text(s.hours), CELL_CENTER),
         para(f"{s.target_half_days:.1f}", CELL_CENTER),
         para("符合" if s.within_tolerance else "超出允许偏差", CELL_CENTER)]
        for s in data.shares
    ]  # fmt: skip
    body.append(
        [para("合计（含开班、结业等）", CELL_CENTER), para(str(data.total_half_days), CELL_CENTER),
         para(hours_text(data.total_hours), CELL_CENTER), para(""), para("")]
    )  # fmt: skip
    out.append(
        grid(("教学方式", "半天数", "学时", "目标半天数", "比例"), body,
             (44 * mm, 26 * mm, 26 * mm, 30 * mm, WIDTH - 126 * mm))
    )  # fmt: skip
    out.append(Heading("排课说明", 1, "overview.notes"))
    notes = plan_notes(class_id)
    if notes:
        out.extend(para(n, TEXT) for n in notes)
    else:
        out.append(para(NONE, TEXT))
    return out


def _attendance(class_id: int) -> list[Flowable]:
    out: list[Flowable] = [Heading("五、考勤汇总与学时", 0, "attendance")]
    credits = class_credits(class_id)
    if not credits:
        return [*out, para("本班没有学员。", TEXT)]
    body = []
    for k, t in enumerate(credits, start=1):
        body.append(
            [para(str(k), CELL_CENTER), para(t.name), para(t.unit_name)]
            + [para(str(t.counts.get(s, 0)), CELL_CENTER) for s in STATUSES]
            + [para(hours_text(t.credited_hours), CELL_CENTER), para("；".join(t.flags) or "")]
        )
    total = sum((t.credited_hours for t in credits), start=credits[0].credited_hours * 0)
    body.append(
        [para(""), para("合计", CELL_CENTER), para(f"{len(credits)} 人")]
        + [para(str(sum(t.counts.get(s, 0) for t in credits)), CELL_CENTER) for s in STATUSES]
        + [para(hours_text(total), CELL_CENTER), para("")]
    )
    widths = [9 * mm, 16 * mm, 30 * mm] + [11 * mm] * len(STATUSES) + [15 * mm]
    widths.append(WIDTH - sum(widths))
    out.append(grid(("序号", "姓名", "单位", *STATUSES, "计入学时", "退学审查提示"), body, widths))
    out.append(para("表中各状态为半天数；计入学时为各半天按考勤状态计入的学时之和。", TEXT))
    return out


def _certificates(class_id: int) -> list[Flowable]:
    out: list[Flowable] = [Heading("六、结业证书名单", 0, "certificates")]
    c = get_class(class_id)
    if c.status != "已结业":
        return [*out, para(f"班次状态为“{c.status}”，结业后发结业证书。", TEXT)]
    data = tp.certificate_data(class_id)
    body = [
        [para(x.serial, CELL_CENTER), para(x.name, CELL_CENTER), para(x.unit_post),
         para(hours_text(x.hours), CELL_CENTER)]
        for x in data.certificates
    ]  # fmt: skip
    out.append(
        grid(("证书编号", "姓名", "单位及职务", "学时"), body,
             (42 * mm, 20 * mm, WIDTH - 80 * mm, 18 * mm))
    )  # fmt: skip
    if data.excluded:
        out.append(Spacer(1, 3 * mm))
        out.append(para("未发证书（应提请退学审查）：", TEXT))
        out.extend(para(f"{x.name}：{x.reason}", TEXT) for x in data.excluded)
    return out


def class_file_pdf(
    class_id: int,
    *,
    today: dt.date | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> tuple[bytes, int]:
    """The PDF bytes of the class's 一班一档 and its page count."""
    fonts.current_setup()  # the fonts registered before the first paragraph is built
    today = today or dt.date.today()
    job = Job("一班一档", progress, cancelled)
    timetable = tp.timetable_print_data(class_id)
    c = timetable.cls
    signin = tp.signin_data(class_id)
    roster = tp.roster_print_data(class_id)
    wide = PAGE[1] - 2 * MX  # the landscape frame's width
    story: list[Flowable] = [
        *cover_and_contents(
            c.name,
            "（一班一档）",
            [f"层次：{c.level}", f"时间：{c.period}", f"主办：{c.organiser or '—'}"],
            today,
        ),
        *_overview(class_id, timetable),
        NextPageTemplate("landscape"),
        PageBreak(),
        Heading("二、课程表", 0, "timetable"),
        *timetable_story(timetable, wide),
        NextPageTemplate("page"),
        PageBreak(),
        Heading("三、学员名册", 0, "roster"),
        *roster_story(roster, WIDTH, job),
        PageBreak(),
        Heading("四、签到表", 0, "signin"),
        *(signin_story(signin, WIDTH, job) if signin.sheets else [para(NONE, TEXT)]),
        PageBreak(),
        *_attendance(class_id),
        Spacer(1, 6 * mm),
        *_certificates(class_id),
    ]
    buf = io.BytesIO()
    doc = DossierDoc(buf, f"{c.name} 一班一档", f"{c.name} 一班一档", today)
    try:
        doc.multiBuild(story)
    except LayoutError:
        raise DomainError(
            f"《{c.name}》的一班一档中有一栏内容过长，一页放不下；请检查课程名称、备注等文字",
            record=c.name,
        ) from None
    return buf.getvalue(), doc.page
