"""五项考核 rounds: the constants and DTOs of the subject, creating and finding rounds, and
the helpers every use case of a round shares (reading a round, refusing to change a locked
or stale one, its rules, one member, whether a year's annual round is locked)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from dataclasses import dataclass

from models.accounts import Permission, require
from models.assessment.rules import AssessmentRules, check_rules, default_rules, rules_from_dict
from models.assessment.tables import (
    KIND_ANNUAL,
    KINDS,
    STATUS_APPROVED,
    STATUS_ENTRY,
    AssessmentRound,
    GradeResult,
    PoolApproval,
    RoundMember,
)
from models.core.audit import ChangeLog, current_user, record_changes
from models.core.db import chunks, is_server, write_transaction
from models.core.errors import ConflictError, DomainError, NotFoundError
from models.roster.tables import Cadre

LOCKED_MESSAGE = "本轮考核已审定锁定，不能修改"
ROUND_ENTITY = "assessment_round"
PERSON_ENTITY = "assessment_person"  # entity_id = RoundMember.id
CADRE_ENTITY = "cadre_assessment"  # entity_id = Cadre.id (sanctions, quarterly grades)
FEEDBACK_ENTITY = "assessment_feedback"  # entity_id = Feedback.id (一项指导)
DEFAULT_LAYER = "其他干部"

# --------------------------------------------------------------------------- DTOs


@dataclass(frozen=True)
class RoundDTO:
    id: int
    year: int
    kind: str
    quarter: int | None
    name: str
    status: str
    locked: bool
    locked_at: dt.datetime | None
    locked_by: str
    version: int
    members: int
    rules: AssessmentRules
    approved_pools: tuple[str, ...]
    graded_at: dt.datetime | None


@dataclass(frozen=True, slots=True)  # 50,000 of them in a big round's grid
class MemberDTO:
    id: int
    round_id: int
    cadre_id: int
    name: str
    id_card: str
    unit_id: int
    unit_name: str
    post_title: str
    layer: str
    on_probation: bool
    under_investigation: bool
    leave_days: int
    not_participating: str


# --------------------------------------------------------------------------- helpers


def acting_user(user: str | None) -> str:
    """The user a change is recorded under: ``user`` when given, else the logged-in one."""
    return user or current_user()


def round_row(round_id: int, *, lock: bool = False) -> AssessmentRound:
    """The round's row; NotFoundError when there is none. With ``lock``, on a server, the
    row stays locked until the use case's transaction ends (SELECT … FOR UPDATE): writes to
    the round's data take their turns with 审定 and 计算等次, so none lands in a round that
    was approved, or graded from inputs read, while it was being written. (A SQLite file
    has one writer at a time already.)"""
    q = AssessmentRound.select().where(AssessmentRound.id == round_id)
    if lock and is_server():
        q = q.for_update()
    row = q.first()
    if row is None:
        raise NotFoundError(f"找不到编号为 {round_id} 的考核轮次，可能已被删除")
    return row


# --------------------------------------------------------------------------- optimistic locking


class RoundChangedError(ConflictError):
    """The round was changed by someone else after the screen read it (optimistic locking):
    its ``version`` is no longer the one the caller showed. Nothing was written."""

    def __init__(self, message: str, *, record: str) -> None:
        DomainError.__init__(self, message, field="version", record=record)


def _what_changed(field: str, old: str, new: str) -> str:
    if field == "status":
        return f"将状态由“{old}”改为“{new}”"
    if field == "approved_pools":
        return "修改了提高优秀名额的单位"
    if field == "members_added":
        return f"添加了考核人员（{new}）" if new else "添加了考核人员"
    if field == "members_removed":
        return f"移出了考核人员（{old}）" if old else "移出了考核人员"
    if field == "pool_approved":
        return f"审定了考核范围“{new}”" if new else f"解除了考核范围“{old}”的审定"
    return "修改了考核方案"


def _last_round_change(round_id: int) -> str:
    """'张三 于 2026-03-18 10:20 将状态由“录入”改为“审核”' from the newest change-log entry
    of a kind that bumps the round's version; '' when there is none."""
    bumping = ChangeLog.field.in_(
        ("status", "approved_pools", "members_added", "members_removed", "pool_approved")
    ) | ChangeLog.field.startswith("rules.")
    entry = (
        ChangeLog.select()
        .where(
            (ChangeLog.entity == ROUND_ENTITY)
            & (ChangeLog.entity_id == round_id)
            & (ChangeLog.action == "修改")
            & bumping
        )
        .order_by(ChangeLog.at.desc(), ChangeLog.id.desc())
        .first()
    )
    if entry is None:
        return ""
    at = entry.at.strftime("%Y-%m-%d %H:%M") if isinstance(entry.at, dt.datetime) else entry.at
    return f"{entry.user} 于 {at} {_what_changed(entry.field, entry.old_value, entry.new_value)}"


