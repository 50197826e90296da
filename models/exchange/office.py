"""This office's name (every package it sends carries it) and the list of packages sent and
received (交换记录)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from models.accounts import Permission, require
from models.core.audit import current_user, record_changes
from models.core.db import write_transaction
from models.core.errors import DomainError
from models.exchange.tables import ExchangeLog, ExchangeSetting

OFFICE_KEY = "office"
SENT, RECEIVED = "发出", "接收"


def office_name() -> str:
    """This office's name ("" until it is set)."""
    row = ExchangeSetting.get_or_none(ExchangeSetting.key == OFFICE_KEY)
    return row.value if row else ""


def require_office() -> str:
    name = office_name()
    if not name:
        raise DomainError(
            "尚未设置本单位名称：发送交换包前请先设置（命令 exchange office --set 名称），"
            "接收方据此知道数据来自哪里"
        )
    return name


def set_office(name: str) -> str:
    """Set this office's name (市委党校, 市委组织部干部教育科…); logged in the change log."""
    require(Permission.BACKUP)
    name = name.strip()
    if not name or len(name) > 100:
        raise DomainError("本单位名称不能为空，且不超过 100 个字")
    with write_transaction():
        old = office_name()
        if old == name:
            return name
        ExchangeSetting.insert(key=OFFICE_KEY, value=name).on_conflict(
            conflict_target=[ExchangeSetting.key], update={ExchangeSetting.value: name}
        ).execute()
        record_changes(
            "exchange_setting",
            0,
            "修改",
            {"本单位名称": old},
            {"本单位名称": name},
            user=current_user(),
        )
    return name


@dataclass(frozen=True)
class HistoryDTO:
    at: dt.datetime
    direction: str  # 发出 / 接收
    office: str  # the sending office
    title: str  # 班次《…》 / 单位《…》
    scope: str
    file_name: str
    user: str
    summary: str
    content_sha256: str


def log_exchange(
    direction: str, office: str, scope: str, title: str, file_name: str, digest: str, summary: str
) -> None:
    """Keep one package sent or received in the list (inside the caller's transaction)."""
    ExchangeLog.create(
        direction=direction,
        office=office,
        scope=scope,
        title=title,
        file_name=file_name,
        content_sha256=digest,
        user=current_user(),
        summary=summary,
    )


def exchange_history(limit: int = 200) -> list[HistoryDTO]:
    """The packages sent and received, newest first."""
    q = ExchangeLog.select().order_by(ExchangeLog.at.desc(), ExchangeLog.id.desc()).limit(limit)
    return [
        HistoryDTO(
            r.at,
            r.direction,
            r.office,
            r.title,
            r.scope,
            r.file_name,
            r.user,
            r.summary,
            r.content_sha256,
        )
        for r in q
    ]


def received_before(digest: str) -> bool:
    """Whether a package with this content was received here already."""
    return (
        ExchangeLog.select()
        .where((ExchangeLog.content_sha256 == digest) & (ExchangeLog.direction == RECEIVED))
        .exists()
    )


__all__ = [
    "RECEIVED",
    "SENT",
    "HistoryDTO",
    "exchange_history",
    "log_exchange",
    "office_name",
    "received_before",
    "require_office",
    "set_office",
]
