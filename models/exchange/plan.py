"""Receiving a package, first step: what it would do here. Each record is matched to a
local row (by gid, by what an earlier exchange linked, then a cadre by 身份证号 or 姓名 and
出生日期, a unit by its path of names) and put in one class:

* 新增 — not here yet; 相同 — here, saying the same;
* 对方修改 — changed there since the last exchange, not here: taken;
* 本地修改 — changed here only (or kept here in an earlier conflict): left as it is;
* 冲突 — changed on both sides since the last exchange (or never exchanged and different):
  the user chooses, record by record or for all (mine / theirs);
* 无法匹配 — refers to a cadre or unit this database does not have: reported by name, not
  applied; 对方已删除 — received before, no longer in the class's package: taken out.

The package is first checked against its scope: a class package carries one finished
class's results and only the keys of its trainees, never roster edits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.core.db import chunks
from models.core.errors import DomainError
from models.exchange.package import Manifest, Package, read_package
from models.exchange.records import (
    FIELD_LABELS,
    LABELS,
    SPECS_BY_KIND,
    TableSpec,
    content_hash,
    database_schema,
    describe,
    local_fields,
    local_refs,
)
from models.exchange.tables import ExchangeRecord
from models.roster.tables import Cadre, Unit
from models.training import hours as hr
from models.training.tables import Attendance, ClassSession, Enrolment, HoursEntry, TrainingClass

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
CLOSED = "已结业"
_RECORD_KEYS = {"gid", "f", "r", "unit_path"}


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
    reason: str = ""  # 无法匹配: why


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
    base: ExchangeRecord | None
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


def scope_of(manifest: Manifest) -> tuple[str, str]:
    kind, _, gid = manifest.scope.partition(":")
    if kind not in SPECS_BY_KIND or not gid:
        raise DomainError(f"交换包的范围“{manifest.scope}”无法识别，本程序不能接收")
    return kind, gid


def _refuse(manifest: Manifest, why: str) -> DomainError:
    return DomainError(f"交换包（{manifest.title}）的内容与其范围不符：{why}，已拒绝接收")


def check_scope(package: Package) -> None:
    """Refuse a package whose records go beyond what its scope may carry."""
    m = package.manifest
    kind, gid = scope_of(m)
    specs = {s.table: s for s in SPECS_BY_KIND[kind]}
    for table, records in package.tables.items():
        spec = specs.get(table)
        if spec is None:
            raise _refuse(m, f"含有不属于此范围的“{LABELS.get(table, table)}”记录")
        gids: set[str] = set()
        for r in records:
            if not isinstance(r, dict) or set(r) - _RECORD_KEYS or not isinstance(r.get("f"), dict):
                raise _refuse(m, f"{spec.label}记录的格式不对")
            if not set(r["f"]) <= set(spec.fields) or set(r.get("r", {})) != set(spec.refs):
                extra = "、".join(FIELD_LABELS.get(k, k) for k in set(r["f"]) - set(spec.fields))
                if kind == "class" and table == "cadre":
                    raise _refuse(
                        m,
                        f"班次交换包只能含学员的身份信息（姓名、性别、出生日期、身份证号），"
                        f"却含有{extra or '其他信息'}，不能用它修改干部名册",
                    )
                raise _refuse(m, f"{spec.label}记录含有不应有的字段{extra}")
            g = r.get("gid")
            if not isinstance(g, str) or len(g) != 36 or g in gids:
                raise _refuse(m, f"{spec.label}记录的编号缺失或重复")
            gids.add(g)
    (_check_class if kind == "class" else _check_unit)(package, gid)


def _gids(package: Package, table: str) -> set[str]:
    return {r["gid"] for r in package.tables.get(table, [])}


def _check_class(package: Package, gid: str) -> None:
    m, t = package.manifest, package.tables
    classes = t.get("training_class", [])
    if [c["gid"] for c in classes] != [gid]:
        raise _refuse(m, "应当只含范围所指的一个培训班")
    if classes[0]["f"].get("status") != CLOSED:
        raise _refuse(m, "培训班尚未结业，只能交换已结业班次的结果")
    sessions, cadres = _gids(package, "class_session"), _gids(package, "cadre")
    for table, ref in (
        ("class_session", "training_class"),
        ("enrolment", "training_class"),
        ("hours_entry", "source_class"),
    ):
        if any(r["r"][ref] != gid for r in t.get(table, [])):
            raise _refuse(m, f"含有其他培训班的{LABELS[table]}记录")
    if any(r["f"].get("kind") != hr.CLASS_TRAINING for r in t.get("hours_entry", [])):
        raise _refuse(m, "含有不是本班次培训的学时记录")
    if any(r["r"]["session"] not in sessions for r in t.get("attendance", [])):
        raise _refuse(m, "含有其他班次课表的考勤记录")
    for table in ("enrolment", "attendance", "hours_entry"):
        if any(r["r"]["cadre"] not in cadres for r in t.get(table, [])):
            raise _refuse(m, f"{LABELS[table]}记录所指的干部不在包中")


def _check_unit(package: Package, gid: str) -> None:
    m, t = package.manifest, package.tables
    units = _gids(package, "unit")
    if gid not in units:
        raise _refuse(m, "不含范围所指的单位")
    for r in t.get("unit", []):
        if r["gid"] != gid and r["r"]["parent"] not in units:
            raise _refuse(m, "含有范围所指单位以外的单位")
    if any(r["r"]["unit"] not in units for r in t.get("cadre", [])):
        raise _refuse(m, "含有范围所指单位以外的干部")


# ============================================================================ matching


class _Here:
    """The local rows a table's records may be: loaded in a few queries, not one a record."""

    def __init__(self, spec: TableSpec, records: list[dict[str, Any]], bases: dict) -> None:  # type: ignore[type-arg]
        model = spec.model
        self.spec = spec
        self.by_gid: dict[str, Any] = {}
        self.by_id: dict[int, Any] = {}
        self.by_card: dict[str, Any] = {}
        for part in chunks([r["gid"] for r in records]):
            self.by_gid.update({r.gid: r for r in model.select().where(model.gid.in_(part))})
        ids = [b.local_id for (table, _), b in bases.items() if table == spec.table]
        if spec.table == "unit":
            self.by_id = {r.id: r for r in Unit.select()}
        for part in chunks(ids):
            self.by_id.update({r.id: r for r in model.select().where(model.id.in_(part))})
        if spec.table == "cadre":
            cards = [r["f"]["id_card"] for r in records if r["f"].get("id_card")]
            for part in chunks(cards):
                self.by_card.update(
                    {r.id_card: r for r in Cadre.select().where(Cadre.id_card.in_(part))}
                )

    def find(
        self, record: dict[str, Any], base: ExchangeRecord | None, paths: dict[str, int]
    ) -> Any:
        row = self.by_gid.get(record["gid"])
        if row is None and base is not None:
            row = self.by_id.get(base.local_id) or self.spec.model.get_or_none(
                self.spec.model.id == base.local_id
            )
        if row is None and self.spec.table == "cadre":
            row = self._cadre(record["f"])
        if row is None and self.spec.table == "unit" and record.get("unit_path"):
            found = paths.get(record["unit_path"])
            row = self.by_id.get(found) if found is not None else None
        return row

    def _cadre(self, fields: dict[str, Any]) -> Any:
        card = fields.get("id_card")
        if card:
            return self.by_card.get(card)
        rows = list(
            Cadre.select()
            .where(
                (Cadre.name == fields.get("name")) & (Cadre.birth_date == fields.get("birth_date"))
            )
            .limit(2)
        )
        return rows[0] if len(rows) == 1 else None


