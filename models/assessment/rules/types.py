"""五项考核 rule configuration: enums, the frozen rule dataclasses and the rule set
(:class:`AssessmentRules`) with its lookups and its JSON form (:meth:`AssessmentRules.to_dict`).

Pure module: no database, no Qt. Reading a rule set from a dict is
:func:`models.assessment.rules.parse.rules_from_dict`, checking it
:func:`models.assessment.rules.check.validate_rules`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from typing import Any

from models.assessment.rules.numbers import HUNDRED, ZERO, fmt_number
from models.assessment.rules.quarterly import QuarterlyRule


class Grade(StrEnum):
    """Annual grade of a civil servant (公务员), plus 不定等次 (no grade)."""

    EXCELLENT = "优秀"
    COMPETENT = "称职"
    BASIC = "基本称职"
    INCOMPETENT = "不称职"
    UNDETERMINED = "不定等次"


# Higher is better; 不定等次 has no level.
GRADE_LEVEL: dict[Grade, int] = {
    Grade.EXCELLENT: 4,
    Grade.COMPETENT: 3,
    Grade.BASIC: 2,
    Grade.INCOMPETENT: 1,
}
GRADED = (Grade.EXCELLENT, Grade.COMPETENT, Grade.BASIC, Grade.INCOMPETENT)


class Rounding(StrEnum):
    """How a fractional 优秀 quota becomes a whole number of people."""

    HALF_UP = "四舍五入"
    UP = "进一法"
    DOWN = "去尾"


class PoolBy(StrEnum):
    """What one quota pool is: a unit, or one rank layer inside a unit (不得相互挤占)."""

    UNIT = "单位"
    UNIT_LAYER = "单位内职级层次"


class QuotaBase(StrEnum):
    """Who counts for the quota: everyone assessed, or only those who get a grade."""

    ALL = "全部参加考核人员"
    GRADED = "确定等次人员"


class SanctionEffect(StrEnum):
    """Effect of a sanction (处分/组织处理) on the annual grade (DOMAIN 1.5)."""

    BAR_EXCELLENT = "不得评为优秀"
    FORCE_BASIC = "定为基本称职"
    NO_GRADE = "不定等次"
    FORCE_INCOMPETENT = "定为不称职"


class SanctionCount(StrEnum):
    """How the years a sanction affects are counted (DOMAIN.md §1.5): by calendar
    assessment years from the year given, as the 处分影响表 has them (the default), or by the
    处分期间 itself, as some places do: the year in which the period ends (the sanction is
    lifted) is graded normally again."""

    CALENDAR = "按自然年度"
    PERIOD = "按处分期间"


# Heavier effect wins when several sanctions are in force ("apply the heaviest effect").
EFFECT_SEVERITY: dict[SanctionEffect, int] = {
    SanctionEffect.BAR_EXCELLENT: 1,
    SanctionEffect.FORCE_BASIC: 2,
    SanctionEffect.NO_GRADE: 3,
    SanctionEffect.FORCE_INCOMPETENT: 4,
}

# Tie-break keys (higher value wins). "item:<code>" means that item's score.
TIE_BREAK_LABELS: dict[str, str] = {
    "evaluation": "民主测评得分",
    "items": "项目得分",
    "excellent_votes": "优秀票比例",
    "quarterly_good": "平时考核“好”等次次数",
}


@dataclass(frozen=True)
class SchemeItem:
    """One assessment item (德/能/勤/绩/廉 by default, or a veto-only item)."""

    code: str
    name: str
    weight: Decimal  # percent of the items score; base weights add up to 100
    full_score: Decimal = HUNDRED
    is_veto: bool = False  # 一票否决 item
    veto_below: Decimal | None = None  # a score below this counts as a veto failure
    veto_max_grade: Grade = Grade.BASIC  # best grade left after a veto failure
    key_topic: str = ""  # e.g. 城市转型
    key_topic_weight: Decimal = ZERO  # extra weight on top of ``weight``

    @property
    def effective_weight(self) -> Decimal:
        return self.weight + self.key_topic_weight


@dataclass(frozen=True)
class RaterGroup:
    """A 民主测评 rater group; ``weight`` is a fraction, all groups add up to 1."""

    code: str
    name: str
    weight: Decimal


@dataclass(frozen=True)
class VoteValue:
    """A 民主测评 vote choice and the points it is worth (优秀 100, 称职 80, ...)."""

    label: str
    value: Decimal


@dataclass(frozen=True)
class CompositeRule:
    """综合得分 = 民主测评×evaluation_weight% + 项目×items_weight% + 加分 − 扣分."""

    evaluation_weight: Decimal = Decimal(40)
    items_weight: Decimal = Decimal(60)
    bonus_cap: Decimal | None = Decimal(5)  # None: no cap
    penalty_cap: Decimal | None = Decimal(10)


@dataclass(frozen=True)
class GradeThresholds:
    """Score floors (综合得分 ≥ floor). ``excellent_min`` None: 优秀 by rank and quota only."""

    excellent_min: Decimal | None = Decimal(90)
    competent_min: Decimal = Decimal(66)
    basic_min: Decimal = Decimal(55)


@dataclass(frozen=True)
class NamedPool:
    """A 考核范围 the 组织部 draws itself: the listed units compete for one 优秀 quota under
    the pool's name (e.g. 市委工作部门 for several small 市委 departments)."""

    name: str
    units: tuple[str, ...]


