"""五项考核 rule engine: scores, quotas and proposed grades for one assessment round.

Pure functions over plain data: no database, no Qt. A service reads people from the database,
builds :class:`PersonInput` objects, calls :func:`grade_round` and stores the frozen results
(every result has ``to_dict()`` for JSON/audit storage).

Numbers: every score is a :class:`~decimal.Decimal` with 2 places, rounded 四舍五入
(ROUND_HALF_UP). The 民主测评 score and the items score are rounded to 2 places first; the
composite is then computed from those rounded parts and rounded again, so the explanation
text can be checked by hand with the numbers it shows.

Grading, per person:

1. 不定等次 or a fixed grade from rules: sanctions (heaviest effect wins), probation, open
   investigation, long leave.
2. Otherwise the composite score gives the grade by thresholds (≥ 称职/基本称职 floors).
3. Caps: a sanction that bars 优秀, a failed 一票否决 item (best grade left is configured),
   a 平时考核 较差 quarter (or too few 好).
4. People still able to be 优秀 (composite ≥ 优秀 floor, nothing barring them) are ranked in
   their pool; the top ``quota`` get 优秀, the rest 称职. Ties at the quota line are broken by
   the configured order; a tie that the order cannot break leaves the tied places empty for
   the committee and is flagged.
5. Committee overrides (reason required) come last. They may not contradict a binding rule
   (barred from 优秀, 不定等次, grade cap) and may not push the pool's 优秀 count above the
   quota unless approved, and never above the approved maximum percentage.
"""

from __future__ import annotations

import gc
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from models.errors import DomainError, FieldIssue, ValidationError
from models.grading_rules import (
    EFFECT_SEVERITY,
    GRADE_LEVEL,
    HUNDRED,
    QUARTERLY_GRADES,
    ZERO,
    AssessmentRules,
    Grade,
    PoolBy,
    QuotaBase,
    Rounding,
    SanctionEffect,
    to_decimal,
)
from models.grading_rules import _fmt as fmt_number

__all__ = [
    "Adjustment",
    "AppliedRule",
    "CompositeParts",
    "Override",
    "PersonInput",
    "PersonResult",
    "PoolSummary",
    "QuotaCalc",
    "RoundResult",
    "SanctionInForce",
    "composite_score",
    "evaluation_score",
    "excellent_quota",
    "fmt_number",
    "grade_round",
    "item_score",
    "quota_for",
]

Q2 = Decimal("0.01")
_WORST = Decimal("Infinity")  # sort key of a missing value (sorts last)
_LEVEL_GRADE = {v: k for k, v in GRADE_LEVEL.items()}
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
    """A sanction in force this year; ``year_offset`` 0 = the year it was given, 1 = next year."""

    code: str
    year_offset: int = 0
    note: str = ""


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

    def to_dict(self) -> dict[str, Any]:
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


@dataclass(frozen=True)
class RoundResult:
    rules_name: str
    people: tuple[PersonResult, ...]  # in input order
    pools: tuple[PoolSummary, ...]  # in order of first appearance

    def person(self, person_id: int | str) -> PersonResult:
        for r in self.people:
            if r.person_id == person_id:
                return r
        raise KeyError(person_id)

    def pool(self, pool_key: str) -> PoolSummary:
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


# ---------------------------------------------------------------------------------------
# single calculations


def _raise_issues(issues: list[FieldIssue], record: str) -> None:
    if not issues:
        return
    shown = issues[:_MAX_ISSUES_SHOWN]
    if len(issues) > _MAX_ISSUES_SHOWN:
        shown = [
            *shown,
            FieldIssue("", "其余", f"另有 {len(issues) - _MAX_ISSUES_SHOWN} 处问题未列出"),
        ]
    raise ValidationError(shown, record=record)


def _item_values(
    rules: AssessmentRules, raw: Mapping[str, Any], who: str, issues: list[FieldIssue]
) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    items = rules.items_by_code
    for code, value in raw.items():
        item = items.get(code)
        if item is None:
            issues.append(FieldIssue("item_scores", who, f"考核项目“{code}”不在本轮考核方案中"))
            continue
        if value is None:
            continue
        if type(value) is Decimal and value.is_finite():
            v = value
        else:
            try:
                v = to_decimal(value, f"“{item.name}”得分")
            except DomainError as exc:
                issues.append(FieldIssue(f"item_scores.{code}", who, exc.message))
                continue
        if not ZERO <= v <= item.full_score:
            issues.append(
                FieldIssue(
                    f"item_scores.{code}",
                    who,
                    f"“{item.name}”得分 {fmt_number(v)} 超出 0–{fmt_number(item.full_score)}",
                )
            )
            continue
        out[code] = v
    return out


def _items_score(
    rules: AssessmentRules, values: Mapping[str, Decimal]
) -> tuple[Decimal | None, list[str]]:
    """Weighted items score on a 0-100 scale, or None and the names of missing items."""
    total_w = ZERO
    acc = ZERO
    missing: list[str] = []
    for code, name, w, full in rules.weighted_items:
        v = values.get(code)
        if v is None:
            missing.append(name)
            continue
        total_w += w
        acc += v * w / full
    if missing or total_w == 0:
        return None, missing
    return q2(acc * HUNDRED / total_w), missing


def _items_score_fast(
    k: _Consts, values: Mapping[str, Decimal]
) -> tuple[Decimal | None, list[str]]:
    """:func:`_items_score` with each item's ``score × weight ÷ full`` taken from a memo table
    (the same Decimal operations on the same numbers give the same value)."""
    acc = ZERO
    for code, memo, w, full in k.item_terms:
        v = values.get(code)
        if v is None:
            return _items_score(k.rules, values)
        term = memo.get(v)
        if term is None:
            term = memo[v] = v * w / full
        acc += term
    if not k.item_terms or k.items_total_w == 0:
        return _items_score(k.rules, values)
    return q2(acc * HUNDRED / k.items_total_w), []


def _items_fast(k: _Consts, raw: Mapping[str, Any]) -> tuple[dict[str, Decimal], Decimal] | None:
    """:func:`_item_values` and :func:`_items_score` at once for the usual person: a Decimal
    score for every weighted item, in the scheme's order, each seen before in range. None
    when anything else (the careful path then checks and reports)."""
    if len(raw) != len(k.item_terms):
        return None
    values: dict[str, Decimal] = {}
    acc = ZERO
    for (code, v), (want, memo, _w, _full) in zip(raw.items(), k.item_terms, strict=True):
        if code != want or type(v) is not Decimal:
            return None
        try:
            term = memo.get(v)
        except TypeError:  # Decimal('sNaN') cannot be hashed: the careful path reports it
            return None
        if term is None:  # first time: only the careful path may add a value to the memo
            return None
        values[code] = v
        acc += term
    if not values or k.items_total_w == 0:
        return None
    return values, q2(acc * HUNDRED / k.items_total_w)


