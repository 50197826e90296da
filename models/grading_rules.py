"""五项考核 rule configuration: frozen dataclasses, dict/JSON round trip and validation.

Pure module: no database, no Qt. The default rule set lives as data in
``resources/rules/default_assessment.json``; :func:`default_rules` loads it.

Units used throughout:

* item weights, composite weights and quota percentages are percentages (20 means 20%);
* rater-group weights are fractions that add up to 1 (DOMAIN 1.7);
* every number is a :class:`decimal.Decimal`; JSON may hold numbers or strings.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Any

from models.errors import DomainError, FieldIssue, ValidationError

DEFAULT_RULES_PATH = (
    Path(__file__).resolve().parent.parent / "resources" / "rules" / "default_assessment.json"
)

ONE = Decimal(1)
HUNDRED = Decimal(100)
ZERO = Decimal(0)


class Grade(StrEnum):
    """Annual grade of a civil servant (公务员), plus 不定等次 (no grade)."""

    EXCELLENT = "优秀"
    COMPETENT = "称职"
    BASIC = "基本称职"
    INCOMPETENT = "不称职"
    UNDETERMINED = "不定等次"


# Higher is better; 不定等次 has no level.
GRADE_LEVEL: dict[Grade, int] = {
    Grade.EXCELLENT: 4,
    Grade.COMPETENT: 3,
    Grade.BASIC: 2,
    Grade.INCOMPETENT: 1,
}
GRADED = (Grade.EXCELLENT, Grade.COMPETENT, Grade.BASIC, Grade.INCOMPETENT)

# 平时考核 (quarterly) grades, best first.
QUARTERLY_GRADES = ("好", "较好", "一般", "较差")


class Rounding(StrEnum):
    """How a fractional 优秀 quota becomes a whole number of people."""

    HALF_UP = "四舍五入"
    UP = "进一法"
    DOWN = "去尾"


class PoolBy(StrEnum):
    """What one quota pool is: a unit, or one rank layer inside a unit (不得相互挤占)."""

    UNIT = "单位"
    UNIT_LAYER = "单位内职级层次"


class QuotaBase(StrEnum):
    """Who counts for the quota: everyone assessed, or only those who get a grade."""

    ALL = "全部参加考核人员"
    GRADED = "确定等次人员"


class SanctionEffect(StrEnum):
    """Effect of a sanction (处分/组织处理) on the annual grade (DOMAIN 1.5)."""

    BAR_EXCELLENT = "不得评为优秀"
    FORCE_BASIC = "定为基本称职"
    NO_GRADE = "不定等次"
    FORCE_INCOMPETENT = "定为不称职"


# Heavier effect wins when several sanctions are in force ("apply the heaviest effect").
EFFECT_SEVERITY: dict[SanctionEffect, int] = {
    SanctionEffect.BAR_EXCELLENT: 1,
    SanctionEffect.FORCE_BASIC: 2,
    SanctionEffect.NO_GRADE: 3,
    SanctionEffect.FORCE_INCOMPETENT: 4,
}

# Tie-break keys (higher value wins). "item:<code>" means that item's score.
TIE_BREAK_LABELS: dict[str, str] = {
    "evaluation": "民主测评得分",
    "items": "项目得分",
    "excellent_votes": "优秀票比例",
    "quarterly_good": "平时考核“好”等次次数",
}


@dataclass(frozen=True)
class SchemeItem:
    """One assessment item (德/能/勤/绩/廉 by default, or a veto-only item)."""

    code: str
    name: str
    weight: Decimal  # percent of the items score; base weights add up to 100
    full_score: Decimal = HUNDRED
    is_veto: bool = False  # 一票否决 item
    veto_below: Decimal | None = None  # a score below this counts as a veto failure
    veto_max_grade: Grade = Grade.BASIC  # best grade left after a veto failure
    key_topic: str = ""  # e.g. 城市转型
    key_topic_weight: Decimal = ZERO  # extra weight on top of ``weight``

    @property
    def effective_weight(self) -> Decimal:
        return self.weight + self.key_topic_weight


@dataclass(frozen=True)
class RaterGroup:
    """A 民主测评 rater group; ``weight`` is a fraction, all groups add up to 1."""

    code: str
    name: str
    weight: Decimal


@dataclass(frozen=True)
class VoteValue:
    """A 民主测评 vote choice and the points it is worth (优秀 100, 称职 80, ...)."""

    label: str
    value: Decimal


@dataclass(frozen=True)
class CompositeRule:
    """综合得分 = 民主测评×evaluation_weight% + 项目×items_weight% + 加分 − 扣分."""

    evaluation_weight: Decimal = Decimal(40)
    items_weight: Decimal = Decimal(60)
    bonus_cap: Decimal | None = Decimal(5)  # None: no cap
    penalty_cap: Decimal | None = Decimal(10)


@dataclass(frozen=True)
class GradeThresholds:
    """Score floors (综合得分 ≥ floor). ``excellent_min`` None: 优秀 by rank and quota only."""

    excellent_min: Decimal | None = Decimal(90)
    competent_min: Decimal = Decimal(66)
    basic_min: Decimal = Decimal(55)


@dataclass(frozen=True)
class QuotaRule:
    """优秀 quota of one pool."""

    percent: Decimal = Decimal(20)
    max_percent: Decimal = Decimal(25)  # only with approval (raised pool / approved override)
    rounding: Rounding = Rounding.HALF_UP
    at_least_one: bool = True  # 不足 1 名的按 1 名计
    pool_by: PoolBy = PoolBy.UNIT
    base: QuotaBase = QuotaBase.ALL


@dataclass(frozen=True)
class SanctionRule:
    """``effects[0]`` applies in the year of the sanction, ``effects[1]`` the next year, ..."""

    code: str
    name: str
    effects: tuple[SanctionEffect, ...]


@dataclass(frozen=True)
class StatusRule:
    """Status flags that give 不定等次."""

    probation_no_grade: bool = True  # 试用期
    investigation_no_grade: bool = True  # 立案审查未结案
    long_leave_days: int | None = 183  # 病事假 ≥ this many days; None: rule off


@dataclass(frozen=True)
class QuarterlyRule:
    """How 平时考核 (quarterly grades 好/较好/一般/较差) feeds the annual grade."""

    bar_excellent_grades: tuple[str, ...] = ("较差",)  # any quarter with one bars 优秀
    min_good_for_excellent: int = 0  # quarters graded 好 needed for 优秀
    good_cap_percent: Decimal | None = Decimal(40)  # warn when 好 per quarter exceeds this


@dataclass(frozen=True)
class AssessmentRules:
    """A complete rule set for one assessment round."""

    name: str
    items: tuple[SchemeItem, ...]
    rater_groups: tuple[RaterGroup, ...]
    vote_values: tuple[VoteValue, ...]
    composite: CompositeRule = field(default_factory=CompositeRule)
    thresholds: GradeThresholds = field(default_factory=GradeThresholds)
    quota: QuotaRule = field(default_factory=QuotaRule)
    tie_break: tuple[str, ...] = ("evaluation", "items")
    sanctions: tuple[SanctionRule, ...] = ()
    status: StatusRule = field(default_factory=StatusRule)
    quarterly: QuarterlyRule = field(default_factory=QuarterlyRule)

    # -- lookups (computed once; frozen dataclasses allow cached_property) -----------------

    @cached_property
    def items_by_code(self) -> dict[str, SchemeItem]:
        return {i.code: i for i in self.items}

    @cached_property
    def groups_by_code(self) -> dict[str, RaterGroup]:
        return {g.code: g for g in self.rater_groups}

    @cached_property
    def vote_value_by_label(self) -> dict[str, Decimal]:
        return {v.label: v.value for v in self.vote_values}

    @cached_property
    def composite_weight_texts(self) -> tuple[str, str]:
        """The 民主测评 and items weights as shown in explanations ("40", "60")."""
        return _fmt(self.composite.evaluation_weight), _fmt(self.composite.items_weight)

    @cached_property
    def vote_int_values(self) -> dict[str, int] | None:
        """Vote values as ints when all are whole numbers, else None."""
        if all(v.value == v.value.to_integral_value() for v in self.vote_values):
            return {v.label: int(v.value) for v in self.vote_values}
        return None

    @cached_property
    def sanctions_by_code(self) -> dict[str, SanctionRule]:
        return {s.code: s for s in self.sanctions}

    @cached_property
    def weighted_items(self) -> tuple[tuple[str, str, Decimal, Decimal], ...]:
        """(code, name, effective weight, full score) of the items that carry weight."""
        return tuple(
            (i.code, i.name, i.effective_weight, i.full_score)
            for i in self.items
            if i.effective_weight != 0
        )

    @cached_property
    def veto_line_items(self) -> tuple[SchemeItem, ...]:
        """Veto items with a score line (a score below it is a veto failure)."""
        return tuple(i for i in self.items if i.is_veto and i.veto_below is not None)

    def tie_break_label(self, key: str) -> str:
        """Chinese name of a tie-break key."""
        if key.startswith("item:"):
            item = self.items_by_code.get(key[5:])
            return f"“{item.name if item else key[5:]}”得分"
        return TIE_BREAK_LABELS.get(key, key)

    # -- validation -------------------------------------------------------------------------

    def validate(self) -> list[FieldIssue]:
        """Every problem of this rule set; an empty list means it is usable."""
        return validate_rules(self)

    def check(self) -> AssessmentRules:
        """Raise :class:`ValidationError` if the rule set is not usable; return it otherwise."""
        issues = validate_rules(self)
        if issues:
            raise ValidationError(issues, record=f"考核规则“{self.name}”")
        return self

    # -- dict / JSON ------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict; numbers are written as strings so no precision is lost."""
        return {
            "name": self.name,
            "items": [
                {
                    "code": i.code,
                    "name": i.name,
                    "weight": _num_out(i.weight),
                    "full_score": _num_out(i.full_score),
                    "is_veto": i.is_veto,
                    "veto_below": _num_out(i.veto_below),
                    "veto_max_grade": i.veto_max_grade.value,
                    "key_topic": i.key_topic,
                    "key_topic_weight": _num_out(i.key_topic_weight),
                }
                for i in self.items
            ],
            "rater_groups": [
                {"code": g.code, "name": g.name, "weight": _num_out(g.weight)}
                for g in self.rater_groups
            ],
            "vote_values": [
                {"label": v.label, "value": _num_out(v.value)} for v in self.vote_values
            ],
            "composite": {
                "evaluation_weight": _num_out(self.composite.evaluation_weight),
                "items_weight": _num_out(self.composite.items_weight),
                "bonus_cap": _num_out(self.composite.bonus_cap),
                "penalty_cap": _num_out(self.composite.penalty_cap),
            },
            "thresholds": {
                "excellent_min": _num_out(self.thresholds.excellent_min),
                "competent_min": _num_out(self.thresholds.competent_min),
                "basic_min": _num_out(self.thresholds.basic_min),
            },
            "quota": {
                "percent": _num_out(self.quota.percent),
                "max_percent": _num_out(self.quota.max_percent),
                "rounding": self.quota.rounding.value,
                "at_least_one": self.quota.at_least_one,
                "pool_by": self.quota.pool_by.value,
                "base": self.quota.base.value,
            },
            "tie_break": list(self.tie_break),
            "sanctions": [
                {"code": s.code, "name": s.name, "effects": [e.value for e in s.effects]}
                for s in self.sanctions
            ],
            "status": {
                "probation_no_grade": self.status.probation_no_grade,
                "investigation_no_grade": self.status.investigation_no_grade,
                "long_leave_days": self.status.long_leave_days,
            },
            "quarterly": {
                "bar_excellent_grades": list(self.quarterly.bar_excellent_grades),
                "min_good_for_excellent": self.quarterly.min_good_for_excellent,
                "good_cap_percent": _num_out(self.quarterly.good_cap_percent),
            },
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, validate: bool = True) -> AssessmentRules:
        """Build from a plain dict (e.g. parsed JSON).

        Raises :class:`ValidationError` naming the field path when the dict is malformed,
        or (with ``validate``) when the rule set breaks a rule such as weights adding up.
        """
        try:
            rules = _parse_rules(data)
        except _ParseError as exc:
            raise ValidationError(
                [FieldIssue(exc.path, exc.path, exc.message)], record="考核规则"
            ) from None
        if validate:
            rules.check()
        return rules


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


