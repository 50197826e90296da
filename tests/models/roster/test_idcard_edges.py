"""Edges of the 公民身份号码 checks that the examples in test_idcard.py leave open: the exact
Chinese reason of each refusal (the roster's validation shows ``str(err)`` as the problem of
the 身份证号 field, the lookup by number quotes it), the limits of a plausible birth date,
the ``upgraded`` flag, and the answers of ``is_valid`` and ``check_char``."""

from __future__ import annotations

import datetime as dt

import pytest

from models.roster import idcard

TODAY = dt.date(2026, 11, 22)


def number_born(birth: dt.date, region: str = "620402", order: str = "001") -> str:
    """A valid 18-digit number of someone born on ``birth`` (the check character computed)."""
    first17 = f"{region}{birth:%Y%m%d}{order}"
    return first17 + idcard.check_char(first17)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "身份证号不能为空"),
        (" \u3000 ", "身份证号不能为空"),
        ("11010549123100A", "15 位身份证号只能由数字组成"),
        ("1101051949123100", "身份证号应为 18 位（或旧 15 位），现为 16 位"),
        ("11010519491231A02X", "身份证号前 17 位只能是数字"),
        ("11010519491231002Y", "身份证号第 18 位只能是数字或 X"),
        ("110105194902300021", "身份证号中的出生日期 1949-02-30 不是有效日期"),
        # an old 15-digit number shows its date with the century it was upgraded to
        ("110105491331002", "身份证号中的出生日期 1949-13-31 不是有效日期"),
        ("110105203001010021", "身份证号中的出生日期 2030-01-01 不合理"),
        ("110105189912310021", "身份证号中的出生日期 1899-12-31 不合理"),
        ("130402198207290622", "身份证号校验位错误：第 18 位应为 4，现为 2"),
    ],
)
def test_each_refusal_shows_its_exact_reason(typed: str, message: str) -> None:
    """The person who typed the number reads exactly what is wrong with it: the whole message,
    with the date as written in the number and the check character it should have."""
    with pytest.raises(idcard.IdCardError) as err:
        idcard.parse(typed, today=TODAY)
    assert str(err.value) == message


def test_born_today_or_in_1900_is_accepted() -> None:
    """The plausible birth dates run from 1900-01-01 to today, both ends included: a child
    registered on the day of birth and the oldest records are not refused."""
    newborn = idcard.parse(number_born(TODAY), today=TODAY)
    assert newborn.birth_date == TODAY
    oldest = idcard.parse(number_born(dt.date(1900, 1, 1)), today=TODAY)
    assert oldest.birth_date == dt.date(1900, 1, 1)
    with pytest.raises(idcard.IdCardError, match="不合理"):
        idcard.parse(number_born(TODAY + dt.timedelta(days=1)), today=TODAY)


def test_an_18_digit_number_is_not_marked_upgraded() -> None:
    """Only an old 15-digit number is reported as upgraded, so a caller knows when the number
    it gets back is not the one that was typed; an 18-digit number is not."""
    info = idcard.parse("11010519491231002X", today=TODAY)
    assert info.upgraded is False
    assert idcard.parse("110105491231002", today=TODAY).upgraded is True


def test_is_valid_says_yes_to_a_good_number() -> None:
    """``is_valid`` accepts what ``parse`` accepts (also spaced, lower-case x, or the old 15
    digits) and refuses the rest."""
    assert idcard.is_valid("11010519491231002X") is True
    assert idcard.is_valid(" 110105 19491231 002x ") is True
    assert idcard.is_valid("110105491231002") is True
    assert idcard.is_valid("11010519491231002Y") is False


@pytest.mark.parametrize("digits", ["1101051949123100", "110105194912310021"])
def test_check_char_needs_exactly_17_digits(digits: str) -> None:
    """A cut-off or over-long number never gets a made-up check character: a caller that
    passes the wrong slice (the import's test for numbers Excel truncated passes the first
    17 of 18) hears of it at once instead of comparing against a wrong character."""
    with pytest.raises(ValueError, match="zip"):
        idcard.check_char(digits)
