"""Pick-list values as offices write them: 别名, unknown values asked once, remembered."""

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from openpyxl import Workbook

from models.core.audit import ChangeLog
from models.core.errors import DomainError
from models.roster import codes
from models.roster.idcard import check_char
from models.roster.importing import import_rows, plan_import
from models.roster.intake import read_path, split_education_degree
from models.roster.picklists import match_key
from models.roster.tables import Cadre, PicklistItem

TODAY = dt.date(2026, 11, 22)
HEADER = [
    "姓名",
    "性别",
    "出生年月",
    "身份证号",
    "工作单位",
    "民族",
    "政治面貌",
    "全日制学历",
    "全日制学位",
]


def idn(n: int) -> str:
    first = f"62042119750312{n:03d}"
    return first + check_char(first)


def sheet(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def row(n: int, ethnic="汉族", party="中共党员", edu="大学本科", degree="") -> list[object]:
    return [
        f"张{'一二三四五六七八九十'[n % 10]}",
        "男",
        "1975.03",
        idn(n),
        "市委组织部",
        ethnic,
        party,
        edu,
        degree,
    ]


def test_short_names_are_stored_as_the_official_item(tmp_path, database):
    f = sheet(
        tmp_path / "名册.xlsx",
        [
            row(1, ethnic="汉", party="党员", edu="大学", degree="经济学学士"),
            row(2, ethnic="回", party="预备党员", edu="大专"),
            row(3, ethnic="蒙古", party="民盟", edu="中央党校大学", degree="学士学位"),
            row(4, ethnic=" 汉 族", party="中共党员", edu="研究生", degree="法学硕士"),
        ],
    )
    out = import_rows(read_path(f), today=TODAY, user="小王")
    assert out.imported, out.plan.lines()
    got = [
        (c.ethnicity, c.political_status, c.ft_education, c.ft_degree)
        for c in Cadre.select().order_by(Cadre.id_card)
    ]
    assert got == [
        ("汉族", "中共党员", "大学本科", "经济学学士"),
        ("回族", "中共预备党员", "大学专科", ""),
        ("蒙古族", "民盟盟员", "中央党校大学", "学士"),
        ("汉族", "中共党员", "研究生", "法学硕士"),
    ]


def test_unknown_values_are_gathered_once_with_their_rows(tmp_path, database):
    rows = [row(n, edu="大学本科（函授）") for n in (1, 2, 3)]
    rows.insert(1, row(9, edu="大学"))
    rows.append(row(5, edu="大学本科(函授) ", party="农民"))
    f = sheet(tmp_path / "名册.xlsx", rows)
    plan = plan_import(read_path(f), today=TODAY)
    assert not plan.ok
    by_value = {(u.label, u.value): u for u in plan.unmapped}
    assert set(by_value) == {("学历", "大学本科（函授）"), ("政治面貌", "农民")}
    edu = by_value[("学历", "大学本科（函授）")]
    assert edu.count == 4
    assert [s.row for s in edu.rows] == [2, 4, 5, 6]
    assert edu.attributes == ("ft_education",)
    lines = plan.lines()
    assert "错误：学历“大学本科（函授）”不在代码表中：4 行（第 2、4、5、6 行）" in lines
    assert "错误：政治面貌“农民”不在代码表中：1 行（第 6 行）" in lines
    assert not any("可选值中" in line for line in lines)  # not one line per row
    assert [r.action for r in plan.rows] == ["错误", "新增", "错误", "错误", "错误"]
    assert Cadre.select().count() == 0


def test_mapping_a_value_remembers_it_as_a_variant(tmp_path, database):
    f = sheet(tmp_path / "名册.xlsx", [row(1, edu="大学本科（函授）"), row(2, party="农民")])
    result = read_path(f)
    n = codes.map_values(
        [
            codes.ValueChoice("education", "大学本科（函授）", "大学本科"),
            codes.ValueChoice("political_status", "农民"),  # 新增到代码表
        ],
        user="小王",
    )
    assert n == 2
    item = PicklistItem.get(kind="education", name="大学本科")
    assert item.variants.split("|")[-1] == "大学本科（函授）"
    assert PicklistItem.get(kind="political_status", name="农民").active == 1
    plan = plan_import(result, today=TODAY)
    assert plan.ok
    assert plan.unmapped == []
    out = import_rows(result, today=TODAY, user="小王")
    assert sorted(c.ft_education for c in Cadre.select()) == ["大学本科", "大学本科"]
    assert out.imported
    log = ChangeLog.select().where(ChangeLog.entity == "picklist_item")
    assert {(e.action, e.field, e.new_value) for e in log} >= {
        ("修改", "variants", item.variants),
        ("新增", "name", "农民"),
    }


def test_mapping_to_a_missing_item_or_a_taken_variant_is_refused(database):
    before = PicklistItem.get(kind="education", name="大学本科").variants
    with pytest.raises(DomainError, match="学历中没有“本科生”，无法把“函授本科”对应到它"):
        codes.map_values(
            [
                codes.ValueChoice("education", "电大", "大学专科"),
                codes.ValueChoice("education", "函授本科", "本科生"),
            ]
        )
    # all or nothing: the first choice is not kept either
    assert "电大" not in PicklistItem.get(kind="education", name="大学专科").variants
    item = next(i for i in codes.list_items("education") if i.name == "大学本科")
    with pytest.raises(DomainError, match="学历别名“大专”已是“大学专科”的名称或别名"):
        codes.set_variants(item.id, ["大学", "大专"])
    assert PicklistItem.get(kind="education", name="大学本科").variants == before


def test_set_variants_is_audited_and_listed(database):
    item = next(i for i in codes.list_items("health") if i.name == "健康")
    assert item.variants == ()
    got = codes.set_variants(item.id, ["良好、身体健康", "良好"], user="小王")
    assert got.variants == ("良好", "身体健康")
    entry = ChangeLog.select().where(ChangeLog.entity == "picklist_item").get()
    assert entry.user == "小王"


def test_match_key_ignores_spaces_and_width():
    assert match_key(" 大学本科（函授） ") == match_key("大学本科(函授)")
    assert match_key("汉　族") == "汉族"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("大学 经济学学士", ("大学", "经济学学士")),
        ("大学经济学学士", ("大学", "经济学学士")),
        ("研究生/法学硕士", ("研究生", "法学硕士")),
        ("硕士研究生 法学硕士", ("硕士研究生", "法学硕士")),
        ("大学本科学士", ("大学本科", "学士")),
        ("研究生硕士", ("研究生", "硕士")),
        ("大学本科", ("大学本科", "")),
        ("博士研究生", ("博士研究生", "")),
        ("工学学士", ("", "工学学士")),
        ("大专", ("大专", "")),
        ("", ("", "")),
        ("大学、理学学士学位", ("大学", "理学学士学位")),
    ],
)
def test_split_education_degree(text, expected):
    education, degree = expected
    assert split_education_degree(text) == (education or None, degree or None)


