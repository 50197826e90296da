"""Training use cases: teachers (with the days they cannot teach), rooms, field-study sites,
and the course library every class chooses from.

One use case = one function = one transaction. Results are frozen dataclasses, never rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from models.core.dates import as_date
from models.core.db import db
from models.core.errors import DomainError, FieldIssue, NotFoundError, ValidationError
from models.roster.tables import Cadre
from models.training import planner as tt
from models.training.tables import (
    TEACHER_KINDS,
    ClassCourse,
    ClassSession,
    Course,
    Room,
    Site,
    Teacher,
    TeacherUnavailable,
)

# ============================================================================ teachers


@dataclass(frozen=True)
class TeacherDTO:
    id: int
    name: str
    kind: str
    unit_title: str
    phone: str
    cadre_id: int | None
    unavailable: tuple[dt.date, ...]
    notes: str


@dataclass
class TeacherInput:
    name: str = ""
    kind: str = "党校教师"
    unit_title: str = ""
    phone: str = ""
    cadre_id: int | None = None
    unavailable: Sequence[dt.date] = ()
    notes: str = ""
    id: int | None = None


def _teacher_dto(t: Teacher) -> TeacherDTO:
    days = tuple(
        as_date(u.day)
        for u in TeacherUnavailable.select()
        .where(TeacherUnavailable.teacher == t.id)
        .order_by(TeacherUnavailable.day)
    )
    return TeacherDTO(t.id, t.name, t.kind, t.unit_title, t.phone, t.cadre_id, days, t.notes)


def get_teacher(teacher_id: int) -> TeacherDTO:
    t = Teacher.get_or_none(Teacher.id == teacher_id)
    if t is None:
        raise NotFoundError(f"找不到编号为 {teacher_id} 的授课教师，可能已被删除")
    return _teacher_dto(t)


def list_teachers() -> list[TeacherDTO]:
    return [_teacher_dto(t) for t in Teacher.select().order_by(Teacher.kind, Teacher.id)]


def save_teacher(inp: TeacherInput) -> TeacherDTO:
    """Store a teacher (new when ``inp.id`` is None) with the dates they cannot teach."""
    name = inp.name.strip()
    issues = []
    if not name:
        issues.append(FieldIssue("name", "姓名", "必填"))
    if inp.kind not in TEACHER_KINDS:
        issues.append(FieldIssue("kind", "类别", f"应为 {'、'.join(TEACHER_KINDS)} 之一"))
    if inp.cadre_id is not None and not Cadre.select().where(Cadre.id == inp.cadre_id).exists():
        issues.append(FieldIssue("cadre_id", "对应干部", "所选干部不存在"))
    if issues:
        raise ValidationError(issues, record=f"授课教师“{name or '新教师'}”")
    values = {
        "name": name,
        "kind": inp.kind,
        "unit_title": inp.unit_title.strip(),
        "phone": inp.phone.strip(),
        "cadre": inp.cadre_id,
        "notes": inp.notes,
    }
    with db.atomic():
        if inp.id is None:
            tid = Teacher.insert(**values).execute()
        else:
            tid = inp.id
            if Teacher.update(**values).where(Teacher.id == tid).execute() != 1:
                raise NotFoundError(f"找不到授课教师“{name}”，可能已被删除")
            TeacherUnavailable.delete().where(TeacherUnavailable.teacher == tid).execute()
        days = sorted(set(inp.unavailable))
        if days:
            TeacherUnavailable.insert_many([{"teacher": tid, "day": d} for d in days]).execute()
        return get_teacher(tid)


def delete_teacher(teacher_id: int) -> None:
    with db.atomic():
        t = get_teacher(teacher_id)
        used = Course.select().where(Course.teacher == teacher_id).count()
        booked = ClassSession.select().where(ClassSession.teacher == teacher_id).count()
        if used or booked:
            raise DomainError(
                f"授课教师“{t.name}”已用于 {used} 门课程、{booked} 个课表时段，不能删除",
                record=t.name,
            )
        Teacher.delete().where(Teacher.id == teacher_id).execute()


# ============================================================================ rooms, sites


@dataclass(frozen=True)
class RoomDTO:
    id: int
    name: str
    capacity: int
    notes: str


@dataclass(frozen=True)
class SiteDTO:
    id: int
    name: str
    address: str
    contact: str
    phone: str
    travel_minutes: int
    notes: str


def _room_dto(r: Room) -> RoomDTO:
    return RoomDTO(r.id, r.name, r.capacity, r.notes)


def _site_dto(s: Site) -> SiteDTO:
    return SiteDTO(s.id, s.name, s.address, s.contact, s.phone, s.travel_minutes, s.notes)


def list_rooms() -> list[RoomDTO]:
    return [_room_dto(r) for r in Room.select().order_by(Room.id)]


def list_sites() -> list[SiteDTO]:
    return [_site_dto(s) for s in Site.select().order_by(Site.id)]


def _unique_name(model: type, name: str, own_id: int | None, what: str) -> None:
    q = model.select().where(model.name == name)
    if own_id is not None:
        q = q.where(model.id != own_id)
    if q.exists():
        raise ValidationError(
            [FieldIssue("name", "名称", f"已有同名的{what}“{name}”")], record=what
        )


def save_room(name: str, capacity: int, *, notes: str = "", room_id: int | None = None) -> RoomDTO:
    name = name.strip()
    issues = []
    if not name:
        issues.append(FieldIssue("name", "名称", "必填"))
    if capacity < 1:
        issues.append(FieldIssue("capacity", "容量", f"应至少为 1 人，现为 {capacity}"))
    if issues:
        raise ValidationError(issues, record=f"教室“{name or '新教室'}”")
    with db.atomic():
        _unique_name(Room, name, room_id, "教室")
        values = {"name": name, "capacity": capacity, "notes": notes}
        if room_id is None:
            room_id = Room.insert(**values).execute()
        elif Room.update(**values).where(Room.id == room_id).execute() != 1:
            raise NotFoundError(f"找不到教室“{name}”，可能已被删除")
        return _room_dto(Room.get_by_id(room_id))


def save_site(
    name: str,
    *,
    address: str = "",
    contact: str = "",
    phone: str = "",
    travel_minutes: int = 0,
    notes: str = "",
    site_id: int | None = None,
) -> SiteDTO:
    name = name.strip()
    issues = []
    if not name:
        issues.append(FieldIssue("name", "名称", "必填"))
    if travel_minutes < 0:
        issues.append(FieldIssue("travel_minutes", "路程时间", "不能为负数"))
    if issues:
        raise ValidationError(issues, record=f"现场教学点“{name or '新教学点'}”")
    with db.atomic():
        _unique_name(Site, name, site_id, "现场教学点")
        values = {
            "name": name,
            "address": address.strip(),
            "contact": contact.strip(),
            "phone": phone.strip(),
            "travel_minutes": travel_minutes,
            "notes": notes,
        }
        if site_id is None:
            site_id = Site.insert(**values).execute()
        elif Site.update(**values).where(Site.id == site_id).execute() != 1:
            raise NotFoundError(f"找不到现场教学点“{name}”，可能已被删除")
        return _site_dto(Site.get_by_id(site_id))


def delete_room(room_id: int) -> None:
    with db.atomic():
        r = Room.get_or_none(Room.id == room_id)
        if r is None:
            raise NotFoundError(f"找不到编号为 {room_id} 的教室")
        n = ClassSession.select().where(ClassSession.room == room_id).count()
        if n:
            raise DomainError(f"教室“{r.name}”已排入 {n} 个课表时段，不能删除", record=r.name)
        r.delete_instance()


def delete_site(site_id: int) -> None:
    with db.atomic():
        s = Site.get_or_none(Site.id == site_id)
        if s is None:
            raise NotFoundError(f"找不到编号为 {site_id} 的现场教学点")
        n = Course.select().where(Course.site == site_id).count()
        n += ClassSession.select().where(ClassSession.site == site_id).count()
        if n:
            raise DomainError(f"现场教学点“{s.name}”已被课程或课表使用，不能删除", record=s.name)
        s.delete_instance()


# ============================================================================ courses


@dataclass(frozen=True)
class CourseDTO:
    id: int
    title: str
    mode: str
    half_days: int
    teacher_id: int | None
    teacher_name: str
    site_id: int | None
    site_name: str
    elective: bool
    block: str
    follows: str
    notes: str


@dataclass
class CourseInput:
    title: str = ""
    mode: str = tt.LECTURE
    half_days: int = 1
    teacher_id: int | None = None
    site_id: int | None = None
    elective: bool = False
    block: str = ""
    follows: str = ""
    notes: str = ""
    id: int | None = None


def course_dto(c: Course) -> CourseDTO:
    """The DTO of a course row (its teacher and site read through the row)."""
    return CourseDTO(
        c.id,
        c.title,
        c.mode,
        c.half_days,
        c.teacher_id,
        c.teacher.name if c.teacher_id else "",
        c.site_id,
        c.site.name if c.site_id else "",
        bool(c.elective),
        c.block,
        c.follows,
        c.notes,
    )


def get_course(course_id: int) -> CourseDTO:
    c = Course.get_or_none(Course.id == course_id)
    if c is None:
        raise NotFoundError(f"找不到编号为 {course_id} 的课程，可能已被删除")
    return course_dto(c)


def list_courses(mode: str = "") -> list[CourseDTO]:
    q = Course.select()
    if mode:
        q = q.where(Course.mode == mode)
    return [course_dto(c) for c in q.order_by(Course.mode, Course.id)]


def save_course(inp: CourseInput) -> CourseDTO:
    title = inp.title.strip()
    issues = []
    if not title:
        issues.append(FieldIssue("title", "课程名称", "必填"))
    if inp.mode not in tt.MODES:
        issues.append(FieldIssue("mode", "教学形式", "应为 课堂教学、调研考察 或 研讨交流"))
    if inp.half_days < 1:
        issues.append(FieldIssue("half_days", "半天数", f"应至少为 1，现为 {inp.half_days}"))
    elif inp.mode == tt.FIELD_STUDY and inp.half_days % 2:
        issues.append(
            FieldIssue("half_days", "半天数", f"调研考察按整天安排，应为偶数，现为 {inp.half_days}")
        )
    if (
        inp.teacher_id is not None
        and not Teacher.select().where(Teacher.id == inp.teacher_id).exists()
    ):
        issues.append(FieldIssue("teacher_id", "授课教师", "所选教师不存在"))
    if inp.site_id is not None:
        if inp.mode != tt.FIELD_STUDY:
            issues.append(FieldIssue("site_id", "现场教学点", "只有调研考察课程才设教学点"))
        elif not Site.select().where(Site.id == inp.site_id).exists():
            issues.append(FieldIssue("site_id", "现场教学点", "所选教学点不存在"))
    if inp.follows.strip() and inp.mode != tt.DISCUSSION:
        issues.append(FieldIssue("follows", "研讨的专题", "只有研讨交流课程才设研讨的专题"))
    if issues:
        raise ValidationError(issues, record=f"课程《{title or '新课程'}》")
    values = {
        "title": title,
        "mode": inp.mode,
        "half_days": inp.half_days,
        "teacher": inp.teacher_id,
        "site": inp.site_id,
        "elective": inp.elective,
        "block": inp.block.strip(),
        "follows": inp.follows.strip(),
        "notes": inp.notes,
    }
    with db.atomic():
        if inp.id is None:
            cid = Course.insert(**values).execute()
        else:
            cid = inp.id
            if Course.update(**values).where(Course.id == cid).execute() != 1:
                raise NotFoundError(f"找不到课程《{title}》，可能已被删除")
        return get_course(cid)


def delete_course(course_id: int) -> None:
    with db.atomic():
        c = get_course(course_id)
        n = ClassCourse.select().where(ClassCourse.course == course_id).count()
        if n:
            raise DomainError(f"课程《{c.title}》已被 {n} 个班次选用，不能删除", record=c.title)
        Course.delete().where(Course.id == course_id).execute()
