"""The demo training data: three classes with consistent timetables, attendance and 学时."""

from __future__ import annotations

import datetime as dt

from models.core.db import close_database
from models.demo import build_demo
from models.schema import open_database
from models.training import class_clashes, class_credits, class_shares, list_classes
from models.training import hours as hr
from models.training.tables import Attendance, ClassSession, Enrolment, HoursEntry

TODAY = dt.date(2026, 11, 18)  # a Wednesday


def test_demo_creates_three_consistent_classes(tmp_path):
    path = tmp_path / "demo.db"
    build_demo(path, cadres=300, today=TODAY)  # includes add_demo_training(TODAY, seed)
    open_database(path)
    try:
        ids = {c.status: c.id for c in list_classes()}
        classes = {c.status: c for c in list_classes()}
        assert set(classes) == {"已结业", "进行中", "筹备"}
        assert classes["已结业"].end < TODAY
        assert classes["进行中"].start <= TODAY <= classes["进行中"].end
        assert classes["筹备"].start > TODAY
        # no teacher, room or site is booked twice at one half-day, across all classes
        for attr in ("teacher", "room", "site"):
            seen: set[tuple[int, dt.date, str]] = set()
            for s in ClassSession.select():
                rid = getattr(s, f"{attr}_id")
                if rid is None:
                    continue
                key = (rid, s.day, s.slot)
                assert key not in seen, (attr, key)
                seen.add(key)
        for cid in ids.values():
            assert class_clashes(cid) == ()
            assert all(s.within_tolerance for s in class_shares(cid))
            assert Enrolment.select().where(Enrolment.training_class == cid).count() > 0
        done, running, planned = ids["已结业"], ids["进行中"], ids["筹备"]
        # finished: every trainee has a record for every session and a ledger line
        n_done = Enrolment.select().where(Enrolment.training_class == done).count()
        sessions_done = ClassSession.select().where(ClassSession.training_class == done)
        records = Attendance.select().join(ClassSession).where(ClassSession.training_class == done)
        assert records.count() == n_done * sessions_done.count() == n_done * 30
        ledger = HoursEntry.select().where(HoursEntry.source_class == done)
        assert ledger.count() == n_done
        credited = {c.cadre_id: c.credited_hours for c in class_credits(done)}
        assert {e.cadre_id: e.hours for e in ledger} == credited
        assert any(c.review for c in class_credits(done))  # the trainee with five leaves
        # running: attendance only before today; planned: none
        days = {
            s.day
            for s in ClassSession.select()
            .join(Attendance)
            .where(ClassSession.training_class == running)
        }
        assert days
        assert max(days) < TODAY
        assert (
            Attendance.select().join(ClassSession).where(ClassSession.training_class == planned)
        ).count() == 0
        kinds = {e.kind for e in HoursEntry.select()}
        assert kinds == {
            hr.CLASS_TRAINING, hr.ONLINE_STUDY, hr.OUTSIDE_TRAINING, hr.LECTURE_SERIES
        }  # fmt: skip
    finally:
        close_database()


def test_demo_classes_built_in_december_end_before_new_year(tmp_path):
    """Built on 2026-12-07, the 筹备 class starts on Mon 12-14 and would end on 元旦; it ends
    on Thu 12-31 instead, and no class of the demo teaches on a holiday."""
    from models.calendar import class_days

    path = tmp_path / "demo.db"
    build_demo(path, cadres=120, today=dt.date(2026, 12, 7))
    open_database(path)
    try:
        planned = next(c for c in list_classes() if c.status == "筹备")
        assert (planned.start, planned.end) == (dt.date(2026, 12, 14), dt.date(2026, 12, 31))
        for c in list_classes():
            off = class_days(c.start, c.end)
            assert not off.is_off(c.start), c.name
            assert not off.is_off(c.end), c.name
            rows = ClassSession.select().where(ClassSession.training_class == c.id)
            days = {s.day for s in rows}
            assert not {d for d in days if off.is_off(d)}, c.name
    finally:
        close_database()