def item_score(
    rules: AssessmentRules, scores: Mapping[str, Any], *, who: str = "项目得分"
) -> Decimal:
    """Weighted items score (0-100, 2 places): Σ score/满分×有效权重 ÷ Σ有效权重 × 100.

    The effective weight is the item weight plus its key-topic extra weight. Raises
    :class:`ValidationError` for unknown items, out-of-range or missing scores.
    """
    issues: list[FieldIssue] = []
    values = _item_values(rules, scores, who, issues)
    score, missing = _items_score(rules, values)
    if missing:
        issues.append(FieldIssue("item_scores", who, f"缺少“{'”“'.join(missing)}”得分"))
    _raise_issues(issues, "项目得分")
    assert score is not None
    return score


class _Evaluation:
    """民主测评 result of one person (internal)."""

    __slots__ = ("excellent_share", "missing_groups", "score")

    def __init__(self) -> None:
        self.score: Decimal | None = None
        self.excellent_share: Decimal | None = None
        self.missing_groups: list[str] = []


def _group_votes(
    k: _Consts, code: str, counts: Mapping[str, int]
) -> tuple[int, int, Decimal | None] | None:
    """(votes, top-label votes, group score × group weight) of one group's well-formed
    counts, computed as in :func:`_evaluation`; None when anything is not well-formed."""
    group = k.groups.get(code)
    if group is None:
        return None
    ivalues = k.ivalues
    top_label = k.top_label
    n = 0
    top = 0
    pts: Any = 0
    for label, count in counts.items():
        if type(count) is not int or count < 0:
            return None
        value = ivalues.get(label)
        if value is None:
            return None
        n += count
        pts += value * count
        if label == top_label:
            top += count
    if n > 0:
        return n, top, (Decimal(pts) / n) * group.weight
    return n, top, None


class _Consts:
    """Per-call constants and memo tables of one :func:`grade_round` (internal).

    The memo tables hold results of the very same Decimal operations the plain code does
    (same operands, same order), so a value taken from them is identical to a fresh one."""

    __slots__ = (
        "group_list",
        "group_memo",
        "groups",
        "groups_total_w",
        "item_terms",
        "items_total_w",
        "ivalues",
        "layered",
        "n_groups",
        "quarter_info",
        "rules",
        "share_memo",
        "tie_kinds",
        "top_label",
        "neg_good",
        "eval_weight",
        "items_weight",
        "plain_caps",
        "average_memo",
    )

    def __init__(self, rules: AssessmentRules):
        self.rules = rules
        self.layered = rules.quota.pool_by is PoolBy.UNIT_LAYER
        total = ZERO
        terms = []
        for code, _name, w, full in rules.weighted_items:
            total += w
            terms.append((code, {}, w, full))
        self.items_total_w = total
        self.item_terms: tuple[tuple[str, dict[Decimal, Decimal], Decimal, Decimal], ...] = tuple(
            terms
        )
        self.groups = rules.groups_by_code
        self.group_list = tuple((g.code, g.name, g.weight) for g in rules.rater_groups)
        self.n_groups = len(self.groups)
        total = ZERO
        for g in rules.rater_groups:
            total += g.weight
        self.groups_total_w = total
        self.ivalues: Mapping[str, Any] = rules.vote_int_values or rules.vote_value_by_label
        self.top_label = rules.vote_values[0].label if rules.vote_values else None
        self.group_memo: dict[tuple[str, Any], tuple[int, int, Decimal | None]] = {}
        self.average_memo: dict[str, dict[Decimal, Decimal]] = {g: {} for g in self.groups}
        self.share_memo: dict[tuple[int, int], Decimal] = {}
        bar = rules.quarterly.bar_excellent_grades
        self.quarter_info = {g: (g == "好", g in bar) for g in QUARTERLY_GRADES}
        kinds: list[tuple[int, str, Decimal]] = []
        for key in rules.tie_break:
            if key == "evaluation":
                kinds.append((0, "", ZERO))
            elif key == "items":
                kinds.append((1, "", ZERO))
            elif key == "excellent_votes":
                kinds.append((2, "", ZERO))
            elif key == "quarterly_good":
                kinds.append((3, "", ZERO))
            else:  # item:<code>
                item = rules.items_by_code[key[5:]]
                kinds.append((4, item.code, item.full_score))
        self.tie_kinds = tuple(kinds)
        self.neg_good = tuple(-Decimal(n) for n in range(5))
        c = rules.composite
        self.eval_weight = c.evaluation_weight
        self.items_weight = c.items_weight
        self.plain_caps = (c.bonus_cap is None or c.bonus_cap >= 0) and (
            c.penalty_cap is None or c.penalty_cap >= 0
        )


def _evaluation_votes_fast(
    k: _Consts, votes: Mapping[str, Mapping[str, int]]
) -> _Evaluation | None:
    """:func:`_evaluation` for well-formed vote counts; None when anything needs the careful
    path (unknown group or label, a count that is not a whole number ≥ 0).

    Each group's counts are looked up in a memo table (the same counts give the same group
    score); a hit is only used when every count is an ``int`` (True or 1.0 compare equal to 1
    but are refused by the careful path)."""
    memo = k.group_memo
    weighted: dict[str, Decimal] = {}
    top = 0
    all_votes = 0
    for code, counts in votes.items():
        mk = (code, tuple(counts.items()))
        try:
            entry = memo.get(mk)
        except TypeError:  # an unhashable count: the careful path reports it
            return None
        if entry is None:
            entry = _group_votes(k, code, counts)
            if entry is None:
                return None
            memo[mk] = entry
        else:
            for count in counts.values():
                if type(count) is not int:
                    return None
        n, top_n, prod = entry
        if n > 0:
            weighted[code] = prod
            all_votes += n
            top += top_n
    result = _Evaluation()
    if all_votes:
        sk = (top, all_votes)
        share = k.share_memo.get(sk)
        if share is None:
            share = k.share_memo[sk] = Decimal(top) / Decimal(all_votes)
        result.excellent_share = share
    return _weighted_evaluation(k, weighted, result)


