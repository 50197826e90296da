"""年度考核 grading from the database (计算等次): read the rule engine's inputs, grade, store
the results; the 考核委员会's overrides; which stored results are stale.

The rules themselves are in the pure packages models.assessment.rules and
models.assessment.engine; this module only reads (models.assessment.grading.inputs), calls
:func:`models.assessment.engine.grade.grade_round` and writes what it decided
(models.assessment.grading.store), on several processors for a large round
(models.assessment.grading.parallel).
"""

from __future__ import annotations

import datetime as dt
import gc
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import models.assessment.grading.parallel as parallel
from models.accounts import Permission, require
from models.assessment.engine import (
    Override,
    PersonResult,
    RoundResult,
    grade_round,
    summaries_warning,
)
from models.assessment.grading.inputs import load_inputs
from models.assessment.grading.ready import PendingPerson, PendingPool, load_ready
from models.assessment.grading.store import (
    FIELDS,
    diff_rows,
    overwrites_stored,
    row_of,
    stored_overrides,
    stored_rows,
    write_results,
    write_rows,
)
from models.assessment.rounds import (
    PERSON_ENTITY,
    acting_user,
    rules_of,
    who,
    writable_member,
    writable_round,
)
from models.assessment.rules import (
    Grade,
    pool_keys,
    pool_label,
    pools_by_layer,
    pools_span_units,
    round_hosts,
)
from models.assessment.tables import (
    KIND_ANNUAL,
    AssessmentRound,
    GradeResult,
    PoolApproval,
    RoundMember,
)
from models.backup import BEFORE_GRADING, backup_before
from models.core.audit import ChangeLog, record_changes
from models.core.concurrency import when_text
from models.core.db import chunks, db, is_server, query_rows, write_transaction
from models.core.errors import ConflictError, DomainError

__all__ = [
    "GradingOutcome",
    "PoolCheck",
    "clear_override",
    "compute_grades",
    "grade_and_store",
    "pool_check",
    "set_override",
    "stale_people",
]


# --------------------------------------------------------------------------- storing


def _store(
    round_id: int,
    result: RoundResult,
    user: str,
    reason: str,
    *,
    whole_round: bool,
) -> None:
    """Write an engine result (see models.assessment.grading.store)."""
    rows = [row_of(p) for p in result.people]
    stored = (
        stored_rows(round_id) if whole_round else stored_rows(round_id, cadres=[r[0] for r in rows])
    )
    write_results(
        round_id,
        [diff_rows(rows, stored)],
        [s.to_dict() for s in result.pools],
        user,
        reason,
        whole_round=whole_round,
    )


# --------------------------------------------------------------------------- use cases


@dataclass(frozen=True)
class GradingOutcome:
    """What 计算等次 did, for the report and the status line (the results are stored)."""

    people: int
    counts: dict[str, int]  # final grade → people
    pools: tuple[dict[str, Any], ...]  # stored PoolSummary dicts
    remarks: dict[str, tuple[str, ...]]  # pool key → '姓名：提示；提示' of people with warnings
    processes: int  # processes that graded (1: this one alone)
    pending: tuple[PendingPerson, ...] = ()  # not graded: data missing or wrong
    pending_pools: tuple[PendingPool, ...] = ()  # pools left ungraded because of them
    ceiling_warning: str = ""  # the 优秀 share of the pools graded above the rules' ceiling
    approved_pools: tuple[str, ...] = ()  # pools approved on their own: not graded again

    @property
    def message(self) -> str:
        """'已计算 12 人的等次（3 个考核范围）。待录入 2 人，1 个考核范围暂不计算：…'"""
        if self.people:
            text = f"已计算 {self.people} 人的等次（{len(self.pools)} 个考核范围）。"
        elif self.approved_pools and not self.pending:
            text = "所选范围内的考核范围都已审定，不再计算等次。"
        else:
            text = "没有可以计算等次的考核范围。"
        if self.approved_pools and (self.people or self.pending):
            shown = "、".join(self.approved_pools[:5])
            more = f"等 {len(self.approved_pools)} 个" if len(self.approved_pools) > 5 else ""
            text += f"已审定的考核范围（{shown}{more}）保持审定时的等次，不再计算。"
        if self.pending:
            pools = "、".join(p.text for p in self.pending_pools)
            text += (
                f"待录入 {len(self.pending)} 人，所在的 {len(self.pending_pools)} 个考核范围"
                f"暂不计算等次：{pools}。补录后再计算等次。"
            )
        return text

    @property
    def pending_lines(self) -> list[str]:
        """Every person still to be entered: '张三（市委办公室）缺少“绩”得分'."""
        return [p.text for p in self.pending]


