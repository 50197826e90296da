"""五项考核 use cases: rounds, the scheme (rules) editor, members and the approval workflow.

One use case = one function = one ``db.atomic()``. Every change to a rule or a status is
written to the change log (who, when, old, new, why). A round that is 审定 (approved) is
locked: any change raises :class:`DomainError` "本轮考核已审定锁定，不能修改" until it is
unlocked with a reason.

Scores, votes, adjustments and sanctions are in :mod:`models.assessment_scores`; grading,
overrides, the overview and the printed sheet data in :mod:`models.assessment_grading`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import fn

from models.assessment import (
    KIND_ANNUAL,
    KINDS,
    STATUS_APPROVED,
    STATUS_ENTRY,
    STATUS_REVIEW,
    AssessmentRound,
    GradeResult,
    GroupAverage,
    ItemScore,
    RoundMember,
    VetoFailure,
    VoteCount,
)
from models.audit import ChangeDTO, current_user, history, record_changes
from models.db import bulk_insert, db
from models.errors import DomainError, FieldIssue, NotFoundError
from models.grading_rules import AssessmentRules, default_rules, validate_rules
from models.people import Cadre, Unit
from models.roster import subtree_ids

LOCKED_MESSAGE = "本轮考核已审定锁定，不能修改"
ROUND_ENTITY = "assessment_round"
PERSON_ENTITY = "assessment_person"  # entity_id = RoundMember.id
CADRE_ENTITY = "cadre_assessment"  # entity_id = Cadre.id (sanctions, quarterly grades)
DEFAULT_LAYER = "其他干部"

__all__ = [
    "CADRE_ENTITY",
    "LOCKED_MESSAGE",
    "PERSON_ENTITY",
    "ROUND_ENTITY",
    "MemberDTO",
    "RoundDTO",
    "add_member",
    "add_unit_members",
    "approve_round",
    "create_round",
    "find_round",
    "get_round",
    "list_members",
    "list_rounds",
    "person_history",
    "remove_member",
    "return_to_entry",
    "round_history",
    "round_rules",
    "save_rules",
    "set_member_flags",
    "set_raised_quota",
    "submit_for_review",
    "unlock_round",
]


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


@dataclass(frozen=True)
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


def _user(user: str | None) -> str:
    return user or current_user()


def _round_row(round_id: int) -> AssessmentRound:
    row = AssessmentRound.get_or_none(AssessmentRound.id == round_id)
    if row is None:
        raise NotFoundError(f"找不到编号为 {round_id} 的考核轮次，可能已被删除")
    return row


def writable_round(round_id: int) -> AssessmentRound:
    """The round row, or DomainError when it is locked (审定)."""
    row = _round_row(round_id)
    if row.status == STATUS_APPROVED:
        raise DomainError(LOCKED_MESSAGE, record=row.name, field="status")
    return row


def rules_of(row: AssessmentRound) -> AssessmentRules:
    return AssessmentRules.from_dict(json.loads(row.rules_json), validate=False)


def round_rules(round_id: int) -> AssessmentRules:
    return rules_of(_round_row(round_id))


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
    return _round_dto(_round_row(round_id))


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
    if not 1949 <= year <= 2100:
        raise DomainError(f"考核年度应在 1949–2100 之间，现为 {year}", field="year")
    if kind not in KINDS:
        raise DomainError(f"考核类型应为“年度考核”或“平时考核”，不能是“{kind}”", field="kind")
    if kind == KIND_ANNUAL and quarter is not None:
        raise DomainError("年度考核不分季度", field="quarter")
    if kind != KIND_ANNUAL and quarter not in (1, 2, 3, 4):
        raise DomainError(f"平时考核的季度应为 1–4，现为 {quarter}", field="quarter")
    user = _user(user)
    with db.atomic():
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
            src = _round_row(copy_from)
            rules, source = rules_of(src), f"复制自“{src.name}”"
        elif rules is None and copy_previous:
            src = (
                AssessmentRound.select()
                .where((AssessmentRound.kind == kind) & (AssessmentRound.year < year))
                .order_by(AssessmentRound.year.desc(), AssessmentRound.id.desc())
                .first()
            )
            if src is None:
                raise DomainError(f"{year}年以前没有{kind}轮次，无法复制上年方案")
            rules, source = rules_of(src), f"复制自“{src.name}”"
        elif rules is not None:
            source = f"方案“{rules.name}”"
        rules = (rules or default_rules()).check()
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


def _flatten(value: Any, prefix: str = "") -> dict[str, str]:
    """Rule dict → 'items.de.weight' → '20', so the change log lists each changed setting."""
    out: dict[str, str] = {}
    if isinstance(value, Mapping):
        for k, v in value.items():
            out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
        for n, v in enumerate(value, start=1):
            key = v.get("code") or v.get("label") or str(n)
            out.update(_flatten(v, f"{prefix}.{key}"))
    elif isinstance(value, list):
        out[prefix] = "、".join(str(v) for v in value)
    else:
        out[prefix] = "" if value is None else str(value)
    return {k[:40]: v for k, v in out.items()}


def _data_issues(round_id: int, rules: AssessmentRules) -> list[FieldIssue]:
    """Stored data the new rules would orphan or put out of range."""
    issues: list[FieldIssue] = []
    items = rules.items_by_code
    for code, n in (
        ItemScore.select(ItemScore.item_code, fn.COUNT(ItemScore.id))
        .where(ItemScore.round == round_id)
        .group_by(ItemScore.item_code)
        .tuples()
    ):
        item = items.get(code)
        if item is None:
            issues.append(
                FieldIssue("items", f"考核项目“{code}”", f"已录入 {n} 条得分，不能删除该项目")
            )
            continue
        high = max(
            (
                Decimal(s)
                for (s,) in ItemScore.select(ItemScore.score)
                .where((ItemScore.round == round_id) & (ItemScore.item_code == code))
                .tuples()
            ),
            default=Decimal(0),
        )
        if high > item.full_score:
            issues.append(
                FieldIssue(
                    "items.full_score",
                    f"考核项目“{item.name}”",
                    f"满分 {item.full_score} 低于已录入的最高得分 {high}",
                )
            )
    for model, label in ((VoteCount, "票数"), (GroupAverage, "平均分")):
        for code, n in (
            model.select(model.group_code, fn.COUNT(model.id))
            .where(model.round == round_id)
            .group_by(model.group_code)
            .tuples()
        ):
            if code not in rules.groups_by_code:
                issues.append(
                    FieldIssue(
                        "rater_groups",
                        f"评价组“{code}”",
                        f"已录入 {n} 条{label}，不能删除该评价组",
                    )
                )
    labels = rules.vote_value_by_label
    for label, n in (
        VoteCount.select(VoteCount.grade_label, fn.COUNT(VoteCount.id))
        .where(VoteCount.round == round_id)
        .group_by(VoteCount.grade_label)
        .tuples()
    ):
        if label not in labels:
            issues.append(
                FieldIssue("vote_values", f"票种“{label}”", f"已录入 {n} 条票数，不能删除该票种")
            )
    for code, n in (
        VetoFailure.select(VetoFailure.item_code, fn.COUNT(VetoFailure.id))
        .where(VetoFailure.round == round_id)
        .group_by(VetoFailure.item_code)
        .tuples()
    ):
        item = items.get(code)
        if item is None or not item.is_veto:
            issues.append(
                FieldIssue(
                    "items.is_veto",
                    f"考核项目“{code}”",
                    f"已有 {n} 人记为一票否决，不能删除该项目或取消其一票否决",
                )
            )
    return issues


def save_rules(
    round_id: int, rules: AssessmentRules, *, reason: str = "", user: str | None = None
) -> list[FieldIssue]:
    """Save the round's scheme and rules. Returns the problems (nothing saved) or []."""
    issues = validate_rules(rules)
    if issues:
        return issues
    with db.atomic():
        row = writable_round(round_id)
        issues = _data_issues(round_id, rules)
        if issues:
            return issues
        old = rules_of(row)
        if old.to_dict() == rules.to_dict():
            return []
        AssessmentRound.update(
            rules_json=rules.to_json(), version=AssessmentRound.version + 1
        ).where(AssessmentRound.id == round_id).execute()
        record_changes(
            ROUND_ENTITY,
            round_id,
            "修改",
            _flatten(old.to_dict(), "rules"),
            _flatten(rules.to_dict(), "rules"),
            user=_user(user),
            reason=reason,
        )
    return []


