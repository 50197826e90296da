"""Tests of the 五项考核 rule engine (models/assessment/engine, models/assessment/rules).

Expected values are worked by hand in the comments next to them.
"""

from __future__ import annotations

import dataclasses
import json
import random
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from models.assessment.engine import (
    FLAG_DISPLACED,
    FLAG_OVER_QUOTA,
    FLAG_TIE,
    FLAG_TIE_UNRESOLVED,
    Adjustment,
    Override,
    PersonInput,
    SanctionInForce,
    composite_score,
    evaluation_score,
    excellent_quota,
    grade_round,
    item_score,
    quota_for,
)
from models.assessment.rules import (
    AssessmentRules,
    Grade,
    GradeThresholds,
    PoolBy,
    QuotaBase,
    RaterGroup,
    Rounding,
    SanctionEffect,
    SanctionRule,
    SchemeItem,
    check_rules,
    default_rules,
    load_rules_file,
    rules_from_dict,
    validate_rules,
)
from models.core.errors import DomainError, ValidationError

D = Decimal
GROUPS = ("superior", "peer", "subordinate", "served")
ITEMS = ("de", "neng", "qin", "ji", "lian")


@pytest.fixture(scope="module")
def rules() -> AssessmentRules:
    return default_rules()


def person(pid: Any, score: str | int, unit: str = "甲局", **kw: Any) -> PersonInput:
    """A person whose every item and every group average is ``score``: composite = score."""
    kw.setdefault("item_scores", dict.fromkeys(ITEMS, score))
    kw.setdefault("group_averages", dict.fromkeys(GROUPS, score))
    return PersonInput(person_id=pid, name=kw.pop("name", f"人{pid}"), unit=unit, **kw)


def split(pid: Any, evaluation: str | int, items: str | int, **kw: Any) -> PersonInput:
    return person(
        pid,
        0,
        item_scores=dict.fromkeys(ITEMS, items),
        group_averages=dict.fromkeys(GROUPS, evaluation),
        **kw,
    )


def with_quota(rules: AssessmentRules, **kw: Any) -> AssessmentRules:
    return dataclasses.replace(rules, quota=dataclasses.replace(rules.quota, **kw))


def grades(result: Any) -> dict[Any, Grade]:
    return {p.person_id: p.proposed_grade for p in result.people}


# --------------------------------------------------------------------------------------
# configuration


def test_default_rules_hold_the_documented_defaults(rules: AssessmentRules) -> None:
    assert [(i.name, i.weight) for i in rules.items] == [
        ("德", 20),
        ("能", 15),
        ("勤", 15),
        ("绩", 30),
        ("廉", 20),
    ]
    assert [g.name for g in rules.rater_groups] == ["上级领导", "同级", "下级", "服务对象"]
    assert sum(g.weight for g in rules.rater_groups) == 1
    assert [(v.label, v.value) for v in rules.vote_values] == [
        ("优秀", 100),
        ("称职", 80),
        ("基本称职", 60),
        ("不称职", 40),
    ]
    assert rules.quota.percent == 20
    assert rules.quota.max_percent == 25
    assert rules.quota.rounding is Rounding.HALF_UP
    assert rules.composite.evaluation_weight == 40
    assert rules.composite.items_weight == 60
    assert rules.sanctions_by_code["admonition"].effects == (SanctionEffect.BAR_EXCELLENT,)
    assert rules.sanctions_by_code["party_expelled"].effects == (
        SanctionEffect.FORCE_INCOMPETENT,
        SanctionEffect.NO_GRADE,
        SanctionEffect.NO_GRADE,
    )
    assert validate_rules(rules) == []


def test_rules_round_trip_through_json(rules: AssessmentRules, tmp_path: Path) -> None:
    text = rules.to_json()
    assert rules_from_dict(json.loads(text)) == rules
    path = tmp_path / "r.json"
    path.write_text(text, encoding="utf-8")
    assert load_rules_file(path) == rules


def _messages(rules: AssessmentRules) -> str:
    return " | ".join(f"{i.label}：{i.message}" for i in validate_rules(rules))


def test_validation_says_which_weights_and_by_how_much(rules: AssessmentRules) -> None:
    items = list(rules.items)
    items[0] = dataclasses.replace(items[0], weight=D(15))  # 德 20 -> 15: total 95
    groups = (
        RaterGroup("a", "上级领导", D("0.5")),
        RaterGroup("b", "同级", D("0.4")),
    )  # 0.9
    bad = dataclasses.replace(
        rules,
        items=tuple(items),
        rater_groups=groups,
        composite=dataclasses.replace(rules.composite, items_weight=D(50)),
    )
    text = _messages(bad)
    assert "考核项目权重（不含重点内容加权）：合计为 95，应为 100（少 5）" in text
    assert "民主测评各评价组权重：合计为 0.9，应为 1（少 0.1）" in text
    assert "民主测评 40 + 项目 50 = 90，应为 100（少 10）" in text
    with pytest.raises(ValidationError) as exc:
        check_rules(bad)
    assert "少 5" in exc.value.message


def test_validation_too_much_weight_says_more(rules: AssessmentRules) -> None:
    items = list(rules.items)
    items[3] = dataclasses.replace(items[3], weight=D(40))  # 绩 30 -> 40: total 110
    assert "合计为 110，应为 100（多 10）" in _messages(
        dataclasses.replace(rules, items=tuple(items))
    )


