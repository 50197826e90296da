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
from dataclasses import dataclass
from decimal import Decimal

from models.accounts import Permission, require
from models.calendar import class_days
from models.core.dates import as_date
from models.core.db import db, is_server, write_transaction
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
    SiteUnavailable,
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
    notes: tuple[str, ...] = ()  # what the planner decided (repeats, 自学/机动, left out)


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
    """The class's planning settings: its calendar less the national holidays (and its own
    days off), with the 调休上班 days it may use, its level and its limit of lectures."""
    dto = class_dto(c)
    slots = (tt.MORNING, tt.AFTERNOON, tt.EVENING) if dto.evening else (tt.MORNING, tt.AFTERNOON)
    calendar = class_days(dto.start, dto.end)
    return tt.ClassSettings(
        name=dto.name,
        start=dto.start,
        end=dto.end,
        teaching_weekdays=dto.weekdays,
        holidays=frozenset(dto.holidays) | calendar.days_off,
        slots=slots,
        hours_per_half_day=float(dto.hours_per_half_day),
        share_lecture=dto.share_lecture,
        share_field_study=dto.share_field_study,
        share_discussion=dto.share_discussion,
        share_tolerance=dto.share_tolerance,
        class_size=max(dto.class_size, dto.enrolled),
        level=dto.level,
        workdays=calendar.workdays,
        use_workdays=bool(c.use_workdays),
        max_lectures_in_row=int(c.max_lectures_in_row or 0),
        day_names=tuple(sorted(calendar.names.items())),
    )


def class_settings(class_id: int) -> tt.ClassSettings:
    """What the planner knows of the class: its half-days (holidays and 调休 applied), level
    and targets -- for a screen that lays out the class's days."""
    return _settings(class_row(class_id))


def _tt_course(c: Course) -> tt.Course:
    return tt.Course(
        id=str(c.id),
        title=c.title,
        mode=c.mode,
        half_days=c.half_days,
        teacher_id=str(c.teacher_id) if c.teacher_id else None,
        elective=bool(c.elective),
        block=c.block or None,
        follows=c.follows or None,
        site_id=str(c.site_id) if c.site_id else None,
        required=bool(c.required),
        priority=int(c.priority or 0),
        levels=tt.split_levels(c.levels or ""),
        repeatable=bool(c.repeatable),
        position=c.position if c.position in tt.POSITIONS else "",
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


def _resources() -> tuple[list[tt.Teacher], list[tt.Room], list[tt.Site]]:
    """Every teacher, room and site, with their unavailable days."""
    off: dict[int, set[dt.date]] = {}
    for tid, day in TeacherUnavailable.select(
        TeacherUnavailable.teacher, TeacherUnavailable.day
    ).tuples():
        off.setdefault(tid, set()).add(as_date(day))
    teachers = [
        tt.Teacher(str(t.id), t.name, frozenset(off.get(t.id, set())))
        for t in Teacher.select().order_by(Teacher.id)
    ]
    rooms = [tt.Room(str(r.id), r.name, r.capacity) for r in Room.select().order_by(Room.id)]
    closed: dict[int, set[dt.date]] = {}
    for sid, day in SiteUnavailable.select(SiteUnavailable.site, SiteUnavailable.day).tuples():
        closed.setdefault(sid, set()).add(as_date(day))
    sites = [
        tt.Site(str(x.id), x.name, x.address, x.travel_minutes, frozenset(closed.get(x.id, set())))
        for x in Site.select().order_by(Site.id)
    ]
    return teachers, rooms, sites


_PLANNING_LOCK = 1_303_013
"""The PostgreSQL advisory lock every 自动排课 takes for its transaction: two clients planning
at once would each read the other's teachers, rooms and sites as free and book them twice;
with it, the second waits and reads the first's plan. (SQLite's write transaction already
lets one writer in at a time.)"""


def _one_planner_at_a_time() -> None:
    if is_server():
        db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (_PLANNING_LOCK,))


