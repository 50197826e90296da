"""三三制 timetable: the lectures and discussions, in the order they are taught, and the paced
fill that puts them into the half-days the ceremonies, the 开班第一课, the 结业前 course and
the field days leave free.

The fill walks through the free half-days in time order. At each it takes, in this order of
preference: the next half-day of the course the half-day before holds (a course's half-days
stay together); else a lecture or a discussion, whichever is further behind its even pace
over the class -- a lecture only while the run of lectures stays within the class's limit,
a discussion only once every lecture of the block it discusses is placed (and after it).
So lectures and discussions alternate in the proportion the class needs, each block's
discussion follows the block, and no run of lectures grows too long. What it cannot place
(a teacher away, a run that would be too long) is returned for the search to place by
moving others (models.training.planner.search). Everything iterates in a fixed order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from models.training.planner.types import DISCUSSION, LECTURE, Course, Session

__all__ = ["Unit", "paced_fill", "sequence"]


@dataclass(eq=False)
class Unit:
    """One lecture/discussion half-day, one whole field-study visit, or a kept session."""

    course: Course | None
    part: int
    block: str | None  # lecture: its block; discussion: the block it follows
    mode: str
    fixed: bool = False
    at: int = -1
    size: int = 1  # field: half-days of the visit with its travel
    kept: Session | None = None


class _Planner(Protocol):
    """What the fill reads and changes of the search's state."""

    n: int
    occ: list[Any]
    ceremony: set[int]
    lectures_at: dict[str, set[int]]

    def feasible(self, course: Course) -> list[bool]: ...

    def run_ok(self, mode: str, i: int) -> bool: ...

    def put(self, unit: Any, i: int) -> None: ...


def sequence(courses: Sequence[Course]) -> list[Unit]:
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
    units: list[Unit] = []
    for k, c in enumerate(courses):
        if c.mode == LECTURE:
            block = c.block or c.id
            units.extend(Unit(c, p, block, LECTURE) for p in range(1, c.half_days + 1))
            if last_of_block[block] == k:
                for d in waiting.pop(block, []):
                    units.extend(Unit(d, p, block, DISCUSSION) for p in range(1, d.half_days + 1))
        elif c.mode == DISCUSSION and c.follows is None:
            units.extend(Unit(c, p, None, DISCUSSION) for p in range(1, c.half_days + 1))
    # discussions of a block only kept sessions teach: after those
    for follows, rest in waiting.items():
        for d in rest:
            units.extend(Unit(d, p, follows, DISCUSSION) for p in range(1, d.half_days + 1))
    return units


class _Fill:
    def __init__(self, p: _Planner, units: Sequence[Unit]) -> None:
        self.p = p
        self.lectures = [u for u in units if u.mode == LECTURE]
        self.discussions = [u for u in units if u.mode != LECTURE]
        self.order = {id(u): k for k, u in enumerate(units)}
        # lecture half-days of each block still to place
        self.pending: dict[str, int] = {}
        for u in self.lectures:
            if u.block is not None:
                self.pending[u.block] = self.pending.get(u.block, 0) + 1
        self.free = [i for i in range(p.n) if p.occ[i] is None and i not in p.ceremony]
        self.total = {LECTURE: len(self.lectures), DISCUSSION: len(self.discussions)}
        self.placed = {LECTURE: 0, DISCUSSION: 0}

    def fits(self, u: Unit, i: int) -> bool:
        assert u.course is not None
        if not self.p.feasible(u.course)[i] or not self.p.run_ok(u.mode, i):
            return False
        if u.mode == LECTURE or u.block is None:
            return True
        if self.pending.get(u.block, 0):
            return False
        before = self.p.lectures_at.get(u.block)
        return not before or i > max(before)

    def following(self, i: int) -> Unit | None:
        """The next half-day of the course the half-day before ``i`` holds, when it fits."""
        prev = self.p.occ[i - 1] if i > 0 else None
        if prev is None or prev.course is None or prev.kept is not None:
            return None
        pool = self.lectures if prev.mode == LECTURE else self.discussions
        for u in pool:
            if u.course is prev.course and u.part == prev.part + 1:
                return u if self.fits(u, i) else None
        return None

    def first(self, pool: list[Unit], i: int) -> Unit | None:
        return next((u for u in pool if self.fits(u, i)), None)

    def choose(self, k: int, i: int) -> Unit | None:
        unit = self.following(i)
        if unit is not None:
            return unit
        lecture = self.first(self.lectures, i)
        discussion = self.first(self.discussions, i)
        if lecture is None or discussion is None:
            return lecture or discussion
        # the mode further behind its even pace over the free half-days
        n = len(self.free)
        behind = {m: self.total[m] * (k + 1) / n - self.placed[m] for m in (LECTURE, DISCUSSION)}
        return lecture if behind[LECTURE] >= behind[DISCUSSION] else discussion

    def run(self) -> list[Unit]:
        for k, i in enumerate(self.free):
            unit = self.choose(k, i)
            if unit is None:
                continue
            self.p.put(unit, i)
            if unit.mode == LECTURE:
                self.lectures.remove(unit)
                self.placed[LECTURE] += 1
                if unit.block is not None:
                    self.pending[unit.block] -= 1
            else:
                self.discussions.remove(unit)
                self.placed[DISCUSSION] += 1
        left = [*self.lectures, *self.discussions]
        left.sort(key=lambda u: self.order[id(u)])
        return left


def paced_fill(p: _Planner, units: Sequence[Unit]) -> list[Unit]:
    """Put ``units`` (in teaching order, from :func:`sequence`) into the free half-days of
    ``p`` as the module describes; returns those it could not place, in teaching order."""
    return _Fill(p, units).run()
