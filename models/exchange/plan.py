"""Receiving a package, first step: what it would do here. Each record is matched to a
local row (by gid, by what an earlier exchange linked, then a cadre by 身份证号 or 姓名 and
出生日期, a unit by its path of names; a round's results by the round, the person and the
item) and put in one class:

* 新增 — not here yet; 相同 — here, saying the same;
* 对方修改 — changed there since the last exchange, not here: taken;
* 本地修改 — changed here only (or kept here in an earlier conflict): left as it is;
* 冲突 — changed on both sides since the last exchange (or never exchanged and different;
  or a new 学时 line like one registered here): the user chooses, record by record or for
  all (mine / theirs; for 学时 also both);
* 无法匹配 — refers to a cadre or unit this database does not have: reported by name, not
  applied; 对方已删除 — received before, no longer in the package: taken out.

The package is first checked against its scope: a class package carries one finished
class's results and only the keys of its trainees, never roster edits; a round package one
year's annual round of units the sender keeps; an hours package its period's lines. A
package of an older program is first brought to today's shape (models.exchange.upgrade).
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from models.core.db import chunks
from models.core.errors import DomainError
from models.exchange import ledger, rounds
from models.exchange.items import (
    CONFLICT,
    MINE,
    NEW,
    REMOVED,
    SAME,
    THEIRS,
    UNMATCHED,
    Difference,
    ItemDTO,
    Planned,
    Preview,
    TableCounts,
    refusal,
)
from models.exchange.package import Manifest, Package, read_package
from models.exchange.records import (
    LABELS,
    MODELS,
    SPECS_BY_KIND,
    TableSpec,
    content_hash,
    database_schema,
    describe,
    field_label,
    local_fields,
    local_refs,
    natural_key,
    paths_by_unit,
)
from models.exchange.tables import ExchangeRecord
from models.exchange.upgrade import upgrade
from models.roster.tables import Cadre, Unit
from models.training import hours as hr
from models.training.tables import Attendance, ClassSession, Enrolment, HoursEntry, TrainingClass

CLOSED = "已结业"
_RECORD_KEYS = {"gid", "f", "r", "unit_path"}
_refuse = refusal
_NOT_HERE = {
    "cadre": "本单位名册中没有此人（按身份证号，或姓名与出生日期查找）",
    "unit": "本单位没有此单位（按单位的全称路径查找）",
}


def scope_of(manifest: Manifest) -> tuple[str, str]:
    kind, _, gid = manifest.scope.partition(":")
    if kind not in SPECS_BY_KIND or not gid:
        raise DomainError(f"交换包的范围“{manifest.scope}”无法识别，本程序不能接收")
    return kind, gid


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
                extra = "、".join(field_label(table, k) for k in set(r["f"]) - set(spec.fields))
                if spec.key_only and table == "cadre":
                    raise _refuse(
                        m,
                        f"此类交换包只能含人员的身份信息（姓名、性别、出生日期、身份证号），"
                        f"却含有{extra or '其他信息'}，不能用它修改干部名册",
                    )
                raise _refuse(m, f"{spec.label}记录含有不应有的字段{extra}")
            g = r.get("gid")
            if not isinstance(g, str) or len(g) != 36 or g in gids:
                raise _refuse(m, f"{spec.label}记录的编号缺失或重复")
            gids.add(g)
    if kind == "class":
        _check_class(package, gid)
    elif kind == "unit":
        _check_unit(package, gid)
    elif kind == "round":
        rounds.check_round(package, gid)
    else:
        ledger.check_hours(package, gid)


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
        self.by_key: dict[tuple[Any, ...], Any] | None = None  # tables without gid
        if spec.has_gid:
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
        self,
        record: dict[str, Any],
        base: Any,
        paths: dict[str, int],
        refs: dict[str, Any],
    ) -> Any:
        if self.spec.natural:
            return self._natural(record, refs)
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

    def _natural(self, record: dict[str, Any], refs: dict[str, Any]) -> Any:
        """The row with the record's natural key (its round, person, item…), or None."""
        if any(isinstance(refs.get(k), str) for k in self.spec.natural):
            return None  # refers to a record the package adds: new too
        if self.by_key is None:
            self.by_key = self._load(refs)
        return self.by_key.get(natural_key(self.spec, record["f"], refs))

    def _load(self, refs: dict[str, Any]) -> dict[tuple[Any, ...], Any]:
        """The rows of the round the records go in (or the whole table, for rounds), as
        light rows holding what a record is compared with (a round's hundreds of thousands
        of scores and votes would cost seconds as model instances)."""
        spec, model = self.spec, self.spec.model
        names = ["id", *spec.fields, *(f"{r}_id" for r in spec.refs)]
        columns = [model._meta.fields[spec.ref_column(r)] for r in spec.refs]
        q = model.select(model.id, *(model._meta.fields[n] for n in spec.fields), *columns)
        if "round" in spec.natural:
            q = q.where(model.round == refs["round"])
        light = namedtuple(f"{spec.table}_row", names)
        out: dict[tuple[Any, ...], Any] = {}
        for values in q.tuples():
            row = light(*values)
            out[natural_key(spec, local_fields(spec, row), local_refs(spec, row))] = row
        return out

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
    return {path: uid for uid, path in paths_by_unit().items()}


