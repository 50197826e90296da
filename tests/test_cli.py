"""The command line: demo database, roster export, exit codes, Chinese messages."""

import sqlite3
from collections import Counter

import pytest
from openpyxl import load_workbook

import main
from models import idcard


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
    run(capsys, "demo", "--db", str(db), "--cadres", "5")
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