def _evaluation_averages_fast(k: _Consts, averages: Mapping[str, Any]) -> _Evaluation | None:
    """:func:`_evaluation` for well-formed group averages (Decimal, 0–100, known groups);
    None when anything needs the careful path."""
    memos = k.average_memo
    weighted: dict[str, Decimal] = {}
    for code, value in averages.items():
        memo = memos.get(code)
        if memo is None:
            return None
        if value is None:
            continue
        if type(value) is not Decimal or not value.is_finite():
            return None
        prod = memo.get(value)
        if prod is None:
            if not ZERO <= value <= HUNDRED:
                return None
            prod = memo[value] = value * k.groups[code].weight
        weighted[code] = prod
    return _weighted_evaluation(k, weighted, _Evaluation())


def _weighted_evaluation(
    k: _Consts, weighted: dict[str, Decimal], result: _Evaluation
) -> _Evaluation:
    """Σ group score × weight ÷ Σ weight over the groups that have data (in the scheme's
    order, as in :func:`_evaluation`)."""
    if not weighted:
        return result
    total_w = ZERO
    acc = ZERO
    if len(weighted) == k.n_groups:
        for code, _name, _w in k.group_list:
            acc += weighted[code]
        total_w = k.groups_total_w
    else:
        for code, name, gw in k.group_list:
            prod = weighted.get(code)
            if prod is None:
                result.missing_groups.append(name)
                continue
            total_w += gw
            acc += prod
    result.score = q2(acc / total_w)
    return result


def _evaluation(
    rules: AssessmentRules,
    votes: Mapping[str, Mapping[str, int]] | None,
    averages: Mapping[str, Any] | None,
    who: str,
    issues: list[FieldIssue],
) -> _Evaluation:
    groups = rules.groups_by_code
    result = _Evaluation()
    if votes is not None and averages is not None:
        issues.append(FieldIssue("votes", who, "民主测评只能填写票数或平均分之一，不能同时填写"))
        return result
    group_scores: dict[str, Decimal] = {}
    if votes is not None:
        values = rules.vote_value_by_label
        # integer points when every vote value is whole (the usual 100/80/60/40): faster, exact
        ivalues: Mapping[str, Any] = rules.vote_int_values or values
        top_label = rules.vote_values[0].label
        top = 0
        all_votes = 0
        for code, counts in votes.items():
            group = groups.get(code)
            if group is None:
                issues.append(FieldIssue("votes", who, f"民主测评评价组“{code}”不在本轮考核方案中"))
                continue
            n = 0
            pts: Any = 0
            for label, count in counts.items():
                if label not in values:
                    issues.append(
                        FieldIssue(
                            "votes", who, f"“{group.name}”组的票种“{label}”不在测评票分值表中"
                        )
                    )
                    continue
                if type(count) is not int or count < 0:
                    issues.append(
                        FieldIssue(
                            "votes",
                            who,
                            f"“{group.name}”组“{label}”票数 {count!r} 应为不小于 0 的整数",
                        )
                    )
                    continue
                n += count
                pts += ivalues[label] * count
                if label == top_label:
                    top += count
            if n > 0:
                group_scores[code] = Decimal(pts) / n
                all_votes += n
        if all_votes:
            result.excellent_share = Decimal(top) / Decimal(all_votes)
    elif averages is not None:
        for code, value in averages.items():
            group = groups.get(code)
            if group is None:
                issues.append(
                    FieldIssue("group_averages", who, f"民主测评评价组“{code}”不在本轮考核方案中")
                )
                continue
            if value is None:
                continue
            if type(value) is Decimal and value.is_finite():
                v = value
            else:
                try:
                    v = to_decimal(value, f"“{group.name}”组平均分")
                except DomainError as exc:
                    issues.append(FieldIssue("group_averages", who, exc.message))
                    continue
            if not ZERO <= v <= HUNDRED:
                issues.append(
                    FieldIssue(
                        "group_averages", who, f"“{group.name}”组平均分 {fmt_number(v)} 超出 0–100"
                    )
                )
                continue
            group_scores[code] = v
    if not group_scores:
        return result
    total_w = ZERO
    acc = ZERO
    for g in rules.rater_groups:
        s = group_scores.get(g.code)
        if s is None:
            result.missing_groups.append(g.name)
            continue
        total_w += g.weight
        acc += s * g.weight
    result.score = q2(acc / total_w)
    return result


def evaluation_score(
    rules: AssessmentRules,
    *,
    votes: Mapping[str, Mapping[str, int]] | None = None,
    averages: Mapping[str, Any] | None = None,
    who: str = "民主测评",
) -> Decimal:
    """民主测评 score (0-100, 2 places) from vote counts or from average scores per group.

    Votes: group score = Σ票数×分值 ÷ 有效票数. Averages are taken as the group score.
    Result = Σ组得分×组权重 ÷ Σ组权重 over the groups that have data (a group with no votes
    is left out and the others' weights are scaled up).
    """
    issues: list[FieldIssue] = []
    if votes is None and averages is None:
        issues.append(FieldIssue("votes", who, "没有民主测评票数或平均分"))
    ev = _evaluation(rules, votes, averages, who, issues)
    if not issues and ev.score is None:
        issues.append(FieldIssue("votes", who, "民主测评没有有效票"))
    _raise_issues(issues, "民主测评")
    assert ev.score is not None
    return ev.score


def _adjust(
    rules: AssessmentRules, adjustments: Sequence[Adjustment], who: str, issues: list[FieldIssue]
) -> tuple[Decimal, Decimal]:
    bonus = ZERO
    penalty = ZERO
    for n, a in enumerate(adjustments, start=1):
        try:
            pts = to_decimal(a.points, f"第 {n} 项加减分")
        except DomainError as exc:
            issues.append(FieldIssue("adjustments", who, exc.message))
            continue
        if not a.reason.strip():
            issues.append(
                FieldIssue(
                    "adjustments", who, f"第 {n} 项加减分（{fmt_number(pts)} 分）没有填写理由"
                )
            )
            continue
        if pts == 0:
            issues.append(FieldIssue("adjustments", who, f"第 {n} 项加减分（{a.reason}）分值为 0"))
            continue
        if pts > 0:
            bonus += pts
        else:
            penalty -= pts
    return bonus, penalty