def plan_class_timetable(class_id: int) -> PlanResult:
    """Plan the class with models.training.planner.plan_class and store the sessions.

    The courses come from the library: the ones chosen for the class first, then what the
    class's level, the courses' priorities and the 三三制 shares call for (a discussion or
    field-study format repeated, or 自学/机动 half-days left, when the library runs short);
    the plan's notes say what was decided and are stored with the class. Unlocked sessions
    without attendance are replaced; locked sessions and sessions with attendance stay where
    they are and count towards the shares. The bookings of every other class are respected,
    and two clients planning at once take turns. Raises PlanningError (nothing changed)
    naming the rule that blocks."""
    require(Permission.TRAINING)
    with write_transaction():
        _one_planner_at_a_time()
        c = class_row(class_id)
        if c.status == "已结业":
            raise DomainError(f"班次《{c.name}》已结业，不能重新排课", field="status")
        settings = _settings(c)
        library = [_tt_course(x) for x in Course.select().order_by(Course.id)]
        if not library:
            raise tt.PlanningError("课程库中还没有课程，请先在“课程库”中添加课程")
        chosen = [
            str(cid)
            for (cid,) in ClassCourse.select(ClassCourse.course)
            .where(ClassCourse.training_class == class_id)
            .order_by(ClassCourse.sort_order, ClassCourse.id)
            .tuples()
        ]
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
        teachers, rooms, sites = _resources()
        by_id = {x.id: x for x in library}
        plan = tt.plan_class(
            settings,
            [by_id[cid] for cid in chosen if cid in by_id],
            library=library,
            kept=[_tt_session(s) for s in kept],
            teachers=teachers,
            rooms=rooms,
            sites=sites,
            bookings=_other_bookings(class_id),
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
        new_rows = [
            {
                "training_class": class_id,
                "day": s.day,
                "slot": s.slot,
                "mode": s.mode,
                "course": int(tt.library_id(s.course_id)) if s.course_id else None,
                "title": s.title,
                "teacher": int(s.teacher_id) if s.teacher_id else None,
                "room": int(s.room_id) if s.room_id else None,
                "site": int(s.site_id) if s.site_id else None,
                "hours": stored_hours(s.hours),
                "part": s.part,
                "parts": s.parts,
                "locked": False,
            }
            for s in plan.sessions
        ]
        if new_rows:
            ClassSession.insert_many(new_rows).execute()
        renumber_parts(class_id)
        TrainingClass.update(plan_notes="\n".join(plan.notes)).where(
            TrainingClass.id == class_id
        ).execute()
        return PlanResult(
            class_id,
            tuple(list_sessions(class_id)),
            class_shares(class_id),
            len(kept),
            plan.notes,
        )


def plan_notes(class_id: int) -> tuple[str, ...]:
    """What the last 自动排课 of the class decided (a course repeated, 自学/机动 half-days
    left, a course left out …), one sentence each; empty when nothing needed saying."""
    text = class_row(class_id).plan_notes or ""
    return tuple(line for line in text.splitlines() if line.strip())


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
    """Every rule the stored timetable breaks (other classes' bookings included); none while
    the class has no sessions yet."""
    c = class_row(class_id)
    timetable = _timetable(c)
    if not timetable.sessions:
        return ()
    teachers, rooms, sites = _resources()
    return tuple(
        tt.check_timetable(
            timetable,
            courses=[_tt_course(x) for x in Course.select().order_by(Course.id)],
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
    shares: tuple[float, float, float] | None = None,
    weekdays: Iterable[int] | None = None,
    use_workdays: bool = False,
) -> PlanResult:
    """Create a class and plan it, all in one transaction: when no timetable fits, the
    PlanningError names the blocking rule and no class is left behind. ``course_titles``:
    the library courses chosen for the class (None: the planner picks from the library by
    the class's level); ``shares``: 课堂教学 : 调研考察 : 研讨交流 (e.g. 4, 3, 3; None: a
    third each); ``weekdays``: the teaching days, Monday = 0 (None: Monday to Friday; (2,)
    for a one-day-a-week 在职 class); ``use_workdays``: teach on 调休上班 days too."""
    require(Permission.TRAINING)
    with write_transaction():
        chosen: list[int] = []
        if course_titles is not None:
            by_title = {c.title: c.id for c in list_courses()}
            missing = [t for t in course_titles if t not in by_title]
            if missing:
                raise DomainError("课程库中没有这些课程：" + "、".join(f"《{t}》" for t in missing))
            chosen = [by_title[t] for t in course_titles]
        values: dict[str, object] = {"name": name, "level": level, "start": start, "end": end}
        if shares is not None:
            total = sum(shares)
            if len(shares) != 3 or total <= 0 or any(x < 0 for x in shares):
                raise DomainError(
                    "三三制比例应为三个不小于 0 的数（课堂教学:调研考察:研讨交流），如 4:3:3",
                    field="share_lecture",
                )
            values.update(
                share_lecture=shares[0] / total,
                share_field_study=shares[1] / total,
                share_discussion=shares[2] / total,
            )
        if weekdays is not None:
            values["weekdays"] = tuple(sorted(set(weekdays)))
        cls = save_class(ClassInput(**values))  # type: ignore[arg-type]
        if use_workdays:
            TrainingClass.update(use_workdays=True).where(TrainingClass.id == cls.id).execute()
        if chosen:
            set_class_courses(cls.id, chosen)
        return plan_class_timetable(cls.id)


def format_plan_summary(class_id: int) -> str:
    """Class name, dates, each mode's half-days and 学时 against the target, the 自学/机动
    half-days and what the planner decided, as text for the command line (``plan-class``)."""
    with write_transaction():
        c = get_class(class_id)
        sessions = list_sessions(class_id)
        shares = class_shares(class_id)
        notes = plan_notes(class_id)
        settings = class_settings(class_id)
    total = sum((s.hours for s in sessions), Decimal(0))
    days = len({d for d, _ in settings.class_slots()})
    lines = [
        f"班次：{c.name}（{c.level}，{c.status}）",
        f"日期：{c.start.isoformat()} 至 {c.end.isoformat()}，{days} 个教学日，"
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
    flex = [s for s in sessions if s.mode == tt.OTHER and s.title in tt.FLEX_TITLES]
    if flex:
        counts = {t: sum(1 for s in flex if s.title == t) for t in tt.FLEX_TITLES}
        text = "、".join(f"{t} {n} 个半天" for t, n in counts.items() if n)
        lines.append(f"  另有 {text}（不计入三种教学形式）")
    if notes:
        lines.append("排课说明：")
        lines.extend(f"  · {n}" for n in notes)
    return "\n".join(lines)
