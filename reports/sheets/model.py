"""Data of one 年度考核登记表 (annual assessment register form), its validation and the
fixed texts and number formats the form prints."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Any

from models.assessment.rules import fmt_number
from models.core.errors import FieldIssue
from reports.common.numbers import Number
from resources import resource_path


class SheetVariant(StrEnum):
    """``OFFICIAL``: the 年度考核登记表 as filed in the 人事档案 (nothing pre-printed that the
    主管领导 or the committee writes). ``SCORED``: the 考核评分表, one page per person with the
    scoring detail (weights, weighted points, 民主测评, 加减分, 综合得分, 排名, 拟定等次)."""

    OFFICIAL = "official"
    SCORED = "scored"

    @property
    def label(self) -> str:
        return {"official": "考核登记表", "scored": "考核评分表"}[self.value]


class StaffCategory(StrEnum):
    """The personnel category; it selects the title of the official form (DOMAIN.md §2.1/2.2)."""

    CIVIL = "公务员"
    REFERENCED = "参照公务员法管理单位工作人员"
    INSTITUTION = "事业单位工作人员"

    @property
    def form_title(self) -> str:
        return f"{self.value}年度考核登记表"

    @property
    def short(self) -> str:
        return {"公务员": "公务员", "参照公务员法管理单位工作人员": "参公"}.get(
            self.value, "事业单位"
        )


#: the optional header rows of the 登记表, by the name a template and the command line use
HEADER_ROWS = ("文化程度", "参加脱产培训情况")
TEMPLATES_PATH = resource_path("forms", "sheet_templates.json")


def template_rows(category: StaffCategory) -> tuple[str, ...]:
    """The optional header rows the office's template of ``category`` prints
    (resources/forms/sheet_templates.json, editable; none when the file or the category is
    missing). Rows the form does not know are left out."""
    return load_templates().get(category.value, ())


@functools.cache
def load_templates() -> dict[str, tuple[str, ...]]:
    """Personnel category → its optional header rows, read once from TEMPLATES_PATH (call
    ``load_templates.cache_clear()`` after changing the file while running)."""
    try:
        data = json.loads(TEMPLATES_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    out = {}
    for key, value in data.items() if isinstance(data, dict) else ():
        rows = value.get("rows", []) if isinstance(value, dict) else []
        out[key] = tuple(r for r in HEADER_ROWS if r in rows)
    return out


class PageSize(Enum):
    """Paper sizes (width, height) in mm."""

    A4 = (210.0, 297.0)
    K16 = (185.0, 260.0)  # 16开 (正度, 18.5 cm × 26 cm as the form's own 填表说明 gives it)
    B5 = (176.0, 250.0)

    @property
    def label(self) -> str:
        return {"A4": "A4", "K16": "16开", "B5": "B5"}[self.name]


@dataclass(frozen=True)
class ScoreItem:
    """One scored item of the 评分表: 德 with a 20 % share, score 92, 18.40 weighted points.

    ``weight`` is the item's share of the 项目得分 in percent (the shares of all items add up
    to 100); ``weighted`` = score ÷ full score × weight, in points of the 项目得分."""

    name: str
    weight: Number | None  # percent, 0..100
    score: Number | None
    weighted: Number | None
    full_score: Number = 100


@dataclass(frozen=True)
class RaterGroupScore:
    """民主测评 result of one rater group (e.g. 班子成员, 中层干部, 服务对象)."""

    group: str
    weight: Number | None  # percent, 0..100 (share of the 民主测评得分)
    score: Number | None
    weighted: Number | None
    raters: int | None = None  # number of people who rated


@dataclass(frozen=True)
class Adjustment:
    """加分 (points > 0) or 扣分 (points < 0) with its reason."""

    reason: str
    points: Number


@dataclass(frozen=True)
class ScoreBlock:
    """The 考核评分表 of one person. Each section's weighted points add up to its total:
    Σ items.weighted = items_score, Σ democratic.weighted = evaluation, and
    evaluation_part + items_part + bonus − penalty = composite."""

    items: tuple[ScoreItem, ...] = ()
    items_score: Number | None = None  # 项目得分 (0–100)
    items_note: str = ""  # how the scheme's weights became the shares, e.g. the key topic
    democratic: tuple[RaterGroupScore, ...] = ()
    evaluation: Number | None = None  # 民主测评得分 (0–100)
    evaluation_note: str = ""
    evaluation_weight: Number = 40  # percent of the composite
    items_weight: Number = 60
    evaluation_part: Number | None = None  # evaluation × evaluation_weight %
    items_part: Number | None = None  # items_score × items_weight %
    adjustments: tuple[Adjustment, ...] = ()
    bonus: Number = 0  # counted 加分 (after the cap)
    penalty: Number = 0  # counted 扣分, positive (after the cap)
    composite: Number | None = None
    rank: int | None = None
    pool_size: int | None = None
    pool_name: str = ""  # e.g. "科级干部"
    proposed_grade: str = ""  # e.g. 优秀 / 称职 / 基本称职 / 不称职
    explanation: str = ""
    quarters: str = ""  # 平时考核 grades of the year


@dataclass(frozen=True)
class SheetData:
    """Content of one 年度考核登记表. Dates are strings as printed: '1975.03'."""

    year: int
    name: str
    gender: str = ""
    birth: str = ""  # 出生年月, 'YYYY.MM'
    political_status: str = ""  # 政治面貌
    post_since: str = ""  # 任现职时间, 'YYYY.MM'
    unit_and_post: str = ""  # 单位及职务职级
    work_scope: str = ""  # 从事或分管工作
    summary: str = ""  # 个人总结 (long; newlines separate paragraphs)
    supervisor_comment: str = ""  # 主管领导评语
    supervisor_grade: str = ""  # 主管领导考核等次建议 (usually handwritten: leave empty)
    committee_opinion: str = ""  # 机关负责人或考核委员会意见
    self_opinion: str = ""  # 被考核人意见
    no_grade_note: str = ""  # 未确定等次或不参加考核情况说明
    training_hours: Number | None = None  # 备注: 学时
    rewards_sanctions: str = ""  # 备注: 奖惩
    remarks: str = ""  # 备注: 其他
    scores: ScoreBlock | None = None  # printed on the 考核评分表 only
    variant: SheetVariant = SheetVariant.OFFICIAL
    category: StaffCategory = StaffCategory.CIVIL
    education: str | None = None  # 文化程度 row: None leaves the row out of the form
    training_row: str | None = None  # 参加脱产培训情况 row: None leaves the row out


@dataclass(frozen=True)
class RenderResult:
    """What :func:`render_sheets` produced."""

    sheets: int
    pages: int
    warnings: tuple[str, ...] = field(default_factory=tuple)


CANCELLED_MESSAGE = "已取消生成考核登记表，未写入文件"


# ---------------------------------------------------------------------------------------------
# formatting helpers

SP = "\u3000"  # ideographic space: keeps handwriting gaps the same width in every font
SIGN_LINE = f"签名：{SP * 6}年{SP * 2}月{SP * 2}日"
DATE_LINE = f"年{SP * 2}月{SP * 2}日"
SEAL_LINE = f"（盖章）{SP * 8}"
_YM_RE = re.compile(r"^(\d{4})\.(\d{2})$")


def fmt_plain(value: Number) -> str:
    """Without trailing zeros: 20.00 → '20', 12.5 → '12.5' (weights, 学时)."""
    return fmt_number(Decimal(str(value)))


def fmt_weight(value: Number | None) -> str:
    """A weight in percent: 20.00 → '20%'; None → ''."""
    return "" if value is None else f"{fmt_plain(value)}%"


def text_paragraphs(text: str) -> list[str]:
    """Paragraphs of a user text: split on newlines, blank lines dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [line.strip() for line in text.split("\n") if line.strip()]


