"""Property tests of 公民身份号码 checks (GB 11643-1999, ISO 7064 MOD 11-2): every number the
generator builds validates and says its birth date and sex; a change of any one character
never validates (MOD 11-2 catches every single substitution)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from models.roster import idcard
from models.roster.idcard import IdCardError
from tests.fixtures.roster_layouts import person_id

TODAY = dt.date(2026, 12, 7)
REGIONS = st.sampled_from(["620402", "620421", "110105", "120223", "370704", "130402"])
BIRTHS = st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2008, 12, 31))


@st.composite
def numbers(draw: st.DrawFn) -> tuple[str, dt.date, int]:
    region, birth = draw(REGIONS), draw(BIRTHS)
    order = draw(st.integers(0, 999))
    return person_id(f"{region}{birth:%Y%m%d}{order:03d}"), birth, order


@given(numbers())
def test_a_generated_number_validates_with_its_birth_and_sex(n) -> None:
    number, birth, order = n
    info = idcard.parse(number, today=TODAY)
    assert info.number == number
    assert info.birth_date == birth
    assert info.sex == ("男" if order % 2 else "女")
    # typed full-width, lower-case x or with spaces: the same number
    wide = number.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    assert idcard.parse(f" {wide.lower()} ", today=TODAY).number == number


@given(numbers(), st.integers(0, 17), st.sampled_from("0123456789X"))
def test_one_changed_character_never_validates(n, at, char) -> None:
    number = n[0]
    if number[at] == char or (at < 17 and char == "X"):
        return  # not a change, or not a digit where digits go (refused for that reason)
    changed = number[:at] + char + number[at + 1 :]
    try:
        idcard.parse(changed, today=TODAY)
    except IdCardError:
        return
    raise AssertionError(f"{changed} (from {number}) was accepted")
