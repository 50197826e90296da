"""计算等次 of what is ready: a unit (with its sub-units) graded while another is still being
entered; the 待录入 list by name and unit; the whole round grades every complete pool; the
command line says the same; approval refuses while a pool is not graded.

Default rules (see test_service.py): every item and group average = score gives composite =
score; 优秀 ≥ 90, 称职 ≥ 66; quota 20% 四舍五入, at least one.
"""

from __future__ import annotations

import json
import re

import pytest

from models.assessment import (
    ScoreCell,
    add_unit_members,
    approve_round,
    create_round,
    get_round,
    set_scores,
    submit_for_review,
)
from models.assessment.grading import approval_problems, grade_and_store, pending_people
from models.assessment.results import grade_command
from models.assessment.tables import AssessmentRound, GradeResult
from models.core.errors import DomainError
from models.roster.tables import Unit
from tests.models.assessment.test_service import adb, fill, make_cadre  # noqa: F401

ID_IN_PARENS = re.compile(r"（\d+）")


@pytest.fixture
def two_units(adb, units):  # noqa: F811
    """市委组织部 甲乙丙 all complete (95, 80, 70); 乌兰镇 丁 complete (85), 戊 with only
    德 and 能 entered and no 民主测评."""
    ids = {n: make_cadre(n, units["org"], i) for i, n in enumerate("甲乙丙", 1)}
    ids |= {n: make_cadre(n, units["town"], i) for i, n in enumerate("丁戊", 4)}
    rid = create_round(2025, user="tester").id
    add_unit_members(rid, units["org"], user="tester")
    add_unit_members(rid, units["town"], user="tester")
    for name, score in zip("甲乙丙丁", (95, 80, 70, 85), strict=True):
        fill(rid, ids[name], score)
    set_scores(rid, [ScoreCell(ids["戊"], "de", 18), ScoreCell(ids["戊"], "neng", 12)])
    return rid, ids


def stored(rid: int) -> dict[int, str]:
    return {r.cadre_id: r.final_grade for r in GradeResult.select().where(GradeResult.round == rid)}


def test_a_complete_unit_is_graded_while_another_waits(two_units, units):
    rid, ids = two_units
    outcome = grade_and_store(rid, unit_id=units["org"], user="tester")
    assert outcome.people == 3
    assert outcome.pending == ()
    assert outcome.message == "已计算 3 人的等次（1 个考核范围）。"
    # read back: 市委组织部 graded (quota 20%×3=0.6 → 1: 甲 95 优秀), 乌兰镇 untouched
    assert stored(rid) == {ids["甲"]: "优秀", ids["乙"]: "称职", ids["丙"]: "称职"}
    assert [p["pool_key"] for p in _pools(rid)] == ["市委组织部"]


def test_the_waiting_unit_names_its_people_by_name_and_unit(two_units, units):
    rid, ids = two_units
    outcome = grade_and_store(rid, unit_id=units["county"], user="tester")  # 乌兰镇 below
    assert outcome.people == 0
    assert stored(rid) == {}
    assert [p.text for p in outcome.pending] == [
        "戊（乌兰镇）缺少“勤”“绩”“廉”得分；缺少民主测评票数或平均分（或没有有效票）"
    ]
    assert outcome.message == (
        "没有可以计算等次的考核范围。待录入 1 人，所在的 1 个考核范围暂不计算等次："
        "乌兰镇（2 人，待录入 1 人）。补录后再计算等次。"
    )
    assert not ID_IN_PARENS.search(outcome.message + "".join(outcome.pending_lines))
    assert "未列出" not in outcome.message
    # the screen's list is the same
    assert pending_people(rid, units["town"]) == outcome.pending
    assert pending_people(rid, units["org"]) == ()


def test_all_units_grade_every_complete_pool(two_units):
    rid, ids = two_units
    outcome = grade_and_store(rid, user="tester")
    assert outcome.people == 3
    assert [p.name for p in outcome.pending] == ["戊"]
    grades = stored(rid)
    assert set(grades) == {ids["甲"], ids["乙"], ids["丙"]}  # 丁 waits with 戊's pool
    # 戊 entered later: grading the whole round again grades 乌兰镇 too
    fill(rid, ids["戊"], 60)
    outcome = grade_and_store(rid, user="tester")
    assert (outcome.people, outcome.pending) == (5, ())
    grades = stored(rid)
    # 丁 85 < 90 (优秀 floor): 称职; 戊 60 ≥ 55: 基本称职
    assert (grades[ids["丁"]], grades[ids["戊"]]) == ("称职", "基本称职")


def test_command_line_unit_grading_says_the_same(two_units, units):
    rid, ids = two_units
    text = grade_command(2025, units["town"], user="tester")
    lines = text.split("\n")
    assert lines[0].startswith("没有可以计算等次的考核范围。待录入 1 人")
    assert lines[1:3] == [
        "待录入 1 人：",
        "  戊（乌兰镇）缺少“勤”“绩”“廉”得分；缺少民主测评票数或平均分（或没有有效票）",
    ]
    assert not ID_IN_PARENS.search(text)
    assert stored(rid) == {}
    text = grade_command(2025, units["org"], user="tester")
    assert text.startswith("已计算 3 人的等次（1 个考核范围）。\n")
    assert "【市委组织部】3 人" in text
    assert "乌兰镇" not in text
    assert len(stored(rid)) == 3


def test_approval_refused_while_a_pool_is_not_graded(two_units, units):
    rid, ids = two_units
    grade_and_store(rid, unit_id=units["org"], user="tester")
    assert approval_problems(rid) == ["“乌兰镇”有 2 人还没有计算等次（其中待录入 1 人）"]
    submit_for_review(rid, user="tester")
    with pytest.raises(DomainError) as refused:
        approve_round(rid, user="tester")
    assert str(refused.value).startswith(
        "“乌兰镇”有 2 人还没有计算等次（其中待录入 1 人），不能审定"
    )
    assert not ID_IN_PARENS.search(str(refused.value))
    assert get_round(rid).status == "审核"
    assert len(stored(rid)) == 3


def test_a_unit_without_people_in_the_round_is_refused(two_units, units):
    rid, _ids = two_units
    empty = Unit.create(name="市统计局", parent=units["city"], sort_order=9).id
    with pytest.raises(DomainError, match="“市统计局”在“2025年度考核”中没有参加考核的人员"):
        grade_and_store(rid, unit_id=empty, user="tester")
    assert stored(rid) == {}


def _pools(rid: int) -> list[dict]:
    return json.loads(AssessmentRound.get_by_id(rid).pools_json)


def test_a_pool_graded_before_a_score_was_cleared_keeps_its_grades_and_says_so(two_units, units):
    rid, ids = two_units
    grade_and_store(rid, unit_id=units["org"], user="tester")
    set_scores(rid, [ScoreCell(ids["乙"], "ji", None)])
    outcome = grade_and_store(rid, unit_id=units["org"], user="tester")
    assert [p.text for p in outcome.pending] == ["乙（市委组织部）缺少“绩”得分"]
    # nothing of the waiting pool rewritten: the last grades stay, marked in the report
    assert stored(rid) == {ids["甲"]: "优秀", ids["乙"]: "称职", ids["丙"]: "称职"}
    text = grade_command(2025, units["org"], user="tester")
    assert "  ※有人待录入，以上是上次计算的等次，补录后需重新计算" in text
    assert "  未录入完整：乙（缺绩）" in text
