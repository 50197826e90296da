"""Reading a 五项考核 rule set from a plain dict (parsed JSON): :func:`rules_from_dict`.

Every malformed part is reported with its field path (``items[2].weight``) and a Chinese
message. Pure module: no database, no Qt.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from models.assessment.rules.check import check_rules
from models.assessment.rules.numbers import HUNDRED, ZERO, to_decimal
from models.assessment.rules.quarterly import QuarterlyRule
from models.assessment.rules.types import (
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
from models.core.errors import DomainError, FieldIssue, ValidationError


def rules_from_dict(data: Mapping[str, Any], *, validate: bool = True) -> AssessmentRules:
    """Build a rule set from a plain dict (e.g. parsed JSON).

    Raises :class:`ValidationError` naming the field path when the dict is malformed,
    or (with ``validate``) when the rule set breaks a rule such as weights adding up.
    """
    try:
        rules = _parse_rules(data)
    except _ParseError as exc:
        raise ValidationError(
            [FieldIssue(exc.path, exc.path, exc.message)], record="考核规则"
        ) from None
    return check_rules(rules) if validate else rules


class _ParseError(Exception):
    def __init__(self, path: str, message: str):
        super().__init__(message)
        self.path = path
        self.message = message


def _obj(data: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise _ParseError(path, "应为对象（{...}）")
    return data


def _list(data: Any, path: str) -> list[Any]:
    if not isinstance(data, list | tuple):
        raise _ParseError(path, "应为列表（[...]）")
    return list(data)


def _req(data: Mapping[str, Any], key: str, path: str) -> Any:
    if key not in data:
        raise _ParseError(f"{path}.{key}" if path else key, "缺少此项")
    return data[key]


def _str(data: Mapping[str, Any], key: str, path: str, default: str | None = None) -> str:
    value = data.get(key, default) if default is not None else _req(data, key, path)
    if not isinstance(value, str):
        raise _ParseError(f"{path}.{key}" if path else key, "应为文字")
    return value


def _bool(data: Mapping[str, Any], key: str, path: str, default: bool) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise _ParseError(f"{path}.{key}", "应为 true 或 false")
    return value


def _dec(data: Mapping[str, Any], key: str, path: str, default: Decimal | None = None) -> Decimal:
    value = data.get(key, default) if default is not None else _req(data, key, path)
    try:
        return to_decimal(value, f"{path}.{key}")
    except DomainError as exc:
        raise _ParseError(f"{path}.{key}", "应为数字") from exc


def _opt_dec(
    data: Mapping[str, Any], key: str, path: str, default: Decimal | None
) -> Decimal | None:
    if key in data and data[key] is None:
        return None
    if key not in data:
        return default
    return _dec(data, key, path)


def _int(data: Mapping[str, Any], key: str, path: str, default: int) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _ParseError(f"{path}.{key}", "应为整数")
    return value


def _unit_percents(q: Mapping[str, Any]) -> tuple[tuple[str, Decimal], ...]:
    raw = _obj(q.get("unit_percents", {}), "quota.unit_percents")
    return tuple(
        (str(unit), _dec(raw, unit, "quota.unit_percents", Decimal(0))) for unit in sorted(raw)
    )


def _named_pools(q: Mapping[str, Any]) -> tuple[NamedPool, ...]:
    out = []
    for n, raw in enumerate(_list(q.get("named_pools", []), "quota.named_pools"), start=1):
        p = f"quota.named_pools[{n}]"
        d = _obj(raw, p)
        units = _list(_req(d, "units", p), f"{p}.units")
        if not all(isinstance(u, str) for u in units):
            raise _ParseError(f"{p}.units", "每一项应为单位名称")
        out.append(NamedPool(_str(d, "name", p), tuple(units)))
    return tuple(out)


def _opt_int(data: Mapping[str, Any], key: str, path: str) -> int | None:
    if data.get(key) is None:
        return None
    return _int(data, key, path, 0)


def _enum(enum_cls: Any, value: Any, path: str) -> Any:
    try:
        return enum_cls(value)
    except ValueError:
        allowed = "、".join(e.value for e in enum_cls)
        raise _ParseError(path, f"“{value}”不是可选值（{allowed}）") from None


def _parse_rules(data: Mapping[str, Any]) -> AssessmentRules:
    data = _obj(data, "规则")
    items = []
    for n, raw in enumerate(_list(_req(data, "items", ""), "items"), start=1):
        p = f"items[{n}]"
        d = _obj(raw, p)
        items.append(
            SchemeItem(
                code=_str(d, "code", p),
                name=_str(d, "name", p),
                weight=_dec(d, "weight", p),
                full_score=_dec(d, "full_score", p, HUNDRED),
                is_veto=_bool(d, "is_veto", p, False),
                veto_below=_opt_dec(d, "veto_below", p, None),
                veto_max_grade=_enum(
                    Grade, d.get("veto_max_grade", "基本称职"), f"{p}.veto_max_grade"
                ),
                key_topic=_str(d, "key_topic", p, ""),
                key_topic_weight=_dec(d, "key_topic_weight", p, ZERO),
            )
        )
    groups = []
    for n, raw in enumerate(_list(_req(data, "rater_groups", ""), "rater_groups"), start=1):
        p = f"rater_groups[{n}]"
        d = _obj(raw, p)
        groups.append(RaterGroup(_str(d, "code", p), _str(d, "name", p), _dec(d, "weight", p)))
    votes = []
    for n, raw in enumerate(_list(_req(data, "vote_values", ""), "vote_values"), start=1):
        p = f"vote_values[{n}]"
        d = _obj(raw, p)
        votes.append(VoteValue(_str(d, "label", p), _dec(d, "value", p)))

    c = _obj(data.get("composite", {}), "composite")
    dc = CompositeRule()
    composite = CompositeRule(
        evaluation_weight=_dec(c, "evaluation_weight", "composite", dc.evaluation_weight),
        items_weight=_dec(c, "items_weight", "composite", dc.items_weight),
        bonus_cap=_opt_dec(c, "bonus_cap", "composite", dc.bonus_cap),
        penalty_cap=_opt_dec(c, "penalty_cap", "composite", dc.penalty_cap),
    )
    t = _obj(data.get("thresholds", {}), "thresholds")
    dt = GradeThresholds()
    thresholds = GradeThresholds(
        excellent_min=_opt_dec(t, "excellent_min", "thresholds", dt.excellent_min),
        competent_min=_dec(t, "competent_min", "thresholds", dt.competent_min),
        basic_min=_dec(t, "basic_min", "thresholds", dt.basic_min),
    )
    q = _obj(data.get("quota", {}), "quota")
    dq = QuotaRule()
    quota = QuotaRule(
        percent=_dec(q, "percent", "quota", dq.percent),
        max_percent=_dec(q, "max_percent", "quota", dq.max_percent),
        rounding=_enum(Rounding, q.get("rounding", dq.rounding.value), "quota.rounding"),
        at_least_one=_bool(q, "at_least_one", "quota", dq.at_least_one),
        pool_by=_enum(PoolBy, q.get("pool_by", dq.pool_by.value), "quota.pool_by"),
        base=_enum(QuotaBase, q.get("base", dq.base.value), "quota.base"),
        merge_below=_int(q, "merge_below", "quota", dq.merge_below),
        named_pools=_named_pools(q),
        unit_percents=_unit_percents(q),
    )
    tie = _list(data.get("tie_break", ["evaluation", "items"]), "tie_break")
    if not all(isinstance(k, str) for k in tie):
        raise _ParseError("tie_break", "每一项应为文字")
    sanctions = []
    for n, raw in enumerate(_list(data.get("sanctions", []), "sanctions"), start=1):
        p = f"sanctions[{n}]"
        d = _obj(raw, p)
        effects = tuple(
            _enum(SanctionEffect, e, f"{p}.effects[{k}]")
            for k, e in enumerate(_list(_req(d, "effects", p), f"{p}.effects"), start=1)
        )
        sanctions.append(
            SanctionRule(
                _str(d, "code", p),
                _str(d, "name", p),
                effects,
                variant_of=_str(d, "variant_of", p, ""),
                legacy=_bool(d, "legacy", p, False),
                basis=_str(d, "basis", p, ""),
                period_months=_opt_int(d, "period_months", p),
            )
        )
    s = _obj(data.get("status", {}), "status")
    ds = StatusRule()
    leave = s.get("long_leave_days", ds.long_leave_days)
    if leave is not None and (isinstance(leave, bool) or not isinstance(leave, int)):
        raise _ParseError("status.long_leave_days", "应为整数或 null")
    status = StatusRule(
        probation_no_grade=_bool(s, "probation_no_grade", "status", ds.probation_no_grade),
        investigation_no_grade=_bool(
            s, "investigation_no_grade", "status", ds.investigation_no_grade
        ),
        long_leave_days=leave,
    )
    qd = _obj(data.get("quarterly", {}), "quarterly")
    dqr = QuarterlyRule()
    bar = _list(
        qd.get("bar_excellent_grades", list(dqr.bar_excellent_grades)),
        "quarterly.bar_excellent_grades",
    )
    if not all(isinstance(g, str) for g in bar):
        raise _ParseError("quarterly.bar_excellent_grades", "每一项应为文字")
    quarterly = QuarterlyRule(
        bar_excellent_grades=tuple(bar),
        min_good_for_excellent=_int(
            qd, "min_good_for_excellent", "quarterly", dqr.min_good_for_excellent
        ),
        good_cap_percent=_opt_dec(qd, "good_cap_percent", "quarterly", dqr.good_cap_percent),
        good_min=_opt_dec(qd, "good_min", "quarterly", dqr.good_min),
        fairly_good_min=_dec(qd, "fairly_good_min", "quarterly", dqr.fairly_good_min),
        ordinary_min=_dec(qd, "ordinary_min", "quarterly", dqr.ordinary_min),
        good_cap_at_least_one=_bool(
            qd, "good_cap_at_least_one", "quarterly", dqr.good_cap_at_least_one
        ),
    )
    return AssessmentRules(
        name=_str(data, "name", ""),
        items=tuple(items),
        rater_groups=tuple(groups),
        vote_values=tuple(votes),
        composite=composite,
        thresholds=thresholds,
        quota=quota,
        tie_break=tuple(tie),
        sanctions=tuple(sanctions),
        status=status,
        quarterly=quarterly,
        sanction_count=_enum(
            SanctionCount,
            data.get("sanction_count", SanctionCount.CALENDAR.value),
            "sanction_count",
        ),
    )
