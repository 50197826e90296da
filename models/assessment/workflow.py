"""五项考核 approval workflow: 录入 → 审核 → 审定 (locked) and back. Approving checks that
every participating member holds a grade that is still what the round's data gives."""

from __future__ import annotations

import datetime as dt

from models.accounts import Permission, require
from models.assessment.grading import (
    approval_problems,
    pool_check,
    quarter_approval_problems,
    stale_people,
)
from models.assessment.rounds import (
    ROUND_ENTITY,
    RoundDTO,
    acting_user,
    check_version,
    get_round,
    round_row,
    update_round,
    writable_round,
)
from models.assessment.tables import (
    KIND_QUARTERLY,
    STATUS_APPROVED,
    STATUS_ENTRY,
    STATUS_REVIEW,
    AssessmentRound,
    PoolApproval,
)
from models.backup import BEFORE_APPROVAL, backup_before
from models.core.audit import record_changes
from models.core.db import write_transaction
from models.core.errors import DomainError


def _move(
    round_id: int,
    allowed_from: str,
    to: str,
    *,
    reason: str,
    user: str | None,
    need_reason: bool,
    expected_version: int | None = None,
) -> RoundDTO:
    if need_reason and not reason.strip():
        raise DomainError(f"改为“{to}”必须填写理由", field="reason")
    user = acting_user(user)
    with write_transaction():
        row = round_row(round_id, lock=True)
        check_version(row, expected_version)
        if row.status != allowed_from:
            raise DomainError(
                f"“{row.name}”当前为“{row.status}”状态，只有“{allowed_from}”状态才能改为“{to}”",
                record=row.name,
                field="status",
            )
        now = dt.datetime.now().replace(microsecond=0)
        locked = to == STATUS_APPROVED
        update_round(  # conditional on the version read: a step taken meanwhile wins
            round_id,
            row.version,
            status=to,
            locked_at=now if locked else None,
            locked_by=user if locked else "",
        )
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


# Each step below takes ``expected_version``: the RoundDTO.version the screen showed. When
# given and the round has been changed by someone else since, RoundChangedError (a
# DomainError naming the round and the latest change) is raised and nothing is written.


def submit_for_review(
    round_id: int,
    *,
    reason: str = "",
    user: str | None = None,
    expected_version: int | None = None,
) -> RoundDTO:
    """录入 → 审核."""
    require(Permission.ASSESSMENT_SETUP)
    return _move(
        round_id,
        STATUS_ENTRY,
        STATUS_REVIEW,
        reason=reason,
        user=user,
        need_reason=False,
        expected_version=expected_version,
    )


def return_to_entry(
    round_id: int, *, reason: str, user: str | None = None, expected_version: int | None = None
) -> RoundDTO:
    """审核 → 录入 (sent back for corrections); a reason is required."""
    require(Permission.ASSESSMENT_SETUP)
    return _move(
        round_id,
        STATUS_REVIEW,
        STATUS_ENTRY,
        reason=reason,
        user=user,
        need_reason=True,
        expected_version=expected_version,
    )


def approve_round(
    round_id: int,
    *,
    reason: str = "",
    user: str | None = None,
    expected_version: int | None = None,
) -> RoundDTO:
    """审核 → 审定: the round is locked. Every pool must be graded whole: refused, naming
    each pool and how many of its people have no grade (or are still to be entered)."""
    require(Permission.APPROVE)
    backup_before(BEFORE_APPROVAL)  # a checked 审定前 backup (models.backup)
    with write_transaction():
        row = round_row(round_id, lock=True)
        check_version(row, expected_version)
        _check_grades(row)
        return _move(
            round_id,
            STATUS_REVIEW,
            STATUS_APPROVED,
            reason=reason,
            user=user,
            need_reason=False,
            expected_version=expected_version,
        )


