"""Optimistic locking on the 年度考核 screens: when another writer changes the round behind an
open screen, the user's 保存方案 / 提交审核 / 退回录入 / 审定锁定 / 解锁 / 提高名额 is refused with
the service's Chinese message, nothing is written, and the screen reads the round again; a
user's own successive writes are never refused.

"Another writer" is the service called directly (as another staff member's copy of the
program would on the shared database), not through the screen under test.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from tests.ui.assessment import support as assessment_support
from tests.ui.assessment.support import TIE_UNIT, unit_id_of
from tests.ui.conftest import id_number

pytestmark = pytest.mark.ui

assessment_template = assessment_support.assessment_template
assessment_db = assessment_support.assessment_db

CHANGED = "2025年度考核”在您打开之后已被他人修改"


def set_cell(model, row: int, key: str, value: str) -> None:  # noqa: ANN001
    c = next(k for k, f in enumerate(model.fields) if f.key == key)
    assert model.setData(model.index(row, c), value, Qt.ItemDataRole.EditRole)


def issue_texts(editor) -> list[str]:  # noqa: ANN001
    return [editor.issue_list.item(k).text() for k in range(editor.issue_list.count())]


def status_changes(round_id: int) -> list[tuple[str, str, str]]:
    from models.assessment import round_history

    return [
        (h.user, h.old_value, h.new_value) for h in round_history(round_id) if h.field == "status"
    ]


def other_renames_scheme(round_id: int, name: str = "王科长修改的方案") -> None:
    """Another staff member saves the scheme under a new name (everything else as it was)."""
    from models.assessment import round_rules, save_rules

    rules = round_rules(round_id)
    assert save_rules(round_id, dataclasses.replace(rules, name=name), user="王科长") == []


def weights_25_10(editor) -> None:  # noqa: ANN001
    """德 20 → 25, 能 15 → 10: 25+10+15+30+20 = 100 still."""
    set_cell(editor.items_model, 0, "weight", "25")
    set_cell(editor.items_model, 1, "weight", "10")
    assert issue_texts(editor) == []


@pytest.fixture
def editor(qtbot, assessment_db: int):  # noqa: ANN001, ANN201
    from models.assessment import get_round
    from ui.assessment.scheme.editor import SchemeEditor

    w = SchemeEditor()
    qtbot.addWidget(w)
    w.set_round(get_round(assessment_db))
    return w


@pytest.fixture
def view(qtbot, assessment_db: int):  # noqa: ANN001, ANN201
    from ui.assessment.assessment_view import AssessmentView

    v = AssessmentView()
    qtbot.addWidget(v)
    v.resize(1280, 760)
    v.show()
    return v


@pytest.fixture
def errors(monkeypatch) -> list[tuple[str, str | None]]:  # noqa: ANN001
    """Every messages.error (text, title) instead of a modal box."""
    from ui import messages

    shown: list[tuple[str, str | None]] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, title=None: shown.append((text, title)))
    return shown


# --------------------------------------------------------------------------- scheme editor


def test_scheme_save_refused_when_changed_behind_the_editor(qtbot, editor, assessment_db) -> None:  # noqa: ANN001
    from models.assessment import get_round, round_history

    shown_version = editor.round.version
    weights_25_10(editor)
    other_renames_scheme(assessment_db)  # → version + 1
    log_before = len(round_history(assessment_db))
    with qtbot.waitSignal(editor.outdated, timeout=1000):
        assert not editor.save()
    # the message: in the problems list, first, naming the round and the other writer
    first = issue_texts(editor)[0]
    assert first.startswith("保存：“" + CHANGED)
    assert "王科长 于" in first
    assert "修改了考核方案" in first
    assert "刷新" in first
    assert editor.status.text().startswith("未保存：本轮考核已被他人修改，已重新读取最新方案")
    # nothing written: the other writer's scheme and weights stay
    rnd = get_round(assessment_db)
    assert rnd.version == shown_version + 1
    assert rnd.rules.name == "王科长修改的方案"
    assert [i.weight for i in rnd.rules.items] == [20, 15, 15, 30, 20]
    assert len(round_history(assessment_db)) == log_before
    # the editor was reloaded: the other writer's state, the new version
    assert editor.name.text() == "王科长修改的方案"
    assert editor.items_model.rows[0]["weight"] == "20"
    assert editor.round.version == rnd.version
    # the user redoes the change on the newest scheme: saved
    weights_25_10(editor)
    assert editor.save()
    rnd = get_round(assessment_db)
    assert [i.weight for i in rnd.rules.items] == [25, 10, 15, 30, 20]
    assert rnd.rules.name == "王科长修改的方案"  # the other writer's change kept
    assert rnd.version == shown_version + 2


def test_two_successive_saves_by_the_same_user_both_succeed(editor, assessment_db) -> None:  # noqa: ANN001
    from models.assessment import get_round

    v0 = editor.round.version
    weights_25_10(editor)
    assert editor.save()
    assert editor.status.text() == "已保存"
    assert editor.round.version == v0 + 1
    set_cell(editor.items_model, 2, "weight", "20")  # 勤 15 → 20
    set_cell(editor.items_model, 4, "weight", "15")  # 廉 20 → 15: 25+10+20+30+15 = 100
    assert editor.save()
    assert editor.status.text() == "已保存"
    rnd = get_round(assessment_db)
    assert [i.weight for i in rnd.rules.items] == [25, 10, 20, 30, 15]
    assert rnd.version == editor.round.version == v0 + 2


def test_scheme_conflict_in_the_section_refreshes_the_status(view, assessment_db, errors) -> None:  # noqa: ANN001
    """Another writer submitted the round while the user edits the scheme tab: the save is
    refused (the round is no longer what the user saw) and the section shows 审核."""
    from models.assessment import get_round, submit_for_review

    view.tabs.setCurrentWidget(view.scheme)
    weights_25_10(view.scheme)
    submit_for_review(assessment_db, user="李处长")
    assert not view.scheme.save()
    assert "李处长 于" in issue_texts(view.scheme)[0]
    assert "将状态由“录入”改为“审核”" in issue_texts(view.scheme)[0]
    assert [i.weight for i in get_round(assessment_db).rules.items] == [20, 15, 15, 30, 20]
    assert view.round.status == "审核"
    assert "审核" in view.status_label.text()
    assert view.approve_button.isEnabled()
    assert not view.submit_button.isEnabled()
    assert errors == []  # shown in the editor's own list, no extra box


def test_members_added_by_the_user_do_not_refuse_the_users_own_scheme_save(
    view, assessment_db, monkeypatch
) -> None:  # noqa: ANN001
    """Adding members bumps the round's version; the section reads the round again, so the
    user's pending scheme edit (made before) still saves."""
    from models.assessment import get_round
    from models.roster.tables import Cadre
    from ui import messages

    unit = unit_id_of(TIE_UNIT)
    birth = dt.date(1985, 6, 1)
    Cadre.create(
        name="新同志",
        sex="男",
        birth_date=birth,
        unit=unit,
        id_card=id_number("620402", birth, 77, True),
        post_title="科员",
    )
    view.tabs.setCurrentWidget(view.scheme)
    weights_25_10(view.scheme)
    v0 = view.round.version
    view.select_unit(unit)
    view.tabs.setCurrentWidget(view.grid)
    monkeypatch.setattr(messages, "info", lambda *a, **k: None)
    assert view.grid.add_members() == 1
    assert view.round.version == v0 + 1
    view.tabs.setCurrentWidget(view.scheme)
    assert view.scheme.items_model.rows[0]["weight"] == "25"  # the pending edit is kept
    assert view.scheme.save()
    rnd = get_round(assessment_db)
    assert [i.weight for i in rnd.rules.items] == [25, 10, 15, 30, 20]
    assert rnd.version == v0 + 2


