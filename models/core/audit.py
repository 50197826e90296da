"""The change log: every change to a record says who, when, old value, new value and why."""

from __future__ import annotations

import datetime as dt
import getpass
import os
from collections.abc import Mapping
from dataclasses import dataclass

from models.roster.tables import ChangeLog


def current_user() -> str:
    """The person to blame: the OS user until accounts exist."""
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
    use case's transaction, so the log and the change commit together."""
    rows = []
    now = dt.datetime.now().replace(microsecond=0)
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
