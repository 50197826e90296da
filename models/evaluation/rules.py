"""The rules of a year's 单位考评, kept as JSON with the year (EvalYear.rules): the weights of
共性 and 个性 indicators, the cap on 特色、创新工作加分, the deduction for a late self-check,
how many days after a quarter a self-check is due, and the grades — each with the share of
units it may hold, the score it needs and the 优秀 share it gives the unit's staff in the
cadres' annual assessment. Pure: no database."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from models.core.errors import DomainError

__all__ = ["EvalRules", "GradeRule", "default_eval_rules", "rules_from_json", "rules_to_json"]


@dataclass(frozen=True)
class GradeRule:
    name: str  # 好 / 较好 / 一般 / 较差, or 一等 / 二等 / 三等
    share: Decimal  # percent of the units at most (100: no limit)
    min_score: Decimal  # the total it needs
    staff_excellent: Decimal  # 优秀 percent of the unit's staff in the cadres' assessment


@dataclass(frozen=True)
class EvalRules:
    common_weight: Decimal = Decimal(40)  # 共性指标 percent of the total
    own_weight: Decimal = Decimal(60)  # 个性指标 percent
    bonus_cap: Decimal = Decimal(5)  # 特色、创新工作加分 at most
    late_deduction: Decimal = Decimal("0.5")  # per self-check handed in late
    check_days: int = 10  # a quarter's self-check is due this many days after it ends
    grades: tuple[GradeRule, ...] = field(
        default_factory=lambda: (
            GradeRule("好", Decimal(30), Decimal(90), Decimal(25)),
            GradeRule("较好", Decimal(40), Decimal(80), Decimal(20)),
            GradeRule("一般", Decimal(100), Decimal(60), Decimal(15)),
            GradeRule("较差", Decimal(100), Decimal(0), Decimal(10)),
        )
    )

    def grade(self, name: str) -> GradeRule | None:
        return next((g for g in self.grades if g.name == name), None)


def default_eval_rules() -> EvalRules:
    return EvalRules()


def _dec(raw: object, where: str) -> Decimal:
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        raise DomainError(f"单位考评规则中“{where}”应为数字，现为“{raw}”", field=where) from None
    if not value.is_finite() or value < 0:
        raise DomainError(f"单位考评规则中“{where}”应为不小于 0 的数字，现为 {raw}", field=where)
    return value


def check_rules(r: EvalRules) -> EvalRules:
    """The rules, or DomainError saying in Chinese what is wrong."""
    if r.common_weight + r.own_weight != 100:
        raise DomainError(
            f"共性指标与个性指标的权重合计应为 100，现为 {r.common_weight + r.own_weight}",
            field="weights",
        )
    if not r.grades:
        raise DomainError("单位考评至少要有一个等次", field="grades")
    names = [g.name for g in r.grades]
    if len(set(names)) != len(names) or not all(n.strip() for n in names):
        raise DomainError("单位考评的等次名称不能为空，也不能重复", field="grades")
    for g in r.grades:
        if not 0 < g.share <= 100 or g.staff_excellent > 100:
            raise DomainError(
                f"等次“{g.name}”的比例应在 0–100 之间（单位比例 {g.share}，"
                f"干部优秀比例 {g.staff_excellent}）",
                field="grades",
            )
    if r.check_days < 0 or r.check_days > 60:
        raise DomainError(f"自查截止天数应在 0–60 之间，现为 {r.check_days}", field="check_days")
    return r


def rules_to_json(r: EvalRules) -> str:
    return json.dumps(asdict(r), ensure_ascii=False, default=str)


def rules_from_json(text: str) -> EvalRules:
    """The rules stored with a year ("{}" or empty: the defaults)."""
    raw: dict[str, Any] = json.loads(text or "{}") if (text or "").strip() else {}
    d = EvalRules()
    if not raw:
        return d
    grades = (
        tuple(
            GradeRule(
                str(g["name"]),
                _dec(g["share"], "等次比例"),
                _dec(g["min_score"], "等次分数线"),
                _dec(g["staff_excellent"], "干部优秀比例"),
            )
            for g in raw.get("grades", [])
        )
        or d.grades
    )
    return check_rules(
        EvalRules(
            _dec(raw.get("common_weight", d.common_weight), "共性指标权重"),
            _dec(raw.get("own_weight", d.own_weight), "个性指标权重"),
            _dec(raw.get("bonus_cap", d.bonus_cap), "加分上限"),
            _dec(raw.get("late_deduction", d.late_deduction), "逾期自查扣分"),
            int(raw.get("check_days", d.check_days)),
            grades,
        )
    )
