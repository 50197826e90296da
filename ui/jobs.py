"""Run a models/reports function off the GUI thread, with progress and cancel.

The function is called as ``fn(*args, progress=..., cancelled=..., **kwargs)`` where
``progress(done, total, text)`` reports how far it got and ``cancelled()`` says whether the
user pressed 取消. Results come back on the GUI thread through ``on_success(result)`` /
``on_failure(exc)``. A progress dialog appears only when a job runs longer than
:data:`SHOW_AFTER_MS`, so quick work never flashes a window (the Anki pattern).

There is ONE worker thread: SQLite has one writer and reportlab is not thread-safe, so jobs
run one after another. peewee keeps one connection per thread; the worker's connection is
closed when each job ends.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QProgressDialog, QWidget

from models.core.db import OperationalError, db, write_transaction
from models.core.errors import DomainError
from models.core.progress import Cancelled, Progress
from ui import messages

log = logging.getLogger(__name__)

SHOW_AFTER_MS = 600
_THROTTLE_S = 0.05


#: a screen whose data has more rows than this reads it in the background (quiet job), usable
#: meanwhile and saying so; smaller ones read at once (about 0.3 s at 5,000 rows)
BACKGROUND_ROWS = 5000


def _tr(text: str) -> str:
    return QCoreApplication.translate("jobs", text)


def _close_thread_connection() -> None:
    try:
        if db.obj is not None and not db.is_closed():
            db.close()
    except Exception:
        log.exception("closing the worker's database connection failed")


class _Runnable(QRunnable):
    """Runs a job's work on the pool thread and lets go of the job there before saying it
    is done (``released``): the job's C++ object is deleted on the GUI thread only after
    that, so the pool thread never drops the last reference to a deleted object."""

    def __init__(self, work: Callable[[], None], released: threading.Event) -> None:
        super().__init__()
        self._work: Callable[[], None] | None = work
        self._released = released

    def run(self) -> None:
        work, self._work = self._work, None
        try:
            if work is not None:
                work()
        finally:
            del work
            self._released.set()


class Job(QObject):
    """One queued or running job. Lives on the GUI thread; its signals are emitted by the
    worker and delivered queued to the slots below."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object, str)
    finished = Signal()  # after the callbacks ran, whatever the outcome

    def __init__(
        self,
        runner: JobRunner,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        *,
        title: str,
        parent_widget: QWidget | None,
        on_success: Callable[[Any], None] | None,
        on_failure: Callable[[BaseException], None] | None,
        on_cancelled: Callable[[], None] | None,
        quiet: bool = False,
    ) -> None:
        super().__init__(runner)
        self.quiet = quiet
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.title = title
        self.parent_widget = parent_widget
        self.on_success, self.on_failure, self.on_cancelled = on_success, on_failure, on_cancelled
        self.done = False
        self._cancel = threading.Event()
        self.released = threading.Event()  # the pool thread holds no reference any more
        self._last_emit = 0.0
        self._dialog: QProgressDialog | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show_dialog)
        self.progressed.connect(self._on_progress)
        self.succeeded.connect(self._on_succeeded)
        self.failed.connect(self._on_failed)
        self._state = (0, 0, title)

    # -- called on the worker thread ------------------------------------------------------

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, done: int, total: int, text: str = "") -> None:
        now = time.monotonic()
        if done >= total or now - self._last_emit >= _THROTTLE_S:
            self._last_emit = now
            self.progressed.emit(int(done), int(total), text)

    def _work(self) -> None:
        result: Any = None
        error: BaseException | None = None
        details = ""
        try:
            result = self.fn(
                *self.args, progress=self._progress, cancelled=self.cancelled, **self.kwargs
            )
        except BaseException as exc:  # handed to the GUI thread, never swallowed
            error, details = exc, traceback.format_exc()
        finally:
            _close_thread_connection()
        if error is None:
            self.succeeded.emit(result)
        else:
            self.failed.emit(error, details)

    # -- GUI thread -----------------------------------------------------------------------

    def cancel(self) -> None:
        self._cancel.set()
        if self._dialog is not None:
            self._dialog.setLabelText(_tr("正在取消…"))

    def start_timer(self) -> None:
        if not self.quiet:
            self._timer.start(SHOW_AFTER_MS)

    @Slot()
    def _show_dialog(self) -> None:
        if self.done:
            return
        dlg = QProgressDialog(self.parent_widget)
        dlg.setWindowTitle(self.title)
        dlg.setObjectName("job_progress")
        dlg.setCancelButtonText(_tr("取消"))
        dlg.setMinimumDuration(0)
        dlg.setAutoClose(False)
        dlg.setAutoReset(False)
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.setMinimumWidth(360)
        dlg.canceled.connect(self.cancel)
        self._dialog = dlg
        self._apply_state()
        dlg.show()

    def _apply_state(self) -> None:
        if self._dialog is None:
            return
        done, total, text = self._state
        self._dialog.setMaximum(max(total, 0))  # 0 → busy indicator
        self._dialog.setValue(min(done, total) if total > 0 else 0)
        if not self._cancel.is_set():
            self._dialog.setLabelText(text or self.title)

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, text: str) -> None:
        self._state = (done, total, text)
        self._apply_state()

    def _end(self) -> None:
        self.done = True
        self._timer.stop()
        if self._dialog is not None:
            self._dialog.hide()
            self._dialog.deleteLater()
            self._dialog = None

    def _screen_gone(self) -> bool:
        """Whether the screen that started the job was closed (its C++ object deleted) while
        the job ran: its callbacks would touch deleted widgets, so they are skipped."""
        return self.parent_widget is not None and not shiboken6.isValid(self.parent_widget)

    @Slot(object)
    def _on_succeeded(self, result: object) -> None:
        self._end()
        try:
            # the function returned normally, so its work is done (and committed) even if the
            # user pressed 取消 too late for it to notice: report what happened, not the click
            if self.on_success and not self._screen_gone():
                self.on_success(result)
        finally:
            self._finish()

    @Slot(object, str)
    def _on_failed(self, error: BaseException, details: str) -> None:
        self._end()
        try:
            if self._screen_gone():
                log.info("job %r ended after its screen was closed: %r", self.title, error)
            elif self._cancel.is_set():  # whatever the function raised to stop early
                log.info("job %r cancelled (%s)", self.title, type(error).__name__)
                if self.on_cancelled:
                    self.on_cancelled()
            elif self.on_failure:
                self.on_failure(error)
            elif isinstance(error, DomainError):
                messages.error(self.parent_widget, str(error), self.title)
            elif (busy := busy_database_message(error, self.title)) is not None:
                log.warning("job %r: %s", self.title, error)
                messages.error(self.parent_widget, busy, self.title)
            else:
                log.error("job %r failed:\n%s", self.title, details)
                messages.critical(
                    self.parent_widget,
                    _tr("“{title}”没有完成：{error}").format(title=self.title, error=error),
                    details,
                )
        finally:
            self._finish()

    def _finish(self) -> None:
        self.finished.emit()
        runner = self.parent()
        if isinstance(runner, JobRunner):
            runner._forget(self)
        # the worker emitted its result a moment ago and is letting go of this job now:
        # deleted before that, the pool thread would release a deleted object
        self.released.wait(10)
        self.deleteLater()