# --------------------------------------------------------------------- command line


def run(capsys, *argv):
    import main  # noqa: PLC0415  # lazy: the CLI module is only needed by these tests

    try:
        code = main.main([str(a) for a in argv])
    except SystemExit as e:
        code = e.code
    out = capsys.readouterr()
    return code, out.out, out.err


def _three_rows(tmp_path: Path) -> Path:
    return sheet(
        tmp_path / "名册.xlsx",
        [row(1, edu="大学本科（函授）"), row(2, edu="大学本科（函授）"), row(3, party="农民")],
    )


def test_cli_reports_unmapped_values_grouped(tmp_path, capsys):
    code, out, err = run(capsys, "import-roster", _three_rows(tmp_path), "--db", tmp_path / "a.db")
    assert code != 0
    assert "错误：学历“大学本科（函授）”不在代码表中：2 行（第 2、3 行）" in err
    assert "错误：政治面貌“农民”不在代码表中：1 行（第 4 行）" in err
    assert "可选值中" not in err
    assert "--map" in out


def test_cli_map_file_maps_values_and_remembers_them(tmp_path, capsys):
    f = _three_rows(tmp_path)
    m = tmp_path / "对照.csv"
    m.write_text("字段,原值,对应代码表项\n学历,大学本科(函授),大学本科\n,农民,新增\n", "utf-8")
    db = tmp_path / "a.db"
    code, out, err = run(capsys, "import-roster", f, "--db", db, "--map", m)
    assert code == 0, err
    assert "按对照表：学历“大学本科（函授）”记为“大学本科”的别名" in out
    assert "按对照表：政治面貌“农民”新增到政治面貌代码表" in out
    con = sqlite3.connect(db)
    got = sorted(con.execute("SELECT ft_education, political_status FROM cadre").fetchall())
    variants = con.execute(
        "SELECT variants FROM picklist_item WHERE kind='education' AND name='大学本科'"
    ).fetchone()[0]
    con.close()
    assert got == [("大学本科", "中共党员"), ("大学本科", "中共党员"), ("大学本科", "农民")]
    assert variants.endswith("|大学本科（函授）")
    # the next file from that office needs no 对照表
    g = sheet(tmp_path / "下一个.xlsx", [row(7, edu="大学本科（函授）", party="农民")])
    code, out, err = run(capsys, "import-roster", g, "--db", db)
    assert code == 0, err


