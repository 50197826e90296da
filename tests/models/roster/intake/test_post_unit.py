"""The unit of a 任免审批表 found from its 现任职务 against the unit tree (issue #11)."""

from __future__ import annotations

import pytest

from models.roster.intake.post_unit import PostUnitIndex, UnitGuess

PATHS = {
    1: "白银市",
    2: "白银市/市委",
    3: "白银市/市委/市委组织部",
    4: "白银市/市委/市委组织部/干部科",
    5: "白银市/靖远县",
    6: "白银市/靖远县/乌兰镇",
    7: "白银市/市委/办公室",
    8: "白银市/市政府/办公室",
    9: "白银市/市政府",
    10: "白银市/会宁县/乌兰镇",
    11: "白银市/市财政局",
    12: "白银市/市审计局",
}
ASK = "请选择默认单位（命令行用 --unit 指定）"


@pytest.fixture(scope="module")
def index() -> PostUnitIndex:
    return PostUnitIndex(PATHS)


@pytest.mark.parametrize(
    ("post", "unit_id"),
    [
        ("市委组织部部长", 3),
        ("白银市委组织部副部长", 3),  # contains the name
        ("市委组织部干部科科长", 4),  # the most specific unit named
        ("白银市市委组织部干部科科员", 4),
        ("靖远县乌兰镇党委书记", 6),  # parent + leaf tells the two 乌兰镇 apart
        ("市委办公室主任", 7),  # 市委 + 办公室 beats the bare 办公室 of 市政府
        ("市政府办公室副主任", 8),
        ("市委常委、组织部部长", 2),  # the first post that names a unit decides
        ("市财政局局长，市审计局局长（兼）", 11),
        ("  市审计局\n局长 ", 12),  # spaces and line breaks are ignored
    ],
)
def test_one_unit_found(index: PostUnitIndex, post: str, unit_id: int) -> None:
    assert index.match(post) == UnitGuess(unit_id, PATHS[unit_id])


def test_two_units_that_fit_equally_well_are_a_question(index: PostUnitIndex) -> None:
    guess = index.match("乌兰镇镇长")
    assert guess.unit_id is None
    assert guess.problem == (
        "必填：现任职务“乌兰镇镇长”可对应2个单位（白银市/会宁县/乌兰镇、白银市/靖远县/乌兰镇），"
        f"无法确定，{ASK}"
    )
    assert index.match("办公室主任").problem.startswith("必填：现任职务“办公室主任”可对应2个单位")


def test_no_unit_found(index: PostUnitIndex) -> None:
    guess = index.match("兰州市城关区区长")
    assert guess == UnitGuess(
        None, "", f"必填：无法从现任职务“兰州市城关区区长”找到对应的单位，{ASK}"
    )


def test_a_region_followed_by_wei_is_another_organisation(index: PostUnitIndex) -> None:
    # 靖远县委 is the county's Party committee, not the unit 靖远县
    guess = index.match("靖远县委组织部部长")
    assert guess.unit_id is None
    assert guess.problem == f"必填：无法从现任职务“靖远县委组织部部长”找到对应的单位，{ASK}"
    assert index.match("靖远县副县长") == UnitGuess(5, "白银市/靖远县")


def test_empty_post(index: PostUnitIndex) -> None:
    for post in (None, "", "  "):
        assert index.match(post).problem == f"必填：任免审批表不写单位，现任职务也是空的，{ASK}"


def test_an_empty_tree_finds_nothing() -> None:
    assert PostUnitIndex({}).match("市委组织部部长").unit_id is None
