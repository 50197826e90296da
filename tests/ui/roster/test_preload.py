"""The roster's list read on a thread while the main window is built (ui.roster.preload): the
window shows the same people in the same order as a read on the GUI thread, a read made for
another filter is not used, and a change made after the read is never hidden by it."""

from __future__ import annotations

import threading

from models.roster import RosterFilter
from models.roster import service as roster
from ui.main_window import MainWindow
from ui.roster import preload
from ui.roster.roster_model import RosterModel


def test_the_window_shows_the_list_read_ahead(qtbot, people, db_path, monkeypatch):
    threads: list[str] = []
    real = roster.query_ids

    def spy(f, units=None):  # noqa: ANN001, ANN202
        threads.append(threading.current_thread().name)
        return real(f, units)

    monkeypatch.setattr(roster, "query_ids", spy)
    w = MainWindow(db_path)
    qtbot.addWidget(w)
    model = w.roster_view.model
    assert threads == ["roster-preload"]  # read once, on the thread, not again by the model
    assert model.ids == real(RosterFilter())  # 在职, in roster order
    assert model.rowCount() == 5
    assert w.roster_view.count_label.text() == "共 5 人"


def test_a_read_for_another_filter_is_not_used(qtbot, people, db_path):
    preload.start(RosterFilter(status=""))  # everybody, 调离 and 退休 too
    model = RosterModel()
    model.set_filter(RosterFilter())  # the roster's first filter: 在职 only
    assert model.ids == roster.query_ids(RosterFilter())
    assert len(model.ids) == 5
    assert preload.take(RosterFilter(status="")) is None  # used up by the first filter


def test_a_change_after_the_first_filter_is_read_anew(qtbot, people, db_path):
    preload.start()
    model = RosterModel()
    model.set_filter(RosterFilter())
    roster.delete_cadre(people["赵敏"])
    model.refresh()  # not the list read ahead: that one is gone
    assert people["赵敏"] not in model.ids
    assert len(model.ids) == 4


def test_no_thread_for_an_in_memory_database(qtbot, monkeypatch):
    from models.core.db import close_database
    from models.schema import open_database

    open_database(":memory:")  # another connection would see an empty database
    try:
        started: list[object] = []
        monkeypatch.setattr(threading.Thread, "start", lambda self: started.append(self))
        preload.start()
        assert started == []
        assert preload.take(RosterFilter()) is None
    finally:
        close_database()