def _combine(
    rules: AssessmentRules,
    evaluation: Decimal,
    items: Decimal,
    bonus_raw: Decimal,
    penalty_raw: Decimal,
) -> CompositeParts:
    c = rules.composite
    bonus = bonus_raw if c.bonus_cap is None else min(bonus_raw, c.bonus_cap)
    penalty = penalty_raw if c.penalty_cap is None else min(penalty_raw, c.penalty_cap)
    composite = q2(
        (evaluation * c.evaluation_weight + items * c.items_weight) / HUNDRED + bonus - penalty
    )
    return _frozen(
        CompositeParts,
        {
            "evaluation": evaluation,
            "items": items,
            "bonus": bonus,
            "penalty": penalty,
            "bonus_raw": bonus_raw,
            "penalty_raw": penalty_raw,
            "composite": composite,
        },
    )


def composite_score(
    rules: AssessmentRules,
    evaluation: Decimal | int | str,
    items: Decimal | int | str,
    adjustments: Sequence[Adjustment] = (),
) -> CompositeParts:
    """综合得分 = 测评×测评权重% + 项目×项目权重% + min(加分, 上限) − min(扣分, 上限), 2 places."""
    issues: list[FieldIssue] = []
    bonus, penalty = _adjust(rules, adjustments, "综合得分", issues)
    _raise_issues(issues, "加减分")
    return _combine(
        rules,
        q2(to_decimal(evaluation, "民主测评得分")),
        q2(to_decimal(items, "项目得分")),
        bonus,
        penalty,
    )


_ROUNDING = {
    Rounding.HALF_UP: ROUND_HALF_UP,
    Rounding.UP: ROUND_CEILING,
    Rounding.DOWN: ROUND_FLOOR,
}


def quota_for(percent: Decimal, people: int, rounding: Rounding, at_least_one: bool) -> QuotaCalc:
    """Whole-number quota: percent×people/100 rounded by ``rounding``; "at least one" when
    the pool has anybody and rounding gave 0."""
    if people < 0:
        raise DomainError(f"人数 {people} 不能为负数")
    raw = percent * people / HUNDRED
    rounded = int(raw.quantize(Decimal(1), rounding=_ROUNDING[rounding]))
    bump = at_least_one and people > 0 and rounded == 0 and percent > 0
    return QuotaCalc(people, percent, raw, rounding, rounded, bump, 1 if bump else rounded)


def excellent_quota(rules: AssessmentRules, people: int, *, raised: bool = False) -> QuotaCalc:
    """优秀 quota of a pool of ``people``; ``raised`` uses the approved maximum percentage."""
    q = rules.quota
    return quota_for(q.max_percent if raised else q.percent, people, q.rounding, q.at_least_one)


# ---------------------------------------------------------------------------------------
# the round


class _Work:
    """Mutable per-person state while grading (internal)."""

    __slots__ = (
        "auto",
        "barred",
        "candidate",
        "cap",
        "cap_texts",
        "eval",
        "flags",
        "good",
        "index",
        "items",
        "key",
        "no_grade",
        "override",
        "override_grade",
        "parts",
        "person",
        "pool_key",
        "pool_text",
        "cand_pos",
        "rank",
        "rules",
        "system",
        "warnings",
        "who",
    )

    def __init__(self, person: PersonInput, index: int, who: str):
        self.person = person
        self.index = index
        self.who = who
        self.pool_key = ""
        self.rules: list[AppliedRule] = []
        self.flags: list[str] = []
        self.warnings: list[str] = []
        self.pool_text = ""
        self.cand_pos: int | None = None  # place among those who may be 优秀
        self.no_grade: str | None = None  # category when forced 不定等次
        self.auto: Grade | None = None  # fixed grade from rules (None: by score)
        self.cap = 4  # best grade level allowed
        self.cap_texts: list[str] = []
        self.barred = False
        self.candidate = False
        self.parts: CompositeParts | None = None
        self.eval: _Evaluation | None = None
        self.items: Decimal | None = None
        self.good = 0
        self.key: tuple[Decimal, ...] = ()
        self.rank: int | None = None
        self.system: Grade = Grade.UNDETERMINED
        self.override: Override | None = None
        self.override_grade: Grade | None = None


def _who(p: PersonInput) -> str:
    return f"{p.name or '（无姓名）'}（{p.person_id}）"


_SANCTION_TEXT = {
    SanctionEffect.BAR_EXCELLENT: "本年度不得评为优秀",
    SanctionEffect.NO_GRADE: "只写评语不定等次",
    SanctionEffect.FORCE_INCOMPETENT: "本年度定为不称职",
    SanctionEffect.FORCE_BASIC: "本年度定为基本称职",
}


def _sanctions(
    rules: AssessmentRules, p: PersonInput, w: _Work, who: str, issues: list[FieldIssue]
) -> tuple[list[SanctionEffect], bool]:
    effects: list[SanctionEffect] = []
    sanction_no_grade = False
    for s in p.sanctions:
        rule = rules.sanctions_by_code.get(s.code)
        if rule is None:
            issues.append(FieldIssue("sanctions", who, f"处分“{s.code}”不在处分影响表中"))
            continue
        if s.year_offset < 0:
            issues.append(
                FieldIssue(
                    "sanctions", who, f"处分“{rule.name}”的年度序号 {s.year_offset} 不能为负数"
                )
            )
            continue
        when = "" if s.year_offset == 0 else f"（影响期第 {s.year_offset + 1} 年）"
        if s.year_offset >= len(rule.effects):
            w.warnings.append(f"“{rule.name}”影响期已过，不影响本年度等次")
            continue
        effect = rule.effects[s.year_offset]
        effects.append(effect)
        text = _SANCTION_TEXT[effect]
        w.rules.append(AppliedRule(f"sanction:{rule.code}", f"受{rule.name}{when}，{text}"))
        if effect is SanctionEffect.NO_GRADE:
            sanction_no_grade = True
    if len(set(effects)) > 1:
        heaviest = max(effects, key=EFFECT_SEVERITY.__getitem__)
        w.rules.append(
            AppliedRule("sanction:heaviest", f"多项处分并存，按最重的“{heaviest.value}”处理")
        )
    return effects, sanction_no_grade


