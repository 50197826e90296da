"""人员类别 on the roster (schema v12): 公务员 / 参照公务员法管理单位工作人员 / 事业单位工作人员,
or empty (judged from the unit's type). Saved and checked with the cadre, read from a 名册's
人员类别 / 编制类型 column in the words offices use (参公, 事业编制…), kept when a file lacks the
column, and it titles the person's 年度考核登记表."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from models.core.errors import ValidationError
from models.roster import service as roster
from models.roster import staff_category_of
from models.roster.importing import import_rows
from models.roster.intake import read_path
from tests.fixtures.sheets import book

TODAY = dt.date(2026, 11, 22)
ZHANG = "620421197503120014"
LI = "620402198805200023"


def test_the_words_offices_use() -> None:
    assert staff_category_of("参公") == "参照公务员法管理单位工作人员"
    assert staff_category_of(" 事业 编制 ") == "事业单位工作人员"
    assert staff_category_of("行政编制") == "公务员"
    assert staff_category_of("") == ""
    assert staff_category_of("临时工") is None


def test_saved_with_the_cadre_and_checked(units) -> None:  # noqa: ANN001
    c = roster.save_cadre(
        roster.CadreInput(
            name="张三", id_card=ZHANG, unit_id=units["org"], staff_category="事业单位工作人员"
        ),
        today=TODAY,
    )
    assert roster.get_cadre(c.id).staff_category == "事业单位工作人员"
    with pytest.raises(ValidationError) as refused:
        roster.save_cadre(
            roster.CadreInput(name="李丽", id_card=LI, unit_id=units["org"], staff_category="临时"),
            today=TODAY,
        )
    assert [(i.field, i.message) for i in refused.value.issues] == [
        ("staff_category", "应为公务员、参照公务员法管理单位工作人员或事业单位工作人员")
    ]


def test_read_from_a_roster_file_and_kept_when_the_column_is_missing(tmp_path, units) -> None:  # noqa: ANN001
    header = ["姓名", "性别", "出生年月", "公民身份号码", "工作单位", "现任职务", "编制类型"]
    f = book(
        tmp_path / "名册.xlsx",
        header,
        [
            ["张三", "男", "1975.03", ZHANG, "市委组织部", "科员", "参公编制"],
            ["李丽", "女", "1988.05", LI, "市委组织部", "科员", ""],
        ],
    )
    out = import_rows(read_path(f), today=TODAY)
    assert out.imported
    zhang, li = (roster.get_cadre(i) for i in out.cadre_ids)
    assert (zhang.staff_category, li.staff_category) == ("参照公务员法管理单位工作人员", "")
    # a later file without the column keeps it
    g = book(
        tmp_path / "更新.xlsx",
        header[:-1],
        [["张三", "男", "1975.03", ZHANG, "市委组织部", "副科长"]],
    )
    again = import_rows(read_path(g), on_duplicate="update", today=TODAY)
    assert again.imported
    assert roster.get_cadre(zhang.id).staff_category == "参照公务员法管理单位工作人员"
    # a word that is no category is named, with the row, and nothing is imported
    h = book(
        tmp_path / "错误.xlsx",
        header,
        [["王五", "男", "1980.01", "620402198001010016", "市委组织部", "科员", "临时工"]],
    )
    bad = import_rows(read_path(h), today=TODAY)
    assert not bad.imported
    text = "；".join(i.message for r in bad.plan.rows for i in r.issues)
    assert "“临时工”不是人员类别（可填：公务员、参公、事业单位" in text


def test_exported_with_the_roster_and_read_back(tmp_path, units) -> None:  # noqa: ANN001
    from openpyxl import load_workbook

    from reports.roster.roster_xlsx import export_roster_xlsx

    c = roster.save_cadre(
        roster.CadreInput(
            name="张三",
            id_card=ZHANG,
            unit_id=units["org"],
            staff_category="参照公务员法管理单位工作人员",
        ),
        today=TODAY,
    )
    out = tmp_path / "导出.xlsx"
    export_roster_xlsx([roster.get_cadre(c.id)], out)
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    header = next(r for r in rows if r and "人员类别" in r)
    value = rows[rows.index(header) + 1][header.index("人员类别")]
    assert value == "参照公务员法管理单位工作人员"
    roster.save_cadre(
        dataclasses.replace(roster.CadreInput.from_dto(roster.get_cadre(c.id)), staff_category=""),
        today=TODAY,
    )
    again = import_rows(read_path(out), on_duplicate="update", today=TODAY)
    assert again.imported
    assert roster.get_cadre(c.id).staff_category == "参照公务员法管理单位工作人员"
