"""A realistic, deterministic demo database for 白银市 (Baiyin, Gansu).

Units follow the city's real structure (市委 and 市政府 departments, the two districts and
three counties with their own departments and townships); ID numbers use the real county
codes (GB/T 2260: 620402 白银区, 620403 平川区, 620421 靖远县, 620422 会宁县, 620423 景泰县)
and all pass the GB 11643 check. The same seed always gives the same database.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from dataclasses import dataclass
from pathlib import Path

from peewee import Database

from models.accounts import has_accounts
from models.core.db import (
    backup_sqlite,
    bulk_insert,
    close_database,
    db,
    display_target,
    is_postgres_url,
)
from models.core.errors import DomainError
from models.core.progress import Progress
from models.demo.assessment import add_demo_assessment
from models.demo.evaluation import add_demo_evaluation
from models.demo.lectures import add_demo_lectures
from models.demo.training import add_demo_training
from models.roster import idcard
from models.roster.pinyin import name_keys
from models.roster.tables import Cadre, Unit
from models.schema import open_database

MIN_CADRES = 30

CITY = ("白银市", "620400")
# City-level staff are mostly registered in 白银区, where the city government sits.
CITY_REGION = "620402"
COUNTIES = [
    ("白银区", "620402", ["水川镇", "四龙镇", "王岘镇", "强湾乡", "武川乡"]),
    ("平川区", "620403", ["王家山镇", "水泉镇", "共和镇", "宝积镇", "黄峤镇"]),
    ("靖远县", "620421", ["乌兰镇", "东湾镇", "北湾镇", "刘川镇", "北滩镇", "平堡镇"]),
    ("会宁县", "620422", ["会师镇", "郭城驿镇", "河畔镇", "甘沟驿镇", "太平店镇", "柴家门镇"]),
    ("景泰县", "620423", ["一条山镇", "芦阳镇", "上沙沃镇", "喜泉镇", "草窝滩镇", "红水镇"]),
]
CITY_PARTY = [
    "市委办公室",
    "市委组织部",
    "市委宣传部",
    "市委统战部",
    "市委政法委员会",
    "市纪委监委",
]
CITY_GOV = [
    "市政府办公室",
    "市发展和改革委员会",
    "市教育局",
    "市公安局",
    "市财政局",
    "市人力资源和社会保障局",
    "市自然资源局",
    "市住房和城乡建设局",
    "市交通运输局",
    "市农业农村局",
    "市商务局",
    "市文化和旅游局",
    "市卫生健康委员会",
    "市应急管理局",
    "市审计局",
    "市市场监督管理局",
]
COUNTY_DEPTS = [
    "办公室",
    "组织部",
    "宣传部",
    "政府办公室",
    "发展和改革局",
    "教育局",
    "财政局",
    "农业农村局",
]

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶贺顾毛郝龚"
    "邵万严武戴孔汤牛包"
)
GIVEN_M = "伟军强磊勇涛斌杰峰刚明辉健波鹏华平东文龙海林建国忠宏志成亮新春兵锋俊庆祥荣胜帅松顺生"
GIVEN_F = "芳娟丽敏静燕霞红艳玲萍婷雪琴梅兰英慧瑾璐颖倩晶洁瑞彦珍琳淑爽素双"
GIVEN_ANY = "晓小永玉建海红春立卫学德志文世彦宗继兴振延树书"

ETHNIC = [("汉族", 955), ("回族", 35), ("东乡族", 5), ("藏族", 3), ("土族", 2)]
POLITICAL = [
    ("中共党员", 870),
    ("群众", 70),
    ("中共预备党员", 10),
    ("民盟盟员", 15),
    ("民进会员", 10),
    ("九三学社社员", 8),
    ("无党派人士", 17),
]
FT_EDU = [
    ("大学本科", 600),
    ("大学专科", 170),
    ("硕士研究生", 120),
    ("中专", 60),
    ("高中", 20),
    ("博士研究生", 5),
]
FIELDS = ["法学", "经济学", "管理学", "工学", "文学", "理学", "农学", "教育学", "历史学", "医学"]
SCHOOLS = [
    "兰州大学",
    "西北师范大学",
    "兰州理工大学",
    "甘肃农业大学",
    "兰州交通大学",
    "西北民族大学",
    "兰州财经大学",
    "甘肃政法大学",
    "陕西师范大学",
    "西北大学",
]
MAJORS = {
    "法学": "法学专业",
    "经济学": "经济学专业",
    "管理学": "行政管理专业",
    "工学": "土木工程专业",
    "文学": "汉语言文学专业",
    "理学": "数学与应用数学专业",
    "农学": "农学专业",
    "教育学": "教育学专业",
    "历史学": "历史学专业",
    "医学": "临床医学专业",
}

# Within a city department / a county leadership / a county department or township.
CITY_DEPT_MIX = [
    ("县处级正职", 4),
    ("县处级副职", 12),
    ("乡科级正职", 22),
    ("乡科级副职", 20),
    ("", 42),
]
COUNTY_MIX = [("县处级正职", 10), ("县处级副职", 40), ("乡科级正职", 20), ("", 30)]
LOCAL_MIX = [("乡科级正职", 10), ("乡科级副职", 30), ("", 60)]
RANK_FOR_LEVEL = {
    "县处级正职": ["一级调研员", "二级调研员"],
    "县处级副职": ["三级调研员", "四级调研员"],
    "乡科级正职": ["一级主任科员", "二级主任科员"],
    "乡科级副职": ["三级主任科员", "四级主任科员"],
    "": ["一级主任科员", "二级主任科员", "三级主任科员", "四级主任科员", "一级科员", "二级科员"],
}


def _rank_for_age(age: int) -> list[str]:
    """Non-leading cadres rise through the 职级 with years of service."""
    if age < 28:
        return ["二级科员", "一级科员"]
    if age < 33:
        return ["一级科员", "四级主任科员"]
    if age < 40:
        return ["四级主任科员", "三级主任科员"]
    if age < 48:
        return ["三级主任科员", "二级主任科员"]
    return ["二级主任科员", "一级主任科员", "四级调研员"]


SECTIONS = ["办公室", "综合科", "政策法规科", "计划财务科", "人事科", "督查科"]


@dataclass(frozen=True)
class _UnitSpec:
    name: str
    code: str
    parent: int | None
    kind: str  # 'city_dept' / 'county' / 'local' / 'group'
    region: str


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    names, weights = zip(*weighted, strict=True)
    return rng.choices(names, weights)[0]


def _units() -> list[_UnitSpec]:
    """The unit tree, parents before children; parent is an index into this list."""
    out: list[_UnitSpec] = [_UnitSpec(CITY[0], CITY[1], None, "group", CITY_REGION)]
    out.append(_UnitSpec("市委", "", 0, "group", CITY_REGION))
    party = len(out) - 1
    for i, name in enumerate(CITY_PARTY, 1):
        out.append(_UnitSpec(name, f"{CITY[1]}-1{i:02d}", party, "city_dept", CITY_REGION))
    out.append(_UnitSpec("市政府", "", 0, "group", CITY_REGION))
    gov = len(out) - 1
    for i, name in enumerate(CITY_GOV, 1):
        out.append(_UnitSpec(name, f"{CITY[1]}-2{i:02d}", gov, "city_dept", CITY_REGION))
    for county, code, towns in COUNTIES:
        out.append(_UnitSpec(county, code, 0, "group", code))
        parent = len(out) - 1
        prefix = county if county.endswith("区") else county
        out.append(_UnitSpec(f"{prefix}领导班子", f"{code}-000", parent, "county", code))
        for i, dept in enumerate(COUNTY_DEPTS, 1):
            full = f"{prefix}委{dept}" if i <= 3 else f"{prefix}{dept}"
            out.append(_UnitSpec(full, f"{code}-1{i:02d}", parent, "local", code))
        for i, town in enumerate(towns, 1):
            out.append(_UnitSpec(town, f"{code}-2{i:02d}", parent, "local", code))
    return out


def _post(rng: random.Random, unit: _UnitSpec, level: str, rank: str) -> str:
    name = unit.name
    if unit.kind == "county":
        county = name.removesuffix("领导班子")
        if level == "县处级正职":
            return rng.choice([f"{county}委书记", f"{county}长"])
        if level == "县处级副职":
            return rng.choice([f"{county}委常委", f"副{county}长", f"{county}委副书记"])
        if level == "乡科级正职":
            return f"{county}委办公室主任"
        return f"{county}政府办公室{rank}"
    is_town = name.endswith(("镇", "乡"))
    head = (
        "党委书记"
        if is_town
        else (
            "主任"
            if "办公室" in name or "委员会" in name
            else ("部长" if name.endswith("部") else "局长")
        )
    )
    if unit.kind == "city_dept":
        if level == "县处级正职":
            return f"{name}{head}"
        if level == "县处级副职":
            return f"{name}副{head.removeprefix('党委')}"
        section = rng.choice(SECTIONS)
        if level == "乡科级正职":
            return f"{name}{section}科长" if section.endswith("科") else f"{name}{section}主任"
        if level == "乡科级副职":
            return f"{name}{section}副科长" if section.endswith("科") else f"{name}{section}副主任"
        return f"{name}{section}{rank}"
    if level == "乡科级正职":
        return (
            rng.choice([f"{name}党委书记", f"{name}{'镇长' if name.endswith('镇') else '乡长'}"])
            if is_town
            else f"{name}{head}"
        )
    if level == "乡科级副职":
        if is_town:
            return rng.choice(
                [f"{name}党委副书记", f"{name}副{'镇长' if name.endswith('镇') else '乡长'}"]
            )
        return f"{name}副{head}"
    return f"{name}{rank}"


def _month(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """A random first-of-month between start and end."""
    a, b = start.year * 12 + start.month - 1, end.year * 12 + end.month - 1
    m = rng.randint(min(a, b), b)
    return dt.date(m // 12, m % 12 + 1, 1)


def _add_years(d: dt.date, years: int) -> dt.date:
    return d.replace(year=d.year + years, day=1)


class _Ids:
    """Unique valid ID numbers."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, rng: random.Random, region: str, birth: dt.date, male: bool) -> str:
        while True:
            seq = rng.randint(0, 99) * 10 + rng.choice((1, 3, 5, 7, 9) if male else (0, 2, 4, 6, 8))
            first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
            number = first17 + idcard.check_char(first17)
            if number not in self.used:
                self.used.add(number)
                return number


