"""Header recognition for roster sheets: find the header row, map columns to attributes.

Headers are compared after :func:`header_key`: spaces (also full-width and line breaks),
``*`` markers and a trailing colon removed, full-width brackets made half-width. A header
like ``出生年月（年.月）`` also matches through its text before the bracket.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from models.roster.intake.records import ATTRIBUTE_LABELS, COMBINED_ATTRIBUTES
from models.roster.intake.values import INVISIBLE, to_halfwidth

__all__ = [
    "HEADER_SCAN_ROWS",
    "IGNORED_HEADERS",
    "SYNONYMS",
    "UNIT_AND_POST_HEADERS",
    "ColumnInfo",
    "attribute_for",
    "claims",
    "find_header",
    "header_key",
    "unit_and_post",
]

HEADER_SCAN_ROWS = 20

# 现任职务 with the unit in front (“XX县财政局局长”): the unit is found from it (like a
# 任免审批表's 现任职务) when the sheet has no 单位 column of its own.
UNIT_AND_POST_HEADERS = (
    "工作单位及职务",
    "工作单位及现任职务",
    "现工作单位及职务",
    "现工作单位及职务(职级)",
    "单位及职务",
    "单位及现任职务",
    "工作单位及职务职级",
    "工作单位职务",
    "单位职务",
)

# attribute -> header spellings (compared after header_key). First match wins.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", "干部姓名", "人员姓名"),
    "sex": ("性别",),
    "birth_date": (
        "出生年月",
        "出生日期",
        "出生年月日",
        "出生时间",
        "出生年份月份",
        "生日",
        "出生年月日期",
        "出生日期年月",
        "出生年月(日)",
    ),
    "ethnicity": ("民族",),
    "native_place": ("籍贯",),
    "birthplace": ("出生地", "出生地点"),
    "political_status": ("政治面貌", "政治面目", "党派"),
    "party_date": ("入党时间", "入党日期", "入党年月", "加入党派时间", "入党(党派)时间"),
    "work_start_date": (
        "参加工作时间",
        "参加工作日期",
        "参加工作年月",
        "参工时间",
        "工作时间",
    ),
    "health": ("健康状况", "健康状态", "身体状况"),
    "ft_education": ("全日制学历", "全日制教育学历", "学历(全日制)", "学历", "最高学历"),
    "ft_degree": ("全日制学位", "全日制教育学位", "学位(全日制)", "学位", "最高学位"),
    "ft_school": (
        "全日制毕业院校系及专业",
        "全日制教育毕业院校系及专业",
        "全日制毕业院校及专业",
        "全日制毕业院校",
        "全日制教育毕业院校系",
        "全日制教育毕业院校及专业",
        "全日制毕业院校、系及专业",
        "全日制教育毕业院校、系及专业",
        "学历学位全日制教育毕业院校系及专业",
        "毕业院校系及专业",
        "毕业院校、系及专业",
        "毕业院校及系及专业",
        "毕业院校及专业",
        "毕业院校和专业",
        "毕业院校专业",
        "毕业学校及专业",
        "毕业院校",
        "毕业学校",
    ),
    "ft_education_degree": (
        "全日制学历学位",
        "全日制教育学历学位",
        "全日制学历及学位",
        "全日制教育学历及学位",
        "全日制学历、学位",
        "全日制教育学历、学位",
        "学历学位全日制教育",
        "学历学位全日制",
        "全日制教育",
        "全日制",
        "学历学位",
        "学历及学位",
        "学历、学位",
        "最高学历学位",
    ),
    "pt_education_degree": (
        "在职学历学位",
        "在职教育学历学位",
        "在职学历及学位",
        "在职教育学历及学位",
        "在职学历、学位",
        "在职教育学历、学位",
        "学历学位在职教育",
        "学历学位在职",
        "在职教育",
    ),
    "pt_education": ("在职学历", "在职教育学历", "学历(在职)"),
    "pt_degree": ("在职学位", "在职教育学位", "学位(在职)"),
    "pt_school": (
        "在职毕业院校系及专业",
        "在职教育毕业院校系及专业",
        "在职毕业院校及专业",
        "在职毕业院校",
        "在职教育毕业院校系",
        "在职教育毕业院校及专业",
        "在职毕业院校、系及专业",
        "在职教育毕业院校、系及专业",
        "学历学位在职教育毕业院校系及专业",
    ),
    "unit": ("单位", "工作单位", "单位名称", "所在单位", "现工作单位", "现单位", "所在部门"),
    "post_title": (
        "现任职务",
        "职务",
        "现职务",
        "现任职务名称",
        "职务名称",
        "现任职",
        *UNIT_AND_POST_HEADERS,
    ),
    "leadership_level": ("领导职务层次", "职务层次", "领导职务级别", "职务级别"),
    "rank": ("职级", "职级(职务层次)", "现职级", "职级层次", "现任职级"),
    "post_since": (
        "任现职时间",
        "任现职务时间",
        "现职时间",
        "任职时间",
        "任现职务层次时间",
        "任现职年月",
        "任现职务年月",
        "任现职务日期",
        "任现职日期",
        "现职务任职时间",
        "任现任职务时间",
    ),
    "id_card": (
        "身份证号",
        "身份证号码",
        "公民身份号码",
        "公民身份证号码",
        "公民身份证号",
        "身份证",
        "身份证件号码",
        "证件号码",
    ),
    "phone": ("联系电话", "电话", "手机", "手机号", "手机号码", "联系方式", "电话号码", "移动电话"),
    "status": ("状态", "在职状态", "人员状态"),
    "staff_category": ("人员类别", "人员身份", "编制类别", "编制类型", "编制性质"),
    "notes": ("备注", "说明"),
    "professional_title": ("专业技术职务", "专业技术职称", "职称", "专技职务"),
    "expertise": ("熟悉专业有何专长", "熟悉专业及专长", "专长", "熟悉专业"),
    "resume": ("简历", "个人简历", "工作简历", "学习工作简历"),
    "rewards": ("奖惩情况", "奖惩", "奖惩信息"),
    "annual_results": ("年度考核结果", "近三年年度考核结果", "考核结果", "年度考核"),
}

# Columns every roster has that are not cadre data: recognised, never asked about.
IGNORED_HEADERS = frozenset({"序号", "编号", "顺序号", "年龄", "照片", "相片", "NO", "NO."})

_KEY_DROP = re.compile(r"[\s\u3000*＊:：" + INVISIBLE + "]")
_BRACKET = re.compile(r"\([^()]*\)$")


def header_key(text: object) -> str:
    """The comparable form of a header cell."""
    if text is None:
        return ""
    key = to_halfwidth(str(text)).replace("【", "(").replace("】", ")")
    key = key.replace("[", "(").replace("]", ")")
    return _KEY_DROP.sub("", key).upper()


_LOOKUP: dict[str, str] = {}
for _attribute, _names in SYNONYMS.items():
    for _name in _names:
        _LOOKUP.setdefault(header_key(_name), _attribute)
for _attribute, _label in ATTRIBUTE_LABELS.items():
    _LOOKUP.setdefault(header_key(_label), _attribute)
_UNIT_AND_POST = frozenset(header_key(h) for h in UNIT_AND_POST_HEADERS)
_LOOKUP.pop(header_key("家庭成员"), None)
_LOOKUP.pop(header_key("照片"), None)
_LOOKUP.pop(header_key("其他信息"), None)


def unit_and_post(header: object) -> bool:
    """Whether a 现任职务 header is a “工作单位及职务” one (the unit is in the post text)."""
    key = header_key(header)
    return bool(key) and (key in _UNIT_AND_POST or _BRACKET.sub("", key) in _UNIT_AND_POST)


def attribute_for(header: object) -> str | None:
    """The attribute a header names, or None. ``出生年月(年.月)`` -> ``birth_date``."""
    key = header_key(header)
    if not key:
        return None
    found = _LOOKUP.get(key)
    if found is None:
        stripped = _BRACKET.sub("", key)
        if stripped and stripped != key:
            found = _LOOKUP.get(stripped)
    return found


def _ignored(header: object) -> bool:
    key = header_key(header)
    return key in IGNORED_HEADERS or _BRACKET.sub("", key) in IGNORED_HEADERS


@dataclass(frozen=True)
class ColumnInfo:
    """One sheet column: 0-based ``index``, ``letter`` as Excel shows it, ``header`` text as
    written, ``attribute`` it feeds (None: not used). ``status`` is ``"auto"`` (recognised),
    ``"user"`` (from the user's mapping), ``"ignored"`` (序号, 年龄...), ``"duplicate"`` (a
    second column for an attribute already mapped) or ``"unmapped"`` (ask the user)."""

    index: int
    letter: str
    header: str
    attribute: str | None
    status: str

    @property
    def label(self) -> str:
        return ATTRIBUTE_LABELS.get(self.attribute or "", "")


@dataclass(frozen=True)
class HeaderFound:
    """Where the header is: 0-based row indexes (``last_row`` > ``first_row`` for a
    two-level header) and the text of each column."""

    first_row: int
    last_row: int
    texts: list[str]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    return " ".join(str(value).split())


_LONGEST_HEADER = 100  # a longer cell is data (a 10 MB 备注), never a header


def _score(texts: Sequence[str]) -> int:
    found = {attribute_for(t) for t in texts if len(t) <= _LONGEST_HEADER}
    return len(found - {None})


def find_header(rows: Sequence[Sequence[object]]) -> HeaderFound | None:
    """Find the header among the first rows of a sheet (title rows above are skipped).

    The header is the row naming the most known columns (at least two). If the row below
    it holds sub-headers (a two-level header such as 全日制教育 over 学历 / 学位, with the
    姓名 cell empty below), parent and child texts are joined.
    """
    best: tuple[int, int] | None = None
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        score = _score([_cell_text(v) for v in row])
        if score >= 2 and (best is None or score > best[1]):
            best = (index, score)
    if best is None:
        return None
    index = best[0]
    texts = [_cell_text(v) for v in rows[index]]
    if index + 1 < len(rows):
        combined = _two_level(texts, [_cell_text(v) for v in rows[index + 1]])
        if combined is not None:
            return HeaderFound(index, index + 1, combined)
    return HeaderFound(index, index, texts)


def _two_level(parent: list[str], child: list[str]) -> list[str] | None:
    width = max(len(parent), len(child))
    parent = parent + [""] * (width - len(parent))
    child = child + [""] * (width - len(child))
    name_columns = [i for i, t in enumerate(parent) if attribute_for(t) == "name"]
    if not name_columns or child[name_columns[0]]:
        return None  # data rows always have a name; a sub-header row does not
    if not any(child):
        return None
    filled: list[str] = []
    last = ""
    for i, text in enumerate(parent):
        if text:
            last = text
        elif not child[i]:
            last = ""
        filled.append(text or last)
    combined: list[str] = []
    gained = 0
    for i in range(width):
        if not child[i]:
            combined.append(parent[i])
            continue
        joined = filled[i] + child[i]
        if attribute_for(joined):
            combined.append(joined)
            gained += 1
        elif attribute_for(child[i]):
            combined.append(child[i])
            gained += 1
        else:
            combined.append(joined)
    return combined if gained else None


def claims(attribute: str) -> set[str]:
    """The fields a column mapped to ``attribute`` fills: a combined 学历学位 column fills
    both 学历 and 学位, so a second column for either is a duplicate."""
    return set(COMBINED_ATTRIBUTES.get(attribute, (attribute,)))


def map_columns(
    texts: Sequence[str],
    user_mapping: Mapping[str, str | None] | None = None,
) -> list[ColumnInfo]:
    """Map header texts to attributes. ``user_mapping`` (header text -> attribute, or None
    to ignore the column) wins over recognition; its keys are compared like headers."""
    from openpyxl.utils import get_column_letter  # lazy: openpyxl costs 0.2 s at start-up

    user = {header_key(k): v for k, v in (user_mapping or {}).items()}
    for attribute in user.values():
        if attribute is not None and attribute not in ATTRIBUTE_LABELS:
            raise ValueError(f"unknown attribute in mapping: {attribute!r}")
    taken: set[str] = set()
    columns: list[ColumnInfo] = []
    # user choices first, so an automatic guess never takes an attribute the user assigned
    for key, attribute in user.items():
        if attribute is not None and any(header_key(t) == key for t in texts):
            taken |= claims(attribute)
    for index, text in enumerate(texts):
        letter = get_column_letter(index + 1)
        if not text:
            continue
        key = header_key(text)
        if key in user:
            attribute = user[key]
            columns.append(
                ColumnInfo(index, letter, text, attribute, "user" if attribute else "ignored")
            )
            continue
        attribute = attribute_for(text)
        if attribute is None:
            status = "ignored" if _ignored(text) else "unmapped"
            columns.append(ColumnInfo(index, letter, text, None, status))
        elif claims(attribute) & taken:
            columns.append(ColumnInfo(index, letter, text, None, "duplicate"))
        else:
            taken |= claims(attribute)
            columns.append(ColumnInfo(index, letter, text, attribute, "auto"))
    return columns
