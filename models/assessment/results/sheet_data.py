"""The data of one person's 年度考核登记表: scores, 民主测评, adjustments, the grade and its
explanation, sanctions in force and the 平时考核 grades of the year, as stored."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from models.assessment.grading import pool_summaries
from models.assessment.records import in_force
from models.assessment.rounds import member_row, rules_of
from models.assessment.rules import Grade
from models.assessment.tables import (
    AssessmentRound,
    GradeResult,
    GroupAverage,
    ItemScore,
    QuarterGrade,
    Sanction,
    ScoreAdjustment,
    VoteCount,
)
from models.core.dates import as_date, ym
from models.roster import unit_and_post
from models.roster.tables import Cadre, Unit

__all__ = [
    "CATEGORY_CIVIL",
    "CATEGORY_INSTITUTION",
    "CATEGORY_REFERENCED",
    "GroupLine",
    "ItemLine",
    "PersonSheetDTO",
    "person_sheet",
    "staff_category",
]

Q2 = Decimal("0.01")

# --------------------------------------------------------------------------- 考核登记表 data


@dataclass(frozen=True)
class ItemLine:
    name: str
    weight: Decimal  # percent (effective weight, key topic included)
    score: Decimal | None
    weighted: Decimal | None  # score / full score × weight
    full_score: Decimal
    base_weight: Decimal | None = None  # the scheme weight without the key topic
    key_topic: str = ""  # e.g. 城市转型 (its extra weight is weight − base_weight)


@dataclass(frozen=True)
class GroupLine:
    name: str
    weight: Decimal  # percent
    score: Decimal | None
    weighted: Decimal | None
    raters: int | None  # number of votes, when entered as votes


@dataclass(frozen=True)
class PersonSheetDTO:
    """Everything one person's 年度考核登记表 needs (maps 1:1 onto reports.sheets.SheetData)."""

    year: int
    name: str
    gender: str
    birth: str  # 'YYYY.MM'
    political_status: str
    post_since: str  # 'YYYY.MM'
    unit_and_post: str
    work_scope: str
    items: tuple[ItemLine, ...]
    groups: tuple[GroupLine, ...]
    adjustments: tuple[tuple[str, Decimal], ...]  # (reason, points)
    evaluation: Decimal | None
    items_score: Decimal | None
    composite: Decimal | None
    rank: int | None
    pool_size: int | None
    pool_name: str
    proposed_grade: str  # the rules' grade
    final_grade: str  # after the committee's decision
    explanation: str
    no_grade_note: str  # 未确定等次或不参加考核情况说明
    rewards_sanctions: str  # 奖惩: sanctions in force this year
    quarter_grades: tuple[str | None, ...]
    training_hours: Decimal | None = None  # 学时: filled by the training module
    category: str = ""  # 人员类别: one of the CATEGORY_* labels (selects the form's title)
    education: str = ""  # 文化程度 (full-time education, else in-service)
    evaluation_weight: Decimal = Decimal(40)  # percent of the composite
    items_weight: Decimal = Decimal(60)
    bonus: Decimal = Decimal(0)  # after the cap, as stored by the grading
    penalty: Decimal = Decimal(0)  # positive, after the cap


CATEGORY_CIVIL = "公务员"
CATEGORY_REFERENCED = "参照公务员法管理单位工作人员"
CATEGORY_INSTITUTION = "事业单位工作人员"


def staff_category(unit_id: int | None, rank: str = "") -> str:
    """The personnel category of a cadre whose 人员类别 the roster leaves empty: a unit
    (or one of its parents) whose 单位类型 mentions 参公/参照 gives 参照公务员法管理单位工作人员,
    one mentioning 事业 gives 事业单位工作人员, as does a 事业单位 post grade as 职级
    (管理岗位…级, 专业技术岗位…); anything else is 公务员."""
    seen: set[int] = set()
    while unit_id is not None and unit_id not in seen:
        seen.add(unit_id)
        row = Unit.select(Unit.kind, Unit.parent).where(Unit.id == unit_id).tuples().first()
        if row is None:
            break
        kind, unit_id = row[0] or "", row[1]
        if "参公" in kind or "参照" in kind:
            return CATEGORY_REFERENCED
        if "事业" in kind:
            return CATEGORY_INSTITUTION
    if "岗位" in rank or rank.startswith(("管理岗", "专技", "专业技术")):
        return CATEGORY_INSTITUTION
    return CATEGORY_CIVIL


def _q2(value: Decimal) -> Decimal:
    return value.quantize(Q2, rounding=ROUND_HALF_UP)


