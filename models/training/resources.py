"""Training use cases: teachers (with the days they cannot teach), rooms, field-study sites
(with the days they cannot receive a class), and the course library every class chooses
from, with what the planner needs to pick from it for a class of any length (必修, 优先级,
适用班次层次, 可重复, 位置).

One use case = one function = one transaction. Results are frozen dataclasses, never rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from models.accounts import Permission, require
from models.core.audit import current_user, record_changes
from models.core.concurrency import conflict, update_versioned
from models.core.dates import as_date
from models.core.db import write_transaction
from models.core.errors import DomainError, FieldIssue, NotFoundError, ValidationError
from models.roster.tables import Cadre
from models.training import planner as tt
from models.training.tables import (
    CLASS_LEVELS,
    TEACHER_KINDS,
    ClassCourse,
    ClassSession,
    Course,
    Room,
    Site,
    SiteUnavailable,
    Teacher,
    TeacherUnavailable,
)

FIRST_LESSON, BEFORE_CLOSING = "开班第一课", "结业前"
COURSE_POSITIONS = ("", FIRST_LESSON, BEFORE_CLOSING)
"""Where the planner puts a course: anywhere (""), right after 开班式, or just before 结业式."""
REPEATABLE_MODES = (tt.FIELD_STUDY, tt.DISCUSSION)
"""The formats the planner may hold again when the library runs short."""
MAX_PRIORITY = 99

# ============================================================================ versions


def _store(
    model: Any,
    entity: str,
    row_id: int | None,
    expected: int | None,
    values: dict[str, object],
    *,
    what: str,
    audit: Callable[[Any], dict[str, object]],
    then: Callable[[int], None] | None = None,
) -> int:
    """Insert (``row_id`` None) or update one resource row (``what``: 教室 …), ``then(id)``
    for what hangs on it, and log the change. An update carries the version the screen read
    (``expected``; None: the one read here) and is refused with who and when when it is no
    longer so."""
    user = current_user()
    old = model.get_or_none(model.id == row_id) if row_id is not None else None
    shown = _name(old) if old else values["title" if model is Course else "name"]
    record = _label(model, what, str(shown))
    if row_id is None:
        new_id = int(model.insert(**values).execute())
        if then is not None:
            then(new_id)
        record_changes(entity, new_id, "新增", {}, audit(model.get_by_id(new_id)), user=user)
        return new_id
    if old is None:
        if expected is not None:
            raise conflict(record, entity, row_id, deleted=True)
        raise NotFoundError(f"找不到{record}，可能已被删除")
    before = audit(old)
    want = old.version if expected is None else expected
    update_versioned(model, row_id, want, values, record=record, entity=entity)
    if then is not None:
        then(row_id)
    record_changes(entity, row_id, "修改", before, audit(model.get_by_id(row_id)), user=user)
    return row_id


def _name(row: Any) -> str:
    return str(row.title if isinstance(row, Course) else row.name)


def _label(model: Any, what: str, name: str) -> str:
    """How messages name a resource: 教室“第一教室”, 课程《党史学习教育专题》."""
    return f"{what}《{name}》" if model is Course else f"{what}“{name}”"


def _delete_unused(
    model: Any,
    entity: str,
    row_id: int,
    expected: int | None,
    what: str,
    used: Callable[[Any], str],
    audit: Callable[[Any], dict[str, object]],
) -> None:
    """Delete a resource (``what``: 教室 …) that nothing uses (``used(row)``: what uses it,
    "" when nothing) and log it, when it is still at the version the screen read
    (``expected``; None: as read here); else the ConflictError saying who changed it, and
    when."""
    require(Permission.TRAINING)
    with write_transaction():
        row = model.get_or_none(model.id == row_id)
        if row is None:
            raise _gone(f"编号为 {row_id} 的{what}", entity, row_id, expected)
        name = _name(row)
        record = _label(model, what, name)
        why = used(row)
        if why:
            raise DomainError(f"{record}{why}，不能删除", record=name)
        before = audit(row)
        want = row.version if expected is None else expected
        if model.delete().where((model.id == row.id) & (model.version == want)).execute() != 1:
            gone = not model.select().where(model.id == row.id).exists()
            raise conflict(record, entity, row.id, deleted=gone)
        record_changes(entity, row.id, "删除", before, {}, user=current_user())


def _gone(record: str, entity: str, row_id: int, expected: int | None) -> Exception:
    """A row the screen showed is no longer there."""
    if expected is not None:
        return conflict(record, entity, row_id, deleted=True)
    return NotFoundError(f"找不到{record}，可能已被删除")


# ============================================================================ unavailable days


def _days(model: Any, owner: str, owner_id: int) -> tuple[dt.date, ...]:
    """The days a teacher (``TeacherUnavailable``, ``"teacher"``) or a site
    (``SiteUnavailable``, ``"site"``) cannot be booked, in date order."""
    rows = model.select().where(getattr(model, owner) == owner_id).order_by(model.day)
    return tuple(as_date(u.day) for u in rows)


def _days_text(days: Sequence[dt.date]) -> str:
    """How the change log keeps a list of days: 2026-03-05、2026-03-06."""
    return "、".join(d.isoformat() for d in days)


def _set_days(model: Any, owner: str, days: Sequence[dt.date]) -> Callable[[int], None]:
    """The ``then`` of :func:`_store` that replaces the owner's unavailable days (each once)."""

    def store(owner_id: int) -> None:
        model.delete().where(getattr(model, owner) == owner_id).execute()
        rows = [{owner: owner_id, "day": d} for d in sorted(set(days))]
        if rows:
            model.insert_many(rows).execute()

    return store


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
    version: int = 1


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
    version: int | None = None  # the version read (None: not checked)