Base = namedtuple("Base", "entity gid local_id their_hash local_hash")
"""What the last receipt of a record kept (an ExchangeRecord, read light)."""


def _bases(specs: Iterable[TableSpec], package: Package) -> dict[tuple[str, str], Base]:
    out: dict[tuple[str, str], Base] = {}
    r = ExchangeRecord
    for spec in specs:
        for part in chunks(list(_gids(package, spec.table))):
            q = r.select(r.entity, r.gid, r.local_id, r.their_hash, r.local_hash).where(
                (r.entity == spec.table) & r.gid.in_(part)
            )
            out.update({(b[0], b[1]): Base(*b) for b in q.tuples()})
    return out


def _text(value: object) -> str:
    return "" if value is None else str(value)


def plan(package: Package) -> list[Planned]:
    """Every record of the package and what receiving it would do, in the order to apply
    them; then the records the package no longer has (对方已删除). Reads only; DomainError
    when the package may not be received here."""
    check_scope(package)
    kind, scope_value = scope_of(package.manifest)
    specs = SPECS_BY_KIND[kind]
    bases = _bases(specs, package)
    paths = unit_paths() if kind in ("unit", "round") else {}
    ids: dict[str, dict[str, int | str | None]] = {}  # table → gid → local id / "new:gid"
    names: dict[str, dict[str, str]] = {}  # table → gid → title, for the 无法匹配 reasons
    outside: dict[tuple[str, str], int | None] = {}  # optional refs found here by gid
    out: list[Planned] = []
    referred = {table for s in specs for table in s.refs.values()}  # named in reasons
    for spec in specs:
        mine = ids.setdefault(spec.table, {})
        titles = names.setdefault(spec.table, {})
        records = package.tables.get(spec.table, [])
        here_rows = _Here(spec, records, bases)
        left = package.defaulted.get(spec.table, frozenset())
        for rec in records:
            gid, fields = rec["gid"], rec["f"]
            title = ""  # named when shown (a record 相同 is not: a round has 700,000)
            if spec.table in referred:
                title = titles[gid] = _title(spec, rec, names)
            base = bases.get((spec.table, gid))
            refs, missing, absent = _resolve(spec, rec, ids, names, paths, outside)
            row = None if missing else here_rows.find(rec, base, paths, refs)
            last = base  # what the last receipt kept, unless it was of a row since taken out
            if row is not None and base is not None and spec.natural and base.local_id != row.id:
                last = None
            sent_r = {k: None if k in absent else v for k, v in rec["r"].items()}
            their = content_hash(fields, sent_r)
            if missing or (row is None and spec.key_only and not spec.may_add):
                why = missing or _NOT_HERE.get(spec.table, "本单位没有此记录")
                title = title or _title(spec, rec, names)
                out.append(Planned(spec, rec, UNMATCHED, None, refs, their, "", base, title, why))
                mine[gid] = None
                continue
            if row is None:
                title = title or _title(spec, rec, names)
                out.append(Planned(spec, rec, NEW, None, refs, their, "", base, title))
                mine[gid] = f"new:{gid}"
                continue
            mine[gid] = row.id
            compared = {k: v for k, v in fields.items() if k not in left}
            every = local_fields(spec, row)
            here_f = {k: v for k, v in every.items() if k in compared}
            here_r = local_refs(spec, row)
            here = content_hash(every, here_r)  # all fields: as the last receipt kept it
            if spec.key_only or (_loose(spec, here_f) == _loose(spec, compared) and here_r == refs):
                what = SAME
            elif last is None:
                what = CONFLICT
            else:
                theirs_changed = their != last.their_hash
                mine_changed = here != last.local_hash
                what = CONFLICT if theirs_changed and mine_changed else THEIRS
                if not theirs_changed:
                    what = MINE
            if what != SAME:
                title = title or _title(spec, rec, names)
            out.append(Planned(spec, rec, what, row.id, refs, their, here, base, title))
    if kind == "class":
        out.extend(_removed(package, scope_value, ids))
    elif kind == "round":
        out.extend(rounds.removed(package, out))
        rounds.check_here(package, out)
    elif kind == "hours":
        out.extend(ledger.removed(package, scope_value, out))
        ledger.check_owner(package, out)
    return ledger.match_alike(out, package.defaulted.get("hours_entry", frozenset()))


