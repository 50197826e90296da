"""Value normalisers for roster intake: dates, 身份证号, 性别 and free text.

Every normaliser takes what a cell or an XML element held (text, a number, a date) and
returns the normalised value, or raises :class:`ValueProblem` with a Chinese message that
says what is wrong with the value. Warnings (the value was usable but changed in a way the
user should know about) are appended to an optional ``warnings`` list.

What is never stored is recognised here too: Excel error values (:func:`excel_error`),
invisible format characters (removed) and control characters (refused) (:func:`screen_text`).

Pure functions: no database, no Qt.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

from models.roster.idcard import check_char, upgrade15

__all__ = [
    "EXCEL_ERRORS",
    "INVISIBLE",
    "ValueProblem",
    "check_char",
    "clean_multiline",
    "clean_name",
    "clean_text",
    "display_raw",
    "excel_error",
    "screen_text",
    "shorten",
    "split_education_degree",
    "unescape_ooxml",
    "normalise_date",
    "normalise_id_card",
    "normalise_sex",
    "to_halfwidth",
]


class ValueProblem(ValueError):
    """A cell value that cannot be used; ``message`` is Chinese and shown to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- text -------------------------------------------------------------------------------

# --- what is never stored: Excel error values, invisible and control characters ------------

EXCEL_ERRORS: dict[str, str] = {
    "#N/A": "找不到公式要查找的值",
    "#REF!": "公式引用失效",
    "#VALUE!": "公式中的值类型不对",
    "#DIV/0!": "公式除以零",
    "#NAME?": "公式中有无法识别的名称",
    "#NULL!": "公式引用的区域没有交集",
    "#NUM!": "公式中的数值无效",
    "#GETTING_DATA": "外部数据尚未取回",
    "#SPILL!": "公式结果要填入的单元格已被占用",
    "#CALC!": "公式计算出错",
    "#FIELD!": "公式引用的字段不存在",
    "#BLOCKED!": "公式所需的外部内容被阻止",
    "#CONNECT!": "公式无法连接外部数据",
    "#BUSY!": "公式仍在计算",
    "#UNKNOWN!": "公式使用了此版本Excel不支持的数据类型",
}
"""Excel's error values and what each means, for the message that names it."""

INVISIBLE = (
    "\u00ad"  # soft hyphen
    "\u034f"  # combining grapheme joiner
    "\u180e"  # Mongolian vowel separator (formerly a space)
    "\u200b\u200c\u200d"  # zero-width space, non-joiner, joiner
    "\u200e\u200f"  # left-to-right / right-to-left mark
    "\u202a\u202b\u202c\u202d\u202e"  # bidi embeddings and overrides
    "\u2060\u2061\u2062\u2063\u2064"  # word joiner, invisible operators
    "\u2066\u2067\u2068\u2069"  # bidi isolates
    "\ufeff"  # byte order mark / zero-width no-break space
)
"""Format characters that show nothing and are removed from every text value (they make
"张\u200e三" a second 张三 that looks identical)."""

_ZERO_WIDTH = {
    **dict.fromkeys(map(ord, INVISIBLE), None),
    0x2028: "\n",  # line separator
    0x2029: "\n",  # paragraph separator
}
_SUSPECT = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffd\ufffe\uffff" + INVISIBLE + "]"
)
_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\ufffe\uffff]")
_OOXML_CONTROL = re.compile(r"_x(00[01][0-9A-Fa-f])_")


def excel_error(value: object, *, typed: bool = False) -> str | None:
    """The Chinese message for a cell that holds an Excel error value (``#REF!``...), or
    None. ``typed``: the workbook marks the cell as an error cell (any ``#`` code then)."""
    if not isinstance(value, str) or "#" not in value:
        return None
    code = value.strip().upper()
    reason = EXCEL_ERRORS.get(code)
    if reason is not None:
        return f"单元格是 Excel 错误值 {code}（{reason}），请在原表中改正"
    if typed and code.startswith("#"):
        return f"单元格是 Excel 错误值 {shorten(code, 20)}，请在原表中改正"
    return None


def unescape_ooxml(text: str) -> str:
    """Control characters as .xlsx files escape them (``_x000D_`` for a carriage return),
    which openpyxl leaves as written: back to the characters, so a line break is a line
    break and a real control character is refused by :func:`screen_text`."""
    if "_x" not in text:
        return text
    return _OOXML_CONTROL.sub(lambda m: chr(int(m.group(1), 16)), text)


def _code_point(char: str) -> str:
    return f"U+{ord(char):04X}"


