"""Training use cases: trainees of a class -- enrolment from the roster, discussion
groups and class officers (菜单化选学 is the package models.training.electives). Each edit
of a trainee carries the enrolment's version the screen read (``trainee_row``); the change
log names who enrolled, changed or withdrew them.

One use case = one function = one transaction. Results are frozen dataclasses, never rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from peewee import IntegrityError

from models.accounts import Permission, require
from models.core.audit import ChangeLog, current_user, record_changes
from models.core.dates import age_on, as_date
from models.core.db import bulk_insert, chunks, db, is_unique_violation, write_transaction
from models.core.errors import ConflictError, DomainError, NotFoundError
from models.roster import service as roster
from models.roster.tables import Cadre, PicklistItem, Unit
from models.training.classes import (
    changed_meanwhile,
    class_row,
    delete_versioned,
    expect_version,
    write_versioned,
)
from models.training.tables import (
    TRAINEE_ROLES,
    Attendance,
    ClassSession,
    ElectiveChoice,
    Enrolment,
    HoursEntry,
    TrainingClass,
)


@dataclass(frozen=True)
class TraineeDTO:
    enrolment_id: int
    cadre_id: int
    name: str
    sex: str
    birth_date: dt.date
    unit_id: int
    unit_name: str
    post_title: str
    leadership_level: str
    rank: str
    group_no: int
    role: str
    is_convener: bool
    version: int = 1  # of the enrolment: what an edit of the trainee carries


@dataclass(frozen=True)
class Refusal:
    cadre_id: int
    name: str
    reason: str


@dataclass(frozen=True)
class EnrolResult:
    added: tuple[TraineeDTO, ...]
    refused: tuple[Refusal, ...]


def list_trainees(class_id: int) -> list[TraineeDTO]:
    """The class's trainees by group, then unit and name."""
    q = (
        Enrolment.select(Enrolment, Cadre, Unit)
        .join(Cadre)
        .join(Unit)
        .where(Enrolment.training_class == class_id)
    )
    rows = [
        TraineeDTO(
            e.id,
            e.cadre_id,
            e.cadre.name,
            e.cadre.sex,
            as_date(e.cadre.birth_date),
            e.cadre.unit_id,
            e.cadre.unit.name,
            e.cadre.post_title,
            e.cadre.leadership_level,
            e.cadre.rank,
            e.group_no,
            e.role,
            bool(e.is_convener),
            e.version,
        )
        for e in q
    ]
    rows.sort(key=lambda t: (t.group_no, not t.is_convener, t.unit_id, t.name, t.cadre_id))
    return rows


ENROLMENT_ENTITY = "enrolment"
"""The change log's ``entity`` of a trainee's enrolment (role, group, 选学志愿)."""


def trainee_record(c: TrainingClass, name: str) -> str:
    """How a conflict message names a trainee of ``c``."""
    return f"班次《{c.name}》的学员“{name}”"


def _group_text(group_no: int, convener: bool) -> str:
    return f"第{group_no}组" + ("召集人" if convener else "") if group_no else "未分组"


def trainee_now(e: Enrolment) -> str:
    """What a conflict message says an enrolment holds now: role and group."""
    return f"{e.role}，{_group_text(e.group_no, e.is_convener)}"


def trainee_row(
    c: TrainingClass,
    cadre_id: int,
    expected: int | None,
    *,
    about: str = "",
    now: Callable[[Enrolment], object] = trainee_now,
) -> Enrolment:
    """The enrolment of ``cadre_id`` in ``c``, refused at once when it is no longer at the
    version the screen read (``expected``; None: not checked) or was removed meanwhile; the
    message names the trainee (and ``about``: what of theirs) and ``now(enrolment)``."""
    e = Enrolment.get_or_none((Enrolment.training_class == c.id) & (Enrolment.cadre == cadre_id))
    if e is not None:
        record = trainee_record(c, e.cadre.name) + about
        expect_version(e, expected, record, ENROLMENT_ENTITY, now=now(e))
        return e
    person = Cadre.get_or_none(Cadre.id == cadre_id)
    if expected is None or person is None:
        raise NotFoundError(f"编号为 {cadre_id} 的干部不在班次《{c.name}》中")
    # withdrawn meanwhile: who did it is in the log of the enrolment row, gone now
    gone = (ChangeLog.entity == ENROLMENT_ENTITY) & (ChangeLog.action == "删除")
    same_class = ChangeLog.select(ChangeLog.entity_id).where(
        gone & (ChangeLog.field == "班次") & (ChangeLog.old_value == c.name)
    )
    last = (
        ChangeLog.select(ChangeLog.entity_id)
        .where(gone & (ChangeLog.field == "学员") & (ChangeLog.old_value == person.name))
        .where(ChangeLog.entity_id.in_(same_class))
        .order_by(ChangeLog.id.desc())
        .first()
    )
    record = trainee_record(c, person.name)
    if last is None:
        raise ConflictError(record, deleted=True)
    raise changed_meanwhile(record, ENROLMENT_ENTITY, last.entity_id, deleted=True)


