"""The 领导干部讲坛 section: the demo series and its lectures, the lecture editor with its
audience picker, 听课登记 by click and key, 登记学时 and a correction afterwards, and the 通知
and 签到表 in the preview window."""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent

from models.training import lectures as lt
from models.training import list_hours
from models.training.tables import HoursEntry
from tests.ui.training import support as training_support
from tests.ui.training.support import TODAY
from ui import jobs, messages
from ui.main_window import MainWindow
from ui.training.lectures import LectureDialog, LecturesView, SeriesDialog
from ui.training.lectures.attendance_panel import FIRST_STATUS_COLUMN

# the shared demo-database fixtures (tests/ui/training/support.py)
demo_template = training_support.demo_template
demo_db = training_support.demo_db


@pytest.fixture
def view(qtbot, demo_db):  # noqa: ANN001, ANN201
    v = LecturesView()
    qtbot.addWidget(v)
    return v


@pytest.fixture
def series() -> lt.SeriesDTO:
    return lt.list_series()[0]


@pytest.fixture
def past_lecture(series: lt.SeriesDTO, view: LecturesView) -> lt.LectureDTO:
    """A lecture of last week for 县处级正职, nobody marked yet, chosen on the screen."""
    lec = lt.save_lecture(
        lt.LectureInput(
            series.id, "乡村振兴专题", "孙晓燕", day=TODAY - dt.timedelta(days=6),
            audience_ranks=["县处级正职"],
        )
    )  # fmt: skip
    view.reload_lectures()
    view.select_lecture(lec.id)
    return lec


def finish(qtbot, job: jobs.Job | None) -> None:  # noqa: ANN001
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=30_000):
        pass


def test_models_pass_qmodeltester(qtmodeltester, view) -> None:  # noqa: ANN001
    qtmodeltester.check(view.series_model)
    qtmodeltester.check(view.lecture_model)
    qtmodeltester.check(view.attendance.model)


def test_the_demo_series_shows_with_its_lectures(view: LecturesView) -> None:
    assert view.series_model.text(0, 0) == "领导干部讲坛"
    assert view.series_model.text(0, 2) == "4 / 6"
    titles = [view.lecture_model.text(r, 3) for r in range(view.lecture_model.rowCount())]
    assert titles[0] == "习近平经济思想与高质量发展"
    assert len(titles) == 6
    states = [view.lecture_model.text(r, 2) for r in range(6)]
    assert states == ["已举办"] * 4 + ["筹备"] * 2
    # the next lecture to come is chosen, with its expected cadres in the grid
    lec = view.current_lecture()
    assert lec is not None
    assert lec.status == lt.PLANNED
    assert view.attendance.model.rowCount() == lec.expected > 0
    assert "应到" in view.attendance.counts.text()
    assert view.attendance.credit_button.isEnabled()
    assert not view.attendance.uncredit_button.isEnabled()
    # a lecture held shows its marks, 重新登记学时 and 撤销
    held = next(x for x in view.lecture_model.rows if x.status == lt.HELD)
    view.select_lecture(held.id)
    assert view.attendance.credit_button.text() == "重新登记学时"
    assert view.attendance.uncredit_button.isEnabled()
    marked = {view.attendance.model.row(r).status for r in range(view.attendance.model.rowCount())}
    assert lt.ATTENDED in marked


def test_editing_a_lecture_saves_it(qtbot, view: LecturesView, series) -> None:  # noqa: ANN001
    lec = view.current_lecture()
    assert lec is not None
    dialog = LectureDialog(series, lec, view)
    qtbot.addWidget(dialog)
    dialog.title_edit.setText("数字政府建设专题")
    dialog.place.setText("市委党校第一教室")
    dialog.hours.setValue(2.5)
    dialog.accept()
    assert dialog.saved is not None
    view.reload_lectures()
    stored = lt.get_lecture(lec.id)
    assert (stored.title, stored.place, stored.hours) == (
        "数字政府建设专题",
        "市委党校第一教室",
        Decimal("2.5"),
    )
    assert stored.version == lec.version + 1
    row = view.lecture_model.row_of(lec.id)
    assert row is not None
    assert view.lecture_model.text(row, 3) == "数字政府建设专题"


