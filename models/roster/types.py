"""The shapes of roster data: field names and labels, DTOs and inputs. No database access."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

# Attribute → Chinese label, in the order a 花名册 lists them.
FIELD_LABELS: dict[str, str] = {
    "name": "姓名",
    "sex": "性别",
    "birth_date": "出生年月",
    "ethnicity": "民族",
    "native_place": "籍贯",
    "birthplace": "出生地",
    "political_status": "政治面貌",
    "party_date": "入党时间",
    "work_start_date": "参加工作时间",
    "health": "健康状况",
    "ft_education": "全日制学历",
    "ft_degree": "全日制学位",
    "ft_school": "全日制毕业院校系及专业",
    "pt_education": "在职学历",
    "pt_degree": "在职学位",
    "pt_school": "在职毕业院校系及专业",
    "unit_id": "单位",
    "post_title": "现任职务",
    "leadership_level": "领导职务层次",
    "rank": "职级",
    "post_since": "任现职时间",
    "id_card": "身份证号",
    "phone": "联系电话",
    "status": "状态",
    "staff_category": "人员类别",
    "notes": "备注",
}

#: 人员类别: what the 年度考核登记表 is titled for ('' on a cadre: judged from the unit's type)
STAFF_CATEGORIES = ("公务员", "参照公务员法管理单位工作人员", "事业单位工作人员")
_STAFF_ALIASES = {
    "公务员": STAFF_CATEGORIES[0],
    "行政编制": STAFF_CATEGORIES[0],
    "行政": STAFF_CATEGORIES[0],
    "参公": STAFF_CATEGORIES[1],
    "参公编制": STAFF_CATEGORIES[1],
    "参照管理": STAFF_CATEGORIES[1],
    "参照公务员法管理": STAFF_CATEGORIES[1],
    "参照公务员法管理人员": STAFF_CATEGORIES[1],
    "参照公务员法管理单位工作人员": STAFF_CATEGORIES[1],
    "事业": STAFF_CATEGORIES[2],
    "事业编制": STAFF_CATEGORIES[2],
    "事业单位": STAFF_CATEGORIES[2],
    "事业单位人员": STAFF_CATEGORIES[2],
    "事业单位工作人员": STAFF_CATEGORIES[2],
}


def staff_category_of(text: str) -> str | None:
    """The 人员类别 a file or a user writes ('参公', '事业编制', '行政编制'…) as stored;
    '' for an empty cell, None when it is none of them."""
    key = "".join(str(text or "").split())
    if not key:
        return ""
    return _STAFF_ALIASES.get(key)


# Fields whose value must come from a pick-list (attribute → pick-list kind).
PICKLIST_FIELDS: dict[str, str] = {
    "ethnicity": "ethnicity",
    "political_status": "political_status",
    "health": "health",
    "ft_education": "education",
    "pt_education": "education",
    "ft_degree": "degree",
    "pt_degree": "degree",
    "leadership_level": "leadership_level",
    "rank": "rank",
}

DATE_FIELDS = ("birth_date", "party_date", "work_start_date", "post_since")
PARTY_MEMBER = ("中共党员", "中共预备党员")


@dataclass(frozen=True)
class UnitDTO:
    id: int
    name: str
    parent_id: int | None
    code: str
    kind: str
    sort_order: int
    cadre_count: int = 0  # 在职 cadres directly in this unit
    version: int = 1  # as read; an edit passes it back (optimistic locking)


@dataclass(frozen=True)
class CadreDTO:
    id: int
    name: str
    sex: str
    birth_date: dt.date
    ethnicity: str
    native_place: str
    birthplace: str
    political_status: str
    party_date: dt.date | None
    work_start_date: dt.date | None
    health: str
    ft_education: str
    ft_degree: str
    ft_school: str
    pt_education: str
    pt_degree: str
    pt_school: str
    unit_id: int
    unit_name: str
    post_title: str
    leadership_level: str
    rank: str
    post_since: dt.date | None
    id_card: str
    phone: str
    status: str
    notes: str
    version: int
    staff_category: str = ""


@dataclass
class CadreInput:
    """What the edit dialog (or an import) wants stored. ``id`` None means a new cadre."""

    name: str = ""
    sex: str = ""
    birth_date: dt.date | None = None
    ethnicity: str = ""
    native_place: str = ""
    birthplace: str = ""
    political_status: str = ""
    party_date: dt.date | None = None
    work_start_date: dt.date | None = None
    health: str = ""
    ft_education: str = ""
    ft_degree: str = ""
    ft_school: str = ""
    pt_education: str = ""
    pt_degree: str = ""
    pt_school: str = ""
    unit_id: int | None = None
    post_title: str = ""
    leadership_level: str = ""
    rank: str = ""
    post_since: dt.date | None = None
    id_card: str = ""
    phone: str = ""
    status: str = "在职"
    staff_category: str = ""
    notes: str = ""
    id: int | None = None
    version: int | None = None

    @classmethod
    def from_dto(cls, c: CadreDTO) -> CadreInput:
        values = {f.name: getattr(c, f.name) for f in dataclasses.fields(cls)}
        return cls(**values)


@dataclass(frozen=True)
class RosterFilter:
    unit_id: int | None = None  # None: every unit
    include_subunits: bool = True
    text: str = ""  # name, pinyin initials or full pinyin, or part of the 身份证号
    level: str = ""  # a 领导职务层次 or a 职级
    status: str = "在职"  # '' for every status
    sort: str = "default"  # a ROSTER_COLUMNS key, or 'default'
    descending: bool = False


@dataclass(frozen=True)
class RosterRow:
    """One line of the roster table, ready to show."""

    id: int
    name: str
    sex: str
    birth: str  # 1975.03
    age: int
    ethnicity: str
    political_status: str
    unit_name: str
    post_title: str
    leadership_level: str
    rank: str
    post_since: str
    ft_education: str
    id_card: str
    phone: str
    status: str
    version: int = 1  # the cadre's version as read; a status change passes it back
    # 年度考核结果 as kept from an imported 任免审批表; the roster screen shows the approved
    # results of the assessment instead where there are any (models.assessment)
    annual_results: str = ""


# key, header, the SQL expression to sort on (None: not sortable in SQL)
ROSTER_COLUMNS: list[tuple[str, str]] = [
    ("name", "姓名"),
    ("sex", "性别"),
    ("birth", "出生年月"),
    ("age", "年龄"),
    ("ethnicity", "民族"),
    ("political_status", "政治面貌"),
    ("unit_name", "单位"),
    ("post_title", "现任职务"),
    ("leadership_level", "领导职务层次"),
    ("rank", "职级"),
    ("post_since", "任现职时间"),
    ("ft_education", "全日制学历"),
    ("id_card", "身份证号"),
    ("phone", "联系电话"),
    ("status", "状态"),
    ("annual_results", "近三年考核"),
]


def unit_and_post(unit: str, post: str) -> str:
    """单位及职务 as one text without saying the unit twice: ('市教育局', '市教育局局长') →
    '市教育局局长'; ('白银区领导班子', '白银区委副书记') → '白银区委副书记'."""
    if not post:
        return unit
    if post.startswith(unit):
        return post
    stem = unit.removesuffix("领导班子")
    if stem != unit and stem and stem in post:
        return post
    return f"{unit}{post}"


def unit_path_key(text: str) -> str:
    """A unit name or path as written ("白银市 ／靖远县/ 乌兰镇") in the form the unit tree's
    paths take ("白银市/靖远县/乌兰镇"): full-width slashes and spaces around parts removed."""
    return "/".join(p.strip() for p in str(text).replace("／", "/").split("/") if p.strip())


def units_matching(paths: Mapping[int, str], text: str) -> list[int]:
    """The units (id → path) that a name or path means: the path itself, or any path that
    ends with it ("乌兰镇", "靖远县/乌兰镇"), as every command and import looks units up."""
    wanted = unit_path_key(text)
    return [uid for uid, p in paths.items() if p == wanted or p.endswith("/" + wanted)]