def _enrolled_meanwhile(c: TrainingClass, cadre_id: int) -> ConflictError:
    e = Enrolment.get((Enrolment.training_class == c.id) & (Enrolment.cadre == cadre_id))
    where = f"报名到班次《{c.name}》"
    return changed_meanwhile(f"干部“{e.cadre.name}”", ENROLMENT_ENTITY, e.id, action=where)


def enrol(
    class_id: int,
    *,
    cadre_ids: Sequence[int] = (),
    unit_id: int | None = None,
    include_subunits: bool = True,
    level: str = "",
    min_age: int | None = None,
    max_age: int | None = None,
    on: dt.date | None = None,
    expected_trainees: Collection[int] | None = None,
) -> EnrolResult:
    """Enrol the cadres named in ``cadre_ids`` plus, when any filter is given, every 在职
    cadre the roster filter (unit, level, age on ``on``, default the class's start) finds.
    Cadres already in the class, not 在职, or beyond the class's size cap are refused with
    the reason. ``expected_trainees``: the cadre ids the screen showed in the class; one of
    those wanted who was enrolled by someone else since refuses it all (ConflictError with
    who and when), as does another client enrolling the same person at the same moment."""
    require(Permission.TRAINING)
    with write_transaction():
        c = class_row(class_id)
        if c.status == "已结业":
            raise DomainError(f"班次《{c.name}》已结业，不能再报名")
        on = on or as_date(c.start)
        wanted: list[int] = list(dict.fromkeys(cadre_ids))
        filtered = unit_id is not None or level or min_age is not None or max_age is not None
        if filtered:
            ids = roster.query_ids(
                roster.RosterFilter(
                    unit_id=unit_id, include_subunits=include_subunits, level=level, status="在职"
                )
            )
            births = {
                cid: birth
                for part in chunks(ids)
                for cid, birth in Cadre.select(Cadre.id, Cadre.birth_date)
                .where(Cadre.id.in_(part))
                .tuples()
            }
            for cid in ids:
                age = age_on(as_date(births[cid]), on)
                if min_age is not None and age < min_age:
                    continue
                if max_age is not None and age > max_age:
                    continue
                if cid not in wanted:
                    wanted.append(cid)
        people = {
            x.id: x for part in chunks(wanted) for x in Cadre.select().where(Cadre.id.in_(part))
        }
        already = {
            cid
            for (cid,) in Enrolment.select(Enrolment.cadre)
            .where(Enrolment.training_class == class_id)
            .tuples()
        }
        if expected_trainees is not None:
            known = set(expected_trainees)
            late = [cid for cid in wanted if cid in already and cid not in known]
            if late:
                raise _enrolled_meanwhile(c, late[0])
        count = len(already)
        added_ids: list[int] = []
        refused: list[Refusal] = []
        for cid in wanted:
            person = people.get(cid)
            if person is None:
                refused.append(Refusal(cid, "", f"找不到编号为 {cid} 的干部"))
            elif cid in already or cid in added_ids:
                refused.append(Refusal(cid, person.name, f"已在班次《{c.name}》中"))
            elif person.status != "在职":
                refused.append(Refusal(cid, person.name, f"状态为“{person.status}”，不是在职干部"))
            elif c.class_size and count >= c.class_size:
                refused.append(
                    Refusal(cid, person.name, f"班次《{c.name}》已满 {c.class_size} 人（班额）")
                )
            else:
                added_ids.append(cid)
                count += 1
        if added_ids:
            try:
                with db.atomic():  # a savepoint: the unique index may refuse a row
                    rows = [{"training_class": class_id, "cadre": cid} for cid in added_ids]
                    bulk_insert(Enrolment, rows)
            except IntegrityError as exc:
                if not is_unique_violation(exc):
                    raise
                late = next(
                    e.cadre_id
                    for part in chunks(added_ids)
                    for e in Enrolment.select(Enrolment.cadre).where(
                        (Enrolment.training_class == class_id) & Enrolment.cadre.in_(part)
                    )
                )
                raise _enrolled_meanwhile(c, late) from None
        by_id = {t.cadre_id: t for t in list_trainees(class_id)}
        user = current_user()
        for cid in added_ids:
            new = {"班次": c.name, "学员": by_id[cid].name}
            record_changes(ENROLMENT_ENTITY, by_id[cid].enrolment_id, "新增", {}, new, user=user)
        return EnrolResult(tuple(by_id[cid] for cid in added_ids), tuple(refused))


