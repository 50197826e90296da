"""Training use cases, part 1: teachers, rooms, sites, the course library, and classes.

One use case = one function = one transaction. Results are frozen dataclasses, never rows.
The timetable (planning, moves, shares, clashes) is in models.training_timetable; trainees
and electives in models.training_trainees; attendance and the 学时 ledger in
models.training_attendance.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from models import timetable as tt
from models.db import db
from models.errors import ConflictError, DomainError, FieldIssue, NotFoundError, ValidationError
from models.training import (
    CLASS_LEVELS,
    CLASS_STATUSES,
    TEACHER_KINDS,
    Attendance,
    ClassCourse,
    ClassSession,
    Course,
    Enrolment,
    Room,
    Site,
    Teacher,
    TeacherUnavailable,
    TrainingClass,
)

MODE_NAMES = tt.MODES


def _d(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _dec(value: float | Decimal | int) -> Decimal:
    return Decimal(str(round(float(value), 2))).normalize() + Decimal("0.00")


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
        _d(u.day)
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
    from models.people import Cadre

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


def _course_dto(c: Course) -> CourseDTO:
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
    return _course_dto(c)


def list_courses(mode: str = "") -> list[CourseDTO]:
    q = Course.select()
    if mode:
        q = q.where(Course.mode == mode)
    return [_course_dto(c) for c in q.order_by(Course.mode, Course.id)]


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


# ============================================================================ classes


@dataclass(frozen=True)
class ClassDTO:
    id: int
    name: str
    level: str
    organiser: str
    start: dt.date
    end: dt.date
    weekdays: frozenset[int]
    holidays: tuple[dt.date, ...]
    evening: bool
    hours_per_half_day: Decimal
    share_lecture: float
    share_field_study: float
    share_discussion: float
    share_tolerance: int
    class_size: int
    electives_per_trainee: int
    head_teacher: str
    status: str
    notes: str
    version: int
    enrolled: int = 0


@dataclass
class ClassInput:
    name: str = ""
    level: str = "专题班"
    organiser: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    weekdays: Iterable[int] = (0, 1, 2, 3, 4)
    holidays: Iterable[dt.date] = ()
    evening: bool = False
    hours_per_half_day: Decimal | float = Decimal(4)
    share_lecture: float = 1 / 3
    share_field_study: float = 1 / 3
    share_discussion: float = 1 / 3
    share_tolerance: int = 1
    class_size: int = 0
    electives_per_trainee: int = 1
    head_teacher: str = ""
    status: str = "筹备"
    notes: str = ""
    id: int | None = None
    version: int | None = None


def _class_dto(c: TrainingClass) -> ClassDTO:
    enrolled = Enrolment.select().where(Enrolment.training_class == c.id).count()
    return ClassDTO(
        c.id,
        c.name,
        c.level,
        c.organiser,
        _d(c.start),
        _d(c.end),
        frozenset(int(ch) for ch in c.weekdays),
        tuple(sorted(dt.date.fromisoformat(x) for x in json.loads(c.holidays or "[]"))),
        bool(c.evening),
        Decimal(c.hours_per_half_day),
        c.share_lecture,
        c.share_field_study,
        c.share_discussion,
        c.share_tolerance,
        c.class_size,
        c.electives_per_trainee,
        c.head_teacher,
        c.status,
        c.notes,
        c.version,
        enrolled,
    )


def _class_row(class_id: int) -> TrainingClass:
    c = TrainingClass.get_or_none(TrainingClass.id == class_id)
    if c is None:
        raise NotFoundError(f"找不到编号为 {class_id} 的班次，可能已被删除")
    return c


def get_class(class_id: int) -> ClassDTO:
    return _class_dto(_class_row(class_id))


def list_classes(status: str = "") -> list[ClassDTO]:
    q = TrainingClass.select()
    if status:
        q = q.where(TrainingClass.status == status)
    return [_class_dto(c) for c in q.order_by(TrainingClass.start.desc(), TrainingClass.id)]


def check_class(inp: ClassInput) -> list[FieldIssue]:
    """Everything wrong with a class's settings (empty when it can be saved)."""
    out: list[FieldIssue] = []
    add = out.append
    if not inp.name.strip():
        add(FieldIssue("name", "班次名称", "必填"))
    if inp.level not in CLASS_LEVELS:
        add(FieldIssue("level", "班次类别", f"应为 {'、'.join(CLASS_LEVELS)} 之一"))
    if inp.start is None:
        add(FieldIssue("start", "开班日期", "必填"))
    if inp.end is None:
        add(FieldIssue("end", "结业日期", "必填"))
    if inp.start and inp.end and inp.end < inp.start:
        add(FieldIssue("end", "结业日期", f"{inp.end} 早于开班日期 {inp.start}"))
    if inp.status == "已结业":
        was = TrainingClass.get_or_none(TrainingClass.id == inp.id) if inp.id else None
        if was is None or was.status != "已结业":
            add(FieldIssue("status", "状态", "结业请在“考勤与结业”中办理，学时才会登记到档案"))
    days = set(inp.weekdays)
    if not days:
        add(FieldIssue("weekdays", "教学日", "至少选择一天"))
    elif not days <= set(range(7)):
        add(FieldIssue("weekdays", "教学日", "应为 0（周一）至 6（周日）"))
    if inp.start and inp.end:
        outside = sorted(d for d in inp.holidays if not inp.start <= d <= inp.end)
        if outside:
            add(FieldIssue("holidays", "节假日", f"{outside[0]} 不在开班至结业日期之间"))
    hours = Decimal(str(inp.hours_per_half_day))
    if not Decimal(0) < hours <= Decimal(12):
        add(FieldIssue("hours_per_half_day", "每半天学时", f"应在 0 到 12 之间，现为 {hours}"))
    shares = (inp.share_lecture, inp.share_field_study, inp.share_discussion)
    if any(s < 0 for s in shares):
        add(FieldIssue("share_lecture", "三种形式比例", "不能为负数"))
    elif abs(sum(shares) - 1) > 1e-3:
        text = "、".join(f"{m} {s:.3f}" for m, s in zip(tt.MODES, shares, strict=True))
        add(FieldIssue("share_lecture", "三种形式比例", f"之和须为 1，现为 {text}"))
    if inp.share_tolerance < 0:
        add(FieldIssue("share_tolerance", "比例允许偏差", "不能为负数"))
    if inp.class_size < 0:
        add(FieldIssue("class_size", "班额", "不能为负数"))
    if inp.electives_per_trainee < 0:
        add(FieldIssue("electives_per_trainee", "每人选学门数", "不能为负数"))
    if inp.status not in CLASS_STATUSES:
        add(FieldIssue("status", "状态", f"应为 {'、'.join(CLASS_STATUSES)} 之一"))
    return out


