"""The check at city level (or over a unit's scope) after grading: is the overall 优秀 share
above the ceiling the rules allow (``quota.max_percent``, the approved maximum), and which
pools push it there (small pools given "不足 1 名按 1 名计", then pools above the ceiling)?

Pure module: no database, no Qt. Works on pool summaries as stored
(:meth:`PoolSummary.to_dict`) or on :class:`PoolShare` rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from models.assessment.engine.types import merged_pool_label
from models.assessment.rules.numbers import HUNDRED, fmt_number
from models.assessment.rules.types import AssessmentRules, Grade

_NAMES_SHOWN = 20


@dataclass(frozen=True)
class PoolShare:
    """One pool as the check sees it."""

    label: str
    people: int
    excellent: int  # final 优秀
    at_least_one: bool  # its quota was rounded up to one (不足 1 名按 1 名计)


def share_of_summary(summary: Mapping[str, Any], excellent: int | None = None) -> PoolShare:
    """A stored pool summary as a :class:`PoolShare`; ``excellent`` overrides its 优秀 count
    (e.g. the final grades counted afresh)."""
    layer = summary.get("layer") or ""
    base = f"{summary['unit']}（{layer}）" if layer else summary["unit"]
    label = merged_pool_label(base, summary.get("merged_units") or ())
    n = summary["counts"].get(Grade.EXCELLENT.value, 0) if excellent is None else excellent
    return PoolShare(label, summary["people"], n, bool(summary["quota"]["at_least_one_applied"]))


def _names(labels: list[str]) -> str:
    shown = "、".join(labels[:_NAMES_SHOWN])
    return shown + (f"等 {len(labels)} 个" if len(labels) > _NAMES_SHOWN else "")


def ceiling_warning(rules: AssessmentRules, pools: Iterable[PoolShare], scope: str = "全市") -> str:
    """'' when the 优秀 share of ``pools`` is within ``quota.max_percent``; otherwise the
    warning, naming the share and the pools that cause it."""
    pools = list(pools)
    people = sum(p.people for p in pools)
    excellent = sum(p.excellent for p in pools)
    ceiling = rules.quota.max_percent
    if not people or excellent * HUNDRED <= ceiling * people:
        return ""
    share = (Decimal(excellent) * HUNDRED / people).quantize(Decimal("0.1"), ROUND_HALF_UP)
    text = (
        f"{scope}优秀 {excellent} 人，占参加考核 {people} 人的 {share}%，"
        f"超过 {fmt_number(ceiling)}% 上限"
    )
    small = [p.label for p in pools if p.at_least_one and p.excellent]
    if small:
        return (
            f"{text}；多出的名额来自按“不足 1 名按 1 名计”取整的 {len(small)} 个小单位："
            f"{_names(small)}。可在考核方案中设置“小于 N 人的单位并入上级单位计算名额”"
        )
    over = [p.label for p in pools if p.excellent * HUNDRED > ceiling * p.people]
    if over:
        return (
            f"{text}；优秀比例超过 {fmt_number(ceiling)}% 的考核范围有 {len(over)} 个："
            f"{_names(over)}"
        )
    return text


def summaries_warning(
    rules: AssessmentRules, summaries: Iterable[Mapping[str, Any]], scope: str = "全市"
) -> str:
    """:func:`ceiling_warning` over stored pool summaries (their own 优秀 counts)."""
    return ceiling_warning(rules, (share_of_summary(s) for s in summaries), scope)