def _prepare(k: _Consts, p: PersonInput, index: int, issues: list[FieldIssue]) -> _Work:
    rules = k.rules
    who = f"{p.name or '（无姓名）'}（{p.person_id}）"
    w = _Work(p, index, who)
    n_issues = len(issues)
    if not str(p.name).strip():
        issues.append(FieldIssue("name", who, "姓名不能为空"))
    if not p.unit.strip():
        issues.append(FieldIssue("unit", who, "所属单位不能为空"))
    if k.layered:
        if not p.layer.strip():
            issues.append(
                FieldIssue("layer", who, "按单位内职级层次分配优秀名额时，职级层次不能为空")
            )
        w.pool_key = f"{p.unit}｜{p.layer}"
    else:
        w.pool_key = p.unit

    # --- binding rules: sanctions and status -------------------------------------------
    if p.sanctions:
        effects, sanction_no_grade = _sanctions(rules, p, w, who, issues)
    else:
        effects, sanction_no_grade = [], False

    status_no_grade: list[str] = []
    st = rules.status
    if p.on_probation and st.probation_no_grade:
        w.rules.append(AppliedRule("status:probation", "试用期内，只写评语不定等次"))
        status_no_grade.append(NO_GRADE_PROBATION)
    if p.under_investigation and st.investigation_no_grade:
        w.rules.append(
            AppliedRule(
                "status:investigation", "立案审查尚未结案，不写评语、不定等次（结案后视情况补定）"
            )
        )
        status_no_grade.append(NO_GRADE_OTHER)
    leave = p.leave_days
    if (
        type(leave) is not int
        and (isinstance(leave, bool) or not isinstance(leave, int))
        or not 0 <= leave <= 366
    ):
        issues.append(FieldIssue("leave_days", who, f"病事假天数 {leave!r} 应为 0–366 的整数"))
    elif st.long_leave_days is not None and leave >= st.long_leave_days:
        w.rules.append(
            AppliedRule(
                "status:long_leave",
                f"病事假 {leave} 天（达到 {st.long_leave_days} 天），不定等次",
            )
        )
        status_no_grade.append(NO_GRADE_OTHER)

    if effects or status_no_grade:
        if SanctionEffect.FORCE_INCOMPETENT in effects:
            w.auto = Grade.INCOMPETENT
        elif sanction_no_grade or status_no_grade:
            w.auto = Grade.UNDETERMINED
            w.no_grade = (
                NO_GRADE_SANCTION
                if sanction_no_grade
                else (
                    NO_GRADE_PROBATION if NO_GRADE_PROBATION in status_no_grade else NO_GRADE_OTHER
                )
            )
        elif SanctionEffect.FORCE_BASIC in effects:
            w.auto = Grade.BASIC
        if SanctionEffect.BAR_EXCELLENT in effects:
            w.cap = min(w.cap, 3)

    # --- veto items -----------------------------------------------------------------------
    fast = _items_fast(k, p.item_scores)
    if fast is None:
        values = _item_values(rules, p.item_scores, who, issues)
        items, missing = _items_score_fast(k, values)
    else:
        values, items = fast
        missing = []
    vetoed: set[str] = set()
    if p.veto_failures:
        items_by_code = rules.items_by_code
        for code in p.veto_failures:
            item = items_by_code.get(code)
            if item is None or not item.is_veto:
                issues.append(
                    FieldIssue("veto_failures", who, f"“{code}”不是本轮考核方案中的一票否决项目")
                )
                continue
            vetoed.add(code)
            w.rules.append(
                AppliedRule(
                    f"veto:{code}",
                    f"“{item.name}”一票否决，等次最高为{item.veto_max_grade.value}",
                )
            )
            w.cap = min(w.cap, GRADE_LEVEL[item.veto_max_grade])
    for item in rules.veto_line_items:
        v = values.get(item.code)
        if (
            item.veto_below is not None
            and v is not None
            and v < item.veto_below
            and item.code not in vetoed
        ):
            w.rules.append(
                AppliedRule(
                    f"veto:{item.code}",
                    f"“{item.name}”得分 {fmt_number(v)} 低于否决线 {fmt_number(item.veto_below)}，"
                    f"一票否决，等次最高为{item.veto_max_grade.value}",
                )
            )
            w.cap = min(w.cap, GRADE_LEVEL[item.veto_max_grade])

    # --- 平时考核 ----------------------------------------------------------------------------
    qr = rules.quarterly
    quarters = p.quarterly_grades
    if len(quarters) > 4:
        issues.append(FieldIssue("quarterly_grades", who, "平时考核最多 4 个季度"))
    bad_quarters: list[int] = []
    good = 0
    qinfo = k.quarter_info
    for qn, g in enumerate(quarters, start=1):
        if g is None:
            continue
        info = qinfo.get(g)
        if info is None:
            issues.append(
                FieldIssue(
                    "quarterly_grades", who, f"第 {qn} 季度平时考核等次“{g}”应为好/较好/一般/较差"
                )
            )
            continue
        if info[0]:
            good += 1
        if info[1]:
            bad_quarters.append(qn)
    w.good = good
    if bad_quarters:
        qs = "、".join(f"第 {q} 季度" for q in bad_quarters)
        grades = "/".join(qr.bar_excellent_grades)
        w.rules.append(AppliedRule("quarterly:bar", f"{qs}平时考核为{grades}，不得评为优秀"))
        w.cap = min(w.cap, 3)
    if qr.min_good_for_excellent and good < qr.min_good_for_excellent:
        w.rules.append(
            AppliedRule(
                "quarterly:min_good",
                f"平时考核“好”等次 {good} 次，少于 {qr.min_good_for_excellent} 次，不得评为优秀",
            )
        )
        w.cap = min(w.cap, 3)

    # --- scores -----------------------------------------------------------------------------
    required = w.auto is None
    c = rules.composite
    if items is None and c.items_weight > 0 and required:
        names = "”“".join(missing) if missing else "全部项目"
        issues.append(FieldIssue("item_scores", who, f"缺少“{names}”得分"))
    w.items = items
    ev: _Evaluation | None = None
    if p.votes is not None:
        if p.group_averages is None:
            ev = _evaluation_votes_fast(k, p.votes)
    elif p.group_averages is not None:
        ev = _evaluation_averages_fast(k, p.group_averages)
    if ev is None:
        ev = _evaluation(rules, p.votes, p.group_averages, who, issues)
    w.eval = ev
    if ev.score is None and c.evaluation_weight > 0 and required:
        issues.append(FieldIssue("votes", who, "缺少民主测评票数或平均分（或没有有效票）"))
    if ev.score is not None and ev.missing_groups:
        w.warnings.append(f"民主测评缺少“{'”“'.join(ev.missing_groups)}”组，按其余各组权重折算")
    if p.adjustments:
        bonus, penalty = _adjust(rules, p.adjustments, who, issues)
    else:
        bonus = penalty = ZERO
    if (items is not None or c.items_weight == 0) and (
        ev.score is not None or c.evaluation_weight == 0
    ):
        if bonus is ZERO and penalty is ZERO and k.plain_caps:
            # _combine with nothing to add or take away: min(0, cap ≥ 0) is 0, and adding
            # and taking away an exact 0 leaves the value before rounding unchanged
            evaluation = ev.score or ZERO
            item_part = items or ZERO
            w.parts = _frozen(
                CompositeParts,
                {
                    "evaluation": evaluation,
                    "items": item_part,
                    "bonus": ZERO,
                    "penalty": ZERO,
                    "bonus_raw": ZERO,
                    "penalty_raw": ZERO,
                    "composite": q2(
                        (evaluation * k.eval_weight + item_part * k.items_weight) / HUNDRED
                    ),
                },
            )
        else:
            w.parts = _combine(rules, ev.score or ZERO, items or ZERO, bonus, penalty)

    # --- grade before the quota ---------------------------------------------------------
    t = rules.thresholds
    if w.auto is None and w.parts is not None:
        comp = w.parts.composite
        floor = t.excellent_min if t.excellent_min is not None else t.competent_min
        if comp >= floor:
            level = 4
        elif comp >= t.competent_min:
            level = 3
            w.rules.append(
                AppliedRule(
                    "score:below_excellent",
                    f"综合得分 {comp} 未达优秀分数线 {fmt_number(floor)}",
                )
            )
        elif comp >= t.basic_min:
            level = 2
            w.rules.append(
                AppliedRule(
                    "score:basic",
                    f"综合得分 {comp} 低于称职分数线 {fmt_number(t.competent_min)}，"
                    "按得分为基本称职",
                )
            )
        else:
            level = 1
            w.rules.append(
                AppliedRule(
                    "score:incompetent",
                    f"综合得分 {comp} 低于基本称职分数线 {fmt_number(t.basic_min)}，按得分为不称职",
                )
            )
        if level > w.cap:
            level = w.cap
        if level == 4:
            w.candidate = True
            w.system = Grade.COMPETENT  # placeholder until the pool quota is applied
        else:
            w.system = _LEVEL_GRADE[level]
    elif w.auto is not None:
        if w.auto is Grade.UNDETERMINED:
            w.system = Grade.UNDETERMINED
        else:
            w.system = _LEVEL_GRADE[min(GRADE_LEVEL[w.auto], w.cap)]
    w.barred = w.auto is not None or w.cap < 4
    if w.barred:
        w.flags.append(FLAG_BARRED)

    # --- sort key: composite, then the tie-break order (higher first) -------------------
    if w.parts is not None:
        key = [-w.parts.composite]
        for kind, code, full in k.tie_kinds:
            if kind == 0:
                v = ev.score
            elif kind == 1:
                v = items
            elif kind == 2:
                v = ev.excellent_share
            elif kind == 3:
                key.append(k.neg_good[good])
                continue
            else:
                raw = values.get(code)
                v = None if raw is None else raw / full
            key.append(_WORST if v is None else -v)
        w.key = tuple(key)

    # --- override (static checks; quota checks are per pool) ---------------------------
    o = p.override
    if o is not None and len(issues) == n_issues:
        try:
            og = Grade(o.grade)
        except ValueError:
            issues.append(
                FieldIssue("override", who, f"考核委员会调整的等次“{o.grade}”不是有效等次")
            )
            return w
        if not o.reason.strip():
            issues.append(
                FieldIssue("override.reason", who, f"考核委员会调整为{og.value}，必须填写理由")
            )
            return w
        problem = _override_problem(w, og)
        if problem:
            issues.append(FieldIssue("override", who, problem))
            return w
        w.override = o
        w.override_grade = og
    return w


