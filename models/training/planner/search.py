"""三三制 timetable: the placement search behind :func:`models.training.planner.plan.plan_class`,
for inputs that passed its validation.

The ceremonies take the first and last half-day (or, in a one-day class, share them with the
开班第一课 and the 结业前 course); the 结业前 course takes the half-days just before 结业式 and
the 开班第一课 the half-day after 开班式. Field-study visits (with their travel half-days) are
then placed on whole days, spread evenly over the class, each at the feasible day nearest its
ideal position. Lectures and discussions then fill the free half-days at an even pace
(models.training.planner.fill): a course's half-days together, each block's discussion after
the block, runs of lectures within the class's limit. What the fill cannot place, a short
depth-limited search places by moving already placed sessions (an augmenting path, as in
bipartite matching); when that fails too, the error names the courses whose leaving out may
help (:class:`Unplaced`). What stays empty becomes the 自学/机动 half-days. Everything
iterates in a fixed order, so the same input always gives the same
timetable. Why a session cannot be placed is worded by ``explain``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from models.training.planner import explain
from models.training.planner.days import away_evening, travel_half_days
from models.training.planner.fill import Unit, paced_fill, sequence
from models.training.planner.rules import (
    FLEX,
    closing_title,
    library_id,
    opening_title,
    travel_titles,
)
from models.training.planner.types import (
    AFTERNOON,
    CLOSING,
    DISCUSSION,
    FIELD_STUDY,
    LECTURE,
    MORNING,
    OPENING,
    OTHER,
    Bookings,
    ClassSettings,
    Course,
    PlanningError,
    Room,
    Session,
    Site,
    Slot,
    Teacher,
    holds_closing,
    holds_opening,
    slot_label,
)

_SEARCH_DEPTH = 4
_LAYOUTS = 40


class Unplaced(PlanningError):
    """A course the search could not place; ``culprits``: the course ids (a repeated
    holding's own id) whose leaving out may let the rest be placed, best first."""

    def __init__(self, message: str, *, rule: str, record: str, culprits: tuple[str, ...]):
        super().__init__(message, rule=rule, record=record)
        self.culprits = culprits


@dataclass(frozen=True)
class Placing:
    """What to place: the courses, the 开班第一课 / 结业前 course ids, the sessions kept where
    they are, the lecture block of each kept course, and the titles of the 自学/机动 half-days
    (what stays empty beyond them is 机动)."""

    courses: Sequence[Course]
    opening: str | None = None
    closing: str | None = None
    kept: Sequence[Session] = ()
    kept_blocks: Mapping[str, str] | None = None
    flex: Sequence[str] = ()


class Planner:
    def __init__(
        self,
        settings: ClassSettings,
        what: Placing,
        teachers: Mapping[str, Teacher],
        rooms: Sequence[Room],
        sites: Mapping[str, Site],
        bookings: Bookings,
    ) -> None:
        self.settings = settings
        self.what = what
        self.courses = list(what.courses)
        self.teachers = teachers
        self.sites = sites
        self.bookings = bookings
        self.slots = settings.class_slots()
        self.n = len(self.slots)
        self.index = {s: i for i, s in enumerate(self.slots)}
        self.occ: list[Unit | None] = [None] * self.n
        self.brief = settings.brief_ceremonies()
        self.end_slots = {0, self.n - 1}  # the half-days that hold 开班式 and 结业式
        self.ceremony = set() if self.brief else self.end_slots
        self.max_row = settings.max_lectures_in_row
        self.notes: list[str] = []
        self.use_rooms = bool(rooms)
        self.fit_rooms = sorted(
            (r for r in rooms if r.capacity >= settings.class_size),
            key=lambda r: (r.capacity, r.id),
        )
        self.all_rooms = sorted(rooms, key=lambda r: (-r.capacity, r.id))
        # the smallest suitable room free at each slot (None: none free)
        self.room_at: list[str | None] = [self._free_room(s) for s in self.slots]
        self.lectures_at: dict[str, set[int]] = {}
        self.discussions_at: dict[str, set[int]] = {}
        self._feasible: dict[str, list[bool]] = {}
        self.teacher_need: dict[str, int] = {}
        self.teacher_course: dict[str, Course] = {}
        for c in self.courses:
            if c.teacher_id is not None and c.mode != FIELD_STUDY:
                self.teacher_need[c.teacher_id] = self.teacher_need.get(c.teacher_id, 0) + (
                    c.half_days
                )
                self.teacher_course.setdefault(c.teacher_id, c)
        self.ends: dict[int, Session] = {}  # ceremonies made here, by slot
        self._keep(what.kept, what.kept_blocks or {})

    def _keep(self, kept: Sequence[Session], blocks: Mapping[str, str]) -> None:
        for s in kept:
            i = self.index.get(s.key)
            if i is None:
                continue
            block = None
            if s.mode == LECTURE and s.course_id:
                block = blocks.get(library_id(s.course_id))
            unit = Unit(None, s.part, block, s.mode, fixed=True, kept=s)
            self.occ[i] = unit
            unit.at = i
            if block is not None:
                self.lectures_at.setdefault(block, set()).add(i)

    def snapshot(self) -> tuple[list[Unit | None], dict[str, set[int]], dict[str, set[int]]]:
        """What is placed so far, to go back to (:meth:`restore`) and try another layout."""
        return (
            list(self.occ),
            {k: set(v) for k, v in self.lectures_at.items()},
            {k: set(v) for k, v in self.discussions_at.items()},
        )

    def restore(
        self, state: tuple[list[Unit | None], dict[str, set[int]], dict[str, set[int]]]
    ) -> None:
        occ, lectures, discussions = state
        self.occ = list(occ)
        self.lectures_at = {k: set(v) for k, v in lectures.items()}
        self.discussions_at = {k: set(v) for k, v in discussions.items()}

    # -- static feasibility -------------------------------------------------

    def _free_room(self, slot: Slot) -> str | None:
        for r in self.fit_rooms:
            if slot not in self.bookings.rooms.get(r.id, frozenset()):
                return r.id
        return None

    def teacher_ok(self, teacher_id: str | None, slot: Slot) -> bool:
        if teacher_id is None:
            return True
        if slot[0] in self.teachers[teacher_id].unavailable:
            return False
        return slot not in self.bookings.teachers.get(teacher_id, frozenset())

    def feasible(self, course: Course) -> list[bool]:
        """Slots where a half-day of a lecture/discussion course could go, ignoring this
        class's other sessions."""
        cached = self._feasible.get(course.id)
        if cached is not None:
            return cached
        out = []
        for i, slot in enumerate(self.slots):
            ok = i not in self.ceremony and self.teacher_ok(course.teacher_id, slot)
            if ok and self.use_rooms and self.room_at[i] is None:
                ok = False
            out.append(ok)
        self._feasible[course.id] = out
        return out

    def away_evening(self, i: int) -> bool:
        return away_evening(self.slots, self.index, self.occ, self.sites, i)

    def run_ok(self, mode: str, i: int) -> bool:
        """Whether a session of ``mode`` at ``i`` keeps every run of lectures within the
        class's limit, and is not the evening of a field-study day."""
        if self.away_evening(i):
            return False
        if mode != LECTURE or self.max_row <= 0:
            return True
        run = 1
        j = i - 1
        while j >= 0 and self.occ[j] is not None and self.occ[j].mode == LECTURE:  # type: ignore[union-attr]
            run += 1
            j -= 1
        j = i + 1
        while j < self.n and self.occ[j] is not None and self.occ[j].mode == LECTURE:  # type: ignore[union-attr]
            run += 1
            j += 1
        return run <= self.max_row

    # -- ceremonies and the two fixed courses ------------------------------------

    def room_for(self, i: int, what: str) -> str | None:
        if not self.use_rooms:
            return None
        room = self.room_at[i]
        if room is None:
            raise PlanningError(
                explain.no_room(self, f"{what}（{slot_label(*self.slots[i])}）", [self.slots[i]]),
                rule="room_once",
            )
        return room

    def place_ceremonies(self) -> None:
        if self.brief:
            return
        hours = self.settings.hours_per_half_day
        for i, title, rule, holds in (
            (0, OPENING, "opening_first", holds_opening),
            (self.n - 1, CLOSING, "closing_last", holds_closing),
        ):
            unit = self.occ[i]
            if unit is not None:
                if unit.kept is not None and holds(unit.kept):
                    continue
                what = unit.kept.title if unit.kept else ""
                raise PlanningError(
                    f"锁定的《{what}》在 {slot_label(*self.slots[i])}，该时段应安排{title}，"
                    "请先解除锁定或移到其他时段",
                    rule=rule,
                )
            self.ends[i] = Session(
                *self.slots[i], OTHER, title, hours, room_id=self.room_for(i, title)
            )
            self.occ[i] = Unit(None, 1, None, OTHER, fixed=True, at=i)

    def _fix(self, unit: Unit, i: int) -> None:
        self.put(unit, i)
        unit.fixed = True

    def place_closing(self, units: list[Unit]) -> None:
        """The 结业前 course on the last free half-days before 结业式 (in a one-day class: on
        the last half-day, 结业式 held at its end)."""
        if not units:
            return
        course = units[0].course
        assert course is not None
        last = self.n - 1 if self.brief else self.n - 2
        free = [i for i in range(last, -1, -1) if self.occ[i] is None and i not in self.ceremony]
        want = sorted(free[: len(units)])
        if len(want) < len(units):
            raise PlanningError(
                f"《{course.title}》须排在结业式之前，但已没有空余的半天",
                rule="closing_last",
                record=course.id,
            )
        for i in want:
            if not self.feasible(course)[i]:
                raise PlanningError(
                    explain.fixed_failure(self, course, i, "结业式之前"),
                    rule="closing_last",
                    record=course.id,
                )
        for unit, i in zip(units, want, strict=True):
            self._fix(unit, i)

    def place_opening(self, units: list[Unit], others: Sequence[Unit]) -> list[Unit]:
        """The half-day after 开班式 (in a one-day class: the first half-day, 开班式 held at its
        start) takes the 开班第一课; when its teacher cannot come then, the first lecture whose
        teacher can. Returns the units still to place."""
        i = 0 if self.brief else 1
        if not units or i >= self.n or self.occ[i] is not None:
            return [*units, *others]
        first = units[0]
        assert first.course is not None
        candidates = [first, *(u for u in others if u.mode == LECTURE and u.part == 1)]
        for unit in candidates:
            assert unit.course is not None
            if self.feasible(unit.course)[i] and self.run_ok(LECTURE, i):
                self._fix(unit, i)
                if unit is not first:
                    self.notes.append(
                        f"《{first.course.title}》{explain.why_not_at(self, first.course, i)}，"
                        f"开班第一课改为《{unit.course.title}》"
                    )
                return [u for u in [*units, *others] if u is not unit]
        raise PlanningError(
            explain.fixed_failure(self, first.course, i, "开班式之后"),
            rule="opening_first",
            record=first.course.id,
        )

    # -- field study ------------------------------------------------------------

    def whole_days(self) -> list[date]:
        """Days whose 上午 and 下午 are both class half-days free of ceremonies."""
        days = []
        for day in sorted({s[0] for s in self.slots}):
            am, pm = self.index.get((day, MORNING)), self.index.get((day, AFTERNOON))
            if am is None or pm is None or am in self.end_slots or pm in self.end_slots:
                continue
            days.append(day)
        return days

    def place_field(self, units: list[Unit], skips: Sequence[int] = ()) -> None:
        """Each visit on the feasible whole days nearest its ideal position; ``skips[k]``:
        how many of the k-th visit's best choices to pass over (another layout to try)."""
        days = self.whole_days()
        nd = len(days)
        total_days = sum(u.size // 2 for u in units)
        before = 0
        for k, unit in enumerate(units):
            assert unit.course is not None
            skip = skips[k] if k < len(skips) else 0
            length = unit.size // 2
            # spread by field days: the visit's middle sits at its share of the class
            ideal = int((before + length / 2) * nd / max(total_days, 1) - length / 2)
            before += length
            order = sorted(range(nd), key=lambda i, ideal=ideal: (abs(i - ideal), i))
            # a day a teacher needs for lectures is taken only when no other day fits
            free = self._teacher_free()
            fits: list[list[int]] = []
            kind: list[list[int]] = []
            for start in order:
                block = self._field_block(unit.course, days, start, length)
                if block is None:
                    continue
                fits.append(block)
                if not self._starves_teacher(block, free):
                    kind.append(block)
                    if len(kind) > skip:
                        break
            block = None
            if kind:
                block = kind[min(skip, len(kind) - 1)]
            elif fits:
                block = fits[min(skip, len(fits) - 1)]
            if block is None:
                raise PlanningError(
                    explain.field_failure(self, unit.course, days, length),
                    rule="field_whole_days",
                    record=unit.course.id,
                )
            for i in block:
                self.occ[i] = unit
            unit.at = block[0]
            unit.fixed = True

    def _teacher_free(self) -> dict[str, int]:
        """Free half-days each lecturing teacher could still teach in."""
        out = {}
        for tid in self.teacher_need:
            feas = self.feasible(self.teacher_course[tid])
            out[tid] = sum(1 for i, ok in enumerate(feas) if ok and self.occ[i] is None)
        return out

    def _starves_teacher(self, block: list[int], free: Mapping[str, int]) -> bool:
        """True when taking ``block`` leaves some teacher fewer free half-days than the
        lectures and discussions that teacher has to give."""
        for tid, need in self.teacher_need.items():
            feas = self.feasible(self.teacher_course[tid])
            lost = sum(1 for i in block if feas[i])
            if lost and free[tid] - lost < need:
                return True
        return False

    def _field_block(
        self, course: Course, days: list[date], start: int, length: int
    ) -> list[int] | None:
        if start + length > len(days):
            return None
        first = days[start]
        picked: list[int] = []
        for j in range(length):
            day = days[start + j]
            if day != first + timedelta(days=j):
                return None
            for part in (MORNING, AFTERNOON):
                i = self.index[(day, part)]
                if self.occ[i] is not None or not self.field_slot_ok(course, (day, part)):
                    return None
                picked.append(i)
        return picked

    def field_slot_ok(self, course: Course, slot: Slot) -> bool:
        if not self.teacher_ok(course.teacher_id, slot):
            return False
        if not course.site_id:
            return True
        if slot[0] in self.sites[course.site_id].unavailable:
            return False
        return slot not in self.bookings.sites.get(course.site_id, frozenset())

    # -- lectures and discussions -----------------------------------------------

    def bounds(self, unit: Unit) -> tuple[int, int]:
        """Exclusive lower and upper slot index allowed for ``unit``."""
        lo, hi = -1, self.n
        if unit.mode == LECTURE and unit.block is not None:
            later = self.discussions_at.get(unit.block)
            if later:
                hi = min(later)
        elif unit.mode == DISCUSSION and unit.block is not None:
            earlier = self.lectures_at.get(unit.block)
            if earlier:
                lo = max(earlier)
        return lo, hi

    def put(self, unit: Unit, i: int) -> None:
        self.occ[i] = unit
        unit.at = i
        if unit.block is not None:
            table = self.lectures_at if unit.mode == LECTURE else self.discussions_at
            table.setdefault(unit.block, set()).add(i)

    def _take(self, unit: Unit) -> None:
        i = unit.at
        self.occ[i] = None
        unit.at = -1
        if unit.block is not None:
            table = self.lectures_at if unit.mode == LECTURE else self.discussions_at
            table[unit.block].discard(i)

    def place(self, unit: Unit, depth: int, visited: set[int]) -> bool:
        assert unit.course is not None
        lo, hi = self.bounds(unit)
        feas = self.feasible(unit.course)
        for i in range(lo + 1, hi):
            if feas[i] and self.occ[i] is None and self.run_ok(unit.mode, i):
                self.put(unit, i)
                return True
        if depth == 0:
            return False
        for i in range(lo + 1, hi):
            other = self.occ[i]
            if not feas[i] or other is None or other.fixed or i in visited:
                continue
            visited.add(i)
            self._take(other)
            if self.run_ok(unit.mode, i):
                self.put(unit, i)
                if self.place(other, depth - 1, visited):
                    return True
                self._take(unit)
            self.put(other, i)
        return False

    # -- the sessions -----------------------------------------------------------

    def sessions(self) -> list[Session]:
        hours = self.settings.hours_per_half_day
        out: list[Session] = list(self.ends.values())
        flex = list(self.what.flex)
        by_course: dict[str, list[int]] = {}
        for i, unit in enumerate(self.occ):
            if unit is None:
                if self.brief and i in self.end_slots:
                    # a one-day class's first or last half-day without its course: the
                    # ceremony alone
                    title = OPENING if i == 0 else CLOSING
                    room = self.room_at[i] if self.use_rooms else None
                    out.append(Session(*self.slots[i], OTHER, title, hours, room_id=room))
                    continue
                title = flex.pop(0) if flex else FLEX
                out.append(Session(*self.slots[i], OTHER, title, hours))
            elif unit.course is not None:
                by_course.setdefault(unit.course.id, []).append(i)
        course_map = {c.id: c for c in self.courses}
        for cid, places in by_course.items():
            c = course_map[cid]
            travel = travel_half_days(c, self.sites)
            go, back = travel_titles(c.title)
            for part, i in enumerate(places, start=1):
                title = c.title
                if travel and part == 1:
                    title = go
                elif travel and part == len(places):
                    title = back
                if self.brief and i == 0:
                    title = opening_title(title)
                elif self.brief and i == self.n - 1:
                    title = closing_title(title)
                out.append(
                    Session(
                        *self.slots[i],
                        mode=c.mode,
                        title=title,
                        hours=hours,
                        course_id=c.id,
                        teacher_id=c.teacher_id,
                        room_id=self.room_at[i] if c.mode != FIELD_STUDY else None,
                        site_id=c.site_id if c.mode == FIELD_STUDY else None,
                        elective=c.elective,
                        part=part,
                        parts=len(places),
                    )
                )
        order = {s: i for i, s in enumerate(self.slots)}
        out.sort(key=lambda s: order[s.key])
        return out


def place_sessions(
    settings: ClassSettings,
    what: Placing,
    teachers: Mapping[str, Teacher],
    rooms: Sequence[Room],
    sites: Mapping[str, Site],
    bookings: Bookings,
    *,
    enforce_shares: bool = False,
) -> tuple[list[Session], list[str]]:
    """Every session of the class in time order (ceremonies and 自学/机动 half-days included,
    kept sessions left out: they stay as they are) and the notes of what had to change, or
    PlanningError naming the rule that blocks. ``teachers`` and ``sites`` are by id; the
    inputs are valid."""
    planner = Planner(settings, what, teachers, rooms, sites, bookings)
    explain.capacity_checks(settings, planner, enforce_shares)
    planner.place_ceremonies()

    units = sequence(what.courses)
    closing = [u for u in units if u.course is not None and u.course.id == what.closing]
    planner.place_closing(closing)
    units = [u for u in units if u not in closing]
    opening = [u for u in units if u.course is not None and u.course.id == what.opening]
    rest = [u for u in units if u not in opening]
    units = planner.place_opening(opening, rest)

    field_units = [
        Unit(c, 1, None, FIELD_STUDY, size=c.half_days + travel_half_days(c, sites))
        for c in what.courses
        if c.mode == FIELD_STUDY
    ]
    # the field days decide where lectures may run: when the lectures and discussions do not
    # fit around one layout of them, try others (one visit at a time on its next-best days)
    start = planner.snapshot()
    first: PlanningError | None = None
    for skips in _layouts(len(field_units)):
        planner.restore(start)
        for unit in [*field_units, *units]:
            unit.at, unit.fixed = -1, False
        planner.place_field(field_units, skips)
        left = paced_fill(planner, units)
        failed = next((u for u in left if not planner.place(u, _SEARCH_DEPTH, set())), None)
        if failed is None:
            return planner.sessions(), planner.notes
        if first is None:
            assert failed.course is not None
            first = Unplaced(
                explain.unit_failure(planner, failed),
                rule=explain.unit_rule(planner, failed),
                record=failed.course.id,
                culprits=_culprits(planner, failed),
            )
        if not field_units:
            break
    assert first is not None
    raise first


def _culprits(planner: Planner, unit: Unit) -> tuple[str, ...]:
    """The courses whose leaving out may let the rest be placed, best first: a discussion
    that cannot follow its block, the block's last lecture (placed too late) before itself;
    a repeated holding, only that holding."""
    assert unit.course is not None
    own = unit.course.id
    if unit.mode != DISCUSSION or unit.block is None or "#" in own:
        return (own,)
    lo, _ = planner.bounds(unit)
    last = planner.occ[lo] if lo >= 0 else None
    if last is None or last.course is None or last.mode != LECTURE or last.kept is not None:
        return (own,)
    return (last.course.id, own)


def _layouts(visits: int) -> list[tuple[int, ...]]:
    """Field-day layouts to try, best first: every visit on its best days, then one visit at
    a time (the last first) on its 2nd, 3rd, 4th best -- at most _LAYOUTS in all."""
    out = [(0,) * visits]
    for skip in (1, 2, 3):
        for k in range(visits - 1, -1, -1):
            v = [0] * visits
            v[k] = skip
            out.append(tuple(v))
    return out[:_LAYOUTS]
