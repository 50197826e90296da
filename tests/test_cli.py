"""The command line: demo database, roster export, exit codes, Chinese messages."""

import argparse
import ast
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

import main
from models.roster import idcard


def run(capsys, *argv):
    try:
        code = main.main(list(argv))
    except SystemExit as e:  # argparse usage errors and --help
        code = e.code
    out = capsys.readouterr()
    return code, out.out, out.err


def test_help_lists_every_command_in_chinese(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for text in ("demo", "export-roster", "生成白银市演示数据库", "导出干部花名册", "退出码"):
        assert text in out


def test_usage_errors_exit_2_with_a_chinese_message(capsys):
    code, _, err = run(capsys, "export-roster", "--db", "x.db")
    assert code == 2
    assert "缺少必需的参数" in err
    code, _, err = run(capsys, "no-such-command")
    assert code == 2
    assert "命令行参数有误" in err
    code, _, err = run(capsys, "demo", "--db", "x.db", "--cadres", "many")
    assert code == 2


def test_every_usage_error_is_in_chinese(capsys):
    code, _, err = run(capsys, "export-roster", "--db", "x.db")
    assert code == 2
    assert err.startswith("用法：main.py export-roster [-h] --db 路径 [--user 账号] -o 文件.xlsx")
    assert "命令行参数有误：缺少必需的参数：-o/--output" in err
    code, _, err = run(capsys, "print")
    assert code == 2
    assert "命令行参数有误：缺少必需的参数：文书" in err
    code, _, err = run(capsys, "no-such-command")
    assert code == 2
    assert "参数 命令：无效的选择：'no-such-command'（可选：'demo', 'export-roster'," in err
    code, _, err = run(capsys, "print", "nope")
    assert code == 2
    assert "参数 文书：无效的选择：'nope'（可选：'sheets'," in err
    code, _, err = run(capsys, "import-roster", "f.xlsx", "--db", "x.db", "--on-duplicate", "x")
    assert code == 2
    assert "参数 --on-duplicate：无效的选择：'x'（可选：'update', 'skip', 'stop'）" in err
    code, _, err = run(capsys, "hours", "--db", "x.db", "--year", "2026", "--bogus")
    assert code == 2
    assert "命令行参数有误：无法识别的参数：--bogus" in err
    code, _, err = run(capsys, "hours", "--db")
    assert code == 2
    assert "命令行参数有误：参数 --db：需要一个值" in err
    code, _, err = run(capsys, "demo", "--db", "x.db", "--cadres", "many")
    assert code == 2
    assert "命令行参数有误：参数 --cadres：无效的 int 值：'many'" in err
    code, _, err = run(capsys, "import-roster", "f.xlsx", "--db", "x.db", "--dry-run=yes")
    assert code == 2
    assert "参数 --dry-run：此选项不带值：'yes'" in err
    code, _, err = run(capsys, "--d", "x.db")
    assert code == 2
    assert "命令行参数有误：有歧义的选项：--d 可以是 --db, --demo" in err


def test_help_headings_are_chinese(capsys):
    code, out, _ = run(capsys, "import-roster", "--help")
    assert code == 0
    assert out.startswith("用法：main.py import-roster [-h] --db 路径")
    for heading in ("位置参数:", "选项:", "显示本帮助并退出"):
        assert heading in out
    for english in ("usage", "positional arguments", "options:", "show this help"):
        assert english not in out


def test_shared_options_keep_their_place_and_words(capsys):
    code, out, _ = run(capsys, "print", "sheets", "--help")
    assert code == 0
    usage = (
        "用法：main.py print sheets [-h] --db 路径 [--user 账号] --year 年份 [--unit 单位]\n"
        "                        [--split] -o 输出"
    )
    assert out.startswith(usage)
    for option, words in (
        ("--db 路径", "数据库文件"),
        ("--user 账号", "密码在提示时输入"),
        ("--year 年份", "考核年度"),
        ("--unit 单位", "只打印某单位（含下级单位）"),
        ("-o 输出, --output 输出", "PDF 文件或文件夹"),
    ):
        assert option in out
        assert words in out
    code, out, _ = run(capsys, "hours", "--help")
    assert "统计年度" in out
    assert "只看某单位（含下级单位），名称或完整路径" in out
    code, out, _ = run(capsys, "--help")
    assert "数据库文件（默认在用户数据文件夹中）" in out


def test_argparse_itself_still_speaks_english():
    """main's Chinese is its own parser class, not a change to argparse for everybody."""
    text = argparse.ArgumentParser(prog="x").format_help()
    assert text.startswith("usage: x [-h]")
    assert "show this help message and exit" in text


def test_every_import_inside_a_function_says_why_it_is_lazy():
    source = Path(main.__file__).read_text(encoding="utf-8")
    lines = source.splitlines()
    functions = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.FunctionDef)]
    imports = {
        node.lineno
        for fn in functions
        for node in ast.walk(fn)
        if isinstance(node, ast.Import | ast.ImportFrom)
    }
    assert imports
    for lineno in sorted(imports):
        marked = "# lazy:" in lines[lineno - 1] or lines[lineno - 2].strip().startswith("# lazy:")
        assert marked, f"main.py:{lineno}: {lines[lineno - 1].strip()}"


