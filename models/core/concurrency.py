"""Optimistic locking for shared data: every edit carries what it read, and is refused when
the record changed meanwhile, naming who changed it, when, and what it holds now.

Two ways to say "what it read":

* a record with a ``version`` column: the update is ``UPDATE … SET …, version = version + 1
  WHERE id = ? AND version = ?`` (:func:`update_versioned`); 0 rows means someone else won.
* a single cell (a score, a vote count, a 平时考核 grade) without a row of its own until it is
  filled: the edit carries the value the screen showed (``None`` for an empty cell), and
  the write is conditional on it (``WHERE score = ?``; an insert meets the unique index).

The conditional write is what makes it safe: on PostgreSQL a second writer's UPDATE waits
for the first one's commit and then re-checks its WHERE; on SQLite writers take the lock
up front (:func:`models.core.db.write_transaction`). Who and when come from the change log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from peewee import Model

from models.core.audit import ChangeLog
from models.core.errors import ConflictError


def when_text(at: dt.datetime, today: dt.date | None = None) -> str:
    """``HH:MM`` today, ``M月D日 HH:MM`` another day of this year, else with the year."""
    today = today or dt.date.today()
    if at.date() == today:
        return at.strftime("%H:%M")
    if at.year == today.year:
        return f"{at.month}月{at.day}日 {at:%H:%M}"
    return f"{at.year}年{at.month}月{at.day}日 {at:%H:%M}"


def conflict(
    record: str,
    entity: str | None = None,
    entity_id: int | None = None,
    *,
    field: str | None = None,
    now: object = None,
    deleted: bool = False,
) -> ConflictError:
    """The ConflictError for ``record`` (its Chinese name, e.g. "张三的“德”得分"), with the
    latest change-log entry of (``entity``, ``entity_id``[, ``field``]) as who and when, and
    ``now`` as the value it holds now (None: not said)."""
    who = when = ""
    if entity is not None and entity_id is not None:
        q = ChangeLog.select(ChangeLog.user, ChangeLog.at, ChangeLog.action).where(
            (ChangeLog.entity == entity) & (ChangeLog.entity_id == entity_id)
        )
        if field is not None:
            q = q.where(ChangeLog.field == field)
        last = q.order_by(ChangeLog.id.desc()).first()
        if last is not None:
            who, when = last.user, when_text(last.at)
            deleted = deleted or last.action == "删除"
    text = None if now is None else str(now)
    return ConflictError(record, who=who, when=when, now=text, deleted=deleted)


def update_versioned(
    model: type[Model],
    row_id: int,
    expected_version: int,
    values: dict[str, Any],
    *,
    record: str,
    entity: str | None = None,
    refused: Callable[[], ConflictError] | None = None,
) -> int:
    """``UPDATE model SET values, version = version + 1 WHERE id = row_id AND version =
    expected_version``; returns the new version, or raises the ConflictError of
    :func:`conflict` (also when the row was deleted meanwhile), or ``refused()``'s when
    the caller words it itself."""
    fields = {getattr(model, k) if isinstance(k, str) else k: v for k, v in values.items()}
    version = model.version  # type: ignore[attr-defined]
    pk = model._meta.primary_key
    done = (
        model.update({**fields, version: version + 1})
        .where((pk == row_id) & (version == expected_version))
        .execute()
    )
    if done != 1:
        if refused is not None:
            raise refused()
        gone = not model.select().where(pk == row_id).exists()
        raise conflict(record, entity or model._meta.table_name, row_id, deleted=gone)
    return expected_version + 1


__all__ = ["conflict", "update_versioned", "when_text"]