def withdraw(class_id: int, cadre_id: int, *, expected_version: int | None = None) -> None:
    """Take a trainee off the class (entered by mistake). Refused once attendance exists,
    and when the enrolment changed or was removed since the screen read it
    (``expected_version``; None: not checked)."""
    require(Permission.TRAINING)
    with write_transaction():
        c = class_row(class_id)
        e = trainee_row(c, cadre_id, expected_version)
        n = (
            Attendance.select()
            .join(ClassSession)
            .where((ClassSession.training_class == class_id) & (Attendance.cadre == cadre_id))
            .count()
        )
        if n:
            raise DomainError(
                f"学员“{e.cadre.name}”已有 {n} 条考勤记录，不能撤销报名；如中途退学，请在考勤中登记"
            )
        record = trainee_record(c, e.cadre.name)
        delete_versioned(Enrolment, e, expected_version, record=record, entity=ENROLMENT_ENTITY)
        ElectiveChoice.delete().where(
            (ElectiveChoice.training_class == class_id) & (ElectiveChoice.cadre == cadre_id)
        ).execute()
        old = {"班次": c.name, "学员": e.cadre.name}
        record_changes(ENROLMENT_ENTITY, e.id, "删除", old, {}, user=current_user())


def _set_role_of(c: TrainingClass, e: Enrolment, expected: int | None, role: str) -> None:
    record = trainee_record(c, e.cadre.name)
    write_versioned(
        Enrolment,
        e,
        expected,
        {"role": role},
        record=record,
        entity=ENROLMENT_ENTITY,
        now=trainee_now,
    )
    old, new = {"班内职务": e.role}, {"班内职务": role}
    record_changes(ENROLMENT_ENTITY, e.id, "修改", old, new, user=current_user())


def set_role(
    class_id: int, cadre_id: int, role: str, *, expected_version: int | None = None
) -> TraineeDTO:
    """班长 / 副班长 / 组长 / 学员. A class has one 班长 (the one before becomes 学员).
    ``expected_version``: the trainee's version the screen showed (None: not checked)."""
    require(Permission.TRAINING)
    if role not in TRAINEE_ROLES:
        raise DomainError(f"学员职务应为 {'、'.join(TRAINEE_ROLES)} 之一，不能是“{role}”")
    with write_transaction():
        c = class_row(class_id)
        e = trainee_row(c, cadre_id, expected_version)
        if role == "班长":
            for x in Enrolment.select().where(
                (Enrolment.training_class == class_id)
                & (Enrolment.role == "班长")
                & (Enrolment.id != e.id)
            ):
                _set_role_of(c, x, None, "学员")
        _set_role_of(c, e, expected_version, role)
        return next(t for t in list_trainees(class_id) if t.cadre_id == cadre_id)


# ============================================================================ groups


def seniority() -> dict[tuple[str, str], int]:
    """(kind, name) -> sort order of 领导职务层次 and 职级 (smaller = more senior)."""
    return {
        (kind, name): order
        for kind, name, order in PicklistItem.select(
            PicklistItem.kind, PicklistItem.name, PicklistItem.sort_order
        )
        .where(PicklistItem.kind.in_(["leadership_level", "rank"]))
        .tuples()
    }


def rank_key(t: TraineeDTO, table: Mapping[tuple[str, str], int]) -> tuple[int, int]:
    return (
        table.get(("leadership_level", t.leadership_level), 99),
        table.get(("rank", t.rank), 99),
    )


@dataclass(frozen=True)
class GroupDTO:
    group_no: int
    members: tuple[TraineeDTO, ...]
    convener: TraineeDTO


