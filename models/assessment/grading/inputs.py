"""五项考核 grading inputs from the database: the rule engine's PersonInput rows of a round,
and the stored pool summaries of its last grading."""

from __future__ import annotations

import dataclasses
import gc
import json
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from peewee import SQL, Case, SqliteDatabase, fn

import models.assessment.packs as packs
from models.assessment.engine import (
    Adjustment,
    Override,
    PersonInput,
    frozen_instance,
)
from models.assessment.records import in_force
from models.assessment.rounds import rules_of
from models.assessment.rules import QUARTERLY_GRADES, AssessmentRules, merges_small_units
from models.assessment.tables import (
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
from models.core.dates import as_date
from models.core.db import db, query_rows
from models.roster.tables import Cadre, Unit

__all__ = ["load_inputs", "pool_summaries"]

# --------------------------------------------------------------------------- loading


def _sqlite() -> bool:
    """SQLite lets a CASE give an integer or a text; PostgreSQL wants one type."""
    return isinstance(db.obj, SqliteDatabase)


def _coded(column: Any, names: tuple[str, ...]) -> Any:
    """``column`` as the index of its value in ``names`` (any other value as itself): the
    driver then hands back small ints, which Python shares, instead of a new string per row.
    SQLite only (elsewhere the column as it is)."""
    if not names or not _sqlite():
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


_NO_CADRE = object()


def _names(where: Any, count: int) -> dict[Any, str]:
    """cadre id → name of the ``count`` members matching the RoundMember condition
    ``where``. A round that takes in most of the roster reads every name in one pass over
    the name index, a good deal faster than a look-up per member; a smaller one looks its
    members up."""
    names = Cadre.select(Cadre.id, Cadre.name)
    if count * 2 < (Cadre.select(fn.MAX(Cadre.id)).scalar() or 0):
        names = names.where(Cadre.id.in_(RoundMember.select(RoundMember.cadre).where(where)))
    return dict(query_rows(names))


def _parent_units(round_id: int) -> dict[str, str]:
    """unit name → its parent unit's name (主管部门), for the units of the round's members
    (the unit tree as it is now; a unit removed since or at the top has none)."""
    parent = Unit.alias()
    rows = query_rows(
        RoundMember.select(RoundMember.unit_name, parent.name)
        .join(Unit, on=(RoundMember.unit_id == Unit.id))
        .join(parent, on=(Unit.parent == parent.id))
        .where(RoundMember.round == round_id)
        .distinct()
    )
    return {unit: name for unit, name in rows if name}


def load_inputs(
    round_id: int,
    *,
    member_where: Any = None,
    overrides: Mapping[int, Override | None] | None = None,
    stored_overrides: Mapping[int, Override] | None = None,
) -> tuple[AssessmentRules, list[PersonInput], AssessmentRound]:
    """The rule engine's inputs for a round's participating members (``member_where``: an
    extra condition on RoundMember, e.g. one pool). ``overrides`` replaces stored overrides.
    ``stored_overrides``: the round's stored overrides (cadre → Override), when the caller
    has read its stored results already (see models.assessment.grading.store); None: read
    here."""
    gc_was_enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of rows, no cycles (see grade_round)
    try:
        return _load_inputs(round_id, member_where, overrides, stored_overrides)
    finally:
        if gc_was_enabled:
            gc.enable()


def _load_inputs(
    round_id: int,
    member_where: Any,
    overrides: Mapping[int, Override | None] | None,
    stored_overrides: Mapping[int, Override] | None,
) -> tuple[AssessmentRules, list[PersonInput], AssessmentRound]:
    row = AssessmentRound.get_by_id(round_id)
    rules = rules_of(row)
    base = (RoundMember.round == round_id) & (RoundMember.not_participating == "")
    if member_where is not None:
        base = base & member_where
    packed = packs.installed(db.obj)
    columns = [
        RoundMember.cadre,
        RoundMember.unit_name,
        RoundMember.layer,
        RoundMember.on_probation,
        RoundMember.under_investigation,
        RoundMember.leave_days,
    ]
    if packed:
        columns += [SQL(packs.SCORE_PACK), SQL(packs.VOTE_PACK), SQL(packs.QUARTER_PACK)]
    else:  # the same shape of row: no packs
        columns += [SQL("NULL"), SQL("NULL"), SQL("NULL")]
    members = query_rows(
        RoundMember.select(*columns).where(base).order_by(RoundMember.sort_order, RoundMember.id)
    )
    names = _names(base, len(members))
    # Each distinct score text becomes a Decimal once (Decimals are immutable, so equal
    # scores share one object), each distinct packed entry or vote segment is parsed once.
    dec: dict[str, Decimal] = {}
    unpack = _Unpacker(dec)
    if packed:  # read from each member's row below
        scores: dict[int, dict[str, Decimal]] = {}
        votes: dict[int, dict[str, dict[str, int]]] = {}
    else:
        scores = _score_rows(rules, round_id, member_where, dec)
        votes = _vote_rows(rules, round_id, member_where)
    averages: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for cid, g, a in query_rows(
        GroupAverage.select(
            GroupAverage.cadre, GroupAverage.group_code, GroupAverage.average
        ).where(_in_members(GroupAverage, round_id, member_where))
    ):
        d = dec.get(a)
        if d is None:
            d = dec[a] = Decimal(a)
        averages[cid][g] = d
    adjustments: dict[int, list[Adjustment]] = defaultdict(list)
    for cid, p, reason in query_rows(
        ScoreAdjustment.select(
            ScoreAdjustment.cadre, ScoreAdjustment.points, ScoreAdjustment.reason
        )
        .where(_in_members(ScoreAdjustment, round_id, member_where))
        .order_by(ScoreAdjustment.id)
    ):
        adjustments[cid].append(Adjustment(Decimal(p), reason))
    vetoes: dict[int, list[str]] = defaultdict(list)
    for cid, code in query_rows(
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
    for cid, code, start, end, note in query_rows(
        Sanction.select(
            Sanction.cadre, Sanction.code, Sanction.start_date, Sanction.end_date, Sanction.note
        ).where(Sanction.cadre.in_(member_ids))
    ):
        f = in_force(as_date(start), as_date(end) if end else None, code, row.year, rules)
        if f is not None:
            sanctions[cid].append(dataclasses.replace(f, note=note))
    quarters: dict[int, tuple[str | None, ...]] = {}
    if not packed:
        quarters = _quarters((QuarterGrade.year == row.year) & QuarterGrade.cadre.in_(member_ids))
    stored: dict[int, Override] = {}
    if stored_overrides is not None:
        stored.update(stored_overrides)
    else:
        for cid, g, reason, approved in query_rows(
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
    # PersonInput is a frozen dataclass; frozen_instance fills the same fields without its generated
    # __init__ (several times cheaper for tens of thousands of people)
    parents = _parent_units(round_id) if merges_small_units(rules) else {}
    people = []
    no_adjustments = no_sanctions = no_vetoes = ()
    RS, GS = packs.RS, packs.GS
    entry_of = unpack.entries.__getitem__
    segment_of = unpack.segments.__getitem__
    quarter_texts = unpack.quarter_texts
    for cid, unit, layer, probation, investigation, leave, sp, vp, qp in members:
        name = names.get(cid, _NO_CADRE)
        if name is _NO_CADRE:  # a member without a roster entry (foreign keys were off)
            continue
        if packed:
            # each packed entry, vote segment and quarter text is parsed once (_Unpacker)
            if sp is None:
                item_scores = {}
            else:
                try:
                    item_scores = dict(map(entry_of, sp.split(RS)))
                except KeyError:  # an entry not met before
                    item_scores = unpack.scores(sp)
            if vp is None:
                v = None
            else:
                try:
                    v = dict(map(segment_of, vp.split(GS)))
                except KeyError:
                    v = unpack.votes(vp)
            if qp is None:
                four: tuple[str | None, ...] = ()
            else:
                four = quarter_texts.get(qp) or unpack.quarters(qp)
        else:
            item_scores = scores.get(cid) or {}
            v = votes.get(cid)
            four = quarters.get(cid, ())
        adj = adjustments.get(cid)
        san = sanctions.get(cid)
        vet = vetoes.get(cid)
        people.append(
            frozen_instance(
                PersonInput,
                {
                    "person_id": cid,
                    "name": name,
                    "unit": unit,
                    "layer": layer,
                    "parent_unit": parents.get(unit, ""),
                    "item_scores": item_scores,
                    "votes": v,
                    "group_averages": averages.get(cid) if v is None else None,
                    "adjustments": tuple(adj) if adj else no_adjustments,
                    "sanctions": tuple(san) if san else no_sanctions,
                    "on_probation": bool(probation),
                    "under_investigation": bool(investigation),
                    "leave_days": leave,
                    "quarterly_grades": four,
                    "veto_failures": tuple(vet) if vet else no_vetoes,
                    "override": stored.get(cid),
                },
            )
        )
    return rules, people, row


class _Unpacker:
    """Scores, votes and quarters from the packed texts of a member row (see
    models.assessment.packs), each distinct entry, vote segment and quarter text parsed once:
    a vote segment (one rater group's counts) and a quarter text are shared by everyone with
    the same ones (the rule engine only reads them). The loop of :func:`_load_inputs` looks
    the parts up in the tables itself and calls here for a text with a part not met before."""

    def __init__(self, dec: dict[str, Decimal]):
        self.dec = dec  # score text → its Decimal
        self.entries: dict[str, tuple[str, Decimal]] = {}  # 'code US score' → (code, score)
        self.segments: dict[str, tuple[str, dict[str, int]]] = {}  # segment → (group, counts)
        self.quarter_texts: dict[str, tuple[str | None, ...]] = {}

    def scores(self, pack: str) -> dict[str, Decimal]:
        """item code → score, of a score pack."""
        entries = self.entries
        dec = self.dec
        person: dict[str, Decimal] = {}
        for entry in pack.split(packs.RS):
            e = entries.get(entry)
            if e is None:
                code, text = entry.split(packs.US)
                d = dec.get(text)
                if d is None:
                    d = dec[text] = Decimal(text)
                e = entries[entry] = (code, d)
            person[e[0]] = e[1]
        return person

    def votes(self, pack: str) -> dict[str, dict[str, int]]:
        """rater group → vote label → count, of a vote pack."""
        segments = self.segments
        US, RS = packs.US, packs.RS
        groups: dict[str, dict[str, int]] = {}
        for seg in pack.split(packs.GS):
            g = segments.get(seg)
            if g is None:
                code, *counts = seg.split(RS)
                g = segments[seg] = (
                    code,
                    {label: _count(n) for label, n in (c.split(US) for c in counts)},
                )
            groups[g[0]] = g[1]
        return groups

    def quarters(self, text: str) -> tuple[str | None, ...]:
        """Q1..Q4 grades of a quarter pack (see :func:`_four`)."""
        q = self.quarter_texts.get(text)
        if q is None:
            q = self.quarter_texts[text] = _four(text)
        return q


def _four(text: str) -> tuple[str | None, ...]:
    """Q1..Q4 grades from a quarter pack; quarters after the last graded one left out (a
    quarter number outside 1–4, only written by hand outside the program, is ignored)."""
    four: list[str | None] = [None, None, None, None]
    for entry in text.split(packs.RS):
        quarter, grade = entry.split(packs.US)
        if quarter in ("1", "2", "3", "4"):
            four[int(quarter) - 1] = grade
    while four and four[-1] is None:
        four.pop()
    return tuple(four)


def _count(text: str) -> Any:
    """A vote count from its packed text: an int as stored; anything else (only written by
    hand outside the program) as the number or text it is, for the rule engine to report."""
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


def _score_rows(
    rules: AssessmentRules, round_id: int, member_where: Any, dec: dict[str, Decimal]
) -> dict[int, dict[str, Decimal]]:
    """cadre → item code → score, from the score rows (a person's rows are usually stored one
    after another: the person is looked up only when it changes; any order still works)."""
    scores: dict[int, dict[str, Decimal]] = {}
    last: Any = None
    cur: dict[str, Any] = {}
    codes = tuple(i.code for i in rules.items)
    for cid, code, s in query_rows(
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
    return scores


def _vote_rows(
    rules: AssessmentRules, round_id: int, member_where: Any
) -> dict[int, dict[str, dict[str, int]]]:
    """cadre → rater group → vote label → count, from the vote rows."""
    votes: dict[int, dict[str, dict[str, int]]] = {}
    last: Any = None
    last_g: Any = None
    person: dict[str, dict[str, int]] = {}
    group: dict[str, int] = {}
    gnames = tuple(g.code for g in rules.rater_groups)
    labels = tuple(v.label for v in rules.vote_values)
    for cid, gx, label, n in query_rows(
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
    return votes


def _quarters(cond: Any) -> dict[int, tuple[str | None, ...]]:
    """cadre → 平时考核 grades of Q1..Q4 (quarters after the last graded one left out), one
    row per person from SQL. A grade that is not 好/较好/一般/较差 is passed on as stored, for
    the rule engine to report."""
    value = QuarterGrade.grade
    if _sqlite():  # the grade's index, or the text when it is none of the four
        code = Case(QuarterGrade.grade, [(g, i) for i, g in enumerate(QUARTERLY_GRADES)])
        value = fn.COALESCE(code, QuarterGrade.grade)
    cols = [fn.MAX(Case(QuarterGrade.quarter, [(q, value)])) for q in (1, 2, 3, 4)]
    memo: dict[tuple[Any, ...], tuple[str | None, ...]] = {}
    out: dict[int, tuple[str | None, ...]] = {}
    for cid, *four in query_rows(
        QuarterGrade.select(QuarterGrade.cadre, *cols).where(cond).group_by(QuarterGrade.cadre)
    ):
        key = tuple(four)
        grades = memo.get(key)
        if grades is None:
            names = [QUARTERLY_GRADES[g] if type(g) is int else g for g in four]
            while names and names[-1] is None:
                names.pop()
            grades = memo[key] = tuple(names)
        out[cid] = grades
    return out


def pool_summaries(round_id: int) -> dict[str, dict[str, Any]]:
    """Stored PoolSummary dicts of the last grading, by pool key."""
    row = AssessmentRound.get_by_id(round_id)
    return {d["pool_key"]: d for d in json.loads(row.pools_json or "[]")}
