"""Training use cases: the timetable of a class -- its sessions, planning it with the pure
planner (models.training.planner) against every other class's bookings, keeping locked and
attended sessions where they are, the shares of each mode and the clashes of the stored
timetable, and its summary as text for the command line. Changing single sessions (move,
swap, lock, edit) is models.training.session_edit.

One use case = one function = one transaction. Results are frozen dataclasses, never rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from models.accounts import Permission, require
from models.core.dates import as_date
from models.core.db import write_transaction
from models.core.errors import DomainError, NotFoundError
from models.training import planner as tt
from models.training.classes import (
    ClassInput,
    changed_meanwhile,
    class_dto,
    class_row,
    get_class,
    save_class,
    set_class_courses,
)
from models.training.hours import one_place
from models.training.resources import list_courses
from models.training.tables import (
    Attendance,
    ClassCourse,
    ClassSession,
    Course,
    Room,
    Site,
    Teacher,
    TeacherUnavailable,
    TrainingClass,
    stored_hours,
)

# ============================================================================ timetable


@dataclass(frozen=True)
class SessionDTO:
    id: int
    class_id: int
    day: dt.date
    slot: str
    mode: str
    title: str
    course_id: int | None
    teacher_id: int | None
    teacher_name: str
    room_id: int | None
    room_name: str
    site_id: int | None
    site_name: str
    hours: Decimal
    part: int
    parts: int
    locked: bool
    elective: bool
    version: int = 1  # what an edit of the session carries (optimistic locking)


@dataclass(frozen=True)
class PlanResult:
    class_id: int
    sessions: tuple[SessionDTO, ...]
    shares: tuple[tt.ModeShare, ...]
    kept: int  # locked sessions (or sessions with attendance) left where they were


def _session_dto(s: ClassSession) -> SessionDTO:
    return SessionDTO(
        s.id,
        s.training_class_id,
        as_date(s.day),
        s.slot,
        s.mode,
        s.title,
        s.course_id,
        s.teacher_id,
        s.teacher.name if s.teacher_id else "",
        s.room_id,
        s.room.name if s.room_id else "",
        s.site_id,
        s.site.name if s.site_id else "",
        Decimal(s.hours),
        s.part,
        s.parts,
        bool(s.locked),
        bool(s.course.elective) if s.course_id else False,
        s.version,
    )


def _slot_rank(slot: str) -> int:
    return tt.SLOT_ORDER.index(slot) if slot in tt.SLOT_ORDER else 9


def list_sessions(class_id: int) -> list[SessionDTO]:
    rows = [
        _session_dto(s)
        for s in ClassSession.select().where(ClassSession.training_class == class_id)
    ]
    rows.sort(key=lambda s: (s.day, _slot_rank(s.slot), s.id))
    return rows


def get_session(session_id: int) -> SessionDTO:
    s = ClassSession.get_or_none(ClassSession.id == session_id)
    if s is None:
        raise NotFoundError(f"找不到编号为 {session_id} 的课表时段，可能已被删除")
    return _session_dto(s)


def _settings(c: TrainingClass) -> tt.ClassSettings:
    dto = class_dto(c)
    slots = (tt.MORNING, tt.AFTERNOON, tt.EVENING) if dto.evening else (tt.MORNING, tt.AFTERNOON)
    return tt.ClassSettings(
        name=dto.name,
        start=dto.start,
        end=dto.end,
        teaching_weekdays=dto.weekdays,
        holidays=frozenset(dto.holidays),
        slots=slots,
        hours_per_half_day=float(dto.hours_per_half_day),
        share_lecture=dto.share_lecture,
        share_field_study=dto.share_field_study,
        share_discussion=dto.share_discussion,
        share_tolerance=dto.share_tolerance,
        class_size=max(dto.class_size, dto.enrolled),
    )


def _tt_course(c: Course, half_days: int | None = None) -> tt.Course:
    return tt.Course(
        id=str(c.id),
        title=c.title,
        mode=c.mode,
        half_days=c.half_days if half_days is None else half_days,
        teacher_id=str(c.teacher_id) if c.teacher_id else None,
        elective=bool(c.elective),
        block=c.block or None,
        follows=c.follows or None,
        site_id=str(c.site_id) if c.site_id else None,
    )


def _tt_session(s: ClassSession) -> tt.Session:
    return tt.Session(
        day=as_date(s.day),
        slot=s.slot,
        mode=s.mode,
        title=s.title,
        hours=float(s.hours),
        course_id=str(s.course_id) if s.course_id else None,
        teacher_id=str(s.teacher_id) if s.teacher_id else None,
        room_id=str(s.room_id) if s.room_id else None,
        site_id=str(s.site_id) if s.site_id else None,
        part=s.part,
        parts=s.parts,
    )


def _bookings_of(sessions: Iterable[ClassSession]) -> tt.Bookings:
    teachers: dict[str, set[tt.Slot]] = {}
    rooms: dict[str, set[tt.Slot]] = {}
    sites: dict[str, set[tt.Slot]] = {}
    for s in sessions:
        key = (as_date(s.day), s.slot)
        if s.teacher_id:
            teachers.setdefault(str(s.teacher_id), set()).add(key)
        if s.room_id:
            rooms.setdefault(str(s.room_id), set()).add(key)
        if s.site_id:
            sites.setdefault(str(s.site_id), set()).add(key)
    return tt.Bookings(
        teachers={k: frozenset(v) for k, v in teachers.items()},
        rooms={k: frozenset(v) for k, v in rooms.items()},
        sites={k: frozenset(v) for k, v in sites.items()},
    )


def _other_bookings(class_id: int) -> tt.Bookings:
    return _bookings_of(ClassSession.select().where(ClassSession.training_class != class_id))


def _resources(
    course_rows: Sequence[Course],
) -> tuple[list[tt.Teacher], list[tt.Room], list[tt.Site]]:
    teacher_ids = {c.teacher_id for c in course_rows if c.teacher_id}
    off: dict[int, set[dt.date]] = {}
    for u in TeacherUnavailable.select().where(TeacherUnavailable.teacher.in_(list(teacher_ids))):
        off.setdefault(u.teacher_id, set()).add(as_date(u.day))
    teachers = [
        tt.Teacher(str(t.id), t.name, frozenset(off.get(t.id, set())))
        for t in Teacher.select().where(Teacher.id.in_(list(teacher_ids)))
    ]
    rooms = [tt.Room(str(r.id), r.name, r.capacity) for r in Room.select().order_by(Room.id)]
    site_ids = {c.site_id for c in course_rows if c.site_id}
    sites = [
        tt.Site(str(s.id), s.name, s.address, s.travel_minutes)
        for s in Site.select().where(Site.id.in_(list(site_ids)))
    ]
    return teachers, rooms, sites


def _share_check(settings: tt.ClassSettings, courses: Sequence[Course]) -> None:
    available = settings.teaching_half_days()
    tol = settings.share_tolerance
    for mode, share in settings.target_shares().items():
        need = sum(c.half_days for c in courses if c.mode == mode)
        target = share * available
        if abs(need - target) > tol + 1e-9:
            raise tt.PlanningError(
                f"{mode}课程共 {need} 个半天，目标为 {target:.1f} 个半天"
                f"（可用 {available} 个半天），相差超过 {tol} 个半天，请增减课程",
                field="share_lecture",
            )


def plan_class_timetable(class_id: int, *, enforce_shares: bool = True) -> PlanResult:
    """Plan the class with models.training.planner.plan_class and store the sessions.

    Unlocked sessions without attendance are replaced; locked sessions and sessions with
    attendance records stay where they are, and their half-days, teachers, rooms and sites
    are kept out of the new plan. The bookings of every other class are respected.
    Raises PlanningError (nothing changed) naming the rule that blocks."""
    require(Permission.TRAINING)
    with write_transaction():
        c = class_row(class_id)
        if c.status == "已结业":
            raise DomainError(f"班次《{c.name}》已结业，不能重新排课", field="status")
        settings = _settings(c)
        rows = [
            cc.course
            for cc in ClassCourse.select(ClassCourse, Course)
            .join(Course)
            .where(ClassCourse.training_class == class_id)
            .order_by(ClassCourse.sort_order, ClassCourse.id)
        ]
        if not rows:
            raise tt.PlanningError(f"班次《{c.name}》还没有选择课程，请先从课程库中选课")
        existing = list(ClassSession.select().where(ClassSession.training_class == class_id))
        attended = {
            sid
            for (sid,) in Attendance.select(Attendance.session)
            .join(ClassSession)
            .where(ClassSession.training_class == class_id)
            .distinct()
            .tuples()
        }
        kept = [s for s in existing if s.locked or s.id in attended]
        slots = settings.class_slots()
        ends = {slots[0]: tt.OPENING, slots[-1]: tt.CLOSING} if slots else {}
        kept_keys = {(as_date(s.day), s.slot) for s in kept}
        for s in kept:
            key = (as_date(s.day), s.slot)
            if key in ends and not (s.mode == tt.OTHER and s.title == ends[key]):
                raise tt.PlanningError(
                    f"锁定的《{s.title}》在 {tt.slot_label(*key)}，"
                    f"该时段应安排{ends[key]}，请先解除锁定或移到其他时段"
                )
        # what remains to plan of each course
        kept_parts: dict[int, int] = {}
        for s in kept:
            if s.course_id:
                kept_parts[s.course_id] = kept_parts.get(s.course_id, 0) + 1
        to_plan: list[tt.Course] = []
        for course in rows:
            left = course.half_days - kept_parts.get(course.id, 0)
            if left <= 0:
                continue
            if course.mode == tt.FIELD_STUDY and left % 2:
                raise tt.PlanningError(
                    f"调研考察《{course.title}》只锁定了半天，须按整天安排：请同时锁定或解锁当天另外半天"
                )
            to_plan.append(_tt_course(course, left))
        teachers, rooms, sites = _resources(rows)
        bookings = _other_bookings(class_id).merged(_bookings_of(kept))
        if kept:
            if enforce_shares:
                _share_check(settings, rows)
            # the kept half-days are closed to this plan: no room is free for a lecture or
            # discussion there, and field visits are kept off them through a guard site
            block = {k for k in kept_keys if k not in ends}
            guard_rooms = {r.id: frozenset(block) for r in rooms}
            to_plan = [
                replace(x, site_id=x.site_id or f"guard-{x.id}") if x.mode == tt.FIELD_STUDY else x
                for x in to_plan
            ]
            guard_sites = {x.site_id: frozenset(block) for x in to_plan if x.mode == tt.FIELD_STUDY}
            sites = sites + [
                tt.Site(x.site_id, x.title)
                for x in to_plan
                if x.mode == tt.FIELD_STUDY and x.site_id and x.site_id.startswith("guard-")
            ]
            if not rooms:
                raise tt.PlanningError("有锁定的课表时段时，须先登记教室才能重新排课")
            bookings = bookings.merged(tt.Bookings(rooms=guard_rooms, sites=guard_sites))
        plan = tt.plan_class(
            settings,
            to_plan,
            teachers=teachers,
            rooms=rooms,
            sites=sites,
            bookings=bookings,
            enforce_shares=enforce_shares and not kept,
        )
        kept_ids = {s.id for s in kept}
        for s in existing:
            if s.id in kept_ids:
                continue
            # conditional on the version read above: a session someone locked or changed
            # meanwhile (on a server, after this read) is not thrown away
            same = (ClassSession.id == s.id) & (ClassSession.version == s.version)
            if ClassSession.delete().where(same).execute() != 1:
                label = f"课表时段 {tt.slot_label(as_date(s.day), s.slot)}《{s.title}》"
                raise changed_meanwhile(label, "class_session", s.id)
        new_rows = []
        for s in plan.sessions:
            if s.key in kept_keys:
                continue  # a kept ceremony
            site = s.site_id if s.site_id and not s.site_id.startswith("guard-") else None
            new_rows.append(
                {
                    "training_class": class_id,
                    "day": s.day,
                    "slot": s.slot,
                    "mode": s.mode,
                    "course": int(s.course_id) if s.course_id else None,
                    "title": s.title,
                    "teacher": int(s.teacher_id) if s.teacher_id else None,
                    "room": int(s.room_id) if s.room_id else None,
                    "site": int(site) if site else None,
                    "hours": stored_hours(s.hours),
                    "part": s.part,
                    "parts": s.parts,
                    "locked": False,
                }
            )
        if new_rows:
            ClassSession.insert_many(new_rows).execute()
        renumber_parts(class_id)
        return PlanResult(
            class_id, tuple(list_sessions(class_id)), class_shares(class_id), len(kept)
        )


def renumber_parts(class_id: int) -> None:
    """part/parts of every course's sessions in time order (after planning around kept ones,
    or moving a session)."""
    by_course: dict[int, list[ClassSession]] = {}
    for s in ClassSession.select().where(
        (ClassSession.training_class == class_id) & ClassSession.course.is_null(False)
    ):
        by_course.setdefault(s.course_id, []).append(s)
    for group in by_course.values():
        group.sort(key=lambda s: (as_date(s.day), _slot_rank(s.slot)))
        for k, s in enumerate(group, start=1):
            if (s.part, s.parts) != (k, len(group)):
                ClassSession.update(part=k, parts=len(group)).where(
                    ClassSession.id == s.id
                ).execute()


def _timetable(c: TrainingClass) -> tt.Timetable:
    sessions = ClassSession.select().where(ClassSession.training_class == c.id)
    return tt.Timetable(_settings(c), tuple(_tt_session(s) for s in sessions))


def class_shares(class_id: int) -> tuple[tt.ModeShare, ...]:
    """Half-days and 学时 of each mode against the class's target."""
    return tt.shares(_timetable(class_row(class_id)))


