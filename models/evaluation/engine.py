"""The 单位考评 rule engine: each unit's total from its scores, its rank and its grade.
Pure: no database, so a hand-computed case can be checked against it directly.

工作实绩 = 共性得分 × 共性权重% + 个性得分 × 个性权重%
total = 工作实绩 × (100 − 班子比例)% + 班子得分 × 班子比例% + min(批准的加分, 加分上限)
        − 逾期自查次数 × 每次扣分 − 督查扣分

班子得分 = Σ 五项得分 × 项目权重% × (100 − 测评比例)% + 民主测评得分 × 测评比例%, where the
民主测评得分 is the weighted mean over the rater groups that voted of each group's mean
points (好 100, 较好 80, 一般 60, 较差 40). A 共性 or 个性 score may be computed from the
考评办's year-end scores of the unit's tasks: their mean weighted by points, a 年度重点工作
counting ``key_factor`` times.

Units are ranked by total (higher first; equal totals share a rank). Grades are given from
the first: a unit gets a grade when its total reaches the grade's score line and the grade
still has room (its share of the units, rounded half up, at least one). Units tied on the
line of a grade that has room for some but not all of them all go to the next grade, which
takes them whatever its own share (the better grade's share is never exceeded, and nobody
tied with a unit of a better grade ends below the next one). The last grade takes everyone
left."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from models.core.errors import DomainError
from models.evaluation.rules import VOTE_LABELS, EvalRules

__all__ = [
    "TaskMark",
    "UnitInput",
    "UnitOutcome",
    "category_score",
    "grade_units",
    "team_score",
    "unit_total",
]

TWO = Decimal("0.01")


@dataclass(frozen=True)
class UnitInput:
    unit: str
    common: Decimal
    own: Decimal
    bonus: Decimal = Decimal(0)  # approved 特色、创新工作加分
    late_checks: int = 0
    deduction: Decimal = Decimal(0)  # 督查扣分
    team: Decimal | None = None  # 领导班子得分 (team_score)
    unit_id: int = 0  # the unit's id: two units may share a name under different parents


@dataclass(frozen=True)
class TaskMark:
    """The 考评办's year-end score of one task, with the task's points."""

    score: Decimal
    weight: Decimal
    key: bool = False


@dataclass(frozen=True)
class UnitOutcome:
    unit: str
    total: Decimal
    rank: int
    grade: str
    explanation: str
    unit_id: int = 0


def _q(v: Decimal) -> Decimal:
    return v.quantize(TWO, ROUND_HALF_UP)


def category_score(r: EvalRules, marks: Sequence[TaskMark]) -> tuple[Decimal, str]:
    """A 共性 or 个性 score from the year-end scores of the unit's tasks: their mean weighted
    by the tasks' points (all equal when no task has points), a key task counting
    ``key_factor`` times; and how it was made."""
    if not marks:
        raise DomainError("没有任务的年终评分，无法计算")
    plain = all(m.weight == 0 for m in marks)
    weights = [(Decimal(1) if plain else m.weight) * (r.key_factor if m.key else 1) for m in marks]
    total_w = sum(weights, Decimal(0))
    if total_w == 0:
        raise DomainError("任务的分值合计为 0，无法按分值计算")
    score = _q(
        sum((m.score * w for m, w in zip(marks, weights, strict=True)), Decimal(0)) / total_w
    )
    keys = sum(1 for m in marks if m.key)
    text = f"{len(marks)} 项任务年终评分按分值加权平均 {score}"
    if keys:
        text += f"（其中重点工作 {keys} 项按 {r.key_factor} 倍计）"
    return score, text


def team_score(
    r: EvalRules, items: Mapping[str, Decimal], votes: Mapping[str, Mapping[str, int]]
) -> tuple[Decimal, str]:
    """The 领导班子's score from its five items and its 民主测评 votes, and how it was made.
    DomainError (in Chinese) when an item has no score or nobody voted while the 民主测评
    counts."""
    missing = [w.name for w in r.team_items if items.get(w.code) is None]
    if missing:
        raise DomainError("领导班子考核项目没有评分：" + "、".join(missing), field="team")
    item_part = sum((items[w.code] * w.weight / 100 for w in r.team_items), Decimal(0))
    text = f"五项考核 {_q(item_part)}"
    if r.vote_weight == 0:
        return _q(item_part), text
    points = dict(VOTE_LABELS)
    voted = []
    for g in r.vote_groups:
        counts = votes.get(g.code, {})
        n = sum(counts.values())
        if n:
            mean = Decimal(sum(points[k] * c for k, c in counts.items() if k in points)) / n
            voted.append((g, mean, n))
    if not voted:
        raise DomainError("领导班子民主测评还没有录入票数", field="votes")
    weight = sum((g.weight for g, _m, _n in voted), Decimal(0))
    vote_part = sum((m * g.weight for g, m, _n in voted), Decimal(0)) / weight
    score = _q(item_part * (100 - r.vote_weight) / 100 + vote_part * r.vote_weight / 100)
    groups = "，".join(f"{g.name} {n} 票均 {_q(m)}" for g, m, n in voted)
    text += f"×{100 - r.vote_weight}% + 民主测评 {_q(vote_part)}（{groups}）×{r.vote_weight}%"
    return score, f"{text} = {score}"


def unit_total(r: EvalRules, u: UnitInput) -> tuple[Decimal, str]:
    """The unit's total and how it was made, in Chinese."""
    common = u.common * r.common_weight / 100
    own = u.own * r.own_weight / 100
    bonus = min(u.bonus, r.bonus_cap)
    late = r.late_deduction * u.late_checks
    parts = [
        f"共性 {u.common}×{r.common_weight}%={_q(common)}",
        f"个性 {u.own}×{r.own_weight}%={_q(own)}",
    ]
    work = common + own
    if r.team_weight:
        if u.team is None:
            raise DomainError(f"“{u.unit}”没有领导班子得分", field="team")
        team = u.team * r.team_weight / 100
        rest = 100 - r.team_weight
        parts.append(f"工作实绩 {_q(work)}×{rest}%={_q(work * rest / 100)}")
        parts.append(f"领导班子 {u.team}×{r.team_weight}%={_q(team)}")
        work = work * rest / 100 + team
    total = (work + bonus - late - u.deduction).quantize(TWO, ROUND_HALF_UP)
    if u.bonus:
        capped = "（超过上限，按上限计）" if u.bonus > r.bonus_cap else ""
        parts.append(f"加分 {bonus}{capped}")
    if u.late_checks:
        parts.append(f"逾期自查 {u.late_checks} 次扣 {late}")
    if u.deduction:
        parts.append(f"督查扣分 {u.deduction}")
    return total, "；".join(parts) + f"；合计 {total}"


