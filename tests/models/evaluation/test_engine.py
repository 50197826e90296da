"""The 单位考评 rule engine on hand-computed cases (default rules: 共性 40 %, 个性 60 %, 加分
上限 5, 逾期自查每次扣 0.5; 好 ≤30 % of the units and ≥90, 较好 ≤40 % and ≥80, 一般 ≥60,
较差 the rest)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from models.core.errors import DomainError
from models.evaluation import EvalRules, GradeRule, UnitInput, grade_units, unit_total
from models.evaluation.rules import check_rules, rules_from_json, rules_to_json

D = Decimal
R = EvalRules()


def u(name: str, common: int, own: int, **kw: object) -> UnitInput:
    return UnitInput(name, D(common), D(own), **kw)  # type: ignore[arg-type]


def test_total_weights_bonus_cap_late_checks_and_deduction() -> None:
    # 40%×95 + 60%×95 + 3 = 98
    assert unit_total(R, u("甲", 95, 95, bonus=D(3)))[0] == D("98.00")
    # 70×0.4 + 60×0.6 = 64; bonus 8 counts as the cap 5; −2 督查扣分: 67
    total, text = unit_total(R, u("乙", 70, 60, bonus=D(8), deduction=D(2)))
    assert total == D("67.00")
    assert "加分 5（超过上限，按上限计）" in text
    assert "督查扣分 2" in text
    # 90×0.4 + 92×0.6 = 91.2, two late self-checks −1: 90.2
    total, text = unit_total(R, u("丙", 90, 92, late_checks=2))
    assert total == D("90.20")
    assert "逾期自查 2 次扣 1.0" in text


def test_grades_by_score_line_and_share() -> None:
    out = grade_units(
        R,
        [
            u("甲", 95, 95, bonus=D(3)),  # 98
            u("乙", 90, 92),  # 91.2
            u("丙", 90, 92, late_checks=2),  # 90.2
            u("丁", 85, 80),  # 82
            u("戊", 70, 60, bonus=D(8), deduction=D(2)),  # 67
        ],
    )
    # 好: 30%×5 = 1.5 → 2 places; 丙 reaches 90 but 好 is full → 较好 (40%×5 = 2 places)
    assert [(o.unit, o.total, o.rank, o.grade) for o in out] == [
        ("甲", D("98.00"), 1, "好"),
        ("乙", D("91.20"), 2, "好"),
        ("丙", D("90.20"), 3, "较好"),
        ("丁", D("82.00"), 4, "较好"),
        ("戊", D("67.00"), 5, "一般"),
    ]
    assert "排名第 3" in out[2].explanation


def test_units_tied_on_a_full_grade_go_to_the_next_one_together() -> None:
    # 好: 30%×4 = 1.2 → 1 place: 甲; 乙 and 丙 tie at 92: 较好 has 40%×4 = 1.6 → 2 places
    out = grade_units(R, [u("甲", 95, 95), u("乙", 92, 92), u("丙", 92, 92), u("丁", 70, 70)])
    assert [(o.unit, o.rank, o.grade) for o in out] == [
        ("甲", 1, "好"),
        ("丙", 2, "较好"),
        ("乙", 2, "较好"),
        ("丁", 4, "一般"),
    ]  # fmt: skip  (equal totals in the order of their names)
    # two tied for the one place of 好 (30%×3 = 0.9 → 1): neither takes it, both go to
    # 较好 although its share (40%×3 = 1.2 → 1) is then used up, so 丙 (80) is 一般
    out = grade_units(R, [u("甲", 95, 95), u("乙", 95, 95), u("丙", 80, 80)])
    assert [o.grade for o in out] == ["较好", "较好", "一般"]
    assert "与其他单位并列，“好”的名额（1 个）不足" in out[0].explanation


def test_below_every_line_is_the_last_grade() -> None:
    out = grade_units(R, [u("甲", 50, 50), u("乙", 40, 30)])
    assert [o.grade for o in out] == ["较差", "较差"]


def test_rules_round_trip_and_bad_rules_are_refused_in_chinese() -> None:
    rules = EvalRules(
        D(30), D(70), D(3), D(1), 15,
        (GradeRule("一等", D(20), D(90), D(25)), GradeRule("二等", D(100), D(0), D(15))),
    )  # fmt: skip
    assert rules_from_json(rules_to_json(rules)) == rules
    assert rules_from_json("") == EvalRules()
    with pytest.raises(DomainError, match="权重合计应为 100，现为 90"):
        check_rules(EvalRules(D(30), D(60)))
    with pytest.raises(DomainError, match="名称不能为空，也不能重复"):
        check_rules(EvalRules(grades=(GradeRule("好", D(30), D(90), D(25)),) * 2))
    with pytest.raises(DomainError, match="“加分上限”应为数字"):
        rules_from_json('{"bonus_cap": "五分"}')
