"""Optimistic locking on the 年度考核 screens (人员情况 and 结果汇总): when another clerk
(王科长, calling the services directly as his copy of the program would on the shared
database) changes a flag, a 平时考核 grade, a person's 加减分 or a committee decision behind
an open screen, the user's edit is refused with the conflict message (who, when, what it is
now), nothing is written, and the screen reads the data again; the next edit goes through.

The score grid has its own tests (tests/ui/assessment/test_score_grid.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from tests.ui.assessment import support as assessment_support
from tests.ui.assessment.support import TIE_UNIT

pytestmark = pytest.mark.ui

assessment_template = assessment_support.assessment_template
assessment_db = assessment_support.assessment_db

EDIT = Qt.ItemDataRole.EditRole
CHECK = Qt.ItemDataRole.CheckStateRole
OTHER = "王科长"


@pytest.fixture
def view(qtbot, assessment_db: int):  # noqa: ANN001, ANN201
    from ui.assessment.assessment_view import AssessmentView

    v = AssessmentView()
    qtbot.addWidget(v)
    v.resize(1280, 800)
    v.show()
    v.tabs.setCurrentWidget(v.people)
    return v


def conflict_text(text: str, *parts: str) -> None:
    assert f"已被 {OTHER} 于 " in text, text
    assert text.endswith("，请刷新后重试"), text
    for p in parts:
        assert p in text, text


def plain_row(view) -> int:  # noqa: ANN001
    """The table row of a participating member without flags or 加减分."""
    return next(
        k
        for k, r in enumerate(view.people.model.rows)
        if r.participating
        and not r.member.on_probation
        and not r.member.leave_days
        and not r.adjustments
    )


# --------------------------------------------------------------------------- 人员情况 table


def test_flag_ticked_on_a_stale_row_shows_the_conflict_and_reloads(
    qtbot, view, assessment_db, conflicts
) -> None:  # noqa: ANN001
    from models.assessment import list_members, set_member_flags
    from ui.assessment.people.model import COL_LEAVE, COL_PROBATION

    model = view.people.model
    k = plain_row(view)
    m = model.rows[k].member
    set_member_flags(assessment_db, m.cadre_id, leave_days=12, user=OTHER)
    # the user types 病事假天数 3 in the row read before: refused, the stored 12 stays
    assert not model.setData(model.index(k, COL_LEAVE), 3, EDIT)
    qtbot.waitUntil(lambda: len(conflicts) == 1)
    conflict_text(conflicts[0], f"{m.name}（{m.unit_name}）的“病事假天数”", "（现为“12”）")
    stored = next(x for x in list_members(assessment_db) if x.cadre_id == m.cadre_id)
    assert stored.leave_days == 12
    # the tab read the rows again: the cell shows 12 and the same person is selected
    k = model.row_of(m.cadre_id)
    assert model.text(k, COL_LEAVE) == "12"
    assert view.people.current_row().cadre_id == m.cadre_id
    # another flag of that refreshed row goes through
    assert model.setData(model.index(k, COL_PROBATION), Qt.CheckState.Checked, CHECK)
    stored = next(x for x in list_members(assessment_db) if x.cadre_id == m.cadre_id)
    assert (stored.on_probation, stored.leave_days) == (True, 12)
    assert len(conflicts) == 1


def test_quarter_grade_on_a_stale_cell_is_refused(qtbot, view, assessment_db, conflicts) -> None:  # noqa: ANN001
    from models.assessment import get_round, quarter_grades, set_quarter_grade
    from ui.assessment.people.model import COL_Q1

    year = get_round(assessment_db).year
    model = view.people.model
    k = plain_row(view)
    r = model.rows[k]
    assert model.text(k, COL_Q1) == (r.quarters[0] or "")
    theirs = "较好" if r.quarters[0] != "较好" else "好"
    set_quarter_grade(r.cadre_id, year, 1, theirs, user=OTHER)
    assert not model.setData(model.index(k, COL_Q1), "一般", EDIT)
    qtbot.waitUntil(lambda: len(conflicts) == 1)
    conflict_text(
        conflicts[0], f"{r.member.name}的{year}年第1季度平时考核等次", f"（现为“{theirs}”）"
    )
    assert quarter_grades(r.cadre_id, year)[0] == theirs
    k = model.row_of(r.cadre_id)
    assert model.text(k, COL_Q1) == theirs
    assert model.setData(model.index(k, COL_Q1), "一般", EDIT)  # on the refreshed cell
    assert quarter_grades(r.cadre_id, year)[0] == "一般"


# --------------------------------------------------------------------------- the person panel


def test_adjustment_added_on_a_stale_list_shows_the_conflict_and_reloads(
    view, assessment_db, conflicts, monkeypatch
) -> None:  # noqa: ANN001
    from models.assessment import add_adjustment, list_adjustments
    from ui.assessment.people.dialogs import AdjustmentChoice, AdjustmentDialog

    people = view.people
    cid = people.model.rows[plain_row(view)].cadre_id
    assert people.select_person(cid)
    assert people.panel.adjust_model.rowCount() == 0
    add_adjustment(assessment_db, cid, "2", "优秀共产党员", user=OTHER)
    choice = AdjustmentChoice(Decimal(2), "优秀共产党员")
    monkeypatch.setattr(AdjustmentDialog, "ask", classmethod(lambda cls, *a: choice))
    assert not people.panel.add_adjustment()
    assert len(conflicts) == 1
    conflict_text(conflicts[0], "的加减分", "（现为“2（优秀共产党员）”）")
    assert len(list_adjustments(assessment_db, cid)) == 1  # not entered twice
    # read again: the panel lists the other clerk's record, the table counts it
    assert people.current_row().cadre_id == cid
    assert people.panel.adjust_model.rowCount() == 1
    assert people.current_row().adjustments == (Decimal(2),)


def test_adjustment_deleted_meanwhile_is_refused(
    view, assessment_db, conflicts, monkeypatch
) -> None:  # noqa: ANN001
    from models.assessment import add_adjustment, delete_adjustment, list_adjustments
    from ui import messages

    people = view.people
    cid = people.model.rows[plain_row(view)].cadre_id
    a = add_adjustment(assessment_db, cid, "-1", "迟报材料")
    people.refresh()
    assert people.select_person(cid)
    people.panel.adjust_table.selectRow(0)
    delete_adjustment(a.id, reason="已更正", user=OTHER)
    monkeypatch.setattr(messages, "ask_text", lambda *a, **k: "录入错误")
    assert not people.panel.delete_adjustment()
    assert conflicts == ["这条加减分记录已被他人删除，请刷新后重试"]
    assert list_adjustments(assessment_db, cid) == []
    assert people.panel.adjust_model.rowCount() == 0


# --------------------------------------------------------------------------- 结果汇总


def test_override_on_a_stale_result_shows_the_conflict_and_reloads(
    view, assessment_db, conflicts, monkeypatch
) -> None:  # noqa: ANN001
    from models.assessment.grading import set_override
    from models.assessment.tables import GradeResult
    from ui.assessment.overview_parts import OverrideChoice, OverrideDialog

    view.tabs.setCurrentWidget(view.overview)
    ov = view.overview
    assert ov.select_pool(TIE_UNIT)
    first = ov.rank_model.row(0)
    assert first is not None
    assert ov.select_person(first.cadre_id)
    shown = ov.current_person()
    set_override(
        assessment_db,
        first.cadre_id,
        "优秀",
        "考核委员会议定",
        user=OTHER,
        expected_version=shown.version,
    )
    monkeypatch.setattr(
        OverrideDialog,
        "ask",
        classmethod(lambda cls, p, n, g: OverrideChoice("称职", "复议", False)),
    )
    assert not ov.override()
    assert len(conflicts) == 1
    conflict_text(conflicts[0], f"{first.name}（", "的考核等次", "（现为“优秀”）")
    stored = GradeResult.get(
        (GradeResult.round == assessment_db) & (GradeResult.cadre == first.cadre_id)
    )
    assert (stored.final_grade, stored.override_reason) == ("优秀", "考核委员会议定")
    # the tab read the results again: the person's new grade and version are shown
    assert ov.select_pool(TIE_UNIT)
    assert ov.select_person(first.cadre_id)
    now = ov.current_person()
    assert now.final_grade == "优秀"
    assert now.version == stored.version > shown.version
