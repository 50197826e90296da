"""Dates as the forms write them: 出生年月 '1975.03', signature dates '2026年11月22日'."""

from __future__ import annotations

import datetime as dt
import re

_YM = re.compile(r"^\s*(\d{4})\s*[.\-/年]\s*(\d{1,2})\s*(?:[.\-/月]\s*(?:(\d{1,2})\s*日?)?)?\s*$")
_DIGITS = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})?\s*$")


def now_seconds() -> dt.datetime:
    """The local time to the second: what every stored timestamp holds."""
    return dt.datetime.now().replace(microsecond=0)


def as_date(value: object) -> dt.date:
    """A stored date as a date, however the driver hands it back (date, datetime, ISO text)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def ym(value: dt.date | None) -> str:
    """'1975.03', or '' for no date."""
    return f"{value.year:04d}.{value.month:02d}" if value else ""


def ymd_cn(value: dt.date | None) -> str:
    """'2026年11月22日', or '' for no date."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def parse_date(text: str) -> dt.date | None:
    """Read '1975.03', '1975.3', '1975-03-01', '197503', '19750301', '1975年3月'.

    Returns None for empty text; raises ValueError with a Chinese reason otherwise."""
    text = (text or "").strip()
    if not text:
        return None
    m = _YM.match(text) or _DIGITS.match(text)
    if not m:
        raise ValueError(f"“{text}”不是日期，应写作 1975.03 或 1975.03.01")
    year, month = int(m.group(1)), int(m.group(2))
    day = int(m.group(3)) if m.group(3) else 1
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"“{text}”不是有效日期") from None


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
