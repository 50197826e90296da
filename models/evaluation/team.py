"""The 领导班子 side of a unit's year-end evaluation: the scores of its five items
(思想政治建设、领导水平、工作实绩、完成重点任务、反腐倡廉) and the vote counts of its 民主测评 by
rater group, kept with the unit's result; and the 考评办's year-end score of each task, from
which a unit's 共性 or 个性 score may be computed (a key task weighing more). Each edit
carries the version it read and is refused once the year is approved."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from models.accounts import Permission, require
from models.core.audit import current_user, record_changes
from models.core.concurrency import conflict
from models.core.db import write_transaction
from models.core.errors import DomainError
from models.evaluation.checks import late_checks
from models.evaluation.engine import TaskMark, category_score, team_score
from models.evaluation.inspections import deductions
from models.evaluation.plan import refuse_if_approved, store_result, year_rules
from models.evaluation.rules import VOTE_LABELS, EvalRules
from models.evaluation.tables import EvalYear, SelfCheck, UnitResult, WorkTask
from models.roster.tables import Cadre, Unit

__all__ = [
    "TeamDTO",
    "TeamSheet",
    "computed_scores",
    "read_team",
    "set_task_score",
    "set_team",
    "team_inputs",
    "team_sheet",
]

Votes = dict[str, dict[str, int]]


@dataclass(frozen=True)
class TeamDTO:
    year: int
    unit_id: int
    unit: str
    items: dict[str, Decimal]  # item code → score
    votes: Votes  # rater group code → {好: n, 较好: n, 一般: n, 较差: n}
    score: Decimal | None  # 班子得分 as computed now (None: incomplete)
    explanation: str  # how it is made, or what is missing
    version: int  # the unit result's version (0: none yet)


def _items(text: str) -> dict[str, Decimal]:
    raw = json.loads(text or "{}")
    return {k: Decimal(str(v)) for k, v in raw.items() if v is not None}


def _votes(text: str) -> Votes:
    raw = json.loads(text or "{}")
    return {g: {k: int(n) for k, n in counts.items()} for g, counts in raw.items()}


def _explain(
    rules: EvalRules, items: dict[str, Decimal], votes: Votes
) -> tuple[Decimal | None, str]:
    try:
        return team_score(rules, items, votes)
    except DomainError as e:
        return None, e.message


def team_inputs(row: UnitResult) -> tuple[dict[str, Decimal], Votes]:
    """The five items and the votes stored on a unit's result."""
    return _items(row.team_items), _votes(row.team_votes)


def read_team(year: int, unit_id: int) -> TeamDTO:
    """The 领导班子 scores and votes of the unit in ``year`` (empty when none yet)."""
    unit = Unit.get_or_none(Unit.id == unit_id)
    if unit is None:
        raise DomainError("该单位已被删除", field="unit")
    rules = year_rules(year)
    row = UnitResult.get_or_none((UnitResult.year == year) & (UnitResult.unit == unit_id))
    items, votes = team_inputs(row) if row is not None else ({}, {})
    score, text = _explain(rules, items, votes)
    return TeamDTO(year, unit_id, unit.name, items, votes, score, text, row.version if row else 0)


def _check(
    rules: EvalRules,
    where: str,
    items: Mapping[str, Decimal | None],
    votes: Mapping[str, Mapping[str, int]],
) -> tuple[dict[str, str], dict[str, dict[str, int]]]:
    names = {w.code: w.name for w in rules.team_items}
    groups = {w.code: w.name for w in rules.vote_groups}
    labels = {k for k, _p in VOTE_LABELS}
    clean_items: dict[str, str] = {}
    for code, value in items.items():
        if code not in names:
            raise DomainError(f"{where}：没有“{code}”这一考核项目", field="team")
        if value is None:
            continue
        try:
            v = Decimal(str(value))
        except InvalidOperation:
            raise DomainError(f"{where}：“{names[code]}”的得分应为数字，现为“{value}”",
                              field=code) from None  # fmt: skip
        if not v.is_finite() or not Decimal(0) <= v <= Decimal(100):
            raise DomainError(f"{where}：“{names[code]}”的得分应在 0–100 之间，现为 {value}",
                              field=code)  # fmt: skip
        clean_items[code] = str(v)
    clean_votes: dict[str, dict[str, int]] = {}
    for group, counts in votes.items():
        if group not in groups:
            raise DomainError(f"{where}：没有“{group}”这一测评组", field="votes")
        row: dict[str, int] = {}
        for label, n in counts.items():
            if label not in labels:
                raise DomainError(f"{where}：测评等次只有好、较好、一般、较差，没有“{label}”",
                                  field="votes")  # fmt: skip
            if not isinstance(n, int) or isinstance(n, bool) or n < 0 or n > 100000:
                raise DomainError(f"{where}：{groups[group]}评“{label}”的票数应为 0 或正整数，"
                                  f"现为 {n}", field="votes")  # fmt: skip
            if n:
                row[label] = n
        if row:
            clean_votes[group] = row
    return clean_items, clean_votes


