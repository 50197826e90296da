"""Training use cases: a class's lifecycle, which keeps the 学时 ledger right.

* 开班 (筹备 → 进行中): not before the class's start date; who and when are kept.
* 结业 (进行中 → 已结业): each trainee's credited 学时 go to the ledger (班次培训, one line per
  calendar year, ``source_class`` the class); not before the end date unless a reason is
  given (kept with the class and in the change log); once only.
* After 结业 attendance is read-only (models.training.attendance refuses every edit). A
  mistake found then is put right by 更正: one trainee, one half-day, the new status and a
  reason; that trainee's ledger lines of the class follow in the same transaction.
* 重新开班 (已结业 → 进行中): needs a reason, and takes the class's lines out of the ledger in
  the same transaction (the next 结业 writes them again).

The date rules take ``today`` (None: the computer's date), so they are tested on any day.
One use case = one function = one transaction; every change goes to the change log, and a
refusal leaves the class, its attendance and the ledger as they were.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from models.accounts import Permission, require
from models.core.audit import current_actor, current_user, record_changes
from models.core.dates import as_date, now_seconds
from models.core.db import write_transaction
from models.core.errors import ConflictError, DomainError
from models.training import hours as hr
from models.training.attendance import (
    AttendanceRow,
    CreditDTO,
    class_credits,
    closed_words,
    held_until,
    insert_attendance,
    session_attendance,
    session_row,
    session_words,
    trainee_credits,
    when_by,
)
from models.training.classes import (
    CLASS_ENTITY,
    ClassDTO,
    changed_meanwhile,
    class_row,
    expect_version,
    get_class,
    write_versioned,
)
from models.training.tables import (
    CLASS_STATUSES,
    Attendance,
    ClassSession,
    Enrolment,
    HoursEntry,
    TrainingClass,
    stored_hours,
)

PLANNING, IN_PROGRESS, CLOSED = CLASS_STATUSES  # 筹备, 进行中, 已结业
HOURS_ENTITY = "hours_entry"
ATTENDANCE_ENTITY = "attendance"


class IncompleteAttendance(DomainError):
    """Some sessions lack attendance records; finish_class(allow_incomplete=True) goes on."""


def _who(user: str | None) -> str:
    """The name kept with 开班/结业: the logged-in account (as the change log names it),
    else ``user``, else the computer's user."""
    return current_actor() or user or current_user()


def _stamp(today: dt.date | None) -> dt.datetime:
    """Now, on ``today`` when a use case was given the day it is."""
    now = now_seconds()
    return now if today is None else dt.datetime.combine(today, now.time())


def _record(c: TrainingClass) -> str:
    return f"班次《{c.name}》"


# ============================================================================ state


@dataclass(frozen=True)
class ClassLifecycle:
    """Where a class is in its lifecycle, as the screens show it."""

    class_id: int
    name: str
    status: str
    start: dt.date
    end: dt.date
    opened_at: dt.datetime | None
    opened_by: str
    closed_at: dt.datetime | None
    closed_by: str
    close_reason: str  # why it closed before its end date ("" otherwise)
    closed_text: str  # '已于 2026年3月27日 14:05 由 张三 结业', "" while not closed
    version: int

    @property
    def closed(self) -> bool:
        return self.status == CLOSED


def _datetime(value: object) -> dt.datetime | None:
    if not value:
        return None
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


def class_lifecycle(class_id: int) -> ClassLifecycle:
    """Status, dates, who opened and closed the class, when and why."""
    c = class_row(class_id)
    return ClassLifecycle(
        c.id,
        c.name,
        c.status,
        as_date(c.start),
        as_date(c.end),
        _datetime(c.opened_at),
        c.opened_by,
        _datetime(c.closed_at),
        c.closed_by,
        c.close_reason,
        closed_words(c) if c.status == CLOSED else "",
        c.version,
    )


# ============================================================================ ledger lines


def _class_lines(c: TrainingClass, cadre_id: int | None = None) -> list[HoursEntry]:
    """The class's lines in the ledger (of one trainee, or of all)."""
    where = (HoursEntry.source_class == c.id) & (HoursEntry.kind == hr.CLASS_TRAINING)
    if cadre_id is not None:
        where &= HoursEntry.cadre == cadre_id
    return list(HoursEntry.select().where(where).order_by(HoursEntry.id))


