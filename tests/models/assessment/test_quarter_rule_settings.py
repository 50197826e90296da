"""The 平时考核 score lines as part of a round's rules (QuarterlyRule.good_min,
fairly_good_min, ordinary_min, good_cap_at_least_one): JSON round trip, old stored JSON
without them, the checks with their Chinese messages, and a quarterly round graded by the
lines its rules set.

Default rules: items 德20/能15/勤15/绩30/廉20; pools by unit; 好 cap 40% 四舍五入; quarter
lines 好 ≥ 90, 较好 ≥ 66, 一般 ≥ 55, no "at least one". Every item of a person gets the same
score below, so the quarter score is that score.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest

from models.assessment import (
    ScoreCell,
    add_unit_members,
    create_round,
    round_history,
    round_rules,
    save_rules,
    set_scores,
)
from models.assessment.engine import PersonInput, grade_round, quarter_rule_of
from models.assessment.grading import compute_quarter_grades
from models.assessment.rules import (
    DEFAULT_QUARTER_RULE,
    AssessmentRules,
    QuarterGradeRule,
    QuarterlyRule,
    default_rules,
    rules_from_dict,
    validate_rules,
)
from models.assessment.tables import (
    ASSESSMENT_TABLES,
    KIND_QUARTERLY,
    AssessmentRound,
    QuarterGrade,
)
from models.core.errors import ValidationError
from models.roster.tables import Cadre

D = Decimal
ITEMS = ("de", "neng", "qin", "ji", "lian")
NEW_KEYS = ("good_min", "fairly_good_min", "ordinary_min", "good_cap_at_least_one")


def with_quarterly(rules: AssessmentRules, **kw: Any) -> AssessmentRules:
    return dataclasses.replace(rules, quarterly=dataclasses.replace(rules.quarterly, **kw))


def rules_dict(**quarterly: Any) -> dict[str, Any]:
    """The default rules as stored JSON, with some quarterly keys set."""
    d = json.loads(default_rules().to_json())
    d["quarterly"].update(quarterly)
    return d


def issue_text(exc: ValidationError) -> str:
    return exc.message


# --------------------------------------------------------------------------- defaults


def test_defaults_are_the_lines_the_engine_used_so_far():
    qr = QuarterlyRule()
    assert (qr.good_min, qr.fairly_good_min, qr.ordinary_min) == (D(90), D(66), D(55))
    assert qr.good_cap_at_least_one is False
    assert quarter_rule_of(default_rules()) == DEFAULT_QUARTER_RULE == QuarterGradeRule()


# --------------------------------------------------------------------------- JSON


def test_round_trip_keeps_the_new_fields():
    rules = with_quarterly(
        default_rules(),
        good_min=D("87.5"),
        fairly_good_min=D(70),
        ordinary_min=D(60),
        good_cap_at_least_one=True,
    )
    stored = json.loads(rules.to_json())
    assert stored["quarterly"]["good_min"] == "87.5"
    assert stored["quarterly"]["fairly_good_min"] == "70"
    assert stored["quarterly"]["ordinary_min"] == "60"
    assert stored["quarterly"]["good_cap_at_least_one"] is True
    back = rules_from_dict(stored)
    assert back == rules
    assert quarter_rule_of(back) == QuarterGradeRule(D("87.5"), D(70), D(60), True)


def test_round_trip_of_an_empty_good_line():
    rules = with_quarterly(default_rules(), good_min=None)
    stored = json.loads(rules.to_json())
    assert stored["quarterly"]["good_min"] is None
    back = rules_from_dict(stored)
    assert back.quarterly.good_min is None
    assert back == rules


def test_old_json_without_the_new_keys_loads_with_the_defaults():
    old = rules_dict()
    for key in NEW_KEYS:
        del old["quarterly"][key]
    assert set(old["quarterly"]) == {
        "bar_excellent_grades",
        "min_good_for_excellent",
        "good_cap_percent",
    }
    rules = rules_from_dict(old)
    assert rules.quarterly.good_min == D(90)
    assert rules.quarterly.fairly_good_min == D(66)
    assert rules.quarterly.ordinary_min == D(55)
    assert rules.quarterly.good_cap_at_least_one is False
    assert rules.quarterly.good_cap_percent == D(40)  # the old keys keep their values
    # an old JSON without any quarterly section at all
    del old["quarterly"]
    assert rules_from_dict(old).quarterly == QuarterlyRule()


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("good_min", "九十", "quarterly.good_min：应为数字"),
        ("fairly_good_min", None, "quarterly.fairly_good_min：应为数字"),
        ("ordinary_min", True, "quarterly.ordinary_min：应为数字"),
        ("good_cap_at_least_one", "是", "quarterly.good_cap_at_least_one：应为 true 或 false"),
    ],
)
def test_malformed_values_are_refused_naming_the_key(key: str, value: Any, message: str):
    with pytest.raises(ValidationError) as e:
        rules_from_dict(rules_dict(**{key: value}))
    assert issue_text(e.value) == f"考核规则：{message}"


# --------------------------------------------------------------------------- checks


def test_lines_out_of_order_are_refused_with_the_chinese_message():
    # 较好 95 above 好 90
    with pytest.raises(ValidationError) as e:
        rules_from_dict(rules_dict(fairly_good_min="95"))
    assert "平时考核“好”等次分数线：90 应高于“较好”等次分数线 95" in issue_text(e.value)
    # equal lines are refused too (好 must be higher)
    issues = validate_rules(with_quarterly(default_rules(), ordinary_min=D(66)))
    assert [(i.field, i.label, i.message) for i in issues] == [
        (
            "quarterly.fairly_good_min",
            "平时考核“较好”等次分数线",
            "66 应高于“一般”等次分数线 66",
        )
    ]


def test_lines_outside_0_to_100_are_refused():
    issues = validate_rules(with_quarterly(default_rules(), good_min=D(101), ordinary_min=D(-5)))
    assert [(i.field, i.message) for i in issues] == [
        ("quarterly.good_min", "101 应在 0–100 之间"),
        ("quarterly.ordinary_min", "-5 应在 0–100 之间"),
    ]
    assert [i.label for i in issues] == ["平时考核“好”等次分数线", "平时考核“一般”等次分数线"]


def test_empty_good_line_is_allowed_but_the_other_two_still_in_order():
    assert validate_rules(with_quarterly(default_rules(), good_min=None)) == []
    issues = validate_rules(
        with_quarterly(default_rules(), good_min=None, fairly_good_min=D(50), ordinary_min=D(55))
    )
    assert [i.message for i in issues] == ["50 应高于“一般”等次分数线 55"]


# --------------------------------------------------------------------------- in a round


@pytest.fixture
def q1(database, units):
    """市委组织部 with five cadres 甲..戊 in the 2025 Q1 平时考核 round."""
    database.create_tables(ASSESSMENT_TABLES)
    ids = {
        name: Cadre.create(
            name=name,
            sex="男",
            birth_date=dt.date(1980, 1, 1),
            unit=units["org"],
            id_card=f"62040219800101{n:04d}",
            post_title="科员",
        ).id
        for n, name in enumerate("甲乙丙丁戊", 1)
    }
    rnd = create_round(2025, kind=KIND_QUARTERLY, quarter=1, user="tester")
    assert add_unit_members(rnd.id, units["org"], user="tester") == 5
    return rnd.id, ids


def score_all(rid: int, ids: dict[str, int], scores: dict[str, int]) -> None:
    for name, s in scores.items():
        set_scores(rid, [ScoreCell(ids[name], c, s) for c in ITEMS], user="tester")


def stored() -> dict[str, str]:
    return dict(
        QuarterGrade.select(Cadre.name, QuarterGrade.grade)
        .join(Cadre)
        .where((QuarterGrade.year == 2025) & (QuarterGrade.quarter == 1))
        .tuples()
    )


SCORES = {"甲": 86, "乙": 84, "丙": 70, "丁": 60, "戊": 50}


def test_round_with_good_line_85_grades_86_as_good(q1):
    rid, ids = q1
    score_all(rid, ids, SCORES)
    # default lines first: nobody reaches 90 → 甲 86 and 乙 84 较好 (≥ 66), 丙 70 较好,
    # 丁 60 一般 (55–66), 戊 50 较差
    compute_quarter_grades(rid, user="t")
    assert stored() == {"甲": "较好", "乙": "较好", "丙": "较好", "丁": "一般", "戊": "较差"}

    assert save_rules(rid, with_quarterly(round_rules(rid), good_min=D(85)), reason="调整") == []
    assert round_rules(rid).quarterly.good_min == D(85)
    change = next(h for h in round_history(rid) if h.field == "rules.quarterly.good_min")
    assert (change.old_value, change.new_value) == ("90", "85")
    # 好 ≥ 85: only 甲 86 may be 好; cap 40%×5 = 2 places, 1 used → 甲 好; 乙 84 stays 较好
    out = compute_quarter_grades(rid, user="t")
    assert stored() == {"甲": "好", "乙": "较好", "丙": "较好", "丁": "一般", "戊": "较差"}
    assert out.grading.person(ids["甲"]).grade == "好"


def test_round_with_no_good_line_and_at_least_one_place(q1):
    rid, ids = q1
    score_all(rid, ids, SCORES)
    rules = with_quarterly(
        round_rules(rid), good_min=None, good_cap_percent=D(5), good_cap_at_least_one=True
    )
    assert save_rules(rid, rules) == []
    # no 好 line: everyone ≥ 较好 line 66 may be 好 (甲 86, 乙 84, 丙 70);
    # cap 5%×5 = 0.25 → 四舍五入 0, at least one → 1 place: 甲 好, 乙 and 丙 较好
    compute_quarter_grades(rid, user="t")
    assert stored() == {"甲": "好", "乙": "较好", "丙": "较好", "丁": "一般", "戊": "较差"}

    # the same cap without "at least one": 0 places → nobody is 好
    assert save_rules(rid, with_quarterly(round_rules(rid), good_cap_at_least_one=False)) == []
    compute_quarter_grades(rid, user="t")
    assert stored()["甲"] == "较好"


def test_saving_out_of_order_lines_is_refused_and_nothing_stored(q1):
    rid, _ids = q1
    before = AssessmentRound.get_by_id(rid).rules_json
    bad = with_quarterly(round_rules(rid), good_min=D(80), fairly_good_min=D(85))
    issues = save_rules(rid, bad)
    assert [(i.field, f"{i.label}：{i.message}") for i in issues] == [
        ("quarterly.good_min", "平时考核“好”等次分数线：80 应高于“较好”等次分数线 85")
    ]
    assert AssessmentRound.get_by_id(rid).rules_json == before


def test_round_stored_before_the_fields_existed_grades_with_the_defaults(q1):
    rid, ids = q1
    old = json.loads(AssessmentRound.get_by_id(rid).rules_json)
    for key in NEW_KEYS:
        old["quarterly"].pop(key, None)
    AssessmentRound.update(rules_json=json.dumps(old, ensure_ascii=False)).where(
        AssessmentRound.id == rid
    ).execute()
    assert quarter_rule_of(round_rules(rid)) == QuarterGradeRule(D(90), D(66), D(55), False)
    score_all(rid, ids, {"甲": 95, "乙": 90, "丙": 89, "丁": 55, "戊": 54})
    # 好 ≥ 90: 甲 95 and 乙 90 (cap 2); 丙 89 较好; 丁 55 一般 (line inclusive); 戊 54 较差
    compute_quarter_grades(rid, user="t")
    assert stored() == {"甲": "好", "乙": "好", "丙": "较好", "丁": "一般", "戊": "较差"}


def test_annual_round_warns_with_the_same_cap_on_good():
    """The annual round's warning about too many 好 in a quarter counts the cap as the
    quarterly grading does: 3 people × 10% = 0.3 → 0 places, or 1 with "at least one";
    two 好 in Q1 exceed either."""

    def person(i: int) -> PersonInput:
        return PersonInput(
            i,
            f"人{i}",
            "市委组织部",
            item_scores=dict.fromkeys(ITEMS, 80),
            group_averages=dict.fromkeys(("superior", "peer", "subordinate", "served"), 80),
            quarterly_grades=("好" if i < 2 else "较好",),
        )

    people = [person(i) for i in range(3)]
    for at_least_one, cap in ((False, 0), (True, 1)):
        base = default_rules()
        rules = dataclasses.replace(
            base,
            quarterly=dataclasses.replace(
                base.quarterly, good_cap_percent=D(10), good_cap_at_least_one=at_least_one
            ),
        )
        (pool,) = grade_round(rules, people).pools
        assert f"第 1 季度平时考核“好”等次 2 人，超过上限 {cap} 人" in " ".join(pool.warnings)


def test_no_good_line_needs_a_cap_on_good():
    """Without a 好 line everybody at the 较好 line would be 好 unless a cap limits them."""
    base = default_rules()
    open_ended = dataclasses.replace(
        base, quarterly=dataclasses.replace(base.quarterly, good_min=None, good_cap_percent=None)
    )
    issues = validate_rules(open_ended)
    assert [(i.field, i.message) for i in issues] == [
        (
            "quarterly.good_min",
            "不设“好”等次分数线时，必须设“好”等次比例上限（否则达到“较好”线的人都是“好”）",
        )
    ]
    capped = dataclasses.replace(base, quarterly=dataclasses.replace(base.quarterly, good_min=None))
    assert validate_rules(capped) == []
