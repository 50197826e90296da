"""Training use cases: changing a stored timetable half-day by half-day -- moving and swapping
sessions, locking them, and editing what a session holds (title, teacher, room, site). A
change is stored even when it clashes with a booking; the result lists every clash of the
class, so the screen can mark them. Planning a whole timetable is models.training.timetable.

One use case = one function = one transaction. Results are frozen dataclasses, never rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from models.accounts import Permission, require
from models.core.audit import current_user, record_changes
from models.core.dates import as_date
from models.core.db import write_transaction
from models.core.errors import DomainError, NotFoundError
from models.training import planner as tt
from models.training.classes import changed_meanwhile, expect_version, write_versioned
from models.training.tables import Attendance, ClassSession, Room, Site, Teacher
from models.training.timetable import SessionDTO, class_clashes, get_session, renumber_parts

SESSION_ENTITY = "class_session"
"""The change log's ``entity`` of a timetable half-day."""


@dataclass(frozen=True)
class EditResult:
    """A moved or swapped timetable: the sessions changed and every clash of the class."""

    sessions: tuple[SessionDTO, ...]
    clashes: tuple[tt.Clash, ...] = field(default_factory=tuple)


def _record(s: ClassSession) -> str:
    return f"课表时段《{s.title}》"


def _now_text(s: ClassSession) -> str:
    """What a session holds now, for a conflict message: its half-day and resources."""
    parts = [f"{tt.slot_label(as_date(s.day), s.slot)}《{s.title}》"]
    if s.teacher_id:
        parts.append(f"授课教师 {s.teacher.name}")
    if s.room_id:
        parts.append(f"教室 {s.room.name}")
    if s.site_id:
        parts.append(f"现场教学点 {s.site.name}")
    if s.locked:
        parts.append("已锁定")
    return "，".join(parts)


def _session_for_edit(session_id: int, expected: int | None) -> ClassSession:
    """The session's row, refused at once when it is no longer at the version the screen
    read (``expected``; None: not checked) or was removed meanwhile."""
    s = ClassSession.get_or_none(ClassSession.id == session_id)
    if s is None:
        if expected is not None:
            record = f"编号为 {session_id} 的课表时段"
            raise changed_meanwhile(record, SESSION_ENTITY, session_id, deleted=True)
        raise NotFoundError(f"找不到编号为 {session_id} 的课表时段，可能已被删除")
    expect_version(s, expected, _record(s), SESSION_ENTITY, now=_now_text(s))
    return s


def _store(s: ClassSession, expected: int | None, values: dict[str, object]) -> None:
    write_versioned(
        ClassSession, s, expected, values, record=_record(s), entity=SESSION_ENTITY, now=_now_text
    )


def _place(day: object, slot: str) -> dict[str, object]:
    return {"日期": as_date(day).isoformat(), "时段": slot}  # type: ignore[arg-type]


def _editable(s: ClassSession) -> None:
    if s.training_class.status == "已结业":
        raise DomainError(f"班次《{s.training_class.name}》已结业，课表不能再调整")
    if Attendance.select().where(Attendance.session == s.id).exists():
        raise DomainError(
            f"{tt.slot_label(as_date(s.day), s.slot)}《{s.title}》已有考勤记录，不能调整时间"
        )


