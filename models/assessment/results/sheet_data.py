"""The data of one person's 年度考核登记表: scores, 民主测评, adjustments, the grade and its
explanation, sanctions in force and the 平时考核 grades of the year, as stored."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from models.assessment.grading import pool_summaries
from models.assessment.records import in_force
from models.assessment.rounds import member_row, rules_of
from models.assessment.rules import AssessmentRules, Grade
from models.assessment.tables import (
    AssessmentRound,
    GradeResult,
    GroupAverage,
    ItemScore,
    QuarterGrade,
    RoundMember,
    Sanction,
    ScoreAdjustment,
    VoteCount,
)
from models.core.dates import as_date, ym
from models.core.db import chunks, query_rows
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
    "person_sheets",
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
    rewards: str = ""  # the roster's 奖惩情况 (rewards) text


CATEGORY_CIVIL = "公务员"
CATEGORY_REFERENCED = "参照公务员法管理单位工作人员"
CATEGORY_INSTITUTION = "事业单位工作人员"


def staff_category(unit_id: int | None, rank: str = "") -> str:
    """The personnel category of a cadre whose 人员类别 the roster leaves empty: a unit
    (or one of its parents) whose 单位类型 mentions 参公/参照 gives 参照公务员法管理单位工作人员,
    one mentioning 事业 gives 事业单位工作人员, as does a 事业单位 post grade as 职级
    (管理岗位…级, 专业技术岗位…); anything else is 公务员."""
    return _unit_category(unit_id) or _rank_category(rank)


def _unit_category(unit_id: int | None) -> str | None:
    """The category the 单位类型 of the unit or of one of its parents implies, or None."""
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
    return None


def _rank_category(rank: str) -> str:
    if "岗位" in rank or rank.startswith(("管理岗", "专技", "专业技术")):
        return CATEGORY_INSTITUTION
    return CATEGORY_CIVIL


def _q2(value: Decimal) -> Decimal:
    return value.quantize(Q2, rounding=ROUND_HALF_UP)


def person_sheet(round_id: int, cadre_id: int) -> PersonSheetDTO:
    """The sheet data of one member (see :func:`person_sheets`)."""
    return person_sheets(round_id, [cadre_id])[0]


@dataclass
class _Inputs:
    """What the sheets of some members are made of, read in bulk (by cadre id)."""

    members: dict[int, tuple[str, int, str]] = field(default_factory=dict)  # unit, id, reason
    cadres: dict[int, tuple[Any, ...]] = field(default_factory=dict)
    scores: dict[int, dict[str, Decimal]] = field(default_factory=lambda: defaultdict(dict))
    votes: dict[int, dict[str, dict[str, int]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(dict))
    )
    averages: dict[int, dict[str, Decimal]] = field(default_factory=lambda: defaultdict(dict))
    adjustments: dict[int, list[tuple[str, Decimal]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    results: dict[int, tuple[Any, ...]] = field(default_factory=dict)
    sanctions: dict[int, list[tuple[Any, ...]]] = field(default_factory=lambda: defaultdict(list))
    quarters: dict[int, list[str | None]] = field(
        default_factory=lambda: defaultdict(lambda: [None, None, None, None])
    )


_CADRE_COLUMNS = (
    Cadre.id,
    Cadre.name,
    Cadre.sex,
    Cadre.birth_date,
    Cadre.political_status,
    Cadre.post_since,
    Cadre.post_title,
    Cadre.rank,
    Cadre.staff_category,
    Cadre.ft_education,
    Cadre.pt_education,
    Cadre.rewards,
)
_RESULT_COLUMNS = (
    GradeResult.cadre,
    GradeResult.pool_key,
    GradeResult.evaluation,
    GradeResult.items,
    GradeResult.composite,
    GradeResult.rank,
    GradeResult.proposed_grade,
    GradeResult.final_grade,
    GradeResult.explanation,
    GradeResult.no_grade_category,
    GradeResult.bonus,
    GradeResult.penalty,
)


def _read(round_id: int, year: int, ids: list[int]) -> _Inputs:
    """One query per table and slice of ``ids`` (chunks: SQLite's limit on bound values)."""
    got = _Inputs()
    for part in chunks(ids):
        for cid, unit, unit_id, reason in query_rows(
            RoundMember.select(
                RoundMember.cadre, RoundMember.unit_name, RoundMember.unit_id,
                RoundMember.not_participating,
            ).where((RoundMember.round == round_id) & RoundMember.cadre.in_(part))
        ):  # fmt: skip
            got.members[cid] = (unit, unit_id, reason)
        for r in query_rows(Cadre.select(*_CADRE_COLUMNS).where(Cadre.id.in_(part))):
            got.cadres[r[0]] = r
        mine = (ItemScore.round == round_id) & ItemScore.cadre.in_(part)
        for cid, code, score in query_rows(
            ItemScore.select(ItemScore.cadre, ItemScore.item_code, ItemScore.score).where(mine)
        ):
            got.scores[cid][code] = Decimal(score)
        for cid, g, label, n in query_rows(
            VoteCount.select(
                VoteCount.cadre, VoteCount.group_code, VoteCount.grade_label, VoteCount.count
            ).where((VoteCount.round == round_id) & VoteCount.cadre.in_(part))
        ):
            got.votes[cid][g][label] = n
        for cid, g, a in query_rows(
            GroupAverage.select(
                GroupAverage.cadre, GroupAverage.group_code, GroupAverage.average
            ).where((GroupAverage.round == round_id) & GroupAverage.cadre.in_(part))
        ):
            got.averages[cid][g] = Decimal(a)
        for cid, points, reason in query_rows(
            ScoreAdjustment.select(
                ScoreAdjustment.cadre, ScoreAdjustment.points, ScoreAdjustment.reason
            )
            .where((ScoreAdjustment.round == round_id) & ScoreAdjustment.cadre.in_(part))
            .order_by(ScoreAdjustment.id)
        ):
            got.adjustments[cid].append((reason, Decimal(points)))
        for r in query_rows(
            GradeResult.select(*_RESULT_COLUMNS).where(
                (GradeResult.round == round_id) & GradeResult.cadre.in_(part)
            )
        ):
            got.results[r[0]] = r
        for cid, code, start, end, note in query_rows(
            Sanction.select(
                Sanction.cadre, Sanction.code, Sanction.start_date, Sanction.end_date,
                Sanction.note,
            )
            .where(Sanction.cadre.in_(part))
            .order_by(Sanction.id)
        ):  # fmt: skip
            got.sanctions[cid].append((code, start, end, note))
        for cid, qn, g in query_rows(
            QuarterGrade.select(QuarterGrade.cadre, QuarterGrade.quarter, QuarterGrade.grade).where(
                (QuarterGrade.year == year) & QuarterGrade.cadre.in_(part)
            )
        ):
            got.quarters[cid][qn - 1] = g
    return got


def person_sheets(round_id: int, cadre_ids: Sequence[int]) -> list[PersonSheetDTO]:
    """The 考核登记表 data of members ``cadre_ids`` (in that order), read in a few queries
    for the lot (a unit's or a whole round's batch): the round, its rules and its pool
    summaries once, then each table for all of them. DomainError naming the first cadre who
    is not a member of the round."""
    row = AssessmentRound.get_by_id(round_id)
    rules = rules_of(row)
    got = _read(round_id, row.year, list(dict.fromkeys(cadre_ids)))
    for cid in cadre_ids:
        if cid not in got.members:
            member_row(round_id, cid)  # raises: who is not in the round
    summaries = pool_summaries(round_id)
    units: dict[int, str | None] = {}
    names = {s.code: s.name for s in rules.sanctions}
    out = []
    for cid in cadre_ids:
        unit_name, unit_id, reason = got.members[cid]
        if unit_id not in units:
            units[unit_id] = _unit_category(unit_id)
        out.append(
            _sheet(
                row.year, rules, got, cid, unit_name, reason, summaries, names,
                units[unit_id],
            )
        )  # fmt: skip
    return out


def _item_lines(rules: AssessmentRules, scores: dict[str, Decimal]) -> tuple[ItemLine, ...]:
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
    return tuple(items)


def _group_lines(
    rules: AssessmentRules, votes: dict[str, dict[str, int]], averages: dict[str, Decimal]
) -> tuple[GroupLine, ...]:
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
    return tuple(groups)


def _sheet(
    year: int,
    rules: AssessmentRules,
    got: _Inputs,
    cid: int,
    unit_name: str,
    not_participating: str,
    summaries: dict[str, dict[str, Any]],
    sanction_names: dict[str, str],
    unit_category: str | None,
) -> PersonSheetDTO:
    (_id, name, sex, birth, political, post_since, post_title, rank, category, ft_edu, pt_edu,
     rewards) = got.cadres[cid]  # fmt: skip
    res = got.results.get(cid)
    (_c, pool_key, evaluation, items_score, composite, pool_rank, proposed, final, explanation,
     no_grade_category, bonus, penalty) = res or (None,) * len(_RESULT_COLUMNS)  # fmt: skip
    pool_size = None
    pool_name = unit_name
    if res is not None:
        summary = summaries.get(pool_key)
        pool_size = summary["people"] if summary else None
        if summary and summary.get("layer"):
            pool_name = f"{summary['unit']}（{summary['layer']}）"
    sanctions = []
    for code, start, end, note in got.sanctions.get(cid, ()):
        f = in_force(as_date(start), as_date(end) if end else None, code, year, rules)
        if f is not None:
            sanctions.append(
                f"{sanction_names.get(code, code)}（{as_date(start):%Y.%m}）"
                + (f"：{note}" if note else "")
            )
    final = final or ""
    no_grade_note = ""
    if not_participating:
        no_grade_note = f"不参加考核：{not_participating}"
    elif final == Grade.UNDETERMINED.value and res is not None:
        no_grade_note = f"不定等次（{no_grade_category or '其他'}）：" + "；".join(
            s for s in explanation.rstrip("。").split("；") if "不定等次" in s or "不写评语" in s
        )
    unit_post = unit_and_post(unit_name, post_title or "")
    if rank and rank not in unit_post:
        unit_post += f"（{rank}）"
    return PersonSheetDTO(
        year=year,
        name=name,
        gender=sex,
        birth=ym(as_date(birth)),
        political_status=political,
        post_since=ym(as_date(post_since)) if post_since else "",
        unit_and_post=unit_post,
        work_scope="",
        items=_item_lines(rules, got.scores.get(cid, {})),
        groups=_group_lines(rules, got.votes.get(cid, {}), got.averages.get(cid, {})),
        adjustments=tuple(got.adjustments.get(cid, ())),
        evaluation=Decimal(evaluation) if evaluation else None,
        items_score=Decimal(items_score) if items_score else None,
        composite=Decimal(composite) if composite else None,
        rank=pool_rank if res else None,
        pool_size=pool_size,
        pool_name=pool_name,
        proposed_grade=proposed or "",
        final_grade=final,
        explanation=explanation if res else "尚未计算等次",
        no_grade_note=no_grade_note,
        rewards_sanctions="；".join(sanctions),
        quarter_grades=tuple(got.quarters.get(cid, (None, None, None, None))),
        category=category or unit_category or _rank_category(rank or ""),
        education=ft_edu or pt_edu or "",
        evaluation_weight=rules.composite.evaluation_weight,
        items_weight=rules.composite.items_weight,
        bonus=Decimal(bonus) if bonus else Decimal(0),
        penalty=Decimal(penalty) if penalty else Decimal(0),
        rewards=(rewards or "").strip(),
    )
