"""Sanctions counted by the 处分期间 instead of calendar years (a per-round rule setting,
DOMAIN.md §1.5 and issue #14): the year in which the period ends is graded normally again; the
period ends on the record's end date, else after the table's usual 处分期间 in months; a kind
without either keeps the calendar years; the explanation names the rule applied.

Same people as test_sanction_kinds (five in 市委组织部, scored 甲 96, 乙 93, 丙 85, 丁 92,
戊 95 every year; quota 20% × 5 = 1 优秀): 甲 留察一年 of 2024-05-10 (period 12 months → ends
2025-05-10), 乙 留察二年 of 2024-05-10 (24 months → 2026-05-10), 丙 duty-related 严重警告 of
2024-03-01 (18 months → 2025-09-01), 丁 an old 留党察看 of 2024-06-01 (24 months → 2026-06-01).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from models.assessment import round_rules, save_rules
from models.assessment.engine.sanctions import add_months, in_force
from models.assessment.rules import SanctionCount, default_rules, rules_from_dict, validate_rules
from tests.models.assessment.test_sanction_kinds import grades_of, three_years  # noqa: F401

PERIOD = dataclasses.replace(default_rules(), sanction_count=SanctionCount.PERIOD)
CALENDAR = default_rules()
D = dt.date


def test_add_months_keeps_the_day_or_takes_the_months_last() -> None:
    assert add_months(D(2024, 5, 10), 12) == D(2025, 5, 10)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2023, 11, 30), 18) == D(2025, 5, 30)


@pytest.mark.parametrize(
    ("code", "start", "end", "year", "calendar", "period"),
    [
        # 留察一年 of 2024-05-10, 12 months: year 2 is 不定等次 by the table, graded again by
        # the period (it ends 2025-05-10)
        ("party_probation_1y", D(2024, 5, 10), None, 2024, (0, None), (0, None)),
        ("party_probation_1y", D(2024, 5, 10), None, 2025, (1, None), (1, D(2025, 5, 10))),
        ("party_probation_1y", D(2024, 5, 10), None, 2026, None, None),
        # 政务记大过 of 2025-03-01 with its own end date 2026-12-31: the record's date counts
        (
            "gov_major_demerit",
            D(2025, 3, 1),
            D(2026, 12, 31),
            2026,
            (1, None),
            (1, D(2026, 12, 31)),
        ),
        # ended early, before the year began: nothing either way
        ("gov_major_demerit", D(2025, 3, 1), D(2025, 12, 1), 2026, None, None),
        # the year given is always the table's first year, even when lifted the same year
        ("gov_warning", D(2025, 1, 5), None, 2025, (0, None), (0, None)),
        # 开除党籍: no period in the table and no end date → the calendar years
        ("party_expelled", D(2024, 5, 1), None, 2026, (2, None), (2, None)),
    ],
)
def test_in_force_by_calendar_and_by_period(code, start, end, year, calendar, period) -> None:  # noqa: ANN001, PLR0913
    def seen(rules):  # noqa: ANN001, ANN202
        f = in_force(start, end, code, year, rules)
        return None if f is None else (f.year_offset, f.lifted_on)

    assert seen(CALENDAR) == calendar
    assert seen(PERIOD) == period


def test_the_setting_and_the_months_survive_a_round_trip() -> None:
    again = rules_from_dict(PERIOD.to_dict())
    assert again.sanction_count is SanctionCount.PERIOD
    assert again.sanctions_by_code["gov_major_demerit"].period_months == 18
    # the default is not written, so rule sets saved before it read and write as before
    assert "sanction_count" not in CALENDAR.to_dict()
    assert rules_from_dict(CALENDAR.to_dict()).sanction_count is SanctionCount.CALENDAR
    bad = dataclasses.replace(CALENDAR.sanctions_by_code["gov_demerit"], period_months=0)
    others = [s for s in CALENDAR.sanctions if s.code != bad.code]
    issues = validate_rules(dataclasses.replace(CALENDAR, sanctions=(*others, bad)))
    assert [(i.field, i.message) for i in issues] == [
        ("sanctions.period_months", "处分期间应为 1–120 个月")
    ]


def _by_period(round_id: int) -> None:
    rules = dataclasses.replace(round_rules(round_id), sanction_count=SanctionCount.PERIOD)
    assert save_rules(round_id, rules, user="tester") == []


def test_grading_by_period_2025(three_years) -> None:  # noqa: ANN001, F811
    calendar = grades_of(three_years["2025"])
    assert calendar["甲"].proposed_grade.value == "不定等次"  # the table: year 2 of 留察一年
    _by_period(three_years["2025"])
    g = grades_of(three_years["2025"])
    # 甲's period ended 2025-05-10: graded again, 96 is the best → 优秀; 戊 95 → 称职;
    # 乙 (to 2026-05-10) and 丁 (to 2026-06-01) still 不定等次; 丙's 严重警告 affects 2024 only
    assert {n: r.proposed_grade.value for n, r in g.items()} == {
        "甲": "优秀",
        "乙": "不定等次",
        "丙": "称职",
        "丁": "不定等次",
        "戊": "称职",
    }
    assert (
        "“留党察看（一年）”的处分期间已于 2025-05-10 届满（按处分期间计算），本年度正常确定等次"
        in (g["甲"].warnings)
    )
    assert "受留党察看（二年）（按处分期间计算，处分期间至 2026-05-10），只写评语不定等次" in (
        g["乙"].explanation
    )


def test_grading_by_period_2026(three_years) -> None:  # noqa: ANN001, F811
    calendar = grades_of(three_years["2026"])
    assert (calendar["乙"].proposed_grade.value, calendar["丁"].proposed_grade.value) == (
        "不定等次",
        "不定等次",
    )
    _by_period(three_years["2026"])
    g = grades_of(three_years["2026"])
    # 乙 lifted 2026-05-10 and 丁 2026-06-01: both graded by score; 甲 96 → 优秀
    assert {n: r.proposed_grade.value for n, r in g.items()} == {
        "甲": "优秀",
        "乙": "称职",
        "丙": "称职",
        "丁": "称职",
        "戊": "称职",
    }
