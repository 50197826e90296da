"""五项考核 rule engine: scores, quotas and proposed grades for one assessment round.

Pure functions over plain data: no database, no Qt. A service reads people from the database,
builds :class:`PersonInput` objects, calls :func:`grade_round` and stores the frozen results
(every result has ``to_dict()`` for JSON/audit storage).

Numbers: every score is a :class:`~decimal.Decimal` with 2 places, rounded 四舍五入
(ROUND_HALF_UP). The 民主测评 score and the items score are rounded to 2 places first; the
composite is then computed from those rounded parts and rounded again, so the explanation
text can be checked by hand with the numbers it shows.

Grading, per person:

1. 不定等次 or a fixed grade from rules: sanctions (heaviest effect wins), probation, open
   investigation, long leave.
2. Otherwise the composite score gives the grade by thresholds (≥ 称职/基本称职 floors).
3. Caps: a sanction that bars 优秀, a failed 一票否决 item (best grade left is configured),
   a 平时考核 较差 quarter (or too few 好).
4. People still able to be 优秀 (composite ≥ 优秀 floor, nothing barring them) are ranked in
   their pool; the top ``quota`` get 优秀, the rest 称职. Ties at the quota line are broken by
   the configured order; a tie that the order cannot break leaves the tied places empty for
   the committee and is flagged.
5. Committee overrides (reason required) come last. They may not contradict a binding rule
   (barred from 优秀, 不定等次, grade cap) and may not push the pool's 优秀 count above the
   quota unless approved, and never above the approved maximum percentage.
"""

from __future__ import annotations

import gc
from collections.abc import Collection, Sequence

from models.assessment.engine.fast import RoundConsts
from models.assessment.engine.person import PersonWork, prepare_person, who_of
from models.assessment.engine.pool import grade_pool
from models.assessment.engine.types import (
    FLAG_OVERRIDDEN,
    NO_GRADE_OTHER,
    AppliedRule,
    CompositeParts,
    PersonInput,
    PersonResult,
    RoundResult,
    frozen_instance,
    raise_issues,
)
from models.assessment.rules.numbers import ZERO, fmt_number
from models.assessment.rules.pools import pool_key_of, round_hosts
from models.assessment.rules.types import AssessmentRules, Grade
from models.core.errors import DomainError, FieldIssue


def grade_round(
    rules: AssessmentRules,
    people: Sequence[PersonInput],
    *,
    approved_pools: Collection[str] = (),
) -> RoundResult:
    """Grade a whole round.

    ``approved_pools``: pool keys allowed to use the raised (maximum) 优秀 percentage.
    Raises :class:`ValidationError` listing every bad input (person and field), and
    :class:`DomainError` when committee overrides exceed a pool's quota without approval or
    exceed the approved maximum.
    """
    # The round allocates several objects per person and creates no reference cycles; the
    # cyclic garbage collector would only rescan them (about a third of the run time at
    # 50,000 people), so it is paused for the call and restored afterwards.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _grade_round(rules, people, approved_pools)
    finally:
        if gc_was_enabled:
            gc.enable()


def _grade_round(
    rules: AssessmentRules, people: Sequence[PersonInput], approved_pools: Collection[str]
) -> RoundResult:
    issues: list[FieldIssue] = []
    seen: set[int | str] = set()
    works: list[PersonWork] = []
    k = RoundConsts(rules)
    for i, p in enumerate(people):
        if p.person_id in seen:
            issues.append(FieldIssue("person_id", who_of(p), "人员编号在本轮中重复"))
        seen.add(p.person_id)
        works.append(prepare_person(k, p, i, issues))
    hosts = round_hosts(rules, people)
    if hosts:
        for w in works:
            host = hosts.get(w.person.unit)
            if host is not None:
                w.pool_key = pool_key_of(rules, host, w.person.layer)
    pools: dict[str, list[PersonWork]] = {}
    for w in works:
        members = pools.get(w.pool_key)
        if members is None:
            pools[w.pool_key] = [w]
        else:
            members.append(w)
    issues.extend(
        FieldIssue("approved_pools", key, "批准提高优秀比例的考核范围在本轮没有人员")
        for key in approved_pools
        if key not in pools
    )
    raise_issues(issues, "年度考核")

    errors: list[str] = []
    summaries = [
        grade_pool(rules, key, members, key in approved_pools, errors, hosts)
        for key, members in pools.items()
    ]
    if errors:
        raise DomainError("；".join(errors), field="override")
    results = tuple([_result(rules, w) for w in works])
    return RoundResult(rules.name, results, tuple(summaries))