# --------------------------------------------------------------------------- workflow buttons


def test_submit_refused_when_submitted_elsewhere(view, assessment_db, errors) -> None:  # noqa: ANN001
    from models.assessment import submit_for_review

    assert view.round.status == "录入"
    assert view.submit_button.isEnabled()
    before = status_changes(assessment_db)
    submit_for_review(assessment_db, user="李处长")
    assert not view.submit()
    assert len(errors) == 1
    text, title = errors[0]
    assert title == "提交审核"
    assert text.startswith("“" + CHANGED)
    assert "李处长 于" in text
    assert "将状态由“录入”改为“审核”" in text
    assert text.endswith("已重新读取本轮考核的最新状态，请核对后再操作。")
    # only the other writer's step is in the log
    assert status_changes(assessment_db) == [("李处长", "录入", "审核"), *before]
    # the section now shows the other writer's state
    assert view.round.status == "审核"
    assert "审核" in view.status_label.text()
    assert not view.submit_button.isEnabled()
    assert view.return_button.isEnabled()
    assert view.approve_button.isEnabled()


def test_send_back_and_unlock_refused_when_changed_elsewhere(
    view, assessment_db, errors, monkeypatch
) -> None:  # noqa: ANN001
    from models.assessment import approve_round, get_round, return_to_entry, unlock_round
    from ui import messages

    monkeypatch.setattr(messages, "ask_yes_no", lambda *a, **k: True)
    monkeypatch.setattr(messages, "ask_text", lambda *a, **k: "得分有误")
    assert view.submit()  # the user's own step
    # 退回录入: someone else sent it back first
    return_to_entry(assessment_db, reason="另一人退回", user="王科长")
    assert not view.send_back()
    assert "王科长 于" in errors[-1][0]
    assert "将状态由“审核”改为“录入”" in errors[-1][0]
    assert view.round.status == "录入"
    assert [c for c in status_changes(assessment_db) if c[0] != "王科长"][0][2] == "审核"
    # 解锁: the user sees the round locked, someone else unlocks and locks it again
    assert view.submit()
    assert view.approve()
    assert view.round.locked
    unlock_round(assessment_db, reason="更正", user="部长")
    approve_round(assessment_db, user="部长")
    v = get_round(assessment_db).version
    assert not view.unlock()
    assert "部长 于" in errors[-1][0]
    assert "将状态由“审核”改为“审定”" in errors[-1][0]
    assert errors[-1][1] == "解除审定锁定"
    rnd = get_round(assessment_db)
    assert (rnd.locked, rnd.locked_by, rnd.version) == (True, "部长", v)
    assert view.round.version == v
    assert view.round.locked_by == "部长"
    # now the user's unlock goes through
    assert view.unlock()
    assert get_round(assessment_db).status == "审核"


