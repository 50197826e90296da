"""节假日 use cases: list a year's days, add or change one day, delete one, put back what the
State Council published for a year, and seed the national days into a database.

One use case = one function = one transaction; results are frozen dataclasses, never rows.
Every change is written to the change log (entity ``holiday``) under the logged-in account.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import Database

from models.accounts import Permission, require
from models.calendar.days import WEEKDAY_NAMES
from models.calendar.national import all_national_days, national_days
from models.calendar.tables import HOLIDAY_KINDS, WORKDAY, Holiday
from models.core.audit import current_user, record_changes
from models.core.concurrency import conflict, update_versioned
from models.core.dates import as_date
from models.core.db import write_transaction
from models.core.errors import FieldIssue, NotFoundError, ValidationError

ENTITY = "holiday"
NAME_MAX = 20
SOURCE_MAX = 120
RESTORE_REASON = "恢复国务院公布的放假安排"


@dataclass(frozen=True)
class HolidayDTO:
    id: int
    day: dt.date
    kind: str  # 放假 / 调休上班
    name: str
    source: str
    version: int = 1

    @property
    def weekday(self) -> str:
        return WEEKDAY_NAMES[self.day.weekday()]

    @property
    def is_workday(self) -> bool:
        return self.kind == WORKDAY


@dataclass(frozen=True)
class HolidayInput:
    """A day as the edit dialog gives it: ``id`` None for a new one; ``version``: the version
    the screen showed (None: not checked)."""

    day: dt.date | None
    kind: str
    name: str
    source: str = ""
    id: int | None = None
    version: int | None = None


def _dto(row: Holiday) -> HolidayDTO:
    return HolidayDTO(
        id=row.id,
        day=as_date(row.day),
        kind=row.kind,
        name=row.name,
        source=row.source,
        version=row.version,
    )


def _audit(row: Holiday) -> dict[str, object]:
    return {"day": as_date(row.day), "kind": row.kind, "name": row.name, "source": row.source}


def _record(day: dt.date | None, name: str = "") -> str:
    """How a day is named in a message: 节假日“2027-01-01 元旦”."""
    text = " ".join(p for p in ((day.isoformat() if day else ""), name) if p)
    return f"节假日“{text}”" if text else "节假日"


def list_holidays(year: int) -> list[HolidayDTO]:
    """The year's 放假 and 调休上班 days, in date order."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = Holiday.select().where(Holiday.day.between(first, last)).order_by(Holiday.day)
    return [_dto(r) for r in rows]


def get_holiday(holiday_id: int) -> HolidayDTO:
    row = Holiday.get_or_none(Holiday.id == holiday_id)
    if row is None:
        raise NotFoundError(f"找不到编号为 {holiday_id} 的节假日，可能已被删除")
    return _dto(row)


def holiday_years() -> list[int]:
    """The years the table has days in, plus the current year, ascending."""
    days = [as_date(d) for (d,) in Holiday.select(Holiday.day).tuples()]
    return sorted({d.year for d in days} | {dt.date.today().year})


def _check(inp: HolidayInput) -> tuple[dt.date, str, str, str]:
    """The input cleaned, or ValidationError naming each bad field in Chinese."""
    name = (inp.name or "").strip()
    source = (inp.source or "").strip()
    issues: list[FieldIssue] = []
    if inp.day is None:
        issues.append(FieldIssue("day", "日期", "必填"))
    if inp.kind not in HOLIDAY_KINDS:
        issues.append(FieldIssue("kind", "类型", f"应为 {'、'.join(HOLIDAY_KINDS)} 之一"))
    elif inp.kind == WORKDAY and inp.day is not None and inp.day.weekday() < 5:
        weekday = WEEKDAY_NAMES[inp.day.weekday()]
        issues.append(
            FieldIssue(
                "kind",
                "类型",
                f"{inp.day.isoformat()} 是{weekday}，本来就上班，调休上班日应为星期六或星期日",
            )
        )
    if not name:
        issues.append(FieldIssue("name", "名称", "必填，如 元旦、春节"))
    elif len(name) > NAME_MAX:
        issues.append(FieldIssue("name", "名称", f"最多 {NAME_MAX} 个字，现有 {len(name)} 个"))
    if len(source) > SOURCE_MAX:
        issues.append(
            FieldIssue("source", "来源", f"最多 {SOURCE_MAX} 个字，现有 {len(source)} 个")
        )
    if issues:
        raise ValidationError(issues, record=_record(inp.day, name))
    assert inp.day is not None
    return inp.day, inp.kind, name, source


