"""Edges of the roster intake normalisers that test_values.py does not reach: the exact
message a user sees for each kind of bad date and lost 身份证号, sex codes written "1.0",
line breaks and lengths in text, how a raw cell is shown back, .xlsx escapes and the
split of a combined 学历学位 cell."""

from __future__ import annotations

import datetime as dt

import pytest

from models.roster.intake.values import (
    ValueProblem,
    clean_multiline,
    clean_text,
    display_raw,
    excel_error,
    normalise_date,
    normalise_id_card,
    normalise_sex,
    screen_text,
    shorten,
    split_education_degree,
    unescape_ooxml,
)

# ---------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("197513", "日期“197513”的月份13不在1到12之间"),
        (197513, "日期“197513”的月份13不在1到12之间"),
        ("19750231", "日期“19750231”不存在（1975年2月没有31日）"),
        ("1975030", "日期“1975030”无法识别，应写成如 1975.03 或 1975-03-01"),
        ("00060", "日期“00060”像Excel日期序号，但对应1900年初，无法使用"),
        ("99999", "日期“99999”的年份2173不在1900到2100之间"),
        (99999, "日期“99999”的年份2173不在1900到2100之间"),
        (1975.13, "日期“1975.13”的月份13不在1到12之间"),
        (
            1975.1,
            "日期“1975.1”是数字格式，无法判断是1月还是10月；"
            "请把该列设为文本，写成如 1975.01 或 1975.10",
        ),
    ],
)
def test_bad_date_messages_quote_the_cell(value: object, message: str) -> None:
    """Every refused date names the value as the cell held it and says what is wrong, so
    the user can find and correct it in the original workbook."""
    with pytest.raises(ValueProblem) as problem:
        normalise_date(value)
    assert problem.value.message == message


def test_excel_serial_text_is_a_date() -> None:
    """A 5-digit serial typed as text (27454) is the date Excel shows for it."""
    assert normalise_date("27454") == dt.date(1975, 3, 1)


def test_the_first_and_last_allowed_years_are_accepted() -> None:
    """Dates from 1900 to 2100 inclusive are accepted; the bounds themselves too."""
    assert normalise_date("1900.01") == dt.date(1900, 1, 1)
    assert normalise_date("2100.12") == dt.date(2100, 12, 1)


def test_a_serial_number_with_a_time_of_day_is_that_day() -> None:
    """An Excel date-time cell read as a number (27454.5 = 1975-03-01 12:00) is the date."""
    assert normalise_date(27454.5) == dt.date(1975, 3, 1)


def test_the_first_and_last_serials_and_number_dates() -> None:
    """Serial 61 (1900-03-01) is the first usable Excel date, as text or with a time of
    day; a number cell 2099.05 is May 2099 like the text 2099.05."""
    assert normalise_date("00061") == dt.date(1900, 3, 1)
    assert normalise_date(61.5) == dt.date(1900, 3, 1)
    assert normalise_date(2099.05) == dt.date(2099, 5, 1)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1850.01", "日期“1850.01”的年份1850不在1900到2100之间"),
        (dt.date(1850, 1, 1), "日期“1850-01-01”的年份1850不在1900到2100之间"),
        (dt.datetime(1850, 1, 1, 8, 30), "日期“1850-01-01 08:30:00”的年份1850不在1900到2100之间"),
        (True, "日期“TRUE”无法识别"),
    ],
)
def test_dates_outside_the_years_and_booleans_are_quoted(value: object, message: str) -> None:
    """A date cell before 1900 is refused quoting the date as the cell showed it (with
    its time when it has one); a TRUE cell in a date column is named as TRUE."""
    with pytest.raises(ValueProblem) as problem:
        normalise_date(value)
    assert problem.value.message == message


def test_a_small_decimal_number_is_not_a_date() -> None:
    """12.5 in a date column is neither a year.month nor a serial: the user is told the
    shapes that work."""
    with pytest.raises(ValueProblem) as problem:
        normalise_date(12.5)
    assert problem.value.message == "日期“12.5”无法识别，应写成如 1975.03 或 1975-03-01"


# ---------------------------------------------------------------------------- 身份证号

_LOST = (
    "是以数字形式保存的，Excel只保留15位有效数字，末尾几位已经丢失，"
    "无法还原；请把该列设为文本格式后重新录入"
)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (1.10101199003071e17, "1.10101199003071E+17"),  # what Excel's cell shows
        (1e15, "1E+15"),  # 16 digits are already more than Excel keeps
        (110101199003071000, "110101199003071000"),  # 18 digits, last three zeroed
    ],
)
def test_lost_id_numbers_are_shown_as_excel_shows_them(value: object, shown: str) -> None:
    """A 身份证号 saved as a number names the number as the user sees it in Excel."""
    with pytest.raises(ValueProblem) as problem:
        normalise_id_card(value)
    assert problem.value.message == f"身份证号“{shown}”{_LOST}"


def test_an_id_number_in_scientific_notation_text_is_quoted() -> None:
    """Text copied from a cell that showed 1.10101199003071E+17 is quoted as it was."""
    with pytest.raises(ValueProblem) as problem:
        normalise_id_card("1.10101199003071E+17")
    assert problem.value.message == f"身份证号“1.10101199003071E+17”{_LOST}"


