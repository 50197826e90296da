"""The 领导班子 in the 单位考评: its five items and 民主测评 on hand-computed cases, the key
tasks' extra weight, the rules a new year starts with (班子 20 % of the total), each refusal,
and the demo's cadre round whose 优秀 shares follow the unit grades."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal

import pytest

from models.assessment.results import round_overview
from models.assessment.tables import AssessmentRound
from models.audit.kinds import kind_of, plain_value
from models.core.audit import ChangeLog
from models.core.db import close_database
from models.core.errors import ConflictError, DomainError
from models.demo import build_demo
from models.evaluation import (
    EvalRules,
    GradeRule,
    UnitInput,
    Weighted,
    approve_year,
    default_eval_rules,
    grade_year,
    list_results,
    save_rules,
    set_scores,
    unit_total,
    year_rules,
)
from models.evaluation.engine import TaskMark, category_score, team_score
from models.evaluation.rules import rules_from_json, rules_to_json
from models.evaluation.team import read_team, set_task_score, set_team
from models.roster.tables import Unit
from models.schema import open_database

D = Decimal
Y = 2025
R20 = EvalRules(team_weight=D(20))
ITEMS = {"sxzz": D(90), "ldsp": D(80), "gzsj": D(85), "zdrw": D(88), "fflz": D(95)}
VOTES = {"leaders": {"好": 3, "较好": 2}, "staff": {"好": 10, "一般": 10}}


def test_team_score_by_hand() -> None:
    # items: 90×20% + 80×20% + 85×25% + 88×20% + 95×15% = 18 + 16 + 21.25 + 17.6 + 14.25 = 87.1
    # votes: 上级领导 (300 + 160) / 5 = 92; 干部职工 (1000 + 600) / 20 = 80; 服务对象 none, so
    # its weight drops out: (92×30 + 80×40) / 70 = 85.142857…
    # 班子 = 87.1×70% + 85.142857×30% = 60.97 + 25.542857 = 86.512857 → 86.51
    score, text = team_score(R20, ITEMS, VOTES)
    assert score == D("86.51")
    assert "上级领导 5 票均 92.00" in text
    assert "本单位干部职工 20 票均 80.00" in text
    assert "服务对象" not in text
    # without the 民主测评 the items alone
    assert team_score(dataclasses.replace(R20, vote_weight=D(0)), ITEMS, {})[0] == D("87.10")


def test_team_score_refuses_what_is_missing() -> None:
    with pytest.raises(DomainError, match="领导班子考核项目没有评分：反腐倡廉"):
        team_score(R20, {k: v for k, v in ITEMS.items() if k != "fflz"}, VOTES)
    with pytest.raises(DomainError, match="民主测评还没有录入票数"):
        team_score(R20, ITEMS, {"staff": {"好": 0}})


def test_total_with_the_team_share() -> None:
    # 工作实绩 90×40% + 80×60% = 84; ×80% = 67.2; 班子 86.51×20% = 17.302; 67.2 + 17.302
    # + 加分 2 − 逾期 1×0.5 = 86.002 → 86.00
    u = UnitInput("甲", D(90), D(80), bonus=D(2), late_checks=1, team=D("86.51"))
    total, text = unit_total(R20, u)
    assert total == D("86.00")
    assert "工作实绩 84.00×80%=67.20" in text
    assert "领导班子 86.51×20%=17.30" in text
    with pytest.raises(DomainError, match="“甲”没有领导班子得分"):
        unit_total(R20, dataclasses.replace(u, team=None))
    # the rules of a year made before the 班子 counted: the 工作实绩 alone, as before
    assert unit_total(EvalRules(), dataclasses.replace(u, team=None))[0] == D("85.50")


def test_key_tasks_weigh_more() -> None:
    # (90×60×1.5 + 70×40) / (60×1.5 + 40) = (8100 + 2800) / 130 = 83.846… → 83.85
    marks = [TaskMark(D(90), D(60), key=True), TaskMark(D(70), D(40))]
    score, text = category_score(R20, marks)
    assert score == D("83.85")
    assert "重点工作 1 项按 1.5 倍计" in text
    # no points on any task: a plain mean, the key one still counting 1.5 times
    assert category_score(R20, [TaskMark(D(90), D(0), True), TaskMark(D(70), D(0))])[0] == D(82)


def test_rules_round_trip_and_old_years() -> None:
    r = dataclasses.replace(R20, vote_weight=D(40), key_factor=D(2))
    assert rules_from_json(rules_to_json(r)) == r
    # a year stored before v17 has no team_weight: its totals stay the 工作实绩 alone
    old = json.loads(rules_to_json(EvalRules()))
    for k in ("team_weight", "team_items", "vote_weight", "vote_groups", "key_factor"):
        old.pop(k)
    assert rules_from_json(json.dumps(old)).team_weight == 0
    assert default_eval_rules().team_weight == 20
    bad = json.loads(rules_to_json(R20))
    bad["team_items"][0]["weight"] = 30
    with pytest.raises(DomainError, match="领导班子考核项目的权重合计应为 100，现为 110"):
        rules_from_json(json.dumps(bad))


def test_entering_the_team_and_grading_with_it(plan, units) -> None:
    org, town = units["org"], units["town"]
    a, b = plan
    # this year counts the 班子 (the plan fixture left it out)
    save_rules(Y, default_eval_rules(), user="考评办")
    assert year_rules(Y).team_weight == 20
    set_scores(Y, org, common=D(90), own=D(80), user="考评办")
    set_scores(Y, town, common=D(85), own=None, user="考评办")
    with pytest.raises(DomainError) as e:
        grade_year(Y)
    assert "市委组织部（领导班子评分或民主测评）" in e.value.message
    assert "乌兰镇（个性得分、领导班子评分或民主测评）" in e.value.message

    for bad, why in (
        ({**ITEMS, "sxzz": D(101)}, "“思想政治建设”的得分应在 0–100 之间，现为 101"),
        ({"xxx": D(1)}, "没有“xxx”这一考核项目"),
    ):
        with pytest.raises(DomainError, match=why):
            set_team(Y, org, bad, VOTES)
    with pytest.raises(DomainError, match="测评等次只有好、较好、一般、较差，没有“优秀”"):
        set_team(Y, org, ITEMS, {"staff": {"优秀": 3}})
    with pytest.raises(DomainError, match="票数应为 0 或正整数，现为 -1"):
        set_team(Y, org, ITEMS, {"staff": {"好": -1}})
    assert read_team(Y, org).items == {}  # nothing half-saved

    first = read_team(Y, org)
    saved = set_team(Y, org, ITEMS, VOTES, expected_version=first.version, user="考评办")
    assert saved.score == D("86.51")
    with pytest.raises(ConflictError):  # another clerk saved since this screen read it
        set_team(Y, org, ITEMS, {}, expected_version=first.version, user="李四")
    assert read_team(Y, org).votes == VOTES
    set_team(Y, town, dict.fromkeys(ITEMS, D(80)), {"staff": {"较好": 10}}, user="考评办")
    with pytest.raises(DomainError, match="乌兰镇（个性得分）"):
        grade_year(Y)
    # the 考评办's year-end score of 乌兰镇's only 个性 task makes its 个性 score
    with pytest.raises(DomainError, match="年终评分应在 0–100 之间，现为 120"):
        set_task_score(b, D(120))
    set_task_score(b, D(70), user="考评办")
    results = {r.unit: r for r in grade_year(Y, user="考评办")}
    # 市委组织部: 84×80% + 86.51×20% = 67.2 + 17.302 = 84.502 → 84.50
    assert results["市委组织部"].total == D("84.50")
    assert results["市委组织部"].team == D("86.51")
    # 乌兰镇: 85×40% + 70×60% = 76; ×80% = 60.8; 班子 80×70% + 80×30% = 80, ×20% = 16;
    # 60.8 + 16 = 76.80 (no late self-check)
    assert results["乌兰镇"].total == D("76.80")
    assert results["乌兰镇"].shown("个性") == D("70.00")  # shown though not entered
    assert results["乌兰镇"].own is None
    assert "个性得分：1 项任务年终评分按分值加权平均 70.00（其中重点工作 1 项按 1.5 倍计）" in (
        results["乌兰镇"].explanation
    )
    assert (
        ChangeLog.select()
        .where(
            (ChangeLog.entity == "work_task")
            & (ChangeLog.entity_id == b)
            & (ChangeLog.user == "考评办")
        )
        .exists()
    )
    approve_year(Y, user="部长")
    with pytest.raises(DomainError, match="已于 .* 审定"):
        set_team(Y, org, ITEMS, VOTES)
    with pytest.raises(DomainError, match="已于 .* 审定"):
        set_task_score(a, D(90))
    assert [r.grade for r in list_results(Y)] == ["较好", "一般"]  # 84.50 < 90, 76.80 < 80


def test_the_demo_round_uses_the_unit_grades(tmp_path) -> None:
    path = tmp_path / "demo.db"
    build_demo(path, cadres=400, today=dt.date(2026, 12, 7), parts=("evaluation", "assessment"))
    open_database(path)
    try:
        results = list_results(2025)
        grade = {r.unit: r.grade for r in results}
        assert all(grade.values())
        assert len(set(grade.values())) >= 2
        rid = AssessmentRound.get(AssessmentRound.year == 2025).id
        ov = round_overview(rid)
        percents = dict(ov.round.rules.quota.unit_percents)
        assert percents == {u: {"好": D(25), "较好": D(20), "一般": D(15), "较差": D(10)}[g]
                            for u, g in grade.items()}  # fmt: skip
        pools = {p.unit: p for p in ov.pools if p.unit in grade}
        # every graded unit's pool has the quota of its own grade's share
        for unit, pool in pools.items():
            assert f"{percents[unit]}%×{pool.people}" in pool.quota_text.replace(".00", "")
            assert pool.excellent <= pool.quota
        # a 好 unit's staff get the larger share: of equal size, a 好 pool has no fewer
        # places than a 一般 one, and somewhere strictly more
        good = [p for u, p in pools.items() if grade[u] == "好"]
        fair = [p for u, p in pools.items() if grade[u] in ("一般", "较差")]
        assert good
        assert fair
        assert max(p.quota / p.people for p in good) > min(p.quota / p.people for p in fair)
    finally:
        close_database()


def test_two_units_of_one_name_are_graded_apart(plan, units) -> None:
    # another system names a 党政办 under each county: names repeat, units do not
    a = Unit.create(name="党政办", parent=units["county"], sort_order=5).id
    b = Unit.create(name="党政办", parent=units["city"], sort_order=6).id
    for uid, score in ((units["org"], 90), (units["town"], 90), (a, 95), (b, 70)):
        set_scores(Y, uid, common=D(score), own=D(score), user="考评办")
    results = {r.unit_id: r for r in grade_year(Y, user="考评办")}
    assert (results[a].total, results[a].rank) == (D("95.00"), 1)
    assert (results[b].total, results[b].rank) == (D("70.00"), 4)
    assert all(r.grade for r in results.values())
    approve_year(Y, user="部长")


def test_a_change_to_the_team_after_grading_is_not_approved(plan, units) -> None:
    save_rules(Y, default_eval_rules(), user="考评办")
    for unit in ("org", "town"):
        set_scores(Y, units[unit], common=D(90), own=D(90), user="考评办")
        set_team(Y, units[unit], ITEMS, VOTES, user="考评办")
    grade_year(Y, user="考评办")
    # 90 → 90.1 on one item moves the 班子得分 by 0.014 and the total by less than 0.01:
    # the locked form would print an item its 计分说明 does not use
    set_team(Y, units["org"], {**ITEMS, "sxzz": D("90.1")}, VOTES, user="考评办")
    with pytest.raises(DomainError, match="在计算等次后又有修改（涉及 市委组织部"):
        approve_year(Y, user="部长")
    grade_year(Y, user="考评办")
    approve_year(Y, user="部长")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"common_weight": D(-20), "own_weight": D(120)}, "共性指标权重应为不小于 0 的数字"),
        ({"bonus_cap": D(-1)}, "加分上限应为不小于 0 的数字，现为 -1"),
        ({"grades": (GradeRule("第一等次（优秀）", D(30), D(90), D(25)),)}, "等次名称最多 6 个字"),
        ({"team_items": (Weighted("a", "甲", D(150)), Weighted("b", "乙", D(-50)))},
         "“乙”的权重应为不小于 0 的数字"),
    ],
)  # fmt: skip
def test_rules_that_would_lock_the_year_are_refused(plan, change, message) -> None:
    with pytest.raises(DomainError, match=message):
        save_rules(Y, dataclasses.replace(default_eval_rules(), **change), user="考评办")
    assert year_rules(Y).common_weight == 40  # the year still opens with what it had


@pytest.mark.parametrize(
    "text",
    ["[1]", '{"grades": "abc"}', '{"grades": [1]}', '{"grades": [{"name": "好"}]}', "{",
     '{"check_days": "abc"}', '{"check_days": null}', '{"check_days": 1.7}',
     '{"grades": [{"name": null, "share": 1, "min_score": 1, "staff_excellent": 1}]}'],
)  # fmt: skip
def test_rules_written_by_hand_are_refused_in_chinese(text) -> None:
    with pytest.raises(DomainError, match="单位考评规则"):
        rules_from_json(text)


def test_numbers_that_are_not_numbers_are_refused(plan, units) -> None:
    for bad in ("NaN", "Infinity", "sNaN"):
        with pytest.raises(DomainError, match="应为数字"):
            set_scores(Y, units["org"], common=D(bad), own=D(90))
    with pytest.raises(DomainError, match="加分理由最多 300 字"):
        set_scores(Y, units["org"], common=D(90), own=D(90), bonus=D(1), bonus_reason="创" * 301)
    assert list_results(Y)[0].common is None  # nothing stored


def test_the_change_log_names_the_team_scores() -> None:
    assert kind_of("unit_result", "team_items") == "领导班子评分"
    assert kind_of("unit_result", "total") == "单位考评结果"
    shown = plain_value("unit_result", "team_votes", '{"leaders": {"好": 5, "较好": 2}}')
    assert shown == "上级领导：好 5、较好 2"
    assert plain_value("unit_result", "team_items", '{"sxzz": "90"}') == "思想政治建设 90"
