"""The hours scope (``hours:<from>..<to>``): the 学时 lines of a period that the sending office
registered itself (lines it received from another office are that office's to send), with
the keys of the people; and what receiving 学时 lines needs in every scope:

* a line new to this office that looks like one it has (the same person, day, kind and
  title, under another gid: the same training registered in both offices) is not added
  blindly: the same in all but when it was written, it is taken as that line (相同); else it
  is a 冲突, which the user settles by keeping this office's, taking the package's, or
  keeping both (two trainings);
* a line the package would change that this office registered itself, or received from
  another office, is refused (an office sends only its own lines);
* lines received before from the sender in the period, no longer in its package and not
  changed here since, are taken out (对方已删除).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from models.accounts import Permission, require
from models.core.db import chunks, write_transaction
from models.core.errors import DomainError
from models.exchange.export import ExportResult, ensure_gids, rows_by_ids, rows_where, write_scope
from models.exchange.items import CONFLICT, NEW, REMOVED, SAME, Planned, refusal
from models.exchange.office import require_office
from models.exchange.package import Package
from models.exchange.records import (
    HOURS_SPECS,
    TableSpec,
    content_hash,
    describe,
    local_fields,
    local_refs,
)
from models.exchange.tables import ExchangeRecord
from models.roster.tables import Cadre
from models.training import hours as hr
from models.training.tables import HoursEntry

EXAMPLE = "2026-01-01..2026-06-30"
LIKE_ONE_HERE = "本单位已有此人同一天、同类别、同名称的学时记录（另行登记）"


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """``2026-01-01..2026-06-30`` as its two dates; DomainError (in Chinese) for anything else."""
    first, sep, last = text.strip().partition("..")
    if not sep:
        raise DomainError(f"学时期间“{text}”应写作 起始日期..结束日期，如 {EXAMPLE}")
    days: list[dt.date] = []
    for part in (first.strip(), last.strip()):
        try:
            days.append(dt.date.fromisoformat(part))
        except ValueError:
            raise DomainError(
                f"学时期间中的日期“{part}”不对：应是实际存在的日期，写作年-月-日，如 {EXAMPLE}"
            ) from None
    start, end = days
    if start > end:
        raise DomainError(f"学时期间的起始日期 {start} 晚于结束日期 {end}，请对调后重试")
    return start, end


def period_text(start: dt.date, end: dt.date) -> str:
    return f"{start.isoformat()}..{end.isoformat()}"


def export_hours(
    start: dt.date, end: dt.date, path: str | Path, *, password: str | None = None
) -> ExportResult:
    """The 学时 lines dated ``start`` to ``end`` (both included) that this office registered
    (not those it received from another office), with the keys of the people (姓名, 性别,
    出生日期, 身份证号) and nothing else of the roster."""
    require(Permission.ATTENDANCE)
    if start > end:
        raise DomainError(f"学时期间的起始日期 {start} 晚于结束日期 {end}，请对调后重试")
    office = require_office()
    with write_transaction():
        ensure_gids()
    lines = rows_where(
        HoursEntry,
        (HoursEntry.day >= start)
        & (HoursEntry.day <= end)
        & HoursEntry.changed_by_office.in_(["", office]),
    )
    rows = {"cadre": rows_by_ids(Cadre, {e.cadre_id for e in lines}), "hours_entry": lines}
    title = f"学时记录（{start.isoformat()}至{end.isoformat()}）"
    return write_scope(
        Path(path), f"hours:{period_text(start, end)}", title, HOURS_SPECS, rows, password
    )


def check_hours(package: Package, value: str) -> None:
    """Refuse an hours package whose lines go beyond its period."""
    m = package.manifest
    try:
        start, end = parse_period(value)
    except DomainError as e:
        raise refusal(m, str(e)) from None
    cadres = {r["gid"] for r in package.tables.get("cadre", [])}
    for r in package.tables.get("hours_entry", []):
        f = r["f"]
        try:
            day = dt.date.fromisoformat(str(f.get("day")))
        except ValueError:
            raise refusal(m, f"学时记录的日期“{f.get('day')}”不对") from None
        if not start <= day <= end:
            raise refusal(m, f"含有期间以外（{day}）的学时记录")
        if f.get("kind") not in hr.ENTRY_KINDS:
            raise refusal(m, f"学时记录的类别“{f.get('kind')}”不对")
        if r["r"]["cadre"] not in cadres:
            raise refusal(m, "学时记录所指的干部不在包中")


def check_owner(package: Package, planned: list[Planned]) -> None:
    """Refuse lines this office registered itself, or received from another office, that
    the package would send as the sender's: an office sends only its own lines."""
    m = package.manifest
    matched = {
        p.local_id: p for p in planned if p.spec.table == "hours_entry" and p.local_id is not None
    }
    for part in chunks(list(matched)):
        q = HoursEntry.select(HoursEntry.id, HoursEntry.gid, HoursEntry.changed_by_office)
        for local_id, gid, owner in q.where(HoursEntry.id.in_(part)).tuples():
            p = matched[local_id]
            if gid != p.record["gid"] or owner == m.office or p.kind == REMOVED:
                continue  # linked by an earlier choice, or the sender's own
            whose = f"“{owner}”发来" if owner else "本单位自己登记"
            what = p.title or describe("hours_entry", p.record["f"], p.record)
            raise DomainError(
                f"交换包（{m.title}）含有{whose}的学时记录（{what}）：一个单位只能发送"
                f"自己登记的学时，已拒绝接收"
            )