def round_changed_error(row: AssessmentRound) -> RoundChangedError:
    """The Chinese message for a stale version of ``row``, naming the latest change."""
    last = _last_round_change(row.id)
    detail = f"（最近一次修改：{last}）" if last else ""
    return RoundChangedError(
        f"“{row.name}”在您打开之后已被他人修改{detail}，您这次的操作没有保存。"
        "请刷新（重新打开该轮次）核对最新内容后，再重新操作。",
        record=row.name,
    )


def check_version(row: AssessmentRound, expected_version: int | None) -> None:
    """RoundChangedError when ``expected_version`` is given and is not the row's version.
    Call inside the use case's ``db.atomic()``, before writing."""
    if expected_version is not None and row.version != expected_version:
        raise round_changed_error(row)


def update_round(round_id: int, expected_version: int | None, **values: object) -> None:
    """Write ``values`` to the round and bump its version. With ``expected_version`` the
    UPDATE only matches that version, so a writer that slipped in after the check (another
    connection on a shared PostgreSQL database) still makes this one fail, not overwrite."""
    q = AssessmentRound.update(**values, version=AssessmentRound.version + 1).where(
        AssessmentRound.id == round_id
    )
    if expected_version is None:
        q.execute()
        return
    if q.where(AssessmentRound.version == expected_version).execute() != 1:
        raise round_changed_error(round_row(round_id))


def writable_round(round_id: int, expected_version: int | None = None) -> AssessmentRound:
    """The round row, or DomainError when it is locked (审定) or, with ``expected_version``,
    RoundChangedError when someone else changed it since (checked first). Locked until the
    transaction ends (see :func:`round_row`)."""
    row = round_row(round_id, lock=True)
    check_version(row, expected_version)
    if row.status == STATUS_APPROVED:
        raise DomainError(LOCKED_MESSAGE, record=row.name, field="status")
    return row


def refuse_approved_pools(round_id: int, cadre_ids: list[int] | None = None) -> None:
    """DomainError when one of ``cadre_ids`` (None: anybody) belongs to a 考核范围 approved
    on its own (:func:`models.assessment.workflow.approve_pool`): their scores, records,
    status and grade stay as approved until that pool is unlocked. The pool of a person is
    the one of their stored grade (every member of an approved pool holds one)."""
    if not PoolApproval.select().where(PoolApproval.round == round_id).exists():
        return  # the usual case: one cheap query
    on = (PoolApproval.round == GradeResult.round) & (PoolApproval.pool_key == GradeResult.pool_key)
    query = (
        GradeResult.select(
            GradeResult.cadre,
            PoolApproval.label,
            PoolApproval.approved_at,
            PoolApproval.approved_by,
        )
        .join(PoolApproval, on=on)
        .where(GradeResult.round == round_id)
    )
    parts = [None] if cadre_ids is None else list(chunks(list(dict.fromkeys(cadre_ids))))
    for part in parts:
        q = query if part is None else query.where(GradeResult.cadre.in_(part))
        hit = q.tuples().first()
        if hit is None:
            continue
        cadre_id, label, at, by = hit
        name = Cadre.select(Cadre.name).where(Cadre.id == cadre_id).scalar() or ""
        raise DomainError(
            f"{name}所在的考核范围“{label}”已于 {at:%Y-%m-%d %H:%M} 由 {by or '未知账号'} "
            "审定锁定，不能修改；如需更正，请先在“结果汇总”中选中该范围，解除审定",
            record=name,
            field="pool",
        )


