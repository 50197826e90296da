"""Real 名册 column layouts: every source column is either stored or listed as “未导入的列”
(read result, import plan, command line, error workbook)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

import main
from models.roster.importing import import_rows
from models.roster.intake import read_path, split_education_degree
from models.roster.tables import Cadre
from reports.roster.import_errors_xlsx import export_import_errors
from tests.fixtures.roster_layouts import (
    LI_ID,
    ZHANG_ID,
    write_csv_school_major,
    write_two_row_combined,
    write_unit_and_post,
)

_WHERE = "“组织部名册.xlsx”工作表“干部名册”："
TWO_ROW_NOT_IMPORTED = [
    _WHERE + "“序号”（A列，2 个非空单元格，序号、年龄、照片等列不需导入）",
    _WHERE + "“任现职级时间”（L列，2 个非空单元格，名册中没有对应的项目）",
    _WHERE + "“家庭住址”（M列，2 个非空单元格，名册中没有对应的项目）",
    _WHERE + "O列（无列名，1 个非空单元格）",
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("大学 经济学学士", ("大学", "经济学学士")),
        ("研究生 法学硕士", ("研究生", "法学硕士")),
        ("大学本科经济学学士", ("大学本科", "经济学学士")),
        ("研究生\n法学硕士", ("研究生", "法学硕士")),
        ("博士研究生工学博士", ("博士研究生", "工学博士")),
        ("硕士研究生", ("硕士研究生", None)),
        ("中央党校大学", ("中央党校大学", None)),
        ("法学硕士", (None, "法学硕士")),
        ("大专", ("大专", None)),
        ("  ", (None, None)),
        (None, (None, None)),
        ("#REF!", ("#REF!", None)),
    ],
)
def test_combined_education_degree_is_split(text, expected) -> None:
    assert split_education_degree(text) == expected


def test_two_row_header_with_combined_columns_stores_every_field(tmp_path, units) -> None:
    result = read_path(write_two_row_combined(tmp_path))
    assert [c.text() for c in result.not_imported] == TWO_ROW_NOT_IMPORTED
    outcome = import_rows(result)
    assert outcome.plan.ok, outcome.plan.lines()
    assert [c.text() for c in outcome.plan.not_imported] == TWO_ROW_NOT_IMPORTED
    zhang = Cadre.get(Cadre.id_card == ZHANG_ID)
    assert (zhang.ft_education, zhang.ft_degree) == (
        "大学本科",
        "经济学学士",
    )  # 大学 -> the code table entry
    assert zhang.ft_school == "兰州大学经济系经济学专业"
    assert zhang.pt_education == "研究生"
    assert zhang.pt_degree == "法学硕士"
    assert zhang.pt_school == "中央党校研究生院法学专业"
    li = Cadre.get(Cadre.id_card == LI_ID)
    assert (li.ft_education, li.ft_degree) == ("大学本科", "经济学学士")
    assert li.ft_school == "西北师范大学经济学专业"
    assert li.pt_education == ""


def test_unit_is_found_from_work_unit_and_post(tmp_path, units) -> None:
    result = read_path(write_unit_and_post(tmp_path))
    assert result.not_imported == []
    outcome = import_rows(result)
    assert outcome.plan.ok, outcome.plan.lines()
    zhang = Cadre.get(Cadre.id_card == ZHANG_ID)
    assert zhang.unit_id == units["org"]
    assert zhang.post_title == "市委组织部科长"
    assert zhang.post_since == dt.date(2020, 5, 1)
    assert (zhang.ft_education, zhang.ft_degree) == ("研究生", "法学硕士")
    assert any(
        i.text() == "提示：“工作单位及职务.xlsx”第2行E列（工作单位及职务）【单位】"
        "按现任职务“市委组织部科长”归入“白银市/市委/市委组织部”"
        for i in outcome.plan.issues
    ), outcome.plan.lines()


def test_csv_duplicate_and_unknown_columns_are_listed(tmp_path, units) -> None:
    result = read_path(write_csv_school_major(tmp_path))
    assert [c.text() for c in result.not_imported] == [
        "“名册.csv”：“学历”（I列，1 个非空单元格，与G列“学历学位”重复，只导入G列）",
        "“名册.csv”：“所学专业”（J列，1 个非空单元格，名册中没有对应的项目）",
    ]
    assert import_rows(result).plan.ok
    li = Cadre.get(Cadre.id_card == LI_ID)
    assert li.ft_school == "西北师范大学经济系"
    assert li.ft_degree == "经济学学士"


def test_command_line_lists_columns_not_imported_on_success(tmp_path: Path, capsys) -> None:
    path = write_two_row_combined(tmp_path)
    code = main.main(["import-roster", str(path), "--db", str(tmp_path / "r.db")])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "未导入的列（4 列）：" in out.out
    for line in TWO_ROW_NOT_IMPORTED:
        assert f"  {line}" in out.out
    assert "Traceback" not in out.out + out.err


def test_error_workbook_has_a_sheet_of_columns_not_imported(tmp_path, units) -> None:
    plan = import_rows(read_path(write_two_row_combined(tmp_path)), dry_run=True).plan
    dest = tmp_path / "问题清单.xlsx"
    export_import_errors(plan, dest)
    wb = load_workbook(dest)
    assert wb.sheetnames == ["问题清单", "未导入的列"]
    rows = [list(r) for r in wb["未导入的列"].iter_rows(values_only=True)]
    assert rows[0][0] == "未导入的列（4 列）"
    assert rows[1] == ["文件", "工作表", "列", "列名", "非空单元格数", "原因"]
    assert rows[2:] == [
        ["组织部名册.xlsx", "干部名册", "A", "序号", 2, "序号、年龄、照片等列不需导入"],
        ["组织部名册.xlsx", "干部名册", "L", "任现职级时间", 2, "名册中没有对应的项目"],
        ["组织部名册.xlsx", "干部名册", "M", "家庭住址", 2, "名册中没有对应的项目"],
        ["组织部名册.xlsx", "干部名册", "O", "（无列名）", 1, "没有列名"],
    ]
