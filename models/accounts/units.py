"""The unit tree and the units of cadres as the permission checks need them, read with plain
SQL so that accounts stay below the roster and assessment packages (which call the checks).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from models.core.db import chunks, db


def unit_parents() -> dict[int, int | None]:
    """unit id → parent unit id (None at the top)."""
    rows = db.execute_sql("SELECT id, parent_id FROM unit").fetchall()
    return {int(uid): (None if parent is None else int(parent)) for uid, parent in rows}


def unit_names(unit_ids: Iterable[int]) -> dict[int, str]:
    """unit id → name, for the ids that exist."""
    wanted = sorted(set(unit_ids))
    out: dict[int, str] = {}
    for part in chunks(wanted):
        marks = ", ".join([db.param] * len(part))
        sql = f"SELECT id, name FROM unit WHERE id IN ({marks})"
        out.update({int(uid): str(name) for uid, name in db.execute_sql(sql, part).fetchall()})
    return out


def subtree(unit_ids: Iterable[int], parents: dict[int, int | None] | None = None) -> set[int]:
    """``unit_ids`` and every unit below them."""
    parents = unit_parents() if parents is None else parents
    children: dict[int | None, list[int]] = {}
    for uid, parent in parents.items():
        children.setdefault(parent, []).append(uid)
    found: set[int] = set()
    todo = [u for u in unit_ids if u in parents]
    while todo:
        uid = todo.pop()
        if uid in found:
            continue
        found.add(uid)
        todo.extend(children.get(uid, ()))
    return found


def cadre_units(cadre_ids: Sequence[int], round_id: int | None = None) -> dict[int, int]:
    """cadre id → the unit the cadre belongs to for the work at hand: in a 考核 round, the unit
    the cadre is assessed with (the round's snapshot); otherwise, or when not in the round,
    the cadre's unit in the roster. Cadres that do not exist are left out."""
    wanted = sorted(set(cadre_ids))
    out: dict[int, int] = {}
    for part in chunks(wanted):
        marks = ", ".join([db.param] * len(part))
        if round_id is not None:
            sql = (
                "SELECT cadre_id, unit_id FROM round_member "
                f"WHERE round_id = {db.param} AND cadre_id IN ({marks})"
            )
            for cid, uid in db.execute_sql(sql, [round_id, *part]).fetchall():
                out[int(cid)] = int(uid)
        rest = [c for c in part if c not in out]
        if rest:
            marks = ", ".join([db.param] * len(rest))
            sql = f"SELECT id, unit_id FROM cadre WHERE id IN ({marks})"
            for cid, uid in db.execute_sql(sql, rest).fetchall():
                out[int(cid)] = int(uid)
    return out


def cadre_names(cadre_ids: Iterable[int]) -> dict[int, str]:
    wanted = sorted(set(cadre_ids))
    out: dict[int, str] = {}
    for part in chunks(wanted):
        marks = ", ".join([db.param] * len(part))
        sql = f"SELECT id, name FROM cadre WHERE id IN ({marks})"
        out.update({int(cid): str(name) for cid, name in db.execute_sql(sql, part).fetchall()})
    return out


def parse_unit_ids(text: str) -> tuple[int, ...]:
    """The stored "3,7" as (3, 7)."""
    return tuple(int(p) for p in text.split(",") if p.strip().isdigit())


def join_unit_ids(unit_ids: Iterable[int]) -> str:
    return ",".join(str(u) for u in sorted(set(unit_ids)))


__all__ = [
    "cadre_names",
    "cadre_units",
    "join_unit_ids",
    "parse_unit_ids",
    "subtree",
    "unit_names",
    "unit_parents",
]
