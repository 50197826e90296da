"""三三制 planner rules, with the expected timetables worked out by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from models.core.errors import DomainError
from models.training.planner import (
    AFTERNOON,
    CLOSING,
    DISCUSSION,
    EVENING,
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
    Teacher,
    Timetable,
    check_timetable,
    plan_class,
    shares,
)

D = date  # short alias for hand-written dates


def two_weeks(**kw: object) -> ClassSettings:
    """Mon 2026-03-02 to Fri 03-13: 10 teaching days, 20 half-days, 18 besides ceremonies."""
    return ClassSettings("县处级进修班", D(2026, 3, 2), D(2026, 3, 13), class_size=45, **kw)


TEACHERS = (Teacher("t1", "王某"), Teacher("t2", "李某"), Teacher("t3", "张某"))
ROOMS = (Room("r1", "第一教室", 60),)
SITES = (Site("s1", "红色教育基地"), Site("s2", "示范村"))


def courses() -> list[Course]:
    """6 lecture, 6 field-study and 6 discussion half-days: one third of 18 each."""
    return [
        Course("l1", "党的创新理论", LECTURE, 2, "t1", block="理论"),
        Course("l2", "党史专题", LECTURE, 1, "t2", block="理论"),
        Course("d1", "理论研讨", DISCUSSION, 2, follows="理论"),
        Course("l3", "乡村振兴政策", LECTURE, 3, "t3"),
        Course("d2", "乡村振兴研讨", DISCUSSION, 2, follows="l3"),
        Course("f1", "红色教育基地", FIELD_STUDY, 2, site_id="s1"),
        Course("f2", "示范村蹲点", FIELD_STUDY, 4, site_id="s2"),
        Course("d3", "结业交流", DISCUSSION, 2),
    ]


def plan(
    settings: ClassSettings | None = None, course_list: list[Course] | None = None, **kw: object
) -> Timetable:
    kw.setdefault("teachers", TEACHERS)
    kw.setdefault("rooms", ROOMS)
    kw.setdefault("sites", SITES)
    return plan_class(settings or two_weeks(), course_list or courses(), **kw)  # type: ignore[arg-type]


def keys(tt: Timetable, course_id: str) -> list[tuple[date, str]]:
    return [s.key for s in tt.sessions if s.course_id == course_id]


# ---------------------------------------------------------------------------- calendar


def test_class_slots_skip_weekends_and_holidays() -> None:
    # Mon 03-02 .. Sun 03-08 with Wed 03-04 a holiday: Mon, Tue, Thu, Fri = 8 half-days.
    s = ClassSettings("班", D(2026, 3, 2), D(2026, 3, 8), holidays=frozenset({D(2026, 3, 4)}))
    slots = s.class_slots()
    assert len(slots) == 8
    assert slots[0] == (D(2026, 3, 2), MORNING)
    assert slots[-1] == (D(2026, 3, 6), AFTERNOON)
    assert D(2026, 3, 4) not in {d for d, _ in slots}
    assert s.teaching_half_days() == 6


def test_evening_slots_except_the_last_evening() -> None:
    # 4 days x 3 half-days, minus the last evening (结业式 closes the class) = 11.
    s = ClassSettings("班", D(2026, 3, 2), D(2026, 3, 5), slots=(MORNING, AFTERNOON, EVENING))
    slots = s.class_slots()
    assert len(slots) == 11
    assert slots[2] == (D(2026, 3, 2), EVENING)
    assert slots[-1] == (D(2026, 3, 5), AFTERNOON)


# ---------------------------------------------------------------------------- planner


def test_three_day_class_hand_worked() -> None:
    # Mon-Wed: 6 half-days. 开班式 Mon AM, 结业式 Wed PM. The only whole day left is Tue,
    # so the visit goes there; the lecture takes Mon PM and the discussion Wed AM.
    s = ClassSettings("专题班", D(2026, 3, 2), D(2026, 3, 4), class_size=30)
    cs = [
        Course("l", "讲座", LECTURE, 1, "t1"),
        Course("f", "考察", FIELD_STUDY, 2, site_id="s1"),
        Course("d", "研讨", DISCUSSION, 1, follows="l"),
    ]
    tt = plan(s, cs)
    got = [(s.day, s.slot, s.mode, s.title) for s in tt.sessions]
    assert got == [
        (D(2026, 3, 2), MORNING, OTHER, OPENING),
        (D(2026, 3, 2), AFTERNOON, LECTURE, "讲座"),
        (D(2026, 3, 3), MORNING, FIELD_STUDY, "考察"),
        (D(2026, 3, 3), AFTERNOON, FIELD_STUDY, "考察"),
        (D(2026, 3, 4), MORNING, DISCUSSION, "研讨"),
        (D(2026, 3, 4), AFTERNOON, OTHER, CLOSING),
    ]
    assert all(s.hours == 4 for s in tt.sessions)
    assert tt.total_hours() == 24
    field = [s for s in tt.sessions if s.mode == FIELD_STUDY]
    assert [(s.site_id, s.room_id, s.part, s.parts) for s in field] == [
        ("s1", None, 1, 2),
        ("s1", None, 2, 2),
    ]


def test_opening_first_and_closing_last() -> None:
    tt = plan()
    assert (tt.sessions[0].title, tt.sessions[0].key) == (OPENING, (D(2026, 3, 2), MORNING))
    assert (tt.sessions[-1].title, tt.sessions[-1].key) == (CLOSING, (D(2026, 3, 13), AFTERNOON))
    # every half-day of the class is used exactly once: 18 courses + 2 ceremonies
    assert len(tt.sessions) == 20
    assert len({s.key for s in tt.sessions}) == 20


def test_shares_of_a_planned_class() -> None:
    tt = plan()
    got = {m.mode: (m.half_days, m.hours, m.target_half_days, m.target_hours) for m in shares(tt)}
    # 18 half-days / 3 = 6 each; 6 x 4 学时 = 24
    assert got == {
        LECTURE: (6, 24, pytest.approx(6), pytest.approx(24)),
        FIELD_STUDY: (6, 24, pytest.approx(6), pytest.approx(24)),
        DISCUSSION: (6, 24, pytest.approx(6), pytest.approx(24)),
    }
    assert all(m.within_tolerance for m in shares(tt))


def test_shares_of_an_edited_timetable_and_the_tolerance() -> None:
    tt = plan()
    discussions = [s for s in tt.sessions if s.mode == DISCUSSION]
    one = replace(discussions[0], mode=LECTURE)
    edited = Timetable(tt.settings, tuple(one if s is discussions[0] else s for s in tt.sessions))
    by_mode = {m.mode: m for m in shares(edited)}
    assert (by_mode[LECTURE].half_days, by_mode[DISCUSSION].half_days) == (7, 5)
    assert by_mode[LECTURE].difference == pytest.approx(1)
    assert by_mode[LECTURE].within_tolerance  # one half-day off is allowed
    two = {
        discussions[0]: replace(discussions[0], mode=LECTURE),
        discussions[1]: replace(discussions[1], mode=LECTURE),
    }
    edited = Timetable(tt.settings, tuple(two.get(s, s) for s in tt.sessions))
    by_mode = {m.mode: m for m in shares(edited)}
    assert (by_mode[LECTURE].half_days, by_mode[LECTURE].hours) == (8, 32)
    assert not by_mode[LECTURE].within_tolerance
    assert not by_mode[DISCUSSION].within_tolerance


def test_custom_shares_and_hours_per_half_day() -> None:
    # 18 half-days at 50/25/25 %: 9 / 4.5 / 4.5, 学时 3 per half-day (Nanjing's 6 a day).
    # The discussion follows every lecture and the visit takes two days in a row, so the 9
    # lectures come in two runs around the visit: the class allows 5 in a row.
    s = two_weeks(
        share_lecture=0.5,
        share_field_study=0.25,
        share_discussion=0.25,
        hours_per_half_day=3,
        max_lectures_in_row=5,
    )
    cs = [
        Course("l1", "讲一", LECTURE, 5, "t1"),
        Course("l2", "讲二", LECTURE, 4, "t2"),
        Course("f1", "考察", FIELD_STUDY, 4, site_id="s1"),
        Course("d1", "研讨", DISCUSSION, 5, follows="l2"),
    ]
    tt = plan(s, cs)
    by_mode = {m.mode: m for m in shares(tt)}
    assert by_mode[LECTURE].hours == 27  # 9 x 3
    assert by_mode[FIELD_STUDY].target_hours == pytest.approx(13.5)  # 4.5 x 3
    assert all(m.within_tolerance for m in by_mode.values())


def test_field_study_takes_whole_consecutive_days() -> None:
    tt = plan()
    for cid, days in (("f1", 1), ("f2", 2)):
        got = keys(tt, cid)
        dates = sorted({d for d, _ in got})
        assert len(dates) == days
        assert sorted(got) == sorted((d, p) for d in dates for p in (MORNING, AFTERNOON))
        assert all(b - a == timedelta(days=1) for a, b in zip(dates, dates[1:], strict=False))
    assert check_timetable(tt, courses=courses(), teachers=TEACHERS, rooms=ROOMS, sites=SITES) == []


def test_discussion_comes_after_its_lecture_block() -> None:
    tt = plan()
    order = {s.key: i for i, s in enumerate(tt.sessions)}
    theory = [order[k] for c in ("l1", "l2") for k in keys(tt, c)]
    assert min(order[k] for k in keys(tt, "d1")) > max(theory)
    assert min(order[k] for k in keys(tt, "d2")) > max(order[k] for k in keys(tt, "l3"))


def test_discussion_waits_for_a_late_lecture_of_its_block() -> None:
    # 李某 cannot come before Thu 03-12, so the 党史 lecture goes to 03-12 and its
    # discussion must come after it, in the last free half-days.
    away = frozenset(D(2026, 3, 2) + timedelta(days=i) for i in range(10))
    teachers = (TEACHERS[0], Teacher("t2", "李某", away), TEACHERS[2])
    tt = plan(teachers=teachers)
    (l2,) = keys(tt, "l2")
    assert l2[0] == D(2026, 3, 12)
    assert all(k > l2 for k in keys(tt, "d1"))


def test_teacher_unavailable_dates_respected() -> None:
    away = frozenset({D(2026, 3, 2), D(2026, 3, 3), D(2026, 3, 4), D(2026, 3, 5)})
    teachers = (TEACHERS[0], TEACHERS[1], Teacher("t3", "张某", away))
    tt = plan(teachers=teachers)
    assert all(d >= D(2026, 3, 6) for d, _ in keys(tt, "l3"))
    assert len(keys(tt, "l3")) == 3


def test_field_day_leaves_a_guest_speakers_only_day_free() -> None:
    # Mon-Fri: whole days Tue, Wed, Thu; the visit's ideal day is Wed, but the guest can
    # only come on Wed, so the visit moves to Tue.
    s = ClassSettings("专题班", D(2026, 3, 2), D(2026, 3, 6))
    away = frozenset({D(2026, 3, 2), D(2026, 3, 3), D(2026, 3, 5), D(2026, 3, 6)})
    cs = [
        Course("g", "嘉宾讲座", LECTURE, 2, "t9"),
        Course("l", "讲座", LECTURE, 1),
        Course("f", "考察", FIELD_STUDY, 2),
        Course("d", "研讨", DISCUSSION, 3),
    ]
    tt = plan(s, cs, teachers=(Teacher("t9", "嘉宾", away),), rooms=())
    assert keys(tt, "g") == [(D(2026, 3, 4), MORNING), (D(2026, 3, 4), AFTERNOON)]
    assert {d for d, _ in keys(tt, "f")} == {D(2026, 3, 3)}


def test_a_placed_session_is_moved_to_make_room() -> None:
    # 张某 can only teach on Mon 03-02 (afternoon: the morning is 开班式). The first course
    # in the list would take that half-day if nothing were moved.
    s = ClassSettings("专题班", D(2026, 3, 2), D(2026, 3, 6))
    away = frozenset(D(2026, 3, 3) + timedelta(days=i) for i in range(4))
    cs = [
        Course("a", "讲座甲", LECTURE, 1),
        Course("z", "讲座乙", LECTURE, 1, "t3"),
        Course("f", "考察", FIELD_STUDY, 2),
        Course("d", "研讨", DISCUSSION, 3),
    ]
    tt = plan(s, cs, teachers=(Teacher("t3", "张某", away),), rooms=())
    assert keys(tt, "z") == [(D(2026, 3, 2), AFTERNOON)]
    assert len(keys(tt, "a")) == 1


def test_room_must_hold_the_class() -> None:
    rooms = (Room("small", "小教室", 30), Room("big", "报告厅", 80), Room("mid", "中教室", 50))
    tt = plan(rooms=rooms)  # 45 trainees: 小教室 is too small; 中教室 is the snug fit
    used = {s.room_id for s in tt.sessions if s.mode != FIELD_STUDY}
    assert used == {"mid"}
    assert all(s.room_id is None for s in tt.sessions if s.mode == FIELD_STUDY)


def test_no_double_booking_across_classes() -> None:
    rooms = (Room("r1", "第一教室", 60), Room("r2", "第二教室", 60))
    first = plan(rooms=rooms)
    second = plan(
        ClassSettings("中青年干部培训班", D(2026, 3, 2), D(2026, 3, 13), class_size=40),
        rooms=rooms,
        bookings=first.bookings(),
    )
    a, b = first.bookings(), second.bookings()
    for kind in ("teachers", "rooms", "sites"):
        mine, theirs = getattr(a, kind), getattr(b, kind)
        for key in set(mine) & set(theirs):
            assert not (mine[key] & theirs[key]), f"{kind} {key} booked twice"
    # both classes share the 2 rooms: the second class had to use 第二教室
    assert "r2" in b.rooms
    # the same 3 teachers and 2 sites are used by both classes
    assert set(a.teachers) == set(b.teachers) == {"t1", "t2", "t3"}
    assert set(a.sites) == set(b.sites) == {"s1", "s2"}
    assert (
        check_timetable(
            second,
            courses=courses(),
            teachers=TEACHERS,
            rooms=rooms,
            sites=SITES,
            bookings=first.bookings(),
        )
        == []
    )


def test_three_classes_in_a_row_merge_bookings() -> None:
    rooms = tuple(Room(f"r{i}", f"第{i}教室", 60) for i in range(1, 4))
    booked = Bookings()
    plans = []
    for name in ("一班", "二班", "三班"):
        s = ClassSettings(name, D(2026, 3, 2), D(2026, 3, 13), class_size=40)
        tt = plan(s, rooms=rooms, bookings=booked)
        plans.append(tt)
        booked = booked.merged(tt.bookings())
    seen: set[tuple[str, date, str]] = set()
    for tt in plans:
        for s in tt.sessions:
            for who in (s.teacher_id, s.room_id, s.site_id):
                if who:
                    assert (who, *s.key) not in seen
                    seen.add((who, *s.key))


def test_planning_is_deterministic() -> None:
    assert plan() == plan()


def test_evening_sessions_hold_lectures_not_field_study() -> None:
    # Mon-Wed with evenings: 8 half-days; 6 besides ceremonies: 2 / 2 / 2.
    s = ClassSettings("专题班", D(2026, 3, 2), D(2026, 3, 4), slots=(MORNING, AFTERNOON, EVENING))
    cs = [
        Course("l", "讲座", LECTURE, 2),
        Course("f", "考察", FIELD_STUDY, 2),
        Course("d", "研讨", DISCUSSION, 2, follows="l"),
    ]
    tt = plan(s, cs, rooms=())
    assert all(s.slot != EVENING for s in tt.sessions if s.mode == FIELD_STUDY)
    assert len(tt.sessions) == 8
    assert check_timetable(tt, courses=cs) == []


def test_no_evening_session_while_the_class_is_away_on_a_visit() -> None:
    """Mon-Thu with evenings: a two-day stay at 示范村 (the class sleeps there) and a day at a
    distant site (back late): nothing is put on those evenings, and a lecture moved there by
    hand is flagged."""
    s = ClassSettings("专题班", D(2026, 3, 2), D(2026, 3, 6), slots=(MORNING, AFTERNOON, EVENING))
    far = Site("s3", "会宁会师旧址", "会宁县", 150)
    cs = [
        Course("l", "讲座", LECTURE, 4, "t1", block="b"),
        Course("f2", "示范村蹲点", FIELD_STUDY, 4, site_id="s2"),
        Course("d", "研讨", DISCUSSION, 3, follows="b"),
    ]
    tt = plan(s, cs, rooms=(), sites=(*SITES, far))
    stay = sorted({d for d, _slot in keys(tt, "f2")})
    assert len(stay) == 2
    assert stay[1] == stay[0] + timedelta(days=1)
    night = [x for x in tt.sessions if x.key == (stay[0], EVENING)]  # the night at the village
    assert [x.mode for x in night] in ([], [OTHER])  # nothing taught, at most 机动
    assert check_timetable(tt, courses=cs, sites=(*SITES, far)) == []
    lecture = next(x for x in tt.sessions if x.course_id == "l")
    moved = replace(tt, sessions=tuple(
        replace(x, day=stay[0], slot=EVENING) if x is lecture else x for x in tt.sessions
    ))  # fmt: skip
    found = check_timetable(moved, courses=cs, sites=(*SITES, far))
    assert [(c.day, c.slot, c.rule) for c in found if c.kind == "调研考察当晚排课"] == [
        (stay[0], EVENING, "field_whole_days")
    ]


# ---------------------------------------------------------------------------- impossible


def test_teacher_away_for_the_whole_class_is_named() -> None:
    away = frozenset(D(2026, 3, 1) + timedelta(days=i) for i in range(20))
    teachers = (TEACHERS[0], Teacher("t2", "李某", away), TEACHERS[2])
    with pytest.raises(PlanningError) as err:
        plan(teachers=teachers)
    assert str(err.value) == (
        "教师李某在 2026-03-02 至 03-06、2026-03-09 至 03-13 均不可用，课程《党史专题》无法安排"
        "（规则：教师不可用的日子不排课）"
    )
    assert isinstance(err.value, DomainError)


def test_teacher_with_too_few_free_half_days() -> None:
    # 张某 must give 3 half-days (乡村振兴政策) but is free only on Fri 03-13 morning and
    # afternoon, and 03-13 PM is the 结业式: 1 half-day left.
    away = frozenset(D(2026, 3, 2) + timedelta(days=i) for i in range(11))
    teachers = (*TEACHERS[:2], Teacher("t3", "张某", away))
    with pytest.raises(
        PlanningError,
        match=r"教师张某需要讲授 3 个半天（《乡村振兴政策》），"
        r"可用半天只有 1 个",
    ):
        plan(teachers=teachers)


def test_too_many_courses_for_the_class() -> None:
    cs = [*courses(), Course("l9", "加课", LECTURE, 2)]
    with pytest.raises(PlanningError) as err:
        plan(course_list=cs)
    assert "课程共需 20 个半天" in str(err.value)
    assert "可用半天只有 18 个" in str(err.value)


def test_shares_off_target_are_refused_unless_allowed() -> None:
    cs = [c for c in courses() if c.id != "d3"]  # discussion 4 half-days, target 6
    with pytest.raises(PlanningError) as err:
        plan(course_list=cs)
    assert str(err.value).startswith("研讨交流课程共 4 个半天，目标为 6 个半天")
    tt = plan(course_list=cs, enforce_shares=False)
    by_mode = {m.mode: m for m in shares(tt)}
    assert by_mode[DISCUSSION].half_days == 4
    assert not by_mode[DISCUSSION].within_tolerance


def test_discussion_with_no_half_day_after_its_lecture() -> None:
    # The lecturer can only come on the last morning, so its discussion has nowhere to go.
    s = ClassSettings("专题班", D(2026, 3, 2), D(2026, 3, 4))
    away = frozenset({D(2026, 3, 2), D(2026, 3, 3)})
    cs = [
        Course("l", "讲座", LECTURE, 1, "t1"),
        Course("f", "考察", FIELD_STUDY, 2),
        Course("d", "研讨", DISCUSSION, 1, follows="l"),
    ]
    with pytest.raises(PlanningError) as err:
        plan(s, cs, teachers=(Teacher("t1", "王某", away),), rooms=())
    assert str(err.value) == (
        "课程《研讨》（研讨交流）无法安排：须排在所研讨专题的最后一节讲课"
        "（2026-03-04 上午）之后，但已没有可用的半天（规则：研讨在所研讨专题的讲课之后）"
    )


def test_site_booked_by_another_class_on_every_day() -> None:
    s = ClassSettings("专题班", D(2026, 3, 2), D(2026, 3, 4))
    cs = [
        Course("l", "讲座", LECTURE, 1),
        Course("f", "考察", FIELD_STUDY, 2, site_id="s1"),
        Course("d", "研讨", DISCUSSION, 1),
    ]
    taken = Bookings(sites={"s1": frozenset({(D(2026, 3, 3), AFTERNOON)})})
    with pytest.raises(PlanningError) as err:
        plan(s, cs, rooms=(), bookings=taken)
    assert str(err.value) == (
        "调研考察《考察》需要 1 个整天（上午和下午），无法安排："
        "现场教学点《红色教育基地》已被其他班级占用（2026-03-03），本班所有整天均不满足"
        "（规则：调研考察按整天安排、远途另加路途）"
    )


def test_no_room_big_enough() -> None:
    with pytest.raises(PlanningError) as err:
        plan(rooms=(Room("r", "小教室", 30), Room("q", "中教室", 40)))
    assert str(err.value) == (
        "没有能容纳 45 人的教室：最大的教室《中教室》只能容纳 40 人（规则：教室容纳得下全班）"
    )


def test_rooms_taken_by_other_classes() -> None:
    every = frozenset(two_weeks().class_slots()[1:])
    with pytest.raises(PlanningError, match="课堂教学和研讨交流需要 12 个半天的教室.*只有 0 个"):
        plan(bookings=Bookings(rooms={"r1": every}))


def test_opening_room_taken() -> None:
    first = (D(2026, 3, 2), MORNING)
    with pytest.raises(PlanningError, match=r"开班式（2026-03-02 上午）没有空闲的能容纳 45 人"):
        plan(bookings=Bookings(rooms={"r1": frozenset({first})}))


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (Course("f9", "半天考察", FIELD_STUDY, 1), "须按整天安排，半天数应为偶数，现为 1"),
        (Course("x", "讲座", LECTURE, 1, "nobody"), "授课教师编号 nobody 不在教师名单中"),
        (Course("x", "研讨", DISCUSSION, 1, follows="无此专题"), "研讨的专题“无此专题”"),
        (Course("x", "讲座", LECTURE, 1, follows="l1"), "不是研讨交流"),
        (Course("x", "讲座", "自学", 1), "教学形式“自学”无效"),
        (Course("x", "讲座", LECTURE, 0), "半天数须至少为 1"),
        (Course("l1", "重复", LECTURE, 1), "编号 l1 重复"),
        (Course("x", "考察", FIELD_STUDY, 2, site_id="s9"), "现场教学点编号 s9"),
    ],
)
def test_bad_courses_are_named(bad: Course, message: str) -> None:
    with pytest.raises(PlanningError, match=message):
        plan(course_list=[*courses(), bad], enforce_shares=False)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (two_weeks(share_lecture=0.5), "目标比例之和须为 1"),
        (ClassSettings("班", D(2026, 3, 13), D(2026, 3, 2)), "开班日期 2026-03-13 晚于"),
        (ClassSettings("班", D(2026, 3, 7), D(2026, 3, 8)), "不足两个半天"),
        (two_weeks(slots=(MORNING, "中午")), "时段“中午”无效"),
        (two_weeks(hours_per_half_day=0), "每半天学时须大于 0"),
    ],
)
def test_bad_settings_are_named(settings: ClassSettings, message: str) -> None:
    with pytest.raises(PlanningError, match=message):
        plan(settings)


def test_field_study_needs_morning_and_afternoon_enabled() -> None:
    with pytest.raises(PlanningError, match="未启用上午或下午时段"):
        plan(two_weeks(slots=(MORNING,)))


# ---------------------------------------------------------------------------- check_timetable


def _swap(tt: Timetable, a: tuple[date, str], b: tuple[date, str]) -> Timetable:
    """What drag and drop does: swap the sessions of two half-days."""
    out = []
    for s in tt.sessions:
        if s.key == a:
            out.append(replace(s, day=b[0], slot=b[1]))
        elif s.key == b:
            out.append(replace(s, day=a[0], slot=a[1]))
        else:
            out.append(s)
    return Timetable(tt.settings, tuple(out))


def _three_day() -> tuple[Timetable, list[Course]]:
    s = ClassSettings("专题班", D(2026, 3, 2), D(2026, 3, 4), class_size=45)
    cs = [
        Course("l", "讲座", LECTURE, 1, "t1"),
        Course("f", "考察", FIELD_STUDY, 2, site_id="s1"),
        Course("d", "研讨", DISCUSSION, 1, follows="l"),
    ]
    return plan(s, cs), cs


def test_check_discussion_moved_before_its_lecture() -> None:
    tt, cs = _three_day()  # lecture Mon PM, field Tue, discussion Wed AM
    moved = _swap(tt, (D(2026, 3, 2), AFTERNOON), (D(2026, 3, 4), MORNING))
    clashes = check_timetable(moved, courses=cs, teachers=TEACHERS, rooms=ROOMS, sites=SITES)
    assert [(c.day, c.slot, c.kind) for c in clashes] == [(D(2026, 3, 2), AFTERNOON, "研讨顺序")]
    assert clashes[0].message == "2026-03-02 下午《研讨》须排在所研讨专题的讲课《讲座》之后"


def test_check_field_study_split_over_two_days() -> None:
    tt, cs = _three_day()
    moved = _swap(tt, (D(2026, 3, 3), AFTERNOON), (D(2026, 3, 4), MORNING))
    kinds = [(c.day, c.slot, c.kind) for c in check_timetable(moved, courses=cs)]
    assert kinds == [
        (D(2026, 3, 3), MORNING, "调研考察非整天"),
        (D(2026, 3, 4), MORNING, "调研考察非整天"),
    ]


def test_check_teacher_room_and_site_clashes() -> None:
    tt, cs = _three_day()
    mon_pm, tue_am = (D(2026, 3, 2), AFTERNOON), (D(2026, 3, 3), MORNING)
    others = Bookings(
        teachers={"t1": frozenset({mon_pm})},
        rooms={"r1": frozenset({mon_pm})},
        sites={"s1": frozenset({tue_am})},
    )
    away = (Teacher("t1", "王某", frozenset({D(2026, 3, 2)})),)
    small = (Room("r1", "第一教室", 40),)
    clashes = check_timetable(
        tt, courses=cs, teachers=away, rooms=small, sites=SITES, bookings=others
    )
    got = {(c.day, c.slot, c.kind) for c in clashes}
    # the room is too small for every session held in it (开班式, lecture, discussion,
    # 结业式), and on Mon PM also booked, as are the teacher and, on Tue AM, the site.
    assert got == {
        (D(2026, 3, 2), MORNING, "教室容量"),
        (D(2026, 3, 2), AFTERNOON, "教师不可用"),
        (D(2026, 3, 2), AFTERNOON, "教师冲突"),
        (D(2026, 3, 2), AFTERNOON, "教室冲突"),
        (D(2026, 3, 2), AFTERNOON, "教室容量"),
        (D(2026, 3, 3), MORNING, "考察点冲突"),
        (D(2026, 3, 4), MORNING, "教室容量"),
        (D(2026, 3, 4), AFTERNOON, "教室容量"),
    }
    teacher = next(c for c in clashes if c.kind == "教师冲突")
    assert teacher.message == "2026-03-02 下午《讲座》：教师王某此时已在其他班级授课"


def test_check_ceremonies_out_of_place_and_off_calendar() -> None:
    tt, cs = _three_day()
    moved = _swap(tt, (D(2026, 3, 2), MORNING), (D(2026, 3, 2), AFTERNOON))
    sat = Session(D(2026, 3, 7), MORNING, LECTURE, "周六加课", 4)
    moved = Timetable(moved.settings, (*moved.sessions, sat))
    kinds = [(c.day, c.slot, c.kind) for c in check_timetable(moved, courses=cs)]
    assert kinds == [
        (D(2026, 3, 2), AFTERNOON, "开班式位置"),
        (D(2026, 3, 7), MORNING, "非教学时间"),
    ]


def test_check_two_sessions_in_one_half_day_and_missing_closing() -> None:
    tt, cs = _three_day()
    closing = tt.sessions[-1]
    extra = Session(D(2026, 3, 2), AFTERNOON, LECTURE, "加课", 4)
    edited = Timetable(tt.settings, (*tt.sessions[:-1], extra))
    kinds = [(c.day, c.slot, c.kind) for c in check_timetable(edited, courses=cs)]
    assert kinds == [
        (D(2026, 3, 2), AFTERNOON, "时段重复"),
        (closing.day, closing.slot, f"缺少{CLOSING}"),
    ]
