"""Seed values of the editable pick-lists (shared/DOMAIN.md §4.3 code tables and §5.2).

The database holds the lists (table picklist_item); these are only the first values a
new database gets. Users may add, rename, reorder and deactivate items.
"""

from __future__ import annotations

import re
import unicodedata

KINDS: dict[str, str] = {
    "ethnicity": "民族",
    "political_status": "政治面貌",
    "education": "学历",
    "degree": "学位",
    "leadership_level": "领导职务层次",
    "rank": "职级",
    "health": "健康状况",
    "family_relation": "家庭关系",
}

# GB 3304-1991 民族 codes 01..56, then 97/98 as in the code table.
_ETHNIC = [
    "汉族",
    "蒙古族",
    "回族",
    "藏族",
    "维吾尔族",
    "苗族",
    "彝族",
    "壮族",
    "布依族",
    "朝鲜族",
    "满族",
    "侗族",
    "瑶族",
    "白族",
    "土家族",
    "哈尼族",
    "哈萨克族",
    "傣族",
    "黎族",
    "傈僳族",
    "佤族",
    "畲族",
    "高山族",
    "拉祜族",
    "水族",
    "东乡族",
    "纳西族",
    "景颇族",
    "柯尔克孜族",
    "土族",
    "达斡尔族",
    "仫佬族",
    "羌族",
    "布朗族",
    "撒拉族",
    "毛南族",
    "仡佬族",
    "锡伯族",
    "阿昌族",
    "普米族",
    "塔吉克族",
    "怒族",
    "乌孜别克族",
    "俄罗斯族",
    "鄂温克族",
    "德昂族",
    "保安族",
    "裕固族",
    "京族",
    "塔塔尔族",
    "独龙族",
    "鄂伦春族",
    "赫哲族",
    "门巴族",
    "珞巴族",
    "基诺族",
]
ETHNICITY = [(f"{i:02d}", n) for i, n in enumerate(_ETHNIC, start=1)] + [
    ("91", "其他族"),
    ("92", "外国血统"),
    ("98", "外国民族"),
    ("99", "加入中国籍的外国人"),
]

# GB 4762 政治面貌, with the short forms the forms use.
POLITICAL_STATUS = [
    ("01", "中共党员"),
    ("02", "中共预备党员"),
    ("03", "共青团员"),
    ("04", "民革党员"),
    ("05", "民盟盟员"),
    ("06", "民建会员"),
    ("07", "民进会员"),
    ("08", "农工党党员"),
    ("09", "致公党党员"),
    ("10", "九三学社社员"),
    ("11", "台盟盟员"),
    ("12", "无党派人士"),
    ("13", "群众"),
]

EDUCATION = [
    ("11", "博士研究生"),
    ("14", "硕士研究生"),
    ("10", "研究生"),
    ("1A", "中央党校研究生"),
    ("1B", "省委党校研究生"),
    ("20", "大学本科"),
    ("2A", "中央党校大学"),
    ("2B", "省委党校大学"),
    ("30", "大学专科"),
    ("3A", "省委党校大专"),
    ("40", "中专"),
    ("60", "高中"),
    ("70", "初中及以下"),
]

_FIELDS = [
    "哲学",
    "经济学",
    "法学",
    "教育学",
    "文学",
    "历史学",
    "理学",
    "工学",
    "农学",
    "医学",
    "军事学",
    "管理学",
    "艺术学",
]
DEGREE = (
    [("2", "博士"), ("3", "硕士"), ("4", "学士")]
    + [(f"2{i:02d}", f"{f}博士") for i, f in enumerate(_FIELDS, 1)]
    + [(f"3{i:02d}", f"{f}硕士") for i, f in enumerate(_FIELDS, 1)]
    + [(f"4{i:02d}", f"{f}学士") for i, f in enumerate(_FIELDS, 1)]
)

# 《公务员职务与职级并行规定》 第六条, high → low.
LEADERSHIP_LEVEL = [
    ("01", "国家级正职"),
    ("02", "国家级副职"),
    ("03", "省部级正职"),
    ("04", "省部级副职"),
    ("05", "厅局级正职"),
    ("06", "厅局级副职"),
    ("07", "县处级正职"),
    ("08", "县处级副职"),
    ("09", "乡科级正职"),
    ("10", "乡科级副职"),
]

# 第七条 综合管理类职级, high → low; the third value is the leadership level it ranks with
# (DOMAIN §5.2 "Equivalences"; some are inferred there and marked [I]).
RANK = [
    ("01", "一级巡视员", "厅局级正职"),
    ("02", "二级巡视员", "厅局级副职"),
    ("03", "一级调研员", "县处级正职"),
    ("04", "二级调研员", "县处级正职"),
    ("05", "三级调研员", "县处级副职"),
    ("06", "四级调研员", "县处级副职"),
    ("07", "一级主任科员", "乡科级正职"),
    ("08", "二级主任科员", "乡科级正职"),
    ("09", "三级主任科员", "乡科级副职"),
    ("10", "四级主任科员", "乡科级副职"),
    ("11", "一级科员", ""),
    ("12", "二级科员", ""),
]