def person_sheet(round_id: int, cadre_id: int) -> PersonSheetDTO:
    row = AssessmentRound.get_by_id(round_id)
    rules = rules_of(row)
    m = member_row(round_id, cadre_id)
    c = Cadre.get_by_id(cadre_id)
    scores = {
        code: Decimal(s)
        for code, s in ItemScore.select(ItemScore.item_code, ItemScore.score)
        .where((ItemScore.round == round_id) & (ItemScore.cadre == cadre_id))
        .tuples()
    }
    items = []
    for it in rules.items:
        if it.effective_weight == 0:
            continue
        s = scores.get(it.code)
        items.append(
            ItemLine(
                it.name + (f"（含{it.key_topic}）" if it.key_topic else ""),
                it.effective_weight,
                s,
                None if s is None else _q2(s / it.full_score * it.effective_weight),
                it.full_score,
                base_weight=it.weight,
                key_topic=it.key_topic if it.key_topic_weight else "",
            )
        )
    votes: dict[str, dict[str, int]] = defaultdict(dict)
    for g, label, n in (
        VoteCount.select(VoteCount.group_code, VoteCount.grade_label, VoteCount.count)
        .where((VoteCount.round == round_id) & (VoteCount.cadre == cadre_id))
        .tuples()
    ):
        votes[g][label] = n
    averages = {
        g: Decimal(a)
        for g, a in GroupAverage.select(GroupAverage.group_code, GroupAverage.average)
        .where((GroupAverage.round == round_id) & (GroupAverage.cadre == cadre_id))
        .tuples()
    }
    values = rules.vote_value_by_label
    groups = []
    for g in rules.rater_groups:
        score: Decimal | None = None
        raters: int | None = None
        if g.code in votes:
            n = sum(votes[g.code].values())
            if n:
                raters = n
                score = _q2(
                    sum(
                        (values[lab] * k for lab, k in votes[g.code].items() if lab in values),
                        Decimal(0),
                    )
                    / n
                )
        elif g.code in averages:
            score = averages[g.code]
        groups.append(
            GroupLine(
                g.name,
                g.weight * 100,
                score,
                None if score is None else _q2(score * g.weight),
                raters,
            )
        )
    adjustments = tuple(
        (reason, Decimal(p))
        for p, reason in ScoreAdjustment.select(ScoreAdjustment.points, ScoreAdjustment.reason)
        .where((ScoreAdjustment.round == round_id) & (ScoreAdjustment.cadre == cadre_id))
        .order_by(ScoreAdjustment.id)
        .tuples()
    )
    res = GradeResult.get_or_none((GradeResult.round == round_id) & (GradeResult.cadre == cadre_id))
    pool_size = None
    pool_name = m.unit_name
    if res is not None:
        summary = pool_summaries(round_id).get(res.pool_key)
        pool_size = summary["people"] if summary else None
        if summary and summary.get("layer"):
            pool_name = f"{summary['unit']}（{summary['layer']}）"
    sanctions = []
    names = {s.code: s.name for s in rules.sanctions}
    for code, start, end, note in (
        Sanction.select(Sanction.code, Sanction.start_date, Sanction.end_date, Sanction.note)
        .where(Sanction.cadre == cadre_id)
        .tuples()
    ):
        f = in_force(as_date(start), as_date(end) if end else None, code, row.year, rules)
        if f is not None:
            sanctions.append(
                f"{names.get(code, code)}（{as_date(start):%Y.%m}）" + (f"：{note}" if note else "")
            )
    quarters = [None, None, None, None]
    for qn, g in (
        QuarterGrade.select(QuarterGrade.quarter, QuarterGrade.grade)
        .where((QuarterGrade.cadre == cadre_id) & (QuarterGrade.year == row.year))
        .tuples()
    ):
        quarters[qn - 1] = g
    final = res.final_grade if res else ""
    no_grade_note = ""
    if m.not_participating:
        no_grade_note = f"不参加考核：{m.not_participating}"
    elif final == Grade.UNDETERMINED.value and res is not None:
        no_grade_note = f"不定等次（{res.no_grade_category or '其他'}）：" + "；".join(
            s
            for s in res.explanation.rstrip("。").split("；")
            if "不定等次" in s or "不写评语" in s
        )
    post = c.post_title or ""
    unit_post = unit_and_post(m.unit_name, post)
    if c.rank and c.rank not in unit_post:
        unit_post += f"（{c.rank}）"
    return PersonSheetDTO(
        year=row.year,
        name=c.name,
        gender=c.sex,
        birth=ym(as_date(c.birth_date)),
        political_status=c.political_status,
        post_since=ym(as_date(c.post_since)) if c.post_since else "",
        unit_and_post=unit_post,
        work_scope="",
        items=tuple(items),
        groups=tuple(groups),
        adjustments=adjustments,
        evaluation=Decimal(res.evaluation) if res and res.evaluation else None,
        items_score=Decimal(res.items) if res and res.items else None,
        composite=Decimal(res.composite) if res and res.composite else None,
        rank=res.rank if res else None,
        pool_size=pool_size,
        pool_name=pool_name,
        proposed_grade=res.proposed_grade if res else "",
        final_grade=final,
        explanation=res.explanation if res else "尚未计算等次",
        no_grade_note=no_grade_note,
        rewards_sanctions="；".join(sanctions),
        quarter_grades=tuple(quarters),
        category=c.staff_category or staff_category(m.unit_id, c.rank or ""),
        education=c.ft_education or c.pt_education or "",
        evaluation_weight=rules.composite.evaluation_weight,
        items_weight=rules.composite.items_weight,
        bonus=Decimal(res.bonus) if res and res.bonus else Decimal(0),
        penalty=Decimal(res.penalty) if res and res.penalty else Decimal(0),
    )
