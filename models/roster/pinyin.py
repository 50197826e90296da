"""Pinyin keys for searching and sorting names: initials (张三 ← "zs"), full pinyin
("zhangsan") and a sort key that keeps one surname together ("chen fang" before
"cheng gang").

A name is read as people read names, not as the dictionary lists a character: a surname by
its reading as a surname (曾 zēng, 单 shàn, 仇 qiú, 解 xiè, 区 ōu; 丁 is dīng, never its rare
zhēng), the given name by the common reading in context. Only the few surnames that families
really read two ways (乐 yuè/lè, 牟 móu/mù, 覃 qín/tán, 尉 wèi/yù) keep both, separated by a
space in the search keys ("yueping leping"); the sort key takes the first.
"""

from __future__ import annotations

# Compound surnames first (two characters), then one-character surnames whose surname
# reading is not the character's everyday reading, or which pypinyin reads several ways.
# Sources: 《百家姓》 readings as given by 《现代汉语词典》（第7版） for surnames (姓).
COMPOUND_SURNAMES: dict[str, tuple[str, ...]] = {
    "尉迟": ("yu chi",),
    "万俟": ("mo qi",),
    "长孙": ("zhang sun",),
    "澹台": ("tan tai",),
    "单于": ("chan yu",),
    "欧阳": ("ou yang",),
    "令狐": ("ling hu",),
    "皇甫": ("huang fu",),
    "司马": ("si ma",),
    "诸葛": ("zhu ge",),
    "上官": ("shang guan",),
    "东方": ("dong fang",),
    "独孤": ("du gu",),
    "南宫": ("nan gong",),
    "公孙": ("gong sun",),
    "夏侯": ("xia hou",),
    "慕容": ("mu rong",),
    "宇文": ("yu wen",),
    "呼延": ("hu yan",),
    "轩辕": ("xuan yuan",),
    "端木": ("duan mu",),
    "申屠": ("shen tu",),
    "司徒": ("si tu",),
    "司空": ("si kong",),
    "钟离": ("zhong li",),
    "闾丘": ("lv qiu",),
}
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "曾": ("zeng",),
    "单": ("shan",),
    "仇": ("qiu",),
    "解": ("xie",),
    "区": ("ou",),
    "查": ("zha",),
    "朴": ("piao",),
    "盖": ("ge",),
    "缪": ("miao",),
    "翟": ("zhai",),
    "祭": ("zhai",),
    "任": ("ren",),
    "沈": ("shen",),
    "员": ("yun",),
    "种": ("chong",),
    "重": ("chong",),
    "华": ("hua",),
    "纪": ("ji",),
    "柏": ("bai",),
    "秘": ("bi",),
    "繁": ("po",),
    "句": ("gou",),
    "相": ("xiang",),
    "薄": ("bo",),
    "卜": ("bu",),
    "谌": ("chen",),
    "宁": ("ning",),
    "燕": ("yan",),
    "都": ("du",),
    "曲": ("qu",),
    "召": ("shao",),
    "阚": ("kan",),
    "过": ("guo",),
    "厍": ("she",),
    "折": ("she",),
    "车": ("che",),
    "冼": ("xian",),
    "洗": ("xian",),
    "丁": ("ding",),
    "石": ("shi",),
    "长": ("chang",),
    "藏": ("zang",),
    "贾": ("jia",),
    "能": ("nai",),
    "黑": ("he",),
    "隗": ("wei",),
    "便": ("pian",),
    "朝": ("chao",),
    "乜": ("nie",),
    "角": ("jue",),
    "行": ("xing",),
    "强": ("qiang",),
    "陆": ("lu",),
    "万": ("wan",),
    "叶": ("ye",),
    "殷": ("yin",),
    "盛": ("sheng",),
    "传": ("chuan",),
    "费": ("fei",),
    "覃": ("qin", "tan"),
    "乐": ("yue", "le"),
    "牟": ("mou", "mu"),
    "尉": ("wei", "yu"),
}


def _lower(s: str) -> str:
    return s.lower()


def surname_of(name: str) -> tuple[str, tuple[str, ...]]:
    """(the surname, its readings as syllables separated by spaces): a compound surname of
    the list, else the first character, read as a surname."""
    head = name[:2]
    if head in COMPOUND_SURNAMES and len(name) > 2:
        return head, COMPOUND_SURNAMES[head]
    first = name[:1]
    known = SURNAME_READINGS.get(first)
    if known:
        return first, known
    from pypinyin import lazy_pinyin  # lazy: pypinyin loads its dictionaries on import

    return first, ("".join(lazy_pinyin(first, errors=_lower)).lower() or first,)


def name_keys(name: str) -> tuple[str, str, str]:
    """(full pinyin, initials, sort key) of a name, lower-case. Full pinyin and initials hold
    one variant per reading of the surname, separated by spaces ("zengzhiqiang",
    "zzq"); the sort key is the first reading's syllables separated by spaces
    ("zeng zhi qiang"), so that 陈 (chen) sorts wholly before 程 (cheng)."""
    text = "".join(name.split())
    if not text:
        return "", "", ""
    # pypinyin loads its phrase dictionaries on import; commands that never touch names
    # (grade, print) start faster without them
    # lazy: about 0.15 s on the first name that needs keys
    from pypinyin import lazy_pinyin

    surname, readings = surname_of(text)
    rest = [s.lower() for s in lazy_pinyin(text[len(surname) :], errors=_lower) if s]
    full = " ".join(dict.fromkeys(r.replace(" ", "") + "".join(rest) for r in readings))
    tail = "".join(s[0] for s in rest)
    initials = " ".join(dict.fromkeys("".join(s[0] for s in r.split()) + tail for r in readings))
    sort_key = " ".join([readings[0], *rest])
    return full, initials, sort_key
