"""The change log: every change to a record says who, when, old value, new value and why."""

from __future__ import annotations

import datetime as dt
import getpass
import os
from collections.abc import Mapping
from dataclasses import dataclass

from peewee import AutoField, CharField, DateTimeField, IntegerField, TextField

from models.core.dates import now_seconds
from models.core.db import BaseModel


class ChangeLog(BaseModel):
    """Who changed what, when, from what to what, and why. Never updated, only appended."""

    id = AutoField()
    at = DateTimeField(default=now_seconds, index=True)
    user = CharField(max_length=60)
    entity = CharField(max_length=40)  # table name, e.g. 'cadre'
    entity_id = IntegerField(index=True)
    action = CharField(max_length=10)  # 新增 / 修改 / 删除
    field = CharField(max_length=40, default="")
    old_value = TextField(default="")
    new_value = TextField(default="")
    reason = TextField(default="")


CORE_TABLES = [ChangeLog]


_actor: str | None = None


def set_actor(name: str | None) -> None:
    """Record every later change under ``name`` (the logged-in account's 登录名), or, with
    None, under the computer's user as a single-user database without accounts does.
    :mod:`models.accounts` sets it at login and clears it at logout."""
    global _actor
    _actor = name


def current_actor() -> str | None:
    """The logged-in account's name, or None when nobody is logged in."""
    return _actor


def current_user() -> str:
    """The person to blame: the logged-in account; on a single-user database without
    accounts, the computer's user."""
    if _actor is not None:
        return _actor
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USERNAME", "未知用户")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} 字节>"
    return str(value)


def change_rows(
    entity: str,
    entity_id: int,
    action: str,
    old: Mapping[str, object],
    new: Mapping[str, object],
    *,
    user: str,
    reason: str = "",
) -> list[dict[str, object]]:
    """The change-log rows :func:`record_changes` writes (one per changed field), for a use
    case that writes many at once (``bulk_insert(ChangeLog, rows)``). Once someone is logged
    in (:func:`set_actor`), the rows name that account whatever ``user`` says."""
    if _actor is not None:
        user = _actor
    rows: list[dict[str, object]] = []
    now = now_seconds()
    for key in sorted(set(old) | set(new)):
        before, after = _text(old.get(key)), _text(new.get(key))
        if before == after:
            continue
        rows.append(
            {
                "at": now,
                "user": user,
                "entity": entity,
                "entity_id": entity_id,
                "action": action,
                "field": key,
                "old_value": before,
                "new_value": after,
                "reason": reason,
            }
        )
    return rows


def record_changes(
    entity: str,
    entity_id: int,
    action: str,
    old: Mapping[str, object],
    new: Mapping[str, object],
    *,
    user: str,
    reason: str = "",
) -> int:
    """Append one row per changed field; returns how many were written. Call inside the
    use case's transaction, so the log and the change commit together. Once someone is
    logged in (:func:`set_actor`), the row names that account whatever ``user`` says."""
    rows = change_rows(entity, entity_id, action, old, new, user=user, reason=reason)
    if rows:
        ChangeLog.insert_many(rows).execute()
    return len(rows)


@dataclass(frozen=True)
class ChangeDTO:
    at: dt.datetime
    user: str
    action: str
    field: str
    old_value: str
    new_value: str
    reason: str


def history(entity: str, entity_id: int) -> list[ChangeDTO]:
    q = (
        ChangeLog.select()
        .where((ChangeLog.entity == entity) & (ChangeLog.entity_id == entity_id))
        .order_by(ChangeLog.at.desc(), ChangeLog.id.desc())
    )
    return [
        ChangeDTO(r.at, r.user, r.action, r.field, r.old_value, r.new_value, r.reason) for r in q
    ]
