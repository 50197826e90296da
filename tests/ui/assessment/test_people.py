"""人员情况 tab of 年度考核: flags, 平时考核 quarters, 加分/扣分, 处分 and 一票否决 edited on screen
and stored by the services; the 好 cap per quarter; the 提高名额 action of 结果汇总; a locked
round is read-only. Grades are checked after 计算等次 (run as the overview's job)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from tests.ui.assessment import support as assessment_support
from tests.ui.assessment.support import TIE_UNIT, unit_id_of

pytestmark = pytest.mark.ui

assessment_template = assessment_support.assessment_template
assessment_db = assessment_support.assessment_db

EDIT = Qt.ItemDataRole.EditRole
CHECK = Qt.ItemDataRole.CheckStateRole


@pytest.fixture
def view(qtbot, assessment_db: int):  # noqa: ANN001, ANN201
    from ui.assessment.assessment_view import AssessmentView

    v = AssessmentView()
    qtbot.addWidget(v)
    v.resize(1280, 800)
    v.show()
    v.tabs.setCurrentWidget(v.people)
    return v


def overview_row(round_id: int, cadre_id: int):  # noqa: ANN201
    from models.assessment.results import round_overview

    for p in round_overview(round_id).pools:
        for r in p.rows:
            if r.cadre_id == cadre_id:
                return r
    raise AssertionError(cadre_id)


def compute(qtbot, view) -> None:  # noqa: ANN001
    """计算等次 from the 结果汇总 tab, waiting for the job."""
    view.tabs.setCurrentWidget(view.overview)
    job = view.overview.compute()
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=30_000):
        pass


def plain_person(round_id: int, grade: str | None = None) -> int:
    """A participating member with no flag, no sanction, no 较差 quarter (and ``grade``)."""
    from models.assessment.results import round_overview

    for p in round_overview(round_id).pools:
        for r in p.rows:
            if not r.graded or r.override_reason or r.flags or r.warnings:
                continue
            if "不得" in r.explanation or "不定等次" in r.explanation:
                continue
            if grade is None or r.final_grade == grade:
                return r.cadre_id
    raise AssertionError(f"no plain person graded {grade}")


def test_models_pass_qt_checks(qtmodeltester, view, assessment_db) -> None:  # noqa: ANN001
    from models.assessment import list_members

    people = view.people
    assert people.model.rowCount() == len(list_members(assessment_db))  # 全部单位
    qtmodeltester.check(people.model)
    # the demo's person under 诫勉, with one 加分 elsewhere: every list has rows
    admonished = next(
        r for r in people.model.rows if any(s.code == "admonition" for s in r.sanctions)
    )
    assert people.select_person(admonished.cadre_id)
    assert people.panel.sanction_model.rowCount() == 1
    assert people.panel.history_model.rowCount() >= 1
    for model in (people.panel.sanction_model, people.panel.history_model):
        qtmodeltester.check(model)
    bonus = next(r for r in people.model.rows if r.adjustments)
    people.select_person(bonus.cadre_id)
    assert people.panel.adjust_model.rowCount() >= 1
    qtmodeltester.check(people.panel.adjust_model)


def test_table_shows_the_demo_cases(view) -> None:  # noqa: ANN001
    from ui.assessment.people.model import (
        COL_ADJUST,
        COL_INVESTIGATION,
        COL_PROBATION,
        COL_QUARTERLY,
        COL_SANCTIONS,
    )

    m = view.people.model
    rows = m.rows
    k = next(i for i, r in enumerate(rows) if r.member.on_probation)
    assert m.data(m.index(k, COL_PROBATION), CHECK) == Qt.CheckState.Checked
    assert m.data(m.index(k, COL_INVESTIGATION), CHECK) == Qt.CheckState.Unchecked
    k = next(i for i, r in enumerate(rows) if any(s.code == "admonition" for s in r.sanctions))
    assert m.text(k, COL_SANCTIONS) == "诫勉（不得评为优秀）"
    k = next(i for i, r in enumerate(rows) if any(s.code == "gov_demerit" for s in r.sanctions))
    assert m.text(k, COL_SANCTIONS) == "政务记过（不定等次）"
    k = next(i for i, r in enumerate(rows) if "较差" in r.quarters)
    assert m.text(k, COL_QUARTERLY) == "不得评为优秀"
    # the demo's 扣分 of 3 points
    k = next(i for i, r in enumerate(rows) if Decimal(-3) in r.adjustments)
    assert m.text(k, COL_ADJUST) == "−3"


def test_probation_set_in_the_table_gives_no_grade(qtbot, view, assessment_db) -> None:  # noqa: ANN001
    from models.assessment import list_members
    from ui.assessment.people.model import COL_PROBATION

    cid = plain_person(assessment_db)
    people = view.people
    assert people.select_person(cid, COL_PROBATION)
    people.table.setFocus()
    qtbot.keyClick(people.table, Qt.Key.Key_Space)  # the keyboard way to tick 试用期
    member = next(m for m in list_members(assessment_db) if m.cadre_id == cid)
    assert member.on_probation
    k = people.model.row_of(cid)
    assert people.model.data(people.model.index(k, COL_PROBATION), CHECK) == Qt.CheckState.Checked
    assert any(c.field == "试用期" and c.new_value == "True" for c in people.panel.history)

    compute(qtbot, view)
    row = overview_row(assessment_db, cid)
    assert row.final_grade == "不定等次"
    assert row.no_grade_category == "试用期"
    assert "试用期内，只写评语不定等次" in row.explanation


def test_admonition_added_on_screen_bars_excellent(qtbot, view, assessment_db, monkeypatch) -> None:  # noqa: ANN001
    from models.assessment import list_sanctions
    from ui.assessment.people.dialogs import SanctionChoice, SanctionDialog
    from ui.assessment.people.model import COL_SANCTIONS

    cid = plain_person(assessment_db, "优秀")
    before = overview_row(assessment_db, cid)
    assert before.proposed_grade == "优秀"
    assert before.composite is not None
    monkeypatch.setattr(
        SanctionDialog,
        "ask",
        classmethod(
            lambda cls, parent, name, rules, year: SanctionChoice(
                "admonition", dt.date(2025, 5, 10), None, "落实整改不力，诫勉谈话"
            )
        ),
    )
    people = view.people
    assert people.select_person(cid)
    assert people.panel.add_sanction()
    assert [(s.name, s.start_date) for s in list_sanctions(cid)] == [("诫勉", dt.date(2025, 5, 10))]
    k = people.model.row_of(cid)
    assert people.model.text(k, COL_SANCTIONS) == "诫勉（不得评为优秀）"
    assert people.panel.sanction_model.text(0, 3) == "不得评为优秀"

    compute(qtbot, view)
    after = overview_row(assessment_db, cid)
    # worked by hand: the composite did not change and was ≥ 90 (it was 优秀), so it is
    # above the 称职 floor 66; 诫勉 only removes 优秀 → 称职
    assert after.composite == before.composite
    assert after.composite >= 66
    assert after.proposed_grade == "称职"
    assert "受诫勉，本年度不得评为优秀" in after.explanation


def test_adjustments_reason_cap_and_delete(view, assessment_db, monkeypatch, qtbot) -> None:  # noqa: ANN001
    from models.assessment import list_adjustments
    from ui import messages
    from ui.assessment.people.dialogs import AdjustmentChoice, AdjustmentDialog
    from ui.assessment.people.model import COL_ADJUST

    cid = plain_person(assessment_db)
    people = view.people
    people.select_person(cid)
    assert list_adjustments(assessment_db, cid) == []
    errors: list[str] = []
    infos: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, title=None: errors.append(text))
    monkeypatch.setattr(messages, "info", lambda _p, title, text: infos.append(text))
    choice = AdjustmentChoice(Decimal(2), "")
    monkeypatch.setattr(AdjustmentDialog, "ask", classmethod(lambda cls, *a: choice))

    # no reason: refused by the service, nothing stored
    assert not people.panel.add_adjustment()
    assert len(errors) == 1
    assert "必须填写理由" in errors[0]
    assert list_adjustments(assessment_db, cid) == []
    assert people.panel.adjust_model.rowCount() == 0

    # +6 with a reason passes the default 加分 cap of 5: stored, and the warning is shown
    choice = AdjustmentChoice(Decimal(6), "抢险救灾表现突出")
    assert people.panel.add_adjustment()
    assert [(a.points, a.reason) for a in list_adjustments(assessment_db, cid)] == [
        (Decimal(6), "抢险救灾表现突出")
    ]
    assert len(infos) == 1
    assert "加分合计 6 超过上限 5" in infos[0]
    k = people.model.row_of(cid)
    assert people.model.text(k, COL_ADJUST) == "+6"
    assert people.panel.adjust_model.rowCount() == 1
    assert people.panel.adjust_model.text(0, 0) == "+6"

    # delete: a blank reason is refused, a real one deletes it
    people.panel.adjust_table.selectRow(0)
    monkeypatch.setattr(messages, "ask_text", lambda *a, **k: "  ")
    assert not people.panel.delete_adjustment()
    assert "删除加减分必须填写理由" in errors[-1]
    assert len(list_adjustments(assessment_db, cid)) == 1
    monkeypatch.setattr(messages, "ask_text", lambda *a, **k: "重复录入")
    assert people.panel.delete_adjustment()
    assert list_adjustments(assessment_db, cid) == []
    assert people.model.text(k, COL_ADJUST) == ""


def test_adjustment_dialog_needs_a_reason(qtbot) -> None:  # noqa: ANN001
    from models.assessment.rules import default_rules
    from ui.assessment.people.dialogs import AdjustmentDialog

    dlg = AdjustmentDialog("张三", default_rules())
    qtbot.addWidget(dlg)
    assert not dlg.ok.isEnabled()
    dlg.kind.setCurrentIndex(1)  # 扣分
    dlg.points.setValue(1.5)
    qtbot.keyClicks(dlg.reason, "   ")
    assert not dlg.ok.isEnabled()
    dlg.reason.setText("迟报材料")
    assert dlg.ok.isEnabled()
    assert dlg.choice().points == Decimal("-1.5")
    assert dlg.choice().reason == "迟报材料"


def test_sanction_dialog_offers_current_kinds_and_the_duty_variant(qtbot) -> None:  # noqa: ANN001
    from models.assessment.rules import default_rules
    from ui.assessment.people.dialogs import SanctionDialog

    dlg = SanctionDialog("张三", default_rules(), 2026)
    qtbot.addWidget(dlg)
    kinds = [dlg.code.itemData(i) for i in range(dlg.code.count())]
    # 留察一年 / 留察二年 offered; the old undivided 留党察看 (legacy) and the variant are not
    # kinds of their own
    assert "party_probation_1y" in kinds
    assert "party_probation_2y" in kinds
    assert "party_probation" not in kinds
    assert "party_serious_warning_duty" not in kinds
    dlg.code.setCurrentIndex(kinds.index("party_probation_1y"))
    assert not dlg.variant.isEnabled()  # no variants: the kind itself
    assert dlg.choice().code == "party_probation_1y"
    dlg.code.setCurrentIndex(kinds.index("party_serious_warning"))
    assert dlg.variant.isEnabled()
    assert [dlg.variant.itemText(i) for i in range(dlg.variant.count())] == [
        "一般情形：党内严重警告（不定等次）",
        "党内严重警告（与履职有关）（定为不称职）",
    ]
    assert dlg.choice().code == "party_serious_warning"
    dlg.variant.setCurrentIndex(1)
    assert dlg.choice().code == "party_serious_warning_duty"


def test_poor_quarter_and_good_cap(qtbot, view, assessment_db) -> None:  # noqa: ANN001
    from models.assessment import list_members, quarter_grades
    from ui.assessment.people.model import BARRED_COLOUR, COL_Q1, COL_QUARTERLY

    view.select_unit(unit_id_of(TIE_UNIT))
    people = view.people
    members = list_members(assessment_db, unit_id_of(TIE_UNIT))
    assert people.model.rowCount() == len(members) == 5
    # hand count of 好 per quarter; cap worked by hand: 40% × 5 = 2.0 → 2
    good = [
        sum(1 for m in members if quarter_grades(m.cadre_id, 2025)[q] == "好") for q in range(4)
    ]
    assert len(people.pool_goods) == 1
    pool = people.pool_goods[0]
    assert pool.people == 5
    assert pool.cap is not None
    assert pool.cap.quota == 2
    assert list(pool.good) == good
    assert f"一季度 好 {good[0]}/2" in people.cap_label.text()

    # 较差 in the second quarter through the combo editor: stored, barred marker shown
    target = next(m for m in members if quarter_grades(m.cadre_id, 2025)[1] != "较差")
    k = people.model.row_of(target.cadre_id)
    idx = people.model.index(k, COL_Q1 + 1)
    people.table.setCurrentIndex(idx)
    people.table.edit(idx)
    editor = people.table.findChild(QComboBox, "people_quarter_editor")
    assert editor is not None
    editor.setCurrentIndex(editor.findData("较差"))
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # commits (queued) and closes the editor
    qtbot.waitUntil(lambda: quarter_grades(target.cadre_id, 2025)[1] == "较差")
    # a grade picked from the open list (mouse or Enter in the popup) is stored at once
    qtbot.waitUntil(lambda: not people.table.findChildren(QComboBox, "people_quarter_editor"))
    third = people.model.index(k, COL_Q1 + 2)
    people.table.setCurrentIndex(third)
    people.table.edit(third)
    editor = people.table.findChild(QComboBox, "people_quarter_editor")
    editor.setCurrentIndex(editor.findData("一般"))
    editor.activated.emit(editor.currentIndex())
    assert quarter_grades(target.cadre_id, 2025)[2] == "一般"
    m = people.model
    assert m.text(k, COL_QUARTERLY) == "不得评为优秀"
    tip = m.data(m.index(k, COL_QUARTERLY), Qt.ItemDataRole.ToolTipRole)
    assert tip == "第 2 季度平时考核为较差，不得评为优秀"
    brush = m.data(m.index(k, COL_Q1 + 1), Qt.ItemDataRole.BackgroundRole)
    assert brush.color().name() == BARRED_COLOUR

    # 好 for the first quarter of people without it until the count passes the cap
    for other in members:
        if quarter_grades(other.cadre_id, 2025)[0] != "好":
            assert m.setData(m.index(m.row_of(other.cadre_id), COL_Q1), "好", EDIT)
            good[0] += 1
        if good[0] > 2:
            break
    assert good[0] == 3
    assert people.pool_goods[0].good[0] == 3
    assert people.pool_goods[0].over(1)
    assert "一季度 好 3/2 超过上限" in people.cap_label.text()
    assert "“好”等次超过上限" in people.cap_label.text()


def test_flag_refusals_restore_the_cell(view, assessment_db, monkeypatch) -> None:  # noqa: ANN001
    from models.assessment import LOCKED_MESSAGE, approve_round, list_members, submit_for_review
    from ui import messages
    from ui.assessment.people.model import COL_ABSENT, COL_LEAVE

    shown: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, title=None: shown.append(text))
    m = view.people.model
    cid = m.rows[0].cadre_id
    leave = m.index(0, COL_LEAVE)
    # out of range: the service's message, nothing stored
    assert not m.setData(leave, 400, EDIT)
    assert "病事假天数应为 0–366 的整数" in shown[-1]
    assert m.text(0, COL_LEAVE) == ""
    assert m.setData(leave, 20, EDIT)
    assert m.text(0, COL_LEAVE) == "20"
    # 不参加考核 with its reason, then back
    assert m.setData(m.index(0, COL_ABSENT), "长期借调外单位", EDIT)
    member = next(x for x in list_members(assessment_db) if x.cadre_id == cid)
    assert (member.leave_days, member.not_participating) == (20, "长期借调外单位")
    assert m.setData(m.index(0, COL_ABSENT), "", EDIT)

    # the round is locked behind the screen's back: refused with the service's message
    submit_for_review(assessment_db)
    approve_round(assessment_db)
    assert not m.setData(leave, 30, EDIT)
    assert shown[-1].startswith(LOCKED_MESSAGE)
    assert m.text(0, COL_LEAVE) == "20"
    member = next(x for x in list_members(assessment_db) if x.cadre_id == cid)
    assert member.leave_days == 20


def test_veto_item_on_screen(qtbot, qtmodeltester, view, assessment_db, monkeypatch) -> None:  # noqa: ANN001
    from models.assessment import round_rules, save_rules
    from models.assessment.rules import SchemeItem
    from ui import messages
    from ui.assessment.people.dialogs import VetoChoice, VetoDialog
    from ui.assessment.people.model import COL_VETO

    people = view.people
    cid = plain_person(assessment_db, "优秀")
    people.select_person(cid)
    assert not people.panel.add_veto_button.isEnabled()  # the demo scheme has no veto item
    assert "没有一票否决项目" in people.panel.veto_note.text()
    rules = round_rules(assessment_db)
    veto = SchemeItem("safety", "安全生产", Decimal(0), is_veto=True)
    assert save_rules(assessment_db, dataclasses.replace(rules, items=(*rules.items, veto))) == []
    view.reload()
    view.tabs.setCurrentWidget(view.people)
    people.select_person(cid)
    assert people.panel.add_veto_button.isEnabled()
    monkeypatch.setattr(
        VetoDialog,
        "ask",
        classmethod(lambda cls, *a: VetoChoice("safety", "辖区发生较大安全生产责任事故")),
    )
    assert people.panel.add_veto()
    k = people.model.row_of(cid)
    assert people.model.text(k, COL_VETO) == "安全生产"
    assert people.panel.veto_model.rowCount() == 1
    assert people.panel.veto_model.text(0, 1) == "辖区发生较大安全生产责任事故"
    qtmodeltester.check(people.panel.veto_model)

    compute(qtbot, view)
    row = overview_row(assessment_db, cid)
    # the item's default cap is 基本称职: a former 优秀 drops to it
    assert row.proposed_grade == "基本称职"
    assert "“安全生产”一票否决，等次最高为基本称职" in row.explanation

    view.tabs.setCurrentWidget(view.people)
    people.select_person(cid)
    people.panel.veto_table.selectRow(0)
    monkeypatch.setattr(messages, "ask_text", lambda *a, **k: "经复核责任不在本人")
    assert people.panel.clear_veto()
    assert people.model.text(k, COL_VETO) == ""
    assert people.panel.veto_model.rowCount() == 0


def test_raised_quota_changes_the_pool_quota(qtbot, view, assessment_db, monkeypatch) -> None:  # noqa: ANN001
    from models.assessment import get_round, round_rules, save_rules
    from models.assessment.results import round_overview
    from ui import messages

    rules = round_rules(assessment_db)
    quota = dataclasses.replace(rules.quota, max_percent=Decimal(40))
    assert save_rules(assessment_db, dataclasses.replace(rules, quota=quota)) == []
    view.reload()
    view.tabs.setCurrentWidget(view.overview)
    ov = view.overview
    assert ov.select_pool(TIE_UNIT)
    before = next(p for p in round_overview(assessment_db).pools if p.pool_key == TIE_UNIT)
    assert (before.people, before.quota, before.raised_quota) == (5, 1, False)  # 20%×5 = 1
    assert ov.raise_button.isEnabled()
    monkeypatch.setattr(messages, "ask_text", lambda *a, **k: "市委组织部批复（2026）3号")
    job = ov.toggle_raised_quota()
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=30_000):
        pass
    after = next(p for p in round_overview(assessment_db).pools if p.pool_key == TIE_UNIT)
    # worked by hand: 40% × 5 = 2.0 → 2 places
    assert (after.quota, after.raised_quota) == (2, True)
    assert TIE_UNIT in get_round(assessment_db).approved_pools
    assert ov.raise_button.text() == "撤销提高名额…"
    # a blank reason is refused by the service
    refused: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, title=None: refused.append(text))
    ov.select_pool(next(p.pool_key for p in ov.overview.pools if not p.raised_quota))
    monkeypatch.setattr(messages, "ask_text", lambda *a, **k: " ")
    assert ov.toggle_raised_quota() is None
    assert refused == ["提高优秀比例须填写批准依据"]


def test_locked_round_is_read_only(view, assessment_db, monkeypatch) -> None:  # noqa: ANN001
    from models.assessment import LOCKED_MESSAGE, list_sanctions
    from ui import messages
    from ui.assessment.people.dialogs import SanctionChoice, SanctionDialog
    from ui.assessment.people.model import COL_LEAVE, COL_PROBATION, COL_Q1

    monkeypatch.setattr(messages, "ask_yes_no", lambda *a, **k: True)
    assert view.submit()
    assert view.approve()
    view.tabs.setCurrentWidget(view.people)
    people = view.people
    assert "已审定锁定" in people.hint.text()
    m = people.model
    for col in (COL_PROBATION, COL_LEAVE, COL_Q1):
        flags = m.flags(m.index(0, col))
        assert not flags & Qt.ItemFlag.ItemIsEditable
        assert not flags & Qt.ItemFlag.ItemIsUserCheckable
    assert not m.setData(m.index(0, COL_Q1), "好", EDIT)
    assert not m.setData(m.index(0, COL_PROBATION), Qt.CheckState.Checked, CHECK)
    for b in (
        people.panel.add_adjust_button,
        people.panel.add_sanction_button,
        people.panel.add_veto_button,
        people.panel.del_adjust_button,
        people.panel.del_sanction_button,
        people.panel.del_veto_button,
    ):
        assert not b.isEnabled()
    # even called directly, an action refuses before any dialog
    shown: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, title=None: shown.append(text))
    monkeypatch.setattr(
        SanctionDialog,
        "ask",
        classmethod(lambda cls, *a: SanctionChoice("admonition", dt.date(2025, 5, 1), None, "x")),
    )
    cid = m.rows[0].cadre_id
    before = list_sanctions(cid)
    assert not people.panel.add_sanction()
    assert shown == [LOCKED_MESSAGE]
    assert list_sanctions(cid) == before
    view.tabs.setCurrentWidget(view.overview)
    assert not view.overview.raise_button.isEnabled()
