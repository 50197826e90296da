"""This year's 学时 completion for the 首页: the share of each top-level unit's 在职 cadres
who met the requirement, judged exactly as the 学时不足名单 judges it
(:func:`models.training.ledger.hours_report`): whoever is on that list has not met it. The
学时 screen counts its own list the same way, by the sub-units of the unit it shows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from models.core.db import query_rows
from models.overview.cadres import ACTIVE
from models.roster import UnitDTO, list_units, subtree_ids
from models.roster.tables import Cadre
from models.training.hours import Requirements
from models.training.ledger import hours_report


@dataclass(frozen=True)
class UnitHours:
    """One top-level unit (with its sub-units): its 在职 cadres and how many met the
    year's 学时 requirement."""

    unit: str
    people: int
    met: int

    @property
    def short(self) -> int:
        return self.people - self.met

    @property
    def share(self) -> float:
        """Met / people in per cent (0 for a unit without people)."""
        return 100.0 * self.met / self.people if self.people else 0.0


@dataclass(frozen=True)
class HoursCompletion:
    year: int
    units: tuple[UnitHours, ...]  # the unit tree's order; only units with 在职 cadres

    @property
    def total(self) -> UnitHours:
        """The 合计 line."""
        return UnitHours("合计", sum(u.people for u in self.units), sum(u.met for u in self.units))


def top_units(units: list[UnitDTO]) -> tuple[dict[int, int], dict[int, str]]:
    """(unit id → the top-level unit it belongs to, top-level unit id → its name, in the
    tree's order). Top level means the units under the root when the tree has one root (a
    city's 市委, 市政府 and counties: one bar for the whole city would say nothing), the
    roots otherwise; people registered in the single root itself count under
    “<root>本级”."""
    parent = {u.id: u.parent_id for u in units}
    roots = [u for u in units if u.parent_id is None]
    under_root = [u for u in units if len(roots) == 1 and u.parent_id == roots[0].id]
    names: dict[int, str] = {}
    if under_root:
        names[roots[0].id] = f"{roots[0].name}本级"
    names.update((u.id, u.name) for u in (under_root or roots))
    top: dict[int, int] = {}
    for u in units:
        uid: int | None = u.id
        while uid is not None and uid not in names:
            uid = parent[uid]
        top[u.id] = u.id if uid is None else uid  # every root is named: never None
    return top, names


def hours_completion(year: int, rules: Requirements | None = None) -> HoursCompletion:
    """The share of each top-level unit's 在职 cadres who met the 学时 requirement judged in
    ``year`` (每年 90 学时, or 五年 550 学时 for 县处级 and above: ``rules``, as the
    学时不足名单 uses them)."""
    return completion_by_unit(year, (r.cadre_id for r in hours_report(year, rules=rules)))


def completion_by_unit(
    year: int, short: Iterable[int], unit_id: int | None = None
) -> HoursCompletion:
    """The completion of a 学时不足名单 already made: ``short`` are the cadres on it, the list
    of ``unit_id`` and its sub-units (of every unit when None). Every unit: by top-level
    unit; one unit: by its direct sub-units, its own people under “<unit>本级”."""
    units = list_units()
    if unit_id is not None:  # the unit as the single root of its own subtree
        inside = set(subtree_ids(unit_id, units))
        units = [
            replace(u, parent_id=None) if u.id == unit_id else u for u in units if u.id in inside
        ]
    top, names = top_units(units)
    missing = set(short)
    people: Counter[int] = Counter()
    met: Counter[int] = Counter()
    for cid, uid in query_rows(Cadre.select(Cadre.id, Cadre.unit).where(Cadre.status == ACTIVE)):
        head = top.get(uid)
        if head is not None:
            people[head] += 1
            met[head] += cid not in missing
    return HoursCompletion(
        year,
        tuple(UnitHours(names[h], people[h], met[h]) for h in names if people[h]),
    )


__all__ = [
    "HoursCompletion",
    "UnitHours",
    "completion_by_unit",
    "hours_completion",
    "top_units",
]
