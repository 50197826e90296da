"""The change log filtered as an inspector asks: a period, a person, a unit, a kind of record,
an account. Every filter is SQL (a 50,000-row log is never read into Python to be
filtered); a screen reads one page at a time, an export reads the matching rows in batches.

A person's changes are those of the cadre record itself and of the records that belong to
them: their rows in assessment rounds (scores, votes, grades, flags), sanctions and 平时考核
grades, enrolments in classes, attendance and 学时 entries. A unit's changes are those of
the cadres in it and its sub-units (a round member also by the unit recorded in the round)
and of the units themselves.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_
from typing import Any

from peewee import OP, SQL, Cast, Expression, Tuple, fn

from models.accounts import Permission, require
from models.assessment.rounds import CADRE_ENTITY, PERSON_ENTITY
from models.assessment.tables import RoundMember
from models.audit import kinds as k
from models.audit.names import RAW_COLUMNS, Namer, RawChange
from models.audit.types import AuditFilter, ChangePage, ChangeRow, PersonMatch
from models.core.audit import ChangeLog
from models.core.db import chunks
from models.core.errors import DomainError, NotFoundError
from models.roster import find_unit, idcard, subtree_ids
from models.roster.tables import Cadre, Unit
from models.training.tables import Attendance, Enrolment

__all__ = [
    "PAGE_SIZE",
    "account_choices",
    "count_changes",
    "describe",
    "find_people",
    "iter_changes",
    "kind_choices",
    "list_changes",
    "parse_day",
]

PAGE_SIZE = 200
_BATCH = 500  # ids bound per query: under the 999 of older SQLite builds

# --------------------------------------------------------------------------- dates

_DAY = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$")
_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_day(text: str, what: str) -> dt.date:
    """A day written 2026-01-01, 2026.1.1, 2026/01/01, 20260101 or 2026年1月1日; ``what``
    names it in the DomainError raised otherwise (开始日期, 结束日期)."""
    text = (text or "").strip()
    m = _DAY.match(text) or _DIGITS.match(text)
    if not m:
        raise DomainError(f"{what}“{text}”不是日期，应写作 2026-01-01", field="date")
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise DomainError(f"{what}“{text}”不是有效的日期", field="date") from None


# --------------------------------------------------------------------------- people

_ID_CARD = re.compile(r"^\d{15}$|^\d{17}[\dXx]$")


def _match(cid: int, name: str, namer: Namer, id_card: str | None) -> PersonMatch:
    label = namer.cadre_label(cid)
    if id_card:
        label = f"{label[:-1]}，{id_card}）" if label.endswith("）") else f"{label}（{id_card}）"
    return PersonMatch(cid, name, label)


def find_people(text: str) -> list[PersonMatch]:
    """The cadres ``text`` (a 姓名 or 身份证号) may mean: those on the roster, else those
    deleted from it whose deletion the log recorded."""
    text = "".join((text or "").split())
    if not text:
        return []
    namer = Namer()
    if _ID_CARD.match(text):
        try:
            number = idcard.parse(text).number
        except idcard.IdCardError:
            number = text.upper()
        where = Cadre.id_card == number
        field, value = "id_card", number
    else:
        where = Cadre.name == text
        field, value = "name", text
    found = [
        _match(cid, name, namer, card)
        for cid, name, card in Cadre.select(Cadre.id, Cadre.name, Cadre.id_card)
        .where(where)
        .order_by(Cadre.id)
        .tuples()
    ]
    if found:
        return found
    deleted = (
        ChangeLog.select(ChangeLog.entity_id)
        .where(
            (ChangeLog.entity == k.CADRE)
            & (ChangeLog.action == "删除")
            & (ChangeLog.field == field)
            & (ChangeLog.old_value == value)
        )
        .distinct()
        .order_by(ChangeLog.entity_id)
    )
    return [
        PersonMatch(cid, text if field == "name" else "", namer.cadre_label(cid), deleted=True)
        for (cid,) in deleted.tuples()
    ]


def _person(person: int | str) -> tuple[list[int], str]:
    """The cadre ids a person filter means, and how the filter is described."""
    if isinstance(person, int):
        logged = ChangeLog.select().where(
            ChangeLog.entity.in_([k.CADRE, CADRE_ENTITY]) & (ChangeLog.entity_id == person)
        )
        if not (Cadre.select().where(Cadre.id == person).exists() or logged.exists()):
            raise NotFoundError(f"找不到编号为 {person} 的干部", field="person")
        return [person], Namer().cadre_label(person)
    matches = find_people(person)
    text = "".join(person.split())
    if not matches:
        what = "身份证号为" if _ID_CARD.match(text) else "名为"
        raise NotFoundError(f"名册和修改记录中都没有{what}“{text}”的干部", field="person")
    if len(matches) > 1:
        names = "、".join(m.label for m in matches[:5])
        more = f"等 {len(matches)} 人" if len(matches) > 5 else f"共 {len(matches)} 人"
        raise DomainError(
            f"名为“{text}”的干部不止一人：{names}（{more}）；请改用身份证号", field="person"
        )
    return [matches[0].id], matches[0].label


# --------------------------------------------------------------------------- SQL


@dataclass(frozen=True)
class _Resolved:
    """A filter with its names looked up: cadre ids, the unit subtree's root, the kind."""

    where: Expression | None
    parts: tuple[str, ...]  # how the filter reads (人员：…；单位：…)


