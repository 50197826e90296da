"""Training use cases: attendance of each session and the 学时 it credits (the rules are
models.training.hours) with the 退学 review flags. Once a class is 已结业 its attendance is
read-only here: every entry point refuses, naming the class and when it closed; a mistake
is put right by an explicit 更正 with a reason (models.training.lifecycle, which also holds
开班, 结业 and 重新开班 and writes the class's lines in the 学时 ledger).

One use case = one function = one transaction. Results are frozen dataclasses, never rows.
Changes to attendance are written to the change log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from peewee import IntegrityError

from models.accounts import Permission, require
from models.core.audit import ChangeLog, current_user, record_changes
from models.core.dates import as_date, ymd_cn
from models.core.db import db, is_unique_violation, write_transaction
from models.core.errors import ConflictError, DomainError, NotFoundError
from models.roster.tables import Cadre, Unit
from models.training import hours as hr
from models.training.classes import (
    CLASS_ENTITY,
    changed_meanwhile,
    class_row,
    write_versioned,
)
from models.training.planner import slot_label
from models.training.tables import (
    CLASS_STATUSES,
    Attendance,
    ClassSession,
    Enrolment,
    TrainingClass,
    stored_hours,
)
from models.training.trainees import trainee_row

_CLOSED = CLASS_STATUSES[-1]  # 已结业


# ============================================================================ after 结业


def when_by(at: object, by: str, done: str) -> str:
    """'已于 2026年3月27日 14:05 由 张三 结业' (``done``: 开班 / 结业); '已结业' when the time
    is not known."""
    if not at:
        return f"已{done}"
    stamp = at if isinstance(at, dt.datetime) else dt.datetime.fromisoformat(str(at))
    who = f" 由 {by}" if by else ""
    return f"已于 {ymd_cn(stamp.date())} {stamp:%H:%M}{who} {done}"


def closed_words(c: TrainingClass) -> str:
    """When and by whom a closed class closed, as :func:`when_by` says it. A class closed
    before the class kept it (closed_at empty) is read from the change log's 结业 entry."""
    if c.closed_at:
        return when_by(c.closed_at, c.closed_by, "结业")
    last = (
        ChangeLog.select(ChangeLog.at, ChangeLog.user)
        .where(
            (ChangeLog.entity == CLASS_ENTITY)
            & (ChangeLog.entity_id == c.id)
            & (ChangeLog.action == "结业")
        )
        .order_by(ChangeLog.id.desc())
        .first()
    )
    return when_by(last.at, last.user, "结业") if last else when_by(None, "", "结业")


def refuse_if_closed(c: TrainingClass) -> None:
    """Attendance of a class that is 已结业 is read-only: a DomainError that names the class,
    when it closed, and the way to correct a mistake."""
    if c.status == _CLOSED:
        raise DomainError(
            f"班次《{c.name}》{closed_words(c)}，考勤不能再修改；如需更正，"
            "请在“考勤与结业”中选中学员，点“更正…”并写明原因",
            field="status",
        )


# ============================================================================ attendance


@dataclass(frozen=True)
class AttendanceRow:
    cadre_id: int
    name: str
    unit_name: str
    group_no: int
    status: str  # one of models.training.hours.STATUSES, or 未登记
    note: str
    version: int = 0  # of the attendance record, 0: none yet (what an edit carries)


def session_row(session_id: int) -> ClassSession:
    s = ClassSession.get_or_none(ClassSession.id == session_id)
    if s is None:
        raise NotFoundError(f"找不到编号为 {session_id} 的课表时段，可能已被删除")
    return s


def session_attendance(session_id: int) -> list[AttendanceRow]:
    """Every trainee of the session's class with their status (未登记 when none)."""
    s = session_row(session_id)
    marks = {a.cadre_id: a for a in Attendance.select().where(Attendance.session == session_id)}
    q = (
        Enrolment.select(Enrolment, Cadre, Unit)
        .join(Cadre)
        .join(Unit)
        .where(Enrolment.training_class == s.training_class_id)
    )
    rows = []
    for e in q:
        a = marks.get(e.cadre_id)
        rows.append(
            AttendanceRow(
                e.cadre_id,
                e.cadre.name,
                e.cadre.unit.name,
                e.group_no,
                a.status if a else hr.UNRECORDED,
                a.note if a else "",
                a.version if a else 0,
            )
        )
    rows.sort(key=lambda r: (r.group_no, r.unit_name, r.name, r.cadre_id))
    return rows