def test_approve_refused_when_changed_elsewhere_then_accepted(
    view, assessment_db, errors, monkeypatch
) -> None:  # noqa: ANN001
    from models.assessment import get_round, set_raised_quota
    from models.assessment.grading import compute_grades
    from ui import messages

    monkeypatch.setattr(messages, "ask_yes_no", lambda *a, **k: True)
    assert view.submit()
    set_raised_quota(assessment_db, TIE_UNIT, True, reason="市委批复", user="王科长")
    assert not view.approve()
    assert "王科长 于" in errors[-1][0]
    assert "修改了提高优秀名额的单位" in errors[-1][0]
    assert not get_round(assessment_db).locked
    # the screen holds the newest version now: the next try passes the version check and
    # meets the service's own rule (the raised quota makes that unit's grades out of date)
    assert not view.approve()
    assert "请先重新计算等次再审定" in errors[-1][0]
    assert "他人修改" not in errors[-1][0]
    compute_grades(assessment_db)  # grading does not change the round's version
    assert view.approve()
    assert get_round(assessment_db).locked


def test_successive_workflow_steps_by_the_same_user(view, assessment_db, monkeypatch) -> None:  # noqa: ANN001
    from models.assessment import get_round
    from ui import messages

    monkeypatch.setattr(messages, "ask_yes_no", lambda *a, **k: True)
    monkeypatch.setattr(messages, "ask_text", lambda *a, **k: "补录得分")
    v0 = view.round.version
    assert view.submit()
    assert view.send_back()
    assert view.submit()
    assert view.approve()
    assert view.unlock()
    rnd = get_round(assessment_db)
    assert (rnd.status, rnd.version) == ("审核", v0 + 5)
    assert view.round.version == rnd.version


# --------------------------------------------------------------------------- 提高名额


