"""Editing the pick-lists (代码表): add, rename, reorder, switch off.

Cadres store the pick-list text itself, so a rename rewrites every cadre field bound to that
list in the same transaction, and the change log records it. Items in use are switched off
(停用), never deleted, so old records keep their values.

Optimistic locking: each edit of an item takes ``expected_version``, the CodeItem.version the
screen showed; the UPDATE/DELETE matches only that version (without it, the version read in
the use case's own transaction), so an item changed or deleted by someone else meanwhile is
refused with ConflictError naming who and when, and nothing changes.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from peewee import SQL, fn

from models.accounts import Permission, require
from models.core.audit import ChangeLog, current_user, record_changes
from models.core.concurrency import conflict, update_versioned
from models.core.db import write_transaction
from models.core.errors import ConflictError, DomainError, NotFoundError
from models.core.workbook import looks_like_text, not_xlsx, open_workbook, read_file, sheet_rows
from models.roster.picklists import KINDS, join_variants, match_key, split_variants
from models.roster.service import PICKLIST_FIELDS
from models.roster.tables import Cadre, FamilyMember, PicklistItem
from models.roster.types import FIELD_LABELS


@dataclass(frozen=True)
class CodeItem:
    id: int
    kind: str
    code: str
    name: str
    sort_order: int
    equivalent: str
    active: bool
    used: int  # how many cadre fields hold this value
    variants: tuple[str, ...] = field(default=())  # 别名: other spellings that mean this item
    version: int = 1  # as read; an edit passes it back (optimistic locking)


def _fields_of(kind: str) -> list:
    fields = [getattr(Cadre, f) for f, k in PICKLIST_FIELDS.items() if k == kind]
    return fields


def _usage(kind: str, name: str) -> int:
    return _usages(kind).get(name, 0)


def _usages(kind: str) -> Counter[str]:
    """How many cadre fields (and family members) hold each value of ``kind``: one grouped
    count per column, not one count per item (50,000 cadres, dozens of items)."""
    columns = list(_fields_of(kind))
    if kind == "family_relation":
        columns.append(FamilyMember.relation)
    if kind == "political_status":
        columns.append(FamilyMember.political_status)
    n: Counter[str] = Counter()
    for f in columns:
        for value, count in f.model.select(f, fn.COUNT(SQL("*"))).group_by(f).tuples():
            if value is not None:
                n[value] += count
    return n


def _kind_label(kind: str) -> str:
    if kind not in KINDS:
        raise DomainError(f"没有名为“{kind}”的代码表")
    return KINDS[kind]


def list_items(kind: str) -> list[CodeItem]:
    _kind_label(kind)
    items = (
        PicklistItem.select()
        .where(PicklistItem.kind == kind)
        .order_by(PicklistItem.sort_order, PicklistItem.id)
    )
    used = _usages(kind)
    return [
        CodeItem(
            i.id,
            i.kind,
            i.code,
            i.name,
            i.sort_order,
            i.equivalent,
            bool(i.active),
            used.get(i.name, 0),
            tuple(split_variants(i.variants)),
            i.version,
        )
        for i in items
    ]


def _check_name(kind: str, name: str, exclude_id: int | None = None) -> str:
    label = _kind_label(kind)
    name = name.strip()
    if not name:
        raise DomainError(f"{label}的名称不能为空", field="name")
    if len(name) > 30:
        raise DomainError(f"{label}“{name}”太长，不能超过 30 个字", field="name")
    q = PicklistItem.select().where((PicklistItem.kind == kind) & (PicklistItem.name == name))
    if exclude_id is not None:
        q = q.where(PicklistItem.id != exclude_id)
    if q.exists():
        raise DomainError(f"{label}中已有“{name}”", field="name")
    return name


def add_item(kind: str, name: str, code: str = "", *, user: str | None = None) -> CodeItem:
    require(Permission.CODES)
    with write_transaction():
        name = _check_name(kind, name)
        last = (
            PicklistItem.select(fn.MAX(PicklistItem.sort_order))
            .where(PicklistItem.kind == kind)
            .scalar()
        )
        item_id = PicklistItem.insert(
            kind=kind, name=name, code=code.strip(), sort_order=(last or 0) + 1
        ).execute()
        record_changes(
            ENTITY,
            item_id,
            "新增",
            {},
            {"kind": kind, "name": name},
            user=user or current_user(),
        )
    return next(i for i in list_items(kind) if i.id == item_id)


ENTITY = "picklist_item"


def _changed(item_id: int) -> ConflictError:
    """The ConflictError of an item changed or deleted by someone else since it was read:
    who and when from the change log, and what it holds now."""
    item = PicklistItem.get_or_none(PicklistItem.id == item_id)
    if item is None:
        name = (
            ChangeLog.select(ChangeLog.old_value)
            .where(
                (ChangeLog.entity == ENTITY)
                & (ChangeLog.entity_id == item_id)
                & (ChangeLog.field == "name")
                & (ChangeLog.action == "删除")
            )
            .order_by(ChangeLog.id.desc())
            .scalar()
        )
        return conflict(f"代码项“{name}”" if name else "所选代码项", ENTITY, item_id, deleted=True)
    now = item.name + ("（已停用）" if not item.active else "")
    return conflict(f"所选{_kind_label(item.kind)}", ENTITY, item_id, now=now)


def _current(item_id: int, expected_version: int | None) -> PicklistItem:
    """The item's row; with ``expected_version``, ConflictError when it is no longer that
    version or was deleted meanwhile."""
    item = PicklistItem.get_or_none(PicklistItem.id == item_id)
    if item is None:
        if expected_version is not None:
            raise _changed(item_id)
        raise NotFoundError(f"找不到编号为 {item_id} 的代码项，可能已被删除")
    if expected_version is not None and item.version != expected_version:
        raise _changed(item_id)
    return item


def _write(item: PicklistItem, expected_version: int | None, **values: object) -> None:
    """``UPDATE picklist_item SET values, version = version + 1 WHERE id = ? AND version =
    ?`` with the version the screen showed (else the one read in this transaction)."""
    expected = item.version if expected_version is None else expected_version
    update_versioned(
        PicklistItem,
        item.id,
        expected,
        values,
        record="",
        entity=ENTITY,
        refused=lambda: _changed(item.id),
    )


def rename_item(
    item_id: int,
    new_name: str,
    *,
    user: str | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> int:
    """Rename an item and every cadre value that uses it; returns how many fields changed.
    ``expected_version``: the CodeItem.version the screen showed."""
    require(Permission.CODES)
    user = user or current_user()
    with write_transaction():
        item = _current(item_id, expected_version)
        new_name = _check_name(item.kind, new_name, exclude_id=item_id)
        old_name = item.name
        if new_name == old_name:
            return 0
        _write(item, expected_version, name=new_name)
        changed = 0
        for f in _fields_of(item.kind):
            for (cid,) in Cadre.select(Cadre.id).where(f == old_name).tuples():
                record_changes(
                    "cadre",
                    cid,
                    "修改",
                    {f.name: old_name},
                    {f.name: new_name},
                    user=user,
                    reason=reason or "代码表改名",
                )
            changed += (
                Cadre.update({f: new_name, Cadre.version: Cadre.version + 1})
                .where(f == old_name)
                .execute()
            )
        if item.kind == "family_relation":
            changed += (
                FamilyMember.update(relation=new_name)
                .where(FamilyMember.relation == old_name)
                .execute()
            )
        record_changes(
            ENTITY,
            item_id,
            "修改",
            {"name": old_name},
            {"name": new_name},
            user=user,
            reason=reason,
        )
    return changed


def set_active(
    item_id: int, active: bool, *, user: str | None = None, expected_version: int | None = None
) -> None:
    """停用 hides an item from the choices; records that use it keep their value.
    ``expected_version``: the CodeItem.version the screen showed."""
    require(Permission.CODES)
    with write_transaction():
        item = _current(item_id, expected_version)
        if bool(item.active) == active:
            return
        _write(item, expected_version, active=1 if active else 0)
        record_changes(
            ENTITY,
            item_id,
            "修改",
            {"active": not active},
            {"active": active},
            user=user or current_user(),
        )


def move_item(
    item_id: int, step: int, *, user: str | None = None, expected_version: int | None = None
) -> None:
    """Move an item up (step -1) or down (+1) in its list. The moved item's version goes up
    (``expected_version``: the one the screen showed); the items it passes only change
    places."""
    require(Permission.CODES)
    with write_transaction():
        item = _current(item_id, expected_version)
        ids = [
            i
            for (i,) in PicklistItem.select(PicklistItem.id)
            .where(PicklistItem.kind == item.kind)
            .order_by(PicklistItem.sort_order, PicklistItem.id)
            .tuples()
        ]
        pos = ids.index(item_id)
        new = max(0, min(len(ids) - 1, pos + step))
        if new == pos:
            return
        ids.insert(new, ids.pop(pos))
        for order, iid in enumerate(ids, start=1):
            if iid == item_id:
                _write(item, expected_version, sort_order=order)
            else:
                PicklistItem.update(sort_order=order).where(PicklistItem.id == iid).execute()
        record_changes(
            ENTITY,
            item_id,
            "修改",
            {"sort_order": pos + 1},
            {"sort_order": new + 1},
            user=user or current_user(),
            reason="调整代码表顺序",
        )


def delete_item(
    item_id: int, *, user: str | None = None, expected_version: int | None = None
) -> None:
    """Delete an item nobody uses; an item in use must be switched off instead.
    ``expected_version``: the CodeItem.version the screen showed."""
    require(Permission.CODES)
    with write_transaction():
        item = _current(item_id, expected_version)
        used = _usage(item.kind, item.name)
        if used:
            raise DomainError(
                f"“{item.name}”已被 {used} 条记录使用，不能删除；可以停用它，停用后不再出现在选项中"
            )
        expected = item.version if expected_version is None else expected_version
        done = (
            PicklistItem.delete()
            .where((PicklistItem.id == item_id) & (PicklistItem.version == expected))
            .execute()
        )
        if done != 1:
            raise _changed(item_id)
        record_changes(
            ENTITY, item_id, "删除", {"name": item.name}, {}, user=user or current_user()
        )


def _check_variants(item: PicklistItem, variants: Iterable[str]) -> list[str]:
    """Clean ``variants`` and refuse one that already means another item of the list."""
    label = _kind_label(item.kind)
    out: list[str] = []
    own = match_key(item.name)
    others: dict[str, str] = {}
    for other in PicklistItem.select().where(
        (PicklistItem.kind == item.kind) & (PicklistItem.id != item.id)
    ):
        for text in (other.name, *split_variants(other.variants)):
            others.setdefault(match_key(text), other.name)
    for v in split_variants("|".join(variants)):
        if len(v) > 30:
            raise DomainError(f"{label}别名“{v}”太长，不能超过 30 个字", field="variants")
        key = match_key(v)
        if key in others:
            raise DomainError(
                f"{label}别名“{v}”已是“{others[key]}”的名称或别名，不能同时指向“{item.name}”",
                field="variants",
            )
        if key != own and v not in out:
            out.append(v)
    return out


def set_variants(
    item_id: int,
    variants: Iterable[str],
    *,
    user: str | None = None,
    expected_version: int | None = None,
) -> CodeItem:
    """Replace an item's 别名 (values that mean this item on import), audited.
    ``expected_version``: the CodeItem.version the screen showed."""
    require(Permission.CODES)
    with write_transaction():
        item = _current(item_id, expected_version)
        new = join_variants(_check_variants(item, variants))
        old = item.variants or ""
        if new != old:
            _write(item, expected_version, variants=new)
            record_changes(
                ENTITY,
                item_id,
                "修改",
                {"variants": old},
                {"variants": new},
                user=user or current_user(),
            )
    return next(i for i in list_items(item.kind) if i.id == item_id)


NEW_ITEM = ""  # a ValueChoice target meaning 新增到代码表


@dataclass(frozen=True)
class ValueChoice:
    """What the user said an unknown value means: ``target`` is the name of an item of the
    ``kind`` list (the value becomes its 别名) or NEW_ITEM (the value becomes a new item)."""

    kind: str
    value: str
    target: str = NEW_ITEM


def map_values(choices: Iterable[ValueChoice], *, user: str | None = None) -> int:
    """Remember each choice in the code tables (all or nothing), so this file and the next
    ones match; returns how many choices were stored (a 别名 the item already has is
    skipped). Plan the import again afterwards."""
    require(Permission.CODES)
    user = user or current_user()
    n = 0
    with write_transaction():
        for c in choices:
            label = _kind_label(c.kind)
            value = c.value.strip()
            if not value:
                continue
            if c.target == NEW_ITEM:
                add_item(c.kind, value, user=user)
            else:
                item = PicklistItem.get_or_none(
                    (PicklistItem.kind == c.kind) & (PicklistItem.name == c.target)
                )
                if item is None:
                    raise DomainError(f"{label}中没有“{c.target}”，无法把“{value}”对应到它")
                if value in split_variants(item.variants):
                    continue  # chosen before
                set_variants(item.id, [*split_variants(item.variants), value], user=user)
            n += 1
    return n


# --------------------------------------------------------------------- 对照表 (--map FILE)

NEW_WORDS = ("新增", "新增到代码表")
_VALUE_HEADERS = ("原值", "原始值", "表中值")
_TARGET_HEADERS = ("对应代码表项", "代码表项", "对应值", "对应")
_FIELD_HEADERS = ("字段", "代码表")


@dataclass(frozen=True)
class MapEntry:
    """One line of a 对照表: ``field`` (a Chinese label such as 学历, or "" for any),
    the value as written, and the item it means (or 新增 for a new item)."""

    field: str
    value: str
    target: str
    where: str  # “对照.xlsx”第3行, for messages


def _map_rows(path: Path) -> list[tuple[object, ...]]:
    data = read_file(path)
    name = path.name
    if path.suffix.lower() == ".csv" or (data and looks_like_text(data)):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise DomainError(f"“{name}”不是 UTF-8 或 GBK 编码的文本，无法读取对照表")
        return [tuple(r) for r in csv.reader(io.StringIO(text))]
    problem = not_xlsx(data, name)
    if problem is not None:
        raise problem
    wb = open_workbook(data, name, hint="对照表应为两列：原值、对应代码表项")
    try:
        return list(sheet_rows(wb.worksheets[0], name))
    finally:
        wb.close()


def read_value_map(path: str | Path) -> list[MapEntry]:
    """Read a 对照表 (.xlsx or .csv): columns 原值 and 对应代码表项, optionally 字段. Without a
    header row the first two columns are 原值 and 对应代码表项."""
    path = Path(path)
    rows = [[("" if c is None else str(c).strip()) for c in r] for r in _map_rows(path)]
    cols = {"value": 0, "target": 1}
    start = 0
    for n, r in enumerate(rows[:5]):
        found = {
            key: next((i for i, c in enumerate(r) if c in names), None)
            for key, names in (
                ("value", _VALUE_HEADERS),
                ("target", _TARGET_HEADERS),
                ("field", _FIELD_HEADERS),
            )
        }
        if found["value"] is not None:
            if found["target"] is None:
                raise DomainError(
                    f"对照表“{path.name}”第{n + 1}行有“原值”列，但没有“对应代码表项”列"
                )
            cols = {k: v for k, v in found.items() if v is not None}
            start = n + 1
            break
    out: list[MapEntry] = []
    for n, r in enumerate(rows[start:], start=start + 1):

        def cell(key: str, r: list[str] = r) -> str:
            i = cols.get(key)
            return r[i] if i is not None and i < len(r) else ""

        value, target = cell("value"), cell("target")
        if not value and not target:
            continue
        where = f"对照表“{path.name}”第{n}行"
        if not value:
            raise DomainError(f"{where}没有填“原值”")
        if not target:
            raise DomainError(f"{where}“{value}”没有填“对应代码表项”（要新增到代码表请写“新增”）")
        out.append(MapEntry(cell("field"), value, target, where))
    if not out:
        raise DomainError(f"对照表“{path.name}”中没有任何对照（应为两列：原值、对应代码表项）")
    return out


def choose(unmapped: Sequence[object], entries: Sequence[MapEntry]) -> list[ValueChoice]:
    """The choices a 对照表 makes for the unmapped values of a plan (objects with ``field``,
    ``label``, ``value`` and ``attributes``, such as import_plan.UnmappedValue). A target
    that is not an item of that list is refused naming the 对照表 line."""
    out: list[ValueChoice] = []
    for u in unmapped:
        kind, label, value = u.field, u.label, u.value  # type: ignore[attr-defined]
        labels = {label, kind, *(FIELD_LABELS.get(a, "") for a in u.attributes)}  # type: ignore[attr-defined]
        entry = next(
            (
                e
                for e in entries
                if match_key(e.value) == match_key(value) and (not e.field or e.field in labels)
            ),
            None,
        )
        if entry is None:
            continue
        if entry.target in NEW_WORDS:
            out.append(ValueChoice(kind, value))
            continue
        names = {i.name for i in list_items(kind)}
        if entry.target not in names:
            raise DomainError(
                f"{entry.where}：{label}中没有“{entry.target}”，无法把“{value}”对应到它"
                "（请写代码表中已有的名称，或写“新增”）"
            )
        out.append(ValueChoice(kind, value, entry.target))
    return out
