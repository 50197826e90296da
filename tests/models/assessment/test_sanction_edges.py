"""Sanctions at their edges, worked out by hand — found wanting by mutation testing
(benchmarks/mutation.sh models/assessment/engine/sanctions.py): a period or a record that
ends exactly on 1 January, months added across a year end, several sanctions where an early
one is skipped, the heaviest of effects whose names sort otherwise, and the best grade left."""

from __future__ import annotations

import dataclasses
import datetime as dt

from models.assessment.engine.sanctions import (
    ANNUAL_SANCTION_TEXTS,
    add_months,
    binding_grade,
    in_force,
    sanction_effects,
)
from models.assessment.engine.types import AppliedRule, SanctionInForce
from models.assessment.rules import default_rules
from models.assessment.rules.types import SanctionCount, SanctionEffect
from models.core.errors import FieldIssue

D = dt.date
CALENDAR = default_rules()
PERIOD = dataclasses.replace(CALENDAR, sanction_count=SanctionCount.PERIOD)


def test_months_are_added_across_a_year_end() -> None:
    assert add_months(D(2025, 1, 31), 12) == D(2026, 1, 31)  # twelve months: the next year
    assert add_months(D(2025, 12, 15), 1) == D(2026, 1, 15)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)  # the 31st: the month's last day
    assert add_months(D(2025, 3, 10), 24) == D(2027, 3, 10)


def test_a_period_ending_on_new_years_day_lifts_the_sanction_that_year() -> None:
    # 留党察看（二年）, 24 months from 2024-01-01: the period ends 2026-01-01, so 2026 is
    # graded normally again, with the lifting said
    got = in_force(D(2024, 1, 1), None, "party_probation_2y", 2026, PERIOD)
    assert got == SanctionInForce(
        "party_probation_2y", 2, period_end=D(2026, 1, 1), lifted_on=D(2026, 1, 1)
    )
    # ended the day before (a record closed on 2025-12-31): 2026 is not touched at all
    assert in_force(D(2024, 1, 1), D(2025, 12, 31), "party_probation_2y", 2026, PERIOD) is None


def test_a_record_ended_on_new_years_day_still_counts_that_year() -> None:
    # calendar years (the table): 政务记大过 given 2025-03-01 affects 2025 and 2026; a record
    # ended on 2026-01-01 still affects 2026, one ended on 2025-12-31 does not
    got = in_force(D(2025, 3, 1), D(2026, 1, 1), "gov_major_demerit", 2026, CALENDAR)
    assert got == SanctionInForce("gov_major_demerit", 1, period_end=None)
    assert in_force(D(2025, 3, 1), D(2025, 12, 31), "gov_major_demerit", 2026, CALENDAR) is None


def test_each_sanction_is_weighed_after_one_that_is_skipped() -> None:
    applied: list[AppliedRule] = []
    warnings: list[str] = []
    issues: list[FieldIssue] = []
    sanctions = [
        SanctionInForce("unknown"),
        SanctionInForce("admonition", -1),
        SanctionInForce("admonition", 1, lifted_on=D(2026, 3, 1)),
        SanctionInForce("admonition", 5),
        SanctionInForce("gov_demerit", 0),
    ]
    effects = sanction_effects(CALENDAR, sanctions, "张三", ANNUAL_SANCTION_TEXTS, applied,
                               warnings, issues)  # fmt: skip
    assert effects == [SanctionEffect.NO_GRADE]
    assert issues == [
        FieldIssue("sanctions", "张三", "处分“unknown”不在处分影响表中"),
        FieldIssue("sanctions", "张三", "处分“诫勉”的年度序号 -1 不能为负数"),
    ]
    assert warnings == [
        "“诫勉”的处分期间已于 2026-03-01 届满（按处分期间计算），本年度正常确定等次",
        "“诫勉”影响期已过，不影响本年度等次",
    ]
    assert [a.code for a in applied] == ["sanction:gov_demerit"]


def test_the_heaviest_effect_wins_whatever_its_name() -> None:
    # 不定等次 is heavier than 不得评为优秀, although its name sorts first
    applied: list[AppliedRule] = []
    sanctions = [SanctionInForce("admonition", 0), SanctionInForce("gov_demerit", 0)]
    sanction_effects(CALENDAR, sanctions, "张三", ANNUAL_SANCTION_TEXTS, applied, [], [])
    assert applied[-1] == AppliedRule("sanction:heaviest", "多项处分并存，按最重的“不定等次”处理")


def test_the_best_grade_left() -> None:
    assert binding_grade([], []) == (None, None, 4)  # nothing binds: up to 优秀
    assert binding_grade([SanctionEffect.BAR_EXCELLENT], []) == (None, None, 3)
