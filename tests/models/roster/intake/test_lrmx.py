""".lrmx: hardened parsing, mapping onto the record, export order and round trip."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from models.core.errors import DomainError
from models.roster.intake.lrmx import MAX_LRMX_BYTES, TEMPLATE_ORDER, parse_lrmx, write_lrmx
from models.roster.intake.records import FamilyRow
from tests.models.roster.intake import corpus
from tests.models.roster.intake.corpus import ID_WANG, PHOTO


@pytest.fixture
def sample():
    return parse_lrmx(corpus.LRMX_SAMPLE.encode("utf-8"), "张三.lrmx")


def test_fields_map_onto_the_record(sample) -> None:
    v = sample.values
    assert sample.source.file == "张三.lrmx"
    assert sample.source.row is None
    assert v["name"] == "张三"
    assert v["sex"] == "男"
    assert v["birth_date"] == dt.date(1975, 3, 1)  # 197503
    assert v["party_date"] == dt.date(1998, 7, 1)  # dotted 1998.07
    assert v["work_start_date"] == dt.date(1997, 8, 1)  # 19970801
    assert v["ethnicity"] == "汉族"
    assert v["ft_education"] == "大学"
    assert v["ft_degree"] == "经济学学士"
    assert v["ft_school"] == "山东大学经济系财政学专业"
    assert v["pt_education"] == "研究生"
    assert v["pt_degree"] is None
    assert v["pt_school"] == "中央党校经济学专业"
    assert v["post_title"] == "市财政局局长"
    assert v["id_card"] == ID_WANG  # lower-case x in the file
    assert v["resume"] == (
        "1993.09--1997.07  山东大学经济系财政学专业学习\n"
        "1997.08--2010.12  市财政局科员、副科长、科长"
    )
    assert v["photo"] == PHOTO
    assert sample.issues == []


def test_family_rows_and_blank_item_dropped(sample) -> None:
    assert sample.values["family"] == [
        FamilyRow("妻子", "李梅", dt.date(1976, 2, 1), "中共党员", "市第一中学教师"),
        FamilyRow("父亲", "张大山", dt.date(1948, 5, 1), "群众", "已退休"),
    ]


def test_form_only_and_unknown_tags_kept_in_extra(sample) -> None:
    assert sample.values["extra"] == {
        "NiRenZhiWu": "市发改委主任",
        "NiMianZhiWu": "市财政局局长",
        "RenMianLiYou": "工作需要",
        "ChengBaoDanWei": "中共XX市委组织部",
        "JiSuanNianLingShiJian": "20250101",
        "TianBiaoShiJian": "20250105",
        "TianBiaoRen": "王小二",
        "DaoLingNianYue": "203503",
    }


def test_export_follows_the_template_order(sample) -> None:
    data = write_lrmx(sample.values)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(data)
    tags = [child.tag for child in root]
    # the template order, the unknown tag after the template's last data element
    assert tags == [*TEMPLATE_ORDER[:-1], "DaoLingNianYue", "Version"]
    assert root.findtext("ChuShengNianYue") == "197503"
    assert root.findtext("RuDangShiJian") == "199807"
    assert root.findtext("CanJiaGongZuoShiJian") == "199708"
    assert root.findtext("JiSuanNianLingShiJian") == "20250101"
    assert root.findtext("Version") == "3.2.1.16"
    assert root.findtext("ShenFenZheng") == ID_WANG
    items = root.findall("JiaTingChengYuan/Item")
    assert [i.findtext("ChuShengRiQi") for i in items] == ["197602", "194805"]
    # same school for 学历 and 学位 when a degree is held
    assert root.findtext("QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi") == "山东大学经济系财政学专业"
    assert root.findtext("ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi") == ""


def test_round_trip_of_a_parsed_file(sample) -> None:
    again = parse_lrmx(write_lrmx(sample.values), "again.lrmx")
    assert again.values == sample.values
    assert again.issues == []


def test_round_trip_of_a_built_record() -> None:
    record: dict[str, object] = {
        "name": "王五",
        "sex": "女",
        "birth_date": dt.date(1949, 12, 1),
        "party_date": None,
        "work_start_date": dt.date(1968, 3, 1),
        "ft_education": "中专",
        "resume": "1968.03--  市档案馆工作\n2000.01--  馆长",
        "id_card": ID_WANG,
        "family": [FamilyRow("儿子", "王小五", None, "群众", None)],
        "photo": None,
        "extra": {"RuDangShiJian": "中国民主同盟", "XinBiaoQian": "保留"},
    }
    parsed = parse_lrmx(write_lrmx(record), "w.lrmx").values
    for key, value in record.items():
        assert parsed[key] == value, key
    # attributes the record did not give come back empty
    assert parsed["ethnicity"] is None


def test_export_options() -> None:
    data = write_lrmx(
        {"name": "甲", "extra": {"TianBiaoShiJian": "2025.01.05"}},
        version="3.2.1.6",
        computed_at=dt.date(2026, 1, 1),
    )
    root = ET.fromstring(data)
    assert root.findtext("Version") == "3.2.1.6"
    assert root.findtext("JiSuanNianLingShiJian") == "20260101"
    assert root.findtext("TianBiaoShiJian") == "20250105"  # dotted kept value rewritten


def test_party_name_instead_of_date_is_kept() -> None:
    xml = "<Person><XingMing>甲</XingMing><RuDangShiJian>民盟</RuDangShiJian></Person>"
    row = parse_lrmx(xml.encode(), "a.lrmx")
    assert row.values["party_date"] is None
    assert row.values["extra"] == {"RuDangShiJian": "民盟"}
    assert not row.has_errors
    assert ET.fromstring(write_lrmx(row.values)).findtext("RuDangShiJian") == "民盟"


def test_gb2312_declared_file() -> None:
    xml = '<?xml version="1.0" encoding="gb2312"?><Person><XingMing>张三</XingMing></Person>'
    row = parse_lrmx(xml.encode("gb2312"), "gb.lrmx")
    assert row.values["name"] == "张三"


def test_bad_values_become_issues() -> None:
    xml = (
        "<Person><XingMing>甲</XingMing><ChuShengNianYue>1975年13月</ChuShengNianYue>"
        "<JiaTingChengYuan><Item><ChengWei>父亲</ChengWei><ChuShengRiQi>不详</ChuShengRiQi>"
        "</Item></JiaTingChengYuan><ZhaoPian>@@not base64@@</ZhaoPian></Person>"
    )
    row = parse_lrmx(xml.encode(), "bad.lrmx")
    by_column = {i.column: i for i in row.issues}
    assert set(by_column) == {
        "ChuShengNianYue",
        "JiaTingChengYuan/Item[1]/ChuShengRiQi",
        "ZhaoPian",
    }
    assert "月份13" in by_column["ChuShengNianYue"].message
    assert by_column["JiaTingChengYuan/Item[1]/ChuShengRiQi"].label == "家庭成员第1行出生日期"
    assert "base64" in by_column["ZhaoPian"].message
    # a bad photo is dropped with a warning (issue #11), it does not block the person
    assert by_column["ZhaoPian"].warning
    assert {i.column for i in row.errors} == {
        "ChuShengNianYue",
        "JiaTingChengYuan/Item[1]/ChuShengRiQi",
    }
    assert row.values["photo"] is None
    assert row.values["family"] == [FamilyRow("父亲", None, None, None, None)]


# --- hostile and broken files ---------------------------------------------------------------


def _error(data: bytes, name: str) -> str:
    with pytest.raises(DomainError) as info:
        parse_lrmx(data, name)
    return info.value.message


def test_billion_laughs_refused() -> None:
    message = _error(corpus.BILLION_LAUGHS.encode(), "bomb.lrmx")
    assert "“bomb.lrmx”" in message
    assert "已拒绝读取" in message
    assert "XML炸弹" in message


def test_external_entity_refused() -> None:
    message = _error(corpus.XXE.encode(), "xxe.lrmx")
    assert "“xxe.lrmx”" in message
    assert "已拒绝读取" in message


def test_external_dtd_refused() -> None:
    message = _error(corpus.XXE_NO_DTD_ENTITY.encode(), "dtd.lrmx")
    assert "“dtd.lrmx”" in message
    assert "DTD" in message


def test_oversized_file_refused() -> None:
    data = b"<Person><JianLi>" + b"a" * MAX_LRMX_BYTES + b"</JianLi></Person>"
    message = _error(data, "huge.lrmx")
    assert "“huge.lrmx”" in message
    assert "超过" in message


def test_truncated_and_wrong_root() -> None:
    data = corpus.LRMX_SAMPLE.encode()
    message = _error(corpus.truncated(data), "cut.lrmx")
    assert "“cut.lrmx”" in message
    assert "不是完整的XML" in message
    assert "第" in message
    assert "<Person>" in _error(b"<html><body/></html>", "page.lrmx")
    assert "空文件" in _error(b"  ", "blank.lrmx")