def screen_text(text: str) -> tuple[str, list[str]]:
    """``text`` without the invisible format characters of :data:`INVISIBLE`, and the code
    points removed (``["U+200E"]``, each once, in order). Tab and line breaks are kept for
    the normalisers. Raises :class:`ValueProblem` naming the code point for any other
    control character and for U+FFFD (what a wrongly decoded byte becomes)."""
    if _SUSPECT.search(text) is None:
        return text, []
    bad = _REFUSED.search(text)
    if bad is not None:
        char = bad.group()
        if char == "\ufffd":
            raise ValueProblem(
                "含有无法识别的字符 U+FFFD（文件的文字编码有误或已损坏），请检查原文件"
            )
        raise ValueProblem(
            f"含有控制字符 {_code_point(char)}（第{bad.start() + 1}个字符），请在原表中删除该字符"
        )
    removed = list(dict.fromkeys(_code_point(c) for c in text if c in INVISIBLE))
    return text.translate(_ZERO_WIDTH), removed


def shorten(text: str, limit: int = 100) -> str:
    """``text`` cut to ``limit`` characters for messages and the error workbook."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…（共{len(text)}个字）"


_SPACES = re.compile(r"[ \t\u00a0\u3000\u2002\u2003\u2009]+")
_CJK = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff·•．.\s]+$")


_HALFWIDTH = {0x3000: 0x20, **{code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}}


def to_halfwidth(text: str) -> str:
    """Full-width ASCII (０-９, Ａ-Ｚ, ．, －, ／, full-width space) to half-width."""
    return text.translate(_HALFWIDTH)


def _number_text(value: float | int) -> str:
    """A number as a person would have typed it: 13800138000.0 -> '13800138000'."""
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(value, ".15g")
    return str(value)


def display_raw(value: object) -> str:
    """The original cell value as text, for ``ParsedRow.raw`` and error messages."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return _number_text(value)
    return str(value)


def _as_text(value: object) -> str:
    if isinstance(value, str):
        return value
    return display_raw(value)


def clean_text(value: object) -> str | None:
    """One-line text: NFC (never NFKC: names keep their characters), no invisible format
    characters (:data:`INVISIBLE`), runs of (full-width) spaces and line breaks collapsed to
    one space, trimmed. Empty -> None."""
    text = unicodedata.normalize("NFC", _as_text(value)).translate(_ZERO_WIDTH)
    if "\r" in text or "\n" in text:
        text = text.replace("\r", " ").replace("\n", " ")
    text = _SPACES.sub(" ", text).strip()
    return text or None


def clean_name(value: object) -> str | None:
    """A person's name: like :func:`clean_text`, and the spaces people put inside Chinese
    names to line them up (``张  三``, ``张　三``) are removed."""
    text = clean_text(value)
    if text is None:
        return None
    if _CJK.match(text):
        text = text.replace(" ", "")
    return text


def clean_multiline(value: object) -> str | None:
    """Multi-line text (简历, 奖惩情况): line breaks kept (``\\r\\n`` -> ``\\n``), each line
    trimmed on the right, blank lines at both ends dropped. Empty -> None."""
    text = unicodedata.normalize("NFC", _as_text(value)).translate(_ZERO_WIDTH)
    lines = [line.rstrip(" \t\u3000") for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines) or None


# --- sex --------------------------------------------------------------------------------

_SEX = {"男": "男", "男性": "男", "1": "男", "女": "女", "女性": "女", "2": "女"}


def normalise_sex(value: object) -> str | None:
    """'男'/'女' from 男, 女, 男性, 女性, or the GB/T 2261.1 codes 1 and 2."""
    text = clean_text(value)
    if text is None:
        return None
    text = to_halfwidth(text).replace(" ", "")
    if text.endswith(".0"):
        text = text[:-2]
    sex = _SEX.get(text)
    if sex is None:
        raise ValueProblem(f"性别“{text}”无法识别，应为“男”或“女”（或代码1、2）")
    return sex


# --- dates ------------------------------------------------------------------------------

_EXCEL_EPOCH = dt.date(1899, 12, 30)  # the 1900 date system, serials above 60
_MIN_YEAR, _MAX_YEAR = 1900, 2100
_DATE_SEP = re.compile(r"(\d{4})\s*[.\-/年]\s*(\d{1,2})\s*(?:[.\-/月]\s*(?:(\d{1,2})\s*日?)?)?")
_TIME_SUFFIX = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


def _make_date(year: int, month: int, day: int, text: str) -> dt.date:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise ValueProblem(f"日期“{text}”的年份{year}不在{_MIN_YEAR}到{_MAX_YEAR}之间")
    if not 1 <= month <= 12:
        raise ValueProblem(f"日期“{text}”的月份{month}不在1到12之间")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueProblem(f"日期“{text}”不存在（{year}年{month}月没有{day}日）") from None


