"""计算等次 of what is ready, on screen: one unit graded while another still has a person
without a 绩 score; the result line says how many were graded; the 待录入 list names the
person by name and unit (never a database id); a click on the person opens 评分录入 with
the cursor on their empty score; 审定锁定 is refused naming the waiting pool; a graded unit
is approved on its own while another waits."""

from __future__ import annotations

import re

import pytest

from tests.ui.assessment import support as assessment_support
from tests.ui.assessment.support import TIE_UNIT, unit_id_of

pytestmark = pytest.mark.ui

assessment_template = assessment_support.assessment_template
assessment_db = assessment_support.assessment_db

ID_IN_PARENS = re.compile(r"（\d+）")


@pytest.fixture
def waiting(assessment_db: int):  # noqa: ANN201
    """The demo round with its results removed and the 绩 score of one person (of a unit
    other than TIE_UNIT, with nothing that fixes their grade without scores) cleared:
    (round id, the person's member row)."""
    from models.assessment import set_score
    from models.assessment.grading import pending_people
    from models.assessment.tables import GradeResult, RoundMember

    rid = assessment_db
    GradeResult.delete().where(GradeResult.round == rid).execute()
    for m in (
        RoundMember.select()
        .where(
            (RoundMember.round == rid)
            & (RoundMember.not_participating == "")
            & (RoundMember.unit_name != TIE_UNIT)
            & ~RoundMember.on_probation
            & ~RoundMember.under_investigation
        )
        .order_by(RoundMember.sort_order)
    ):
        set_score(rid, m.cadre_id, "ji", None, reason="测试")
        if [p.cadre_id for p in pending_people(rid)] == [m.cadre_id]:
            return rid, m
        raise AssertionError(f"{m.unit_name}: not pending")  # pragma: no cover
    raise AssertionError("no member to clear")  # pragma: no cover


@pytest.fixture
def view(qtbot, waiting):  # noqa: ANN001, ANN201
    from ui.assessment.assessment_view import AssessmentView

    v = AssessmentView()
    qtbot.addWidget(v)
    v.resize(1280, 760)
    v.show()
    v.tabs.setCurrentWidget(v.overview)
    return v


def compute(qtbot, view) -> None:  # noqa: ANN001
    job = view.overview.compute()
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=30_000):
        pass


def stored_units(rid: int) -> set[str]:
    from models.assessment.tables import GradeResult

    return {
        r.pool_key for r in GradeResult.select(GradeResult.pool_key).where(GradeResult.round == rid)
    }


def test_grading_the_selected_unit_only(qtbot, view, waiting) -> None:  # noqa: ANN001
    rid, member = waiting
    view.select_unit(unit_id_of(TIE_UNIT))
    ov = view.overview
    assert ov.compute_button.isEnabled()
    compute(qtbot, view)
    # read back: the selected unit's 5 people graded, nobody else
    assert stored_units(rid) == {TIE_UNIT}
    assert ov.result_label.isVisible()
    assert ov.result_label.text() == "已计算 5 人的等次（1 个考核范围）。"
    assert not ov.pending_box.isVisible()  # nobody of this unit waits


def test_all_units_list_the_waiting_person_and_jump_to_them(qtbot, view, waiting) -> None:  # noqa: ANN001
    rid, member = waiting
    name, unit = member.cadre.name, member.unit_name
    ov = view.overview
    compute(qtbot, view)
    graded = stored_units(rid)
    assert unit not in graded
    assert TIE_UNIT in graded
    text = ov.result_label.text()
    assert "待录入 1 人，所在的 1 个考核范围暂不计算等次：" in text
    assert f"{unit}（" in text
    assert not ID_IN_PARENS.search(text)
    assert "未列出" not in text
    # the 待录入 list, by name and unit, read in the background (seconds at 50,000 people)
    job = ov.pending_job
    assert job is not None
    if not job.done:
        assert ov.pending_title.text() == "正在读取待录入名单…"
        qtbot.waitUntil(lambda: job.done, timeout=30_000)
    assert ov.pending_box.isVisible()
    assert "待录入 1 人" in ov.pending_title.text()
    assert ov.pending_model.rowCount() == 1
    assert [ov.pending_model.text(0, c) for c in range(3)] == [name, unit, "缺少“绩”得分"]
    # a click: 评分录入 with the cursor on the person's empty 绩 cell
    index = ov.pending_model.index(0, 0)
    ov.pending_table.clicked.emit(index)
    grid = view.grid
    assert view.tabs.currentWidget() is grid
    current = grid.table.currentIndex()
    row = grid.model.rows[current.row()]
    assert row.member.cadre_id == member.cadre_id
    col = grid.model.columns[current.column()]
    assert (col.kind, col.code) == ("item", "ji")
    assert grid.hint.text() == f"{name}（{unit}）：请补录后再计算等次"


