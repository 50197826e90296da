"""Receiving a package, second step: do what :func:`models.exchange.plan.preview` said, in
one transaction, all or nothing. Conflicts go the way the user chose, record by record
(``choices``), else ``prefer`` (mine: keep this office's; theirs: take the package's; both:
for two 学时 lines, keep this office's and add the package's as a line of its own — other
conflicts are then kept as this office's). Every change is in the change log under the
user, with the reason 接收交换包 <file>. Receiving the same package again changes nothing:
each record is found by its gid (or its natural key) and is 相同.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import Field

from models.accounts import Permission, require
from models.core.audit import ChangeLog, change_rows, current_user
from models.core.dates import now_seconds
from models.core.db import BaseModel, bulk_insert, db, is_server, write_transaction
from models.core.errors import DomainError
from models.exchange.items import (
    BOTH_TABLES,
    CONFLICT,
    MINE,
    NEW,
    REMOVED,
    SAME,
    THEIRS,
    UNMATCHED,
    Planned,
    Preview,
)
from models.exchange.office import RECEIVED, log_exchange
from models.exchange.plan import plan, scope_of
from models.exchange.records import (
    LABELS,
    column_values,
    content_hash,
    encode,
    local_fields,
    local_refs,
)
from models.exchange.tables import ExchangeRecord
from models.roster.pinyin import name_keys
from models.roster.tables import new_gid

PREFER = ("mine", "theirs", "both")
PERMISSIONS = {
    "class": Permission.ATTENDANCE,
    "hours": Permission.ATTENDANCE,
    "unit": Permission.ROSTER,
    "round": Permission.GRADING,
}


@dataclass(frozen=True)
class ApplyResult:
    added: int
    updated: int
    removed: int
    kept: int  # changed here, or a conflict decided for this office
    unchanged: int
    unmatched: tuple[str, ...]  # 张三（身份证号 …）：本单位名册中没有此人
    summary: str
    both: int = 0  # 学时 conflicts settled by keeping both lines


def _summary(counts: dict[str, int]) -> str:
    parts = [f"{label} {counts[label]} 条" for label in counts if counts[label]]
    return "，".join(parts) or "无记录"


class _Inserts:
    """One prepared INSERT per table and set of columns, run row by row for the new id:
    building each statement through peewee cost more than running it (a round of 5,000
    people is some 70,000 rows). Columns not given take the model's defaults, as peewee's
    own insert gives them."""

    def __init__(self) -> None:
        self.made: dict[tuple[type[BaseModel], tuple[str, ...]], tuple[str, list[Field]]] = {}
        self.returning = is_server()

    def __call__(self, model: type[BaseModel], values: dict[str, Any]) -> int:
        key = (model, tuple(values))
        if key not in self.made:
            fields = [
                f
                for f in model._meta.sorted_fields
                if f.name in values or (f.default is not None and not f.primary_key)
            ]
            columns = ", ".join(f'"{f.column_name}"' for f in fields)
            marks = ", ".join([db.param] * len(fields))
            sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'
            self.made[key] = (sql + (' RETURNING "id"' if self.returning else ""), fields)
        sql, fields = self.made[key]
        params = [_bindable(f, values[f.name] if f.name in values else _default(f)) for f in fields]
        cursor = db.execute_sql(sql, params)
        return int(cursor.fetchone()[0] if self.returning else cursor.lastrowid)


def _default(field: Field) -> object:
    return field.default() if callable(field.default) else field.default


def _bindable(field: Field, value: object) -> object:
    value = field.db_value(value)
    return str(value) if isinstance(value, Decimal) else value


class _Receiver:
    """One package being applied: new ids as they are made, the change-log rows."""

    def __init__(self, preview: Preview, user: str) -> None:
        m = preview.manifest
        self.office = m.office
        self.user = user
        self.reason = f"接收交换包 {preview.file.name}（{m.office}，{m.title}）"
        self.now = now_seconds()
        self.created: dict[str, dict[str, int]] = {}
        self.log: list[dict[str, object]] = []
        self.first: list[dict[str, object]] = []
        self.defaulted = preview.package.defaulted
        self.insert = _Inserts()
        self.added: dict[tuple[str, int], int] = {}  # (table, round) → results added

    def sent(self, p: Planned) -> list[str]:
        """The fields the record says: an older program's left out (kept here)."""
        left = self.defaulted.get(p.spec.table, frozenset())
        return [k for k in p.record["f"] if k not in left]

    def ref(self, p: Planned, name: str) -> int | None:
        value = p.refs[name]
        if isinstance(value, str):  # made earlier in this package
            return self.created[p.spec.refs[name]][value.removeprefix("new:")]
        return value

    def values(self, p: Planned, fields: list[str] | None = None) -> dict[str, Any]:
        """The row's new column values: ``fields`` of the record (all of them by default)."""
        f = p.record["f"]
        values = column_values(p.spec, {k: f[k] for k in (f if fields is None else fields)})
        for name in p.spec.refs:
            values[p.spec.ref_column(name)] = self.ref(p, name)
        if p.spec.has_gid:
            values["changed_at"] = self.now
            values["changed_by_office"] = self.office
        if p.spec.table == "cadre":
            values["name_pinyin"], values["name_initials"], values["name_sort"] = name_keys(
                p.record["f"]["name"]
            )
        return values

    def here(
        self, p: Planned, local_id: int
    ) -> tuple[dict[str, object], dict[str, Any], dict[str, object]]:
        """The local row's fields the record says, its refs, and all its fields."""
        row = p.spec.model.get_by_id(local_id)
        every = local_fields(p.spec, row)
        sent = self.sent(p)
        return {k: v for k, v in every.items() if k in sent}, local_refs(p.spec, row), every

    def written(
        self, p: Planned, values: dict[str, Any], keys: list[str]
    ) -> tuple[dict[str, object], dict[str, Any]]:
        """The row's ``keys`` and refs as just written, as :func:`local_fields` would read them
        back (values go through the database unchanged: dates, 学时 to two places, texts),
        without reading it back."""
        fields = {k: encode(values[k]) for k in keys}
        refs = {k: values[p.spec.ref_column(k)] for k in p.spec.refs}
        return fields, refs

    def remember(self, p: Planned, local_id: int, their: str, local: str) -> None:
        if p.base is None:  # first time this gid comes: one bulk insert at the end
            self.first.append(
                {
                    "entity": p.spec.table,
                    "gid": p.record["gid"],
                    "local_id": local_id,
                    "their_hash": their,
                    "local_hash": local,
                    "office": self.office,
                    "received_at": self.now,
                }
            )
            return
        ExchangeRecord.insert(
            entity=p.spec.table,
            gid=p.record["gid"],
            local_id=local_id,
            their_hash=their,
            local_hash=local,
            office=self.office,
            received_at=self.now,
        ).on_conflict(
            conflict_target=[ExchangeRecord.entity, ExchangeRecord.gid],
            update={
                ExchangeRecord.local_id: local_id,
                ExchangeRecord.their_hash: their,
                ExchangeRecord.local_hash: local,
                ExchangeRecord.office: self.office,
                ExchangeRecord.received_at: self.now,
            },
        ).execute()

    def changes(self, p: Planned, local_id: int, action: str, old: dict, new: dict) -> None:  # type: ignore[type-arg]
        self.log.extend(
            change_rows(
                p.spec.table, local_id, action, old, new, user=self.user, reason=self.reason
            )
        )

    def add(self, p: Planned) -> None:
        model = p.spec.model
        values = self.values(p)
        if p.spec.has_gid:
            values["gid"] = p.record["gid"]
        new_id = self.insert(model, values)
        self.created.setdefault(p.spec.table, {})[p.record["gid"]] = new_id
        fields, refs = self.written(p, values, list(p.record["f"]))
        if p.spec.natural and "round" in p.spec.refs:
            # a round's new results are logged by count, as grading logs a first grading:
            # field by field they would be a dozen rows each, millions for a city's round
            key = (p.spec.table, refs["round"])
            self.added[key] = self.added.get(key, 0) + 1
        else:
            self.changes(p, new_id, "新增", {}, {**fields, **refs})
        self.remember(p, new_id, p.their_hash, content_hash(fields, refs))

    def counted(self) -> None:
        """The change-log rows of the results added by count (one per table and round)."""
        for (table, round_id), n in self.added.items():
            label = LABELS.get(table, table)
            self.log.extend(
                change_rows(
                    table,
                    round_id,
                    "新增",
                    {},
                    {"接收记录": f"新增{label} {n} 条（来自{self.office}）"},
                    user=self.user,
                    reason=self.reason,
                )
            )

    def take(self, p: Planned) -> None:
        assert p.local_id is not None
        model = p.spec.model
        old_f, old_r, every = self.here(p, p.local_id)
        sent = self.sent(p)
        values = self.values(p, sent)
        if "version" in model._meta.fields:
            values["version"] = model.version + 1
        if p.spec.table == "cadre":
            values["updated_at"] = self.now
        model.update(**values).where(model.id == p.local_id).execute()
        fields, refs = self.written(p, values, sent)
        old = {k: v for k, v in {**old_f, **old_r}.items() if {**fields, **refs}.get(k) != v}
        new = {k: {**fields, **refs}[k] for k in old}
        self.changes(p, p.local_id, "修改", old, new)
        # the fields an older program did not send stay as they were here
        self.remember(p, p.local_id, p.their_hash, content_hash({**every, **fields}, refs))

    def drop(self, p: Planned) -> None:
        assert p.local_id is not None
        model = p.spec.model
        row = model.get_by_id(p.local_id)
        old = {**local_fields(p.spec, row), **local_refs(p.spec, row)}
        model.delete().where(model.id == p.local_id).execute()
        self.changes(p, p.local_id, "删除", old, {})
        ExchangeRecord.delete().where(
            (ExchangeRecord.entity == p.spec.table) & (ExchangeRecord.gid == p.record["gid"])
        ).execute()

    def both(self, p: Planned) -> None:
        """Keep this office's line and add the package's as a line of its own. When they
        shared the gid, this office's line takes a new one (it is this office's own now)."""
        assert p.local_id is not None
        model = p.spec.model
        row = model.get_by_id(p.local_id)
        if row.gid == p.record["gid"]:
            gid, office = new_gid(), row.changed_by_office
            model.update(gid=gid, changed_by_office="").where(model.id == row.id).execute()
            self.changes(
                p,
                row.id,
                "修改",
                {"gid": row.gid, "changed_by_office": office},
                {"gid": gid, "changed_by_office": ""},
            )
        self.add(p)


