"""学时 and attendance rules (DOMAIN §3.1-§3.4, §3.8): pure rules, no database, no Qt.

Attendance is recorded per trainee per half-day session with one of 出勤 / 迟到 / 早退 /
请假 / 旷课. Each status credits a configurable fraction of the session's 学时. Defaults:
出勤, 迟到 and 早退 keep the hours (the trainee attended the half-day; lateness and
leaving early are discipline marks that count in the 考勤纪律 score, as the 天河 rules
record them beside 请假 / 旷课), 请假 and 旷课 earn none.

退学 review (2023 条例 第十五条, 天河区委党校): leave above 1/7 of the class's total 学时,
or more than ``max_absent_half_days`` half-days of 旷课 (default 3, so two whole days, the
天河 threshold, are flagged).

Yearly requirements (2023 条例 第十四条): 90 学时 a year for 乡科级 leaders, 一级主任科员 and
below; 550 学时 per five years for 县处级 and above and 四级调研员 and above. All values are
configurable; a cadre with neither a leadership level nor a rank falls under the yearly rule.

领导干部讲坛 (DOMAIN §3.5): each lecture attended is one ledger line of its own kind
(``LECTURE_SERIES``), worth the lecture's 学时 (the series' default 3: one half-day lecture,
as Nanjing counts a half day of 专题 study or a 中心组 session, DOMAIN §3.2). These hours are
集中学习 organised by the 组织部, so they count toward the yearly 90 and the five-year 550
like 班次培训 and 外出培训 (never as 网络学习); a local rule that lets lectures count only up
to some hours a year sets ``Requirements.lecture_cap`` (None, the default: no cap).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Protocol

from models.core.errors import DomainError

PRESENT = "出勤"
LATE = "迟到"
LEFT_EARLY = "早退"
LEAVE = "请假"
ABSENT = "旷课"
STATUSES: tuple[str, ...] = (PRESENT, LATE, LEFT_EARLY, LEAVE, ABSENT)
UNRECORDED = "未登记"

CLASS_TRAINING = "班次培训"
OUTSIDE_TRAINING = "外出培训"
ONLINE_STUDY = "网络学习"
LECTURE_SERIES = "领导干部讲坛"  # one line per lecture attended (models.training.lectures)
ENTRY_KINDS: tuple[str, ...] = (CLASS_TRAINING, OUTSIDE_TRAINING, ONLINE_STUDY, LECTURE_SERIES)

# DOMAIN §5.2: 县处级 and above, 四级调研员 and above.
FIVE_YEAR_LEVELS: frozenset[str] = frozenset(
    {
        "国家级正职",
        "国家级副职",
        "省部级正职",
        "省部级副职",
        "厅局级正职",
        "厅局级副职",
        "县处级正职",
        "县处级副职",
    }
)
FIVE_YEAR_RANKS: frozenset[str] = frozenset(
    {"一级巡视员", "二级巡视员", "一级调研员", "二级调研员", "三级调研员", "四级调研员"}
)


class AttendanceError(DomainError):
    """An attendance record or 学时 entry that cannot be used."""


# ---------------------------------------------------------------------------- attendance


class SessionLike(Protocol):
    """Any half-day session with a date, a slot and its 学时 (e.g. timetable.Session)."""

    @property
    def day(self) -> date: ...

    @property
    def slot(self) -> str: ...

    @property
    def hours(self) -> float: ...


@dataclass(frozen=True)
class Attendance:
    cadre_id: str
    day: date
    slot: str
    status: str


@dataclass(frozen=True)
class CreditRules:
    """How much of a session's 学时 each status earns, and the 退学 review limits."""

    present: float = 1.0
    late: float = 1.0
    left_early: float = 1.0
    leave: float = 0.0
    absent: float = 0.0
    leave_limit: Fraction = Fraction(1, 7)  # of the class's total 学时
    max_absent_half_days: int = 3  # more than this is flagged
    lates_per_absence: int = 0  # n > 0: every n 迟到/早退 also count as one 旷课 half-day

    def fraction(self, status: str) -> float:
        table = {
            PRESENT: self.present,
            LATE: self.late,
            LEFT_EARLY: self.left_early,
            LEAVE: self.leave,
            ABSENT: self.absent,
        }
        return table[status]