def compute_grades(
    round_id: int, *, user: str | None = None, reason: str = "计算等次"
) -> RoundResult:
    """Grade the whole round under its rules in this process and store every person's
    result; returns the engine's full result (see :func:`grade_and_store` for the use case
    the screens and the ``grade`` command run, which grades what is ready and may use
    several processors).

    Raises ValidationError naming each person with missing or wrong data (nothing stored),
    DomainError when the round is locked or committee overrides no longer fit the quota."""
    require(Permission.GRADING)
    user = acting_user(user)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of short-lived rows and no cycles (see grade_round)
    try:
        with write_transaction():
            _check_gradable(round_id)
            result = _grade_here(round_id)
            _store(round_id, result, user, reason, whole_round=True)
            return result
    finally:
        if gc_was_enabled:
            gc.enable()


def grade_and_store(
    round_id: int,
    *,
    unit_id: int | None = None,
    user: str | None = None,
    reason: str = "计算等次",
    workers: int | None = None,
) -> GradingOutcome:
    """计算等次 of what is ready: every quota pool of the round (or of ``unit_id`` and its
    sub-units: the pools their members belong to) whose people are all complete is graded
    and stored, in one transaction; the people who hold the other pools up are returned as
    ``pending`` (name, unit, what is missing) and nothing of their pools is written.

    A whole round of 20,000 people or more is shared out by unit between this process and up
    to ``workers`` worker processes (default: by the size of the round and the processors of
    this computer; 0: this process alone), see models.assessment.grading.parallel; what is
    stored is exactly what one process would store. DomainError when the round is locked or
    committee overrides no longer fit the quota.

    A checked 计算等次前 backup (models.backup) of the results before this grading is made
    before the commit, when the grading overwrites or removes a stored result: grading
    unchanged data again writes no result, and a first grading only adds results, so neither
    needs one. When it fails nothing is stored."""
    require(Permission.GRADING)
    user = acting_user(user)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of short-lived objects and no cycles (see grade_round)
    try:
        # _grade_and_store returns only the small outcome: everything else it allocated is
        # freed before the collector is on again, whose first run would otherwise scan it all
        return _grade_and_store(round_id, unit_id, user, reason, workers)
    finally:
        if gc_was_enabled:
            gc.enable()


