"""三三制 timetable: constants, input/output records, PlanningError and the text helpers the
planner's messages share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from models.core.errors import DomainError
from models.training.planner.rules import (
    BRIEF_SLOTS,
    FLEX_TITLES,
    OPENING_LECTURE,
    SHORT_SLOTS,
    rule_name,
    with_rule,
)

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
    """No timetable satisfies the rules; the message names the rule (``rule``, a key of
    :data:`~models.training.planner.rules.RULES`, its name appended to the message) and the
    dates. Errors in the input itself (a bad course, bad settings) carry no rule."""

    def __init__(
        self,
        message: str,
        *,
        rule: str | None = None,
        field: str | None = None,
        record: str | None = None,
    ) -> None:
        super().__init__(with_rule(message, rule) if rule else message, field=field, record=record)
        self.rule = rule


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
    level: str = ""  # the class's level (县处级进修班 …): which library courses suit it
    workdays: frozenset[date] = frozenset()  # 调休上班 days in the period (weekend days worked)
    use_workdays: bool = False  # teach on those days too
    max_lectures_in_row: int = 4  # 课堂教学 half-days in a row at most; 0: no limit
    day_names: tuple[tuple[date, str], ...] = ()  # names of holidays and 调休 days (messages)

    def target_shares(self) -> dict[str, float]:
        return {
            LECTURE: self.share_lecture,
            FIELD_STUDY: self.share_field_study,
            DISCUSSION: self.share_discussion,
        }

    def teaches_on(self, day: date) -> bool:
        """Whether the class meets on ``day``: a teaching weekday (or, when allowed, a 调休上班
        day) that is not a holiday."""
        if day in self.holidays:
            return False
        return day.weekday() in self.teaching_weekdays or (
            self.use_workdays and day in self.workdays
        )

    @cached_property
    def _slots(self) -> tuple[Slot, ...]:
        order = [s for s in SLOT_ORDER if s in self.slots]
        result: list[Slot] = []
        day = self.start
        while day <= self.end:
            if self.teaches_on(day):
                result.extend((day, s) for s in order)
            day += timedelta(days=1)
        if result and result[-1][1] == EVENING and len(result) > 1:
            result.pop()
        return tuple(result)

    def class_slots(self) -> list[Slot]:
        """Every half-day of the class in time order (the last day's evening is left out,
        so that 结业式 closes the class)."""
        return list(self._slots)

    def brief_ceremonies(self) -> bool:
        """A class of at most BRIEF_SLOTS half-days holds 开班式 and 结业式 briefly inside its
        first and last half-day instead of giving each a half-day of its own."""
        return len(self._slots) <= BRIEF_SLOTS

    def short_class(self) -> bool:
        """A class of at most SHORT_SLOTS half-days: 开班第一课 and the 结业前 course take
        one half-day each."""
        return len(self._slots) <= SHORT_SLOTS

    def teaching_half_days(self) -> int:
        """Half-days of the three modes (and of 自学/机动): all class slots besides the two
        ceremonies (all of them when the ceremonies are brief)."""
        n = len(self._slots)
        return n if n <= BRIEF_SLOTS else max(0, n - 2)

    def day_name(self, day: date) -> str:
        """The holiday or 调休 name of ``day`` ('' when it has none)."""
        return dict(self.day_names).get(day, "")


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
    required: bool = False  # 必修: every class of its levels takes it
    priority: int = 0  # higher first among the courses the planner may pick
    levels: frozenset[str] = frozenset()  # class levels it suits; empty: every level
    repeatable: bool = False  # discussion / field study: may be held again to fill a class
    position: str = ""  # "" / 开班第一课 / 结业前

    @property
    def is_opening(self) -> bool:
        return self.position == OPENING_LECTURE


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
    travel_minutes: int = 0  # one way
    unavailable: frozenset[date] = frozenset()


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


def is_flex(s: Session) -> bool:
    """A 自学 or 机动 half-day (mode 其他): in the class, in none of the three modes."""
    return s.mode == OTHER and s.title in FLEX_TITLES


def holds_opening(s: Session) -> bool:
    """The session holds 开班式 (alone, or briefly with a course: 开班式暨…)."""
    return s.title == OPENING or s.title.startswith(OPENING + "暨")


def holds_closing(s: Session) -> bool:
    """The session holds 结业式 (alone, or briefly with a course: …暨结业式)."""
    return s.title == CLOSING or s.title.endswith("暨" + CLOSING)


@dataclass(frozen=True)
class Timetable:
    """A class's sessions; ``notes`` say what the planner had to decide (a course repeated,
    自学 or 机动 half-days left, a course left out), one sentence each."""

    settings: ClassSettings
    sessions: tuple[Session, ...]
    notes: tuple[str, ...] = ()

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
    rule: str = ""  # key of RULES

    @property
    def rule_name(self) -> str:
        return rule_name(self.rule)


@dataclass(frozen=True)
class Violation:
    """A rule a finished timetable breaks (from :func:`verify_timetable`): at one half-day,
    or for the whole class (``day`` None, e.g. the shares)."""

    rule: str  # key of RULES
    message: str
    day: date | None = None
    slot: str | None = None

    @property
    def rule_name(self) -> str:
        return rule_name(self.rule)


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
