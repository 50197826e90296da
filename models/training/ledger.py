"""Training use cases: the 学时 ledger -- every cadre's 学时 lines, from 结业 of a class
(written by models.training.attendance.finish_class), from 领导干部讲坛 lectures attended
(models.training.lectures) and from 外出培训 and 网络学习 (typed, or imported from a
spreadsheet all or nothing) -- and the 学时不足名单 judged on it, also
as text for the command line.

One use case = one function = one transaction. Results are frozen dataclasses, never rows.
Changes to the ledger are written to the change log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from models.accounts import Permission, require
from models.core.audit import current_user, record_changes
from models.core.concurrency import conflict
from models.core.dates import as_date
from models.core.db import chunks, query_rows, write_transaction
from models.core.errors import DomainError, NotFoundError
from models.core.workbook import open_workbook, read_file, sheet_rows
from models.roster import service as roster
from models.roster.tables import Cadre, Unit
from models.training import hours as hr
from models.training.tables import HoursEntry, stored_hours

MANUAL_KINDS = (hr.OUTSIDE_TRAINING, hr.ONLINE_STUDY)


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
    lecture_id: int | None = None  # a 领导干部讲坛 lecture attended (models.training.lectures)


def _entry_dto(e: HoursEntry) -> HoursEntryDTO:
    return HoursEntryDTO(
        e.id,
        e.cadre_id,
        e.year,
        as_date(e.day),
        e.kind,
        Decimal(e.hours),
        e.title,
        e.source_class_id,
        e.source_lecture_id,
    )


def list_hours(cadre_id: int, year: int | None = None) -> list[HoursEntryDTO]:
    q = HoursEntry.select().where(HoursEntry.cadre == cadre_id)
    if year is not None:
        q = q.where(HoursEntry.year == year)
    return [_entry_dto(e) for e in q.order_by(HoursEntry.day, HoursEntry.id)]


def hours_by_cadre(cadre_ids: Sequence[int], year: int) -> dict[int, list[HoursEntryDTO]]:
    """:func:`list_hours` of many cadres for ``year`` in a few queries (a batch of 考核登记表):
    cadre → entries by day; cadres with none are left out."""
    out: dict[int, list[HoursEntryDTO]] = {}
    for part in chunks(list(dict.fromkeys(cadre_ids))):
        q = (
            HoursEntry.select()
            .where(HoursEntry.cadre.in_(part) & (HoursEntry.year == year))
            .order_by(HoursEntry.day, HoursEntry.id)
        )
        for e in q:
            out.setdefault(e.cadre_id, []).append(_entry_dto(e))
    return out


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
    require(Permission.ATTENDANCE)
    value = stored_hours(hours)
    with write_transaction():
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
    require(Permission.ATTENDANCE)
    with write_transaction():
        e = HoursEntry.get_or_none(HoursEntry.id == entry_id)
        if e is None:  # lines are never edited, only added and deleted: deleted meanwhile
            raise conflict("这条学时记录", "hours_entry", entry_id, deleted=True)
        if e.source_class_id is not None:
            raise DomainError(
                f"学时记录“{e.title}”来自班次结业，请在该班“考勤与结业”中选中学员点“更正…”"
                "并写明原因，学时档案随之更正"
            )
        if e.source_lecture_id is not None:
            raise DomainError(
                f"学时记录“{e.title}”来自领导干部讲坛的听课登记，请在讲坛的听课登记中更正"
            )
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
    require(Permission.ATTENDANCE)
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
            value = stored_hours(Decimal(str(r.hours).strip()))
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
    with write_transaction():
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
    (in any order; 姓名 may be missing). DomainError naming the file when it cannot be read
    or is not an Excel workbook."""
    path = Path(path)
    wb = open_workbook(read_file(path), path.name)
    try:
        ws = wb.worksheets[0]
        it = sheet_rows(ws, path.name)
        header = [str(x or "").strip() for x in next(it, ())]
        missing = [h for h in IMPORT_HEADERS if h != "姓名" and h not in header]
        if missing:
            raise DomainError(f"{path.name} 第 1 行缺少列：{'、'.join(missing)}")
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
                    as_date(day) if isinstance(day, dt.date) else str(day or ""),
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
    leadership_level: str  # 领导职务层次 ("" when none)
    rank: str  # 职级 ("" when none); the requirement follows whichever the rules name
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
    # only the columns used, as plain rows (50,000 cadres: no model objects)
    people: dict[int, tuple[Any, ...]] = {}  # id → (name, unit id, unit, level, rank)
    for part in chunks(ids):
        q = (
            Cadre.select(
                Cadre.id, Cadre.name, Cadre.unit, Unit.name, Cadre.leadership_level, Cadre.rank
            )  # fmt: skip
            .join(Unit)
            .where(Cadre.id.in_(part))
        )
        for cid, *rest in query_rows(q):
            people[cid] = tuple(rest)
    ranks = [
        hr.CadreRank(str(i), name, unit, level or None, rank or None)
        for i, (name, _uid, unit, level, rank) in ((i, people[i]) for i in ids)
    ]
    entries = [
        hr.HoursEntry(str(cid), as_date(day), float(hours), kind, title)
        for part in chunks(ids)
        for cid, day, hours, kind, title in query_rows(
            HoursEntry.select(
                HoursEntry.cadre, HoursEntry.day, HoursEntry.hours, HoursEntry.kind,
                HoursEntry.title,
            ).where(HoursEntry.cadre.in_(part) & (HoursEntry.year.between(year - 4, year)))
        )
    ]  # fmt: skip
    out = []
    for s in hr.shortfalls(ranks, entries, year, rules):
        cid = int(s.cadre_id)
        name, _uid, unit, level, rank = people[cid]
        out.append(
            ShortfallDTO(
                cid,
                name,
                unit,
                level or "",
                rank or "",
                s.requirement,
                s.first_year,
                s.last_year,
                stored_hours(s.required),
                stored_hours(s.earned),
            )
        )
    unit_order: dict[int, int] = {}
    for i in ids:
        unit_order.setdefault(people[i][1], len(unit_order))
    out.sort(key=lambda r: (unit_order[people[r.cadre_id][1]], -r.short, r.cadre_id))
    return out


def format_shortfall(year: int, unit_id: int | None = None) -> str:
    """学时不足名单 as text for the command line (``hours``): unit, name, rank, required,
    done, short."""
    rows = hours_report(year, unit_id)
    if not rows:
        return f"{year} 年没有学时不足的干部"
    header = f"{year} 年学时不足名单（共 {len({r.cadre_id for r in rows})} 人）"
    lines = [header, "单位\t姓名\t领导职务层次\t职级\t要求\t应完成\t已完成\t尚差"]
    num = hr.one_place
    lines.extend(
        f"{r.unit_name}\t{r.name}\t{r.leadership_level or '—'}\t{r.rank or '—'}\t"
        f"{r.requirement}\t"
        f"{num(r.required)}\t{num(r.earned)}\t{num(r.short)}"
        for r in rows
    )
    return "\n".join(lines)