def test_demo_then_export_round(tmp_path, capsys):
    db = tmp_path / "demo.db"
    code, out, _ = run(capsys, "demo", "--db", str(db), "--cadres", "300", "--seed", "7")
    assert code == 0
    assert "300" in out
    xlsx = tmp_path / "roster.xlsx"
    code, out, _ = run(capsys, "export-roster", "--db", str(db), "-o", str(xlsx))
    assert code == 0
    ws = load_workbook(xlsx, read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    header = rows[1]
    assert header[:4] == ("序号", "姓名", "性别", "出生年月")
    body = rows[2:]
    assert len(body) == 300
    col = {h: i for i, h in enumerate(header)}
    for r in body:
        assert idcard.is_valid(r[col["身份证号"]]), r
        assert isinstance(r[col["身份证号"]], str)
        birth = r[col["出生年月"]]
        assert len(birth) == 7, birth  # 1975.03
        assert birth[4] == ".", birth
        # 出生年月 agrees with the ID number
        assert r[col["身份证号"]][6:12] == birth.replace(".", "")
    assert [r[0] for r in body] == list(range(1, 301))


def test_demo_needs_enough_cadres_and_leaves_no_file(tmp_path, capsys):
    db = tmp_path / "tiny.db"
    code, _, err = run(capsys, "demo", "--db", str(db), "--cadres", "5")
    assert code == 1
    assert "至少为 30" in err
    assert not db.exists()


def test_demo_refuses_an_existing_file_with_exit_1(tmp_path, capsys):
    db = tmp_path / "demo.db"
    db.write_bytes(b"")
    code, _, err = run(capsys, "demo", "--db", str(db))
    assert code == 1
    assert "已存在" in err


def test_export_of_a_missing_database_is_a_data_error(tmp_path, capsys):
    code, _, err = run(
        capsys, "export-roster", "--db", str(tmp_path / "no.db"), "-o", str(tmp_path / "x.xlsx")
    )
    assert code == 1
    assert "不存在" in err
    assert not (tmp_path / "no.db").exists()  # a typo must not create an empty database


def test_export_needs_xlsx_suffix(tmp_path, capsys):
    db = tmp_path / "demo.db"
    run(capsys, "demo", "--db", str(db), "--cadres", "30")
    code, _, err = run(capsys, "export-roster", "--db", str(db), "-o", str(tmp_path / "x.csv"))
    assert code == 1
    assert ".xlsx" in err


def test_demo_is_deterministic_and_plausible(tmp_path):
    from models.demo import build_demo

    a, b = tmp_path / "a.db", tmp_path / "b.db"
    import datetime as dt

    day = dt.date(2026, 11, 22)
    build_demo(a, cadres=400, seed=3, today=day)
    build_demo(b, cadres=400, seed=3, today=day)
    q = "SELECT name, id_card, unit_id, rank, post_title FROM cadre ORDER BY id"
    rows_a = sqlite3.connect(a).execute(q).fetchall()
    assert rows_a == sqlite3.connect(b).execute(q).fetchall()
    con = sqlite3.connect(a)
    ids = [r[1] for r in rows_a]
    assert len(set(ids)) == 400
    assert all(idcard.is_valid(i) for i in ids)
    # real 白银 county codes
    assert {i[:6] for i in ids} <= {"620402", "620403", "620421", "620422", "620423", "620400"}
    levels = Counter(r[0] for r in con.execute("SELECT leadership_level FROM cadre"))
    # a pyramid: more 副职 than 正职 at each level, most cadres without a leading post
    assert levels["县处级正职"] < levels["县处级副职"] < levels["乡科级副职"] < levels[""]
    status = Counter(r[0] for r in con.execute("SELECT status FROM cadre"))
    assert status["在职"] > 0.9 * 400
    ages = [
        (day - dt.date.fromisoformat(r[0])).days // 365
        for r in con.execute("SELECT birth_date FROM cadre WHERE status = '在职'")
    ]
    assert min(ages) >= 22
    assert max(ages) <= 60
    # 县处级正职 are not thirty
    young_heads = con.execute(
        "SELECT COUNT(*) FROM cadre"
        " WHERE leadership_level = '县处级正职' AND birth_date > '1988-11-22'"
    ).fetchone()[0]
    assert young_heads == 0


@pytest.mark.slow
def test_demo_of_50000_exports_50000_valid_rows(tmp_path, capsys):
    db = tmp_path / "big.db"
    assert run(capsys, "demo", "--db", str(db), "--cadres", "50000")[0] == 0
    xlsx = tmp_path / "big.xlsx"
    assert run(capsys, "export-roster", "--db", str(db), "-o", str(xlsx))[0] == 0
    ws = load_workbook(xlsx, read_only=True).active
    col = None
    n = 0
    for i, r in enumerate(ws.iter_rows(values_only=True)):
        if i == 1:
            col = r.index("身份证号")
        elif i > 1:
            assert idcard.is_valid(r[col])
            n += 1
    assert n == 50000


def test_import_roster_round_trip_and_errors(tmp_path, capsys):
    db = tmp_path / "demo.db"
    run(capsys, "demo", "--db", str(db), "--cadres", "60", "--seed", "2")
    first = tmp_path / "first.xlsx"
    run(capsys, "export-roster", "--db", str(db), "-o", str(first))
    empty = tmp_path / "empty.db"
    code, out, _ = run(capsys, "import-roster", str(first), "--db", str(empty), "--dry-run")
    assert code == 0
    assert "新增 60，更新 0，跳过 0，错误 0（试运行，未写入）" in out
    code, out, _ = run(capsys, "import-roster", str(first), "--db", str(empty))
    assert code == 0
    assert "新增 60，更新 0，跳过 0，错误 0" in out
    code, out, _ = run(
        capsys, "import-roster", str(first), "--db", str(empty), "--on-duplicate", "skip"
    )
    assert "新增 0，更新 0，跳过 60，错误 0" in out
    code, out, err = run(
        capsys, "import-roster", str(first), "--db", str(empty), "--on-duplicate", "stop"
    )
    assert code == 1
    assert "错误 60" in out
    assert "未导入任何数据" in err
    second = tmp_path / "second.xlsx"
    run(capsys, "export-roster", "--db", str(empty), "-o", str(second))
    rows = [
        list(load_workbook(f, read_only=True).active.iter_rows(values_only=True))[1:]
        for f in (first, second)
    ]
    assert rows[0] == rows[1]
    code, _, err = run(
        capsys, "import-roster", str(first), "--db", str(empty), "--on-duplicate", "maybe"
    )
    assert code == 2


def test_export_lrmx_and_read_it_back(tmp_path, capsys):
    db = tmp_path / "demo.db"
    run(capsys, "demo", "--db", str(db), "--cadres", "30")
    number = sqlite3.connect(db).execute("SELECT id_card FROM cadre LIMIT 1").fetchone()[0]
    out_file = tmp_path / "one.lrmx"
    code, out, _ = run(
        capsys, "export-lrmx", "--db", str(db), "--id-card", number, "-o", str(out_file)
    )
    assert code == 0
    text = out_file.read_text(encoding="utf-8")
    assert f"<ShenFenZheng>{number}</ShenFenZheng>" in text
    other = tmp_path / "other.db"
    code, out, _ = run(
        capsys, "import-roster", str(out_file), "--db", str(other), "--unit", "市委组织部"
    )
    assert code == 0, out
    code, _, err = run(
        capsys, "export-lrmx", "--db", str(db), "--id-card", "123", "-o", str(out_file)
    )
    assert code == 1
    assert "身份证号" in err


def test_plan_class_prints_shares_and_refuses_what_cannot_fit(tmp_path, capsys):
    db = tmp_path / "demo.db"
    run(capsys, "demo", "--db", str(db), "--cadres", "80")
    courses = tmp_path / "courses.txt"
    con = sqlite3.connect(db)
    titles = [r[0] for r in con.execute("SELECT title FROM course WHERE elective = 0 ORDER BY id")]
    classes_before = con.execute("SELECT COUNT(*) FROM training_class").fetchone()[0]
    con.close()
    courses.write_text("\n".join(titles), encoding="utf-8")
    code, out, _ = run(
        capsys,
        "plan-class",
        "--db",
        str(db),
        "--name",
        "冬季专题班",
        "--start",
        "2027-01-04",
        "--end",
        "2027-01-22",
        "--courses",
        str(courses),
    )
    assert code == 0, out
    assert "班次：冬季专题班" in out
    for mode in ("课堂教学", "调研考察", "研讨交流"):
        assert mode in out
    # a two-day class is planned from the library: a course shortened, nothing off target
    code, out, _ = run(
        capsys, "plan-class", "--db", str(db), "--name", "两天班",
        "--start", "2027-02-01", "--end", "2027-02-02",
    )  # fmt: skip
    assert code == 0, out
    assert "2 个教学日，共 4 个半天" in out
    assert "偏离目标" not in out
    # a 在职 class on Wednesdays, shares 4:3:3
    code, out, _ = run(
        capsys, "plan-class", "--db", str(db), "--name", "周三在职班",
        "--start", "2027-03-01", "--end", "2027-03-31", "--weekdays", "3", "--shares", "4:3:3",
    )  # fmt: skip
    assert code == 0, out
    assert "5 个教学日，共 10 个半天" in out  # 03-03, 10, 17, 24, 31
    assert "/ 目标 3.2，" in out  # 课堂教学: 4 tenths of the 8 half-days besides the ceremonies
    assert "偏离目标" not in out
    # no plan can exist: more 必修 half-days than the class has
    con = sqlite3.connect(db)
    with con:
        con.execute("UPDATE course SET required = 1 WHERE mode = '课堂教学' AND elective = 0")
    con.close()
    code, _, err = run(
        capsys, "plan-class", "--db", str(db), "--name", "一天班",
        "--start", "2027-02-03", "--end", "2027-02-03",
    )  # fmt: skip
    assert code == 1
    assert "必修课共需" in err
    assert "（规则：必修课全部排入）" in err
    for option, value, text in (
        ("--shares", "4:3", "--shares“4:3”不是三种方式的比例"),
        ("--weekdays", "8", "--weekdays“8”不是星期"),
    ):
        code, _, err = run(
            capsys, "plan-class", "--db", str(db), "--name", "x",
            "--start", "2027-04-05", "--end", "2027-04-09", option, value,
        )  # fmt: skip
        assert code == 1
        assert text in err
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*) FROM training_class").fetchone()[0] == classes_before + 3
    code, _, err = run(
        capsys,
        "plan-class",
        "--db",
        str(db),
        "--name",
        "x",
        "--start",
        "2027-13-01",
        "--end",
        "2027-02-02",
    )
    assert code == 1
    assert "不是日期" in err


