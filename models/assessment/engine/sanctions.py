"""Sanctions in force (处分 / 组织处理) and the grade they fix, for the annual and the
平时考核 engine alike.

Each sanction of a person is looked up in the round's 处分影响表; its effect in the year
(``year_offset`` 0 = the year it was given) is written into the person's rules, an expired one
into the warnings, and several effects at once are settled by the heaviest. Together with the
status rules (试用期, 立案审查, long leave) the effects fix a grade level or 不定等次
(:func:`binding_grade`). Levels are those of the annual grades (4 优秀 … 1 不称职); the
平时考核 engine reads them as its counterparts (4 好 … 1 较差).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from models.assessment.engine.types import (
    NO_GRADE_OTHER,
    NO_GRADE_PROBATION,
    NO_GRADE_SANCTION,
    AppliedRule,
    SanctionInForce,
)
from models.assessment.rules.types import (
    EFFECT_SEVERITY,
    AssessmentRules,
    SanctionCount,
    SanctionEffect,
)
from models.core.errors import FieldIssue

NO_GRADE_LEVEL = 0  # the level :func:`binding_grade` gives for 不定等次


@dataclass(frozen=True)
class SanctionTexts:
    """How an engine words sanctions: what each effect means, and the period it grades."""

    effects: Mapping[SanctionEffect, str]
    period: str  # 本年度 / 本季度


ANNUAL_SANCTION_TEXTS = SanctionTexts(
    effects={
        SanctionEffect.BAR_EXCELLENT: "本年度不得评为优秀",
        SanctionEffect.NO_GRADE: "只写评语不定等次",
        SanctionEffect.FORCE_INCOMPETENT: "本年度定为不称职",
        SanctionEffect.FORCE_BASIC: "本年度定为基本称职",
    },
    period="本年度",
)

QUARTER_SANCTION_TEXTS = SanctionTexts(
    effects={
        SanctionEffect.BAR_EXCELLENT: "年度考核中不得评为优秀，本季度相应不得评为“好”",
        SanctionEffect.FORCE_BASIC: "年度考核中定为基本称职，本季度相应定为“一般”",
        SanctionEffect.NO_GRADE: "年度考核中只写评语不定等次，本季度相应不定等次",
        SanctionEffect.FORCE_INCOMPETENT: "年度考核中定为不称职，本季度相应定为“较差”",
    },
    period="本季度",
)


def in_force(
    start: dt.date, end: dt.date | None, code: str, year: int, rules: AssessmentRules
) -> SanctionInForce | None:
    """The sanction as it affects assessment ``year``: year_offset 0 in the year it was given,
    1 the next year...; None when it does not affect that year (not yet given, its 影响期 by
    the rules is over, or it was ended before that year began). Unknown codes are passed on
    so the grading names them.

    Counted by the 处分期间 (the rules' ``sanction_count``), the period ends on the record's
    end date, else after the rule's ``period_months``: a year after the one given in which
    the period ends is graded normally again (``lifted_on`` set, so the explanation can say
    so); without either, the calendar years of the table count."""
    if start.year > year:
        return None
    offset = year - start.year
    rule = rules.sanctions_by_code.get(code)
    period_end = None
    if rules.sanction_count is SanctionCount.PERIOD:
        period_end = end
        if period_end is None and rule is not None and rule.period_months:
            period_end = add_months(start, rule.period_months)
    if period_end is not None:
        if period_end < dt.date(year, 1, 1):
            return None
        if offset > 0 and period_end.year == year:
            return SanctionInForce(code, offset, period_end=period_end, lifted_on=period_end)
    elif end is not None and end < dt.date(year, 1, 1):
        return None
    if rule is not None and offset >= len(rule.effects):
        return None
    return SanctionInForce(code, offset, period_end=period_end)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months (the 31st of a shorter month: its last day)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def sanction_effects(
    rules: AssessmentRules,
    sanctions: Sequence[SanctionInForce],
    who: str,
    texts: SanctionTexts,
    applied: list[AppliedRule],
    warnings: list[str],
    issues: list[FieldIssue],
) -> list[SanctionEffect]:
    """The effects of a person's sanctions this period. Each one in force adds a rule to
    ``applied``, an expired one a warning; an unknown code or a negative year is an issue."""
    effects: list[SanctionEffect] = []
    for s in sanctions:
        rule = rules.sanctions_by_code.get(s.code)
        if rule is None:
            issues.append(FieldIssue("sanctions", who, f"处分“{s.code}”不在处分影响表中"))
            continue
        if s.year_offset < 0:
            issues.append(
                FieldIssue(
                    "sanctions", who, f"处分“{rule.name}”的年度序号 {s.year_offset} 不能为负数"
                )
            )
            continue
        if s.lifted_on is not None:
            warnings.append(
                f"“{rule.name}”的处分期间已于 {s.lifted_on:%Y-%m-%d} 届满（按处分期间计算），"
                f"{texts.period}正常确定等次"
            )
            continue
        if s.year_offset >= len(rule.effects):
            warnings.append(f"“{rule.name}”影响期已过，不影响{texts.period}等次")
            continue
        effect = rule.effects[s.year_offset]
        effects.append(effect)
        when = "" if s.year_offset == 0 else f"（影响期第 {s.year_offset + 1} 年）"
        if s.period_end is not None:
            when = f"（按处分期间计算，处分期间至 {s.period_end:%Y-%m-%d}）"
        basis = f"（依据：{rule.basis}）" if rule.basis else ""
        applied.append(
            AppliedRule(
                f"sanction:{rule.code}", f"受{rule.name}{when}，{texts.effects[effect]}{basis}"
            )
        )
    if len(set(effects)) > 1:
        heaviest = max(effects, key=EFFECT_SEVERITY.__getitem__)
        applied.append(
            AppliedRule("sanction:heaviest", f"多项处分并存，按最重的“{heaviest.value}”处理")
        )
    return effects


def binding_grade(
    effects: Sequence[SanctionEffect], status_no_grade: Sequence[str]
) -> tuple[int | None, str | None, int]:
    """(fixed level, 不定等次 category, best level allowed) from the sanction effects and the
    no-grade categories of the status rules.

    The fixed level is 1 (定为不称职), :data:`NO_GRADE_LEVEL` (不定等次, with its category:
    处分期 before 试用期 before 其他), 2 (定为基本称职) or None (graded by score), in that
    order of precedence. 不得评为优秀 leaves 3 as the best level."""
    best = 3 if SanctionEffect.BAR_EXCELLENT in effects else 4
    if SanctionEffect.FORCE_INCOMPETENT in effects:
        return 1, None, best
    if SanctionEffect.NO_GRADE in effects:
        return NO_GRADE_LEVEL, NO_GRADE_SANCTION, best
    if status_no_grade:
        if NO_GRADE_PROBATION in status_no_grade:
            return NO_GRADE_LEVEL, NO_GRADE_PROBATION, best
        return NO_GRADE_LEVEL, NO_GRADE_OTHER, best
    if SanctionEffect.FORCE_BASIC in effects:
        return 2, None, best
    return None, None, best
