"""What start-up leaves until the window is on screen (ui.app): the work runs once, after the
first paint, and the print fonts are registered on the worker, not on the GUI thread."""

from __future__ import annotations

import logging
import threading
from types import SimpleNamespace

from PySide6.QtWidgets import QWidget

from ui import app as ui_app
from ui import jobs


def test_the_work_waits_for_the_first_frame_and_runs_once(qtbot):
    done: list[str] = []
    w = QWidget()
    qtbot.addWidget(w)
    ui_app.AfterFirstFrame(w, lambda: done.append("x"))
    qtbot.wait(50)
    assert done == []  # not shown yet: nothing painted
    w.resize(300, 200)
    w.show()
    qtbot.waitUntil(lambda: done == ["x"])
    w.update()
    w.repaint()
    qtbot.wait(50)
    assert done == ["x"]  # a later paint does not run it again


def test_a_window_that_never_paints_still_gets_it(qtbot, monkeypatch):
    monkeypatch.setattr(ui_app, "FIRST_FRAME_FALLBACK_MS", 50)
    done: list[str] = []
    w = QWidget()  # never shown
    qtbot.addWidget(w)
    ui_app.AfterFirstFrame(w, lambda: done.append("x"))
    qtbot.waitUntil(lambda: done == ["x"], timeout=2000)


def test_print_fonts_are_registered_on_the_worker(qtbot, monkeypatch, caplog):
    from reports.common import fonts
    from ui.settings import settings

    settings().print_font = "/fonts/mine.ttf"
    seen: list[tuple[str | None, bool]] = []

    def setup(user_font=None):  # noqa: ANN001, ANN202
        seen.append((user_font, threading.current_thread() is threading.main_thread()))
        return SimpleNamespace(warning="找不到字体 mine.ttf，改用系统字体")

    monkeypatch.setattr(fonts, "setup_fonts", setup)
    with caplog.at_level(logging.WARNING):
        job = ui_app.start_print_fonts()
        with qtbot.waitSignal(job.finished, timeout=10_000):
            pass
    jobs.runner().wait(10_000)
    assert seen == [("/fonts/mine.ttf", False)]  # the chosen font, off the GUI thread
    assert "找不到字体 mine.ttf" in caplog.text