def test_hours_prints_the_shortfall_list(tmp_path, capsys):
    import datetime as dt

    db = tmp_path / "demo.db"
    run(capsys, "demo", "--db", str(db), "--cadres", "80")
    code, out, _ = run(capsys, "hours", "--db", str(db), "--year", str(dt.date.today().year))
    assert code == 0
    assert "学时不足名单" in out
    assert "每年 90 学时" in out
    code, _, err = run(capsys, "hours", "--db", str(db), "--year", "2026", "--unit", "火星")
    assert code == 1
    assert "找不到单位“火星”" in err


def test_grade_template_and_score_import(tmp_path, capsys):
    import datetime as dt

    from openpyxl import load_workbook as load

    year = str(dt.date.today().year - 1)  # the demo's annual round is last year's
    db = tmp_path / "demo.db"
    run(capsys, "demo", "--db", str(db), "--cadres", "120")
    code, out, _ = run(capsys, "grade", "--db", str(db), "--year", year)
    assert code == 0, out
    assert "优秀名额 20%×" in out
    assert "名额线完全并列" in out  # the demo's deliberate tie is flagged for the committee
    code, _, err = run(capsys, "grade", "--db", str(db), "--year", "1999")
    assert code == 1
    assert "没有1999年" in err
    tpl = tmp_path / "tpl.xlsx"
    code, out, _ = run(
        capsys, "export-score-template", "--db", str(db), "--year", year, "-o", str(tpl)
    )
    assert code == 0
    wb = load(tpl)
    ws = wb.active
    rows = list(ws.iter_rows(values_only=True))
    header_row = next(i for i, r in enumerate(rows) if r and "身份证号" in r)
    header = rows[header_row]
    first = header_row + 2  # 1-based row of the first person
    col = next(i for i, h in enumerate(header) if h and str(h).startswith("德"))
    ws.cell(row=first, column=col + 1, value=150)  # above the full score
    wb.save(tpl)
    code, out, err = run(capsys, "import-scores", str(tpl), "--db", str(db), "--year", year)
    assert code == 1
    assert f"第{first}行" in err
    assert "未导入任何数据" in err


