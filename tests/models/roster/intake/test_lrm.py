""".lrm (2.0): GB18030 quoted fields, the sibling .pic, and conversion to .lrmx."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from models.core.errors import DomainError
from models.roster.intake.lrm import parse_lrm, parse_lrm_bytes
from models.roster.intake.lrmx import parse_lrmx, write_lrmx
from models.roster.intake.records import FamilyRow
from tests.models.roster.intake import corpus
from tests.models.roster.intake.corpus import PHOTO


@pytest.fixture
def lrm_file(tmp_path: Path) -> Path:
    path = tmp_path / "李四.lrm"
    path.write_bytes(corpus.lrm_bytes())
    (tmp_path / "李四.PIC").write_bytes(PHOTO)  # the editor writes either case
    return path


def test_fields_by_index(lrm_file: Path) -> None:
    row = parse_lrm(lrm_file)
    v = row.values
    assert row.source.file == "李四.lrm"
    assert v["name"] == "李四"
    assert v["sex"] == "女"
    assert v["birth_date"] == dt.date(1980, 6, 1)
    assert v["party_date"] == dt.date(2001, 7, 1)
    assert v["work_start_date"] == dt.date(2002, 8, 1)
    assert v["native_place"] == "江苏南京"
    assert v["health"] == "健康"
    assert v["professional_title"] == "会计师"
    assert v["expertise"] == "预算管理"
    # field 9: 全日制学历#全日制学位@在职学历#在职学位
    assert (v["ft_education"], v["ft_degree"]) == ("大学", "管理学学士")
    assert (v["pt_education"], v["pt_degree"]) == ("研究生", None)
    # field 10: the same layout for schools
    assert (v["ft_school"], v["pt_school"]) == ("南京大学商学院", "中央党校")
    assert v["resume"] == "1998.09--2002.07  南京大学商学院学习\n2002.08--  市财政局工作"
    assert v["annual_results"] == "2023年度优秀"
    assert v["post_title"] == "市财政局副局长"
    assert v["photo"] == PHOTO
    assert row.issues == []


def test_family_columns_joined_by_at(lrm_file: Path) -> None:
    assert parse_lrm(lrm_file).values["family"] == [
        FamilyRow("丈夫", "陈刚", dt.date(1979, 5, 1), "中共党员", "市公安局民警"),
        FamilyRow("女儿", "陈小雨", dt.date(2008, 3, 1), "共青团员", "南京大学学生"),
    ]


def test_form_fields_kept_under_lrmx_tags(lrm_file: Path) -> None:
    assert parse_lrm(lrm_file).values["extra"] == {
        "NiRenZhiWu": "市审计局局长",
        "ChengBaoDanWei": "中共XX市委",
        "TianBiaoRen": "王小二",
        "TianBiaoShiJian": "20250105",
    }


def test_lrm_converts_to_lrmx_without_loss(lrm_file: Path) -> None:
    old = parse_lrm(lrm_file).values
    new = parse_lrmx(write_lrmx(old), "李四.lrmx").values
    for key, value in old.items():
        assert new[key] == value, key


def test_missing_pic_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "无照片.lrm"
    path.write_bytes(corpus.lrm_bytes())
    row = parse_lrm(path)
    assert row.values["photo"] is None
    assert not row.has_errors
    [warning] = row.issues
    assert warning.warning
    assert "无照片.pic" in warning.message


def test_broken_lrm_files() -> None:
    with pytest.raises(DomainError, match="“short.lrm”只有3个字段"):
        parse_lrm_bytes('"甲","男","197501"'.encode("gb18030"), "short.lrm")
    with pytest.raises(DomainError, match="“plain.lrm”不是任免审批表2.0"):
        parse_lrm_bytes("姓名,性别\n甲,男\n".encode("gb18030"), "plain.lrm")
    with pytest.raises(DomainError, match="“empty.lrm”是空文件"):
        parse_lrm_bytes(b"", "empty.lrm")


def test_bad_date_in_lrm_is_an_issue() -> None:
    fields = corpus.lrm_fields()
    fields[2] = "1980年13月"
    row = parse_lrm_bytes(corpus.lrm_bytes(fields), "bad.lrm")
    [issue] = row.errors
    assert (issue.column, issue.label) == ("第3个字段", "出生年月")
    assert "月份13" in issue.message
