"""三三制 timetable: the clash check of a (hand-edited) timetable: every rule it breaks, half-day
by half-day, counting other classes' bookings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from models.training.planner.types import (
    AFTERNOON,
    CLOSING,
    DISCUSSION,
    EVENING,
    FIELD_STUDY,
    LECTURE,
    MORNING,
    OPENING,
    OTHER,
    SLOT_ORDER,
    Bookings,
    Clash,
    Course,
    Room,
    Session,
    Site,
    Slot,
    Teacher,
    Timetable,
    slot_label,
)


def check_timetable(
    timetable: Timetable,
    *,
    courses: Sequence[Course] = (),
    teachers: Sequence[Teacher] = (),
    rooms: Sequence[Room] = (),
    sites: Sequence[Site] = (),
    bookings: Bookings | None = None,
) -> list[Clash]:
    """Every rule a (hand-edited) timetable breaks, in time order. Empty when it is sound."""
    settings = timetable.settings
    bookings = bookings or Bookings()
    teacher_map = {t.id: t for t in teachers}
    room_map = {r.id: r for r in rooms}
    site_map = {s.id: s for s in sites}
    course_map = {c.id: c for c in courses}
    slots = settings.class_slots()
    order = {s: i for i, s in enumerate(slots)}
    clashes: list[Clash] = []

    def add(s: Session, kind: str, text: str) -> None:
        clashes.append(
            Clash(s.day, s.slot, kind, f"{slot_label(s.day, s.slot)}《{s.title}》{text}")
        )

    by_slot: dict[Slot, list[Session]] = {}
    for s in timetable.sessions:
        by_slot.setdefault(s.key, []).append(s)

    for s in timetable.sessions:
        if s.key not in order:
            add(s, "非教学时间", "不在本班的教学时间内（日期、教学日、节假日或时段）")
        if len(by_slot[s.key]) > 1 and by_slot[s.key][0] is not s:
            add(s, "时段重复", f"与《{by_slot[s.key][0].title}》排在同一时段")
        if s.teacher_id:
            t = teacher_map.get(s.teacher_id)
            name = t.name if t else s.teacher_id
            if t and s.day in t.unavailable:
                add(s, "教师不可用", f"：教师{name}当天不可用")
            if s.key in bookings.teachers.get(s.teacher_id, frozenset()):
                add(s, "教师冲突", f"：教师{name}此时已在其他班级授课")
        if s.room_id:
            r = room_map.get(s.room_id)
            name = r.name if r else s.room_id
            if s.key in bookings.rooms.get(s.room_id, frozenset()):
                add(s, "教室冲突", f"：教室《{name}》此时已被其他班级占用")
            if r and r.capacity < settings.class_size:
                add(
                    s,
                    "教室容量",
                    f"：教室《{name}》只能容纳 {r.capacity} 人，本班 {settings.class_size} 人",
                )
        if s.site_id:
            site = site_map.get(s.site_id)
            name = site.name if site else s.site_id
            if s.key in bookings.sites.get(s.site_id, frozenset()):
                add(s, "考察点冲突", f"：现场教学点《{name}》此时已被其他班级占用")
        if s.mode == FIELD_STUDY:
            if s.slot == EVENING:
                add(s, "调研考察非整天", "：调研考察须安排在上午和下午，不能在晚上")
            else:
                other = AFTERNOON if s.slot == MORNING else MORNING
                mates = by_slot.get((s.day, other), [])
                if not any(m.mode == FIELD_STUDY and m.course_id == s.course_id for m in mates):
                    add(s, "调研考察非整天", f"：调研考察须占整天，当天{other}不是同一调研考察")

    # discussion after its block's lectures
    lecture_slots: dict[str, list[Session]] = {}
    for s in timetable.sessions:
        c = course_map.get(s.course_id or "")
        if c and c.mode == LECTURE and s.mode == LECTURE:
            lecture_slots.setdefault(c.block or c.id, []).append(s)
    for s in timetable.sessions:
        c = course_map.get(s.course_id or "")
        if not c or c.mode != DISCUSSION or c.follows is None or s.key not in order:
            continue
        later = [
            le
            for le in lecture_slots.get(c.follows, [])
            if le.key in order and order[le.key] >= order[s.key]
        ]
        if later:
            titles = "、".join(sorted({f"《{le.title}》" for le in later}))
            add(s, "研讨顺序", f"须排在所研讨专题的讲课{titles}之后")

    # ceremonies at the two ends
    if slots:
        for title, want in ((OPENING, slots[0]), (CLOSING, slots[-1])):
            found = [s for s in timetable.sessions if s.mode == OTHER and s.title == title]
            for s in found:
                if s.key != want:
                    add(s, f"{title}位置", f"应安排在 {slot_label(*want)}")
            if not found:
                clashes.append(
                    Clash(
                        want[0],
                        want[1],
                        f"缺少{title}",
                        f"{slot_label(*want)} 应安排{title}，课表中没有{title}",
                    )
                )

    def sort_key(c: Clash) -> tuple[date, int, str]:
        slot_rank = SLOT_ORDER.index(c.slot) if c.slot in SLOT_ORDER else 9
        return (c.day, slot_rank, c.kind)

    clashes.sort(key=sort_key)
    return clashes
