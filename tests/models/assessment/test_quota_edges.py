"""Edges of the 优秀 quota (``quota_for`` / ``excellent_quota``) that the table in
test_engine.py leaves open: a percentage of 1 % or less still gives a pool with people its
one 优秀 when "at least one" is on, and a negative head count is refused with a reason."""

from __future__ import annotations

from decimal import Decimal

import pytest

from models.assessment.engine import quota_for
from models.assessment.rules import Rounding
from models.core.errors import DomainError

D = Decimal


@pytest.mark.parametrize(
    ("percent", "people", "raw", "text"),
    [
        # 0.5% × 30 = 0.15 -> 0 -> at least one
        ("0.5", 30, "0.15", "0.5%×30=0.15，四舍五入为 0 名，不足 1 名按 1 名计"),
        # 1% × 10 = 0.1 -> 0 -> at least one
        ("1", 10, "0.1", "1%×10=0.1，四舍五入为 0 名，不足 1 名按 1 名计"),
    ],
)
def test_a_small_percentage_still_gives_at_least_one(
    percent: str, people: int, raw: str, text: str
) -> None:
    """A unit whose quota is 1 % or less still gets its one 优秀 under "at least one", and the
    pool summary says why it holds a place the percentage alone would not give."""
    q = quota_for(D(percent), people, Rounding.HALF_UP, True)
    assert (q.raw, q.rounded, q.at_least_one_applied, q.quota) == (D(raw), 0, True, 1)
    assert q.text == text
    # without "at least one" the pool gets none
    assert quota_for(D(percent), people, Rounding.HALF_UP, False).quota == 0


def test_a_negative_head_count_is_refused_with_a_reason() -> None:
    """A pool can never have fewer than 0 people; the message names the count."""
    with pytest.raises(DomainError) as err:
        quota_for(D(20), -1, Rounding.HALF_UP, True)
    assert err.value.message == "人数 -1 不能为负数"
