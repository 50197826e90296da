"""The record shape that every intake reader produces.

A :class:`ParsedRow` is one cadre as read from one place (a sheet row, an .lrmx or .lrm
file): normalised ``values`` keyed by the cadre attribute names, the original text in
``raw``, and the :class:`RowIssue` list saying what could not be read. Readers never raise
for a bad value; they record an issue and carry on so the user sees every problem at once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from models.roster.intake.values import (
    ValueProblem,
    clean_multiline,
    clean_name,
    clean_text,
    display_raw,
    normalise_date,
    normalise_id_card,
    normalise_sex,
)
from models.roster.types import FIELD_LABELS

__all__ = [
    "ATTRIBUTE_LABELS",
    "DATE_ATTRIBUTES",
    "FamilyRow",
    "FileIssue",
    "IMPORT_CANCELLED",
    "ParsedRow",
    "RowBuilder",
    "RowIssue",
    "SourceRef",
    "normalise_value",
]

# The roster's own labels (its unit_id is a unit name here), plus what .lrmx files carry.
ATTRIBUTE_LABELS: dict[str, str] = {
    **{("unit" if k == "unit_id" else k): v for k, v in FIELD_LABELS.items()},
    "professional_title": "专业技术职务",
    "expertise": "熟悉专业有何专长",
    "resume": "简历",
    "rewards": "奖惩情况",
    "annual_results": "年度考核结果",
    "family": "家庭成员",
    "photo": "照片",
    "extra": "其他信息",
}

_COLUMN_LETTERS = re.compile(r"[A-Z]{1,3}")
DATE_ATTRIBUTES = frozenset({"birth_date", "party_date", "work_start_date", "post_since"})
MULTILINE_ATTRIBUTES = frozenset({"resume", "rewards", "annual_results", "notes", "expertise"})


IMPORT_CANCELLED = "已取消导入"
"""The message of :class:`~models.core.progress.Cancelled` when an import is cancelled."""


@dataclass(frozen=True)
class FamilyRow:
    """One 家庭主要成员及重要社会关系 row."""

    relation: str | None = None  # 称谓
    name: str | None = None  # 姓名
    birth_date: dt.date | None = None  # 出生日期
    political_status: str | None = None  # 政治面貌
    work: str | None = None  # 工作单位及职务


@dataclass(frozen=True)
class SourceRef:
    """Where a row came from. ``row`` is the 1-based row number the user sees in the sheet
    (None for a whole-file source such as .lrmx); ``sheet`` is None for CSV/LRMX/LRM."""

    file: str
    sheet: str | None = None
    row: int | None = None

    def __str__(self) -> str:
        parts = [f"“{self.file}”"]
        if self.sheet:
            parts.append(f"工作表“{self.sheet}”")
        if self.row is not None:
            parts.append(f"第{self.row}行")
        return "".join(parts)


@dataclass(frozen=True)
class RowIssue:
    """A problem with one value. ``column`` is the sheet column letter (``"C"``) or the XML
    tag / LRM field for file formats; ``header`` the header text as written in the sheet;
    ``label`` the Chinese field name; ``value`` the original text."""

    file: str
    row: int | None
    column: str
    label: str
    value: str
    message: str
    header: str = ""
    warning: bool = False  # usable but changed (e.g. 15-digit ID upgraded); errors block
    sheet: str | None = None  # the worksheet, for workbooks with several

    def text(self) -> str:
        """One line for lists and the command line."""
        where = f"“{self.file}”"
        if self.sheet:
            where += f"工作表“{self.sheet}”"
        if self.row is not None:
            where += f"第{self.row}行"
        if self.column and _COLUMN_LETTERS.fullmatch(self.column):
            where += f"{self.column}列"
        elif self.column:
            where += f" {self.column}"
        if self.header and self.header != self.label:
            where += f"（{self.header}）"
        kind = "提示" if self.warning else "错误"
        return f"{kind}：{where}【{self.label}】{self.message}"


@dataclass(frozen=True)
class FileIssue:
    """A problem with a whole file (cannot be opened, wrong type, no data...)."""

    file: str
    message: str
    warning: bool = False

    def text(self) -> str:
        return ("提示：" if self.warning else "错误：") + self.message


@dataclass(frozen=True)
class ParsedRow:
    """One cadre as read from a source.

    ``values`` holds only the attributes the source provides (a mapped column whose cell
    is empty gives None); LRMX/LRM rows also carry ``family`` (list of FamilyRow), ``photo``
    (bytes or None) and ``extra`` (dict tag -> text).
    """

    source: SourceRef
    values: dict[str, object]
    raw: dict[str, str] = field(default_factory=dict)
    issues: list[RowIssue] = field(default_factory=list)

    @property
    def errors(self) -> list[RowIssue]:
        return [i for i in self.issues if not i.warning]

    @property
    def has_errors(self) -> bool:
        return any(not i.warning for i in self.issues)

    @property
    def label(self) -> str:
        """'张三（“名册.xlsx”第5行）' for messages."""
        name = self.values.get("name") or self.raw.get("name") or "（无姓名）"
        return f"{name}（{self.source}）"


def normalise_value(
    attribute: str,
    value: object,
    *,
    number_format: str | None = None,
    warnings: list[str] | None = None,
) -> object:
    """Normalise one value for ``attribute``; raises ValueProblem with a Chinese message."""
    if attribute in DATE_ATTRIBUTES:
        return normalise_date(value, number_format=number_format)
    if attribute == "id_card":
        return normalise_id_card(value, warnings)
    if attribute == "sex":
        return normalise_sex(value)
    if attribute == "name":
        return clean_name(value)
    if attribute in MULTILINE_ATTRIBUTES:
        return clean_multiline(value)
    return clean_text(value)


class RowBuilder:
    """Collects the values of one row and the issues found while normalising them."""

    def __init__(self, source: SourceRef):
        self.source = source
        self.values: dict[str, object] = {}
        self.raw: dict[str, str] = {}
        self.issues: list[RowIssue] = []

    def issue(
        self,
        column: str,
        label: str,
        value: str,
        message: str,
        *,
        header: str = "",
        warning: bool = False,
    ) -> None:
        self.issues.append(
            RowIssue(
                file=self.source.file,
                row=self.source.row,
                column=column,
                label=label,
                value=value,
                message=message,
                header=header,
                warning=warning,
                sheet=self.source.sheet,
            )
        )

    def add(
        self,
        attribute: str,
        value: object,
        *,
        column: str,
        header: str = "",
        number_format: str | None = None,
        convert: Callable[[object], object] | None = None,
    ) -> object:
        """Normalise ``value`` into ``values[attribute]``; on a problem record an issue and
        store None. Returns the stored value."""
        label = ATTRIBUTE_LABELS.get(attribute, attribute)
        raw_text = display_raw(value)
        self.raw[attribute] = raw_text
        warnings: list[str] = []
        try:
            if convert is not None:
                result = convert(value)
            else:
                result = normalise_value(
                    attribute, value, number_format=number_format, warnings=warnings
                )
        except ValueProblem as problem:
            self.issue(column, label, raw_text, problem.message, header=header)
            result = None
        for text in warnings:
            self.issue(column, label, raw_text, text, header=header, warning=True)
        self.values[attribute] = result
        return result

    def build(self) -> ParsedRow:
        return ParsedRow(self.source, self.values, self.raw, self.issues)