def test_print_training_kit(tmp_path, capsys):
    import subprocess

    db = tmp_path / "demo.db"
    run(capsys, "demo", "--db", str(db), "--cadres", "80")
    con = sqlite3.connect(db)
    finished = con.execute("SELECT id, name FROM training_class WHERE status = '已结业'").fetchone()
    running = con.execute("SELECT id FROM training_class WHERE status = '进行中'").fetchone()[0]
    con.close()
    for doc in ("timetable", "signin", "roster", "certificates"):
        out = tmp_path / f"{doc}.pdf"
        code, text, err = run(
            capsys, "print", doc, "--db", str(db), "--class", str(finished[0]), "-o", str(out)
        )
        assert code == 0, err
        assert "页" in text
        pdf_text = subprocess.run(
            ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert finished[1] in pdf_text, doc
    code, _, err = run(
        capsys,
        "print",
        "certificates",
        "--db",
        str(db),
        "--class",
        str(running),
        "-o",
        str(tmp_path / "c.pdf"),
    )
    assert code == 1
    assert "结业后才能打印结业证书" in err
    assert not (tmp_path / "c.pdf").exists()


def test_print_assessment_reports_and_sheets(tmp_path, capsys):
    import datetime as dt
    import subprocess

    year = str(dt.date.today().year - 1)
    db = tmp_path / "demo.db"
    run(capsys, "demo", "--db", str(db), "--cadres", "60")
    con = sqlite3.connect(db)
    names = [
        r[0]
        for r in con.execute("SELECT c.name FROM round_member m JOIN cadre c ON c.id = m.cadre_id")
    ]
    con.close()
    summary = tmp_path / "summary.pdf"
    code, out, err = run(
        capsys, "print", "summary", "--db", str(db), "--year", year, "-o", str(summary)
    )
    assert code == 0, err
    text = subprocess.run(
        ["pdftotext", str(summary), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert all(name in text for name in names)
    register = tmp_path / "register.xlsx"
    assert (
        run(capsys, "print", "register", "--db", str(db), "--year", year, "-o", str(register))[0]
        == 0
    )
    sheets = tmp_path / "sheets"
    code, out, err = run(
        capsys, "print", "sheets", "--db", str(db), "--year", year, "--split", "-o", str(sheets)
    )
    assert code == 0, err
    assert len(list(sheets.glob(f"*_{year}年度考核登记表.pdf"))) == len(names)
    code, _, err = run(
        capsys, "print", "sheets", "--db", str(db), "--year", year, "-o", str(tmp_path / "x.txt")
    )
    assert code == 1
    assert "--split" in err
    # the official form by default; the 评分表 with --form scored; --duplex and --paper
    official = tmp_path / "official.pdf"
    code, out, err = run(
        capsys, "print", "sheets", "--db", str(db), "--year", year, "--duplex", "-o", str(official)
    )
    assert code == 0, err
    assert "考核登记表" in out
    assert "双面" in out
    text = subprocess.run(
        ["pdftotext", str(official), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")[:-1]
    assert len(pages) % 2 == 0
    assert "年度考核登记表" in pages[0]
    assert f"（{year}年度）" in pages[0]
    for word in ("综合得分", "排名", "拟定等次", "称职"):
        assert word not in text
    scored = tmp_path / "scored.pdf"
    code, out, err = run(
        capsys, "print", "sheets", "--db", str(db), "--year", year,
        "--form", "scored", "--paper", "16K", "--category", "事业单位", "-o", str(scored),
    )  # fmt: skip
    assert code == 0, err
    assert f"已生成考核评分表 {len(names)} 份、{len(names)} 页（16开）" in out
    info = subprocess.run(["pdfinfo", str(scored)], capture_output=True, text=True).stdout
    assert "524.409 x 737.008 pts" in info  # 185 × 260 mm
    # --rows: the optional header rows; a row the form does not have is refused by name
    rows = tmp_path / "rows.pdf"
    code, out, err = run(
        capsys, "print", "sheets", "--db", str(db), "--year", year,
        "--rows", "文化程度、脱产培训", "-o", str(rows),
    )  # fmt: skip
    assert code == 0, err
    text = subprocess.run(["pdftotext", str(rows), "-"], capture_output=True, text=True).stdout
    assert text.count("文化程度") == len(names)
    code, _, err = run(
        capsys, "print", "sheets", "--db", str(db), "--year", year,
        "--rows", "学历", "-o", str(rows),
    )  # fmt: skip
    assert code == 1
    assert "“学历”不是可选的表头行（可选：文化程度、参加脱产培训情况）" in err


def test_a_postgres_url_without_the_driver_is_explained(tmp_path, capsys, monkeypatch):
    import sys

    import peewee

    # as on a computer without the driver: importing psycopg fails, and peewee has none
    monkeypatch.setitem(sys.modules, "psycopg", None)
    monkeypatch.setattr(peewee, "psycopg", None)
    code, _, err = run(
        capsys,
        "export-roster",
        "--db",
        "postgresql://cadre@localhost/cadredesk",
        "-o",
        str(tmp_path / "x.xlsx"),
    )
    assert code == 1
    assert "psycopg" in err


def test_grade_on_several_processes_and_quarter_grades(tmp_path, capsys):
    """``grade --jobs 1`` (a worker process) prints what ``--jobs 0`` prints; ``--quarter``
    grades a 平时考核 round and prints the cap on 好 per unit."""
    import datetime as dt

    from models.assessment import ScoreCell, add_unit_members, create_round, set_scores
    from models.assessment.tables import KIND_QUARTERLY
    from models.core.db import close_database
    from models.roster.tables import Unit
    from models.schema import open_database

    year = str(dt.date.today().year - 1)
    db = tmp_path / "demo.db"
    run(capsys, "demo", "--db", str(db), "--cadres", "120")
    code, parallel, _ = run(capsys, "grade", "--db", str(db), "--year", year, "--jobs", "1")
    assert code == 0
    code, serial, _ = run(capsys, "grade", "--db", str(db), "--year", year, "--jobs", "0")
    assert code == 0
    assert parallel == serial
    code, _, err = run(capsys, "grade", "--db", str(db), "--year", year, "--jobs", "-1")
    assert code == 1
    assert "--jobs 应为不小于 0 的整数" in err

    code, _, err = run(capsys, "grade", "--db", str(db), "--year", year, "--quarter", "2")
    assert code == 1
    assert "平时考核第2季度" in err
    open_database(db)
    try:
        unit = Unit.get(Unit.name == "市委组织部")
        rnd = create_round(int(year), kind=KIND_QUARTERLY, quarter=2)
        added = add_unit_members(rnd.id, unit.id, include_subunits=False)
        members = [m.cadre_id for m in rnd_members(rnd.id)]
        assert len(members) == added > 0
        set_scores(rnd.id, [ScoreCell(c, i, 80) for c in members for i in ITEMS])
    finally:
        close_database()
    code, out, err = run(capsys, "grade", "--db", str(db), "--year", year, "--quarter", "2")
    assert code == 0, err
    assert out.startswith(f"计算{year}年第2季度平时考核等次 {added} 人（较好 {added} 人）")
    assert "【市委组织部】" in out


ITEMS = ("de", "neng", "qin", "ji", "lian")


def rnd_members(round_id):
    from models.assessment.tables import RoundMember

    return RoundMember.select().where(RoundMember.round == round_id)


def test_a_database_error_no_use_case_foresaw_is_said_in_chinese(tmp_path, capsys, monkeypatch):
    """The server going away mid-command (or a privilege missing, or a damaged file) ends
    the command with a Chinese message, never the driver's English text."""
    import peewee

    def lost(_args):  # noqa: ANN001, ANN202
        raise peewee.OperationalError("server closed the connection unexpectedly")

    monkeypatch.setitem(main.COMMANDS, "hours", lost)
    code, _, err = run(capsys, "hours", "--db", str(tmp_path / "x.db"), "--year", "2026")
    assert code == 1
    assert err == "错误：与数据库服务器的连接已断开，请检查网络和服务器后重新运行\n"

    def denied(_args):  # noqa: ANN001, ANN202
        raise peewee.ProgrammingError("permission denied for table cadre")

    monkeypatch.setitem(main.COMMANDS, "hours", denied)
    code, _, err = run(capsys, "hours", "--db", str(tmp_path / "x.db"), "--year", "2026")
    assert err == "错误：数据库账号没有所需的权限，请联系数据库管理员\n"
