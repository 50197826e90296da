"""Storing graded results (GradeResult rows, pool summaries, the change log).

Writing is split in two so that a large round graded by several processes (see
models.assessment.grading.parallel) also compares its rows in those processes:

* :func:`diff_rows` compares freshly graded rows with the stored ones (reads only): which
  people are new, which rows changed, whose grade changed;
* :func:`write_results` writes the differences of one or more such comparisons in the
  caller's transaction: unchanged rows are left alone (their ``computed_at`` stays the time
  that content was computed), changed rows are updated in place, new people inserted, the
  pool summaries replaced, one change-log entry per changed grade and one for the round.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from models.assessment.engine import FLAG_OVERRIDDEN, Override, PersonResult, RoundResult
from models.assessment.rounds import PERSON_ENTITY, ROUND_ENTITY
from models.assessment.rules import Grade
from models.assessment.tables import AssessmentRound, GradeResult, RoundMember
from models.core.audit import ChangeLog, record_changes
from models.core.db import bulk_insert, chunks, db, executemany

# GradeResult columns written per person, after round and cadre; computed_at comes last
FIELDS = (
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
FINAL = 1 + FIELDS.index("final_grade")  # position in a (cadre, *FIELDS) row
_OVERRIDE = 1 + FIELDS.index("override_grade")
_OVERRIDE_REASON = 1 + FIELDS.index("override_reason")
_OVERRIDE_APPROVED = 1 + FIELDS.index("override_approved")

_GRADE_TEXT = {g: g.value for g in Grade}  # Enum.value is a slow descriptor in a hot loop
_by_cadre = itemgetter(0)  # a (cadre, *FIELDS) row's cadre


def row_of(p: PersonResult) -> tuple[Any, ...]:
    """(cadre, *FIELDS) of one result, as stored."""
    final = _GRADE_TEXT[p.proposed_grade]
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
        _GRADE_TEXT[p.system_grade],
        final,
        p.no_grade_category or "",
        final if FLAG_OVERRIDDEN in flags else None,
        p.override_reason,
        p.override_approved,
        ",".join(flags),
        "\n".join(p.warnings),
        p.explanation,
    )


def remarks_of(result: RoundResult) -> list[tuple[str, str]]:
    """(pool key, '姓名：提示；提示') of the people with warnings, in member order."""
    return [(p.pool_key, f"{p.name}：{'；'.join(p.warnings)}") for p in result.people if p.warnings]


@dataclass
class RowsDiff:
    """Freshly graded rows against the stored ones (rows are (cadre, *FIELDS))."""

    people: int = 0
    new: list[tuple[Any, ...]] = field(default_factory=list)
    changed: list[tuple[Any, ...]] = field(default_factory=list)
    grade_changes: list[tuple[Any, str, str]] = field(default_factory=list)  # cadre, old, new
    counts: dict[str, int] = field(default_factory=dict)  # final grade → people
    written: bool = False  # rows already written (write_rows), only the rest remains


def _columns() -> tuple[str, str, str, list[str]]:
    col = {f: getattr(GradeResult, f).column_name for f in ("round", "cadre", *FIELDS)}
    return GradeResult._meta.table_name, col["round"], col["cadre"], [col[f] for f in FIELDS]


def stored_rows(round_id: int, *, cadres: Sequence[Any] | None = None, where: str = "") -> dict:
    """Stored (cadre, *FIELDS) rows of the round: all, those of ``cadres``, or those matching
    the extra SQL condition ``where`` on the cadre column (written ``{cadre}``)."""
    table, rcol, ccol, names = _columns()
    mark = db.param
    select = f"SELECT {ccol}, {', '.join(names)} FROM {table} WHERE {rcol} = {mark}"
    out: dict[Any, tuple[Any, ...]] = {}
    if cadres is None:
        sql = select + (f" AND {where.format(cadre=ccol)}" if where else "")
        for r in db.execute_sql(sql, (round_id,)).fetchall():
            out[r[0]] = r
        return out
    for part in chunks(list(cadres)):
        sql = f"{select} AND {ccol} IN ({', '.join([mark] * len(part))})"
        for r in db.execute_sql(sql, (round_id, *part)).fetchall():
            out[r[0]] = r
    return out


def stored_overrides(stored: dict[Any, tuple[Any, ...]]) -> dict[Any, Override]:
    """cadre → the committee's override kept in stored (cadre, *FIELDS) rows (those with an
    override grade), as :func:`models.assessment.grading.inputs.load_inputs` reads them."""
    return {
        cid: Override(r[_OVERRIDE], r[_OVERRIDE_REASON], bool(r[_OVERRIDE_APPROVED]))
        for cid, r in stored.items()
        if r[_OVERRIDE] is not None
    }


def diff_rows(rows: Sequence[tuple[Any, ...]], stored: dict[Any, tuple[Any, ...]]) -> RowsDiff:
    d = RowsDiff(people=len(rows), counts=dict.fromkeys(_GRADE_TEXT.values(), 0))
    counts = d.counts
    for r in rows:
        cid, final = r[0], r[FINAL]
        counts[final] += 1
        before = stored.get(cid)
        if before is None:
            d.new.append(r)
        elif before != r:
            d.changed.append(r)
            if before[FINAL] != final:
                d.grade_changes.append((cid, before[FINAL], final))
    return d


def overwrites_stored(
    round_id: int, diffs: Sequence[RowsDiff], absent: Sequence[Any] | None = None
) -> bool:
    """Whether writing ``diffs`` overwrites or removes a stored result: a changed row, or the
    row of someone who no longer takes part (removed by the write; ``absent``: their cadres
    when the caller knows them, as for :func:`write_results`). Rows of people graded for the
    first time only add to what is stored: a first grading loses nothing and needs no backup
    (the 计算等次前 backup is of the results it replaces)."""
    if any(d.changed for d in diffs):
        return True
    if absent is not None:
        return bool(absent)
    participating = RoundMember.select(RoundMember.cadre).where(
        (RoundMember.round == round_id) & (RoundMember.not_participating == "")
    )
    return bool(
        GradeResult.select()
        .where((GradeResult.round == round_id) & GradeResult.cadre.not_in(participating))
        .exists()
    )


def _stamp(now: dt.datetime) -> str:
    return now.isoformat(" ")  # what the sqlite3 datetime adapter writes for ``now``


def write_rows(round_id: int, diff: RowsDiff, now: dt.datetime) -> None:
    """Update the changed rows and insert the new ones of ``diff`` (in the caller's
    transaction), so that one share of a round can be written while others are still being
    graded; :func:`write_results` then does the rest.

    Rows are written in cadre order, the order of the (round, cadre) index and of the cadre
    table: each write then lands next to the last one (index pages, the foreign-key look-up of
    the cadre), a good third faster for a large round than member order; a row's id means
    nothing."""
    table, rcol, ccol, names = _columns()
    stamp_col = GradeResult.computed_at.column_name
    stamp = _stamp(now)
    mark = db.param
    if diff.changed:
        # a result that changes gets a new version: an override decided on the old one is
        # then refused (models.assessment.grading.service.set_override)
        sets = ", ".join(f"{n} = {mark}" for n in [*names, stamp_col])
        where = f"{rcol} = {mark} AND {ccol} = {mark}"
        executemany(
            f"UPDATE {table} SET {sets}, version = version + 1 WHERE {where}",
            [(*r[1:], stamp, round_id, r[0]) for r in sorted(diff.changed, key=_by_cadre)],
        )
    if diff.new:
        # the round and the time are the same for every row: written into the statement
        # (an int, and a time this module formats), the rows are bound as they are
        columns = ", ".join([rcol, ccol, *names, stamp_col])
        marks = ", ".join([mark] * (len(names) + 1))
        executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({int(round_id)}, {marks}, '{stamp}')",
            sorted(diff.new, key=_by_cadre),
        )
    diff.written = True


def write_results(
    round_id: int,
    diffs: Sequence[RowsDiff],
    pool_dicts: Sequence[dict[str, Any]],
    user: str,
    reason: str,
    *,
    whole_round: bool,
    drop_absent: bool = False,
    member_order: Callable[[list[Any]], dict[Any, Any]] | None = None,
    now: dt.datetime | None = None,
    absent: Sequence[Any] | None = None,
) -> None:
    """Write the differences (the rows of those not yet written by :func:`write_rows`).
    ``whole_round``: the results of the round's participating members, all of them (the
    rows of anybody else are removed and the pool summaries replaced); otherwise some pools
    (their summaries replace the stored ones); ``drop_absent``: remove the rows of people who
    no longer take part then too. ``member_order``: cadres → their position
    keys, to log several diffs' grade changes in member order (rows are written as they
    come: their ids carry no meaning). ``now``: the time written (default: now).
    ``absent``: the cadres whose rows are to be removed, when the caller knows them already
    (it has read every stored row of the round and every participating member); None: the
    rows of everybody not taking part are found here."""
    now = now or dt.datetime.now().replace(microsecond=0)
    table, rcol, ccol, _names = _columns()
    mark = db.param
    new_count = sum(len(d.new) for d in diffs)
    grade_changes = [c for d in diffs for c in d.grade_changes]
    if len(diffs) > 1 and member_order is not None and grade_changes:
        at = member_order([c[0] for c in grade_changes])
        grade_changes.sort(key=lambda c: at[c[0]])
    if absent is not None:
        for part in chunks(list(absent)):
            db.execute_sql(
                f"DELETE FROM {table} WHERE {rcol} = {mark} "
                f"AND {ccol} IN ({', '.join([mark] * len(part))})",
                (round_id, *part),
            )
    elif whole_round or drop_absent:
        # people no longer taking part (or no longer members) lose their row
        db.execute_sql(
            f"DELETE FROM {table} WHERE {rcol} = {mark} AND {ccol} NOT IN ("
            f"SELECT {RoundMember.cadre.column_name} FROM {RoundMember._meta.table_name} "
            f"WHERE {RoundMember.round.column_name} = {mark} "
            f"AND {RoundMember.not_participating.column_name} = '')",
            (round_id, round_id),
        )
    for d in diffs:
        if not d.written:
            write_rows(round_id, d, now)

    # pool summaries: replace the graded pools, keep the others
    row = AssessmentRound.get_by_id(round_id)
    pools = {} if whole_round else {d["pool_key"]: d for d in json.loads(row.pools_json or "[]")}
    for p in pool_dicts:
        pools[p["pool_key"]] = p
    AssessmentRound.update(
        pools_json=json.dumps(list(pools.values()), ensure_ascii=False), graded_at=now
    ).where(AssessmentRound.id == round_id).execute()

    # the change log: a changed grade per person; the grading itself as one round entry
    if grade_changes:
        mids = {
            cid: mid
            for part in chunks([cid for cid, _o, _n in grade_changes])
            for cid, mid in RoundMember.select(RoundMember.cadre, RoundMember.id)
            .where((RoundMember.round == round_id) & RoundMember.cadre.in_(part))
            .tuples()
        }
        bulk_insert(
            ChangeLog,
            [
                {
                    "at": now,
                    "user": user,
                    "entity": PERSON_ENTITY,
                    "entity_id": mids[cid],
                    "action": "修改",
                    "field": "考核等次",
                    "old_value": old_grade,
                    "new_value": new_grade,
                    "reason": reason,
                }
                for cid, old_grade, new_grade in grade_changes
            ],
        )
    people = sum(d.people for d in diffs)
    counts = {g: sum(d.counts[g] for d in diffs) for g in _GRADE_TEXT.values()}
    text = "、".join(f"{g} {n} 人" for g, n in counts.items() if n)
    record_changes(
        ROUND_ENTITY,
        round_id,
        "修改",
        {},
        {
            "grading": f"计算等次 {people} 人（{text}）；"
            f"首次定等 {new_count} 人，等次变化 {len(grade_changes)} 人"
        },
        user=user,
        reason=reason,
    )