@dataclass(frozen=True)
class ClassCredit:
    """One trainee's attendance result in one class."""

    cadre_id: str
    class_hours: float  # 学时 of every session of the class
    credited_hours: float
    counts: Mapping[str, int]  # status (and 未登记) -> half-days
    leave_hours: float
    leave_limit_hours: float
    absent_half_days: int  # 旷课, plus 迟到/早退 converted by lates_per_absence
    by_year: Mapping[int, float]  # credited 学时 per calendar year
    last_day: Mapping[int, date]  # last credited session date per year
    flags: tuple[str, ...]  # reasons for 退学 review, Chinese

    @property
    def review(self) -> bool:
        """True when the trainee is flagged for 退学 review."""
        return bool(self.flags)


def _fmt(value: float | Fraction) -> str:
    v = float(value)
    return f"{v:g}" if abs(v - round(v, 2)) < 1e-9 else f"{v:.2f}"


def _exact(hours: float) -> Fraction:
    """学时 summed as floats, back to the two decimals they are kept with."""
    return Fraction(round(hours, 2)).limit_denominator(100)


def one_place(value: float | Decimal) -> str:
    """学时 and half-days as the command line prints them: 4 → '4', 37.333 → '37.3'."""
    v = float(value)
    return f"{v:g}" if abs(v - round(v)) < 1e-9 else f"{v:.1f}"


def credit_class(
    sessions: Sequence[SessionLike],
    records: Iterable[Attendance],
    *,
    cadre_ids: Sequence[str] | None = None,
    rules: CreditRules | None = None,
    class_name: str = "",
) -> dict[str, ClassCredit]:
    """Credited 学时 and 退学 flags per trainee. Sessions without a record earn nothing
    and are counted as 未登记. ``cadre_ids`` (the enrolled trainees) default to everyone
    with a record."""
    rules = rules or CreditRules()
    where = f"班次《{class_name}》" if class_name else "本班"
    hours_at: dict[tuple[date, str], float] = {}
    for s in sessions:
        if s.hours < 0:
            raise AttendanceError(f"{where} {s.day} {s.slot} 的学时不能为负数", field="hours")
        hours_at[(s.day, s.slot)] = s.hours
    class_hours = sum(hours_at.values())

    status_of: dict[str, dict[tuple[date, str], str]] = {}
    for r in records:
        label = f"学员 {r.cadre_id} 在 {r.day} {r.slot}"
        if r.status not in STATUSES:
            raise AttendanceError(
                f"{label}的考勤状态“{r.status}”无效，应为 {'、'.join(STATUSES)}",
                field="status",
                record=r.cadre_id,
            )
        if (r.day, r.slot) not in hours_at:
            raise AttendanceError(
                f"{label}的考勤记录不对应{where}的任何课程", field="day", record=r.cadre_id
            )
        mine = status_of.setdefault(r.cadre_id, {})
        if (r.day, r.slot) in mine and mine[(r.day, r.slot)] != r.status:
            raise AttendanceError(
                f"{label}有两条不同的考勤记录（{mine[(r.day, r.slot)]}、{r.status}）",
                field="status",
                record=r.cadre_id,
            )
        mine[(r.day, r.slot)] = r.status

    ids = list(cadre_ids) if cadre_ids is not None else sorted(status_of)
    # 学时 are kept with two decimals: compared as such, a float sum such as 46.19999999999999
    # must not put exactly 1/7 of the class's hours over the limit
    limit = _exact(class_hours) * rules.leave_limit
    result: dict[str, ClassCredit] = {}
    for cid in ids:
        mine = status_of.get(cid, {})
        counts = dict.fromkeys((*STATUSES, UNRECORDED), 0)
        credited = 0.0
        leave_hours = 0.0
        by_year: dict[int, float] = {}
        last_day: dict[int, date] = {}
        for key in sorted(hours_at):
            hours = hours_at[key]
            status = mine.get(key)
            if status is None:
                counts[UNRECORDED] += 1
                continue
            counts[status] += 1
            earned = hours * rules.fraction(status)
            if status == LEAVE:
                leave_hours += hours
            if earned > 0:
                credited += earned
                year = key[0].year
                by_year[year] = by_year.get(year, 0.0) + earned
                last_day[year] = key[0]
        absent = counts[ABSENT]
        if rules.lates_per_absence > 0:
            absent += (counts[LATE] + counts[LEFT_EARLY]) // rules.lates_per_absence
        flags = []
        if _exact(leave_hours) > limit:
            flags.append(
                f"请假 {_fmt(leave_hours)} 学时，超过{where}总学时 {_fmt(class_hours)} 的 "
                f"{rules.leave_limit}（{_fmt(limit)} 学时），应提请退学审查"
            )
        if absent > rules.max_absent_half_days:
            extra = ""
            if absent != counts[ABSENT]:
                extra = f"（含迟到、早退每 {rules.lates_per_absence} 次折合的旷课）"
            flags.append(
                f"旷课 {absent} 个半天{extra}，超过 {rules.max_absent_half_days} 个半天的上限，"
                "应提请退学审查"
            )
        result[cid] = ClassCredit(
            cadre_id=cid,
            class_hours=class_hours,
            credited_hours=credited,
            counts=counts,
            leave_hours=leave_hours,
            leave_limit_hours=float(limit),
            absent_half_days=absent,
            by_year=by_year,
            last_day=last_day,
            flags=tuple(flags),
        )
    return result