def _cadre_row(
    rng: random.Random, ids: _Ids, unit_id: int, unit: _UnitSpec, today: dt.date
) -> dict[str, object]:
    male = rng.random() < 0.72
    status = _pick(rng, [("在职", 95), ("调离", 3), ("退休", 2)])
    mix = {"city_dept": CITY_DEPT_MIX, "county": COUNTY_MIX}.get(unit.kind, LOCAL_MIX)
    level = _pick(rng, mix)
    youngest = {"县处级正职": 38, "县处级副职": 33, "乡科级正职": 29, "乡科级副职": 26}.get(
        level, 23
    )
    if status == "退休":
        age = rng.randint(60, 64)
    else:
        age = rng.randint(youngest, 59)
    rank = rng.choice(RANK_FOR_LEVEL[level] if level else _rank_for_age(age))
    birth = today.replace(year=today.year - age - 1) + dt.timedelta(days=rng.randint(0, 364))
    region = unit.region if rng.random() < 0.8 else rng.choice([c[1] for c in COUNTIES])
    number = ids.make(rng, region, birth, male)
    surname = rng.choice(SURNAMES)
    pool = GIVEN_M if male else GIVEN_F
    given = (
        rng.choice(pool) if rng.random() < 0.35 else rng.choice(GIVEN_ANY + pool) + rng.choice(pool)
    )
    name = surname + given
    political = _pick(rng, POLITICAL)
    if level in ("县处级正职", "县处级副职") and political not in ("中共党员",):
        political = "中共党员" if rng.random() < 0.9 else political
    party_date = (
        _month(rng, _add_years(birth, 20), min(_add_years(birth, 35), today))
        if political in ("中共党员", "中共预备党员")
        else None
    )
    if political == "中共预备党员":
        party_date = _month(rng, today - dt.timedelta(days=330), today - dt.timedelta(days=30))
    edu = _pick(rng, FT_EDU)
    recent = today - dt.timedelta(days=60)
    work_start = _month(
        rng,
        _add_years(birth, 18 if edu in ("中专", "高中") else 22),
        min(_add_years(birth, 20 if edu in ("中专", "高中") else 25), recent),
    )
    field = rng.choice(FIELDS)
    degree = {
        "大学本科": f"{field}学士",
        "硕士研究生": f"{field}硕士",
        "博士研究生": f"{field}博士",
    }.get(edu, "")
    school = f"{rng.choice(SCHOOLS)}{MAJORS[field]}" if edu not in ("中专", "高中") else ""
    pt_edu = ""
    if edu in ("大学专科", "中专", "大学本科") and rng.random() < 0.35:
        pt_edu = rng.choice(["中央党校大学", "省委党校大学", "省委党校研究生", "大学本科"])
    post_since = _month(rng, max(work_start, today - dt.timedelta(days=8 * 365)), recent)
    county_name = next((c[0] for c in COUNTIES if c[1] == region), "白银区")
    native = f"甘肃{county_name.removesuffix('县')}" if county_name.endswith("县") else "甘肃白银"
    full, initials, sort_key = name_keys(name)
    return {
        "name": name,
        "name_pinyin": full,
        "name_initials": initials,
        "name_sort": sort_key,
        "sex": "男" if male else "女",
        "birth_date": birth,
        "ethnicity": _pick(rng, ETHNIC),
        "native_place": native,
        "birthplace": native,
        "political_status": political,
        "party_date": party_date,
        "work_start_date": work_start,
        "health": _pick(rng, [("健康", 96), ("一般", 4)]),
        "ft_education": edu,
        "ft_degree": degree,
        "ft_school": school,
        "pt_education": pt_edu,
        "pt_degree": "",
        "pt_school": "省委党校经济管理专业" if pt_edu.startswith("省委党校") else "",
        "unit": unit_id,
        "post_title": _post(rng, unit, level, rank),
        "leadership_level": level,
        "rank": rank,
        "post_since": post_since,
        "id_card": number,
        "phone": f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(0, 99999999):08d}",
        "status": status,
        "notes": "",
        "created_at": dt.datetime.combine(today, dt.time(9, 0)),
        "updated_at": dt.datetime.combine(today, dt.time(9, 0)),
    }