def set_raised_quota(
    round_id: int, pool_key: str, raised: bool, *, reason: str, user: str | None = None
) -> RoundDTO:
    """Allow (or stop allowing) a pool the approved maximum 优秀 percentage (经批准)."""
    if raised and not reason.strip():
        raise DomainError("提高优秀比例须填写批准依据", field="reason")
    with db.atomic():
        row = writable_round(round_id)
        pools = list(json.loads(row.approved_pools or "[]"))
        before = "、".join(pools)
        if raised and pool_key not in pools:
            pools.append(pool_key)
        if not raised and pool_key in pools:
            pools.remove(pool_key)
        AssessmentRound.update(
            approved_pools=json.dumps(pools, ensure_ascii=False),
            version=AssessmentRound.version + 1,
        ).where(AssessmentRound.id == round_id).execute()
        record_changes(
            ROUND_ENTITY,
            round_id,
            "修改",
            {"approved_pools": before},
            {"approved_pools": "、".join(pools)},
            user=_user(user),
            reason=reason,
        )
        return get_round(round_id)


# --------------------------------------------------------------------------- workflow


def _move(
    round_id: int, allowed_from: str, to: str, *, reason: str, user: str | None, need_reason: bool
) -> RoundDTO:
    if need_reason and not reason.strip():
        raise DomainError(f"改为“{to}”必须填写理由", field="reason")
    user = _user(user)
    with db.atomic():
        row = _round_row(round_id)
        if row.status != allowed_from:
            raise DomainError(
                f"“{row.name}”当前为“{row.status}”状态，只有“{allowed_from}”状态才能改为“{to}”",
                record=row.name,
                field="status",
            )
        now = dt.datetime.now().replace(microsecond=0)
        locked = to == STATUS_APPROVED
        AssessmentRound.update(
            status=to,
            locked_at=now if locked else None,
            locked_by=user if locked else "",
            version=AssessmentRound.version + 1,
        ).where(AssessmentRound.id == round_id).execute()
        record_changes(
            ROUND_ENTITY,
            round_id,
            "修改",
            {"status": row.status},
            {"status": to},
            user=user,
            reason=reason,
        )
        return get_round(round_id)


