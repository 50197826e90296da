"""Classes of 1 to 60 working days planned from a course library like the demo's (built the
way models.training.timetable builds the planner's input, without a database): each mode
within one half-day of its 三三制 target, every rule kept (verify_timetable), the notes
saying what the timetable holds; a class that cannot hold its required courses refused by
rule; and ten classes over the same dates sharing teachers, rooms and sites without clash."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

import pytest

from models.demo.training import LIBRARY, ROOMS, SITES, TEACHERS
from models.training.planner import (
    DISCUSSION,
    FIELD_STUDY,
    FLEX,
    LECTURE,
    MODES,
    RULES,
    SELF_STUDY,
    Bookings,
    ClassSettings,
    Course,
    PlanningError,
    Room,
    Site,
    Teacher,
    Timetable,
    check_timetable,
    is_flex,
    library_id,
    plan_class,
    verify_timetable,
)

START = date(2027, 3, 1)  # a Monday
SPEAKER = "speaker"  # the 领导干部讲坛 speaker (teacher -1 in the demo library)


def demo_library() -> list[Course]:
    """The demo course library as planner records (ids are the library positions)."""
    out = []
    for k, c in enumerate(LIBRARY):
        teacher = None
        if c.teacher is not None:
            teacher = SPEAKER if c.teacher == -1 else f"t{c.teacher}"
        out.append(
            Course(
                str(k),
                c.title,
                c.mode,
                c.half_days,
                teacher,
                block=c.block or None,
                follows=c.follows or None,
                site_id=f"s{c.site}" if c.site is not None else None,
                required=c.required,
                priority=c.priority,
                position=c.position,
            )
        )
    return out


LIB = demo_library()
TEACHER_LIST = [Teacher(f"t{k}", name) for k, (name, _, _) in enumerate(TEACHERS)] + [
    Teacher(SPEAKER, "讲坛主讲人")
]
SITE_LIST = [Site(f"s{k}", s[0], s[1], s[4]) for k, s in enumerate(SITES)]
ROOM_LIST = [Room(f"r{k}", name, cap) for k, (name, cap) in enumerate(ROOMS)]


def working_days(n: int, start: date = START) -> date:
    """The n-th working day (Monday to Friday) from ``start``."""
    day, k = start, 1
    while k < n:
        day += timedelta(days=1)
        k += day.weekday() < 5
    return day


def settings(days: int, **kw: object) -> ClassSettings:
    return ClassSettings(f"{days}天班", START, working_days(days), class_size=30, **kw)  # type: ignore[arg-type]


def plan(
    s: ClassSettings,
    library: list[Course] | None = None,
    *,
    rooms: list[Room] | None = None,
    bookings: Bookings | None = None,
) -> Timetable:
    return plan_class(
        s,
        [],
        library=LIB if library is None else library,
        teachers=TEACHER_LIST,
        rooms=ROOM_LIST if rooms is None else rooms,
        sites=SITE_LIST,
        bookings=bookings,
    )


def counts(tt: Timetable) -> tuple[int, int, int]:
    n = [sum(1 for s in tt.sessions if s.mode == m) for m in MODES]
    return (n[0], n[1], n[2])


def assert_notes_match(tt: Timetable, library: list[Course]) -> None:
    """Every note about repeats or 自学/机动 half-days says what the timetable holds, and the
    timetable holds no repeat or 自学/机动 half-day no note mentions."""
    by_title = {c.title: c.id for c in library}
    holdings: dict[str, set[str]] = {}
    for s in tt.sessions:
        if s.course_id:
            holdings.setdefault(library_id(s.course_id), set()).add(s.course_id)
    said: dict[str, int] = {}
    for note in tt.notes:
        if "重复" in note:
            for title, times in re.findall(r"《([^》]+)》(\d+) 次", note):
                said[by_title[title]] = int(times)
    repeated = {cid: len(ids) - 1 for cid, ids in holdings.items() if len(ids) > 1}
    assert repeated == said
    for title in (SELF_STUDY, FLEX):
        held = sum(1 for s in tt.sessions if is_flex(s) and s.title == title)
        found = [
            int(n) for note in tt.notes for n in re.findall(rf"留出 (\d+) 个{title}半天", note)
        ]
        assert held == sum(found), (title, held, tt.notes)


# lecture, field-study and discussion half-days of each length, a third each
EXPECTED = {
    1: (1, 0, 1),
    3: (1, 2, 1),
    5: (3, 2, 2),
    10: (7, 6, 5),
    15: (9, 10, 9),
    20: (13, 12, 13),
    40: (26, 26, 26),
    60: (39, 40, 39),
}


@pytest.mark.parametrize("days", sorted(EXPECTED))
def test_each_length_comes_within_one_half_day_of_the_shares(days: int) -> None:
    s = settings(days)
    assert len({d for d, _ in s.class_slots()}) == days
    tt = plan(s)
    got = counts(tt)
    assert got == EXPECTED[days]
    base = s.teaching_half_days()
    for n, share in zip(got, s.target_shares().values(), strict=True):
        assert abs(n - share * base) <= 1 + 1e-9, (got, base)
    assert (
        verify_timetable(tt, library=LIB, teachers=TEACHER_LIST, rooms=ROOM_LIST, sites=SITE_LIST)
        == []
    )
    # every half-day holds exactly one thing: the modes, 自学/机动 and the ceremonies
    flex = sum(1 for x in tt.sessions if is_flex(x))
    assert sum(got) + flex == base
    assert len({x.key for x in tt.sessions}) == len(tt.sessions) == len(s.class_slots())
    assert not [n for n in tt.notes if n.startswith("未排入")]
    assert_notes_match(tt, LIB)


@pytest.mark.parametrize(
    ("days", "expected"), [(5, (4, 2, 2)), (20, (15, 12, 11)), (60, (47, 36, 35))]
)
def test_user_set_shares_four_three_three(days: int, expected: tuple[int, int, int]) -> None:
    s = settings(days, share_lecture=0.4, share_field_study=0.3, share_discussion=0.3)
    tt = plan(s)
    got = counts(tt)
    assert got == expected
    base = s.teaching_half_days()
    for n, share in zip(got, (0.4, 0.3, 0.3), strict=True):
        assert abs(n - share * base) <= 1 + 1e-9
    assert (
        verify_timetable(tt, library=LIB, teachers=TEACHER_LIST, rooms=ROOM_LIST, sites=SITE_LIST)
        == []
    )
    assert_notes_match(tt, LIB)


@pytest.mark.parametrize("days", [40, 60])
def test_discussion_repeats_spread_over_the_blocks_taught(days: int) -> None:
    tt = plan(settings(days))
    lectures = {c.id: c for c in LIB if c.mode == LECTURE}
    blocks = {
        lectures[library_id(s.course_id)].block
        for s in tt.sessions
        if s.mode == LECTURE and s.course_id
    }
    formats = [
        c for c in LIB if c.mode == DISCUSSION and c.follows is not None and c.follows in blocks
    ]
    assert len(formats) == 3  # 理论, 发展 and 乡村振兴 are all taught
    held = {
        c.title: len({s.course_id for s in tt.sessions if library_id(s.course_id or "") == c.id})
        for c in formats
    }
    assert min(held.values()) >= 2, held  # each repeated, none left out
    assert max(held.values()) - min(held.values()) <= 1, held
    (note,) = [n for n in tt.notes if n.startswith("为凑足研讨交流，重复了")]
    for title, n in held.items():
        assert f"《{title}》{n - 1} 次" in note


def test_each_discussion_follows_its_block_and_runs_stay_short() -> None:
    tt = plan(settings(60))
    order = {s.key: k for k, s in enumerate(tt.sessions)}
    by_id = {c.id: c for c in LIB}
    last: dict[str, int] = {}
    run = longest = 0
    for s in tt.sessions:
        run = run + 1 if s.mode == LECTURE else 0
        longest = max(longest, run)
        if s.mode == LECTURE and s.course_id:
            block = by_id[library_id(s.course_id)].block or ""
            last[block] = max(last.get(block, -1), order[s.key])
    assert longest == 4  # the class's max_lectures_in_row, reached but not passed
    for s in tt.sessions:
        c = by_id.get(library_id(s.course_id or ""))
        if c is not None and c.mode == DISCUSSION and c.follows:
            assert order[s.key] > last[c.follows], s.title


def test_no_plan_when_the_required_courses_outgrow_the_class() -> None:
    # five lectures of a half-day each made required: a one-day class has two half-days
    library = [replace(c, required=True) if c.id in {"1", "5", "15"} else c for c in LIB]
    with pytest.raises(PlanningError) as err:
        plan(settings(1), library)
    assert err.value.rule == "required"
    assert f"（规则：{RULES['required']}）" in str(err.value)
    assert "必修课共需" in str(err.value)
    assert "可用的只有 2 个半天" in str(err.value)


def test_ten_classes_over_the_same_dates_share_teachers_rooms_and_sites() -> None:
    # the 结业交流 is led by each class's own head teacher (no library teacher): one teacher
    # could not close ten classes in the same half-day
    library = [replace(c, teacher_id=None) if c.position else c for c in LIB]
    rooms = [Room(f"r{k}", f"第{k + 1}教室", 60) for k in range(12)]
    booked = Bookings()
    plans = []
    for k in range(10):
        s = ClassSettings(f"{k + 1}班", START, working_days(10), class_size=40)
        tt = plan(s, library, rooms=rooms, bookings=booked)
        assert (
            check_timetable(
                tt,
                courses=library,
                teachers=TEACHER_LIST,
                rooms=rooms,
                sites=SITE_LIST,
                bookings=booked,
            )
            == []
        )
        found = verify_timetable(
            tt,
            library=library,
            teachers=TEACHER_LIST,
            rooms=rooms,
            sites=SITE_LIST,
            bookings=booked,
        )
        # only the shares may be off, when the teachers and sites ran out -- and then the
        # notes say which 机动 half-days were left
        assert {v.rule for v in found} <= {"shares"}
        if found:
            assert any(n.startswith("留出 ") and FLEX in n for n in tt.notes)
        assert_notes_match(tt, library)
        plans.append(tt)
        booked = booked.merged(tt.bookings())
    seen: set[tuple[str, date, str]] = set()
    for tt in plans:
        for s in tt.sessions:
            for who in (s.teacher_id, s.room_id, s.site_id):
                if who:
                    assert (who, *s.key) not in seen
                    seen.add((who, *s.key))
    # the first classes still had the teachers and sites for the full shares
    for tt in plans[:3]:
        assert counts(tt) == (7, 6, 5)
    assert sum(1 for tt in plans for s in tt.sessions if s.mode == FIELD_STUDY) > 0


def test_a_lecture_left_out_names_the_rule_that_kept_it_out() -> None:
    """With at most one lecture in a row, a ten-day class cannot take all its lectures: the
    notes name 连续课堂教学不超过规定的半天数, not that the half-days were taken."""
    tt = plan(settings(10, max_lectures_in_row=1))
    left_out = [n for n in tt.notes if n.startswith("未排入")]
    assert left_out
    rules = {re.search(r"（规则：([^）]+)）$", n).group(1) for n in left_out}  # type: ignore[union-attr]
    assert "每个半天只安排一项" not in rules
    assert rules <= {"连续课堂教学不超过规定的半天数", "研讨在所研讨专题的讲课之后"}
