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
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from peewee import Case

from models.assessment import (
    KIND_ANNUAL,
    AssessmentRound,
    GradeResult,
    GroupAverage,
    ItemScore,
    QuarterGrade,
    RoundMember,
    Sanction,
    ScoreAdjustment,
    VetoFailure,
    VoteCount,
)
from models.assessment_scores import in_force
from models.assessment_service import (
    PERSON_ENTITY,
    ROUND_ENTITY,
    member_row,
    rules_of,
    who,
    writable_round,
)
from models.audit import current_user, record_changes
from models.dates import ym
from models.db import bulk_insert, chunks, db
from models.errors import DomainError
from models.grading import (
    FLAG_OVERRIDDEN,
    Adjustment,
    Override,
    PersonInput,
    PersonResult,
    RoundResult,
    SanctionInForce,
    _frozen,
    grade_round,
)
from models.grading_rules import QUARTERLY_GRADES, AssessmentRules, Grade, PoolBy
from models.people import Cadre, ChangeLog

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

Q2 = Decimal("0.01")


def _user(user: str | None) -> str:
    return user or current_user()


def pool_key_of(rules: AssessmentRules, unit_name: str, layer: str) -> str:
    """The engine's pool key for a member (unit, or unit｜layer)."""
    return f"{unit_name}｜{layer}" if rules.quota.pool_by is PoolBy.UNIT_LAYER else unit_name


# --------------------------------------------------------------------------- loading


def _raw(query: Any) -> list[tuple[Any, ...]]:
    """Rows of a peewee query through the driver cursor directly (no per-row wrapper): about
    three times faster for the hundreds of thousands of score and vote rows of a big round."""
    sql, params = query.sql()
    return db.execute_sql(sql, params).fetchall()


def _coded(column: Any, names: tuple[str, ...]) -> Any:
    """``column`` as the index of its value in ``names`` (any other value as itself): the
    driver then hands back small ints, which Python shares, instead of a new string per row."""
    if not names:
        return column
    return Case(column, [(name, i) for i, name in enumerate(names)], column)


def _in_members(model: Any, round_id: int, member_where: Any) -> Any:
    cond = model.round == round_id if hasattr(model, "round") else None
    if member_where is not None:
        sub = RoundMember.select(RoundMember.cadre).where(
            (RoundMember.round == round_id) & member_where
        )
        extra = model.cadre.in_(sub)
        cond = extra if cond is None else cond & extra
    return cond


def load_inputs(
    round_id: int,
    *,
    member_where: Any = None,
    overrides: Mapping[int, Override | None] | None = None,
) -> tuple[AssessmentRules, list[PersonInput], AssessmentRound]:
    """The rule engine's inputs for a round's participating members (``member_where``: an
    extra condition on RoundMember, e.g. one pool). ``overrides`` replaces stored overrides."""
    gc_was_enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of rows, no cycles (see grade_round)
    try:
        return _load_inputs(round_id, member_where, overrides)
    finally:
        if gc_was_enabled:
            gc.enable()


