"""The round scope (``round:<year>``): one year's annual 年度考核 round — its members, item
scores, 民主测评 votes and averages, 加减分, 一票否决 and grades — sent by the office that keeps
the members' units (a county 组织部 to the city), the people and units by their keys only.

The receiver puts the records in its own round of that year (one is made from the package
when it has none, with the sender's scheme, starting at 录入; an existing one keeps its scheme
and status). It refuses a package whose members sit in units whose roster it did not last
receive from the sending office (an office sends the results of its own units only), and
one that would change its round after 审定 or a 考核范围 approved on its own. Results
received before from the same office that the new package no longer holds (a member taken
out there) are taken out here too, when unchanged here since. Sanctions and 平时考核 grades
belong to the person, not the round, and do not travel: the grades do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from models.accounts import Permission, require
from models.assessment.rounds import refuse_approved_pools
from models.assessment.tables import (
    KIND_ANNUAL,
    STATUS_APPROVED,
    AssessmentRound,
    RoundMember,
)
from models.core.db import chunks, write_transaction
from models.core.errors import DomainError, NotFoundError
from models.exchange.export import ExportResult, ensure_gids, rows_by_ids, rows_where, write_scope
from models.exchange.items import (
    CONFLICT,
    NEW,
    REMOVED,
    THEIRS,
    Planned,
    refusal,
)
from models.exchange.package import Package
from models.exchange.records import (
    ROUND_SPECS,
    content_hash,
    describe,
    local_fields,
    local_refs,
)
from models.exchange.tables import ExchangeRecord
from models.roster.tables import Cadre, Unit

RESULT_SPECS = tuple(s for s in ROUND_SPECS if s.natural and not s.key_only)
"""The tables of a person's results in the round (members first)."""
RESULT_TABLES = frozenset(s.table for s in RESULT_SPECS)
_CHANGES = (NEW, THEIRS, CONFLICT, REMOVED)


def annual_round(year: int) -> AssessmentRound | None:
    return (
        AssessmentRound.select()
        .where(
            (AssessmentRound.year == year)
            & (AssessmentRound.kind == KIND_ANNUAL)
            & AssessmentRound.quarter.is_null()
        )
        .order_by(AssessmentRound.id.desc())
        .first()
    )


def export_round(year: int, path: str | Path, *, password: str | None = None) -> ExportResult:
    """The annual round of ``year``: its members, their scores, votes, 加减分, 一票否决 and
    grades, with the keys of the people (姓名, 性别, 出生日期, 身份证号) and of the units they
    were assessed in, and nothing else of the roster."""
    require(Permission.GRADING)
    rnd = annual_round(year)
    if rnd is None:
        raise NotFoundError(f"没有{year}年度考核轮次，无法发送其结果")
    with write_transaction():
        ensure_gids()
    members = list(
        RoundMember.select()
        .where(RoundMember.round == rnd.id)
        .order_by(RoundMember.sort_order, RoundMember.id)
    )
    rows: dict[str, list[Any]] = {
        "unit": rows_by_ids(Unit, {m.unit_id for m in members}),
        "cadre": rows_by_ids(Cadre, {m.cadre_id for m in members}),
        "assessment_round": [rnd],
        "round_member": members,
    }
    for spec in RESULT_SPECS[1:]:
        rows[spec.table] = rows_where(spec.model, spec.model.round == rnd.id)
    title = f"{rnd.name}的得分与等次"
    return write_scope(Path(path), f"round:{year}", title, ROUND_SPECS, rows, password)


def _cadres(package: Package, table: str) -> set[str]:
    return {r["r"]["cadre"] for r in package.tables.get(table, [])}


def check_round(package: Package, value: str) -> None:
    """Refuse a round package whose records go beyond one year's annual round."""
    m, t = package.manifest, package.tables
    if not value.isdigit():
        raise refusal(m, f"考核年度“{value}”不对")
    rounds = t.get("assessment_round", [])
    if len(rounds) != 1:
        raise refusal(m, "应当只含一个考核轮次")
    f = rounds[0]["f"]
    if f.get("year") != int(value) or f.get("kind") != KIND_ANNUAL or f.get("quarter"):
        raise refusal(m, f"应当只含{value}年的年度考核")
    gid = rounds[0]["gid"]
    cadres = {r["gid"] for r in t.get("cadre", [])}
    units = {r["gid"] for r in t.get("unit", [])}
    members = _cadres(package, "round_member")
    if any(r["r"]["unit"] not in units | {None} for r in t.get("round_member", [])):
        raise refusal(m, "考核人员所在的单位不在包中")
    for spec in RESULT_SPECS:
        records = t.get(spec.table, [])
        if any(r["r"]["round"] != gid for r in records):
            raise refusal(m, f"含有其他考核轮次的{spec.label}记录")
        if not _cadres(package, spec.table) <= cadres:
            raise refusal(m, f"{spec.label}记录所指的干部不在包中")
        if not _cadres(package, spec.table) <= members:
            raise refusal(m, f"含有不是考核人员的{spec.label}记录")


