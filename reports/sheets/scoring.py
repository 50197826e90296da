"""The numbers of the 考核评分表, made so a reader can check them by hand.

The grading (models.assessment.engine) computes
项目得分 = Σ 得分/满分 × 有效权重 ÷ Σ 有效权重 × 100, where an item's 有效权重 is its weight
plus its key topic's extra weight (so the scheme's weights may add up to 110); 民主测评得分
the same way over the rater groups that have data; and
综合得分 = 测评 × 测评权重% + 项目 × 项目权重% + 加分 − 扣分, each rounded to 2 places.

The 评分表 shows each item's *share* (有效权重 ÷ Σ 有效权重, in percent, adding up to exactly
100) and its weighted points. Weighted points are rounded to 0.01 by the largest-remainder
method so that they add up exactly to the total the grading stored (which is what the ranking
used): every printed point value is within 0.01 of the exact one, and the column sums to the
printed total.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from models.assessment.results import PersonSheetDTO
from models.assessment.rules import fmt_number
from reports.sheets.model import Adjustment, RaterGroupScore, ScoreBlock, ScoreItem

__all__ = ["allocate", "quarters_text", "score_block", "shares"]

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
_QUARTERS = ("一", "二", "三", "四")


def allocate(exact: Sequence[Decimal], total: Decimal) -> list[Decimal]:
    """``exact`` rounded to 0.01 so that they add up to ``total`` (largest remainder).

    Each value is first rounded down; the cents still missing go to the values with the largest
    remainders (ties: the earlier one). When ``total`` is far from Σ exact (stored numbers from
    an earlier rule version), the difference is spread one cent at a time all the same."""
    if not exact:
        return []
    floors = [(e / CENT).to_integral_value(rounding=ROUND_FLOOR) * CENT for e in exact]
    cents = int(((total - sum(floors, Decimal(0))) / CENT).to_integral_value(ROUND_HALF_UP))
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    step = CENT if cents >= 0 else -CENT
    if cents < 0:
        order.reverse()
    for n in range(abs(cents)):
        floors[order[n % len(order)]] += step
    return floors


def shares(weights: Sequence[Decimal]) -> list[Decimal]:
    """Weights as percentages of their sum, to 0.01, adding up to exactly 100."""
    total = sum(weights, Decimal(0))
    if total == 0:
        return [Decimal(0) for _ in weights]
    return allocate([w * HUNDRED / total for w in weights], HUNDRED)


def quarters_text(grades: Sequence[str | None]) -> str:
    parts = [f"第{_QUARTERS[i]}季度{g}" for i, g in enumerate(grades[:4]) if g]
    return "，".join(parts)


def _q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _weighted(exact: list[Decimal], total: Decimal | None, complete: bool) -> list[Decimal]:
    if total is not None and complete:
        return allocate(exact, total)
    return [_q2(e) for e in exact]


def _items(dto: PersonSheetDTO) -> tuple[tuple[ScoreItem, ...], str]:
    lines = dto.items
    pct = shares([i.weight for i in lines])
    exact = [
        (i.score / i.full_score * p) if i.score is not None else Decimal(0)
        for i, p in zip(lines, pct, strict=True)
    ]
    complete = all(i.score is not None for i in lines)
    points = _weighted(exact, dto.items_score, complete)
    items = tuple(
        ScoreItem(
            i.name,
            p,
            i.score,
            w if i.score is not None else None,
            i.full_score,
        )
        for i, p, w in zip(lines, pct, points, strict=True)
    )
    total = sum((i.weight for i in lines), Decimal(0))
    note = ""
    if total != HUNDRED and lines:
        parts = []
        for i in lines:
            base = i.base_weight if i.base_weight is not None else i.weight
            text = f"{i.name.split('（')[0]}{fmt_number(base)}"
            if i.weight != base:
                text += f"＋{i.key_topic or '重点工作'}{fmt_number(i.weight - base)}"
            parts.append(text)
        note = (
            f"方案权重：{'，'.join(parts)}，合计{fmt_number(total)}；"
            "按各项占合计的比例折算为上表权重（合计100%）。"
        )
    return items, note


def _groups(dto: PersonSheetDTO) -> tuple[tuple[RaterGroupScore, ...], str]:
    present = [g for g in dto.groups if g.score is not None]
    pct = dict(zip((id(g) for g in present), shares([g.weight for g in present]), strict=True))
    exact = [g.score * pct[id(g)] / HUNDRED for g in present if g.score is not None]
    points = iter(_weighted(exact, dto.evaluation, bool(present)))
    rows = []
    for g in dto.groups:
        if g.score is None:
            rows.append(RaterGroupScore(g.name, None, None, None, g.raters))
        else:
            rows.append(RaterGroupScore(g.name, pct[id(g)], g.score, next(points), g.raters))
    missing = [g.name for g in dto.groups if g.score is None]
    note = ""
    if missing and present:
        note = f"“{'”“'.join(missing)}”无测评数据，其余各组按原权重比例折算（合计100%）。"
    return tuple(rows), note


def score_block(dto: PersonSheetDTO) -> ScoreBlock:
    """The 评分表 numbers of one person (see the module text for the rounding)."""
    items, items_note = _items(dto)
    groups, groups_note = _groups(dto)
    ev_w, it_w = dto.evaluation_weight, dto.items_weight
    ev_part = it_part = None
    if dto.composite is not None:
        base = dto.composite - dto.bonus + dto.penalty
        ev_exact = (dto.evaluation or Decimal(0)) * ev_w / HUNDRED
        it_exact = (dto.items_score or Decimal(0)) * it_w / HUNDRED
        ev_part, it_part = allocate([ev_exact, it_exact], base)
    quarters = quarters_text(dto.quarter_grades)
    return ScoreBlock(
        items=items,
        items_score=dto.items_score,
        items_note=items_note,
        democratic=groups,
        evaluation=dto.evaluation,
        evaluation_note=groups_note,
        evaluation_weight=ev_w,
        items_weight=it_w,
        evaluation_part=ev_part,
        items_part=it_part,
        adjustments=tuple(Adjustment(reason, points) for reason, points in dto.adjustments),
        bonus=dto.bonus,
        penalty=dto.penalty,
        composite=dto.composite,
        rank=dto.rank,
        pool_size=dto.pool_size,
        pool_name=dto.pool_name,
        proposed_grade=dto.final_grade or dto.proposed_grade,
        explanation=dto.explanation,
        quarters=f"平时考核：{quarters}" if quarters else "",
    )
