"""平时考核 (quarterly assessment) rule engine: the proposed quarter grade 好/较好/一般/较差 of
every person of a quarterly round.

Pure functions over plain data: no database, no Qt. The database use case is
:func:`models.assessment.grading.quarterly.compute_quarter_grades`; it reads the round with
:func:`models.assessment.grading.inputs.load_inputs`, calls :func:`grade_quarter` and stores the
grades.

Input: the same :class:`~models.assessment.engine.types.PersonInput` the annual engine takes.
Only these fields are used: ``person_id``, ``name``, ``unit``, ``layer``, ``item_scores``,
``sanctions``, ``on_probation``, ``under_investigation``, ``leave_days`` (days of 病事假 **in
the quarter**) and ``veto_failures``. 民主测评, 加减分, earlier quarter grades and committee
overrides are not part of a quarter grade and are ignored.

Rules, per person (every rule that applies is written into the person's explanation):

1. **Score.** The 季度得分 is the round's weighted items score, by the very formula of the
   annual items score (:func:`models.assessment.engine.scores.items_score_of`: Σ
   得分/满分×有效权重 ÷ Σ有效权重 × 100, 2 places 四舍五入). A person who needs a score and
   lacks one raises :class:`~models.core.errors.ValidationError` naming the person and the
   items; nothing is graded.
2. **Score lines** (:class:`~models.assessment.rules.quarterly.QuarterGradeRule`): ≥ 好 line
   → may be 好 (subject to the cap), ≥ 较好 line → 较好, ≥ 一般 line → 一般, below → 较差.
   The defaults 90 / 66 / 55 are the annual default lines of 优秀 / 称职 / 基本称职 (the
   剑阁 sheet of DOMAIN §1.7 maps the same numbers onto a four-level scale); the four
   quarterly grades are taken as the counterparts of the four annual grades (好↔优秀,
   较好↔称职, 一般↔基本称职, 较差↔不称职).
3. **Sanctions in force** (处分 / 组织处理, the round's 处分影响表) act as in the annual
   grading (:mod:`models.assessment.engine.sanctions`), one level for one level:
   不得评为优秀 → 不得评为好 (best grade 较好); 定为基本称职 → 定为一般; 只写评语不定等次
   → 本季度不定等次; 定为不称职 → 定为较差. Several at once: the heaviest effect wins.
   Whether a sanction is in force in the quarter is decided by the caller (the use case
   counts a sanction from the quarter in which it was given).
4. **一票否决**: a recorded failure, or a score below an item's 否决线, caps the grade at the
   counterpart of the item's annual ``veto_max_grade`` (基本称职 → 一般).
5. **Status, by analogy with the annual 不定等次 cases**: 试用期 and 立案审查未结案 give
   不定等次 for the quarter, as for the year. Long leave: the annual rule gives 不定等次 for
   病事假 ≥ ``status.long_leave_days`` days of the year (default 183, about half a year); for
   a quarter the same share is used, the annual number ÷ 4 rounded up (183 ÷ 4 = 45.75 → 46
   days, about half a quarter). A quarter has at most 92 days; more is refused as an input
   error. People with 不定等次 need no score and take no 好 place.
6. **Cap on 好 per pool.** The pool is the annual quota pool (the unit, or the rank layer
   inside the unit, ``quota.pool_by``); the people counted are those of ``quota.base`` (all
   participating, or only those who get a grade). Cap = ``quarterly.good_cap_percent`` % ×
   people, rounded by ``quota.rounding`` (四舍五入 / 进一法 / 去尾); "at least one" only when
   ``quarterly.good_cap_at_least_one`` is set. People who may be 好 are ranked by score;
   those ranked above the cap fall to 较好. ``good_cap_percent`` None: no cap.
7. **Ties at the cap line.** A quarter grade has one number only, so the annual tie-break
   order (民主测评, 单项得分, ...) is not used: when the last place inside the cap and the first
   outside have the same score, everyone with that score is given 较好 for now, flagged
   :data:`FLAG_GOOD_CAP_TIE` and named in a warning; the places they compete for stay empty for the
   考核委员会 (the engine never picks among equals).

The annual ``quarterly.bar_excellent_grades`` / ``min_good_for_excellent`` are rules about how
quarter grades feed the *annual* 优秀 and play no part here.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from models.assessment.engine.quarterly_pool import QuarterWork, grade_quarter_pool
from models.assessment.engine.quarterly_types import (
    FAIRLY_GOOD,
    FLAG_BARRED_FROM_GOOD,
    GOOD,
    MAX_QUARTER_DAYS,
    NO_GRADE,
    ORDINARY,
    POOR,
    QuarterPersonResult,
    QuarterRoundResult,
    quarter_leave_days,
    quarter_rule_of,
)
from models.assessment.engine.sanctions import (
    NO_GRADE_LEVEL,
    QUARTER_SANCTION_TEXTS,
    binding_grade,
    sanction_effects,
)
from models.assessment.engine.scores import item_values, items_score_of
from models.assessment.engine.types import (
    NO_GRADE_OTHER,
    NO_GRADE_PROBATION,
    AppliedRule,
    PersonInput,
    raise_issues,
)
from models.assessment.rules.numbers import HUNDRED, fmt_number
from models.assessment.rules.pools import pool_key_of, pools_by_layer
from models.assessment.rules.quarterly import QuarterGradeRule
from models.assessment.rules.types import GRADE_LEVEL, AssessmentRules
from models.core.errors import FieldIssue

# the quarter grade of each level, the counterpart of the annual grade of that level
_LEVEL = {GOOD: 4, FAIRLY_GOOD: 3, ORDINARY: 2, POOR: 1}
_BY_LEVEL = {v: k for k, v in _LEVEL.items()} | {NO_GRADE_LEVEL: NO_GRADE}


def _who(p: PersonInput) -> str:
    name = str(p.name).strip() or "（无姓名）"
    return f"{name}（{p.unit}）" if str(p.unit).strip() else name


def _quarter_grade_of(annual_level: int) -> str:
    return _BY_LEVEL[annual_level]


def _prepare(
    rules: AssessmentRules,
    rule: QuarterGradeRule,
    leave_limit: int | None,
    p: PersonInput,
    issues: list[FieldIssue],
) -> QuarterWork:
    who = _who(p)
    w = QuarterWork(p, who)
    if not str(p.name).strip():
        issues.append(FieldIssue("name", who, "姓名不能为空"))
    if not str(p.unit).strip():
        issues.append(FieldIssue("unit", who, "所属单位不能为空"))
    if pools_by_layer(rules) and not str(p.layer).strip():
        issues.append(
            FieldIssue("layer", who, "按单位内职级层次计算“好”等次名额时，职级层次不能为空")
        )
    w.pool_key = pool_key_of(rules, p.unit, p.layer)

    # --- sanctions ------------------------------------------------------------------------
    effects = sanction_effects(
        rules, p.sanctions, who, QUARTER_SANCTION_TEXTS, w.rules, w.warnings, issues
    )

    # --- status -----------------------------------------------------------------------------
    status_no_grade: list[str] = []
    st = rules.status
    if p.on_probation and st.probation_no_grade:
        w.rules.append(
            AppliedRule("status:probation", "试用期内，与年度考核相同，本季度只写评语不定等次")
        )
        status_no_grade.append(NO_GRADE_PROBATION)
    if p.under_investigation and st.investigation_no_grade:
        w.rules.append(
            AppliedRule(
                "status:investigation", "立案审查尚未结案，本季度不定等次（结案后视情况补定）"
            )
        )
        status_no_grade.append(NO_GRADE_OTHER)
    leave = p.leave_days
    if isinstance(leave, bool) or not isinstance(leave, int) or not 0 <= leave <= MAX_QUARTER_DAYS:
        issues.append(
            FieldIssue(
                "leave_days",
                who,
                f"本季度病事假天数 {leave!r} 应为 0–{MAX_QUARTER_DAYS} 的整数（一个季度最多 "
                f"{MAX_QUARTER_DAYS} 天）",
            )
        )
    elif leave_limit is not None and leave >= leave_limit:
        annual = st.long_leave_days
        w.rules.append(
            AppliedRule(
                "status:long_leave",
                f"本季度病事假 {leave} 天，达到 {leave_limit} 天（年度规则 {annual} 天，"
                f"按季度折算 {annual}÷4={fmt_number(Decimal(annual or 0) / 4)}，进一为 "
                f"{leave_limit} 天），不定等次",
            )
        )
        status_no_grade.append(NO_GRADE_OTHER)

    fixed, w.no_grade, best = binding_grade(effects, status_no_grade)
    if fixed is not None:
        w.fixed = _BY_LEVEL[fixed]
    w.cap = min(w.cap, best)

    # --- scores and 一票否决 -------------------------------------------------------------------
    w.values = item_values(rules, p.item_scores, who, issues)
    vetoed: set[str] = set()
    for code in p.veto_failures:
        item = rules.items_by_code.get(code)
        if item is None or not item.is_veto:
            issues.append(
                FieldIssue("veto_failures", who, f"“{code}”不是本轮考核方案中的一票否决项目")
            )
            continue
        vetoed.add(code)
        level = GRADE_LEVEL[item.veto_max_grade]
        w.rules.append(
            AppliedRule(
                f"veto:{code}",
                f"“{item.name}”一票否决，年度考核中等次最高为{item.veto_max_grade.value}，"
                f"本季度相应最高为“{_quarter_grade_of(level)}”",
            )
        )
        w.cap = min(w.cap, level)
    for item in rules.veto_line_items:
        v = w.values.get(item.code)
        if item.veto_below is not None and v is not None and v < item.veto_below:
            if item.code in vetoed:
                continue
            level = GRADE_LEVEL[item.veto_max_grade]
            w.rules.append(
                AppliedRule(
                    f"veto:{item.code}",
                    f"“{item.name}”得分 {fmt_number(v)} 低于否决线 {fmt_number(item.veto_below)}，"
                    f"一票否决，本季度等次最高为“{_quarter_grade_of(level)}”",
                )
            )
            w.cap = min(w.cap, level)

    score, missing = items_score_of(rules, w.values)
    w.score = score
    if w.fixed is None and score is None:
        if not rules.weighted_items:
            issues.append(
                FieldIssue("item_scores", who, "本轮考核方案没有计分的考核项目，无法计算季度得分")
            )
        elif missing:
            issues.append(FieldIssue("item_scores", who, f"缺少“{'”“'.join(missing)}”得分"))

    # --- grade before the cap -----------------------------------------------------------
    if w.fixed is not None:
        if w.fixed == NO_GRADE:
            w.grade = NO_GRADE
        else:
            w.grade = _BY_LEVEL[min(_LEVEL[w.fixed], w.cap)]
    elif score is not None:
        line = rule.good_min if rule.good_min is not None else rule.fairly_good_min
        good_text = (
            f"“好”等次分数线 {fmt_number(line)}"
            if rule.good_min is not None
            else f"“较好”等次分数线 {fmt_number(line)}（“好”等次只按排名和名额确定）"
        )
        if score >= line:
            level = 4
            w.rules.append(AppliedRule("score:good", f"季度得分 {score} 达到{good_text}"))
        elif score >= rule.fairly_good_min:
            level = 3
            w.rules.append(
                AppliedRule(
                    "score:fairly_good",
                    f"季度得分 {score} 未达“好”等次分数线 {fmt_number(line)}，达到“较好”等次分数线 "
                    f"{fmt_number(rule.fairly_good_min)}，按得分为较好",
                )
            )
        elif score >= rule.ordinary_min:
            level = 2
            w.rules.append(
                AppliedRule(
                    "score:ordinary",
                    f"季度得分 {score} 未达“较好”等次分数线 {fmt_number(rule.fairly_good_min)}，"
                    f"达到“一般”等次分数线 {fmt_number(rule.ordinary_min)}，按得分为一般",
                )
            )
        else:
            level = 1
            w.rules.append(
                AppliedRule(
                    "score:poor",
                    f"季度得分 {score} 低于“一般”等次分数线 {fmt_number(rule.ordinary_min)}，"
                    "按得分为较差",
                )
            )
        if level > w.cap:
            level = w.cap
        if level == 4:
            w.candidate = True
            w.grade = FAIRLY_GOOD  # until the cap of the pool is applied
        else:
            w.grade = _BY_LEVEL[level]
    if w.fixed is not None or w.cap < 4:
        w.flags.append(FLAG_BARRED_FROM_GOOD)
    return w


def _score_text(rules: AssessmentRules, w: QuarterWork) -> str:
    if w.score is None:
        return "未计算季度得分"
    parts = []
    weights = []
    for code, name, weight, full in rules.weighted_items:
        v = w.values[code]
        of = "" if full == HUNDRED else f"/{fmt_number(full)}"
        parts.append(f"{name} {fmt_number(v)}{of}")
        weights.append(fmt_number(weight))
    return f"季度得分 {w.score}（{'、'.join(parts)}，权重 {'/'.join(weights)}）"


def _result(rules: AssessmentRules, w: QuarterWork) -> QuarterPersonResult:
    p = w.person
    sentences = [_score_text(rules, w), w.pool_text]
    if w.rank is not None:
        if w.cand_pos is not None and w.cand_pos != w.rank:
            sentences.append(f"排名第 {w.rank}（在可评“好”的人员中排第 {w.cand_pos}）")
        else:
            sentences.append(f"排名第 {w.rank}")
    sentences.extend(r.text for r in w.rules)
    final = w.grade if w.grade != NO_GRADE else f"{NO_GRADE}（{w.no_grade or NO_GRADE_OTHER}）"
    sentences.append(f"拟定等次：{final}")
    return QuarterPersonResult(
        person_id=p.person_id,
        name=p.name,
        unit=p.unit,
        layer=p.layer,
        pool_key=w.pool_key,
        score=w.score,
        rank=w.rank,
        grade=w.grade,
        no_grade_category=(w.no_grade or NO_GRADE_OTHER) if w.grade == NO_GRADE else None,
        barred_from_good=FLAG_BARRED_FROM_GOOD in w.flags,
        rules=tuple(w.rules),
        flags=tuple(w.flags),
        warnings=tuple(w.warnings),
        explanation="；".join(s for s in sentences if s) + "。",
    )


def grade_quarter(
    rules: AssessmentRules,
    people: Sequence[PersonInput],
    *,
    rule: QuarterGradeRule | None = None,
) -> QuarterRoundResult:
    """Proposed quarter grades of a whole quarterly round (see the module docstring).

    ``rule``: the score lines; default :func:`quarter_rule_of` ``(rules)``. Raises
    :class:`ValidationError` listing every bad input (person and field) or bad setting;
    nothing is graded then."""
    rule = (rule if rule is not None else quarter_rule_of(rules)).check()
    leave_limit = quarter_leave_days(rules)
    issues: list[FieldIssue] = []
    seen: set[int | str] = set()
    works: list[QuarterWork] = []
    for p in people:
        w = _prepare(rules, rule, leave_limit, p, issues)
        if p.person_id in seen:
            issues.append(FieldIssue("person_id", w.who, "人员编号在本轮中重复"))
        seen.add(p.person_id)
        works.append(w)
    raise_issues(issues, "平时考核")
    pools: dict[str, list[QuarterWork]] = {}
    for w in works:
        pools.setdefault(w.pool_key, []).append(w)
    summaries = tuple(
        grade_quarter_pool(rules, rule, key, members) for key, members in pools.items()
    )
    return QuarterRoundResult(rules.name, tuple(_result(rules, w) for w in works), summaries)
