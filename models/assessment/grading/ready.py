"""Grading what is ready: the quota pools of a round (or of one unit and its sub-units) whose
people are all complete, and the 待录入 list of the others, named by name and unit.

Units finish entering scores at different times. A pool is graded only as a whole (its quota
depends on every member), so a pool with one person still missing a score waits; everybody
else is graded. Reads only; models.assessment.grading.service stores the results and
models.assessment.workflow refuses to approve a round while a pool is not graded."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from models.assessment.engine import (
    Override,
    PersonInput,
    RoundResult,
    grade_round,
    input_problems,
)
from models.assessment.grading.inputs import load_inputs
from models.assessment.rules import (
    AssessmentRules,
    pool_keys,
    pool_label,
    pools_span_units,
    round_hosts,
)
from models.assessment.tables import GradeResult, PoolApproval, RoundMember
from models.core.db import query_rows
from models.core.errors import DomainError, ValidationError
from models.roster import subtree_ids
from models.roster.tables import Unit

__all__ = [
    "PendingPerson",
    "PendingPool",
    "ReadyPools",
    "approval_problems",
    "load_ready",
    "pending_people",
]


@dataclass(frozen=True)
class PendingPerson:
    """Someone who cannot be graded yet, and why (in the rule engine's words)."""

    cadre_id: int
    name: str
    unit: str
    pool_key: str
    problems: tuple[str, ...]  # '缺少“绩”得分', '缺少民主测评票数或平均分（或没有有效票）'

    @property
    def what(self) -> str:
        return "；".join(self.problems)

    @property
    def text(self) -> str:
        """'张三（市委办公室）缺少“绩”得分' for messages and the 待录入 list."""
        return f"{self.name}（{self.unit}）{self.what}"


@dataclass(frozen=True)
class PendingPool:
    """A pool left ungraded: its name as messages give it, its head count, how many wait."""

    pool_key: str
    label: str
    people: int
    pending: int

    @property
    def text(self) -> str:
        return f"{self.label}（{self.people} 人，待录入 {self.pending} 人）"


@dataclass(frozen=True)
class ReadyPools:
    """The engine's inputs split into the pools that can be graded and those that wait."""

    rules: AssessmentRules
    people: list[PersonInput]  # every participating member read, in member order
    ready: list[PersonInput]  # the people of the complete pools, in member order
    approved: list[str]  # pool keys among the ready ones allowed the raised quota
    pending: tuple[PendingPerson, ...]
    pending_pools: tuple[PendingPool, ...]
    result: RoundResult | None = None  # the grading of ``ready``, when already done
    approved_labels: tuple[str, ...] = ()  # pools approved on their own: left as they are

    def graded(self) -> RoundResult:
        """The engine's result for the ready pools."""
        if self.result is not None:
            return self.result
        return grade_round(self.rules, self.ready, approved_pools=self.approved)


def _scope(round_id: int, unit_id: int | None) -> Any:
    """RoundMember condition for the members of every pool that a member of ``unit_id`` (or
    one of its sub-units) belongs to; None for the whole round. Pools are drawn by unit
    name, so this is the members whose unit name is one of those units' names."""
    if unit_id is None:
        return None
    names = RoundMember.select(RoundMember.unit_name).where(
        (RoundMember.round == round_id) & RoundMember.unit_id.in_(subtree_ids(unit_id))
    )
    return RoundMember.unit_name.in_(names)


def _pools_of_scope(
    round_id: int, unit_id: int, rules: AssessmentRules, scoped: list[PersonInput]
) -> list[PersonInput]:
    """The people of the round's pools that hold one of ``scoped`` (small units merged)."""
    _rules, people, _row = load_inputs(round_id)
    keys = pool_keys(rules, people)
    names = {p.unit for p in scoped}
    wanted = {k for p, k in zip(people, keys, strict=True) if p.unit in names}
    return [p for p, k in zip(people, keys, strict=True) if k in wanted]


def _unit_name(unit_id: int) -> str:
    name = Unit.select(Unit.name).where(Unit.id == unit_id).scalar()
    return str(name) if name else "所选单位"


def _without_approved(
    round_id: int, rules: AssessmentRules, people: list[PersonInput]
) -> tuple[list[PersonInput], tuple[str, ...]]:
    """``people`` less those of the pools approved on their own (their grades stay as
    approved), and the labels of those pools. Pools are drawn over the people read, so a
    small unit merged with its parent stays in the parent's (approved or not) pool."""
    locked = dict(
        PoolApproval.select(PoolApproval.pool_key, PoolApproval.label)
        .where(PoolApproval.round == round_id)
        .tuples()
    )
    if not locked or not people:
        return people, ()
    keys = pool_keys(rules, people)
    hit = [k for k in dict.fromkeys(keys) if k in locked]
    kept = [p for p, k in zip(people, keys, strict=True) if k not in locked]
    return kept, tuple(locked[k] for k in hit)


def load_ready(
    round_id: int,
    unit_id: int | None = None,
    *,
    stored_overrides: Mapping[int, Override] | None = None,
) -> ReadyPools:
    """The round's participating members (or those of the pools of ``unit_id`` and its
    sub-units), split into complete pools and the people who hold the others up; the pools
    approved on their own are left out (``approved_labels``). ``stored_overrides``: as for
    :func:`models.assessment.grading.inputs.load_inputs`.
    DomainError when the unit has nobody in the round."""
    rules, people, row = load_inputs(
        round_id, member_where=_scope(round_id, unit_id), stored_overrides=stored_overrides
    )
    if unit_id is not None and pools_span_units(rules):
        # small units share their parent unit's pool: the pools of the scope's units may
        # take in units outside it, so the round is read whole and cut down to those pools
        people = _pools_of_scope(round_id, unit_id, rules, people)
    if unit_id is not None and not people:
        raise DomainError(
            f"“{_unit_name(unit_id)}”在“{row.name}”中没有参加考核的人员", record=row.name
        )
    people, skipped = _without_approved(round_id, rules, people)
    approved_all = json.loads(row.approved_pools or "[]")
    try:  # the usual case, everybody complete: grade at once, no second pass over inputs
        present = set(pool_keys(rules, people))
        approved = [k for k in approved_all if k in present]
        result = grade_round(rules, people, approved_pools=approved)
        return ReadyPools(rules, people, people, approved, (), (), result, skipped)
    except ValidationError:
        pass
    problems = input_problems(rules, people)
    keys = pool_keys(rules, people)
    hosts = round_hosts(rules, people)
    pending: list[PendingPerson] = []
    heads: dict[str, list[Any]] = {}  # pool key → [label, people, pending]
    for p, key in zip(people, keys, strict=True):
        head = heads.get(key)
        if head is None:
            head = heads[key] = [pool_label(rules, hosts.get(p.unit, p.unit), p.layer), 0, 0]
        head[1] += 1
        why = problems.get(p.person_id)
        if why:
            head[2] += 1
            pending.append(PendingPerson(int(p.person_id), p.name, p.unit, key, why))
    waiting = {k for k, h in heads.items() if h[2]}
    ready = [p for p, key in zip(people, keys, strict=True) if key not in waiting]
    ready_keys = set(heads) - waiting
    approved = [k for k in approved_all if k in ready_keys]
    return ReadyPools(
        rules,
        people,
        ready,
        approved,
        tuple(pending),
        tuple(PendingPool(k, *h) for k, h in heads.items() if h[2]),
        approved_labels=skipped,
    )


def pending_people(round_id: int, unit_id: int | None = None) -> tuple[PendingPerson, ...]:
    """The 待录入 list: who cannot be graded yet in the round (or in the pools of
    ``unit_id`` and its sub-units), and why. Empty for a unit with nobody in the round."""
    try:
        return load_ready(round_id, unit_id).pending
    except DomainError:
        return ()


def approval_problems(round_id: int) -> list[str]:
    """Per pool that is not fully graded: '“市委办公室”有 3 人还没有计算等次（其中待录入
    2 人）'. Empty when every participating member of every pool holds a grade and nobody's
    data is incomplete."""
    ready = load_ready(round_id)
    rules = ready.rules
    graded = {
        cid
        for (cid,) in query_rows(
            GradeResult.select(GradeResult.cadre).where(
                (GradeResult.round == round_id) & (GradeResult.final_grade != "")
            )
        )
    }
    waiting = {p.cadre_id for p in ready.pending}
    pools: dict[str, list[Any]] = {}  # pool key → [label, not graded, pending]
    hosts = round_hosts(rules, ready.people)
    for p, key in zip(ready.people, pool_keys(rules, ready.people), strict=True):
        cid = p.person_id
        pool = pools.get(key)
        if pool is None:
            pool = pools[key] = [pool_label(rules, hosts.get(p.unit, p.unit), p.layer), 0, 0]
        if cid in waiting:
            pool[1] += 1
            pool[2] += 1
        elif cid not in graded:
            pool[1] += 1
    out = []
    for label, ungraded, pending in pools.values():
        if ungraded:
            more = f"（其中待录入 {pending} 人）" if pending else ""
            out.append(f"“{label}”有 {ungraded} 人还没有计算等次{more}")
    return out
