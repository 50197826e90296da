"""Ten classes planned at the same time by ten clients (threads, each with its own database
connection) over the same teachers, rooms and field-study sites: every class gets a plan and
no teacher, room or site is in two places at once. On PostgreSQL the planners take an
advisory lock; on SQLite the write transaction lets one in at a time."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

from models.core.db import db
from models.training import (
    ClassInput,
    CourseInput,
    TeacherInput,
    class_clashes,
    class_shares,
    list_sessions,
    plan_class_timetable,
    save_class,
    save_course,
    save_room,
    save_site,
    save_teacher,
)
from models.training import planner as tt
from models.training.tables import TRAINING_TABLES

MON, FRI = dt.date(2026, 3, 2), dt.date(2026, 3, 6)
CLASSES = 10


def _library() -> None:
    """15 teachers with two lectures each, 6 sites a day's drive apart, 12 rooms and 10
    discussion formats: enough for ten one-week classes, but only if they share."""
    teachers = [save_teacher(TeacherInput(f"教师{k:02d}", "党校教师")).id for k in range(15)]
    for k in range(12):
        save_room(f"第{k + 1}教室", 50)
    sites = [save_site(f"现场教学点{k}").id for k in range(6)]
    for k in range(30):
        block = f"专题{k % 10}"
        save_course(
            CourseInput(f"讲课{k:02d}", tt.LECTURE, 1, teacher_id=teachers[k % 15], block=block)
        )
    for k, site in enumerate(sites):
        save_course(CourseInput(f"现场教学{k}", tt.FIELD_STUDY, 2, site_id=site, repeatable=True))
    for k in range(10):
        save_course(CourseInput(f"研讨{k}", tt.DISCUSSION, 1, follows=f"专题{k}", repeatable=True))


def test_ten_classes_planned_at_once_share_no_teacher_room_or_site(database, units):
    database.create_tables(TRAINING_TABLES)
    _library()
    ids = [
        save_class(ClassInput(name=f"{k + 1}班", start=MON, end=FRI, class_size=40)).id
        for k in range(CLASSES)
    ]
    failures: list[str] = []
    start = threading.Barrier(CLASSES)

    def plan(cid: int) -> None:
        try:
            start.wait()
            plan_class_timetable(cid)
        except Exception as exc:  # noqa: BLE001 - reported below with the class
            failures.append(f"{cid}: {exc}")
        finally:
            db.close()  # this thread's own connection

    threads = [threading.Thread(target=plan, args=(cid,)) for cid in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert failures == []
    sessions = [s for cid in ids for s in list_sessions(cid)]
    assert {s.class_id for s in sessions} == set(ids)  # every class got its plan
    for attr in ("teacher_id", "room_id", "site_id"):
        used = Counter(
            (getattr(s, attr), s.day, s.slot) for s in sessions if getattr(s, attr) is not None
        )
        double = {k: n for k, n in used.items() if n > 1}
        assert double == {}, attr
    for cid in ids:
        assert class_clashes(cid) == ()
        assert all(s.within_tolerance for s in class_shares(cid)), cid
