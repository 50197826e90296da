"""Builders for the intake test corpus: rosters, CSVs, .lrmx/.lrm samples, broken files.

Every file is built in the test's tmp_path, so the corpus is plain to read here. The
身份证号 used below have check digits worked by hand (GB 11643 MOD 11-2, weights
7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, check = "10X98765432"[S mod 11]):

* 11010119750301001: S = 7+9+0+5+0+4+2+9+42+15+0+27+0+5+0+0+2 = 127, 127 mod 11 = 6 -> "6"
* 32010219800615002: S = 21+18+0+5+0+8+2+9+48+0+0+54+10+25+0+0+4 = 204, mod 11 = 6 -> "6"
* DOMAIN §5.1: 11010519491231002 -> S = 167, 167 mod 11 = 2 -> "X"
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from pathlib import Path

import openpyxl

ID_ZHANG = "110101197503010016"
ID_LI = "320102198006150026"
ID_WANG = "11010519491231002X"
ID_WANG_15 = "110105491231002"  # the same person's old 15-digit number

TITLE = "XX市直机关干部花名册"
HEADER = [
    "序号",
    "姓 名",
    "性别",
    "出生日期",
    "公民身份号码",
    "工作单位",
    "职务",
    "职级(职务层次)",
    "入党时间",
    "参加工作时间",
    "爱好",
    "备注",
]

# A tiny valid JPEG-like payload; content does not matter, bytes must survive.
PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 3  # JPEG magic, then filler


def roster_xlsx(path: Path) -> Path:
    """The main roster: 2 title rows (merged), header in row 3, data from row 4.

    Row  4 张三   text date 1975.03, text ID with the right digits
    Row  5 李四   date cell, ID with spaces and lower-case nothing, sex code 2
    Row  6 (blank)
    Row  7 王五   15-digit ID, 出生年月 '1949年12月', party date 197508 as a number
    Row  8 赵六   ID stored as a number (lost precision), birth 19800615 number
    Row  9 合计：3人 (subtotal)
    Row 10 钱七   birth '1975.13' (bad month), sex '未知', Excel serial 27454 in 参加工作时间
    Row 11 填表人：孙八 (signature line)
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "干部名册"
    ws["A1"] = TITLE
    ws.merge_cells("A1:L1")
    ws["A2"] = "填报单位：市委组织部        填报时间：2025年1月"
    ws.merge_cells("A2:L2")
    ws.append(HEADER)
    ws.append(
        [
            1,
            "张  三",
            "男",
            "1975.03",
            ID_ZHANG,
            "市委办公室 ",
            "主任",
            "一级调研员",
            "1998.07",
            "1997-08-01",
            "读书",
            "",
        ]
    )
    ws.append(
        [
            2,
            "李四",
            2,
            dt.datetime(1980, 6, 15),
            "320102 19800615 0026",
            "市财政局",
            "副局长",
            "二级调研员",
            "2001年7月",
            "2002/8",
            "",
            "借调",
        ]
    )
    ws.append([])
    ws.append(
        [
            3,
            "王五",
            "男",
            "1949年12月",
            ID_WANG_15,
            "市档案馆",
            "馆长",
            None,
            197508,
            "1968.3",
            None,
            None,
        ]
    )
    ws.append(
        [
            4,
            "赵六",
            "女",
            19800615,
            1.1010119750301e17,
            "市统计局",
            "科员",
            "一级科员",
            None,
            "20020801",
            None,
            None,
        ]
    )
    ws.append([None, "合计：3人", None, None, None, None, None, None, None, None, None, None])
    ws.append(
        [
            5,
            "钱七",
            "未知",
            "1975.13",
            ID_WANG,
            "市民政局",
            "科长",
            "四级主任科员",
            None,
            27454,
            None,
            None,
        ]
    )
    ws.append(["填表人：孙八"])
    wb.save(path)
    return path


def two_level_xlsx(path: Path) -> Path:
    """A two-level header: 学历学位 split into 全日制教育 / 在职教育 over 学历 / 学位."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "出生年月", "全日制教育", None, "在职教育", None, "身份证号"])
    ws.append([None, None, "学历", "学位", "学历", "学位", None])
    ws.append(["周九", "1970.10", "大学", "学士", "研究生", "硕士", ID_WANG])
    wb.save(path)
    return path


def csv_bytes(encoding: str) -> bytes:
    """A small roster as Chinese Excel saves it; ``encoding`` 'utf-8', 'utf-8-sig', 'gbk'."""
    lines = [
        "干部花名册,,,,",
        "姓名,性别,出生年月,身份证号码,现任职务",
        f"张三,男,1975.03,{ID_ZHANG},主任",
        f"李四,女,1980年6月,{ID_LI.lower()},副局长",
        ",,,,",
        "王五,男,1975.1,1.10101E+17,馆长",
    ]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


LRMX_SAMPLE = f"""<?xml version="1.0" encoding="UTF-8"?>
<Person>
  <XingMing>张三</XingMing>
  <XingBie>男</XingBie>
  <ChuShengNianYue>197503</ChuShengNianYue>
  <MinZu>汉族</MinZu>
  <JiGuan>山东济南</JiGuan>
  <ChuShengDi>山东济南</ChuShengDi>
  <RuDangShiJian>1998.07</RuDangShiJian>
  <CanJiaGongZuoShiJian>19970801</CanJiaGongZuoShiJian>
  <JianKangZhuangKuang>健康</JianKangZhuangKuang>
  <ZhuanYeJiShuZhiWu>高级经济师</ZhuanYeJiShuZhiWu>
  <ShuXiZhuanYeYouHeZhuanChang>财政管理</ShuXiZhuanYeYouHeZhuanChang>
  <QuanRiZhiJiaoYu_XueLi>大学</QuanRiZhiJiaoYu_XueLi>
  <QuanRiZhiJiaoYu_XueWei>经济学学士</QuanRiZhiJiaoYu_XueWei>
  <QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi>山东大学经济系财政学专业</QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi>
  <QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi>山东大学经济系财政学专业</QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi>
  <ZaiZhiJiaoYu_XueLi>研究生</ZaiZhiJiaoYu_XueLi>
  <ZaiZhiJiaoYu_XueWei></ZaiZhiJiaoYu_XueWei>
  <ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi>中央党校经济学专业</ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi>
  <ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi></ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi>
  <XianRenZhiWu>市财政局局长</XianRenZhiWu>
  <NiRenZhiWu>市发改委主任</NiRenZhiWu>
  <NiMianZhiWu>市财政局局长</NiMianZhiWu>
  <JianLi>1993.09--1997.07  山东大学经济系财政学专业学习
