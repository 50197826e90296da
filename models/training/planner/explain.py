"""三三制 timetable: why the placement search cannot place something, in Chinese, naming the
dates and what blocks each of them -- and the checks, before searching, that the courses fit
the class at all (half-days, whole days, rooms, each teacher's free half-days, the shares)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Protocol

from models.training.planner.types import (
    AFTERNOON,
    DISCUSSION,
    FIELD_STUDY,
    LECTURE,
    MODES,
    MORNING,
    Bookings,
    ClassSettings,
    Course,
    PlanningError,
    Room,
    Site,
    Slot,
    Teacher,
    date_ranges,
    format_share,
    slot_label,
)

__all__ = [
    "capacity_checks",
    "field_failure",
    "fixed_failure",
    "no_room",
    "unit_failure",
    "unit_rule",
    "why_not_at",
]


class _Planner(Protocol):
    """What these texts read of the search's state (models.training.planner.search)."""

    settings: ClassSettings
    courses: list[Course]
    slots: list[Slot]
    n: int
    index: dict[Slot, int]
    occ: list[Any]
    ceremony: set[int]
    max_row: int
    teachers: Mapping[str, Teacher]
    sites: Mapping[str, Site]
    bookings: Bookings
    use_rooms: bool
    fit_rooms: list[Room]
    all_rooms: list[Room]
    room_at: list[str | None]

    def feasible(self, course: Course) -> list[bool]: ...

    def bounds(self, unit: Any) -> tuple[int, int]: ...

    def run_ok(self, mode: str, i: int) -> bool: ...

    def away_evening(self, i: int) -> bool: ...

    def whole_days(self) -> list[date]: ...


def no_room(p: _Planner, what: str, slots: Sequence[Slot]) -> str:
    size = p.settings.class_size
    names = "、".join(f"《{r.name}》" for r in p.fit_rooms)
    return f"{what}没有空闲的能容纳 {size} 人的教室：{names}均已被其他班级占用（" + (
        date_ranges(s[0] for s in slots) + "）"
    )


def _slot_reason(p: _Planner, course: Course, i: int) -> str | None:
    """Why a half-day of ``course`` cannot go at slot ``i`` ('' when it could)."""
    slot = p.slots[i]
    teacher = p.teachers[course.teacher_id] if course.teacher_id else None
    if teacher and slot[0] in teacher.unavailable:
        return f"教师{teacher.name}不可用"
    if teacher and slot in p.bookings.teachers.get(teacher.id, frozenset()):
        return f"教师{teacher.name}已被其他班级占用"
    if p.use_rooms and p.room_at[i] is None:
        return f"没有空闲的能容纳 {p.settings.class_size} 人的教室"
    if p.occ[i] is not None:
        return "已安排本班其他课程"
    if p.away_evening(i):
        return "当天白天外出调研考察，晚上不排课"
    if not p.run_ok(course.mode, i):
        return f"再排课堂教学将连续超过 {p.max_row} 个半天"
    return None


def why_not_at(p: _Planner, course: Course, i: int) -> str:
    """'的教师王某 2027-03-01 下午已被其他班级占用' (for a note)."""
    reason = _slot_reason(p, course, i) or "不能安排"
    return f"在 {slot_label(*p.slots[i])} {reason}"


def fixed_failure(p: _Planner, course: Course, i: int, where: str) -> str:
    """A course that must take slot ``i`` (after 开班式, before 结业式) and cannot."""
    reason = _slot_reason(p, course, i) or "不能安排"
    return f"《{course.title}》须排在{where}（{slot_label(*p.slots[i])}），但该时段{reason}"


def field_failure(p: _Planner, course: Course, days: list[date], length: int) -> str:
    reasons: dict[str, list[date]] = {}
    teacher = p.teachers[course.teacher_id] if course.teacher_id else None
    site = p.sites[course.site_id] if course.site_id else None
    for day in days:
        slots = [(day, MORNING), (day, AFTERNOON)]
        if teacher and day in teacher.unavailable:
            why = f"教师{teacher.name}不可用"
        elif teacher and any(s in p.bookings.teachers.get(teacher.id, frozenset()) for s in slots):
            why = f"教师{teacher.name}已被其他班级占用"
        elif site and day in site.unavailable:
            why = f"现场教学点《{site.name}》不可用"
        elif site and any(s in p.bookings.sites.get(site.id, frozenset()) for s in slots):
            why = f"现场教学点《{site.name}》已被其他班级占用"
        elif any(p.occ[p.index[s]] is not None for s in slots):
            why = "已安排本班其他课程"
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


def unit_rule(p: _Planner, unit: Any) -> str:
    """The rule that keeps a lecture/discussion half-day out: the one most of the free
    half-days break, else the order rule when the course is confined to full ones."""
    course: Course = unit.course
    lo, hi = p.bounds(unit)
    if not [i for i in range(lo + 1, hi) if i not in p.ceremony]:
        return "discussion_after_lectures"
    counts: dict[str, int] = {}
    for i in range(lo + 1, hi):
        if i in p.ceremony:
            continue
        why = _slot_reason(p, course, i) or ""
        rule = (
            "teacher_unavailable"
            if why.endswith("不可用")
            else "teacher_once"
            if why.endswith("已被其他班级占用")
            else "room_once"
            if "教室" in why
            else "lectures_in_row"
            if "连续" in why
            else "field_whole_days"
            if "外出调研考察" in why
            else "one_per_half_day"
        )
        counts[rule] = counts.get(rule, 0) + 1
    # half-days the class's own courses hold are the state, not the cause: name the rule that
    # keeps the course out of the others, or the order that confines it to the full ones
    blocking = {r: n for r, n in counts.items() if r != "one_per_half_day"}
    if blocking:
        return max(blocking, key=lambda r: blocking[r])
    if (course.mode == DISCUSSION and lo >= 0) or (course.mode == LECTURE and hi < p.n):
        return "discussion_after_lectures"
    return "one_per_half_day"


