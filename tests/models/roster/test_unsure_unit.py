"""Issue #11: an .lrmx/.lrm person whose 现任职务 names no unit, or two equally well, is listed
in ``ImportPlan.unsure_units`` so that the wizard can ask; the unit chosen for that row
(``unit_choices``) is the one the person is imported into. Every file is generated here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from models.roster import service as roster
from models.roster.importing import import_rows, plan_import
from models.roster.intake import read_path, write_lrmx
from models.roster.intake.unit_choice import UnsureUnit
from models.roster.tables import Cadre, Unit

TODAY = dt.date(2026, 3, 1)
ZHANG = "620421197503120014"
LI = "620402198805200023"
ASK = "请选择默认单位（命令行用 --unit 指定）"


def lrmx_file(folder: Path, name: str, post: str, number: str, **more: object) -> Path:
    record: dict[str, object] = {
        "name": name,
        "sex": "男",
        "birth_date": dt.date(1975, 3, 1),
        "id_card": number,
        "post_title": post,
        **more,
    }
    path = folder / f"{name}.lrmx"
    path.write_bytes(write_lrmx(record))
    return path


def two_offices(units: dict[str, int]) -> None:
    Unit.create(name="办公室", parent=units["party"], sort_order=5)
    Unit.create(name="办公室", parent=units["county"], sort_order=6)


def folder_of_two(tmp_path: Path) -> Path:
    """张三: 办公室主任 (two 办公室 fit); 李四: a post naming no unit of the tree."""
    folder = tmp_path / "files"
    folder.mkdir()
    lrmx_file(folder, "张三", "办公室主任", ZHANG)
    lrmx_file(folder, "李四", "兰州市某局局长", LI, sex="女", birth_date=dt.date(1988, 5, 1))
    return folder


def test_unsure_units_are_listed_with_their_candidates(tmp_path, units):
    two_offices(units)
    plan = plan_import(read_path(folder_of_two(tmp_path)), today=TODAY)
    assert sorted(plan.unsure_units, key=lambda u: u.file) == [
        UnsureUnit(
            "张三.lrmx", None, "张三", "办公室主任", ("白银市/市委/办公室", "白银市/靖远县/办公室")
        ),
        UnsureUnit("李四.lrmx", None, "李四", "兰州市某局局长", ()),
    ]
    assert plan.unsure_units[0].key == (plan.unsure_units[0].file, None)


def test_a_choice_fills_the_unit_and_the_person_is_imported_there(tmp_path, units):
    two_offices(units)
    choices = {
        ("张三.lrmx", None): "白银市/靖远县/办公室",
        ("李四.lrmx", None): "白银市/靖远县/乌兰镇",
    }
    out = import_rows(read_path(folder_of_two(tmp_path)), today=TODAY, unit_choices=choices)
    assert out.imported, out.plan.lines()
    assert out.plan.summary() == "新增 2，更新 0，跳过 0，错误 0"
    assert out.plan.unsure_units == []
    office = Unit.get(Unit.name == "办公室", Unit.parent == units["county"]).id
    by_name = {roster.get_cadre(c).name: roster.get_cadre(c).unit_id for c in out.cadre_ids}
    assert by_name == {"张三": office, "李四": units["town"]}
    assert Unit.select().count() == 7  # no unit created


def test_a_choice_of_only_some_rows_leaves_the_others_errors_as_before(tmp_path, units):
    two_offices(units)
    choices = {("李四.lrmx", None): "白银市/靖远县/乌兰镇"}
    out = import_rows(read_path(folder_of_two(tmp_path)), today=TODAY, unit_choices=choices)
    assert not out.imported
    assert [u.name for u in out.plan.unsure_units] == ["张三"]
    assert sorted(out.plan.lines()[1:]) == [
        "提示：“李四.lrmx” XianRenZhiWu（现任职务）【单位】按所选单位归入“白银市/靖远县/乌兰镇”",
        "错误：“张三.lrmx” XianRenZhiWu（现任职务）【单位】必填：现任职务“办公室主任”可对应2个单位"
        f"（白银市/市委/办公室、白银市/靖远县/办公室），无法确定，{ASK}",
    ]
    assert Cadre.select().count() == 0


def test_no_choice_gives_the_same_error_as_before(tmp_path, units):
    f = lrmx_file(tmp_path, "李四", "兰州市某局局长", LI, sex="女", birth_date=dt.date(1988, 5, 1))
    out = import_rows(read_path(f), today=TODAY, unit_choices={})
    assert not out.imported
    assert out.plan.lines()[1:] == [
        "错误：“李四.lrmx” XianRenZhiWu（现任职务）【单位】"
        f"必填：无法从现任职务“兰州市某局局长”找到对应的单位，{ASK}"
    ]
    assert Cadre.select().count() == 0


def test_a_chosen_unit_that_does_not_exist_is_a_clear_error(tmp_path, units):
    f = lrmx_file(tmp_path, "李四", "兰州市某局局长", LI, sex="女", birth_date=dt.date(1988, 5, 1))
    choices = {("李四.lrmx", None): "白银市/不存在的局"}
    out = import_rows(read_path(f), today=TODAY, unit_choices=choices)
    assert not out.imported
    assert out.plan.lines()[1:] == [
        "错误：“李四.lrmx” XianRenZhiWu（现任职务）【单位】"
        "所选单位“白银市/不存在的局”不在单位树中，请重新选择单位"
    ]
    assert [u.name for u in out.plan.unsure_units] == ["李四"]  # asked again
    assert Cadre.select().count() == 0
    assert Unit.select().count() == 5  # nothing created


def test_the_default_unit_still_overrides_every_choice(tmp_path, units):
    two_offices(units)
    choices = {("张三.lrmx", None): "白银市/靖远县/办公室"}
    out = import_rows(
        read_path(folder_of_two(tmp_path)), default_unit="乌兰镇", today=TODAY, unit_choices=choices
    )
    assert out.imported, out.plan.lines()
    assert out.plan.unsure_units == []
    assert {roster.get_cadre(c).unit_id for c in out.cadre_ids} == {units["town"]}


def test_a_sure_unit_is_not_listed_nor_changed_by_a_choice(tmp_path, units):
    f = lrmx_file(tmp_path, "张三", "市委组织部干部科科长", ZHANG)
    choices = {("张三.lrmx", None): "白银市/靖远县/乌兰镇"}
    out = import_rows(read_path(f), today=TODAY, unit_choices=choices)
    assert out.imported, out.plan.lines()
    assert out.plan.unsure_units == []
    assert roster.get_cadre(out.cadre_ids[0]).unit_id == units["org"]


def test_default_unit_may_be_the_end_of_a_path_as_in_every_command(tmp_path, units):
    """``--unit 靖远县/乌兰镇`` means the existing unit 白银市/靖远县/乌兰镇 (as find_unit reads it
    everywhere else), not a new top-level unit named "靖远县/乌兰镇"."""
    target = units["town"]
    before = Unit.select().count()
    f = tmp_path / "a.csv"
    f.write_text("姓名,性别,出生年月,身份证号\n王五,男,1975.03,620421197503120014\n", "utf-8")
    out = import_rows(read_path(f), default_unit="靖远县/乌兰镇")
    assert out.imported, out.plan.lines()
    assert Cadre.get_by_id(out.cadre_ids[0]).unit_id == target
    assert Unit.select().count() == before