1997.08--2010.12  市财政局科员、副科长、科长</JianLi>
  <JiangChengQingKuang>2015年记三等功</JiangChengQingKuang>
  <NianDuKaoHeJieGuo>2022、2023年度考核均为称职</NianDuKaoHeJieGuo>
  <RenMianLiYou>工作需要</RenMianLiYou>
  <JiaTingChengYuan>
    <Item>
      <ChengWei>妻子</ChengWei>
      <XingMing>李梅</XingMing>
      <ChuShengRiQi>197602</ChuShengRiQi>
      <ZhengZhiMianMao>中共党员</ZhengZhiMianMao>
      <GongZuoDanWeiJiZhiWu>市第一中学教师</GongZuoDanWeiJiZhiWu>
    </Item>
    <Item>
      <ChengWei>父亲</ChengWei>
      <XingMing>张大山</XingMing>
      <ChuShengRiQi>1948.05</ChuShengRiQi>
      <ZhengZhiMianMao>群众</ZhengZhiMianMao>
      <GongZuoDanWeiJiZhiWu>已退休</GongZuoDanWeiJiZhiWu>
    </Item>
    <Item>
      <ChengWei></ChengWei><XingMing></XingMing><ChuShengRiQi></ChuShengRiQi>
      <ZhengZhiMianMao></ZhengZhiMianMao><GongZuoDanWeiJiZhiWu></GongZuoDanWeiJiZhiWu>
    </Item>
  </JiaTingChengYuan>
  <ChengBaoDanWei>中共XX市委组织部</ChengBaoDanWei>
  <JiSuanNianLingShiJian>20250101</JiSuanNianLingShiJian>
  <TianBiaoShiJian>20250105</TianBiaoShiJian>
  <TianBiaoRen>王小二</TianBiaoRen>
  <ShenFenZheng>{ID_WANG.lower()}</ShenFenZheng>
  <ZhaoPian>{base64.b64encode(PHOTO).decode()}</ZhaoPian>
  <DaoLingNianYue>203503</DaoLingNianYue>
  <Version>3.2.1.6</Version>
</Person>
"""

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Person><XingMing>&lol9;</XingMing></Person>
"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE Person [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<Person><XingMing>&xxe;</XingMing></Person>
"""

XXE_NO_DTD_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE Person SYSTEM "http://example.invalid/evil.dtd">
<Person><XingMing>张三</XingMing></Person>
"""


def lrm_fields() -> list[str]:
    """33 fields of an .lrm file (DOMAIN 4.2 indices)."""
    fields = [""] * 33
    fields[0] = "李四"
    fields[1] = "女"
    fields[2] = "198006"
    fields[3] = "汉族"
    fields[4] = "江苏南京"
    fields[5] = "200107"
    fields[6] = "健康"
    fields[7] = "江苏南京"
    fields[8] = "200208"
    fields[9] = "大学#管理学学士@研究生#"
    fields[10] = "南京大学商学院@中央党校"
    fields[11] = "会计师"
    fields[16] = "预算管理"
    fields[17] = "1998.09--2002.07  南京大学商学院学习\r\n2002.08--  市财政局工作"
    fields[18] = "无"
    fields[19] = "2023年度优秀"
    fields[20] = "丈夫@女儿"
    fields[21] = "陈刚@陈小雨"
    fields[22] = "197905@200803"
    fields[23] = "中共党员@共青团员"
    fields[24] = "市公安局民警@南京大学学生"
    fields[25] = "市财政局副局长"
    fields[26] = "市审计局局长"
    fields[29] = "中共XX市委"
    fields[31] = "王小二"
    fields[32] = "20250105"
    return fields


def lrm_bytes(fields: list[str] | None = None) -> bytes:
    fields = lrm_fields() if fields is None else fields
    return ('"' + '","'.join(fields) + '"').encode("gb18030")


def truncated(data: bytes) -> bytes:
    """The first 60 % of a file, as left by an interrupted copy."""
    return data[: len(data) * 6 // 10]


def xlsx_bytes(rows: list[list[object]], title: str = "Sheet1") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
