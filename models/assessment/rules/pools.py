"""Quota pools of a round: who competes with whom for 优秀 (and for 好 in a quarterly round).

A pool is a unit, or one rank layer inside a unit when the rules say so
(``quota.pool_by``, 不得相互挤占). Its key is the unit name, or ``unit｜layer``.

Small units (``quota.merge_below``): a unit with fewer participants than that shares the
pool of its parent unit (主管部门), with the parent's own people and the parent's other small
units, so several small units share one quota instead of each rounding up to "at least one".
A small parent that is itself merged takes its small units along (the pool of the parent
is the pool they join). The pool is keyed and named by the unit it ends at
(:func:`host_units` gives unit → that unit for the merged).

Pools drawn by the user (``quota.named_pools``): the listed units share one pool under its
name, whatever their size; they come before the size rule.

Pure module: no database, no Qt.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from models.assessment.rules.types import AssessmentRules, PoolBy

POOL_KEY_SEPARATOR = "｜"


def pools_by_layer(rules: AssessmentRules) -> bool:
    """True when each rank layer of a unit is a pool of its own."""
    return rules.quota.pool_by is PoolBy.UNIT_LAYER


def pool_key_of(rules: AssessmentRules, unit_name: str, layer: str) -> str:
    """The pool key of a person of ``unit_name`` and rank ``layer`` (unit, or unit｜layer).
    ``unit_name`` is the pool's unit: the parent unit for a merged small unit."""
    if rules.quota.pool_by is PoolBy.UNIT_LAYER:
        return f"{unit_name}{POOL_KEY_SEPARATOR}{layer}"
    return unit_name


def pool_label(rules: AssessmentRules, unit_name: str, layer: str) -> str:
    """The pool as named in explanations and messages: the unit, or ``unit（layer）``."""
    if rules.quota.pool_by is PoolBy.UNIT_LAYER:
        return f"{unit_name}（{layer}）"
    return unit_name


def merges_small_units(rules: AssessmentRules) -> bool:
    """True when small units are merged into their parent unit's pool."""
    return rules.quota.merge_below > 0


def pools_span_units(rules: AssessmentRules) -> bool:
    """True when a pool may hold several units (small units merged, or pools drawn by the
    user): grading one unit then reads the whole round to find its pool's other units."""
    return merges_small_units(rules) or bool(rules.quota.named_pools)


def named_hosts(rules: AssessmentRules) -> dict[str, str]:
    """unit → the name of the user-drawn pool it is in (quota.named_pools)."""
    return {unit: p.name for p in rules.quota.named_pools for unit in p.units}


def host_units(
    rules: AssessmentRules, unit_sizes: Mapping[str, int], parents: Mapping[str, str]
) -> dict[str, str]:
    """unit → the unit whose pool it shares, for the units of fewer than
    ``quota.merge_below`` participants (``unit_sizes``: participants per unit) that have a
    parent (``parents``: unit → 主管部门 name, "" or absent for a top-level unit): the parent,
    or the parent's own host when the parent is small too. Empty when nothing is merged."""
    below = rules.quota.merge_below
    if below <= 0:
        return {}
    direct = {
        unit: parents[unit]
        for unit, n in unit_sizes.items()
        if n < below and parents.get(unit) and parents[unit] != unit
    }
    out = {}
    for unit, host in direct.items():
        seen = {unit}
        while host in direct and host not in seen:  # a small parent merged in turn
            seen.add(host)
            host = direct[host]
        out[unit] = host
    return out


def pool_keys(rules: AssessmentRules, people: Sequence[Any]) -> list[str]:
    """The pool key of each of ``people`` (objects with ``unit``, ``layer`` and
    ``parent_unit``, e.g. PersonInput), in order: small units merged per the rules."""
    hosts = round_hosts(rules, people)
    return [pool_key_of(rules, hosts.get(p.unit, p.unit), p.layer) for p in people]


def round_hosts(rules: AssessmentRules, people: Iterable[Any]) -> dict[str, str]:
    """unit → the pool it shares for the people of a round: a user-drawn pool's name
    (:func:`named_hosts`) first, else :func:`host_units` (sizes counted among ``people``); a
    small unit merged into a unit of a user-drawn pool ends in that pool."""
    named = named_hosts(rules)
    if not merges_small_units(rules):
        return named
    people = list(people)
    sizes = Counter(p.unit for p in people if p.unit not in named)
    parents = {p.unit: p.parent_unit for p in people}
    merged = host_units(rules, sizes, parents)
    return {**{u: named.get(h, h) for u, h in merged.items()}, **named}
