"""Value normalisers: every date shape, 身份证号 shapes and lost precision, sex, text."""

from __future__ import annotations

import datetime as dt

import pytest

from models.roster.intake.records import FAMILY_LIMITS, TEXT_LIMITS, RowBuilder, SourceRef
from models.roster.intake.values import (
    EXCEL_ERRORS,
    INVISIBLE,
    ValueProblem,
    check_char,
    clean_multiline,
    clean_name,
    clean_text,
    excel_error,
    normalise_date,
    normalise_id_card,
    normalise_sex,
    screen_text,
    unescape_ooxml,
)
from models.roster.tables import Cadre, FamilyMember, Unit

MARCH_1975 = dt.date(1975, 3, 1)


@pytest.mark.parametrize(
    "value",
    [
        "1975.03",
        "1975.3",
        "1975-03-01",
        "1975-3",
        "197503",
        "19750301",
        "1975年3月",
        "1975年03月01日",
        "1975/3",
        "1975/03/01",
        "1975.03.01",
        " 1975.03 ",
        "１９７５．０３",  # full-width digits and point
        "1975-03-01 00:00:00",
        "27454",  # Excel serial as text: 1899-12-30 + 27454 days
        dt.date(1975, 3, 1),
        dt.datetime(1975, 3, 1, 0, 0),
        197503,
        19750301,
        27454,
        27454.0,
        1975.03,
    ],
)
def test_every_date_shape_gives_march_1975(value: object) -> None:
    assert normalise_date(value) == MARCH_1975


def test_full_dates_keep_the_day() -> None:
    assert normalise_date("1980-06-15") == dt.date(1980, 6, 15)
    assert normalise_date(19800615) == dt.date(1980, 6, 15)
    assert normalise_date("1980年6月15日") == dt.date(1980, 6, 15)


def test_empty_dates_are_none() -> None:
    assert normalise_date(None) is None
    assert normalise_date("") is None
    assert normalise_date(" \u3000 ") is None


def test_number_1975_1_is_ambiguous_unless_two_decimals_are_shown() -> None:
    # Excel stores a typed 1975.10 as 1975.1: January or October cannot be told apart
    with pytest.raises(ValueProblem, match="1月还是10月"):
        normalise_date(1975.1)
    assert normalise_date(1975.1, number_format="0.00") == dt.date(1975, 10, 1)
    assert normalise_date(1975.12) == dt.date(1975, 12, 1)
    # typed as text, 1975.1 is what the user wrote: January
    assert normalise_date("1975.1") == dt.date(1975, 1, 1)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("1975.13", "月份13不在1到12之间"),
        ("197500", "月份0不在1到12之间"),
        ("1975.02.30", "1975年2月没有30日"),
        ("1975", "只有年份"),
        ("abc", "无法识别"),
        ("1850.01", "年份1850"),
        (dt.time(8, 30), "不是日期"),
    ],
)
def test_bad_dates_say_why_in_chinese(value: object, fragment: str) -> None:
    with pytest.raises(ValueProblem) as info:
        normalise_date(value)
    assert fragment in info.value.message


def test_check_char_matches_the_worked_examples() -> None:
    assert check_char("11010519491231002") == "X"  # DOMAIN 5.1: S = 167, 167 mod 11 = 2
    assert check_char("11010119750301001") == "6"  # S = 127, 127 mod 11 = 6


@pytest.mark.parametrize(
    "value",
    [
        "11010519491231002X",
        "11010519491231002x",
        " 110105 19491231 002X ",
        "110105\u300019491231002X",
        "１１０１０５１９４９１２３１００２Ｘ",
        "'11010519491231002X",
    ],
)
def test_id_card_text_shapes(value: str) -> None:
    assert normalise_id_card(value) == "11010519491231002X"


