"""Legacy 干部任免审批表 .lrm (2.0) files: read-only.

GB2312/GB18030 text; every field is in double quotes and fields are separated by ``","``
(DOMAIN 4.2). The photo is the sibling ``<same stem>.pic`` file, kept only when it is a
JPEG, PNG or BMP picture of at most 1 MB (else dropped with a warning naming the file).
Fields without a cadre attribute (拟任职务, 呈报单位...) go into ``extra`` under their .lrmx
tag names, so that an .lrm cadre exported as .lrmx keeps them.
"""

from __future__ import annotations

from pathlib import Path

from models.core.errors import DomainError
from models.core.workbook import read_file
from models.roster.intake.lrmx import MAX_LRMX_BYTES, photo_problem
from models.roster.intake.records import FamilyRow, ParsedRow, RowBuilder, RowIssue, SourceRef
from models.roster.intake.values import ValueProblem, clean_text, normalise_date

__all__ = ["MIN_LRM_FIELDS", "find_pic", "parse_lrm", "parse_lrm_bytes"]

MIN_LRM_FIELDS = 20
MAX_FAMILY_ROWS = 10  # 2.0 forms have room for 6; be lenient

# index -> attribute (plain fields)
_PLAIN: dict[int, str] = {
    0: "name",
    1: "sex",
    2: "birth_date",
    3: "ethnicity",
    4: "native_place",
    5: "party_date",
    6: "health",
    7: "birthplace",
    8: "work_start_date",
    11: "professional_title",
    16: "expertise",
    17: "resume",
    18: "rewards",
    19: "annual_results",
    25: "post_title",
}
# index -> .lrmx tag, for fields kept in extra
_EXTRA: dict[int, str] = {
    26: "NiRenZhiWu",
    27: "NiMianZhiWu",
    28: "RenMianLiYou",
    29: "ChengBaoDanWei",
    30: "JiSuanNianLingShiJian",
    31: "TianBiaoRen",
    32: "TianBiaoShiJian",
}
_FAMILY = (
    (20, "relation"),
    (21, "name"),
    (22, "birth_date"),
    (23, "political_status"),
    (24, "work"),
)
_FAMILY_LABELS = {
    "relation": "称谓",
    "name": "姓名",
    "birth_date": "出生日期",
    "political_status": "政治面貌",
    "work": "工作单位及职务",
}


def _split_fields(text: str) -> list[str]:
    body = text.strip().lstrip("\ufeff")
    if body.startswith('"'):
        body = body[1:]
    if body.endswith('"'):
        body = body[:-1]
    return body.split('","')