# ---------------------------------------------------------------------------- ledger


@dataclass(frozen=True)
class HoursEntry:
    """One line of a cadre's 学时 ledger."""

    cadre_id: str
    day: date
    hours: float
    kind: str  # 班次培训 / 外出培训 / 网络学习
    source: str = ""  # class name, outside course or platform


def class_entries(credits: Iterable[ClassCredit], class_name: str) -> list[HoursEntry]:
    """Ledger lines for a class: one per trainee per calendar year with credited 学时
    (a class over New Year is split at the year boundary)."""
    return [
        HoursEntry(c.cadre_id, c.last_day[year], c.by_year[year], CLASS_TRAINING, class_name)
        for c in credits
        for year in sorted(c.by_year)
    ]


@dataclass(frozen=True)
class YearTotal:
    cadre_id: str
    year: int
    class_hours: float = 0.0
    outside_hours: float = 0.0
    online_hours: float = 0.0
    lecture_hours: float = 0.0  # 领导干部讲坛

    @property
    def total(self) -> float:
        return self.class_hours + self.outside_hours + self.online_hours + self.lecture_hours


def _check_entry(e: HoursEntry) -> None:
    if e.kind not in ENTRY_KINDS:
        raise AttendanceError(
            f"学员 {e.cadre_id} {e.day} 的学时类别“{e.kind}”无效，应为 {'、'.join(ENTRY_KINDS)}",
            field="kind",
            record=e.cadre_id,
        )
    if e.hours < 0:
        raise AttendanceError(
            f"学员 {e.cadre_id} {e.day} 的学时（{e.source or e.kind}）不能为负数：{_fmt(e.hours)}",
            field="hours",
            record=e.cadre_id,
        )


def yearly_totals(entries: Iterable[HoursEntry]) -> dict[str, dict[int, YearTotal]]:
    """cadre id -> year -> 学时 by kind."""
    sums: dict[str, dict[int, list[float]]] = {}
    for e in entries:
        _check_entry(e)
        row = sums.setdefault(e.cadre_id, {}).setdefault(e.day.year, [0.0] * len(ENTRY_KINDS))
        row[ENTRY_KINDS.index(e.kind)] += e.hours
    return {
        cid: {y: YearTotal(cid, y, *v) for y, v in sorted(years.items())}
        for cid, years in sorted(sums.items())
    }


# ---------------------------------------------------------------------------- requirements