def test_jump_leaves_a_unit_that_does_not_hold_the_person(qtbot, view, waiting) -> None:  # noqa: ANN001
    _rid, member = waiting
    view.select_unit(unit_id_of(TIE_UNIT))
    assert view.show_person_scores(member.cadre_id)
    assert view.unit_id() is None  # 全部单位
    row = view.grid.model.rows[view.grid.table.currentIndex().row()]
    assert row.member.cadre_id == member.cadre_id


def test_approval_refused_while_a_pool_waits(qtbot, view, waiting, monkeypatch) -> None:  # noqa: ANN001
    from models.assessment import get_round, submit_for_review
    from ui import messages

    rid, member = waiting
    compute(qtbot, view)
    submit_for_review(rid)
    view.reload()
    shown: list[str] = []
    monkeypatch.setattr(messages, "ask_yes_no", lambda *_a: True)
    monkeypatch.setattr(messages, "error", lambda _p, text, _t=None: shown.append(text))
    assert not view.approve()
    (text,) = shown
    assert text.startswith(f"“{member.unit_name}”有 ")
    assert "人还没有计算等次（其中待录入 1 人），不能审定" in text
    assert not ID_IN_PARENS.search(text)
    assert get_round(rid).status == "审核"


def test_a_graded_unit_is_approved_on_its_own(qtbot, view, waiting, monkeypatch) -> None:  # noqa: ANN001
    from models.assessment import pool_approvals, set_score
    from models.core.errors import DomainError
    from ui import messages

    rid, member = waiting
    view.select_unit(unit_id_of(TIE_UNIT))
    compute(qtbot, view)
    ov = view.overview
    assert ov.select_pool(TIE_UNIT)
    button = ov.approve_pool_button
    assert (button.isEnabled(), button.text()) == (True, "审定本范围…")
    monkeypatch.setattr(messages, "ask_text", lambda *_a, **_k: "考核委员会会议")
    shown: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, _t=None: shown.append(text))
    assert ov.toggle_pool_approval()
    assert shown == []
    assert list(pool_approvals(rid)) == [TIE_UNIT]
    # the table says so, the button now withdraws it, overrides are off for the pool
    pool = ov.current_pool()
    assert pool is not None
    assert pool.pool_key == TIE_UNIT
    col = ov.pool_model.headers().index("审定")
    assert ov.pool_model.text(ov.pool_table.currentIndex().row(), col) == "已审定"
    assert button.text() == "解除范围审定…"
    assert not ov.override_button.isEnabled()
    # a score of a person of that unit is refused; the waiting person's unit stays open
    approved = next(r.cadre_id for r in pool.rows)
    with pytest.raises(DomainError, match="审定锁定"):
        set_score(rid, approved, "ji", "20", reason="测试")
    set_score(rid, member.cadre_id, "ji", "20", reason="补录")
    # the waiting unit cannot be approved: it names the person still to enter
    view.select_unit(None)
    assert ov.select_pool(member.unit_name)
    set_score(rid, member.cadre_id, "ji", None, reason="测试")
    ov.refresh()
    assert ov.select_pool(member.unit_name)
    assert not ov.approve_pool_button.isEnabled()  # someone to enter: the button waits
    assert not ov.toggle_pool_approval()  # and the service says why
    (text,) = shown
    assert text.startswith(f"考核范围“{member.unit_name}”不能审定：待录入：{member.cadre.name}")