def _check_grades(row: AssessmentRound) -> None:
    """DomainError when a round in 审核 has members without a grade, or stale grades."""
    round_id = row.id
    if row.status == STATUS_REVIEW and row.kind == KIND_QUARTERLY:
        problems = quarter_approval_problems(round_id)
        if problems:
            raise DomainError("；".join(problems) + "，不能审定", record=row.name)
        return
    if row.status == STATUS_REVIEW:
        problems = approval_problems(round_id)
        if problems:
            raise DomainError(
                "；".join(problems) + "，不能审定。请补录后在“结果汇总”中计算等次",
                record=row.name,
            )
        stale = stale_people(round_id)
        if stale:
            shown = "、".join(stale[:10]) + (f" 等 {len(stale)} 人" if len(stale) > 10 else "")
            raise DomainError(
                f"{shown}的考核数据在上次计算等次之后有变化，请先重新计算等次再审定",
                record=row.name,
            )


def unlock_round(
    round_id: int, *, reason: str, user: str | None = None, expected_version: int | None = None
) -> RoundDTO:
    """审定 → 审核: unlock for corrections; a reason is required and logged."""
    require(Permission.APPROVE)
    if not reason.strip():
        raise DomainError("解除审定锁定必须填写理由", field="reason")
    return _move(
        round_id,
        STATUS_APPROVED,
        STATUS_REVIEW,
        reason=reason,
        user=user,
        need_reason=True,
        expected_version=expected_version,
    )


# --------------------------------------------------------------------------- per pool
# Units finish at different times: a 考核范围 (quota pool) whose people are all graded can be
# approved on its own while the round is still 录入 or 审核. Its people's scores, records,
# sanctions, 平时考核 grades and committee overrides are then refused (rounds.
# refuse_approved_pools), 计算等次 leaves it as approved, and the round's own 审定 later
# locks everything.


def approve_pool(
    round_id: int,
    pool_key: str,
    *,
    reason: str = "",
    user: str | None = None,
    expected_version: int | None = None,
) -> PoolApproval:
    """审定 one 考核范围 of an annual round. Refused (DomainError naming who and what) while
    someone in it is still to be entered, has no grade, or holds a grade the current data
    no longer gives; a change of the round (its version goes up by 1)."""
    require(Permission.APPROVE)
    backup_before(BEFORE_APPROVAL)
    user = acting_user(user)
    with write_transaction():
        row = writable_round(round_id, expected_version)
        if row.kind == KIND_QUARTERLY:
            raise DomainError(
                f"“{row.name}”是平时考核，整轮审定，不分考核范围审定", record=row.name
            )
        check = pool_check(round_id, pool_key)
        if check.problems:
            raise DomainError(
                f"考核范围“{check.label}”不能审定：" + "；".join(check.problems),
                record=check.label,
                field="pool",
            )
        now = dt.datetime.now().replace(microsecond=0)
        approval = PoolApproval.create(
            round=round_id,
            pool_key=pool_key,
            label=check.label,
            people=check.people,
            approved_at=now,
            approved_by=user,
        )
        update_round(round_id, row.version)
        record_changes(
            ROUND_ENTITY,
            round_id,
            "修改",
            {},
            {"pool_approved": f"{check.label}（{check.people} 人）"},
            user=user,
            reason=reason or "考核范围审定",
        )
        return approval


def unlock_pool(
    round_id: int,
    pool_key: str,
    *,
    reason: str,
    user: str | None = None,
    expected_version: int | None = None,
) -> None:
    """Withdraw the approval of one 考核范围 for corrections; a reason is required and
    logged. Not while the whole round is 审定 (unlock the round first)."""
    require(Permission.APPROVE)
    if not reason.strip():
        raise DomainError("解除考核范围的审定必须填写理由", field="reason")
    user = acting_user(user)
    with write_transaction():
        row = writable_round(round_id, expected_version)
        approval = PoolApproval.get_or_none(
            (PoolApproval.round == round_id) & (PoolApproval.pool_key == pool_key)
        )
        if approval is None:
            raise DomainError("这个考核范围没有单独审定，无需解除", field="pool")
        approval.delete_instance()
        update_round(round_id, row.version)
        record_changes(
            ROUND_ENTITY,
            round_id,
            "修改",
            {"pool_approved": approval.label},
            {},
            user=user,
            reason=reason,
        )


def pool_approvals(round_id: int) -> dict[str, PoolApproval]:
    """The round's pools approved on their own, by pool key."""
    rows = PoolApproval.select().where(PoolApproval.round == round_id)
    return {a.pool_key: a for a in rows.order_by(PoolApproval.id)}