def _grade_and_store(
    round_id: int, unit_id: int | None, user: str, reason: str, workers: int | None
) -> GradingOutcome:
    pending: tuple[PendingPerson, ...] = ()
    pending_pools: tuple[PendingPool, ...] = ()
    skipped: tuple[str, ...] = ()
    absent: list[Any] | None = None  # rows to remove, when known without asking SQL
    # Workers only for a big round on a SQLite file, outside any caller's transaction
    # (they could not see its changes). The write lock is taken first (write_transaction),
    # so that nobody commits while they read, nor between this process's reading and
    # writing; a score typed meanwhile waits for the commit.
    n = 0
    if (
        unit_id is None
        and workers != 0
        and parallel.can_run_in_parallel()
        and not db.in_transaction()
        and not pools_span_units(rules_of(AssessmentRound.get_by_id(round_id)))
        and not PoolApproval.select().where(PoolApproval.round == round_id).exists()
    ):  # shares are whole units: not when small units share their parent unit's pool,
        # nor when some pools are approved (they are left out, pool by pool)
        n = parallel.workers_for(_participants(round_id), workers)
    with write_transaction():
        _check_gradable(round_id)
        shares = None
        whole = True
        now = dt.datetime.now().replace(microsecond=0)
        if n:
            approved = json.loads(AssessmentRound.get_by_id(round_id).approved_pools or "[]")
            # this process writes its own rows while the workers finish; if the round
            # falls back to one process, those writes are undone (a savepoint), so that
            # the change log still sees every old grade
            with db.atomic() as attempt:
                shares = parallel.grade_in_parallel(
                    round_id,
                    approved,
                    n,
                    on_own=lambda sh: write_rows(round_id, sh.diff, now),
                )
                if shares is None:
                    attempt.rollback()
        if shares is None:
            # grading for the whole city: the round's stored rows are read once, for the
            # committee's overrides the grading starts from and to compare the new rows with
            stored = stored_rows(round_id) if unit_id is None else None
            ready = load_ready(
                round_id,
                unit_id,
                stored_overrides=None if stored is None else stored_overrides(stored),
            )
            pending, pending_pools = ready.pending, ready.pending_pools
            skipped = ready.approved_labels
            whole = unit_id is None and not pending and not skipped
            result = ready.graded()
            if stored is None:
                stored = stored_rows(round_id, cadres=[p.person_id for p in ready.ready])
            elif not skipped:  # every participating member read: the rest are absent
                taking_part = {p.person_id for p in ready.people}
                absent = [cid for cid in stored if cid not in taking_part]
            shares = [parallel.share_of(result, stored)]
            pools = [d for s in shares for d in s.pools]
            order = None
        else:
            # the pools in member order, as one process lists them
            first = {k: cid for sh in shares for k, cid in sh.first.items()}
            at = _positions(round_id, list(first.values()))
            pools = sorted(
                (d for sh in shares for d in sh.pools), key=lambda d: at[first[d["pool_key"]]]
            )
            order = lambda cadres: _positions(round_id, cadres)  # noqa: E731
        diffs = [s.diff for s in shares]
        if overwrites_stored(round_id, diffs, absent):
            # before the commit: the backup reads the last committed state (the results
            # before this grading) through a connection of its own
            backup_before(BEFORE_GRADING)
        if any(d.people for d in diffs):  # nothing to store when every pool waits
            write_results(
                round_id,
                diffs,
                pools,
                user,
                reason,
                whole_round=whole,
                drop_absent=True,
                member_order=order,
                now=now,
                absent=absent,
            )
    remarks: dict[str, list[str]] = defaultdict(list)
    for s in shares:
        for key, text in s.remarks:
            remarks[key].append(text)
    return GradingOutcome(
        sum(d.people for d in diffs),
        {g.value: sum(d.counts[g.value] for d in diffs) for g in Grade},
        tuple(pools),
        {k: tuple(v) for k, v in remarks.items()},
        len(shares),
        pending,
        pending_pools,
        _ceiling_warning(round_id, pools, city=unit_id is None, stored=bool(skipped)),
        skipped,
    )


def _ceiling_warning(
    round_id: int, pools: list[dict[str, Any]], *, city: bool, stored: bool
) -> str:
    """The 优秀 share above the ceiling over the pools just graded; at city level with some
    pools approved on their own (``stored``), over every stored pool of the round, the
    approved ones included."""
    row = AssessmentRound.get_by_id(round_id)
    if city and stored:
        pools = json.loads(row.pools_json or "[]")
    return summaries_warning(rules_of(row), pools, "全市" if city else "所选范围内")


def _check_gradable(round_id: int) -> None:
    """DomainError when the round cannot be graded (locked, quarterly, no members)."""
    row = writable_round(round_id)
    if row.kind != KIND_ANNUAL:
        raise DomainError(
            f"“{row.name}”是平时考核：季度等次（好/较好/一般/较差）在“人员情况”中逐人确定，"
            "不按年度考核规则计算",
            record=row.name,
        )
    if not RoundMember.select().where(RoundMember.round == round_id).exists():
        raise DomainError(f"“{row.name}”还没有考核人员，请先添加", record=row.name)


def _participants(round_id: int) -> int:
    return (
        RoundMember.select()
        .where((RoundMember.round == round_id) & (RoundMember.not_participating == ""))
        .count()
    )


def _grade_here(round_id: int) -> RoundResult:
    rules, people, row = load_inputs(round_id)
    approved = json.loads(row.approved_pools or "[]")
    present = set(pool_keys(rules, people))
    return grade_round(rules, people, approved_pools=[k for k in approved if k in present])