@dataclass(frozen=True)
class CadreRank:
    cadre_id: str
    name: str
    unit: str = ""
    leadership_level: str | None = None  # 领导职务层次, e.g. 县处级副职
    rank: str | None = None  # 职级, e.g. 四级调研员


@dataclass(frozen=True)
class Requirements:
    annual_hours: float = 90.0
    five_year_hours: float = 550.0
    five_year_levels: frozenset[str] = FIVE_YEAR_LEVELS
    five_year_ranks: frozenset[str] = FIVE_YEAR_RANKS
    # None: the five years ending with the year asked (rolling). A year such as 2023:
    # fixed periods 2023-2027, 2028-2032, ...; mid-period the shortfall is what remains.
    period_start: int | None = None
    online_hours: float | None = None  # e.g. 50 (规划 2023-2027); None: not checked
    count_online: bool = True  # online study counts toward the yearly / five-year totals
    lecture_cap: float | None = None  # 领导干部讲坛 学时 counted per year at most; None: all

    def counted(self, t: YearTotal) -> float:
        """The year's 学时 that count toward the requirement (online study and lectures as
        ``count_online`` and ``lecture_cap`` say)."""
        lectures = t.lecture_hours
        if self.lecture_cap is not None:
            lectures = min(lectures, self.lecture_cap)
        online = t.online_hours if self.count_online else 0.0
        return t.class_hours + t.outside_hours + online + lectures

    def five_year(self, cadre: CadreRank) -> bool:
        """True when the cadre falls under the five-year rule."""
        return (cadre.leadership_level in self.five_year_levels) or (
            cadre.rank in self.five_year_ranks
        )

    def window(self, year: int) -> tuple[int, int]:
        """First and last year of the five-year window that the year ``year`` is judged in."""
        if self.period_start is None:
            return (year - 4, year)
        first = self.period_start + (year - self.period_start) // 5 * 5
        return (first, year)


@dataclass(frozen=True)
class Shortfall:
    cadre_id: str
    name: str
    unit: str
    requirement: str  # e.g. 每年 90 学时
    first_year: int
    last_year: int
    required: float
    earned: float

    @property
    def short(self) -> float:
        return self.required - self.earned


def shortfalls(
    cadres: Sequence[CadreRank],
    entries: Iterable[HoursEntry],
    year: int,
    rules: Requirements | None = None,
) -> list[Shortfall]:
    """Who is short of the requirement judged in ``year`` and by how much, by unit then
    by the largest shortfall (学时不足名单)."""
    rules = rules or Requirements()
    totals = yearly_totals(entries)
    out: list[Shortfall] = []
    for cadre in cadres:
        years = totals.get(cadre.cadre_id, {})

        def earned(first: int, last: int, years: Mapping[int, YearTotal] = years) -> float:
            sum_ = 0.0
            for y in range(first, last + 1):
                t = years.get(y)
                if t is not None:
                    sum_ += rules.counted(t)
            return sum_

        if rules.five_year(cadre):
            first, last = rules.window(year)
            label = f"五年 {_fmt(rules.five_year_hours)} 学时"
            row = Shortfall(
                cadre.cadre_id,
                cadre.name,
                cadre.unit,
                label,
                first,
                last,
                rules.five_year_hours,
                earned(first, last),
            )
        else:
            label = f"每年 {_fmt(rules.annual_hours)} 学时"
            row = Shortfall(
                cadre.cadre_id,
                cadre.name,
                cadre.unit,
                label,
                year,
                year,
                rules.annual_hours,
                earned(year, year),
            )
        if row.short > 1e-9:
            out.append(row)
        if rules.online_hours is not None:
            t = years.get(year)
            online = t.online_hours if t else 0.0
            if rules.online_hours - online > 1e-9:
                out.append(
                    Shortfall(
                        cadre.cadre_id,
                        cadre.name,
                        cadre.unit,
                        f"网络学习每年 {_fmt(rules.online_hours)} 学时",
                        year,
                        year,
                        rules.online_hours,
                        online,
                    )
                )
    out.sort(key=lambda s: (s.unit, -s.short, s.cadre_id, s.requirement))
    return out