def test_cli_map_is_not_kept_when_the_import_fails(tmp_path, capsys):
    f = sheet(tmp_path / "名册.xlsx", [row(1, edu="大学本科（函授）"), row(2, party="农民")])
    m = tmp_path / "对照.xlsx"
    wb = Workbook()
    wb.active.append(["原值", "对应代码表项"])
    wb.active.append(["大学本科（函授）", "大学本科"])
    wb.save(m)
    db = tmp_path / "a.db"
    code, out, err = run(capsys, "import-roster", f, "--db", db, "--map", m)
    assert code != 0
    assert "按对照表：学历“大学本科（函授）”记为“大学本科”的别名（未导入，对照未保存）" in out
    assert "错误：政治面貌“农民”不在代码表中：1 行（第 3 行）" in err
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*) FROM cadre").fetchone()[0] == 0
    v = con.execute("SELECT variants FROM picklist_item WHERE name='大学本科'").fetchone()[0]
    con.close()
    assert "函授" not in v


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "原值,对应代码表项\n大学本科(函授),\n",
            "对照表“对照.csv”第2行“大学本科(函授)”没有填“对应代码表项”",
        ),
        (
            "原值,备注\n大学本科(函授),x\n",
            "对照表“对照.csv”第1行有“原值”列，但没有“对应代码表项”列",
        ),
        ("原值,对应代码表项\n", "对照表“对照.csv”中没有任何对照"),
        (
            "原值,对应代码表项\n大学本科(函授),本科生\n",
            "对照表“对照.csv”第2行：学历中没有“本科生”，无法把“大学本科（函授）”对应到它",
        ),
    ],
)
def test_cli_bad_map_file_is_refused_with_its_line(tmp_path, capsys, content, message):
    m = tmp_path / "对照.csv"
    m.write_text(content, "utf-8")
    db = tmp_path / "a.db"
    code, _out, err = run(capsys, "import-roster", _three_rows(tmp_path), "--db", db, "--map", m)
    assert code != 0
    assert message in err
    assert "Traceback" not in err
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*) FROM cadre").fetchone()[0] == 0
    con.close()


def test_cli_map_also_covers_rows_allowed_without_an_id(tmp_path, capsys):
    """The 对照表 is planned with the same options as the import: rows without 身份证号 that
    the user allowed are asked about too, not left as errors."""
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "性别", "出生年月", "工作单位", "全日制学历"])
    ws.append(["王五", "男", "1980.01", "市委组织部", "本科函授"])
    wb.save(f := tmp_path / "无身份证.xlsx")
    m = tmp_path / "对照.csv"
    m.write_text("字段,原值,对应代码表项\n学历,本科函授,大学本科\n", "utf-8")
    db = tmp_path / "a.db"
    code, out, err = run(capsys, "import-roster", f, "--db", db, "--map", m, "--allow-missing-id")
    assert code == 0, err
    assert "按对照表：学历“本科函授”记为“大学本科”的别名" in out
    con = sqlite3.connect(db)
    got = con.execute("SELECT name, id_card, ft_education FROM cadre").fetchall()
    con.close()
    assert got == [("王五", None, "大学本科")]