def set_team(
    year: int,
    unit_id: int,
    items: Mapping[str, Decimal | None],
    votes: Mapping[str, Mapping[str, int]],
    *,
    expected_version: int | None = None,
    user: str | None = None,
) -> TeamDTO:
    """Store the 领导班子's five item scores and its 民主测评 votes (all of them: an item left
    out is cleared). ``expected_version``: the unit result's version the screen read (0:
    it had none)."""
    require(Permission.SCORES)
    rules = year_rules(year)
    unit = Unit.get_or_none(Unit.id == unit_id)
    if unit is None:
        raise DomainError("该单位已被删除", field="unit")
    where = f"“{unit.name}”领导班子{year}年度考核"
    clean_items, clean_votes = _check(rules, where, items, votes)
    values = {
        "team_items": json.dumps(clean_items, ensure_ascii=False, sort_keys=True),
        "team_votes": json.dumps(clean_votes, ensure_ascii=False, sort_keys=True),
    }
    with write_transaction():
        store_result(year, unit_id, values, where=where, expected_version=expected_version,
                     user=user or current_user(), reason="领导班子考核评分")  # fmt: skip
    return read_team(year, unit_id)


def set_task_score(
    task_id: int,
    score: Decimal | None,
    *,
    expected_version: int | None = None,
    user: str | None = None,
) -> None:
    """The 考评办's year-end score of a task (None clears it)."""
    require(Permission.SCORES)
    who = user or current_user()
    with write_transaction():
        task = WorkTask.get_or_none(WorkTask.id == task_id)
        if task is None:
            raise DomainError("该任务已被删除", field="task")
        where = f"“{task.lead_unit.name}”的任务“{task.title}”年终评分"
        if score is not None and (not score.is_finite() or not Decimal(0) <= score <= 100):
            raise DomainError(f"{where}应在 0–100 之间，现为 {score}", field="year_score")
        refuse_if_approved(task.year)
        if expected_version is not None and task.version != expected_version:
            raise conflict(where, "work_task", task.id)
        old = None if task.year_score is None else Decimal(str(task.year_score))
        if old == score:
            return
        WorkTask.update(year_score=score, version=WorkTask.version + 1).where(
            WorkTask.id == task_id
        ).execute()
        record_changes("work_task", task_id, "修改", {"year_score": old}, {"year_score": score},
                       user=who, reason="任务年终评分")  # fmt: skip


def computed_scores(year: int, rules: EvalRules) -> dict[int, dict[str, tuple[Decimal, str]]]:
    """unit id → {"共性"/"个性": (score, how)} for each category in which every task the unit
    leads has a year-end score: the scores a unit's blank 共性/个性 takes at grading."""
    by_unit: dict[int, dict[str, list[TaskMark | None]]] = {}
    q = WorkTask.select(
        WorkTask.lead_unit, WorkTask.category, WorkTask.year_score, WorkTask.weight,
        WorkTask.key_topic,
    ).where(WorkTask.year == year).tuples()  # fmt: skip
    for uid, category, score, weight, key in q:
        mark = (
            None
            if score is None
            else TaskMark(Decimal(str(score)), Decimal(str(weight)), bool(key))
        )
        by_unit.setdefault(uid, {}).setdefault(category, []).append(mark)
    out: dict[int, dict[str, tuple[Decimal, str]]] = {}
    for uid, cats in by_unit.items():
        for category, marks in cats.items():
            if marks and all(m is not None for m in marks):
                out.setdefault(uid, {})[category] = category_score(
                    rules, [m for m in marks if m is not None]
                )
    return out


@dataclass(frozen=True)
class TeamSheet:
    """What the 领导班子年度考核登记表 of a unit prints."""

    year: int
    unit: str
    approved: str  # '2026-01-20 部长' once approved, '' before
    members: tuple[tuple[str, str], ...]  # (name, post) of the 班子, 正职 first
    tasks: tuple[tuple[str, str, bool, Decimal, Decimal | None, int, int], ...]
    # (title, 类别, 重点, 分值, 年终评分, self-checks on time, late)
    items: tuple[tuple[str, Decimal, Decimal | None], ...]  # (item, weight, score)
    votes: tuple[tuple[str, Decimal, tuple[int, ...], Decimal | None], ...]
    # (group, weight, counts in VOTE_LABELS order, mean points or None)
    team: Decimal | None
    team_weight: Decimal
    common: Decimal | None
    own: Decimal | None
    bonus: Decimal
    bonus_reason: str
    deduction: Decimal
    deduction_reason: str
    total: Decimal | None
    rank: int | None
    units: int  # units ranked in the year
    grade: str  # the approved grade, '' before approval
    explanation: str