def submit_for_review(round_id: int, *, reason: str = "", user: str | None = None) -> RoundDTO:
    """录入 → 审核."""
    return _move(round_id, STATUS_ENTRY, STATUS_REVIEW, reason=reason, user=user, need_reason=False)


def return_to_entry(round_id: int, *, reason: str, user: str | None = None) -> RoundDTO:
    """审核 → 录入 (sent back for corrections); a reason is required."""
    return _move(round_id, STATUS_REVIEW, STATUS_ENTRY, reason=reason, user=user, need_reason=True)


def approve_round(round_id: int, *, reason: str = "", user: str | None = None) -> RoundDTO:
    """审核 → 审定: the round is locked. Every participating member must have a grade."""
    row = _round_row(round_id)
    if row.status == STATUS_REVIEW:
        graded = {
            c
            for (c,) in GradeResult.select(GradeResult.cadre)
            .where((GradeResult.round == round_id) & (GradeResult.final_grade != ""))
            .tuples()
        }
        missing = [
            name
            for cid, name in RoundMember.select(RoundMember.cadre, Cadre.name)
            .join(Cadre)
            .where((RoundMember.round == round_id) & (RoundMember.not_participating == ""))
            .tuples()
            if cid not in graded
        ]
        if missing:
            shown = "、".join(missing[:10]) + (
                f" 等 {len(missing)} 人" if len(missing) > 10 else ""
            )
            raise DomainError(f"{shown}还没有计算等次，不能审定", record=row.name)
        from models.assessment_grading import stale_people  # grading imports this module

        stale = stale_people(round_id)
        if stale:
            shown = "、".join(stale[:10]) + (f" 等 {len(stale)} 人" if len(stale) > 10 else "")
            raise DomainError(
                f"{shown}的考核数据在上次计算等次之后有变化，请先重新计算等次再审定",
                record=row.name,
            )
    return _move(
        round_id, STATUS_REVIEW, STATUS_APPROVED, reason=reason, user=user, need_reason=False
    )


def unlock_round(round_id: int, *, reason: str, user: str | None = None) -> RoundDTO:
    """审定 → 审核: unlock for corrections; a reason is required and logged."""
    if not reason.strip():
        raise DomainError("解除审定锁定必须填写理由", field="reason")
    return _move(
        round_id, STATUS_APPROVED, STATUS_REVIEW, reason=reason, user=user, need_reason=True
    )


# --------------------------------------------------------------------------- members


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
    """Members in roster order; ``unit_id`` limits to that unit and its sub-units."""
    q = (
        RoundMember.select(RoundMember, Cadre)
        .join(Cadre)
        .where(RoundMember.round == round_id)
        .order_by(RoundMember.sort_order, RoundMember.id)
    )
    if unit_id is not None:
        q = q.where(RoundMember.unit_id.in_(subtree_ids(unit_id)))
    return [_member_dto(m, m.cadre) for m in q]


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