def _teacher_dto(t: Teacher) -> TeacherDTO:
    days = _days(TeacherUnavailable, "teacher", t.id)
    return TeacherDTO(
        t.id, t.name, t.kind, t.unit_title, t.phone, t.cadre_id, days, t.notes, t.version
    )


def _teacher_audit(t: Teacher) -> dict[str, object]:
    return {
        "姓名": t.name,
        "类别": t.kind,
        "单位及职务": t.unit_title,
        "电话": t.phone,
        "对应干部": t.cadre.name if t.cadre_id else "",
        "不可授课日期": _days_text(_days(TeacherUnavailable, "teacher", t.id)),
        "备注": t.notes,
    }


def get_teacher(teacher_id: int) -> TeacherDTO:
    t = Teacher.get_or_none(Teacher.id == teacher_id)
    if t is None:
        raise NotFoundError(f"找不到编号为 {teacher_id} 的授课教师，可能已被删除")
    return _teacher_dto(t)


def list_teachers() -> list[TeacherDTO]:
    return [_teacher_dto(t) for t in Teacher.select().order_by(Teacher.kind, Teacher.id)]


def save_teacher(inp: TeacherInput) -> TeacherDTO:
    """Store a teacher (new when ``inp.id`` is None) with the dates they cannot teach."""
    require(Permission.TRAINING)
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
    values: dict[str, object] = {
        "name": name,
        "kind": inp.kind,
        "unit_title": inp.unit_title.strip(),
        "phone": inp.phone.strip(),
        "cadre": inp.cadre_id,
        "notes": inp.notes,
    }
    with write_transaction():
        days = _set_days(TeacherUnavailable, "teacher", inp.unavailable)
        args = (Teacher, "teacher", inp.id, inp.version, values)
        tid = _store(*args, what="授课教师", audit=_teacher_audit, then=days)
        return get_teacher(tid)


def delete_teacher(teacher_id: int, *, expected_version: int | None = None) -> None:
    """Delete a teacher no course or session uses; ``expected_version``: the version the
    screen showed (None: not checked)."""

    def used(_t: Teacher) -> str:
        n = Course.select().where(Course.teacher == teacher_id).count()
        booked = ClassSession.select().where(ClassSession.teacher == teacher_id).count()
        return f"已用于 {n} 门课程、{booked} 个课表时段" if n or booked else ""

    args = (teacher_id, expected_version, "授课教师", used, _teacher_audit)
    _delete_unused(Teacher, "teacher", *args)


# ============================================================================ rooms, sites


@dataclass(frozen=True)
class RoomDTO:
    id: int
    name: str
    capacity: int
    notes: str
    version: int = 1


@dataclass(frozen=True)
class SiteDTO:
    id: int
    name: str
    address: str
    contact: str
    phone: str
    travel_minutes: int
    notes: str
    version: int = 1
    unavailable: tuple[dt.date, ...] = ()  # days it cannot receive a class


def _room_dto(r: Room) -> RoomDTO:
    return RoomDTO(r.id, r.name, r.capacity, r.notes, r.version)


def _site_dto(s: Site) -> SiteDTO:
    days = _days(SiteUnavailable, "site", s.id)
    return SiteDTO(
        s.id, s.name, s.address, s.contact, s.phone, s.travel_minutes, s.notes, s.version, days
    )


def _room_audit(r: Room) -> dict[str, object]:
    return {"名称": r.name, "容纳人数": r.capacity, "备注": r.notes}