HEALTH = [("1", "健康"), ("3", "一般"), ("4", "较差")]

FAMILY_RELATION = [
    ("10", "父亲"),
    ("11", "母亲"),
    ("12", "丈夫"),
    ("13", "妻子"),
    ("14", "儿子"),
    ("15", "女儿"),
    ("16", "哥哥"),
    ("17", "姐姐"),
    ("18", "弟弟"),
    ("19", "妹妹"),
    ("20", "岳父"),
    ("21", "岳母"),
    ("22", "公公"),
    ("23", "婆婆"),
]


# 别名: how offices write an item (GB/T 4658 short names, 名册 and 任免审批表 habits). Matching
# also ignores spaces and full-width/half-width differences (see :func:`match_key`).
VARIANT_SEP = "|"
_VARIANTS: dict[str, dict[str, tuple[str, ...]]] = {
    "ethnicity": {n: (n[:-1],) for n in _ETHNIC},  # 汉 → 汉族, 蒙古 → 蒙古族 …
    "political_status": {
        "中共党员": ("党员", "共产党员", "中国共产党党员"),
        "中共预备党员": ("预备党员", "中国共产党预备党员"),
        "共青团员": ("团员", "中国共产主义青年团团员"),
        "民革党员": ("民革", "民革会员", "中国国民党革命委员会会员"),
        "民盟盟员": ("民盟", "中国民主同盟盟员"),
        "民建会员": ("民建", "中国民主建国会会员"),
        "民进会员": ("民进", "中国民主促进会会员"),
        "农工党党员": ("农工党", "中国农工民主党党员"),
        "致公党党员": ("致公党", "中国致公党党员"),
        "九三学社社员": ("九三学社",),
        "台盟盟员": ("台盟", "台湾民主自治同盟盟员"),
        "无党派人士": ("无党派", "无党派民主人士"),
    },
    "education": {
        "博士研究生": ("博士研究生毕业",),
        "硕士研究生": ("硕士研究生毕业",),
        "研究生": ("研究生毕业",),
        "中央党校研究生": ("中央党校研究生毕业",),
        "省委党校研究生": ("省委党校研究生毕业",),
        "大学本科": ("大学", "本科", "大学毕业", "大学本科毕业"),
        "中央党校大学": ("中央党校本科",),
        "省委党校大学": ("省委党校本科",),
        "大学专科": ("大专", "专科", "大专毕业", "大学专科毕业"),
        "省委党校大专": ("省委党校专科",),
        "中专": ("中等专科", "中专毕业"),
        "高中": ("高中毕业",),
        "初中及以下": ("初中", "小学"),
    },
    "degree": {name: (f"{name}学位",) for _code, name in DEGREE},  # 学士学位 → 学士 …
}


def variants_of(kind: str, name: str) -> tuple[str, ...]:
    """The seeded variants (别名) of an item, as a new database (or schema v6) gets them."""
    return _VARIANTS.get(kind, {}).get(name, ())


def join_variants(variants: list[str] | tuple[str, ...]) -> str:
    return VARIANT_SEP.join(v for v in variants if v)


def split_variants(text: str) -> list[str]:
    """Stored text → variants (also accepts 、，,；; and line breaks, as typed in the dialog)."""
    parts = re.split(r"[|、，,；;\n]+", text or "")
    out: list[str] = []
    for p in parts:
        p = p.strip()
        if p and p not in out:
            out.append(p)
    return out


def match_key(text: str) -> str:
    """What two spellings of one value have in common: full-width → half-width (NFKC) and
    no spaces. ``"大学本科（函授）"`` and ``"大学本科(函授) "`` give the same key."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def seed_rows() -> list[dict[str, object]]:
    """Rows for picklist_item: kind, code, name, sort_order, equivalent, variants."""
    rows: list[dict[str, object]] = []
    simple = {
        "ethnicity": ETHNICITY,
        "political_status": POLITICAL_STATUS,
        "education": EDUCATION,
        "degree": DEGREE,
        "leadership_level": LEADERSHIP_LEVEL,
        "health": HEALTH,
        "family_relation": FAMILY_RELATION,
    }
    for kind, items in simple.items():
        for order, (code, name) in enumerate(items, start=1):
            rows.append(
                {
                    "kind": kind,
                    "code": code,
                    "name": name,
                    "sort_order": order,
                    "equivalent": "",
                    "variants": join_variants(variants_of(kind, name)),
                }
            )
    for order, (code, name, eq) in enumerate(RANK, start=1):
        rows.append(
            {
                "kind": "rank",
                "code": code,
                "name": name,
                "sort_order": order,
                "equivalent": eq,
                "variants": "",
            }
        )
    return rows
