"""Quota pools of a round: who competes with whom for 优秀 (and for 好 in a quarterly round).

A pool is a unit, or one rank layer inside a unit when the rules say so
(``quota.pool_by``, 不得相互挤占). Its key is the unit name, or ``unit｜layer``.

Pure module: no database, no Qt.
"""

from __future__ import annotations

from models.assessment.rules.types import AssessmentRules, PoolBy

POOL_KEY_SEPARATOR = "｜"


def pools_by_layer(rules: AssessmentRules) -> bool:
    """True when each rank layer of a unit is a pool of its own."""
    return rules.quota.pool_by is PoolBy.UNIT_LAYER


def pool_key_of(rules: AssessmentRules, unit_name: str, layer: str) -> str:
    """The pool key of a person of ``unit_name`` and rank ``layer`` (unit, or unit｜layer)."""
    if rules.quota.pool_by is PoolBy.UNIT_LAYER:
        return f"{unit_name}{POOL_KEY_SEPARATOR}{layer}"
    return unit_name


def pool_label(rules: AssessmentRules, unit_name: str, layer: str) -> str:
    """The pool as named in explanations and messages: the unit, or ``unit（layer）``."""
    if rules.quota.pool_by is PoolBy.UNIT_LAYER:
        return f"{unit_name}（{layer}）"
    return unit_name
