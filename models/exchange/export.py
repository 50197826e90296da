"""Sending: a finished class's results (``class:<gid>``), or a unit's roster
(``unit:<gid>``: the unit, its sub-units and their cadres), written as a package."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models.accounts import Permission, require
from models.core.dates import now_seconds
from models.core.db import BaseModel, chunks, db, write_transaction
from models.core.errors import DomainError, NotFoundError
from models.exchange.office import SENT, log_exchange, require_office
from models.exchange.package import SUFFIX, Manifest, write_package
from models.exchange.records import (
    CLASS_SPECS,
    MODELS,
    UNIT_SPECS,
    TableSpec,
    database_schema,
    local_fields,
    natural_gid,
    paths_by_unit,
    unit_by_path,
    unit_path,
)
from models.exchange.tables import GID_TABLES
from models.roster.tables import Cadre, Unit, new_gid
from models.training import hours as hr
from models.training.tables import Attendance, ClassSession, Enrolment, HoursEntry, TrainingClass

CLOSED = "已结业"


@dataclass(frozen=True)
class ExportResult:
    path: Path
    manifest: Manifest


def ensure_gids() -> int:
    """Give a global id to rows written without one (by plain SQL); how many got one."""
    missing = 0
    for table in GID_TABLES:
        ids = [r[0] for r in db.execute_sql(f"SELECT id FROM {table} WHERE gid IS NULL")]
        for i in ids:
            db.execute_sql(
                f"UPDATE {table} SET gid = {db.param} WHERE id = {db.param}", (new_gid(), i)
            )
        missing += len(ids)
    return missing


def _record(spec: TableSpec, row: Any, gids: dict[str, dict[int, str]]) -> dict[str, Any]:
    refs = {}
    for name, table in spec.refs.items():
        local = getattr(row, f"{name}_id")
        refs[name] = None if local is None else gids[table].get(local)
    fields = local_fields(spec, row)
    gid = natural_gid(spec, fields, refs) if spec.natural else row.gid
    return {"gid": gid, "f": fields, "r": refs}


def rows_where(model: type[BaseModel], where: Any) -> list[Any]:
    return list(model.select().where(where).order_by(model.id))


def rows_by_ids(model: type[BaseModel], ids: set[int]) -> list[Any]:
    out: list[Any] = []
    for part in chunks(sorted(ids)):
        out.extend(model.select().where(model.id.in_(part)))
    return sorted(out, key=lambda r: r.id)


def _outside_gids(
    specs: tuple[TableSpec, ...], rows: dict[str, list[Any]]
) -> dict[str, dict[int, str]]:
    """The gids of records referred to (``optional`` refs) that the package does not carry."""
    carried = {s.table for s in specs}
    wanted: dict[str, set[int]] = {}
    for spec in specs:
        for name in spec.optional:
            table = spec.refs[name]
            if table not in carried:
                ids = {getattr(r, f"{name}_id") for r in rows[spec.table]} - {None}
                wanted.setdefault(table, set()).update(ids)
    return {
        table: {r.id: r.gid for r in rows_by_ids(MODELS[table], ids)}
        for table, ids in wanted.items()
    }


def write_scope(
    path: Path,
    scope: str,
    title: str,
    specs: tuple[TableSpec, ...],
    rows: dict[str, list[Any]],
    password: str | None,
) -> ExportResult:
    """Write ``rows`` (table → rows, in the order of ``specs``) as the package ``scope`` and
    note it in the list of packages sent."""
    office = require_office()
    if path.suffix.lower() != SUFFIX:
        raise DomainError(f"交换包文件名应以 {SUFFIX} 结尾：{path.name}")
    if not path.parent.is_dir():
        raise DomainError(f"文件夹 {path.parent} 不存在")
    gids = _outside_gids(specs, rows)
    for spec in specs:  # a unit refers to its parent, which may come later in the list
        if spec.has_gid:
            gids[spec.table] = {r.id: r.gid for r in rows[spec.table]}
    paths = paths_by_unit()
    tables: dict[str, list[dict[str, Any]]] = {}
    for spec in specs:
        tables[spec.table] = []
        mine = gids.setdefault(spec.table, {})
        for row in rows[spec.table]:
            rec = _record(spec, row, gids)
            mine[row.id] = rec["gid"]
            if spec.table == "cadre" and spec.key_only:
                rec["unit_path"] = paths.get(row.unit_id, "")  # shown when no match is found
            if spec.table == "unit":
                rec["unit_path"] = paths.get(row.id, "")
            tables[spec.table].append(rec)
    head = {
        "schema": database_schema(),
        "office": office,
        "created": now_seconds().isoformat(),
        "scope": scope,
        "title": title,
    }
    manifest = write_package(path, head, tables, password=password)
    with write_transaction():
        log_exchange(
            SENT, office, scope, title, path.name, manifest.content_sha256, _sent(manifest)
        )
    return ExportResult(path, manifest)


def _sent(m: Manifest) -> str:
    return "，".join(f"{table} {n} 条" for table, n in m.rows.items())


def export_class(class_id: int, path: str | Path, *, password: str | None = None) -> ExportResult:
    """A finished class's results: the class, its timetable, trainees, attendance and the
    学时 ledger lines its 结业 wrote, with each trainee's keys (姓名, 性别, 出生日期, 身份证号)
    so the receiver can match them, and nothing else of the roster."""
    require(Permission.ATTENDANCE)
    c = TrainingClass.get_or_none(TrainingClass.id == class_id)
    if c is None:
        raise NotFoundError(f"没有编号为 {class_id} 的培训班")
    if c.status != CLOSED:
        raise DomainError(f"班次《{c.name}》尚未结业（现为“{c.status}”），只能发送已结业班次的结果")
    with write_transaction():
        ensure_gids()
    c = TrainingClass.get_by_id(class_id)
    sessions = rows_where(ClassSession, ClassSession.training_class == class_id)
    enrolments = rows_where(Enrolment, Enrolment.training_class == class_id)
    marks = rows_where(Attendance, Attendance.session.in_([s.id for s in sessions] or [0]))
    lines = rows_where(
        HoursEntry,
        (HoursEntry.source_class == class_id) & (HoursEntry.kind == hr.CLASS_TRAINING),
    )
    people = {r.cadre_id for r in (*enrolments, *marks, *lines)}
    rows = {
        "cadre": rows_by_ids(Cadre, people),
        "training_class": [c],
        "class_session": sessions,
        "enrolment": enrolments,
        "attendance": marks,
        "hours_entry": lines,
    }
    return write_scope(
        Path(path), f"class:{c.gid}", f"班次《{c.name}》", CLASS_SPECS, rows, password
    )


def find_unit(name: str) -> int:
    """The unit named ``name`` (or at the path 白银市/靖远县); refused when none or several."""
    if "/" in name:
        found = unit_by_path(name)
        if found is None:
            raise NotFoundError(f"没有单位“{name}”")
        return found
    rows = list(Unit.select().where(Unit.name == name))
    if not rows:
        raise NotFoundError(f"没有单位“{name}”")
    if len(rows) > 1:
        paths = "、".join(unit_path(r.id) for r in rows)
        raise DomainError(
            f"名为“{name}”的单位不止一个（{paths}），请写出完整路径，如 {paths.split('、')[0]}"
        )
    return rows[0].id


def export_unit(unit_id: int, path: str | Path, *, password: str | None = None) -> ExportResult:
    """A unit's roster: the unit, its sub-units and the cadres in them."""
    require(Permission.ROSTER)
    root = Unit.get_or_none(Unit.id == unit_id)
    if root is None:
        raise NotFoundError(f"没有编号为 {unit_id} 的单位")
    with write_transaction():
        ensure_gids()
    order = [unit_id]
    children: dict[int | None, list[int]] = {}
    for uid, parent in (
        Unit.select(Unit.id, Unit.parent).order_by(Unit.sort_order, Unit.id).tuples()
    ):
        children.setdefault(parent, []).append(uid)
    for uid in order:
        order.extend(children.get(uid, []))
    units = {u.id: u for u in rows_by_ids(Unit, set(order))}
    cadres: list[Any] = []
    for part in chunks(order):
        cadres.extend(Cadre.select().where(Cadre.unit.in_(part)))
    cadres.sort(key=lambda r: r.id)
    rows = {"unit": [units[u] for u in order], "cadre": cadres}
    root = units[unit_id]
    return write_scope(
        Path(path), f"unit:{root.gid}", f"单位《{root.name}》", UNIT_SPECS, rows, password
    )


__all__ = [
    "ExportResult",
    "ensure_gids",
    "export_class",
    "export_unit",
    "find_unit",
    "rows_by_ids",
    "rows_where",
    "write_scope",
]
