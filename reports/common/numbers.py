"""How printed reports write scores: exactly two decimals, rounded half up (四舍五入, not
Python's round-half-even), and 加减分 with their sign.

Numbers without trailing zeros (weights, 学时) are :func:`models.assessment.rules.fmt_number`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

__all__ = ["Number", "fmt_points", "fmt_score"]

Number = int | float | Decimal

_TWO_PLACES = Decimal("0.01")


def fmt_score(value: Number | None) -> str:
    """Two decimals, half up: 92.345 → '92.35', 90 → '90.00'; None → ''."""
    if value is None:
        return ""
    return str(Decimal(str(value)).quantize(_TWO_PLACES, rounding=ROUND_HALF_UP))


def fmt_points(value: Number) -> str:
    """A 加分 or 扣分 with its sign: 1.5 → '+1.50', -0.5 → '-0.50', 0 → '+0.00'."""
    text = fmt_score(value)
    return text if text.startswith("-") else f"+{text}"
