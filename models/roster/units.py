"""Editing the unit tree (单位): add, rename, move, reorder, delete an empty unit.

Optimistic locking: each edit of a unit takes ``expected_version``, the UnitDTO.version the
screen showed; the UPDATE/DELETE matches only that version (without it, the version read in
the use case's own transaction), so a unit renamed, moved, reordered or deleted by someone
else meanwhile is refused with ConflictError naming who and when, and nothing changes."""

from __future__ import annotations

from peewee import fn

from models.accounts import Permission, require
from models.core.audit import ChangeLog, current_user, record_changes
from models.core.concurrency import conflict, update_versioned
from models.core.db import write_transaction
from models.core.errors import ConflictError, DomainError, NotFoundError
from models.roster.service import list_units, subtree_ids, unit_paths
from models.roster.tables import Cadre, Unit
from models.roster.types import UnitDTO, units_matching

ENTITY = "unit"


def _get(unit_id: int) -> Unit:
    unit = Unit.get_or_none(Unit.id == unit_id)
    if unit is None:
        raise NotFoundError(f"找不到编号为 {unit_id} 的单位，可能已被删除")
    return unit


def _changed(unit_id: int) -> ConflictError:
    """The ConflictError of a unit changed or deleted by someone else since it was read: who
    and when from the change log, and its path now."""
    path = unit_paths().get(unit_id)
    if path is None:
        name = (
            ChangeLog.select(ChangeLog.old_value)
            .where(
                (ChangeLog.entity == ENTITY)
                & (ChangeLog.entity_id == unit_id)
                & (ChangeLog.field == "name")
                & (ChangeLog.action == "删除")
            )
            .order_by(ChangeLog.id.desc())
            .scalar()
        )
        return conflict(f"单位“{name}”" if name else "所选单位", ENTITY, unit_id, deleted=True)
    return conflict("所选单位", ENTITY, unit_id, now=path)


def _current(unit_id: int, expected_version: int | None) -> Unit:
    """The unit's row; with ``expected_version``, ConflictError when it is no longer that
    version or was deleted meanwhile."""
    unit = Unit.get_or_none(Unit.id == unit_id)
    if unit is None:
        if expected_version is not None:
            raise _changed(unit_id)
        raise NotFoundError(f"找不到编号为 {unit_id} 的单位，可能已被删除")
    if expected_version is not None and unit.version != expected_version:
        raise _changed(unit_id)
    return unit


def _write(unit: Unit, expected_version: int | None, **values: object) -> None:
    """``UPDATE unit SET values, version = version + 1 WHERE id = ? AND version = ?`` with
    the version the screen showed (else the one read in this transaction): a writer who
    committed in between makes it touch no row, and the edit is refused, not lost."""
    expected = unit.version if expected_version is None else expected_version
    update_versioned(
        Unit,
        unit.id,
        expected,
        values,
        record="所选单位",
        entity=ENTITY,
        refused=lambda: _changed(unit.id),
    )


