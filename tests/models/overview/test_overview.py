"""The 首页 figures (models.overview) on a small roster whose every number is known."""

from __future__ import annotations

import datetime as dt

import pytest

from models.assessment import add_unit_members, create_round
from models.assessment.tables import GradeResult
from models.core.progress import Cancelled
from models.overview import (
    AGE_BANDS,
    CountRow,
    age_band,
    cadres_by_age,
    cadres_by_level,
    home_overview,
    hours_completion,
    latest_annual_grades,
)
from models.overview.hours import top_units
from models.roster import UnitDTO, idcard
from models.roster import service as roster
from models.training import add_hours_entry, hours_report
from models.training import hours as hr

TODAY = dt.date(2026, 6, 30)

# (name, unit key, birth, leadership level, rank, status); ages on TODAY in the comments
PEOPLE = [
    ("张三", "org", dt.date(1975, 3, 12), "县处级正职", "一级调研员", "在职"),  # 51
    ("李四", "org", dt.date(1980, 7, 2), "乡科级正职", "一级主任科员", "在职"),  # 45
    ("王芳", "town", dt.date(1986, 11, 20), "乡科级副职", "三级主任科员", "在职"),  # 39
    ("赵敏", "town", dt.date(1995, 6, 30), "", "一级科员", "在职"),  # 31 today
    ("钱亮", "town", dt.date(1995, 7, 1), "", "一级科员", "在职"),  # 30 until tomorrow
    ("周志强", "county", dt.date(1970, 6, 30), "县处级副职", "三级调研员", "在职"),  # 56
    ("孙悦", "city", dt.date(1990, 1, 5), "", "", "在职"),  # 36, neither level nor rank
    ("张珊珊", "party", dt.date(1979, 9, 9), "", "二级主任科员", "退休"),  # not counted
]


@pytest.fixture
def people(units: dict[str, int]) -> dict[str, int]:
    ids = {}
    for seq, (name, unit, birth, level, rank, status) in enumerate(PEOPLE, start=1):
        first17 = f"620402{birth:%Y%m%d}{seq * 10 + 1:03d}"
        dto = roster.save_cadre(
            roster.CadreInput(
                name=name,
                sex="男",
                birth_date=birth,
                ethnicity="汉族",
                unit_id=units[unit],
                leadership_level=level,
                rank=rank,
                id_card=first17 + idcard.check_char(first17),
                status=status,
            ),
            accept_warnings=True,
            today=TODAY,
        )
        ids[name] = dto.id
    return ids


def test_age_bands_cover_every_age_once() -> None:
    assert [age_band(a) for a in (18, 30, 31, 35, 36, 50, 55, 56, 70)] == [
        "30岁及以下", "30岁及以下", "31—35岁", "31—35岁", "36—40岁", "46—50岁", "51—55岁",
        "56岁及以上", "56岁及以上",
    ]  # fmt: skip
    assert [label for label, _low, _high in AGE_BANDS][0] == "30岁及以下"


def test_cadres_by_level_leaders_by_level_the_others_by_rank(people: dict[str, int]) -> None:
    """Leaders count under their 领导职务层次, the others under their 职级, in the 代码表's
    order (high to low); nobody twice, the retired not at all, 未填写 last."""
    assert cadres_by_level() == (
        CountRow("县处级正职", 1),
        CountRow("县处级副职", 1),
        CountRow("乡科级正职", 1),
        CountRow("乡科级副职", 1),
        CountRow("一级科员", 2),
        CountRow("未填写", 1),
    )


def test_cadres_by_age_counts_full_years_on_the_day(people: dict[str, int]) -> None:
    assert cadres_by_age(TODAY) == (
        CountRow("30岁及以下", 1),  # 钱亮, 31 tomorrow
        CountRow("31—35岁", 1),  # 赵敏, 31 today
        CountRow("36—40岁", 2),  # 王芳 39, 孙悦 36
        CountRow("41—45岁", 1),  # 李四
        CountRow("46—50岁", 0),
        CountRow("51—55岁", 1),  # 张三
        CountRow("56岁及以上", 1),  # 周志强, 56 today
    )
    assert sum(r.count for r in cadres_by_age(TODAY + dt.timedelta(days=1))) == 7
    assert cadres_by_age(TODAY + dt.timedelta(days=1))[0] == CountRow("30岁及以下", 0)


