"""Receiving a package, second step: do what :func:`models.exchange.plan.preview` said, in
one transaction, all or nothing. Conflicts go the way the user chose, record by record
(``choices``), else ``prefer`` (mine: keep this office's; theirs: take the package's).
Every change is in the change log under the user, with the reason 接收交换包 <file>. Receiving
the same package again changes nothing: each record is found by its gid and is 相同.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from models.accounts import Permission, require
from models.core.audit import ChangeLog, change_rows, current_user
from models.core.dates import now_seconds
from models.core.db import bulk_insert, write_transaction
from models.core.errors import DomainError
from models.exchange.office import RECEIVED, log_exchange
from models.exchange.plan import (
    CONFLICT,
    MINE,
    NEW,
    REMOVED,
    SAME,
    THEIRS,
    UNMATCHED,
    Planned,
    Preview,
    plan,
    scope_of,
)
from models.exchange.records import (
    column_values,
    content_hash,
    encode,
    local_fields,
    local_refs,
)
from models.exchange.tables import ExchangeRecord
from models.roster.pinyin import name_keys

PREFER = ("mine", "theirs")


@dataclass(frozen=True)
class ApplyResult:
    added: int
    updated: int
    removed: int
    kept: int  # changed here, or a conflict decided for this office
    unchanged: int
    unmatched: tuple[str, ...]  # 张三（身份证号 …）：本单位名册中没有此人
    summary: str


def _summary(counts: dict[str, int]) -> str:
    parts = [f"{label} {counts[label]} 条" for label in counts if counts[label]]
    return "，".join(parts) or "无记录"


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

    def ref(self, p: Planned, name: str) -> int | None:
        value = p.refs[name]
        if isinstance(value, str):  # made earlier in this package
            return self.created[p.spec.refs[name]][value.removeprefix("new:")]
        return value

    def values(self, p: Planned) -> dict[str, Any]:
        values = column_values(p.spec, p.record["f"])
        for name in p.spec.refs:
            values[name] = self.ref(p, name)
        values["changed_at"] = self.now
        values["changed_by_office"] = self.office
        if p.spec.table == "cadre":
            values["name_pinyin"], values["name_initials"], values["name_sort"] = name_keys(
                p.record["f"]["name"]
            )
        return values

    def here(self, p: Planned, local_id: int) -> tuple[dict[str, object], dict[str, Any], str]:
        row = p.spec.model.get_by_id(local_id)
        fields = {k: v for k, v in local_fields(p.spec, row).items() if k in p.record["f"]}
        refs = local_refs(p.spec, row)
        return fields, refs, content_hash(fields, refs)

    def written(
        self, p: Planned, values: dict[str, Any]
    ) -> tuple[dict[str, object], dict[str, Any], str]:
        """The row as just written, as :func:`here` would read it back (values go through the
        database unchanged: dates, 学时 to two places, texts), without reading it back."""
        fields = {k: encode(values[k]) for k in p.record["f"]}
        refs = {k: values[k] for k in p.spec.refs}
        return fields, refs, content_hash(fields, refs)

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
        new_id = model.insert(gid=p.record["gid"], **values).execute()
        self.created.setdefault(p.spec.table, {})[p.record["gid"]] = new_id
        fields, refs, local = self.written(p, values)
        self.changes(p, new_id, "新增", {}, {**fields, **refs})
        self.remember(p, new_id, p.their_hash, local)

    def take(self, p: Planned) -> None:
        assert p.local_id is not None
        model = p.spec.model
        old_f, old_r, _ = self.here(p, p.local_id)
        values = self.values(p)
        if "version" in model._meta.fields:
            values["version"] = model.version + 1
        if p.spec.table == "cadre":
            values["updated_at"] = self.now
        model.update(**values).where(model.id == p.local_id).execute()
        fields, refs, local = self.written(p, values)
        old = {k: v for k, v in {**old_f, **old_r}.items() if {**fields, **refs}.get(k) != v}
        new = {k: {**fields, **refs}[k] for k in old}
        self.changes(p, p.local_id, "修改", old, new)
        self.remember(p, p.local_id, p.their_hash, local)

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
    require(Permission.ATTENDANCE if kind == "class" else Permission.ROSTER)
    choices = dict(choices or {})
    if prefer not in PREFER or any(v not in PREFER for v in choices.values()):
        raise DomainError("冲突的处理方式只能是 mine（保留本单位的）或 theirs（采用交换包的）")
    r = _Receiver(preview, user or current_user())
    counts = {"新增": 0, "修改": 0, "删除": 0, "保留本地": 0, "相同": 0, "无法匹配": 0}
    unmatched: list[str] = []
    with write_transaction():
        for p in plan(preview.package):
            key_only = kind == "class" and p.spec.table == "cadre"
            if p.kind == CONFLICT:
                pick = choices.get((p.spec.table, p.record["gid"]), prefer)
                if pick == "theirs":
                    r.take(p)
                    counts["修改"] += 1
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
                if not key_only and p.local_id is not None:
                    r.remember(p, p.local_id, p.their_hash, p.local_hash)
                counts["相同"] += 1
            elif p.kind == UNMATCHED:
                unmatched.append(f"{p.spec.label} {p.title}：{p.reason}")
                counts["无法匹配"] += 1
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
    )


__all__ = ["PREFER", "ApplyResult", "apply"]