def _from_serial(serial: float, text: str) -> dt.date:
    whole = int(serial)
    if whole < 61:  # Excel's fictitious 1900-02-29 sits at 60; nobody here was born then
        raise ValueProblem(f"日期“{text}”像Excel日期序号，但对应1900年初，无法使用")
    day = _EXCEL_EPOCH + dt.timedelta(days=whole)
    return _make_date(day.year, day.month, day.day, text)


def _from_digits(digits: str, text: str) -> dt.date:
    if len(digits) == 6:
        return _make_date(int(digits[:4]), int(digits[4:]), 1, text)
    if len(digits) == 8:
        return _make_date(int(digits[:4]), int(digits[4:6]), int(digits[6:]), text)
    if len(digits) == 4:
        raise ValueProblem(f"日期“{text}”只有年份，缺少月份，应写成如 1975.03")
    if len(digits) == 5:
        return _from_serial(int(digits), text)
    raise ValueProblem(f"日期“{text}”无法识别，应写成如 1975.03 或 1975-03-01")


def _from_number(value: float | int, number_format: str | None) -> dt.date:
    text = _number_text(value)
    if isinstance(value, float) and not value.is_integer():
        if _MIN_YEAR <= value < _MAX_YEAR + 1:
            # 1975.03 typed into a number cell. Excel keeps 1975.10 as 1975.1, so one
            # decimal "1" is 1月 or 10月 unless the cell shows two decimals.
            decimals = _shown_decimals(number_format)
            if decimals >= 2:
                text = f"{value:.2f}"
            elif re.fullmatch(r"\d{4}\.1", text):
                raise ValueProblem(
                    f"日期“{text}”是数字格式，无法判断是1月还是10月；"
                    "请把该列设为文本，写成如 1975.01 或 1975.10"
                )
            year_text, month_text = text.split(".")
            return _make_date(int(year_text), int(month_text), 1, text)
        if re.fullmatch(r"\d{4}\.(0?[1-9]|1[0-2])", text):
            # a year.month out of range (1875.03), not an Excel serial with a time of day
            year_text, month_text = text.split(".")
            return _make_date(int(year_text), int(month_text), 1, text)
        if 61 <= value < 73051:
            return _from_serial(value, text)
        raise ValueProblem(f"日期“{text}”无法识别，应写成如 1975.03 或 1975-03-01")
    return _from_digits(str(int(value)), text)


def _shown_decimals(number_format: str | None) -> int:
    if not number_format:
        return 0
    match = re.search(r"\.(0+)", number_format)
    return len(match.group(1)) if match else 0


