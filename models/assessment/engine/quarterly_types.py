"""平时考核 grades and results: the quarter grades, the round's score lines
(:func:`quarter_rule_of`), the cap on 好 and the frozen results of a quarterly round."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from models.assessment.engine.pool import quota_for
from models.assessment.engine.types import AppliedRule, PeopleAndPools, QuotaCalc
from models.assessment.rules.quarterly import QUARTERLY_GRADES, QuarterGradeRule
from models.assessment.rules.types import AssessmentRules

GOOD, FAIRLY_GOOD, ORDINARY, POOR = QUARTERLY_GRADES  # 好, 较好, 一般, 较差
NO_GRADE = "不定等次"
QUARTER_GRADE_CHOICES = (*QUARTERLY_GRADES, NO_GRADE)

MAX_QUARTER_DAYS = 92  # the longest quarter (Q3, Q4)

FLAG_GOOD_CAP_TIE = "tie_at_good_cap_line"
FLAG_BARRED_FROM_GOOD = "barred_from_good"


def quarter_rule_of(rules: AssessmentRules) -> QuarterGradeRule:
    """The round's score lines and "at least one 好" switch: the fields of
    :class:`~models.assessment.rules.quarterly.QuarterGradeRule` in ``rules.quarterly``."""
    qr = rules.quarterly
    return QuarterGradeRule(*(getattr(qr, f.name) for f in fields(QuarterGradeRule)))


def quarter_leave_days(rules: AssessmentRules) -> int | None:
    """Days of 病事假 in a quarter that give 不定等次: the annual number ÷ 4, rounded up
    (183 → 46); None when the annual rule is off."""
    days = rules.status.long_leave_days
    return None if days is None else -(-days // 4)


def good_cap(rules: AssessmentRules, people: int, rule: QuarterGradeRule) -> QuotaCalc | None:
    """Cap on 好 of a pool counting ``people``; None when the rules set no cap."""
    pct = rules.quarterly.good_cap_percent
    if pct is None:
        return None
    return quota_for(pct, people, rules.quota.rounding, rule.good_cap_at_least_one)


# ---------------------------------------------------------------------------------------
# results


@dataclass(frozen=True)
class QuarterPersonResult:
    person_id: int | str
    name: str
    unit: str
    layer: str
    pool_key: str
    score: Decimal | None  # 季度得分, 2 places; None when not needed and not given
    rank: int | None  # competition rank by score in the pool (equal scores share a rank)
    grade: str  # 好 / 较好 / 一般 / 较差 / 不定等次
    no_grade_category: str | None  # 试用期 / 处分期 / 其他 when 不定等次
    barred_from_good: bool
    rules: tuple[AppliedRule, ...]
    flags: tuple[str, ...]
    warnings: tuple[str, ...]
    explanation: str

    @property
    def stored_grade(self) -> str | None:
        """What goes into QuarterGrade: the grade, or None (no row) for 不定等次."""
        return None if self.grade == NO_GRADE else self.grade

    @property
    def tied(self) -> bool:
        return FLAG_GOOD_CAP_TIE in self.flags

    def to_dict(self) -> dict[str, Any]:
        return {
            "person_id": self.person_id,
            "name": self.name,
            "unit": self.unit,
            "layer": self.layer,
            "pool_key": self.pool_key,
            "score": None if self.score is None else str(self.score),
            "rank": self.rank,
            "grade": self.grade,
            "no_grade_category": self.no_grade_category,
            "barred_from_good": self.barred_from_good,
            "rules": [{"code": r.code, "text": r.text} for r in self.rules],
            "flags": list(self.flags),
            "warnings": list(self.warnings),
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class QuarterPoolSummary:
    pool_key: str
    unit: str
    layer: str
    people: int
    counted: int  # people the cap is worked out on (quota.base)
    cap: QuotaCalc | None  # None: no cap
    counts: Mapping[str, int]  # per grade of QUARTER_GRADE_CHOICES, all present
    tied: tuple[str, ...]  # names tied at the cap line
    vacant: int  # 好 places left for the committee because of the tie
    warnings: tuple[str, ...]
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "pool_key": self.pool_key,
            "unit": self.unit,
            "layer": self.layer,
            "people": self.people,
            "counted": self.counted,
            "cap": None if self.cap is None else self.cap.to_dict(),
            "counts": dict(self.counts),
            "tied": list(self.tied),
            "vacant": self.vacant,
            "warnings": list(self.warnings),
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class QuarterRoundResult(PeopleAndPools):
    rules_name: str
    people: tuple[QuarterPersonResult, ...]  # in input order
    pools: tuple[QuarterPoolSummary, ...]  # in order of first appearance

    def person(self, person_id: int | str) -> QuarterPersonResult:
        return super().person(person_id)  # type: ignore[no-any-return]

    def pool(self, pool_key: str) -> QuarterPoolSummary:
        return super().pool(pool_key)  # type: ignore[no-any-return]

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(QUARTER_GRADE_CHOICES, 0)
        for p in self.people:
            out[p.grade] += 1
        return out