def _load_inputs(
    round_id: int, member_where: Any, overrides: Mapping[int, Override | None] | None
) -> tuple[AssessmentRules, list[PersonInput], AssessmentRound]:
    row = AssessmentRound.get_by_id(round_id)
    rules = rules_of(row)
    base = (RoundMember.round == round_id) & (RoundMember.not_participating == "")
    if member_where is not None:
        base = base & member_where
    members = _raw(
        RoundMember.select(
            RoundMember.cadre,
            Cadre.name,
            RoundMember.unit_name,
            RoundMember.layer,
            RoundMember.on_probation,
            RoundMember.under_investigation,
            RoundMember.leave_days,
        )
        .join(Cadre)
        .where(base)
        .order_by(RoundMember.sort_order, RoundMember.id)
    )
    # A person's rows are usually stored one after another: the loops below look a person up
    # only when the person changes (any order still works), and convert each distinct score
    # text to Decimal once (Decimals are immutable, so equal scores share one object).
    dec: dict[str, Decimal] = {}
    scores: dict[int, dict[str, Decimal]] = {}
    last: Any = None
    cur: dict[str, Any] = {}
    codes = tuple(i.code for i in rules.items)
    for cid, code, s in _raw(
        ItemScore.select(
            ItemScore.cadre, _coded(ItemScore.item_code, codes), ItemScore.score
        ).where(_in_members(ItemScore, round_id, member_where))
    ):
        if cid != last:
            last = cid
            cur = scores.get(cid)  # type: ignore[assignment]
            if cur is None:
                cur = scores[cid] = {}
        d = dec.get(s)
        if d is None:
            d = dec[s] = Decimal(s)
        cur[codes[code] if type(code) is int else code] = d
    votes: dict[int, dict[str, dict[str, int]]] = {}
    last = last_g = None
    person: dict[str, dict[str, int]] = {}
    group: dict[str, int] = {}
    gnames = tuple(g.code for g in rules.rater_groups)
    labels = tuple(v.label for v in rules.vote_values)
    for cid, gx, label, n in _raw(
        VoteCount.select(
            VoteCount.cadre,
            _coded(VoteCount.group_code, gnames),
            _coded(VoteCount.grade_label, labels),
            VoteCount.count,
        ).where(_in_members(VoteCount, round_id, member_where))
    ):
        if cid != last:
            last = cid
            last_g = None
            person = votes.get(cid)  # type: ignore[assignment]
            if person is None:
                person = votes[cid] = {}
        if gx != last_g:
            last_g = gx
            g = gnames[gx] if type(gx) is int else gx
            group = person.get(g)  # type: ignore[assignment]
            if group is None:
                group = person[g] = {}
        group[labels[label] if type(label) is int else label] = n
    averages: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for cid, g, a in _raw(
        GroupAverage.select(
            GroupAverage.cadre, GroupAverage.group_code, GroupAverage.average
        ).where(_in_members(GroupAverage, round_id, member_where))
    ):
        d = dec.get(a)
        if d is None:
            d = dec[a] = Decimal(a)
        averages[cid][g] = d
    adjustments: dict[int, list[Adjustment]] = defaultdict(list)
    for cid, p, reason in _raw(
        ScoreAdjustment.select(
            ScoreAdjustment.cadre, ScoreAdjustment.points, ScoreAdjustment.reason
        )
        .where(_in_members(ScoreAdjustment, round_id, member_where))
        .order_by(ScoreAdjustment.id)
    ):
        adjustments[cid].append(Adjustment(Decimal(p), reason))
    vetoes: dict[int, list[str]] = defaultdict(list)
    for cid, code in _raw(
        VetoFailure.select(VetoFailure.cadre, VetoFailure.item_code).where(
            _in_members(VetoFailure, round_id, member_where)
        )
    ):
        vetoes[cid].append(code)
    every = (
        (RoundMember.round == round_id)
        if member_where is None
        else ((RoundMember.round == round_id) & member_where)
    )
    member_ids = RoundMember.select(RoundMember.cadre).where(every)
    sanctions: dict[int, list[Any]] = defaultdict(list)
    for cid, code, start, end, note in _raw(
        Sanction.select(
            Sanction.cadre, Sanction.code, Sanction.start_date, Sanction.end_date, Sanction.note
        ).where(Sanction.cadre.in_(member_ids))
    ):
        f = in_force(_date(start), _date(end) if end else None, code, row.year, rules)
        if f is not None:
            sanctions[cid].append(SanctionInForce(f.code, f.year_offset, note))
    quarters: dict[int, list[str | None]] = {}
    last = None
    four: list[str | None] = []
    for cid, qn, grade in _raw(
        QuarterGrade.select(
            QuarterGrade.cadre, QuarterGrade.quarter, _coded(QuarterGrade.grade, QUARTERLY_GRADES)
        ).where((QuarterGrade.year == row.year) & QuarterGrade.cadre.in_(member_ids))
    ):
        if cid != last:
            last = cid
            four = quarters.get(cid)  # type: ignore[assignment]
            if four is None:
                four = quarters[cid] = [None, None, None, None]
        four[qn - 1] = QUARTERLY_GRADES[grade] if type(grade) is int else grade
    stored: dict[int, Override] = {}
    for cid, g, reason, approved in _raw(
        GradeResult.select(
            GradeResult.cadre,
            GradeResult.override_grade,
            GradeResult.override_reason,
            GradeResult.override_approved,
        ).where((GradeResult.round == round_id) & GradeResult.override_grade.is_null(False))
    ):
        stored[cid] = Override(g, reason, bool(approved))
    if overrides:
        for cid, o in overrides.items():
            if o is None:
                stored.pop(cid, None)
            else:
                stored[cid] = o
    # PersonInput is a frozen dataclass; _frozen fills the same fields without its generated
    # __init__ (several times cheaper for tens of thousands of people)
    people = []
    no_adjustments = no_sanctions = no_vetoes = ()
    for cid, name, unit, layer, probation, investigation, leave in members:
        v = votes.get(cid)
        q = quarters.get(cid)
        if q is not None:
            while q and q[-1] is None:
                q.pop()
        adj = adjustments.get(cid)
        san = sanctions.get(cid)
        vet = vetoes.get(cid)
        people.append(
            _frozen(
                PersonInput,
                {
                    "person_id": cid,
                    "name": name,
                    "unit": unit,
                    "layer": layer,
                    "item_scores": scores.get(cid) or {},
                    "votes": v,
                    "group_averages": averages.get(cid) if v is None else None,
                    "adjustments": tuple(adj) if adj else no_adjustments,
                    "sanctions": tuple(san) if san else no_sanctions,
                    "on_probation": bool(probation),
                    "under_investigation": bool(investigation),
                    "leave_days": leave,
                    "quarterly_grades": tuple(q) if q else (),
                    "veto_failures": tuple(vet) if vet else no_vetoes,
                    "override": stored.get(cid),
                },
            )
        )
    return rules, people, row


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


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