def normalise_date(value: object, *, number_format: str | None = None) -> dt.date | None:
    """A date from any of the shapes seen in rosters and LRMX files.

    Text: ``1975.03``, ``1975.3``, ``1975.03.01``, ``1975-03-01``, ``1975/3``, ``197503``,
    ``19750301``, ``1975年3月``, ``1975年3月1日`` (full-width digits too), a 5-digit Excel
    serial. Cells: ``date``/``datetime``, Excel serial numbers, numbers like 197503 or
    1975.03 (``number_format`` tells whether Excel shows 1975.10 or 1975.1). Year-month
    values get day 1. Empty -> None.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return _make_date(value.year, value.month, value.day, display_raw(value))
    if isinstance(value, dt.date):
        return _make_date(value.year, value.month, value.day, value.isoformat())
    if isinstance(value, dt.time):
        raise ValueProblem(f"单元格里是时间“{value.isoformat()}”，不是日期")
    if isinstance(value, bool):
        raise ValueProblem(f"日期“{display_raw(value)}”无法识别")
    if isinstance(value, int | float):
        return _from_number(value, number_format)
    text = clean_text(value)
    if text is None:
        return None
    text = to_halfwidth(text).strip()
    plain = _TIME_SUFFIX.sub("", text).strip()
    if plain.isdigit():
        return _from_digits(plain, text)
    match = _DATE_SEP.fullmatch(plain)
    if match is None:
        raise ValueProblem(f"日期“{text}”无法识别，应写成如 1975.03 或 1975-03-01")
    year, month, day = match.group(1), match.group(2), match.group(3)
    return _make_date(int(year), int(month), int(day) if day else 1, text)


# --- 身份证号 ---------------------------------------------------------------------------

_SCIENTIFIC = re.compile(r"[+-]?\d+(\.\d+)?[eE][+-]?\d+")
_ID18 = re.compile(r"\d{17}[\dX]")
_LOST = (
    "身份证号“{shown}”是以数字形式保存的，Excel只保留15位有效数字，末尾几位已经丢失，"
    "无法还原；请把该列设为文本格式后重新录入"
)


def _looks_truncated(digits: str) -> bool:
    """18 digits ending in 000 whose check digit does not fit: what Excel leaves of an ID
    it stored as a number (it keeps 15 significant digits and zeroes the rest)."""
    return digits.endswith("000") and check_char(digits[:17]) != digits[17]


def normalise_id_card(value: object, warnings: list[str] | None = None) -> str | None:
    """An 18-character 身份证号 from text or a spreadsheet number.

    Spaces (also inside and full-width) are removed, full-width digits and a lower-case x
    are converted, a 15-digit number is upgraded to 18 digits (with a warning). A number
    that Excel stored with lost digits (a float of 16+ digits, scientific notation, or 18
    digits ending 000 with a wrong check digit) raises :class:`ValueProblem`; it is never
    guessed. The check digit itself is left to the roster validation.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueProblem(f"身份证号“{display_raw(value)}”无法识别")
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise ValueProblem(f"身份证号“{display_raw(value)}”是带小数的数字，无法识别")
        if abs(value) >= 1e15:
            raise ValueProblem(_LOST.format(shown=format(value, ".15g").upper()))
        value = int(value)
    if isinstance(value, int):
        digits = str(value)
        if len(digits) == 18 and _looks_truncated(digits):
            raise ValueProblem(_LOST.format(shown=digits))
        text = digits
    else:
        text = clean_text(value)
        if text is None:
            return None
        text = to_halfwidth(text).replace(" ", "").lstrip("'").upper()
        if _SCIENTIFIC.fullmatch(text):
            raise ValueProblem(_LOST.format(shown=text))
    if len(text) == 15 and text.isdigit():
        upgraded = upgrade15(text)
        if warnings is not None:
            warnings.append(f"15位旧身份证号“{text}”已按国家标准升级为18位“{upgraded}”")
        return upgraded
    if len(text) != 18:
        raise ValueProblem(f"身份证号“{text}”有{len(text)}位，应为18位")
    if not _ID18.fullmatch(text):
        raise ValueProblem(f"身份证号“{text}”应为17位数字加1位数字或X")
    if _looks_truncated(text):
        raise ValueProblem(
            f"身份证号“{text}”末三位是000且校验码不符，像是Excel按数字保存后丢失了末尾数字；"
            "请核对原始号码"
        )
    return text


# --- combined 学历学位 cells ---------------------------------------------------------------

_EDUCATION_PREFIX = re.compile(
    r"(?:(?:中央|省委|市委|县委|省|市|县|区委)?党校)?"
    r"(?:博士研究生|硕士研究生|在职研究生|研究生|大学本科|大学专科|大学普通班|大学|本科|"
    r"大专|专科|中等专科|中专|中技|技工学校|技校|高中|职高|初中|小学)"
    r"(?:毕业|肄业|结业)?"
)
_DEGREE_END = re.compile(r"(?:学士|硕士|博士)(?:学位)?$")
_PART_SEPARATORS = re.compile(r"[\s\u3000/／、,，;；|]+")


def split_education_degree(value: object) -> tuple[str | None, str | None]:
    """Split a combined 学历学位 cell into (学历, 学位), as 名册 write them.

    ``"大学 经济学学士"`` -> ``("大学", "经济学学士")``; ``"大学本科经济学学士"`` ->
    ``("大学本科", "经济学学士")``; ``"研究生\\n法学硕士"`` -> ``("研究生", "法学硕士")``;
    ``"硕士研究生"`` -> ``("硕士研究生", None)``; ``"法学硕士"`` -> ``(None, "法学硕士")``.
    Text that is neither is returned whole as the 学历 (the pick-list check then names it).
    Nothing is validated here; empty gives ``(None, None)``. Pure function.
    """
    if value is None:
        return None, None
    text = _as_text(value).strip()
    if not text.strip(" \t\r\n\u3000" + INVISIBLE):
        return None, None
    parts = [p for p in _PART_SEPARATORS.split(text) if p]
    if len(parts) >= 2:
        return parts[0], "".join(parts[1:])
    text = parts[0] if parts else text
    prefix = _EDUCATION_PREFIX.match(text)
    if prefix and prefix.end() < len(text):
        rest = text[prefix.end() :]
        if _DEGREE_END.search(rest):
            return text[: prefix.end()], rest
    if _DEGREE_END.search(text) and not (prefix and prefix.end() == len(text)):
        return None, text
    return text, None
