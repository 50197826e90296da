"""The printed kit from the 培训班 and 学时 sections: previews built in the background from
the demo database (课程表, 签到表, 结业证书, 学时证明), the 结业证书 numbering and its refusal
for a class still running, and the Excel exports."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QSpinBox, QWidget

from models.training import add_hours_entry, list_sessions, list_trainees
from reports.training import kit as tk
from tests.ui.training import support as training_support
from ui import jobs, messages, settings
from ui.training.classes_view import TrainingView
from ui.training.hours_view import HoursView
from ui.training.print_kit import (
    ClassPrinter,
    PreviewDialog,
    PreviewHost,
    preview_hours_certificate,
)

# the shared demo-database fixtures (tests/ui/training/support.py)
demo_template = training_support.demo_template
demo_db = training_support.demo_db

FINISHED_NAME = "2025年县处级领导干部进修班"  # demo class 1, 2025-12-22 to 2026-01-09
RUNNING_NAME = "第十二期中青年干部培训班"


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary folder the previews render into, to check nothing is left there."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def view(qtbot, demo_db):  # noqa: ANN001, ANN201
    v = TrainingView()
    qtbot.addWidget(v)
    return v


def finish(qtbot, job: jobs.Job | None) -> None:  # noqa: ANN001
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=30_000):
        pass


def shown(qtbot, dialog: PreviewDialog | None) -> PreviewDialog:  # noqa: ANN001
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.preview.page_count() > 0, timeout=10_000)
    return dialog


def all_text(dialog: PreviewDialog) -> str:
    doc = dialog.preview.document
    return "".join(doc.getAllText(i).text() for i in range(doc.pageCount())).replace("\n", "")


def page_text(dialog: PreviewDialog, page: int) -> str:
    return dialog.preview.document.getAllText(page).text().replace("\n", "")


# ============================================================================ 课程表


def test_timetable_preview_matches_the_printed_file(
    qtbot,  # noqa: ANN001
    view: TrainingView,
    demo_db: dict[str, int],
    tmp_path: Path,
    private_tmp: Path,
) -> None:
    view.select_class(demo_db["已结业"])
    assert view.printer.button.isEnabled()
    finish(qtbot, view.printer.preview_timetable())
    dialog = shown(qtbot, view.printer.dialog)
    expected = tk.print_timetable(demo_db["已结业"], tmp_path / "课程表.pdf")
    assert dialog.preview.page_count() == expected.pages
    assert dialog.preview.data == (tmp_path / "课程表.pdf").read_bytes()  # same bytes
    assert dialog.preview.data.startswith(b"%PDF")
    assert f"{FINISHED_NAME}课程表" in all_text(dialog)
    assert dialog.preview.file_name == f"{FINISHED_NAME}课程表.pdf"
    assert dialog.isVisible()
    assert not dialog.notes.isVisible()  # nothing to warn about
    assert list(private_tmp.iterdir()) == []  # the temporary file and folder are gone


def test_actions_follow_the_selected_class(view: TrainingView, demo_db: dict[str, int]) -> None:
    p = view.printer
    view.select_class(demo_db["进行中"])
    assert p.timetable_action.isEnabled()
    assert p.roster_action.isEnabled()
    assert not p.certificates_action.isEnabled()
    assert p.certificates_action.toolTip() == "班次结业后才能打印结业证书"
    view.select_class(demo_db["已结业"])
    assert p.certificates_action.isEnabled()


def test_no_class_no_printing(qtbot) -> None:  # noqa: ANN001
    w = QWidget()
    qtbot.addWidget(w)
    p = ClassPrinter(w, lambda: None, lambda: None)
    assert not p.button.isEnabled()
    assert not p.signin_one_action.isEnabled()
    assert p.preview_timetable() is None
    assert p.preview_signin(True) is None
    assert p.preview_certificates() is None
    assert p.export("roster") is None
    assert p.dialog is None


# ============================================================================ 结业证书


def test_certificates_refused_for_a_running_class(
    qtbot,  # noqa: ANN001
    monkeypatch: pytest.MonkeyPatch,
    view: TrainingView,
    demo_db: dict[str, int],
) -> None:
    errors: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, _t=None: errors.append(text))

    def never(*_a: object) -> None:
        raise AssertionError("numbering asked for a class that cannot have certificates")

    monkeypatch.setattr(messages, "ask_serial", never)
    view.select_class(demo_db["进行中"])
    assert view.printer.preview_certificates() is None
    assert errors == [f"班次《{RUNNING_NAME}》状态为“进行中”，结业后才能打印结业证书"]
    assert view.printer.dialog is None


def test_certificates_numbered_and_prefix_remembered(
    qtbot,  # noqa: ANN001
    monkeypatch: pytest.MonkeyPatch,
    view: TrainingView,
    demo_db: dict[str, int],
) -> None:
    asked: list[str] = []

    def ask(_parent: object, _title: str, _label: str, prefix: str, first: int) -> tuple:
        asked.append(prefix)
        return ("白银党校〔2026〕第1期-", 5)

    monkeypatch.setattr(messages, "ask_serial", ask)
    cid = demo_db["已结业"]
    view.select_class(cid)
    finish(qtbot, view.printer.preview_certificates())
    dialog = shown(qtbot, view.printer.dialog)
    # class 1 ends in 2026: the first default is 〔2026〕第1班-
    assert asked == ["〔2026〕第1班-"]
    # 12 trainees; 于世新 took 20 学时 of leave, over 1/7 of 120 (17.14): no certificate
    assert len(list_trainees(cid)) == 12
    assert dialog.preview.page_count() == 11
    assert "白银党校〔2026〕第1期-005" in page_text(dialog, 0)
    assert "白银党校〔2026〕第1期-015" in page_text(dialog, 10)  # 5 + 11 - 1
    assert "于世新" not in all_text(dialog)
    assert dialog.notes.isVisible()
    assert "于世新未发结业证书" in dialog.notes.text()
    assert settings.settings().certificate_prefix == "白银党校〔2026〕第1期-"
    finish(qtbot, view.printer.preview_certificates())
    assert asked == ["〔2026〕第1班-", "白银党校〔2026〕第1期-"]  # remembered


def test_certificates_cancelled_at_numbering(
    monkeypatch: pytest.MonkeyPatch,
    view: TrainingView,
    demo_db: dict[str, int],
) -> None:
    monkeypatch.setattr(messages, "ask_serial", lambda *_a: None)
    view.select_class(demo_db["已结业"])
    assert view.printer.preview_certificates() is None
    assert view.printer.dialog is None
    assert settings.settings().certificate_prefix == ""


# ============================================================================ 签到表


def test_signin_of_the_selected_session_is_one_page(
    qtbot,  # noqa: ANN001
    view: TrainingView,
    demo_db: dict[str, int],
) -> None:
    cid = demo_db["已结业"]
    view.select_class(cid)
    sessions = list_sessions(cid)
    chosen = sessions[3]
    view.attendance.select_session(chosen.id)
    view.printer.update_actions()
    assert view.printer.signin_one_action.text() == (
        f"签到表（{chosen.day.isoformat()} {chosen.slot}《{chosen.title}》）…"
    )
    finish(qtbot, view.printer.preview_signin(True))
    dialog = shown(qtbot, view.printer.dialog)
    assert dialog.preview.page_count() == 1
    text = all_text(dialog)
    assert chosen.title in text
    assert f"{chosen.day.year}年{chosen.day.month}月{chosen.day.day}日" in text
    # all sessions: 12 trainees fit on one sheet each
    finish(qtbot, view.printer.preview_signin(False))
    qtbot.waitUntil(lambda: dialog.preview.page_count() == len(sessions), timeout=10_000)
    assert dialog.preview.file_name == f"{FINISHED_NAME}签到表.pdf"


# ============================================================================ Excel


def test_roster_xlsx_has_one_row_per_trainee(
    qtbot,  # noqa: ANN001
    monkeypatch: pytest.MonkeyPatch,
    view: TrainingView,
    demo_db: dict[str, int],
    tmp_path: Path,
) -> None:
    told: list[str] = []
    monkeypatch.setattr(messages, "save_file", lambda *_a: tmp_path / "名册")  # no suffix typed
    monkeypatch.setattr(messages, "info", lambda _p, _t, text: told.append(text))
    cid = demo_db["已结业"]
    view.select_class(cid)
    finish(qtbot, view.printer.export("roster"))
    dest = tmp_path / "名册.xlsx"
    assert told == [f"已把学员名册（12 行）导出到 {dest}"]
    ws = load_workbook(dest, read_only=True)["学员名册"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == f"{FINISHED_NAME}学员名册"
    assert rows[1][:3] == ("组别", "序号", "姓名")
    body = [r for r in rows[2:] if any(v not in (None, "") for v in r)]
    assert len(body) == 12
    assert sorted(r[2] for r in body) == sorted(t.name for t in list_trainees(cid))
    assert [r[1] for r in body] == list(range(1, 13))


def test_export_cancelled_writes_nothing(
    monkeypatch: pytest.MonkeyPatch,
    view: TrainingView,
    demo_db: dict[str, int],
    tmp_path: Path,
) -> None:
    monkeypatch.setattr(messages, "save_file", lambda *_a: None)
    view.select_class(demo_db["已结业"])
    assert view.printer.export("timetable") is None
    assert list(tmp_path.glob("*.xlsx")) == []


def test_timetable_xlsx_one_row_per_session(
    qtbot,  # noqa: ANN001
    monkeypatch: pytest.MonkeyPatch,
    view: TrainingView,
    demo_db: dict[str, int],
    tmp_path: Path,
) -> None:
    dest = tmp_path / "课程表.xlsx"
    monkeypatch.setattr(messages, "save_file", lambda *_a: dest)
    monkeypatch.setattr(messages, "info", lambda *_a: None)
    cid = demo_db["已结业"]
    view.select_class(cid)
    finish(qtbot, view.printer.export("timetable"))
    rows = list(load_workbook(dest, read_only=True)["课程表"].iter_rows(values_only=True))
    body = [r for r in rows[2:] if r and r[0]]
    assert len(body) == len(list_sessions(cid))


# ============================================================================ 学时证明


def test_hours_certificate_preview_names_the_cadre(
    qtbot,  # noqa: ANN001
    demo_db: dict[str, int],
) -> None:
    trainee = list_trainees(demo_db["已结业"])[0]
    add_hours_entry(trainee.cadre_id, dt.date(2026, 5, 6), "网络学习", 12, "网络学院专题学习")
    v = HoursView()
    qtbot.addWidget(v)
    assert not v.certificate_button.isEnabled()
    assert v.print_certificate() is None
    v.year.setValue(2026)
    v.show_ledger(trainee.cadre_id)
    assert v.certificate_button.isEnabled()
    finish(qtbot, v.print_certificate())
    dialog = shown(qtbot, v.printer.dialog)
    text = all_text(dialog)
    assert "干部教育培训学时证明" in text
    assert f"兹证明{trainee.name}同志" in text
    assert "网络学院专题学习" in text
    assert dialog.preview.file_name == f"{trainee.name}2026年度学时证明.pdf"


def test_hours_certificate_bad_year_is_refused(
    qtbot,  # noqa: ANN001
    monkeypatch: pytest.MonkeyPatch,
    demo_db: dict[str, int],
) -> None:
    errors: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, _t=None: errors.append(text))
    trainee = list_trainees(demo_db["已结业"])[0]
    host_parent = HoursView()
    qtbot.addWidget(host_parent)
    host = PreviewHost(host_parent)
    finish(qtbot, preview_hours_certificate(host, trainee.cadre_id, trainee.name, 1900))
    assert errors == ["年度应在 1949–2100 之间，现为 1900"]
    assert host.dialog is None


# ============================================================================ numbering dialog


def _serial_dialog() -> QDialog:
    found = [w for w in QApplication.topLevelWidgets() if w.objectName() == "ask_serial"]
    assert len(found) == 1
    return found[0]  # type: ignore[return-value]


@pytest.mark.parametrize("accept", [True, False])
def test_ask_serial_returns_the_typed_values(qtbot, accept: bool) -> None:  # noqa: ANN001
    def answer() -> None:
        dlg = _serial_dialog()
        dlg.findChild(QLineEdit).setText("  白银党校〔2026〕-  ")
        dlg.findChild(QSpinBox).setValue(21)
        if accept:
            dlg.accept()
        else:
            dlg.reject()

    QTimer.singleShot(0, answer)
    got = messages.ask_serial(None, "结业证书编号", "说明", "〔2026〕第1班-", 1)
    assert got == (("白银党校〔2026〕-", 21) if accept else None)


# ============================================================================ 一班一档


def test_the_class_file_opens_in_the_preview_with_every_part(
    qtbot,  # noqa: ANN001
    view: TrainingView,
    demo_db: dict[str, int],
    private_tmp: Path,
) -> None:
    view.select_class(demo_db["已结业"])
    view.printer.update_actions()
    assert view.printer.class_file_action.isEnabled()
    finish(qtbot, view.printer.preview_class_file())
    dialog = shown(qtbot, view.printer.dialog)
    assert dialog.preview.file_name == f"{FINISHED_NAME}_一班一档.pdf"
    text = all_text(dialog)
    for part in ("一、班次概况", "二、课程表", "三、学员名册", "四、签到表", "五、考勤汇总与学时",
                 "六、结业证书名单"):  # fmt: skip
        assert part in text
    assert page_text(dialog, 0).startswith(FINISHED_NAME)  # the title page
    assert list(private_tmp.iterdir()) == []
