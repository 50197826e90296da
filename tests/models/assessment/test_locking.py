"""Optimistic locking of the round-level edits of 五项考核: a writer who passes the version it
showed is refused, with a Chinese message naming the round and the latest change, when
someone else changed the round since; nothing is written. Without a version (command line)
the old behaviour stays.

A new round starts at version 1; every round-level write adds 1 (so the hand-worked versions
below count the writes).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal

import pytest

import models.assessment.members as members_module
from models.assessment import (
    LOCKED_MESSAGE,
    RoundChangedError,
    ScoreCell,
    add_member,
    add_unit_members,
    approve_round,
    create_round,
    get_round,
    remove_member,
    return_to_entry,
    save_rules,
    set_group_averages,
    set_raised_quota,
    set_scores,
    submit_for_review,
    unlock_round,
)
from models.assessment.grading import compute_grades
from models.assessment.rounds import update_round
from models.assessment.tables import ASSESSMENT_TABLES, AssessmentRound, RoundMember
from models.core.audit import ChangeLog
from models.core.errors import ConflictError, DomainError
from models.roster.tables import Cadre

ROUND = "2025年度考核"
ITEMS = ("de", "neng", "qin", "ji", "lian")
GROUPS = ("superior", "peer", "subordinate", "served")


@pytest.fixture
def adb(database):
    database.create_tables(ASSESSMENT_TABLES)
    return database


@pytest.fixture
def rid(adb) -> int:
    """A bare 2025 annual round (version 1, status 录入)."""
    rnd = create_round(2025, user="tester")
    assert rnd.version == 1
    return rnd.id


@pytest.fixture
def graded(adb, units) -> int:
    """The 2025 round with three cadres of 市委组织部 scored and graded (version 2: the
    members were added)."""
    for n, name in enumerate("甲乙丙", start=1):
        cid = Cadre.create(
            name=name,
            sex="男",
            birth_date=dt.date(1980, 1, 1),
            unit=units["org"],
            id_card=f"62040219800101{n:04d}",
            post_title="科员",
        ).id
    rnd = create_round(2025, user="tester")
    assert add_unit_members(rnd.id, units["org"], user="tester") == 3
    for cid in [c.id for c in Cadre.select()]:
        set_scores(rnd.id, [ScoreCell(cid, c, 80) for c in ITEMS], user="tester")
        set_group_averages(rnd.id, cid, dict.fromkeys(GROUPS, 80), user="tester")
    compute_grades(rnd.id, user="tester")
    assert get_round(rnd.id).version == 2
    return rnd.id


def snapshot(round_id: int) -> tuple[object, ...]:
    """Everything a refused write must leave alone: the round row and its change log."""
    r = AssessmentRound.get_by_id(round_id)
    log = ChangeLog.select().where(ChangeLog.entity == "assessment_round").count()
    return (r.rules_json, r.status, r.approved_pools, r.locked_at, r.locked_by, r.version, log)


def heavier_ji(rules, ji: int = 40):  # noqa: ANN001, ANN201
    """绩 30 → ``ji`` and 廉 20 → 50 − ji: 德20 + 能15 + 勤15 + 绩 + 廉 still add to 100."""
    items = list(rules.items)
    items[3] = dataclasses.replace(items[3], weight=Decimal(ji))
    items[4] = dataclasses.replace(items[4], weight=Decimal(50 - ji))
    return dataclasses.replace(rules, items=tuple(items))


def latest_at(round_id: int) -> str:
    entry = (
        ChangeLog.select()
        .where((ChangeLog.entity == "assessment_round") & (ChangeLog.entity_id == round_id))
        .order_by(ChangeLog.id.desc())
        .first()
    )
    return f"{entry.at:%Y-%m-%d %H:%M}"


# --------------------------------------------------------------------------- save_rules


def test_save_rules_with_stale_version_is_refused_and_nothing_saved(rid) -> None:
    shown = get_round(rid)  # the editor opened at version 1
    other = heavier_ji(shown.rules, 40)
    assert save_rules(rid, other, user="王科长", expected_version=1) == []  # → version 2
    before = snapshot(rid)
    mine = heavier_ji(shown.rules, 35)
    with pytest.raises(RoundChangedError) as caught:
        save_rules(rid, mine, user="李科员", reason="我的修改", expected_version=shown.version)
    msg = str(caught.value)
    assert msg.startswith(f"“{ROUND}”在您打开之后已被他人修改")
    assert f"王科长 于 {latest_at(rid)} 修改了考核方案" in msg
    assert "没有保存" in msg
    assert "刷新" in msg
    assert "重新打开" in msg
    assert "再重新操作" in msg
    assert isinstance(caught.value, ConflictError)  # and so a DomainError
    assert caught.value.record == ROUND
    assert snapshot(rid) == before
    assert get_round(rid).rules.items[3].weight == Decimal(40)  # the other writer's 绩 40 stays


def test_save_rules_with_current_version_saves_and_bumps(rid) -> None:
    rules = get_round(rid).rules
    assert save_rules(rid, heavier_ji(rules, 40), expected_version=1) == []
    after = get_round(rid)
    assert after.version == 2
    assert after.rules.items[3].weight == Decimal(40)
    # the same user saves again with the version the first save left: accepted too
    assert save_rules(rid, heavier_ji(rules, 45), expected_version=after.version) == []
    assert get_round(rid).version == 3
    assert get_round(rid).rules.items[4].weight == Decimal(5)  # 50 − 45


def test_save_rules_without_version_keeps_last_writer_wins(rid) -> None:
    rules = get_round(rid).rules
    assert save_rules(rid, heavier_ji(rules, 40)) == []
    assert save_rules(rid, heavier_ji(rules, 35)) == []  # read at version 1, not refused
    rnd = get_round(rid)
    assert (rnd.version, rnd.rules.items[3].weight) == (3, Decimal(35))


def test_save_rules_problems_still_come_before_nothing_changes(rid) -> None:
    """Bad weights are reported as problems whatever the version (they must be fixed anyway),
    and an unchanged scheme is still not a write."""
    rules = get_round(rid).rules
    items = list(rules.items)
    items[0] = dataclasses.replace(items[0], weight=Decimal(25))  # 25+15+15+30+20 = 105
    issues = save_rules(rid, dataclasses.replace(rules, items=tuple(items)), expected_version=9)
    assert any("合计为 105，应为 100（多 5）" in i.message for i in issues)
    assert save_rules(rid, rules, expected_version=1) == []
    assert get_round(rid).version == 1


def test_stale_version_is_named_before_the_lock(rid) -> None:
    """Someone else approved the round: the message says who changed it, not only that it is
    locked; with the current version the lock message is unchanged."""
    AssessmentRound.update(status="审核").where(AssessmentRound.id == rid).execute()
    approve_round(rid, user="部长")  # no members: nothing to grade → version 2, 审定
    rules = get_round(rid).rules
    with pytest.raises(RoundChangedError, match="部长 于 .* 将状态由“审核”改为“审定”"):
        save_rules(rid, heavier_ji(rules), expected_version=1)
    with pytest.raises(DomainError) as caught:
        save_rules(rid, heavier_ji(rules), expected_version=2)
    assert str(caught.value) == LOCKED_MESSAGE


# --------------------------------------------------------------------------- set_raised_quota


def test_raised_quota_with_stale_version_is_refused(rid) -> None:
    submit_for_review(rid, user="李处长")  # → version 2
    before = snapshot(rid)
    with pytest.raises(RoundChangedError) as caught:
        set_raised_quota(rid, "乌兰镇", True, reason="市委批准", expected_version=1)
    msg = str(caught.value)
    assert f"“{ROUND}”在您打开之后已被他人修改" in msg
    assert f"李处长 于 {latest_at(rid)} 将状态由“录入”改为“审核”" in msg
    assert snapshot(rid) == before
    assert json.loads(AssessmentRound.get_by_id(rid).approved_pools) == []


def test_raised_quota_with_current_version_saves_and_bumps(rid) -> None:
    rnd = set_raised_quota(rid, "乌兰镇", True, reason="市委批准", expected_version=1)
    assert (rnd.version, rnd.approved_pools) == (2, ("乌兰镇",))
    rnd = set_raised_quota(rid, "乌兰镇", False, reason="撤销", expected_version=rnd.version)
    assert (rnd.version, rnd.approved_pools) == (3, ())
    # the message of a later conflict names this change
    with pytest.raises(RoundChangedError, match="修改了提高优秀名额的单位"):
        set_raised_quota(rid, "靖远县", True, reason="批准", expected_version=2)


def test_raised_quota_without_version_unchanged(rid) -> None:
    submit_for_review(rid)
    rnd = set_raised_quota(rid, "乌兰镇", True, reason="市委批准")
    assert (rnd.version, rnd.approved_pools) == (3, ("乌兰镇",))
    # the blank reason is still refused first
    with pytest.raises(DomainError, match="须填写批准依据"):
        set_raised_quota(rid, "靖远县", True, reason=" ", expected_version=3)


# --------------------------------------------------------------------------- workflow


def test_submit_with_stale_version_is_refused(rid) -> None:
    set_raised_quota(rid, "乌兰镇", True, reason="市委批准", user="王科长")  # → version 2
    before = snapshot(rid)
    with pytest.raises(RoundChangedError, match="王科长 于 .* 修改了提高优秀名额的单位"):
        submit_for_review(rid, expected_version=1)
    assert snapshot(rid) == before
    assert get_round(rid).status == "录入"
    rnd = submit_for_review(rid, expected_version=2)
    assert (rnd.status, rnd.version) == ("审核", 3)


def test_return_to_entry_with_stale_version_is_refused(rid) -> None:
    submit_for_review(rid, expected_version=1)  # → 审核, version 2
    set_raised_quota(rid, "乌兰镇", True, reason="市委批准", user="王科长")  # → version 3
    before = snapshot(rid)
    with pytest.raises(RoundChangedError):
        return_to_entry(rid, reason="得分有误", expected_version=2)
    assert snapshot(rid) == before
    rnd = return_to_entry(rid, reason="得分有误", expected_version=3)
    assert (rnd.status, rnd.version) == ("录入", 4)
    # the reason is still required first
    with pytest.raises(DomainError, match="必须填写理由"):
        return_to_entry(rid, reason="", expected_version=1)


def test_approve_with_stale_version_is_refused_before_the_grade_checks(graded) -> None:
    submit_for_review(graded, user="李处长")  # → 审核, version 3
    with pytest.raises(RoundChangedError, match="李处长 于 .* 将状态由“录入”改为“审核”"):
        approve_round(graded, expected_version=2)
    # another writer sends it back and forth: still refused, nothing locked
    return_to_entry(graded, reason="补录", user="王科长")  # version 4
    submit_for_review(graded, user="王科长")  # version 5
    before = snapshot(graded)
    with pytest.raises(RoundChangedError, match="王科长 于 .* 将状态由“录入”改为“审核”"):
        approve_round(graded, user="部长", expected_version=3)
    assert snapshot(graded) == before
    rnd = get_round(graded)
    assert (rnd.locked, rnd.locked_by, rnd.locked_at) == (False, "", None)
    rnd = approve_round(graded, user="部长", expected_version=5)
    assert (rnd.status, rnd.locked, rnd.locked_by, rnd.version) == ("审定", True, "部长", 6)


def test_approve_with_current_version_still_needs_grades(rid, units) -> None:
    Cadre.create(
        name="甲",
        sex="男",
        birth_date=dt.date(1980, 1, 1),
        unit=units["org"],
        id_card="620402198001010001",
        post_title="科员",
    )
    add_unit_members(rid, units["org"])  # version 2
    submit_for_review(rid)  # version 3
    with pytest.raises(DomainError, match="“市委组织部”有 1 人还没有计算等次.*不能审定"):
        approve_round(rid, expected_version=3)
    assert get_round(rid).status == "审核"


def test_unlock_with_stale_version_is_refused(graded) -> None:
    submit_for_review(graded)  # version 3
    approve_round(graded, user="部长")  # version 4, locked
    unlock_round(graded, reason="更正", user="部长")  # version 5
    approve_round(graded, user="部长")  # version 6, locked again
    before = snapshot(graded)
    with pytest.raises(RoundChangedError, match="部长 于 .* 将状态由“审核”改为“审定”"):
        unlock_round(graded, reason="复核", expected_version=4)
    assert snapshot(graded) == before
    rnd = unlock_round(graded, reason="复核", expected_version=6)
    assert (rnd.status, rnd.locked, rnd.version) == ("审核", False, 7)


def test_workflow_without_version_unchanged(graded) -> None:
    assert submit_for_review(graded).version == 3
    assert approve_round(graded).version == 4
    assert unlock_round(graded, reason="更正").version == 5
    assert return_to_entry(graded, reason="补录").version == 6
    assert get_round(graded).status == "录入"


# --------------------------------------------------------------------------- message and guard


def test_members_added_elsewhere_are_named(rid, units) -> None:
    Cadre.create(
        name="甲",
        sex="男",
        birth_date=dt.date(1980, 1, 1),
        unit=units["org"],
        id_card="620402198001010001",
        post_title="科员",
    )
    add_unit_members(rid, units["org"], user="王科长")  # version 2
    with pytest.raises(RoundChangedError, match=r"王科长 于 .* 添加了考核人员（市委组织部 1 人）"):
        submit_for_review(rid, expected_version=1)


def test_message_without_a_logged_change(rid) -> None:
    """A version moved without a change-log entry (e.g. grading notes only): no who/when, but
    still the round, the refusal and what to do."""
    AssessmentRound.update(version=5).where(AssessmentRound.id == rid).execute()
    with pytest.raises(RoundChangedError) as caught:
        submit_for_review(rid, expected_version=1)
    assert str(caught.value) == (
        f"“{ROUND}”在您打开之后已被他人修改，您这次的操作没有保存。"
        "请刷新（重新打开该轮次）核对最新内容后，再重新操作。"
    )
    # the creation entry (新增) is not taken for a change
    assert "最近一次修改" not in str(caught.value)


def test_update_guard_refuses_a_writer_that_slipped_in_after_the_check(rid) -> None:
    """The UPDATE itself only matches the expected version: a change committed between the
    check and the write (another connection on PostgreSQL) makes it fail, not overwrite."""
    with pytest.raises(RoundChangedError):
        update_round(rid, 7, status="审核")
    row = AssessmentRound.get_by_id(rid)
    assert (row.status, row.version) == ("录入", 1)
    update_round(rid, 1, status="审核")
    row = AssessmentRound.get_by_id(rid)
    assert (row.status, row.version) == ("审核", 2)
    update_round(rid, None, status="录入")
    assert AssessmentRound.get_by_id(rid).version == 3


def test_raised_quota_asked_for_the_state_it_has_writes_nothing(rid) -> None:
    """Withdrawing a raise that was never given changes nothing, so it is not a change of the
    round either: the version stays and a screen holding it is not refused later."""
    before = snapshot(rid)
    rnd = set_raised_quota(rid, "乌兰镇", False, reason="撤销", expected_version=1)
    assert (rnd.version, rnd.approved_pools) == (1, ())
    assert snapshot(rid) == before
    assert submit_for_review(rid, expected_version=1).version == 2


# --------------------------------------------------------------------------- add_unit_members


def make_cadre(unit_id: int, name: str, n: int) -> int:
    """A 在职 科员 of ``unit_id`` (身份证号 ends in ``n``; checksums are not checked here)."""
    return Cadre.create(
        name=name,
        sex="男",
        birth_date=dt.date(1980, 1, 1),
        unit=unit_id,
        id_card=f"62040219800101{n:04d}",
        post_title="科员",
    ).id


def members_of(round_id: int) -> list[str]:
    return [
        m.cadre.name
        for m in RoundMember.select().where(RoundMember.round == round_id).order_by(RoundMember.id)
    ]


def log_size() -> int:
    return ChangeLog.select().count()


def test_add_unit_members_with_stale_version_is_refused_and_nothing_added(rid, units) -> None:
    make_cadre(units["org"], "甲", 1)
    make_cadre(units["org"], "乙", 2)
    shown = get_round(rid)  # the grid opened at version 1
    set_raised_quota(rid, "乌兰镇", True, reason="市委批准", user="王科长")  # → version 2
    before, log_before = snapshot(rid), log_size()
    with pytest.raises(RoundChangedError) as caught:
        add_unit_members(rid, units["org"], user="李科员", expected_version=shown.version)
    msg = str(caught.value)
    assert msg.startswith(f"“{ROUND}”在您打开之后已被他人修改")
    assert f"王科长 于 {latest_at(rid)} 修改了提高优秀名额的单位" in msg
    assert "没有保存" in msg
    assert caught.value.record == ROUND
    # nothing written: no member, the version the other writer left, no log entry
    assert members_of(rid) == []
    assert get_round(rid).members == 0
    assert snapshot(rid) == before
    assert AssessmentRound.get_by_id(rid).version == 2
    assert log_size() == log_before


def test_add_unit_members_with_stale_version_refused_even_when_nobody_is_new(rid, units) -> None:
    """The version is checked first, as for the other round edits: the screen is out of date
    whatever the add would have done."""
    make_cadre(units["org"], "甲", 1)
    assert add_unit_members(rid, units["org"], expected_version=1) == 1  # → version 2
    with pytest.raises(RoundChangedError, match="添加了考核人员（市委组织部 1 人）"):
        add_unit_members(rid, units["org"], expected_version=1)
    assert get_round(rid).version == 2
    # with the current version, nobody new: nothing written, the version stays
    log_before = log_size()
    assert add_unit_members(rid, units["org"], expected_version=2) == 0
    assert get_round(rid).version == 2
    assert log_size() == log_before


def test_add_unit_members_with_current_version_adds_and_bumps(rid, units) -> None:
    make_cadre(units["org"], "甲", 1)
    make_cadre(units["town"], "乙", 2)
    make_cadre(units["town"], "丙", 3)
    # 靖远县 and its sub-unit 乌兰镇: 乙, 丙 (靖远县 itself has nobody)
    assert add_unit_members(rid, units["county"], user="李科员", expected_version=1) == 2
    rnd = get_round(rid)
    assert (rnd.version, rnd.members) == (2, 2)
    # the same user adds another unit with the version the first add left: accepted
    assert add_unit_members(rid, units["org"], user="李科员", expected_version=rnd.version) == 1
    rnd = get_round(rid)
    assert (rnd.version, rnd.members) == (3, 3)
    assert members_of(rid) == ["乙", "丙", "甲"]
    added = [
        (e.user, e.new_value)
        for e in ChangeLog.select()
        .where((ChangeLog.entity == "assessment_round") & (ChangeLog.field == "members_added"))
        .order_by(ChangeLog.id)
    ]
    assert added == [("李科员", "靖远县 2 人"), ("李科员", "市委组织部 1 人")]


def test_add_unit_members_without_version_unchanged(rid, units) -> None:
    make_cadre(units["org"], "甲", 1)
    submit_for_review(rid, user="王科长")  # → version 2; 审核 is not locked
    assert add_unit_members(rid, units["org"]) == 1  # read at version 1, not refused
    assert get_round(rid).version == 3
    assert members_of(rid) == ["甲"]


def test_add_unit_members_current_version_on_a_locked_round_gives_the_lock_message(
    rid, units
) -> None:
    make_cadre(units["org"], "甲", 1)
    submit_for_review(rid)  # version 2
    approve_round(rid, user="部长")  # no members: nothing to grade → version 3, 审定
    with pytest.raises(DomainError) as caught:
        add_unit_members(rid, units["org"], expected_version=3)
    assert not isinstance(caught.value, RoundChangedError)
    assert str(caught.value) == LOCKED_MESSAGE
    with pytest.raises(RoundChangedError, match="部长 于 .* 将状态由“审核”改为“审定”"):
        add_unit_members(rid, units["org"], expected_version=2)
    assert members_of(rid) == []


def test_add_unit_members_refused_by_a_writer_slipping_in_after_the_check(
    rid, units, monkeypatch
) -> None:
    """Another connection bumps the version between the check and the write: the guarded
    UPDATE matches nothing, and the members inserted in the same transaction are undone."""
    make_cadre(units["org"], "甲", 1)
    real_insert = members_module.bulk_insert

    def insert_then_other_writer(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        n = real_insert(*args, **kwargs)
        assert members_of(rid) == ["甲"]  # inserted, not yet committed
        AssessmentRound.update(version=AssessmentRound.version + 1).where(
            AssessmentRound.id == rid
        ).execute()
        return n

    monkeypatch.setattr(members_module, "bulk_insert", insert_then_other_writer)
    log_before = log_size()
    with pytest.raises(RoundChangedError):
        add_unit_members(rid, units["org"], expected_version=1)
    assert members_of(rid) == []
    assert log_size() == log_before


def test_adding_or_removing_one_member_is_a_versioned_change(graded, units):
    """One person added (version 2 → 3) or removed (3 → 4) is a change of the round like a
    unit's members: a stale version is refused naming it, nothing written."""
    rid = graded
    new = Cadre.create(
        name="丁",
        sex="女",
        birth_date=dt.date(1985, 5, 5),
        unit=units["org"],
        id_card="620402198505050028",
        post_title="科员",
    ).id
    add_member(rid, new, user="王科长", expected_version=2)
    assert get_round(rid).version == 3
    members = RoundMember.select().where(RoundMember.round == rid).count()
    gone = Cadre.get(Cadre.name == "甲").id
    with pytest.raises(ConflictError, match="王科长 于 .*添加了考核人员（丁）"):
        remove_member(rid, gone, reason="调离", user="李处长", expected_version=2)
    assert RoundMember.select().where(RoundMember.round == rid).count() == members
    remove_member(rid, gone, reason="调离", user="李处长", expected_version=3)
    assert get_round(rid).version == 4
    with pytest.raises(ConflictError, match="李处长 于 .*移出了考核人员（甲"):
        add_member(rid, gone, user="王科长", expected_version=3)
    assert RoundMember.select().where(RoundMember.round == rid).count() == members - 1