def test_fifteen_digit_id_is_upgraded_with_a_warning() -> None:
    warnings: list[str] = []
    # insert 19 after the 6-digit area code, then the check digit (worked: X)
    assert normalise_id_card("110105491231002", warnings) == "11010519491231002X"
    assert len(warnings) == 1
    assert "15位" in warnings[0]
    # a 15-digit number stored as a number has all its digits (below 2**53)
    assert normalise_id_card(110105491231002.0) == "11010519491231002X"


@pytest.mark.parametrize(
    "value",
    [
        1.1010119750301e17,  # what openpyxl/Excel hand back for 110101197503010016
        110101197503010000,  # the same as an integer: 15 significant digits then zeros
        "1.10101E+17",  # CSV saved by Excel from a General-format number
        "1.10105194912e+17",
        "110101197503010000",  # text, but the tell-tale 000 with a wrong check digit
    ],
)
def test_lost_precision_is_reported_never_guessed(value: object) -> None:
    with pytest.raises(ValueProblem) as info:
        normalise_id_card(value)
    assert "丢失" in info.value.message


def test_exact_integer_id_is_accepted() -> None:
    # written by a program that kept every digit: nothing was lost
    assert normalise_id_card(110101197503010016) == "110101197503010016"


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("1234", "有4位，应为18位"),
        ("11010519491231002Y", "17位数字加1位数字或X"),
        (12.5, "带小数"),
    ],
)
def test_bad_ids(value: object, fragment: str) -> None:
    with pytest.raises(ValueProblem) as info:
        normalise_id_card(value)
    assert fragment in info.value.message


def test_wrong_check_digit_is_left_to_roster_validation() -> None:
    # 110101197503010017 has check 6 by hand; the full check belongs to models/idcard.py
    assert normalise_id_card("110101197503010017") == "110101197503010017"


@pytest.mark.parametrize(
    ("value", "sex"),
    [
        ("男", "男"),
        ("女", "女"),
        (" 女 ", "女"),
        ("男性", "男"),
        (1, "男"),
        (2, "女"),
        ("2", "女"),
        (1.0, "男"),
        ("１", "男"),
    ],
)
def test_sex(value: object, sex: str) -> None:
    assert normalise_sex(value) == sex


def test_bad_sex() -> None:
    with pytest.raises(ValueProblem, match="未知"):
        normalise_sex("未知")
    assert normalise_sex("") is None


def test_text_cleaning() -> None:
    assert clean_text("  市委\u3000办公室  ") == "市委 办公室"
    assert clean_text("a\u200bb") == "ab"
    assert clean_text(13800138000.0) == "13800138000"  # a phone number typed as a number
    assert clean_text("   ") is None
    assert clean_name("张  三") == "张三"
    assert clean_name("张\u3000三") == "张三"
    assert clean_name("买买提·艾力") == "买买提·艾力"
    assert clean_name("John  Smith") == "John Smith"
    assert clean_multiline("\r\n1993.09 学习  \r\n1997.08 工作\r\n\r\n") == (
        "1993.09 学习\n1997.08 工作"
    )


# --- what is never stored (issue #11) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("#REF!", "单元格是 Excel 错误值 #REF!（公式引用失效），请在原表中改正"),
        ("#N/A", "单元格是 Excel 错误值 #N/A（找不到公式要查找的值），请在原表中改正"),
        (" #name? ", "单元格是 Excel 错误值 #NAME?（公式中有无法识别的名称），请在原表中改正"),
        (
            "#GETTING_DATA",
            "单元格是 Excel 错误值 #GETTING_DATA（外部数据尚未取回），请在原表中改正",
        ),
        ("#CALC!", "单元格是 Excel 错误值 #CALC!（公式计算出错），请在原表中改正"),
    ],
)
def test_excel_error_values(value: str, message: str) -> None:
    assert excel_error(value) == message