def unit_paths() -> dict[str, int]:
    """Every local unit by its path of names (白银市/靖远县/乌兰镇)."""
    rows = {
        uid: (name, parent)
        for uid, name, parent in Unit.select(Unit.id, Unit.name, Unit.parent).tuples()
    }
    out: dict[str, int] = {}
    for uid in rows:
        names, at, seen = [], uid, set()
        while at is not None and at in rows and at not in seen:
            seen.add(at)
            names.append(rows[at][0])
            at = rows[at][1]
        out["/".join(reversed(names))] = uid
    return out


def _bases(specs: Iterable[TableSpec], package: Package) -> dict[tuple[str, str], ExchangeRecord]:
    out: dict[tuple[str, str], ExchangeRecord] = {}
    for spec in specs:
        gids = list(_gids(package, spec.table))
        for i in range(0, len(gids), 500):
            q = ExchangeRecord.select().where(
                (ExchangeRecord.entity == spec.table) & ExchangeRecord.gid.in_(gids[i : i + 500])
            )
            out.update({(b.entity, b.gid): b for b in q})
    return out


def _text(value: object) -> str:
    return "" if value is None else str(value)


def plan(package: Package) -> list[Planned]:
    """Every record of the package and what receiving it would do, in the order to apply
    them; then the records the package no longer has (对方已删除). Reads only."""
    check_scope(package)
    kind, scope_gid = scope_of(package.manifest)
    specs = SPECS_BY_KIND[kind]
    bases = _bases(specs, package)
    paths = unit_paths() if kind == "unit" else {}
    ids: dict[str, dict[str, int | str | None]] = {}  # table → gid → local id / "new:gid"
    names: dict[str, dict[str, str]] = {}  # table → gid → title, for the 无法匹配 reasons
    out: list[Planned] = []
    for spec in specs:
        mine = ids.setdefault(spec.table, {})
        titles = names.setdefault(spec.table, {})
        records = package.tables.get(spec.table, [])
        here_rows = _Here(spec, records, bases)
        for rec in records:
            gid, fields = rec["gid"], rec["f"]
            title = describe(spec.table, fields, rec)
            titles[gid] = title
            base = bases.get((spec.table, gid))
            refs, missing = _resolve(spec, rec, ids, names, paths)
            row = here_rows.find(rec, base, paths)
            their = content_hash(fields, rec["r"])
            key_only = kind == "class" and spec.table == "cadre"
            if missing or (row is None and key_only):
                why = missing or "本单位名册中没有此人（按身份证号，或姓名与出生日期查找）"
                out.append(Planned(spec, rec, UNMATCHED, None, refs, their, "", base, title, why))
                mine[gid] = None
                continue
            if row is None:
                out.append(Planned(spec, rec, NEW, None, refs, their, "", base, title))
                mine[gid] = f"new:{gid}"
                continue
            mine[gid] = row.id
            here_f = {k: v for k, v in local_fields(spec, row).items() if k in fields}
            here_r = local_refs(spec, row)
            here = content_hash(here_f, here_r)
            if key_only or (here_f == fields and here_r == refs):
                what = SAME
            elif base is None:
                what = CONFLICT
            else:
                theirs_changed = their != base.their_hash
                mine_changed = here != base.local_hash
                what = CONFLICT if theirs_changed and mine_changed else THEIRS
                if not theirs_changed:
                    what = MINE
            out.append(Planned(spec, rec, what, row.id, refs, their, here, base, title))
    if kind == "class":
        out.extend(_removed(package, scope_gid, ids))
    return out