@dataclass(frozen=True)
class QuotaRule:
    """优秀 quota of one pool."""

    percent: Decimal = Decimal(20)
    max_percent: Decimal = Decimal(25)  # only with approval (raised pool / approved override)
    rounding: Rounding = Rounding.HALF_UP
    at_least_one: bool = True  # 不足 1 名的按 1 名计
    pool_by: PoolBy = PoolBy.UNIT
    base: QuotaBase = QuotaBase.ALL
    # units with fewer participants than this share their parent unit's (主管部门's) pool;
    # 0: off, every unit is a pool of its own
    merge_below: int = 0
    # pools drawn by the user; a unit listed here is in that pool whatever its size
    named_pools: tuple[NamedPool, ...] = ()
    # the 优秀 percent of a unit's pool set by the unit's own grade in the 单位考评 (unit
    # name → percent, models.evaluation); a unit not listed has ``percent``
    unit_percents: tuple[tuple[str, Decimal], ...] = ()

    def percent_of(self, unit: str) -> Decimal:
        """The 优秀 percent of the pool of ``unit``."""
        for name, pct in self.unit_percents:
            if name == unit:
                return pct
        return self.percent


@dataclass(frozen=True)
class SanctionRule:
    """One row of the 处分影响表. ``effects[0]`` applies in the year of the sanction,
    ``effects[1]`` the next year, ... (calendar assessment years from the year given,
    DOMAIN.md §1.5 "当年及第二年").

    ``variant_of``: the code of the kind this row is a variant of (e.g. the 1998 opinion's
    duty-related 党内严重警告 → 不称职 under 党内严重警告); the entry dialog offers it as a
    choice under that kind. ``legacy``: kept only to read records entered before the table
    split a kind; not offered for new records. The shipped table keeps 留党察看 (code
    ``party_probation``) this way with the effect of 留察二年 (不称职, then two years 不定等次):
    the longest 留党察看 and the three-year effect the table gave it before DOMAIN.md §1.5 split
    it into 留察一年/二年, so grades already approved from old records do not change.
    ``basis``: the rule's source in words, quoted in the grade explanation when set.
    ``period_months``: the usual 处分期间 (影响期) in months, used when the effects are counted
    by the period (:class:`SanctionCount`) and a record has no end date of its own."""

    code: str
    name: str
    effects: tuple[SanctionEffect, ...]
    variant_of: str = ""
    legacy: bool = False
    basis: str = ""
    period_months: int | None = None


@dataclass(frozen=True)
class StatusRule:
    """Status flags that give 不定等次."""

    probation_no_grade: bool = True  # 试用期
    investigation_no_grade: bool = True  # 立案审查未结案
    long_leave_days: int | None = 183  # 病事假 ≥ this many days; None: rule off


