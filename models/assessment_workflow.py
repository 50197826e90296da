"""五项考核 approval workflow: 录入 → 审核 → 审定 (locked) and back.

Re-exported by :mod:`models.assessment_service`.
"""

from __future__ import annotations

import datetime as dt

from models.assessment import (
    STATUS_APPROVED,
    STATUS_ENTRY,
    STATUS_REVIEW,
    AssessmentRound,
    GradeResult,
    RoundMember,
)
from models.assessment_rounds import (
    ROUND_ENTITY,
    RoundDTO,
    _round_row,
    _user,
    get_round,
)
from models.audit import record_changes
from models.db import db
from models.errors import DomainError
from models.people import Cadre


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
