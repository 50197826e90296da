"""The sections of the 一人一档: 基本信息 (as the 任免审批表 has it), 学习培训, 年度考核,
反馈与指导 and 处分, each a list of flowables starting with its bookmarked title."""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image, Spacer, Table

from models.assessment.results import annual_results_text
from models.core.dates import age_on, ym, ymd_cn
from reports.common.cjk import CJKParagraph
from reports.common.pdf_base import CELL_CENTER, mpara, para
from reports.dossiers.data import DossierData
from reports.dossiers.parts import (
    H2,
    HANG,
    NONE,
    TEXT,
    WIDTH,
    Heading,
    dash,
    grid,
    grid_style,
    hours_text,
    label,
)


def _photo(data: bytes | None) -> Any:
    if not data:
        return label("（无照片）")
    try:  # whatever another system wrote: a picture reportlab cannot read is said so
        ImageReader(io.BytesIO(data)).getSize()
    except Exception:  # noqa: BLE001 - PIL and reportlab raise many kinds for a bad image
        return label("（照片无法显示）")
    return Image(io.BytesIO(data), width=26 * mm, height=34 * mm, kind="proportional")


def basic_section(d: DossierData) -> list[Flowable]:
    c, r = d.cadre, d.record
    lw, pw = 17 * mm, 30 * mm
    v1, v3 = 35 * mm, 25 * mm
    widths = [lw, v1, lw, v3, lw, WIDTH - pw - 3 * lw - v1 - v3, pw]
    birth = f"{ym(c.birth_date)}（{age_on(c.birth_date, d.printed_on)}岁）"
    results = annual_results_text([c.id], today=d.printed_on).get(c.id) or dash(
        r.get("annual_results")
    )
    v = para
    rows = [
        [
            label("姓名"),
            v(c.name),
            label("性别"),
            v(c.sex),
            label("出生年月<br/>（岁）"),
            v(birth),
            _photo(r.get("photo")),
        ],
        [
            label("民族"),
            v(c.ethnicity),
            label("籍贯"),
            v(c.native_place),
            label("出生地"),
            v(c.birthplace),
            "",
        ],
        [
            label("入党时间"),
            v(ym(c.party_date)),
            label("参加工作<br/>时间"),
            v(ym(c.work_start_date)),
            label("健康状况"),
            v(c.health),
            "",
        ],
        [
            label("专业技术<br/>职务"),
            v(dash(r.get("professional_title"))),
            label("熟悉专业<br/>有何专长"),
            v(dash(r.get("expertise"))),
            "",
            "",
            "",
        ],
        [
            label("全日制<br/>教育"),
            v(" ".join(x for x in (c.ft_education, c.ft_degree) if x)),
            label("毕业院校<br/>系及专业"),
            v(c.ft_school),
            "",
            "",
            "",
        ],
        [
            label("在职教育"),
            v(" ".join(x for x in (c.pt_education, c.pt_degree) if x)),
            label("毕业院校<br/>系及专业"),
            v(c.pt_school),
            "",
            "",
            "",
        ],
        [label("工作单位"), v(c.unit_name), label("现任职务"), v(c.post_title), "", "", ""],
        [
            label("领导职务<br/>层次"),
            v(c.leadership_level),
            label("职级"),
            v(c.rank),
            label("任现职<br/>时间"),
            v(ym(c.post_since)),
            "",
        ],
        [
            label("身份证号"),
            v(c.id_card or "（缺身份证号）"),
            label("人员类别"),
            v(c.staff_category or "按单位类别"),
            label("状态"),
            v(c.status),
            "",
        ],
        [label("奖惩情况"), v(dash(r.get("rewards")) or NONE), "", "", "", "", ""],
        [label("年度考核<br/>结果"), v(results or NONE), "", "", "", "", ""],
    ]
    table = Table(
        rows,
        colWidths=widths,
        style=grid_style(
            ("SPAN", (6, 0), (6, 3)),
            ("SPAN", (3, 3), (5, 3)),
            *(("SPAN", (3, k), (6, k)) for k in (4, 5, 6)),
            *(("SPAN", (5, k), (6, k)) for k in (7, 8)),
            *(("SPAN", (1, k), (6, k)) for k in (9, 10)),
            ("ALIGN", (6, 0), (6, 0), "CENTER"),
        ),
    )
    out: list[Flowable] = [Heading("一、基本信息", 0, "basic"), table]
    resume = [line.strip() for line in dash(r.get("resume")).splitlines() if line.strip()]
    out.append(CJKParagraph("简历", H2))
    if resume:
        out.extend(para(line, HANG) for line in resume)
    else:
        out.append(CJKParagraph(NONE, TEXT))
    family = r.get("family") or []
    out.append(CJKParagraph("家庭主要成员及重要社会关系", H2))
    if family:
        body = [
            [
                para(dash(f.relation), CELL_CENTER),
                para(dash(f.name), CELL_CENTER),
                para(ym(f.birth_date) if f.birth_date else "", CELL_CENTER),
                para(dash(f.political_status), CELL_CENTER),
                para(dash(f.work)),
            ]
            for f in family
        ]
        out.append(
            grid(
                ("称谓", "姓名", "出生年月", "政治面貌", "工作单位及职务"),
                body,
                (18 * mm, 22 * mm, 22 * mm, 26 * mm, WIDTH - 88 * mm),
            )
        )
    else:
        out.append(CJKParagraph(NONE, TEXT))
    return out