def test_audience_picker_counts_and_saves_units_and_ranks(qtbot, view, series) -> None:  # noqa: ANN001
    dialog = LectureDialog(series, None, view)
    qtbot.addWidget(dialog)
    assert "全体在职干部" in dialog.audience.text()
    city = dialog.unit_tree.topLevelItem(0)
    county = next(
        city.child(k) for k in range(city.childCount()) if city.child(k).text(0) == "靖远县"
    )
    county.setCheckState(0, Qt.CheckState.Checked)
    ranks = {
        dialog.rank_list.item(k).text(): dialog.rank_list.item(k)
        for k in range(dialog.rank_list.count())
    }
    ranks["县处级正职"].setCheckState(Qt.CheckState.Checked)
    expected = lt.count_audience(lt.Audience((dialog.chosen_units()[0],), ("县处级正职",)))
    assert dialog.audience.text() == (
        f"听课范围：靖远县（含所属单位）的县处级正职干部。应到 {expected} 人（在职）。"
    )
    dialog.title_edit.setText("黄河文化专题")
    dialog.speaker.setCurrentText("刘国庆")
    dialog.accept()
    assert dialog.saved is not None
    assert dialog.saved.audience_ranks == ("县处级正职",)
    assert dialog.saved.expected == expected


def test_editing_a_held_lecture_asks_why_its_hours_change(qtbot, view, series) -> None:  # noqa: ANN001
    held = next(x for x in lt.list_lectures(series.id) if x.status == lt.HELD)
    new_hours = Decimal(str(held.hours or series.hours_per_lecture)) + 1
    dialog = LectureDialog(series, held, view)
    qtbot.addWidget(dialog)
    dialog.hours.setValue(float(new_hours))
    dialog.accept()
    assert dialog.saved is None  # refused: the reason is asked for beside its field
    assert "须写明原因" in dialog.issue_labels["reason"].text()
    assert not dialog.issue_labels["reason"].isHidden()
    assert lt.get_lecture(held.id).version == held.version  # nothing saved
    dialog.reason.setText("主讲人延长授课，学时按通知调整")
    dialog.accept()
    assert dialog.saved is not None
    assert lt.get_lecture(held.id).hours == new_hours
    lines = HoursEntry.select().where(HoursEntry.source_lecture == held.id)
    assert lines.count() > 0
    assert {Decimal(e.hours) for e in lines} == {new_hours}  # the 学时档案 followed


def test_bad_lecture_shows_the_reason_beside_the_field(qtbot, view, series) -> None:  # noqa: ANN001
    dialog = LectureDialog(series, None, view)
    qtbot.addWidget(dialog)
    dialog.title_edit.setText("")
    dialog.speaker.setCurrentText("")
    dialog.accept()
    assert dialog.saved is None
    assert dialog.issue_labels["title"].text() == "不能为空"
    assert not dialog.issue_labels["title"].isHidden()
    assert not dialog.issue_labels["speaker"].isHidden()
    assert dialog.issue_labels["day"].isHidden()


def test_new_series_from_the_dialog(qtbot, view: LecturesView) -> None:  # noqa: ANN001
    dialog = SeriesDialog(None, view)
    qtbot.addWidget(dialog)
    dialog.accept()  # the name 领导干部讲坛 is taken
    assert dialog.saved is None
    assert "已有名为“领导干部讲坛”的讲坛" in dialog.issue.text()
    dialog.name.setText("周末讲堂")
    dialog.hours.setValue(2)
    dialog.accept()
    assert dialog.saved is not None
    view.reload()
    assert [s.name for s in view.series_model.rows] == ["领导干部讲坛", "周末讲堂"]


def test_marks_then_credit_then_a_correction(
    qtbot,
    monkeypatch,
    view: LecturesView,
    past_lecture: lt.LectureDTO,  # noqa: ANN001
) -> None:
    panel = view.attendance
    rows = panel.model.rows
    assert rows
    assert all(r.status == lt.UNRECORDED for r in rows)
    # a click in the 请假 column of the first row, then 全部出勤 for the rest
    panel._clicked(panel.model.index(0, FIRST_STATUS_COLUMN + 1))
    assert panel.model.row(0).status == lt.EXCUSED
    assert panel.mark_all() == len(rows) - 1
    assert view.current_lecture().attended == len(rows) - 1
    asked: list[str] = []
    monkeypatch.setattr(messages, "ask_yes_no", lambda _p, title, _t: asked.append(title) or True)
    monkeypatch.setattr(messages, "info", lambda *_a: None)
    finish(qtbot, panel.credit())
    assert asked == ["登记学时"]
    assert panel.last_credit is not None
    assert panel.last_credit.entries == len(rows) - 1
    present = panel.model.row(1).cadre_id
    line = next(e for e in list_hours(present) if e.lecture_id == past_lecture.id)
    assert (line.kind, line.title) == ("领导干部讲坛", "领导干部讲坛：乡村振兴专题")
    assert view.current_lecture().status == lt.HELD
    assert panel.credit_button.text() == "重新登记学时"

    # after 登记学时 a change asks for the reason and corrects the ledger
    monkeypatch.setattr(messages, "ask_text", lambda *_a, **_k: "补交病假条")
    panel.table.selectRow(1)
    panel.table.setFocus()
    qtbot.keyClick(panel.table, "3")  # 缺席
    assert panel.model.row(1).status == lt.ABSENT
    entries = HoursEntry.select().where(HoursEntry.source_lecture == past_lecture.id)
    assert present not in {e.cadre_id for e in entries}
    assert entries.count() == len(rows) - 2


