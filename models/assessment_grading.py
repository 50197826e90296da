"""五项考核 grading from the database: build the rule engine's inputs, grade, store the results;
committee overrides; the data of one person's 考核登记表.

The rules themselves are in the pure modules models.grading / models.grading_rules; this
module only reads, calls :func:`models.grading.grade_round` and writes what it decided.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
from collections import defaultdict
from decimal import Decimal
from typing import Any

from models.assessment import (
    KIND_ANNUAL,
    AssessmentRound,
    GradeResult,
    RoundMember,
)
from models.assessment_inputs import load_inputs, pool_summaries  # noqa: F401  (re-exported)
from models.assessment_service import (
    PERSON_ENTITY,
    ROUND_ENTITY,
    member_row,
    rules_of,
    who,
    writable_round,
)
from models.assessment_sheet import (  # noqa: F401  (re-exported)
    GroupLine,
    ItemLine,
    PersonSheetDTO,
    person_sheet,
)
from models.audit import current_user, record_changes
from models.db import bulk_insert, chunks, db
from models.errors import DomainError
from models.grading import (
    FLAG_OVERRIDDEN,
    Override,
    PersonResult,
    RoundResult,
    grade_round,
)
from models.grading_rules import AssessmentRules, Grade, PoolBy
from models.people import ChangeLog

__all__ = [
    "GroupLine",
    "ItemLine",
    "PersonSheetDTO",
    "clear_override",
    "compute_grades",
    "load_inputs",
    "person_sheet",
    "pool_key_of",
    "set_override",
]


def _user(user: str | None) -> str:
    return user or current_user()


def pool_key_of(rules: AssessmentRules, unit_name: str, layer: str) -> str:
    """The engine's pool key for a member (unit, or unit｜layer)."""
    return f"{unit_name}｜{layer}" if rules.quota.pool_by is PoolBy.UNIT_LAYER else unit_name


# --------------------------------------------------------------------------- storing

# GradeResult columns written per person, after round and cadre; computed_at comes last
_FIELDS = (
    "pool_key",
    "evaluation",
    "items",
    "bonus",
    "penalty",
    "composite",
    "rank",
    "proposed_grade",
    "final_grade",
    "no_grade_category",
    "override_grade",
    "override_reason",
    "override_approved",
    "flags",
    "warnings",
    "explanation",
)
_FINAL = 1 + _FIELDS.index("final_grade")  # position in a (cadre, *_FIELDS) row


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _row(p: PersonResult) -> tuple[Any, ...]:
    """(cadre, *_FIELDS) of one result, as stored."""
    final = p.proposed_grade.value
    flags = p.flags
    ev = p.evaluation_score
    items = p.items_score
    comp = p.composite
    return (
        p.person_id,
        p.pool_key,
        None if ev is None else str(ev),
        None if items is None else str(items),
        str(p.bonus),
        str(p.penalty),
        None if comp is None else str(comp),
        p.rank,
        p.system_grade.value,
        final,
        p.no_grade_category or "",
        final if FLAG_OVERRIDDEN in flags else None,
        p.override_reason,
        p.override_approved,
        ",".join(flags),
        "\n".join(p.warnings),
        p.explanation,
    )


