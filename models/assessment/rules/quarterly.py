"""平时考核 (quarterly grades 好/较好/一般/较差) in a round's rules.

:class:`QuarterGradeRule` holds the score lines of the quarter grades and the "at least one"
switch of the cap on 好: what a quarterly round grades by. :class:`QuarterlyRule` is the
``quarterly`` part of a round's rules: those same fields (it extends QuarterGradeRule) plus the
cap on 好 and how quarter grades feed the annual grade. The stored JSON keeps every field flat
under ``quarterly``.

Pure module: no database, no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from models.assessment.rules.numbers import HUNDRED, ZERO, fmt_number
from models.core.errors import FieldIssue, ValidationError

# 平时考核 grades, best first.
QUARTERLY_GRADES = ("好", "较好", "一般", "较差")


@dataclass(frozen=True)
class QuarterGradeRule:
    """Score lines of the quarter grades (季度得分 ≥ line) and the "at least one 好" switch of
    the cap. ``good_min`` None: 好 by rank and cap only (anyone at or above the 较好 line may
    be 好)."""

    good_min: Decimal | None = Decimal(90)  # 好 line
    fairly_good_min: Decimal = Decimal(66)  # 较好 line
    ordinary_min: Decimal = Decimal(55)  # 一般 line; below it 较差
    good_cap_at_least_one: bool = False  # cap on 好: 不足 1 名按 1 名计

    def validate(self) -> list[FieldIssue]:
        """Every problem of the score lines and the switch (Chinese); empty means usable."""
        issues: list[FieldIssue] = []
        lines = (
            ("good_min", "“好”等次分数线", self.good_min),
            ("fairly_good_min", "“较好”等次分数线", self.fairly_good_min),
            ("ordinary_min", "“一般”等次分数线", self.ordinary_min),
        )
        ok: dict[str, Decimal] = {}
        for name, label, value in lines:
            if value is None and name == "good_min":
                continue
            if not isinstance(value, Decimal) or not value.is_finite():
                issues.append(FieldIssue(name, label, f"“{value}”不是数字"))
            elif not ZERO <= value <= HUNDRED:
                issues.append(FieldIssue(name, label, f"{fmt_number(value)} 应在 0–100 之间"))
            else:
                ok[name] = value
        pairs = (
            ("good_min", "“好”", "fairly_good_min", "“较好”"),
            ("fairly_good_min", "“较好”", "ordinary_min", "“一般”"),
        )
        for high, high_label, low, low_label in pairs:
            if high in ok and low in ok and not ok[high] > ok[low]:
                issues.append(
                    FieldIssue(
                        high,
                        f"{high_label}等次分数线",
                        f"{fmt_number(ok[high])} 应高于{low_label}等次分数线 {fmt_number(ok[low])}",
                    )
                )
        if not isinstance(self.good_cap_at_least_one, bool):
            issues.append(
                FieldIssue("good_cap_at_least_one", "“好”等次不足 1 名按 1 名计", "应为是或否")
            )
        return issues

    def check(self) -> QuarterGradeRule:
        """Raise :class:`ValidationError` when not usable; return self otherwise."""
        issues = self.validate()
        if issues:
            raise ValidationError(issues, record="平时考核等次规则")
        return self


DEFAULT_QUARTER_RULE = QuarterGradeRule()


@dataclass(frozen=True, kw_only=True)
class QuarterlyRule(QuarterGradeRule):
    """The 平时考核 part of a round's rules: the score lines of :class:`QuarterGradeRule`, the
    cap on 好 per quarter and pool, and how quarter grades feed the annual grade
    (``bar_excellent_grades``, ``min_good_for_excellent``)."""

    bar_excellent_grades: tuple[str, ...] = ("较差",)  # any quarter with one bars 优秀
    min_good_for_excellent: int = 0  # quarters graded 好 needed for 优秀
    good_cap_percent: Decimal | None = Decimal(40)  # cap on 好 per quarter; None: no cap

    def validate(self) -> list[FieldIssue]:
        """Every problem of the whole 平时考核 part, not only the score lines
        (:func:`quarterly_issues`)."""
        return quarterly_issues(self)


def quarterly_issues(q: QuarterlyRule) -> list[FieldIssue]:
    """Every problem of the 平时考核 part of a rule set; the field paths start ``quarterly.``
    and the score-line messages are those a quarterly round gives."""
    issues = [
        FieldIssue(
            "quarterly.bar_excellent_grades",
            "平时考核规则",
            f"“{g}”不是平时考核等次（好/较好/一般/较差）",
        )
        for g in q.bar_excellent_grades
        if g not in QUARTERLY_GRADES
    ]
    if not 0 <= q.min_good_for_excellent <= 4:
        issues.append(
            FieldIssue(
                "quarterly.min_good_for_excellent", "平时考核规则", "“好”等次次数要求应在 0–4 之间"
            )
        )
    if q.good_cap_percent is not None and not ZERO <= q.good_cap_percent <= HUNDRED:
        issues.append(
            FieldIssue(
                "quarterly.good_cap_percent", "平时考核规则", "“好”等次比例上限应在 0–100% 之间"
            )
        )
    issues.extend(
        FieldIssue(f"quarterly.{i.field}", f"平时考核{i.label}", i.message)
        for i in QuarterGradeRule.validate(q)
    )
    if q.good_min is None and q.good_cap_percent is None:
        issues.append(
            FieldIssue(
                "quarterly.good_min",
                "平时考核“好”等次分数线",
                "不设“好”等次分数线时，必须设“好”等次比例上限（否则达到“较好”线的人都是“好”）",
            )
        )
    return issues
