"""Training use cases, part 4: attendance, 学时 credited by models.training.hours, 结业 (writing the
ledger), the 学时 ledger (outside training and online study, typed or imported) and the
学时不足名单.

One use case = one function = one transaction. Results are frozen dataclasses, never rows.
Changes to attendance and to the ledger are written to the change log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from models.core.audit import current_user, record_changes
from models.core.db import chunks, db
from models.core.errors import DomainError, NotFoundError
from models.roster import service as roster
from models.roster.tables import Cadre, Unit
from models.training import hours as hr
from models.training.classes import _class_row, _d, _dec
from models.training.planner.plan import slot_label
from models.training.tables import (
    Attendance,
    ClassSession,
    Enrolment,
    HoursEntry,
    TrainingClass,
)

MANUAL_KINDS = (hr.OUTSIDE_TRAINING, hr.ONLINE_STUDY)


class IncompleteAttendance(DomainError):
    """Some sessions lack attendance records; finish_class(allow_incomplete=True) goes on."""


# ============================================================================ attendance


@dataclass(frozen=True)
class AttendanceRow:
    cadre_id: int
    name: str
    unit_name: str
    group_no: int
    status: str  # one of models.training.hours.STATUSES, or 未登记
    note: str


def _session_row(session_id: int) -> ClassSession:
    s = ClassSession.get_or_none(ClassSession.id == session_id)
    if s is None:
        raise NotFoundError(f"找不到编号为 {session_id} 的课表时段，可能已被删除")
    return s


def session_attendance(session_id: int) -> list[AttendanceRow]:
    """Every trainee of the session's class with their status (未登记 when none)."""
    s = _session_row(session_id)
    marks = {a.cadre_id: a for a in Attendance.select().where(Attendance.session == session_id)}
    q = (
        Enrolment.select(Enrolment, Cadre, Unit)
        .join(Cadre)
        .join(Unit)
        .where(Enrolment.training_class == s.training_class_id)
    )
    rows = []
    for e in q:
        a = marks.get(e.cadre_id)
        rows.append(
            AttendanceRow(
                e.cadre_id,
                e.cadre.name,
                e.cadre.unit.name,
                e.group_no,
                a.status if a else hr.UNRECORDED,
                a.note if a else "",
            )
        )
    rows.sort(key=lambda r: (r.group_no, r.unit_name, r.name, r.cadre_id))
    return rows


def _session_label(s: ClassSession) -> str:
    return f"{slot_label(_d(s.day), s.slot)}《{s.title}》"


def record_attendance(
    session_id: int,
    statuses: Mapping[int, str],
    *,
    notes: Mapping[int, str] | None = None,
    user: str | None = None,
    reason: str = "",
) -> list[AttendanceRow]:
    """Store each trainee's status for one session (出勤/迟到/早退/请假/旷课); every change
    goes to the change log. Nothing is stored when any status or trainee is wrong."""
    notes = notes or {}
    user = user or current_user()
    with db.atomic():
        s = _session_row(session_id)
        where = _session_label(s)
        enrolled = {
            e.cadre_id: e.cadre.name
            for e in Enrolment.select(Enrolment, Cadre)
            .join(Cadre)
            .where(Enrolment.training_class == s.training_class_id)
        }
        for cid, status in statuses.items():
            if cid not in enrolled:
                raise DomainError(f"{where}：编号为 {cid} 的干部不是本班学员，不能登记考勤")
            if status not in hr.STATUSES:
                raise DomainError(
                    f"{where}：学员“{enrolled[cid]}”的考勤状态“{status}”无效，"
                    f"应为 {'、'.join(hr.STATUSES)}",
                    field="status",
                )
        old = {a.cadre_id: a for a in Attendance.select().where(Attendance.session == session_id)}
        for cid, status in statuses.items():
            note = notes.get(cid, old[cid].note if cid in old else "")
            before = old.get(cid)
            if before is None:
                aid = Attendance.insert(
                    session=session_id, cadre=cid, status=status, note=note
                ).execute()
                record_changes(
                    "attendance",
                    aid,
                    "新增",
                    {},
                    {"session_id": session_id, "cadre_id": cid, "status": status, "note": note},
                    user=user,
                    reason=reason,
                )
            elif (before.status, before.note) != (status, note):
                Attendance.update(status=status, note=note).where(
                    Attendance.id == before.id
                ).execute()
                record_changes(
                    "attendance",
                    before.id,
                    "修改",
                    {"status": before.status, "note": before.note},
                    {"status": status, "note": note},
                    user=user,
                    reason=reason,
                )
        if s.training_class.status == "已结业":
            # a correction after 结业: the class's lines in the 学时 ledger follow at once
            finish_class(s.training_class_id, allow_incomplete=True, user=user)
        return session_attendance(session_id)