def save_class(inp: ClassInput) -> ClassDTO:
    """Validate and store a class (new when ``inp.id`` is None). A stale ``version`` raises
    ConflictError; nothing is saved when anything is wrong."""
    issues = check_class(inp)
    if issues:
        raise ValidationError(issues, record=f"班次《{inp.name.strip() or '新班次'}》")
    values = {
        "name": inp.name.strip(),
        "level": inp.level,
        "organiser": inp.organiser.strip(),
        "start": inp.start,
        "end": inp.end,
        "weekdays": "".join(str(d) for d in sorted(set(inp.weekdays))),
        "holidays": json.dumps(sorted(d.isoformat() for d in set(inp.holidays))),
        "evening": inp.evening,
        "hours_per_half_day": Decimal(str(inp.hours_per_half_day)),
        "share_lecture": inp.share_lecture,
        "share_field_study": inp.share_field_study,
        "share_discussion": inp.share_discussion,
        "share_tolerance": inp.share_tolerance,
        "class_size": inp.class_size,
        "electives_per_trainee": inp.electives_per_trainee,
        "head_teacher": inp.head_teacher.strip(),
        "status": inp.status,
        "notes": inp.notes,
    }
    with db.atomic():
        if inp.id is None:
            return get_class(TrainingClass.insert(**values).execute())
        old = _class_row(inp.id)
        expected = inp.version if inp.version is not None else old.version
        n = (
            TrainingClass.update(**values, version=TrainingClass.version + 1)
            .where((TrainingClass.id == inp.id) & (TrainingClass.version == expected))
            .execute()
        )
        if n != 1:
            raise ConflictError(record=f"班次《{old.name}》")
        return get_class(inp.id)


