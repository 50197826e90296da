"""Validation of a 五项考核 rule set (:func:`validate_rules`, :func:`check_rules`).

Pure module: no database, no Qt.
"""

from __future__ import annotations

from decimal import Decimal

from models.assessment.rules.numbers import HUNDRED, ONE, ZERO, fmt_number
from models.assessment.rules.quarterly import quarterly_issues
from models.assessment.rules.types import TIE_BREAK_LABELS, AssessmentRules, Grade
from models.core.errors import FieldIssue, ValidationError


def _sum_issue(path: str, label: str, total: Decimal, want: Decimal) -> FieldIssue | None:
    if total == want:
        return None
    diff = total - want
    how = f"多 {fmt_number(diff)}" if diff > 0 else f"少 {fmt_number(-diff)}"
    return FieldIssue(path, label, f"合计为 {fmt_number(total)}，应为 {fmt_number(want)}（{how}）")


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
    for n, i in enumerate(rules.items, start=1):
        where = f"考核项目“{i.name}”" if i.name.strip() else f"第 {n} 个考核项目"
        if not i.name.strip():
            add(FieldIssue("items.name", where, "名称不能为空"))
        if i.weight < 0:
            add(FieldIssue("items.weight", where, f"权重 {fmt_number(i.weight)} 不能为负数"))
        if i.key_topic_weight < 0:
            add(FieldIssue("items.key_topic_weight", where, "重点内容加权不能为负数"))
        if i.key_topic_weight > 0 and not i.key_topic.strip():
            add(FieldIssue("items.key_topic", where, "设置了重点内容加权，但未填写重点内容名称"))
        if i.full_score <= 0:
            add(
                FieldIssue("items.full_score", where, f"满分 {fmt_number(i.full_score)} 必须大于 0")
            )
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
                        f"否决分数线 {fmt_number(i.veto_below)} "
                        f"应在 0–{fmt_number(i.full_score)} 之间",
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
    for n, g in enumerate(rules.rater_groups, start=1):
        group = f"评价组“{g.name}”" if g.name.strip() else f"第 {n} 个评价组"
        if not g.name.strip():
            add(FieldIssue("rater_groups.name", group, "名称不能为空"))
        if not ZERO < g.weight <= ONE:
            add(
                FieldIssue(
                    "rater_groups.weight",
                    group,
                    f"权重 {fmt_number(g.weight)} 应大于 0 且不超过 1",
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
                    f"分值 {fmt_number(v.value)} 应在 0–100 之间",
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
        how = f"多 {fmt_number(diff)}" if diff > 0 else f"少 {fmt_number(-diff)}"
        add(
            FieldIssue(
                "composite",
                "综合得分权重",
                f"民主测评 {fmt_number(c.evaluation_weight)} + 项目 {fmt_number(c.items_weight)} = "
                f"{fmt_number(total)}，应为 100（{how}）",
            )
        )
    for name, cap in (("加分上限", c.bonus_cap), ("扣分上限", c.penalty_cap)):
        if cap is not None and cap < 0:
            add(FieldIssue("composite", name, f"{fmt_number(cap)} 不能为负数"))

    # thresholds
    t = rules.thresholds
    if not ZERO <= t.basic_min <= t.competent_min:
        add(
            FieldIssue(
                "thresholds",
                "等次分数线",
                f"基本称职分数线 {fmt_number(t.basic_min)} 应在 0 和称职分数线 "
                f"{fmt_number(t.competent_min)} 之间",
            )
        )
    if t.excellent_min is not None and t.excellent_min < t.competent_min:
        add(
            FieldIssue(
                "thresholds",
                "等次分数线",
                f"优秀分数线 {fmt_number(t.excellent_min)} "
                f"低于称职分数线 {fmt_number(t.competent_min)}",
            )
        )

    # quota
    q = rules.quota
    if not ZERO <= q.percent <= HUNDRED:
        add(FieldIssue("quota.percent", "优秀比例", f"{fmt_number(q.percent)}% 应在 0–100% 之间"))
    if not q.percent <= q.max_percent <= HUNDRED:
        add(
            FieldIssue(
                "quota.max_percent",
                "经批准的最高优秀比例",
                f"{fmt_number(q.max_percent)}% "
                f"应不低于一般比例 {fmt_number(q.percent)}% 且不超过 100%",
            )
        )

    if not 0 <= q.merge_below <= _MAX_MERGE_BELOW:
        add(
            FieldIssue(
                "quota.merge_below",
                "小单位并入上级单位计算名额",
                f"人数 {q.merge_below} 应在 0–{_MAX_MERGE_BELOW} 之间（0 为不合并）",
            )
        )
    placed: dict[str, str] = {}
    names: set[str] = set()
    for unit, pct in q.unit_percents:
        if not Decimal(0) <= pct <= HUNDRED:
            add(FieldIssue("quota.unit_percents", unit, f"优秀比例应在 0–100 之间，现为 {pct}"))
    for p in q.named_pools:
        label = f"自定义考核范围“{p.name.strip() or '（未命名）'}”"
        if not p.name.strip():
            add(FieldIssue("quota.named_pools", label, "名称不能为空"))
        elif p.name.strip() in names:
            add(FieldIssue("quota.named_pools", label, "名称重复"))
        names.add(p.name.strip())
        if not p.units:
            add(FieldIssue("quota.named_pools", label, "至少包括一个单位"))
        for unit in p.units:
            if unit in placed and placed[unit] != p.name:
                add(
                    FieldIssue(
                        "quota.named_pools",
                        label,
                        f"单位“{unit}”已在“{placed[unit]}”中，一个单位只能在一个考核范围",
                    )
                )
            placed.setdefault(unit, p.name)

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
        if s.period_months is not None and not 1 <= s.period_months <= 120:
            add(
                FieldIssue(
                    "sanctions.period_months",
                    f"处分“{s.name or s.code}”",
                    "处分期间应为 1–120 个月",
                )
            )
        if s.variant_of:
            base = rules.sanctions_by_code.get(s.variant_of)
            if base is None or base.variant_of or base.code == s.code:
                add(
                    FieldIssue(
                        "sanctions.variant_of",
                        f"处分“{s.name or s.code}”",
                        f"所属处分种类“{s.variant_of}”不在处分影响表中或本身是变体",
                    )
                )

    # status and quarterly
    if rules.status.long_leave_days is not None and not 1 <= rules.status.long_leave_days <= 366:
        add(FieldIssue("status.long_leave_days", "长期病事假天数", "应在 1–366 天之间"))
    issues += quarterly_issues(rules.quarterly)
    return issues


_MAX_MERGE_BELOW = 1000


def check_rules(rules: AssessmentRules) -> AssessmentRules:
    """Raise :class:`ValidationError` if the rule set is not usable; return it otherwise."""
    issues = validate_rules(rules)
    if issues:
        raise ValidationError(issues, record=f"考核规则“{rules.name}”")
    return rules