def _resolve(
    spec: TableSpec,
    rec: dict[str, Any],
    ids: dict[str, dict[str, int | str | None]],
    names: dict[str, dict[str, str]],
    paths: dict[str, int],
) -> tuple[dict[str, int | str | None], str]:
    """The record's references as local ids, and why one cannot be matched ("" if all can)."""
    refs: dict[str, int | str | None] = {}
    for name, table in spec.refs.items():
        gid = rec["r"][name]
        if gid is None:
            refs[name] = None
            if spec.table == "unit" and rec.get("unit_path", "").count("/"):
                parent_path = rec["unit_path"].rsplit("/", 1)[0]
                found = paths.get(parent_path)
                if found is None:
                    return refs, f"上级单位“{parent_path}”在本库中找不到"
                refs[name] = found
            continue
        local = ids.get(table, {}).get(gid)
        if local is None:
            who = names.get(table, {}).get(gid, gid)
            return refs, f"{LABELS[table]} {who} 在本库中找不到"
        refs[name] = local
    return refs, ""


_CHILDREN = (  # a class's rows, last applied first: what a later package can take back
    ("hours_entry", HoursEntry, lambda c: HoursEntry.source_class == c),
    ("attendance", Attendance, lambda c: Attendance.session.in_(_sessions(c))),
    ("enrolment", Enrolment, lambda c: Enrolment.training_class == c),
    ("class_session", ClassSession, lambda c: ClassSession.training_class == c),
)