def _positions(round_id: int, cadres: list[Any]) -> dict[Any, tuple[int, int]]:
    """cadre → (sort order, member id): the members' order in the round, for ``cadres``."""
    out: dict[Any, tuple[int, int]] = {}
    for part in chunks(cadres):
        for cid, order, mid in query_rows(
            RoundMember.select(RoundMember.cadre, RoundMember.sort_order, RoundMember.id).where(
                (RoundMember.round == round_id) & RoundMember.cadre.in_(part)
            )
        ):
            out[cid] = (order, mid)
    return out


def stale_people(round_id: int) -> list[str]:
    """Names of the people whose stored result is not what grading the round's current data
    gives (scores, votes, flags, sanctions or rules changed after the last 计算等次), of
    those without a result, and of everybody in a pool that cannot be graded now (someone's
    data is incomplete). Reads only; the approval step refuses while this is not empty."""
    ready = load_ready(round_id)
    result = ready.graded()
    waiting = {p.pool_key for p in ready.pending_pools}
    table = GradeResult._meta.table_name
    names_sql = ", ".join(getattr(GradeResult, f).column_name for f in FIELDS)
    cadre_col = GradeResult.cadre.column_name
    stored = {
        r[0]: r
        for r in db.execute_sql(
            f"SELECT {cadre_col}, {names_sql} FROM {table} "
            f"WHERE {GradeResult.round.column_name} = {db.param}",
            (round_id,),
        ).fetchall()
    }
    held_up = [
        p.name
        for p, key in zip(ready.people, pool_keys(ready.rules, ready.people), strict=True)
        if key in waiting
    ]
    return held_up + [p.name for p in result.people if stored.get(p.person_id) != row_of(p)]


@dataclass(frozen=True)
class PoolCheck:
    """Whether one 考核范围 can be approved on its own: its name, head count, and what
    stands in the way (empty: nothing)."""

    pool_key: str
    label: str
    people: int
    problems: tuple[str, ...]


def pool_check(round_id: int, pool_key: str) -> PoolCheck:
    """Check one pool for approval on its own: every member complete, graded, and holding
    the grade the round's current data gives. DomainError when the round has no such pool
    (or it is approved already: it is then left out of grading)."""
    ready = load_ready(round_id)
    rules = ready.rules
    keys = pool_keys(rules, ready.people)
    people = [p for p, k in zip(ready.people, keys, strict=True) if k == pool_key]
    if not people:
        raise DomainError("本轮考核没有这个考核范围，或它已经审定", field="pool")
    hosts = round_hosts(rules, ready.people)
    label = pool_label(rules, hosts.get(people[0].unit, people[0].unit), people[0].layer)
    problems: list[str] = []
    waiting = [p.text for p in ready.pending if p.pool_key == pool_key]
    if waiting:
        shown = "；".join(waiting[:5]) + (f" 等 {len(waiting)} 人" if len(waiting) > 5 else "")
        problems.append(f"待录入：{shown}")
    else:
        result = ready.graded()
        ids = {p.person_id for p in people}
        stored = stored_rows(round_id, cadres=sorted(ids))
        changed = [
            p.name
            for p in result.people
            if p.person_id in ids and stored.get(p.person_id) != row_of(p)
        ]
        if changed:
            more = f" 等 {len(changed)} 人" if len(changed) > 10 else ""
            shown = "、".join(changed[:10]) + more
            problems.append(f"{shown}还没有计算等次，或数据在上次计算等次之后有变化，请先计算等次")
    return PoolCheck(pool_key, label, len(people), tuple(problems))


_GRADE_FIELDS = ("考核等次", "考核委员会调整等次")


def _grade_changed(m: RoundMember, final_grade: str) -> ConflictError:
    """The person's result changed since the screen read it: who and when from the latest
    grade or override entry of the change log, and the final grade now."""
    last = (
        ChangeLog.select(ChangeLog.user, ChangeLog.at)
        .where(
            (ChangeLog.entity == PERSON_ENTITY)
            & (ChangeLog.entity_id == m.id)
            & ChangeLog.field.in_(_GRADE_FIELDS)
        )
        .order_by(ChangeLog.id.desc())
        .first()
    )
    return ConflictError(
        f"{who(m)}的考核等次",
        who=last.user if last else "",
        when=when_text(last.at) if last else "",
        now=final_grade or "未定等次",
    )


