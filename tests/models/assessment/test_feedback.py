"""一项指导: a 反馈与指导 record per cadre once their result is approved (the pool on its own
or the whole round); bad input named by field; a stale edit refused naming who; the list of
who still has no feedback; every change logged.

Data as test_grade_ready: 市委组织部 甲乙丙 graded and approved as a pool; 乌兰镇 丁 complete,
戊 still to be entered.
"""

from __future__ import annotations

import datetime as dt

import pytest

from models.assessment import (
    FeedbackInput,
    approve_pool,
    delete_feedback,
    feedback_list,
    get_feedback,
    save_feedback,
)
from models.assessment.grading import grade_and_store
from models.core.audit import ChangeLog
from models.core.errors import ConflictError, DomainError, ValidationError
from tests.models.assessment.test_grade_ready import two_units  # noqa: F401
from tests.models.assessment.test_service import adb, fill, make_cadre  # noqa: F401

TALK = FeedbackInput(
    talk_date=dt.date(2026, 2, 10),
    talker="王五（市委组织部副部长）",
    place="组织部会议室",
    strengths="政治站位高，工作扎实",
    shortcomings="调查研究不够深入",
    improvements="多深入基层，提高调研质量",
    response="诚恳接受，认真改进",
)


@pytest.fixture
def approved(two_units, units):  # noqa: ANN001, ANN201, F811
    rid, ids = two_units
    grade_and_store(rid, unit_id=units["org"], user="tester")
    approve_pool(rid, "市委组织部", user="审定人")
    return rid, ids


def test_feedback_is_entered_for_an_approved_result_and_read_back(approved):  # noqa: ANN001
    rid, ids = approved
    saved = save_feedback(rid, ids["甲"], TALK, user="记录员")
    got = get_feedback(rid, ids["甲"])
    assert got == saved
    assert (got.talk_date, got.talker, got.form, got.recorder) == (
        dt.date(2026, 2, 10),
        "王五（市委组织部副部长）",
        "当面谈话",
        "记录员",
    )
    assert got.improvements == "多深入基层，提高调研质量"
    # the list: 甲 已反馈, 乙 丙 未反馈 (approved), 丁 戊 结果未审定
    rows = {r.name: r for r in feedback_list(rid)}
    assert {n: r.status for n, r in rows.items()} == {
        "甲": "已反馈",
        "乙": "未反馈",
        "丙": "未反馈",
        "丁": "结果未审定",
        "戊": "结果未审定",
    }
    assert rows["甲"].grade == "优秀"
    assert [r.name for r in feedback_list(rid, missing_only=True)] == ["乙", "丙"]
    # logged under the person's name
    log = ChangeLog.select().where(ChangeLog.entity == "assessment_feedback")
    assert {e.field: e.new_value for e in log}["member"] == "甲（市委组织部）"


def test_no_feedback_before_the_result_is_approved(approved):  # noqa: ANN001
    rid, ids = approved
    with pytest.raises(DomainError, match="丁（乌兰镇）的考核结果还没有审定"):
        save_feedback(rid, ids["丁"], TALK, user="记录员")
    assert get_feedback(rid, ids["丁"]) is None


def test_bad_input_is_named_by_field_and_nothing_saved(approved):  # noqa: ANN001
    rid, ids = approved
    bad = FeedbackInput(talk_date="2026-13-40", talker=" ", form="电话")
    with pytest.raises(ValidationError) as refused:
        save_feedback(rid, ids["乙"], bad, user="记录员")
    issues = {i.field: i.message for i in refused.value.issues}
    assert issues == {
        "talk_date": "“2026-13-40”不是日期，应写作 2026-03-02",
        "talker": "请填写谈话人（姓名和职务）",
        "form": "应为当面谈话、书面反馈、集体反馈之一",
        "improvements": "主要优点、存在不足、改进方向和指导意见至少填写一项",
    }
    assert "乙（市委组织部）的考核结果反馈" in str(refused.value)
    future = FeedbackInput(
        talk_date=dt.date.today() + dt.timedelta(days=3), talker="王五", improvements="改进"
    )
    with pytest.raises(ValidationError, match="还没有到"):
        save_feedback(rid, ids["乙"], future, user="记录员")
    early = FeedbackInput(talk_date="2024-12-01", talker="王五", improvements="改进")
    with pytest.raises(ValidationError, match="早于2025年度"):
        save_feedback(rid, ids["乙"], early, user="记录员")
    assert get_feedback(rid, ids["乙"]) is None


def test_a_stale_edit_is_refused_naming_who_changed_it(approved):  # noqa: ANN001
    rid, ids = approved
    first = save_feedback(rid, ids["乙"], TALK, user="记录员")
    import dataclasses

    save_feedback(
        rid,
        ids["乙"],
        dataclasses.replace(TALK, response="无意见"),
        user="同事",
        expected_version=first.version,
    )
    with pytest.raises(ConflictError) as refused:
        save_feedback(
            rid,
            ids["乙"],
            dataclasses.replace(TALK, response="另一个意见"),
            user="记录员",
            expected_version=first.version,
        )
    assert "同事" in str(refused.value)
    assert get_feedback(rid, ids["乙"]).response == "无意见"
    # a second "new" record for the same person is a conflict too, not a duplicate
    with pytest.raises(ConflictError):
        save_feedback(rid, ids["乙"], TALK, user="记录员")


def test_delete_needs_a_reason(approved):  # noqa: ANN001
    rid, ids = approved
    saved = save_feedback(rid, ids["丙"], TALK, user="记录员")
    with pytest.raises(DomainError, match="必须填写理由"):
        delete_feedback(rid, ids["丙"], reason="", user="记录员")
    delete_feedback(rid, ids["丙"], reason="录错人", user="记录员", expected_version=saved.version)
    assert get_feedback(rid, ids["丙"]) is None
    entry = (
        ChangeLog.select()
        .where((ChangeLog.entity == "assessment_feedback") & (ChangeLog.action == "删除"))
        .first()
    )
    assert entry.reason == "录错人"


def test_a_box_longer_than_the_printed_form_holds_is_refused(approved):  # noqa: ANN001
    from models.assessment.feedback import BOX_LINE_CHARS, BOX_LINES

    rid, ids = approved
    line = "工" * BOX_LINE_CHARS
    most = "\n".join([line] * BOX_LINES)
    ok = FeedbackInput(talk_date=dt.date(2026, 2, 10), talker="王五", strengths=most)
    save_feedback(rid, ids["甲"], ok, user="记录员")
    too_long = FeedbackInput(
        talk_date=dt.date(2026, 2, 10), talker="王五", improvements=most + "工"
    )  # one character more wraps onto a 37th line
    with pytest.raises(ValidationError) as refused:
        save_feedback(rid, ids["乙"], too_long, user="记录员")
    assert [(i.field, i.message) for i in refused.value.issues] == [
        ("improvements", "内容过长（约 37 行），反馈表一栏最多约 36 行（每行 36 字），请精简")
    ]
    assert get_feedback(rid, ids["乙"]) is None
