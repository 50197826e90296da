"""五项考核 rule engine: the proposed grades of a round from its rules and its people, as pure
functions over plain data (no database, no Qt).

The annual engine (:func:`grade_round`: scores, binding rules, 优秀 quotas per pool, ties,
committee overrides) and the 平时考核 engine (:func:`grade_quarter`: quarter scores, score
lines, the cap on 好) take the same :class:`PersonInput` and return frozen results with a
Chinese explanation per person and per pool. The single calculations (:func:`item_score`,
:func:`evaluation_score`, :func:`composite_score`, :func:`excellent_quota`) are here too, for
screens that show a score or a quota before grading.
"""

from models.assessment.engine.ceiling import (
    PoolShare,
    ceiling_warning,
    share_of_summary,
    summaries_warning,
)
from models.assessment.engine.grade import grade_round, input_problems
from models.assessment.engine.pool import excellent_quota, quota_for
from models.assessment.engine.quarterly import grade_quarter
from models.assessment.engine.quarterly_types import (
    FAIRLY_GOOD,
    FLAG_BARRED_FROM_GOOD,
    FLAG_GOOD_CAP_TIE,
    GOOD,
    MAX_QUARTER_DAYS,
    NO_GRADE,
    ORDINARY,
    POOR,
    QUARTER_GRADE_CHOICES,
    QuarterPersonResult,
    QuarterPoolSummary,
    QuarterRoundResult,
    good_cap,
    quarter_leave_days,
    quarter_rule_of,
)
from models.assessment.engine.scores import composite_score, evaluation_score, item_score
from models.assessment.engine.types import (
    FLAG_BARRED,
    FLAG_DISPLACED,
    FLAG_OVER_QUOTA,
    FLAG_OVERRIDDEN,
    FLAG_TIE,
    FLAG_TIE_UNRESOLVED,
    NO_GRADE_OTHER,
    NO_GRADE_PROBATION,
    NO_GRADE_SANCTION,
    Adjustment,
    AppliedRule,
    CompositeParts,
    Override,
    PersonInput,
    PersonResult,
    PoolSummary,
    QuotaCalc,
    RoundResult,
    SanctionInForce,
    frozen_instance,
    merged_pool_label,
)

__all__ = [
    "FAIRLY_GOOD",
    "FLAG_BARRED",
    "FLAG_BARRED_FROM_GOOD",
    "FLAG_DISPLACED",
    "FLAG_GOOD_CAP_TIE",
    "FLAG_OVERRIDDEN",
    "FLAG_OVER_QUOTA",
    "FLAG_TIE",
    "FLAG_TIE_UNRESOLVED",
    "GOOD",
    "MAX_QUARTER_DAYS",
    "NO_GRADE",
    "NO_GRADE_OTHER",
    "NO_GRADE_PROBATION",
    "NO_GRADE_SANCTION",
    "ORDINARY",
    "POOR",
    "QUARTER_GRADE_CHOICES",
    "Adjustment",
    "AppliedRule",
    "CompositeParts",
    "Override",
    "PersonInput",
    "PersonResult",
    "PoolShare",
    "PoolSummary",
    "QuarterPersonResult",
    "QuarterPoolSummary",
    "QuarterRoundResult",
    "QuotaCalc",
    "RoundResult",
    "SanctionInForce",
    "ceiling_warning",
    "composite_score",
    "evaluation_score",
    "excellent_quota",
    "frozen_instance",
    "good_cap",
    "grade_quarter",
    "grade_round",
    "input_problems",
    "item_score",
    "merged_pool_label",
    "quarter_leave_days",
    "quota_for",
    "share_of_summary",
    "summaries_warning",
    "quarter_rule_of",
]
