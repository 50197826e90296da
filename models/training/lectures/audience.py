"""Who a lecture is for: the 在职 cadres of the chosen units (each with its sub-units) whose
领导职务层次 or 职级 is one of the chosen ranks. No units chosen: every unit; no ranks
chosen: every rank. The list comes in the roster's order (unit, then rank high to low,
then age), which is also the order of the sign-in sheet, unit by unit.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass

from models.core.dates import as_date
from models.core.errors import FieldIssue
from models.roster import service as roster
from models.roster.tables import Cadre, Unit
from models.roster.types import UnitDTO
from models.training.tables import Lecture

IN_POST = "在职"


@dataclass(frozen=True)
class AudiencePerson:
    cadre_id: int
    name: str
    unit_id: int
    unit_name: str
    post: str  # 职务 without the unit's name in front
    level: str  # 领导职务层次, else 职级 ("" when neither)


@dataclass(frozen=True)
class Audience:
    """The units and ranks a lecture is for, as stored."""

    unit_ids: tuple[int, ...] = ()
    ranks: tuple[str, ...] = ()


def lecture_audience(lecture: Lecture) -> Audience:
    """The audience stored on a lecture row (its two JSON lists)."""
    units = tuple(int(u) for u in json.loads(lecture.audience_units or "[]"))
    ranks = tuple(str(r) for r in json.loads(lecture.audience_ranks or "[]"))
    return Audience(units, ranks)


def short_post(unit: str, post: str) -> str:
    """'市教育局办公室主任' in unit '市教育局' → '办公室主任' (the unit has its own column)."""
    if unit and post.startswith(unit) and len(post) > len(unit):
        return post[len(unit) :]
    return post


def _unit_ids(audience: Audience, units: Sequence[UnitDTO]) -> list[int] | None:
    """Every unit the audience covers (sub-units included); None: all of them."""
    if not audience.unit_ids:
        return None
    known = {u.id for u in units}
    out: set[int] = set()
    for uid in audience.unit_ids:
        if uid in known:  # a unit deleted since is simply no longer there
            out.update(roster.subtree_ids(uid, units))
    return sorted(out)


def _query(audience: Audience, units: Sequence[UnitDTO]):  # noqa: ANN202 - a peewee query
    q = (
        Cadre.select(
            Cadre.id,
            Cadre.name,
            Cadre.unit,
            Cadre.post_title,
            Cadre.leadership_level,
            Cadre.rank,
            Cadre.birth_date,
        )
        .join(Unit)
        .where(Cadre.status == IN_POST)
    )
    ids = _unit_ids(audience, units)
    if ids is not None:
        q = q.where(Cadre.unit.in_(ids or [0]))
    if audience.ranks:
        ranks = list(audience.ranks)
        q = q.where(Cadre.leadership_level.in_(ranks) | Cadre.rank.in_(ranks))
    return q


def count_audience(audience: Audience, units: Sequence[UnitDTO] | None = None) -> int:
    """How many cadres the lecture expects."""
    units = roster.list_units() if units is None else units
    return int(_query(audience, units).count())


def audience_people(
    audience: Audience, units: Sequence[UnitDTO] | None = None
) -> list[AudiencePerson]:
    """The cadres the lecture expects, by unit (the unit tree's order), then rank (high to
    low), then age (oldest first)."""
    units = roster.list_units() if units is None else units
    unit_at = {u.id: (k, u.name) for k, u in enumerate(units)}
    levels = {name: k for k, name in enumerate(roster.picklist("leadership_level"))}
    ranks = {name: k for k, name in enumerate(roster.picklist("rank"))}
    rows = list(_query(audience, units).tuples())
    far = dt.date(9999, 12, 31)

    def order(r: tuple) -> tuple:  # type: ignore[type-arg]
        cid, _name, uid, _post, level, rank, birth = r
        return (
            unit_at.get(uid, (len(unit_at), ""))[0],
            levels.get(level or "", 999),
            ranks.get(rank or "", 999),
            as_date(birth) if birth else far,
            cid,
        )

    rows.sort(key=order)
    out = []
    for cid, name, uid, post, level, rank, _birth in rows:
        unit_name = unit_at.get(uid, (0, ""))[1]
        out.append(
            AudiencePerson(
                cid, name, uid, unit_name, short_post(unit_name, post or ""), level or rank or ""
            )
        )
    return out


def audience_text(audience: Audience, units: Sequence[UnitDTO] | None = None) -> str:
    """The audience in words, as the notice says it: 市委组织部、靖远县（含所属单位）的县处级
    正职、县处级副职干部; 全体在职干部 when nothing narrows it."""
    units = roster.list_units() if units is None else units
    by_id = {u.id: u for u in units}
    parents = {u.parent_id for u in units}
    names = []
    for uid in audience.unit_ids:
        u = by_id.get(uid)
        if u is not None:
            names.append(f"{u.name}（含所属单位）" if u.id in parents else u.name)
    who = "、".join(names)
    ranks = "、".join(audience.ranks)
    if who and ranks:
        return f"{who}的{ranks}干部"
    if who:
        return f"{who}的全体在职干部"
    if ranks:
        return f"各单位{ranks}干部"
    return "全体在职干部"


def check_audience(audience: Audience) -> list[FieldIssue]:
    """Units that do not exist and ranks that are not in the code lists."""
    issues = []
    known = {u.id for u in roster.list_units()}
    gone = [str(u) for u in audience.unit_ids if u not in known]
    if gone:
        issues.append(
            FieldIssue(
                "audience_units",
                "听课单位",
                f"编号为 {'、'.join(gone)} 的单位不存在（可能已被删除），请重新选择",
            )
        )
    levels = set(roster.level_choices())
    bad = [r for r in audience.ranks if r not in levels]
    if bad:
        issues.append(
            FieldIssue(
                "audience_ranks",
                "听课职级",
                f"“{'、'.join(bad)}”不是代码表中的领导职务层次或职级",
            )
        )
    return issues


__all__ = [
    "Audience",
    "AudiencePerson",
    "audience_people",
    "audience_text",
    "check_audience",
    "count_audience",
    "lecture_audience",
    "short_post",
]