def _taken(day: dt.date, other_than: int | None) -> None:
    """ValidationError when another row already holds ``day``."""
    q = Holiday.select().where(Holiday.day == day)
    if other_than is not None:
        q = q.where(Holiday.id != other_than)
    row = q.first()
    if row is not None:
        issue = FieldIssue(
            "day",
            "日期",
            f"{day.isoformat()} 已有一条（{row.kind}，{row.name}），请修改那一条",
        )
        raise ValidationError([issue], record=_record(day))


def save_holiday(inp: HolidayInput) -> HolidayDTO:
    """Add a day (``inp.id`` None) or change one; an edit over someone else's newer one is
    refused with ConflictError saying who changed it and when."""
    require(Permission.TRAINING)
    day, kind, name, source = _check(inp)
    values = {"day": day, "kind": kind, "name": name, "source": source}
    user = current_user()
    with write_transaction():
        _taken(day, inp.id)
        if inp.id is None:
            new_id = int(Holiday.insert(**values).execute())
            record_changes(ENTITY, new_id, "新增", {}, _audit(Holiday.get_by_id(new_id)), user=user)
            return get_holiday(new_id)
        old = Holiday.get_or_none(Holiday.id == inp.id)
        if old is None:
            if inp.version is not None:
                raise conflict(_record(day, name), ENTITY, inp.id, deleted=True)
            raise NotFoundError(f"找不到{_record(day, name)}，可能已被删除")
        before = _audit(old)
        record = _record(as_date(old.day), old.name)
        want = old.version if inp.version is None else inp.version
        update_versioned(Holiday, inp.id, want, values, record=record, entity=ENTITY)
        record_changes(ENTITY, inp.id, "修改", before, _audit(Holiday.get_by_id(inp.id)), user=user)
        return get_holiday(inp.id)


def delete_holiday(holiday_id: int, *, expected_version: int | None = None) -> None:
    """Delete one day (it becomes an ordinary day again); ``expected_version``: the version
    the screen showed (None: not checked)."""
    require(Permission.TRAINING)
    with write_transaction():
        row = Holiday.get_or_none(Holiday.id == holiday_id)
        if row is None:
            record = f"编号为 {holiday_id} 的节假日"
            if expected_version is not None:
                raise conflict(record, ENTITY, holiday_id, deleted=True)
            raise NotFoundError(f"找不到{record}，可能已被删除")
        record = _record(as_date(row.day), row.name)
        want = row.version if expected_version is None else expected_version
        done = Holiday.delete().where((Holiday.id == row.id) & (Holiday.version == want)).execute()
        if done != 1:
            raise conflict(record, ENTITY, row.id)
        record_changes(ENTITY, row.id, "删除", _audit(row), {}, user=current_user())


def restore_national(year: int) -> int:
    """Put back the days the State Council published for ``year`` (as this program has
    them): a missing day is added, a changed one set back; days users added on other dates
    stay. Returns how many days were added or set back (0: nothing to do, or a year the
    program has no national days for)."""
    require(Permission.TRAINING)
    wanted = national_days(year)
    if not wanted:
        return 0
    user = current_user()
    changed = 0
    with write_transaction():
        rows = {
            as_date(r.day): r
            for r in Holiday.select().where(Holiday.day.in_([d.day for d in wanted]))
        }
        for nd in wanted:
            values = {"day": nd.day, "kind": nd.kind, "name": nd.name, "source": nd.source}
            row = rows.get(nd.day)
            if row is None:
                new_id = int(Holiday.insert(**values).execute())
                record_changes(ENTITY, new_id, "新增", {}, values, user=user, reason=RESTORE_REASON)
                changed += 1
                continue
            before = _audit(row)
            if before == values:
                continue
            update_versioned(
                Holiday,
                row.id,
                row.version,
                values,
                record=_record(nd.day, row.name),
                entity=ENTITY,
            )
            record_changes(ENTITY, row.id, "修改", before, values, user=user, reason=RESTORE_REASON)
            changed += 1
    return changed


def seed_national(real: Database) -> int:
    """Insert the national days ``real`` does not have yet (a day users entered or changed is
    left as it is); returns how many were inserted. Called by the schema on a new database
    and when bringing an older one to v10, inside its transaction; not a user's change, so
    not in the change log."""
    have = {as_date(d) for (d,) in Holiday.select(Holiday.day).tuples().execute(real)}
    rows = [
        {"day": d.day, "kind": d.kind, "name": d.name, "source": d.source}
        for d in all_national_days()
        if d.day not in have
    ]
    if rows:
        Holiday.insert_many(rows).execute(real)
    return len(rows)


__all__ = [
    "ENTITY",
    "RESTORE_REASON",
    "HolidayDTO",
    "HolidayInput",
    "delete_holiday",
    "get_holiday",
    "holiday_years",
    "list_holidays",
    "restore_national",
    "save_holiday",
    "seed_national",
]