def set_class_status(class_id: int, status: str) -> ClassDTO:
    """筹备 → 进行中 (已结业 is set by finish_class, which also writes the 学时)."""
    if status not in CLASS_STATUSES:
        raise DomainError(f"班次状态应为 {'、'.join(CLASS_STATUSES)} 之一", field="status")
    with db.atomic():
        c = _class_row(class_id)
        if status == "已结业" and c.status != "已结业":
            raise DomainError(
                f"班次《{c.name}》请用“结业”操作结束，以便登记学员学时", field="status"
            )
        TrainingClass.update(status=status, version=TrainingClass.version + 1).where(
            TrainingClass.id == class_id
        ).execute()
        return get_class(class_id)


@dataclass(frozen=True)
class ClassCourseDTO:
    course: CourseDTO
    sort_order: int
    capacity: int  # electives: places, 0 = no limit


def class_courses(class_id: int) -> list[ClassCourseDTO]:
    q = (
        ClassCourse.select()
        .where(ClassCourse.training_class == class_id)
        .order_by(ClassCourse.sort_order, ClassCourse.id)
    )
    return [ClassCourseDTO(_course_dto(cc.course), cc.sort_order, cc.capacity) for cc in q]


def set_class_courses(
    class_id: int, course_ids: Sequence[int], capacities: Mapping[int, int] | None = None
) -> list[ClassCourseDTO]:
    """The library courses the class uses, in teaching order (the order discussion blocks
    follow). ``capacities``: places per elective course."""
    capacities = capacities or {}
    if len(set(course_ids)) != len(course_ids):
        raise DomainError("课程列表中有重复的课程", field="courses")
    with db.atomic():
        c = _class_row(class_id)
        found = {x.id: x for x in Course.select().where(Course.id.in_(list(course_ids)))}
        missing = [i for i in course_ids if i not in found]
        if missing:
            raise NotFoundError(f"班次《{c.name}》：找不到编号为 {missing[0]} 的课程")
        for cid, cap in capacities.items():
            if cap < 0:
                raise DomainError(f"课程《{found[cid].title}》的选学名额不能为负数")
        used = {
            x.course_id
            for x in ClassSession.select(ClassSession.course)
            .join(Attendance)
            .where((ClassSession.training_class == class_id) & ClassSession.course.is_null(False))
        }
        dropped = used - set(course_ids)
        if dropped:
            title = Course.get_by_id(min(dropped)).title
            raise DomainError(f"课程《{title}》已有考勤记录，不能从班次《{c.name}》中移除")
        ClassCourse.delete().where(ClassCourse.training_class == class_id).execute()
        if course_ids:
            ClassCourse.insert_many(
                [
                    {
                        "training_class": class_id,
                        "course": cid,
                        "sort_order": k,
                        "capacity": capacities.get(cid, 0),
                    }
                    for k, cid in enumerate(course_ids)
                ]
            ).execute()
        return class_courses(class_id)


def save_class_with_courses(
    inp: ClassInput, course_ids: Sequence[int], capacities: Mapping[int, int] | None = None
) -> ClassDTO:
    """The class editor's save: the settings and the course list in one transaction, so a
    refused course list leaves the class as it was."""
    with db.atomic():
        saved = save_class(inp)
        set_class_courses(saved.id, course_ids, capacities)
        return get_class(saved.id)
