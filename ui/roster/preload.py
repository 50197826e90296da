"""The roster's first list read on a thread while the main window is being built.

At 50,000 cadres the roster's ordered ids take about 0.1 s of SQL (the rows sorted by unit,
职务层次, 职级 and birth date), which the window would otherwise wait for after building its
widgets. The main window starts this read before it builds anything (:func:`start`) and the
roster model takes its result for its first filter (:func:`take`), waiting for it if need be.
SQLite sorts with the interpreter released and hands the ids back in one row
(models.roster.service.query_ids), so the read runs beside the building on a second core.

The thread has its own database connection (peewee keeps one per thread) and closes it when
done. A result is used only by the first filter it was read for; when the read failed, the
model reads again itself, so an error reaches the user as it always did.
"""

from __future__ import annotations

import logging
import threading

from models.core.db import db, worker_target
from models.roster import RosterFilter
from models.roster import service as roster

log = logging.getLogger(__name__)

__all__ = ["start", "take"]


class _Read:
    def __init__(self, f: RosterFilter) -> None:
        self.filter = f
        self.ids: list[int] | None = None
        self.thread = threading.Thread(target=self._run, name="roster-preload", daemon=True)

    def _run(self) -> None:
        try:
            self.ids = roster.query_ids(self.filter)
        except Exception:  # the model reads again on the GUI thread and reports it there
            log.warning("reading the roster ahead of the window failed", exc_info=True)
        finally:
            try:
                if db.obj is not None and not db.is_closed():
                    db.close()  # this thread's own connection
            except Exception:
                log.exception("closing the roster preload's connection failed")


_pending: _Read | None = None


def start(f: RosterFilter | None = None) -> None:
    """Start reading the ids of ``f`` (the roster's first filter by default) on a thread;
    nothing when a read is already pending, or for an in-memory database (which another
    connection would see empty)."""
    global _pending
    if _pending is not None or worker_target() is None:
        return
    _pending = _Read(f if f is not None else RosterFilter())
    _pending.thread.start()


def take(f: RosterFilter) -> list[int] | None:
    """The ids read ahead for ``f`` (waiting for the read to end), or None when none were
    read for it. A pending read is used up by the first call, whatever its filter."""
    global _pending
    read, _pending = _pending, None
    if read is None:
        return None
    read.thread.join()
    return read.ids if read.filter == f else None
