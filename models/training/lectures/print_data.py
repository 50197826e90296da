"""Data of the two printed pieces of a 领导干部讲坛 lecture, as printed, so reports/ only lays
out: the 通知 (series, 第几讲, title, speaker, date and time, place, who attends, 有关要求,
学时) and the 签到表 (序号、姓名、单位、职务、签到, the expected cadres unit by unit).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from models.core.db import db
from models.core.errors import DomainError
from models.training.lectures.attendance import lecture_attendance
from models.training.lectures.common import EXCUSED
from models.training.lectures.lecture import LectureDTO, get_lecture
from models.training.lectures.series import get_series
from models.training.print_data import cn_number, date_cn, fmt_num

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")

DEFAULT_REQUIREMENTS = (
    "请参加人员提前 15 分钟到场，在签到表上本人签名；因故不能参加的，须事先向主办单位请假。",
    "请遵守会场纪律，将手机调至静音，不得中途离场。",
    "各单位须严格按照参加范围安排人员，不得由他人代替。",
)


@dataclass(frozen=True)
class LectureHeader:
    """What both pieces say about the lecture."""

    lecture_id: int
    series_name: str
    organiser: str
    seq_text: str  # 第三讲
    title: str
    speaker: str
    speaker_title: str
    day: dt.date
    weekday: str  # 星期五
    time_text: str
    place: str
    hours: Decimal

    @property
    def when(self) -> str:
        """2027年3月5日（星期五）上午 9:00-11:30."""
        text = f"{date_cn(self.day)}（{self.weekday}）"
        return f"{text}{self.time_text}" if self.time_text else text

    @property
    def heading(self) -> str:
        """领导干部讲坛第三讲."""
        return f"{self.series_name}{self.seq_text}"


@dataclass(frozen=True)
class NoticePrint:
    lecture: LectureHeader
    audience: str
    expected: int
    requirements: tuple[str, ...]
    hours_line: str  # 参加讲坛并签到的，每人计 3 学时，登记入本人学时档案。
    issue_date: dt.date | None  # None: left blank for the date stamp

    @property
    def title(self) -> str:
        return f"关于举办{self.lecture.heading}的通知"


@dataclass(frozen=True)
class SigninPerson:
    seq: int
    name: str
    unit: str
    post: str
    note: str  # 请假 when leave is recorded beforehand


@dataclass(frozen=True)
class SigninUnit:
    unit: str
    people: tuple[SigninPerson, ...]


@dataclass(frozen=True)
class LectureSigninPrint:
    lecture: LectureHeader
    units: tuple[SigninUnit, ...]
    total: int
    excused: int


def _header(lec: LectureDTO, organiser: str) -> LectureHeader:
    return LectureHeader(
        lec.id,
        lec.series_name,
        organiser,
        f"第{cn_number(lec.seq)}讲",
        lec.title,
        lec.speaker,
        lec.speaker_title,
        lec.day,
        WEEKDAYS[lec.day.weekday()],
        lec.time_text,
        lec.place,
        lec.credit_hours,
    )


def notice_data(lecture_id: int, *, issue_date: dt.date | None = None) -> NoticePrint:
    """The 通知 of one lecture; its 有关要求 are the lecture's lines, else the usual three."""
    with db.atomic():
        lec = get_lecture(lecture_id)
        organiser = get_series(lec.series_id).organiser
    lines = tuple(x.strip() for x in lec.requirements.splitlines() if x.strip())
    hours = fmt_num(lec.credit_hours)
    return NoticePrint(
        _header(lec, organiser),
        lec.audience_text,
        lec.expected,
        lines or DEFAULT_REQUIREMENTS,
        f"参加讲坛并签到的，每人计 {hours} 学时，登记入本人学时档案。",
        issue_date,
    )


def lecture_signin_data(lecture_id: int) -> LectureSigninPrint:
    """The 签到表: every cadre the audience expects, unit by unit, numbered through; those
    already on leave say 请假."""
    with db.atomic():
        lec = get_lecture(lecture_id)
        organiser = get_series(lec.series_id).organiser
        rows = [r for r in lecture_attendance(lecture_id) if r.expected]
    if not rows:
        raise DomainError(
            f"讲坛《{lec.title}》的听课范围内没有在职干部，请先在讲座中选择听课单位和职级",
            field="audience",
        )
    units: list[SigninUnit] = []
    people: list[SigninPerson] = []
    current = rows[0].unit_name
    for k, r in enumerate(rows, start=1):
        if r.unit_name != current:
            units.append(SigninUnit(current, tuple(people)))
            people, current = [], r.unit_name
        people.append(
            SigninPerson(k, r.name, r.unit_name, r.post, EXCUSED if r.status == EXCUSED else "")
        )
    units.append(SigninUnit(current, tuple(people)))
    excused = sum(1 for r in rows if r.status == EXCUSED)
    return LectureSigninPrint(_header(lec, organiser), tuple(units), len(rows), excused)


__all__ = [
    "DEFAULT_REQUIREMENTS",
    "LectureHeader",
    "LectureSigninPrint",
    "NoticePrint",
    "SigninPerson",
    "SigninUnit",
    "lecture_signin_data",
    "notice_data",
]