def pool_summaries(round_id: int) -> dict[str, dict[str, Any]]:
    """Stored PoolSummary dicts of the last grading, by pool key."""
    row = AssessmentRound.get_by_id(round_id)
    return {d["pool_key"]: d for d in json.loads(row.pools_json or "[]")}


# --------------------------------------------------------------------------- 考核登记表 data


@dataclass(frozen=True)
class ItemLine:
    name: str
    weight: Decimal  # percent (effective weight, key topic included)
    score: Decimal | None
    weighted: Decimal | None  # score / full score × weight
    full_score: Decimal


@dataclass(frozen=True)
class GroupLine:
    name: str
    weight: Decimal  # percent
    score: Decimal | None
    weighted: Decimal | None
    raters: int | None  # number of votes, when entered as votes


@dataclass(frozen=True)
class PersonSheetDTO:
    """Everything one person's 年度考核登记表 needs (maps 1:1 onto reports.sheet.SheetData)."""

    year: int
    name: str
    gender: str
    birth: str  # 'YYYY.MM'
    political_status: str
    post_since: str  # 'YYYY.MM'
    unit_and_post: str
    work_scope: str
    items: tuple[ItemLine, ...]
    groups: tuple[GroupLine, ...]
    adjustments: tuple[tuple[str, Decimal], ...]  # (reason, points)
    evaluation: Decimal | None
    items_score: Decimal | None
    composite: Decimal | None
    rank: int | None
    pool_size: int | None
    pool_name: str
    proposed_grade: str  # the rules' grade
    final_grade: str  # after the committee's decision
    explanation: str
    no_grade_note: str  # 未确定等次或不参加考核情况说明
    rewards_sanctions: str  # 奖惩: sanctions in force this year
    quarter_grades: tuple[str | None, ...]
    training_hours: Decimal | None = None  # 学时: filled by the training module


def _q2(value: Decimal) -> Decimal:
    return value.quantize(Q2, rounding=ROUND_HALF_UP)