def _site_audit(s: Site) -> dict[str, object]:
    return {
        "名称": s.name,
        "地址": s.address,
        "联系人": s.contact,
        "电话": s.phone,
        "路程（分钟）": s.travel_minutes,
        "不可接待日期": _days_text(_days(SiteUnavailable, "site", s.id)),
        "备注": s.notes,
    }


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


def save_room(
    name: str,
    capacity: int,
    *,
    notes: str = "",
    room_id: int | None = None,
    expected_version: int | None = None,
) -> RoomDTO:
    """Store a classroom (new when ``room_id`` is None); ``expected_version``: the version
    the screen showed (None: not checked)."""
    require(Permission.TRAINING)
    name = name.strip()
    issues = []
    if not name:
        issues.append(FieldIssue("name", "名称", "必填"))
    if capacity < 1:
        issues.append(FieldIssue("capacity", "容量", f"应至少为 1 人，现为 {capacity}"))
    if issues:
        raise ValidationError(issues, record=f"教室“{name or '新教室'}”")
    with write_transaction():
        _unique_name(Room, name, room_id, "教室")
        values: dict[str, object] = {"name": name, "capacity": capacity, "notes": notes}
        rid = _store(
            Room, "room", room_id, expected_version, values, what="教室", audit=_room_audit
        )
        return _room_dto(Room.get_by_id(rid))


def save_site(
    name: str,
    *,
    address: str = "",
    contact: str = "",
    phone: str = "",
    travel_minutes: int = 0,
    notes: str = "",
    unavailable: Sequence[dt.date] | None = None,
    site_id: int | None = None,
    expected_version: int | None = None,
) -> SiteDTO:
    """Store a field-study site (new when ``site_id`` is None) with the days it cannot
    receive a class (``unavailable``; None keeps those stored); ``expected_version``: the
    version the screen showed (None: not checked)."""
    require(Permission.TRAINING)
    name = name.strip()
    issues = []
    if not name:
        issues.append(FieldIssue("name", "名称", "必填"))
    if travel_minutes < 0:
        issues.append(FieldIssue("travel_minutes", "路程时间", "不能为负数"))
    if issues:
        raise ValidationError(issues, record=f"现场教学点“{name or '新教学点'}”")
    with write_transaction():
        _unique_name(Site, name, site_id, "现场教学点")
        values: dict[str, object] = {
            "name": name,
            "address": address.strip(),
            "contact": contact.strip(),
            "phone": phone.strip(),
            "travel_minutes": travel_minutes,
            "notes": notes,
        }
        days = None if unavailable is None else _set_days(SiteUnavailable, "site", unavailable)
        args = (Site, "site", site_id, expected_version, values)
        sid = _store(*args, what="现场教学点", audit=_site_audit, then=days)
        return _site_dto(Site.get_by_id(sid))


def delete_room(room_id: int, *, expected_version: int | None = None) -> None:
    """Delete a classroom no session uses (``expected_version``: as shown; None: unchecked)."""

    def used(_r: Room) -> str:
        n = ClassSession.select().where(ClassSession.room == room_id).count()
        return f"已排入 {n} 个课表时段" if n else ""

    _delete_unused(Room, "room", room_id, expected_version, "教室", used, _room_audit)


def delete_site(site_id: int, *, expected_version: int | None = None) -> None:
    """Delete a site no course or session uses (``expected_version``: as shown)."""

    def used(_s: Site) -> str:
        n = Course.select().where(Course.site == site_id).count()
        n += ClassSession.select().where(ClassSession.site == site_id).count()
        return "已被课程或课表使用" if n else ""

    _delete_unused(Site, "site", site_id, expected_version, "现场教学点", used, _site_audit)


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
    version: int = 1
    required: bool = False  # 必修
    priority: int = 0  # higher first among courses of one mode
    levels: tuple[str, ...] = ()  # the class levels it suits; (): every level
    repeatable: bool = False  # discussion / field study the planner may hold again
    position: str = ""  # "" / 开班第一课 / 结业前


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
    version: int | None = None  # the version read (None: not checked)
    required: bool = False
    priority: int = 0
    levels: Sequence[str] = ()  # CLASS_LEVELS; (): every level
    repeatable: bool = False
    position: str = ""


def course_dto(c: Course) -> CourseDTO:
    """The DTO of a course row (its teacher and site read through the row)."""
    teacher, site = c.teacher.name if c.teacher_id else "", c.site.name if c.site_id else ""
    levels = tuple(x for x in c.levels.split("、") if x)  # stored "、"-joined; "": every level
    return CourseDTO(
        c.id, c.title, c.mode, c.half_days, c.teacher_id, teacher, c.site_id, site,
        bool(c.elective), c.block, c.follows, c.notes, c.version, bool(c.required),
        c.priority, levels, bool(c.repeatable), c.position,
    )  # fmt: skip


