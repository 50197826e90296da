"""import-roster: --allow-missing-id and --accept-birth-mismatch (exit codes, Chinese messages,
nothing stored on a refusal)."""

import sqlite3

import main
from tests.fixtures.sheets import book

ZHANG = "620421197503120014"


def run(capsys, *argv):
    try:
        code = main.main(list(argv))
    except SystemExit as e:
        code = e.code
    out = capsys.readouterr()
    return code, out.out, out.err


def count(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT COUNT(*) FROM cadre").fetchone()[0]
    finally:
        con.close()


def test_roster_without_id_needs_allow_missing_id(tmp_path, capsys):
    db = tmp_path / "c.db"
    rows = [["王五", "男", "1980.01", "市委组织部"], ["赵六", "女", "1981.02", "市委组织部"]]
    f = book(tmp_path / "无身份证.xlsx", ["姓名", "性别", "出生年月", "工作单位"], rows)
    code, out, err = run(capsys, "import-roster", "--db", str(db), str(f))
    assert code == 1
    assert "错误：“无身份证.xlsx”没有身份证号列：共 2 行；" in err
    assert "--allow-missing-id" in err
    assert err.count("无身份证.xlsx") == 1  # one grouped line, not one per row
    assert "Traceback" not in err
    assert count(db) == 0
    code, out, err = run(capsys, "import-roster", "--db", str(db), "--allow-missing-id", str(f))
    assert code == 0, err
    assert out.startswith("新增 2，更新 0，跳过 0，错误 0")
    assert count(db) == 2


def test_birth_mismatch_needs_accept_birth_mismatch(tmp_path, capsys):
    db = tmp_path / "c.db"
    f = book(
        tmp_path / "不符.xlsx",
        ["姓名", "性别", "出生年月", "身份证号", "工作单位"],
        [["张三", "男", "1975.04", ZHANG, "市委组织部"]],
    )
    code, _, err = run(capsys, "import-roster", "--db", str(db), str(f))
    assert code == 1
    assert (
        "错误：“不符.xlsx”第2行C列【出生年月】与身份证号不符：表中为 1975.04，"
        "身份证号中为 1975.03。" in err
    )
    assert count(db) == 0
    code, out, err = run(
        capsys, "import-roster", "--db", str(db), "--accept-birth-mismatch", str(f)
    )
    assert code == 0, err
    assert "提示：“不符.xlsx”第2行C列【出生年月】与身份证号不符（身份证号中为 1975.03）" in out
    assert count(db) == 1
