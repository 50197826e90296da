"""How each table travels in a package: which fields, which references (by gid), how a
local row is written as a record and a record read back into column values, and the hash
that tells whether two records say the same.

A record is ``{"gid": …, "f": {field: value}, "r": {reference: gid or None}}``, plus for
cadres and units the keys a receiver matches them by when the gid is new to it
(``"unit_path"``: 白银市/靖远县/乌兰镇). Values are JSON: dates and times in ISO form,
学时 as decimal text.

The tables of a round's scores and grades have no gid column: each of their records is one
person's item, vote, grade… in one year's round, so it is found by that (its ``natural``
key: the round, the cadre, the item code…), and its gid in a package is made from the same
(a name-based UUID), equal every time it is sent.
"""

from __future__ import annotations

import datetime as dt
import uuid
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

from models.assessment.tables import (
    AssessmentRound,
    GradeResult,
    GroupAverage,
    ItemScore,
    RoundMember,
    ScoreAdjustment,
    VetoFailure,
    VoteCount,
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
    keys to other tables of the package (field → table; a field ``x`` not a foreign key is
    the column ``x_id``).

    ``key_only``: the scope only names such records (a class's trainees): matched here,
    never changed; one not found here is added when ``may_add``, else 无法匹配.
    ``natural``: the table has no gid; a record is found here by these fields and refs.
    ``loose``: fields not compared between offices (when each wrote its row).
    ``optional``: refs to records the package need not carry (the class of a 学时 line):
    found here by gid, else None."""

    table: str
    label: str
    model: type[BaseModel]
    fields: tuple[str, ...]
    refs: dict[str, str]
    key_only: bool = False
    may_add: bool = True
    natural: tuple[str, ...] = ()
    loose: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()

    @property
    def has_gid(self) -> bool:
        """Whether the table keeps a gid and the last change by a package (schema v14)."""
        return "gid" in self.model._meta.fields

    def ref_column(self, name: str) -> str:
        """The column a ref is written to (``cadre``; ``unit_id`` for a plain id)."""
        return (
            name if isinstance(self.model._meta.fields.get(name), ForeignKeyField) else f"{name}_id"
        )


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
    TableSpec("cadre", "干部", Cadre, CADRE_KEYS, {}, key_only=True, may_add=False),
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
        loose=("created_at",),
    ),
)
"""A class package, in the order records are applied (what is referred to first)."""

UNIT_SPECS: tuple[TableSpec, ...] = (
    TableSpec("unit", "单位", Unit, _plain(Unit), {"parent": "unit"}),
    TableSpec("cadre", "干部", Cadre, _plain(Cadre, _CADRE_LOCAL), {"unit": "unit"}),
)
"""A unit package: the unit, its sub-units and their cadres."""

_ROUND = {"round": "assessment_round", "cadre": "cadre"}
# the round's workflow is each office's own: one made here from a package starts at 录入
_ROUND_LOCAL = frozenset({"status", "locked_at", "locked_by"})
ROUND_SPECS: tuple[TableSpec, ...] = (
    TableSpec("unit", "单位", Unit, ("name",), {}, key_only=True, may_add=False),
    TableSpec("cadre", "干部", Cadre, CADRE_KEYS, {}, key_only=True, may_add=False),
    TableSpec(
        "assessment_round",
        "考核轮次",
        AssessmentRound,
        _plain(AssessmentRound, _ROUND_LOCAL),
        {},
        key_only=True,
        natural=("year", "kind"),
    ),
    TableSpec(
        "round_member",
        "考核人员",
        RoundMember,
        _plain(RoundMember, frozenset({"unit_id"})),
        {**_ROUND, "unit": "unit"},
        natural=("round", "cadre"),
    ),
    TableSpec(
        "item_score",
        "考核得分",
        ItemScore,
        _plain(ItemScore),
        _ROUND,
        natural=("round", "cadre", "item_code"),
    ),
    TableSpec(
        "vote_count",
        "民主测评票数",
        VoteCount,
        _plain(VoteCount),
        _ROUND,
        natural=("round", "cadre", "group_code", "grade_label"),
    ),
    TableSpec(
        "group_average",
        "民主测评平均分",
        GroupAverage,
        _plain(GroupAverage),
        _ROUND,
        natural=("round", "cadre", "group_code"),
    ),
    TableSpec(
        "score_adjustment",
        "加减分",
        ScoreAdjustment,
        _plain(ScoreAdjustment),
        _ROUND,
        natural=("round", "cadre", "created_at", "reason"),
    ),
    TableSpec(
        "veto_failure",
        "一票否决",
        VetoFailure,
        _plain(VetoFailure),
        _ROUND,
        natural=("round", "cadre", "item_code"),
    ),
    TableSpec(
        "grade_result",
        "考核等次",
        GradeResult,
        _plain(GradeResult),
        _ROUND,
        natural=("round", "cadre"),
    ),
)
"""A round package: one year's annual round (its scheme, not its workflow), its members in the
units the sender keeps, their item scores, 民主测评 votes and averages, 加减分, 一票否决 and
grades; the units and people by their keys only."""

HOURS_SPECS: tuple[TableSpec, ...] = (
    TableSpec("cadre", "干部", Cadre, CADRE_KEYS, {}, key_only=True, may_add=False),
    TableSpec(
        "hours_entry",
        "学时",
        HoursEntry,
        _plain(HoursEntry),
        {"cadre": "cadre", "source_class": "training_class"},
        loose=("created_at",),
        optional=("source_class",),
    ),
)
"""An hours package: the 学时 lines of a period the sender registered, with the keys of the
people; the class a line came from is linked when the receiver has it."""

SPECS_BY_KIND = {
    "class": CLASS_SPECS,
    "unit": UNIT_SPECS,
    "round": ROUND_SPECS,
    "hours": HOURS_SPECS,
}
LABELS = {s.table: s.label for specs in SPECS_BY_KIND.values() for s in specs}
MODELS: dict[str, type[BaseModel]] = {
    s.table: s.model for specs in SPECS_BY_KIND.values() for s in specs
}
_NAMES = uuid.uuid5(uuid.NAMESPACE_URL, "cadredesk:exchange")


def natural_gid(spec: TableSpec, fields: dict[str, object], ref_gids: dict[str, Any]) -> str:
    """The gid a record of a table without one travels under: made from its natural key
    (the gids it refers to, its key fields as sent), so the same every time."""
    parts = [str(ref_gids[k]) if k in spec.refs else str(fields[k]) for k in spec.natural]
    return str(uuid.uuid5(_NAMES, "/".join([spec.table, *parts])))


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


def natural_key(spec: TableSpec, fields: dict[str, object], refs: dict[str, Any]) -> tuple:  # type: ignore[type-arg]
    """What finds a record of a table without gid here (``refs`` as local ids)."""
    return tuple(refs.get(k) if k in spec.refs else fields.get(k) for k in spec.natural)


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


def paths_by_unit() -> dict[int, str]:
    """Every local unit's path of names (白银市/靖远县/乌兰镇), read in one query."""
    rows = {
        uid: (name, parent)
        for uid, name, parent in Unit.select(Unit.id, Unit.name, Unit.parent).tuples()
    }
    out: dict[int, str] = {}
    for uid in rows:
        names, at, seen = [], uid, set()
        while at is not None and at in rows and at not in seen:
            seen.add(at)
            names.append(rows[at][0])
            at = rows[at][1]
        out[uid] = "/".join(reversed(names))
    return out


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
    return _describe_more(table, fields)


def _describe_more(table: str, f: dict[str, object]) -> str:
    if table == "assessment_round":
        return str(f.get("name") or f"{f.get('year')}年度考核")
    texts = {
        "enrolment": "学员",
        "attendance": f"考勤（{f.get('status')}）",
        "round_member": "考核人员",
        "item_score": f"{f.get('item_code')} 得分",
        "vote_count": f"民主测评 {f.get('group_code')} {f.get('grade_label')} 票数",
        "group_average": f"民主测评 {f.get('group_code')} 平均分",
        "score_adjustment": f"加减分 {f.get('points')}（{f.get('reason')}）",
        "veto_failure": f"一票否决 {f.get('item_code')}",
        "grade_result": "考核等次",
    }
    return texts.get(table, table)


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
    "kind": "类别",
    "year": "年度",
    "source_class": "来源班次",
    "score": "得分",
    "count": "票数",
    "average": "平均分",
    "points": "分值",
    "reason": "事由",
    "layer": "层次",
    "unit_name": "考核时单位",
    "on_probation": "试用期",
    "under_investigation": "立案审查",
    "leave_days": "请假天数",
    "not_participating": "不参加考核原因",
    "final_grade": "确定等次",
    "proposed_grade": "建议等次",
    "override_grade": "调整后等次",
    "override_reason": "调整理由",
    "composite": "综合得分",
    "grade_result.rank": "排名",
    "round_member.unit": "考核时单位",
}


def field_label(table: str, name: str) -> str:
    """How a field of ``table`` is named to the user."""
    return FIELD_LABELS.get(f"{table}.{name}") or FIELD_LABELS.get(name, name)


__all__ = [
    "CADRE_KEYS",
    "CLASS_SPECS",
    "FIELD_LABELS",
    "HOURS_SPECS",
    "LABELS",
    "MODELS",
    "ROUND_SPECS",
    "SPECS_BY_KIND",
    "UNIT_SPECS",
    "TableSpec",
    "column_values",
    "content_hash",
    "database_schema",
    "decode",
    "describe",
    "encode",
    "field_label",
    "local_fields",
    "local_refs",
    "natural_gid",
    "natural_key",
    "paths_by_unit",
    "unit_by_path",
    "unit_path",
]