def _comparable(spec: TableSpec, fields: dict[str, Any], left: frozenset[str]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if k not in spec.loose and k not in left}


def match_alike(planned: list[Planned], defaulted: frozenset[str]) -> list[Planned]:
    """Each new 学时 line that looks like a line here not otherwise matched: 相同 when all
    but when it was written agree (the package's gid then names that line), else 冲突."""
    new = [p for p in planned if p.spec.table == "hours_entry" and p.kind == NEW]
    fresh = {id(p) for p in new}
    if not new:
        return planned
    taken = {p.local_id for p in planned if p.spec.table == "hours_entry"}
    people = {p.refs["cadre"] for p in new if isinstance(p.refs.get("cadre"), int)}
    here: dict[tuple[Any, ...], list[Any]] = {}
    for part in chunks(sorted(people)):  # type: ignore[type-var]
        for row in HoursEntry.select().where(HoursEntry.cadre.in_(part)).order_by(HoursEntry.id):
            if row.id not in taken:
                key = (row.cadre_id, row.day.isoformat(), row.kind, row.title)
                here.setdefault(key, []).append(row)
    out: list[Planned] = []
    for p in planned:
        if id(p) not in fresh:
            out.append(p)
            continue
        f = p.record["f"]
        rows = here.get((p.refs.get("cadre"), f.get("day"), f.get("kind"), f.get("title")))
        if not rows:
            out.append(p)
            continue
        row = rows.pop(0)
        every = local_fields(p.spec, row)
        fields = {k: v for k, v in every.items() if k in f}
        refs = local_refs(p.spec, row)
        now = content_hash(every, refs)
        same = _comparable(p.spec, fields, defaulted) == _comparable(p.spec, f, defaulted) and (
            refs == p.refs
        )
        kind, why = (SAME, "") if same else (CONFLICT, LIKE_ONE_HERE)
        out.append(dataclasses.replace(p, kind=kind, local_id=row.id, local_hash=now, reason=why))
    return out


def removed(package: Package, value: str, planned: list[Planned]) -> list[Planned]:
    """Lines of the period received before from the sender that its package no longer
    holds, unchanged here since: taken out too."""
    start, end = parse_period(value)
    spec = HOURS_SPECS[-1]
    sent = {r["gid"] for r in package.tables.get("hours_entry", [])}
    bases = {
        b.local_id: b
        for b in ExchangeRecord.select().where(
            (ExchangeRecord.entity == "hours_entry")
            & (ExchangeRecord.office == package.manifest.office)
        )
        if b.gid not in sent
    }
    used = {p.local_id for p in planned if p.spec.table == "hours_entry"}
    out: list[Planned] = []
    for row in rows_by_ids(HoursEntry, set(bases) - used):
        base = bases[row.id]
        if not start <= row.day <= end:
            continue
        fields = local_fields(spec, row)
        now = content_hash(fields, local_refs(spec, row))
        if now != base.local_hash:
            continue  # changed here since: kept
        name = Cadre.select(Cadre.name).where(Cadre.id == row.cadre_id).scalar() or ""
        title = f"{name} {describe('hours_entry', fields, {})}"
        out.append(Planned(spec, {"gid": base.gid}, REMOVED, row.id, {}, "", now, base, title))
    return out


__all__ = [
    "EXAMPLE",
    "check_hours",
    "check_owner",
    "export_hours",
    "match_alike",
    "parse_period",
    "period_text",
    "removed",
]