def _regrade_pool(
    round_id: int,
    cadre_id: int,
    override: Override | None,
    user: str,
    reason: str,
    expected_version: int | None = None,
) -> PersonResult:
    if is_server():  # one committee decision at a time: a pool is graded from what is stored
        AssessmentRound.select(AssessmentRound.id).where(
            AssessmentRound.id == round_id
        ).for_update().execute()
    row = writable_round(round_id)
    m = writable_member(round_id, cadre_id)
    if m.not_participating:
        raise DomainError(f"{who(m)}不参加本轮考核（{m.not_participating}），不能调整等次")
    stored = GradeResult.get_or_none(
        (GradeResult.round == round_id) & (GradeResult.cadre == cadre_id)
    )
    if stored is None:
        raise DomainError(f"{who(m)}还没有计算等次，请先计算等次", record=row.name)
    # the person's result version goes up, conditional on the one the screen showed (else
    # the one read here): a decision taken on a result changed meanwhile is refused
    expected = stored.version if expected_version is None else expected_version
    bumped = (
        GradeResult.update(version=GradeResult.version + 1)
        .where((GradeResult.id == stored.id) & (GradeResult.version == expected))
        .execute()
    )
    if bumped != 1:
        now = GradeResult.select(GradeResult.final_grade).where(GradeResult.id == stored.id)
        raise _grade_changed(m, now.scalar() or "")
    rules = rules_of(row)
    if pools_span_units(rules):  # the pool may span several units: read the round
        where = None
    else:
        where = RoundMember.unit_name == m.unit_name
        if pools_by_layer(rules):
            where = where & (RoundMember.layer == m.layer)
    rules, people, row = load_inputs(round_id, member_where=where, overrides={cadre_id: override})
    keys = pool_keys(rules, people)
    key = next(k for p, k in zip(people, keys, strict=True) if p.person_id == cadre_id)
    people = [p for p, k in zip(people, keys, strict=True) if k == key]
    approved = [k for k in json.loads(row.approved_pools or "[]") if k == key]
    result = grade_round(rules, people, approved_pools=approved)
    old = GradeResult.get((GradeResult.round == round_id) & (GradeResult.cadre == cadre_id))
    _store(round_id, result, user, reason, whole_round=False)
    new = result.person(cadre_id)
    record_changes(
        PERSON_ENTITY,
        m.id,
        "修改",
        {
            "考核委员会调整等次": old.override_grade or "",
            "调整理由": old.override_reason,
            "经批准": "是" if old.override_approved else "",
        },
        {
            "考核委员会调整等次": new.proposed_grade.value if new.overridden else "",
            "调整理由": new.override_reason,
            "经批准": "是" if new.override_approved else "",
        },
        user=user,
        reason=reason,
    )
    return new


def set_override(
    round_id: int,
    cadre_id: int,
    grade: Grade | str,
    reason: str,
    *,
    approved: bool = False,
    user: str | None = None,
    expected_version: int | None = None,
) -> PersonResult:
    """考核委员会 sets a final grade different from the proposed one (a reason is required).
    ``expected_version``: the person's result version the screen showed (OverviewRow.version);
    a result changed meanwhile raises ConflictError and nothing changes.

    The person's pool is graded again with the decision; the rules decide whether it stands:
    it may not contradict a binding rule, nor take the pool's 优秀 count above the quota
    unless ``approved`` (and never above the approved maximum)."""
    require(Permission.GRADING)
    if not reason.strip():
        raise DomainError("考核委员会调整等次必须填写理由", field="reason")
    try:
        g = Grade(grade)
    except ValueError:
        raise DomainError(f"“{grade}”不是有效等次（优秀/称职/基本称职/不称职/不定等次）") from None
    with write_transaction():
        return _regrade_pool(
            round_id,
            cadre_id,
            Override(g, reason.strip(), approved),
            acting_user(user),
            reason.strip(),
            expected_version,
        )


def clear_override(
    round_id: int,
    cadre_id: int,
    *,
    reason: str,
    user: str | None = None,
    expected_version: int | None = None,
) -> PersonResult:
    """Withdraw the committee's decision; the proposed grade applies again.
    ``expected_version`` as for :func:`set_override`."""
    require(Permission.GRADING)
    if not reason.strip():
        raise DomainError("撤销考核委员会调整必须填写理由", field="reason")
    with write_transaction():
        return _regrade_pool(
            round_id, cadre_id, None, acting_user(user), reason.strip(), expected_version
        )