def _course_audit(c: Course) -> dict[str, object]:
    return {
        "课程名称": c.title,
        "教学形式": c.mode,
        "半天数": c.half_days,
        "授课教师": c.teacher.name if c.teacher_id else "",
        "现场教学点": c.site.name if c.site_id else "",
        "选学": "是" if c.elective else "否",
        "专题": c.block,
        "研讨的专题": c.follows,
        "必修": "是" if c.required else "否",
        "优先级": c.priority,
        "适用班次层次": c.levels or "全部",
        "可重复": "是" if c.repeatable else "否",
        "位置": c.position or "不限",
        "备注": c.notes,
    }


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


def _planning_issues(inp: CourseInput) -> list[FieldIssue]:
    """What is wrong with how the planner is to use the course (必修 … 位置)."""
    out = []
    if inp.required and inp.elective:
        out.append(FieldIssue("required", "必修", "选学课程不能同时设为必修"))
    if not 0 <= inp.priority <= MAX_PRIORITY:
        text = f"应在 0 到 {MAX_PRIORITY} 之间，现为 {inp.priority}"
        out.append(FieldIssue("priority", "优先级", text))
    unknown = [x for x in inp.levels if x not in CLASS_LEVELS]
    if unknown:
        text = f"“{unknown[0]}”不是班次类别，应为 {'、'.join(CLASS_LEVELS)} 之一"
        out.append(FieldIssue("levels", "适用班次层次", text))
    if inp.repeatable and inp.mode not in REPEATABLE_MODES:
        text = f"只有研讨交流、调研考察课程可以重复安排，本课程为{inp.mode}"
        out.append(FieldIssue("repeatable", "可重复", text))
    if inp.position not in COURSE_POSITIONS:
        text = f"应为 {FIRST_LESSON} 或 {BEFORE_CLOSING}（不限则留空），现为“{inp.position}”"
        out.append(FieldIssue("position", "位置", text))
    elif inp.position == FIRST_LESSON and inp.mode != tt.LECTURE:
        out.append(FieldIssue("position", "位置", f"开班第一课应为课堂教学，本课程为{inp.mode}"))
    elif inp.position == BEFORE_CLOSING and inp.mode == tt.FIELD_STUDY:
        out.append(FieldIssue("position", "位置", "结业前应为结业交流、党性分析等，不能是调研考察"))
    return out


def save_course(inp: CourseInput) -> CourseDTO:
    """Store a library course (new when ``inp.id`` is None); a stale ``inp.version`` is
    refused with who changed it and when."""
    require(Permission.TRAINING)
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
    if inp.teacher_id is not None and not Teacher.get_or_none(Teacher.id == inp.teacher_id):
        issues.append(FieldIssue("teacher_id", "授课教师", "所选教师不存在"))
    if inp.site_id is not None:
        if inp.mode != tt.FIELD_STUDY:
            issues.append(FieldIssue("site_id", "现场教学点", "只有调研考察课程才设教学点"))
        elif not Site.select().where(Site.id == inp.site_id).exists():
            issues.append(FieldIssue("site_id", "现场教学点", "所选教学点不存在"))
    if inp.follows.strip() and inp.mode != tt.DISCUSSION:
        issues.append(FieldIssue("follows", "研讨的专题", "只有研讨交流课程才设研讨的专题"))
    issues += _planning_issues(inp)
    if issues:
        raise ValidationError(issues, record=f"课程《{title or '新课程'}》")
    values: dict[str, object] = {
        "title": title,
        "mode": inp.mode,
        "half_days": inp.half_days,
        "teacher": inp.teacher_id,
        "site": inp.site_id,
        "elective": inp.elective,
        "block": inp.block.strip(),
        "follows": inp.follows.strip(),
        "required": inp.required,
        "priority": inp.priority,
        "levels": "、".join(x for x in CLASS_LEVELS if x in set(inp.levels)),
        "repeatable": inp.repeatable,
        "position": inp.position,
        "notes": inp.notes,
    }
    with write_transaction():
        cid = _store(
            Course, "course", inp.id, inp.version, values, what="课程", audit=_course_audit
        )
        return get_course(cid)


def delete_course(course_id: int, *, expected_version: int | None = None) -> None:
    """Delete a course no class uses (``expected_version``: as shown; None: unchecked)."""

    def used(_c: Course) -> str:
        n = ClassCourse.select().where(ClassCourse.course == course_id).count()
        return f"已被 {n} 个班次选用" if n else ""

    _delete_unused(Course, "course", course_id, expected_version, "课程", used, _course_audit)
