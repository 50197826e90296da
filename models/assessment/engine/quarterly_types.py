"""平时考核 rules and results (:mod:`models.assessment.engine.quarterly`): the quarter grades, the
score
lines of a round (:class:`QuarterGradeRule`, from the round's rules), the cap on 好 and the
frozen results. Import these from models.assessment.engine.quarterly."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from models.assessment.engine.pool import quota_for
from models.assessment.engine.types import (
    AppliedRule,
    PeopleAndPools,
    QuotaCalc,
)
from models.assessment.rules.files import (
    HUNDRED,
    QUARTERLY_GRADES,
    ZERO,
    AssessmentRules,
    SanctionEffect,
)
from models.assessment.rules.files import _fmt as fmt_number
from models.core.errors import FieldIssue, ValidationError

GOOD, FAIRLY_GOOD, ORDINARY, POOR = QUARTERLY_GRADES  # 好, 较好, 一般, 较差
NO_GRADE = "不定等次"
QUARTER_GRADE_CHOICES = (*QUARTERLY_GRADES, NO_GRADE)

MAX_QUARTER_DAYS = 92  # the longest quarter (Q3, Q4)

FLAG_TIE = "tie_at_good_cap_line"
FLAG_BARRED = "barred_from_good"

_LEVEL = {GOOD: 4, FAIRLY_GOOD: 3, ORDINARY: 2, POOR: 1}
_BY_LEVEL = {v: k for k, v in _LEVEL.items()}

_EFFECT_TEXT = {
    SanctionEffect.BAR_EXCELLENT: "年度考核中不得评为优秀，本季度相应不得评为“好”",
    SanctionEffect.FORCE_BASIC: "年度考核中定为基本称职，本季度相应定为“一般”",
    SanctionEffect.NO_GRADE: "年度考核中只写评语不定等次，本季度相应不定等次",
    SanctionEffect.FORCE_INCOMPETENT: "年度考核中定为不称职，本季度相应定为“较差”",
}


# ---------------------------------------------------------------------------------------
# configuration


@dataclass(frozen=True)
class QuarterGradeRule:
    """Score lines of the quarter grades and the "at least one 好" switch of the cap.

    ``good_min`` None: 好 by rank and cap only (anyone at or above the 较好 line may be 好).
    Stored in the round's rules as the fields of the same names of
    :class:`~models.assessment.rules.files.QuarterlyRule`; :func:`quarter_rule_of` reads them."""

    good_min: Decimal | None = Decimal(90)
    fairly_good_min: Decimal = Decimal(66)
    ordinary_min: Decimal = Decimal(55)
    good_cap_at_least_one: bool = False

    def validate(self) -> list[FieldIssue]:
        """Every problem of these settings (Chinese); an empty list means usable."""
        issues: list[FieldIssue] = []
        lines = (
            ("good_min", "“好”等次分数线", self.good_min),
            ("fairly_good_min", "“较好”等次分数线", self.fairly_good_min),
            ("ordinary_min", "“一般”等次分数线", self.ordinary_min),
        )
        ok: dict[str, Decimal] = {}
        for name, label, value in lines:
            if value is None and name == "good_min":
                continue
            if not isinstance(value, Decimal) or not value.is_finite():
                issues.append(FieldIssue(name, label, f"“{value}”不是数字"))
            elif not ZERO <= value <= HUNDRED:
                issues.append(FieldIssue(name, label, f"{fmt_number(value)} 应在 0–100 之间"))
            else:
                ok[name] = value
        pairs = (
            ("good_min", "“好”", "fairly_good_min", "“较好”"),
            ("fairly_good_min", "“较好”", "ordinary_min", "“一般”"),
        )
        for high, high_label, low, low_label in pairs:
            if high in ok and low in ok and not ok[high] > ok[low]:
                issues.append(
                    FieldIssue(
                        high,
                        f"{high_label}等次分数线",
                        f"{fmt_number(ok[high])} 应高于{low_label}等次分数线 {fmt_number(ok[low])}",
                    )
                )
        if not isinstance(self.good_cap_at_least_one, bool):
            issues.append(
                FieldIssue("good_cap_at_least_one", "“好”等次不足 1 名按 1 名计", "应为是或否")
            )
        return issues

    def check(self) -> QuarterGradeRule:
        """Raise :class:`ValidationError` when not usable; return self otherwise."""
        issues = self.validate()
        if issues:
            raise ValidationError(issues, record="平时考核等次规则")
        return self


DEFAULT_QUARTER_RULE = QuarterGradeRule()


def quarter_rule_of(rules: AssessmentRules) -> QuarterGradeRule:
    """The round's quarter-grade settings: the fields ``good_min``, ``fairly_good_min``,
    ``ordinary_min`` and ``good_cap_at_least_one`` of ``rules.quarterly``. Rules stored
    before these fields existed are read by :mod:`models.assessment.rules.parse` with the
    defaults of :class:`~models.assessment.rules.files.QuarterlyRule`, which are those of
    :data:`DEFAULT_QUARTER_RULE`."""
    qr = rules.quarterly
    return QuarterGradeRule(
        good_min=qr.good_min,
        fairly_good_min=qr.fairly_good_min,
        ordinary_min=qr.ordinary_min,
        good_cap_at_least_one=qr.good_cap_at_least_one,
    )


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
        return FLAG_TIE in self.flags

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


# ---------------------------------------------------------------------------------------
# grading