def mark_all_present(session_id: int, *, user: str | None = None) -> int:
    """出勤 for every trainee of the session who has no record yet (records already
    entered, e.g. 请假, are kept). Returns how many were marked."""
    rows = session_attendance(session_id)
    todo = {r.cadre_id: hr.PRESENT for r in rows if r.status == hr.UNRECORDED}
    if todo:
        record_attendance(session_id, todo, user=user, reason="全部出勤")
    return len(todo)


# ============================================================================ credits


@dataclass(frozen=True)
class CreditDTO:
    cadre_id: int
    name: str
    unit_name: str
    class_hours: Decimal
    credited_hours: Decimal
    counts: Mapping[str, int]
    leave_hours: Decimal
    leave_limit_hours: Decimal
    absent_half_days: int
    flags: tuple[str, ...]  # reasons for 退学 review

    @property
    def review(self) -> bool:
        return bool(self.flags)


def _credits(c: TrainingClass, rules: hr.CreditRules | None) -> dict[int, hr.ClassCredit]:
    sessions = list(ClassSession.select().where(ClassSession.training_class == c.id))
    tt_sessions = [_Half(_d(s.day), s.slot, float(s.hours)) for s in sessions]
    at = {s.id: s for s in sessions}
    records = [
        hr.Attendance(str(a.cadre_id), _d(at[a.session_id].day), at[a.session_id].slot, a.status)
        for a in Attendance.select().where(Attendance.session.in_(list(at)))
    ]
    ids = [
        str(cid)
        for (cid,) in Enrolment.select(Enrolment.cadre)
        .where(Enrolment.training_class == c.id)
        .order_by(Enrolment.id)
        .tuples()
    ]
    credits = hr.credit_class(tt_sessions, records, cadre_ids=ids, rules=rules, class_name=c.name)
    return {int(k): v for k, v in credits.items()}


@dataclass(frozen=True)
class _Half:
    day: dt.date
    slot: str
    hours: float


def class_credits(class_id: int, *, rules: hr.CreditRules | None = None) -> list[CreditDTO]:
    """Each trainee's credited 学时 so far and the 退学 review flags (sessions without a
    record earn nothing and count as 未登记)."""
    c = _class_row(class_id)
    credits = _credits(c, rules)
    people = {
        x.id: x for x in Cadre.select(Cadre, Unit).join(Unit).where(Cadre.id.in_(list(credits)))
    }
    out = [
        CreditDTO(
            cid,
            people[cid].name,
            people[cid].unit.name,
            _dec(cr.class_hours),
            _dec(cr.credited_hours),
            dict(cr.counts),
            _dec(cr.leave_hours),
            _dec(cr.leave_limit_hours),
            cr.absent_half_days,
            cr.flags,
        )
        for cid, cr in credits.items()
    ]
    out.sort(key=lambda r: (not r.review, r.unit_name, r.name, r.cadre_id))
    return out


@dataclass(frozen=True)
class FinishResult:
    class_id: int
    entries: int  # ledger lines written
    total_hours: Decimal  # 学时 written, all trainees together
    review: tuple[CreditDTO, ...]  # trainees flagged for 退学 review