def _title(spec: TableSpec, rec: dict[str, Any], names: dict[str, dict[str, str]]) -> str:
    """How the record is named: 张三（身份证号 …） 2026-05-15 在线学习 50.00 学时."""
    text = describe(spec.table, rec["f"], rec)
    if spec.table == "round_member":
        unit = names.get("unit", {}).get(rec["r"]["unit"]) or rec["f"].get("unit_name")
        text = f"考核人员（{unit}）"
    cadre = rec["r"].get("cadre") if "cadre" in spec.refs else None
    who = names.get("cadre", {}).get(cadre, "") if cadre else ""
    return f"{who} {text}" if who else text


def _loose(spec: TableSpec, fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if k not in spec.loose} if spec.loose else fields


def _resolve(
    spec: TableSpec,
    rec: dict[str, Any],
    ids: dict[str, dict[str, int | str | None]],
    names: dict[str, dict[str, str]],
    paths: dict[str, int],
    outside: dict[tuple[str, str], int | None],
) -> tuple[dict[str, int | str | None], str, set[str]]:
    """The record's references as local ids, why one cannot be matched ("" if all can),
    and the optional ones that are not here (None)."""
    refs: dict[str, int | str | None] = {}
    absent: set[str] = set()
    for name, table in spec.refs.items():
        gid = rec["r"][name]
        if gid is None:
            refs[name] = None
            if spec.table == "unit" and rec.get("unit_path", "").count("/"):
                parent_path = rec["unit_path"].rsplit("/", 1)[0]
                found = paths.get(parent_path)
                if found is None:
                    return refs, f"上级单位“{parent_path}”在本库中找不到", absent
                refs[name] = found
            elif not spec.model._meta.fields[spec.ref_column(name)].null:
                return refs, f"交换包中此记录没有{LABELS[table]}", absent
            continue
        if name in spec.optional and gid not in ids.get(table, {}):
            if (table, gid) not in outside:
                model = MODELS[table]
                outside[table, gid] = model.select(model.id).where(model.gid == gid).scalar()
            refs[name] = outside[table, gid]
            if refs[name] is None:
                absent.add(name)
            continue
        local = ids.get(table, {}).get(gid)
        if local is None:
            who = names.get(table, {}).get(gid, gid)
            return refs, f"{LABELS[table]} {who} 在本库中找不到", absent
        refs[name] = local
    return refs, "", absent


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


def _differences(p: Planned, left: frozenset[str]) -> tuple[Difference, ...]:
    if p.kind not in (CONFLICT, THEIRS) or p.local_id is None:
        return ()
    table = p.spec.table
    row = p.spec.model.get_by_id(p.local_id)
    here_f = local_fields(p.spec, row)
    here_r = local_refs(p.spec, row)
    out = [
        Difference(k, field_label(table, k), _text(here_f.get(k)), _text(v))
        for k, v in sorted(p.record["f"].items())
        if here_f.get(k) != v and k not in left and k not in p.spec.loose
    ]
    for k, v in p.refs.items():
        if here_r.get(k) != v:
            out.append(
                Difference(
                    k,
                    field_label(table, k),
                    _ref_text(p.spec, k, here_r[k]),
                    _ref_text(p.spec, k, v),
                )
            )
    return tuple(out)


def _ref_text(spec: TableSpec, name: str, value: int | str | None) -> str:
    if isinstance(value, str):
        return "（交换包中新增的记录）"
    if value is None:
        return ""
    target = spec.refs[name]
    if target == "unit":
        row = Unit.get_or_none(Unit.id == value)
        return row.name if row else str(value)
    if target == "training_class":
        row = TrainingClass.get_or_none(TrainingClass.id == value)
        return row.name if row else str(value)
    if target == "cadre":
        return Cadre.select(Cadre.name).where(Cadre.id == value).scalar() or str(value)
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
                    _differences(p, package.defaulted.get(p.spec.table, frozenset())),
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
    schema = database_schema()
    package = upgrade(read_package(file, password, schema=schema), schema)
    return summarize(file, package, plan(package))


__all__ = ["check_scope", "plan", "preview", "scope_of", "summarize", "unit_paths"]
