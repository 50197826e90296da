"""Issue #11: .lrmx/.lrm as the official editor writes them. The photo is checked (JPEG, PNG or
BMP by magic, at most 1 MB decoded), dates keep their day, person-level 政治面貌 is mapped,
and an element that was empty in the file is written back empty. Every file is generated
here."""

from __future__ import annotations

import base64
import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from models.roster.intake.lrm import parse_lrm, parse_lrm_bytes
from models.roster.intake.lrmx import MAX_PHOTO_BYTES, parse_lrmx, photo_problem, write_lrmx
from tests.models.roster.intake import corpus

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x11" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x22" * 100
BMP = b"BM" + b"\x33" * 100
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100


def lrmx(*elements: str) -> bytes:
    return ("<Person><XingMing>张三</XingMing>" + "".join(elements) + "</Person>").encode()


def photo_xml(data: bytes) -> str:
    return f"<ZhaoPian>{base64.b64encode(data).decode()}</ZhaoPian>"


# --- photo ------------------------------------------------------------------------------------


@pytest.mark.parametrize("picture", [JPEG, PNG, BMP], ids=["jpeg", "png", "bmp"])
def test_pictures_are_kept(picture: bytes) -> None:
    row = parse_lrmx(lrmx(photo_xml(picture)), "a.lrmx")
    assert row.values["photo"] == picture
    assert row.issues == []


def test_an_executable_is_not_a_photo() -> None:
    row = parse_lrmx(lrmx(photo_xml(EXE)), "张三.lrmx")
    assert row.values["photo"] is None
    assert not row.has_errors  # the person still imports, without the photo
    [issue] = row.issues
    assert issue.warning
    assert issue.message == "照片不是 JPEG/PNG/BMP 图片，已忽略"
    assert issue.text() == "提示：“张三.lrmx” ZhaoPian【照片】照片不是 JPEG/PNG/BMP 图片，已忽略"


def test_a_14_mb_photo_is_dropped() -> None:
    big = JPEG + b"\x00" * (int(14.2 * 1024 * 1024) - len(JPEG))
    row = parse_lrmx(lrmx(photo_xml(big)), "big.lrmx")
    assert row.values["photo"] is None
    [issue] = row.issues
    assert issue.warning
    assert issue.message == "照片解码后 14.2 MB，超过 1 MB，已忽略"
    assert "“big.lrmx”" in issue.text()


def test_the_size_limit_is_one_mebibyte_decoded() -> None:
    at_limit = JPEG + b"\x00" * (MAX_PHOTO_BYTES - len(JPEG))
    assert photo_problem(at_limit) is None
    assert photo_problem(at_limit + b"\x00") == "1.0 MB，超过 1 MB"
    assert photo_problem(b"") == "不是 JPEG/PNG/BMP 图片"
    assert photo_problem(b"\xff\xd8") == "不是 JPEG/PNG/BMP 图片"  # too short for the magic


def test_bad_base64_is_a_warning() -> None:
    row = parse_lrmx(lrmx("<ZhaoPian>这不是base64!!</ZhaoPian>"), "a.lrmx")
    assert row.values["photo"] is None
    [issue] = row.issues
    assert (issue.warning, issue.column, issue.label) == (True, "ZhaoPian", "照片")
    assert issue.message == "照片不是有效的base64编码，已忽略"


def test_pic_file_of_an_lrm_is_checked(tmp_path: Path) -> None:
    (tmp_path / "李四.lrm").write_bytes(corpus.lrm_bytes())
    (tmp_path / "李四.pic").write_bytes(EXE)
    row = parse_lrm(tmp_path / "李四.lrm")
    assert row.values["photo"] is None
    assert not row.has_errors
    [issue] = row.issues
    assert issue.warning
    assert issue.message == "照片文件“李四.pic”不是 JPEG/PNG/BMP 图片，已忽略"
    assert (
        issue.text()
        == "提示：“李四.lrm” 李四.pic【照片】照片文件“李四.pic”不是 JPEG/PNG/BMP 图片，已忽略"
    )