def _room(share: Decimal, n: int) -> int:
    return max(1, int((share * n / 100).quantize(Decimal(1), ROUND_HALF_UP)))


def grade_units(r: EvalRules, units: list[UnitInput]) -> list[UnitOutcome]:
    """Every unit's total, rank and grade, in rank order (then by name)."""
    scored = [(u, *unit_total(r, u)) for u in units]
    scored.sort(key=lambda x: (-x[1], x[0].unit, x[0].unit_id))
    n = len(scored)
    ranks: list[int] = []
    for pos, (_u, total, _t) in enumerate(scored, start=1):
        ranks.append(ranks[-1] if ranks and scored[pos - 2][1] == total else pos)
    out: list[UnitOutcome] = []
    g = 0
    used = 0
    k = 0
    while k < n:
        # the units tied with this one go together
        j = k
        while j < n and scored[j][1] == scored[k][1]:
            j += 1
        tied = j - k
        total = scored[k][1]
        why = ""
        pushed = False  # tied units that a full grade could not take: the next one must
        while g < len(r.grades) - 1:
            rule = r.grades[g]
            room = _room(rule.share, n)
            if total >= rule.min_score and (pushed or used + tied <= room):
                break
            pushed = total >= rule.min_score and used < room
            if pushed:
                why = f"与其他单位并列，“{rule.name}”的名额（{room} 个）不足"
            g += 1
            used = 0
        rule = r.grades[g]
        for i in range(k, j):
            u, t, text = scored[i]
            line = f"{text}；排名第 {ranks[i]}；等次“{rule.name}”"
            if g < len(r.grades) - 1 or len(r.grades) == 1:
                line += f"（分数线 {rule.min_score}，名额 {_room(rule.share, n)} 个）"
            if why:
                line += f"；{why}"
            out.append(UnitOutcome(u.unit, t, ranks[i], rule.name, line, u.unit_id))
        used += tied
        k = j
    return out
