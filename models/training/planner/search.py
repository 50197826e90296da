"""三三制 timetable: the placement search behind :func:`models.training.planner.plan.plan_class`,
for inputs that passed its validation.

Field-study days are placed first, spread evenly over the class, each at the feasible day
nearest its ideal position. Lectures and discussions are then placed block by block, each at
the earliest free feasible half-day; when a session has no free half-day left, a short
depth-limited search moves already placed sessions to make room (an augmenting path, as in
bipartite matching). Everything iterates in a fixed order, so the same input always gives the
same timetable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from models.training.planner.types import (
    AFTERNOON,
    CLOSING,
    DISCUSSION,
    FIELD_STUDY,
    LECTURE,
    MODES,
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
    date_ranges,
    format_share,
    slot_label,
)

_SEARCH_DEPTH = 4

# ---------------------------------------------------------------------------- planner


@dataclass(eq=False)
class _Unit:
    """One lecture/discussion half-day, or one whole field-study visit, being placed."""

    course: Course
    part: int
    block: str | None  # lecture: its block; discussion: the block it follows
    fixed: bool = False
    at: int = -1


class _Planner:
    def __init__(
        self,
        settings: ClassSettings,
        courses: Sequence[Course],
        teachers: Mapping[str, Teacher],
        rooms: Sequence[Room],
        sites: Mapping[str, Site],
        bookings: Bookings,
    ) -> None:
        self.settings = settings
        self.courses = list(courses)
        self.teachers = teachers
        self.sites = sites
        self.bookings = bookings
        self.slots = settings.class_slots()
        self.n = len(self.slots)
        self.index = {s: i for i, s in enumerate(self.slots)}
        self.occ: list[_Unit | None] = [None] * self.n
        self.ceremony = {0, self.n - 1}
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

    # -- static feasibility -------------------------------------------------

    def _free_room(self, slot: Slot) -> str | None:
        for r in self.fit_rooms:
            if slot not in self.bookings.rooms.get(r.id, frozenset()):
                return r.id
        return None

    def _teacher_ok(self, teacher_id: str | None, slot: Slot) -> bool:
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
            ok = i not in self.ceremony and self._teacher_ok(course.teacher_id, slot)
            if ok and self.use_rooms and self.room_at[i] is None:
                ok = False
            out.append(ok)
        self._feasible[course.id] = out
        return out

    # -- ceremonies ----------------------------------------------------------

    def ceremony_room(self, i: int, title: str) -> str | None:
        if not self.use_rooms:
            return None
        room = self.room_at[i]
        if room is None:
            raise PlanningError(
                self._no_room_text(f"{title}（{slot_label(*self.slots[i])}）", [self.slots[i]])
            )
        return room

    def _no_room_text(self, what: str, slots: Sequence[Slot]) -> str:
        size = self.settings.class_size
        names = "、".join(f"《{r.name}》" for r in self.fit_rooms)
        return f"{what}没有空闲的能容纳 {size} 人的教室：{names}均已被其他班级占用（" + (
            date_ranges(s[0] for s in slots) + "）"
        )

    # -- field study ------------------------------------------------------------

    def whole_days(self) -> list[date]:
        """Days whose 上午 and 下午 are both free of ceremonies."""
        days = []
        for day in sorted({s[0] for s in self.slots}):
            am, pm = self.index.get((day, MORNING)), self.index.get((day, AFTERNOON))
            if am is None or pm is None or am in self.ceremony or pm in self.ceremony:
                continue
            days.append(day)
        return days

    def place_field(self, units: list[_Unit]) -> None:
        days = self.whole_days()
        nd = len(days)
        total_days = sum(u.course.half_days // 2 for u in units)
        before = 0
        for unit in units:
            length = unit.course.half_days // 2
            # spread by field days: the visit's middle sits at its share of the class
            ideal = int((before + length / 2) * nd / total_days - length / 2)
            before += length
            order = sorted(range(nd), key=lambda i, ideal=ideal: (abs(i - ideal), i))
            # a day a teacher needs for lectures is taken only when no other day fits
            free = self._teacher_free()
            first: list[int] | None = None
            chosen: list[int] | None = None
            for start in order:
                block = self._field_block(unit.course, days, start, length)
                if block is None:
                    continue
                if first is None:
                    first = block
                if not self._starves_teacher(block, free):
                    chosen = block
                    break
            block = chosen or first
            if block is None:
                raise PlanningError(
                    self._field_failure(unit.course, days, length), record=unit.course.id
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
                if self.occ[i] is not None or not self._field_slot_ok(course, (day, part)):
                    return None
                picked.append(i)
        return picked

    def _field_slot_ok(self, course: Course, slot: Slot) -> bool:
        if not self._teacher_ok(course.teacher_id, slot):
            return False
        return not (course.site_id and slot in self.bookings.sites.get(course.site_id, frozenset()))

    def _field_failure(self, course: Course, days: list[date], length: int) -> str:
        reasons: dict[str, list[date]] = {}
        teacher = self.teachers[course.teacher_id] if course.teacher_id else None
        site = self.sites[course.site_id] if course.site_id else None
        for day in days:
            slots = [(day, MORNING), (day, AFTERNOON)]
            if teacher and day in teacher.unavailable:
                why = f"教师{teacher.name}不可用"
            elif teacher and any(
                s in self.bookings.teachers.get(teacher.id, frozenset()) for s in slots
            ):
                why = f"教师{teacher.name}已被其他班级占用"
            elif site and any(s in self.bookings.sites.get(site.id, frozenset()) for s in slots):
                why = f"现场教学点《{site.name}》已被其他班级占用"
            elif any(self.occ[self.index[s]] is not None for s in slots):
                why = "已安排本班其他调研考察"
            else:
                continue
            reasons.setdefault(why, []).append(day)
        need = f"需要连续 {length} 个整天" if length > 1 else "需要 1 个整天"
        head = f"调研考察《{course.title}》{need}（上午和下午），无法安排"
        if not days:
            return f"{head}：本班没有除开班式、结业式以外的整天"
        if not reasons:
            return f"{head}：本班没有连续 {length} 个教学日"
        if len(reasons) == 1 and sum(len(v) for v in reasons.values()) == len(days):
            why, when = next(iter(reasons.items()))
            return f"{head}：{why}（{date_ranges(when)}），本班所有整天均不满足"
        text = "；".join(f"{why}：{date_ranges(when)}" for why, when in reasons.items())
        return f"{head}：{text}"

    # -- lectures and discussions -----------------------------------------------

    def bounds(self, unit: _Unit) -> tuple[int, int]:
        """Exclusive lower and upper slot index allowed for ``unit``."""
        lo, hi = -1, self.n
        if unit.course.mode == LECTURE and unit.block is not None:
            later = self.discussions_at.get(unit.block)
            if later:
                hi = min(later)
        elif unit.course.mode == DISCUSSION and unit.block is not None:
            earlier = self.lectures_at.get(unit.block)
            if earlier:
                lo = max(earlier)
        return lo, hi

    def _put(self, unit: _Unit, i: int) -> None:
        self.occ[i] = unit
        unit.at = i
        if unit.block is not None:
            table = self.lectures_at if unit.course.mode == LECTURE else self.discussions_at
            table.setdefault(unit.block, set()).add(i)

    def _take(self, unit: _Unit) -> None:
        i = unit.at
        self.occ[i] = None
        unit.at = -1
        if unit.block is not None:
            table = self.lectures_at if unit.course.mode == LECTURE else self.discussions_at
            table[unit.block].discard(i)

    def place(self, unit: _Unit, depth: int, visited: set[int]) -> bool:
        lo, hi = self.bounds(unit)
        feas = self.feasible(unit.course)
        for i in range(lo + 1, hi):
            if feas[i] and self.occ[i] is None:
                self._put(unit, i)
                return True
        if depth == 0:
            return False
        for i in range(lo + 1, hi):
            other = self.occ[i]
            if not feas[i] or other is None or other.fixed or i in visited:
                continue
            visited.add(i)
            self._take(other)
            self._put(unit, i)
            if self.place(other, depth - 1, visited):
                return True
            self._take(unit)
            self._put(other, i)
        return False

    def unit_failure(self, unit: _Unit) -> str:
        course = unit.course
        lo, hi = self.bounds(unit)
        teacher = self.teachers[course.teacher_id] if course.teacher_id else None
        reasons: dict[str, list[Slot]] = {}
        candidates = [i for i in range(lo + 1, hi) if i not in self.ceremony]
        for i in candidates:
            slot = self.slots[i]
            if teacher and slot[0] in teacher.unavailable:
                why = f"教师{teacher.name}不可用"
            elif teacher and slot in self.bookings.teachers.get(teacher.id, frozenset()):
                why = f"教师{teacher.name}已被其他班级占用"
            elif self.use_rooms and self.room_at[i] is None:
                why = f"没有空闲的能容纳 {self.settings.class_size} 人的教室"
            elif self.occ[i] is not None:
                why = "已安排本班其他课程"
            else:  # pragma: no cover - a free feasible slot would have been taken
                continue
            reasons.setdefault(why, []).append(slot)
        what = f"课程《{course.title}》（{course.mode}"
        what += f"，第 {unit.part} 个半天）" if course.half_days > 1 else "）"
        order = ""
        if course.mode == DISCUSSION and lo >= 0:
            order = f"须排在所研讨专题的最后一节讲课（{slot_label(*self.slots[lo])}）之后，"
        elif course.mode == LECTURE and hi < self.n:
            order = f"须排在研讨本专题的课程（{slot_label(*self.slots[hi])}）之前，"
        if not candidates:
            return f"{what}无法安排：{order}但已没有可用的半天"
        if len(reasons) == 1:
            why, where = next(iter(reasons.items()))
            span = date_ranges(s[0] for s in where)
            if why.endswith("不可用"):
                return f"{why[:-3]}在 {span} 均不可用，{what}无法安排"
            return f"{what}无法安排：{order}可用的 {len(candidates)} 个半天（{span}）均{why}"
        text = "；".join(
            f"{len(where)} 个半天{why}（{date_ranges(s[0] for s in where)}）"
            for why, where in reasons.items()
        )
        return f"{what}无法安排：{order}可用的 {len(candidates)} 个半天中，{text}"


def _capacity_checks(
    settings: ClassSettings, courses: Sequence[Course], planner: _Planner, enforce_shares: bool
) -> None:
    available = settings.teaching_half_days()
    need = {m: sum(c.half_days for c in courses if c.mode == m) for m in MODES}
    total = sum(need.values())
    span = f"{settings.start} 至 {settings.end}"
    if total > available:
        raise PlanningError(
            f"课程共需 {total} 个半天，班次《{settings.name}》（{span}）除开班式、结业式外"
            f"可用半天只有 {available} 个"
        )
    whole = len(planner.whole_days())
    field_days = need[FIELD_STUDY] // 2
    if field_days > whole:
        raise PlanningError(
            f"调研考察需要 {field_days} 个整天，班次《{settings.name}》可用的整天"
            f"（上午和下午均可排课）只有 {whole} 个"
        )
    rest = need[LECTURE] + need[DISCUSSION]
    if rest > available - need[FIELD_STUDY]:
        raise PlanningError(
            f"课堂教学和研讨交流需要 {rest} 个半天，除去调研考察的 {field_days} 个整天后"
            f"可用半天只有 {available - need[FIELD_STUDY]} 个"
        )
    if planner.use_rooms and not planner.fit_rooms:
        biggest = planner.all_rooms[0]
        raise PlanningError(
            f"没有能容纳 {settings.class_size} 人的教室：最大的教室《{biggest.name}》"
            f"只能容纳 {biggest.capacity} 人",
            field="class_size",
        )
    if planner.use_rooms:
        roomed = sum(1 for i, r in enumerate(planner.room_at) if r and i not in planner.ceremony)
        if rest > roomed:
            raise PlanningError(
                f"课堂教学和研讨交流需要 {rest} 个半天的教室，能容纳 {settings.class_size} 人"
                f"且未被其他班级占用的教室只有 {roomed} 个半天"
            )
    # each teacher's load against the half-days the teacher can give
    load: dict[str, list[Course]] = {}
    for c in courses:
        if c.teacher_id is not None and c.mode != FIELD_STUDY:
            load.setdefault(c.teacher_id, []).append(c)
    for tid, taught in load.items():
        need_t = sum(c.half_days for c in taught)
        feas = planner.feasible(taught[0])
        have = sum(1 for i, ok in enumerate(feas) if ok and i not in planner.ceremony)
        if need_t > have:
            t = planner.teachers[tid]
            titles = "、".join(f"《{c.title}》" for c in taught)
            off = [s[0] for s in planner.slots if s[0] in t.unavailable]
            if have == 0 and len(off) == len(planner.slots):
                raise PlanningError(
                    f"教师{t.name}在 {date_ranges(off)} 均不可用，课程{titles}无法安排",
                    record=tid,
                )
            note = f"（{date_ranges(off)} 不可用）" if off else ""
            raise PlanningError(
                f"教师{t.name}需要讲授 {need_t} 个半天（{titles}），可用半天只有 {have} 个{note}",
                record=tid,
            )
    if enforce_shares:
        tol = settings.share_tolerance
        for mode, share in settings.target_shares().items():
            target = share * available
            if abs(need[mode] - target) > tol + 1e-9:
                raise PlanningError(
                    f"{mode}课程共 {need[mode]} 个半天，目标为 {format_share(target)} 个半天"
                    f"（可用 {available} 个半天 × {format_share(share * 100)}%），"
                    f"相差超过 {tol} 个半天，请增减课程",
                    field="share_lecture",
                )


def _sequence(courses: Sequence[Course]) -> list[_Unit]:
    """Lecture and discussion half-days in teaching order: each block's lectures, then the
    discussions of that block."""
    last_of_block: dict[str, int] = {}
    for k, c in enumerate(courses):
        if c.mode == LECTURE:
            last_of_block[c.block or c.id] = k
    waiting: dict[str, list[Course]] = {}
    for c in courses:
        if c.mode == DISCUSSION and c.follows is not None:
            waiting.setdefault(c.follows, []).append(c)
    units: list[_Unit] = []
    for k, c in enumerate(courses):
        if c.mode == LECTURE:
            block = c.block or c.id
            units.extend(_Unit(c, p, block) for p in range(1, c.half_days + 1))
            if last_of_block[block] == k:
                for d in waiting.get(block, []):
                    units.extend(_Unit(d, p, block) for p in range(1, d.half_days + 1))
        elif c.mode == DISCUSSION and c.follows is None:
            units.extend(_Unit(c, p, None) for p in range(1, c.half_days + 1))
    return units


def place_sessions(
    settings: ClassSettings,
    courses: Sequence[Course],
    teachers: Mapping[str, Teacher],
    rooms: Sequence[Room],
    sites: Mapping[str, Site],
    bookings: Bookings,
    *,
    enforce_shares: bool,
) -> list[Session]:
    """Every session of the class in time order, ceremonies included, or PlanningError
    naming what blocks. ``teachers`` and ``sites`` are by id; the inputs are valid."""
    planner = _Planner(settings, courses, teachers, rooms, sites, bookings)
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
    return sessions