def _tie_value(
    key: str, w: _Work, values: Mapping[str, Decimal], rules: AssessmentRules
) -> Decimal:
    """Negated value for ascending sort; a missing value sorts last."""
    v: Decimal | None
    if key == "evaluation":
        v = w.eval.score if w.eval else None
    elif key == "items":
        v = w.items
    elif key == "excellent_votes":
        v = w.eval.excellent_share if w.eval else None
    elif key == "quarterly_good":
        v = Decimal(w.good)
    else:  # item:<code>
        item = rules.items_by_code[key[5:]]
        raw = values.get(item.code)
        v = None if raw is None else raw / item.full_score
    return _WORST if v is None else -v


def _override_problem(w: _Work, og: Grade) -> str | None:
    """Why an override contradicts a binding rule, or None."""
    reasons = "；".join(r.text for r in w.rules if not r.code.startswith("score:")) or "规则限制"
    if og is Grade.UNDETERMINED:
        return None
    if w.auto is Grade.UNDETERMINED:
        return f"{reasons}，考核委员会不能调整为{og.value}"
    if og is Grade.EXCELLENT and w.barred:
        return f"{reasons}，考核委员会不能调整为优秀"
    limit = min(w.cap, GRADE_LEVEL[w.auto]) if w.auto is not None else w.cap
    if GRADE_LEVEL[og] > limit:
        return f"{reasons}，等次最高为{_LEVEL_GRADE[limit].value}，考核委员会不能调整为{og.value}"
    return None


@dataclass
class _Tie:
    composite: Decimal
    members: list[_Work]
    resolved: bool
    decider: str  # Chinese label of the key that decided, "" when unresolved
    unresolved: list[_Work]
    line_key: tuple[Decimal, ...]  # key of the last place inside the quota
    next_key: tuple[Decimal, ...]  # key of the first place outside


def _first_difference(a: tuple[Decimal, ...], b: tuple[Decimal, ...]) -> int:
    return next(i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y)


def _fill(cands: list[_Work], slots: int, rules: AssessmentRules) -> tuple[set[int], _Tie | None]:
    """Pick ``slots`` candidates (already sorted). Returns chosen indexes and the line tie."""
    if slots <= 0:
        return set(), None
    if len(cands) <= slots:
        return {w.index for w in cands}, None
    line, nxt = cands[slots - 1], cands[slots]
    chosen = {w.index for w in cands[:slots]}
    if line.key[0] != nxt.key[0]:
        return chosen, None
    comp = -line.key[0]
    members = [w for w in cands if w.key[0] == line.key[0]]
    if line.key == nxt.key:
        unresolved = [w for w in cands if w.key == line.key]
        for w in unresolved:
            chosen.discard(w.index)
        return chosen, _Tie(comp, members, False, "", unresolved, line.key, nxt.key)
    pos = _first_difference(line.key, nxt.key)
    label = rules.tie_break_label(rules.tie_break[pos - 1])
    return chosen, _Tie(comp, members, True, label, [], line.key, nxt.key)


