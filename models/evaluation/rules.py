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

__all__ = [
    "TEAM_ITEMS",
    "TEAM_VOTE_GROUPS",
    "VOTE_LABELS",
    "EvalRules",
    "GradeRule",
    "Weighted",
    "default_eval_rules",
    "rules_from_json",
    "rules_to_json",
]

# the five items of a 领导班子's annual assessment (DOMAIN.md §1.1, 《党政领导班子和领导干部
# 年度考核办法（试行）》第三条), with their default weights
TEAM_ITEMS = (
    ("sxzz", "思想政治建设", 20),
    ("ldsp", "领导水平", 20),
    ("gzsj", "工作实绩", 25),
    ("zdrw", "完成重点任务", 20),
    ("fflz", "反腐倡廉", 15),
)
# who votes in the 民主测评 of a 领导班子, and the weight of each group
TEAM_VOTE_GROUPS = (
    ("leaders", "上级领导", 30),
    ("staff", "本单位干部职工", 40),
    ("served", "服务对象和相关单位", 30),
)
GRADE_NAME_MAX = 6  # the column a unit's grade is stored in
# a vote's grade and the points it counts for
VOTE_LABELS = (("好", 100), ("较好", 80), ("一般", 60), ("较差", 40))


@dataclass(frozen=True)
class GradeRule:
    name: str  # 好 / 较好 / 一般 / 较差, or 一等 / 二等 / 三等
    share: Decimal  # percent of the units at most (100: no limit)
    min_score: Decimal  # the total it needs
    staff_excellent: Decimal  # 优秀 percent of the unit's staff in the cadres' assessment


@dataclass(frozen=True)
class Weighted:
    """An item of the 班子 assessment or a rater group of its 民主测评: a stable code, the
    name shown and printed, and its weight (percent)."""

    code: str
    name: str
    weight: Decimal


def _weighted(table: tuple[tuple[str, str, int], ...]) -> tuple[Weighted, ...]:
    return tuple(Weighted(c, n, Decimal(w)) for c, n, w in table)


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
    # 领导班子: the percent of the total its own score carries (the rest is the unit's
    # 工作实绩, 共性 + 个性); 0 (the rules of a year made before v17): the total is the
    # 工作实绩 alone, as it was
    team_weight: Decimal = Decimal(0)
    team_items: tuple[Weighted, ...] = field(default_factory=lambda: _weighted(TEAM_ITEMS))
    # the percent of the 班子 score that the 民主测评 carries (the rest: the five items)
    vote_weight: Decimal = Decimal(30)
    vote_groups: tuple[Weighted, ...] = field(default_factory=lambda: _weighted(TEAM_VOTE_GROUPS))
    # 年度重点工作: a key task's score counts this many times its points when a unit's 共性
    # or 个性 score is computed from the 考评办's year-end scores of its tasks
    key_factor: Decimal = Decimal("1.5")

    def grade(self, name: str) -> GradeRule | None:
        return next((g for g in self.grades if g.name == name), None)


