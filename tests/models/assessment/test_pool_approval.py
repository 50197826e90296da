"""审定 one 考核范围 while others are still being entered: the pool must be complete and
graded with today's data; once approved its people's scores, records, flags, sanctions,
平时考核 grades and overrides are refused with who approved it and when, 计算等次 leaves it
as approved, the scheme cannot change under it; unlocking needs a reason; the round's own
审定 takes the approved pools as they are.

Same data as test_grade_ready: 市委组织部 甲乙丙 complete (95, 80, 70), 乌兰镇 丁 complete,
戊 incomplete.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from models.assessment import (
    ScoreCell,
    add_adjustment,
    add_member,
    add_sanction,
    approve_pool,
    approve_round,
    get_round,
    pool_approvals,
    round_rules,
    save_rules,
    set_member_flags,
    set_quarter_grade,
    set_raised_quota,
    set_scores,
    submit_for_review,
    unlock_pool,
)
from models.assessment.grading import grade_and_store, set_override
from models.assessment.results import round_overview
from models.assessment.tables import GradeResult
from models.core.audit import ChangeLog
from models.core.errors import DomainError
from tests.models.assessment.test_grade_ready import stored, two_units  # noqa: F401
from tests.models.assessment.test_service import adb, fill, make_cadre  # noqa: F401

LOCKED = "所在的考核范围“市委组织部”已于 "


def _approved(two_units, units):  # noqa: F811
    rid, ids = two_units
    grade_and_store(rid, unit_id=units["org"], user="tester")
    approve_pool(rid, "市委组织部", reason="考核委员会第3次会议", user="审定人")
    return rid, ids


def test_a_graded_pool_is_approved_while_another_is_still_entered(two_units, units):  # noqa: F811
    rid, ids = _approved(two_units, units)
    assert list(pool_approvals(rid)) == ["市委组织部"]
    a = pool_approvals(rid)["市委组织部"]
    assert (a.label, a.people, a.approved_by) == ("市委组织部", 3, "审定人")
    assert get_round(rid).status == "录入"  # the round itself goes on
    # the overview marks the pool
    pools = {p.pool_key: p for p in round_overview(rid).pools}
    assert pools["市委组织部"].approved.endswith("审定人")
    assert pools["乌兰镇"].approved == ""
    # the change log says who approved which pool, with the reason
    log = ChangeLog.select().where(ChangeLog.field == "pool_approved").get()
    assert (log.new_value, log.reason) == ("市委组织部（3 人）", "考核委员会第3次会议")
    # the other unit goes on being entered and graded
    fill(rid, ids["戊"], 60)
    outcome = grade_and_store(rid, user="tester")
    assert outcome.people == 2  # 丁 and 戊 only: the approved pool is not graded again
    assert "已审定的考核范围（市委组织部）保持审定时的等次" in outcome.message
    assert stored(rid)[ids["戊"]] == "基本称职"
    assert stored(rid)[ids["甲"]] == "优秀"


def test_a_pool_with_someone_to_enter_or_ungraded_is_refused(two_units, units):  # noqa: F811
    rid, ids = two_units
    with pytest.raises(DomainError) as refused:
        approve_pool(rid, "乌兰镇", user="审定人")
    assert str(refused.value) == (
        "考核范围“乌兰镇”不能审定：待录入：戊（乌兰镇）缺少“勤”“绩”“廉”得分；"
        "缺少民主测评票数或平均分（或没有有效票）"
    )
    with pytest.raises(DomainError, match="甲、乙、丙还没有计算等次"):
        approve_pool(rid, "市委组织部", user="审定人")
    grade_and_store(rid, unit_id=units["org"], user="tester")
    set_scores(rid, [ScoreCell(ids["乙"], "ji", 20)])  # changed after grading: 乙 below 丙
    with pytest.raises(DomainError, match="乙、丙还没有计算等次，或数据在上次计算等次之后有变化"):
        approve_pool(rid, "市委组织部", user="审定人")
    with pytest.raises(DomainError, match="本轮考核没有这个考核范围"):
        approve_pool(rid, "市财政局", user="审定人")
    assert pool_approvals(rid) == {}


def test_edits_of_an_approved_pool_are_refused_naming_who_approved(two_units, units):  # noqa: F811
    rid, ids = _approved(two_units, units)
    before = stored(rid)
    attempts = [
        lambda: set_scores(rid, [ScoreCell(ids["乙"], "ji", 20)]),
        lambda: add_adjustment(rid, ids["乙"], "2", "获表彰", user="tester"),
        lambda: set_member_flags(rid, ids["乙"], on_probation=True),
        lambda: set_override(rid, ids["乙"], "优秀", "委员会决定", user="tester"),
        lambda: add_sanction(ids["乙"], "诫勉", dt.date(2025, 5, 1), user="tester"),
        lambda: set_quarter_grade(ids["乙"], 2025, 2, "一般", user="tester"),
        lambda: add_member(rid, make_cadre("己", units["org"], 9), user="tester"),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError) as refused:
            attempt()
        text = str(refused.value)
        assert LOCKED in text, text
        assert "由 审定人 审定锁定" in text
        assert "解除审定" in text
    # the other pool is open
    set_scores(rid, [ScoreCell(ids["戊"], "qin", 8)])
    # the scheme and the pool's quota cannot change under it
    rules = round_rules(rid)
    wider = dataclasses.replace(rules, quota=dataclasses.replace(rules.quota, percent=Decimal(25)))
    with pytest.raises(DomainError, match="“市委组织部”已经单独审定，修改考核方案会改变"):
        save_rules(rid, wider, user="tester")
    with pytest.raises(DomainError, match="改变它的优秀名额"):
        set_raised_quota(rid, "市委组织部", True, reason="批准", user="tester")
    assert stored(rid) == before


def test_unlocking_needs_a_reason_and_opens_the_pool_again(two_units, units):  # noqa: F811
    rid, ids = _approved(two_units, units)
    with pytest.raises(DomainError, match="必须填写理由"):
        unlock_pool(rid, "市委组织部", reason=" ", user="审定人")
    version = get_round(rid).version
    unlock_pool(rid, "市委组织部", reason="乙的绩效得分录错", user="审定人")
    assert pool_approvals(rid) == {}
    assert get_round(rid).version == version + 1
    set_scores(rid, [ScoreCell(ids["乙"], "ji", 20)])
    outcome = grade_and_store(rid, unit_id=units["org"], user="tester")
    assert outcome.people == 3
    with pytest.raises(DomainError, match="没有单独审定"):
        unlock_pool(rid, "市委组织部", reason="再次", user="审定人")


def test_a_stale_version_is_refused(two_units, units):  # noqa: F811
    rid, _ids = two_units
    grade_and_store(rid, unit_id=units["org"], user="tester")
    seen = get_round(rid).version
    set_raised_quota(rid, "乌兰镇", True, reason="批准", user="其他人")
    with pytest.raises(DomainError, match="其他人"):
        approve_pool(rid, "市委组织部", user="审定人", expected_version=seen)
    assert pool_approvals(rid) == {}


def test_the_round_is_approved_over_approved_pools(two_units, units):  # noqa: F811
    rid, ids = _approved(two_units, units)
    fill(rid, ids["戊"], 60)
    grade_and_store(rid, user="tester")
    approve_pool(rid, "乌兰镇", user="审定人")
    submit_for_review(rid, user="tester")
    approved = approve_round(rid, user="审定人")
    assert approved.locked
    assert {r.cadre_id for r in GradeResult.select().where(GradeResult.round == rid)} == set(
        ids.values()
    )
    with pytest.raises(DomainError, match="本轮考核已审定锁定"):
        unlock_pool(rid, "乌兰镇", reason="更正", user="审定人")
