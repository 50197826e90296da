"""Time the 三三制 planner on a 60-teaching-day class: chosen from a course library like the
demo's (models.demo.training.LIBRARY: 47 lecture half-days, 4 field-study sites, 4
discussion formats; the selection, the repeats and the placement), and with 40 given courses.

Three other classes are planned first over the same dates with the same teachers, rooms
and field-study sites; the measured class is planned against their bookings. The bare
baseline, measured in the same run, only enumerates the class's half-days and looks up
every course's teacher in the bookings at every half-day (the least any planner must do).
The goal: the library plan within 0.2 s.

Run: .venv/bin/python benchmarks/bench_planner.py
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models.demo.training import LIBRARY  # noqa: E402
from models.training.planner import (  # noqa: E402
    DISCUSSION,
    FIELD_STUDY,
    LECTURE,
    Bookings,
    ClassSettings,
    Course,
    Room,
    Site,
    Teacher,
    Timetable,
    check_timetable,
    plan_class,
    shares,
    verify_timetable,
)

START = date(2026, 3, 2)  # a Monday
END = START + timedelta(weeks=12) - timedelta(days=3)  # Friday of week 12: 60 teaching days
RUNS = 5


def teachers() -> list[Teacher]:
    out = []
    for i in range(15):
        # each teacher is away for a different working week
        away = frozenset(START + timedelta(days=7 * (i % 12) + d) for d in range(5))
        out.append(Teacher(f"t{i}", f"教师{i}", away if i % 3 == 0 else frozenset()))
    return out


ROOMS = [
    Room("r1", "报告厅", 120),
    Room("r2", "第一教室", 60),
    Room("r3", "第二教室", 60),
    Room("r4", "研讨室", 30),
]
SITES = [Site(f"s{i}", f"现场教学点{i}") for i in range(10)]


def big_class_courses() -> list[Course]:
    """40 courses: 39 lecture, 40 field-study and 39 discussion half-days (118 in all)."""
    cs: list[Course] = []
    for i in range(15):  # 9 x 3 + 6 x 2 = 39 lecture half-days in 5 blocks of 3 courses
        cs.append(
            Course(
                f"l{i}",
                f"专题讲座{i}",
                LECTURE,
                3 if i < 9 else 2,
                f"t{i % 15}",
                block=f"B{i // 3}",
            )
        )
        if i % 3 == 2:  # after each block, its discussion: 5 x 4 = 20 half-days
            cs.append(Course(f"d{i}", f"专题研讨{i // 3}", DISCUSSION, 4, follows=f"B{i // 3}"))
    # 5 more discussions, not tied to a block: 4 x 4 + 3 = 19
    cs.extend(Course(f"x{i}", f"交流{i}", DISCUSSION, 4 if i < 4 else 3) for i in range(5))
    # 5 x 4 + 10 x 2 = 40 field-study half-days
    cs.extend(
        Course(f"f{i}", f"现场教学{i}", FIELD_STUDY, 4 if i < 5 else 2, site_id=f"s{i % 10}")
        for i in range(15)
    )
    return cs


def demo_library() -> list[Course]:
    """The demo library as planner records; its 14 teachers are t0..t13 here (the 讲坛
    speaker t14) and its 4 sites s0..s3, so it shares them with the other classes."""
    out = []
    for k, c in enumerate(LIBRARY):
        teacher = None if c.teacher is None else f"t{14 if c.teacher == -1 else c.teacher}"
        out.append(
            Course(
                f"c{k}",
                c.title,
                c.mode,
                c.half_days,
                teacher,
                block=c.block or None,
                follows=c.follows or None,
                site_id=None if c.site is None else f"s{c.site}",
                required=c.required,
                priority=c.priority,
                position=c.position,
            )
        )
    return out


def small_class_courses(k: int) -> list[Course]:
    """A two-week class: 6 / 6 / 6 half-days."""
    return [
        Course("a", "理论讲座", LECTURE, 3, f"t{(3 * k + 1) % 15}", block="A"),
        Course("b", "政策讲座", LECTURE, 3, f"t{(3 * k + 2) % 15}", block="A"),
        Course("c", "专题研讨", DISCUSSION, 4, follows="A"),
        Course("e", "经验交流", DISCUSSION, 2),
        Course("f", "现场教学", FIELD_STUDY, 4, site_id=f"s{k % 10}"),
        Course("g", "调研", FIELD_STUDY, 2, site_id=f"s{(k + 5) % 10}"),
    ]


def other_bookings() -> Bookings:
    booked = Bookings()
    for k in range(3):
        start = START + timedelta(weeks=3 * k + 1)
        s = ClassSettings(f"其他班{k}", start, start + timedelta(days=11), class_size=50)
        tt = plan_class(
            s,
            small_class_courses(k),
            teachers=teachers(),
            rooms=ROOMS,
            sites=SITES,
            bookings=booked,
        )
        booked = booked.merged(tt.bookings())
    return booked


def median_ms(fn: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def report(label: str, tt: Timetable, found: int, plan_ms: float, base_ms: float) -> None:
    print(f"{label}:")
    for m in shares(tt):
        print(
            f"  {m.mode}: {m.half_days} half-days / {m.hours:g} 学时 "
            f"(target {m.target_half_days:.2f}) {'ok' if m.within_tolerance else 'OFF'}"
        )
    print(f"  rules broken (verify_timetable / check_timetable): {found}")
    print(f"  plan_class median of {RUNS} runs {plan_ms:8.2f} ms")
    print(f"  ratio plan_class / baseline: {plan_ms / base_ms:.1f}x")


def main() -> None:
    settings = ClassSettings("县处级干部进修班", START, END, class_size=55)
    courses = big_class_courses()
    library = demo_library()
    tlist = teachers()
    booked = other_bookings()

    def run_library() -> Timetable:
        return plan_class(
            settings,
            [],
            library=library,
            teachers=tlist,
            rooms=ROOMS,
            sites=SITES,
            bookings=booked,
        )

    def run_plan() -> Timetable:
        return plan_class(
            settings, courses, teachers=tlist, rooms=ROOMS, sites=SITES, bookings=booked
        )

    def baseline() -> int:
        slots = settings.class_slots()
        hits = 0
        for c in courses:
            busy = booked.teachers.get(c.teacher_id or "", frozenset())
            for slot in slots:
                if slot not in busy:
                    hits += 1
        return hits

    lib_tt = run_library()
    violations = verify_timetable(
        lib_tt, library=library, teachers=tlist, rooms=ROOMS, sites=SITES, bookings=booked
    )
    tt = run_plan()
    clashes = check_timetable(
        tt, courses=courses, teachers=tlist, rooms=ROOMS, sites=SITES, bookings=booked
    )
    lib_ms = median_ms(run_library)
    plan_ms = median_ms(run_plan)
    check_ms = median_ms(
        lambda: check_timetable(
            tt, courses=courses, teachers=tlist, rooms=ROOMS, sites=SITES, bookings=booked
        )
    )
    base_ms = median_ms(baseline)

    days = len({d for d, _ in settings.class_slots()})
    print(
        f"class: {settings.start} .. {settings.end}, {days} teaching days, "
        f"{len(settings.class_slots())} half-days, 3 other classes booked"
    )
    print(f"baseline (enumerate half-days x courses, teacher lookups) {base_ms:8.3f} ms")
    report(
        f"from the demo-like library ({len(library)} courses)",
        lib_tt,
        len(violations),
        lib_ms,
        base_ms,
    )
    for note in lib_tt.notes:
        print(f"    · {note}")
    print(f"  within the 0.2 s goal: {'yes' if lib_ms <= 200 else 'NO'}")
    report(f"{len(courses)} given courses", tt, len(clashes), plan_ms, base_ms)
    print(f"  check_timetable median {check_ms:8.2f} ms")


if __name__ == "__main__":
    main()
