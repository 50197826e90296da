"""五项考核 rounds: constants, DTOs, shared helpers, and creating and finding rounds.

Re-exported by :mod:`models.assessment_service`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from models.assessment import (
    KIND_ANNUAL,
    KINDS,
    STATUS_APPROVED,
    STATUS_ENTRY,
    AssessmentRound,
    RoundMember,
)
from models.audit import current_user, record_changes
from models.db import db
from models.errors import DomainError, NotFoundError
from models.grading_rules import AssessmentRules, default_rules
from models.people import Cadre

LOCKED_MESSAGE = "本轮考核已审定锁定，不能修改"
ROUND_ENTITY = "assessment_round"
PERSON_ENTITY = "assessment_person"  # entity_id = RoundMember.id
CADRE_ENTITY = "cadre_assessment"  # entity_id = Cadre.id (sanctions, quarterly grades)
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
