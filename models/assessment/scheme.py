"""五项考核 scheme (rules) editing and the raised 优秀 quota of a round."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from peewee import fn

from models.accounts import Permission, require
from models.assessment.rounds import (
    ROUND_ENTITY,
    RoundDTO,
    acting_user,
    get_round,
    rules_of,
    update_round,
    writable_round,
)
from models.assessment.rules import AssessmentRules, validate_rules
from models.assessment.tables import (
    GroupAverage,
    ItemScore,
    PoolApproval,
    VetoFailure,
    VoteCount,
)
from models.core.audit import record_changes
from models.core.db import write_transaction
from models.core.errors import DomainError, FieldIssue


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


def _data_issues(round_id: int, rules: AssessmentRules, old: AssessmentRules) -> list[FieldIssue]:
    """Stored data the new rules would orphan or put out of range. Items and groups are
    named as the user knows them (德, 上级领导), from the new rules or the ``old`` ones."""
    issues: list[FieldIssue] = []
    items = rules.items_by_code

    def item_name(code: str) -> str:
        item = items.get(code) or old.items_by_code.get(code)
        return item.name if item is not None and item.name.strip() else code

    def group_name(code: str) -> str:
        group = rules.groups_by_code.get(code) or old.groups_by_code.get(code)
        return group.name if group is not None and group.name.strip() else code

    for code, n in (
        ItemScore.select(ItemScore.item_code, fn.COUNT(ItemScore.id))
        .where(ItemScore.round == round_id)
        .group_by(ItemScore.item_code)
        .tuples()
    ):
        item = items.get(code)
        if item is None:
            issues.append(
                FieldIssue(
                    "items", f"考核项目“{item_name(code)}”", f"已录入 {n} 条得分，不能删除该项目"
                )
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
                        f"评价组“{group_name(code)}”",
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
                    f"考核项目“{item_name(code)}”",
                    f"已有 {n} 人记为一票否决，不能删除该项目或取消其一票否决",
                )
            )
    return issues


def save_rules(
    round_id: int,
    rules: AssessmentRules,
    *,
    reason: str = "",
    user: str | None = None,
    expected_version: int | None = None,
) -> list[FieldIssue]:
    """Save the round's scheme and rules. Returns the problems (nothing saved) or [].
    With ``expected_version`` (the RoundDTO.version the editor showed), a round changed by
    someone else since raises RoundChangedError and nothing is saved."""
    require(Permission.ASSESSMENT_SETUP)
    issues = validate_rules(rules)
    if issues:
        return issues
    with write_transaction():
        row = writable_round(round_id, expected_version)
        old = rules_of(row)
        issues = _data_issues(round_id, rules, old)
        if issues:
            return issues
        if old.to_dict() == rules.to_dict():
            return []
        _refuse_with_approved_pools(round_id)
        update_round(round_id, row.version, rules_json=rules.to_json())  # the version read
        record_changes(
            ROUND_ENTITY,
            round_id,
            "修改",
            _flatten(old.to_dict(), "rules"),
            _flatten(rules.to_dict(), "rules"),
            user=acting_user(user),
            reason=reason,
        )
    return []


def _refuse_with_approved_pools(round_id: int, pool_key: str | None = None) -> None:
    """DomainError when the scheme (``pool_key`` None) or that pool's quota would change
    the grades of a 考核范围 approved on its own."""
    q = PoolApproval.select(PoolApproval.label).where(PoolApproval.round == round_id)
    if pool_key is not None:
        q = q.where(PoolApproval.pool_key == pool_key)
    labels = [label for (label,) in q.order_by(PoolApproval.id).tuples()]
    if not labels:
        return
    shown = "、".join(f"“{x}”" for x in labels[:5]) + (
        f"等 {len(labels)} 个考核范围" if len(labels) > 5 else ""
    )
    what = "修改考核方案" if pool_key is None else "改变它的优秀名额"
    raise DomainError(
        f"{shown}已经单独审定，{what}会改变已审定的等次；如确需修改，请先在“结果汇总”中"
        "解除这些范围的审定",
        field="rules" if pool_key is None else "pool",
    )


def set_raised_quota(
    round_id: int,
    pool_key: str,
    raised: bool,
    *,
    reason: str,
    user: str | None = None,
    expected_version: int | None = None,
) -> RoundDTO:
    """Allow (or stop allowing) a pool the approved maximum 优秀 percentage (经批准).
    Asking for the state the pool already has writes nothing. With ``expected_version``, a
    round changed by someone else since raises RoundChangedError and nothing is saved."""
    require(Permission.ASSESSMENT_SETUP)
    if raised and not reason.strip():
        raise DomainError("提高优秀比例须填写批准依据", field="reason")
    with write_transaction():
        row = writable_round(round_id, expected_version)
        _refuse_with_approved_pools(round_id, pool_key)
        pools = list(json.loads(row.approved_pools or "[]"))
        before = "、".join(pools)
        if raised and pool_key not in pools:
            pools.append(pool_key)
        if not raised and pool_key in pools:
            pools.remove(pool_key)
        if "、".join(pools) == before:
            return get_round(round_id)  # nothing to change: no write, the version stays
        update_round(  # conditional on the version read: pools changed meanwhile are kept
            round_id, row.version, approved_pools=json.dumps(pools, ensure_ascii=False)
        )
        record_changes(
            ROUND_ENTITY,
            round_id,
            "修改",
            {"approved_pools": before},
            {"approved_pools": "、".join(pools)},
            user=acting_user(user),
            reason=reason,
        )
        return get_round(round_id)