def test_other_bad_id_numbers_are_quoted() -> None:
    """A decimal number, an X anywhere but last, TRUE, and a text ID whose last three
    digits were zeroed by Excel are refused, quoting the value."""
    with pytest.raises(ValueProblem) as decimal:
        normalise_id_card(12.5)
    assert decimal.value.message == "身份证号“12.5”是带小数的数字，无法识别"
    with pytest.raises(ValueProblem) as x_first:
        normalise_id_card("X11010119900307123")
    assert x_first.value.message == "身份证号“X11010119900307123”应为17位数字加1位数字或X"

    with pytest.raises(ValueProblem) as boolean:
        normalise_id_card(True)
    assert boolean.value.message == "身份证号“TRUE”无法识别"
    with pytest.raises(ValueProblem) as zeroed:
        normalise_id_card("110101199003071000")
    assert zeroed.value.message == (
        "身份证号“110101199003071000”末三位是000且校验码不符，"
        "像是Excel按数字保存后丢失了末尾数字；请核对原始号码"
    )


# ---------------------------------------------------------------------------- sex


@pytest.mark.parametrize(
    ("value", "sex"),
    [("1.0", "男"), ("2.0", "女"), ("２.０", "女"), ("男 性", "男"), ("女\u3000性", "女")],
)
def test_sex_codes_written_as_decimals_or_spaced_out(value: str, sex: str) -> None:
    """A code column exported from a database or CSV as 1.0 / 2.0 still gives 男 / 女, and
    男 性 spaced out to line up still reads as 男."""
    assert normalise_sex(value) == sex


# ---------------------------------------------------------------------------- text


def test_a_line_break_in_one_line_text_becomes_a_space() -> None:
    """An address typed over two lines of a cell is one line with a space."""
    assert clean_text("北京市海淀区\n中关村大街1号") == "北京市海淀区 中关村大街1号"
    assert clean_text("北京市海淀区\r中关村大街1号") == "北京市海淀区 中关村大街1号"


def test_multiline_text_keeps_a_line_that_ends_in_x() -> None:
    """Only spaces are trimmed at the end of a 简历 line: a last letter X stays."""
    assert clean_multiline("身份证号 11010119900307123X  \n1990.09—1994.07 某大学") == (
        "身份证号 11010119900307123X\n1990.09—1994.07 某大学"
    )


def test_shorten_cuts_after_one_hundred_characters() -> None:
    """Messages quote at most 100 characters of a value and say how long it was; a value
    of exactly 100 characters is quoted whole."""
    assert shorten("甲" * 100) == "甲" * 100
    assert shorten("甲" * 101) == "甲" * 100 + "…（共101个字）"


def test_an_unknown_error_code_is_quoted_short() -> None:
    """A cell the workbook marks as an error, with a code Excel does not have, is named
    by at most its first 20 characters."""
    assert excel_error("#" + "X" * 30, typed=True) == (
        "单元格是 Excel 错误值 #" + "X" * 19 + "…（共31个字），请在原表中改正"
    )


# ---------------------------------------------------------------------------- raw values


def test_raw_values_are_shown_as_the_cell_showed_them() -> None:
    """The original value shown beside an error: a date without 00:00:00, a time when
    there is one, a float without its binary noise, a 16-digit or larger number as Excel
    writes it, a logical cell as TRUE / FALSE."""
    assert display_raw(dt.datetime(1975, 3, 1)) == "1975-03-01"
    assert display_raw(dt.datetime(1975, 3, 1, 1, 0)) == "1975-03-01 01:00:00"
    assert display_raw(dt.datetime(1975, 3, 1, 0, 1)) == "1975-03-01 00:01:00"
    assert display_raw(0.1 + 0.2) == "0.3"
    assert display_raw(1.10101199003071e17) == "1.10101199003071e+17"
    assert display_raw(1e15) == "1e+15"
    assert (display_raw(True), display_raw(False)) == ("TRUE", "FALSE")


def test_escaped_control_characters_are_read_in_hexadecimal() -> None:
    """_x001B_ in an .xlsx file is the control character U+001B (ESC), which is refused
    with its code point and position."""
    text = unescape_ooxml("张_x001B_三")
    assert text == "张\x1b三"
    with pytest.raises(ValueProblem) as problem:
        screen_text(text)
    assert problem.value.message == "含有控制字符 U+001B（第2个字符），请在原表中删除该字符"


# ---------------------------------------------------------------------------- 学历学位


@pytest.mark.parametrize(
    ("value", "split"),
    [
        ("大学 经济学学士", ("大学", "经济学学士")),
        ("大学本科经济学学士", ("大学本科", "经济学学士")),
        ("大学本科经济学学士，", ("大学本科", "经济学学士")),
        ("研究生\n法学硕士", ("研究生", "法学硕士")),
        ("研究生/法学/硕士", ("研究生", "法学硕士")),
        ("硕士研究生", ("硕士研究生", None)),
        ("法学硕士", (None, "法学硕士")),
        ("大学士", (None, "大学士")),
        ("中专", ("中专", None)),
        ("XX", ("XX", None)),
        ("/", ("/", None)),
        (None, (None, None)),
        ("", (None, None)),
        (" \u3000", (None, None)),
        ("\u200b", (None, None)),
    ],
)
def test_combined_education_degree_cells(value: object, split: tuple[object, object]) -> None:
    """A 学历学位 cell is split as 名册 write it; a cell that is neither (XX, /) is kept
    whole as the 学历 so the pick-list check names it, and a cell ending in a degree word
    (大学士) is read as the 学位; blank or invisible-only cells are empty."""
    assert split_education_degree(value) == split


@pytest.mark.parametrize("value", [1875.03, 1899.12, 2101.05])
def test_a_year_month_number_out_of_range_is_refused_not_read_as_a_serial(value: float) -> None:
    """A number cell holding 1875.03 is a year.month out of range, said as for the text —
    never the Excel serial 1875.03 (1905-02-17)."""
    year = str(value).split(".")[0]
    with pytest.raises(ValueProblem, match=f"的年份{year}不在1900到2100之间"):
        normalise_date(value)