def test_raise_quota_refused_when_changed_elsewhere(
    qtbot, view, assessment_db, errors, monkeypatch
) -> None:  # noqa: ANN001
    from models.assessment import get_round, round_history, round_rules, save_rules
    from models.assessment.results import round_overview
    from ui import messages

    view.tabs.setCurrentWidget(view.overview)
    ov = view.overview
    assert ov.select_pool(TIE_UNIT)
    assert not ov.current_pool().raised_quota
    # another writer raises the approved maximum to 40% behind the open tab
    rules = round_rules(assessment_db)
    quota = dataclasses.replace(rules.quota, max_percent=Decimal(40))
    assert save_rules(assessment_db, dataclasses.replace(rules, quota=quota), user="王科长") == []
    log_before = len(round_history(assessment_db))
    monkeypatch.setattr(messages, "ask_text", lambda *a, **k: "市委组织部批复（2026）3号")
    assert ov.toggle_raised_quota() is None
    text, title = errors[-1]
    assert title == "不能修改优秀名额"
    assert text.startswith("“" + CHANGED)
    assert "王科长 于" in text
    assert "修改了考核方案" in text
    assert get_round(assessment_db).approved_pools == ()
    assert len(round_history(assessment_db)) == log_before
    # the tab and the section hold the newest round
    v = get_round(assessment_db).version
    assert ov.round.version == v
    assert view.round.version == v
    assert ov.round.rules.quota.max_percent == Decimal(40)
    # the user tries again: accepted; 40% × 5 = 2 places (worked by hand)
    assert ov.select_pool(TIE_UNIT)
    job = ov.toggle_raised_quota()
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=30_000):
        pass
    after = next(p for p in round_overview(assessment_db).pools if p.pool_key == TIE_UNIT)
    assert (after.quota, after.raised_quota) == (2, True)
    assert get_round(assessment_db).version == v + 1
    # and a second change by the same user goes through too (the tab kept the new version)
    assert ov.round.version == v + 1
    assert ov.select_pool(TIE_UNIT)
    monkeypatch.setattr(messages, "ask_text", lambda *a, **k: "批复撤回")
    job = ov.toggle_raised_quota()
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=30_000):
        pass
    assert get_round(assessment_db).approved_pools == ()
    assert get_round(assessment_db).version == v + 2


# --------------------------------------------------------------------------- 添加本单位考核人员


def new_cadre(unit_name: str, name: str, seq: int) -> int:
    """A 在职 科员 of the demo unit ``unit_name`` who is not yet in the round."""
    from models.roster.tables import Cadre

    birth = dt.date(1985, 6, 1)
    return Cadre.create(
        name=name,
        sex="男",
        birth_date=birth,
        unit=unit_id_of(unit_name),
        id_card=id_number("620402", birth, seq, True),
        post_title="科员",
    ).id


def member_names(round_id: int) -> set[str]:
    from models.assessment import list_members

    return {m.name for m in list_members(round_id)}


@pytest.fixture
def infos(monkeypatch) -> list[tuple[str, str]]:  # noqa: ANN001
    """Every messages.info (title, text) instead of a modal box."""
    from ui import messages

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "info", lambda _p, title, text: shown.append((title, text)))
    return shown


def test_add_members_refused_when_changed_elsewhere_then_accepted(
    view, assessment_db, errors, infos
) -> None:  # noqa: ANN001
    from models.assessment import get_round, round_history, submit_for_review

    new_cadre(TIE_UNIT, "新同志", 77)
    view.select_unit(unit_id_of(TIE_UNIT))
    view.tabs.setCurrentWidget(view.grid)
    v0 = view.grid.round.version
    members_before = member_names(assessment_db)
    rows_before = len(view.grid.model.rows)
    assert "新同志" not in members_before
    submit_for_review(assessment_db, user="李处长")  # → v0 + 1, 审核 (still writable)
    log_before = len(round_history(assessment_db))
    assert view.grid.add_members() == 0
    assert len(errors) == 1
    text, title = errors[0]
    assert title == "添加考核人员"
    assert text.startswith("“" + CHANGED)
    assert "李处长 于" in text
    assert "将状态由“录入”改为“审核”" in text
    assert "没有保存" in text
    assert text.endswith("已重新读取本轮考核的最新状态，请核对后再操作。")
    assert infos == []  # no "已添加" box
    # nothing written: nobody added, the other writer's version, no log entry
    rnd = get_round(assessment_db)
    assert rnd.version == v0 + 1
    assert member_names(assessment_db) == members_before
    assert len(round_history(assessment_db)) == log_before
    assert len(view.grid.model.rows) == rows_before
    # the grid and the section read the round again: the other writer's status and version
    assert view.grid.round.version == v0 + 1
    assert view.round.version == v0 + 1
    assert view.round.status == "审核"
    assert "审核" in view.status_label.text()
    assert not view.submit_button.isEnabled()
    # the user tries again: accepted, with the version the reload gave
    assert view.grid.add_members() == 1
    assert len(errors) == 1
    assert infos == [("添加考核人员", f"已添加“{TIE_UNIT}”及下级单位在职干部 1 人")]
    assert member_names(assessment_db) == members_before | {"新同志"}
    assert len(view.grid.model.rows) == rows_before + 1
    assert get_round(assessment_db).version == v0 + 2
    assert view.grid.round.version == view.round.version == v0 + 2