@dataclass(frozen=True)
class AssessmentRules:
    """A complete rule set for one assessment round."""

    name: str
    items: tuple[SchemeItem, ...]
    rater_groups: tuple[RaterGroup, ...]
    vote_values: tuple[VoteValue, ...]
    composite: CompositeRule = field(default_factory=CompositeRule)
    thresholds: GradeThresholds = field(default_factory=GradeThresholds)
    quota: QuotaRule = field(default_factory=QuotaRule)
    tie_break: tuple[str, ...] = ("evaluation", "items")
    sanctions: tuple[SanctionRule, ...] = ()
    status: StatusRule = field(default_factory=StatusRule)
    quarterly: QuarterlyRule = field(default_factory=QuarterlyRule)
    sanction_count: SanctionCount = SanctionCount.CALENDAR

    # -- lookups (computed once; frozen dataclasses allow cached_property) -----------------

    @cached_property
    def items_by_code(self) -> dict[str, SchemeItem]:
        return {i.code: i for i in self.items}

    @cached_property
    def groups_by_code(self) -> dict[str, RaterGroup]:
        return {g.code: g for g in self.rater_groups}

    @cached_property
    def vote_value_by_label(self) -> dict[str, Decimal]:
        return {v.label: v.value for v in self.vote_values}

    @cached_property
    def composite_weight_texts(self) -> tuple[str, str]:
        """The 民主测评 and items weights as shown in explanations ("40", "60")."""
        return fmt_number(self.composite.evaluation_weight), fmt_number(self.composite.items_weight)

    @cached_property
    def vote_int_values(self) -> dict[str, int] | None:
        """Vote values as ints when all are whole numbers, else None."""
        if all(v.value == v.value.to_integral_value() for v in self.vote_values):
            return {v.label: int(v.value) for v in self.vote_values}
        return None

    @cached_property
    def sanctions_by_code(self) -> dict[str, SanctionRule]:
        return {s.code: s for s in self.sanctions}

    @cached_property
    def weighted_items(self) -> tuple[tuple[str, str, Decimal, Decimal], ...]:
        """(code, name, effective weight, full score) of the items that carry weight."""
        return tuple(
            (i.code, i.name, i.effective_weight, i.full_score)
            for i in self.items
            if i.effective_weight != 0
        )

    @cached_property
    def veto_line_items(self) -> tuple[SchemeItem, ...]:
        """Veto items with a score line (a score below it is a veto failure)."""
        return tuple(i for i in self.items if i.is_veto and i.veto_below is not None)

    def tie_break_label(self, key: str) -> str:
        """Chinese name of a tie-break key."""
        if key.startswith("item:"):
            item = self.items_by_code.get(key[5:])
            return f"“{item.name if item else key[5:]}”得分"
        return TIE_BREAK_LABELS.get(key, key)

    # -- dict / JSON ------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict; numbers are written as strings so no precision is lost."""
        return {
            "name": self.name,
            "items": [
                {
                    "code": i.code,
                    "name": i.name,
                    "weight": _num_out(i.weight),
                    "full_score": _num_out(i.full_score),
                    "is_veto": i.is_veto,
                    "veto_below": _num_out(i.veto_below),
                    "veto_max_grade": i.veto_max_grade.value,
                    "key_topic": i.key_topic,
                    "key_topic_weight": _num_out(i.key_topic_weight),
                }
                for i in self.items
            ],
            "rater_groups": [
                {"code": g.code, "name": g.name, "weight": _num_out(g.weight)}
                for g in self.rater_groups
            ],
            "vote_values": [
                {"label": v.label, "value": _num_out(v.value)} for v in self.vote_values
            ],
            "composite": {
                "evaluation_weight": _num_out(self.composite.evaluation_weight),
                "items_weight": _num_out(self.composite.items_weight),
                "bonus_cap": _num_out(self.composite.bonus_cap),
                "penalty_cap": _num_out(self.composite.penalty_cap),
            },
            "thresholds": {
                "excellent_min": _num_out(self.thresholds.excellent_min),
                "competent_min": _num_out(self.thresholds.competent_min),
                "basic_min": _num_out(self.thresholds.basic_min),
            },
            "quota": {
                "percent": _num_out(self.quota.percent),
                "max_percent": _num_out(self.quota.max_percent),
                "rounding": self.quota.rounding.value,
                "at_least_one": self.quota.at_least_one,
                "pool_by": self.quota.pool_by.value,
                "base": self.quota.base.value,
                **({"merge_below": self.quota.merge_below} if self.quota.merge_below else {}),
                **(
                    {
                        "named_pools": [
                            {"name": p.name, "units": list(p.units)} for p in self.quota.named_pools
                        ]
                    }
                    if self.quota.named_pools
                    else {}
                ),
                **(
                    {"unit_percents": {u: _num_out(p) for u, p in self.quota.unit_percents}}
                    if self.quota.unit_percents
                    else {}
                ),
            },
            "tie_break": list(self.tie_break),
            "sanctions": [_sanction_out(s) for s in self.sanctions],
            # only when not the default, so rule sets written before it serialise as before
            **(
                {"sanction_count": self.sanction_count.value}
                if self.sanction_count is not SanctionCount.CALENDAR
                else {}
            ),
            "status": {
                "probation_no_grade": self.status.probation_no_grade,
                "investigation_no_grade": self.status.investigation_no_grade,
                "long_leave_days": self.status.long_leave_days,
            },
            "quarterly": {
                "bar_excellent_grades": list(self.quarterly.bar_excellent_grades),
                "min_good_for_excellent": self.quarterly.min_good_for_excellent,
                "good_cap_percent": _num_out(self.quarterly.good_cap_percent),
                "good_min": _num_out(self.quarterly.good_min),
                "fairly_good_min": _num_out(self.quarterly.fairly_good_min),
                "ordinary_min": _num_out(self.quarterly.ordinary_min),
                "good_cap_at_least_one": self.quarterly.good_cap_at_least_one,
            },
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)


def _num_out(value: Decimal | None) -> str | None:
    return None if value is None else fmt_number(value)


def _sanction_out(s: SanctionRule) -> dict[str, Any]:
    """A 处分影响表 row; the optional keys only when set, so rule sets written before they
    existed serialise as before."""
    out: dict[str, Any] = {"code": s.code, "name": s.name, "effects": [e.value for e in s.effects]}
    if s.variant_of:
        out["variant_of"] = s.variant_of
    if s.legacy:
        out["legacy"] = True
    if s.basis:
        out["basis"] = s.basis
    if s.period_months is not None:
        out["period_months"] = s.period_months
    return out
