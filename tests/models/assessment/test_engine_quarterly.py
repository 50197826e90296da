"""Tests of the 平时考核 rule engine (models/assessment/engine/quarterly.py).

Default rules (resources/rules/default_assessment.json): items 德20/能15/勤15/绩30/廉20, full
score 100; quota pools by unit, 四舍五入, base = everyone assessed; 平时考核 好 cap 40%;
long leave 183 days a year; sanctions 诫勉 → 不得评为优秀, 党内严重警告 → 不定等次,
撤销党内职务 → 定为不称职. Default quarter score lines: 好 ≥ 90, 较好 ≥ 66, 一般 ≥ 55.
Expected values are worked by hand in the comments.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import pytest

from models.assessment.engine import (
    FLAG_BARRED_FROM_GOOD,
    FLAG_GOOD_CAP_TIE,
    NO_GRADE,
    PersonInput,
    SanctionInForce,
    good_cap,
    grade_quarter,
    quarter_leave_days,
    quarter_rule_of,
)
from models.assessment.rules import (
    AssessmentRules,
    Grade,
    PoolBy,
    QuarterGradeRule,
    QuotaBase,
    Rounding,
    SchemeItem,
    default_rules,
)
from models.core.errors import ValidationError

D = Decimal
ITEMS = ("de", "neng", "qin", "ji", "lian")


@pytest.fixture(scope="module")
def rules() -> AssessmentRules:
    return default_rules()


def person(pid: Any, score: str | int | None, unit: str = "甲局", **kw: Any) -> PersonInput:
    """Every item = score, so the quarter score = score."""
    scores = {} if score is None else dict.fromkeys(ITEMS, D(str(score)))
    return PersonInput(pid, kw.pop("name", f"人{pid}"), unit, item_scores=scores, **kw)


def with_quarterly(rules: AssessmentRules, **kw: Any) -> AssessmentRules:
    return dataclasses.replace(rules, quarterly=dataclasses.replace(rules.quarterly, **kw))


def with_quota(rules: AssessmentRules, **kw: Any) -> AssessmentRules:
    return dataclasses.replace(rules, quota=dataclasses.replace(rules.quota, **kw))


def grades(result: Any) -> dict[Any, str]:
    return {p.person_id: p.grade for p in result.people}


# --------------------------------------------------------------------------- score lines


def test_score_is_the_weighted_items_score_with_the_arithmetic_shown(rules):
    p = PersonInput(
        1,
        "张三",
        "甲局",
        item_scores={"de": D(90), "neng": D(80), "qin": D(70), "ji": D(85), "lian": D(95)},
    )
    r = grade_quarter(with_quarterly(rules, good_cap_percent=None), [p]).person(1)
    # (90×20 + 80×15 + 70×15 + 85×30 + 95×20) / 100 = (1800+1200+1050+2550+1900)/100 = 85.00
    assert r.score == D("85.00")
    assert r.grade == "较好"  # 66 ≤ 85 < 90
    assert "季度得分 85.00（德 90、能 80、勤 70、绩 85、廉 95，权重 20/15/15/30/20）" in (
        r.explanation
    )
    assert "未达“好”等次分数线 90，达到“较好”等次分数线 66，按得分为较好" in r.explanation
    assert r.explanation.endswith("拟定等次：较好。")


def test_default_score_lines_at_their_boundaries(rules):
    no_cap = with_quarterly(rules, good_cap_percent=None)
    scores = ["90", "89.99", "66", "65.99", "55", "54.99", "0"]
    people = [person(i, s, unit=f"单位{i}") for i, s in enumerate(scores)]
    got = [p.grade for p in grade_quarter(no_cap, people).people]
    # ≥ 90 好; 66 ≤ s < 90 较好; 55 ≤ s < 66 一般; below 55 较差
    assert got == ["好", "较好", "较好", "一般", "一般", "较差", "较差"]


def test_configured_score_lines(rules):
    no_cap = with_quarterly(rules, good_cap_percent=None)
    rule = QuarterGradeRule(good_min=D(85), fairly_good_min=D(75), ordinary_min=D(60))
    people = [person(i, s) for i, s in enumerate(["85", "84.99", "75", "74.99", "60", "59.99"])]
    assert list(grades(grade_quarter(no_cap, people, rule=rule)).values()) == [
        "好",
        "较好",
        "较好",
        "一般",
        "一般",
        "较差",
    ]


def test_good_by_rank_only_when_good_line_is_off(rules):
    # no 好 line: anyone at or above the 较好 line (66) may be 好, within the cap
    rule = QuarterGradeRule(good_min=None)
    people = [person(1, 70), person(2, 68), person(3, 60)]
    # cap 40%×3 = 1.2 → 四舍五入 1: only 人1 (70) is 好
    assert grades(grade_quarter(rules, people, rule=rule)) == {1: "好", 2: "较好", 3: "一般"}


def test_bad_score_lines_are_refused_in_chinese(rules):
    with pytest.raises(ValidationError) as e:
        grade_quarter(
            rules,
            [person(1, 90)],
            rule=QuarterGradeRule(good_min=D(60), fairly_good_min=D(70), ordinary_min=D(120)),
        )
    msg = e.value.message
    assert msg.startswith("平时考核等次规则：")
    assert "“一般”等次分数线：120 应在 0–100 之间" in msg
    assert "“好”等次分数线：60 应高于“较好”等次分数线 70" in msg
    assert QuarterGradeRule().validate() == []


def test_rule_is_read_from_the_rules_when_they_carry_it(rules):
    assert quarter_rule_of(rules) == QuarterGradeRule()  # the default lines

    @dataclasses.dataclass(frozen=True)
    class LaterQuarterlyRule:  # what QuarterlyRule looks like once the fields are added
        bar_excellent_grades: tuple[str, ...] = ("较差",)
        min_good_for_excellent: int = 0
        good_cap_percent: Decimal | None = D(40)
        good_min: Decimal | None = D(80)
        fairly_good_min: Decimal = D(70)
        ordinary_min: Decimal = D(60)
        good_cap_at_least_one: bool = True

    later = dataclasses.replace(rules, quarterly=LaterQuarterlyRule())  # type: ignore[arg-type]
    assert quarter_rule_of(later) == QuarterGradeRule(D(80), D(70), D(60), True)


# --------------------------------------------------------------------------- the cap on 好


def test_cap_five_people_half_up(rules):
    people = [person(i, s) for i, s in enumerate([95, 94, 93, 92, 91], start=1)]
    r = grade_quarter(rules, people)
    # 40% × 5 = 2 → 2 places: 95 and 94 are 好, 93/92/91 fall to 较好
    assert grades(r) == {1: "好", 2: "好", 3: "较好", 4: "较好", 5: "较好"}
    third = r.person(3)
    assert "“好”等次上限 40%×5=2，四舍五入为 2 名" in third.explanation
    assert "排名第 3" in third.explanation
    assert "在可评“好”的人员中排第 3，未进入“好”等次名额（2 名），定为较好" in third.explanation
    assert "排名在“好”等次名额（2 名）内，评为好" in r.person(1).explanation
    pool = r.pool("甲局")
    assert pool.counts["好"] == 2
    assert pool.counts["较好"] == 3
    assert pool.cap is not None
    assert pool.cap.quota == 2


@pytest.mark.parametrize(
    ("n", "rounding", "good"),
    [
        (6, Rounding.HALF_UP, 2),  # 40%×6 = 2.4 → 2
        (6, Rounding.UP, 3),  # 2.4 → 进一 3
        (6, Rounding.DOWN, 2),  # 2.4 → 去尾 2
        (4, Rounding.HALF_UP, 2),  # 40%×4 = 1.6 → 2
        (4, Rounding.UP, 2),  # 1.6 → 2
        (4, Rounding.DOWN, 1),  # 1.6 → 1
    ],
)
def test_cap_with_each_rounding_mode(rules, n, rounding, good):
    people = [person(i, 99 - i) for i in range(n)]  # all ≥ 90, all different
    r = grade_quarter(with_quota(rules, rounding=rounding), people)
    assert [p.grade for p in r.people] == ["好"] * good + ["较好"] * (n - good)
    assert f"{rounding.value}为 {good} 名" in r.people[0].explanation


def test_no_at_least_one_unless_configured(rules):
    # one person: 40% × 1 = 0.4 → 四舍五入 0 places, even though the score is 95
    r = grade_quarter(rules, [person(1, 95)])
    assert r.person(1).grade == "较好"
    assert "40%×1=0.4，四舍五入为 0 名" in r.person(1).explanation
    # the annual quota's "at least one" (on in the default rules) does not apply here
    assert rules.quota.at_least_one is True
    r = grade_quarter(rules, [person(1, 95)], rule=QuarterGradeRule(good_cap_at_least_one=True))
    assert r.person(1).grade == "好"
    assert "不足 1 名按 1 名计" in r.person(1).explanation


def test_no_cap_when_rules_set_none(rules):
    people = [person(i, 95) for i in range(5)]
    r = grade_quarter(with_quarterly(rules, good_cap_percent=None), people)
    assert all(p.grade == "好" for p in r.people)
    assert "本轮方案未设“好”等次比例上限" in r.people[0].explanation
    assert good_cap(with_quarterly(rules, good_cap_percent=None), 5, QuarterGradeRule()) is None


def test_pools_by_unit_and_by_layer(rules):
    people = [
        person(1, 95, unit="甲局", layer="科级"),
        person(2, 94, unit="甲局", layer="科级"),
        person(3, 93, unit="甲局", layer="其他干部"),
        person(4, 92, unit="甲局", layer="其他干部"),
        person(5, 91, unit="乙局", layer="科级"),
    ]
    # by unit: 甲局 40%×4 = 1.6 → 2 (95, 94); 乙局 40%×1 = 0.4 → 0
    assert grades(grade_quarter(rules, people)) == {
        1: "好",
        2: "好",
        3: "较好",
        4: "较好",
        5: "较好",
    }
    # by layer: each 甲局 layer 40%×2 = 0.8 → 1 (95 and 93); 乙局 0
    layered = with_quota(rules, pool_by=PoolBy.UNIT_LAYER)
    r = grade_quarter(layered, people)
    assert grades(r) == {1: "好", 2: "较好", 3: "好", 4: "较好", 5: "较好"}
    assert r.person(3).pool_key == "甲局｜其他干部"
    assert "本单位“其他干部”层次 2 人" in r.person(3).explanation
    with pytest.raises(ValidationError, match="职级层次不能为空"):
        grade_quarter(layered, [person(1, 95)])


def test_cap_counts_only_graded_people_when_base_is_graded(rules):
    people = [person(1, 95), person(2, 94), person(3, 93), person(4, None, on_probation=True)]
    # everyone: 40% × 4 = 1.6 → 2 places
    assert grades(grade_quarter(rules, people))[2] == "好"
    # graded only (人4 in 试用期 has 不定等次): 40% × 3 = 1.2 → 1 place
    r = grade_quarter(with_quota(rules, base=QuotaBase.GRADED), people)
    assert grades(r) == {1: "好", 2: "较好", 3: "较好", 4: NO_GRADE}
    assert "本单位 4 人（确定等次 3 人），“好”等次上限 40%×3=1.2" in r.person(1).explanation


# --------------------------------------------------------------------------- ties


def test_tie_at_the_cap_line_is_left_to_the_committee(rules):
    people = [person(1, 95), person(2, 90), person(3, 90), person(4, 88), person(5, 70)]
    r = grade_quarter(rules, people)
    # cap 40%×5 = 2: 95 takes the first place; 人2 and 人3 tie at 90 for the second,
    # the engine does not pick: both 较好 for now, one 好 place left empty
    assert grades(r) == {1: "好", 2: "较好", 3: "较好", 4: "较好", 5: "较好"}
    for pid in (2, 3):
        p = r.person(pid)
        assert FLAG_GOOD_CAP_TIE in p.flags
        assert p.tied
        assert "需考核委员会确定" in p.explanation
        assert p.rank == 2  # equal scores share the rank
    assert not r.person(4).tied
    pool = r.pool("甲局")
    assert pool.tied == ("人2", "人3")
    assert pool.vacant == 1
    assert r.warnings == (
        "“好”等次名额线并列：人2、人3（季度得分同为 90.00），空出 1 个“好”等次名额待考核委员会确定",
    )


def test_tie_inside_the_cap_is_no_problem(rules):
    people = [person(1, 95), person(2, 95), person(3, 90), person(4, 80), person(5, 70)]
    r = grade_quarter(rules, people)
    # cap 2: both 95s are inside, the line (95) differs from the next (90)
    assert grades(r) == {1: "好", 2: "好", 3: "较好", 4: "较好", 5: "较好"}
    assert r.warnings == ()
    assert not any(p.tied for p in r.people)


def test_tie_of_three_for_two_places(rules):
    people = [person(i, s) for i, s in enumerate([92, 92, 92, 80, 70, 60], start=1)]
    r = grade_quarter(rules, people)
    # cap 40%×6 = 2.4 → 2; three people tie at 92 for both places: all 较好, 2 left empty
    assert [p.grade for p in r.people] == ["较好", "较好", "较好", "较好", "较好", "一般"]
    assert r.pool("甲局").vacant == 2
    assert "季度得分同为 92.00 的有 3 人，争 2 个名额" in r.person(1).explanation


# --------------------------------------------------------------------------- sanctions, status


def test_sanction_that_bars_excellent_bars_good_and_frees_the_place(rules):
    people = [
        person(1, 98, sanctions=(SanctionInForce("admonition"),), name="甲"),
        person(2, 95, name="乙"),
        person(3, 94, name="丙"),
        person(4, 93, name="丁"),
        person(5, 60, name="戊"),
    ]
    r = grade_quarter(rules, people)
    # cap 40%×5 = 2; 甲 (诫勉) may not be 好, so 乙 and 丙 take the two places
    assert grades(r) == {1: "较好", 2: "好", 3: "好", 4: "较好", 5: "一般"}
    a = r.person(1)
    assert a.barred_from_good
    assert FLAG_BARRED_FROM_GOOD in a.flags
    assert "受诫勉，年度考核中不得评为优秀，本季度相应不得评为“好”" in a.explanation
    assert a.rank == 1  # still ranked first by score
    # 丁 (93) is 4th by score (98, 95, 94, 93) and 3rd of those who may be 好 (乙, 丙, 丁)
    assert "排名第 4（在可评“好”的人员中排第 3）" in r.person(4).explanation


def test_heavier_sanctions_by_analogy(rules):
    people = [
        # 撤销党内职务 → 定为不称职 → 较差, whatever the score
        person(1, 95, sanctions=(SanctionInForce("party_post_removed"),)),
        # 党内严重警告 → 不定等次; no score needed
        person(2, None, sanctions=(SanctionInForce("party_serious_warning"),)),
        # 留党察看, second year of its 影响期 → 不定等次
        person(3, 80, sanctions=(SanctionInForce("party_probation", 1),)),
        # 诫勉 of last year: its 影响期 (one year) is over → no effect, warning
        person(4, 70, sanctions=(SanctionInForce("admonition", 1),)),
    ]
    r = grade_quarter(with_quarterly(rules, good_cap_percent=None), people)
    assert grades(r) == {1: "较差", 2: NO_GRADE, 3: NO_GRADE, 4: "较好"}
    assert r.person(2).no_grade_category == "处分期"
    assert r.person(2).stored_grade is None
    assert "影响期第 2 年" in r.person(3).explanation
    assert r.person(4).warnings == ("“诫勉”影响期已过，不影响本季度等次",)


def test_probation_investigation_and_long_leave(rules):
    # annual 183 days → quarter 183 ÷ 4 = 45.75 → 进一 46 days
    assert quarter_leave_days(rules) == 46
    people = [
        person(1, None, on_probation=True),
        person(2, None, under_investigation=True),
        person(3, None, leave_days=46),
        person(4, 80, leave_days=45),
    ]
    r = grade_quarter(rules, people)
    assert grades(r) == {1: NO_GRADE, 2: NO_GRADE, 3: NO_GRADE, 4: "较好"}
    assert r.person(1).no_grade_category == "试用期"
    assert r.person(2).no_grade_category == "其他"
    assert (
        "本季度病事假 46 天，达到 46 天（年度规则 183 天，按季度折算 183÷4=45.75，进一为 46 天）"
        in (r.person(3).explanation)
    )
    assert r.person(1).explanation.endswith("拟定等次：不定等次（试用期）。")


def test_veto_item_caps_the_quarter_grade(rules):
    veto = SchemeItem(
        "safety", "安全生产", D(0), is_veto=True, veto_below=D(60), veto_max_grade=Grade.BASIC
    )
    r2 = dataclasses.replace(rules, items=(*rules.items, veto))
    no_cap = with_quarterly(r2, good_cap_percent=None)
    people = [
        person(1, 95, veto_failures=("safety",)),
        PersonInput(2, "人2", "甲局", item_scores={**dict.fromkeys(ITEMS, D(95)), "safety": D(50)}),
    ]
    r = grade_quarter(no_cap, people)
    # 基本称职 is the annual counterpart of 一般
    assert grades(r) == {1: "一般", 2: "一般"}
    assert "年度考核中等次最高为基本称职，本季度相应最高为“一般”" in r.person(1).explanation
    assert "低于否决线 60" in r.person(2).explanation


# --------------------------------------------------------------------------- bad inputs


def test_missing_scores_name_person_and_items(rules):
    partial = PersonInput(
        2, "乙", "甲局", item_scores={"de": D(90), "neng": D(90), "ji": D(90)}
    )  # no 勤, no 廉
    with pytest.raises(ValidationError) as e:
        grade_quarter(rules, [person(1, 90, name="甲"), partial, person(3, None, name="丙")])
    msg = e.value.message
    assert msg.startswith("平时考核：")
    assert "乙（甲局）：缺少“勤”“廉”得分" in msg
    assert "丙（甲局）：缺少“德”“能”“勤”“绩”“廉”得分" in msg
    assert "甲（甲局）" not in msg
    assert {i.field for i in e.value.issues} == {"item_scores"}


def test_other_bad_inputs_are_all_reported(rules):
    people = [
        PersonInput(1, "甲", "甲局", item_scores={**dict.fromkeys(ITEMS, D(90)), "xx": D(1)}),
        person(2, 101, name="乙"),
        person(3, 90, name="丙", leave_days=100),
        person(4, 90, name="丁", sanctions=(SanctionInForce("nope"),)),
        person(4, 90, name="戊"),
        person(6, 90, name=" "),
    ]
    with pytest.raises(ValidationError) as e:
        grade_quarter(rules, people)
    msg = e.value.message
    assert "甲（甲局）：考核项目“xx”不在本轮考核方案中" in msg
    assert "乙（甲局）：“德”得分 101 超出 0–100" in msg
    assert "丙（甲局）：本季度病事假天数 100 应为 0–92 的整数" in msg
    assert "丁（甲局）：处分“nope”不在处分影响表中" in msg
    assert "戊（甲局）：人员编号在本轮中重复" in msg
    assert "姓名不能为空" in msg


def test_empty_round_gives_empty_result(rules):
    r = grade_quarter(rules, [])
    assert r.people == ()
    assert r.pools == ()
