"""Data of the 五项考核 rule engine: inputs, frozen results, flags and the small helpers every
part of the engine (annual and quarterly) shares."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from models.assessment.rules.numbers import fmt_number
from models.assessment.rules.types import Grade, Rounding
from models.core.errors import FieldIssue, ValidationError

Q2 = Decimal("0.01")
_MAX_ISSUES_SHOWN = 20

FLAG_TIE = "tie_at_quota_line"
FLAG_TIE_UNRESOLVED = "tie_unresolved"
FLAG_OVERRIDDEN = "overridden"
FLAG_OVER_QUOTA = "override_above_quota"
FLAG_DISPLACED = "displaced_by_override"
FLAG_BARRED = "barred_from_excellent"

NO_GRADE_PROBATION = "试用期"
NO_GRADE_SANCTION = "处分期"
NO_GRADE_OTHER = "其他"


def q2(value: Decimal) -> Decimal:
    """Round to 2 places, 四舍五入."""
    return value.quantize(Q2, rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------------------
# inputs


@dataclass(frozen=True)
class Adjustment:
    """加分 (points > 0) or 扣分 (points < 0), with the reason (required)."""

    points: Decimal | int | float | str
    reason: str


@dataclass(frozen=True)
class SanctionInForce:
    """A sanction in force this year; ``year_offset`` 0 = the year it was given, 1 = next year.

    Counted by the 处分期间 (SanctionCount.PERIOD): ``period_end`` is the day the period
    ends, said in the explanation; ``lifted_on`` is set (and nothing applies) when the period
    ended during this year after the year given: the year is graded normally again."""

    code: str
    year_offset: int = 0
    note: str = ""
    period_end: dt.date | None = None
    lifted_on: dt.date | None = None


@dataclass(frozen=True)
class Override:
    """考核委员会 decision replacing the proposed grade. ``approved``: 经批准 to exceed quota."""

    grade: Grade | str
    reason: str
    approved: bool = False


@dataclass(frozen=True)
class PersonInput:
    """One person of the round. The pool is the unit (or unit + rank layer, per the rules)."""

    person_id: int | str
    name: str
    unit: str
    layer: str = ""  # rank layer (e.g. 科级领导); used when the rules pool by layer
    parent_unit: str = ""  # the unit's parent (主管部门); small units may share its pool
    item_scores: Mapping[str, Any] = field(default_factory=dict)  # item code -> score
    votes: Mapping[str, Mapping[str, int]] | None = None  # group code -> vote label -> count
    group_averages: Mapping[str, Any] | None = None  # group code -> average score 0-100
    adjustments: tuple[Adjustment, ...] = ()
    sanctions: tuple[SanctionInForce, ...] = ()
    on_probation: bool = False
    under_investigation: bool = False
    leave_days: int = 0  # 病事假 days this year
    quarterly_grades: tuple[str | None, ...] = ()  # 平时考核 Q1..Q4: 好/较好/一般/较差/None
    veto_failures: tuple[str, ...] = ()  # codes of 一票否决 items failed
    override: Override | None = None


# ---------------------------------------------------------------------------------------
# outputs


@dataclass(frozen=True)
class AppliedRule:
    """A rule that affected a person: a stable ``code`` and a Chinese sentence."""

    code: str
    text: str


@dataclass(frozen=True)
class CompositeParts:
    evaluation: Decimal  # 民主测评 score, 2 places
    items: Decimal  # items score, 2 places
    bonus: Decimal  # 加分 after the cap
    penalty: Decimal  # 扣分 after the cap (positive number)
    bonus_raw: Decimal
    penalty_raw: Decimal
    composite: Decimal  # 2 places


@dataclass(frozen=True)
class QuotaCalc:
    """优秀 quota of one pool, with the arithmetic shown."""

    people: int
    percent: Decimal
    raw: Decimal  # percent × people / 100
    rounding: Rounding
    rounded: int
    at_least_one_applied: bool
    quota: int

    @property
    def text(self) -> str:
        s = (
            f"{fmt_number(self.percent)}%×{self.people}={fmt_number(self.raw)}，"
            f"{self.rounding.value}为 {self.rounded} 名"
        )
        if self.at_least_one_applied:
            s += "，不足 1 名按 1 名计"
        return s

    def to_dict(self) -> dict[str, Any]:
        return {
            "people": self.people,
            "percent": fmt_number(self.percent),
            "raw": fmt_number(self.raw),
            "rounding": self.rounding.value,
            "rounded": self.rounded,
            "at_least_one_applied": self.at_least_one_applied,
            "quota": self.quota,
        }


def _dec_out(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True)
class PersonResult:
    person_id: int | str
    name: str
    unit: str
    layer: str
    pool_key: str
    evaluation_score: Decimal | None
    items_score: Decimal | None
    bonus: Decimal
    penalty: Decimal
    composite: Decimal | None
    rank: int | None  # competition rank in the pool (equal keys share a rank)
    system_grade: Grade  # what the rules give, before any committee override
    proposed_grade: Grade  # after the override, if any
    barred_from_excellent: bool
    no_grade_category: str | None  # 试用期 / 处分期 / 其他 when proposed 不定等次
    override_reason: str
    override_approved: bool
    rules: tuple[AppliedRule, ...]
    flags: tuple[str, ...]
    warnings: tuple[str, ...]
    explanation: str

    @property
    def overridden(self) -> bool:
        return FLAG_OVERRIDDEN in self.flags

    def to_dict(self) -> dict[str, Any]:
        return {
            "person_id": self.person_id,
            "name": self.name,
            "unit": self.unit,
            "layer": self.layer,
            "pool_key": self.pool_key,
            "evaluation_score": _dec_out(self.evaluation_score),
            "items_score": _dec_out(self.items_score),
            "bonus": str(self.bonus),
            "penalty": str(self.penalty),
            "composite": _dec_out(self.composite),
            "rank": self.rank,
            "system_grade": self.system_grade.value,
            "proposed_grade": self.proposed_grade.value,
            "barred_from_excellent": self.barred_from_excellent,
            "no_grade_category": self.no_grade_category,
            "override_reason": self.override_reason,
            "override_approved": self.override_approved,
            "rules": [{"code": r.code, "text": r.text} for r in self.rules],
            "flags": list(self.flags),
            "warnings": list(self.warnings),
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class PoolSummary:
    pool_key: str
    unit: str
    layer: str
    people: int
    quota: QuotaCalc
    raised_quota: bool  # 经批准按最高比例
    max_quota: int  # quota at the approved maximum percentage
    counts: Mapping[Grade, int]  # per proposed grade, all five present
    no_grade_counts: Mapping[str, int]  # 试用期 / 处分期 / 其他
    excellent_overrides: int
    warnings: tuple[str, ...]
    explanation: str
    merged_units: tuple[str, ...] = ()  # units sharing the pool, when small units are merged

    @property
    def label(self) -> str:
        """The pool as messages name it: the unit, ``unit（layer）``, and the merged units."""
        base = f"{self.unit}（{self.layer}）" if self.layer else self.unit
        return merged_pool_label(base, self.merged_units)

    def to_dict(self) -> dict[str, Any]:
        out = self._dict()
        if self.merged_units:  # only when set, so stored summaries of other rounds keep their form
            out["merged_units"] = list(self.merged_units)
        return out

    def _dict(self) -> dict[str, Any]:
        return {
            "pool_key": self.pool_key,
            "unit": self.unit,
            "layer": self.layer,
            "people": self.people,
            "quota": self.quota.to_dict(),
            "raised_quota": self.raised_quota,
            "max_quota": self.max_quota,
            "counts": {g.value: n for g, n in self.counts.items()},
            "no_grade_counts": dict(self.no_grade_counts),
            "excellent_overrides": self.excellent_overrides,
            "warnings": list(self.warnings),
            "explanation": self.explanation,
        }


def merged_pool_label(label: str, merged_units: Sequence[str]) -> str:
    """'市教育局（合并计算：市教育局、一中、二中）' for a pool of merged small units; ``label``
    unchanged otherwise."""
    if not merged_units:
        return label
    return f"{label}（合并计算：{'、'.join(merged_units)}）"


class PeopleAndPools:
    """Lookups shared by the results of a round (annual or quarterly): ``people`` with a
    ``person_id``, ``pools`` with a ``pool_key`` and ``warnings``."""

    rules_name: str
    people: tuple[Any, ...]
    pools: tuple[Any, ...]

    def person(self, person_id: int | str) -> Any:
        for r in self.people:
            if r.person_id == person_id:
                return r
        raise KeyError(person_id)

    def pool(self, pool_key: str) -> Any:
        for s in self.pools:
            if s.pool_key == pool_key:
                return s
        raise KeyError(pool_key)

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(w for s in self.pools for w in s.warnings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rules_name": self.rules_name,
            "people": [p.to_dict() for p in self.people],
            "pools": [s.to_dict() for s in self.pools],
        }


@dataclass(frozen=True)
class RoundResult(PeopleAndPools):
    rules_name: str
    people: tuple[PersonResult, ...]  # in input order
    pools: tuple[PoolSummary, ...]  # in order of first appearance

    def person(self, person_id: int | str) -> PersonResult:
        return super().person(person_id)  # type: ignore[no-any-return]

    def pool(self, pool_key: str) -> PoolSummary:
        return super().pool(pool_key)  # type: ignore[no-any-return]


# ---------------------------------------------------------------------------------------
# helpers


def raise_issues(issues: list[FieldIssue], record: str) -> None:
    """Raise :class:`ValidationError` listing ``issues`` (the first 20 and how many more);
    nothing when there are none."""
    if not issues:
        return
    shown = issues[:_MAX_ISSUES_SHOWN]
    if len(issues) > _MAX_ISSUES_SHOWN:
        shown = [
            *shown,
            FieldIssue("", "其余", f"另有 {len(issues) - _MAX_ISSUES_SHOWN} 处问题未列出"),
        ]
    raise ValidationError(shown, record=record)


_new = object.__new__
_set = object.__setattr__


def frozen_instance(cls: type[Any], values: dict[str, Any]) -> Any:
    """An instance of a frozen dataclass from a dict of all its fields, without the generated
    ``__init__`` (one ``object.__setattr__`` per field): the same object, several times
    cheaper, for the tens of thousands of results of a round. ``values`` becomes the
    instance's ``__dict__`` (no copy): pass a dict of its own."""
    obj = _new(cls)
    _set(obj, "__dict__", values)
    return obj
