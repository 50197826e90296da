"""Background jobs: results on the GUI thread, failures reported, cancel, one worker."""

from __future__ import annotations

import threading

import openpyxl
import pytest
from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

from models.core.db import db
from models.core.errors import DomainError
from models.core.progress import Cancelled
from models.roster import service as roster
from ui import jobs, messages
from ui.roster.roster_view import RosterView


@pytest.fixture
def runner(qapp):
    r = jobs.JobRunner()
    yield r
    r.cancel_all()
    r.wait(10_000)


def test_result_arrives_on_the_gui_thread(qtbot, runner, people):
    seen: dict[str, object] = {}

    def work(*, progress, cancelled):  # noqa: ANN001, ANN202
        seen["worker_is_gui"] = QThread.currentThread() is QApplication.instance().thread()
        progress(1, 1, "")
        return roster.count_cadres()

    def done(result: object) -> None:
        seen["result"] = result
        seen["callback_is_gui"] = QThread.currentThread() is QApplication.instance().thread()

    job = runner.run(work, title="计数", on_success=done)
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert seen == {"worker_is_gui": False, "result": 6, "callback_is_gui": True}


def test_worker_connection_is_closed_after_each_job(qtbot, runner, people):
    def use_db(*, progress, cancelled):  # noqa: ANN001, ANN202
        return roster.count_cadres("在职")

    def closed_at_start(*, progress, cancelled):  # noqa: ANN001, ANN202
        return db.is_closed()  # per-thread state of the same (only) worker thread

    results: list[object] = []
    runner.run(use_db, title="a", on_success=results.append)
    job = runner.run(closed_at_start, title="b", on_success=results.append)
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert results == [5, True]


def test_domain_error_goes_to_failure_callback(qtbot, runner):
    def boom(*, progress, cancelled):  # noqa: ANN001, ANN202
        raise DomainError("第 3 行：身份证号重复")

    failures: list[str] = []
    job = runner.run(
        boom,
        title="导入",
        on_success=lambda r: failures.append("ok?"),
        on_failure=lambda e: failures.append(str(e)),
    )
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert failures == ["第 3 行：身份证号重复"]


def test_unexpected_error_without_callback_is_shown(qtbot, runner, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(messages, "critical", lambda p, text, details="": shown.append(text))

    def boom(*, progress, cancelled):  # noqa: ANN001, ANN202
        raise ZeroDivisionError("division by zero")

    job = runner.run(boom, title="统计")
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert shown == ["“统计”没有完成：division by zero"]


def test_quick_job_never_shows_a_progress_dialog(qtbot, runner):
    job = runner.run(lambda *, progress, cancelled: 1, title="快")
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert not [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QProgressDialog) and w.isVisible()
    ]


def test_slow_job_shows_progress_and_cancel_stops_it(qtbot, runner):
    gate = threading.Event()
    outcome: list[str] = []

    def slow(*, progress, cancelled):  # noqa: ANN001, ANN202
        progress(3, 10, "正在处理第 3 条")
        while not cancelled():
            gate.wait(0.01)
        raise Cancelled()

    job = runner.run(
        slow,
        title="慢任务",
        on_success=lambda r: outcome.append("ok"),
        on_cancelled=lambda: outcome.append("cancelled"),
    )

    def dialog() -> QProgressDialog:
        found = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QProgressDialog) and w.isVisible()
        ]
        assert found
        return found[0]

    qtbot.waitUntil(lambda: dialog().labelText() == "正在处理第 3 条", timeout=10_000)
    assert dialog().value() == 3
    assert dialog().maximum() == 10
    cancel_button = dialog().findChild(QPushButton)
    assert cancel_button.text() == "取消"
    with qtbot.waitSignal(job.finished, timeout=10_000):
        qtbot.mouseClick(cancel_button, Qt.MouseButton.LeftButton)
    assert outcome == ["cancelled"]


def test_jobs_run_one_at_a_time(qtbot, runner):
    active = 0
    peak = 0
    lock = threading.Lock()

    def work(*, progress, cancelled):  # noqa: ANN001, ANN202
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        for _ in range(1000):
            pass
        with lock:
            active -= 1

    last = None
    for _ in range(5):
        last = runner.run(work, title="x")
    with qtbot.waitSignal(last.finished, timeout=10_000):
        pass
    assert peak == 1


def test_export_writes_the_rows_shown_in_order(qtbot, people, tmp_path, monkeypatch):
    view = RosterView()
    qtbot.addWidget(view)
    view.level_combo.setCurrentIndex(view.level_combo.findText("全部"))
    view.search.setText("z")  # 张三, 周志强, 赵敏 (initials start with z)
    view.apply_filter()
    view.table.horizontalHeader().setSortIndicator(
        view.model.column_of("birth"), view.table.horizontalHeader().sortIndicatorOrder()
    )
    expected = ["周志强", "张三", "赵敏"]  # by birth: 1968, 1975, 1990
    dest = tmp_path / "out" / "名册"
    monkeypatch.setattr(messages, "save_file", lambda *a, **k: dest)
    infos: list[str] = []
    monkeypatch.setattr(messages, "info", lambda p, title, text: infos.append(text))

    job = view.export_xlsx()
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=20_000):
        pass
    written = dest.with_name("名册.xlsx")  # the extension is added
    assert infos
    assert "已导出 3 人" in infos[0]
    ws = openpyxl.load_workbook(written, read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    header = list(rows[1])
    name_col, id_col = header.index("姓名"), header.index("身份证号")
    assert [r[name_col] for r in rows[2:]] == expected
    assert rows[3][id_col] == roster.get_cadre(people["张三"]).id_card  # text, not a number


def test_work_that_finished_is_reported_even_if_cancel_came_too_late(qtbot, runner):
    """A function that returns normally has done (and committed) its work: the user must be
    told so, not that it was cancelled."""
    started, release = threading.Event(), threading.Event()
    outcome: list[object] = []

    def unstoppable(*, progress, cancelled):  # noqa: ANN001, ANN202
        started.set()
        release.wait(10)
        return "saved"

    job = runner.run(
        unstoppable,
        title="计算等次",
        on_success=outcome.append,
        on_cancelled=lambda: outcome.append("cancelled"),
    )
    assert started.wait(10)
    job.cancel()
    with qtbot.waitSignal(job.finished, timeout=10_000):
        release.set()
    assert outcome == ["saved"]


def test_a_busy_database_is_explained_in_chinese(qtbot, runner, monkeypatch):
    from peewee import OperationalError

    shown: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, *_a: shown.append(text))

    def write(*, progress, cancelled):  # noqa: ANN001, ANN202
        raise OperationalError("database is locked")

    job = runner.run(write, title="保存评分")
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert shown == [
        "数据库正被其他操作（或另一台电脑）占用，“保存评分”没有保存任何内容，请稍后重试"
    ]


def test_a_screen_closed_while_its_job_runs_gets_no_callback(qtbot, runner) -> None:
    """The job's result arrives after its screen was closed (deleted): its callbacks, which
    would touch deleted widgets, are skipped, and nothing is raised."""
    import shiboken6
    from PySide6.QtWidgets import QWidget

    gate = threading.Event()
    screen = QWidget()
    called: list[object] = []

    def work(*, progress, cancelled):  # noqa: ANN001, ANN202
        gate.wait(10)
        return 1

    job = runner.run(work, title="统计", parent_widget=screen, on_success=called.append,
                     on_failure=called.append, quiet=True)  # fmt: skip
    shiboken6.delete(screen)
    gate.set()
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert called == []