def finish_class(
    class_id: int,
    *,
    rules: hr.CreditRules | None = None,
    allow_incomplete: bool = False,
    user: str | None = None,
) -> FinishResult:
    """结业: write each trainee's credited 学时 to the ledger (班次培训, one line per
    calendar year) and set the class to 已结业. Running it again replaces the class's
    lines, so it never counts twice. Refused while a session lacks attendance records,
    unless ``allow_incomplete``."""
    user = user or current_user()
    with db.atomic():
        c = _class_row(class_id)
        enrolled = Enrolment.select().where(Enrolment.training_class == class_id).count()
        if not enrolled:
            raise DomainError(f"班次《{c.name}》没有学员，不能结业")
        if not allow_incomplete:
            for s in ClassSession.select().where(ClassSession.training_class == class_id):
                n = Attendance.select().where(Attendance.session == s.id).count()
                if n < enrolled:
                    raise IncompleteAttendance(
                        f"班次《{c.name}》{_session_label(s)}只登记了 {n} 名学员的考勤"
                        f"（共 {enrolled} 名），请补齐后再结业"
                    )
        credits = _credits(c, rules)
        old = list(
            HoursEntry.select().where(
                (HoursEntry.source_class == class_id) & (HoursEntry.kind == hr.CLASS_TRAINING)
            )
        )
        HoursEntry.delete().where(HoursEntry.id.in_([e.id for e in old] or [0])).execute()
        for e in old:
            record_changes(
                "hours_entry",
                e.id,
                "删除",
                {"cadre_id": e.cadre_id, "hours": e.hours, "day": e.day},
                {},
                user=user,
                reason=f"班次《{c.name}》重新结业",
            )
        lines = hr.class_entries(credits.values(), c.name)
        total = Decimal(0)
        for line in lines:
            value = _dec(line.hours)
            total += value
            eid = HoursEntry.insert(
                cadre=int(line.cadre_id),
                year=line.day.year,
                day=line.day,
                kind=hr.CLASS_TRAINING,
                hours=value,
                title=c.name,
                source_class=class_id,
            ).execute()
            record_changes(
                "hours_entry",
                eid,
                "新增",
                {},
                {"cadre_id": line.cadre_id, "hours": value, "day": line.day, "title": c.name},
                user=user,
                reason=f"班次《{c.name}》结业",
            )
        TrainingClass.update(status="已结业", version=TrainingClass.version + 1).where(
            TrainingClass.id == class_id
        ).execute()
        review = tuple(r for r in class_credits(class_id, rules=rules) if r.review)
        return FinishResult(class_id, len(lines), total, review)


# ============================================================================ ledger


@dataclass(frozen=True)
class HoursEntryDTO:
    id: int
    cadre_id: int
    year: int
    day: dt.date
    kind: str
    hours: Decimal
    title: str
    class_id: int | None


def _entry_dto(e: HoursEntry) -> HoursEntryDTO:
    return HoursEntryDTO(
        e.id, e.cadre_id, e.year, _d(e.day), e.kind, Decimal(e.hours), e.title, e.source_class_id
    )


def list_hours(cadre_id: int, year: int | None = None) -> list[HoursEntryDTO]:
    q = HoursEntry.select().where(HoursEntry.cadre == cadre_id)
    if year is not None:
        q = q.where(HoursEntry.year == year)
    return [_entry_dto(e) for e in q.order_by(HoursEntry.day, HoursEntry.id)]


def _check_manual(cadre_name: str, day: dt.date, kind: str, hours: Decimal, title: str) -> None:
    who = f"干部“{cadre_name}”{day} 的学时"
    if kind not in MANUAL_KINDS:
        raise DomainError(
            f"{who}类别“{kind}”无效，应为 {'、'.join(MANUAL_KINDS)}"
            "（班次培训的学时由班次结业自动登记）",
            field="kind",
        )
    if not Decimal(0) < hours <= Decimal(1000):
        raise DomainError(f"{who}应大于 0 且不超过 1000，现为 {hours}", field="hours")
    if not title.strip():
        raise DomainError(f"{who}须填写培训或学习内容", field="title")


