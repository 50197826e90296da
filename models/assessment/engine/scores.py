"""Single calculations of the 五项考核 rule engine: items score, 民主测评 score, 加减分 and
composite, each checking its input carefully (the fast paths of
:mod:`models.assessment.engine.fast` hand anything unusual back to these)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from models.assessment.engine.types import (
    Adjustment,
    CompositeParts,
    frozen_instance,
    q2,
    raise_issues,
)
from models.assessment.rules.numbers import HUNDRED, ZERO, fmt_number, to_decimal
from models.assessment.rules.types import AssessmentRules
from models.core.errors import DomainError, FieldIssue


def item_values(
    rules: AssessmentRules, raw: Mapping[str, Any], who: str, issues: list[FieldIssue]
) -> dict[str, Decimal]:
    """The item scores that are usable (item of the scheme, a number within 0–满分); every
    other entry is added to ``issues``, an empty score is left out."""
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


def items_score_of(
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


def item_score(
    rules: AssessmentRules, scores: Mapping[str, Any], *, who: str = "项目得分"
) -> Decimal:
    """Weighted items score (0-100, 2 places): Σ score/满分×有效权重 ÷ Σ有效权重 × 100.

    The effective weight is the item weight plus its key-topic extra weight. Raises
    :class:`ValidationError` for unknown items, out-of-range or missing scores.
    """
    issues: list[FieldIssue] = []
    values = item_values(rules, scores, who, issues)
    score, missing = items_score_of(rules, values)
    if missing:
        issues.append(FieldIssue("item_scores", who, f"缺少“{'”“'.join(missing)}”得分"))
    raise_issues(issues, "项目得分")
    assert score is not None
    return score


class Evaluation:
    """民主测评 result of one person: the score, the share of 优秀 votes, missing groups."""

    __slots__ = ("excellent_share", "missing_groups", "score")

    def __init__(self) -> None:
        self.score: Decimal | None = None
        self.excellent_share: Decimal | None = None
        # names of the groups without data; a new list is set when there are any
        self.missing_groups: Sequence[str] = ()


def evaluation_of(
    rules: AssessmentRules,
    votes: Mapping[str, Mapping[str, int]] | None,
    averages: Mapping[str, Any] | None,
    who: str,
    issues: list[FieldIssue],
) -> Evaluation:
    groups = rules.groups_by_code
    result = Evaluation()
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
    missing: list[str] = []
    for g in rules.rater_groups:
        s = group_scores.get(g.code)
        if s is None:
            missing.append(g.name)
            continue
        total_w += g.weight
        acc += s * g.weight
    if missing:
        result.missing_groups = missing
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
    ev = evaluation_of(rules, votes, averages, who, issues)
    if not issues and ev.score is None:
        issues.append(FieldIssue("votes", who, "民主测评没有有效票"))
    raise_issues(issues, "民主测评")
    assert ev.score is not None
    return ev.score


def adjustments_of(
    rules: AssessmentRules, adjustments: Sequence[Adjustment], who: str, issues: list[FieldIssue]
) -> tuple[Decimal, Decimal]:
    """(加分, 扣分 as a positive number) before the caps; bad entries go to ``issues``."""
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


def combine_parts(
    rules: AssessmentRules,
    evaluation: Decimal,
    items: Decimal,
    bonus_raw: Decimal,
    penalty_raw: Decimal,
) -> CompositeParts:
    """The composite of rounded parts: the caps applied to 加分 and 扣分, then 2 places."""
    c = rules.composite
    bonus = bonus_raw if c.bonus_cap is None else min(bonus_raw, c.bonus_cap)
    penalty = penalty_raw if c.penalty_cap is None else min(penalty_raw, c.penalty_cap)
    composite = q2(
        (evaluation * c.evaluation_weight + items * c.items_weight) / HUNDRED + bonus - penalty
    )
    return frozen_instance(
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
    bonus, penalty = adjustments_of(rules, adjustments, "综合得分", issues)
    raise_issues(issues, "加减分")
    return combine_parts(
        rules,
        q2(to_decimal(evaluation, "民主测评得分")),
        q2(to_decimal(items, "项目得分")),
        bonus,
        penalty,
    )
