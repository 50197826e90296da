"""三三制 timetable planning (DOMAIN §3.7): pure rules, no database, no Qt.

The unit of scheduling is the half-day slot (上午 / 下午, optionally 晚上). A class has
开班式 in its first slot and 结业式 in its last; every other slot holds one session of
课堂教学, 调研考察 or 研讨交流, or a 自学/机动 half-day. :func:`plan_class` places courses
so that every rule of :data:`~models.training.planner.rules.RULES` holds:

* each mode has its target share of the teaching half-days, within ``share_tolerance``;
* 开班第一课 right after 开班式, the 结业前 course (结业交流、党性分析) right before 结业式;
* field study takes whole days (a longer visit, consecutive days; a distant site adds
  travel half-days);
* a discussion comes after every lecture of the block it discusses;
* no more than ``max_lectures_in_row`` lecture half-days in a row;
* no teacher, room or field-study site is booked twice, counting other classes' bookings;
* teachers and sites are not booked on their unavailable dates; every room holds the class.

Given the course ``library``, it first chooses the courses (models.training.planner.select)
and, when one of the courses it chose cannot be placed, chooses again without it (without
only that holding, for a repeated discussion or visit; without the block's late lecture, for
a discussion that cannot follow it), so the selection fills the mode with another course, a
repeat or 自学/机动 half-days. When nothing fits, :class:`PlanningError` says which rule
blocks and where. Here: checking the input, the retries and the shares of a timetable;
the placement itself is :func:`models.training.planner.search.place_sessions`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from models.training.planner.rules import (
    BEFORE_CLOSING,
    OPENING_LECTURE,
    library_id,
    repeat_title,
)
from models.training.planner.search import Placing, Unplaced, place_sessions
from models.training.planner.select import select_courses
from models.training.planner.types import (
    AFTERNOON,
    DISCUSSION,
    FIELD_STUDY,
    LECTURE,
    MODES,
    MORNING,
    SLOT_ORDER,
    Bookings,
    ClassSettings,
    Course,
    ModeShare,
    PlanningError,
    Room,
    Session,
    Site,
    Teacher,
    Timetable,
)

__all__ = ["plan_class", "shares"]


def plan_class(
    settings: ClassSettings,
    courses: Sequence[Course],
    *,
    library: Sequence[Course] | None = None,
    kept: Sequence[Session] = (),
    teachers: Sequence[Teacher] = (),
    rooms: Sequence[Room] = (),
    sites: Sequence[Site] = (),
    bookings: Bookings | None = None,
    enforce_shares: bool = True,
) -> Timetable:
    """Plan the class's timetable or raise :class:`PlanningError` naming the rule that blocks.

    Without ``library``: place exactly ``courses`` (``enforce_shares`` False: even when
    their half-days are off the target shares; ``shares()`` then shows the difference).
    With ``library``: ``courses`` are the ones the user chose for the class (may be none);
    the planner takes them and what else the library offers to reach the shares, repeats a
    discussion or field-study format or leaves 自学/机动 half-days when the library runs short,
    and says so in the timetable's ``notes``. ``kept``: sessions that stay where they are
    (locked, or with attendance); they count towards the shares and are not in the result.
    ``rooms`` empty: rooms are not assigned. Half-days left empty become 机动."""
    teacher_map = {t.id: t for t in teachers}
    site_map = {s.id: s for s in sites}
    if library is not None:
        library = _usable_library(settings, library)
        by_id = {c.id: c for c in library}
        courses = [by_id[c.id] for c in courses if c.id in by_id]
    every = list(courses) if library is None else list(library)
    _validate(settings, every, teacher_map, rooms, site_map)
    bookings = bookings or Bookings()
    blocks = {c.id: c.block or c.id for c in every if c.mode == LECTURE}
    if library is None:
        opening = next((c.id for c in courses if c.position == OPENING_LECTURE), None)
        if opening is None:
            opening = next((c.id for c in courses if c.required and c.mode == LECTURE), None)
        closing = next((c.id for c in courses if c.position == BEFORE_CLOSING), None)
        what = Placing(courses, opening, closing, kept, blocks)
        sessions, notes = place_sessions(
            settings, what, teacher_map, rooms, site_map, bookings, enforce_shares=enforce_shares
        )
        return Timetable(settings, tuple(sessions), tuple(notes))

    chosen = [c.id for c in courses]
    left_out: dict[str, str] = {}
    names = {c.id: c.title for c in library}
    while True:
        sel = select_courses(
            settings,
            library,
            chosen=chosen,
            kept=kept,
            teachers=teacher_map,
            sites=site_map,
            bookings=bookings,
            leave_out=left_out,
        )
        what = Placing(sel.courses, sel.opening, sel.closing, kept, blocks, sel.flex)
        try:
            sessions, notes = place_sessions(settings, what, teacher_map, rooms, site_map, bookings)
        except PlanningError as e:
            culprit = _culprit(e, sel.must, left_out)
            if culprit is None:
                raise
            left_out[culprit] = _why(e, culprit, names)
            continue
        dropped = [f"未排入《{_title(cid, names)}》：{why}" for cid, why in left_out.items()]
        return Timetable(settings, tuple(sessions), _unique([*sel.notes, *notes, *dropped]))


def _culprit(e: PlanningError, must: frozenset[str], left_out: Mapping[str, str]) -> str | None:
    """The course to leave out after ``e``: the first of its culprits that may go (a
    repeated holding by its own id, so that only that holding goes), or None."""
    culprits = e.culprits if isinstance(e, Unplaced) else (e.record,) if e.record else ()
    for cid in culprits:
        key = cid if "#" in cid else library_id(cid)
        if library_id(key) not in must and key not in left_out:
            return key
    return None


def _why(e: PlanningError, culprit: str, names: Mapping[str, str]) -> str:
    """Why ``culprit`` is left out: the error's message, and when the error was about
    another course (a discussion that cannot follow this lecture), which one."""
    if e.record is None or library_id(e.record) == library_id(culprit):
        return e.message
    return f"排入后研讨课程《{_title(e.record, names)}》无法排在其后。{e.message}"


def _title(cid: str, names: Mapping[str, str]) -> str:
    """The title of a library course or of one repeated holding of it."""
    lid = library_id(cid)
    time = int(cid.split("#", 1)[1]) if "#" in cid else 1
    return repeat_title(names.get(lid, lid), time)


def _usable_library(settings: ClassSettings, library: Sequence[Course]) -> list[Course]:
    """The library as the planner may use it: a discussion of a block no lecture of the
    library teaches is a discussion of its own; without 上午 and 下午 no field study."""
    blocks = {c.block or c.id for c in library if c.mode == LECTURE}
    whole = MORNING in settings.slots and AFTERNOON in settings.slots
    out = []
    for c in library:
        if c.mode == FIELD_STUDY and not whole:
            continue
        if c.mode == DISCUSSION and c.follows is not None and c.follows not in blocks:
            c = replace(c, follows=None)
        out.append(c)
    return out


def _unique(notes: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n for n in notes if n))


def _validate(
    settings: ClassSettings,
    courses: Sequence[Course],
    teachers: Mapping[str, Teacher],
    rooms: Sequence[Room],
    sites: Mapping[str, Site],
) -> None:
    name = f"班次《{settings.name}》"
    if settings.start > settings.end:
        raise PlanningError(
            f"{name}的开班日期 {settings.start} 晚于结业日期 {settings.end}", field="start"
        )
    bad_slots = [s for s in settings.slots if s not in SLOT_ORDER]
    if bad_slots:
        raise PlanningError(
            f"{name}的时段“{bad_slots[0]}”无效，应为 上午、下午 或 晚上", field="slots"
        )
    bad_days = [d for d in settings.teaching_weekdays if d not in range(7)]
    if bad_days:
        raise PlanningError(
            f"{name}的教学日 {bad_days[0]} 无效，应为 0（周一）至 6（周日）",
            field="teaching_weekdays",
        )
    if settings.hours_per_half_day <= 0:
        raise PlanningError(f"{name}的每半天学时须大于 0", field="hours_per_half_day")
    if settings.class_size < 0:
        raise PlanningError(f"{name}的学员人数不能为负数", field="class_size")
    if settings.share_tolerance < 0:
        raise PlanningError(f"{name}的比例允许偏差不能为负数", field="share_tolerance")
    shares = settings.target_shares()
    if any(v < 0 for v in shares.values()) or abs(sum(shares.values()) - 1) > 1e-6:
        text = "、".join(f"{m} {v:.3f}" for m, v in shares.items())
        raise PlanningError(
            f"{name}的三种教学形式目标比例之和须为 1，现为 {text}", field="share_lecture"
        )
    if settings.max_lectures_in_row < 0:
        raise PlanningError(
            f"{name}的连续课堂教学半天数上限不能为负数", field="max_lectures_in_row"
        )
    if len(settings.class_slots()) < 2:
        raise PlanningError(
            f"{name}在 {settings.start} 至 {settings.end} 之间不足两个半天，无法安排开班式和结业式",
            rule="class_length",
            field="end",
        )

    seen: set[str] = set()
    lecture_blocks = {c.block or c.id for c in courses if c.mode == LECTURE}
    for c in courses:
        label = f"课程《{c.title}》"
        if c.id in seen:
            raise PlanningError(f"{label}的编号 {c.id} 重复", field="id", record=c.id)
        seen.add(c.id)
        if c.mode not in MODES:
            raise PlanningError(
                f"{label}的教学形式“{c.mode}”无效，应为 课堂教学、调研考察 或 研讨交流",
                field="mode",
                record=c.id,
            )
        if c.half_days < 1:
            raise PlanningError(f"{label}的半天数须至少为 1", field="half_days", record=c.id)
        if c.position not in ("", OPENING_LECTURE, BEFORE_CLOSING):
            raise PlanningError(
                f"{label}的位置“{c.position}”无效，应为 开班第一课、结业前 或不填",
                field="position",
                record=c.id,
            )
        if c.mode == FIELD_STUDY and c.half_days % 2:
            raise PlanningError(
                f"{label}为调研考察，须按整天安排，半天数应为偶数，现为 {c.half_days}",
                field="half_days",
                record=c.id,
            )
        if c.mode == FIELD_STUDY and (
            MORNING not in settings.slots or AFTERNOON not in settings.slots
        ):
            raise PlanningError(
                f"{label}为调研考察，须占用整天（上午和下午），但{name}未启用上午或下午时段",
                field="slots",
                record=c.id,
            )
        if c.teacher_id is not None and c.teacher_id not in teachers:
            raise PlanningError(
                f"{label}的授课教师编号 {c.teacher_id} 不在教师名单中",
                field="teacher_id",
                record=c.id,
            )
        if c.site_id is not None and c.site_id not in sites:
            raise PlanningError(
                f"{label}的现场教学点编号 {c.site_id} 不在教学点名单中",
                field="site_id",
                record=c.id,
            )
        if c.follows is not None and c.mode != DISCUSSION:
            raise PlanningError(
                f"{label}不是研讨交流，不能设置“研讨的专题”", field="follows", record=c.id
            )
        if c.mode == DISCUSSION and c.follows is not None and c.follows not in lecture_blocks:
            raise PlanningError(
                f"{label}研讨的专题“{c.follows}”不是本班任何课堂教学课程的专题或编号",
                field="follows",
                record=c.id,
            )
    for r in rooms:
        if r.capacity < 0:
            raise PlanningError(f"教室《{r.name}》的容量不能为负数", field="capacity", record=r.id)


# ---------------------------------------------------------------------------- checks


def shares(timetable: Timetable) -> tuple[ModeShare, ModeShare, ModeShare]:
    """Half-days and 学时 of each mode against its target: share × the class's half-days
    besides the two ceremonies (all of them in a one-day class, whose ceremonies are brief).
    自学 and 机动 half-days are in that base but in no mode."""
    settings = timetable.settings
    available = settings.teaching_half_days()
    out = []
    for mode, share in settings.target_shares().items():
        mine = [s for s in timetable.sessions if s.mode == mode]
        target = share * available
        out.append(
            ModeShare(
                mode=mode,
                half_days=len(mine),
                hours=sum(s.hours for s in mine),
                target_half_days=target,
                target_hours=target * settings.hours_per_half_day,
                within_tolerance=abs(len(mine) - target) <= settings.share_tolerance + 1e-9,
            )
        )
    return (out[0], out[1], out[2])
