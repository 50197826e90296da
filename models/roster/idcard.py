"""公民身份号码 (GB 11643-1999) checks: length, digits, real date, ISO 7064 MOD 11-2.

Pure functions, no database. Messages are Chinese and say what is wrong.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"

_FULLWIDTH = str.maketrans("０１２３４５６７８９ｘＸ", "0123456789xX")


class IdCardError(ValueError):
    """The number is not a valid 身份证号; ``str(err)`` is the Chinese reason."""


@dataclass(frozen=True)
class IdCardInfo:
    number: str  # 18 characters, upper-case X
    birth_date: dt.date
    sex: str  # '男' or '女'
    region_code: str  # 6-digit 地址码
    upgraded: bool  # True when a 15-digit number was upgraded to 18


def check_char(first17: str) -> str:
    """The MOD 11-2 check character for the first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def clean(text: str) -> str:
    """Strip spaces (also full-width) and turn full-width digits into ASCII; x stays as typed."""
    return "".join(text.translate(_FULLWIDTH).split()).replace("\u3000", "")


def upgrade15(number15: str) -> str:
    """15 → 18: insert '19' after the 地址码 and append the check character."""
    first17 = number15[:6] + "19" + number15[6:]
    return first17 + check_char(first17)


def parse(text: str, *, today: dt.date | None = None) -> IdCardInfo:
    """Validate ``text`` and return what it encodes, or raise IdCardError with the reason."""
    number = clean(text or "")
    if not number:
        raise IdCardError("身份证号不能为空")
    upgraded = False
    if len(number) == 15:
        if not number.isdigit():
            raise IdCardError("15 位身份证号只能由数字组成")
        number = upgrade15(number)
        upgraded = True
    elif len(number) != 18:
        raise IdCardError(f"身份证号应为 18 位（或旧 15 位），现为 {len(number)} 位")
    number = number[:17] + number[17].upper()
    if not number[:17].isdigit():
        raise IdCardError("身份证号前 17 位只能是数字")
    if not (number[17].isdigit() or number[17] == "X"):
        raise IdCardError("身份证号第 18 位只能是数字或 X")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdCardError(
            f"身份证号中的出生日期 {number[6:10]}-{number[10:12]}-{number[12:14]} 不是有效日期"
        ) from None
    today = today or dt.date.today()
    if birth > today or birth.year < 1900:
        raise IdCardError(f"身份证号中的出生日期 {birth.isoformat()} 不合理")
    expected = check_char(number[:17])
    if number[17] != expected:
        raise IdCardError(f"身份证号校验位错误：第 18 位应为 {expected}，现为 {number[17]}")
    sex = "男" if int(number[16]) % 2 == 1 else "女"
    return IdCardInfo(number, birth, sex, number[:6], upgraded)


def is_valid(text: str) -> bool:
    try:
        parse(text)
    except IdCardError:
        return False
    return True