def writable_member(round_id: int, cadre_id: int) -> RoundMember:
    """The member row for a change of the person's data: NotFound-like DomainError when
    not a member, DomainError when their 考核范围 has been approved on its own."""
    m = member_row(round_id, cadre_id)
    refuse_approved_pools(round_id, [cadre_id])
    return m


def refuse_approved_annual_pool(cadre_id: int, year: int) -> None:
    """DomainError when the cadre's 考核范围 in the annual round of ``year`` has been
    approved on its own: their 平时考核 grades and sanctions feed that approved grade."""
    ids = AssessmentRound.select(AssessmentRound.id).where(
        (AssessmentRound.year == year) & (AssessmentRound.kind == KIND_ANNUAL)
    )
    for (round_id,) in ids.tuples():
        refuse_approved_pools(round_id, [cadre_id])


def refuse_approved_units(round_id: int, unit_names: set[str]) -> None:
    """DomainError when somebody would join an approved 考核范围: a unit one of whose
    members sits in an approved pool (adding a person changes the pool's quota)."""
    if not unit_names or not PoolApproval.select().where(PoolApproval.round == round_id).exists():
        return
    inside = RoundMember.select(RoundMember.cadre).where(
        (RoundMember.round == round_id) & RoundMember.unit_name.in_(sorted(unit_names))
    )
    first = (
        GradeResult.select(GradeResult.cadre)
        .where((GradeResult.round == round_id) & GradeResult.cadre.in_(inside))
        .join(
            PoolApproval,
            on=(PoolApproval.round == GradeResult.round)
            & (PoolApproval.pool_key == GradeResult.pool_key),
        )
        .scalar()
    )
    if first is not None:
        refuse_approved_pools(round_id, [first])


def rules_of(row: AssessmentRound) -> AssessmentRules:
    return rules_from_dict(json.loads(row.rules_json), validate=False)


def round_rules(round_id: int) -> AssessmentRules:
    return rules_of(round_row(round_id))


def annual_round_locked(year: int) -> bool:
    """Whether the annual round of ``year`` is 审定: the 平时考核 grades and the sanctions
    that feed its grades must not change under it."""
    return (
        AssessmentRound.select()
        .where(
            (AssessmentRound.year == year)
            & (AssessmentRound.kind == KIND_ANNUAL)
            & (AssessmentRound.status == STATUS_APPROVED)
        )
        .exists()
    )


def member_row(round_id: int, cadre_id: int) -> RoundMember:
    m = RoundMember.get_or_none((RoundMember.round == round_id) & (RoundMember.cadre == cadre_id))
    if m is None:
        name = Cadre.select(Cadre.name).where(Cadre.id == cadre_id).scalar()
        who = f"“{name}”" if name else f"编号 {cadre_id} 的干部"
        raise DomainError(f"{who}不在本轮考核人员中，请先添加", record=str(name or cadre_id))
    return m


def who(m: RoundMember) -> str:
    """'张三（市委组织部）' for messages."""
    name = Cadre.select(Cadre.name).where(Cadre.id == m.cadre_id).scalar()
    return f"{name}（{m.unit_name}）"


def _round_dto(row: AssessmentRound) -> RoundDTO:
    members = RoundMember.select().where(RoundMember.round == row.id).count()
    return RoundDTO(
        id=row.id,
        year=row.year,
        kind=row.kind,
        quarter=row.quarter,
        name=row.name,
        status=row.status,
        locked=row.status == STATUS_APPROVED,
        locked_at=row.locked_at,
        locked_by=row.locked_by,
        version=row.version,
        members=members,
        rules=rules_of(row),
        approved_pools=tuple(json.loads(row.approved_pools or "[]")),
        graded_at=row.graded_at,
    )


def get_round(round_id: int) -> RoundDTO:
    return _round_dto(round_row(round_id))


def list_rounds(year: int | None = None) -> list[RoundDTO]:
    q = AssessmentRound.select().order_by(
        AssessmentRound.year.desc(), AssessmentRound.kind, AssessmentRound.quarter
    )
    if year is not None:
        q = q.where(AssessmentRound.year == year)
    return [_round_dto(r) for r in q]


