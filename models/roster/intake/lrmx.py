"""干部任免审批表 .lrmx (3.x) files: hardened parsing and export.

The file is XML with root ``<Person>`` and flat pinyin-named children (shared/DOMAIN.md
§4.3). Parsing goes through defusedxml with DTDs forbidden, so entity bombs and external
entities are refused before anything is expanded; files over :data:`MAX_LRMX_BYTES` are
refused unread.

Mapping onto the cadre record: the tags with a cadre attribute fill ``values``; the
approval-form tags that have none (拟任职务, 呈报单位, 填表人...) and any unknown tag go into
``values["extra"]`` (tag -> text) so that :func:`write_lrmx` writes them back. ``Version`` is
not kept: export writes its own (default :data:`DEFAULT_VERSION`). An element that was empty
in the file is written back empty, never filled from another field.

The photo (``ZhaoPian``, base64) is kept only when it decodes to a JPEG, PNG or BMP image of
at most :data:`MAX_PHOTO_BYTES`; anything else is dropped with a warning naming the reason.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden
from defusedxml.ElementTree import fromstring as defused_fromstring

from models.core.errors import DomainError
from models.roster.intake.records import FamilyRow, ParsedRow, RowBuilder, SourceRef
from models.roster.intake.values import ValueProblem, clean_text, normalise_date

__all__ = [
    "DEFAULT_VERSION",
    "FAMILY_TAGS",
    "MAX_LRMX_BYTES",
    "MAX_PHOTO_BYTES",
    "TEMPLATE_ORDER",
    "parse_lrmx",
    "photo_problem",
    "write_lrmx",
]

MAX_LRMX_BYTES = 20 * 1024 * 1024
MAX_PHOTO_BYTES = 1024 * 1024
# magic numbers of the picture formats a 任免审批表 photo may have
_PHOTO_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"BM")
DEFAULT_VERSION = "3.2.1.16"
MAX_FAMILY_ROWS = 20

# tag -> cadre attribute, for the tags that have one
TAG_ATTRIBUTES: dict[str, str] = {
    "XingMing": "name",
    "XingBie": "sex",
    "ChuShengNianYue": "birth_date",
    "MinZu": "ethnicity",
    "JiGuan": "native_place",
    "ChuShengDi": "birthplace",
    "RuDangShiJian": "party_date",
    "CanJiaGongZuoShiJian": "work_start_date",
    "JianKangZhuangKuang": "health",
    "ZhuanYeJiShuZhiWu": "professional_title",
    "ShuXiZhuanYeYouHeZhuanChang": "expertise",
    "QuanRiZhiJiaoYu_XueLi": "ft_education",
    "QuanRiZhiJiaoYu_XueWei": "ft_degree",
    "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": "ft_school",
    "ZaiZhiJiaoYu_XueLi": "pt_education",
    "ZaiZhiJiaoYu_XueWei": "pt_degree",
    "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": "pt_school",
    "XianRenZhiWu": "post_title",
    "ZhengZhiMianMao": "political_status",  # person-level 政治面貌 (not in the owip template)
    "JianLi": "resume",
    "JiangChengQingKuang": "rewards",
    "NianDuKaoHeJieGuo": "annual_results",
    "ShenFenZheng": "id_card",
}

# The owip rm.xml element order (DOMAIN 4.3).
TEMPLATE_ORDER: tuple[str, ...] = (
    "XingMing",
    "XingBie",
    "ChuShengNianYue",
    "MinZu",
    "JiGuan",
    "ChuShengDi",
    "RuDangShiJian",
    "CanJiaGongZuoShiJian",
    "JianKangZhuangKuang",
    "ZhuanYeJiShuZhiWu",
    "ShuXiZhuanYeYouHeZhuanChang",
    "QuanRiZhiJiaoYu_XueLi",
    "QuanRiZhiJiaoYu_XueWei",
    "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi",
    "QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi",
    "ZaiZhiJiaoYu_XueLi",
    "ZaiZhiJiaoYu_XueWei",
    "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi",
    "ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi",
    "XianRenZhiWu",
    "NiRenZhiWu",
    "NiMianZhiWu",
    "JianLi",
    "JiangChengQingKuang",
    "NianDuKaoHeJieGuo",
    "RenMianLiYou",
    "JiaTingChengYuan",
    "ChengBaoDanWei",
    "JiSuanNianLingShiJian",
    "TianBiaoShiJian",
    "TianBiaoRen",
    "ShenFenZheng",
    "ZhaoPian",
    "Version",
)

# the 学位 school columns: kept in extra only when they differ from the 学历 school
DEGREE_SCHOOL = {
    "QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": ("ft_school", "ft_degree"),
    "ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": ("pt_school", "pt_degree"),
}
# the 学历 school element of each school attribute
DEGREE_SCHOOL_OF = {
    "ft_school": "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi",
    "pt_school": "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi",
}
FULL_DATE_TAGS = ("JiSuanNianLingShiJian", "TianBiaoShiJian")
FAMILY_TAGS: tuple[tuple[str, str], ...] = (
    ("ChengWei", "relation"),
    ("XingMing", "name"),
    ("ChuShengRiQi", "birth_date"),
    ("ZhengZhiMianMao", "political_status"),
    ("GongZuoDanWeiJiZhiWu", "work"),
)
_FAMILY_LABELS = {
    "relation": "称谓",
    "name": "姓名",
    "birth_date": "出生日期",
    "political_status": "政治面貌",
    "work": "工作单位及职务",
}
_DECLARED = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9_\-]+)[\"'][^>]*\?>")


def _decode_foreign(data: bytes) -> bytes | str:
    """expat knows UTF-8/16 and Latin-1 only; a file declared GB2312/GBK is decoded here."""
    match = _DECLARED.match(data.lstrip(b"\xef\xbb\xbf"))
    if match and match.group(1).lower() in (b"gb2312", b"gbk", b"gb18030"):
        text = data.decode("gb18030")
        return text[match.end() :] if not text.startswith("\ufeff") else text[match.end() + 1 :]
    return data


def _element_text(element: ET.Element | None) -> str:
    if element is None:
        return ""
    return "".join(element.itertext())


def _refuse(file_name: str, why: str) -> DomainError:
    return DomainError(f"“{file_name}”{why}，已拒绝读取", record=file_name)


def _parse_xml(data: bytes, file_name: str) -> ET.Element:
    if len(data) > MAX_LRMX_BYTES:
        raise _refuse(
            file_name,
            f"有{len(data) / 1024 / 1024:.1f} MB，超过任免审批表文件的上限"
            f"{MAX_LRMX_BYTES // 1024 // 1024} MB",
        )
    if not data.strip():
        raise DomainError(f"“{file_name}”是空文件", record=file_name)
    try:
        root = defused_fromstring(
            _decode_foreign(data), forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DTDForbidden:
        raise _refuse(file_name, "含有DTD声明（可能是“XML炸弹”或外部实体攻击）") from None
    except EntitiesForbidden:
        raise _refuse(file_name, "含有实体定义（可能是“XML炸弹”）") from None
    except DefusedXmlException:  # external references, and anything else defusedxml forbids
        raise _refuse(file_name, "引用了外部实体或外部文件") from None
    except ET.ParseError as exc:
        line, column = exc.position
        raise DomainError(
            f"“{file_name}”不是完整的XML（第{line}行第{column + 1}列出错），文件可能已损坏",
            record=file_name,
        ) from None
    except UnicodeDecodeError as exc:
        raise DomainError(
            f"“{file_name}”的文字编码无法识别（第{exc.start}字节附近无法解码），文件可能已损坏",
            record=file_name,
        ) from None
    except (LookupError, ValueError):  # an encoding expat does not know, or cannot switch to
        raise DomainError(
            f"“{file_name}”声明的文字编码无法识别，文件可能已损坏", record=file_name
        ) from None
    if root.tag != "Person":
        raise DomainError(
            f"“{file_name}”不是任免审批表文件：根元素是<{root.tag}>，应为<Person>",
            record=file_name,
        )
    return root


def _parse_family(container: ET.Element, builder: RowBuilder) -> list[FamilyRow]:
    rows: list[FamilyRow] = []
    for number, item in enumerate(container.findall("Item"), start=1):
        fields: dict[str, Any] = {}
        for tag, attribute in FAMILY_TAGS:
            text = _element_text(item.find(tag))
            if attribute == "birth_date":
                try:
                    fields[attribute] = normalise_date(text)
                except ValueProblem as problem:
                    builder.issue(
                        f"JiaTingChengYuan/Item[{number}]/{tag}",
                        f"家庭成员第{number}行{_FAMILY_LABELS[attribute]}",
                        text,
                        problem.message,
                    )
                    fields[attribute] = None
            else:
                fields[attribute] = clean_text(text)
        if any(v is not None for v in fields.values()):
            rows.append(FamilyRow(**fields))
    return rows


def parse_lrmx(data: bytes, file_name: str) -> ParsedRow:
    """Parse one .lrmx file into a ParsedRow (``values`` has every cadre attribute the
    format carries, plus ``family``, ``photo`` and ``extra``). Raises DomainError naming
    the file when it is refused (DTD, entities, oversized) or not a 任免审批表 file."""
    root = _parse_xml(data, file_name)
    builder = RowBuilder(SourceRef(file_name))
    for attribute in TAG_ATTRIBUTES.values():
        builder.values[attribute] = None
    family: list[FamilyRow] = []
    photo: bytes | None = None
    extra: dict[str, str] = {}
    degree_schools: dict[str, str] = {}
    for child in root:
        tag = child.tag if isinstance(child.tag, str) else ""
        text = _element_text(child)
        if tag in TAG_ATTRIBUTES:
            attribute = TAG_ATTRIBUTES[tag]
            if attribute == "party_date" and text.strip():
                # RuDangShiJian may hold a 民主党派 name instead of (or after) a date
                try:
                    normalise_date(text)
                except ValueProblem:
                    builder.raw[attribute] = text
                    extra[tag] = text
                    continue
            builder.add(attribute, text, column=tag)
        elif tag == "JiaTingChengYuan":
            family.extend(_parse_family(child, builder))
        elif tag == "ZhaoPian":
            photo = _decode_photo(text, builder)
        elif tag == "Version" or not tag:
            continue
        elif tag in DEGREE_SCHOOL:
            degree_schools[tag] = clean_text(text) or ""
        else:
            if len(child):
                builder.issue(
                    tag,
                    tag,
                    "",
                    f"未知元素<{tag}>含有子元素，导出时只保留其文字内容",
                    warning=True,
                )
            if tag in TEMPLATE_ORDER and not text.strip():
                continue
            extra[tag] = text
    for tag, school in degree_schools.items():
        school_attr, degree_attr = DEGREE_SCHOOL[tag]
        if not builder.values.get(school_attr) and school:
            # the roster keeps one school: take the 学位 one; the empty 学历 element stays empty
            builder.values[school_attr] = school
            extra[DEGREE_SCHOOL_OF[school_attr]] = ""
            extra[tag] = school  # as written, so a later change of the school is seen
            continue
        expected = builder.values.get(school_attr) if builder.values.get(degree_attr) else None
        if school != (expected or ""):
            extra[tag] = school  # also "" when the file left it empty: export keeps it empty
    if len(family) > MAX_FAMILY_ROWS:
        builder.issue(
            "JiaTingChengYuan",
            "家庭成员",
            str(len(family)),
            f"家庭成员有{len(family)}行，超过{MAX_FAMILY_ROWS}行",
            warning=True,
        )
    builder.values["family"] = family
    builder.values["photo"] = photo
    builder.values["extra"] = extra
    return builder.build()


def photo_problem(data: bytes) -> str | None:
    """Why ``data`` cannot be a cadre's photo ("不是 JPEG/PNG/BMP 图片", "14.2 MB，超过 1 MB"),
    or None when it is a JPEG, PNG or BMP picture of at most :data:`MAX_PHOTO_BYTES`."""
    if not data.startswith(_PHOTO_MAGIC):
        return "不是 JPEG/PNG/BMP 图片"
    if len(data) > MAX_PHOTO_BYTES:
        return f"{len(data) / 1024 / 1024:.1f} MB，超过 {MAX_PHOTO_BYTES // 1024 // 1024} MB"
    return None


def _decode_photo(text: str, builder: RowBuilder) -> bytes | None:
    compact = "".join(text.split())
    if not compact:
        return None
    shown = compact[:20] + ("…" if len(compact) > 20 else "")
    try:
        data = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        message = "照片不是有效的base64编码，已忽略"
        builder.issue("ZhaoPian", "照片", shown, message, warning=True)
        return None
    problem = photo_problem(data)
    if problem is not None:
        message = f"照片{'' if problem.startswith('不是') else '解码后 '}{problem}，已忽略"
        builder.issue("ZhaoPian", "照片", shown, message, warning=True)
        return None
    return data


# --- export -----------------------------------------------------------------------------------


def _month(value: object) -> str:
    if isinstance(value, dt.date):
        return f"{value.year:04d}{value.month:02d}"
    return "" if value is None else str(value)


def _full_date(value: object) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%Y%m%d")
    text = "" if value is None else str(value)
    try:
        parsed = normalise_date(text)
    except ValueProblem:
        return text
    return parsed.strftime("%Y%m%d") if parsed else text


def _text_of(value: object) -> str:
    return "" if value is None else str(value)


def _degree_school(record: Mapping[str, object], extra: Mapping[str, object], attr: str) -> object:
    """What the 学位 school element of ``attr`` (ft_school/pt_school) is written as."""
    for tag, (school_attr, degree_attr) in DEGREE_SCHOOL.items():
        if school_attr == attr:
            default = record.get(school_attr) if record.get(degree_attr) else None
            return extra.get(tag, default)
    return None


def write_lrmx(
    record: Mapping[str, object],
    *,
    version: str = DEFAULT_VERSION,
    computed_at: dt.date | None = None,
    filled_at: dt.date | None = None,
) -> bytes:
    """An .lrmx file (UTF-8 bytes) for one cadre, elements in the owip template's order.

    ``record`` has the ParsedRow.values shape (attribute -> value, ``family``, ``photo``,
    ``extra``). Dates are written YYYYMM; 计算年龄时间/填表时间 YYYYMMDD (``computed_at`` /
    ``filled_at`` win over the values kept in ``extra``). Unknown tags in ``extra`` follow
    the template elements, before ``Version``.
    """
    extra: Mapping[str, object] = record.get("extra") or {}  # type: ignore[assignment]
    if not isinstance(extra, Mapping):
        raise TypeError("record['extra'] must be a mapping")
    by_tag = TAG_ATTRIBUTES
    root = ET.Element("Person")

    def add(tag: str, text: str) -> None:
        ET.SubElement(root, tag).text = text

    for tag in TEMPLATE_ORDER:
        if tag == "Version":
            break
        if tag == "JiaTingChengYuan":
            _write_family(root, record.get("family") or [])
            continue
        if tag == "ZhaoPian":
            photo = record.get("photo")
            add(tag, base64.b64encode(photo).decode("ascii") if isinstance(photo, bytes) else "")
            continue
        if tag in FULL_DATE_TAGS:
            explicit = computed_at if tag == "JiSuanNianLingShiJian" else filled_at
            add(tag, _full_date(explicit if explicit is not None else extra.get(tag)))
            continue
        if tag in DEGREE_SCHOOL:
            add(tag, _text_of(_degree_school(record, extra, DEGREE_SCHOOL[tag][0])))
            continue
        attribute = by_tag.get(tag)
        if attribute is None:
            add(tag, _text_of(extra.get(tag)))
            continue
        value = record.get(attribute)
        if attribute == "party_date" and value is None and tag in extra:
            add(tag, _text_of(extra[tag]))
        elif tag in DEGREE_SCHOOL_OF.values() and extra.get(tag) == "" and value is not None:
            # empty in the source, the school taken from the 学位 element: empty again,
            # unless the school was changed since
            add(tag, "" if value == _degree_school(record, extra, attribute) else _text_of(value))
        elif isinstance(value, dt.date):
            add(tag, _month(value))
        else:
            add(tag, _text_of(value))
    # after the template, where files that carry it have it; older imports kept it in extra
    political = record.get("political_status") or extra.get("ZhengZhiMianMao")
    if political:
        add("ZhengZhiMianMao", _text_of(political))
    for tag, value in extra.items():
        if tag not in TEMPLATE_ORDER and tag not in TAG_ATTRIBUTES:
            add(tag, _text_of(value))
    add("Version", version)
    ET.indent(root, space="  ")
    # empty elements as <MinZu></MinZu>, the way the official template writes them
    body = ET.tostring(root, encoding="unicode", short_empty_elements=False)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def _write_family(root: ET.Element, family: object) -> None:
    container = ET.SubElement(root, "JiaTingChengYuan")
    for member in family:  # type: ignore[attr-defined]
        item = ET.SubElement(container, "Item")
        for tag, attribute in FAMILY_TAGS:
            value = getattr(member, attribute, None)
            text = _month(value) if isinstance(value, dt.date) else _text_of(value)
            ET.SubElement(item, tag).text = text