def _delete_lines(lines: Iterable[HoursEntry], user: str, reason: str) -> Decimal:
    """Take ``lines`` out of the ledger, each logged with ``reason``; their 学时 together."""
    lines = list(lines)
    HoursEntry.delete().where(HoursEntry.id.in_([e.id for e in lines] or [0])).execute()
    for e in lines:
        record_changes(
            HOURS_ENTITY,
            e.id,
            "删除",
            {"cadre_id": e.cadre_id, "hours": e.hours, "day": e.day},
            {},
            user=user,
            reason=reason,
        )
    return sum((Decimal(e.hours) for e in lines), Decimal(0))


def _insert_lines(
    c: TrainingClass, lines: Iterable[hr.HoursEntry], user: str, reason: str
) -> tuple[int, Decimal]:
    """Write the class's ledger ``lines``, each logged with ``reason``; how many and their
    学时 together."""
    count, total = 0, Decimal(0)
    for line in lines:
        value = stored_hours(line.hours)
        total += value
        count += 1
        eid = HoursEntry.insert(
            cadre=int(line.cadre_id),
            year=line.day.year,
            day=line.day,
            kind=hr.CLASS_TRAINING,
            hours=value,
            title=c.name,
            source_class=c.id,
        ).execute()
        record_changes(
            HOURS_ENTITY,
            eid,
            "新增",
            {},
            {"cadre_id": line.cadre_id, "hours": value, "day": line.day, "title": c.name},
            user=user,
            reason=reason,
        )
    return count, total


# ============================================================================ 开班


def open_class(
    class_id: int,
    *,
    today: dt.date | None = None,
    user: str | None = None,
    expected_version: int | None = None,
) -> ClassDTO:
    """开班: 筹备 → 进行中, not before the class's start date; keeps who and when.
    ``expected_version``: the class's version the screen showed (None: not checked)."""
    require(Permission.TRAINING)
    day = today or dt.date.today()
    who = _who(user)
    with write_transaction():
        c = class_row(class_id)
        record = _record(c)
        expect_version(c, expected_version, record, CLASS_ENTITY, now=c.status)
        if c.status == IN_PROGRESS:
            opened = when_by(c.opened_at, c.opened_by, "开班")
            raise DomainError(f"{record}{opened}，不能重复开班", field="status")
        if c.status == CLOSED:
            raise DomainError(
                f"{record}{closed_words(c)}；如需重新开班，请点“重新开班…”并写明原因",
                field="status",
            )
        start = as_date(c.start)
        if day < start:
            raise DomainError(
                f"{record}的开班日期为 {start.isoformat()}，今天是 {day.isoformat()}，不能提前开班",
                field="start",
            )
        write_versioned(
            TrainingClass,
            c,
            expected_version,
            {"status": IN_PROGRESS, "opened_at": _stamp(today), "opened_by": who},
            record=record,
            entity=CLASS_ENTITY,
            now=lambda row: row.status,
        )
        record_changes(
            CLASS_ENTITY, c.id, "开班", {"状态": c.status}, {"状态": IN_PROGRESS}, user=who
        )
        return get_class(class_id)


# ============================================================================ 结业


@dataclass(frozen=True)
class FinishResult:
    class_id: int
    entries: int  # ledger lines written
    total_hours: Decimal  # 学时 written, all trainees together
    review: tuple[CreditDTO, ...]  # trainees flagged for 退学 review


