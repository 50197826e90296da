"""The planner's rules by name, and the fixed numbers the rules use.

Every refusal of the planner (:class:`~models.training.planner.types.PlanningError`), every
clash :func:`~models.training.planner.check.check_timetable` marks and every violation
:func:`~models.training.planner.verify.verify_timetable` finds carries one key of
:data:`RULES`; the user sees the Chinese name.

Decisions the rules encode (DOMAIN §3.7, issue #13):

* 开班式 takes the first half-day and 结业式 the last. In a class of at most
  :data:`BRIEF_SLOTS` half-days (a one-day class) there is no half-day to spare: the
  ceremonies are held briefly at the start of the first and at the end of the last half-day,
  which hold the 开班第一课 (``开班式暨…``) and the 结业前 course (``…暨结业式``).
* The 开班第一课 (the course whose position is 开班第一课, else the first required lecture)
  takes the half-day after 开班式; its other half-days follow as ordinary lectures. When its
  teacher cannot come then, the next lecture that can takes that half-day (the plan's notes
  say so). The 结业前 course (结业交流、党性分析) takes the half-days just before 结业式. In a
  class of at most :data:`SHORT_SLOTS` half-days (three days) both take one half-day only.
* 调研考察 takes whole days (上午 and 下午 of one day; a longer visit, consecutive days). A
  site at least :data:`TRAVEL_MINUTES` minutes away (one way) adds a half-day of travel before
  and after the visit (去程, 返程), which count as 调研考察.
* At most ``max_lectures_in_row`` 课堂教学 half-days follow each other in the class's
  sequence of half-days (a weekend or a week between two teaching days does not break the run).
* 自学 and 机动 half-days (mode 其他) belong to none of the three modes but stay in the base
  of the shares: each mode's target is its share of all half-days besides the ceremonies, so
  a plan that had to leave 自学 or 机动 half-days shows the short mode below its target. The
  planner leaves them only when the library has nothing more that fits (lectures are never
  repeated; discussions and field study are), and says why in the plan's notes.
"""

from __future__ import annotations

RULES: dict[str, str] = {
    "class_length": "班次须能安排开班式和结业式",
    "opening_first": "开班式与开班第一课在先",
    "closing_last": "结业交流与结业式在后",
    "discussion_after_lectures": "研讨在所研讨专题的讲课之后",
    "field_whole_days": "调研考察按整天安排、远途另加路途",
    "lectures_in_row": "连续课堂教学不超过规定的半天数",
    "teacher_unavailable": "教师不可用的日子不排课",
    "site_unavailable": "现场教学点不可用的日子不排课",
    "teacher_once": "一名教师同一时间只在一处",
    "room_once": "一间教室同一时间只供一个班",
    "site_once": "一个现场教学点同一时间只接待一个班",
    "room_capacity": "教室容纳得下全班",
    "teaching_time": "只在本班的教学日和时段排课",
    "holidays": "节假日不排课",
    "workdays": "调休上班日经允许才排课",
    "one_per_half_day": "每个半天只安排一项",
    "required": "必修课全部排入",
    "shares": "三三制比例在允许偏差内",
}
"""Rule key → its Chinese name (what a user reads)."""

TRAVEL_MINUTES = 180
"""A field-study site at least this many minutes away (one way) adds half a day of travel
before and after the visit."""

BRIEF_SLOTS = 3
"""A class of at most this many half-days holds its ceremonies briefly inside the first and
last half-day (a one-day class)."""

SHORT_SLOTS = 6
"""In a class of at most this many half-days (three days) the 开班第一课 and the 结业前
course take one half-day each."""

OPENING_LECTURE = "开班第一课"
BEFORE_CLOSING = "结业前"
POSITIONS = ("", OPENING_LECTURE, BEFORE_CLOSING)

SELF_STUDY = "自学"
FLEX = "机动"
FLEX_TITLES = (SELF_STUDY, FLEX)

_CHINESE_NUMBERS = "零一二三四五六七八九十"


def rule_name(key: str) -> str:
    """The Chinese name of a rule ('' for an unknown key)."""
    return RULES.get(key, "")


def with_rule(text: str, key: str) -> str:
    """A refusal with the name of the rule behind it: '…（规则：调研考察按整天安排）'."""
    name = RULES.get(key)
    return f"{text}（规则：{name}）" if name else text


def suits_level(levels: frozenset[str], level: str) -> bool:
    """Whether a course of ``levels`` (empty: every level) suits a class of ``level``."""
    return not levels or level in levels


def split_levels(text: str) -> frozenset[str]:
    """The class levels a course's "、"-joined ``levels`` text names."""
    return frozenset(p.strip() for p in text.replace(",", "、").split("、") if p.strip())


def repeat_id(course_id: str, time: int) -> str:
    """The id of the ``time``-th holding (2, 3, …) of a repeated course."""
    return f"{course_id}#{time}"


def away_overnight(travel_minutes: int, visit: str | None, next_morning: str | None) -> bool:
    """Whether the class is away on the evening of a field-study day: the visit (course id
    ``visit``) is to a site ``travel_minutes`` or more away, or it goes on the next morning
    (``next_morning``: the field-study course id held then). It takes nothing that evening."""
    if travel_minutes >= TRAVEL_MINUTES:
        return True
    return bool(visit and next_morning) and library_id(visit or "") == library_id(
        next_morning or ""
    )


def library_id(course_id: str) -> str:
    """The library course a (possibly repeated) course id stands for."""
    return course_id.split("#", 1)[0]


def repeat_title(title: str, time: int) -> str:
    """'读书交流会（二）' for the second holding of a course."""
    if time <= 1:
        return title
    number = _CHINESE_NUMBERS[time] if time <= 10 else str(time)
    return f"{title}（{number}）"


def opening_title(title: str) -> str:
    """The first half-day of a one-day class: the course with 开班式 held at its start."""
    return f"开班式暨{title}"


def closing_title(title: str) -> str:
    """The last half-day of a one-day class: the course with 结业式 held at its end."""
    return f"{title}暨结业式"


def travel_titles(title: str) -> tuple[str, str]:
    """The travel half-days before and after a distant visit."""
    return f"{title}（去程）", f"{title}（返程）"