def unit_failure(p: _Planner, unit: Any) -> str:
    course: Course = unit.course
    lo, hi = p.bounds(unit)
    reasons: dict[str, list[Slot]] = {}
    candidates = [i for i in range(lo + 1, hi) if i not in p.ceremony]
    for i in candidates:
        why = _slot_reason(p, course, i)
        if why is None:  # pragma: no cover - a free feasible slot would have been taken
            continue
        reasons.setdefault(why, []).append(p.slots[i])
    what = f"课程《{course.title}》（{course.mode}"
    what += f"，第 {unit.part} 个半天）" if course.half_days > 1 else "）"
    order = ""
    if course.mode == DISCUSSION and lo >= 0:
        order = f"须排在所研讨专题的最后一节讲课（{slot_label(*p.slots[lo])}）之后，"
    elif course.mode == LECTURE and hi < p.n:
        order = f"须排在研讨本专题的课程（{slot_label(*p.slots[hi])}）之前，"
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


def capacity_checks(settings: ClassSettings, p: _Planner, enforce_shares: bool) -> None:
    """Refuse at once what cannot fit: more half-days than the class has, more field days
    than whole days, no room big enough, a teacher with more to teach than free half-days,
    and (``enforce_shares``) course half-days off the target shares."""
    courses = p.courses
    available = settings.teaching_half_days() - sum(
        1 for i, u in enumerate(p.occ) if u is not None and i not in p.ceremony
    )
    need = {m: sum(c.half_days for c in courses if c.mode == m) for m in MODES}
    total = sum(need.values())
    span = f"{settings.start} 至 {settings.end}"
    if total > available:
        raise PlanningError(
            f"课程共需 {total} 个半天，班次《{settings.name}》（{span}）除开班式、结业式外"
            f"可用半天只有 {available} 个",
            rule="class_length",
        )
    whole = len(p.whole_days())
    field_days = need[FIELD_STUDY] // 2
    if field_days > whole:
        raise PlanningError(
            f"调研考察需要 {field_days} 个整天，班次《{settings.name}》可用的整天"
            f"（上午和下午均可排课）只有 {whole} 个",
            rule="field_whole_days",
        )
    rest = need[LECTURE] + need[DISCUSSION]
    if p.use_rooms and not p.fit_rooms:
        biggest = p.all_rooms[0]
        raise PlanningError(
            f"没有能容纳 {settings.class_size} 人的教室：最大的教室《{biggest.name}》"
            f"只能容纳 {biggest.capacity} 人",
            rule="room_capacity",
            field="class_size",
        )
    if p.use_rooms:
        roomed = sum(
            1 for i, r in enumerate(p.room_at) if r and i not in p.ceremony and p.occ[i] is None
        )
        if rest > roomed:
            raise PlanningError(
                f"课堂教学和研讨交流需要 {rest} 个半天的教室，能容纳 {settings.class_size} 人"
                f"且未被其他班级占用的教室只有 {roomed} 个半天",
                rule="room_once",
            )
    _teacher_loads(p, courses)
    if enforce_shares:
        base = settings.teaching_half_days()
        tol = settings.share_tolerance
        for mode, share in settings.target_shares().items():
            target = share * base
            if abs(need[mode] - target) > tol + 1e-9:
                raise PlanningError(
                    f"{mode}课程共 {need[mode]} 个半天，目标为 {format_share(target)} 个半天"
                    f"（可用 {base} 个半天 × {format_share(share * 100)}%），"
                    f"相差超过 {tol} 个半天",
                    rule="shares",
                    field="share_lecture",
                )


def _teacher_loads(p: _Planner, courses: Sequence[Course]) -> None:
    """Each teacher's lectures and discussions against the half-days the teacher can give."""
    load: dict[str, list[Course]] = {}
    for c in courses:
        if c.teacher_id is not None and c.mode != FIELD_STUDY:
            load.setdefault(c.teacher_id, []).append(c)
    for tid, taught in load.items():
        need_t = sum(c.half_days for c in taught)
        feas = p.feasible(taught[0])
        have = sum(
            1 for i, ok in enumerate(feas) if ok and i not in p.ceremony and p.occ[i] is None
        )
        if need_t > have:
            t = p.teachers[tid]
            titles = "、".join(f"《{c.title}》" for c in taught)
            off = [s[0] for s in p.slots if s[0] in t.unavailable]
            if have == 0 and len(off) == len(p.slots):
                raise PlanningError(
                    f"教师{t.name}在 {date_ranges(off)} 均不可用，课程{titles}无法安排",
                    rule="teacher_unavailable",
                    record=taught[0].id,
                )
            note = f"（{date_ranges(off)} 不可用）" if off else ""
            raise PlanningError(
                f"教师{t.name}需要讲授 {need_t} 个半天（{titles}），可用半天只有 {have} 个{note}",
                rule="teacher_unavailable" if off else "teacher_once",
                record=taught[0].id,
            )