def test_add_members_refused_when_locked_elsewhere_shows_the_lock(
    view, assessment_db, errors, infos
) -> None:  # noqa: ANN001
    """Someone else approved the round behind the open grid: the add is refused with who did
    it, and the reloaded grid is read-only."""
    from models.assessment import approve_round, get_round, submit_for_review

    new_cadre(TIE_UNIT, "新同志", 77)
    view.select_unit(unit_id_of(TIE_UNIT))
    view.tabs.setCurrentWidget(view.grid)
    assert view.grid.add_button.isEnabled()
    members_before = member_names(assessment_db)
    submit_for_review(assessment_db, user="部长")
    approve_round(assessment_db, user="部长")
    assert view.grid.add_members() == 0
    text, title = errors[-1]
    assert title == "添加考核人员"
    assert "部长 于" in text
    assert "将状态由“审核”改为“审定”" in text
    assert member_names(assessment_db) == members_before
    assert infos == []
    # reloaded: locked, the add button off, the hint says so, the section shows 审定
    assert view.grid.round.locked
    assert view.grid.round.version == get_round(assessment_db).version
    assert not view.grid.add_button.isEnabled()
    assert view.grid.hint.text().startswith("“2025年度考核”已审定锁定，只能查看")
    assert view.round.locked
    assert view.unlock_button.isEnabled()


def test_two_successive_adds_by_the_same_user_both_succeed(
    view, assessment_db, errors, infos
) -> None:  # noqa: ANN001
    """The grid keeps the version its own add left, so the next add (same unit, without
    choosing it again, then another unit) is not refused."""
    from models.assessment import get_round, round_history

    unit = unit_id_of(TIE_UNIT)
    view.select_unit(unit)
    view.tabs.setCurrentWidget(view.grid)
    v0 = view.grid.round.version
    log0 = len(round_history(assessment_db))
    new_cadre(TIE_UNIT, "新同志", 77)
    assert view.grid.add_members() == 1
    assert view.grid.round.version == v0 + 1
    # a second newcomer in the same unit (the roster changed, not the round): added too
    new_cadre(TIE_UNIT, "再来一位", 78)
    assert view.grid.add_members() == 1
    assert view.grid.round.version == v0 + 2
    # another unit, chosen in the section
    new_cadre("市委组织部", "组织部新人", 79)
    view.select_unit(unit_id_of("市委组织部"))
    assert view.grid.add_members() == 1
    assert errors == []
    assert [n for _t, n in infos] == [
        f"已添加“{TIE_UNIT}”及下级单位在职干部 1 人",
        f"已添加“{TIE_UNIT}”及下级单位在职干部 1 人",
        "已添加“市委组织部”及下级单位在职干部 1 人",
    ]
    rnd = get_round(assessment_db)
    assert rnd.version == v0 + 3
    assert view.grid.round.version == view.round.version == v0 + 3
    assert {"新同志", "再来一位", "组织部新人"} <= member_names(assessment_db)
    added = [h.new_value for h in round_history(assessment_db) if h.field == "members_added"]
    assert len(round_history(assessment_db)) == log0 + 3
    assert added[:3] == ["市委组织部 1 人", f"{TIE_UNIT} 1 人", f"{TIE_UNIT} 1 人"]  # newest first
