"""Numbers of the 五项考核 rules: the Decimal constants, reading a number from user or JSON
input (:func:`to_decimal`) and writing one without trailing zeros (:func:`fmt_number`).

Pure module: no database, no Qt.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from models.core.errors import DomainError

ONE = Decimal(1)
HUNDRED = Decimal(100)
ZERO = Decimal(0)


def fmt_number(value: Decimal) -> str:
    """Decimal without trailing zeros or exponent: 20.00 -> '20', 0.10 -> '0.1'."""
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value.normalize():f}"


def to_decimal(value: Any, path: str = "数值") -> Decimal:
    """Decimal from Decimal/int/float/str; bool, NaN and infinity are refused (DomainError)."""
    if type(value) is Decimal:
        d = value
    elif isinstance(value, bool) or value is None:
        raise DomainError(f"{path}：应为数字，实际为 {value!r}", field=path)
    elif isinstance(value, int):
        return Decimal(value)
    elif isinstance(value, float):
        d = Decimal(repr(value))
    elif isinstance(value, str | Decimal):
        try:
            d = Decimal(str(value).strip())
        except InvalidOperation:
            raise DomainError(f"{path}：“{value}”不是数字", field=path) from None
    else:
        raise DomainError(f"{path}：应为数字，实际为 {value!r}", field=path)
    if not d.is_finite():
        raise DomainError(f"{path}：“{value}”不是有限的数字", field=path)
    return d
