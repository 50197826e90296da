"""The 考勤与结业 tab: 全部出勤, keyboard entry, credits and 退学 flags, 结业."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent

from models import training
from models.training import (
    ClassInput,
    class_credits,
    get_class,
    list_hours,
    list_sessions,
    open_class,
    save_class,
    session_attendance,
)
from models.training import hours as hr
from tests.ui.job_support import CancelAfterService
from tests.ui.training import support as training_support
from tests.ui.training.support import TODAY
from ui import messages
from ui.common.tablemodels import num
from ui.training.attendance_view import AttendanceView

# the shared demo-database fixtures (tests/ui/training/support.py)
demo_template = training_support.demo_template
demo_db = training_support.demo_db


END = dt.date(2026, 3, 27)  # the running class's end date: 结业 needs no reason from then


@pytest.fixture
def view(qtbot, demo_db):  # noqa: ANN001, ANN201
    v = AttendanceView()
    qtbot.addWidget(v)
    v.today = TODAY
    v.set_class(demo_db["进行中"])
    return v


def future_sessions(class_id: int) -> list:  # noqa: ANN401
    return [s for s in list_sessions(class_id) if s.day > TODAY]


def test_models_pass_qmodeltester(qtmodeltester, view) -> None:
    qtmodeltester.check(view.model)
    qtmodeltester.check(view.credit_model)


def test_all_present_then_one_absent_by_key(qtbot, view, demo_db) -> None:
    cid = demo_db["进行中"]
    s = future_sessions(cid)[0]  # no attendance yet
    view.select_session(s.id)
    assert {r.status for r in session_attendance(s.id)} == {hr.UNRECORDED}
    before = {c.cadre_id: c.credited_hours for c in class_credits(cid)}
    n = view.mark_all_present()
    assert n == len(before)
    assert {r.status for r in session_attendance(s.id)} == {hr.PRESENT}
    assert view.model.text(0, 3) == "●"  # the 出勤 column
    after_all = {c.cadre_id: c.credited_hours for c in class_credits(cid)}
    assert all(after_all[k] == before[k] + s.hours for k in before)  # 4 学时 each

    view.table.setFocus()
    view.table.selectRow(1)
    victim = view.model.id_at(1)
    qtbot.keyClick(view.table, Qt.Key.Key_5)  # 5 = 旷课
    statuses = {r.cadre_id: r.status for r in session_attendance(s.id)}
    assert statuses[victim] == hr.ABSENT
    assert sum(1 for v in statuses.values() if v == hr.PRESENT) == len(before) - 1
    credit = next(c for c in class_credits(cid) if c.cadre_id == victim)
    assert credit.credited_hours == before[victim]  # 旷课 earns nothing
    shown = next(c for c in view.credit_model.rows if c.cadre_id == victim)
    assert shown.credited_hours == before[victim]
    assert view.model.text(view.model.row_of(victim), 7) == "●"  # the 旷课 column


def test_cjk_key_sets_leave(view, demo_db) -> None:
    s = future_sessions(demo_db["进行中"])[1]
    view.select_session(s.id)
    view.table.selectRow(0)
    who = view.model.id_at(0)
    event = QKeyEvent(QEvent.Type.KeyPress, 0, Qt.KeyboardModifier.NoModifier, "假")
    view.table.keyPressEvent(event)
    assert {r.cadre_id: r.status for r in session_attendance(s.id)}[who] == hr.LEAVE


def test_clicking_a_status_cell_sets_it(view, demo_db) -> None:
    s = future_sessions(demo_db["进行中"])[2]
    view.select_session(s.id)
    who = view.model.id_at(2)
    view._clicked(view.model.index(2, 4))  # the 迟到 column
    assert {r.cadre_id: r.status for r in session_attendance(s.id)}[who] == hr.LATE


def test_absences_beyond_the_limit_are_flagged(view, demo_db) -> None:
    cid = demo_db["进行中"]
    later = future_sessions(cid)
    who = view.model.id_at(0)
    name = view.model.text(0, 1)
    for s in later[:4]:  # more than 3 half-days of 旷课
        view.select_session(s.id)
        assert view.set_status([who], hr.ABSENT)
    credit = next(c for c in view.credit_model.rows if c.cadre_id == who)
    assert credit.absent_half_days >= 4
    assert credit.flags
    assert view.credit_model.rows[0].review  # flagged trainees come first
    assert name in view.review.text()
    assert "需退学审核" in view.review.text()


def class_lines(class_id: int, cadre_ids: list[int]) -> dict[int, Decimal]:
    """班次培训 学时 in the ledger from this class, by cadre."""
    out: dict[int, Decimal] = {}
    for cid in cadre_ids:
        for e in list_hours(cid):
            if e.class_id == class_id and e.kind == hr.CLASS_TRAINING:
                out[cid] = out.get(cid, Decimal(0)) + e.hours
    return out


def test_finish_class_with_incomplete_attendance_asks_then_finishes(
    qtbot, monkeypatch, view, demo_db
) -> None:
    cid = demo_db["进行中"]
    credits = class_credits(cid)  # unrecorded half-days earn nothing
    trainees = [c.cadre_id for c in credits]
    assert class_lines(cid, trainees) == {}
    asked: list[str] = []
    told: list[str] = []
    monkeypatch.setattr(messages, "ask_yes_no", lambda _p, _t, text: asked.append(text) or True)
    monkeypatch.setattr(messages, "info", lambda _p, _t, text: told.append(text))
    view.today = END
    job = view.finish_class()
    assert job is not None
    assert not view.finish.isEnabled()  # no second 结业 while this one runs
    with qtbot.waitSignal(job.finished, timeout=20_000):
        pass
    assert len(asked) == 2  # 结业? then 考勤未登记完, 仍要结业?
    assert "请补齐后再结业" in asked[1]
    assert "仍要结业吗？未登记的时段不计学时。" in asked[1]
    assert told == []
    assert get_class(cid).status == "进行中"  # the refused first attempt wrote nothing
    assert class_lines(cid, trainees) == {}
    retry = view.finish_job
    assert retry is not None
    assert retry is not job
    with qtbot.waitSignal(retry.finished, timeout=20_000):
        pass
    assert get_class(cid).status == "已结业"
    expected = {c.cadre_id: c.credited_hours for c in credits if c.credited_hours > 0}
    assert expected  # some half-days were recorded before today
    assert class_lines(cid, trainees) == expected
    total = sum(expected.values(), Decimal(0))
    assert total > Decimal(0)
    assert len(told) == 1
    assert told[0].startswith(f"已登记 {len(expected)} 条学时记录，共 {num(total)} 学时。")
    # 结业 once: the button stays disabled and says when and by whom
    assert view.finish.text() == "结业…"
    assert not view.finish.isEnabled()
    assert view.finish.toolTip().startswith("本班已于 2026年3月27日 ")
    assert view.correct.isEnabled()
    assert not view.all_present.isEnabled()
    assert "考勤只读" in view.hint.text()


def test_finish_incomplete_declined_writes_nothing(qtbot, monkeypatch, view, demo_db) -> None:
    cid = demo_db["进行中"]
    answers = iter([True, False])  # 结业: yes; 仍要结业: no
    monkeypatch.setattr(messages, "ask_yes_no", lambda *a: next(answers))
    view.today = END
    job = view.finish_class()
    with qtbot.waitSignal(job.finished, timeout=20_000):
        pass
    assert view.finish_job is job  # no second job
    assert get_class(cid).status == "进行中"
    assert class_lines(cid, [c.cadre_id for c in class_credits(cid)]) == {}
    assert view.finish.text() == "结业…"
    assert view.finish.isEnabled()


def test_finish_refused_when_cancelled(monkeypatch, view, demo_db) -> None:
    monkeypatch.setattr(messages, "ask_yes_no", lambda *a: False)
    view.today = END
    assert view.finish_class() is None
    assert view.finish_job is None
    assert get_class(demo_db["进行中"]).status == "进行中"


def test_finish_of_a_class_without_trainees_is_refused(qtbot, monkeypatch, view) -> None:
    empty = save_class(
        ClassInput(name="空班", start=dt.date(2026, 6, 1), end=dt.date(2026, 6, 3))
    ).id
    open_class(empty, today=dt.date(2026, 6, 1))
    view.today = dt.date(2026, 6, 3)
    view.set_class(empty)
    errors: list[tuple[str, str | None]] = []
    monkeypatch.setattr(messages, "ask_yes_no", lambda *a: True)
    monkeypatch.setattr(
        messages, "error", lambda _p, text, title=None: errors.append((text, title))
    )
    job = view.finish_class()
    with qtbot.waitSignal(job.finished, timeout=20_000):
        pass
    assert errors == [("班次《空班》没有学员，不能结业", "不能结业")]
    assert get_class(empty).status != "已结业"


def test_cancel_before_the_finish_commits_writes_nothing(qtbot, monkeypatch, view, demo_db) -> None:
    cid = demo_db["进行中"]
    trainees = [c.cadre_id for c in class_credits(cid)]
    before = {t: [e.id for e in list_hours(t)] for t in trainees}
    cancel = CancelAfterService(monkeypatch, training, "finish_class")  # as the view calls it
    view.today = END
    job = view._run_finish(cid, allow_incomplete=True)  # as after 仍要结业: yes
    cancel.cancel(job)
    with qtbot.waitSignal(job.finished, timeout=20_000):
        pass
    done = cancel.results[0]
    assert done.entries > 0  # the service had written the ledger lines...
    assert get_class(cid).status == "进行中"  # ...and they were rolled back
    assert {t: [e.id for e in list_hours(t)] for t in trainees} == before
    assert view.finish.text() == "结业…"
    assert view.finish.isEnabled()


def test_latest_session_up_to_today_is_shown(qtbot, demo_db) -> None:
    """A finished class opens on its last half-day, a class not begun on its first one."""
    v = AttendanceView()
    qtbot.addWidget(v)
    v.set_class(demo_db["已结业"])
    done = list_sessions(demo_db["已结业"])
    assert done[-1].day < dt.date.today()
    assert v.current_session().id == done[-1].id
    assert v.current_session().id != done[0].id
    assert "已登记" in v.recorded.text()
    v.today = dt.date(2000, 1, 1)  # before every session of the planned class
    v.set_class(demo_db["筹备"])
    assert v.current_session().id == list_sessions(demo_db["筹备"])[0].id
    assert "已登记" in v.recorded.text()


def test_after_finish_the_results_are_sent_to_the_office(qtbot, view, demo_db, tmp_path,
                                                         monkeypatch) -> None:  # fmt: skip
    """发送学时到组织部 is offered once the class is finished; without the office's own name
    it says where to set it; with it, the package is written and said so."""
    from models import exchange as ex

    assert not view.send.isEnabled()  # 进行中
    view.set_class(demo_db["已结业"])
    assert view.send.isEnabled()
    errors: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, _t=None: errors.append(text))
    assert view.send_results() is None
    assert "请先在“数据交换”中设置本单位名称" in errors[0]
    ex.set_office("白银市委党校")
    package = tmp_path / "学时.cdx"
    monkeypatch.setattr(messages, "save_file", lambda *_a: package)
    told: list[str] = []
    monkeypatch.setattr(messages, "info", lambda _p, _t, text: told.append(text))
    job = view.send_results()
    with qtbot.waitSignal(job.finished, timeout=30_000):
        pass
    assert told[0].startswith(f"已生成交换包 {package}")
    assert ex.read_manifest(package).office == "白银市委党校"
