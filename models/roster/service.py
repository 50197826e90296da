"""Roster use cases: list, search, read, validate, save and retire cadres.

Every function here is one use case with one transaction. The UI and the command line both
call these and get plain frozen dataclasses back, never peewee rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from peewee import JOIN, fn

from models.accounts import Permission, require
from models.core.audit import ChangeLog, current_user, record_changes
from models.core.concurrency import conflict
from models.core.dates import age_on, as_date, ym
from models.core.db import db, is_server, query_rows, write_transaction
from models.core.errors import ConflictError, DomainError, NotFoundError, ValidationError
from models.roster.pinyin import name_keys
from models.roster.tables import STATUSES, Cadre, PicklistItem, Unit
from models.roster.types import (
    DATE_FIELDS,
    FIELD_LABELS,
    PARTY_MEMBER,
    PICKLIST_FIELDS,
    ROSTER_COLUMNS,
    CadreDTO,
    CadreInput,
    RosterFilter,
    RosterRow,
    UnitDTO,
)
from models.roster.validation import CheckContext, Checked, check

__all__ = [
    "DATE_FIELDS",
    "FIELD_LABELS",
    "MISSING_ID_CARD",
    "PARTY_MEMBER",
    "PICKLIST_FIELDS",
    "ROSTER_COLUMNS",
    "CadreDTO",
    "CadreInput",
    "CheckContext",
    "Checked",
    "RosterFilter",
    "RosterRow",
    "UnitDTO",
    "check",
    "count_cadres",
    "delete_cadre",
    "fetch_rows",
    "get_cadre",
    "iter_cadres",
    "level_choices",
    "list_units",
    "picklist",
    "query_ids",
    "references",
    "save_cadre",
    "set_status",
    "subtree_ids",
    "unit_paths",
]

# --------------------------------------------------------------------------- units


def _active_counts() -> dict[int, int]:
    """在职 cadres per unit. Counting them directly reads every 在职 row of the table (the
    status index does not hold the unit): 25 ms at 50,000 cadres. Most cadres are 在职, so the
    count is taken from the unit index alone (all cadres per unit, no row read) less the few
    that are not 在职, found through the status index."""
    by_status = dict(Cadre.select(Cadre.status, fn.COUNT(Cadre.id)).group_by(Cadre.status).tuples())
    others = [status for status in by_status if status != "在职"]
    if sum(by_status[s] for s in others) * 2 > sum(by_status.values()):  # few 在职: directly
        return dict(
            Cadre.select(Cadre.unit, fn.COUNT(Cadre.id))
            .where(Cadre.status == "在职")
            .group_by(Cadre.unit)
            .tuples()
        )
    counts: dict[int, int] = dict(
        Cadre.select(Cadre.unit, fn.COUNT(Cadre.id)).group_by(Cadre.unit).tuples()
    )
    if others:
        gone = Cadre.select(Cadre.unit, fn.COUNT(Cadre.id)).where(Cadre.status.in_(others))
        for unit_id, n in gone.group_by(Cadre.unit).tuples():
            counts[unit_id] -= n
    return {unit_id: n for unit_id, n in counts.items() if n}


def list_units() -> list[UnitDTO]:
    counts = _active_counts()
    return [
        UnitDTO(
            u.id, u.name, u.parent_id, u.code, u.kind, u.sort_order, counts.get(u.id, 0), u.version
        )
        for u in Unit.select().order_by(Unit.sort_order, Unit.id)
    ]


def subtree_ids(unit_id: int, units: Sequence[UnitDTO] | None = None) -> list[int]:
    units = list_units() if units is None else units
    children: dict[int | None, list[int]] = {}
    for u in units:
        children.setdefault(u.parent_id, []).append(u.id)
    out, todo = [], [unit_id]
    while todo:
        uid = todo.pop()
        out.append(uid)
        todo.extend(children.get(uid, []))
    return out


def unit_paths() -> dict[int, str]:
    """unit id → '白银市/白银区/区委组织部'."""
    units = {u.id: u for u in list_units()}
    paths: dict[int, str] = {}

    def path(uid: int) -> str:
        if uid not in paths:
            u = units[uid]
            paths[uid] = u.name if u.parent_id is None else f"{path(u.parent_id)}/{u.name}"
        return paths[uid]

    for uid in units:
        path(uid)
    return paths


# --------------------------------------------------------------------------- pick-lists


def picklist(kind: str, *, include_inactive: bool = False) -> list[str]:
    q = PicklistItem.select(PicklistItem.name).where(PicklistItem.kind == kind)
    if not include_inactive:
        q = q.where(PicklistItem.active == 1)
    return [name for (name,) in q.order_by(PicklistItem.sort_order, PicklistItem.id).tuples()]


def level_choices() -> list[str]:
    """领导职务层次 then 职级, high to low: the roster's level filter."""
    return picklist("leadership_level") + picklist("rank")


