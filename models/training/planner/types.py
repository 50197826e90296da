"""三三制 timetable: constants, input/output records, PlanningError and the text helpers the
planner's messages share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from models.core.errors import DomainError

LECTURE = "课堂教学"
FIELD_STUDY = "调研考察"
DISCUSSION = "研讨交流"
OTHER = "其他"
MODES: tuple[str, str, str] = (LECTURE, FIELD_STUDY, DISCUSSION)

MORNING = "上午"
AFTERNOON = "下午"
EVENING = "晚上"
SLOT_ORDER: tuple[str, str, str] = (MORNING, AFTERNOON, EVENING)

OPENING = "开班式"
CLOSING = "结业式"

WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

Slot = tuple[date, str]


class PlanningError(DomainError):
    """No timetable satisfies the rules; the message names the rule and the dates."""


# ---------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class ClassSettings:
    """The class's calendar and targets."""

    name: str
    start: date
    end: date
    teaching_weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday = 0
    holidays: frozenset[date] = frozenset()
    slots: tuple[str, ...] = (MORNING, AFTERNOON)  # add EVENING for evening sessions
    hours_per_half_day: float = 4.0
    share_lecture: float = 1 / 3
    share_field_study: float = 1 / 3
    share_discussion: float = 1 / 3
    share_tolerance: int = 1  # half-days a mode may differ from its target
    class_size: int = 0

    def target_shares(self) -> dict[str, float]:
        return {
            LECTURE: self.share_lecture,
            FIELD_STUDY: self.share_field_study,
            DISCUSSION: self.share_discussion,
        }

    def class_slots(self) -> list[Slot]:
        """Every half-day of the class in time order (the last day's evening is left out,
        so that 结业式 closes the class)."""
        order = [s for s in SLOT_ORDER if s in self.slots]
        result: list[Slot] = []
        day = self.start
        while day <= self.end:
            if day.weekday() in self.teaching_weekdays and day not in self.holidays:
                result.extend((day, s) for s in order)
            day += timedelta(days=1)
        if result and result[-1][1] == EVENING and len(result) > 1:
            result.pop()
        return result

    def teaching_half_days(self) -> int:
        """Half-days available to the three modes: all class slots minus the two ceremonies."""
        return max(0, len(self.class_slots()) - 2)


@dataclass(frozen=True)
class Course:
    """A course chosen for the class. ``half_days`` sessions of one half-day each."""

    id: str
    title: str
    mode: str
    half_days: int = 1
    teacher_id: str | None = None
    elective: bool = False
    block: str | None = None  # lecture: the teaching block (专题) it belongs to; default its id
    follows: str | None = None  # discussion: the block (or lecture course id) it discusses
    site_id: str | None = None  # field study: the 现场教学点


@dataclass(frozen=True)
class Teacher:
    id: str
    name: str
    unavailable: frozenset[date] = frozenset()


@dataclass(frozen=True)
class Room:
    id: str
    name: str
    capacity: int


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    address: str = ""
    travel_minutes: int = 0


@dataclass(frozen=True)
class Bookings:
    """Half-days already taken by other classes, by teacher, room and site id."""

    teachers: Mapping[str, frozenset[Slot]] = field(default_factory=dict)
    rooms: Mapping[str, frozenset[Slot]] = field(default_factory=dict)
    sites: Mapping[str, frozenset[Slot]] = field(default_factory=dict)

    def merged(self, *others: Bookings) -> Bookings:
        """These bookings together with ``others``."""

        def join(maps: Iterable[Mapping[str, frozenset[Slot]]]) -> dict[str, frozenset[Slot]]:
            out: dict[str, set[Slot]] = {}
            for m in maps:
                for key, slots in m.items():
                    out.setdefault(key, set()).update(slots)
            return {k: frozenset(v) for k, v in out.items()}

        every = (self, *others)
        return Bookings(
            teachers=join(b.teachers for b in every),
            rooms=join(b.rooms for b in every),
            sites=join(b.sites for b in every),
        )


# ---------------------------------------------------------------------------- output


@dataclass(frozen=True)
class Session:
    """One half-day of the timetable."""

    day: date
    slot: str
    mode: str
    title: str
    hours: float
    course_id: str | None = None
    teacher_id: str | None = None
    room_id: str | None = None
    site_id: str | None = None
    elective: bool = False
    part: int = 1  # which half-day of the course this is (1-based)
    parts: int = 1  # how many half-days the course has

    @property
    def key(self) -> Slot:
        return (self.day, self.slot)


@dataclass(frozen=True)
class Timetable:
    settings: ClassSettings
    sessions: tuple[Session, ...]

    def at(self, day: date, slot: str) -> Session | None:
        for s in self.sessions:
            if s.day == day and s.slot == slot:
                return s
        return None

    def total_hours(self) -> float:
        return sum(s.hours for s in self.sessions)

    def bookings(self) -> Bookings:
        """What this class occupies, to pass as ``bookings`` when planning another class."""
        teachers: dict[str, set[Slot]] = {}
        rooms: dict[str, set[Slot]] = {}
        sites: dict[str, set[Slot]] = {}
        for s in self.sessions:
            if s.teacher_id:
                teachers.setdefault(s.teacher_id, set()).add(s.key)
            if s.room_id:
                rooms.setdefault(s.room_id, set()).add(s.key)
            if s.site_id:
                sites.setdefault(s.site_id, set()).add(s.key)
        return Bookings(
            teachers={k: frozenset(v) for k, v in teachers.items()},
            rooms={k: frozenset(v) for k, v in rooms.items()},
            sites={k: frozenset(v) for k, v in sites.items()},
        )


@dataclass(frozen=True)
class ModeShare:
    mode: str
    half_days: int
    hours: float
    target_half_days: float
    target_hours: float
    within_tolerance: bool

    @property
    def difference(self) -> float:
        """Half-days above (positive) or below (negative) the target."""
        return self.half_days - self.target_half_days


@dataclass(frozen=True)
class Clash:
    """A rule a (hand-edited) timetable breaks at one half-day."""

    day: date
    slot: str
    kind: str  # short Chinese label, e.g. 教师冲突
    message: str


# ---------------------------------------------------------------------------- text helpers


def slot_label(day: date, slot: str) -> str:
    return f"{day.isoformat()} {slot}"


def date_ranges(days: Iterable[date]) -> str:
    """'2026-03-02 至 03-06、2026-03-09' for a set of dates (runs of consecutive days)."""
    ordered = sorted(set(days))
    if not ordered:
        return ""
    runs: list[tuple[date, date]] = []
    first = last = ordered[0]
    for d in ordered[1:]:
        if d - last == timedelta(days=1):
            last = d
        else:
            runs.append((first, last))
            first = last = d
    runs.append((first, last))
    parts = []
    for a, b in runs:
        if a == b:
            parts.append(a.isoformat())
        elif a.year == b.year:
            parts.append(f"{a.isoformat()} 至 {b.strftime('%m-%d')}")
        else:
            parts.append(f"{a.isoformat()} 至 {b.isoformat()}")
    if len(parts) > 4:
        parts = [*parts[:4], f"等 {len(parts)} 段"]
    return "、".join(parts)


def format_share(value: float) -> str:
    """3 → '3', 33.333 → '33.3' (half-days and percentages in messages)."""
    return f"{value:g}" if abs(value - round(value)) < 1e-9 else f"{value:.1f}"
