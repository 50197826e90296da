"""三三制 timetable: the verifier -- every rule of
:data:`~models.training.planner.rules.RULES` checked on a finished timetable, for the tests
and for anyone who wants to know that a plan is sound.

On top of the half-day clashes of :func:`~models.training.planner.check.check_timetable`
(calendar, holidays and 调休 days, resources and their unavailable days, whole field days,
order of discussions, ceremonies, 开班第一课, 结业前 course, lectures in a row) it checks the
whole class: every half-day of the class holds exactly one session, the shares are within
the tolerance, every required course of the class's level is there, and a visit to a distant
site begins with its 去程 and ends with its 返程.
"""

from __future__ import annotations

from collections.abc import Sequence

from models.training.planner.check import check_timetable
from models.training.planner.plan import shares
from models.training.planner.rules import (
    TRAVEL_MINUTES,
    library_id,
    suits_level,
    travel_titles,
)
from models.training.planner.types import (
    FIELD_STUDY,
    Bookings,
    Course,
    Room,
    Session,
    Site,
    Teacher,
    Timetable,
    Violation,
    format_share,
    slot_label,
)

__all__ = ["verify_timetable"]


def verify_timetable(
    timetable: Timetable,
    *,
    courses: Sequence[Course] = (),
    teachers: Sequence[Teacher] = (),
    rooms: Sequence[Room] = (),
    sites: Sequence[Site] = (),
    bookings: Bookings | None = None,
    library: Sequence[Course] = (),
) -> list[Violation]:
    """Every rule ``timetable`` breaks; empty when it is sound. ``courses``: what its course
    ids stand for; ``library``: the course library it was planned from (its required courses
    of the class's level must all be there)."""
    every = {c.id: c for c in [*library, *courses]}
    found = [
        Violation(c.rule, c.message, c.day, c.slot)
        for c in check_timetable(
            timetable,
            courses=list(every.values()),
            teachers=teachers,
            rooms=rooms,
            sites=sites,
            bookings=bookings,
        )
    ]
    settings = timetable.settings
    taken: dict[tuple[object, str], int] = {}
    for s in timetable.sessions:
        taken[s.key] = taken.get(s.key, 0) + 1
    found.extend(
        Violation("one_per_half_day", f"{slot_label(*slot)} 没有安排任何内容", *slot)
        for slot in settings.class_slots()
        if slot not in taken
    )
    found.extend(
        Violation(
            "shares",
            f"{m.mode} {m.half_days} 个半天，"
            f"目标 {format_share(round(m.target_half_days, 1))} 个半天，"
            f"相差超过 {settings.share_tolerance} 个半天",
        )
        for m in shares(timetable)
        if not m.within_tolerance
    )
    present = {library_id(s.course_id) for s in timetable.sessions if s.course_id}
    found.extend(
        Violation("required", f"必修课《{c.title}》不在课表中")
        for c in library
        if c.required and suits_level(c.levels, settings.level) and c.id not in present
    )
    found.extend(_travel(timetable.sessions, every, {s.id: s for s in sites}))
    return found


def _travel(
    sessions: Sequence[Session], courses: dict[str, Course], sites: dict[str, Site]
) -> list[Violation]:
    """A visit to a distant site: its first half-day is the 去程, its last the 返程."""
    out: list[Violation] = []
    visits: dict[str, list[Session]] = {}
    for s in sessions:
        if (
            s.mode == FIELD_STUDY
            and s.course_id
            and s.site_id in sites
            and sites[s.site_id].travel_minutes >= TRAVEL_MINUTES
        ):
            visits.setdefault(s.course_id, []).append(s)
    for cid, mine in visits.items():
        mine.sort(key=lambda s: (s.day, s.slot != "上午"))
        course = courses.get(cid) or courses.get(library_id(cid))
        title = course.title if course else mine[0].title
        go, back = travel_titles(title)
        for s, want, what in (
            (mine[0], go, "第一个半天应为去程"),
            (mine[-1], back, "最后一个半天应为返程"),
        ):
            if not s.title.endswith(want[len(title) :]):
                text = f"《{title}》的现场教学点路途较远，{what}"
                out.append(Violation("field_whole_days", text, s.day, s.slot))
    return out