def test_correction_without_a_reason_changes_nothing(
    qtbot,
    monkeypatch,
    view: LecturesView,
    series,  # noqa: ANN001
) -> None:
    held = next(x for x in view.lecture_model.rows if x.status == lt.HELD)
    view.select_lecture(held.id)
    panel = view.attendance
    before = panel.model.row(0).status
    monkeypatch.setattr(messages, "ask_text", lambda *_a, **_k: None)  # 取消
    event = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_2, Qt.KeyboardModifier.NoModifier, "2")
    panel.table.selectRow(0)
    panel.table.keyPressEvent(event)
    assert panel.model.row(0).status == before


def test_crediting_a_lecture_still_to_come_is_refused(
    qtbot,
    monkeypatch,
    view: LecturesView,
    series,  # noqa: ANN001
) -> None:
    lec = lt.save_lecture(
        lt.LectureInput(
            series.id, "下月专题", "马建华", day=dt.date.today() + dt.timedelta(days=30),
            audience_ranks=["县处级正职"],
        )
    )  # fmt: skip
    view.reload_lectures()
    view.select_lecture(lec.id)
    errors: list[str] = []
    monkeypatch.setattr(messages, "ask_yes_no", lambda *_a: True)
    monkeypatch.setattr(messages, "error", lambda _p, text, _t=None: errors.append(text))
    view.attendance.mark_all()
    finish(qtbot, view.attendance.credit())
    assert errors
    assert "尚未举办，不能登记学时" in errors[0]
    assert lt.get_lecture(lec.id).status == lt.PLANNED


@pytest.fixture
def private_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_notice_and_signin_previews(qtbot, view: LecturesView, private_tmp: Path) -> None:  # noqa: ANN001
    lec = view.current_lecture()
    assert lec is not None
    finish(qtbot, view.print_notice())
    dialog = view.printer.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.preview.page_count() > 0, timeout=10_000)
    text = dialog.preview.document.getAllText(0).text().replace("\n", "")
    assert f"《{lec.title}》" in text
    assert lec.speaker in text
    finish(qtbot, view.print_signin())
    qtbot.waitUntil(lambda: "签到表" in dialog.windowTitle(), timeout=10_000)
    qtbot.waitUntil(lambda: dialog.preview.page_count() > 0, timeout=10_000)
    text = dialog.preview.document.getAllText(0).text().replace("\n", "")
    first = view.attendance.model.row(0)
    assert first.name in text
    assert list(private_tmp.iterdir()) == []  # the temporary PDFs are gone


def test_the_section_is_in_the_main_window(qtbot, demo_db, db_path) -> None:  # noqa: ANN001
    window = MainWindow(db_path)
    qtbot.addWidget(window)
    names = [window.nav.item(k).text() for k in range(window.nav.count())]
    assert "干部讲坛" in names
    assert isinstance(window.lectures_view, LecturesView)


def test_the_hours_ledger_lists_lecture_lines(qtbot, demo_db) -> None:  # noqa: ANN001
    from ui.training import HoursView

    line = (
        HoursEntry.select()
        .where(HoursEntry.kind == "领导干部讲坛")
        .order_by(HoursEntry.day.desc(), HoursEntry.id)
        .first()
    )
    assert line is not None
    v = HoursView()
    qtbot.addWidget(v)
    v.year.setValue(line.day.year)
    v.show_ledger(line.cadre_id)
    texts = [
        [v.ledger_model.text(r, c) for c in range(v.ledger_model.columnCount())]
        for r in range(v.ledger_model.rowCount())
    ]
    row = next(t for t in texts if t[1] == "领导干部讲坛")
    assert row[3].startswith("领导干部讲坛：")
    assert row[4] == "领导干部讲坛听课登记"
    assert "领导干部讲坛 " in v.ledger_title.text()