def team_sheet(year: int, unit_id: int) -> TeamSheet:
    """The data of a unit's 领导班子年度考核登记表 (its grade only once the year is
    approved: a proposed grade is not printed on a form that is filed)."""
    team = read_team(year, unit_id)
    rules = year_rules(year)
    row = UnitResult.get_or_none((UnitResult.year == year) & (UnitResult.unit == unit_id))
    led = WorkTask.select().where((WorkTask.year == year) & (WorkTask.lead_unit == unit_id))
    if row is None and not led.exists():
        raise DomainError(
            f"“{team.unit}”在 {year} 年度没有单位考评的任务和得分，没有可打印的领导班子考核登记表",
            field="unit",
        )
    ey = EvalYear.get_or_none(EvalYear.year == year)
    approved = ""
    if ey is not None and ey.status == "审定" and ey.approved_at is not None:
        approved = f"{ey.approved_at:%Y-%m-%d} {ey.approved_by}"
    people = list(
        Cadre.select(Cadre.name, Cadre.post_title, Cadre.leadership_level)
        .where((Cadre.unit == unit_id) & (Cadre.status == "在职") & (Cadre.leadership_level != ""))
        .order_by(Cadre.id)
        .tuples()
    )
    # the 班子: the unit's leaders of its highest band (县处级 in a city department, where
    # its 科长 are 乡科级), 正职 first
    top = min((p[2][:3] for p in people), key=lambda b: 0 if b == "县处级" else 1, default="")
    people = sorted((p for p in people if p[2].startswith(top)),
                    key=lambda p: (0 if "正职" in p[2] else 1, p[2]))  # fmt: skip
    tasks = []
    for t in WorkTask.select().where((WorkTask.year == year) & (WorkTask.lead_unit == unit_id)):
        checks = list(SelfCheck.select(SelfCheck.late).where(SelfCheck.task == t.id).tuples())
        late = sum(1 for (x,) in checks if x)
        score = None if t.year_score is None else Decimal(str(t.year_score))
        tasks.append((t.title, t.category, bool(t.key_topic), Decimal(str(t.weight)), score,
                      len(checks) - late, late))  # fmt: skip
    points = dict(VOTE_LABELS)
    votes = []
    for g in rules.vote_groups:
        counts = tuple(team.votes.get(g.code, {}).get(k, 0) for k, _p in VOTE_LABELS)
        n = sum(counts)
        mean = None
        if n:
            got = sum(c * points[k] for c, (k, _p) in zip(counts, VOTE_LABELS, strict=True))
            mean = (Decimal(got) / n).quantize(Decimal("0.01"), ROUND_HALF_UP)
        votes.append((g.name, g.weight, counts, mean))

    def d(v: object) -> Decimal | None:
        return None if v is None else Decimal(str(v))

    units = UnitResult.select().where((UnitResult.year == year) & UnitResult.rank.is_null(False))
    # 扣分: the unit's own and its half-year inspections', each with its reason
    own_cut = d(row.deduction) if row else Decimal(0)
    own_reason = row.deduction_reason if row and own_cut else ""
    inspected = deductions(year).get(unit_id, (Decimal(0), ()))
    late = late_checks(year).get(unit_id, 0)
    late_cut = rules.late_deduction * late
    late_reason = f"逾期自查 {late} 次，每次扣 {rules.late_deduction} 分" if late else ""
    explanation = row.explanation if row else ""
    if not approved:  # the proposed grade stays off a form that is filed
        explanation = re.sub(r"；等次“[^”]*”(（[^）]*）)?(；[^。]*)?", "", explanation)
    return TeamSheet(
        year, team.unit, approved, tuple((p[0], p[1]) for p in people), tuple(tasks),
        tuple((w.name, w.weight, team.items.get(w.code)) for w in rules.team_items), tuple(votes),
        d(row.team_score) if row else None, rules.team_weight,
        d(row.common_score) if row else None, d(row.own_score) if row else None,
        d(row.bonus) if row and row.bonus_approved else Decimal(0),
        row.bonus_reason if row and row.bonus_approved else "",
        own_cut + inspected[0] + late_cut,
        "；".join(x for x in (own_reason, *inspected[1], late_reason) if x),
        d(row.total) if row else None, row.rank if row else None, units.count(),
        row.grade if row and approved else "", explanation,
    )  # fmt: skip