def _store(
    round_id: int,
    result: RoundResult,
    user: str,
    reason: str,
    *,
    whole_round: bool,
) -> None:
    """Write the results: a row whose content is unchanged is not written again (its
    ``computed_at`` stays the time that content was computed; the round's ``graded_at`` is the
    time of the last grading), changed rows are updated in place, new people inserted; with
    ``whole_round`` the rows of people no longer graded are removed."""
    now = dt.datetime.now().replace(microsecond=0)
    stamp = now.isoformat(" ")  # what the sqlite3 datetime adapter writes for ``now``
    table = GradeResult._meta.table_name
    col = {f: getattr(GradeResult, f).column_name for f in ("round", "cadre", *_FIELDS)}
    rcol, ccol = col["round"], col["cadre"]
    names = [col[f] for f in _FIELDS]
    stamp_col = GradeResult.computed_at.column_name
    mark = db.param
    select = f"SELECT {ccol}, {', '.join(names)} FROM {table} WHERE {rcol} = {mark}"
    ids = [p.person_id for p in result.people]
    existing: dict[Any, tuple[Any, ...]] = {}
    if whole_round:
        for r in db.execute_sql(select, (round_id,)).fetchall():
            existing[r[0]] = r
    else:
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            sql = f"{select} AND {ccol} IN ({', '.join([mark] * len(chunk))})"
            for r in db.execute_sql(sql, (round_id, *chunk)).fetchall():
                existing[r[0]] = r
    old = {cid: r[_FINAL] for cid, r in existing.items()}

    changed_rows: list[tuple[Any, ...]] = []
    new_rows: list[tuple[Any, ...]] = []
    for p in result.people:
        r = _row(p)
        before = existing.get(r[0])
        if before is None:
            new_rows.append((round_id, *r, stamp))
        elif before != r:
            changed_rows.append((*r[1:], stamp, round_id, r[0]))
    cursor = db.cursor()
    where = f"{rcol} = {mark} AND {ccol} = {mark}"
    if whole_round:
        # people no longer graded lose their row
        gone = [(round_id, cid) for cid in existing.keys() - set(ids)]
        if gone:
            cursor.executemany(f"DELETE FROM {table} WHERE {where}", gone)
    if changed_rows:
        sets = ", ".join(f"{n} = {mark}" for n in [*names, stamp_col])
        cursor.executemany(f"UPDATE {table} SET {sets} WHERE {where}", changed_rows)
    if new_rows:
        columns = ", ".join([rcol, ccol, *names, stamp_col])
        marks = ", ".join([mark] * (len(names) + 3))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", new_rows)

    # pool summaries: replace the graded pools, keep the others
    row = AssessmentRound.get_by_id(round_id)
    pools = {} if whole_round else {d["pool_key"]: d for d in json.loads(row.pools_json or "[]")}
    for s in result.pools:
        pools[s.pool_key] = s.to_dict()
    AssessmentRound.update(
        pools_json=json.dumps(list(pools.values()), ensure_ascii=False), graded_at=now
    ).where(AssessmentRound.id == round_id).execute()

    # the change log: a changed grade per person; the first grading as one round entry
    changed = [
        p
        for p in result.people
        if p.person_id in old and old[p.person_id] != p.proposed_grade.value
    ]
    if changed:
        mids = {
            cid: mid
            for part in chunks([p.person_id for p in changed])
            for cid, mid in RoundMember.select(RoundMember.cadre, RoundMember.id)
            .where((RoundMember.round == round_id) & RoundMember.cadre.in_(part))
            .tuples()
        }
        logs = [
            {
                "at": now,
                "user": user,
                "entity": PERSON_ENTITY,
                "entity_id": mids[p.person_id],
                "action": "修改",
                "field": "考核等次",
                "old_value": old[p.person_id],
                "new_value": p.proposed_grade.value,
                "reason": reason,
            }
            for p in changed
        ]
        bulk_insert(ChangeLog, logs)
    counts: dict[str, int] = defaultdict(int)
    for p in result.people:
        counts[p.proposed_grade.value] += 1
    text = "、".join(f"{g.value} {counts[g.value]} 人" for g in Grade if counts[g.value])
    first = len(result.people) - len([p for p in result.people if p.person_id in old])
    record_changes(
        ROUND_ENTITY,
        round_id,
        "修改",
        {},
        {
            "grading": f"计算等次 {len(result.people)} 人（{text}）；"
            f"首次定等 {first} 人，等次变化 {len(changed)} 人"
        },
        user=user,
        reason=reason,
    )


# --------------------------------------------------------------------------- use cases


def compute_grades(
    round_id: int, *, user: str | None = None, reason: str = "计算等次"
) -> RoundResult:
    """Grade the whole round under its rules and store every person's result.

    Raises ValidationError naming each person with missing or wrong data (nothing stored),
    DomainError when the round is locked or committee overrides no longer fit the quota."""
    user = _user(user)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of short-lived rows and no cycles (see grade_round)
    try:
        return _compute(round_id, user, reason)
    finally:
        if gc_was_enabled:
            gc.enable()