def person_sheet(round_id: int, cadre_id: int) -> PersonSheetDTO:
    row = AssessmentRound.get_by_id(round_id)
    rules = rules_of(row)
    m = member_row(round_id, cadre_id)
    c = Cadre.get_by_id(cadre_id)
    scores = {
        code: Decimal(s)
        for code, s in ItemScore.select(ItemScore.item_code, ItemScore.score)
        .where((ItemScore.round == round_id) & (ItemScore.cadre == cadre_id))
        .tuples()
    }
    items = []
    for it in rules.items:
        if it.effective_weight == 0:
            continue
        s = scores.get(it.code)
        items.append(
            ItemLine(
                it.name + (f"（含{it.key_topic}）" if it.key_topic else ""),
                it.effective_weight,
                s,
                None if s is None else _q2(s / it.full_score * it.effective_weight),
                it.full_score,
            )
        )
    votes: dict[str, dict[str, int]] = defaultdict(dict)
    for g, label, n in (
        VoteCount.select(VoteCount.group_code, VoteCount.grade_label, VoteCount.count)
        .where((VoteCount.round == round_id) & (VoteCount.cadre == cadre_id))
        .tuples()
    ):
        votes[g][label] = n
    averages = {
        g: Decimal(a)
        for g, a in GroupAverage.select(GroupAverage.group_code, GroupAverage.average)
        .where((GroupAverage.round == round_id) & (GroupAverage.cadre == cadre_id))
        .tuples()
    }
    values = rules.vote_value_by_label
    groups = []
    for g in rules.rater_groups:
        score: Decimal | None = None
        raters: int | None = None
        if g.code in votes:
            n = sum(votes[g.code].values())
            if n:
                raters = n
                score = _q2(
                    sum(
                        (values[lab] * k for lab, k in votes[g.code].items() if lab in values),
                        Decimal(0),
                    )
                    / n
                )
        elif g.code in averages:
            score = averages[g.code]
        groups.append(
            GroupLine(
                g.name,
                g.weight * 100,
                score,
                None if score is None else _q2(score * g.weight),
                raters,
            )
        )
    adjustments = tuple(
        (reason, Decimal(p))
        for p, reason in ScoreAdjustment.select(ScoreAdjustment.points, ScoreAdjustment.reason)
        .where((ScoreAdjustment.round == round_id) & (ScoreAdjustment.cadre == cadre_id))
        .order_by(ScoreAdjustment.id)
        .tuples()
    )
    res = GradeResult.get_or_none((GradeResult.round == round_id) & (GradeResult.cadre == cadre_id))
    pool_size = None
    pool_name = m.unit_name
    if res is not None:
        summary = pool_summaries(round_id).get(res.pool_key)
        pool_size = summary["people"] if summary else None
        if summary and summary.get("layer"):
            pool_name = f"{summary['unit']}（{summary['layer']}）"
    sanctions = []
    names = {s.code: s.name for s in rules.sanctions}
    for code, start, end, note in (
        Sanction.select(Sanction.code, Sanction.start_date, Sanction.end_date, Sanction.note)
        .where(Sanction.cadre == cadre_id)
        .tuples()
    ):
        f = in_force(_date(start), _date(end) if end else None, code, row.year, rules)
        if f is not None:
            sanctions.append(
                f"{names.get(code, code)}（{_date(start):%Y.%m}）" + (f"：{note}" if note else "")
            )
    quarters = [None, None, None, None]
    for qn, g in (
        QuarterGrade.select(QuarterGrade.quarter, QuarterGrade.grade)
        .where((QuarterGrade.cadre == cadre_id) & (QuarterGrade.year == row.year))
        .tuples()
    ):
        quarters[qn - 1] = g
    final = res.final_grade if res else ""
    no_grade_note = ""
    if m.not_participating:
        no_grade_note = f"不参加考核：{m.not_participating}"
    elif final == Grade.UNDETERMINED.value and res is not None:
        no_grade_note = f"不定等次（{res.no_grade_category or '其他'}）：" + "；".join(
            s
            for s in res.explanation.rstrip("。").split("；")
            if "不定等次" in s or "不写评语" in s
        )
    post = c.post_title or ""
    unit_and_post = post if post.startswith(m.unit_name) else f"{m.unit_name}{post}"
    if c.rank and c.rank not in unit_and_post:
        unit_and_post += f"（{c.rank}）"
    return PersonSheetDTO(
        year=row.year,
        name=c.name,
        gender=c.sex,
        birth=ym(_date(c.birth_date)),
        political_status=c.political_status,
        post_since=ym(_date(c.post_since)) if c.post_since else "",
        unit_and_post=unit_and_post,
        work_scope="",
        items=tuple(items),
        groups=tuple(groups),
        adjustments=adjustments,
        evaluation=Decimal(res.evaluation) if res and res.evaluation else None,
        items_score=Decimal(res.items) if res and res.items else None,
        composite=Decimal(res.composite) if res and res.composite else None,
        rank=res.rank if res else None,
        pool_size=pool_size,
        pool_name=pool_name,
        proposed_grade=res.proposed_grade if res else "",
        final_grade=final,
        explanation=res.explanation if res else "尚未计算等次",
        no_grade_note=no_grade_note,
        rewards_sanctions="；".join(sanctions),
        quarter_grades=tuple(quarters),
    )
