"""The 单位考评 rule engine: each unit's total from its scores, its rank and its grade.
Pure: no database, so a hand-computed case can be checked against it directly.

total = 共性得分 × 共性权重% + 个性得分 × 个性权重% + min(批准的加分, 加分上限)
        − 逾期自查次数 × 每次扣分 − 督查扣分

Units are ranked by total (higher first; equal totals share a rank). Grades are given from
the first: a unit gets a grade when its total reaches the grade's score line and the grade
still has room (its share of the units, rounded half up, at least one). Units tied on the
line of a grade that has room for some but not all of them all go to the next grade, which
takes them whatever its own share (the better grade's share is never exceeded, and nobody
tied with a unit of a better grade ends below the next one). The last grade takes everyone
left."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from models.evaluation.rules import EvalRules

__all__ = ["UnitInput", "UnitOutcome", "grade_units", "unit_total"]

TWO = Decimal("0.01")


@dataclass(frozen=True)
class UnitInput:
    unit: str
    common: Decimal
    own: Decimal
    bonus: Decimal = Decimal(0)  # approved 特色、创新工作加分
    late_checks: int = 0
    deduction: Decimal = Decimal(0)  # 督查扣分


@dataclass(frozen=True)
class UnitOutcome:
    unit: str
    total: Decimal
    rank: int
    grade: str
    explanation: str


def unit_total(r: EvalRules, u: UnitInput) -> tuple[Decimal, str]:
    """The unit's total and how it was made, in Chinese."""
    common = u.common * r.common_weight / 100
    own = u.own * r.own_weight / 100
    bonus = min(u.bonus, r.bonus_cap)
    late = r.late_deduction * u.late_checks
    total = (common + own + bonus - late - u.deduction).quantize(TWO, ROUND_HALF_UP)
    parts = [
        f"共性 {u.common}×{r.common_weight}%={common.quantize(TWO, ROUND_HALF_UP)}",
        f"个性 {u.own}×{r.own_weight}%={own.quantize(TWO, ROUND_HALF_UP)}",
    ]
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
    scored.sort(key=lambda x: (-x[1], x[0].unit))
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
            out.append(UnitOutcome(u.unit, t, ranks[i], rule.name, line))
        used += tied
        k = j
    return out