# ---------------------------------------------------------------------------------------
# validation


def _fmt(value: Decimal) -> str:
    """Decimal without trailing zeros or exponent: 20.00 -> '20', 0.10 -> '0.1'."""
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value.normalize():f}"


def _sum_issue(path: str, label: str, total: Decimal, want: Decimal) -> FieldIssue | None:
    if total == want:
        return None
    diff = total - want
    how = f"多 {_fmt(diff)}" if diff > 0 else f"少 {_fmt(-diff)}"
    return FieldIssue(path, label, f"合计为 {_fmt(total)}，应为 {_fmt(want)}（{how}）")


def _dup_issues(path: str, label: str, codes: list[str]) -> list[FieldIssue]:
    seen: set[str] = set()
    out: list[FieldIssue] = []
    for c in codes:
        if not c.strip():
            out.append(FieldIssue(path, label, "代码不能为空"))
        elif c in seen:
            out.append(FieldIssue(path, label, f"代码“{c}”重复"))
        seen.add(c)
    return out


def validate_rules(rules: AssessmentRules) -> list[FieldIssue]:
    """Check a rule set; every message is Chinese and says which part and by how much."""
    issues: list[FieldIssue] = []
    add = issues.append
    if not rules.name.strip():
        add(FieldIssue("name", "规则名称", "不能为空"))

    # items
    if not rules.items:
        add(FieldIssue("items", "考核项目", "至少需要一个考核项目"))
    issues += _dup_issues("items.code", "考核项目", [i.code for i in rules.items])
    for i in rules.items:
        where = f"考核项目“{i.name or i.code}”"
        if not i.name.strip():
            add(FieldIssue("items.name", where, "名称不能为空"))
        if i.weight < 0:
            add(FieldIssue("items.weight", where, f"权重 {_fmt(i.weight)} 不能为负数"))
        if i.key_topic_weight < 0:
            add(FieldIssue("items.key_topic_weight", where, "重点内容加权不能为负数"))
        if i.key_topic_weight > 0 and not i.key_topic.strip():
            add(FieldIssue("items.key_topic", where, "设置了重点内容加权，但未填写重点内容名称"))
        if i.full_score <= 0:
            add(FieldIssue("items.full_score", where, f"满分 {_fmt(i.full_score)} 必须大于 0"))
        if i.effective_weight == 0 and not i.is_veto:
            add(FieldIssue("items.weight", where, "权重为 0 的项目只能作为一票否决项目"))
        if i.veto_below is not None:
            if not i.is_veto:
                add(FieldIssue("items.veto_below", where, "不是一票否决项目，不能设置否决分数线"))
            elif not ZERO <= i.veto_below <= i.full_score:
                add(
                    FieldIssue(
                        "items.veto_below",
                        where,
                        f"否决分数线 {_fmt(i.veto_below)} 应在 0–{_fmt(i.full_score)} 之间",
                    )
                )
        if i.veto_max_grade not in (Grade.COMPETENT, Grade.BASIC, Grade.INCOMPETENT):
            add(
                FieldIssue(
                    "items.veto_max_grade", where, "一票否决后的最高等次应为称职、基本称职或不称职"
                )
            )
    if rules.items:
        s = _sum_issue(
            "items.weight",
            "考核项目权重（不含重点内容加权）",
            sum((i.weight for i in rules.items), ZERO),
            HUNDRED,
        )
        if s:
            add(s)

    # rater groups and vote values
    if not rules.rater_groups:
        add(FieldIssue("rater_groups", "民主测评评价组", "至少需要一个评价组"))
    issues += _dup_issues(
        "rater_groups.code", "民主测评评价组", [g.code for g in rules.rater_groups]
    )
    for g in rules.rater_groups:
        if not g.name.strip():
            add(FieldIssue("rater_groups.name", f"评价组“{g.code}”", "名称不能为空"))
        if not ZERO < g.weight <= ONE:
            add(
                FieldIssue(
                    "rater_groups.weight",
                    f"评价组“{g.name or g.code}”",
                    f"权重 {_fmt(g.weight)} 应大于 0 且不超过 1",
                )
            )
    if rules.rater_groups:
        s = _sum_issue(
            "rater_groups.weight",
            "民主测评各评价组权重",
            sum((g.weight for g in rules.rater_groups), ZERO),
            ONE,
        )
        if s:
            add(s)
    if not rules.vote_values:
        add(FieldIssue("vote_values", "测评票分值表", "至少需要一个票种"))
    labels = [v.label for v in rules.vote_values]
    for v in rules.vote_values:
        if not v.label.strip():
            add(FieldIssue("vote_values.label", "测评票分值表", "票种名称不能为空"))
        if not ZERO <= v.value <= HUNDRED:
            add(
                FieldIssue(
                    "vote_values.value",
                    f"测评票“{v.label}”",
                    f"分值 {_fmt(v.value)} 应在 0–100 之间",
                )
            )
    if len(set(labels)) != len(labels):
        add(FieldIssue("vote_values.label", "测评票分值表", "票种名称重复"))
    values = [v.value for v in rules.vote_values]
    if any(a < b for a, b in zip(values, values[1:], strict=False)):
        add(
            FieldIssue(
                "vote_values.value", "测评票分值表", "票种应按分值从高到低排列（第一个为优秀票）"
            )
        )

    # composite
    c = rules.composite
    if c.evaluation_weight < 0 or c.items_weight < 0:
        add(FieldIssue("composite", "综合得分权重", "测评权重和项目权重不能为负数"))
    total = c.evaluation_weight + c.items_weight
    if total != HUNDRED:
        diff = total - HUNDRED
        how = f"多 {_fmt(diff)}" if diff > 0 else f"少 {_fmt(-diff)}"
        add(
            FieldIssue(
                "composite",
                "综合得分权重",
                f"民主测评 {_fmt(c.evaluation_weight)} + 项目 {_fmt(c.items_weight)} = "
                f"{_fmt(total)}，应为 100（{how}）",
            )
        )
    for name, cap in (("加分上限", c.bonus_cap), ("扣分上限", c.penalty_cap)):
        if cap is not None and cap < 0:
            add(FieldIssue("composite", name, f"{_fmt(cap)} 不能为负数"))

    # thresholds
    t = rules.thresholds
    if not ZERO <= t.basic_min <= t.competent_min:
        add(
            FieldIssue(
                "thresholds",
                "等次分数线",
                f"基本称职分数线 {_fmt(t.basic_min)} 应在 0 和称职分数线 "
                f"{_fmt(t.competent_min)} 之间",
            )
        )
    if t.excellent_min is not None and t.excellent_min < t.competent_min:
        add(
            FieldIssue(
                "thresholds",
                "等次分数线",
                f"优秀分数线 {_fmt(t.excellent_min)} 低于称职分数线 {_fmt(t.competent_min)}",
            )
        )

    # quota
    q = rules.quota
    if not ZERO <= q.percent <= HUNDRED:
        add(FieldIssue("quota.percent", "优秀比例", f"{_fmt(q.percent)}% 应在 0–100% 之间"))
    if not q.percent <= q.max_percent <= HUNDRED:
        add(
            FieldIssue(
                "quota.max_percent",
                "经批准的最高优秀比例",
                f"{_fmt(q.max_percent)}% 应不低于一般比例 {_fmt(q.percent)}% 且不超过 100%",
            )
        )

    # tie-break
    for key in rules.tie_break:
        if key.startswith("item:"):
            if key[5:] not in rules.items_by_code:
                add(FieldIssue("tie_break", "并列排序规则", f"考核项目“{key[5:]}”不存在"))
        elif key not in TIE_BREAK_LABELS:
            add(FieldIssue("tie_break", "并列排序规则", f"不认识的排序依据“{key}”"))
    if len(set(rules.tie_break)) != len(rules.tie_break):
        add(FieldIssue("tie_break", "并列排序规则", "排序依据重复"))

    # sanctions
    issues += _dup_issues("sanctions.code", "处分影响表", [s.code for s in rules.sanctions])
    for s in rules.sanctions:
        if not s.name.strip():
            add(FieldIssue("sanctions.name", f"处分“{s.code}”", "名称不能为空"))
        if not s.effects:
            add(FieldIssue("sanctions.effects", f"处分“{s.name or s.code}”", "至少需要一年的影响"))

    # status and quarterly
    if rules.status.long_leave_days is not None and not 1 <= rules.status.long_leave_days <= 366:
        add(FieldIssue("status.long_leave_days", "长期病事假天数", "应在 1–366 天之间"))
    qr = rules.quarterly
    for g in qr.bar_excellent_grades:
        if g not in QUARTERLY_GRADES:
            add(
                FieldIssue(
                    "quarterly.bar_excellent_grades",
                    "平时考核规则",
                    f"“{g}”不是平时考核等次（好/较好/一般/较差）",
                )
            )
    if not 0 <= qr.min_good_for_excellent <= 4:
        add(
            FieldIssue(
                "quarterly.min_good_for_excellent", "平时考核规则", "“好”等次次数要求应在 0–4 之间"
            )
        )
    if qr.good_cap_percent is not None and not ZERO <= qr.good_cap_percent <= HUNDRED:
        add(
            FieldIssue(
                "quarterly.good_cap_percent", "平时考核规则", "“好”等次比例上限应在 0–100% 之间"
            )
        )
    return issues