def add_hours_entry(
    cadre_id: int,
    day: dt.date,
    kind: str,
    hours: Decimal | float | int,
    title: str,
    *,
    user: str | None = None,
) -> HoursEntryDTO:
    """A ledger line for 外出培训 or 网络学习."""
    value = _dec(hours)
    with db.atomic():
        cadre = Cadre.get_or_none(Cadre.id == cadre_id)
        if cadre is None:
            raise NotFoundError(f"找不到编号为 {cadre_id} 的干部")
        _check_manual(cadre.name, day, kind, value, title)
        eid = HoursEntry.insert(
            cadre=cadre_id, year=day.year, day=day, kind=kind, hours=value, title=title.strip()
        ).execute()
        record_changes(
            "hours_entry",
            eid,
            "新增",
            {},
            {"cadre_id": cadre_id, "day": day, "kind": kind, "hours": value, "title": title},
            user=user or current_user(),
        )
        return _entry_dto(HoursEntry.get_by_id(eid))


def delete_hours_entry(entry_id: int, *, user: str | None = None, reason: str = "") -> None:
    with db.atomic():
        e = HoursEntry.get_or_none(HoursEntry.id == entry_id)
        if e is None:
            raise NotFoundError(f"找不到编号为 {entry_id} 的学时记录")
        if e.source_class_id is not None:
            raise DomainError(f"学时记录“{e.title}”来自班次结业，请在班次的考勤中修改后重新结业")
        record_changes(
            "hours_entry",
            e.id,
            "删除",
            {"cadre_id": e.cadre_id, "day": e.day, "kind": e.kind, "hours": e.hours},
            {},
            user=user or current_user(),
            reason=reason,
        )
        e.delete_instance()


@dataclass(frozen=True)
class HoursImportRow:
    """One row of an import sheet; ``row`` is its row number for messages."""

    row: int
    id_card: str
    name: str
    day: dt.date | str
    kind: str
    hours: str | float | Decimal
    title: str


IMPORT_HEADERS = ("身份证号", "姓名", "日期", "类别", "学时", "内容")


def import_hours(rows: Sequence[HoursImportRow], *, user: str | None = None) -> int:
    """Add 外出培训 / 网络学习 lines from an import. All or nothing: when any row is wrong,
    nothing is stored and the error names every bad row (up to 10) and its column."""
    user = user or current_user()
    errors: list[str] = []
    ready: list[dict[str, object]] = []
    cards = sorted({r.id_card.strip().upper() for r in rows})
    people = {}
    for i in range(0, len(cards), 500):  # SQLite builds limit the number of bound values
        chunk = cards[i : i + 500]
        people.update({c.id_card: c for c in Cadre.select().where(Cadre.id_card.in_(chunk))})
    seen: dict[tuple[object, ...], int] = {}
    for r in rows:
        where = f"第 {r.row} 行"
        person = people.get(r.id_card.strip().upper())
        if person is None:
            errors.append(f"{where}“身份证号”列：{r.id_card} 不在干部名册中")
            continue
        if r.name.strip() and r.name.strip() != person.name:
            errors.append(f"{where}“姓名”列：{r.name} 与名册中该身份证号的“{person.name}”不符")
            continue
        try:
            day = r.day if isinstance(r.day, dt.date) else dt.date.fromisoformat(str(r.day)[:10])
        except ValueError:
            errors.append(f"{where}“日期”列：“{r.day}”不是日期，应写作 2026-03-15")
            continue
        try:
            value = _dec(Decimal(str(r.hours).strip()))
        except (InvalidOperation, ValueError):
            errors.append(f"{where}“学时”列：“{r.hours}”不是数字")
            continue
        try:
            _check_manual(person.name, day, r.kind.strip(), value, r.title)
        except DomainError as e:
            errors.append(f"{where}：{e.message}")
            continue
        key = (person.id, day, r.kind.strip(), value, r.title.strip())
        if key in seen:
            errors.append(f"{where}：与第 {seen[key]} 行重复（同一人、同一天、同一内容和学时）")
            continue
        seen[key] = r.row
        if (
            HoursEntry.select()
            .where(
                (HoursEntry.cadre == person.id)
                & (HoursEntry.day == day)
                & (HoursEntry.kind == key[2])
                & (HoursEntry.hours == value)
                & (HoursEntry.title == key[4])
            )
            .exists()
        ):
            errors.append(f"{where}：{person.name} {day} 的“{key[4]}”已登记过，不能重复导入")
            continue
        ready.append(
            {
                "cadre": person.id,
                "year": day.year,
                "day": day,
                "kind": r.kind.strip(),
                "hours": value,
                "title": r.title.strip(),
            }
        )
    if errors:
        more = f"；另有 {len(errors) - 10} 行有误" if len(errors) > 10 else ""
        raise DomainError("学时导入失败，未导入任何记录：" + "；".join(errors[:10]) + more)
    with db.atomic():
        for values in ready:
            eid = HoursEntry.insert(**values).execute()
            record_changes(
                "hours_entry",
                eid,
                "新增",
                {},
                {k: v for k, v in values.items() if k != "cadre"} | {"cadre_id": values["cadre"]},
                user=user,
                reason="导入学时",
            )
    return len(ready)