def class_clashes(class_id: int) -> tuple[tt.Clash, ...]:
    """Every rule the stored timetable breaks (other classes' bookings included)."""
    c = class_row(class_id)
    rows = [cc.course for cc in ClassCourse.select().where(ClassCourse.training_class == c.id)]
    session_courses = [
        s.course
        for s in ClassSession.select().where(ClassSession.training_class == c.id)
        if s.course_id
    ]
    every = {x.id: x for x in [*rows, *session_courses]}
    teachers, rooms, sites = _resources(list(every.values()))
    extra_t = {
        s.teacher_id
        for s in ClassSession.select().where(ClassSession.training_class == c.id)
        if s.teacher_id
    } - {int(t.id) for t in teachers}
    if extra_t:
        teachers += [
            tt.Teacher(str(t.id), t.name)
            for t in Teacher.select().where(Teacher.id.in_(list(extra_t)))
        ]
    sites = [tt.Site(str(s.id), s.name) for s in Site.select()]
    return tuple(
        tt.check_timetable(
            _timetable(c),
            courses=[_tt_course(x) for x in every.values()],
            teachers=teachers,
            rooms=rooms,
            sites=sites,
            bookings=_other_bookings(c.id),
        )
    )


def plan_new_class(
    name: str,
    start: dt.date,
    end: dt.date,
    *,
    course_titles: Sequence[str] | None = None,
    level: str = "专题班",
) -> PlanResult:
    """Create a class from library courses and plan it, all in one transaction: when no
    timetable fits, the PlanningError names the blocking rule and no class is left behind.
    Without ``course_titles`` every compulsory (non-elective) library course is used."""
    require(Permission.TRAINING)
    with write_transaction():
        library = list_courses()
        if course_titles is None:
            chosen = [c.id for c in library if not c.elective]
        else:
            by_title = {c.title: c.id for c in library}
            missing = [t for t in course_titles if t not in by_title]
            if missing:
                raise DomainError("课程库中没有这些课程：" + "、".join(f"《{t}》" for t in missing))
            chosen = [by_title[t] for t in course_titles]
        if not chosen:
            raise DomainError("课程库是空的，请先添加课程")
        cls = save_class(ClassInput(name=name, level=level, start=start, end=end))
        set_class_courses(cls.id, chosen)
        return plan_class_timetable(cls.id)


def format_plan_summary(class_id: int) -> str:
    """Class name, dates, and each mode's half-days and 学时 against the target, as text for
    the command line (``plan-class``)."""
    with write_transaction():
        c = get_class(class_id)
        sessions = list_sessions(class_id)
        shares = class_shares(class_id)
    total = sum((s.hours for s in sessions), Decimal(0))
    lines = [
        f"班次：{c.name}（{c.level}，{c.status}）",
        f"日期：{c.start.isoformat()} 至 {c.end.isoformat()}，"
        f"共 {len(sessions)} 个半天、{one_place(total)} 学时"
        f"（每半天 {one_place(c.hours_per_half_day)} 学时）",
        "三三制比例：",
    ]
    for s in shares:
        mark = "" if s.within_tolerance else "  ← 偏离目标"
        lines.append(
            f"  {s.mode}  {s.half_days} 个半天 / 目标 {one_place(s.target_half_days)}，"
            f"{one_place(s.hours)} 学时 / 目标 {one_place(s.target_hours)}{mark}"
        )
    return "\n".join(lines)
