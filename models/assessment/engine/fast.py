"""Fast paths of the 五项考核 rule engine: the items and 民主测评 scores of the usual,
well-formed person from per-round memo tables (:class:`RoundConsts`). Each
gives exactly what the careful functions of :mod:`models.assessment.engine.scores` give (the same
Decimal operations on the same numbers) and hands anything unusual back to them (None)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from models.assessment.engine.scores import Evaluation, items_score_of
from models.assessment.engine.types import q2
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
    if len(raw) != len(k.item_terms) or not raw or type(raw) is not dict:
        return None
    acc = ZERO
    # the lengths are equal (checked above)
    for (code, v), (want, memo, _w, _full) in zip(raw.items(), k.item_terms):  # noqa: B905
        if code != want or type(v) is not Decimal:
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
    return raw, q2(acc * HUNDRED / k.items_total_w)


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
        "group_list",
        "group_memo",
        "group_seen",
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
        "excellent_floor_text",
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
        # id(counts) → (counts, group code, entry), for dicts shared between people; holding
        # the dict keeps its id from being reused during the call
        self.group_seen: dict[int, tuple[Any, str, tuple[int, int, Decimal | None]]] = {}
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
        t = rules.thresholds
        floor = t.excellent_min if t.excellent_min is not None else t.competent_min
        self.excellent_floor_text = fmt_number(floor)
        c = rules.composite
        self.eval_weight = c.evaluation_weight
        self.items_weight = c.items_weight
        self.plain_caps = (c.bonus_cap is None or c.bonus_cap >= 0) and (
            c.penalty_cap is None or c.penalty_cap >= 0
        )


def evaluation_votes_fast(
    k: RoundConsts, votes: Mapping[str, Mapping[str, int]]
) -> Evaluation | None:
    """:func:`evaluation_of` for well-formed vote counts; None when anything needs the careful
    path (unknown group or label, a count that is not a whole number ≥ 0).

    Each group's counts are looked up in a memo table (the same counts give the same group
    score); a hit is only used when every count is an ``int`` (True or 1.0 compare equal to 1
    but are refused by the careful path)."""
    memo = k.group_memo
    seen = k.group_seen
    weighted: dict[str, Decimal] = {}
    top = 0
    all_votes = 0
    for code, counts in votes.items():
        # the loader shares one dict among people with the same counts: a dict met before
        # (the very object, kept alive by the table) needs no key and no checks
        known = seen.get(id(counts))
        if known is not None and known[0] is counts and known[1] == code:
            entry = known[2]
        else:
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
            seen[id(counts)] = (counts, code, entry)
        n, top_n, prod = entry
        if n > 0:
            weighted[code] = prod
            all_votes += n
            top += top_n
    result = Evaluation()
    if all_votes:
        sk = (top, all_votes)
        share = k.share_memo.get(sk)
        if share is None:
            share = k.share_memo[sk] = Decimal(top) / Decimal(all_votes)
        result.excellent_share = share
    return _weighted_evaluation(k, weighted, result)


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
        for code, name, gw in k.group_list:
            prod = weighted.get(code)
            if prod is None:
                result.missing_groups.append(name)
                continue
            total_w += gw
            acc += prod
    result.score = q2(acc / total_w)
    return result