# ---------------------------------------------------------------------------------------
# parsing


class _ParseError(Exception):
    def __init__(self, path: str, message: str):
        super().__init__(message)
        self.path = path
        self.message = message


def to_decimal(value: Any, path: str = "数值") -> Decimal:
    """Decimal from Decimal/int/float/str; bool, NaN and infinity are refused (DomainError)."""
    if type(value) is Decimal:
        d = value
    elif isinstance(value, bool) or value is None:
        raise DomainError(f"{path}：应为数字，实际为 {value!r}", field=path)
    elif isinstance(value, int):
        return Decimal(value)
    elif isinstance(value, float):
        d = Decimal(repr(value))
    elif isinstance(value, str | Decimal):
        try:
            d = Decimal(str(value).strip())
        except InvalidOperation:
            raise DomainError(f"{path}：“{value}”不是数字", field=path) from None
    else:
        raise DomainError(f"{path}：应为数字，实际为 {value!r}", field=path)
    if not d.is_finite():
        raise DomainError(f"{path}：“{value}”不是有限的数字", field=path)
    return d


def _num_out(value: Decimal | None) -> str | None:
    return None if value is None else _fmt(value)


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
        sanctions.append(SanctionRule(_str(d, "code", p), _str(d, "name", p), effects))
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
    )
