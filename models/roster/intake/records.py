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
    excel_error,
    normalise_date,
    normalise_id_card,
    normalise_sex,
    screen_text,
    shorten,
)
from models.roster.types import FIELD_LABELS, staff_category_of

__all__ = [
    "ATTRIBUTE_LABELS",
    "COMBINED_ATTRIBUTES",
    "DATE_ATTRIBUTES",
    "FamilyRow",
    "FileIssue",
    "FAMILY_LIMITS",
    "IMPORT_CANCELLED",
    "NAME_LIKE",
    "ParsedRow",
    "RowBuilder",
    "RowIssue",
    "SourceRef",
    "TEXT_LIMITS",
    "check_length",
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
    # one 名册 column holding both (“大学 经济学学士”): split into the two fields on reading
    "ft_education_degree": "全日制学历学位",
    "pt_education_degree": "在职学历学位",
    "family": "家庭成员",
    "photo": "照片",
    "extra": "其他信息",
}

_COLUMN_LETTERS = re.compile(r"[A-Z]{1,3}")
DATE_ATTRIBUTES = frozenset({"birth_date", "party_date", "work_start_date", "post_since"})
MULTILINE_ATTRIBUTES = frozenset({"resume", "rewards", "annual_results", "notes", "expertise"})

NAME_LIKE = frozenset({"name", "unit", "post_title"})
"""Fields compared with what is stored (a person, a unit): removing an invisible character
from them is told to the user."""

COMBINED_ATTRIBUTES: dict[str, tuple[str, str]] = {
    "ft_education_degree": ("ft_education", "ft_degree"),
    "pt_education_degree": ("pt_education", "pt_degree"),
}
"""Pseudo-attributes of one column that feeds two fields; never in ``ParsedRow.values``."""


# The most characters each text field holds: models/roster/tables.py's max_length (the
# unit is Unit.name; test_values checks that these agree), and a cap for the TextFields.
TEXT_LIMITS: dict[str, int] = {
    "name": 40,
    "ethnicity": 20,
    "native_place": 60,
    "birthplace": 60,
    "political_status": 20,
    "health": 20,
    "ft_education": 20,
    "ft_degree": 20,
    "ft_school": 100,
    "pt_education": 20,
    "pt_degree": 20,
    "pt_school": 100,
    "unit": 100,
    "post_title": 100,
    "leadership_level": 20,
    "rank": 20,
    "id_card": 18,
    "phone": 40,
    "sex": 2,
    "status": 4,
    "staff_category": 30,
    "professional_title": 60,
    "expertise": 200,
    "notes": 20_000,  # TextField
    "resume": 20_000,  # TextField
    "rewards": 20_000,  # TextField
    "annual_results": 2_000,  # TextField
}
FAMILY_LIMITS: dict[str, int] = {"relation": 20, "name": 40, "political_status": 20, "work": 200}
"""FamilyMember's max_length per FamilyRow field."""
_OTHER_LIMIT = 200  # dates and anything not listed: no real value is longer
_RAW_SLACK = 100  # spaces a cell may carry around its value before it is cleaned
_RAW_SHOWN = 200  # characters of an original value kept for messages


def check_length(label: str, text: str, limit: int) -> None:
    """Raise ValueProblem (Chinese, naming the field and the limit) when ``text`` is longer
    than ``limit`` characters."""
    if len(text) > limit:
        raise ValueProblem(
            f"{label}有{len(text)}个字，超过{limit}个字的上限；请在原表中删减后重新导入"
        )


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
    if attribute == "staff_category":
        category = staff_category_of(clean_text(value))
        if category is None:
            raise ValueProblem(
                f"“{clean_text(value)}”不是人员类别（可填：公务员、参公、事业单位，或行政编制、"
                "参公编制、事业编制）"
            )
        return category
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
        error_cell: bool = False,
    ) -> object:
        """Normalise ``value`` into ``values[attribute]``; on a problem record an issue and
        store None. Returns the stored value.

        Before anything else a text value is screened: an Excel error value (``#REF!``;
        ``error_cell`` when the workbook typed the cell as an error), a control character
        or a value over the field's length limit is an error; invisible format characters
        are removed (with a warning for :data:`NAME_LIKE` fields)."""
        label = ATTRIBUTE_LABELS.get(attribute, attribute)
        raw_text = display_raw(value)
        if len(raw_text) > _RAW_SHOWN:
            raw_text = shorten(raw_text, _RAW_SHOWN)
        self.raw[attribute] = raw_text
        warnings: list[str] = []
        removed: list[str] = []
        limit = TEXT_LIMITS.get(attribute, _OTHER_LIMIT)
        try:
            if isinstance(value, str):
                problem = excel_error(value, typed=error_cell)
                if problem is not None:
                    raise ValueProblem(problem)
                if len(value) > limit + _RAW_SLACK:
                    check_length(label, value.strip(), limit)
                value, removed = screen_text(value)
            if convert is not None:
                result = convert(value)
            else:
                result = normalise_value(
                    attribute, value, number_format=number_format, warnings=warnings
                )
            if isinstance(result, str):
                check_length(label, result, limit)
        except ValueProblem as problem:
            self.issue(column, label, raw_text, problem.message, header=header)
            result = None
        else:
            if removed and attribute in NAME_LIKE:
                shown = result if isinstance(result, str) else value
                warnings.append(f"“{shown}”含有不可见字符 {'、'.join(removed)}，已去除")
        for text in warnings:
            self.issue(column, label, raw_text, text, header=header, warning=True)
        self.values[attribute] = result
        return result

    def build(self) -> ParsedRow:
        return ParsedRow(self.source, self.values, self.raw, self.issues)
