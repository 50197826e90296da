"""Header recognition: synonyms, brackets, two-level headers, scans without a full read."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.roster.intake.headers import attribute_for, find_header, map_columns
from models.roster.intake.reader import scan_file
from models.roster.intake.tabular import read_xlsx
from tests.models.roster.intake import corpus
from tests.models.roster.intake.corpus import ID_ZHANG


@pytest.mark.parametrize(
    ("header", "attribute"),
    [
        ("姓 名", "name"),
        ("姓\u3000\u3000名", "name"),
        ("*姓名", "name"),
        ("姓名：", "name"),
        ("身份证号码", "id_card"),
        ("公民身份号码", "id_card"),
        ("身份证号", "id_card"),
        ("出生年月", "birth_date"),
        ("出生日期", "birth_date"),
        ("出生年月（年.月）", "birth_date"),  # explanatory bracket dropped
        ("现任职务", "post_title"),
        ("职务", "post_title"),
        ("单位", "unit"),
        ("工作单位", "unit"),
        ("单位名称", "unit"),
        ("职级", "rank"),
        ("职级(职务层次)", "rank"),
        ("职级（职务层次）", "rank"),
        ("领导职务层次", "leadership_level"),
        ("全日制学历", "ft_education"),
        ("在职学位", "pt_degree"),
        ("任现职时间", "post_since"),
        ("联系电话", "phone"),
        ("手机号码", "phone"),
        ("熟悉专业有何专长", "expertise"),
        ("年度考核结果", "annual_results"),
        ("爱好", None),
        ("序号", None),
        ("", None),
    ],
)
def test_synonyms(header: str, attribute: str | None) -> None:
    assert attribute_for(header) == attribute


def test_find_header_below_titles() -> None:
    rows = [
        ["XX市直机关干部花名册", None, None],
        [None, None, None],
        ["姓名", "性别", "身份证号"],
        ["张三", "男", ID_ZHANG],
    ]
    found = find_header(rows)
    assert found is not None
    assert (found.first_row, found.last_row) == (2, 2)
    assert find_header([["只有标题"], ["说明文字"]]) is None


def test_duplicate_and_ignored_columns() -> None:
    columns = map_columns(["序号", "姓名", "职务", "现任职务", "年龄", "爱好"])
    assert [(c.letter, c.attribute, c.status) for c in columns] == [
        ("A", None, "ignored"),
        ("B", "name", "auto"),
        ("C", "post_title", "auto"),
        ("D", None, "duplicate"),
        ("E", None, "ignored"),
        ("F", None, "unmapped"),
    ]


def test_user_mapping_takes_an_attribute_from_a_guess() -> None:
    # the user says 现任职务 is the post; the guessed 职务 column must not take it too
    columns = map_columns(["姓名", "职务", "现任职务"], {"现任职务": "post_title"})
    assert [(c.header, c.attribute, c.status) for c in columns] == [
        ("姓名", "name", "auto"),
        ("职务", None, "duplicate"),
        ("现任职务", "post_title", "user"),
    ]


def test_scan_reads_the_layout_only(tmp_path: Path) -> None:
    path = corpus.roster_xlsx(tmp_path / "名册.xlsx")
    [layout] = scan_file(path)
    assert layout.header_row == 3
    assert [c.header for c in layout.unmapped] == ["爱好"]
    [layout] = scan_file(path, mapping={"爱好": "expertise"})
    assert layout.unmapped == []
    csv_path = tmp_path / "名册.csv"
    csv_path.write_bytes(corpus.csv_bytes("gbk"))
    [layout] = scan_file(csv_path)
    assert [c.attribute for c in layout.mapped] == [
        "name",
        "sex",
        "birth_date",
        "id_card",
        "post_title",
    ]
    lrmx = tmp_path / "a.lrmx"
    lrmx.write_bytes(corpus.LRMX_SAMPLE.encode())
    assert scan_file(lrmx) == []


def test_subtotal_words_inside_a_name_are_not_subtotals() -> None:
    data = corpus.xlsx_bytes(
        [
            ["姓名", "单位"],
            ["张三", "总计划处"],
            ["小计", None],
            ["总计（人）", None],
            ["共计 2", None],
        ]
    )
    rows = read_xlsx(data, "s.xlsx").rows
    assert [(r.values["name"], r.values["unit"]) for r in rows] == [("张三", "总计划处")]
