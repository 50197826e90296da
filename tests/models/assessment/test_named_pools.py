"""考核范围 drawn by the 组织部 (``quota.named_pools``): the listed units share one 优秀 quota
under the pool's name whatever their size, before the small-unit rule; checked (a name, at
least one unit, a unit in one pool only); through the grading service, one unit graded grades
its whole pool and the pool is approved as one.

Default rules: composite = score; 优秀 ≥ 90; quota 20% 四舍五入, 不足 1 名按 1 名计.
"""

from __future__ import annotations

import dataclasses

from models.assessment import add_unit_members, approve_pool, create_round, save_rules
from models.assessment.engine import grade_round
from models.assessment.grading import grade_and_store
from models.assessment.results import round_overview
from models.assessment.rules import (
    AssessmentRules,
    NamedPool,
    default_rules,
    rules_from_dict,
    validate_rules,
)
from models.assessment.tables import GradeResult
from tests.models.assessment.test_service import adb, fill, make_cadre  # noqa: F401
from tests.models.assessment.test_small_unit_pools import city, excellent, merged

POOL = NamedPool("所属事业单位", ("甲所", "乙所", "丙所"))


def drawn(rules: AssessmentRules, *pools: NamedPool) -> AssessmentRules:
    return dataclasses.replace(rules, quota=dataclasses.replace(rules.quota, named_pools=pools))


def test_named_pools_round_trip_and_are_checked() -> None:
    rules = drawn(default_rules(), POOL)
    assert "named_pools" not in default_rules().to_dict()["quota"]
    assert rules.to_dict()["quota"]["named_pools"] == [
        {"name": "所属事业单位", "units": ["甲所", "乙所", "丙所"]}
    ]
    assert rules_from_dict(rules.to_dict()).quota.named_pools == (POOL,)
    bad = drawn(
        default_rules(),
        NamedPool(" ", ("甲所",)),
        NamedPool("二组", ()),
        NamedPool("三组", ("甲所", "丁所")),
    )
    assert [i.message for i in validate_rules(bad)] == [
        "名称不能为空",
        "至少包括一个单位",
        "单位“甲所”已在“ ”中，一个单位只能在一个考核范围",
    ]


def test_the_drawn_units_share_one_quota_under_the_pool_name() -> None:
    # 甲所 95 91, 乙所 93 92, 丙所 94: five people, 20%×5 = 1 优秀 → 95 (人11) only;
    # each on its own would have had at least one
    result = grade_round(drawn(default_rules(), POOL), city())
    assert excellent(result) == [1, 2, 11]  # 大局 2 of 10, the drawn pool 1
    keys = {p.person_id: p.pool_key for p in result.people}
    assert {keys[i] for i in (11, 12, 13, 14, 15)} == {"所属事业单位"}
    (summary,) = [s for s in result.pools if s.pool_key == "所属事业单位"]
    assert (summary.people, summary.quota.quota) == (5, 1)
    text = result.person(13).explanation
    assert "所属事业单位" in text


def test_a_drawn_pool_comes_before_the_small_unit_rule() -> None:
    # merge_below 3 would put the three small units into 市局's pool; 甲所 and 乙所 are drawn
    # into 二所 instead, 丙所 (one person) still merges into 市局
    rules = drawn(merged(default_rules(), 3), NamedPool("二所", ("甲所", "乙所")))
    keys = {p.person_id: p.pool_key for p in grade_round(rules, city()).people}
    assert {keys[i] for i in (11, 12, 13, 14)} == {"二所"}
    assert keys[15] == "市局"


def test_grading_one_unit_grades_its_drawn_pool_and_approves_it_whole(adb, units):  # noqa: ANN001, F811
    # 市委组织部 甲 95, 乙 80; 乌兰镇 丙 92 drawn together; 靖远县 on its own
    ids = {
        "甲": make_cadre("甲", units["org"], 1),
        "乙": make_cadre("乙", units["org"], 2),
        "丙": make_cadre("丙", units["town"], 3),
        "丁": make_cadre("丁", units["county"], 4),
    }
    rid = create_round(2025, user="tester").id
    for u in ("org", "town", "county"):
        add_unit_members(rid, units[u], include_subunits=False, user="tester")
    for name, score in zip("甲乙丙丁", (95, 80, 92, 91), strict=True):
        fill(rid, ids[name], score)
    pool = NamedPool("组织口", ("市委组织部", "乌兰镇"))
    from models.assessment import round_rules

    assert save_rules(rid, drawn(round_rules(rid), pool), user="tester") == []
    outcome = grade_and_store(rid, unit_id=units["town"], user="tester")
    assert outcome.people == 3  # 乌兰镇 asked: its pool holds 市委组织部 too
    grades = {
        r.cadre_id: (r.pool_key, r.final_grade)
        for r in GradeResult.select().where(GradeResult.round == rid)
    }
    # 3 people × 20% = 0.6 → 1 优秀: 甲 95
    assert grades == {
        ids["甲"]: ("组织口", "优秀"),
        ids["乙"]: ("组织口", "称职"),
        ids["丙"]: ("组织口", "称职"),
    }
    pools = {p.pool_key: p for p in round_overview(rid).pools}
    assert pools["组织口"].people == 3
    approve_pool(rid, "组织口", user="审定人")
    assert round_overview(rid).pools[0].approved
