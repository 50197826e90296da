import datetime as dt

import pytest

from models.roster import idcard

TODAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize(
    "number",
    ["11010519491231002X", "120223198902021249"],  # worked examples in DOMAIN §5.1
)
def test_known_valid_numbers_pass(number):
    assert idcard.parse(number, today=TODAY).number == number


@pytest.mark.parametrize("number", ["130402198207290622", "37070419881216001X"])
def test_known_invalid_check_digits_fail(number):
    with pytest.raises(idcard.IdCardError, match="校验位"):
        idcard.parse(number, today=TODAY)


def test_check_char_worked_by_hand():
    # 1·7+1·9+0·10+1·5+0·8+5·4+1·2+9·1+4·6+9·3+1·7+2·9+3·10+1·5+0·8+0·4+2·2 = 167;
    # 167 mod 11 = 2 → 'X'
    assert idcard.check_char("11010519491231002") == "X"


def test_derives_sex_and_birth():
    info = idcard.parse("11010519491231002X", today=TODAY)
    assert info.birth_date == dt.date(1949, 12, 31)
    assert info.sex == "女"  # 17th digit 2 is even
    assert info.region_code == "110105"
    male = idcard.parse("120223198902021249", today=TODAY)
    assert male.sex == "女"  # 4 even
    first17 = "62040219850505001"  # 17th digit 1 is odd: male
    assert idcard.parse(first17 + idcard.check_char(first17), today=TODAY).sex == "男"


def test_lower_case_x_spaces_and_full_width_digits_are_accepted():
    assert idcard.parse(" 110105 19491231 002x ", today=TODAY).number == "11010519491231002X"
    assert (
        idcard.parse("１２０２２３１９８９０２０２１２４９", today=TODAY).number
        == "120223198902021249"
    )
    # the check character typed full-width, upper or lower case (a Chinese input method's
    # full-width mode), with a full-width space
    for typed in (
        "１１０１０５１９４９１２３１００２Ｘ",
        "11010519491231002ｘ",
        "110105\u300019491231002Ｘ",
    ):
        assert idcard.parse(typed, today=TODAY).number == "11010519491231002X"


def test_fifteen_digits_are_upgraded():
    info = idcard.parse("110105491231002", today=TODAY)
    assert info.number == "11010519491231002X"
    assert info.upgraded


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("", "不能为空"),
        ("1101051949123100", "18 位"),
        ("1101051949123100211", "18 位"),
        ("11010519491231A02X", "前 17 位只能是数字"),
        ("11010519491231002Y", "第 18 位"),
        ("110105194902300021", "不是有效日期"),  # 30 February
        ("110105203001010021", "不合理"),  # born in the future
        ("11010549123100A", "只能由数字"),
    ],
)
def test_invalid_numbers_say_why(number, reason):
    with pytest.raises(idcard.IdCardError, match=reason):
        idcard.parse(number, today=TODAY)
    assert not idcard.is_valid(number)
