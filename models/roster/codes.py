"""Editing the pick-lists (代码表): add, rename, reorder, switch off.

Cadres store the pick-list text itself, so a rename rewrites every cadre field bound to that
list in the same transaction, and the change log records it. Items in use are switched off
(停用), never deleted, so old records keep their values.
"""

from __future__ import annotations

from dataclasses import dataclass

from peewee import fn

from models.core.audit import current_user, record_changes
from models.core.db import db
from models.core.errors import DomainError, NotFoundError
from models.roster.picklists import KINDS
from models.roster.service import PICKLIST_FIELDS
from models.roster.tables import Cadre, FamilyMember, PicklistItem


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


def _fields_of(kind: str) -> list:
    fields = [getattr(Cadre, f) for f, k in PICKLIST_FIELDS.items() if k == kind]
    return fields


def _usage(kind: str, name: str) -> int:
    n = sum(Cadre.select().where(f == name).count() for f in _fields_of(kind))
    if kind == "family_relation":
        n += FamilyMember.select().where(FamilyMember.relation == name).count()
    if kind == "political_status":
        n += FamilyMember.select().where(FamilyMember.political_status == name).count()
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
    return [
        CodeItem(
            i.id,
            i.kind,
            i.code,
            i.name,
            i.sort_order,
            i.equivalent,
            bool(i.active),
            _usage(kind, i.name),
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
    with db.atomic():
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
            "picklist_item",
            item_id,
            "新增",
            {},
            {"kind": kind, "name": name},
            user=user or current_user(),
        )
    return next(i for i in list_items(kind) if i.id == item_id)


def _get(item_id: int) -> PicklistItem:
    item = PicklistItem.get_or_none(PicklistItem.id == item_id)
    if item is None:
        raise NotFoundError(f"找不到编号为 {item_id} 的代码项，可能已被删除")
    return item


def rename_item(item_id: int, new_name: str, *, user: str | None = None, reason: str = "") -> int:
    """Rename an item and every cadre value that uses it; returns how many fields changed."""
    user = user or current_user()
    with db.atomic():
        item = _get(item_id)
        new_name = _check_name(item.kind, new_name, exclude_id=item_id)
        old_name = item.name
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
        item.name = new_name
        item.save()
        record_changes(
            "picklist_item",
            item_id,
            "修改",
            {"name": old_name},
            {"name": new_name},
            user=user,
            reason=reason,
        )
    return changed


def set_active(item_id: int, active: bool, *, user: str | None = None) -> None:
    """停用 hides an item from the choices; records that use it keep their value."""
    with db.atomic():
        item = _get(item_id)
        if bool(item.active) == active:
            return
        item.active = 1 if active else 0
        item.save()
        record_changes(
            "picklist_item",
            item_id,
            "修改",
            {"active": not active},
            {"active": active},
            user=user or current_user(),
        )


def move_item(item_id: int, step: int) -> None:
    """Move an item up (step -1) or down (+1) in its list."""
    with db.atomic():
        item = _get(item_id)
        ids = [i.id for i in list_items(item.kind)]
        pos = ids.index(item_id)
        new = max(0, min(len(ids) - 1, pos + step))
        if new == pos:
            return
        ids.insert(new, ids.pop(pos))
        for order, iid in enumerate(ids, start=1):
            PicklistItem.update(sort_order=order).where(PicklistItem.id == iid).execute()


def delete_item(item_id: int, *, user: str | None = None) -> None:
    """Delete an item nobody uses; an item in use must be switched off instead."""
    with db.atomic():
        item = _get(item_id)
        used = _usage(item.kind, item.name)
        if used:
            raise DomainError(
                f"“{item.name}”已被 {used} 条记录使用，不能删除；可以停用它，停用后不再出现在选项中"
            )
        item.delete_instance()
        record_changes(
            "picklist_item", item_id, "删除", {"name": item.name}, {}, user=user or current_user()
        )
