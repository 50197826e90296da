"""The 单位考评 engine's edges, each worked out by hand (default rules: 共性 40 %, 个性 60 %;
好 ≤30 % and ≥90, 较好 ≤40 % and ≥80, 一般 ≥60, 较差 the rest; places rounded half up, at
least one): half-way roundings, a total exactly on a line, a full grade meeting a tie, the
last grade taking everyone left, and the whole explanation a unit is shown — found wanting
by mutation testing (benchmarks/mutation.sh models/evaluation/engine.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from models.core.errors import DomainError
from models.evaluation import EvalRules, GradeRule, UnitInput, grade_units, unit_total
from models.evaluation.engine import TaskMark, category_score, team_score

D = Decimal
R = EvalRules()
R20 = EvalRules(team_weight=D(20))


def units(*totals: int) -> list[UnitInput]:
    """Units 甲, 乙, 丙… scoring ``total`` on both indicators (so their total is it)."""
    names = "甲乙丙丁戊己庚辛"
    return [UnitInput(names[k], D(t), D(t), unit_id=k + 1) for k, t in enumerate(totals)]


def test_totals_round_half_up() -> None:
    # 90 + a bonus of 0.005 = 90.005: half up 90.01 (half to even would give 90.00)
    total, text = unit_total(R, UnitInput("甲", D(90), D(90), bonus=D("0.005")))
    assert total == D("90.01")
    assert text == "共性 90×40%=36.00；个性 90×60%=54.00；加分 0.005；合计 90.01"


def test_the_whole_explanation_of_a_total() -> None:
    assert unit_total(R, UnitInput("甲", D(90), D(80))) == (
        D("84.00"), "共性 90×40%=36.00；个性 80×60%=48.00；合计 84.00"
    )  # fmt: skip
    # a bonus exactly at the cap is not "above the cap"
    assert unit_total(R, UnitInput("甲", D(90), D(80), bonus=D(5)))[1] == (
        "共性 90×40%=36.00；个性 80×60%=48.00；加分 5；合计 89.00"
    )
    with pytest.raises(DomainError) as e:
        unit_total(R20, UnitInput("甲", D(90), D(80)))
    assert (e.value.message, e.value.field) == ("“甲”没有领导班子得分", "team")


def test_places_round_half_up() -> None:
    # 好 50 % of 5 units = 2.5 places: 3 (half to even would give 2)
    rules = EvalRules(grades=(GradeRule("好", D(50), D(90), D(25)),
                              GradeRule("一般", D(100), D(0), D(15))))  # fmt: skip
    graded = grade_units(rules, units(99, 98, 97, 96, 95))
    assert [o.grade for o in graded] == ["好", "好", "好", "一般", "一般"]
    assert [o.unit_id for o in graded] == [1, 2, 3, 4, 5]  # each outcome names its unit


def test_a_total_exactly_on_the_line_reaches_the_grade() -> None:
    graded = {o.unit: o.grade for o in grade_units(R, units(90, 80, 70, 50))}
    assert graded == {"甲": "好", "乙": "较好", "丙": "一般", "丁": "较差"}


def test_a_tie_below_a_line_that_the_next_grade_cannot_hold_goes_down_together() -> None:
    # 甲 95 好 (2 places of 5); 乙丙丁 tied at 85, under the 好 line: 较好 has 2 places for
    # 3, so all three go to 一般, which takes them whatever its share
    graded = grade_units(R, units(95, 85, 85, 85, 70))
    assert [(o.unit, o.rank, o.grade) for o in graded] == [
        ("甲", 1, "好"), ("丁", 2, "一般"), ("丙", 2, "一般"), ("乙", 2, "一般"),
        ("戊", 5, "一般"),
    ]  # fmt: skip
    assert graded[0].explanation == (
        "共性 95×40%=38.00；个性 95×60%=57.00；合计 95.00；排名第 1；"
        "等次“好”（分数线 90，名额 2 个）"
    )
    assert graded[1].explanation == (
        "共性 85×40%=34.00；个性 85×60%=51.00；合计 85.00；排名第 2；"
        "等次“一般”（分数线 60，名额 5 个）；与其他单位并列，“较好”的名额（2 个）不足"
    )


def test_a_tie_above_the_line_of_a_full_grade_needs_room_in_the_next() -> None:
    # 乙 96 and 甲 95 fill 好's 2 places; 丙丁戊 tied at 92 are above its line but 好 is full:
    # 较好 has 2 places for 3, so all three go to 一般
    graded = {o.unit: o.grade for o in grade_units(R, units(95, 96, 92, 92, 92))}
    assert graded == {"甲": "好", "乙": "好", "丙": "一般", "丁": "一般", "戊": "一般"}


def test_the_last_grade_takes_everyone_left_whatever_its_line() -> None:
    rules = EvalRules(grades=(GradeRule("一等", D(30), D(90), D(25)),
                              GradeRule("三等", D(100), D(50), D(10))))  # fmt: skip
    graded = grade_units(rules, units(95, 40))
    assert [o.grade for o in graded] == ["一等", "三等"]
    # the last grade has no line or places to quote
    assert graded[1].explanation.endswith("排名第 2；等次“三等”")
    single = EvalRules(grades=(GradeRule("合格", D(100), D(0), D(20)),))
    assert grade_units(single, units(70))[0].explanation.endswith(
        "等次“合格”（分数线 0，名额 1 个）"
    )


def test_the_team_score_text_and_its_refusals() -> None:
    items = {"sxzz": D(90), "ldsp": D(80), "gzsj": D(85), "zdrw": D(88), "fflz": D(95)}
    votes = {"leaders": {"好": 3, "较好": 2}, "staff": {"好": 10, "一般": 10}}
    assert team_score(R20, items, votes) == (
        D("86.51"),
        "五项考核 87.10×70% + 民主测评 85.14（上级领导 5 票均 92.00，本单位干部职工 20 票均 "
        "80.00）×30% = 86.51",
    )
    # the items alone, half way: 87.125 → 87.13 (half to even would give 87.12)
    codes = ("sxzz", "ldsp", "gzsj", "zdrw", "fflz")
    no_votes = EvalRules(team_weight=D(20), vote_weight=D(0))
    assert team_score(no_votes, dict.fromkeys(codes, D("87.125")), {}) == (
        D("87.13"), "五项考核 87.13"
    )  # fmt: skip
    with pytest.raises(DomainError) as e:
        team_score(R20, {"sxzz": D(90), "ldsp": D(80), "gzsj": D(85)}, votes)
    assert (e.value.message, e.value.field) == (
        "领导班子考核项目没有评分：完成重点任务、反腐倡廉",
        "team",
    )
    with pytest.raises(DomainError) as e:
        team_score(R20, items, {})
    assert (e.value.message, e.value.field) == ("领导班子民主测评还没有录入票数", "votes")


def test_category_scores_and_their_refusals() -> None:
    assert category_score(R20, [TaskMark(D(90), D(60), True), TaskMark(D(70), D(40))]) == (
        D("83.85"), "2 项任务年终评分按分值加权平均 83.85（其中重点工作 1 项按 1.5 倍计）"
    )  # fmt: skip
    # one task of 1 point: its own score
    assert category_score(R20, [TaskMark(D(77), D(1))]) == (
        D("77.00"), "1 项任务年终评分按分值加权平均 77.00"
    )  # fmt: skip
    with pytest.raises(DomainError, match="^没有任务的年终评分，无法计算$"):
        category_score(R20, [])
    # points that cancel out (never entered: the plan refuses negative points) are refused
    with pytest.raises(DomainError, match="^任务的分值合计为 0，无法按分值计算$"):
        category_score(EvalRules(), [TaskMark(D(70), D(1)), TaskMark(D(80), D(-1))])


def test_a_tie_exactly_on_a_line_with_room_for_some_goes_to_the_next_grade() -> None:
    # 甲 95 takes one of 好's 2 places; 乙丙丁 tied at exactly 90 (好's line) cannot all
    # have the other: the three go to 较好 together, whatever 较好's own 2 places
    graded = {o.unit: o.grade for o in grade_units(R, units(95, 90, 90, 90, 70))}
    assert graded == {"甲": "好", "乙": "较好", "丙": "较好", "丁": "较好", "戊": "一般"}