# --------------------------------------------------------------------------- listing


MISSING_ID_CARD = "缺身份证号"  # what the roster shows for, and how to search, a cadre without one


def _search_condition(text: str):  # noqa: ANN202 - a peewee expression
    q = "".join(text.split()).replace("%", "").replace("_", "")
    if not q:
        return None
    if q in (MISSING_ID_CARD, "缺身份证"):  # people imported without 身份证号
        return Cadre.id_card.is_null()
    if any(c.isdigit() for c in q) and all(c.isdigit() or c in "xX" for c in q):
        return Cadre.id_card.contains(q.upper())
    if q.isascii() and q.isalpha():
        q = q.lower()
        return (
            Cadre.name_initials.startswith(q)
            | Cadre.name_initials.contains(" " + q)
            | Cadre.name_pinyin.startswith(q)
            | Cadre.name_pinyin.contains(" " + q)
        )
    return Cadre.name.contains(q)


def _order_expressions(f: RosterFilter):  # noqa: ANN202
    level = PicklistItem.alias("lvl")
    rank = PicklistItem.alias("rnk")
    default = [
        Unit.sort_order,
        Unit.id,
        fn.COALESCE(level.sort_order, 99),
        fn.COALESCE(rank.sort_order, 99),
        Cadre.birth_date,
        Cadre.id,
    ]
    simple = {
        "name": [Cadre.name_sort, Cadre.name],
        "sex": [Cadre.sex],
        "birth": [Cadre.birth_date],
        "age": [Cadre.birth_date],
        "ethnicity": [Cadre.ethnicity],
        "political_status": [Cadre.political_status],
        "unit_name": [Unit.sort_order, Unit.id],
        "post_title": [Cadre.post_title],
        "leadership_level": [fn.COALESCE(level.sort_order, 99)],
        "rank": [fn.COALESCE(rank.sort_order, 99)],
        "post_since": [Cadre.post_since],
        "ft_education": [Cadre.ft_education],
        "id_card": [Cadre.id_card],
        "phone": [Cadre.phone],
        "status": [Cadre.status],
    }
    keys = simple.get(f.sort)
    # 年龄 runs the opposite way to 出生年月.
    desc = f.descending != (f.sort == "age")
    if keys is None:
        return level, rank, default
    ordered = [k.desc() if desc else k.asc() for k in keys]
    return level, rank, [*ordered, Cadre.id]


