"""Tables of the exchange between offices (schema v14): the office's own name, every package
sent or received, and for each record received the hashes it was last exchanged at, which
tell a change made here from a change made there."""

from __future__ import annotations

from peewee import AutoField, CharField, DateTimeField, IntegerField, TextField

from models.core.dates import now_seconds
from models.core.db import BaseModel

GID_TABLES = (
    "unit",
    "cadre",
    "training_class",
    "class_session",
    "enrolment",
    "attendance",
    "hours_entry",
)
"""Tables that carry a global id (``gid``) and ``changed_at`` / ``changed_by_office``."""


class ExchangeSetting(BaseModel):
    """A setting of the exchange kept in the database (``office``: this office's name, which
    every package it sends carries)."""

    key = CharField(max_length=40, primary_key=True)
    value = TextField(default="")


class ExchangeLog(BaseModel):
    """One package sent (发出) or received (接收)."""

    id = AutoField()
    at = DateTimeField(default=now_seconds, index=True)
    direction = CharField(max_length=4)  # 发出 / 接收
    office = CharField(max_length=100)  # the sending office
    scope = CharField(max_length=80)  # class:<gid> / unit:<gid>
    title = CharField(max_length=200, default="")  # 班次《…》 / 单位《…》
    file_name = CharField(max_length=260, default="")
    content_sha256 = CharField(max_length=64, index=True)
    user = CharField(max_length=60, default="")
    summary = TextField(default="")  # 新增 12 条，修改 1 条…


class ExchangeRecord(BaseModel):
    """What was last received for one record (by its gid in the sending office): the local
    row it is, the hash of the record as sent, and the hash of the local row as left by that
    exchange. A later package changed there differs from ``their_hash``; a row changed here
    since differs from ``local_hash``."""

    id = AutoField()
    entity = CharField(max_length=40)  # the table
    gid = CharField(max_length=36)
    local_id = IntegerField()
    their_hash = CharField(max_length=64)
    local_hash = CharField(max_length=64)
    office = CharField(max_length=100, default="")
    received_at = DateTimeField(default=now_seconds)

    class Meta:
        indexes = ((("entity", "gid"), True),)


EXCHANGE_TABLES: list[type[BaseModel]] = [ExchangeSetting, ExchangeLog, ExchangeRecord]

__all__ = [
    "EXCHANGE_TABLES",
    "GID_TABLES",
    "ExchangeLog",
    "ExchangeRecord",
    "ExchangeSetting",
]