def session_words(s: ClassSession) -> str:
    """'2026-03-02 上午《讲座》': a session as messages name it."""
    return f"{slot_label(as_date(s.day), s.slot)}《{s.title}》"


def record_attendance(
    session_id: int,
    statuses: Mapping[int, str],
    *,
    notes: Mapping[int, str] | None = None,
    user: str | None = None,
    reason: str = "",
    expected_versions: Mapping[int, int] | None = None,
) -> list[AttendanceRow]:
    """Store each trainee's status for one session (出勤/迟到/早退/请假/旷课); every change
    goes to the change log. Nothing is stored when any status or trainee is wrong.

    ``expected_versions``: cadre id → the version of the record the screen showed (0: it
    showed 未登记); a trainee left out is not checked. When someone else recorded or changed
    one of them since, nothing is stored and ConflictError names the trainee, the session,
    who, when and the status now. Refused for a class that is 已结业 (see
    models.training.lifecycle.correct_attendance)."""
    require(Permission.ATTENDANCE)
    notes = notes or {}
    user = user or current_user()
    with write_transaction():
        s = session_row(session_id)
        refuse_if_closed(class_row(s.training_class_id, lock=True))
        where = session_words(s)
        early = [cid for cid, st in statuses.items() if st != hr.LEAVE]
        if early and as_date(s.day) > dt.date.today():
            raise DomainError(
                f"{where}还没到（今天是 {dt.date.today().isoformat()}），只能提前登记请假，"
                "出勤、迟到、早退、旷课要在当天或之后登记",
                field="status",
            )
        enrolled = {
            e.cadre_id: e.cadre.name
            for e in Enrolment.select(Enrolment, Cadre)
            .join(Cadre)
            .where(Enrolment.training_class == s.training_class_id)
        }
        for cid, status in statuses.items():
            if cid not in enrolled and expected_versions and cid in expected_versions:
                # shown on the screen, withdrawn since: who did it, and when
                trainee_row(s.training_class, cid, expected_versions[cid])
            if cid not in enrolled:
                raise DomainError(f"{where}：编号为 {cid} 的干部不是本班学员，不能登记考勤")
            if status not in hr.STATUSES:
                raise DomainError(
                    f"{where}：学员“{enrolled[cid]}”的考勤状态“{status}”无效，"
                    f"应为 {'、'.join(hr.STATUSES)}",
                    field="status",
                )
        old = {a.cadre_id: a for a in Attendance.select().where(Attendance.session == session_id)}
        shown = expected_versions or {}
        for cid, status in statuses.items():
            note = notes.get(cid, old[cid].note if cid in old else "")
            before = old.get(cid)
            record = f"学员“{enrolled[cid]}”在 {where}的考勤"
            seen = shown.get(cid)
            if seen is not None and (before.version if before else 0) != seen:
                if before is None:
                    raise ConflictError(record, deleted=True)
                raise changed_meanwhile(record, "attendance", before.id, now=before.status)
            if before is None:
                aid = insert_attendance(session_id, cid, status, note, record)
                record_changes(
                    "attendance",
                    aid,
                    "新增",
                    {},
                    {"session_id": session_id, "cadre_id": cid, "status": status, "note": note},
                    user=user,
                    reason=reason,
                )
            elif (before.status, before.note) != (status, note):
                write_versioned(
                    Attendance,
                    before,
                    seen,
                    {"status": status, "note": note},
                    record=record,
                    entity="attendance",
                    now=lambda a: a.status,
                )
                record_changes(
                    "attendance",
                    before.id,
                    "修改",
                    {"status": before.status, "note": before.note},
                    {"status": status, "note": note},
                    user=user,
                    reason=reason,
                )
        return session_attendance(session_id)


def insert_attendance(session_id: int, cadre_id: int, status: str, note: str, record: str) -> int:
    """A new attendance record; when another client stored one for the same trainee and
    session meanwhile (the unique index refuses it), the ConflictError names them."""
    try:
        with db.atomic():  # a savepoint: the transaction goes on after a refused insert
            return int(
                Attendance.insert(
                    session=session_id, cadre=cadre_id, status=status, note=note
                ).execute()
            )
    except IntegrityError as exc:
        if not is_unique_violation(exc):
            raise
    now = Attendance.get((Attendance.session == session_id) & (Attendance.cadre == cadre_id))
    raise changed_meanwhile(record, "attendance", now.id, now=now.status)