def finish_class(
    class_id: int,
    *,
    reason: str = "",
    today: dt.date | None = None,
    rules: hr.CreditRules | None = None,
    allow_incomplete: bool = False,
    user: str | None = None,
    expected_version: int | None = None,
) -> FinishResult:
    """结业: write each trainee's credited 学时 to the ledger and set the class to 已结业,
    keeping who, when and ``reason``. Refused for a class not in progress (筹备: 开班 first;
    已结业: once only), before the end date without a reason, and while a session lacks
    attendance records unless ``allow_incomplete``. ``expected_version``: the class's
    version the screen showed (None: not checked)."""
    require(Permission.ATTENDANCE)
    day = today or dt.date.today()
    who = _who(user)
    reason = reason.strip()
    with write_transaction():
        c = class_row(class_id, lock=True)
        record = _record(c)
        expect_version(c, expected_version, record, CLASS_ENTITY, now=c.status)
        if c.status == CLOSED:
            raise DomainError(f"{record}{closed_words(c)}，不能重复结业", field="status")
        if c.status == PLANNING:
            raise DomainError(f"{record}尚未开班，请先开班再结业", field="status")
        end = as_date(c.end)
        if day < end and not reason:
            raise DomainError(
                f"{record}的结业日期为 {end.isoformat()}，今天是 {day.isoformat()}，"
                "提前结业须写明原因",
                field="reason",
            )
        enrolled = Enrolment.select().where(Enrolment.training_class == class_id).count()
        if not enrolled:
            raise DomainError(f"{record}没有学员，不能结业")
        # closed early: the half-days after today did not take place and earn nothing
        until = day if day < end else None
        held = ClassSession.select().where(ClassSession.training_class == class_id)
        if until is not None:
            held = held.where(ClassSession.day <= until)
        if not allow_incomplete:
            for s in held:
                n = Attendance.select().where(Attendance.session == s.id).count()
                if n < enrolled:
                    raise IncompleteAttendance(
                        f"{record}{session_words(s)}只登记了 {n} 名学员的考勤"
                        f"（共 {enrolled} 名），请补齐后再结业"
                    )
        # lines left by a class re-opened before 重新开班 took them back: replaced, never doubled
        _delete_lines(_class_lines(c), who, f"{record}再次结业，替换原有学时记录")
        lines = hr.class_entries(trainee_credits(c, rules, until=until).values(), c.name)
        count, total = _insert_lines(c, lines, who, f"{record}结业")
        write_versioned(
            TrainingClass,
            c,
            expected_version,
            {
                "status": CLOSED,
                "closed_at": _stamp(today),
                "closed_by": who,
                "close_reason": reason,
            },
            record=record,
            entity=CLASS_ENTITY,
            now=lambda row: row.status,
        )
        record_changes(
            CLASS_ENTITY,
            c.id,
            "结业",
            {"状态": c.status, "结业原因": ""},
            {"状态": CLOSED, "结业原因": reason},
            user=who,
            reason=reason,
        )
        review = tuple(r for r in class_credits(class_id, rules=rules) if r.review)
        return FinishResult(class_id, count, total, review)


# ============================================================================ 重新开班


@dataclass(frozen=True)
class ReopenResult:
    class_id: int
    entries: int  # ledger lines taken out
    total_hours: Decimal  # their 学时 together


def reopen_class(
    class_id: int,
    reason: str,
    *,
    user: str | None = None,
    expected_version: int | None = None,
) -> ReopenResult:
    """重新开班: 已结业 → 进行中, with a reason; the class's lines come out of the ledger in
    the same transaction (logged with the reason), and attendance can be entered again."""
    require(Permission.ATTENDANCE)
    who = _who(user)
    reason = reason.strip()
    with write_transaction():
        c = class_row(class_id, lock=True)
        record = _record(c)
        expect_version(c, expected_version, record, CLASS_ENTITY, now=c.status)
        if c.status != CLOSED:
            raise DomainError(
                f"{record}尚未结业（现为“{c.status}”），不需要重新开班", field="status"
            )
        if not reason:
            raise DomainError(
                f"{record}重新开班须写明原因（本班登记的学时将从学时档案中撤销）",
                field="reason",
            )
        lines = _class_lines(c)
        total = _delete_lines(lines, who, f"{record}重新开班：{reason}")
        write_versioned(
            TrainingClass,
            c,
            expected_version,
            {"status": IN_PROGRESS, "closed_at": None, "closed_by": "", "close_reason": ""},
            record=record,
            entity=CLASS_ENTITY,
            now=lambda row: row.status,
        )
        record_changes(
            CLASS_ENTITY,
            c.id,
            "重新开班",
            {"状态": c.status, "结业原因": c.close_reason},
            {"状态": IN_PROGRESS, "结业原因": ""},
            user=who,
            reason=reason,
        )
        return ReopenResult(c.id, len(lines), total)


# ============================================================================ 更正


@dataclass(frozen=True)
class CorrectionResult:
    row: AttendanceRow  # the trainee's record of the session now
    old_status: str  # before the 更正 (未登记 when there was none)
    hours_before: Decimal  # the trainee's 学时 from this class in the ledger, before
    hours_after: Decimal  # and after