def add_unit_members(
    round_id: int, unit_id: int, *, include_subunits: bool = True, user: str | None = None
) -> int:
    """Add every 在职 cadre of a unit (and its sub-units); returns how many were added."""
    with db.atomic():
        writable_round(round_id)
        unit = Unit.get_or_none(Unit.id == unit_id)
        if unit is None:
            raise NotFoundError(f"找不到编号为 {unit_id} 的单位")
        ids = subtree_ids(unit_id) if include_subunits else [unit_id]
        names = dict(Unit.select(Unit.id, Unit.name).tuples())
        order = {
            uid: n
            for n, (uid,) in enumerate(
                Unit.select(Unit.id).order_by(Unit.sort_order, Unit.id).tuples()
            )
        }
        cadres = sorted(
            Cadre.select(
                Cadre.id, Cadre.unit, Cadre.leadership_level, Cadre.rank, Cadre.birth_date
            ).where((Cadre.unit.in_(ids)) & (Cadre.status == "在职")),
            key=lambda c: (order.get(c.unit_id, 0), c.id),
        )
        added = _insert_members(round_id, cadres, names)
        if added:
            AssessmentRound.update(version=AssessmentRound.version + 1).where(
                AssessmentRound.id == round_id
            ).execute()
            record_changes(
                ROUND_ENTITY,
                round_id,
                "修改",
                {},
                {"members_added": f"{unit.name} {added} 人"},
                user=_user(user),
                reason=f"添加“{unit.name}”{'及下级单位' if include_subunits else ''}在职干部",
            )
        return added


def add_member(round_id: int, cadre_id: int, *, user: str | None = None) -> MemberDTO:
    with db.atomic():
        writable_round(round_id)
        c = Cadre.get_or_none(Cadre.id == cadre_id)
        if c is None:
            raise NotFoundError(f"找不到编号为 {cadre_id} 的干部")
        names = dict(Unit.select(Unit.id, Unit.name).tuples())
        if _insert_members(round_id, [c], names) == 0:
            raise DomainError(f"“{c.name}”已在本轮考核人员中", record=c.name)
        m = member_row(round_id, cadre_id)
        record_changes(
            PERSON_ENTITY,
            m.id,
            "新增",
            {},
            {"member": c.name},
            user=_user(user),
            reason="加入考核人员",
        )
        return _member_dto(m, c)


def remove_member(round_id: int, cadre_id: int, *, reason: str, user: str | None = None) -> None:
    """Take a person out of the round together with their scores and votes."""
    if not reason.strip():
        raise DomainError("移出考核人员必须填写理由", field="reason")
    from models.assessment import ScoreAdjustment

    with db.atomic():
        writable_round(round_id)
        m = member_row(round_id, cadre_id)
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
        m.delete_instance()
        record_changes(
            PERSON_ENTITY, m.id, "删除", {"member": name}, {}, user=_user(user), reason=reason
        )


_FLAG_LABELS = {
    "on_probation": "试用期",
    "under_investigation": "立案审查未结案",
    "leave_days": "病事假天数",
    "not_participating": "不参加考核原因",
    "layer": "职级层次",
}


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
) -> MemberDTO:
    """Set a member's status flags (None leaves a flag as it is)."""
    with db.atomic():
        writable_round(round_id)
        m = member_row(round_id, cadre_id)
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
        if changes:
            RoundMember.update(**changes).where(RoundMember.id == m.id).execute()
            record_changes(PERSON_ENTITY, m.id, "修改", old, new, user=_user(user), reason=reason)
        m = RoundMember.get_by_id(m.id)
        return _member_dto(m, Cadre.get_by_id(cadre_id))


# --------------------------------------------------------------------------- history


def round_history(round_id: int) -> list[ChangeDTO]:
    """Changes to the round itself: rules, status, members added."""
    return history(ROUND_ENTITY, round_id)


def person_history(round_id: int, cadre_id: int) -> list[ChangeDTO]:
    """Every recorded change about one person in a round (scores, votes, adjustments, grades,
    flags), plus their sanctions and 平时考核 grades; newest first."""
    m = member_row(round_id, cadre_id)
    out = history(PERSON_ENTITY, m.id) + history(CADRE_ENTITY, cadre_id)
    return sorted(out, key=lambda c: c.at, reverse=True)
