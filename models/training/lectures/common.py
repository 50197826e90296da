"""What the 领导干部讲坛 use cases share: the statuses of a lecture and of a cadre's attendance,
reading a series or a lecture (locked on a server while its attendance or ledger lines are
written), the names used in messages, and the 学时 a lecture credits.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from models.core.audit import record_changes
from models.core.concurrency import conflict, update_versioned
from models.core.dates import as_date
from models.core.db import is_server
from models.core.errors import NotFoundError
from models.training import hours as hr
from models.training.tables import Lecture, LectureSeries, stored_hours

PLANNED = "筹备"
HELD = "已举办"  # its 学时 are in the ledger
LECTURE_STATUSES: tuple[str, ...] = (PLANNED, HELD)

ATTENDED = "出勤"
EXCUSED = "请假"
ABSENT = "缺席"
ATTENDANCE_STATUSES: tuple[str, ...] = (ATTENDED, EXCUSED, ABSENT)
UNRECORDED = hr.UNRECORDED

LEDGER_KIND = hr.LECTURE_SERIES
LEDGER_PREFIX = "领导干部讲坛："  # the ledger line's title: 领导干部讲坛：<lecture title>

SERIES_ENTITY = "lecture_series"
LECTURE_ENTITY = "lecture"
ATTENDANCE_ENTITY = "lecture_attendance"
LEDGER_ENTITY = "hours_entry"

MAX_HOURS = Decimal(24)  # one lecture credits at most a day's 学时


def series_row(series_id: int) -> LectureSeries:
    """The series' row; NotFoundError when it is gone."""
    s = LectureSeries.get_or_none(LectureSeries.id == series_id)
    if s is None:
        raise NotFoundError(f"找不到编号为 {series_id} 的讲坛系列，可能已被删除")
    return s


def lecture_row(lecture_id: int, *, lock: bool = False) -> Lecture:
    """The lecture's row; NotFoundError when it is gone. With ``lock``, on a server, the row
    stays locked until the use case's transaction ends (SELECT … FOR UPDATE): two clerks
    registering attendance or 学时 of one lecture take turns, so its ledger lines are never
    written twice. (A SQLite file has one writer at a time already.)"""
    q = Lecture.select().where(Lecture.id == lecture_id)
    if lock and is_server():
        q = q.for_update()
    row = q.first()
    if row is None:
        raise NotFoundError(f"找不到编号为 {lecture_id} 的讲坛讲座，可能已被删除")
    return row


def lecture_name(lecture: Lecture) -> str:
    """How messages name a lecture: 讲坛《…》（2027-03-05）."""
    return f"讲坛《{lecture.title}》（{as_date(lecture.day).isoformat()}）"


def credit_hours(lecture: Lecture, series: LectureSeries) -> Decimal:
    """学时 one attended lecture credits: its own, else the series' hours_per_lecture."""
    value = lecture.hours if lecture.hours is not None else series.hours_per_lecture
    return stored_hours(Decimal(value))


def ledger_title(title: str) -> str:
    """The title of the ledger line of a lecture attended (the column holds 200 characters)."""
    return (LEDGER_PREFIX + title)[:200]


def store_row(
    model: Any,
    entity: str,
    row_id: int | None,
    expected: int | None,
    values: dict[str, object],
    *,
    record: str,
    audit: Callable[[Any], dict[str, object]],
    user: str,
) -> int:
    """Insert (``row_id`` None) or update a series or lecture row and log the change. An
    update carries the version the screen read (``expected``; None: the one read here) and
    is refused with who and when (ConflictError) when it is no longer so."""
    if row_id is None:
        new_id = int(model.insert(**values).execute())
        record_changes(entity, new_id, "新增", {}, audit(model.get_by_id(new_id)), user=user)
        return new_id
    old = model.get_or_none(model.id == row_id)
    if old is None:
        if expected is not None:
            raise conflict(record, entity, row_id, deleted=True)
        raise NotFoundError(f"找不到{record}，可能已被删除")
    before = audit(old)
    want = old.version if expected is None else expected
    update_versioned(model, row_id, want, values, record=record, entity=entity)
    record_changes(entity, row_id, "修改", before, audit(model.get_by_id(row_id)), user=user)
    return row_id


def remove_row(
    model: Any,
    entity: str,
    row: Any,
    expected: int | None,
    *,
    record: str,
    audit: dict[str, object],
    user: str,
) -> None:
    """Delete ``row`` when it is still at the version the screen read (``expected``; None:
    as read here) and log it; else the ConflictError saying who changed it, and when."""
    want = row.version if expected is None else expected
    if model.delete().where((model.id == row.id) & (model.version == want)).execute() != 1:
        gone = not model.select().where(model.id == row.id).exists()
        raise conflict(record, entity, row.id, deleted=gone)
    record_changes(entity, row.id, "删除", audit, {}, user=user)


__all__ = [
    "ABSENT",
    "ATTENDANCE_ENTITY",
    "ATTENDANCE_STATUSES",
    "ATTENDED",
    "EXCUSED",
    "HELD",
    "LECTURE_ENTITY",
    "LECTURE_STATUSES",
    "LEDGER_ENTITY",
    "LEDGER_KIND",
    "LEDGER_PREFIX",
    "MAX_HOURS",
    "PLANNED",
    "SERIES_ENTITY",
    "UNRECORDED",
    "credit_hours",
    "ledger_title",
    "remove_row",
    "store_row",
    "lecture_name",
    "lecture_row",
    "series_row",
]
