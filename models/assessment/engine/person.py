"""Per-person preparation of the 五项考核 rule engine: binding rules (sanctions, status, veto
items, 平时考核), scores, the grade before the quota, the ranking key and the static override
checks."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from models.assessment.engine.fast import (
    RoundConsts,
    evaluation_averages_fast,
    evaluation_votes_fast,
    items_fast,
    items_score_fast,
)
from models.assessment.engine.sanctions import (
    ANNUAL_SANCTION_TEXTS,
    NO_GRADE_LEVEL,
    binding_grade,
    sanction_effects,
)
from models.assessment.engine.scores import (
    Evaluation,
    adjustments_of,
    combine_parts,
    evaluation_of,
    item_values,
)
from models.assessment.engine.types import (
    FLAG_BARRED,
    NO_GRADE_OTHER,
    NO_GRADE_PROBATION,
    Q2,
    AppliedRule,
    CompositeParts,
    Override,
    PersonInput,
    frozen_instance,
)
from models.assessment.rules.numbers import HUNDRED, ZERO, fmt_number
from models.assessment.rules.pools import pool_key_of
from models.assessment.rules.types import GRADE_LEVEL, Grade
from models.core.errors import FieldIssue

_WORST = Decimal("Infinity")  # sort key of a missing value (sorts last)
_NONE_MISSING: list[str] = []  # no item missing (only read)
_NONE_VETOED: frozenset[str] = frozenset()
# grade of a level; the level of 不定等次 is the one sanctions and status fix it at
_LEVEL_GRADE = {v: k for k, v in GRADE_LEVEL.items()} | {NO_GRADE_LEVEL: Grade.UNDETERMINED}
# the members as plain names: looking one up on the Enum class is ten times slower, in the
# per-person code
_UNDETERMINED = Grade.UNDETERMINED
_COMPETENT = Grade.COMPETENT


class PersonWork:
    """Mutable per-person state while grading (internal)."""

    __slots__ = (
        "auto",
        "barred",
        "candidate",
        "cap",
        "eval",
        "flags",
        "good",
        "index",
        "items",
        "key",
        "no_grade",
        "override",
        "override_grade",
        "parts",
        "person",
        "pool_key",
        "pool_text",
        "cand_pos",
        "rank",
        "rules",
        "system",
        "warnings",
    )

    def __init__(self, person: PersonInput, index: int):
        self.person = person
        self.index = index
        self.pool_key = ""
        self.rules: list[AppliedRule] = []
        self.flags: list[str] = []
        self.warnings: list[str] = []
        self.pool_text = ""
        self.cand_pos: int | None = None  # place among those who may be 优秀
        self.no_grade: str | None = None  # category when forced 不定等次
        self.auto: Grade | None = None  # fixed grade from rules (None: by score)
        self.cap = 4  # best grade level allowed
        self.barred = False
        self.candidate = False
        self.parts: CompositeParts | None = None
        self.eval: Evaluation | None = None
        self.items: Decimal | None = None
        self.good = 0
        self.key: tuple[Decimal, ...] = ()
        self.rank: int | None = None
        self.system: Grade = _UNDETERMINED
        self.override: Override | None = None
        self.override_grade: Grade | None = None

    @property
    def who(self) -> str:
        """How the person is named in input problems and messages (see :func:`who_of`)."""
        return who_of(self.person)


def who_of(p: PersonInput) -> str:
    """How a person is named in input problems: name and number."""
    return f"{p.name or '（无姓名）'}（{p.person_id}）"


def prepare_person(
    k: RoundConsts, p: PersonInput, index: int, issues: list[FieldIssue]
) -> PersonWork:
    """Everything about one person that does not depend on the others of the pool; input
    problems are added to ``issues``."""
    rules = k.rules
    w = PersonWork(p, index)
    n_issues = len(issues)
    if not str(p.name).strip():
        issues.append(FieldIssue("name", w.who, "姓名不能为空"))
    if not p.unit.strip():
        issues.append(FieldIssue("unit", w.who, "所属单位不能为空"))
    if k.layered:
        if not p.layer.strip():
            issues.append(
                FieldIssue("layer", w.who, "按单位内职级层次分配优秀名额时，职级层次不能为空")
            )
        w.pool_key = pool_key_of(rules, p.unit, p.layer)
    else:
        w.pool_key = p.unit  # the pool is the unit (pool_key_of)

    # --- binding rules: sanctions and status -------------------------------------------
    if p.sanctions:
        effects = sanction_effects(
            rules, p.sanctions, w.who, ANNUAL_SANCTION_TEXTS, w.rules, w.warnings, issues
        )
    else:
        effects = []

    status_no_grade: list[str] = []
    st = rules.status
    if p.on_probation and st.probation_no_grade:
        w.rules.append(AppliedRule("status:probation", "试用期内，只写评语不定等次"))
        status_no_grade.append(NO_GRADE_PROBATION)
    if p.under_investigation and st.investigation_no_grade:
        w.rules.append(
            AppliedRule(
                "status:investigation", "立案审查尚未结案，不写评语、不定等次（结案后视情况补定）"
            )
        )
        status_no_grade.append(NO_GRADE_OTHER)
    leave = p.leave_days
    if (
        type(leave) is not int
        and (isinstance(leave, bool) or not isinstance(leave, int))
        or not 0 <= leave <= 366
    ):
        issues.append(FieldIssue("leave_days", w.who, f"病事假天数 {leave!r} 应为 0–366 的整数"))
    elif st.long_leave_days is not None and leave >= st.long_leave_days:
        w.rules.append(
            AppliedRule(
                "status:long_leave",
                f"病事假 {leave} 天（达到 {st.long_leave_days} 天），不定等次",
            )
        )
        status_no_grade.append(NO_GRADE_OTHER)

    if effects or status_no_grade:
        fixed, w.no_grade, best = binding_grade(effects, status_no_grade)
        if fixed is not None:
            w.auto = _LEVEL_GRADE[fixed]
        w.cap = min(w.cap, best)

    # --- veto items -----------------------------------------------------------------------
    fast = items_fast(k, p.item_scores)
    if fast is None:
        values = item_values(rules, p.item_scores, w.who, issues)
        items, missing = items_score_fast(k, values)
    else:
        values, items = fast
        missing = _NONE_MISSING
    vetoed: set[str] | frozenset[str] = _NONE_VETOED
    if p.veto_failures:
        vetoed = set()
        items_by_code = rules.items_by_code
        for code in p.veto_failures:
            item = items_by_code.get(code)
            if item is None or not item.is_veto:
                issues.append(
                    FieldIssue("veto_failures", w.who, f"“{code}”不是本轮考核方案中的一票否决项目")
                )
                continue
            vetoed.add(code)
            w.rules.append(
                AppliedRule(
                    f"veto:{code}",
                    f"“{item.name}”一票否决，等次最高为{item.veto_max_grade.value}",
                )
            )
            w.cap = min(w.cap, GRADE_LEVEL[item.veto_max_grade])
    for item in rules.veto_line_items:
        v = values.get(item.code)
        if (
            item.veto_below is not None
            and v is not None
            and v < item.veto_below
            and item.code not in vetoed
        ):
            w.rules.append(
                AppliedRule(
                    f"veto:{item.code}",
                    f"“{item.name}”得分 {fmt_number(v)} 低于否决线 {fmt_number(item.veto_below)}，"
                    f"一票否决，等次最高为{item.veto_max_grade.value}",
                )
            )
            w.cap = min(w.cap, GRADE_LEVEL[item.veto_max_grade])

    # --- 平时考核 ----------------------------------------------------------------------------
    qr = rules.quarterly
    quarters = p.quarterly_grades
    if len(quarters) > 4:
        issues.append(FieldIssue("quarterly_grades", w.who, "平时考核最多 4 个季度"))
    try:  # the same grades give the same counts (the loader shares equal tuples)
        counted = k.quarter_memo.get(quarters)
        hashable = True
    except TypeError:  # not hashable: counted below, and any bad entry reported
        counted = None
        hashable = False
    if counted is None:
        counted, clean = _count_quarters(k, w, quarters, issues)
        if clean and hashable:
            k.quarter_memo[quarters] = counted
    good, bad_quarters = counted
    w.good = good
    if bad_quarters:
        qs = "、".join(f"第 {q} 季度" for q in bad_quarters)
        grades = "/".join(qr.bar_excellent_grades)
        w.rules.append(AppliedRule("quarterly:bar", f"{qs}平时考核为{grades}，不得评为优秀"))
        w.cap = min(w.cap, 3)
    if qr.min_good_for_excellent and good < qr.min_good_for_excellent:
        w.rules.append(
            AppliedRule(
                "quarterly:min_good",
                f"平时考核“好”等次 {good} 次，少于 {qr.min_good_for_excellent} 次，不得评为优秀",
            )
        )
        w.cap = min(w.cap, 3)

    # --- scores -----------------------------------------------------------------------------
    required = w.auto is None
    c = rules.composite
    if items is None and c.items_weight > 0 and required:
        names = "”“".join(missing) if missing else "全部项目"
        issues.append(FieldIssue("item_scores", w.who, f"缺少“{names}”得分"))
    w.items = items
    ev: Evaluation | None = None
    if p.votes is not None:
        if p.group_averages is None:
            ev = evaluation_votes_fast(k, p.votes)
    elif p.group_averages is not None:
        ev = evaluation_averages_fast(k, p.group_averages)
    if ev is None:
        ev = evaluation_of(rules, p.votes, p.group_averages, w.who, issues)
    w.eval = ev
    if ev.score is None and c.evaluation_weight > 0 and required:
        issues.append(FieldIssue("votes", w.who, "缺少民主测评票数或平均分（或没有有效票）"))
    if ev.score is not None and ev.missing_groups:
        w.warnings.append(f"民主测评缺少“{'”“'.join(ev.missing_groups)}”组，按其余各组权重折算")
    if p.adjustments:
        bonus, penalty = adjustments_of(rules, p.adjustments, w.who, issues)
    else:
        bonus = penalty = ZERO
    if (items is not None or c.items_weight == 0) and (
        ev.score is not None or c.evaluation_weight == 0
    ):
        if bonus is ZERO and penalty is ZERO and k.plain_caps:
            # combine_parts with nothing to add or take away: min(0, cap ≥ 0) is 0, and adding
            # and taking away an exact 0 leaves the value before rounding unchanged
            evaluation = ev.score or ZERO
            item_part = items or ZERO
            w.parts = frozen_instance(
                CompositeParts,
                {
                    "evaluation": evaluation,
                    "items": item_part,
                    "bonus": ZERO,
                    "penalty": ZERO,
                    "bonus_raw": ZERO,
                    "penalty_raw": ZERO,
                    "composite": (
                        (evaluation * k.eval_weight + item_part * k.items_weight) / HUNDRED
                    ).quantize(Q2, ROUND_HALF_UP),
                },
            )
        else:
            w.parts = combine_parts(rules, ev.score or ZERO, items or ZERO, bonus, penalty)

    # --- grade before the quota ---------------------------------------------------------
    t = rules.thresholds
    if w.auto is None and w.parts is not None:
        comp = w.parts.composite
        if comp >= k.excellent_floor:
            level = 4
        elif comp >= t.competent_min:
            level = 3
            # one rule per composite text (AppliedRule is immutable): thousands share one
            text = str(comp)
            rule = k.below_excellent.get(text)
            if rule is None:
                rule = k.below_excellent[text] = AppliedRule(
                    "score:below_excellent",
                    f"综合得分 {text} 未达优秀分数线 {k.excellent_floor_text}",
                )
            w.rules.append(rule)
        elif comp >= t.basic_min:
            level = 2
            w.rules.append(
                AppliedRule(
                    "score:basic",
                    f"综合得分 {comp!s} 低于称职分数线 {fmt_number(t.competent_min)}，"
                    "按得分为基本称职",
                )
            )
        else:
            level = 1
            w.rules.append(
                AppliedRule(
                    "score:incompetent",
                    f"综合得分 {comp!s} 低于基本称职分数线 {fmt_number(t.basic_min)}，"
                    "按得分为不称职",
                )
            )
        if level > w.cap:
            level = w.cap
        if level == 4:
            w.candidate = True
            w.system = _COMPETENT  # placeholder until the pool quota is applied
        else:
            w.system = _LEVEL_GRADE[level]
    elif w.auto is not None:
        if w.auto is _UNDETERMINED:
            w.system = _UNDETERMINED
        else:
            w.system = _LEVEL_GRADE[min(GRADE_LEVEL[w.auto], w.cap)]
    w.barred = w.auto is not None or w.cap < 4
    if w.barred:
        w.flags.append(FLAG_BARRED)

    # --- sort key: composite, then the tie-break order (higher first) -------------------
    if w.parts is not None:
        key = [-w.parts.composite]
        for kind, code, full in k.tie_kinds:
            if kind == 0:
                v = ev.score
            elif kind == 1:
                v = items
            elif kind == 2:
                v = ev.excellent_share
            elif kind == 3:
                key.append(k.neg_good[good])
                continue
            else:
                raw = values.get(code)
                v = None if raw is None else raw / full
            key.append(_WORST if v is None else -v)
        w.key = tuple(key)

    # --- override (static checks; quota checks are per pool) ---------------------------
    o = p.override
    if o is not None and len(issues) == n_issues:
        try:
            og = Grade(o.grade)
        except ValueError:
            issues.append(
                FieldIssue("override", w.who, f"考核委员会调整的等次“{o.grade}”不是有效等次")
            )
            return w
        if not o.reason.strip():
            issues.append(
                FieldIssue("override.reason", w.who, f"考核委员会调整为{og.value}，必须填写理由")
            )
            return w
        problem = _override_problem(w, og)
        if problem:
            issues.append(FieldIssue("override", w.who, problem))
            return w
        w.override = o
        w.override_grade = og
    return w


def _count_quarters(
    k: RoundConsts, w: PersonWork, quarters: Sequence[str | None], issues: list[FieldIssue]
) -> tuple[tuple[int, tuple[int, ...]], bool]:
    """((quarters graded 好, numbers of the quarters that bar 优秀), no problem) of a
    person's 平时考核 grades; a grade that is none of the four is an issue."""
    bad_quarters: list[int] = []
    good = 0
    clean = True
    qinfo = k.quarter_info
    for qn, g in enumerate(quarters, start=1):
        if g is None:
            continue
        info = qinfo.get(g)
        if info is None:
            issues.append(
                FieldIssue(
                    "quarterly_grades",
                    w.who,
                    f"第 {qn} 季度平时考核等次“{g}”应为好/较好/一般/较差",
                )
            )
            clean = False
            continue
        if info[0]:
            good += 1
        if info[1]:
            bad_quarters.append(qn)
    return (good, tuple(bad_quarters)), clean


def _override_problem(w: PersonWork, og: Grade) -> str | None:
    """Why an override contradicts a binding rule, or None."""
    reasons = "；".join(r.text for r in w.rules if not r.code.startswith("score:")) or "规则限制"
    if og is Grade.UNDETERMINED:
        return None
    if w.auto is Grade.UNDETERMINED:
        return f"{reasons}，考核委员会不能调整为{og.value}"
    if og is Grade.EXCELLENT and w.barred:
        return f"{reasons}，考核委员会不能调整为优秀"
    limit = min(w.cap, GRADE_LEVEL[w.auto]) if w.auto is not None else w.cap
    if GRADE_LEVEL[og] > limit:
        return f"{reasons}，等次最高为{_LEVEL_GRADE[limit].value}，考核委员会不能调整为{og.value}"
    return None