def grade_round(
    rules: AssessmentRules,
    people: Sequence[PersonInput],
    *,
    approved_pools: Collection[str] = (),
) -> RoundResult:
    """Grade a whole round.

    ``approved_pools``: pool keys allowed to use the raised (maximum) 优秀 percentage.
    Raises :class:`ValidationError` listing every bad input (person and field), and
    :class:`DomainError` when committee overrides exceed a pool's quota without approval or
    exceed the approved maximum.
    """
    # The round allocates several objects per person and creates no reference cycles; the
    # cyclic garbage collector would only rescan them (about a third of the run time at
    # 50,000 people), so it is paused for the call and restored afterwards.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _grade_round(rules, people, approved_pools)
    finally:
        if gc_was_enabled:
            gc.enable()


def _grade_round(
    rules: AssessmentRules, people: Sequence[PersonInput], approved_pools: Collection[str]
) -> RoundResult:
    issues: list[FieldIssue] = []
    seen: set[int | str] = set()
    works: list[_Work] = []
    k = _Consts(rules)
    for i, p in enumerate(people):
        if p.person_id in seen:
            issues.append(FieldIssue("person_id", _who(p), "人员编号在本轮中重复"))
        seen.add(p.person_id)
        works.append(_prepare(k, p, i, issues))
    pools: dict[str, list[_Work]] = {}
    for w in works:
        pools.setdefault(w.pool_key, []).append(w)
    issues.extend(
        FieldIssue("approved_pools", key, "批准提高优秀比例的考核范围在本轮没有人员")
        for key in approved_pools
        if key not in pools
    )
    _raise_issues(issues, "年度考核")

    errors: list[str] = []
    summaries = [
        _grade_pool(rules, key, members, key in approved_pools, errors)
        for key, members in pools.items()
    ]
    if errors:
        raise DomainError("；".join(errors), field="override")
    results = tuple(_result(rules, w) for w in works)
    return RoundResult(rules.name, results, tuple(summaries))


def _pool_label(rules: AssessmentRules, members: list[_Work]) -> tuple[str, str, str]:
    p = members[0].person
    if rules.quota.pool_by is PoolBy.UNIT_LAYER:
        return p.unit, p.layer, f"{p.unit}（{p.layer}）"
    return p.unit, "", p.unit


def _grade_pool(
    rules: AssessmentRules, key: str, members: list[_Work], raised: bool, errors: list[str]
) -> PoolSummary:
    unit, layer, label = _pool_label(rules, members)
    n = len(members)
    if rules.quota.base is QuotaBase.GRADED:
        base_n = sum(
            1
            for w in members
            if (w.override_grade if w.override_grade is not None else w.system)
            is not Grade.UNDETERMINED
        )
    else:
        base_n = n
    quota = excellent_quota(rules, base_n, raised=raised)
    max_quota = excellent_quota(rules, base_n, raised=True)
    warnings: list[str] = []

    ranked = sorted((w for w in members if w.parts is not None), key=lambda w: w.key)
    prev: tuple[Decimal, ...] | None = None
    rank = 0
    for pos, w in enumerate(ranked, start=1):
        if w.key != prev:
            rank = pos
            prev = w.key
        w.rank = rank

    # the system's suggestion, as if nobody were overridden
    cands = [w for w in ranked if w.candidate]
    for pos, w in enumerate(cands, start=1):
        w.cand_pos = pos
    auto_chosen, _ = _fill(cands, quota.quota, rules)

    # committee overrides to 优秀 take their places first
    ov_exc = [w for w in members if w.override_grade is Grade.EXCELLENT]
    if len(ov_exc) > quota.quota:
        unapproved = [w for w in ov_exc if w.override is not None and not w.override.approved]
        if unapproved:
            errors.append(
                f"{label}：优秀名额 {quota.quota} 名，考核委员会调整为优秀的有 {len(ov_exc)} 名，"
                f"超出名额；{'、'.join(w.who for w in unapproved)} 的调整未经批准"
            )
        elif len(ov_exc) > max_quota.quota:
            errors.append(
                f"{label}：考核委员会调整为优秀的有 {len(ov_exc)} 名，即使经批准也不能超过"
                f" {fmt_number(rules.quota.max_percent)}%（{max_quota.text}）"
            )
        else:
            warnings.append(
                f"考核委员会经批准将 {len(ov_exc)} 人调整为优秀，超出名额 {quota.quota} 名"
            )
            for w in ov_exc:
                w.flags.append(FLAG_OVER_QUOTA)
    for w in ov_exc:
        if not w.candidate:
            w.warnings.append("本人未达优秀排名条件，由考核委员会调整为优秀")
    slots = max(0, quota.quota - len(ov_exc))
    free = [w for w in cands if w.override is None]
    chosen, tie = _fill(free, slots, rules)

    if tie is not None:
        names = "、".join(w.person.name for w in tie.members)
        for w in tie.members:
            w.flags.append(FLAG_TIE)
            if tie.resolved or w not in tie.unresolved:
                inside = w.index in chosen
                pos = _first_difference(w.key, tie.next_key if inside else tie.line_key)
                decider = rules.tie_break_label(rules.tie_break[pos - 1])
                got = "获得优秀名额" if inside else "未获得优秀名额"
                w.rules.append(
                    AppliedRule(
                        "tie:resolved",
                        f"名额线并列（综合得分同为 {tie.composite}），按{decider}确定，{got}",
                    )
                )
        if tie.resolved:
            warnings.append(
                f"名额线并列：{names}（综合得分 {tie.composite}），已按{tie.decider}确定"
            )
        else:
            for w in tie.unresolved:
                w.flags.append(FLAG_TIE_UNRESOLVED)
                w.warnings.append("名额线完全并列，需考核委员会确定")
                w.rules.append(
                    AppliedRule(
                        "tie:unresolved",
                        "名额线并列，综合得分及各项排序依据均相同，无法按规则确定，"
                        "暂定称职，需考核委员会确定",
                    )
                )
            warnings.append(
                f"名额线完全并列：{'、'.join(w.person.name for w in tie.unresolved)}"
                f"（综合得分 {tie.composite}），空出 {slots - len(chosen)} 个优秀名额"
                "待考核委员会确定"
            )

    counts = dict.fromkeys(Grade, 0)
    no_grade_counts = {NO_GRADE_PROBATION: 0, NO_GRADE_SANCTION: 0, NO_GRADE_OTHER: 0}
    for w in members:
        if w.candidate:
            if w.override is not None:
                w.system = Grade.EXCELLENT if w.index in auto_chosen else Grade.COMPETENT
            elif w.index in chosen:
                w.system = Grade.EXCELLENT
                w.rules.append(
                    AppliedRule("quota:selected", f"排名在优秀名额（{quota.quota} 名）内，评为优秀")
                )
            else:
                w.system = Grade.COMPETENT
                if w.index in auto_chosen and ov_exc:
                    w.flags.append(FLAG_DISPLACED)
                    w.rules.append(
                        AppliedRule(
                            "quota:displaced",
                            "因考核委员会将他人调整为优秀，未获得优秀名额，定为称职",
                        )
                    )
                elif FLAG_TIE_UNRESOLVED not in w.flags:
                    w.rules.append(
                        AppliedRule(
                            "quota:not_selected",
                            f"排名未进入优秀名额（{quota.quota} 名），定为称职",
                        )
                    )
        final = w.override_grade if w.override_grade is not None else w.system
        counts[final] += 1
        if final is Grade.UNDETERMINED:
            no_grade_counts[w.no_grade or NO_GRADE_OTHER] += 1

    # 平时考核: cap on 好 per quarter (a warning; past quarters are not re-graded here)
    cap_pct = rules.quarterly.good_cap_percent
    if cap_pct is not None:
        cap = quota_for(cap_pct, n, rules.quota.rounding, False)
        good_per_quarter = [0, 0, 0, 0]
        for w in members:
            for qi, g in enumerate(w.person.quarterly_grades[:4]):
                if g == "好":
                    good_per_quarter[qi] += 1
        for qi, good in enumerate(good_per_quarter):
            if good > cap.quota:
                warnings.append(
                    f"第 {qi + 1} 季度平时考核“好”等次 {good} 人，超过上限 {cap.quota} 人"
                    f"（{cap.text}）"
                )

    if rules.quota.pool_by is PoolBy.UNIT:
        pool_text = f"本单位 {n} 人"
    else:
        pool_text = f"本单位“{layer}”层次 {n} 人"
    if base_n != n:
        pool_text += f"（确定等次 {base_n} 人）"
    raised_text = f"（经批准按 {fmt_number(rules.quota.max_percent)}%）" if raised else ""
    pool_text += f"，优秀名额{raised_text or ' '}{quota.text}"
    count_text = "、".join(f"{g.value} {counts[g]} 人" for g in Grade if counts[g])
    explanation = f"{label}：{pool_text}；{count_text}"
    if warnings:
        explanation += "；" + "；".join(warnings)
    explanation += "。"
    for w in members:
        w.pool_text = pool_text
    return PoolSummary(
        pool_key=key,
        unit=unit,
        layer=layer,
        people=n,
        quota=quota,
        raised_quota=raised,
        max_quota=max_quota.quota,
        counts=counts,
        no_grade_counts=no_grade_counts,
        excellent_overrides=len(ov_exc),
        warnings=tuple(warnings),
        explanation=explanation,
    )


