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

When nothing fits, :class:`PlanningError` says which rule blocks and where.

Method: field-study days are placed first, spread evenly over the class, each at the
feasible day nearest its ideal position. Lectures and discussions are then placed block by
block, each at the earliest free feasible half-day; when a session has no free half-day
left, a short depth-limited search moves already placed sessions to make room (an
augmenting path, as in bipartite matching). Everything iterates in a fixed order, so the
same input always gives the same timetable.
"""

from __future__ import annotations

from collections.abc import Sequence

from models.training.planner.check import check_timetable
from models.training.planner.search import _capacity_checks, _Planner, _sequence, _Unit, _validate
from models.training.planner.types import (
    AFTERNOON,
    CLOSING,
    DISCUSSION,
    EVENING,
    FIELD_STUDY,
    LECTURE,
    MODES,
    MORNING,
    OPENING,
    OTHER,
    SLOT_ORDER,
    WEEKDAY_NAMES,
    Bookings,
    Clash,
    ClassSettings,
    Course,
    ModeShare,
    PlanningError,
    Room,
    Session,
    Site,
    Slot,
    Teacher,
    Timetable,
    slot_label,
)

__all__ = [
    "AFTERNOON",
    "Bookings",
    "CLOSING",
    "Clash",
    "ClassSettings",
    "Course",
    "DISCUSSION",
    "EVENING",
    "FIELD_STUDY",
    "LECTURE",
    "MODES",
    "MORNING",
    "ModeShare",
    "OPENING",
    "OTHER",
    "PlanningError",
    "Room",
    "SLOT_ORDER",
    "Session",
    "Site",
    "Slot",
    "Teacher",
    "Timetable",
    "WEEKDAY_NAMES",
    "check_timetable",
    "plan_class",
    "shares",
    "slot_label",
]

_SEARCH_DEPTH = 4


# ---------------------------------------------------------------------------- planner


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
    planner = _Planner(settings, courses, teacher_map, rooms, site_map, bookings or Bookings())
    _capacity_checks(settings, courses, planner, enforce_shares)

    first, last = 0, planner.n - 1
    opening_room = planner.ceremony_room(first, OPENING)
    closing_room = planner.ceremony_room(last, CLOSING)

    field_units = [_Unit(c, 1, None) for c in courses if c.mode == FIELD_STUDY]
    planner.place_field(field_units)

    for unit in _sequence(courses):
        if not planner.place(unit, _SEARCH_DEPTH, set()):
            raise PlanningError(planner.unit_failure(unit), record=unit.course.id)

    hours = settings.hours_per_half_day
    sessions: list[Session] = [
        Session(*planner.slots[first], OTHER, OPENING, hours, room_id=opening_room),
        Session(*planner.slots[last], OTHER, CLOSING, hours, room_id=closing_room),
    ]
    by_course: dict[str, list[int]] = {}
    for i, unit in enumerate(planner.occ):
        if unit is not None:
            by_course.setdefault(unit.course.id, []).append(i)
    course_map = {c.id: c for c in courses}
    for cid, places in by_course.items():
        c = course_map[cid]
        for part, i in enumerate(places, start=1):
            sessions.append(
                Session(
                    *planner.slots[i],
                    mode=c.mode,
                    title=c.title,
                    hours=hours,
                    course_id=c.id,
                    teacher_id=c.teacher_id,
                    room_id=planner.room_at[i] if c.mode != FIELD_STUDY else None,
                    site_id=c.site_id if c.mode == FIELD_STUDY else None,
                    elective=c.elective,
                    part=part,
                    parts=len(places),
                )
            )
    order = {s: i for i, s in enumerate(planner.slots)}
    sessions.sort(key=lambda s: order[s.key])
    return Timetable(settings, tuple(sessions))


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