def test_top_units_are_under_the_single_root_or_the_roots() -> None:
    city = UnitDTO(1, "白银市", None, "", "", 0)
    party, org = UnitDTO(2, "市委", 1, "", "", 1), UnitDTO(3, "市委组织部", 2, "", "", 2)
    county = UnitDTO(4, "靖远县", 1, "", "", 3)
    top, names = top_units([city, party, org, county])
    assert names == {1: "白银市本级", 2: "市委", 4: "靖远县"}
    assert top == {1: 1, 2: 2, 3: 2, 4: 4}
    other = UnitDTO(5, "兰州市", None, "", "", 4)
    top, names = top_units([city, party, org, county, other])
    assert names == {1: "白银市", 5: "兰州市"}
    assert top == {1: 1, 2: 1, 3: 1, 4: 1, 5: 5}
    assert top_units([city]) == ({1: 1}, {1: "白银市"})


def test_hours_completion_is_the_shortfall_list_counted_by_unit(
    people: dict[str, int],
) -> None:
    """Met = 在职 and not on the 学时不足名单 of the year: 90 学时 a year for 李四 and 赵敏;
    张三 (五年 550) with 100 this year is still short, as the list says."""
    add_hours_entry(people["李四"], dt.date(2026, 5, 1), hr.OUTSIDE_TRAINING, 90, "省委党校专题班")
    add_hours_entry(people["赵敏"], dt.date(2026, 4, 1), hr.ONLINE_STUDY, 95, "网络学院")
    add_hours_entry(people["张三"], dt.date(2026, 4, 1), hr.ONLINE_STUDY, 100, "网络学院")
    add_hours_entry(people["王芳"], dt.date(2025, 4, 1), hr.ONLINE_STUDY, 90, "去年的不算")
    done = hours_completion(2026)
    assert done.year == 2026
    # 市委: 张三, 李四 (张珊珊 retired); 靖远县: 王芳, 赵敏, 钱亮, 周志强; 孙悦 in 白银市 itself
    assert [(u.unit, u.people, u.met, u.short) for u in done.units] == [
        ("白银市本级", 1, 0, 1),
        ("市委", 2, 1, 1),
        ("靖远县", 4, 1, 3),
    ]
    assert done.units[1].share == 50.0
    total = done.total
    assert (total.unit, total.people, total.met, total.short) == ("合计", 7, 2, 5)
    assert total.people - total.met == len({r.cadre_id for r in hours_report(2026)})


def test_grades_of_the_latest_graded_annual_round(people: dict[str, int]) -> None:
    assert latest_annual_grades() is None
    old = create_round(2024)
    add_unit_members(old.id, None)
    for name, grade in (("张三", "优秀"), ("李四", "称职"), ("王芳", "称职"), ("赵敏", "基本称职")):
        GradeResult.create(round=old.id, cadre=people[name], final_grade=grade, pool_key="甲")
    new = create_round(2025)
    add_unit_members(new.id, None)
    create_round(2025, kind="平时考核", quarter=1)  # not an annual round: never shown

    shown = latest_annual_grades()  # 2025 has nobody graded yet: 2024 is shown
    assert shown is not None
    assert (shown.round_name, shown.status) == ("2024年度考核", "录入")
    assert shown.counts == (
        CountRow("优秀", 1),
        CountRow("称职", 2),
        CountRow("基本称职", 1),
        CountRow("不称职", 0),
        CountRow("不定等次", 0),
    )
    assert (shown.graded, shown.ungraded, shown.not_participating) == (4, 3, 0)

    GradeResult.create(round=new.id, cadre=people["周志强"], final_grade="不定等次", pool_key="甲")
    shown = latest_annual_grades()
    assert shown is not None
    assert shown.round_name == "2025年度考核"
    assert [r.count for r in shown.counts] == [0, 0, 0, 0, 1]
    assert (shown.graded, shown.ungraded) == (1, 6)


def test_home_overview_reports_its_steps_and_stops_when_cancelled(
    people: dict[str, int],
) -> None:
    steps: list[tuple[int, int, str]] = []
    got = home_overview(TODAY, progress=lambda d, t, s: steps.append((d, t, s)))
    assert got.active == 7
    assert got.on_date == TODAY
    assert got.hours.year == 2026
    assert got.grades is None
    assert [d for d, _t, _s in steps] == [0, 1, 2, 3]
    with pytest.raises(Cancelled):
        home_overview(TODAY, cancelled=lambda: True)


def test_an_empty_database_counts_nothing(database: object) -> None:
    got = home_overview(TODAY)
    assert got.active == 0
    assert got.by_level == ()
    assert [r.count for r in got.by_age] == [0] * len(AGE_BANDS)
    assert got.hours.units == ()
    assert got.grades is None