def test_big_pic_file_of_an_lrm_is_dropped() -> None:
    big = BMP + b"\x00" * (MAX_PHOTO_BYTES + MAX_PHOTO_BYTES // 2 - len(BMP))
    row = parse_lrm_bytes(corpus.lrm_bytes(), "李四.lrm", big, photo_name="李四.PIC")
    assert row.values["photo"] is None
    assert [i.message for i in row.issues] == ["照片文件“李四.PIC”有 1.5 MB，超过 1 MB，已忽略"]
    good = parse_lrm_bytes(corpus.lrm_bytes(), "李四.lrm", PNG)
    assert good.values["photo"] == PNG
    assert good.issues == []


# --- dates, 政治面貌 --------------------------------------------------------------------------


def test_a_birth_date_with_a_day_keeps_it() -> None:
    row = parse_lrmx(lrmx("<ChuShengNianYue>2004.10.24</ChuShengNianYue>"), "a.lrmx")
    assert row.values["birth_date"] == dt.date(2004, 10, 24)
    month = parse_lrmx(lrmx("<ChuShengNianYue>2004.10</ChuShengNianYue>"), "a.lrmx")
    assert month.values["birth_date"] == dt.date(2004, 10, 1)  # month precision, as before
    compact = parse_lrmx(lrmx("<ChuShengNianYue>20041024</ChuShengNianYue>"), "a.lrmx")
    assert compact.values["birth_date"] == dt.date(2004, 10, 24)


def test_person_level_political_status_is_mapped() -> None:
    row = parse_lrmx(
        lrmx(
            "<RuDangShiJian>1998.07</RuDangShiJian>",
            "<JiaTingChengYuan><Item><ChengWei>父亲</ChengWei>"
            "<ZhengZhiMianMao>群众</ZhengZhiMianMao></Item></JiaTingChengYuan>",
            "<ZhengZhiMianMao>中共党员</ZhengZhiMianMao>",
        ),
        "a.lrmx",
    )
    assert row.values["political_status"] == "中共党员"
    assert row.values["party_date"] == dt.date(1998, 7, 1)  # the 入党时间 form as before
    assert row.values["family"][0].political_status == "群众"  # the family one stays apart
    assert "ZhengZhiMianMao" not in row.values["extra"]
    root = ET.fromstring(write_lrmx(row.values))
    assert root.findtext("ZhengZhiMianMao") == "中共党员"
    assert root.findtext("RuDangShiJian") == "199807"
    again = parse_lrmx(write_lrmx(row.values), "again.lrmx")
    assert again.values == row.values


def test_a_party_name_in_rudangshijian_and_political_status_together() -> None:
    row = parse_lrmx(
        lrmx("<RuDangShiJian>民盟</RuDangShiJian><ZhengZhiMianMao>民盟盟员</ZhengZhiMianMao>"),
        "a.lrmx",
    )
    assert row.values["party_date"] is None
    assert row.values["political_status"] == "民盟盟员"
    assert row.values["extra"] == {"RuDangShiJian": "民盟"}
    root = ET.fromstring(write_lrmx(row.values))
    assert root.findtext("RuDangShiJian") == "民盟"


def test_political_status_kept_in_extra_by_an_older_import_is_written() -> None:
    root = ET.fromstring(write_lrmx({"name": "甲", "extra": {"ZhengZhiMianMao": "群众"}}))
    assert [e.text for e in root.iter("ZhengZhiMianMao")] == ["群众"]


def test_no_political_status_writes_no_element() -> None:
    root = ET.fromstring(write_lrmx({"name": "甲"}))
    assert root.find("ZhengZhiMianMao") is None


# --- empty elements stay empty ------------------------------------------------------------


SCHOOLS = (
    "<QuanRiZhiJiaoYu_XueLi>大学</QuanRiZhiJiaoYu_XueLi>"
    "<QuanRiZhiJiaoYu_XueWei>法学学士</QuanRiZhiJiaoYu_XueWei>"
    "<QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi>{ft_li}</QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi>"
    "<QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi>{ft_wei}</QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi>"
    "<ZaiZhiJiaoYu_XueLi>研究生</ZaiZhiJiaoYu_XueLi>"
    "<ZaiZhiJiaoYu_XueWei></ZaiZhiJiaoYu_XueWei>"
    "<ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi>{pt_li}</ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi>"
    "<ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi>{pt_wei}</ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi>"
)
SCHOOL_TAGS = (
    "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi",
    "QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi",
    "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi",
    "ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi",
)


@pytest.mark.parametrize(
    "schools",
    [
        ("兰州大学法学院", "", "中央党校", ""),  # 学位 school left empty although a 学位 is held
        ("", "兰州大学法学院", "", "省委党校"),  # only the 学位 schools written
        ("兰州大学法学院", "兰州大学法学院", "中央党校", ""),  # the usual form
        ("兰州大学", "西北师范大学", "", ""),  # two different schools
    ],
)
def test_school_elements_come_back_as_written(schools: tuple[str, str, str, str]) -> None:
    ft_li, ft_wei, pt_li, pt_wei = schools
    xml = SCHOOLS.format(ft_li=ft_li, ft_wei=ft_wei, pt_li=pt_li, pt_wei=pt_wei)
    row = parse_lrmx(lrmx(xml), "a.lrmx")
    assert row.values["ft_school"] == (ft_li or ft_wei or None)  # the roster keeps one school
    assert row.values["pt_school"] == (pt_li or pt_wei or None)
    root = ET.fromstring(write_lrmx(row.values))
    assert tuple(root.findtext(tag) for tag in SCHOOL_TAGS) == schools
    assert parse_lrmx(write_lrmx(row.values), "again.lrmx").values == row.values


def test_a_school_changed_in_the_roster_is_written() -> None:
    xml = SCHOOLS.format(ft_li="", ft_wei="兰州大学法学院", pt_li="", pt_wei="")
    values = parse_lrmx(lrmx(xml), "a.lrmx").values
    root = ET.fromstring(write_lrmx({**values, "ft_school": "西北大学"}))
    assert root.findtext("QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi") == "西北大学"


def test_empty_elements_are_written_open_and_closed_and_never_filled() -> None:
    data = write_lrmx({"name": "甲", "post_title": "科员"})
    text = data.decode("utf-8")
    assert "/>" not in text  # <MinZu></MinZu>, as in the official template
    assert "<MinZu></MinZu>" in text
    root = ET.fromstring(data)
    filled = {e.tag: e.text for e in root if e.text and e.text.strip()}
    assert filled == {"XingMing": "甲", "XianRenZhiWu": "科员", "Version": "3.2.1.16"}