def input_problems(
    rules: AssessmentRules, people: Sequence[PersonInput]
) -> dict[int | str, tuple[str, ...]]:
    """person id → what keeps that person from being graded (a missing score, no valid
    民主测评, a bad entry), in the words of :func:`grade_round`'s refusal; people without
    problems are left out. Lets a caller grade the pools that are ready and list the rest."""
    k = RoundConsts(rules)
    out: dict[int | str, tuple[str, ...]] = {}
    for i, p in enumerate(people):
        issues: list[FieldIssue] = []
        prepare_person(k, p, i, issues)
        if issues:
            out[p.person_id] = tuple(dict.fromkeys(x.message for x in issues))
    return out


_FINAL_TEXT = {g: f"拟定等次：{g.value}。" for g in Grade}  # the explanation's last sentence
_UNDETERMINED = Grade.UNDETERMINED  # a plain name: ten times faster than on the Enum class


def _score_text(rules: AssessmentRules, parts: CompositeParts | None) -> str:
    if parts is None:
        return "未计算综合得分"
    ew, iw = rules.composite_weight_texts
    # !s: str() of a Decimal is the same text as its format() and three times faster
    s = (
        f"综合得分 {parts.composite!s}（测评 {parts.evaluation!s}×{ew}% + "
        f"项目 {parts.items!s}×{iw}%"
    )
    if parts.bonus:
        s += f" + 加分 {fmt_number(parts.bonus)}"
        if parts.bonus != parts.bonus_raw:
            s += f"（合计 {fmt_number(parts.bonus_raw)}，封顶 {fmt_number(parts.bonus)}）"
    if parts.penalty:
        s += f" − 扣分 {fmt_number(parts.penalty)}"
        if parts.penalty != parts.penalty_raw:
            s += f"（合计 {fmt_number(parts.penalty_raw)}，封顶 {fmt_number(parts.penalty)}）"
    return s + "）"


def _result(rules: AssessmentRules, w: PersonWork) -> PersonResult:
    p = w.person
    system = w.system
    og = w.override_grade
    final = og if og is not None else system
    parts = w.parts
    rank = w.rank
    o = w.override
    sentences = [_score_text(rules, parts)]
    if w.pool_text:
        sentences.append(w.pool_text)
    if rank is not None:
        cp = w.cand_pos
        if cp is not None and cp != rank:
            sentences.append(f"排名第 {rank}（在可评优秀人员中排第 {cp}）")
        else:
            sentences.append(f"排名第 {rank}")
    wrules = w.rules
    for r in wrules:  # one or two rules a person: cheaper than building a list to extend
        if r.text:
            sentences.append(r.text)  # noqa: PERF401
    if o is None:
        rules_out = tuple(wrules)
        flags = tuple(w.flags)
        reason = ""
        approved = False
    else:
        reason = o.reason.strip()
        approved = bool(o.approved)
        text = (
            f"系统建议{system.value}，考核委员会调整为{final.value}"
            f"（理由：{reason}{'，经批准' if o.approved else ''}）"
        )
        rules_out = (*wrules, AppliedRule("override", text))
        flags = (*w.flags, FLAG_OVERRIDDEN)
        sentences.append(text)
    sentences.append(_FINAL_TEXT[final])
    ev = w.eval
    return frozen_instance(
        PersonResult,
        {
            "person_id": p.person_id,
            "name": p.name,
            "unit": p.unit,
            "layer": p.layer,
            "pool_key": w.pool_key,
            "evaluation_score": ev.score if ev else None,
            "items_score": w.items,
            "bonus": parts.bonus if parts else ZERO,
            "penalty": parts.penalty if parts else ZERO,
            "composite": parts.composite if parts else None,
            "rank": rank,
            "system_grade": system,
            "proposed_grade": final,
            "barred_from_excellent": w.barred,
            "no_grade_category": (w.no_grade or NO_GRADE_OTHER) if final is _UNDETERMINED else None,
            "override_reason": reason,
            "override_approved": approved,
            "rules": rules_out,
            "flags": flags,
            "warnings": tuple(w.warnings),
            "explanation": "；".join(sentences),
        },
    )
