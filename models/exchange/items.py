"""What a preview is made of: the classes a received record falls in, the record planned
(the apply step's working data), and the DTOs the screens and the command line show."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.core.errors import DomainError
from models.exchange.package import Manifest, Package
from models.exchange.records import TableSpec

NEW, SAME, THEIRS, MINE, CONFLICT, UNMATCHED, REMOVED = (
    "新增",
    "相同",
    "对方修改",
    "本地修改",
    "冲突",
    "无法匹配",
    "对方已删除",
)
KINDS = (NEW, SAME, THEIRS, MINE, CONFLICT, UNMATCHED, REMOVED)

BOTH_TABLES = frozenset({"hours_entry"})
"""Tables whose conflicts may also be settled by keeping both records (two 学时 lines)."""


@dataclass(frozen=True)
class Difference:
    field: str
    label: str
    mine: str
    theirs: str


@dataclass(frozen=True)
class ItemDTO:
    """One record of the package that does something (or cannot): not 相同."""

    table: str
    label: str  # 干部, 学时…
    gid: str
    kind: str  # one of KINDS
    title: str  # how the record is named: 张三（身份证号 …）, 班次《…》
    local_id: int | None
    differences: tuple[Difference, ...] = ()  # 冲突 / 对方修改: field by field
    reason: str = ""  # 无法匹配: why; 冲突 of two 学时 lines: that they look alike

    @property
    def may_keep_both(self) -> bool:
        """Whether this conflict may be settled by keeping both records."""
        return self.kind == CONFLICT and self.table in BOTH_TABLES


@dataclass(frozen=True)
class TableCounts:
    table: str
    label: str
    counts: dict[str, int]  # kind → records

    def count(self, kind: str) -> int:
        return self.counts.get(kind, 0)


@dataclass(frozen=True)
class Planned:
    """One record and what receiving it does (also the apply step's working data)."""

    spec: TableSpec
    record: dict[str, Any]
    kind: str
    local_id: int | None
    refs: dict[str, int | str | None]  # local ids; "new:<gid>" for a record the package adds
    their_hash: str
    local_hash: str  # of the local row now ("" when there is none)
    base: Any  # what the last receipt kept (entity, gid, local_id, their_hash, local_hash)
    title: str
    reason: str = ""


@dataclass(frozen=True)
class Preview:
    """What receiving the package would do; :func:`models.exchange.receive.apply` takes it."""

    file: Path
    manifest: Manifest
    tables: tuple[TableCounts, ...]
    items: tuple[ItemDTO, ...]
    package: Package = field(repr=False)

    def total(self, kind: str) -> int:
        return sum(t.count(kind) for t in self.tables)

    @property
    def conflicts(self) -> tuple[ItemDTO, ...]:
        return tuple(i for i in self.items if i.kind == CONFLICT)

    @property
    def unmatched(self) -> tuple[ItemDTO, ...]:
        return tuple(i for i in self.items if i.kind == UNMATCHED)


def refusal(manifest: Manifest, why: str) -> DomainError:
    """The refusal of a package whose contents go beyond what its scope or sender may send."""
    return DomainError(f"交换包（{manifest.title}）的内容与其范围不符：{why}，已拒绝接收")


__all__ = [
    "BOTH_TABLES",
    "CONFLICT",
    "KINDS",
    "MINE",
    "NEW",
    "REMOVED",
    "SAME",
    "THEIRS",
    "UNMATCHED",
    "Difference",
    "ItemDTO",
    "Planned",
    "Preview",
    "TableCounts",
    "refusal",
]
