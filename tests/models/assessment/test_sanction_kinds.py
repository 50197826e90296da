"""Sanction kinds of the current 处分影响表 (DOMAIN.md §1.5): 留察一年 / 留察二年, the 1998
opinion's duty-related 党内严重警告 as a variant, and old records that say only 留党察看.

DOMAIN.md §1.5: 留党察看 → 不称职 that year; 留察一年: no grade in year 2 (year 3 graded
normally); 留察二年: no grade in years 2 and 3; years are calendar assessment years counted
from the year the sanction was given. 党内严重警告: comment only, no grade; for an error tied to
the person's duties (1998 opinion), 不称职.

Every grade below is read from the engine or the grading service; the expected values are
worked by hand in the comments.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from models.assessment import (
    ScoreCell,
    add_sanction,
    add_unit_members,
    create_round,
    set_group_averages,
    set_scores,
)
from models.assessment.engine import PersonInput, SanctionInForce, grade_round
from models.assessment.grading import compute_grades
from models.assessment.rules import (
    AssessmentRules,
    Grade,
    SanctionEffect,
    default_rules,
    rules_from_dict,
    validate_rules,
)
from models.assessment.tables import ASSESSMENT_TABLES, Sanction
from models.roster.tables import Cadre

ITEMS = ("de", "neng", "qin", "ji", "lian")
GROUPS = ("superior", "peer", "subordinate", "served")
NO_GRADE, INCOMPETENT = SanctionEffect.NO_GRADE, SanctionEffect.FORCE_INCOMPETENT


@pytest.fixture(scope="module")
def rules() -> AssessmentRules:
    return default_rules()


def test_the_default_table_has_the_current_kinds(rules: AssessmentRules) -> None:
    by_code = rules.sanctions_by_code
    one, two = by_code["party_probation_1y"], by_code["party_probation_2y"]
    assert (one.name, one.effects) == ("留党察看（一年）", (INCOMPETENT, NO_GRADE))
    assert (two.name, two.effects) == ("留党察看（二年）", (INCOMPETENT, NO_GRADE, NO_GRADE))
    duty = by_code["party_serious_warning_duty"]
    assert duty.variant_of == "party_serious_warning"
    assert duty.effects == (INCOMPETENT,)
    assert by_code["party_serious_warning"].effects == (NO_GRADE,)
    # old records: 留党察看 read as 留察二年, not offered for new records
    legacy = by_code["party_probation"]
    assert legacy.legacy
    assert legacy.effects == two.effects


def test_new_keys_survive_a_round_trip_and_old_rule_sets_read_as_before(
    rules: AssessmentRules,
) -> None:
    again = rules_from_dict(rules.to_dict())
    assert again.sanctions == rules.sanctions
    # a rule set written before the keys existed: no variant, not legacy, no basis, and it
    # serialises without them
    old = rules_from_dict(
        {
            **rules.to_dict(),
            "sanctions": [{"code": "x", "name": "留党察看", "effects": ["不定等次"]}],
        }
    )
    (s,) = old.sanctions
    assert (s.variant_of, s.legacy, s.basis) == ("", False, "")
    assert old.to_dict()["sanctions"] == [
        {"code": "x", "name": "留党察看", "effects": ["不定等次"]}
    ]


def test_a_variant_of_an_unknown_kind_is_an_issue(rules: AssessmentRules) -> None:
    bad = dataclasses.replace(
        rules.sanctions_by_code["party_serious_warning_duty"], variant_of="nothing"
    )
    others = [s for s in rules.sanctions if s.code != bad.code]
    issues = validate_rules(dataclasses.replace(rules, sanctions=(*others, bad)))
    assert [i.field for i in issues] == ["sanctions.variant_of"]


def person(pid: Any, score: int, *sanctions: SanctionInForce) -> PersonInput:
    return PersonInput(
        person_id=pid,
        name=f"人{pid}",
        unit="甲局",
        item_scores=dict.fromkeys(ITEMS, score),
        group_averages=dict.fromkeys(GROUPS, score),
        sanctions=sanctions,
    )


@pytest.mark.parametrize(
    ("code", "offset", "grade"),
    [
        ("party_probation_1y", 0, Grade.INCOMPETENT),  # year given: 不称职
        ("party_probation_1y", 1, Grade.UNDETERMINED),  # year 2: 不定等次
        ("party_probation_2y", 0, Grade.INCOMPETENT),
        ("party_probation_2y", 1, Grade.UNDETERMINED),  # years 2 and 3: 不定等次
        ("party_probation_2y", 2, Grade.UNDETERMINED),
        ("party_serious_warning", 0, Grade.UNDETERMINED),  # 只写评语不定等次
        ("party_serious_warning_duty", 0, Grade.INCOMPETENT),  # 1998 opinion: 不称职
        ("party_probation", 2, Grade.UNDETERMINED),  # old 留党察看 = 留察二年
    ],
)
def test_engine_grade_per_kind_and_year(
    rules: AssessmentRules, code: str, offset: int, grade: Grade
) -> None:
    # S has the top score 99: without the sanction S would be 优秀
    res = grade_round(rules, [person("S", 99, SanctionInForce(code, offset))] + [person(1, 80)])
    assert res.person("S").proposed_grade is grade


def test_engine_year_three_of_probation_one_year_is_graded_normally(
    rules: AssessmentRules,
) -> None:
    # 留察一年 lasts two years in the table: offset 2 is past its effect, only a warning
    res = grade_round(rules, [person("S", 99, SanctionInForce("party_probation_1y", 2))])
    s = res.person("S")
    assert s.proposed_grade is Grade.EXCELLENT
    assert s.warnings == ("“留党察看（一年）”影响期已过，不影响本年度等次",)


# --------------------------------------------------------------------------- in the database


@pytest.fixture
def three_years(database, units) -> dict[str, int]:  # noqa: ANN001
    """Five cadres in 市委组织部 and the annual rounds 2024-2026, everyone scored the same
    every year (composite = the score): 甲 96, 乙 93, 丙 85, 丁 92, 戊 95.

    甲: 留察一年 given 2024-05-10; 乙: 留察二年 given 2024-05-10; 丙: duty-related 党内严重警告
    given 2024-03-01; 丁: an old record of 2024-06-01 that says only 留党察看; 戊: none."""
    database.create_tables(ASSESSMENT_TABLES)
    scores = {"甲": 96, "乙": 93, "丙": 85, "丁": 92, "戊": 95}
    ids = {}
    for n, name in enumerate(scores, 1):
        ids[name] = Cadre.create(
            name=name,
            sex="男",
            birth_date=dt.date(1980, 1, 1),
            unit=units["org"],
            id_card=f"62040219800101{n:04d}",
            post_title="科员",
        ).id
    add_sanction(ids["甲"], "留党察看（一年）", dt.date(2024, 5, 10), note="违反组织纪律")
    add_sanction(ids["乙"], "party_probation_2y", dt.date(2024, 5, 10), note="违反组织纪律")
    add_sanction(
        ids["丙"], "party_serious_warning_duty", dt.date(2024, 3, 1), note="履职中严重失职"
    )
    # stored before the table split 留党察看 (written straight to the table, as old data is)
    Sanction.create(cadre=ids["丁"], code="party_probation", start_date=dt.date(2024, 6, 1))
    rounds = {}
    for year in (2024, 2025, 2026):
        rnd = create_round(year, user="tester")
        assert add_unit_members(rnd.id, units["org"], user="tester") == 5
        for name, score in scores.items():
            set_scores(rnd.id, [ScoreCell(ids[name], c, score) for c in ITEMS], user="tester")
            set_group_averages(rnd.id, ids[name], dict.fromkeys(GROUPS, score), user="tester")
        rounds[str(year)] = rnd.id
    return rounds


def grades_of(round_id: int) -> dict[str, Any]:
    return {r.name: r for r in compute_grades(round_id).people}


def test_sanctions_by_calendar_year_through_the_grading_service(three_years) -> None:  # noqa: ANN001
    # quota: 20% × 5 = 1 优秀 (四舍五入), so the best-scored gradable person gets it
    g24 = grades_of(three_years["2024"])
    # 2024, the year given: 甲 乙 丁 不称职 (留党察看), 丙 不称职 (duty-related 严重警告);
    # 戊 95 is the only one left → 优秀
    assert {n: r.proposed_grade.value for n, r in g24.items()} == {
        "甲": "不称职",
        "乙": "不称职",
        "丙": "不称职",
        "丁": "不称职",
        "戊": "优秀",
    }
    assert (
        "受党内严重警告（与履职有关），本年度定为不称职（依据：1998年中纪委、中组部、人事部意见："
        in g24["丙"].explanation
    )
    g25 = grades_of(three_years["2025"])
    # 2025, year 2: 甲 乙 丁 不定等次; 丙's 严重警告 affects 2024 only → 85 称职; 戊 95 → 优秀
    assert {n: r.proposed_grade.value for n, r in g25.items()} == {
        "甲": "不定等次",
        "乙": "不定等次",
        "丙": "称职",
        "丁": "不定等次",
        "戊": "优秀",
    }
    assert (
        "受留党察看（一年）（影响期第 2 年），只写评语不定等次（依据：留察一年："
        in g25["甲"].explanation
    )
    g26 = grades_of(three_years["2026"])
    # 2026, year 3: 留察一年 is over → 甲 96 is graded normally and takes the one 优秀,
    # 戊 95 ≥ 90 but has no quota left → 称职; 留察二年 and the old 留党察看 (read as 二年)
    # still 不定等次
    assert {n: r.proposed_grade.value for n, r in g26.items()} == {
        "甲": "优秀",
        "乙": "不定等次",
        "丙": "称职",
        "丁": "不定等次",
        "戊": "称职",
    }
    assert "受留党察看（二年）（影响期第 3 年），只写评语不定等次" in g26["乙"].explanation
    assert "受留党察看（影响期第 3 年），只写评语不定等次" in g26["丁"].explanation