def find_round(year: int, kind: str = KIND_ANNUAL, quarter: int | None = None) -> RoundDTO:
    """The round of a year (the command line's ``--year``)."""
    q = AssessmentRound.select().where(
        (AssessmentRound.year == year) & (AssessmentRound.kind == kind)
    )
    q = q.where(
        AssessmentRound.quarter.is_null() if quarter is None else AssessmentRound.quarter == quarter
    )
    row = q.order_by(AssessmentRound.id.desc()).first()
    if row is None:
        what = f"{year}年{kind}" + (f"第{quarter}季度" if quarter else "")
        raise NotFoundError(f"没有{what}的考核轮次，请先建立")
    return _round_dto(row)


# --------------------------------------------------------------------------- rounds


def _round_name(year: int, kind: str, quarter: int | None) -> str:
    return f"{year}年度考核" if kind == KIND_ANNUAL else f"{year}年第{quarter}季度平时考核"


_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _renamed_for(rules: AssessmentRules, src_year: int, year: int) -> AssessmentRules:
    """A scheme copied from a round of ``src_year`` into ``year``: the year in its name
    becomes the new one ('2025年度考核方案' → '2026年度考核方案'); when the name does not hold
    ``src_year``, a year written before 年 is replaced; a name with no year is kept."""
    name = rules.name
    if re.search(rf"(?<!\d){src_year}(?!\d)", name):
        new = re.sub(rf"(?<!\d){src_year}(?!\d)", str(year), name)
    else:
        new = re.sub(rf"{_YEAR.pattern}(?=\s*年)", str(year), name)
    return rules if new == name else dataclasses.replace(rules, name=new)


def create_round(
    year: int,
    *,
    kind: str = KIND_ANNUAL,
    quarter: int | None = None,
    name: str | None = None,
    rules: AssessmentRules | None = None,
    copy_previous: bool = False,
    copy_from: int | None = None,
    user: str | None = None,
) -> RoundDTO:
    """A new round for ``year``. The scheme comes from ``rules``, from the round ``copy_from``,
    from the latest earlier round of the same kind (``copy_previous``), or the default rules."""
    require(Permission.ASSESSMENT_SETUP)
    if not 1949 <= year <= 2100:
        raise DomainError(f"考核年度应在 1949–2100 之间，现为 {year}", field="year")
    if kind not in KINDS:
        raise DomainError(f"考核类型应为“年度考核”或“平时考核”，不能是“{kind}”", field="kind")
    if kind == KIND_ANNUAL and quarter is not None:
        raise DomainError("年度考核不分季度", field="quarter")
    if kind != KIND_ANNUAL and quarter not in (1, 2, 3, 4):
        raise DomainError(f"平时考核的季度应为 1–4，现为 {quarter}", field="quarter")
    user = acting_user(user)
    with write_transaction():
        q = AssessmentRound.select().where(
            (AssessmentRound.year == year) & (AssessmentRound.kind == kind)
        )
        q = q.where(
            AssessmentRound.quarter.is_null()
            if quarter is None
            else AssessmentRound.quarter == quarter
        )
        if q.exists():
            raise DomainError(f"{_round_name(year, kind, quarter)}已经建立，不能重复建立")
        source = "默认规则"
        if rules is None and copy_from is not None:
            src = round_row(copy_from)
            rules, source = _renamed_for(rules_of(src), src.year, year), f"复制自“{src.name}”"
        elif rules is None and copy_previous:
            src = (
                AssessmentRound.select()
                .where((AssessmentRound.kind == kind) & (AssessmentRound.year < year))
                .order_by(AssessmentRound.year.desc(), AssessmentRound.id.desc())
                .first()
            )
            if src is None:
                raise DomainError(f"{year}年以前没有{kind}轮次，无法复制上年方案")
            rules, source = _renamed_for(rules_of(src), src.year, year), f"复制自“{src.name}”"
        elif rules is not None:
            source = f"方案“{rules.name}”"
        rules = check_rules(rules or default_rules())
        name = (name or "").strip() or _round_name(year, kind, quarter)
        rid = AssessmentRound.insert(
            year=year,
            kind=kind,
            quarter=quarter,
            name=name,
            rules_json=rules.to_json(),
            status=STATUS_ENTRY,
        ).execute()
        record_changes(
            ROUND_ENTITY,
            rid,
            "新增",
            {},
            {"name": name, "status": STATUS_ENTRY, "rules": rules.name},
            user=user,
            reason=f"新建考核轮次，{source}",
        )
        return get_round(rid)