def move_session(
    session_id: int,
    day: dt.date,
    slot: str,
    *,
    expected_version: int | None = None,
    user: str | None = None,
) -> EditResult:
    """Move a session to a free half-day of its class. The move is stored even when it
    breaks a rule; the result lists every clash of the class so the screen can mark them.
    A half-day already taken in this class is refused (swap the two instead).
    ``expected_version``: the session's version the screen showed (None: not checked)."""
    require(Permission.TRAINING)
    if slot not in tt.SLOT_ORDER:
        raise DomainError(f"时段“{slot}”无效，应为 上午、下午 或 晚上", field="slot")
    with write_transaction():
        s = _session_for_edit(session_id, expected_version)
        _editable(s)
        other = ClassSession.get_or_none(
            (ClassSession.training_class == s.training_class_id)
            & (ClassSession.day == day)
            & (ClassSession.slot == slot)
            & (ClassSession.id != s.id)
        )
        if other is not None:
            raise DomainError(
                f"{tt.slot_label(day, slot)} 已安排《{other.title}》，请用“交换”调整两节课",
                field="slot",
            )
        _store(s, expected_version, {"day": day, "slot": slot})
        record_changes(
            SESSION_ENTITY,
            s.id,
            "修改",
            _place(s.day, s.slot),
            _place(day, slot),
            user=user or current_user(),
            reason=f"移动课表时段《{s.title}》",
        )
        renumber_parts(s.training_class_id)
        return EditResult((get_session(s.id),), class_clashes(s.training_class_id))


def swap_sessions(
    a_id: int,
    b_id: int,
    *,
    expected_versions: tuple[int | None, int | None] = (None, None),
    user: str | None = None,
) -> EditResult:
    """Exchange the half-days of two sessions of one class; returns every clash after it.
    ``expected_versions``: the two sessions' versions the screen showed (None: unchecked)."""
    require(Permission.TRAINING)
    with write_transaction():
        a = _session_for_edit(a_id, expected_versions[0])
        b = _session_for_edit(b_id, expected_versions[1])
        if a.training_class_id != b.training_class_id:
            raise DomainError("只能交换同一班次的两节课")
        _editable(a)
        _editable(b)
        # through a parking slot, since (class, day, slot) is unique; the first two writes
        # are conditional on the versions read, the third touches a row already locked
        _store(a, expected_versions[0], {"slot": "--"})
        _store(b, expected_versions[1], {"day": a.day, "slot": a.slot})
        ClassSession.update(day=b.day, slot=b.slot).where(ClassSession.id == a.id).execute()
        for x, to in ((a, b), (b, a)):
            record_changes(
                SESSION_ENTITY,
                x.id,
                "修改",
                _place(x.day, x.slot),
                _place(to.day, to.slot),
                user=user or current_user(),
                reason=f"交换课表时段《{a.title}》与《{b.title}》",
            )
        renumber_parts(a.training_class_id)
        return EditResult(
            (get_session(a.id), get_session(b.id)), class_clashes(a.training_class_id)
        )


def set_session_locked(
    session_id: int,
    locked: bool,
    *,
    expected_version: int | None = None,
    user: str | None = None,
) -> SessionDTO:
    """A locked session keeps its half-day when the class is planned again.
    ``expected_version``: the session's version the screen showed (None: not checked)."""
    require(Permission.TRAINING)
    with write_transaction():
        s = _session_for_edit(session_id, expected_version)
        _store(s, expected_version, {"locked": bool(locked)})
        record_changes(
            SESSION_ENTITY,
            s.id,
            "修改",
            {"locked": "是" if s.locked else "否"},
            {"locked": "是" if locked else "否"},
            user=user or current_user(),
        )
        return get_session(session_id)


KEEP: object = ...
"""Default of :func:`update_session`'s teacher/room/site: leave the field as it is
(``None`` clears it)."""

CLASSROOM_MODES = (tt.LECTURE, tt.DISCUSSION, tt.OTHER)
_LABELS = {"teacher": "授课教师", "room": "教室", "site": "现场教学点"}


def session_edit_block(session_id: int) -> str:
    """Why the session's teacher, room, site and title can no longer change ('' if they
    can): its class has finished, or attendance was taken."""
    s = ClassSession.get_or_none(ClassSession.id == session_id)
    if s is None:
        raise NotFoundError(f"找不到编号为 {session_id} 的课表时段，可能已被删除")
    if s.training_class.status == "已结业":
        return f"班次《{s.training_class.name}》已结业，课表不能再修改"
    if Attendance.select().where(Attendance.session == s.id).exists():
        return f"{tt.slot_label(as_date(s.day), s.slot)}《{s.title}》已有考勤记录，不能再修改"
    return ""