def default_eval_rules() -> EvalRules:
    """The rules a new year starts with: the 领导班子's own score is 20 % of the total."""
    return EvalRules(team_weight=Decimal(20))


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
    numbers = {
        "共性指标权重": r.common_weight, "个性指标权重": r.own_weight, "加分上限": r.bonus_cap,
        "逾期自查扣分": r.late_deduction, "领导班子得分比例": r.team_weight,
        "民主测评比例": r.vote_weight, "重点工作权重倍数": r.key_factor,
        **{f"等次“{g.name}”的分数线": g.min_score for g in r.grades},
        **{f"等次“{g.name}”的干部优秀比例": g.staff_excellent for g in r.grades},
        **{f"“{w.name}”的权重": w.weight for w in (*r.team_items, *r.vote_groups)},
    }  # fmt: skip
    for what, value in numbers.items():
        if not value.is_finite() or value < 0:
            raise DomainError(f"单位考评规则中{what}应为不小于 0 的数字，现为 {value}", field=what)
    if r.common_weight + r.own_weight != 100:
        raise DomainError(
            f"共性指标与个性指标的权重合计应为 100，现为 {r.common_weight + r.own_weight}",
            field="weights",
        )
    if not r.grades:
        raise DomainError("单位考评至少要有一个等次", field="grades")
    long_names = [g.name for g in r.grades if len(g.name.strip()) > GRADE_NAME_MAX]
    if long_names:
        raise DomainError(
            f"等次名称最多 {GRADE_NAME_MAX} 个字：“{long_names[0]}”太长", field="grades"
        )
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
    if r.team_weight > 100 or r.vote_weight > 100:
        raise DomainError(
            f"领导班子得分占总分的比例（{r.team_weight}）和民主测评占班子得分的比例"
            f"（{r.vote_weight}）都应在 0–100 之间",
            field="team_weight",
        )
    for label, table in (("领导班子考核项目", r.team_items), ("民主测评的测评组", r.vote_groups)):
        if not table or sum(w.weight for w in table) != 100:
            raise DomainError(
                f"{label}的权重合计应为 100，现为 {sum(w.weight for w in table)}", field="team"
            )
        codes = [w.code for w in table]
        if len(set(codes)) != len(codes) or not all(w.name.strip() for w in table):
            raise DomainError(f"{label}的名称不能为空，也不能重复", field="team")
    if r.key_factor < 1 or r.key_factor > 5:
        raise DomainError(
            f"重点工作的权重倍数应在 1–5 之间，现为 {r.key_factor}", field="key_factor"
        )
    if r.check_days < 0 or r.check_days > 60:
        raise DomainError(f"自查截止天数应在 0–60 之间，现为 {r.check_days}", field="check_days")
    return r


def rules_to_json(r: EvalRules) -> str:
    return json.dumps(asdict(r), ensure_ascii=False, default=str)


def rules_from_json(text: str) -> EvalRules:
    """The rules stored with a year ("{}" or empty: the defaults); DomainError, in Chinese,
    for rules that cannot be read (written by hand or by another program)."""
    try:
        return _parse(text)
    except (ValueError, TypeError, KeyError, AttributeError):  # JSONDecodeError is a ValueError
        raise DomainError(
            "单位考评规则无法读取（格式不对），请在“考评规则…”中重新设置", field="rules"
        ) from None


def _bad(raw: object) -> str:
    raise TypeError(raw)


def _count(raw: object, where: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise DomainError(f"单位考评规则中“{where}”应为整数，现为“{raw}”", field=where)
    try:
        return int(str(raw).strip())
    except ValueError:
        raise DomainError(f"单位考评规则中“{where}”应为整数，现为“{raw}”", field=where) from None


def _parse(text: str) -> EvalRules:
    raw: dict[str, Any] = json.loads(text or "{}") if (text or "").strip() else {}
    if not isinstance(raw, dict):
        raise TypeError(text)
    d = EvalRules()
    if not raw:
        return d
    grades = (
        tuple(
            GradeRule(
                g["name"] if isinstance(g["name"], str) else _bad(g["name"]),
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
            _count(raw.get("check_days", d.check_days), "自查截止天数"),
            grades,
            _dec(raw.get("team_weight", d.team_weight), "领导班子得分比例"),
            _weighted_from(raw.get("team_items"), d.team_items, "领导班子考核项目权重"),
            _dec(raw.get("vote_weight", d.vote_weight), "民主测评比例"),
            _weighted_from(raw.get("vote_groups"), d.vote_groups, "民主测评组权重"),
            _dec(raw.get("key_factor", d.key_factor), "重点工作权重倍数"),
        )
    )


def _weighted_from(raw: object, default: tuple[Weighted, ...], where: str) -> tuple[Weighted, ...]:
    if not raw:
        return default
    if not isinstance(raw, list):
        raise DomainError(f"单位考评规则中“{where}”应为列表", field=where)
    out = []
    for w in raw:
        if not isinstance(w, dict) or not w.get("code") or not w.get("name"):
            raise DomainError(f"单位考评规则中“{where}”的每一项都要有代码和名称", field=where)
        out.append(Weighted(str(w["code"]), str(w["name"]), _dec(w.get("weight"), where)))
    return tuple(out)
