"""The 单位考评's rules as stored with a year: every setting read back as written, what a
stored value that is not a number, negative or of the wrong kind is told in Chinese (naming
the setting), and each limit of :func:`check_rules` at its edge — found wanting by mutation
testing (benchmarks/mutation.sh models/evaluation/rules.py)."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal

import pytest

from models.core.errors import DomainError
from models.evaluation import EvalRules, GradeRule, Weighted
from models.evaluation.rules import check_rules, rules_from_json, rules_to_json

D = Decimal
CUSTOM = EvalRules(
    common_weight=D(30), own_weight=D(70), bonus_cap=D(3), late_deduction=D(1), check_days=15,
    grades=(GradeRule("一等", D(20), D(92), D(30)), GradeRule("二等", D(100), D(0), D(12))),
    team_weight=D(25),
    team_items=(Weighted("a", "政治建设", D(60)), Weighted("b", "履职尽责", D(40))),
    vote_weight=D(40),
    vote_groups=(Weighted("x", "市领导", D(50)), Weighted("y", "群众", D(50))),
    key_factor=D(2),
)  # fmt: skip
NUMBERS = [
    ("common_weight", "共性指标权重"), ("own_weight", "个性指标权重"), ("bonus_cap", "加分上限"),
    ("late_deduction", "逾期自查扣分"), ("team_weight", "领导班子得分比例"),
    ("vote_weight", "民主测评比例"), ("key_factor", "重点工作权重倍数"),
]  # fmt: skip


def stored(**change: object) -> str:
    raw = json.loads(rules_to_json(CUSTOM))
    raw.update(change)
    return json.dumps(raw, ensure_ascii=False)


def test_every_setting_is_read_back_as_written() -> None:
    assert rules_from_json(rules_to_json(CUSTOM)) == CUSTOM
    assert rules_from_json("") == EvalRules()
    assert rules_from_json("   ") == EvalRules()
    # a setting left out takes the default, the others stay as written
    partial = rules_from_json('{"common_weight": 50, "own_weight": 50}')
    assert partial == dataclasses.replace(EvalRules(), common_weight=D(50), own_weight=D(50))


@pytest.mark.parametrize(("key", "label"), NUMBERS)
def test_a_stored_setting_that_is_not_a_number_is_named(key: str, label: str) -> None:
    with pytest.raises(DomainError) as e:
        rules_from_json(stored(**{key: "abc"}))
    assert (e.value.message, e.value.field) == (
        f"单位考评规则中“{label}”应为数字，现为“abc”",
        label,
    )
    with pytest.raises(DomainError) as e:
        rules_from_json(stored(**{key: -1}))
    assert e.value.message == f"单位考评规则中“{label}”应为不小于 0 的数字，现为 -1"
    assert e.value.field == label


@pytest.mark.parametrize(
    ("key", "label"), [("share", "等次比例"), ("min_score", "等次分数线"),
                       ("staff_excellent", "干部优秀比例")],
)  # fmt: skip
def test_a_grade_setting_that_is_not_a_number_is_named(key: str, label: str) -> None:
    raw = json.loads(stored())
    raw["grades"][0][key] = "x"
    with pytest.raises(DomainError) as e:
        rules_from_json(json.dumps(raw, ensure_ascii=False))
    assert e.value.message == f"单位考评规则中“{label}”应为数字，现为“x”"


@pytest.mark.parametrize(
    ("key", "label"), [("team_items", "领导班子考核项目权重"), ("vote_groups", "民主测评组权重")]
)
def test_a_weighted_table_that_is_not_a_list_or_lacks_names_is_named(key: str, label: str) -> None:
    with pytest.raises(DomainError) as e:
        rules_from_json(stored(**{key: "abc"}))
    assert (e.value.message, e.value.field) == (f"单位考评规则中“{label}”应为列表", label)
    with pytest.raises(DomainError) as e:
        rules_from_json(stored(**{key: [{"code": "a", "weight": 100}]}))
    assert e.value.message == f"单位考评规则中“{label}”的每一项都要有代码和名称"
    with pytest.raises(DomainError) as e:
        rules_from_json(stored(**{key: [{"code": "a", "name": "甲", "weight": "多"}]}))
    assert e.value.message == f"单位考评规则中“{label}”应为数字，现为“多”"


@pytest.mark.parametrize("value", ["abc", True, 1.5, None])
def test_the_days_must_be_a_whole_number(value: object) -> None:
    with pytest.raises(DomainError) as e:
        rules_from_json(stored(check_days=value))
    assert e.value.message == f"单位考评规则中“自查截止天数”应为整数，现为“{value}”"
    assert e.value.field == "自查截止天数"
    assert rules_from_json(stored(check_days="20")).check_days == 20


@pytest.mark.parametrize(
    ("change", "message", "field"),
    [
        ({"common_weight": D(31)}, "共性指标与个性指标的权重合计应为 100，现为 101", "weights"),
        ({"grades": ()}, "单位考评至少要有一个等次", "grades"),
        ({"grades": (GradeRule("好", D(30), D(90), D(25)),) * 2},
         "单位考评的等次名称不能为空，也不能重复", "grades"),
        ({"grades": (GradeRule(" ", D(30), D(90), D(25)),)},
         "单位考评的等次名称不能为空，也不能重复", "grades"),
        ({"grades": (GradeRule("一二三四五六七", D(30), D(90), D(25)),)},
         "等次名称最多 6 个字：“一二三四五六七”太长", "grades"),
        ({"grades": (GradeRule("好", D(0), D(90), D(25)),)},
         "等次“好”的比例应在 0–100 之间（单位比例 0，干部优秀比例 25）", "grades"),
        ({"grades": (GradeRule("好", D("100.01"), D(90), D(25)),)},
         "等次“好”的比例应在 0–100 之间（单位比例 100.01，干部优秀比例 25）", "grades"),
        ({"grades": (GradeRule("好", D(30), D(90), D("100.01")),)},
         "等次“好”的比例应在 0–100 之间（单位比例 30，干部优秀比例 100.01）", "grades"),
        ({"team_weight": D("100.01")},
         "领导班子得分占总分的比例（100.01）和民主测评占班子得分的比例（40）都应在 0–100 之间",
         "team_weight"),
        ({"vote_weight": D("100.01")},
         "领导班子得分占总分的比例（25）和民主测评占班子得分的比例（100.01）都应在 0–100 之间",
         "team_weight"),
        ({"team_items": (Weighted("a", "甲", D(99)),)},
         "领导班子考核项目的权重合计应为 100，现为 99", "team"),
        ({"vote_groups": ()}, "民主测评的测评组的权重合计应为 100，现为 0", "team"),
        ({"vote_groups": (Weighted("x", "甲", D(50)), Weighted("x", "乙", D(50)))},
         "民主测评的测评组的名称不能为空，也不能重复", "team"),
        ({"vote_groups": (Weighted("x", "甲", D(50)), Weighted("y", " ", D(50)))},
         "民主测评的测评组的名称不能为空，也不能重复", "team"),
        ({"key_factor": D("0.99")}, "重点工作的权重倍数应在 1–5 之间，现为 0.99", "key_factor"),
        ({"key_factor": D("5.01")}, "重点工作的权重倍数应在 1–5 之间，现为 5.01", "key_factor"),
        ({"check_days": -1}, "自查截止天数应在 0–60 之间，现为 -1", "check_days"),
        ({"check_days": 61}, "自查截止天数应在 0–60 之间，现为 61", "check_days"),
        ({"late_deduction": D(-1)}, "单位考评规则中逾期自查扣分应为不小于 0 的数字，现为 -1",
         "逾期自查扣分"),
    ],
)  # fmt: skip
def test_each_limit_of_the_rules(change: dict[str, object], message: str, field: str) -> None:
    with pytest.raises(DomainError) as e:
        check_rules(dataclasses.replace(CUSTOM, **change))
    assert (e.value.message, e.value.field) == (message, field)


@pytest.mark.parametrize(
    "change",
    [
        {"grades": (GradeRule("一二三四五六", D("0.01"), D(0), D(100)),)},
        {"grades": (GradeRule("好", D(100), D(0), D(0)),)},
        {"team_weight": D(100), "vote_weight": D(100)},
        {"team_weight": D(0), "vote_weight": D(0)},
        {"key_factor": D(1)},
        {"key_factor": D(5)},
        {"check_days": 0},
        {"check_days": 60},
    ],
)
def test_each_limit_itself_is_allowed(change: dict[str, object]) -> None:
    rules = dataclasses.replace(CUSTOM, **change)
    assert check_rules(rules) is rules


@pytest.mark.parametrize(("key", "label"), NUMBERS)
def test_a_negative_setting_is_refused_before_it_is_stored(key: str, label: str) -> None:
    with pytest.raises(DomainError) as e:
        check_rules(dataclasses.replace(CUSTOM, **{key: D(-1)}))
    assert (e.value.message, e.value.field) == (
        f"单位考评规则中{label}应为不小于 0 的数字，现为 -1", label
    )  # fmt: skip


def test_an_entry_of_a_weighted_table_that_is_not_a_record_is_named() -> None:
    with pytest.raises(DomainError) as e:
        rules_from_json(stored(team_items=[1]))
    assert e.value.message == "单位考评规则中“领导班子考核项目权重”的每一项都要有代码和名称"
    assert e.value.field == "领导班子考核项目权重"
    with pytest.raises(DomainError) as e:
        rules_from_json("[1]")
    assert (e.value.field, e.value.message) == (
        "rules", "单位考评规则无法读取（格式不对），请在“考评规则…”中重新设置"
    )  # fmt: skip


def test_a_grade_is_found_by_name() -> None:
    assert CUSTOM.grade("二等") == GradeRule("二等", D(100), D(0), D(12))
    assert CUSTOM.grade("好") is None
