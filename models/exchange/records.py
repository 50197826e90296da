"""How each table travels in a package: which fields, which references (by gid), how a
local row is written as a record and a record read back into column values, and the hash
that tells whether two records say the same.

A record is ``{"gid": …, "f": {field: value}, "r": {reference: gid or None}}``, plus for
cadres and units the keys a receiver matches them by when the gid is new to it
(``"unit_path"``: 白银市/靖远县/乌兰镇). Values are JSON: dates and times in ISO form,
学时 as decimal text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import (
    BooleanField,
    DateField,
    DateTimeField,
    DecimalField,
    Field,
    FloatField,
    ForeignKeyField,
    IntegerField,
)

from models.core.db import BaseModel, db
from models.exchange.package import canonical, sha256
from models.roster.tables import Cadre, Unit
from models.training.tables import (
    Attendance,
    ClassSession,
    Enrolment,
    HoursEntry,
    TrainingClass,
)


@dataclass(frozen=True)
class TableSpec:
    """One table as packages carry it: ``fields`` are plain columns, ``refs`` the foreign
    keys to other tables of the package (field → table)."""

    table: str
    label: str
    model: type[BaseModel]
    fields: tuple[str, ...]
    refs: dict[str, str]


CADRE_KEYS = ("name", "sex", "birth_date", "id_card")
"""What a class package says of a trainee: enough to match, nothing to change."""

_NOT_SENT = {"id", "version", "gid", "changed_at", "changed_by_office"}
# derived from the name (recomputed on arrival), or kept by each office for itself
_CADRE_LOCAL = frozenset(
    {"name_pinyin", "name_initials", "name_sort", "created_at", "updated_at", "photo"}
)


def _plain(model: type[BaseModel], leave: frozenset[str] = frozenset()) -> tuple[str, ...]:
    return tuple(
        f.name
        for f in model._meta.sorted_fields
        if not isinstance(f, ForeignKeyField) and f.name not in _NOT_SENT | leave
    )


CLASS_SPECS: tuple[TableSpec, ...] = (
    TableSpec("cadre", "干部", Cadre, CADRE_KEYS, {}),
    TableSpec("training_class", "培训班", TrainingClass, _plain(TrainingClass), {}),
    TableSpec(
        "class_session",
        "课表",
        ClassSession,
        _plain(ClassSession),
        {"training_class": "training_class"},
    ),
    TableSpec(
        "enrolment",
        "学员",
        Enrolment,
        _plain(Enrolment),
        {"training_class": "training_class", "cadre": "cadre"},
    ),
    TableSpec(
        "attendance",
        "考勤",
        Attendance,
        _plain(Attendance),
        {"session": "class_session", "cadre": "cadre"},
    ),
    TableSpec(
        "hours_entry",
        "学时",
        HoursEntry,
        _plain(HoursEntry),
        {"cadre": "cadre", "source_class": "training_class"},
    ),
)
"""A class package, in the order records are applied (what is referred to first)."""

UNIT_SPECS: tuple[TableSpec, ...] = (
    TableSpec("unit", "单位", Unit, _plain(Unit), {"parent": "unit"}),
    TableSpec("cadre", "干部", Cadre, _plain(Cadre, _CADRE_LOCAL), {"unit": "unit"}),
)
"""A unit package: the unit, its sub-units and their cadres."""

SPECS_BY_KIND = {"class": CLASS_SPECS, "unit": UNIT_SPECS}
LABELS = {s.table: s.label for specs in SPECS_BY_KIND.values() for s in specs}


def database_schema() -> int:
    """The open database's schema version (models.schema brought it to the program's)."""
    row = db.execute_sql("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def encode(value: object) -> object:
    """A column value as JSON."""
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))
    if isinstance(value, float):  # shares such as 1/3: PostgreSQL keeps them in 4 bytes
        return float(f"{value:.6g}")
    return value


def decode(field: Field, value: object) -> object:
    """A JSON value back into what the column holds."""
    if value is None:
        return None
    if isinstance(field, DateTimeField):
        return dt.datetime.fromisoformat(str(value))
    if isinstance(field, DateField):
        return dt.date.fromisoformat(str(value))
    if isinstance(field, DecimalField):
        return Decimal(str(value))
    if isinstance(field, BooleanField):
        return bool(value)
    if isinstance(field, FloatField):
        return float(value)  # type: ignore[arg-type]
    if isinstance(field, IntegerField):
        return int(value)  # type: ignore[call-overload]
    return value


def local_fields(spec: TableSpec, row: BaseModel) -> dict[str, object]:
    """The row's plain fields as a record holds them."""
    return {name: encode(getattr(row, name)) for name in spec.fields}


