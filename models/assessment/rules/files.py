"""五项考核 rule configuration: frozen dataclasses, dict/JSON round trip and validation.

Pure module: no database, no Qt. The default rule set lives as data in
``resources/rules/default_assessment.json``; :func:`default_rules` loads it.

Units used throughout:

* item weights, composite weights and quota percentages are percentages (20 means 20%);
* rater-group weights are fractions that add up to 1 (DOMAIN 1.7);
* every number is a :class:`decimal.Decimal`; JSON may hold numbers or strings.

The code is split by responsibility: constants, enums and dataclasses live in
:mod:`models.assessment.rules.types`, validation in :mod:`models.assessment.rules.check` and
dict/JSON parsing in :mod:`models.assessment.rules.parse`; every name is re-exported here.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from models.assessment.rules.check import (  # noqa: F401 (re-exported)
    _dup_issues,
    _sum_issue,
    validate_rules,
)
from models.assessment.rules.parse import (  # noqa: F401 (re-exported)
    _bool,
    _dec,
    _enum,
    _int,
    _list,
    _num_out,
    _obj,
    _opt_dec,
    _parse_rules,
    _ParseError,
    _req,
    _str,
    to_decimal,
)
from models.assessment.rules.types import (  # noqa: F401 (re-exported)
    EFFECT_SEVERITY,
    GRADE_LEVEL,
    GRADED,
    HUNDRED,
    ONE,
    QUARTERLY_GRADES,
    TIE_BREAK_LABELS,
    ZERO,
    AssessmentRules,
    CompositeRule,
    Grade,
    GradeThresholds,
    PoolBy,
    QuarterlyRule,
    QuotaBase,
    QuotaRule,
    RaterGroup,
    Rounding,
    SanctionEffect,
    SanctionRule,
    SchemeItem,
    StatusRule,
    VoteValue,
    _fmt,
)
from models.core.errors import DomainError
from resources import resource_path

DEFAULT_RULES_PATH = resource_path("rules", "default_assessment.json")


def load_rules_file(path: str | Path) -> AssessmentRules:
    """Load and validate a rule set from a JSON file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise DomainError(f"无法读取考核规则文件 {p}：{exc.strerror or exc}") from exc
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise DomainError(
            f"考核规则文件 {p} 不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列，{exc.msg}"
        ) from exc
    if not isinstance(data, dict):
        raise DomainError(f"考核规则文件 {p} 的内容应为一个对象（{{...}}）")
    return AssessmentRules.from_dict(data)


def default_rules() -> AssessmentRules:
    """The shipped default rule set (德20/能15/勤15/绩30/廉20, 20% quota, ...)."""
    return load_rules_file(DEFAULT_RULES_PATH)
