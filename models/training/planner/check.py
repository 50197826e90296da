"""三三制 timetable: the clash check of a (hand-edited) timetable: every rule it breaks, half-day
by half-day, counting other classes' bookings. Each clash names its rule
(:data:`~models.training.planner.rules.RULES`). A timetable with no sessions yet has no
clashes: nothing is planned, so nothing is out of place."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from models.training.planner.rules import (
    BEFORE_CLOSING,
    OPENING_LECTURE,
    away_overnight,
    library_id,
)
from models.training.planner.types import (
    AFTERNOON,
    CLOSING,
    DISCUSSION,
    EVENING,
    FIELD_STUDY,
    LECTURE,
    MORNING,
    OPENING,
    SLOT_ORDER,
    Bookings,
    Clash,
    ClassSettings,
    Course,
    Room,
    Session,
    Site,
    Slot,
    Teacher,
    Timetable,
    holds_closing,
    holds_opening,
    slot_label,
)

__all__ = ["check_timetable"]


class _Check:
    def __init__(
        self,
        timetable: Timetable,
        courses: Sequence[Course],
        teachers: Sequence[Teacher],
        rooms: Sequence[Room],
        sites: Sequence[Site],
        bookings: Bookings,
    ) -> None:
        self.tt = timetable
        self.settings: ClassSettings = timetable.settings
        self.bookings = bookings
        self.teacher_map = {t.id: t for t in teachers}
        self.room_map = {r.id: r for r in rooms}
        self.site_map = {s.id: s for s in sites}
        self.course_map = {c.id: c for c in courses}
        self.slots = self.settings.class_slots()
        self.order = {s: i for i, s in enumerate(self.slots)}
        self.clashes: list[Clash] = []
        self.by_slot: dict[Slot, list[Session]] = {}
        for s in timetable.sessions:
            self.by_slot.setdefault(s.key, []).append(s)

    def add(self, s: Session, kind: str, text: str, rule: str) -> None:
        self.clashes.append(
            Clash(s.day, s.slot, kind, f"{slot_label(s.day, s.slot)}《{s.title}》{text}", rule)
        )

    def course(self, s: Session) -> Course | None:
        if s.course_id is None:
            return None
        return self.course_map.get(s.course_id) or self.course_map.get(library_id(s.course_id))

    # -- half-day by half-day ------------------------------------------------------------

    def calendar(self, s: Session) -> None:
        if s.key in self.order:
            return
        day, settings = s.day, self.settings
        if day in settings.holidays:
            name = settings.day_name(day)
            self.add(
                s,
                "节假日",
                f"：{day.isoformat()} 是节假日{f'（{name}）' if name else ''}",
                "holidays",
            )
        elif day in settings.workdays and not settings.use_workdays:
            name = settings.day_name(day) or "调休上班日"
            self.add(
                s,
                "调休上班日",
                f"：{day.isoformat()} 是{name}，本班未设为在调休上班日上课",
                "workdays",
            )
        else:
            self.add(
                s,
                "非教学时间",
                "不在本班的教学时间内（日期、教学日、节假日或时段）",
                "teaching_time",
            )

    def resources(self, s: Session) -> None:
        if s.teacher_id:
            t = self.teacher_map.get(s.teacher_id)
            name = t.name if t else s.teacher_id
            if t and s.day in t.unavailable:
                self.add(s, "教师不可用", f"：教师{name}当天不可用", "teacher_unavailable")
            if s.key in self.bookings.teachers.get(s.teacher_id, frozenset()):
                self.add(s, "教师冲突", f"：教师{name}此时已在其他班级授课", "teacher_once")
        if s.room_id:
            r = self.room_map.get(s.room_id)
            name = r.name if r else s.room_id
            if s.key in self.bookings.rooms.get(s.room_id, frozenset()):
                self.add(s, "教室冲突", f"：教室《{name}》此时已被其他班级占用", "room_once")
            if r and r.capacity < self.settings.class_size:
                self.add(
                    s,
                    "教室容量",
                    f"：教室《{name}》只能容纳 {r.capacity} 人，本班 {self.settings.class_size} 人",
                    "room_capacity",
                )
        if s.site_id:
            site = self.site_map.get(s.site_id)
            name = site.name if site else s.site_id
            if site and s.day in site.unavailable:
                self.add(s, "考察点不可用", f"：现场教学点《{name}》当天不可用", "site_unavailable")
            if s.key in self.bookings.sites.get(s.site_id, frozenset()):
                self.add(
                    s, "考察点冲突", f"：现场教学点《{name}》此时已被其他班级占用", "site_once"
                )

    def away(self, day: date) -> bool:
        """Whether the class spends the evening of ``day`` away on a field visit."""
        field = [m for m in self.by_slot.get((day, AFTERNOON), []) if m.mode == FIELD_STUDY]
        if not field:
            return False
        site = self.site_map.get(field[0].site_id or "")
        nxt = self.by_slot.get((day + timedelta(days=1), MORNING), [])
        then = next((m.course_id for m in nxt if m.mode == FIELD_STUDY), None)
        return away_overnight(site.travel_minutes if site else 0, field[0].course_id, then)

    def whole_day(self, s: Session) -> None:
        if s.mode != FIELD_STUDY:
            if s.mode in (LECTURE, DISCUSSION) and s.slot == EVENING and self.away(s.day):
                self.add(
                    s,
                    "调研考察当晚排课",
                    "：当天白天外出调研考察，晚上不排课",
                    "field_whole_days",
                )
            return
        if s.slot == EVENING:
            self.add(
                s, "调研考察非整天", "：调研考察须安排在上午和下午，不能在晚上", "field_whole_days"
            )
            return
        other = AFTERNOON if s.slot == MORNING else MORNING
        mates = self.by_slot.get((s.day, other), [])
        if not any(m.mode == FIELD_STUDY and m.course_id == s.course_id for m in mates):
            self.add(
                s,
                "调研考察非整天",
                f"：调研考察须占整天，当天{other}不是同一调研考察",
                "field_whole_days",
            )

    # -- order -----------------------------------------------------------------------------

    def discussions(self) -> None:
        """A discussion after every lecture of the block it discusses."""
        lecture_slots: dict[str, list[Session]] = {}
        for s in self.tt.sessions:
            c = self.course(s)
            if c and c.mode == LECTURE and s.mode == LECTURE:
                lecture_slots.setdefault(c.block or c.id, []).append(s)
        for s in self.tt.sessions:
            c = self.course(s)
            if not c or c.mode != DISCUSSION or c.follows is None or s.key not in self.order:
                continue
            later = [
                le
                for le in lecture_slots.get(c.follows, [])
                if le.key in self.order and self.order[le.key] >= self.order[s.key]
            ]
            if later:
                titles = "、".join(sorted({f"《{le.title}》" for le in later}))
                self.add(
                    s,
                    "研讨顺序",
                    f"须排在所研讨专题的讲课{titles}之后",
                    "discussion_after_lectures",
                )

    def ceremonies(self) -> None:
        """开班式 in the first half-day and 结业式 in the last."""
        slots = self.slots
        for title, want, holds, rule in (
            (OPENING, slots[0], holds_opening, "opening_first"),
            (CLOSING, slots[-1], holds_closing, "closing_last"),
        ):
            found = [s for s in self.tt.sessions if holds(s)]
            for s in found:
                if s.key != want:
                    self.add(s, f"{title}位置", f"应安排在 {slot_label(*want)}", rule)
            if not found:
                self.clashes.append(
                    Clash(
                        want[0],
                        want[1],
                        f"缺少{title}",
                        f"{slot_label(*want)} 应安排{title}，课表中没有{title}",
                        rule,
                    )
                )

    def opening_lecture(self) -> None:
        """The 开班第一课 (position 开班第一课, else the first required lecture) in the half-day
        after 开班式 -- or, when its teacher cannot come then, some lecture."""
        present = {library_id(s.course_id) for s in self.tt.sessions if s.course_id}
        courses = [c for c in self.course_map.values() if c.id in present]
        first = next((c for c in courses if c.position == OPENING_LECTURE), None)
        if first is None:
            first = next((c for c in courses if c.required and c.mode == LECTURE), None)
        brief = self.settings.brief_ceremonies()
        if first is None or (not brief and len(self.slots) < 3):
            return
        want = self.slots[0 if brief else 1]
        here = [s for s in self.by_slot.get(want, []) if s.course_id]
        if any(library_id(s.course_id or "") == first.id for s in here):
            return
        teacher = self.teacher_map.get(first.teacher_id or "")
        excused = teacher is not None and (
            want[0] in teacher.unavailable
            or want in self.bookings.teachers.get(teacher.id, frozenset())
        )
        if excused and any(s.mode == LECTURE for s in here):
            return
        for s in self.tt.sessions:
            if s.course_id and library_id(s.course_id) == first.id and s.part == 1:
                self.add(
                    s,
                    "开班第一课位置",
                    f"是开班第一课，应安排在开班式之后（{slot_label(*want)}）",
                    "opening_first",
                )
                return

    def closing_course(self) -> None:
        """The 结业前 course on the half-days just before 结业式."""
        ids = {c.id for c in self.course_map.values() if c.position == BEFORE_CLOSING}
        mine = [
            s
            for s in self.tt.sessions
            if s.course_id and library_id(s.course_id) in ids and s.key in self.order
        ]
        if not mine:
            return
        n = len(self.slots)
        last = n if self.settings.brief_ceremonies() else n - 1
        want = set(self.slots[max(0, last - len(mine)) : last])
        for s in mine:
            if s.key not in want:
                self.add(s, "结业前课程位置", "应紧接在结业式之前安排", "closing_last")

    def lecture_runs(self) -> None:
        """No more than max_lectures_in_row lecture half-days in a row."""
        limit = self.settings.max_lectures_in_row
        if limit <= 0:
            return
        run = 0
        for slot in self.slots:
            here = self.by_slot.get(slot, [])
            if here and all(s.mode == LECTURE for s in here):
                run += 1
                if run == limit + 1:
                    s = here[0]
                    self.add(
                        s,
                        "连续课堂教学",
                        f"：已连续 {run} 个半天课堂教学，本班规定最多连续 {limit} 个",
                        "lectures_in_row",
                    )
            else:
                run = 0

    def run(self) -> list[Clash]:
        if not self.tt.sessions or not self.slots:
            return []
        for s in self.tt.sessions:
            self.calendar(s)
            if len(self.by_slot[s.key]) > 1 and self.by_slot[s.key][0] is not s:
                self.add(
                    s,
                    "时段重复",
                    f"与《{self.by_slot[s.key][0].title}》排在同一时段",
                    "one_per_half_day",
                )
            self.resources(s)
            self.whole_day(s)
        self.discussions()
        self.ceremonies()
        self.opening_lecture()
        self.closing_course()
        self.lecture_runs()

        def sort_key(c: Clash) -> tuple[date, int, str]:
            slot_rank = SLOT_ORDER.index(c.slot) if c.slot in SLOT_ORDER else 9
            return (c.day, slot_rank, c.kind)

        self.clashes.sort(key=sort_key)
        return self.clashes


def check_timetable(
    timetable: Timetable,
    *,
    courses: Sequence[Course] = (),
    teachers: Sequence[Teacher] = (),
    rooms: Sequence[Room] = (),
    sites: Sequence[Site] = (),
    bookings: Bookings | None = None,
) -> list[Clash]:
    """Every rule a (hand-edited) timetable breaks, in time order. Empty when it is sound or
    has no sessions yet. ``courses``: what the sessions' course ids stand for (their block,
    the block a discussion follows, their position)."""
    return _Check(timetable, courses, teachers, rooms, sites, bookings or Bookings()).run()