# ---------------------------------------------------------------------------------------------
# validation

_SCORE_FIELDS = ("weight", "score", "weighted")


def _check_ym(value: str, fld: str, label: str, issues: list[FieldIssue]) -> None:
    if not value:
        return
    m = _YM_RE.match(value)
    if m is None or not 1 <= int(m.group(2)) <= 12 or not 1900 <= int(m.group(1)) <= 2100:
        issues.append(FieldIssue(fld, label, f"应写成“年.月”，如 1975.03，现为“{value}”"))


def validate_sheet(sheet: SheetData) -> list[FieldIssue]:
    """Problems that block printing this sheet (empty list: fine)."""
    issues: list[FieldIssue] = []
    if not isinstance(sheet.year, int) or not 1949 <= sheet.year <= 2100:
        issues.append(
            FieldIssue("year", "考核年度", f"应为 1949–2100 之间的年份，现为“{sheet.year}”")
        )
    if not sheet.name.strip():
        issues.append(FieldIssue("name", "姓名", "不能为空"))
    _check_ym(sheet.birth, "birth", "出生年月", issues)
    _check_ym(sheet.post_since, "post_since", "任现职时间", issues)
    if sheet.training_hours is not None and sheet.training_hours < 0:
        issues.append(
            FieldIssue("training_hours", "学时", f"不能为负数，现为 {sheet.training_hours}")
        )
    block = sheet.scores
    if block is not None:
        rows: list[tuple[str, Any]] = [
            (f"考核项目第{i}行", it) for i, it in enumerate(block.items, 1)
        ]
        rows += [(f"民主测评第{i}行", g) for i, g in enumerate(block.democratic, 1)]
        for where, row in rows:
            weight = row.weight
            if weight is not None and not 0 <= weight <= 100:
                issues.append(
                    FieldIssue("scores", "评分", f"{where}权重应在 0–100（%）之间，现为 {weight}")
                )
        if (
            block.rank is not None
            and block.pool_size is not None
            and not (1 <= block.rank <= block.pool_size)
        ):
            issues.append(
                FieldIssue(
                    "scores", "排名", f"名次 {block.rank} 不在 1–{block.pool_size}（参评人数）之间"
                )
            )
    return issues
