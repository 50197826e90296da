"""Fast paths of the 五项考核 rule engine: the items and 民主测评 scores of the usual,
well-formed person from per-round memo tables (:class:`RoundConsts`). Each
gives exactly what the careful functions of :mod:`models.assessment.engine.scores` give (the same
Decimal operations on the same numbers) and hands anything unusual back to them (None)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from models.assessment.engine.scores import Evaluation, items_score_of
from models.assessment.engine.types import Q2, AppliedRule, q2
from models.assessment.rules.numbers import HUNDRED, ZERO, fmt_number
from models.assessment.rules.pools import pools_by_layer
from models.assessment.rules.quarterly import QUARTERLY_GRADES
from models.assessment.rules.types import AssessmentRules


def items_score_fast(
    k: RoundConsts, values: Mapping[str, Decimal]
) -> tuple[Decimal | None, list[str]]:
    """:func:`items_score_of` with each item's ``score × weight ÷ full`` taken from a memo table
    (the same Decimal operations on the same numbers give the same value)."""
    acc = ZERO
    for code, memo, w, full in k.item_terms:
        v = values.get(code)
        if v is None:
            return items_score_of(k.rules, values)
        term = memo.get(v)
        if term is None:
            term = memo[v] = v * w / full
        acc += term
    if not k.item_terms or k.items_total_w == 0:
        return items_score_of(k.rules, values)
    return q2(acc * HUNDRED / k.items_total_w), []


def items_fast(k: RoundConsts, raw: Mapping[str, Any]) -> tuple[dict[str, Decimal], Decimal] | None:
    """:func:`item_values` and :func:`items_score_of` at once for the usual person: a Decimal
    score for every weighted item, in the scheme's order, each seen before in range. None
    when anything else (the careful path then checks and reports)."""
    if type(raw) is not dict or tuple(raw) != k.item_codes or not raw:
        return None
    acc = ZERO
    # the codes are the scheme's, in its order (checked above): one memo per item, in order
    for memo, v in zip(k.item_memos, raw.values()):  # noqa: B905
        if type(v) is not Decimal:
            return None
        try:
            term = memo.get(v)
        except TypeError:  # Decimal('sNaN') cannot be hashed: the careful path reports it
            return None
        if term is None:  # first time: only the careful path may add a value to the memo
            return None
        acc += term
    if k.items_total_w == 0:
        return None
    # every entry is a checked Decimal of a scheme item, in the scheme's order: the values
    # are the input dict itself (only read from here on)
    return raw, (acc * HUNDRED / k.items_total_w).quantize(Q2, ROUND_HALF_UP)


def _group_votes(
    k: RoundConsts, code: str, counts: Mapping[str, int]
) -> tuple[int, int, Decimal | None] | None:
    """(votes, top-label votes, group score × group weight) of one group's well-formed
    counts, computed as in :func:`evaluation_of`; None when anything is not well-formed."""
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


class RoundConsts:
    """Per-call constants and memo tables of one
    :func:`~models.assessment.engine.grade.grade_round`.

    The memo tables hold results of the very same Decimal operations the plain code does
    (same operands, same order), so a value taken from them is identical to a fresh one."""

    __slots__ = (
        "group_codes",
        "group_list",
        "group_memo",
        "group_seen",
        "groups",
        "groups_total_w",
        "item_codes",
        "item_memos",
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
        "below_excellent",
        "excellent_floor",
        "excellent_floor_text",
        "quarter_memo",
    )

    def __init__(self, rules: AssessmentRules):
        self.rules = rules
        self.layered = pools_by_layer(rules)
        total = ZERO
        terms = []
        for code, _name, w, full in rules.weighted_items:
            total += w
            terms.append((code, {}, w, full))
        self.items_total_w = total
        self.item_terms: tuple[tuple[str, dict[Decimal, Decimal], Decimal, Decimal], ...] = tuple(
            terms
        )
        # the weighted items' codes in the scheme's order, and their memo tables (the same
        # dicts as in item_terms): score → score × weight ÷ full
        self.item_codes = tuple(t[0] for t in terms)
        self.item_memos = tuple(t[1] for t in terms)
        self.groups = rules.groups_by_code
        self.group_list = tuple((g.code, g.name, g.weight) for g in rules.rater_groups)
        self.group_codes = tuple(g.code for g in rules.rater_groups)
        self.n_groups = len(self.groups)
        total = ZERO
        for g in rules.rater_groups:
            total += g.weight
        self.groups_total_w = total
        self.ivalues: Mapping[str, Any] = rules.vote_int_values or rules.vote_value_by_label
        self.top_label = rules.vote_values[0].label if rules.vote_values else None
        self.group_memo: dict[tuple[str, Any], tuple[int, int, Decimal | None]] = {}
        # id(counts) → (counts, group code, *entry), for dicts shared between people
        self.group_seen: dict[int, tuple[Any, str, int, int, Decimal | None]] = {}
        self.average_memo: dict[str, dict[Decimal, Decimal]] = {g: {} for g in self.groups}
        self.share_memo: dict[tuple[int, int], Decimal] = {}
        bar = rules.quarterly.bar_excellent_grades
        self.quarter_info = {g: (g == "好", g in bar) for g in QUARTERLY_GRADES}
        # a person's 平时考核 grades → (quarters 好, quarters that bar 优秀), for grades
        # without problems (see models.assessment.engine.person)
        self.quarter_memo: dict[tuple[str | None, ...], tuple[int, tuple[int, ...]]] = {}
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
        t = rules.thresholds
        floor = t.excellent_min if t.excellent_min is not None else t.competent_min
        self.excellent_floor = floor
        self.excellent_floor_text = fmt_number(floor)
        # composite text → the rule "综合得分 … 未达优秀分数线 …" (see engine.person)
        self.below_excellent: dict[str, AppliedRule] = {}
        c = rules.composite
        self.eval_weight = c.evaluation_weight
        self.items_weight = c.items_weight
        self.plain_caps = (c.bonus_cap is None or c.bonus_cap >= 0) and (
            c.penalty_cap is None or c.penalty_cap >= 0
        )


def _group_entry(
    k: RoundConsts, code: str, counts: Mapping[str, int]
) -> tuple[Any, str, int, int, Decimal | None] | None:
    """(counts, code, votes, top-label votes, group score × weight) of one group's counts:
    from the table of dicts met before (the very object: the loader shares one dict among
    people with the same counts), else from the memo by value (a hit used only when every
    count is an ``int``: True or 1.0 compare equal to 1 but are refused by the careful
    path), else computed. None when anything needs the careful path."""
    seen = k.group_seen
    known = seen.get(id(counts))
    if known is not None and known[0] is counts and known[1] == code:
        return known
    mk = (code, tuple(counts.items()))
    try:
        entry = k.group_memo.get(mk)
    except TypeError:  # an unhashable count: the careful path reports it
        return None
    if entry is None:
        entry = _group_votes(k, code, counts)
        if entry is None:
            return None
        k.group_memo[mk] = entry
    else:
        for count in counts.values():
            if type(count) is not int:
                return None
    # holding the dict keeps its id from being reused during the call
    known = seen[id(counts)] = (counts, code, *entry)
    return known


def evaluation_votes_fast(
    k: RoundConsts, votes: Mapping[str, Mapping[str, int]]
) -> Evaluation | None:
    """:func:`evaluation_of` for well-formed vote counts; None when anything needs the careful
    path (unknown group or label, a count that is not a whole number ≥ 0).

    Each group's counts are looked up in memo tables (the same counts give the same group
    score, see :func:`_group_entry`)."""
    seen = k.group_seen
    top = 0
    all_votes = 0
    result = Evaluation()
    if k.group_codes and type(votes) is dict and tuple(votes) == k.group_codes:
        # the usual case: every group of the scheme, in its order. With votes in each, the
        # sum is taken in that order as it comes, as _weighted_evaluation takes it
        acc = ZERO
        for code, counts in votes.items():
            known = seen.get(id(counts))
            if known is None or known[0] is not counts or known[1] != code:
                known = _group_entry(k, code, counts)
                if known is None:
                    return None
            n = known[2]
            if n <= 0:
                break
            all_votes += n
            top += known[3]
            acc += known[4]
        else:
            result.excellent_share = _share(k, top, all_votes)
            result.score = (acc / k.groups_total_w).quantize(Q2, ROUND_HALF_UP)
            return result
        top = all_votes = 0
    weighted: dict[str, Decimal] = {}
    for code, counts in votes.items():
        known = _group_entry(k, code, counts)
        if known is None:
            return None
        n = known[2]
        if n > 0:
            weighted[code] = known[4]
            all_votes += n
            top += known[3]
    if all_votes:
        result.excellent_share = _share(k, top, all_votes)
    return _weighted_evaluation(k, weighted, result)


def _share(k: RoundConsts, top: int, all_votes: int) -> Decimal:
    """The share of top-label votes, top ÷ all (all > 0), from a memo table."""
    sk = (top, all_votes)
    share = k.share_memo.get(sk)
    if share is None:
        share = k.share_memo[sk] = Decimal(top) / Decimal(all_votes)
    return share


def evaluation_averages_fast(k: RoundConsts, averages: Mapping[str, Any]) -> Evaluation | None:
    """:func:`evaluation_of` for well-formed group averages (Decimal, 0–100, known groups);
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
    return _weighted_evaluation(k, weighted, Evaluation())


def _weighted_evaluation(
    k: RoundConsts, weighted: dict[str, Decimal], result: Evaluation
) -> Evaluation:
    """Σ group score × weight ÷ Σ weight over the groups that have data (in the scheme's
    order, as in :func:`evaluation_of`)."""
    if not weighted:
        return result
    total_w = ZERO
    acc = ZERO
    if len(weighted) == k.n_groups:
        for code, _name, _w in k.group_list:
            acc += weighted[code]
        total_w = k.groups_total_w
    else:
        missing: list[str] = []
        for code, name, gw in k.group_list:
            prod = weighted.get(code)
            if prod is None:
                missing.append(name)
                continue
            total_w += gw
            acc += prod
        if missing:
            result.missing_groups = missing
    result.score = q2(acc / total_w)
    return result