def _pairs(field_text: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """'全日制学历#全日制学位@在职学历#在职学位' -> ((学历, 学位), (学历, 学位))."""
    full, _, part = field_text.partition("@")

    def pair(text: str) -> tuple[str, str]:
        first, _, second = text.partition("#")
        return first, second

    return pair(full), pair(part)


def parse_lrm_bytes(
    data: bytes, file_name: str, photo: bytes | None = None, *, photo_name: str = ""
) -> ParsedRow:
    """Parse the bytes of one .lrm file; ``photo`` is the content of its .pic file (named
    ``photo_name``, by default ``<stem>.pic``)."""
    if len(data) > MAX_LRMX_BYTES:
        raise DomainError(f"“{file_name}”太大，不像任免审批表文件，已拒绝读取", record=file_name)
    if not data.strip():
        raise DomainError(f"“{file_name}”是空文件", record=file_name)
    if b"\x00" in data[:4096]:
        raise DomainError(
            f"“{file_name}”不是文本文件，不是任免审批表2.0（.lrm）文件", record=file_name
        )
    text = data.decode("gb18030", errors="replace")
    if not text.lstrip("\ufeff \r\n\t").startswith('"'):
        raise DomainError(
            f"“{file_name}”不是任免审批表2.0（.lrm）文件：应以双引号开头的字段组成",
            record=file_name,
        )
    fields = _split_fields(text)
    if len(fields) < MIN_LRM_FIELDS:
        raise DomainError(
            f"“{file_name}”只有{len(fields)}个字段，任免审批表2.0（.lrm）文件至少应有"
            f"{MIN_LRM_FIELDS}个，文件可能不完整",
            record=file_name,
        )

    def at(index: int) -> str:
        return fields[index] if index < len(fields) else ""

    builder = RowBuilder(SourceRef(file_name))
    extra: dict[str, str] = {}
    for index, attribute in _PLAIN.items():
        value = at(index)
        if attribute == "party_date" and value.strip():
            try:
                normalise_date(value)
            except ValueProblem:  # a 民主党派 name instead of a date: kept as written
                builder.raw[attribute] = value
                builder.values[attribute] = None
                extra["RuDangShiJian"] = value
                continue
        builder.add(attribute, value, column=f"第{index + 1}个字段")
    (ft_edu, ft_deg), (pt_edu, pt_deg) = _pairs(at(9))
    (ft_sch, ft_sch2), (pt_sch, pt_sch2) = _pairs(at(10))
    column = "第10个字段"
    builder.add("ft_education", ft_edu, column=column)
    builder.add("ft_degree", ft_deg, column=column)
    builder.add("pt_education", pt_edu, column=column)
    builder.add("pt_degree", pt_deg, column=column)
    column = "第11个字段"
    builder.add("ft_school", ft_sch or ft_sch2, column=column)
    builder.add("pt_school", pt_sch or pt_sch2, column=column)
    if ft_sch2 and ft_sch2 != builder.values.get("ft_school"):
        extra["QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi"] = ft_sch2
    if pt_sch2 and pt_sch2 != builder.values.get("pt_school"):
        extra["ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi"] = pt_sch2
    for index, tag in _EXTRA.items():
        if at(index).strip():
            extra[tag] = at(index)
    for index in range(12, 16):
        if at(index).strip():
            builder.raw[f"lrm_field_{index + 1}"] = at(index)
    builder.values["family"] = _family(fields, builder)
    builder.values["photo"] = _checked_photo(
        photo, photo_name or f"{Path(file_name).stem}.pic", builder
    )
    builder.values["extra"] = extra
    return builder.build()


def _checked_photo(photo: bytes | None, pic_name: str, builder: RowBuilder) -> bytes | None:
    if not photo:
        return None
    problem = photo_problem(photo)
    if problem is None:
        return photo
    if not problem.startswith("不是"):
        problem = "有 " + problem
    message = f"照片文件“{pic_name}”{problem}，已忽略"
    builder.issue(pic_name, "照片", f"{len(photo)} 字节", message, warning=True)
    return None


def _family(fields: list[str], builder: RowBuilder) -> list[FamilyRow]:
    columns = {
        attribute: (fields[index].split("@") if index < len(fields) else [])
        for index, attribute in _FAMILY
    }
    count = min(max((len(v) for v in columns.values()), default=0), MAX_FAMILY_ROWS)
    rows: list[FamilyRow] = []
    for number in range(count):
        values: dict[str, object] = {}
        for index, attribute in _FAMILY:
            parts = columns[attribute]
            text = parts[number] if number < len(parts) else ""
            if attribute == "birth_date":
                try:
                    values[attribute] = normalise_date(text)
                except ValueProblem as problem:
                    builder.issue(
                        f"第{index + 1}个字段",
                        f"家庭成员第{number + 1}行{_FAMILY_LABELS[attribute]}",
                        text,
                        problem.message,
                    )
                    values[attribute] = None
            else:
                values[attribute] = clean_text(text)
        if any(v is not None for v in values.values()):
            rows.append(FamilyRow(**values))  # type: ignore[arg-type]
    return rows


def find_pic(path: Path) -> Path | None:
    """The sibling photo of an .lrm file: same stem, extension .pic in any case."""
    wanted = (path.stem + ".pic").lower()
    for candidate in path.parent.iterdir():
        if candidate.name.lower() == wanted and candidate.is_file():
            return candidate
    return None


def parse_lrm(path: Path) -> ParsedRow:
    """Parse an .lrm file from disk with the photo from its sibling .pic (if any); a
    missing .pic gives a warning on the row."""
    path = Path(path)
    data = read_file(path)
    pic = find_pic(path)
    photo = read_file(pic) if pic is not None else None
    row = parse_lrm_bytes(
        data, path.name, photo if photo else None, photo_name=pic.name if pic else ""
    )
    if pic is None:
        message = f"没有找到照片文件“{path.stem}.pic”，照片为空"
        row.issues.append(RowIssue(path.name, None, "", "照片", "", message, warning=True))
    return row
