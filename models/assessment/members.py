"""五项考核 round members: listing, adding, removing and their status flags.

Adding and removing members is a change of the round (its version, optimistic locking);
a flag edit carries the MemberDTO the screen showed and is refused (ConflictError, who,
when and the value now) when that flag changed meanwhile."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from peewee import fn

from models.accounts import Permission, require
from models.assessment.rounds import (
    DEFAULT_LAYER,
    PERSON_ENTITY,
    ROUND_ENTITY,
    MemberDTO,
    acting_user,
    member_row,
    refuse_approved_units,
    update_round,
    who,
    writable_member,
    writable_round,
)
from models.assessment.tables import (
    GradeResult,
    GroupAverage,
    ItemScore,
    RoundMember,
    ScoreAdjustment,
    VetoFailure,
    VoteCount,
)
from models.core.audit import record_changes
from models.core.concurrency import conflict
from models.core.db import bulk_insert, query_rows, write_transaction
from models.core.errors import DomainError, NotFoundError
from models.roster import subtree_ids
from models.roster.tables import Cadre, Unit


def layer_of(leadership_level: str, rank: str) -> str:
    """The rank layer used for pools by layer: the 领导职务层次, else 其他干部."""
    return leadership_level or DEFAULT_LAYER


def _member_dto(m: RoundMember, c: Cadre) -> MemberDTO:
    return MemberDTO(
        id=m.id,
        round_id=m.round_id,
        cadre_id=c.id,
        name=c.name,
        id_card=c.id_card,
        unit_id=m.unit_id,
        unit_name=m.unit_name,
        post_title=c.post_title,
        layer=m.layer,
        on_probation=bool(m.on_probation),
        under_investigation=bool(m.under_investigation),
        leave_days=m.leave_days,
        not_participating=m.not_participating,
    )


def list_members(round_id: int, unit_id: int | None = None) -> list[MemberDTO]:
    """Members in roster order; ``unit_id`` limits to that unit and its sub-units. Only the
    columns shown are read, as plain rows (a round of 50,000 people lists in a fraction of
    the time full model objects take)."""
    q = (
        RoundMember.select(
            RoundMember.id,
            RoundMember.round,
            Cadre.id,
            Cadre.name,
            Cadre.id_card,
            RoundMember.unit_id,
            RoundMember.unit_name,
            Cadre.post_title,
            RoundMember.layer,
            RoundMember.on_probation,
            RoundMember.under_investigation,
            RoundMember.leave_days,
            RoundMember.not_participating,
        )  # fmt: skip
        .join(Cadre)
        .where(RoundMember.round == round_id)
        .order_by(RoundMember.sort_order, RoundMember.id)
    )
    if unit_id is not None:
        q = q.where(RoundMember.unit_id.in_(subtree_ids(unit_id)))
    return [
        MemberDTO(
            mid, rid, cid, name, id_card, uid, unit, post, layer, bool(probation),
            bool(investigation), leave, reason,
        )  # fmt: skip
        for (mid, rid, cid, name, id_card, uid, unit, post, layer, probation, investigation,
             leave, reason) in query_rows(q)
    ]  # fmt: skip


def member_names(round_id: int, unit_id: int | None = None) -> list[tuple[int, str, str]]:
    """(cadre id, name, unit) of the members in roster order (of ``unit_id`` and its
    sub-units): what a print batch of 50,000 people names its files and parts by, in a
    fraction of the memory :func:`list_members` takes."""
    q = (
        RoundMember.select(Cadre.id, Cadre.name, RoundMember.unit_name)
        .join(Cadre)
        .where(RoundMember.round == round_id)
        .order_by(RoundMember.sort_order, RoundMember.id)
    )
    if unit_id is not None:
        q = q.where(RoundMember.unit_id.in_(subtree_ids(unit_id)))
    return [(cid, name, unit) for cid, name, unit in query_rows(q)]


def _insert_members(round_id: int, cadres: Sequence[Cadre], unit_names: Mapping[int, str]) -> int:
    have = {
        c
        for (c,) in RoundMember.select(RoundMember.cadre)
        .where(RoundMember.round == round_id)
        .tuples()
    }
    start = (
        RoundMember.select(fn.MAX(RoundMember.sort_order))
        .where(RoundMember.round == round_id)
        .scalar()
        or 0
    )
    refuse_approved_units(round_id, {unit_names[c.unit_id] for c in cadres if c.id not in have})
    rows = [
        {
            "round": round_id,
            "cadre": c.id,
            "unit_id": c.unit_id,
            "unit_name": unit_names[c.unit_id],
            "layer": layer_of(c.leadership_level, c.rank),
            "sort_order": start + n,
        }
        for n, c in enumerate((c for c in cadres if c.id not in have), start=1)
    ]
    bulk_insert(RoundMember, rows)
    return len(rows)


def _in_post(unit_id: int | None, include_subunits: bool) -> list[Cadre]:
    """The 在职 cadres of a unit (and its sub-units), or of every unit (``unit_id`` None), in
    roster order."""
    q = Cadre.select(
        Cadre.id, Cadre.unit, Cadre.leadership_level, Cadre.rank, Cadre.birth_date
    ).where(Cadre.status == "在职")
    if unit_id is not None:
        q = q.where(Cadre.unit.in_(subtree_ids(unit_id) if include_subunits else [unit_id]))
    order = {
        uid: n
        for n, (uid,) in enumerate(Unit.select(Unit.id).order_by(Unit.sort_order, Unit.id).tuples())
    }
    return sorted(q, key=lambda c: (order.get(c.unit_id, 0), c.id))


def _unit_label(unit_id: int | None) -> str:
    if unit_id is None:
        return "全部单位"
    unit = Unit.get_or_none(Unit.id == unit_id)
    if unit is None:
        raise NotFoundError(f"找不到编号为 {unit_id} 的单位")
    return str(unit.name)


def count_addable(round_id: int, unit_id: int | None, *, include_subunits: bool = True) -> int:
    """How many 在职 cadres of a unit (and its sub-units; ``unit_id`` None: of every unit)
    :func:`add_unit_members` would add: those not in the round yet."""
    _unit_label(unit_id)
    have = {
        c
        for (c,) in RoundMember.select(RoundMember.cadre)
        .where(RoundMember.round == round_id)
        .tuples()
    }
    return sum(1 for c in _in_post(unit_id, include_subunits) if c.id not in have)


def add_unit_members(
    round_id: int,
    unit_id: int | None,
    *,
    include_subunits: bool = True,
    user: str | None = None,
    expected_version: int | None = None,
) -> int:
    """Add every 在职 cadre of a unit (and its sub-units), or of every unit when ``unit_id``
    is None; returns how many were added.
    Adding anyone is a change of the round (its version goes up by 1); adding nobody (all
    already in) writes nothing and leaves the version. With ``expected_version`` (the
    RoundDTO.version the screen showed), a round changed by someone else since raises
    RoundChangedError and nothing is added."""
    require(Permission.ASSESSMENT_SETUP)
    with write_transaction():
        writable_round(round_id, expected_version)
        label = _unit_label(unit_id)
        names = dict(Unit.select(Unit.id, Unit.name).tuples())
        added = _insert_members(round_id, _in_post(unit_id, include_subunits), names)
        if added:
            update_round(round_id, expected_version)
            sub = "及下级单位" if include_subunits and unit_id is not None else ""
            record_changes(
                ROUND_ENTITY,
                round_id,
                "修改",
                {},
                {"members_added": f"{label} {added} 人"},
                user=acting_user(user),
                reason=f"添加“{label}”{sub}在职干部",
            )
        return added


def add_member(
    round_id: int,
    cadre_id: int,
    *,
    user: str | None = None,
    expected_version: int | None = None,
) -> MemberDTO:
    """Add one cadre to the round: a change of the round, like adding a unit's members (its
    version goes up by 1; a stale ``expected_version`` raises RoundChangedError)."""
    require(Permission.ASSESSMENT_SETUP)
    with write_transaction():
        writable_round(round_id, expected_version)
        c = Cadre.get_or_none(Cadre.id == cadre_id)
        if c is None:
            raise NotFoundError(f"找不到编号为 {cadre_id} 的干部")
        names = dict(Unit.select(Unit.id, Unit.name).tuples())
        if _insert_members(round_id, [c], names) == 0:
            raise DomainError(f"“{c.name}”已在本轮考核人员中", record=c.name)
        m = member_row(round_id, cadre_id)
        update_round(round_id, expected_version)
        record_changes(
            ROUND_ENTITY,
            round_id,
            "修改",
            {},
            {"members_added": c.name},
            user=acting_user(user),
            reason="加入考核人员",
        )
        record_changes(
            PERSON_ENTITY,
            m.id,
            "新增",
            {},
            {"member": c.name},
            user=acting_user(user),
            reason="加入考核人员",
        )
        return _member_dto(m, c)


def remove_member(
    round_id: int,
    cadre_id: int,
    *,
    reason: str,
    user: str | None = None,
    expected_version: int | None = None,
) -> None:
    """Take a person out of the round together with their scores and votes: a change of the
    round (version up by 1; a stale ``expected_version`` raises RoundChangedError)."""
    require(Permission.ASSESSMENT_SETUP)
    if not reason.strip():
        raise DomainError("移出考核人员必须填写理由", field="reason")
    with write_transaction():
        writable_round(round_id, expected_version)
        m = writable_member(round_id, cadre_id)
        for model in (
            ItemScore,
            VoteCount,
            GroupAverage,
            ScoreAdjustment,
            VetoFailure,
            GradeResult,
        ):
            model.delete().where((model.round == round_id) & (model.cadre == cadre_id)).execute()
        name = who(m)
        if RoundMember.delete().where(RoundMember.id == m.id).execute() != 1:
            raise conflict(f"考核人员{name}", PERSON_ENTITY, m.id)  # removed meanwhile
        update_round(round_id, expected_version)
        record_changes(
            ROUND_ENTITY,
            round_id,
            "修改",
            {"members_removed": name},
            {},
            user=acting_user(user),
            reason=reason,
        )
        record_changes(
            PERSON_ENTITY, m.id, "删除", {"member": name}, {}, user=acting_user(user), reason=reason
        )


_FLAG_LABELS = {
    "on_probation": "试用期",
    "under_investigation": "立案审查未结案",
    "leave_days": "病事假天数",
    "not_participating": "不参加考核原因",
    "layer": "职级层次",
}


def _flag_text(value: object) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value) if value not in (None, "") else "空"


def set_member_flags(
    round_id: int,
    cadre_id: int,
    *,
    on_probation: bool | None = None,
    under_investigation: bool | None = None,
    leave_days: int | None = None,
    not_participating: str | None = None,
    layer: str | None = None,
    reason: str = "",
    user: str | None = None,
    expected: MemberDTO | None = None,
) -> MemberDTO:
    """Set a member's status flags (None leaves a flag as it is). ``expected``: the member
    as the screen showed it; when a flag being set holds another value now (someone else
    changed it meanwhile), ConflictError and nothing changes."""
    require(Permission.ASSESSMENT_SETUP)
    with write_transaction():
        writable_round(round_id)
        m = writable_member(round_id, cadre_id)
        if leave_days is not None and (
            isinstance(leave_days, bool)
            or not isinstance(leave_days, int)
            or not 0 <= leave_days <= 366
        ):
            raise DomainError(
                f"{who(m)}：病事假天数应为 0–366 的整数，现为 {leave_days!r}", field="leave_days"
            )
        changes: dict[str, object] = {
            "on_probation": on_probation,
            "under_investigation": under_investigation,
            "leave_days": leave_days,
            "not_participating": None if not_participating is None else not_participating.strip(),
            "layer": None if layer is None else layer.strip(),
        }
        changes = {k: v for k, v in changes.items() if v is not None}
        if "layer" in changes and not changes["layer"]:
            raise DomainError(f"{who(m)}：职级层次不能为空", field="layer")
        old = {_FLAG_LABELS[k]: getattr(m, k) for k in changes}
        new = {_FLAG_LABELS[k]: v for k, v in changes.items()}
        # each flag set is conditional on the value shown (else the one read here): a writer
        # who committed in between makes the UPDATE touch no row instead of being overwritten
        shown = {k: getattr(m if expected is None else expected, k) for k in changes}
        for k, seen in shown.items():
            stored = bool(getattr(m, k)) if isinstance(seen, bool) else getattr(m, k)
            if stored != seen:
                label = _FLAG_LABELS[k]
                record = f"{who(m)}的“{label}”"
                raise conflict(record, PERSON_ENTITY, m.id, field=label, now=_flag_text(stored))
        if changes:
            same = RoundMember.id == m.id
            for k, seen in shown.items():
                same = same & (getattr(RoundMember, k) == seen)
            if RoundMember.update(**changes).where(same).execute() != 1:
                now = RoundMember.get_or_none(RoundMember.id == m.id)
                k = next(
                    (k for k in changes if now is None or getattr(now, k) != shown[k]),
                    next(iter(changes)),
                )
                label = _FLAG_LABELS[k]
                value = None if now is None else getattr(now, k)
                raise conflict(
                    f"{who(m)}的“{label}”", PERSON_ENTITY, m.id, field=label, now=_flag_text(value)
                )
            record_changes(
                PERSON_ENTITY, m.id, "修改", old, new, user=acting_user(user), reason=reason
            )
        m = RoundMember.get_by_id(m.id)
        return _member_dto(m, Cadre.get_by_id(cadre_id))