def test_validation_other_errors(rules: AssessmentRules) -> None:
    bad = dataclasses.replace(
        rules,
        items=(*rules.items, dataclasses.replace(rules.items[0], weight=D(0))),  # duplicate de
        thresholds=GradeThresholds(excellent_min=D(60), competent_min=D(66), basic_min=D(55)),
        quota=dataclasses.replace(rules.quota, percent=D(30), max_percent=D(25)),
        tie_break=("evaluation", "item:xx", "luck"),
        sanctions=(SanctionRule("x", "某处分", ()),),
    )
    text = _messages(bad)
    assert "代码“de”重复" in text
    assert "优秀分数线 60 低于称职分数线 66" in text
    assert "25% 应不低于一般比例 30%" in text
    assert "考核项目“xx”不存在" in text
    assert "不认识的排序依据“luck”" in text
    assert "处分“某处分”：至少需要一年的影响" in text
    assert "权重为 0 的项目只能作为一票否决项目" in text


def test_from_dict_reports_the_bad_field(rules: AssessmentRules) -> None:
    data = rules.to_dict()
    data["sanctions"][0]["effects"] = ["罚款"]
    with pytest.raises(ValidationError) as exc:
        rules_from_dict(data)
    assert "sanctions[1].effects[1]" in exc.value.message
    assert "“罚款”不是可选值" in exc.value.message

    data = rules.to_dict()
    data["items"][2]["weight"] = "十五"
    with pytest.raises(ValidationError, match=r"items\[3\]\.weight：应为数字"):
        rules_from_dict(data)

    data = rules.to_dict()
    del data["items"]
    with pytest.raises(ValidationError, match="items：缺少此项"):
        rules_from_dict(data)

    data = rules.to_dict()
    data["items"][0]["weight"] = 25  # total 105
    with pytest.raises(ValidationError, match="多 5"):
        rules_from_dict(data)