def mark_all_present(
    session_id: int,
    *,
    user: str | None = None,
    expected_versions: Mapping[int, int] | None = None,
) -> int:
    """出勤 for every trainee of the session who has no record yet (records already
    entered, e.g. 请假, are kept). Returns how many were marked.

    ``expected_versions``: the screen's rows (cadre id → version, 0 for 未登记): those it
    showed as 未登记 are marked, and when one of them was recorded by someone else since,
    nothing is stored (ConflictError with who, when and the status now). Refused for a
    class that is 已结业, even when nobody is left to mark."""
    require(Permission.ATTENDANCE)
    with write_transaction():
        s = session_row(session_id)
        refuse_if_closed(class_row(s.training_class_id, lock=True))
        if as_date(s.day) > dt.date.today():
            raise DomainError(
                f"{session_words(s)}还没到（今天是 {dt.date.today().isoformat()}），"
                "不能登记全部出勤",
                field="status",
            )
        if expected_versions is None:
            rows = session_attendance(session_id)
            todo = {r.cadre_id: hr.PRESENT for r in rows if r.status == hr.UNRECORDED}
            shown = None
        else:
            todo = {cid: hr.PRESENT for cid, v in expected_versions.items() if v == 0}
            shown = dict.fromkeys(todo, 0)
        if todo:
            record_attendance(
                session_id, todo, user=user, reason="全部出勤", expected_versions=shown
            )
        return len(todo)


# ============================================================================ credits


@dataclass(frozen=True)
class CreditDTO:
    cadre_id: int
    name: str
    unit_name: str
    class_hours: Decimal
    credited_hours: Decimal
    counts: Mapping[str, int]
    leave_hours: Decimal
    leave_limit_hours: Decimal
    absent_half_days: int
    flags: tuple[str, ...]  # reasons for 退学 review

    @property
    def review(self) -> bool:
        return bool(self.flags)


def held_until(c: TrainingClass) -> dt.date | None:
    """The last day a class closed early (提前结业) was held: its half-days after that day did
    not take place and earn nothing. None for a class that ran to its end date or is open."""
    if c.status != _CLOSED or c.closed_at is None:
        return None
    closed = as_date(c.closed_at)
    return closed if closed < as_date(c.end) else None


def trainee_credits(
    c: TrainingClass, rules: hr.CreditRules | None = None, *, until: dt.date | None = None
) -> dict[int, hr.ClassCredit]:
    """Each trainee's credit from the class's attendance (cadre id → the pure rules' result),
    counting the half-days up to ``until`` only (None: :func:`held_until`)."""
    until = until or held_until(c)
    query = ClassSession.select().where(ClassSession.training_class == c.id)
    if until is not None:
        query = query.where(ClassSession.day <= until)
    sessions = list(query)
    tt_sessions = [_Half(as_date(s.day), s.slot, float(s.hours)) for s in sessions]
    at = {s.id: s for s in sessions}
    records = [
        hr.Attendance(
            str(a.cadre_id), as_date(at[a.session_id].day), at[a.session_id].slot, a.status
        )
        for a in Attendance.select().where(Attendance.session.in_(list(at)))
    ]
    ids = [
        str(cid)
        for (cid,) in Enrolment.select(Enrolment.cadre)
        .where(Enrolment.training_class == c.id)
        .order_by(Enrolment.id)
        .tuples()
    ]
    credits = hr.credit_class(tt_sessions, records, cadre_ids=ids, rules=rules, class_name=c.name)
    return {int(k): v for k, v in credits.items()}


@dataclass(frozen=True)
class _Half:
    day: dt.date
    slot: str
    hours: float


def class_credits(class_id: int, *, rules: hr.CreditRules | None = None) -> list[CreditDTO]:
    """Each trainee's credited 学时 so far and the 退学 review flags (sessions without a
    record earn nothing and count as 未登记)."""
    c = class_row(class_id)
    credits = trainee_credits(c, rules)
    people = {
        x.id: x for x in Cadre.select(Cadre, Unit).join(Unit).where(Cadre.id.in_(list(credits)))
    }
    out = [
        CreditDTO(
            cid,
            people[cid].name,
            people[cid].unit.name,
            stored_hours(cr.class_hours),
            stored_hours(cr.credited_hours),
            dict(cr.counts),
            stored_hours(cr.leave_hours),
            stored_hours(cr.leave_limit_hours),
            cr.absent_half_days,
            cr.flags,
        )
        for cid, cr in credits.items()
    ]
    out.sort(key=lambda r: (not r.review, r.unit_name, r.name, r.cadre_id))
    return out
