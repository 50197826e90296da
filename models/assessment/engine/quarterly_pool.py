"""Per-pool step of the 平时考核 engine: the working state of a person while grading, and
the cap on 好 in a pool with ties at the cap line left to the committee."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from models.assessment.engine.quarterly_types import (
    FAIRLY_GOOD,
    FLAG_GOOD_CAP_TIE,
    GOOD,
    NO_GRADE,
    QUARTER_GRADE_CHOICES,
    QuarterPoolSummary,
    good_cap,
)
from models.assessment.engine.types import AppliedRule, PersonInput
from models.assessment.rules.pools import pool_label, pools_by_layer
from models.assessment.rules.quarterly import QuarterGradeRule
from models.assessment.rules.types import AssessmentRules, QuotaBase


@dataclass(eq=False)
class QuarterWork:
    """Mutable per-person state while grading a quarter."""

    person: PersonInput
    who: str
    pool_key: str = ""
    values: dict[str, Decimal] = field(default_factory=dict)
    score: Decimal | None = None
    fixed: str | None = None  # a grade set by a rule (incl. 不定等次); None: by score
    no_grade: str | None = None
    cap: int = 4
    candidate: bool = False
    grade: str = NO_GRADE
    rank: int | None = None
    cand_pos: int | None = None
    pool_text: str = ""
    rules: list[AppliedRule] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def grade_quarter_pool(
    rules: AssessmentRules, rule: QuarterGradeRule, key: str, members: list[QuarterWork]
) -> QuarterPoolSummary:
    first = members[0].person
    layered = pools_by_layer(rules)
    unit, layer = first.unit, (first.layer if layered else "")
    label = pool_label(rules, first.unit, first.layer)
    n = len(members)
    counted = n
    if rules.quota.base is QuotaBase.GRADED:
        counted = sum(1 for w in members if w.grade != NO_GRADE)
    cap = good_cap(rules, counted, rule)

    ranked = sorted(
        (w for w in members if w.score is not None),
        key=lambda w: -w.score,  # type: ignore[operator]
    )
    prev: Decimal | None = None
    rank = 0
    for pos, w in enumerate(ranked, start=1):
        if w.score != prev:
            rank, prev = pos, w.score
        w.rank = rank
    cands = [w for w in ranked if w.candidate]
    prev = None
    for pos, w in enumerate(cands, start=1):  # competition rank among those who may be 好
        if w.score != prev:
            rank, prev = pos, w.score
        w.cand_pos = rank

    tied: list[QuarterWork] = []
    if cap is None:
        chosen = list(cands)
        slots = len(cands)
    else:
        slots = cap.quota
        if len(cands) <= slots:
            chosen = list(cands)
        elif slots <= 0:
            chosen = []
        elif cands[slots - 1].score == cands[slots].score:
            line_score = cands[slots - 1].score
            tied = [w for w in cands if w.score == line_score]
            chosen = [w for w in cands[:slots] if w.score != line_score]
        else:
            chosen = cands[:slots]
    chosen_ids = {id(w) for w in chosen}
    vacant = slots - len(chosen) if tied else 0
    cap_text = f"“好”等次名额（{cap.quota} 名）" if cap is not None else ""
    warnings: list[str] = []
    if tied:
        names = "、".join(w.person.name for w in tied)
        tie_score = tied[0].score
        warnings.append(
            f"“好”等次名额线并列：{names}（季度得分同为 {tie_score}），"
            f"空出 {vacant} 个“好”等次名额待考核委员会确定"
        )
    for w in cands:
        if id(w) in chosen_ids:
            w.grade = GOOD
            if cap is None:
                w.rules.append(AppliedRule("cap:none", "本轮方案未设“好”等次比例上限，评为好"))
            else:
                w.rules.append(AppliedRule("cap:selected", f"排名在{cap_text}内，评为好"))
        elif w in tied:
            w.grade = FAIRLY_GOOD
            w.flags.append(FLAG_GOOD_CAP_TIE)
            w.warnings.append("“好”等次名额线并列，需考核委员会确定")
            w.rules.append(
                AppliedRule(
                    "cap:tie",
                    f"“好”等次名额线并列（季度得分同为 {w.score} 的有 {len(tied)} 人，"
                    f"争 {vacant} 个名额），不按规则任选，暂定较好，需考核委员会确定",
                )
            )
        else:
            w.grade = FAIRLY_GOOD
            w.rules.append(
                AppliedRule(
                    "cap:not_selected",
                    f"在可评“好”的人员中排第 {w.cand_pos}，未进入{cap_text}，定为较好",
                )
            )

    counts = dict.fromkeys(QUARTER_GRADE_CHOICES, 0)
    for w in members:
        counts[w.grade] += 1
    pool_text = f"本单位“{layer}”层次 {n} 人" if layered else f"本单位 {n} 人"
    if counted != n:
        pool_text += f"（确定等次 {counted} 人）"
    if cap is None:
        pool_text += "，本轮方案未设“好”等次比例上限"
    else:
        pool_text += f"，“好”等次上限 {cap.text}"
    for w in members:
        w.pool_text = pool_text
    count_text = "、".join(f"{g} {counts[g]} 人" for g in QUARTER_GRADE_CHOICES if counts[g])
    explanation = f"{label}：{pool_text}；{count_text}"
    if warnings:
        explanation += "；" + "；".join(warnings)
    return QuarterPoolSummary(
        pool_key=key,
        unit=unit,
        layer=layer,
        people=n,
        counted=counted,
        cap=cap,
        counts=counts,
        tied=tuple(w.person.name for w in tied),
        vacant=vacant,
        warnings=tuple(warnings),
        explanation=explanation + "。",
    )