def split_groups(
    class_id: int,
    n: int,
    *,
    on: dt.date | None = None,
    expected_versions: Mapping[int, int] | None = None,
) -> list[GroupDTO]:
    """Split the trainees into ``n`` discussion groups whose sizes differ by at most one,
    spreading units, ranks, sexes and ages; the most senior member of each group (then
    the eldest) is its convener. Deterministic: the same trainees give the same groups.

    Trainees are placed one by one -- largest unit first, and within it by seniority then
    age -- each into the smallest group, preferring the group with fewest of the same
    unit, then of the same 职级 band, then of the same sex, then the lowest total age.

    ``expected_versions``: cadre id → the trainee's version the screen showed; when one of
    them changed since, nothing is stored (ConflictError with who and when)."""
    require(Permission.TRAINING)
    with write_transaction():
        c = class_row(class_id)
        people = list_trainees(class_id)
        for t in people:
            if expected_versions is not None and expected_versions.get(t.cadre_id, t.version) != (
                t.version
            ):
                e = Enrolment.get_by_id(t.enrolment_id)
                record = trainee_record(c, t.name)
                raise changed_meanwhile(record, ENROLMENT_ENTITY, e.id, now=trainee_now(e))
        if n < 1:
            raise DomainError(f"分组数应至少为 1，现为 {n}", field="groups")
        if n > len(people):
            raise DomainError(
                f"班次《{c.name}》只有 {len(people)} 名学员，不能分成 {n} 个组", field="groups"
            )
        on = on or as_date(c.start)
        table = seniority()
        unit_size: dict[int, int] = {}
        for t in people:
            unit_size[t.unit_id] = unit_size.get(t.unit_id, 0) + 1
        order = sorted(
            people,
            key=lambda t: (
                -unit_size[t.unit_id],
                t.unit_id,
                rank_key(t, table),
                t.birth_date,
                t.cadre_id,
            ),
        )
        groups: list[list[TraineeDTO]] = [[] for _ in range(n)]
        for t in order:
            smallest = min(len(g) for g in groups)

            def cost(k: int, t: TraineeDTO = t) -> tuple[int, int, int, int, int]:
                g = groups[k]
                return (
                    sum(1 for m in g if m.unit_id == t.unit_id),
                    sum(1 for m in g if rank_key(m, table) == rank_key(t, table)),
                    sum(1 for m in g if m.sex == t.sex),
                    sum(age_on(m.birth_date, on) for m in g),
                    k,
                )

            best = min((k for k in range(n) if len(groups[k]) == smallest), key=cost)
            groups[best].append(t)
        user = current_user()
        for k, g in enumerate(groups, start=1):
            convener = min(g, key=lambda m: (rank_key(m, table), m.birth_date, m.cadre_id))
            for m in g:
                lead = m.enrolment_id == convener.enrolment_id
                if (m.group_no, m.is_convener) == (k, lead):
                    continue
                # conditional on the version listed above (a stub row carries it)
                read = Enrolment(id=m.enrolment_id, version=m.version)
                new = {"group_no": k, "is_convener": lead}
                record = trainee_record(c, m.name)
                write_versioned(
                    Enrolment,
                    read,
                    None,
                    new,
                    record=record,
                    entity=ENROLMENT_ENTITY,
                    now=trainee_now,
                )
                old_text = {"讨论组": _group_text(m.group_no, m.is_convener)}
                new_text = {"讨论组": _group_text(k, lead)}
                record_changes(
                    ENROLMENT_ENTITY, m.enrolment_id, "修改", old_text, new_text, user=user
                )
        result: dict[int, list[TraineeDTO]] = {}
        for t in list_trainees(class_id):
            result.setdefault(t.group_no, []).append(t)
        return [
            GroupDTO(k, tuple(m), next(x for x in m if x.is_convener))
            for k, m in sorted(result.items())
        ]


@dataclass(frozen=True)
class CadreClassDTO:
    """One class a cadre was enrolled in (一人一档's 学习培训), with the 学时 it credited."""

    class_id: int
    name: str
    level: str
    start: dt.date
    end: dt.date
    status: str  # 筹备 / 进行中 / 已结业
    role: str  # 学员 / 班长 ...
    credited_hours: Decimal | None  # the ledger's lines of the class; None before 结业


def cadre_classes(cadre_id: int) -> list[CadreClassDTO]:
    """Every class the cadre was enrolled in, the latest first, with the 学时 the ledger holds
    for it (written at 结业)."""
    credited: dict[int, Decimal] = {}
    for class_id, hours in (
        HoursEntry.select(HoursEntry.source_class, HoursEntry.hours)
        .where((HoursEntry.cadre == cadre_id) & HoursEntry.source_class.is_null(False))
        .tuples()
    ):
        credited[class_id] = credited.get(class_id, Decimal(0)) + Decimal(str(hours))
    rows = (
        Enrolment.select(Enrolment.role, TrainingClass)
        .join(TrainingClass)
        .where(Enrolment.cadre == cadre_id)
        .order_by(TrainingClass.start.desc(), TrainingClass.id.desc())
    )
    return [
        CadreClassDTO(
            e.training_class.id,
            e.training_class.name,
            e.training_class.level,
            as_date(e.training_class.start),
            as_date(e.training_class.end),
            e.training_class.status,
            e.role,
            credited.get(e.training_class.id),
        )
        for e in rows
    ]