def _compute(round_id: int, user: str, reason: str) -> RoundResult:
    with db.atomic():
        row = writable_round(round_id)
        if row.kind != KIND_ANNUAL:
            raise DomainError(
                f"“{row.name}”是平时考核：季度等次（好/较好/一般/较差）在“人员情况”中逐人确定，"
                "不按年度考核规则计算",
                record=row.name,
            )
        if not RoundMember.select().where(RoundMember.round == round_id).exists():
            raise DomainError(f"“{row.name}”还没有考核人员，请先添加", record=row.name)
        rules, people, row = load_inputs(round_id)
        approved = json.loads(row.approved_pools or "[]")
        present = {pool_key_of(rules, p.unit, p.layer) for p in people}
        result = grade_round(rules, people, approved_pools=[k for k in approved if k in present])
        # members who no longer take part lose their stored result
        GradeResult.delete().where(
            (GradeResult.round == round_id)
            & GradeResult.cadre.in_(
                RoundMember.select(RoundMember.cadre).where(
                    (RoundMember.round == round_id) & (RoundMember.not_participating != "")
                )
            )
        ).execute()
        _store(round_id, result, user, reason, whole_round=True)
        return result


def stale_people(round_id: int) -> list[str]:
    """Names of the people whose stored result is not what grading the round's current data
    gives (scores, votes, flags, sanctions or rules changed after the last 计算等次), and of
    those without a result. Reads only; the approval step refuses while this is not empty."""
    rules, people, row = load_inputs(round_id)
    approved = json.loads(row.approved_pools or "[]")
    present = {pool_key_of(rules, p.unit, p.layer) for p in people}
    result = grade_round(rules, people, approved_pools=[k for k in approved if k in present])
    table = GradeResult._meta.table_name
    names_sql = ", ".join(getattr(GradeResult, f).column_name for f in _FIELDS)
    cadre_col = GradeResult.cadre.column_name
    stored = {
        r[0]: r
        for r in db.execute_sql(
            f"SELECT {cadre_col}, {names_sql} FROM {table} "
            f"WHERE {GradeResult.round.column_name} = {db.param}",
            (round_id,),
        ).fetchall()
    }
    return [p.name for p in result.people if stored.get(p.person_id) != _row(p)]


def _regrade_pool(
    round_id: int, cadre_id: int, override: Override | None, user: str, reason: str
) -> PersonResult:
    row = writable_round(round_id)
    m = member_row(round_id, cadre_id)
    if m.not_participating:
        raise DomainError(f"{who(m)}不参加本轮考核（{m.not_participating}），不能调整等次")
    if (
        not GradeResult.select()
        .where((GradeResult.round == round_id) & (GradeResult.cadre == cadre_id))
        .exists()
    ):
        raise DomainError(f"{who(m)}还没有计算等次，请先计算等次", record=row.name)
    rules = rules_of(row)
    where = RoundMember.unit_name == m.unit_name
    if rules.quota.pool_by is PoolBy.UNIT_LAYER:
        where = where & (RoundMember.layer == m.layer)
    rules, people, row = load_inputs(round_id, member_where=where, overrides={cadre_id: override})
    key = pool_key_of(rules, m.unit_name, m.layer)
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
) -> PersonResult:
    """考核委员会 sets a final grade different from the proposed one (a reason is required).

    The person's pool is graded again with the decision; the rules decide whether it stands:
    it may not contradict a binding rule, nor take the pool's 优秀 count above the quota
    unless ``approved`` (and never above the approved maximum)."""
    if not reason.strip():
        raise DomainError("考核委员会调整等次必须填写理由", field="reason")
    try:
        g = Grade(grade)
    except ValueError:
        raise DomainError(f"“{grade}”不是有效等次（优秀/称职/基本称职/不称职/不定等次）") from None
    with db.atomic():
        return _regrade_pool(
            round_id, cadre_id, Override(g, reason.strip(), approved), _user(user), reason.strip()
        )


def clear_override(
    round_id: int, cadre_id: int, *, reason: str, user: str | None = None
) -> PersonResult:
    """Withdraw the committee's decision; the proposed grade applies again."""
    if not reason.strip():
        raise DomainError("撤销考核委员会调整必须填写理由", field="reason")
    with db.atomic():
        return _regrade_pool(round_id, cadre_id, None, _user(user), reason.strip())
