"""五项考核 rules: what a round is graded by, as frozen data, with no database and no Qt.

The rule set (:class:`AssessmentRules`: items and weights, 民主测评 groups and vote values,
composite weights, grade lines, the 优秀 quota, tie-break order, sanctions, status rules and
平时考核), its JSON form (:meth:`AssessmentRules.to_dict`, :func:`rules_from_dict`,
:func:`load_rules_file`, :func:`default_rules`), its validation (:func:`validate_rules`), the
quarter score lines (:class:`QuarterlyRule`, :class:`QuarterGradeRule`), the quota pools
(:func:`pool_key_of`) and the number helpers every part uses.

Units: item weights, composite weights and quota percentages are percentages (20 means 20%);
rater-group weights are fractions that add up to 1; every number is a
:class:`decimal.Decimal`, and JSON may hold numbers or strings.
"""

from models.assessment.rules.check import check_rules, validate_rules
from models.assessment.rules.files import DEFAULT_RULES_PATH, default_rules, load_rules_file
from models.assessment.rules.numbers import HUNDRED, ONE, ZERO, fmt_number, to_decimal
from models.assessment.rules.parse import rules_from_dict
from models.assessment.rules.pools import (
    POOL_KEY_SEPARATOR,
    host_units,
    merges_small_units,
    named_hosts,
    pool_key_of,
    pool_keys,
    pool_label,
    pools_by_layer,
    pools_span_units,
    round_hosts,
)
from models.assessment.rules.quarterly import (
    DEFAULT_QUARTER_RULE,
    QUARTERLY_GRADES,
    QuarterGradeRule,
    QuarterlyRule,
    quarterly_issues,
)
from models.assessment.rules.types import (
    EFFECT_SEVERITY,
    GRADE_LEVEL,
    GRADED,
    TIE_BREAK_LABELS,
    AssessmentRules,
    CompositeRule,
    Grade,
    GradeThresholds,
    NamedPool,
    PoolBy,
    QuotaBase,
    QuotaRule,
    RaterGroup,
    Rounding,
    SanctionCount,
    SanctionEffect,
    SanctionRule,
    SchemeItem,
    StatusRule,
    VoteValue,
)

__all__ = [
    "DEFAULT_QUARTER_RULE",
    "DEFAULT_RULES_PATH",
    "EFFECT_SEVERITY",
    "GRADED",
    "GRADE_LEVEL",
    "HUNDRED",
    "ONE",
    "POOL_KEY_SEPARATOR",
    "QUARTERLY_GRADES",
    "TIE_BREAK_LABELS",
    "ZERO",
    "AssessmentRules",
    "CompositeRule",
    "Grade",
    "GradeThresholds",
    "PoolBy",
    "QuarterGradeRule",
    "QuarterlyRule",
    "QuotaBase",
    "QuotaRule",
    "RaterGroup",
    "Rounding",
    "NamedPool",
    "SanctionCount",
    "SanctionEffect",
    "SanctionRule",
    "SchemeItem",
    "StatusRule",
    "VoteValue",
    "check_rules",
    "default_rules",
    "fmt_number",
    "load_rules_file",
    "host_units",
    "merges_small_units",
    "named_hosts",
    "pools_span_units",
    "pool_key_of",
    "pool_keys",
    "pool_label",
    "pools_by_layer",
    "round_hosts",
    "quarterly_issues",
    "rules_from_dict",
    "to_decimal",
    "validate_rules",
]