def read_hours_xlsx(path: str | Path) -> list[HoursImportRow]:
    """Rows of an xlsx whose first row holds the headers 身份证号、姓名、日期、类别、学时、内容
    (in any order; 姓名 may be missing)."""
    from openpyxl import load_workbook

    wb = load_workbook(str(path), read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        header = [str(x or "").strip() for x in next(it, ())]
        missing = [h for h in IMPORT_HEADERS if h != "姓名" and h not in header]
        if missing:
            raise DomainError(f"{Path(path).name} 第 1 行缺少列：{'、'.join(missing)}")
        col = {h: header.index(h) for h in IMPORT_HEADERS if h in header}
        out = []
        for n, values in enumerate(it, start=2):
            if not any(v not in (None, "") for v in values):
                continue

            def cell(h: str, values: tuple[object, ...] = values) -> object:
                k = col.get(h)
                return values[k] if k is not None and k < len(values) else ""

            day = cell("日期")
            out.append(
                HoursImportRow(
                    n,
                    str(cell("身份证号") or ""),
                    str(cell("姓名") or ""),
                    _d(day) if isinstance(day, dt.date) else str(day or ""),
                    str(cell("类别") or ""),
                    str(cell("学时") or ""),
                    str(cell("内容") or ""),
                )
            )
        return out
    finally:
        wb.close()


# ============================================================================ report


@dataclass(frozen=True)
class ShortfallDTO:
    cadre_id: int
    name: str
    unit_name: str
    rank: str  # 领导职务层次 or 职级 as shown
    requirement: str  # 每年 90 学时 / 五年 550 学时
    first_year: int
    last_year: int
    required: Decimal
    earned: Decimal

    @property
    def short(self) -> Decimal:
        return self.required - self.earned


def hours_report(
    year: int,
    unit_id: int | None = None,
    *,
    include_subunits: bool = True,
    rules: hr.Requirements | None = None,
) -> list[ShortfallDTO]:
    """学时不足名单: every 在职 cadre (of the unit) short of the requirement judged in
    ``year``, by unit then the largest shortfall."""
    ids = roster.query_ids(
        roster.RosterFilter(unit_id=unit_id, include_subunits=include_subunits, status="在职")
    )
    people = {
        c.id: c
        for part in chunks(ids)
        for c in Cadre.select(Cadre, Unit).join(Unit).where(Cadre.id.in_(part))
    }
    ranks = [
        hr.CadreRank(str(c.id), c.name, c.unit.name, c.leadership_level or None, c.rank or None)
        for c in (people[i] for i in ids)
    ]
    entries = [
        hr.HoursEntry(str(e.cadre_id), _d(e.day), float(e.hours), e.kind, e.title)
        for part in chunks(ids)
        for e in HoursEntry.select().where(
            HoursEntry.cadre.in_(part) & (HoursEntry.year.between(year - 4, year))
        )
    ]
    out = []
    for s in hr.shortfalls(ranks, entries, year, rules):
        c = people[int(s.cadre_id)]
        out.append(
            ShortfallDTO(
                c.id,
                c.name,
                c.unit.name,
                c.leadership_level or c.rank,
                s.requirement,
                s.first_year,
                s.last_year,
                _dec(s.required),
                _dec(s.earned),
            )
        )
    unit_order: dict[int, int] = {}
    for i in ids:
        unit_order.setdefault(people[i].unit_id, len(unit_order))
    out.sort(key=lambda r: (unit_order[people[r.cadre_id].unit_id], -r.short, r.cadre_id))
    return out