def _sessions(class_id: int) -> Any:
    return ClassSession.select(ClassSession.id).where(ClassSession.training_class == class_id)


def _removed(
    package: Package, class_gid: str, ids: dict[str, dict[str, int | str | None]]
) -> list[Planned]:
    """Rows of the class received before that the package no longer has, unchanged here
    since (a 学时 line a 更正 there replaced…): taken out too."""
    local_class = ids.get("training_class", {}).get(class_gid)
    if not isinstance(local_class, int):
        return []
    specs = {s.table: s for s in SPECS_BY_KIND["class"]}
    out: list[Planned] = []
    for table, model, where in _CHILDREN:
        spec = specs[table]
        sent = _gids(package, table)
        rows = [r for r in model.select().where(where(local_class)) if r.gid not in sent]
        if not rows:
            continue
        bases = {
            b.gid: b
            for b in ExchangeRecord.select().where(
                (ExchangeRecord.entity == table) & ExchangeRecord.gid.in_([r.gid for r in rows])
            )
        }
        for row in rows:
            base = bases.get(row.gid)
            if base is None:
                continue  # made here: not the sender's to take back
            fields = local_fields(spec, row)
            here = content_hash(fields, local_refs(spec, row))
            if here != base.local_hash:
                continue  # changed here since: kept
            title = describe(table, fields, {})
            out.append(Planned(spec, {"gid": row.gid}, REMOVED, row.id, {}, "", here, base, title))
    return out


def _differences(p: Planned) -> tuple[Difference, ...]:
    if p.kind not in (CONFLICT, THEIRS) or p.local_id is None:
        return ()
    row = p.spec.model.get_by_id(p.local_id)
    here_f = local_fields(p.spec, row)
    here_r = local_refs(p.spec, row)
    out = [
        Difference(k, FIELD_LABELS.get(k, k), _text(here_f.get(k)), _text(v))
        for k, v in sorted(p.record["f"].items())
        if here_f.get(k) != v
    ]
    for k, v in p.refs.items():
        if here_r.get(k) != v:
            out.append(
                Difference(
                    k,
                    FIELD_LABELS.get(k, k),
                    _ref_text(p.spec, k, here_r[k]),
                    _ref_text(p.spec, k, v),
                )
            )
    return tuple(out)


def _ref_text(spec: TableSpec, name: str, value: int | str | None) -> str:
    if value is None or isinstance(value, str):
        return _text(value)
    target = spec.refs[name]
    if target == "unit":
        row = Unit.get_or_none(Unit.id == value)
        return row.name if row else str(value)
    if target == "training_class":
        row = TrainingClass.get_or_none(TrainingClass.id == value)
        return row.name if row else str(value)
    return str(value)


def summarize(file: Path, package: Package, planned: list[Planned]) -> Preview:
    counts: dict[str, dict[str, int]] = {}
    items: list[ItemDTO] = []
    for p in planned:
        counts.setdefault(p.spec.table, {})
        counts[p.spec.table][p.kind] = counts[p.spec.table].get(p.kind, 0) + 1
        if p.kind != SAME:
            items.append(
                ItemDTO(
                    p.spec.table,
                    p.spec.label,
                    p.record["gid"],
                    p.kind,
                    p.title,
                    p.local_id,
                    _differences(p),
                    p.reason,
                )
            )
    kind, _ = scope_of(package.manifest)
    tables = tuple(
        TableCounts(s.table, s.label, counts.get(s.table, {})) for s in SPECS_BY_KIND[kind]
    )
    return Preview(file, package.manifest, tables, tuple(items), package)


def preview(path: str | Path, password: str | None = None) -> Preview:
    """Check and read the package at ``path`` and say what receiving it would do here;
    writes nothing. DomainError (in Chinese) for a damaged or changed package, one from a
    newer program, a wrong password, or contents beyond its scope."""
    file = Path(path)
    package = read_package(file, password, schema=database_schema())
    return summarize(file, package, plan(package))


__all__ = [
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
    "check_scope",
    "plan",
    "preview",
    "scope_of",
    "summarize",
]