def local_refs(spec: TableSpec, row: BaseModel) -> dict[str, int | None]:
    """The row's references as local ids."""
    return {name: getattr(row, f"{name}_id") for name in spec.refs}


def content_hash(fields: dict[str, object], refs: dict[str, Any]) -> str:
    """The hash of what a record says (its fields and its references, gids as sent or local
    ids as here): equal hashes, same record."""
    return sha256(canonical({"f": fields, "r": refs}))


def column_values(spec: TableSpec, fields: dict[str, object]) -> dict[str, object]:
    """A record's fields as column values of ``spec.model``."""
    meta = spec.model._meta.fields
    return {name: decode(meta[name], value) for name, value in fields.items()}


def unit_path(unit_id: int | None) -> str:
    """白银市/靖远县/乌兰镇: the unit's names from the top."""
    names: list[str] = []
    seen: set[int] = set()
    while unit_id is not None and unit_id not in seen:
        seen.add(unit_id)
        row = Unit.get_or_none(Unit.id == unit_id)
        if row is None:
            break
        names.append(row.name)
        unit_id = row.parent_id
    return "/".join(reversed(names))


def unit_by_path(path: str) -> int | None:
    """The local unit at ``path`` (names from the top), or None."""
    parent: int | None = None
    for name in [n for n in path.split("/") if n]:
        where = Unit.parent.is_null() if parent is None else Unit.parent == parent
        row = Unit.get_or_none(where & (Unit.name == name))
        if row is None:
            return None
        parent = row.id
    return parent


def describe(table: str, fields: dict[str, object], extra: dict[str, Any]) -> str:
    """How a record is named to the user."""
    if table == "cadre":
        card = fields.get("id_card")
        return f"{fields.get('name')}（{'身份证号 ' + str(card) if card else '无身份证号'}）"
    if table == "unit":
        return str(extra.get("unit_path") or fields.get("name"))
    if table == "training_class":
        return f"班次《{fields.get('name')}》"
    if table == "class_session":
        return f"{fields.get('day')} {fields.get('slot')} {fields.get('title')}"
    if table == "hours_entry":
        return f"{fields.get('day')} {fields.get('title')} {fields.get('hours')} 学时"
    return table


FIELD_LABELS = {
    "name": "姓名/名称",
    "sex": "性别",
    "birth_date": "出生日期",
    "id_card": "身份证号",
    "post_title": "职务",
    "phone": "电话",
    "rank": "职级",
    "leadership_level": "领导职务层次",
    "status": "状态",
    "notes": "备注",
    "unit": "单位",
    "parent": "上级单位",
    "hours": "学时",
    "title": "标题",
    "day": "日期",
}

__all__ = [
    "CADRE_KEYS",
    "CLASS_SPECS",
    "FIELD_LABELS",
    "LABELS",
    "SPECS_BY_KIND",
    "UNIT_SPECS",
    "TableSpec",
    "column_values",
    "content_hash",
    "database_schema",
    "decode",
    "describe",
    "encode",
    "local_fields",
    "local_refs",
    "unit_by_path",
    "unit_path",
]