def _score_text(rules: AssessmentRules, parts: CompositeParts | None) -> str:
    if parts is None:
        return "未计算综合得分"
    ew, iw = rules.composite_weight_texts
    s = f"综合得分 {parts.composite}（测评 {parts.evaluation}×{ew}% + 项目 {parts.items}×{iw}%"
    if parts.bonus:
        s += f" + 加分 {fmt_number(parts.bonus)}"
        if parts.bonus != parts.bonus_raw:
            s += f"（合计 {fmt_number(parts.bonus_raw)}，封顶 {fmt_number(parts.bonus)}）"
    if parts.penalty:
        s += f" − 扣分 {fmt_number(parts.penalty)}"
        if parts.penalty != parts.penalty_raw:
            s += f"（合计 {fmt_number(parts.penalty_raw)}，封顶 {fmt_number(parts.penalty)}）"
    return s + "）"


def _frozen(cls: type[Any], values: dict[str, Any]) -> Any:
    """An instance of a frozen dataclass from a dict of all its fields, without the generated
    ``__init__`` (one ``object.__setattr__`` per field): the same object, several times
    cheaper, for the tens of thousands of results of a round."""
    obj = object.__new__(cls)
    obj.__dict__.update(values)
    return obj


def _result(rules: AssessmentRules, w: _Work) -> PersonResult:
    p = w.person
    system = w.system
    og = w.override_grade
    final = og if og is not None else system
    parts = w.parts
    rank = w.rank
    o = w.override
    sentences = [_score_text(rules, parts)]
    if w.pool_text:
        sentences.append(w.pool_text)
    if rank is not None:
        cp = w.cand_pos
        if cp is not None and cp != rank:
            sentences.append(f"排名第 {rank}（在可评优秀人员中排第 {cp}）")
        else:
            sentences.append(f"排名第 {rank}")
    wrules = w.rules
    if wrules:
        sentences.extend([r.text for r in wrules if r.text])
    if o is None:
        rules_out = tuple(wrules)
        flags = tuple(w.flags)
        reason = ""
        approved = False
    else:
        reason = o.reason.strip()
        approved = bool(o.approved)
        text = (
            f"系统建议{system.value}，考核委员会调整为{final.value}"
            f"（理由：{reason}{'，经批准' if o.approved else ''}）"
        )
        rules_out = (*wrules, AppliedRule("override", text))
        flags = (*w.flags, FLAG_OVERRIDDEN)
        sentences.append(text)
    sentences.append(f"拟定等次：{final.value}")
    ev = w.eval
    return _frozen(
        PersonResult,
        {
            "person_id": p.person_id,
            "name": p.name,
            "unit": p.unit,
            "layer": p.layer,
            "pool_key": w.pool_key,
            "evaluation_score": ev.score if ev else None,
            "items_score": w.items,
            "bonus": parts.bonus if parts else ZERO,
            "penalty": parts.penalty if parts else ZERO,
            "composite": parts.composite if parts else None,
            "rank": rank,
            "system_grade": system,
            "proposed_grade": final,
            "barred_from_excellent": w.barred,
            "no_grade_category": (w.no_grade or NO_GRADE_OTHER)
            if final is Grade.UNDETERMINED
            else None,
            "override_reason": reason,
            "override_approved": approved,
            "rules": rules_out,
            "flags": flags,
            "warnings": tuple(w.warnings),
            "explanation": "；".join(sentences) + "。",
        },
    )