def build_demo(
    path: str | Path,
    *,
    cadres: int = 300,
    seed: int = 1,
    today: dt.date | None = None,
    progress: Progress | None = None,
    parts: tuple[str, ...] = ("training", "assessment", "evaluation"),
) -> int:
    """Create a new demo database at ``path`` (a file that must not exist yet, or the URL of
    an empty PostgreSQL database); returns the number of cadres. Deterministic for a given
    (cadres, seed, today). ``parts`` chooses what is added to the roster: the three training
    classes, last year's graded annual round and last year's approved 单位考评."""
    if cadres < MIN_CADRES:
        raise DomainError(
            f"演示数据的干部人数应至少为 {MIN_CADRES}（培训班和年度考核需要），现为 {cadres}"
        )
    on_server = is_postgres_url(str(path))
    if not on_server and Path(path).exists():
        raise DomainError(f"文件 {path} 已存在；演示数据库只建在新文件中，请换一个路径或先删除它")
    today = today or dt.date.today()
    rng = random.Random(seed)
    # A file is built in memory and written out in one piece at the end: a 50,000-cadre demo
    # is about 120 MB, and writing it page by page through the WAL cost more than generating
    # it. The file appears only when everything succeeded (temp file, then rename). On a
    # server everything is written in one transaction, into a database that must be empty.
    real = open_database(str(path) if on_server else ":memory:")
    try:
        if on_server and has_accounts():
            # a shared database with accounts is a real office's: nobody writes without login
            raise DomainError(
                f"数据库 {display_target(str(path))} 已建立账号；演示数据只建在没有账号的空数据库中"
            )
        if on_server and (Unit.select().exists() or Cadre.select().exists()):
            raise DomainError(
                f"数据库 {display_target(str(path))} 中已有单位或干部；演示数据只建在空数据库中"
            )
        with db.atomic():
            specs = _units()
            unit_ids: list[int] = []
            for order, spec in enumerate(specs):
                parent = unit_ids[spec.parent] if spec.parent is not None else None
                unit_ids.append(
                    Unit.insert(
                        name=spec.name,
                        code=spec.code,
                        parent=parent,
                        sort_order=order,
                        kind=spec.kind,
                    ).execute()
                )
            leaves = [(uid, s) for uid, s in zip(unit_ids, specs, strict=True) if s.kind != "group"]
            # City departments are larger than township offices.
            weights = [
                6 if s.kind == "city_dept" else 4 if s.kind == "county" else 3 for _, s in leaves
            ]
            ids = _Ids()
            batch: list[dict[str, object]] = []
            for n in range(cadres):
                uid, spec = rng.choices(leaves, weights)[0]
                batch.append(_cadre_row(rng, ids, uid, spec, today))
                if len(batch) == 500 or n == cadres - 1:
                    bulk_insert(Cadre, batch)
                    batch.clear()
                    if progress:
                        progress(n + 1, cadres, "正在生成干部")
        if "training" in parts:
            if progress:
                progress(cadres, cadres, "正在生成培训班")
            add_demo_training(today, seed)
            add_demo_lectures(today, seed)
        if "evaluation" in parts:  # first: its approved unit grades set the round's quotas
            if progress:
                progress(cadres, cadres, "正在生成上一年度单位考评")
            add_demo_evaluation(today.year - 1, seed=seed)
        if "assessment" in parts:
            if progress:
                progress(cadres, cadres, "正在生成上一年度考核")
            add_demo_assessment(today.year - 1, seed=seed, unit_year=today.year - 1)
        if not on_server:
            _write_file(real, Path(path))
    finally:
        close_database()
    return cadres


def _write_file(real: Database, path: Path) -> None:
    """Write the in-memory demo to ``path`` in one piece (a temp file, then a rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".~{path.name}")
    tmp.unlink(missing_ok=True)
    try:
        backup_sqlite(real, tmp)  # type: ignore[arg-type]
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