def _check_name(name: str, parent_id: int | None, exclude_id: int | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise DomainError("单位名称不能为空", field="name")
    if len(name) > 100:
        raise DomainError(f"单位名称不能超过 100 个字，现为 {len(name)} 个", field="name")
    if "/" in name:
        raise DomainError("单位名称中不能有“/”（它用来分隔上下级单位）", field="name")
    q = Unit.select().where((Unit.name == name) & (Unit.parent == parent_id))
    if parent_id is None:
        q = Unit.select().where((Unit.name == name) & Unit.parent.is_null())
    if exclude_id is not None:
        q = q.where(Unit.id != exclude_id)
    if q.exists():
        where = unit_paths().get(parent_id, "") if parent_id else "顶层"
        raise DomainError(f"“{where}”下已有名为“{name}”的单位", field="name")
    return name


def _dto(unit_id: int) -> UnitDTO:
    return next(u for u in list_units() if u.id == unit_id)


def add_unit(
    name: str,
    parent_id: int | None = None,
    *,
    code: str = "",
    kind: str = "",
    user: str | None = None,
) -> UnitDTO:
    require(Permission.UNITS)
    with write_transaction():
        if parent_id is not None:
            _get(parent_id)
        name = _check_name(name, parent_id)
        last = Unit.select(fn.MAX(Unit.sort_order)).scalar() or 0
        uid = Unit.insert(
            name=name, parent=parent_id, code=code.strip(), kind=kind, sort_order=last + 1
        ).execute()
        record_changes(
            ENTITY,
            uid,
            "新增",
            {},
            {"name": name, "parent_id": parent_id},
            user=user or current_user(),
        )
    return _dto(uid)


def rename_unit(
    unit_id: int, name: str, *, user: str | None = None, expected_version: int | None = None
) -> UnitDTO:
    """Rename a unit. ``expected_version``: the UnitDTO.version the screen showed."""
    require(Permission.UNITS)
    with write_transaction():
        unit = _current(unit_id, expected_version)
        name = _check_name(name, unit.parent_id, exclude_id=unit_id)
        if name != unit.name:
            _write(unit, expected_version, name=name)
            record_changes(
                ENTITY,
                unit_id,
                "修改",
                {"name": unit.name},
                {"name": name},
                user=user or current_user(),
            )
    return _dto(unit_id)


def move_unit(
    unit_id: int,
    parent_id: int | None,
    *,
    user: str | None = None,
    expected_version: int | None = None,
) -> UnitDTO:
    """Put a unit (with everything below it) under another parent. ``expected_version``: the
    UnitDTO.version the screen showed."""
    require(Permission.UNITS)
    with write_transaction():
        unit = _current(unit_id, expected_version)
        if parent_id is not None:
            _get(parent_id)
            if parent_id in subtree_ids(unit_id):
                raise DomainError(f"不能把“{unit.name}”移到它自己或它的下级单位之下")
        _check_name(unit.name, parent_id, exclude_id=unit_id)
        _write(unit, expected_version, parent=parent_id)
        record_changes(
            ENTITY,
            unit_id,
            "修改",
            {"parent_id": unit.parent_id},
            {"parent_id": parent_id},
            user=user or current_user(),
        )
    return _dto(unit_id)


def move_unit_order(
    unit_id: int, step: int, *, user: str | None = None, expected_version: int | None = None
) -> None:
    """Move a unit up (-1) or down (+1) among its siblings; the roster lists units so. The
    moved unit's version goes up (``expected_version``: the one the screen showed); the
    siblings it passes only change places."""
    require(Permission.UNITS)
    with write_transaction():
        unit = _current(unit_id, expected_version)
        siblings = [u for u in list_units() if u.parent_id == unit.parent_id]
        ids = [u.id for u in siblings]
        pos = ids.index(unit_id)
        new = max(0, min(len(ids) - 1, pos + step))
        if new == pos:
            return
        orders = sorted(u.sort_order for u in siblings)
        ids.insert(new, ids.pop(pos))
        for uid, order in zip(ids, orders, strict=True):
            if uid == unit_id:
                _write(unit, expected_version, sort_order=order)
            else:
                Unit.update(sort_order=order).where(Unit.id == uid).execute()
        record_changes(
            ENTITY,
            unit_id,
            "修改",
            {"sort_order": pos + 1},
            {"sort_order": new + 1},
            user=user or current_user(),
            reason="调整单位顺序",
        )


def delete_unit(
    unit_id: int, *, user: str | None = None, expected_version: int | None = None
) -> None:
    """Delete a unit that has no sub-units and no cadres (of any status).
    ``expected_version``: the UnitDTO.version the screen showed."""
    require(Permission.UNITS)
    with write_transaction():
        unit = _current(unit_id, expected_version)
        children = Unit.select().where(Unit.parent == unit_id).count()
        if children:
            raise DomainError(f"“{unit.name}”下还有 {children} 个下级单位，不能删除")
        people = Cadre.select().where(Cadre.unit == unit_id).count()
        if people:
            raise DomainError(
                f"“{unit.name}”还有 {people} 名干部（含调离、退休），不能删除；"
                "请先把他们调到其他单位"
            )
        expected = unit.version if expected_version is None else expected_version
        if Unit.delete().where((Unit.id == unit_id) & (Unit.version == expected)).execute() != 1:
            raise _changed(unit_id)
        record_changes(
            ENTITY, unit_id, "删除", {"name": unit.name}, {}, user=user or current_user()
        )


def find_unit(text: str) -> UnitDTO:
    """A unit by name or by path ('白银市/靖远县/乌兰镇'); unknown or ambiguous names are
    refused with the candidates named."""
    paths = unit_paths()
    hits = units_matching(paths, text)
    if not hits:
        raise DomainError(f"找不到单位“{text}”")
    if len(hits) > 1:
        examples = "；".join(paths[u] for u in hits[:3])
        raise DomainError(f"名为“{text}”的单位有 {len(hits)} 个，请写出完整路径，如 {examples}")
    return _dto(hits[0])
