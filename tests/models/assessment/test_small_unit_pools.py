"""Pools of small units (``quota.merge_below``: units of fewer participants share their
parent unit's pool) and the check at city level (the overall 优秀 share above the approved
maximum, with the pools that cause it), in the pure engine and through the grading service.

Default rules: every item and group average = score gives composite = score; 优秀 ≥ 90;
quota 20% 四舍五入, 不足 1 名按 1 名计; ceiling (经批准最高) 25%.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from models.assessment import add_unit_members, create_round, get_round, save_rules
from models.assessment.engine import (
    PersonInput,
    PoolShare,
    ceiling_warning,
    grade_round,
    summaries_warning,
)
from models.assessment.grading import grade_and_store, set_override
from models.assessment.results import grade_command, round_overview
from models.assessment.rules import (
    AssessmentRules,
    Grade,
    default_rules,
    host_units,
    rules_from_dict,
    validate_rules,
)
from models.assessment.tables import GradeResult
from models.core.errors import DomainError
from models.roster.tables import Unit
from tests.models.assessment.test_service import adb, fill, make_cadre  # noqa: F401

ITEMS = ("de", "neng", "qin", "ji", "lian")
GROUPS = ("superior", "peer", "subordinate", "served")


def merged(rules: AssessmentRules, below: int) -> AssessmentRules:
    return dataclasses.replace(rules, quota=dataclasses.replace(rules.quota, merge_below=below))


def person(pid: int, score: int, unit: str, parent: str = "市局", **kw: Any) -> PersonInput:
    return PersonInput(
        person_id=pid,
        name=f"人{pid}",
        unit=unit,
        parent_unit=parent,
        item_scores=dict.fromkeys(ITEMS, score),
        group_averages=dict.fromkeys(GROUPS, score),
        **kw,
    )


def city() -> list[PersonInput]:
    """大局: 10 people scoring 95..86 (20%×10=2 优秀); three small units under 市局:
    甲所 95, 91; 乙所 93, 92; 丙所 94 (each 20%×1 or ×2 = 0.2 / 0.4 → 0 → at least 1)."""
    big = [person(i, 96 - i, "大局", parent="市政府") for i in range(1, 11)]
    small = [
        person(11, 95, "甲所"),
        person(12, 91, "甲所"),
        person(13, 93, "乙所"),
        person(14, 92, "乙所"),
        person(15, 94, "丙所"),
    ]
    return big + small


def excellent(result: Any) -> list[int]:
    return [p.person_id for p in result.people if p.proposed_grade is Grade.EXCELLENT]


# --------------------------------------------------------------------------- rules


def test_merge_below_defaults_off_and_round_trips():
    rules = default_rules()
    assert rules.quota.merge_below == 0
    assert "merge_below" not in rules.to_dict()["quota"]  # stored rule sets keep their form
    on = merged(rules, 5)
    assert on.to_dict()["quota"]["merge_below"] == 5
    assert rules_from_dict(on.to_dict()).quota.merge_below == 5
    [issue] = validate_rules(merged(rules, -1))
    assert issue.field == "quota.merge_below"
    assert "0 为不合并" in issue.message


def test_host_units_only_small_units_with_a_parent():
    rules = merged(default_rules(), 5)
    sizes = {"大局": 10, "甲所": 2, "乙所": 4, "丙所": 5, "孤所": 1}
    parents = {"大局": "市政府", "甲所": "市局", "乙所": "市局", "丙所": "市局"}
    assert host_units(rules, sizes, parents) == {"甲所": "市局", "乙所": "市局"}
    # a small parent is merged in turn, and takes its small units along
    sizes |= {"市局": 1}
    parents |= {"市局": "市政府"}
    assert host_units(rules, sizes, parents) == {
        "甲所": "市政府",
        "乙所": "市政府",
        "市局": "市政府",
    }
    # a loop in the tree does not hang
    assert set(host_units(rules, {"甲": 1, "乙": 1}, {"甲": "乙", "乙": "甲"})) == {"甲", "乙"}
    assert host_units(default_rules(), sizes, parents) == {}


# --------------------------------------------------------------------------- engine


def test_without_merging_each_small_unit_rounds_up_to_one():
    result = grade_round(default_rules(), city())
    # 大局 2 (人1 95, 人2 94); 甲所 人11, 乙所 人13, 丙所 人15: 5 of 15
    assert excellent(result) == [1, 2, 11, 13, 15]
    assert [s.pool_key for s in result.pools] == ["大局", "甲所", "乙所", "丙所"]


def test_three_small_units_share_one_excellent_when_merged():
    result = grade_round(merged(default_rules(), 5), city())
    # pool 市局 = 甲所 2 + 乙所 2 + 丙所 1 = 5 people, 20%×5=1 → 1 优秀: 人11 (95)
    assert excellent(result) == [1, 2, 11]
    assert [s.pool_key for s in result.pools] == ["大局", "市局"]
    pool = result.pool("市局")
    assert (pool.unit, pool.people, pool.quota.quota) == ("市局", 5, 1)
    assert pool.merged_units == ("甲所", "乙所", "丙所")
    assert pool.label == "市局（合并计算：甲所、乙所、丙所）"
    assert pool.to_dict()["merged_units"] == ["甲所", "乙所", "丙所"]
    assert "merged_units" not in result.pool("大局").to_dict()
    assert pool.explanation.startswith(
        "市局（合并计算：甲所、乙所、丙所）：3 个单位合并计算名额，共 5 人，"
        "优秀名额 20%×5=1，四舍五入为 1 名；优秀 1 人、称职 4 人"
    )
    p15 = result.person(15)
    assert p15.pool_key == "市局"
    assert p15.proposed_grade is Grade.COMPETENT
    assert "3 个单位合并计算名额，共 5 人，优秀名额 20%×5=1" in p15.explanation
    assert "本单位与甲所、乙所合并计算名额（并入市局）" in p15.explanation
    assert "排名第 2" in p15.explanation
    assert "quota:merged" in [r.code for r in p15.rules]
    # a unit of 10 stays on its own
    assert "合并" not in result.person(1).explanation


def test_the_parent_units_own_people_join_the_pool():
    people = [person(1, 91, "市局", parent="市政府"), person(2, 95, "甲所")]
    result = grade_round(merged(default_rules(), 2), people)
    # 市局 (1) is small too and joins 市政府's pool; 甲所 follows its parent there
    assert [s.pool_key for s in result.pools] == ["市政府"]
    assert result.pool("市政府").merged_units == ("市局", "甲所")
    big = [person(1, 91, "市局", parent="市政府"), person(3, 80, "市局", parent="市政府")]
    result = grade_round(merged(default_rules(), 2), [*big, person(2, 95, "甲所")])
    # 市局 (2) is not small; 甲所 (1) joins it: 3 people, 20%×3=0.6 → 1: 人2 (95)
    assert [s.pool_key for s in result.pools] == ["市局"]
    assert excellent(result) == [2]
    assert result.pool("市局").merged_units == ("市局", "甲所")
    assert "本单位与甲所合并计算名额（并入市局）" in result.person(1).explanation
    assert "本单位与市局合并计算名额（并入市局）" in result.person(2).explanation


def test_approved_raised_quota_uses_the_merged_pool_key():
    result = grade_round(merged(default_rules(), 5), city(), approved_pools=["市局"])
    # 25%×5=1.25 → 1: the same one 优秀
    assert result.pool("市局").raised_quota
    assert excellent(result) == [1, 2, 11]


# --------------------------------------------------------------------------- city check


def test_ceiling_warning_names_the_small_units_rounded_up():
    rules = default_rules()
    result = grade_round(rules, city())
    text = summaries_warning(rules, [s.to_dict() for s in result.pools])
    # 5 优秀 of 15 = 33.3% > 25%; the three small units each got "at least one"
    assert text == (
        "全市优秀 5 人，占参加考核 15 人的 33.3%，超过 25% 上限；多出的名额来自按"
        "“不足 1 名按 1 名计”取整的 3 个小单位：甲所、乙所、丙所。"
        "可在考核方案中设置“小于 N 人的单位并入上级单位计算名额”"
    )


def test_no_ceiling_warning_when_the_small_units_are_merged():
    rules = merged(default_rules(), 5)
    result = grade_round(rules, city())
    # 3 优秀 of 15 = 20%
    assert summaries_warning(rules, [s.to_dict() for s in result.pools]) == ""


def test_ceiling_warning_at_and_above_the_line():
    rules = default_rules()
    at = [PoolShare("甲局", 8, 2, False)]  # 25% exactly: not above
    assert ceiling_warning(rules, at) == ""
    over = [PoolShare("甲局", 8, 3, False), PoolShare("乙局", 12, 2, False)]
    # 5 of 20 = 25%... no: 5/20 = 25% → not above; one more in 乙局
    assert ceiling_warning(rules, over) == ""
    over = [PoolShare("甲局", 8, 3, False), PoolShare("乙局", 12, 3, False)]
    assert ceiling_warning(rules, over, "“市直”范围内") == (
        "“市直”范围内优秀 6 人，占参加考核 20 人的 30.0%，超过 25% 上限；"
        "优秀比例超过 25% 的考核范围有 1 个：甲局"
    )
    assert ceiling_warning(rules, []) == ""


# --------------------------------------------------------------------------- service


@pytest.fixture
def towns(adb, units):  # noqa: F811
    """靖远县 > 乌兰镇 (甲 95, 乙 91), 北湾镇 (丙 93), 东湾镇 (丁 92, 戊 80): three small
    units under one parent, each of them 1 优秀 with "at least one"."""
    county = Unit.get_by_id(units["county"])
    beiwan = Unit.create(name="北湾镇", parent=county, sort_order=5).id
    dongwan = Unit.create(name="东湾镇", parent=county, sort_order=6).id
    spec = [("甲", units["town"], 95), ("乙", units["town"], 91), ("丙", beiwan, 93)]
    spec += [("丁", dongwan, 92), ("戊", dongwan, 80)]
    ids = {name: make_cadre(name, unit, i) for i, (name, unit, _s) in enumerate(spec, 1)}
    rid = create_round(2025, user="tester").id
    for unit in (units["town"], beiwan, dongwan):
        add_unit_members(rid, unit, user="tester")
    for name, _unit, score in spec:
        fill(rid, ids[name], score)
    return rid, ids


def _merge(rid: int, below: int) -> None:
    assert save_rules(rid, merged(get_round(rid).rules, below), reason="小单位合并") == []


def _stored(rid: int) -> dict[int, tuple[str, str]]:
    return {
        r.cadre_id: (r.final_grade, r.pool_key)
        for r in GradeResult.select().where(GradeResult.round == rid)
    }


def test_service_small_units_share_their_parents_pool(towns, units):
    rid, ids = towns
    _merge(rid, 3)
    outcome = grade_and_store(rid, user="tester")
    assert outcome.people == 5
    assert [d["pool_key"] for d in outcome.pools] == ["靖远县"]
    assert outcome.ceiling_warning == ""  # 1 of 5 = 20%
    stored = _stored(rid)
    assert {n: stored[ids[n]] for n in "甲乙丙丁戊"} == {
        "甲": ("优秀", "靖远县"),
        "乙": ("称职", "靖远县"),
        "丙": ("称职", "靖远县"),
        "丁": ("称职", "靖远县"),
        "戊": ("称职", "靖远县"),
    }
    ov = round_overview(rid)
    assert [(p.pool_key, p.people, p.quota) for p in ov.pools] == [("靖远县", 5, 1)]
    assert ov.ceiling_warning == ""
    # one unit selected: its pool is the merged one, graded whole
    again = grade_and_store(rid, unit_id=units["town"], user="tester")
    assert (again.people, [d["pool_key"] for d in again.pools]) == (5, ["靖远县"])
    # the committee's 优秀 for 丁 (东湾镇) takes the merged pool's one place from 甲 (乌兰镇)
    set_override(rid, ids["丁"], "优秀", "表现突出", user="tester")
    stored = _stored(rid)
    assert (stored[ids["丁"]], stored[ids["甲"]]) == (("优秀", "靖远县"), ("称职", "靖远县"))
    # a second one is beyond the quota of 1 without approval
    with pytest.raises(
        DomainError, match="靖远县（合并计算：乌兰镇、北湾镇、东湾镇）：优秀名额 1 名"
    ):
        set_override(rid, ids["丙"], "优秀", "表现突出", user="tester")


def test_service_ceiling_warning_when_small_units_round_up(towns, units, tmp_path):
    rid, _ids = towns
    outcome = grade_and_store(rid, user="tester")
    warning = (
        "全市优秀 3 人，占参加考核 5 人的 60.0%，超过 25% 上限；多出的名额来自按"
        "“不足 1 名按 1 名计”取整的 3 个小单位：乌兰镇、北湾镇、东湾镇。"
        "可在考核方案中设置“小于 N 人的单位并入上级单位计算名额”"
    )
    assert outcome.ceiling_warning == warning
    assert round_overview(rid).ceiling_warning == warning
    text = grade_command(2025, user="tester")
    assert f"注意：{warning}" in text
    # the 审定表 says it on its counts line (the pools are on screen and in the report)
    import subprocess

    from reports.assessment import summary as ar  # lazy: a report, for this test only
    from reports.assessment.data import approval_data  # lazy: a report, for this test only

    assert approval_data(2025).ceiling_warning == warning
    pdf = tmp_path / "审定表.pdf"
    assert ar.print_report("approval", 2025, pdf) == 1
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "占参加考核人数5人的60.0%，超过25%上限" in "".join(text.split())
    # the county's scope: the same pools, named by the unit
    scoped = round_overview(rid, units["county"]).ceiling_warning
    assert scoped.startswith("“靖远县”范围内优秀 3 人，占参加考核 5 人的 60.0%")
