"""平时考核 (quarterly) grading from the database: compute the proposed quarter grades of a
quarterly round and store them as the people's 平时考核 grades (QuarterGrade).

The rules are in the pure module :mod:`models.assessment.engine.quarterly`; this module reads
the round (:func:`models.assessment.grading.inputs.load_inputs`), works out which sanctions are
in force in the quarter, calls :func:`models.assessment.engine.quarterly.grade_quarter` and
writes what it decided, in one transaction together with the change log.

What computing does to grades already stored (the rule a user can rely on):

* Computing **overwrites**: every participating member's grade of the round's year and quarter
  becomes the computed one, whether it was computed before or entered by hand in “人员情况”.
  A person the rules give 不定等次 (试用期, 处分, 立案审查, long leave) has no quarter grade:
  a grade stored for them is cleared. The result lists every person whose stored grade changed
  (old → new) and the change log keeps the old value, so nothing is lost silently; a grade the
  考核委员会 decides afterwards (e.g. for a tie at the cap line) is entered by hand again and is
  kept until the next computation.
* Members marked 不参加考核 are not graded and their stored grade is left as it is.
* A grade is written only when it differs from the stored one; unchanged grades produce no
  change-log entry.

A sanction counts for the quarter when it is in force in the round's year under the rules
(:func:`models.assessment.records.in_force`), was given on or before the last day of the
quarter and (if its 影响期 was ended early) did not end before the quarter began.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from peewee import fn

from models.accounts import Permission, require
from models.assessment.engine import (
    PersonInput,
    QuarterPersonResult,
    QuarterRoundResult,
    SanctionInForce,
    good_cap,
    grade_quarter,
    quarter_rule_of,
)
from models.assessment.grading.inputs import load_inputs
from models.assessment.records import in_force
from models.assessment.rounds import (
    CADRE_ENTITY,
    ROUND_ENTITY,
    acting_user,
    annual_round_locked,
    rules_of,
    writable_round,
)
from models.assessment.rules import (
    QUARTERLY_GRADES,
    AssessmentRules,
    QuarterGradeRule,
    QuotaBase,
    pool_key_of,
)
from models.assessment.tables import (
    KIND_QUARTERLY,
    AssessmentRound,
    QuarterGrade,
    RoundMember,
    Sanction,
)
from models.backup import BEFORE_GRADING, backup_before
from models.core.audit import ChangeLog, record_changes
from models.core.concurrency import conflict
from models.core.dates import as_date
from models.core.db import bulk_insert, chunks, write_transaction
from models.core.errors import DomainError, ValidationError
from models.roster import subtree_ids

__all__ = [
    "QuarterComputeResult",
    "QuarterGradeChange",
    "compute_quarter_grades",
    "format_quarter_report",
    "QuarterPoolRow",
    "quarter_approval_problems",
    "quarter_overview",
    "quarter_bounds",
]


_SHOWN = 20  # changed grades named in the summary (all of them are in the change log)


@dataclass(frozen=True)
class QuarterGradeChange:
    """One stored quarter grade that computing changed. ``old`` None: there was none (first
    grading); ``new`` None: cleared (不定等次)."""

    cadre_id: int
    name: str
    unit: str
    old: str | None
    new: str | None

    @property
    def text(self) -> str:
        """'甲（市委组织部）：较好 → 好'."""
        return f"{self.name}（{self.unit}）：{self.old or '无'} → {self.new or '不定等次（清除）'}"


@dataclass(frozen=True)
class QuarterComputeResult:
    round_id: int
    year: int
    quarter: int
    grading: QuarterRoundResult  # every person's grade, rank, explanation; pool summaries
    changes: tuple[QuarterGradeChange, ...]  # stored grades written, in round order

    @property
    def first_time(self) -> tuple[QuarterGradeChange, ...]:
        return tuple(c for c in self.changes if c.old is None)

    @property
    def overwritten(self) -> tuple[QuarterGradeChange, ...]:
        """Grades that existed (computed before or entered by hand) and were replaced."""
        return tuple(c for c in self.changes if c.old is not None)

    @property
    def summary(self) -> str:
        """One Chinese paragraph for the status line and the change log."""
        counts = self.grading.counts()
        text = "、".join(f"{g} {n} 人" for g, n in counts.items() if n)
        s = (
            f"计算{self.year}年第{self.quarter}季度平时考核等次 {len(self.grading.people)} 人"
            f"（{text or '无'}）；首次定等 {len(self.first_time)} 人，"
            f"等次变化 {len(self.overwritten)} 人"
        )
        if self.overwritten:
            shown = self.overwritten[:_SHOWN]
            more = len(self.overwritten) - len(shown)
            s += (
                "："
                + "；".join(c.text for c in shown)
                + (f" 等 {len(self.overwritten)} 人" if more else "")
            )
        return s


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """First and last day of a quarter: (2025, 1) → 2025-01-01, 2025-03-31."""
    start = dt.date(year, 3 * (quarter - 1) + 1, 1)
    after = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return start, after - dt.timedelta(days=1)


def _quarter_sanctions(
    cadre_ids: list[int], year: int, quarter: int, rules: AssessmentRules
) -> dict[int, list[SanctionInForce]]:
    first, last = quarter_bounds(year, quarter)
    out: dict[int, list[SanctionInForce]] = defaultdict(list)
    for part in chunks(cadre_ids):
        for cid, code, start, end, note in (
            Sanction.select(
                Sanction.cadre, Sanction.code, Sanction.start_date, Sanction.end_date, Sanction.note
            )
            .where(Sanction.cadre.in_(part))
            .tuples()
        ):
            s, e = as_date(start), (as_date(end) if end else None)
            if s > last or (e is not None and e < first):
                continue
            f = in_force(s, e, code, year, rules)
            if f is not None:
                out[cid].append(dataclasses.replace(f, note=note))
    return out


def compute_quarter_grades(
    round_id: int,
    *,
    user: str | None = None,
    reason: str = "计算季度等次",
    rule: QuarterGradeRule | None = None,
) -> QuarterComputeResult:
    """Grade a quarterly (平时考核) round and store each participating member's quarter grade.

    ``rule``: score lines of the quarter grades; default: the round's rules
    (:func:`models.assessment.engine.quarterly.quarter_rule_of`). Everything is written in one
    transaction, with one change-log entry per changed grade (entity ``cadre_assessment``, as
    :func:`models.assessment.records.set_quarter_grade` logs) and one for the round.

    Raises DomainError when the round is locked (审定), is not a quarterly round, has no
    members, or the year's annual round is 审定; ValidationError naming each person with
    missing or wrong data. Nothing is stored when anything is raised."""
    require(Permission.GRADING)
    backup_before(BEFORE_GRADING)  # a checked 计算等次前 backup (models.backup)
    user = acting_user(user)
    with write_transaction():
        row = writable_round(round_id)
        if row.kind != KIND_QUARTERLY:
            raise DomainError(
                f"“{row.name}”是{row.kind}，请用“计算等次”按年度考核规则计算，"
                "季度等次只对平时考核轮次计算",
                record=row.name,
            )
        quarter = row.quarter
        if quarter not in (1, 2, 3, 4):
            raise DomainError(
                f"“{row.name}”没有有效的季度（现为 {quarter}），无法计算季度等次",
                record=row.name,
                field="quarter",
            )
        if annual_round_locked(row.year):
            raise DomainError(
                f"{row.year}年度考核已审定锁定，不能修改平时考核等次",
                record=row.name,
                field="grade",
            )
        if not RoundMember.select().where(RoundMember.round == round_id).exists():
            raise DomainError(f"“{row.name}”还没有考核人员，请先添加", record=row.name)
        result = _grade(round_id, quarter, rule)
        changes = _store(row.year, quarter, result, user, reason)
        out = QuarterComputeResult(round_id, row.year, quarter, result, changes)
        AssessmentRound.update(graded_at=dt.datetime.now().replace(microsecond=0)).where(
            AssessmentRound.id == round_id
        ).execute()
        record_changes(
            ROUND_ENTITY, round_id, "修改", {}, {"grading": out.summary}, user=user, reason=reason
        )
        return out


def _grade(round_id: int, quarter: int, rule: QuarterGradeRule | None) -> QuarterRoundResult:
    rules, people, row = load_inputs(round_id)
    try:
        return _grade_people(rules, row.year, quarter, people, rule)
    except ValidationError as exc:
        raise ValidationError(exc.issues, record=row.name) from None


def _held_grades(cadres: list[int], year: int, quarter: int) -> dict[int, str]:
    """cadre → the 平时考核 grade stored for that quarter (those who have one)."""
    out: dict[int, str] = {}
    for part in chunks(cadres):
        out.update(
            QuarterGrade.select(QuarterGrade.cadre, QuarterGrade.grade)
            .where(
                (QuarterGrade.year == year)
                & (QuarterGrade.quarter == quarter)
                & QuarterGrade.cadre.in_(part)
            )
            .tuples()
        )
    return out


def quarter_approval_problems(round_id: int) -> list[str]:
    """Why a 平时考核 round cannot be 审定 yet (reads only; [] when it can):

    * the round's scheme changed after the last 计算季度等次 (compute again);
    * participating members without a grade of the quarter although the rules give them one
      (a person the rules leave 不定等次 — probation, investigation, long leave, a sanction —
      needs none); grades entered by hand count, so a round graded by hand can be approved;
    * a unit with more 好 than its cap (whoever entered them: computing never exceeds it,
      the committee's hand entries must not either);
    * a person barred from 好 by a rule who holds 好, or one the rules leave 不定等次 who holds
      a grade. People without scores are checked on the rules that need none (sanctions,
      probation, investigation, leave, recorded 一票否决).
    """
    row = AssessmentRound.get_by_id(round_id)
    rules, people, _row = load_inputs(round_id)
    stored = _held_grades([int(p.person_id) for p in people], row.year, row.quarter)
    problems: list[str] = []
    if row.graded_at is not None and _scheme_changed_since(round_id, row.graded_at):
        problems.append("考核方案在上次计算季度等次之后有修改，请重新计算季度等次")
    try:
        views = list(_grade_people(rules, row.year, row.quarter, people).people)
    except ValidationError:  # scores missing (a round graded by hand): one by one
        views = [_rule_view(rules, row.year, row.quarter, p) for p in people]
    need = [v.name for v in views if v.stored_grade is not None and int(v.person_id) not in stored]
    if need:
        shown = "、".join(need[:10]) + (f" 等 {len(need)} 人" if len(need) > 10 else "")
        problems.append(f"{shown}还没有本季度平时考核等次，请先计算季度等次或逐人确定")
    problems.extend(
        f"{r.pool_key}：“好”等次 {r.counts['好']} 人，超过上限 {r.cap} 人（{r.cap_text}）"
        for r in quarter_overview(round_id)
        if r.over_cap
    )
    for v in views:
        have = stored.get(int(v.person_id))
        if have == "好" and v.barred_from_good:
            problems.append(f"{v.name}：按规则不得评为“好”，现为“好”")
        elif have is not None and v.stored_grade is None:
            problems.append(f"{v.name}：按规则本季度不定等次，却有“{have}”等次")
    return problems


def _scheme_changed_since(round_id: int, when: dt.datetime) -> bool:
    """Whether a rules.* change of the round was logged after its last 计算季度等次. The
    change log's order (its ids) decides, not its times: they keep whole seconds, and an edit
    made in the same second as the computing must still count. A round computed before the
    computing was logged falls back to the time."""
    of_round = (ChangeLog.entity == ROUND_ENTITY) & (ChangeLog.entity_id == round_id)
    last = (
        ChangeLog.select(fn.MAX(ChangeLog.id))
        .where(of_round & (ChangeLog.field == "grading"))
        .scalar()
    )
    after = (ChangeLog.id > last) if last is not None else (ChangeLog.at > when)
    return (
        ChangeLog.select().where(of_round & ChangeLog.field.startswith("rules.") & after).exists()
    )


def _rule_view(
    rules: AssessmentRules, year: int, quarter: int, p: PersonInput
) -> QuarterPersonResult:
    """What the rules make of one person on their own: graded by their scores, or, when they
    have none, with every item at full marks, so that only the rules that need no score
    (sanctions, status, recorded 一票否决) can bar 好 or leave the quarter 不定等次."""
    try:
        return _grade_people(rules, year, quarter, [p]).people[0]
    except ValidationError:
        full = {i.code: i.full_score for i in rules.items}
        anyway = dataclasses.replace(p, item_scores=full)
        return _grade_people(rules, year, quarter, [anyway]).people[0]


def _grade_people(
    rules: AssessmentRules,
    year: int,
    quarter: int,
    people: list[PersonInput],
    rule: QuarterGradeRule | None = None,
) -> QuarterRoundResult:
    """Grade ``people`` of a round with the sanctions in force in the quarter (the cap on 好
    among those given)."""
    ids = [int(p.person_id) for p in people]
    sanctions = _quarter_sanctions(ids, year, quarter, rules)
    return grade_quarter(
        rules,
        [_with_sanctions(p, sanctions.get(int(p.person_id), [])) for p in people],
        rule=rule,
    )


@dataclass(frozen=True)
class QuarterPoolRow:
    """One unit (pool) of a 平时考核 round as stored now: the quarter grades its
    participating members hold, against the cap on 好."""

    pool_key: str
    people: int
    cap: int | None  # None: no cap
    cap_text: str
    counts: dict[str, int]  # 好/较好/一般/较差 → people
    without: int  # members with no grade of the quarter (不定等次, or not graded yet)

    @property
    def over_cap(self) -> bool:
        return self.cap is not None and self.counts.get("好", 0) > self.cap


def quarter_overview(round_id: int, unit_id: int | None = None) -> list[QuarterPoolRow]:
    """Per unit of a 平时考核 round (all, or ``unit_id`` and its sub-units), in member order:
    people, the cap on 好 and how many hold each quarter grade now (computed or entered by
    hand). Reads only; no scores needed."""
    row = AssessmentRound.get_by_id(round_id)
    rules = rules_of(row)
    rule = quarter_rule_of(rules)
    members = (
        RoundMember.select(RoundMember.cadre, RoundMember.unit_name, RoundMember.layer)
        .where((RoundMember.round == round_id) & (RoundMember.not_participating == ""))
        .order_by(RoundMember.sort_order, RoundMember.id)
    )
    if unit_id is not None:
        members = members.where(RoundMember.unit_id.in_(subtree_ids(unit_id)))
    members = members.tuples()
    pools: dict[str, list[int]] = {}
    for cid, unit, layer in members:
        pools.setdefault(pool_key_of(rules, unit, layer), []).append(cid)
    grades = _held_grades([c for ids in pools.values() for c in ids], row.year, row.quarter)
    out = []
    for key, ids in pools.items():
        counts = dict.fromkeys(QUARTERLY_GRADES, 0)
        for cid in ids:
            g = grades.get(cid)
            if g in counts:
                counts[g] += 1
        graded = sum(counts.values())
        base = graded if rules.quota.base is QuotaBase.GRADED else len(ids)
        cap = good_cap(rules, base, rule)
        out.append(
            QuarterPoolRow(
                key,
                len(ids),
                None if cap is None else cap.quota,
                "不限" if cap is None else cap.text,
                counts,
                len(ids) - graded,
            )
        )
    return out


def format_quarter_report(out: QuarterComputeResult) -> str:
    """The text the ``grade --quarter`` command prints: the summary, then per unit the cap on
    好 and the counts (each pool's explanation) and the people with warnings."""
    lines = [out.summary]
    for pool in out.grading.pools:
        lines.append(f"【{pool.unit}（{pool.layer}）】" if pool.layer else f"【{pool.unit}】")
        lines.append(f"  {pool.explanation}")
        lines.extend(
            f"  {p.name}：{'；'.join(p.warnings)}"
            for p in out.grading.people
            if p.warnings and p.pool_key == pool.pool_key
        )
    return "\n".join(lines)


def _with_sanctions(p: PersonInput, sanctions: list[SanctionInForce]) -> PersonInput:
    return dataclasses.replace(p, sanctions=tuple(sanctions))


def _store(
    year: int, quarter: int, result: QuarterRoundResult, user: str, reason: str
) -> tuple[QuarterGradeChange, ...]:
    ids = [int(p.person_id) for p in result.people]
    existing: dict[int, tuple[int, str]] = {}
    for part in chunks(ids):
        for qid, cid, grade in (
            QuarterGrade.select(QuarterGrade.id, QuarterGrade.cadre, QuarterGrade.grade)
            .where(
                (QuarterGrade.year == year)
                & (QuarterGrade.quarter == quarter)
                & QuarterGrade.cadre.in_(part)
            )
            .tuples()
        ):
            existing[cid] = (qid, grade)
    key = f"{year}年第{quarter}季度平时考核"
    inserts: list[dict[str, object]] = []
    changes: list[QuarterGradeChange] = []
    for p in result.people:
        cid = int(p.person_id)
        new = p.stored_grade
        assert new is None or new in QUARTERLY_GRADES
        before = existing.get(cid)
        old = before[1] if before else None
        if old == new:
            continue
        if before is None:
            inserts.append({"cadre": cid, "year": year, "quarter": quarter, "grade": new})
        else:
            # conditional on the grade read above: one entered by hand meanwhile (on a
            # server) is not overwritten; the computation is refused and can be run again
            same = (QuarterGrade.id == before[0]) & (QuarterGrade.grade == old)
            if new is None:
                done = QuarterGrade.delete().where(same).execute()
            else:
                done = (
                    QuarterGrade.update(grade=new, version=QuarterGrade.version + 1)
                    .where(same)
                    .execute()
                )
            if done != 1:
                raise conflict(f"{p.name}（{p.unit}）的{key}", CADRE_ENTITY, cid, field=key)
        record_changes(CADRE_ENTITY, cid, "修改", {key: old}, {key: new}, user=user, reason=reason)
        changes.append(QuarterGradeChange(cid, p.name, p.unit, old, new))
    bulk_insert(QuarterGrade, inserts)
    return tuple(changes)