def query_ids(f: RosterFilter, units: Sequence[UnitDTO] | None = None) -> list[int]:
    """The ids of the cadres the filter shows, in display order (sorted in SQL)."""
    level, rank, order = _order_expressions(f)
    q = (
        Cadre.select(Cadre.id)
        .join(Unit, on=(Cadre.unit == Unit.id))
        .switch(Cadre)
        .join(
            level,
            JOIN.LEFT_OUTER,
            on=((level.kind == "leadership_level") & (level.name == Cadre.leadership_level)),
        )
        .switch(Cadre)
        .join(rank, JOIN.LEFT_OUTER, on=((rank.kind == "rank") & (rank.name == Cadre.rank)))
    )
    if f.unit_id is not None:
        ids = subtree_ids(f.unit_id, units) if f.include_subunits else [f.unit_id]
        q = q.where(Cadre.unit.in_(ids))
    cond = _search_condition(f.text)
    if cond is not None:
        q = q.where(cond)
    if f.level:
        q = q.where((Cadre.leadership_level == f.level) | (Cadre.rank == f.level))
    if f.status:
        q = q.where(Cadre.status == f.status)
    q = q.order_by(*order)
    if is_server():  # through the driver's cursor, without peewee's per-row processing
        return [cid for (cid,) in query_rows(q)]
    # SQLite: the ids as one text in one row (faster than 50,000 rows through the cursor, and
    # one step of the driver: a thread reading the roster ahead of the window (ui.roster)
    # does not hand the interpreter back and forth once per row)
    sql, params = q.sql()
    (text,) = db.execute_sql(f"SELECT group_concat(id) FROM ({sql})", params).fetchone()
    return [int(cid) for cid in text.split(",")] if text else []


