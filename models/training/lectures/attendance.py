"""听课登记 of a 领导干部讲坛 lecture: every cadre the audience expects, with 出勤 / 请假 /
缺席 (未登记 until marked), plus anyone marked earlier who has left the audience since.

Once the lecture's 学时 are registered (已举办), a change is a correction: it needs a reason,
and the ledger follows in the same transaction (models.training.lectures.credit), both in
the change log. Every edit carries the versions the screen showed and is refused with who,
when and what it holds now when someone else marked the same cadre meanwhile.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from peewee import IntegrityError

from models.accounts import Permission, require
from models.core.audit import current_user, record_changes
from models.core.db import db, is_unique_violation, write_transaction
from models.core.errors import ConflictError, DomainError
from models.roster.tables import Cadre, Unit
from models.training.classes import changed_meanwhile, write_versioned
from models.training.lectures.audience import audience_people, lecture_audience, short_post
from models.training.lectures.common import (
    ATTENDANCE_ENTITY,
    ATTENDANCE_STATUSES,
    ATTENDED,
    HELD,
    UNRECORDED,
    lecture_name,
    lecture_row,
)
from models.training.lectures.credit import sync_lecture_ledger
from models.training.tables import Lecture, LectureAttendance


@dataclass(frozen=True)
class LectureAttendanceRow:
    cadre_id: int
    name: str
    unit_name: str
    post: str
    level: str  # 领导职务层次, else 职级
    status: str  # 出勤 / 请假 / 缺席 / 未登记
    note: str
    version: int = 0  # of the attendance record, 0: none yet (what an edit carries)
    expected: bool = True  # False: marked earlier, outside the audience now


def _rows(lec: Lecture) -> list[LectureAttendanceRow]:
    marks = {
        a.cadre_id: a for a in LectureAttendance.select().where(LectureAttendance.lecture == lec.id)
    }
    rows = []
    for p in audience_people(lecture_audience(lec)):
        a = marks.pop(p.cadre_id, None)
        rows.append(
            LectureAttendanceRow(
                p.cadre_id,
                p.name,
                p.unit_name,
                p.post,
                p.level,
                a.status if a else UNRECORDED,
                a.note if a else "",
                a.version if a else 0,
            )
        )
    if marks:  # marked, then the audience or the roster changed
        people = Cadre.select(Cadre, Unit).join(Unit).where(Cadre.id.in_(list(marks)))
        for c in people.order_by(Unit.sort_order, Unit.id, Cadre.id):
            a = marks[c.id]
            rows.append(
                LectureAttendanceRow(
                    c.id,
                    c.name,
                    c.unit.name,
                    short_post(c.unit.name, c.post_title),
                    c.leadership_level or c.rank,
                    a.status,
                    a.note,
                    a.version,
                    expected=False,
                )
            )
    return rows


def lecture_attendance(lecture_id: int) -> list[LectureAttendanceRow]:
    """Everyone the lecture expects (by unit, rank, age) with their mark, then those marked
    earlier who are outside the audience now."""
    return _rows(lecture_row(lecture_id))


def _insert(lecture_id: int, cadre_id: int, status: str, note: str, record: str) -> int:
    """A new record; when another clerk marked the same cadre meanwhile (the unique index
    refuses it), the ConflictError names them."""
    try:
        with db.atomic():  # a savepoint: the transaction goes on after a refused insert
            return int(
                LectureAttendance.insert(
                    lecture=lecture_id, cadre=cadre_id, status=status, note=note
                ).execute()
            )
    except IntegrityError as exc:
        if not is_unique_violation(exc):
            raise
    now = LectureAttendance.get(
        (LectureAttendance.lecture == lecture_id) & (LectureAttendance.cadre == cadre_id)
    )
    raise changed_meanwhile(record, ATTENDANCE_ENTITY, now.id, now=now.status)


def record_lecture_attendance(
    lecture_id: int,
    statuses: Mapping[int, str],
    *,
    notes: Mapping[int, str] | None = None,
    reason: str = "",
    expected_versions: Mapping[int, int] | None = None,
    user: str | None = None,
) -> list[LectureAttendanceRow]:
    """Mark cadres 出勤 / 请假 / 缺席 for one lecture, all or nothing. Only cadres the
    audience expects (or marked before) can be marked. After 登记学时 a change needs
    ``reason`` and updates the ledger at once.

    ``expected_versions``: cadre id → the version of the record the screen showed (0: it
    showed 未登记); when someone else marked one of them since, nothing is stored and
    ConflictError names the cadre, who, when and the mark now."""
    require(Permission.ATTENDANCE)
    notes = notes or {}
    shown = expected_versions or {}
    user = user or current_user()
    with write_transaction():
        lec = lecture_row(lecture_id, lock=True)
        where = lecture_name(lec)
        old = {
            a.cadre_id: a
            for a in LectureAttendance.select().where(LectureAttendance.lecture == lec.id)
        }
        allowed = {p.cadre_id: p.name for p in audience_people(lecture_audience(lec))}
        for a in old.values():
            allowed.setdefault(a.cadre_id, a.cadre.name)
        for cid, status in statuses.items():
            if cid not in allowed:
                person = Cadre.get_or_none(Cadre.id == cid)
                who = f"干部“{person.name}”" if person else f"编号为 {cid} 的干部"
                raise DomainError(
                    f"{where}：{who}不在听课范围（单位、职级）内，不能登记听课情况",
                    field="cadre",
                )
            if status not in ATTENDANCE_STATUSES:
                raise DomainError(
                    f"{where}：干部“{allowed[cid]}”的听课情况“{status}”无效，"
                    f"应为 {'、'.join(ATTENDANCE_STATUSES)}",
                    field="status",
                )
        changed = 0
        for cid, status in statuses.items():
            before = old.get(cid)
            note = notes.get(cid, before.note if before else "").strip()
            record = f"干部“{allowed[cid]}”在{where}的听课情况"
            seen = shown.get(cid)
            if seen is not None and (before.version if before else 0) != seen:
                if before is None:
                    raise ConflictError(record, deleted=True)
                raise changed_meanwhile(record, ATTENDANCE_ENTITY, before.id, now=before.status)
            if before is None:
                aid = _insert(lec.id, cid, status, note, record)
                old_values: dict[str, object] = {}
                new_values: dict[str, object] = {"lecture_id": lec.id, "cadre_id": cid}
            elif (before.status, before.note) != (status, note):
                write_versioned(
                    LectureAttendance,
                    before,
                    seen,
                    {"status": status, "note": note},
                    record=record,
                    entity=ATTENDANCE_ENTITY,
                    now=lambda a: a.status,
                )
                aid = before.id
                old_values = {"status": before.status, "note": before.note}
                new_values = {}
            else:
                continue
            changed += 1
            new_values |= {"status": status, "note": note}
            action = "新增" if before is None else "修改"
            record_changes(
                ATTENDANCE_ENTITY, aid, action, old_values, new_values, user=user, reason=reason
            )
        if changed and lec.status == HELD:
            if not reason.strip():
                raise DomainError(
                    f"{where}已登记学时，更改听课情况即更正学时档案，须说明更正原因",
                    field="reason",
                )
            sync_lecture_ledger(lec, user=user, reason=f"{where}听课情况更正：{reason.strip()}")
        return _rows(lec)


def mark_all_attended(
    lecture_id: int,
    *,
    reason: str = "",
    expected_versions: Mapping[int, int] | None = None,
    user: str | None = None,
) -> int:
    """出勤 for every expected cadre not marked yet (marks already entered, e.g. 请假, are
    kept); returns how many were marked. ``expected_versions``: the screen's rows (cadre id
    → version, 0 for 未登记): those it showed as 未登记 are marked, and when one of them was
    marked by someone else since, nothing is stored (ConflictError)."""
    require(Permission.ATTENDANCE)
    with write_transaction():
        if expected_versions is None:
            rows = lecture_attendance(lecture_id)
            todo = [r.cadre_id for r in rows if r.status == UNRECORDED]
            shown = None
        else:
            todo = [cid for cid, v in expected_versions.items() if v == 0]
            shown = dict.fromkeys(todo, 0)
        if todo:
            held = lecture_row(lecture_id).status == HELD  # a correction needs its own reason
            record_lecture_attendance(
                lecture_id,
                dict.fromkeys(todo, ATTENDED),
                reason=reason.strip() or ("" if held else "全部出勤"),
                expected_versions=shown,
                user=user,
            )
        return len(todo)


__all__ = [
    "LectureAttendanceRow",
    "lecture_attendance",
    "mark_all_attended",
    "record_lecture_attendance",
]
