"""反馈与指导 tab (一项指导) on the demo round with one 考核范围 approved on its own: the list
says who has had feedback, 只看未反馈 narrows it, a person whose result is not approved
cannot be given any, the form saves what was typed (read back from the database), and a
record changed by someone else meanwhile is refused naming them."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.ui.assessment import support as assessment_support
from tests.ui.assessment.support import TIE_UNIT

pytestmark = pytest.mark.ui

assessment_template = assessment_support.assessment_template
assessment_db = assessment_support.assessment_db


@pytest.fixture
def approved(assessment_db: int) -> tuple[int, str, list[int]]:  # noqa: ANN201
    """(round id, the approved pool's unit, its people's cadre ids)."""
    from models.assessment import approve_pool
    from models.assessment.results import round_overview
    from models.core.errors import DomainError

    rid = assessment_db
    for pool in round_overview(rid).pools:
        if pool.unit == TIE_UNIT or pool.people < 3:
            continue
        try:
            approve_pool(rid, pool.pool_key, user="干部科")
        except DomainError:
            continue
        return rid, pool.unit, [r.cadre_id for r in pool.rows]
    raise AssertionError("no pool to approve")  # pragma: no cover


@pytest.fixture
def view(qtbot, approved):  # noqa: ANN001, ANN201
    from ui.assessment.assessment_view import AssessmentView

    v = AssessmentView()
    qtbot.addWidget(v)
    v.resize(1280, 760)
    v.show()
    v.tabs.setCurrentWidget(v.feedback)
    return v


def test_the_list_and_the_form(qtbot, view, approved) -> None:  # noqa: ANN001
    from models.assessment import get_feedback

    rid, unit, people = approved
    fb = view.feedback
    n = len(people)
    assert fb.count_label.text() == f"已审定 {n} 人：已反馈 0 人，未反馈 {n} 人"
    statuses = {fb.model.text(r, 0): fb.model.text(r, 3) for r in range(fb.model.rowCount())}
    assert set(statuses.values()) == {"未反馈", "结果未审定"}
    # only those still to be seen
    fb.missing_only.setChecked(True)
    assert fb.model.rowCount() == n
    assert {fb.model.row(r).cadre_id for r in range(n)} == set(people)
    # fill in the first one and save
    assert fb.select_person(people[0])
    assert fb.save_button.isEnabled()
    fb.day.setDate(dt.date(2026, 2, 10))
    fb.place.setText("组织部会议室")
    fb.talker.setText("王建国（副部长）")
    fb.form_kind.setCurrentText("书面反馈")
    fb.boxes["strengths"].setPlainText("工作扎实")
    fb.boxes["improvements"].setPlainText("加强调研")
    assert fb.save()
    stored = get_feedback(rid, people[0])
    assert stored is not None
    assert (stored.talk_date, stored.talker, stored.form, stored.strengths) == (
        dt.date(2026, 2, 10),
        "王建国（副部长）",
        "书面反馈",
        "工作扎实",
    )
    assert fb.count_label.text() == f"已审定 {n} 人：已反馈 1 人，未反馈 {n - 1} 人"
    assert fb.model.rowCount() == n - 1  # 只看未反馈: the person left the list
    fb.missing_only.setChecked(False)
    assert fb.select_person(people[0])
    assert fb.talker.text() == "王建国（副部长）"
    assert fb.delete_button.isEnabled()


def test_a_result_not_approved_cannot_be_fed_back(qtbot, view, approved) -> None:  # noqa: ANN001
    rid, unit, people = approved
    fb = view.feedback
    other = next(r for r in fb.model.rows if r.cadre_id not in people)
    assert fb.select_person(other.cadre_id)
    assert fb.model.text(fb.table.currentIndex().row(), 3) == "结果未审定"
    assert not fb.save_button.isEnabled()
    assert not fb.talker.isEnabled()


def test_a_record_changed_meanwhile_is_refused_naming_who(
    qtbot, view, approved, monkeypatch
) -> None:  # noqa: ANN001, E501
    from models.assessment import FeedbackInput, get_feedback, save_feedback
    from ui import messages

    rid, _unit, people = approved
    fb = view.feedback
    assert fb.select_person(people[1])
    # someone else enters the same person's record while this form is open
    save_feedback(
        rid,
        people[1],
        FeedbackInput(dt.date(2026, 2, 11), "李处长", improvements="对方写的"),
        user="李处长",
    )
    shown: list[str] = []
    monkeypatch.setattr(messages, "conflict", lambda _p, text: shown.append(text))
    fb.talker.setText("王建国")
    fb.boxes["improvements"].setPlainText("我写的")
    assert not fb.save()
    (text,) = shown
    assert "李处长" in text
    assert get_feedback(rid, people[1]).improvements == "对方写的"
    # the tab shows the other record now
    assert fb.select_person(people[1])
    assert fb.boxes["improvements"].toPlainText() == "对方写的"


def test_a_big_rounds_list_is_read_in_the_background(qtbot, approved, monkeypatch) -> None:  # noqa: ANN001
    """Above BACKGROUND_ROWS members the tab reads its list on the worker thread, saying so;
    then it is the list it would have read at once."""
    from models.assessment import get_round
    from ui import jobs
    from ui.assessment.assessment_view import AssessmentView

    rid, _unit, people = approved
    monkeypatch.setattr(jobs, "BACKGROUND_ROWS", 10)
    v = AssessmentView()
    qtbot.addWidget(v)
    v.show()
    v.tabs.setCurrentWidget(v.feedback)
    fb = v.feedback
    members = get_round(rid).members
    assert fb.count_label.text() == f"正在读取 {members} 人的反馈情况…"
    assert not fb.print_button.isEnabled()
    n = len(people)
    qtbot.waitUntil(lambda: fb.count_label.text().startswith("已审定"), timeout=20_000)
    assert fb.count_label.text() == f"已审定 {n} 人：已反馈 0 人，未反馈 {n} 人"
    assert fb.print_button.isEnabled()
    fb.missing_only.setChecked(True)
    assert {fb.model.row(r).cadre_id for r in range(fb.model.rowCount())} == set(people)