def training_section(d: DossierData) -> list[Flowable]:
    out: list[Flowable] = [Heading("二、学习培训", 0, "training")]
    out.append(Heading("参加培训班", 1, "training.classes"))
    if d.classes:
        body = [
            [
                para(c.name),
                para(c.level, CELL_CENTER),
                para(f"{ymd_cn(c.start)}—{ymd_cn(c.end)}", CELL_CENTER),
                para(c.role, CELL_CENTER),
                para(c.status, CELL_CENTER),
                para(hours_text(c.credited_hours) or "结业后计入", CELL_CENTER),
            ]
            for c in d.classes
        ]
        out.append(
            grid(
                ("班次", "类别", "起止日期", "身份", "状态", "计入学时"),
                body,
                (50 * mm, 27 * mm, 44 * mm, 13 * mm, 16 * mm, WIDTH - 150 * mm),
            )
        )
    else:
        out.append(CJKParagraph(NONE, TEXT))
    out.append(Heading("各年度学时", 1, "training.years"))
    body = []
    for y in d.years:
        done = "—" if y.met is None else ("已完成" if y.met else "未完成")
        body.append(
            [para(str(y.year), CELL_CENTER)]
            + [para(hours_text(v), CELL_CENTER) for v in y.by_kind.values()]
            + [
                para(hours_text(y.counted), CELL_CENTER),
                mpara(y.requirement),
                para(done, CELL_CENTER),
            ]
        )
    out.append(
        grid(
            (
                "年度",
                "班次培训",
                "外出培训",
                "网络学习",
                "讲坛",
                "计入要求",
                "学时要求",
                "完成情况",
            ),
            body,
            (13 * mm, 17 * mm, 17 * mm, 17 * mm, 13 * mm, 17 * mm, 56 * mm, WIDTH - 150 * mm),
        )
    )
    out.append(Heading("学时明细", 1, "training.ledger"))
    if d.hours:
        body = [
            [
                para(ymd_cn(e.day), CELL_CENTER),
                para(e.kind, CELL_CENTER),
                para(e.title),
                para(hours_text(e.hours), CELL_CENTER),
            ]
            for e in d.hours
        ]
        out.append(
            grid(
                ("日期", "类别", "内容", "学时"), body, (30 * mm, 26 * mm, WIDTH - 74 * mm, 18 * mm)
            )
        )
    else:
        out.append(CJKParagraph(NONE, TEXT))
    return out


def assessment_section(d: DossierData) -> list[Flowable]:
    out: list[Flowable] = [Heading("三、年度考核", 0, "assessment")]
    unit = []
    if d.unit_grades:
        grades = "；".join(f"{year}年度{grade}" for year, grade in d.unit_grades)
        unit = [Spacer(1, 2 * mm), para(f"所在单位（领导班子）年度考评：{grades}", TEXT)]
    if not d.rounds:
        return [*out, CJKParagraph(NONE, TEXT), *unit]
    body = []
    for r in d.rounds:
        quarters = "、".join(f"{'一二三四'[k]}季度{g}" for k, g in enumerate(r.quarters) if g)
        body.append(
            [
                para(str(r.year), CELL_CENTER),
                para(r.name),
                para(r.result_text, CELL_CENTER),
                para(r.composite, CELL_CENTER),
                para(quarters or "—"),
            ]
        )
    out.append(
        grid(
            ("年度", "考核", "结果", "综合得分", "平时考核"),
            body,
            (14 * mm, 50 * mm, 30 * mm, 18 * mm, WIDTH - 112 * mm),
        )
    )
    out.extend(unit)
    if d.sheets:
        out.append(Spacer(1, 2 * mm))
        out.append(CJKParagraph("审定年度的考核登记表附在本档末尾。", TEXT))
    return out


def feedback_section(d: DossierData) -> list[Flowable]:
    out: list[Flowable] = [Heading("四、反馈与指导", 0, "feedback")]
    if not d.feedback:
        return [*out, CJKParagraph(NONE, TEXT)]
    for r, f in d.feedback:
        out.append(CJKParagraph(f"{r.year}年度（{r.result_text}）", H2))
        rows = [
            ("谈话时间", ymd_cn(f.talk_date)),
            ("谈话人", f.talker),
            ("形式、地点", "，".join(x for x in (f.form, f.place) if x)),
            ("主要优点", f.strengths),
            ("存在不足", f.shortcomings),
            ("改进方向和指导意见", f.improvements),
            ("本人意见", f.response),
            ("记录人", f.recorder),
        ]
        out.append(
            Table(
                [[label(k), para(v or NONE)] for k, v in rows],
                colWidths=[34 * mm, WIDTH - 34 * mm],
                style=grid_style(),
            )
        )
    return out


def sanctions_section(d: DossierData) -> list[Flowable]:
    out: list[Flowable] = [Heading("五、处分", 0, "sanctions")]
    if not d.sanctions:
        return [*out, CJKParagraph(NONE, TEXT)]
    body = [
        [
            para(s.name),
            para(ymd_cn(s.start_date), CELL_CENTER),
            para(ymd_cn(s.end_date) if s.end_date else "", CELL_CENTER),
            para(s.note),
        ]
        for s in d.sanctions
    ]
    out.append(
        grid(
            ("处分", "起始日期", "解除日期", "说明"),
            body,
            (40 * mm, 30 * mm, 30 * mm, WIDTH - 100 * mm),
        )
    )
    return out
