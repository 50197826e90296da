"""登记学时 of a 领导干部讲坛 lecture: each cadre marked 出勤 gets one ledger line
(HoursEntry kind 领导干部讲坛, the lecture's 学时 or the series' default, titled
“领导干部讲坛：<title>”, linked to the lecture), and the lecture becomes 已举办.

The ledger always follows the lecture: :func:`sync_lecture_ledger` compares the lines the
lecture should have with those it has and deletes or adds only the difference, each in the
change log with the reason. So registering again never counts twice, and a correction of
attendance, of the lecture's 学时, date or title, or of the series' default updates the
ledger at once. 撤销学时登记 (with a reason) takes the lines out and sets the lecture back to
筹备.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from models.accounts import Permission, require
from models.core.audit import current_user, record_changes
from models.core.dates import as_date
from models.core.db import write_transaction
from models.core.errors import DomainError
from models.training.classes import expect_version, write_versioned
from models.training.lectures.audience import audience_people, lecture_audience
from models.training.lectures.common import (
    ATTENDED,
    HELD,
    LECTURE_ENTITY,
    LEDGER_ENTITY,
    LEDGER_KIND,
    PLANNED,
    credit_hours,
    lecture_name,
    lecture_row,
    ledger_title,
)
from models.training.tables import HoursEntry, Lecture, LectureAttendance, LectureSeries


class IncompleteLectureAttendance(DomainError):
    """Some expected cadres have no attendance record; credit_lecture(allow_incomplete=True)
    goes on (they earn nothing)."""

    def __init__(self, message: str, missing: int) -> None:
        super().__init__(message, field="attendance")
        self.missing = missing


@dataclass(frozen=True)
class LedgerSync:
    """What one pass over a lecture's ledger lines did."""

    added: int
    removed: int
    lines: int  # the lecture's lines now
    total_hours: Decimal  # their 学时 together


@dataclass(frozen=True)
class LectureCreditResult:
    lecture_id: int
    entries: int  # ledger lines of the lecture now (one per cadre 出勤)
    total_hours: Decimal
    added: int  # lines written by this registration
    removed: int  # lines taken out (attendance or 学时 changed since the last one)
    unrecorded: int  # expected cadres without a record (they earn nothing)


def sync_lecture_ledger(lecture: Lecture, *, user: str, reason: str) -> LedgerSync:
    """Bring the lecture's ledger lines in line with its attendance: one line per cadre 出勤
    while the lecture is 已举办, none otherwise. Lines that are right stay as they are;
    the others are deleted or added, each logged with ``reason``. Call inside the use case's
    transaction, with the lecture locked (common.lecture_row(lock=True))."""
    series = LectureSeries.get_by_id(lecture.series_id)
    hours = credit_hours(lecture, series)
    day = as_date(lecture.day)
    title = ledger_title(lecture.title)
    want: set[int] = set()
    if lecture.status == HELD:
        want = {
            cid
            for (cid,) in LectureAttendance.select(LectureAttendance.cadre)
            .where(
                (LectureAttendance.lecture == lecture.id) & (LectureAttendance.status == ATTENDED)
            )
            .tuples()
        }
    have = list(
        HoursEntry.select().where(HoursEntry.source_lecture == lecture.id).order_by(HoursEntry.id)
    )
    kept: set[int] = set()
    gone: list[HoursEntry] = []
    for e in have:
        right = (
            e.cadre_id in want
            and e.cadre_id not in kept
            and e.kind == LEDGER_KIND
            and Decimal(e.hours) == hours
            and as_date(e.day) == day
            and e.title == title
        )
        if right:
            kept.add(e.cadre_id)
        else:
            gone.append(e)
    if gone:
        HoursEntry.delete().where(HoursEntry.id.in_([e.id for e in gone])).execute()
    for e in gone:
        record_changes(
            LEDGER_ENTITY,
            e.id,
            "删除",
            {
                "cadre_id": e.cadre_id,
                "day": e.day,
                "kind": e.kind,
                "hours": e.hours,
                "title": e.title,
            },
            {},
            user=user,
            reason=reason,
        )
    new = sorted(want - kept)
    for cid in new:
        eid = HoursEntry.insert(
            cadre=cid,
            year=day.year,
            day=day,
            kind=LEDGER_KIND,
            hours=hours,
            title=title,
            source_lecture=lecture.id,
        ).execute()
        record_changes(
            LEDGER_ENTITY,
            eid,
            "新增",
            {},
            {"cadre_id": cid, "day": day, "kind": LEDGER_KIND, "hours": hours, "title": title},
            user=user,
            reason=reason,
        )
    lines = len(want)
    return LedgerSync(len(new), len(gone), lines, hours * lines)


