"""五项考核 rule sets in JSON files: :func:`load_rules_file` and the shipped default set
(:func:`default_rules`, stored as data in ``resources/rules/default_assessment.json``).

Pure module: no database, no Qt.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from models.assessment.rules.parse import rules_from_dict
from models.assessment.rules.types import AssessmentRules
from models.core.errors import DomainError, os_error_text
from resources import resource_path

DEFAULT_RULES_PATH = resource_path("rules", "default_assessment.json")


def load_rules_file(path: str | Path) -> AssessmentRules:
    """Load and validate a rule set from a JSON file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise DomainError(f"无法读取考核规则文件 {p}：{os_error_text(exc)}") from exc
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise DomainError(
            f"考核规则文件 {p} 不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列，{exc.msg}"
        ) from exc
    if not isinstance(data, dict):
        raise DomainError(f"考核规则文件 {p} 的内容应为一个对象（{{...}}）")
    return rules_from_dict(data)


def default_rules() -> AssessmentRules:
    """The shipped default rule set (德20/能15/勤15/绩30/廉20, 20% quota, ...)."""
    return load_rules_file(DEFAULT_RULES_PATH)
