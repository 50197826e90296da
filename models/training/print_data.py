"""Data for the printed kit of a training class (课程表, 签到表, 学员名册, 结业证书, 学时证明).

Each function reads the training services in one transaction and returns plain frozen
dataclasses holding the text as it is printed, so reports/ only lays out. No Qt.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from models.core.dates import ym
from models.core.db import db
from models.core.errors import DomainError, NotFoundError
from models.roster import service as roster
from models.roster import unit_and_post
from models.training import hours as hr
from models.training import planner as tt
from models.training.attendance import class_credits, session_attendance
from models.training.classes import ClassDTO, get_class
from models.training.ledger import list_hours
from models.training.timetable import SessionDTO, class_shares, list_sessions
from models.training.trainees import TraineeDTO, list_trainees

_CN_DIGITS = "〇一二三四五六七八九"


# ============================================================================ text helpers


def fmt_num(value: float | Decimal | int) -> str:
    """3 → '3', 37.333 → '37.3', 3.75 → '3.75' (学时 and half-days as printed)."""
    v = float(value)
    if abs(v - round(v)) < 1e-9:
        return str(round(v))
    if abs(v * 100 - round(v * 100)) < 1e-6 and abs(v * 10 - round(v * 10)) > 1e-6:
        return f"{v:.2f}"
    return f"{v:.1f}"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (0 < n < 100)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else f"{_CN_DIGITS[tens]}十")
    return head + (_CN_DIGITS[ones] if ones else "")


def cn_date(day: dt.date) -> str:
    """2026-09-11 → 二〇二六年九月十一日 (the date line of certificates)."""
    year = "".join(_CN_DIGITS[int(ch)] for ch in f"{day.year:04d}")
    return f"{year}年{cn_number(day.month)}月{cn_number(day.day)}日"


def date_cn(day: dt.date) -> str:
    """2026-09-11 → 2026年9月11日."""
    return f"{day.year}年{day.month}月{day.day}日"


def period_cn(start: dt.date, end: dt.date) -> str:
    """2026年8月24日至9月11日 (the year is not repeated inside one year)."""
    if start.year == end.year:
        return f"{date_cn(start)}至{end.month}月{end.day}日"
    return f"{date_cn(start)}至{date_cn(end)}"


def group_label(group_no: int) -> str:
    return f"第{cn_number(group_no)}组" if group_no > 0 else "未分组"


def _short_post(unit: str, post: str) -> str:
    """'市教育局办公室主任' in unit '市教育局' → '办公室主任' (the unit has its own column)."""
    if unit and post.startswith(unit) and len(post) > len(unit):
        return post[len(unit) :]
    return post


def _place(s: SessionDTO) -> str:
    return s.site_name or s.room_name


# ============================================================================ class header


@dataclass(frozen=True)
class ClassHeader:
    id: int
    name: str
    level: str
    organiser: str
    start: dt.date
    end: dt.date
    head_teacher: str
    status: str
    hours_per_half_day: Decimal

    @property
    def period(self) -> str:
        return period_cn(self.start, self.end)


def _header(c: ClassDTO) -> ClassHeader:
    return ClassHeader(
        c.id,
        c.name,
        c.level,
        c.organiser,
        c.start,
        c.end,
        c.head_teacher,
        c.status,
        c.hours_per_half_day,
    )


# ============================================================================ 课程表


@dataclass(frozen=True)
class TimetableCell:
    slot: str
    mode: str  # 课堂教学 / 调研考察 / 研讨交流 / 其他
    title: str  # with "（1/2）" when a course spans several half-days
    teacher: str
    place: str  # room or field-study site
    hours: Decimal
    elective: bool


@dataclass(frozen=True)
class TimetableDay:
    day: dt.date
    weekday: str  # 周一
    cells: tuple[TimetableCell | None, ...]  # one per slot of TimetablePrint.slots


@dataclass(frozen=True)
class ShareLine:
    mode: str
    half_days: int
    hours: Decimal
    target_half_days: float
    target_hours: float
    within_tolerance: bool


@dataclass(frozen=True)
class TimetablePrint:
    cls: ClassHeader
    slots: tuple[str, ...]  # 上午, 下午 (, 晚上)
    days: tuple[TimetableDay, ...]
    shares: tuple[ShareLine, ...]
    other_half_days: int  # 开班式, 结业式 ...
    other_hours: Decimal
    total_half_days: int
    total_hours: Decimal
    sessions: tuple[SessionDTO, ...]


def timetable_print_data(class_id: int) -> TimetablePrint:
    """Days × half-day slots of a class: every teaching day from start to end (holidays and
    non-teaching weekdays only when a session is on them), with the three shares."""
    with db.atomic():
        c = get_class(class_id)
        sessions = list_sessions(class_id)
        shares = class_shares(class_id)
    if not sessions:
        raise DomainError(f"班次《{c.name}》还没有课表，请先排课后再打印课程表", field="class")
    slots = [tt.MORNING, tt.AFTERNOON]
    if c.evening or any(s.slot == tt.EVENING for s in sessions):
        slots.append(tt.EVENING)
    by_key = {(s.day, s.slot): s for s in sessions}
    days = {s.day for s in sessions}
    d = c.start
    while d <= c.end:
        if d.weekday() in c.weekdays and d not in c.holidays:
            days.add(d)
        d += dt.timedelta(days=1)
    rows = []
    for day in sorted(days):
        cells: list[TimetableCell | None] = []
        for slot in slots:
            s = by_key.get((day, slot))
            if s is None:
                cells.append(None)
                continue
            title = s.title if s.parts <= 1 else f"{s.title}（{s.part}/{s.parts}）"
            cells.append(
                TimetableCell(slot, s.mode, title, s.teacher_name, _place(s), s.hours, s.elective)
            )
        rows.append(TimetableDay(day, tt.WEEKDAY_NAMES[day.weekday()], tuple(cells)))
    share_lines = tuple(
        ShareLine(
            x.mode,
            x.half_days,
            sum((s.hours for s in sessions if s.mode == x.mode), Decimal(0)),
            x.target_half_days,
            x.target_hours,
            x.within_tolerance,
        )
        for x in shares
    )
    modes = {x.mode for x in shares}
    return TimetablePrint(
        _header(c),
        tuple(slots),
        tuple(rows),
        share_lines,
        sum(1 for s in sessions if s.mode not in modes),
        sum((s.hours for s in sessions if s.mode not in modes), Decimal(0)),
        len(sessions),
        sum((s.hours for s in sessions), Decimal(0)),
        tuple(sessions),
    )


# ============================================================================ 签到表


@dataclass(frozen=True)
class SigninRow:
    seq: int
    name: str
    unit: str
    post: str
    group: str
    note: str  # 请假 when leave is recorded beforehand


@dataclass(frozen=True)
class SigninSheet:
    session_id: int
    day: dt.date
    weekday: str
    slot: str
    mode: str
    title: str
    teacher: str
    place: str
    hours: Decimal
    rows: tuple[SigninRow, ...]


@dataclass(frozen=True)
class SigninPrint:
    cls: ClassHeader
    sheets: tuple[SigninSheet, ...]


def signin_data(class_id: int, session_id: int | None = None) -> SigninPrint:
    """One sheet per session of the class (or only ``session_id``), each listing every
    trainee in roster order (group, convener first, unit, name)."""
    with db.atomic():
        c = get_class(class_id)
        sessions = list_sessions(class_id)
        trainees = list_trainees(class_id)
        if session_id is not None:
            sessions = [s for s in sessions if s.id == session_id]
            if not sessions:
                raise NotFoundError(f"班次《{c.name}》中没有编号为 {session_id} 的课表时段")
        if not sessions:
            raise DomainError(f"班次《{c.name}》还没有课表，请先排课后再打印签到表", field="class")
        if not trainees:
            raise DomainError(f"班次《{c.name}》还没有学员，请先报名后再打印签到表", field="class")
        leave = {
            s.id: {r.cadre_id for r in session_attendance(s.id) if r.status == hr.LEAVE}
            for s in sessions
        }
    sheets = []
    for s in sessions:
        rows = tuple(
            SigninRow(
                k,
                t.name,
                t.unit_name,
                _short_post(t.unit_name, t.post_title),
                group_label(t.group_no) if t.group_no else "",
                hr.LEAVE if t.cadre_id in leave[s.id] else "",
            )
            for k, t in enumerate(trainees, start=1)
        )
        sheets.append(
            SigninSheet(
                s.id,
                s.day,
                tt.WEEKDAY_NAMES[s.day.weekday()],
                s.slot,
                s.mode,
                s.title if s.parts <= 1 else f"{s.title}（{s.part}/{s.parts}）",
                s.teacher_name,
                _place(s),
                s.hours,
                rows,
            )
        )
    return SigninPrint(_header(c), tuple(sheets))


# ============================================================================ 学员名册


@dataclass(frozen=True)
class RosterPerson:
    seq: int
    cadre_id: int
    name: str
    sex: str
    birth: str  # 1975.03
    unit_post: str  # 单位及职务
    rank: str  # 职级 (or the leadership level when no 职级 is recorded)
    phone: str
    marks: tuple[str, ...]  # 班长, 副班长, 组长, 召集人


@dataclass(frozen=True)
class RosterGroup:
    group_no: int
    label: str  # 第一组 / 未分组
    convener: str
    people: tuple[RosterPerson, ...]


@dataclass(frozen=True)
class RosterPrint:
    cls: ClassHeader
    groups: tuple[RosterGroup, ...]
    total: int


def _marks(t: TraineeDTO) -> tuple[str, ...]:
    out = [t.role] if t.role and t.role != "学员" else []
    if t.is_convener:
        out.append("召集人")
    return tuple(out)


def roster_print_data(class_id: int) -> RosterPrint:
    """Trainees by discussion group (未分组 last), numbered through the whole class."""
    with db.atomic():
        c = get_class(class_id)
        trainees = list_trainees(class_id)
        if not trainees:
            raise DomainError(
                f"班次《{c.name}》还没有学员，请先报名后再打印学员名册", field="class"
            )
        people = {p.id: p for p in roster.iter_cadres([t.cadre_id for t in trainees])}
    ordered = sorted(trainees, key=lambda t: (t.group_no == 0, t.group_no))  # stable
    groups: dict[int, list[RosterPerson]] = {}
    conveners: dict[int, str] = {}
    for k, t in enumerate(ordered, start=1):
        p = people[t.cadre_id]
        unit_post = unit_and_post(p.unit_name, p.post_title)
        groups.setdefault(t.group_no, []).append(
            RosterPerson(
                k,
                t.cadre_id,
                p.name,
                p.sex,
                ym(p.birth_date),
                unit_post,
                p.rank or p.leadership_level,
                p.phone,
                _marks(t),
            )
        )
        if t.is_convener and t.group_no not in conveners:
            conveners[t.group_no] = p.name
    return RosterPrint(
        _header(c),
        tuple(
            RosterGroup(g, group_label(g), conveners.get(g, ""), tuple(rows))
            for g, rows in groups.items()
        ),
        len(trainees),
    )


# ============================================================================ 结业证书


@dataclass(frozen=True)
class Certificate:
    serial: str
    cadre_id: int
    name: str
    sex: str
    unit_post: str
    class_name: str
    start: dt.date
    end: dt.date
    hours: Decimal
    issuer: str
    issue_date: dt.date


@dataclass(frozen=True)
class Excluded:
    cadre_id: int
    name: str
    reason: str


@dataclass(frozen=True)
class CertificatePrint:
    cls: ClassHeader
    certificates: tuple[Certificate, ...]
    excluded: tuple[Excluded, ...]  # flagged for 退学 review: no certificate


def default_serial_prefix(c: ClassHeader | ClassDTO) -> str:
    """'〔2026〕第3班-' for class id 3 ending in 2026 (the sequence number follows)."""
    return f"〔{c.end.year}〕第{c.id}班-"


def certificate_data(
    class_id: int,
    first_serial: int = 1,
    *,
    prefix: str | None = None,
    digits: int = 3,
    issuer: str | None = None,
    issue_date: dt.date | None = None,
) -> CertificatePrint:
    """结业证书 for every trainee of a finished class who is not flagged for 退学 review,
    in roster order, numbered ``prefix`` + ``first_serial``, ``first_serial + 1``… padded to
    ``digits`` (白银党校〔2026〕第12期- + 001). ``issuer`` defaults to the class's organiser,
    ``issue_date`` to its last day. 学时 are the hours credited from attendance."""
    if first_serial < 1:
        raise DomainError(f"证书起始编号应至少为 1，现为 {first_serial}", field="first_serial")
    if not 1 <= digits <= 8:
        raise DomainError(f"证书编号位数应在 1–8 之间，现为 {digits}", field="digits")
    with db.atomic():
        c = get_class(class_id)
        if c.status != "已结业":
            raise DomainError(
                f"班次《{c.name}》状态为“{c.status}”，结业后才能打印结业证书", field="status"
            )
        trainees = list_trainees(class_id)
        credits = {r.cadre_id: r for r in class_credits(class_id)}
        people = {p.id: p for p in roster.iter_cadres([t.cadre_id for t in trainees])}
    if not trainees:
        raise DomainError(f"班次《{c.name}》没有学员，无法打印结业证书", field="class")
    head = _header(c)
    prefix = default_serial_prefix(head) if prefix is None else prefix
    ordered = sorted(trainees, key=lambda t: (t.group_no == 0, t.group_no))
    certs: list[Certificate] = []
    excluded: list[Excluded] = []
    for t in ordered:
        credit = credits.get(t.cadre_id)
        if credit is not None and credit.review:
            excluded.append(Excluded(t.cadre_id, t.name, "；".join(credit.flags)))
            continue
        p = people[t.cadre_id]
        serial = f"{prefix}{first_serial + len(certs):0{digits}d}"
        certs.append(
            Certificate(
                serial,
                t.cadre_id,
                p.name,
                p.sex,
                p.post_title,
                c.name,
                c.start,
                c.end,
                credit.credited_hours if credit is not None else Decimal(0),
                c.organiser if issuer is None else issuer,
                issue_date or c.end,
            )
        )
    return CertificatePrint(head, tuple(certs), tuple(excluded))


# ============================================================================ 学时证明


@dataclass(frozen=True)
class HoursLine:
    day: dt.date
    kind: str  # 班次培训 / 外出培训 / 网络学习
    title: str
    hours: Decimal


@dataclass(frozen=True)
class HoursCertificate:
    cadre_id: int
    name: str
    sex: str
    birth: str
    unit_post: str
    rank: str
    year: int
    lines: tuple[HoursLine, ...]
    by_kind: tuple[tuple[str, Decimal], ...]  # (班次培训, 112), (外出培训, 0), (网络学习, 60)
    year_total: Decimal
    requirement: str  # 每年 90 学时 / 五年 550 学时
    first_year: int  # the window judged: the year, or the five years ending with it
    last_year: int
    required: Decimal
    earned: Decimal  # in the window (online study counted as the rules say)
    issuer: str
    issue_date: dt.date | None  # None: left blank for handwriting

    @property
    def short(self) -> Decimal:
        return max(self.required - self.earned, Decimal(0))

    @property
    def met(self) -> bool:
        return self.earned >= self.required


def hours_certificate_data(
    cadre_id: int,
    year: int,
    *,
    rules: hr.Requirements | None = None,
    issuer: str = "",
    issue_date: dt.date | None = None,
) -> HoursCertificate:
    """学时证明 of one cadre for one year: the ledger lines of the year, totals by kind, and
    the requirement that applies (90 a year, or 550 in five years for 县处级 and above)."""
    if not 1949 <= year <= 2100:
        raise DomainError(f"年度应在 1949–2100 之间，现为 {year}", field="year")
    rules = rules or hr.Requirements()
    with db.atomic():
        p = roster.get_cadre(cadre_id)
        five = rules.five_year(
            hr.CadreRank(str(p.id), p.name, p.unit_name, p.leadership_level or None, p.rank or None)
        )
        first, last = rules.window(year) if five else (year, year)
        entries = [e for e in list_hours(cadre_id) if first <= e.year <= last]
    lines = tuple(HoursLine(e.day, e.kind, e.title, e.hours) for e in entries if e.year == year)
    by_kind = tuple(
        (k, sum((x.hours for x in lines if x.kind == k), Decimal(0))) for k in hr.ENTRY_KINDS
    )
    earned = sum(
        (e.hours for e in entries if rules.count_online or e.kind != hr.ONLINE_STUDY), Decimal(0)
    )
    required = rules.five_year_hours if five else rules.annual_hours
    label = f"五年 {fmt_num(required)} 学时" if five else f"每年 {fmt_num(required)} 学时"
    unit_post = unit_and_post(p.unit_name, p.post_title)
    return HoursCertificate(
        p.id,
        p.name,
        p.sex,
        ym(p.birth_date),
        unit_post,
        p.rank or p.leadership_level,
        year,
        lines,
        by_kind,
        sum((x.hours for x in lines), Decimal(0)),
        label,
        first,
        last,
        Decimal(str(required)),
        earned,
        issuer,
        issue_date,
    )
