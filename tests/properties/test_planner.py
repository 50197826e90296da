"""Property test of the 三三制 planner (hypothesis, fixed seed, bounded examples): for any class
of 1–20 working days, starting on any weekday, with holidays inside it, with or without
evening sessions and any 三三制 ratio of 2–6 parts each, the timetable it plans from the
demo library keeps every rule it names (verify_timetable and check_timetable find nothing),
holds each teaching half-day once, and each mode comes within the class's tolerance of its
share — or, when the library has too few courses of a mode that fit (evening half-days), the
timetable says so in its notes (留出 … 机动/自学半天：课程库中没有更多…课程), which is the
only rule the planner may leave unmet. (This test found that case: a 6-day class with
evening sessions whose first day is a holiday.)"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import example, given, settings
from hypothesis import strategies as st

from models.training.planner import (
    EVENING,
    MODES,
    ClassSettings,
    PlanningError,
    check_timetable,
    plan_class,
    verify_timetable,
)
from tests.models.training.test_plan_lengths import (
    LIB,
    ROOM_LIST,
    SITE_LIST,
    START,
    TEACHER_LIST,
    working_days,
)


@settings(max_examples=10)
# the cases hypothesis found: evening classes whose first day is a holiday run short of
# discussion or lecture courses that fit, and say so
@example(days=6, shift=0, holiday_at=0, evening=True, parts=(2, 2, 2))
@example(days=8, shift=0, holiday_at=0, evening=True, parts=(3, 4, 3))
@given(
    days=st.integers(1, 20),
    shift=st.integers(0, 6),
    holiday_at=st.integers(0, 40),
    evening=st.booleans(),
    parts=st.tuples(st.integers(2, 6), st.integers(2, 6), st.integers(2, 6)),
)
def test_a_planned_class_keeps_every_rule(days, shift, holiday_at, evening, parts) -> None:
    start = START + timedelta(days=shift)
    end = working_days(days, start)
    holiday = start + timedelta(days=holiday_at % max(1, (end - start).days + 1))
    total = sum(parts)
    s = ClassSettings(
        f"{days}天班", start, end, class_size=30,
        holidays=frozenset({holiday}) if days > 2 else frozenset(),
        slots=("上午", "下午", EVENING) if evening else ("上午", "下午"),
        share_lecture=parts[0] / total, share_field_study=parts[1] / total,
        share_discussion=parts[2] / total,
    )  # fmt: skip
    try:
        tt = plan_class(s, [], library=LIB, teachers=TEACHER_LIST, rooms=ROOM_LIST,
                        sites=SITE_LIST)  # fmt: skip
    except PlanningError as e:
        refusal = str(e)  # a refusal names its rule in Chinese, never an internal code
        assert "\u4e00" <= refusal[:1] <= "\u9fff", refusal
        return
    kw = {"teachers": TEACHER_LIST, "rooms": ROOM_LIST, "sites": SITE_LIST}
    short = {m for m in MODES for n in tt.notes if "课程库中没有更多" in n and m in n}
    broken = verify_timetable(tt, library=LIB, **kw)
    assert [v for v in broken if v.rule != "shares"] == []
    for v in broken:  # a share missed only for a mode the notes say the library ran short of
        assert any(v.message.startswith(m) for m in short), (v.message, tt.notes)
    assert check_timetable(tt, courses=LIB, **kw) == []
    assert len({x.key for x in tt.sessions}) == len(tt.sessions) == len(s.class_slots())
    assert all(x.key[0] != holiday for x in tt.sessions) or days <= 2
    base = s.teaching_half_days()
    for mode, share in zip(MODES, s.target_shares().values(), strict=True):
        n = sum(1 for x in tt.sessions if x.mode == mode)
        assert mode in short or abs(n - share * base) <= s.share_tolerance + 1e-9, (mode, n)