def test_load_rules_file_bad_json(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"name": "x",\n  "items": [}', encoding="utf-8")
    with pytest.raises(DomainError, match="不是有效的 JSON：第 2 行"):
        load_rules_file(path)
    with pytest.raises(DomainError, match="无法读取考核规则文件"):
        load_rules_file(tmp_path / "missing.json")


# --------------------------------------------------------------------------------------
# scores


def test_item_score_weighted(rules: AssessmentRules) -> None:
    # 90×20% + 80×15% + 70×15% + 60×30% + 100×20% = 18 + 12 + 10.5 + 18 + 20 = 78.5
    scores = {"de": 90, "neng": 80, "qin": 70, "ji": 60, "lian": 100}
    assert item_score(rules, scores) == D("78.50")


def test_item_score_full_score_and_key_topic_weight(rules: AssessmentRules) -> None:
    # A: weight 50, full 20; B: weight 50 + 25 key topic (城市转型), full 100.
    # (16/20×50 + 60/100×75) / 125 × 100 = (40 + 45) / 125 × 100 = 68
    r = dataclasses.replace(
        rules,
        items=(
            SchemeItem("a", "A", D(50), full_score=D(20)),
            SchemeItem("b", "B", D(50), key_topic="城市转型", key_topic_weight=D(25)),
        ),
        tie_break=("evaluation",),
    )
    assert validate_rules(r) == []
    assert item_score(r, {"a": 16, "b": 60}) == D("68.00")


def test_item_score_bad_inputs(rules: AssessmentRules) -> None:
    with pytest.raises(ValidationError, match="“德”得分 105 超出 0–100"):
        item_score(rules, {"de": 105, "neng": 80, "qin": 70, "ji": 60, "lian": 100})
    with pytest.raises(ValidationError, match="缺少“廉”得分"):
        item_score(rules, {"de": 90, "neng": 80, "qin": 70, "ji": 60})
    with pytest.raises(ValidationError, match="考核项目“xx”不在本轮考核方案中"):
        item_score(rules, {"xx": 1, "de": 90, "neng": 80, "qin": 70, "ji": 60, "lian": 1})
    with pytest.raises(ValidationError, match="“绩”得分：“abc”不是数字"):
        item_score(rules, {"de": 90, "neng": 80, "qin": 70, "ji": "abc", "lian": 100})


def test_evaluation_from_votes(rules: AssessmentRules) -> None:
    votes = {
        "superior": {"优秀": 8, "称职": 2},  # (800 + 160) / 10 = 96
        "peer": {"优秀": 5, "称职": 5},  # (500 + 400) / 10 = 90
        "subordinate": {"优秀": 10},  # 100
        "served": {"称职": 2, "不称职": 2},  # (160 + 80) / 4 = 60
    }
    # 96×0.3 + 90×0.3 + 100×0.2 + 60×0.2 = 28.8 + 27 + 20 + 12 = 87.8
    assert evaluation_score(rules, votes=votes) == D("87.80")


def test_evaluation_from_averages_and_missing_group(rules: AssessmentRules) -> None:
    avg = {"superior": 90, "peer": 80, "subordinate": 70, "served": 60}
    # 27 + 24 + 14 + 12 = 77
    assert evaluation_score(rules, averages=avg) == D("77.00")
    # only two groups: (27 + 24) / 0.6 = 85
    assert evaluation_score(rules, averages={"superior": 90, "peer": 80}) == D("85.00")
    # a third of a point: (100×1 + 80×2) / 3 = 86.666.. -> 86.67 (one group, weight rescaled)
    assert evaluation_score(rules, votes={"peer": {"优秀": 1, "称职": 2}}) == D("86.67")


def test_evaluation_bad_inputs(rules: AssessmentRules) -> None:
    with pytest.raises(ValidationError, match="只能填写票数或平均分之一"):
        evaluation_score(rules, votes={"peer": {"优秀": 1}}, averages={"peer": 90})
    with pytest.raises(ValidationError, match="“同级”组“优秀”票数 -1 应为不小于 0 的整数"):
        evaluation_score(rules, votes={"peer": {"优秀": -1}})
    with pytest.raises(ValidationError, match="票种“很好”不在测评票分值表中"):
        evaluation_score(rules, votes={"peer": {"很好": 3}})
    with pytest.raises(ValidationError, match="评价组“boss”不在本轮考核方案中"):
        evaluation_score(rules, averages={"boss": 90})
    with pytest.raises(ValidationError, match="没有有效票"):
        evaluation_score(rules, votes={"peer": {"优秀": 0}})


def test_composite_score(rules: AssessmentRules) -> None:
    # 86×40% + 90×60% + 0.5 = 34.4 + 54 + 0.5 = 88.9
    parts = composite_score(rules, D("86"), D("90"), [Adjustment(D("0.5"), "抢险救灾表现突出")])
    assert parts.composite == D("88.90")
    # bonus 3 + 4 = 7 capped at 5; penalty 2: 34.4 + 54 + 5 - 2 = 91.4
    parts = composite_score(
        rules,
        86,
        90,
        [Adjustment(3, "获市级表彰"), Adjustment(4, "重点项目"), Adjustment(-2, "通报批评")],
    )
    assert (parts.bonus_raw, parts.bonus, parts.penalty, parts.composite) == (
        7,
        5,
        2,
        D("91.40"),
    )
    # 80×40% + 80×60% + 0.005 = 80.005 -> 四舍五入 80.01 (not banker's 80.00)
    assert composite_score(rules, 80, 80, [Adjustment("0.005", "x")]).composite == D("80.01")
    with pytest.raises(ValidationError, match="第 1 项加减分（1 分）没有填写理由"):
        composite_score(rules, 80, 80, [Adjustment(1, "  ")])


# --------------------------------------------------------------------------------------
# quota


@pytest.mark.parametrize(
    ("percent", "people", "rounding", "at_least_one", "expected"),
    [
        (20, 23, Rounding.HALF_UP, True, 5),  # 4.6 -> 5
        (20, 22, Rounding.HALF_UP, True, 4),  # 4.4 -> 4
        (25, 10, Rounding.HALF_UP, True, 3),  # 2.5 -> 3
        (25, 10, Rounding.DOWN, True, 2),  # 2.5 -> 2
        (20, 21, Rounding.UP, True, 5),  # 4.2 -> 5
        (20, 20, Rounding.UP, True, 4),  # 4 exactly stays 4
        (20, 24, Rounding.DOWN, True, 4),  # 4.8 -> 4
        (20, 2, Rounding.HALF_UP, True, 1),  # 0.4 -> 0 -> at least one
        (20, 2, Rounding.HALF_UP, False, 0),  # 0.4 -> 0
        (20, 4, Rounding.DOWN, True, 1),  # 0.8 -> 0 -> at least one
        (20, 0, Rounding.UP, True, 0),  # empty pool
    ],
)
def test_quota_rounding(
    percent: int, people: int, rounding: Rounding, at_least_one: bool, expected: int
) -> None:
    assert quota_for(D(percent), people, rounding, at_least_one).quota == expected


def test_quota_text(rules: AssessmentRules) -> None:
    assert excellent_quota(rules, 23).text == "20%×23=4.6，四舍五入为 5 名"
    assert excellent_quota(rules, 2).text == "20%×2=0.4，四舍五入为 0 名，不足 1 名按 1 名计"
    raised = excellent_quota(rules, 23, raised=True)  # 25% × 23 = 5.75 -> 6
    assert (raised.raw, raised.quota) == (D("5.75"), 6)


# --------------------------------------------------------------------------------------
# grading a round


def test_top_of_pool_gets_quota_rest_competent(rules: AssessmentRules) -> None:
    # 10 people 99..90, quota 20%×10 = 2
    people = [person(i, 99 - i) for i in range(10)]
    res = grade_round(rules, people)
    g = grades(res)
    assert [pid for pid, gr in g.items() if gr is Grade.EXCELLENT] == [0, 1]
    assert all(g[i] is Grade.COMPETENT for i in range(2, 10))
    assert [res.person(i).rank for i in range(10)] == list(range(1, 11))
    pool = res.pool("甲局")
    assert pool.quota.quota == 2
    assert pool.counts[Grade.EXCELLENT] == 2
    assert pool.counts[Grade.COMPETENT] == 8
    assert (
        pool.explanation
        == "甲局：本单位 10 人，优秀名额 20%×10=2，四舍五入为 2 名；优秀 2 人、称职 8 人。"
    )


def test_score_thresholds(rules: AssessmentRules) -> None:
    # default floors: 优秀 ≥ 90, 称职 ≥ 66, 基本称职 ≥ 55
    people = [
        person(1, "89.99"),
        person(2, 66),
        person(3, "65.99"),
        person(4, 55),
        person(5, "54.99"),
    ]
    g = grades(grade_round(rules, people))
    # quota 1, but nobody reaches 90
    assert g == {
        1: Grade.COMPETENT,
        2: Grade.COMPETENT,
        3: Grade.BASIC,
        4: Grade.BASIC,
        5: Grade.INCOMPETENT,
    }


def test_explanation_reads_like_the_example(rules: AssessmentRules) -> None:
    r = dataclasses.replace(
        rules, thresholds=dataclasses.replace(rules.thresholds, excellent_min=None)
    )
    # 23 people; the target: 测评 86, 项目 90, 加分 0.5 -> 88.90, third place
    people = [person(i, 95 - i) for i in range(1, 3)]  # 94, 93
    people.append(
        split(
            "T",
            86,
            90,
            name="张三",
            adjustments=(Adjustment(D("0.5"), "获县级表彰"),),
            sanctions=(SanctionInForce("admonition"),),
        )
    )
    people += [person(i, 80) for i in range(3, 23)]
    res = grade_round(r, people)
    t = res.person("T")
    assert t.composite == D("88.90")
    assert t.rank == 3
    assert t.proposed_grade is Grade.COMPETENT
    assert t.explanation == (
        "综合得分 88.90（测评 86.00×40% + 项目 90.00×60% + 加分 0.5）；"
        "本单位 23 人，优秀名额 20%×23=4.6，四舍五入为 5 名；排名第 3；"
        "受诫勉，本年度不得评为优秀；拟定等次：称职。"
    )
    # quota 5: 94, 93, then three of the 80s (by the tie-break order all equal -> tie)
    assert res.pool("甲局").quota.quota == 5


@pytest.mark.parametrize(
    ("code", "offset", "grade", "category"),
    [
        ("admonition", 0, Grade.COMPETENT, None),  # 诫勉: not 优秀
        ("party_warning", 0, Grade.COMPETENT, None),
        ("party_serious_warning", 0, Grade.UNDETERMINED, "处分期"),
        ("gov_demerit", 0, Grade.UNDETERMINED, "处分期"),
        ("party_post_removed", 0, Grade.INCOMPETENT, None),
        ("party_probation", 0, Grade.INCOMPETENT, None),
        ("party_probation", 1, Grade.UNDETERMINED, "处分期"),
        ("party_expelled", 2, Grade.UNDETERMINED, "处分期"),
        ("gov_major_demerit", 1, Grade.UNDETERMINED, "处分期"),
        ("removed_from_post", 0, Grade.UNDETERMINED, "处分期"),
    ],
)
def test_each_sanction_effect(
    rules: AssessmentRules, code: str, offset: int, grade: Grade, category: str | None
) -> None:
    # the sanctioned person has the top score 99; the other 4 have 95..92
    people = [person("S", 99, sanctions=(SanctionInForce(code, offset),))]
    people += [person(i, 95 - i) for i in range(4)]
    res = grade_round(rules, people)
    s = res.person("S")
    assert s.proposed_grade is grade
    assert s.no_grade_category == category
    assert s.barred_from_excellent
    name = rules.sanctions_by_code[code].name
    assert f"受{name}" in s.explanation
    # the quota (20%×5 = 1) goes to somebody else
    assert res.pool("甲局").counts[Grade.EXCELLENT] == 1


def test_sanction_effect_period_over_and_heaviest(rules: AssessmentRules) -> None:
    people = [
        person("A", 99, sanctions=(SanctionInForce("admonition", 1),)),  # 诫勉 lasts 1 year
        person(
            "B", 98, sanctions=(SanctionInForce("admonition"), SanctionInForce("party_expelled"))
        ),
        person("C", 97, sanctions=(SanctionInForce("admonition"), SanctionInForce("gov_demerit"))),
    ]
    people += [person(i, 80) for i in range(7)]  # 10 people -> quota 2
    res = grade_round(rules, people)
    a, b, c = res.person("A"), res.person("B"), res.person("C")
    assert a.proposed_grade is Grade.EXCELLENT
    assert a.warnings == ("“诫勉”影响期已过，不影响本年度等次",)
    assert b.proposed_grade is Grade.INCOMPETENT
    assert "多项处分并存，按最重的“定为不称职”处理" in b.explanation
    assert c.proposed_grade is Grade.UNDETERMINED


def test_custom_sanction_forcing_basic(rules: AssessmentRules) -> None:
    r = dataclasses.replace(
        rules,
        sanctions=(
            *rules.sanctions,
            SanctionRule("local", "某地方处理", (SanctionEffect.FORCE_BASIC,)),
        ),
    )
    res = grade_round(r, [person("A", 99, sanctions=(SanctionInForce("local"),))])
    assert res.person("A").proposed_grade is Grade.BASIC


def test_status_flags_give_no_grade(rules: AssessmentRules) -> None:
    people = [
        # probation: no scores needed at all
        PersonInput("P", "试用者", "甲局", on_probation=True),
        person("I", 99, under_investigation=True),
        person("L", 99, leave_days=183),
        person("K", 99, leave_days=182),
        person("X", 70),
    ]
    res = grade_round(rules, people)
    assert res.person("P").proposed_grade is Grade.UNDETERMINED
    assert res.person("P").no_grade_category == "试用期"
    assert res.person("P").composite is None
    assert res.person("P").rank is None
    assert "试用期内，只写评语不定等次" in res.person("P").explanation
    assert res.person("I").proposed_grade is Grade.UNDETERMINED
    assert res.person("I").no_grade_category == "其他"
    assert res.person("L").proposed_grade is Grade.UNDETERMINED
    assert "病事假 183 天（达到 183 天），不定等次" in res.person("L").explanation
    assert res.person("K").proposed_grade is Grade.EXCELLENT  # quota 1, K is the only candidate
    pool = res.pool("甲局")
    assert pool.counts[Grade.UNDETERMINED] == 3
    assert pool.no_grade_counts == {"试用期": 1, "处分期": 0, "其他": 2}


def _veto_rules(rules: AssessmentRules) -> AssessmentRules:
    safety = SchemeItem(
        "safety", "安全生产", D(0), is_veto=True, veto_below=D(60), veto_max_grade=Grade.BASIC
    )
    return dataclasses.replace(rules, items=(*rules.items, safety))


def test_veto_item_caps_grade(rules: AssessmentRules) -> None:
    r = _veto_rules(rules)
    assert validate_rules(r) == []
    scores_ok = {**dict.fromkeys(ITEMS, 99), "safety": 80}
    scores_low = {**dict.fromkeys(ITEMS, 99), "safety": "59.5"}
    people = [
        person("V", 99, veto_failures=("safety",)),
        person("W", 99, item_scores=scores_low),
        person("OK", 99, item_scores=scores_ok),
    ]
    res = grade_round(r, people)
    assert res.person("V").proposed_grade is Grade.BASIC
    assert "“安全生产”一票否决，等次最高为基本称职" in res.person("V").explanation
    assert res.person("W").proposed_grade is Grade.BASIC
    assert "“安全生产”得分 59.5 低于否决线 60" in res.person("W").explanation
    assert res.person("OK").proposed_grade is Grade.EXCELLENT
    # a veto-only item has no weight: the items score is unchanged
    assert res.person("OK").composite == D("99.00")
    with pytest.raises(ValidationError, match="“de”不是本轮考核方案中的一票否决项目"):
        grade_round(r, [person("V", 99, veto_failures=("de",))])


def test_quarterly_rules(rules: AssessmentRules) -> None:
    people = [person("Q", 99, quarterly_grades=("好", "较差", "好", None))]
    people += [person(i, 95 - i, quarterly_grades=("好", "好")) for i in range(4)]
    res = grade_round(rules, people)
    q = res.person("Q")
    assert q.proposed_grade is Grade.COMPETENT
    assert "第 2 季度平时考核为较差，不得评为优秀" in q.explanation
    # 好 cap 40%×5 = 2 (四舍五入); Q1 has 5 好, Q2 has 4 好
    assert res.pool("甲局").warnings == (
        "第 1 季度平时考核“好”等次 5 人，超过上限 2 人（40%×5=2，四舍五入为 2 名）",
        "第 2 季度平时考核“好”等次 4 人，超过上限 2 人（40%×5=2，四舍五入为 2 名）",
    )
    # minimum number of 好 quarters for 优秀
    r = dataclasses.replace(
        rules, quarterly=dataclasses.replace(rules.quarterly, min_good_for_excellent=3)
    )
    res = grade_round(
        r,
        [
            person("A", 99, quarterly_grades=("好", "好", "较好", "好")),
            person("B", 99.5, quarterly_grades=("好", "好")),
        ],
    )
    assert res.person("A").proposed_grade is Grade.EXCELLENT
    assert res.person("B").proposed_grade is Grade.COMPETENT
    assert "平时考核“好”等次 2 次，少于 3 次，不得评为优秀" in res.person("B").explanation
    with pytest.raises(ValidationError, match="第 1 季度平时考核等次“优”应为好/较好/一般/较差"):
        grade_round(rules, [person("A", 99, quarterly_grades=("优",))])


def test_tie_at_quota_line_resolved_by_evaluation(rules: AssessmentRules) -> None:
    # 5 people -> quota 1. A: 95/95 -> 95.00; B: 测评 98, 项目 93 -> 39.2 + 55.8 = 95.00.
    people = [split("A", 95, 95), split("B", 98, 93)] + [person(i, 91) for i in range(3)]
    res = grade_round(rules, people)
    a, b = res.person("A"), res.person("B")
    assert a.composite == b.composite == D("95.00")
    assert b.proposed_grade is Grade.EXCELLENT  # higher 民主测评 wins (first tie-break key)
    assert a.proposed_grade is Grade.COMPETENT
    assert (b.rank, a.rank) == (1, 2)
    assert FLAG_TIE in a.flags
    assert FLAG_TIE in b.flags
    assert "名额线并列（综合得分同为 95.00），按民主测评得分确定，未获得优秀名额" in a.explanation
    assert res.pool("甲局").warnings == (
        "名额线并列：人B、人A（综合得分 95.00），已按民主测评得分确定",
    )


def test_tie_resolved_by_later_key(rules: AssessmentRules) -> None:
    # Same 测评 (95) and the same items score; 绩 decides (second key in the default order).
    a = person("A", 95, item_scores={"de": 95, "neng": 95, "qin": 95, "ji": 95, "lian": "94.75"})
    b = person("B", 95, item_scores={"de": 94, "neng": 95, "qin": 95, "ji": "95.5", "lian": 95})
    # A: 19 + 14.25 + 14.25 + 28.5 + 18.95 = 94.95; B: 18.8 + 14.25 + 14.25 + 28.65 + 19 = 94.95
    # composite: 95×40% + 94.95×60% = 38 + 56.97 = 94.97 for both
    res = grade_round(rules, [a, b, *(person(i, 91) for i in range(3))])
    assert res.person("A").composite == res.person("B").composite == D("94.97")
    assert res.person("B").proposed_grade is Grade.EXCELLENT
    assert "按“绩”得分确定，获得优秀名额" in res.person("B").explanation


def test_unresolved_tie_leaves_place_to_committee(rules: AssessmentRules) -> None:
    people = [person("A", 95), person("B", 95)] + [person(i, 91) for i in range(3)]
    res = grade_round(rules, people)
    assert res.person("A").proposed_grade is Grade.COMPETENT
    assert res.person("B").proposed_grade is Grade.COMPETENT
    assert res.person("A").rank == res.person("B").rank == 1
    assert FLAG_TIE_UNRESOLVED in res.person("A").flags
    assert res.pool("甲局").counts[Grade.EXCELLENT] == 0
    assert "空出 1 个优秀名额待考核委员会确定" in res.pool("甲局").warnings[0]
    # the committee settles it within the quota: no approval needed
    people[1] = person("B", 95, override=Override(Grade.EXCELLENT, "年度重点任务表现更突出"))
    res = grade_round(rules, people)
    assert grades(res)["B"] is Grade.EXCELLENT
    assert grades(res)["A"] is Grade.COMPETENT
    assert "考核委员会调整为优秀（理由：年度重点任务表现更突出）" in res.person("B").explanation


def test_override_needs_a_reason(rules: AssessmentRules) -> None:
    with pytest.raises(ValidationError, match=r"人1（1）：考核委员会调整为称职，必须填写理由"):
        grade_round(rules, [person(1, 99, override=Override(Grade.COMPETENT, " "))])
    with pytest.raises(ValidationError, match="“甲等”不是有效等次"):
        grade_round(rules, [person(1, 99, override=Override("甲等", "x"))])


def test_override_above_quota_refused_unless_approved(rules: AssessmentRules) -> None:
    # 10 people: quota 2, approved maximum 25%×10 = 2.5 -> 3
    def build(approved: bool, n_over: int) -> list[PersonInput]:
        people = [person(i, 99 - i) for i in range(10)]
        for i in range(5, 5 + n_over):
            people[i] = person(i, 99 - i, override=Override(Grade.EXCELLENT, "表现突出", approved))
        return people

    with pytest.raises(DomainError) as exc:
        grade_round(rules, build(False, 3))
    assert "甲局：优秀名额 2 名，考核委员会调整为优秀的有 3 名，超出名额" in exc.value.message
    assert "人5（5）、人6（6）、人7（7） 的调整未经批准" in exc.value.message

    res = grade_round(rules, build(True, 3))
    assert [p.person_id for p in res.people if p.proposed_grade is Grade.EXCELLENT] == [5, 6, 7]
    assert all(FLAG_OVER_QUOTA in res.person(i).flags for i in (5, 6, 7))
    assert res.person(0).proposed_grade is Grade.COMPETENT
    assert FLAG_DISPLACED in res.person(0).flags
    assert res.pool("甲局").warnings == ("考核委员会经批准将 3 人调整为优秀，超出名额 2 名",)

    with pytest.raises(DomainError, match="即使经批准也不能超过 25%"):
        grade_round(rules, build(True, 4))


def test_override_within_quota_displaces_last_and_lowering_frees_a_place(
    rules: AssessmentRules,
) -> None:
    people = [person(i, 99 - i) for i in range(10)]  # quota 2: 0 and 1
    people[5] = person(5, 94, override=Override(Grade.EXCELLENT, "完成重大任务"))
    res = grade_round(rules, people)
    assert [p.person_id for p in res.people if p.proposed_grade is Grade.EXCELLENT] == [0, 5]
    assert res.person(1).system_grade is Grade.COMPETENT
    assert FLAG_DISPLACED in res.person(1).flags
    assert res.person(5).system_grade is Grade.COMPETENT
    assert res.person(5).overridden

    people = [person(i, 99 - i) for i in range(10)]
    people[0] = person(0, 99, override=Override(Grade.COMPETENT, "本人申请让出名额"))
    res = grade_round(rules, people)
    assert [p.person_id for p in res.people if p.proposed_grade is Grade.EXCELLENT] == [1, 2]
    assert res.person(0).system_grade is Grade.EXCELLENT
    assert res.person(0).proposed_grade is Grade.COMPETENT


def test_override_cannot_break_binding_rules(rules: AssessmentRules) -> None:
    barred = person(
        1,
        99,
        sanctions=(SanctionInForce("admonition"),),
        override=Override(Grade.EXCELLENT, "x", True),
    )
    with pytest.raises(DomainError, match="受诫勉，本年度不得评为优秀，考核委员会不能调整为优秀"):
        grade_round(rules, [barred])
    prob = PersonInput(2, "试用者", "甲局", on_probation=True, override=Override("称职", "x"))
    with pytest.raises(DomainError, match="考核委员会不能调整为称职"):
        grade_round(rules, [prob])
    r = _veto_rules(rules)
    vetoed = person(3, 99, veto_failures=("safety",), override=Override(Grade.COMPETENT, "x"))
    with pytest.raises(DomainError, match="等次最高为基本称职，考核委员会不能调整为称职"):
        grade_round(r, [vetoed])
    # lowering and 不定等次 are always possible
    res = grade_round(
        rules,
        [
            person(4, 99, override=Override(Grade.UNDETERMINED, "年内调入不足半年")),
            person(5, 60, override=Override(Grade.COMPETENT, "得分受客观因素影响")),
        ],
    )
    assert grades(res) == {4: Grade.UNDETERMINED, 5: Grade.COMPETENT}


def test_raised_quota_only_for_approved_pools(rules: AssessmentRules) -> None:
    people = [person(f"a{i}", 99 - i, unit="甲局") for i in range(23)]
    people += [person(f"b{i}", 99 - i, unit="乙局") for i in range(23)]
    res = grade_round(rules, people, approved_pools={"乙局"})
    assert res.pool("甲局").counts[Grade.EXCELLENT] == 5  # 4.6 -> 5
    assert res.pool("乙局").counts[Grade.EXCELLENT] == 6  # 25%×23 = 5.75 -> 6
    assert "优秀名额（经批准按 25%）25%×23=5.75，四舍五入为 6 名" in res.pool("乙局").explanation
    with pytest.raises(ValidationError, match="丙局：批准提高优秀比例的考核范围在本轮没有人员"):
        grade_round(rules, people, approved_pools={"丙局"})


def test_pools_by_rank_layer_do_not_share_quota(rules: AssessmentRules) -> None:
    r = with_quota(rules, pool_by=PoolBy.UNIT_LAYER)
    people = [person(f"L{i}", 99 - i, layer="科级领导") for i in range(5)]  # quota 1
    people += [person(f"O{i}", 90, layer="其他干部") for i in range(3)]  # 0.6 -> 1
    res = grade_round(r, people)
    assert [s.pool_key for s in res.pools] == ["甲局｜科级领导", "甲局｜其他干部"]
    assert res.pool("甲局｜科级领导").counts[Grade.EXCELLENT] == 1
    assert res.pool("甲局｜其他干部").counts[Grade.EXCELLENT] == 0  # 3-way unresolved tie
    assert "本单位“科级领导”层次 5 人" in res.person("L0").explanation
    with pytest.raises(ValidationError, match="职级层次不能为空"):
        grade_round(r, [person("X", 90)])


def test_quota_base_graded_excludes_no_grade(rules: AssessmentRules) -> None:
    people = [person(i, 99 - i) for i in range(7)]
    people.append(PersonInput("P", "试用者", "甲局", on_probation=True))
    # all 8: 20%×8 = 1.6 -> 2; graded only 7: 1.4 -> 1
    assert grade_round(rules, people).pool("甲局").quota.quota == 2
    r = with_quota(rules, base=QuotaBase.GRADED)
    res = grade_round(r, people)
    assert res.pool("甲局").quota.quota == 1
    assert "本单位 8 人（确定等次 7 人）" in res.person(0).explanation


def test_bad_person_inputs_are_all_reported(rules: AssessmentRules) -> None:
    people = [
        PersonInput(1, "张三", "甲局", item_scores=dict.fromkeys(ITEMS, 90)),  # no 测评
        PersonInput(2, "李四", "", group_averages=dict.fromkeys(GROUPS, 90)),  # no unit, no items
        person(1, 90, name="王五"),  # duplicate id
        person(4, 90, sanctions=(SanctionInForce("jail"),)),
        person(5, 90, adjustments=(Adjustment(1, ""),)),
    ]
    with pytest.raises(ValidationError) as exc:
        grade_round(rules, people)
    msg = exc.value.message
    assert "张三（1）：缺少民主测评票数或平均分" in msg
    assert "李四（2）：所属单位不能为空" in msg
    assert "李四（2）：缺少“德”“能”“勤”“绩”“廉”得分" in msg
    assert "王五（1）：人员编号在本轮中重复" in msg
    assert "处分“jail”不在处分影响表中" in msg
    assert "第 1 项加减分（1 分）没有填写理由" in msg


def test_results_are_frozen_and_serialisable(rules: AssessmentRules) -> None:
    res = grade_round(rules, [person(1, 99, adjustments=(Adjustment("0.5", "表彰"),))])
    p = res.person(1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.proposed_grade = Grade.BASIC  # type: ignore[misc]
    data = json.loads(json.dumps(res.to_dict(), ensure_ascii=False))
    # 99 + 0.5 = 99.50
    assert data["people"][0]["composite"] == "99.50"
    assert data["people"][0]["proposed_grade"] == "优秀"
    assert data["pools"][0]["counts"]["优秀"] == 1


# --------------------------------------------------------------------------------------
# invariants over random rounds


def _quota_by_hand(percent: int, n: int, rounding: Rounding, at_least_one: bool) -> int:
    x = Fraction(percent * n, 100)
    if rounding is Rounding.HALF_UP:
        q = int(x + Fraction(1, 2))
    elif rounding is Rounding.UP:
        q = -((-x.numerator) // x.denominator)
    else:
        q = x.numerator // x.denominator
    return 1 if at_least_one and n > 0 and q == 0 else q


def _random_person(rng: random.Random, i: int, n_pools: int, override: bool) -> PersonInput:
    def sc() -> str:
        return f"{rng.uniform(60, 100):.2f}"

    sanctions: tuple[SanctionInForce, ...] = ()
    if rng.random() < 0.08:
        sanctions = (
            SanctionInForce(
                rng.choice(["admonition", "party_warning", "gov_demerit", "party_expelled"]),
                rng.randint(0, 3),
            ),
        )
    quarterly = tuple(rng.choice(["好", "较好", "一般", "较差", None]) for _ in range(4))
    if rng.random() < 0.8:
        quarterly = tuple(g if g != "较差" else "一般" for g in quarterly)
    ov = None
    if override and rng.random() < 0.05:
        ov = Override(rng.choice([Grade.COMPETENT, Grade.BASIC, Grade.UNDETERMINED]), "委员会意见")
    if rng.random() < 0.5:
        votes: Any = {
            g: {"优秀": rng.randint(0, 12), "称职": rng.randint(0, 3), "不称职": rng.randint(0, 1)}
            for g in GROUPS
        }
        votes["superior"]["优秀"] += 1  # at least one valid vote
    else:
        votes = None
    # scores bunch up near the top so that ties and quota lines happen
    base = rng.choice(["91", "93", "95", "97", "97", sc(), sc()])
    averages: Any = None
    if votes is None:
        averages = dict.fromkeys(GROUPS, base) if rng.random() < 0.7 else {g: sc() for g in GROUPS}
    p = PersonInput(
        person_id=i,
        name=f"人{i}",
        unit=f"单位{rng.randrange(n_pools)}",
        item_scores=(
            dict.fromkeys(ITEMS, base) if rng.random() < 0.6 else {c: sc() for c in ITEMS}
        ),
        votes=votes,
        group_averages=averages,
        sanctions=sanctions,
        on_probation=rng.random() < 0.03,
        under_investigation=rng.random() < 0.01,
        leave_days=rng.choice([0] * 8 + [10, 200]),
        quarterly_grades=quarterly,
        veto_failures=("safety",) if rng.random() < 0.03 else (),
        adjustments=(Adjustment(rng.choice([1, -1, "0.5"]), "随机"),) if rng.random() < 0.1 else (),
    )
    # committee overrides only where no binding rule forbids them (those are tested apart)
    if ov is not None and not (
        p.sanctions or p.on_probation or p.under_investigation or p.leave_days or p.veto_failures
    ):
        p = dataclasses.replace(p, override=ov)
    return p


def _barred_by_input(p: PersonInput, rules: AssessmentRules) -> bool:
    """Barred from 优秀, decided from the inputs alone (not from the engine's result)."""
    for s in p.sanctions:
        effects = rules.sanctions_by_code[s.code].effects
        if s.year_offset < len(effects):
            return True
    return (
        p.on_probation
        or p.under_investigation
        or p.leave_days >= 183
        or bool(p.veto_failures)
        or "较差" in p.quarterly_grades
    )


@pytest.mark.parametrize("rounding", list(Rounding))
def test_invariants_hold_on_random_rounds(rules: AssessmentRules, rounding: Rounding) -> None:
    r = with_quota(_veto_rules(rules), rounding=rounding)
    rng = random.Random(20240601 + list(Rounding).index(rounding))
    people = [_random_person(rng, i, 40, override=True) for i in range(3000)]
    res = grade_round(r, people)
    by_id = {p.person_id: p for p in people}
    pools: dict[str, list[Any]] = {}
    for pr in res.people:
        pools.setdefault(pr.pool_key, []).append(pr)
    assert len(pools) == 40
    for key, members in pools.items():
        quota = _quota_by_hand(20, len(members), rounding, True)
        excellent = [m for m in members if m.proposed_grade is Grade.EXCELLENT]
        assert len(excellent) <= quota, key
        assert res.pool(key).quota.quota == quota
        for m in excellent:
            assert not _barred_by_input(by_id[m.person_id], r)
            assert m.composite is not None
            assert m.composite >= 90
        # nobody left out ranks above somebody let in, unless overridden or tied
        eligible_out = [
            m
            for m in members
            if m.proposed_grade is not Grade.EXCELLENT
            and not _barred_by_input(by_id[m.person_id], r)
            and by_id[m.person_id].override is None
            and m.composite is not None
            and m.composite >= 90
        ]
        if excellent and eligible_out:
            assert min(m.composite for m in excellent) >= max(m.composite for m in eligible_out)
        # places stay empty only for an unresolved tie or lack of candidates
        if len(excellent) < quota and eligible_out:
            assert any(FLAG_TIE_UNRESOLVED in m.flags for m in members), key
        # every tie at the line is flagged on both sides
        if excellent and eligible_out:
            line = min(m.composite for m in excellent)
            for m in eligible_out:
                if m.composite == line:
                    assert FLAG_TIE in m.flags


def test_random_excellent_overrides_never_break_the_quota(rules: AssessmentRules) -> None:
    rng = random.Random(7)
    refused = accepted = 0
    for _ in range(30):
        people = [_random_person(rng, i, 5, override=False) for i in range(60)]
        for k in rng.sample(range(60), rng.randint(2, 8)):
            people[k] = dataclasses.replace(
                people[k],
                sanctions=(),
                on_probation=False,
                under_investigation=False,
                leave_days=0,
                veto_failures=(),
                quarterly_grades=(),
                override=Override(Grade.EXCELLENT, "委员会意见"),
            )
        # the quota of each pool by hand; more overrides than places must be refused
        size: dict[str, int] = {}
        over: dict[str, int] = {}
        for p in people:
            size[p.unit] = size.get(p.unit, 0) + 1
            if p.override is not None:
                over[p.unit] = over.get(p.unit, 0) + 1
        too_many = any(
            n > _quota_by_hand(20, size[u], Rounding.HALF_UP, True) for u, n in over.items()
        )
        if too_many:
            with pytest.raises(DomainError, match="超出名额"):
                grade_round(_veto_rules(rules), people)
            refused += 1
            continue
        res = grade_round(_veto_rules(rules), people)
        accepted += 1
        for s in res.pools:
            assert s.counts[Grade.EXCELLENT] <= s.quota.quota
            assert s.counts[Grade.EXCELLENT] >= s.excellent_overrides
    assert refused
    assert accepted