def _same_lines(old: list[HoursEntry], new: list[hr.HoursEntry]) -> bool:
    def key(day: object, hours: object) -> tuple[dt.date, Decimal]:
        return as_date(day), stored_hours(hours)  # type: ignore[arg-type]

    return sorted(key(e.day, e.hours) for e in old) == sorted(key(n.day, n.hours) for n in new)


def correct_attendance(
    session_id: int,
    cadre_id: int,
    status: str,
    reason: str,
    *,
    note: str | None = None,
    rules: hr.CreditRules | None = None,
    user: str | None = None,
    expected_version: int | None = None,
) -> CorrectionResult:
    """更正 after 结业: one trainee's status for one session, with a reason. That trainee's
    credited 学时 for the class are computed again and their ledger lines of the class
    rewritten, in the same transaction; the change log keeps the reason with each change.
    ``note``: None keeps the record's note. ``expected_version``: the version of the record
    the screen showed (0: 未登记; None: not checked) — when someone else changed it since,
    nothing is stored and ConflictError says who, when and the status now."""
    require(Permission.ATTENDANCE)
    who = _who(user)
    reason = reason.strip()
    with write_transaction():
        s = session_row(session_id)
        c = class_row(s.training_class_id, lock=True)
        where = f"{_record(c)}{session_words(s)}"
        if c.status != CLOSED:
            raise DomainError(f"{_record(c)}尚未结业，考勤直接登记即可，不需要更正", field="status")
        enrolment = Enrolment.get_or_none(
            (Enrolment.training_class == c.id) & (Enrolment.cadre == cadre_id)
        )
        if enrolment is None:
            raise DomainError(f"{where}：编号为 {cadre_id} 的干部不是本班学员，不能更正考勤")
        name = enrolment.cadre.name
        if status not in hr.STATUSES:
            raise DomainError(
                f"{where}：学员“{name}”的考勤状态“{status}”无效，应为 {'、'.join(hr.STATUSES)}",
                field="status",
            )
        record = f"学员“{name}”在 {where}的考勤"
        until = held_until(c)
        if until is not None and as_date(s.day) > until:
            raise DomainError(
                f"{where}在提前结业（{until.isoformat()}）之后，没有举行，不计学时，不能更正",
                field="status",
            )
        if not reason:
            raise DomainError(f"更正{record}须写明原因", field="reason")
        before = Attendance.get_or_none(
            (Attendance.session == session_id) & (Attendance.cadre == cadre_id)
        )
        if expected_version is not None and (before.version if before else 0) != expected_version:
            if before is None:
                raise ConflictError(record, deleted=True)
            raise changed_meanwhile(record, ATTENDANCE_ENTITY, before.id, now=before.status)
        old_status = before.status if before else hr.UNRECORDED
        if old_status == status:
            raise DomainError(f"{record}已是“{status}”，不需要更正", field="status")
        if note is None:
            note = before.note if before else ""
        if before is None:
            aid = insert_attendance(session_id, cadre_id, status, note, record)
            old: dict[str, object] = {}
            new: dict[str, object] = {"session_id": session_id, "cadre_id": cadre_id}
        else:
            aid = before.id
            write_versioned(
                Attendance,
                before,
                expected_version,
                {"status": status, "note": note},
                record=record,
                entity=ATTENDANCE_ENTITY,
                now=lambda a: a.status,
            )
            old = {"status": before.status, "note": before.note}
            new = {}
        record_changes(
            ATTENDANCE_ENTITY,
            aid,
            "更正",
            old,
            {**new, "status": status, "note": note},
            user=who,
            reason=reason,
        )
        lines = _class_lines(c, cadre_id)
        credit = trainee_credits(c, rules)[cadre_id]
        fresh = hr.class_entries([credit], c.name)
        hours_before = sum((Decimal(e.hours) for e in lines), Decimal(0))
        hours_after = hours_before
        if not _same_lines(lines, fresh):
            why = f"更正{record}：{reason}"
            _delete_lines(lines, who, why)
            hours_after = _insert_lines(c, fresh, who, why)[1]
        row = next(r for r in session_attendance(session_id) if r.cadre_id == cadre_id)
        return CorrectionResult(
            row, old_status, stored_hours(hours_before), stored_hours(hours_after)
        )