def test_excel_error_codes_and_what_is_not_one() -> None:
    for code in ("#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!", "#SPILL!"):
        assert code in EXCEL_ERRORS
    assert excel_error("#1号楼") is None  # text with a # is text
    assert excel_error("#PYTHON!") is None  # unknown code in a text cell: text
    assert excel_error("#PYTHON!", typed=True) == "单元格是 Excel 错误值 #PYTHON!，请在原表中改正"
    assert excel_error(None) is None
    assert excel_error(3.0) is None


@pytest.mark.parametrize("char", list(INVISIBLE))
def test_every_invisible_character_is_removed_and_named(char: str) -> None:
    assert screen_text(f"张{char}三") == ("张三", [f"U+{ord(char):04X}"])
    assert clean_name(f"张{char}三") == "张三"
    assert clean_text(f"市委{char}组织部") == "市委组织部"


def test_screen_text() -> None:
    assert screen_text("张三") == ("张三", [])
    assert screen_text("\u200e张\u200e三\u200b") == ("张三", ["U+200E", "U+200B"])
    assert screen_text("第一行\r\n第二行\t") == ("第一行\r\n第二行\t", [])  # for the normalisers
    assert screen_text("一\u2028二") == ("一\n二", [])  # Unicode line separator: a line break
    for char, shown in (
        ("\x00", "U+0000"),
        ("\x1b", "U+001B"),
        ("\x7f", "U+007F"),
        ("\x85", "U+0085"),
    ):
        with pytest.raises(ValueProblem) as caught:
            screen_text(f"张{char}三")
        assert caught.value.message == f"含有控制字符 {shown}（第2个字符），请在原表中删除该字符"
    with pytest.raises(ValueProblem, match="U\\+FFFD（文件的文字编码有误或已损坏）"):
        screen_text("市\ufffd委")


def test_no_compatibility_folding_of_names() -> None:
    # NFKC would turn these into other characters; names keep what was written
    assert clean_name("张㈱") == "张㈱"
    assert clean_name("李⑴") == "李⑴"
    assert normalise_date("１９７５．０３") == MARCH_1975  # full-width digits still read


def test_ooxml_escaped_control_characters() -> None:
    assert unescape_ooxml("一_x000D_\n二") == "一\r\n二"
    assert unescape_ooxml("王_x0007_五") == "王\x07五"
    assert unescape_ooxml("_x4E2D_") == "_x4E2D_"  # only control characters are escaped so
    assert unescape_ooxml("plain") == "plain"


def test_text_limits_are_the_tables_limits() -> None:
    fields = Cadre._meta.fields
    for attribute, limit in TEXT_LIMITS.items():
        column = Unit._meta.fields["name"] if attribute == "unit" else fields[attribute]
        max_length = getattr(column, "max_length", None)
        if max_length is not None:
            assert limit == max_length, attribute
        else:
            assert limit <= 20_000, attribute  # a TextField: a cap of our own
    for attribute in ("notes", "resume", "rewards"):
        assert TEXT_LIMITS[attribute] == 20_000
    for attribute, limit in FAMILY_LIMITS.items():
        assert limit == FamilyMember._meta.fields[attribute].max_length, attribute


def test_row_builder_refuses_overlong_values_without_copying_them() -> None:
    builder = RowBuilder(SourceRef("名册.csv", None, 5))
    assert builder.add("unit", "市" * 100, column="F") == "市" * 100
    assert builder.add("post_title", "  " + "科" * 100 + "  ", column="G") == "科" * 100
    assert builder.add("notes", "注" * 10_000_000, column="H", header="备注") is None
    assert builder.add("birth_date", "1" * 5000, column="D") is None
    [notes, birth] = builder.issues
    assert notes.message == "备注有10000000个字，超过20000个字的上限；请在原表中删减后重新导入"
    assert notes.value == "注" * 200 + "…（共10000000个字）"
    assert birth.message == "出生年月有5000个字，超过200个字的上限；请在原表中删减后重新导入"
    assert len(builder.build().raw["notes"]) < 300