def credit_lecture(
    lecture_id: int,
    *,
    allow_incomplete: bool = False,
    expected_version: int | None = None,
    today: dt.date | None = None,
    user: str | None = None,
) -> LectureCreditResult:
    """登记学时: the lecture becomes 已举办 and every cadre marked 出勤 gets its ledger line.
    Again on a lecture already 已举办: the lines are brought up to date (never doubled).
    Refused before the lecture's date, when nobody is marked 出勤, and (unless
    ``allow_incomplete``) while an expected cadre has no record. ``expected_version``: the
    lecture's version the screen showed (None: not checked)."""
    require(Permission.ATTENDANCE)
    user = user or current_user()
    today = today or dt.date.today()
    with write_transaction():
        lec = lecture_row(lecture_id, lock=True)
        where = lecture_name(lec)
        expect_version(lec, expected_version, where, LECTURE_ENTITY, now=lec.status)
        day = as_date(lec.day)
        if day > today:
            raise DomainError(
                f"{where}定于 {day.isoformat()} 举办，尚未举办，不能登记学时", field="day"
            )
        marks = dict(
            LectureAttendance.select(LectureAttendance.cadre, LectureAttendance.status)
            .where(LectureAttendance.lecture == lec.id)
            .tuples()
        )
        expected = audience_people(lecture_audience(lec))
        missing = [p for p in expected if p.cadre_id not in marks]
        if missing and not allow_incomplete:
            some = "、".join(p.name for p in missing[:5]) + ("等" if len(missing) > 5 else "")
            raise IncompleteLectureAttendance(
                f"{where}应到 {len(expected)} 人，还有 {len(missing)} 人未登记听课情况"
                f"（{some}），请补齐后再登记学时",
                len(missing),
            )
        if ATTENDED not in marks.values():
            raise DomainError(f"{where}没有登记出勤的干部，不能登记学时", field="attendance")
        was = lec.status
        write_versioned(
            Lecture,
            lec,
            expected_version,
            {"status": HELD},
            record=where,
            entity=LECTURE_ENTITY,
            now=lambda row: row.status,
        )
        again = "重新" if was == HELD else ""
        record_changes(
            LECTURE_ENTITY,
            lec.id,
            f"{again}登记学时",
            {"状态": was},
            {"状态": HELD},
            user=user,
        )
        done = sync_lecture_ledger(
            Lecture.get_by_id(lec.id), user=user, reason=f"{where}{again}登记学时"
        )
        return LectureCreditResult(
            lec.id, done.lines, done.total_hours, done.added, done.removed, len(missing)
        )


def uncredit_lecture(
    lecture_id: int,
    *,
    reason: str,
    expected_version: int | None = None,
    user: str | None = None,
) -> LedgerSync:
    """撤销学时登记 (e.g. registered on the wrong lecture): the lecture's ledger lines are
    taken out and it goes back to 筹备; ``reason`` is required and goes to the change log."""
    require(Permission.ATTENDANCE)
    user = user or current_user()
    with write_transaction():
        lec = lecture_row(lecture_id, lock=True)
        where = lecture_name(lec)
        expect_version(lec, expected_version, where, LECTURE_ENTITY, now=lec.status)
        if lec.status != HELD:
            raise DomainError(f"{where}还没有登记学时，无需撤销", field="status")
        if not reason.strip():
            raise DomainError(f"撤销{where}的学时登记须说明原因", field="reason")
        write_versioned(
            Lecture,
            lec,
            expected_version,
            {"status": PLANNED},
            record=where,
            entity=LECTURE_ENTITY,
            now=lambda row: row.status,
        )
        record_changes(
            LECTURE_ENTITY,
            lec.id,
            "撤销学时登记",
            {"状态": HELD},
            {"状态": PLANNED},
            user=user,
            reason=reason.strip(),
        )
        return sync_lecture_ledger(
            Lecture.get_by_id(lec.id), user=user, reason=f"撤销{where}的学时登记：{reason.strip()}"
        )


__all__ = [
    "IncompleteLectureAttendance",
    "LectureCreditResult",
    "LedgerSync",
    "credit_lecture",
    "sync_lecture_ledger",
    "uncredit_lecture",
]