def unit_owners(unit_ids: list[int]) -> dict[int, str]:
    """The office each unit's roster was last received from (units made here: none)."""
    owners: dict[int, str] = {}
    for part in chunks(unit_ids):
        q = (
            ExchangeRecord.select(ExchangeRecord.local_id, ExchangeRecord.office)
            .where((ExchangeRecord.entity == "unit") & ExchangeRecord.local_id.in_(part))
            .order_by(ExchangeRecord.received_at, ExchangeRecord.id)
        )
        owners.update(dict(q.tuples()))
    return owners


def check_here(package: Package, planned: list[Planned]) -> None:
    """Refuse what this office does not take from the sender: results of units whose roster
    came from elsewhere, changes to its round once 审定 or to an approved 考核范围."""
    m = package.manifest
    units = [p for p in planned if p.spec.table == "unit" and p.local_id is not None]
    owners = unit_owners([p.local_id for p in units if p.local_id is not None])
    foreign = [p.title for p in units if owners.get(p.local_id or 0) != m.office]
    if foreign:
        shown = "、".join(foreign[:3]) + (f"等 {len(foreign)} 个单位" if len(foreign) > 3 else "")
        raise DomainError(
            f"交换包（{m.title}）含有{shown}的考核结果，但本单位没有从“{m.office}”接收过"
            f"这些单位的名册：一个单位只能发送它所管单位的考核结果，已拒绝接收。"
            f"如这些单位确由“{m.office}”管理，请先接收它发来的名册交换包"
        )
    here = next((p for p in planned if p.spec.table == "assessment_round"), None)
    if here is None or here.local_id is None:
        return
    changing = [p for p in planned if p.spec.table in RESULT_TABLES and p.kind in _CHANGES]
    if not changing:
        return
    row = AssessmentRound.get_by_id(here.local_id)
    if row.status == STATUS_APPROVED:
        raise DomainError(
            f"本单位的“{row.name}”已审定锁定，不能接收交换包（{m.title}）中的"
            f"{len(changing)} 条考核记录；如确需接收，请先解除审定"
        )
    people = {p.refs.get("cadre") for p in changing} | {
        _cadre_of(p) for p in changing if p.kind == REMOVED
    }
    refuse_approved_pools(row.id, sorted(c for c in people if isinstance(c, int)))


def _cadre_of(p: Planned) -> int | None:
    row = p.spec.model.get_or_none(p.spec.model.id == p.local_id)
    return row.cadre_id if row is not None else None


def removed(package: Package, planned: list[Planned]) -> list[Planned]:
    """Results received before from the sending office, in this round, that the package no
    longer holds and that nobody changed here since: taken out too."""
    here = next((p for p in planned if p.spec.table == "assessment_round"), None)
    if here is None or not isinstance(here.local_id, int):
        return []
    office = package.manifest.office
    r = ExchangeRecord
    out: list[Planned] = []
    for spec in reversed(RESULT_SPECS):
        sent = {rec["gid"] for rec in package.tables.get(spec.table, [])}
        q = r.select(r.gid, r.local_id, r.local_hash).where(
            (r.entity == spec.table) & (r.office == office)
        )
        bases = {local_id: (gid, h) for gid, local_id, h in q.tuples() if gid not in sent}
        if not bases:
            continue
        model = spec.model
        rows = [
            row
            for part in chunks(sorted(bases))
            for row in model.select().where(model.id.in_(part) & (model.round == here.local_id))
        ]
        names: dict[int, str] = {}
        for part in chunks(sorted({row.cadre_id for row in rows})):
            names.update(Cadre.select(Cadre.id, Cadre.name).where(Cadre.id.in_(part)).tuples())
        for row in rows:
            gid, kept = bases[row.id]
            fields = local_fields(spec, row)
            now = content_hash(fields, local_refs(spec, row))
            if now != kept:
                continue  # changed here since: kept
            title = f"{names.get(row.cadre_id, '')} {describe(spec.table, fields, {})}"
            base = r(entity=spec.table, gid=gid, local_id=row.id, local_hash=kept)
            out.append(Planned(spec, {"gid": gid}, REMOVED, row.id, {}, "", now, base, title))
    return out


__all__ = [
    "RESULT_SPECS",
    "RESULT_TABLES",
    "annual_round",
    "check_here",
    "check_round",
    "export_round",
    "removed",
    "unit_owners",
]
