"""Property tests of the 优秀 quota (hypothesis, fixed seed and a bounded number of examples:
see tests/properties/conftest.py).

Whatever the pool size, percentage and rounding mode, the quota stays within one person of
percent × people in the direction the rounding names, "at least one" only lifts an empty
quota of a pool with people, and grading never gives a pool more 优秀 than its quota."""

from __future__ import annotations

import math
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from models.assessment.engine import PersonInput, grade_round, quota_for
from models.assessment.rules import Grade, Rounding, default_rules
from tests.models.assessment.test_engine import GROUPS, ITEMS, with_quota

PERCENTS = st.integers(min_value=0, max_value=200).map(lambda n: Decimal(n) / 2)  # 0–100 by 0.5
ROUNDINGS = st.sampled_from(list(Rounding))


@given(people=st.integers(0, 5000), percent=PERCENTS, rounding=ROUNDINGS, one=st.booleans())
def test_quota_follows_its_rounding_and_at_least_one(people, percent, rounding, one) -> None:
    q = quota_for(percent, people, rounding, one)
    raw = percent * people / 100
    assert q.raw == raw
    if rounding is Rounding.DOWN:
        assert q.rounded == math.floor(raw)
    elif rounding is Rounding.UP:
        assert q.rounded == math.ceil(raw)
    else:
        assert q.rounded == math.floor(raw + Decimal("0.5"))
    lifted = one and people > 0 and percent > 0 and q.rounded == 0
    assert q.at_least_one_applied is lifted
    assert q.quota == (1 if lifted else q.rounded)
    assert 0 <= q.quota <= people
    if rounding is Rounding.DOWN and not lifted:
        assert q.quota <= raw  # 去尾 never passes the ceiling the percentage sets


@given(people=st.integers(0, 3000), percent=PERCENTS, rounding=ROUNDINGS, one=st.booleans())
def test_a_bigger_pool_never_gets_a_smaller_quota(people, percent, rounding, one) -> None:
    assert (
        quota_for(percent, people + 1, rounding, one).quota
        >= quota_for(percent, people, rounding, one).quota
    )


SCORES = st.integers(min_value=60, max_value=100)


@given(
    scores=st.lists(SCORES, min_size=1, max_size=40),
    units=st.integers(1, 4),
    percent=PERCENTS,
    rounding=ROUNDINGS,
    one=st.booleans(),
)
def test_grading_never_gives_a_pool_more_excellent_than_its_quota(
    scores, units, percent, rounding, one
) -> None:
    """Ties at the quota line, several pools, any rounding: the 优秀 of each pool are at most
    its quota, and the pool summary counts what the people hold."""
    rules = with_quota(
        default_rules(),
        percent=percent,
        max_percent=Decimal(100),
        rounding=rounding,
        at_least_one=one,
    )
    people = [
        PersonInput(
            person_id=k,
            name=f"人{k}",
            unit=f"{k % units}局",
            item_scores=dict.fromkeys(ITEMS, s),
            group_averages=dict.fromkeys(GROUPS, s),
        )
        for k, s in enumerate(scores)
    ]
    result = grade_round(rules, people)
    for pool in result.pools:
        held = [p for p in result.people if p.pool_key == pool.pool_key]
        excellent = sum(p.proposed_grade is Grade.EXCELLENT for p in held)
        assert excellent <= pool.quota.quota
        assert pool.counts[Grade.EXCELLENT] == excellent
        assert pool.people == len(held)
