"""三三制 timetable: which courses a class of any length takes, before they are placed.

:func:`select_courses` picks from the course library so that each mode comes as near its
target share as the library allows (within the tolerance when it can):

1. the courses that must be there: the 开班第一课 and 结业前 courses and the required (必修)
   courses of the class's level, plus what is left of half-placed (locked) courses;
2. then, mode by mode (调研考察 first: it needs whole days; then 课堂教学; then 研讨交流),
   the courses the user chose for the class in their order, then the courses of the class's
   level, then those for every level, then those of other levels, each group by priority;
3. when a mode is still short, a repeatable discussion or field-study format (any of its
   mode when none is marked repeatable) is held again; lectures are never repeated;
4. what is still left becomes 自学 (lectures short) or 机动 (anything else) half-days.

Each such decision is one sentence of the returned notes. It raises PlanningError only when
no plan can exist: the courses that must be there do not fit the class.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from models.training.planner.days import travel_half_days, visit_day_free, whole_day_runs
from models.training.planner.rules import (
    BEFORE_CLOSING,
    FLEX,
    OPENING_LECTURE,
    SELF_STUDY,
    library_id,
    repeat_id,
    repeat_title,
    suits_level,
)
from models.training.planner.types import (
    DISCUSSION,
    FIELD_STUDY,
    LECTURE,
    MODES,
    Bookings,
    ClassSettings,
    Course,
    PlanningError,
    Session,
    Site,
    Teacher,
    format_share,
    holds_closing,
    holds_opening,
)

__all__ = ["Selection", "select_courses"]


@dataclass(frozen=True)
class Selection:
    """What to place: ``courses`` in teaching order (a repeat has its own id and title, a
    shortened course its own half-days), the 开班第一课 and 结业前 course ids, the titles of
    the 自学/机动 half-days to leave, the ids that must not be dropped and the notes."""

    courses: tuple[Course, ...]
    opening: str | None
    closing: str | None
    flex: tuple[str, ...]
    must: frozenset[str]
    notes: tuple[str, ...]


def _fillable(gap: int, sizes: set[int]) -> bool:
    """Whether ``gap`` half-days are a sum of courses of ``sizes`` (each any number of times)."""
    if gap < 0:
        return False
    reach = [True] + [False] * gap
    for g in range(1, gap + 1):
        reach[g] = any(s <= g and reach[g - s] for s in sizes)
    return reach[gap]


def _titles(courses: Sequence[Course]) -> str:
    return "、".join(f"《{c.title}》" for c in courses)


class _Chooser:
    def __init__(
        self,
        settings: ClassSettings,
        library: Sequence[Course],
        chosen: Sequence[str],
        kept: Sequence[Session],
        teachers: Mapping[str, Teacher],
        sites: Mapping[str, Site],
        bookings: Bookings,
        leave_out: Mapping[str, str],
    ) -> None:
        self.settings = settings
        self.sites = sites
        self.teachers = teachers
        self.bookings = bookings
        self.slots = settings.class_slots()
        self.n = len(self.slots)
        self.brief = settings.brief_ceremonies()
        self.base = settings.teaching_half_days()
        self.targets = {m: s * self.base for m, s in settings.target_shares().items()}
        self.tol = settings.share_tolerance
        self.notes: list[str] = []
        order = {c.id: k for k, c in enumerate(library)}
        self.chosen = [c for c in chosen if c in order and c not in leave_out]
        # a repeated holding left out ('id#3'): the format is held fewer times than that
        self.caps: dict[str, int] = {}
        for key in leave_out:
            if "#" in key:
                lid, time = key.split("#", 1)
                self.caps[lid] = min(self.caps.get(lid, int(time) - 1), int(time) - 1)
        rank = {cid: k for k, cid in enumerate(self.chosen)}

        # what the kept (locked) sessions already hold
        slots = set(self.slots)
        ends = set() if self.brief or not self.slots else {self.slots[0], self.slots[-1]}
        self.kept_count = dict.fromkeys(MODES, 0)
        self.kept_parts: dict[str, int] = {}
        self.kept_blocks: set[str] = set()
        self.taken_slots: set[tuple[date, str]] = set()
        by_id = {c.id: c for c in library}
        for s in kept:
            if s.key not in slots:
                continue
            self.taken_slots.add(s.key)
            if s.key in ends and (holds_opening(s) or holds_closing(s)):
                continue
            if s.mode in self.kept_count:
                self.kept_count[s.mode] += 1
            if s.course_id:
                lid = library_id(s.course_id)
                self.kept_parts[lid] = self.kept_parts.get(lid, 0) + 1
                if lid in by_id and by_id[lid].mode == LECTURE:
                    self.kept_blocks.add(by_id[lid].block or lid)
        self.free = self.base - sum(1 for k in self.taken_slots if k not in ends)

        def tier(c: Course) -> int:
            if c.id in rank:
                return 0
            if c.levels and settings.level in c.levels:
                return 2
            return 3 if not c.levels else 4

        self.tier = {c.id: tier(c) for c in library}
        usable = [c for c in library if c.id not in leave_out and (c.id in rank or not c.elective)]
        usable.sort(key=lambda c: (self.tier[c.id], rank.get(c.id, 0), -c.priority, order[c.id]))
        self.pool = usable
        self.order = {c.id: (self.tier[c.id], rank.get(c.id, 0), order[c.id]) for c in library}

        self.picked: list[Course] = []
        self.count = dict(self.kept_count)
        self.used = 0
        self.repeats: dict[str, int] = {}
        self.reserved: set[tuple[date, str]] = set()
        self.runs = self._whole_day_runs(set())

    # -- helpers ----------------------------------------------------------------------------

    def size(self, c: Course) -> int:
        return c.half_days + travel_half_days(c, self.sites)

    def suits(self, c: Course) -> bool:
        return c.id in self.chosen or suits_level(c.levels, self.settings.level)

    def left(self) -> int:
        return self.free - self.used

    def _teacher_free(self, c: Course) -> bool:
        """Whether the course's teacher has a half-day of the class free at all."""
        if c.teacher_id is None:
            return True
        t = self.teachers.get(c.teacher_id)
        busy = self.bookings.teachers.get(c.teacher_id, frozenset())
        away = t.unavailable if t else frozenset()
        slots = self.slots if self.brief else self.slots[1:-1]  # not the ceremonies
        return any(s[0] not in away and s not in busy for s in slots)

    def _visit_free(self, c: Course) -> bool:
        """Whether the visit's site and teacher are free on enough consecutive whole days."""
        need = math.ceil(self.size(c) / 2)
        return any(r >= need for r in self._whole_day_runs(self.reserved, c))

    def _whole_day_runs(
        self, reserved: set[tuple[date, str]], visit: Course | None = None
    ) -> list[int]:
        """Lengths of the runs of consecutive free whole days of the class (with ``visit``:
        only the days its site and teacher are free)."""
        ends = set() if self.brief or not self.slots else {self.slots[0], self.slots[-1]}
        blocked = ends | reserved | self.taken_slots
        if visit is None:
            return whole_day_runs(self.slots, blocked)
        return whole_day_runs(
            self.slots,
            blocked,
            lambda d: visit_day_free(visit, d, self.sites, self.teachers, self.bookings),
        )

    def _has_days(self, c: Course) -> bool:
        """Whether a run of free whole days is long enough for the visit."""
        return any(r >= math.ceil(self.size(c) / 2) for r in self.runs)

    def _fits_days(self, c: Course) -> bool:
        """Whether the visit (whole days) fits into a run of free whole days; takes it."""
        need = math.ceil(self.size(c) / 2)
        fitting = [k for k, r in enumerate(self.runs) if r >= need]
        if not fitting:
            return False
        k = min(fitting, key=lambda j: (self.runs[j], j))
        self.runs[k] -= need
        return True

    def take(self, c: Course, *, time: int = 1) -> None:
        if time > 1:
            c = replace(c, id=repeat_id(c.id, time), title=repeat_title(c.title, time))
        self.picked.append(c)
        self.count[c.mode] += self.size(c)
        self.used += self.size(c)

    # -- the courses that must be there -----------------------------------------------------

    def position(self, where: str) -> Course | None:
        found = [c for c in self.pool if c.position == where and c.mode != FIELD_STUDY]
        found = [c for c in found if self.suits(c)]
        if where == OPENING_LECTURE and not found:
            found = [c for c in self.pool if c.required and c.mode == LECTURE and self.suits(c)]
        return found[0] if found else None

    def remaining(self, c: Course) -> Course | None:
        """The course less its kept half-days (None when all are kept)."""
        done = self.kept_parts.get(c.id, 0)
        if not done:
            return c
        if done >= c.half_days:
            return None
        left = c.half_days - done
        if c.mode == FIELD_STUDY and left % 2:
            raise PlanningError(
                f"调研考察《{c.title}》只锁定了半天，须按整天安排：请同时锁定或解锁当天另外半天",
                rule="field_whole_days",
                record=c.id,
            )
        return replace(c, half_days=left)

    def musts(self) -> tuple[str | None, str | None, set[str]]:
        opening = self.position(OPENING_LECTURE)
        closing = self.position(BEFORE_CLOSING)
        if closing is not None and opening is not None and closing.id == opening.id:
            closing = None
        must: list[Course] = [c for c in (opening, closing) if c is not None]
        must += [c for c in self.pool if c.required and self.suits(c) and c not in must]
        must += [
            c for c in self.pool if 0 < self.kept_parts.get(c.id, 0) < c.half_days and c not in must
        ]
        short = self.settings.short_class()
        chosen: list[Course] = []
        for c in must:
            rest = self.remaining(c)
            if rest is None:
                continue
            if (
                short
                and c in (opening, closing)
                and rest.half_days > 1
                and not self.kept_parts.get(c.id)
            ):
                self.notes.append(
                    f"本班只有 {self.n} 个半天，《{c.title}》只安排 1 个半天"
                    f"（课程库中为 {c.half_days} 个半天）"
                )
                rest = replace(rest, half_days=1)
            chosen.append(rest)
        need = sum(self.size(c) for c in chosen)
        if need > self.free:
            where = "除开班式、结业式外" if not self.brief else ""
            raise PlanningError(
                f"必修课共需 {need} 个半天（{_titles(chosen)}），班次《{self.settings.name}》"
                f"（{self.settings.start} 至 {self.settings.end}）{where}"
                f"可用的只有 {self.free} 个半天",
                rule="required",
            )
        # the 结业前 course and the 开班第一课's first half-day are not available to field days
        reserved: set[tuple[date, str]] = set()
        if closing is not None and not self.brief:
            rest = next((c for c in chosen if c.id == closing.id), None)
            k = rest.half_days if rest else 0
            reserved |= set(self.slots[max(1, self.n - 1 - k) : self.n - 1])
        if opening is not None and not self.brief and self.n > 2:
            reserved.add(self.slots[1])
        self.reserved = reserved
        self.runs = self._whole_day_runs(reserved)
        for c in chosen:
            if c.mode == FIELD_STUDY and not self._fits_days(c):
                days = math.ceil(self.size(c) / 2)
                raise PlanningError(
                    f"必修的调研考察《{c.title}》需要连续 {days} 个整天（上午和下午），"
                    f"班次《{self.settings.name}》没有这样的整天",
                    rule="field_whole_days",
                    record=c.id,
                )
            self.take(c)
            self._travel_note(c)
        return (
            opening.id if opening else None,
            closing.id if closing else None,
            {c.id for c in chosen},
        )

    def _travel_note(self, c: Course) -> None:
        if travel_half_days(c, self.sites):
            site = self.sites[c.site_id or ""]
            self.notes.append(
                f"《{c.title}》的现场教学点《{site.name}》单程约 {site.travel_minutes} 分钟，"
                "另加去程、返程各半天（计入调研考察）"
            )

    # -- filling the modes ------------------------------------------------------------------

    def candidates(self, mode: str, must: set[str]) -> list[Course]:
        blocks = {c.block or library_id(c.id) for c in self.picked if c.mode == LECTURE}
        blocks |= self.kept_blocks
        out = []
        for c in self.pool:
            if c.mode != mode or c.id in must or c.id in self.kept_parts:
                continue
            if mode == DISCUSSION and c.follows is not None and c.follows not in blocks:
                continue
            if c.position and not self.suits(c):
                continue
            out.append(c)
        return out

    def usable(self, c: Course) -> bool:
        if not self._teacher_free(c):
            if c.id in self.chosen:
                self.notes.append(f"未排入《{c.title}》：教师在本班期间没有空闲的半天")
            return False
        if c.mode == FIELD_STUDY:
            need = math.ceil(self.size(c) / 2)
            if not any(r >= need for r in self.runs):
                if c.id in self.chosen:
                    self.notes.append(
                        f"未排入《{c.title}》：需要连续 {need} 个整天，本班已没有这样的整天"
                    )
                return False
            if not self._visit_free(c):
                if c.id in self.chosen:
                    self.notes.append(
                        f"未排入《{c.title}》：现场教学点或教师在本班期间没有连续 {need} 个"
                        "空闲的整天"
                    )
                return False
        return True

    def fill(self, mode: str, goal: float, must: set[str], *, repeat: bool) -> None:
        """Add courses of ``mode`` (then repeats) while the mode stays at most ``goal``."""
        taken_ids = {library_id(c.id) for c in self.picked}
        for c in self.candidates(mode, must):
            if c.id in taken_ids:
                continue
            size = self.size(c)
            if self.count[mode] + size > goal + 1e-9 or size > self.left():
                continue
            if not self.usable(c):
                continue
            if mode == FIELD_STUDY and not self._fits_days(c):
                continue
            self.take(c)
            taken_ids.add(c.id)
            self._travel_note(c)
        if not repeat:
            return
        every = [c for c in self.pool if c.mode == mode and self.suits(c) and not c.position]
        if mode == DISCUSSION:
            blocks = {x.block or library_id(x.id) for x in self.picked if x.mode == LECTURE}
            every = [
                c for c in every if c.follows is None or c.follows in blocks | self.kept_blocks
            ]
        formats = [c for c in every if c.repeatable] or every
        formats = [
            c
            for c in formats
            if self._teacher_free(c) and (c.mode != FIELD_STUDY or self._visit_free(c))
        ]
        self._repeat(mode, goal, formats, taken_ids)

    def _repeat(self, mode: str, goal: float, formats: list[Course], taken_ids: set[str]) -> None:
        """Hold ``formats`` again until ``mode`` reaches ``goal``: the format held fewest
        times first (the repeats spread over the formats), among those that leave a gap the
        formats can still fill exactly."""
        sizes = {self.size(c) for c in formats}
        rank = {c.id: k for k, c in enumerate(formats)}

        def held(c: Course) -> tuple[int, int]:
            return (self.repeats.get(c.id, 1 if c.id in taken_ids else 0), rank[c.id])

        while True:
            gap = min(math.floor(goal + 1e-9) - self.count[mode], self.left())
            fitting = [
                c
                for c in formats
                if self.size(c) <= gap
                and held(c)[0] < self.caps.get(c.id, math.inf)
                and (mode != FIELD_STUDY or self._has_days(c))
            ]
            if not fitting:
                return
            exact = [c for c in fitting if _fillable(gap - self.size(c), sizes)]
            c = min(exact or fitting, key=held)
            if mode == FIELD_STUDY:
                self._fits_days(c)
            time = held(c)[0] + 1
            self.repeats[c.id] = time
            if time == 1:
                self.take(c)
                taken_ids.add(c.id)
            else:
                self.take(c, time=time)

    def field_goal(self) -> int:
        """The even number of field half-days nearest the target that the whole days allow."""
        target = self.targets[FIELD_STUDY]
        room = self.count[FIELD_STUDY] + 2 * sum(self.runs)
        best = self.count[FIELD_STUDY]
        for even in range(0, room + 1, 2):
            if even < self.count[FIELD_STUDY]:
                continue
            if abs(even - target) < abs(best - target) - 1e-9:
                best = even
        return best

    def choose(self) -> Selection:
        opening, closing, must = self.musts()
        self.fill(FIELD_STUDY, self.field_goal(), must, repeat=True)
        self.fill(LECTURE, math.floor(self.targets[LECTURE] + 0.5), must, repeat=False)
        self.fill(DISCUSSION, math.floor(self.targets[DISCUSSION] + 0.5), must, repeat=True)
        # what is left: each mode may go up to its target plus the tolerance, the one
        # furthest below its target first
        for _ in range(3):
            if self.left() <= 0:
                break
            for mode in sorted(MODES, key=lambda m: self.count[m] - self.targets[m]):
                upper = math.floor(self.targets[mode] + self.tol + 1e-9)
                self.fill(mode, upper, must, repeat=mode != LECTURE)
        self._repeat_notes()
        self._other_level_note()
        self._left_out_notes(must)
        flex = self._flex()
        return Selection(
            courses=tuple(self._teaching_order(opening, closing)),
            opening=opening,
            closing=closing,
            flex=flex,
            must=frozenset(must),
            notes=tuple(self.notes),
        )

    # -- what the notes say -----------------------------------------------------------------

    def _repeat_notes(self) -> None:
        by_mode: dict[str, list[str]] = {}
        titles = {c.id: c.title for c in self.pool}
        for cid, time in self.repeats.items():
            if time > 1:
                mode = next(c.mode for c in self.pool if c.id == cid)
                by_mode.setdefault(mode, []).append(f"《{titles[cid]}》{time - 1} 次")
        for mode in MODES:
            if mode in by_mode:
                self.notes.append(f"为凑足{mode}，重复了" + "、".join(by_mode[mode]))

    def _other_level_note(self) -> None:
        others = [c for c in self.picked if "#" not in c.id and self.tier.get(c.id) == 4]
        if others:
            self.notes.append(
                f"课程库中适合{self.settings.level or '本班'}的课程不够，选用了其他层次的课程"
                + _titles(others)
            )

    def _left_out_notes(self, must: set[str]) -> None:
        taken = {library_id(c.id) for c in self.picked} | set(self.kept_parts)
        for cid in self.chosen:
            if cid in taken:
                continue
            c = next((x for x in self.pool if x.id == cid), None)
            if c is None or any(f"《{c.title}》" in n for n in self.notes):
                continue
            target = format_share(round(self.targets[c.mode], 1))
            self.notes.append(
                f"未排入《{c.title}》：{c.mode}已排 {self.count[c.mode]} 个半天，"
                f"目标约 {target} 个半天"
            )

    def _flex(self) -> tuple[str, ...]:
        left = self.left()
        if left <= 0:
            return ()
        short_lectures = max(0, math.floor(self.targets[LECTURE] - self.count[LECTURE] + 0.5))
        study = min(left, short_lectures)
        titles = (SELF_STUDY,) * study + (FLEX,) * (left - study)
        if study:
            self.notes.append(
                f"留出 {study} 个{SELF_STUDY}半天：课程库中没有更多适合本班的课堂教学课程"
                "（课堂教学不重复安排）"
            )
        if left - study:
            why = []
            for mode in (FIELD_STUDY, DISCUSSION):
                if self.count[mode] < self.targets[mode] - self.tol:
                    if mode == FIELD_STUDY and not any(r for r in self.runs):
                        why.append("调研考察须按整天安排，本班已没有空余的整天")
                    else:
                        why.append(f"课程库中没有更多可安排的{mode}课程")
            reason = "；".join(why) or "各教学形式均已达到目标比例，余下半天不足以再安排一门课程"
            self.notes.append(f"留出 {left - study} 个{FLEX}半天：{reason}")
        return titles

    def _teaching_order(self, opening: str | None, closing: str | None) -> list[Course]:
        """The opening lecture first and the 结业前 course last; between them the lectures
        block by block (a block where its first lecture comes), so that a block ends early and
        its discussion can follow it; the rest in the order of choice."""
        block_at: dict[str, tuple[int, int, int]] = {}
        for c in self.picked:
            lid = library_id(c.id)
            if c.mode == LECTURE:
                here = (-1, 0, 0) if lid == opening else self.order.get(lid, (9, 0, 0))
                block = c.block or lid
                block_at[block] = min(block_at.get(block, here), here)

        def key(c: Course) -> tuple[int, tuple[int, int, int], tuple[int, int, int], int]:
            lid = library_id(c.id)
            first = 0 if lid == opening else 2 if lid == closing else 1
            time = int(c.id.split("#")[1]) if "#" in c.id else 1
            own = self.order.get(lid, (9, 0, 0))
            if c.mode == LECTURE:
                return (first, block_at[c.block or lid], own, time)
            return (first, own, own, time)

        return sorted(self.picked, key=key)


def select_courses(
    settings: ClassSettings,
    library: Sequence[Course],
    *,
    chosen: Sequence[str] = (),
    kept: Sequence[Session] = (),
    teachers: Mapping[str, Teacher] | None = None,
    sites: Mapping[str, Site] | None = None,
    bookings: Bookings | None = None,
    leave_out: Mapping[str, str] | None = None,
) -> Selection:
    """The courses a class takes from ``library`` (see the module's description).

    ``chosen``: ids of the courses the user chose for the class, in teaching order (taken
    first, left out with a note when their mode is already full). ``kept``: sessions kept
    where they are (locked, or with attendance); they count towards the shares and their
    courses are not taken again. ``leave_out``: library ids not to take (what placing them
    could not do, from an earlier attempt). Notes name every course repeated, shortened or
    left out and every 自学/机动 half-day left."""
    return _Chooser(
        settings,
        library,
        chosen,
        kept,
        teachers or {},
        sites or {},
        bookings or Bookings(),
        leave_out or {},
    ).choose()