class JobRunner(QObject):
    """A single serialised background worker."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._jobs: list[Job] = []

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        title: str,
        parent_widget: QWidget | None = None,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        quiet: bool = False,
        **kwargs: Any,
    ) -> Job:
        """Queue ``fn``; returns the Job (its ``finished`` signal fires after the callbacks).
        ``quiet``: no progress dialog, however long it takes (a screen's data read in the
        background while the screen stays usable and says it is reading)."""
        job = Job(self, fn, args, kwargs, title=title, parent_widget=parent_widget,
                  on_success=on_success, on_failure=on_failure,
                  on_cancelled=on_cancelled, quiet=quiet)  # fmt: skip
        self._jobs.append(job)
        job.start_timer()
        self._pool.start(_Runnable(job._work, job.released))
        return job

    def _forget(self, job: Job) -> None:
        if job in self._jobs:
            self._jobs.remove(job)

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def cancel_all(self) -> None:
        for job in list(self._jobs):
            job.cancel()

    def wait(self, msecs: int = -1) -> bool:
        """Block until the worker is idle (call before closing a window or the database)."""
        return self._pool.waitForDone(msecs)


def in_one_transaction(
    fn: Callable[..., Any],
    *args: Any,
    progress: Progress,
    cancelled: Callable[[], bool],
    **kwargs: Any,
) -> Any:
    """Job function for a models service that takes no progress or cancel hooks:
    ``fn(*args, **kwargs)`` inside one transaction (the service's own becomes a savepoint).
    取消 pressed before the transaction commits rolls it all back (Cancelled: the job
    reports a cancel and nothing is written); pressed later it is too late, and the job
    reports the work as done."""
    if cancelled():
        raise Cancelled()
    progress(0, 0, "")  # no steps to count: a busy indicator
    with write_transaction():  # the write lock at once (a read overtaken could not write)
        result = fn(*args, **kwargs)
        if cancelled():
            raise Cancelled()  # leaving the block by an exception rolls back
    return result


_runner: JobRunner | None = None


def runner() -> JobRunner:
    """The application's one worker (created on first use, parented to the QApplication)."""
    global _runner
    if _runner is None:
        _runner = JobRunner(QCoreApplication.instance())
    return _runner


def busy_database_message(error: BaseException, title: str) -> str | None:
    """What to tell the user when ``error`` is SQLite's "database is locked" (another writer
    held it past busy_timeout) while doing ``title``; None for any other error."""
    if not (isinstance(error, OperationalError) and "locked" in str(error).lower()):
        return None
    return _tr(
        "数据库正被其他操作（或另一台电脑）占用，“{title}”没有保存任何内容，请稍后重试"
    ).format(title=title)