def _resource_name(model: type, value: int | None, what: str, field_name: str) -> str:
    if value is None:
        return ""
    row = model.get_or_none(model.id == value)
    if row is None:
        raise NotFoundError(f"找不到编号为 {value} 的{what}，可能已被删除", field=field_name)
    return str(row.name)


def update_session(
    session_id: int,
    *,
    title: str | None = None,
    teacher_id: int | None | object = KEEP,
    room_id: int | None | object = KEEP,
    site_id: int | None | object = KEEP,
    locked: bool | None = None,
    user: str | None = None,
    expected_version: int | None = None,
) -> EditResult:
    """Change what a half-day holds: its title, teacher, classroom, field-study site and
    lock, in one transaction with an audit entry. ``title``/``locked`` None and the other
    fields left at KEEP keep their value; ``None`` for teacher/room/site clears it.

    Refused (DomainError, nothing stored) when the class has finished or the session has
    attendance (only the lock may still change), when a title is empty, when a field-study
    session would have no site or a classroom session no room. The change is stored even
    when it clashes with another booking; the result lists every clash of the class.
    ``expected_version``: the session's version the screen showed (None: not checked); when
    someone else changed the session since, ConflictError says who, when and what it holds."""
    require(Permission.TRAINING)
    with write_transaction():
        s = _session_for_edit(session_id, expected_version)
        where = f"{tt.slot_label(as_date(s.day), s.slot)}《{s.title}》"
        new: dict[str, object] = {}
        if title is not None:
            text = title.strip()
            if not text:
                raise DomainError(f"{where}：内容不能为空", field="title")
            if len(text) > 120:
                raise DomainError(
                    f"{where}：内容不能超过 120 个字，现为 {len(text)} 个字", field="title"
                )
            if text != s.title:
                new["title"] = text
        wanted = {"teacher": teacher_id, "room": room_id, "site": site_id}
        for name, value in wanted.items():
            if value is KEEP:
                continue
            if value is not None and not isinstance(value, int):
                raise DomainError(f"{where}：{_LABELS[name]}应为编号或空", field=f"{name}_id")
            if value != getattr(s, f"{name}_id"):
                new[name] = value
        if locked is not None and bool(locked) != bool(s.locked):
            new["locked"] = bool(locked)
        if not new:
            return EditResult((get_session(s.id),), class_clashes(s.training_class_id))
        if set(new) - {"locked"}:
            block = session_edit_block(s.id)
            if block:
                raise DomainError(block)
        tables = {"teacher": Teacher, "room": Room, "site": Site}
        names = {
            name: _resource_name(
                table,
                new.get(name, getattr(s, f"{name}_id")),  # type: ignore[arg-type]
                _LABELS[name],
                f"{name}_id",
            )
            for name, table in tables.items()
        }
        if s.mode == tt.FIELD_STUDY and not names["site"]:
            raise DomainError(f"{where}：调研考察须选择现场教学点", field="site_id")
        if s.mode in CLASSROOM_MODES and not names["room"]:
            raise DomainError(f"{where}：{s.mode}须选择教室", field="room_id")
        old_values = {
            "title": s.title,
            "teacher": s.teacher.name if s.teacher_id else "",
            "room": s.room.name if s.room_id else "",
            "site": s.site.name if s.site_id else "",
            "locked": "是" if s.locked else "否",
        }
        _store(s, expected_version, new)
        new_values = {
            "title": new.get("title", s.title),
            **names,
            "locked": "是" if new.get("locked", s.locked) else "否",
        }
        record_changes(
            "class_session",
            s.id,
            "修改",
            old_values,
            new_values,
            user=user or current_user(),
            reason=f"修改课表时段 {tt.slot_label(as_date(s.day), s.slot)}",
        )
        return EditResult((get_session(s.id),), class_clashes(s.training_class_id))
