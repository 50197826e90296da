"""三三制 timetable planning (DOMAIN §3.7): pure rules, no database, no Qt.

The unit of scheduling is the half-day slot (上午 / 下午, optionally 晚上). A class has
开班式 in its first slot and 结业式 in its last; every other slot may hold one session of
课堂教学, 调研考察 or 研讨交流. The planner places the chosen courses so that

* each mode has its target share of the teaching half-days, within ``share_tolerance``;
* field study takes whole days (上午 and 下午 of one day; a longer visit takes
  consecutive calendar days);
* a discussion comes after every lecture of the block it discusses;
* no teacher, room or field-study site is booked twice, counting other classes' bookings;
* teachers are not booked on their unavailable dates;
* every room used holds the class.

When nothing fits, :class:`PlanningError` says which rule blocks and where. Here: checking
the input and the shares of a timetable; the placement itself is
:func:`models.training.planner.search.place_sessions`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from models.training.planner.search import place_sessions
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
    Site,
    Teacher,
    Timetable,
)

__all__ = ["plan_class", "shares"]


def plan_class(
    settings: ClassSettings,
    courses: Sequence[Course],
    *,
    teachers: Sequence[Teacher] = (),
    rooms: Sequence[Room] = (),
    sites: Sequence[Site] = (),
    bookings: Bookings | None = None,
    enforce_shares: bool = True,
) -> Timetable:
    """Plan the class's timetable or raise :class:`PlanningError` naming what blocks.

    ``rooms`` empty: rooms are not assigned. ``enforce_shares`` False: plan courses whose
    half-days are off the target shares (``shares()`` then shows the difference)."""
    teacher_map = {t.id: t for t in teachers}
    site_map = {s.id: s for s in sites}
    _validate(settings, courses, teacher_map, rooms, site_map)
    sessions = place_sessions(
        settings,
        courses,
        teacher_map,
        rooms,
        site_map,
        bookings or Bookings(),
        enforce_shares=enforce_shares,
    )
    return Timetable(settings, tuple(sessions))


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
    if len(settings.class_slots()) < 2:
        raise PlanningError(
            f"{name}在 {settings.start} 至 {settings.end} 之间不足两个半天，无法安排开班式和结业式",
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
    """Half-days and 学时 of each mode against its target (target = share × the class's
    half-days other than the two ceremonies)."""
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