def fetch_rows(ids: Sequence[int], *, today: dt.date | None = None) -> dict[int, RosterRow]:
    """Rows for a block of ids (the table model asks for a screenful at a time)."""
    today = today or dt.date.today()
    out: dict[int, RosterRow] = {}
    ids = list(ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        q = (
            Cadre.select(
                Cadre.id,
                Cadre.name,
                Cadre.sex,
                Cadre.birth_date,
                Cadre.ethnicity,
                Cadre.political_status,
                Unit.name,
                Cadre.post_title,
                Cadre.leadership_level,
                Cadre.rank,
                Cadre.post_since,
                Cadre.ft_education,
                Cadre.id_card,
                Cadre.phone,
                Cadre.status,
                Cadre.version,
                Cadre.annual_results,
            )
            .join(Unit)
            .where(Cadre.id.in_(chunk))
            .tuples()
        )
        for r in q:
            birth = _as_date(r[3])
            out[r[0]] = RosterRow(
                r[0],
                r[1],
                r[2],
                ym(birth),
                age_on(birth, today),
                r[4],
                r[5],
                r[6],
                r[7],
                r[8],
                r[9],
                ym(_as_date(r[10])),
                r[11],
                r[12] or "",
                r[13],
                r[14],
                r[15],
                r[16] or "",
            )
    return out


def _as_date(value: object) -> dt.date | None:
    return None if value is None or value == "" else as_date(value)


def count_cadres(status: str = "") -> int:
    q = Cadre.select()
    if status:
        q = q.where(Cadre.status == status)
    return q.count()


# --------------------------------------------------------------------------- one cadre


def _dto(c: Cadre) -> CadreDTO:
    return CadreDTO(
        id=c.id,
        name=c.name,
        sex=c.sex,
        birth_date=c.birth_date,
        ethnicity=c.ethnicity,
        native_place=c.native_place,
        birthplace=c.birthplace,
        political_status=c.political_status,
        party_date=c.party_date,
        work_start_date=c.work_start_date,
        health=c.health,
        ft_education=c.ft_education,
        ft_degree=c.ft_degree,
        ft_school=c.ft_school,
        pt_education=c.pt_education,
        pt_degree=c.pt_degree,
        pt_school=c.pt_school,
        unit_id=c.unit_id,
        unit_name=c.unit.name,
        post_title=c.post_title,
        leadership_level=c.leadership_level,
        rank=c.rank,
        post_since=c.post_since,
        id_card=c.id_card or "",
        phone=c.phone,
        status=c.status,
        notes=c.notes,
        version=c.version,
        staff_category=c.staff_category,
    )


def get_cadre(cadre_id: int) -> CadreDTO:
    c = Cadre.select(Cadre, Unit).join(Unit).where(Cadre.id == cadre_id).first()
    if c is None:
        raise NotFoundError(f"找不到编号为 {cadre_id} 的干部，可能已被删除")
    return _dto(c)


def iter_cadres(ids: Iterable[int] | None = None, batch: int = 500) -> Iterable[CadreDTO]:
    """Every cadre (or the given ids) in roster order, fetched in batches."""
    all_ids = list(ids) if ids is not None else query_ids(RosterFilter(status=""))
    for start in range(0, len(all_ids), batch):
        chunk = all_ids[start : start + batch]
        rows = {
            c.id: _dto(c) for c in Cadre.select(Cadre, Unit).join(Unit).where(Cadre.id.in_(chunk))
        }
        for cid in chunk:
            if cid in rows:
                yield rows[cid]


# --------------------------------------------------------------------------- saving

_STORED = [f for f in FIELD_LABELS if f != "unit_id"] + ["unit_id"]


def _row_values(v: CadreInput) -> dict[str, object]:
    values: dict[str, object] = {name: getattr(v, name) for name in _STORED}
    values["unit"] = values.pop("unit_id")
    values["id_card"] = values["id_card"] or None  # 缺身份证号: NULL, which the unique index allows
    values["name_pinyin"], values["name_initials"], values["name_sort"] = name_keys(v.name)
    return values


def _audit_view(values: dict[str, object]) -> dict[str, object]:
    view = {
        k: values[k]
        for k in values
        if k not in ("name_pinyin", "name_initials", "name_sort", "unit")
    }
    view["unit_id"] = values.get("unit")
    return view


def save_cadre(
    inp: CadreInput,
    *,
    accept_warnings: bool = False,
    user: str | None = None,
    reason: str = "",
    today: dt.date | None = None,
) -> CadreDTO:
    """Validate and store one cadre (new when ``inp.id`` is None). Raises ValidationError
    with every problem, and stores nothing, when there are errors, or warnings not accepted.
    An edit whose ``version`` is stale raises ConflictError."""
    require(Permission.ROSTER)
    user = user or current_user()
    with write_transaction():
        checked = check(inp, today=today)
        blocking = checked.issues if not accept_warnings else checked.errors
        if blocking:
            raise ValidationError(blocking, record=checked.values.name or "新干部")
        v = checked.values
        values = _row_values(v)
        now = dt.datetime.now().replace(microsecond=0)
        if v.id is None:
            cadre_id = Cadre.insert(**values, created_at=now, updated_at=now).execute()
            record_changes(
                "cadre", cadre_id, "新增", {}, _audit_view(values), user=user, reason=reason
            )
            return get_cadre(cadre_id)
        old = Cadre.get_or_none(Cadre.id == v.id)
        if old is None:
            raise NotFoundError(f"找不到干部“{v.name}”，可能已被删除")
        before = {name: getattr(old, name) for name in _STORED if name != "unit_id"}
        before["unit_id"] = old.unit_id
        expected = v.version if v.version is not None else old.version
        updated = (
            Cadre.update(**values, updated_at=now, version=Cadre.version + 1)
            .where((Cadre.id == v.id) & (Cadre.version == expected))
            .execute()
        )
        if updated != 1:
            raise conflict(f"{old.name}的干部信息", "cadre", v.id)
        record_changes("cadre", v.id, "修改", before, _audit_view(values), user=user, reason=reason)
        return get_cadre(v.id)


def _cadre_changed(cadre_id: int, name: str) -> ConflictError:
    """The ConflictError of a cadre changed (or deleted) by someone else since it was read:
    who and when, and the field the latest change set with its value now."""
    gone = not Cadre.select().where(Cadre.id == cadre_id).exists()
    last = (
        ChangeLog.select(ChangeLog.field, ChangeLog.new_value)
        .where((ChangeLog.entity == "cadre") & (ChangeLog.entity_id == cadre_id))
        .order_by(ChangeLog.id.desc())
        .first()
    )
    now = None
    if not gone and last is not None and last.field in FIELD_LABELS:
        now = f"{FIELD_LABELS[last.field]}：{last.new_value or '空'}"
    return conflict(f"干部“{name}”", "cadre", cadre_id, now=now, deleted=gone)


def _current_cadre(cadre_id: int, expected_version: int | None) -> CadreDTO:
    """The cadre as stored; with ``expected_version`` (the version the screen showed),
    ConflictError when it changed or was deleted since."""
    try:
        c = get_cadre(cadre_id)
    except NotFoundError:
        if expected_version is None:
            raise
        name = (  # deleted meanwhile: the name its deletion logged
            ChangeLog.select(ChangeLog.old_value)
            .where(
                (ChangeLog.entity == "cadre")
                & (ChangeLog.entity_id == cadre_id)
                & (ChangeLog.field == "name")
            )
            .order_by(ChangeLog.id.desc())
            .scalar()
        )
        raise _cadre_changed(cadre_id, name or f"编号 {cadre_id}") from None
    if expected_version is not None and c.version != expected_version:
        raise _cadre_changed(cadre_id, c.name)
    return c


def set_status(
    cadre_id: int,
    status: str,
    *,
    user: str | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> CadreDTO:
    """People leave the roster by a status change (调离/退休), not by deletion. The cadre's
    version goes up, so an edit opened before (CadreInput.version) is refused on save.
    ``expected_version``: the version the screen showed (RosterRow/CadreDTO.version); a
    cadre changed meanwhile raises ConflictError and nothing changes."""
    require(Permission.ROSTER)
    if status not in STATUSES:
        raise DomainError(f"状态应为“在职”“调离”或“退休”，不能是“{status}”", field="status")
    with write_transaction():
        c = _current_cadre(cadre_id, expected_version)
        if c.status == status:
            return c
        done = (
            Cadre.update(status=status, version=Cadre.version + 1)
            .where((Cadre.id == cadre_id) & (Cadre.version == c.version))
            .execute()
        )
        if done != 1:
            raise _cadre_changed(cadre_id, c.name)
        record_changes(
            "cadre",
            cadre_id,
            "修改",
            {"status": c.status},
            {"status": status},
            user=user or current_user(),
            reason=reason,
        )
        return get_cadre(cadre_id)


def references(cadre_id: int) -> dict[str, int]:
    """Records elsewhere that point at this cadre: Chinese table description → count.

    Family rows belong to the cadre and do not count. Tables added later (scores,
    enrolments...) are found through their foreign keys, so nothing needs registering."""
    found: dict[str, int] = {}
    existing = set(db.get_tables())
    for fk_field, model in Cadre._meta.backrefs.items():
        # a model whose module is loaded but whose table this database does not have (yet)
        # cannot hold records
        if model.__name__ == "FamilyMember" or model._meta.table_name not in existing:
            continue
        n = model.select().where(fk_field == cadre_id).count()
        if n:
            label = getattr(model, "LABEL", model._meta.table_name)
            found[label] = found.get(label, 0) + n
    return found


def delete_cadre(
    cadre_id: int,
    *,
    user: str | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> None:
    """Delete a cadre entered by mistake. Refused when other records point at them, and
    (ConflictError) when ``expected_version`` is given and the cadre changed since."""
    require(Permission.ROSTER)
    with write_transaction():
        c = _current_cadre(cadre_id, expected_version)
        refs = references(cadre_id)
        if refs:
            what = "、".join(f"{label} {n} 条" for label, n in refs.items())
            raise DomainError(
                f"干部“{c.name}”已有{what}，不能删除；如已离开，请把状态改为“调离”或“退休”",
                record=c.name,
            )
        before = {k: getattr(c, k) for k in FIELD_LABELS}
        done = Cadre.delete().where((Cadre.id == cadre_id) & (Cadre.version == c.version)).execute()
        if done != 1:
            raise _cadre_changed(cadre_id, c.name)
        record_changes(
            "cadre", cadre_id, "删除", before, {}, user=user or current_user(), reason=reason
        )