def _ids_sql(ids: list[int]) -> SQL:
    """Ids written into the statement, for ``IN``: a unit's subtree may hold more units than
    an older SQLite lets a statement bind (999). They are integers read from the database."""
    return SQL(f"({','.join(str(int(i)) for i in ids)})" if ids else "(NULL)")


def _in(column: Any, ids: list[int]) -> Expression:
    return Expression(column, OP.IN, _ids_sql(ids))


def _concerning(cadres: Any, members: Any) -> Expression:
    """Rows about the cadres ``cadres`` (a list of ids or a query of ids): their record and
    the records that belong to them. ``members``: a query of the RoundMember ids that count
    as theirs."""
    cl = ChangeLog
    if isinstance(cadres, list):
        texts: Any = [str(c) for c in cadres]
    else:
        texts = cadres.clone().select(Cast(Cadre.id, "TEXT"))
    # an attendance or 学时 entry names its cadre in the same 新增 or 删除 entry (cadre_id):
    # the rows written with it share its entity, record, moment and action
    entry = ChangeLog.alias("entry")
    entries = entry.select(entry.entity, entry.entity_id, entry.at, entry.action).where(
        entry.entity.in_([k.ATTENDANCE, k.HOURS])
        & (entry.field == "cadre_id")
        & (entry.new_value.in_(texts) | entry.old_value.in_(texts))
    )
    same_entry = Tuple(cl.entity, cl.entity_id, cl.at, cl.action).in_(entries)
    attendance = Attendance.select(Attendance.id).where(Attendance.cadre.in_(cadres))
    enrolments = Enrolment.select(Enrolment.id).where(Enrolment.cadre.in_(cadres))
    return (
        (cl.entity.in_([k.CADRE, CADRE_ENTITY]) & cl.entity_id.in_(cadres))
        | ((cl.entity == PERSON_ENTITY) & cl.entity_id.in_(members))
        | ((cl.entity == k.ENROLMENT) & cl.entity_id.in_(enrolments))
        | ((cl.entity == k.ATTENDANCE) & cl.entity_id.in_(attendance))
        | (cl.entity.in_([k.ATTENDANCE, k.HOURS]) & same_entry)
    )


def _kind_where(kind: k.Kind) -> Expression:
    def claims(x: k.Kind) -> Expression:
        terms: list[Expression] = []
        if x.fields:
            terms.append(ChangeLog.field.in_(list(x.fields)))
        terms += [ChangeLog.field.startswith(p) for p in x.prefixes]
        terms += [ChangeLog.field.endswith(s) for s in x.suffixes]
        return reduce(or_, terms)

    where = ChangeLog.entity == kind.entity
    if not kind.is_rest:
        return where & claims(kind)
    for other in k.siblings(kind):
        where = where & ~claims(other)
    return where


def _logged_entities() -> list[str]:
    return [e for (e,) in ChangeLog.select(ChangeLog.entity).distinct().tuples()]


def _resolve(f: AuditFilter) -> _Resolved:
    terms: list[Expression] = []
    parts: list[str] = []
    if f.date_from and f.date_to and f.date_from > f.date_to:
        raise DomainError(
            f"开始日期 {f.date_from.isoformat()} 晚于结束日期 {f.date_to.isoformat()}",
            field="date",
        )
    if f.date_from:
        terms.append(ChangeLog.at >= dt.datetime.combine(f.date_from, dt.time()))
    if f.date_to:
        terms.append(
            ChangeLog.at < dt.datetime.combine(f.date_to + dt.timedelta(days=1), dt.time())
        )
    parts.append(_period(f))
    if f.person is not None and str(f.person).strip():
        ids, label = _person(f.person)
        members = RoundMember.select(RoundMember.id).where(RoundMember.cadre.in_(ids))
        terms.append(_concerning(ids, members))
        parts.append(f"人员：{label}")
    if f.unit is not None and str(f.unit).strip():
        if isinstance(f.unit, int):
            if not Unit.select().where(Unit.id == f.unit).exists():
                raise NotFoundError(f"找不到编号为 {f.unit} 的单位")
            unit_id = f.unit
        else:
            unit_id = find_unit(f.unit.strip()).id
        tree = subtree_ids(unit_id)
        cadres = Cadre.select(Cadre.id).where(_in(Cadre.unit, tree))
        members = RoundMember.select(RoundMember.id).where(
            RoundMember.cadre.in_(cadres) | _in(RoundMember.unit_id, tree)
        )
        terms.append(
            _concerning(cadres, members)
            | ((ChangeLog.entity == k.UNIT) & _in(ChangeLog.entity_id, tree))
        )
        parts.append(f"单位：{Namer().unit_path(unit_id)}（含下级单位）")
    if f.kind and f.kind.strip():
        kind = k.find_kind(f.kind, _logged_entities())
        if kind is None:
            known = "、".join(kind_choices())
            raise DomainError(f"没有名为“{f.kind.strip()}”的类别（可选：{known}）", field="kind")
        terms.append(_kind_where(kind))
        parts.append(f"类别：{kind.label}")
    if f.account and f.account.strip():
        terms.append(ChangeLog.user == f.account.strip())
        parts.append(f"账号：{f.account.strip()}")
    for entity, fields in k.HIDDEN_FIELDS.items():
        terms.append(~((ChangeLog.entity == entity) & ChangeLog.field.in_(list(fields))))
    return _Resolved(reduce(and_, terms) if terms else None, tuple(parts))


