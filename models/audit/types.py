"""The 修改记录's data objects: what a reader filters by, one change as it is shown, a page
of them, and a cadre a name or 身份证号 may mean."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["HEADERS", "AuditFilter", "ChangePage", "ChangeRow", "PersonMatch"]

HEADERS = ("时间", "账号", "操作", "类别", "对象", "字段", "原值", "新值", "原因")


@dataclass(frozen=True)
class AuditFilter:
    """Which changes to show. Days are inclusive; None leaves that side open.

    ``person``: a cadre's id, or text: 姓名 or 身份证号 (a name shared by several cadres is
    refused with the candidates named; pass the id then). ``unit``: a unit's id, or its name
    or path; its sub-units are included. ``kind``: a kind's label (干部, 考核得分, 处分…, see
    :data:`models.audit.kinds.KINDS`). ``account``: the 账号 that made the change."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    person: int | str | None = None
    unit: int | str | None = None
    kind: str | None = None
    account: str | None = None


@dataclass(frozen=True)
class ChangeRow:
    """One changed field, in words: ``subject`` names the record (张三（市委组织部）, 班次《…》),
    ``field`` is the field's Chinese name, ``old``/``new`` the values as a reader reads them."""

    id: int
    at: dt.datetime
    account: str
    action: str
    kind: str
    subject: str
    field: str
    old: str
    new: str
    reason: str

    @property
    def at_text(self) -> str:
        return self.at.strftime("%Y-%m-%d %H:%M:%S")

    def values(self) -> tuple[str, ...]:
        """The row under :data:`HEADERS`."""
        return (self.at_text, self.account, self.action, self.kind, self.subject, self.field,
                self.old, self.new, self.reason)  # fmt: skip


@dataclass(frozen=True)
class ChangePage:
    """Rows ``offset`` … ``offset + len(rows) - 1`` of ``total`` matching changes."""

    rows: tuple[ChangeRow, ...]
    total: int
    offset: int


@dataclass(frozen=True)
class PersonMatch:
    """A cadre a filter's text may mean: ``label`` is 张三（市委组织部）, with the 身份证号."""

    id: int
    name: str
    label: str
    deleted: bool = False