def apply(
    preview: Preview,
    choices: Mapping[tuple[str, str], str] | None = None,
    prefer: str = "mine",
    *,
    user: str | None = None,
) -> ApplyResult:
    """Receive the package of ``preview`` in one transaction. ``choices``: (table, gid) →
    "mine" / "theirs" for conflicts decided one by one; the others go by ``prefer``. What
    the package holds is weighed again inside the transaction (the preview may be old)."""
    kind, _ = scope_of(preview.manifest)
    require(PERMISSIONS[kind])
    choices = dict(choices or {})
    if prefer not in PREFER or any(v not in PREFER for v in choices.values()):
        raise DomainError(
            "冲突的处理方式只能是 mine（保留本单位的）、theirs（采用交换包的）"
            "或 both（学时记录两条都保留）"
        )
    if any(v == "both" and t not in BOTH_TABLES for (t, _), v in choices.items()):
        raise DomainError(
            "只有学时记录的冲突可以“两条都保留”，其他记录请选择保留本单位的或采用交换包的"
        )
    r = _Receiver(preview, user or current_user())
    counts = {
        "新增": 0,
        "修改": 0,
        "删除": 0,
        "保留本地": 0,
        "两条都保留": 0,
        "相同": 0,
        "无法匹配": 0,
    }
    unmatched: list[str] = []
    with write_transaction():
        for p in plan(preview.package):
            key_only = p.spec.key_only
            if p.kind == CONFLICT:
                pick = choices.get((p.spec.table, p.record["gid"]), prefer)
                if pick == "both" and p.spec.table not in BOTH_TABLES:
                    pick = "mine"
                if pick == "theirs":
                    r.take(p)
                    counts["修改"] += 1
                elif pick == "both":
                    r.both(p)
                    counts["两条都保留"] += 1
                else:  # seen and refused: their next change is a conflict again
                    assert p.local_id is not None
                    r.remember(p, p.local_id, p.their_hash, p.base.local_hash if p.base else "")
                    counts["保留本地"] += 1
            elif p.kind == NEW:
                r.add(p)
                counts["新增"] += 1
            elif p.kind == THEIRS:
                r.take(p)
                counts["修改"] += 1
            elif p.kind == REMOVED:
                r.drop(p)
                counts["删除"] += 1
            elif p.kind == MINE:
                counts["保留本地"] += 1
            elif p.kind == SAME:
                kept = p.base is not None and (p.base.local_id, p.base.their_hash) == (
                    p.local_id,
                    p.their_hash,
                )
                if (
                    not key_only
                    and p.local_id is not None
                    and not (kept and p.base.local_hash == p.local_hash)
                ):
                    r.remember(p, p.local_id, p.their_hash, p.local_hash)
                counts["相同"] += 1
            elif p.kind == UNMATCHED:
                unmatched.append(f"{p.spec.label} {p.title}：{p.reason}")
                counts["无法匹配"] += 1
        r.counted()
        bulk_insert(ChangeLog, r.log)
        bulk_insert(ExchangeRecord, r.first)
        summary = _summary(counts)
        m = preview.manifest
        log_exchange(
            RECEIVED, m.office, m.scope, m.title, preview.file.name, m.content_sha256, summary
        )
    return ApplyResult(
        counts["新增"],
        counts["修改"],
        counts["删除"],
        counts["保留本地"],
        counts["相同"],
        tuple(unmatched),
        summary,
        counts["两条都保留"],
    )


__all__ = ["PREFER", "ApplyResult", "apply"]