def _period(f: AuditFilter) -> str:
    if f.date_from and f.date_to:
        return f"{f.date_from.isoformat()} 至 {f.date_to.isoformat()}"
    if f.date_from:
        return f"{f.date_from.isoformat()} 以来"
    if f.date_to:
        return f"截至 {f.date_to.isoformat()}"
    return "全部时间"


def _select(r: _Resolved, *columns):  # noqa: ANN001, ANN002, ANN202 - peewee query
    q = ChangeLog.select(*columns)
    return q.where(r.where) if r.where is not None else q


def _raw(rows) -> list[RawChange]:  # noqa: ANN001 - tuples from RAW_COLUMNS
    return [RawChange(*row) for row in rows]


# --------------------------------------------------------------------------- services


def describe(f: AuditFilter) -> str:
    """The filter in words, for a title: 2026-01-01 至 2026-12-31；人员：张三（市委组织部）…
    Raises DomainError as :func:`list_changes` does for a filter that names nothing."""
    return "；".join(_resolve(f).parts)


def count_changes(f: AuditFilter) -> int:
    return _select(_resolve(f), fn.COUNT(ChangeLog.id)).scalar() or 0


def list_changes(f: AuditFilter, *, offset: int = 0, limit: int = PAGE_SIZE) -> ChangePage:
    """One page of the matching changes, newest first, and how many match in all. Raises
    DomainError (Chinese, naming the filter) for bad dates, an unknown or ambiguous person,
    an unknown unit or kind."""
    r = _resolve(f)
    total = _select(r, fn.COUNT(ChangeLog.id)).scalar() or 0
    q = (
        _select(r, *RAW_COLUMNS)
        .order_by(ChangeLog.at.desc(), ChangeLog.id.desc())
        .offset(max(offset, 0))
        .limit(max(limit, 0))
        .tuples()
    )
    return ChangePage(tuple(Namer().rows(_raw(q))), total, max(offset, 0))


def iter_changes(f: AuditFilter, *, oldest_first: bool = True) -> tuple[int, Iterator[ChangeRow]]:
    """Every matching change, for an export: how many, and the rows in time order (oldest
    first unless told otherwise), read and named a batch at a time. Exporting the log is
    a permission of its own (导出修改记录: 系统管理员 and 干部科); AccessDeniedError otherwise."""
    require(Permission.AUDIT)
    r = _resolve(f)
    order = (
        (ChangeLog.at, ChangeLog.id) if oldest_first else (ChangeLog.at.desc(), ChangeLog.id.desc())
    )
    ids = [i for (i,) in _select(r, ChangeLog.id).order_by(*order).tuples()]

    def rows() -> Iterator[ChangeRow]:
        namer = Namer()
        for part in chunks(ids, _BATCH):
            q = ChangeLog.select(*RAW_COLUMNS).where(ChangeLog.id.in_(part)).tuples()
            by_id = {raw.id: raw for raw in _raw(q)}
            yield from namer.rows([by_id[i] for i in part if i in by_id])

    return len(ids), rows()


def kind_choices() -> list[str]:
    """The kinds a reader may filter by: every kind this program records, then any other
    entity the log holds (recorded by a newer subject)."""
    labels = [x.label for x in k.KINDS]
    for entity in sorted(_logged_entities()):
        label = k.entity_label(entity)
        if entity not in {x.entity for x in k.KINDS} and label not in labels:
            labels.append(label)
    return labels


def account_choices() -> list[str]:
    """Every account that has changed something, in name order."""
    return sorted(u for (u,) in ChangeLog.select(ChangeLog.user).distinct().tuples() if u)
