"""`main.py export-audit`: the 修改记录 of a period to xlsx, filtered by person, unit, kind and
account; bad dates, unknown people, units and kinds exit 1 with a Chinese message and write
no file."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from argon2 import PasswordHasher, Type

import main
from models import audit
from models.accounts import (
    CADRE_OFFICE,
    READ_ONLY,
    AccountInput,
    create_account,
    create_first_admin,
    login,
    logout,
    passwords,
)
from models.assessment import add_member, add_sanction, create_round, set_score
from models.core.db import close_database
from tests.models.audit.test_query import Clock, new_cadre


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def db(database, units, db_path, monkeypatch):
    """A database with a short story in its change log, closed for the command to open."""
    clock = Clock(monkeypatch)
    clock.at(2026, 1, 10, 9, 0)
    zhang = new_cadre("张三", units["org"], 1)
    li = new_cadre("李四", units["town"], 2)
    clock.at(2026, 3, 1, 8, 0)
    rnd = create_round(2026, user="考核办")
    add_member(rnd.id, zhang.id, user="考核办")
    set_score(rnd.id, zhang.id, "de", 18, user="录入员")
    clock.at(2026, 4, 1, 15, 0)
    add_sanction(li.id, "诫勉", dt.date(2026, 3, 15), note="履职不力", user="干部科")
    clock.at(2025, 6, 1, 9, 0)
    new_cadre("王五", units["county"], 3, user="旧账号")
    close_database()
    return str(db_path)


def body(path) -> list[tuple]:
    rows = list(openpyxl.load_workbook(path)["修改记录"].iter_rows(values_only=True))
    return rows


def test_export_audit_writes_the_rows_of_the_period(db, tmp_path, capsys):
    out = tmp_path / "修改记录.xlsx"
    code, stdout, stderr = run(
        capsys, "export-audit", "--db", db, "--from", "2026-01-01", "--to", "2026-12-31",
        "-o", str(out),
    )  # fmt: skip
    assert (code, stderr) == (0, "")
    rows = body(out)
    n = len(rows) - 2
    assert stdout.strip() == f"已导出修改记录 {n} 条到 {out}"
    assert rows[0][0].startswith("修改记录（2026-01-01 至 2026-12-31）")
    assert rows[1] == audit.HEADERS
    subjects = {r[4] for r in rows[2:]}
    assert "张三（市委组织部）《2026年度考核》" in subjects
    assert "李四（乌兰镇）" in subjects
    assert not any(s.startswith("王五") for s in subjects)  # added in 2025


def test_filters_by_person_unit_table_and_account(db, tmp_path, capsys):
    out = tmp_path / "a.xlsx"
    assert run(capsys, "export-audit", "--db", db, "--person", "李四", "--table", "处分",
               "-o", str(out))[0] == 0  # fmt: skip
    rows = body(out)[2:]
    assert [(r[3], r[4], r[8]) for r in rows] == [("处分", "李四（乌兰镇）", "履职不力")]
    assert run(capsys, "export-audit", "--db", db, "--unit", "靖远县", "-o", str(out))[0] == 0
    assert {r[4].split("（")[0] for r in body(out)[2:]} == {"李四", "王五"}
    assert run(capsys, "export-audit", "--db", db, "--account", "录入员", "-o", str(out))[0] == 0
    rows = body(out)[2:]
    assert [(r[1], r[5], r[7]) for r in rows] == [("录入员", "德得分", "18")]
    assert "账号：录入员" in body(out)[0][0]


def test_nothing_matching_still_writes_the_header(db, tmp_path, capsys):
    out = tmp_path / "空.xlsx"
    code, stdout, _ = run(capsys, "export-audit", "--db", db, "--from", "2030-01-01",
                          "-o", str(out))  # fmt: skip
    assert code == 0
    assert "没有符合条件的修改记录" in stdout
    assert len(body(out)) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "2026-13-01"), "错误：开始日期（--from）“2026-13-01”不是有效的日期"),
        (("--to", "去年底"), "错误：结束日期（--to）“去年底”不是日期，应写作 2026-01-01"),
        (("--from", "2026-12-31", "--to", "2026-01-01"), "晚于结束日期 2026-01-01"),
        (("--person", "钱七"), "错误：名册和修改记录中都没有名为“钱七”的干部"),
        (("--unit", "无此单位"), "错误：找不到单位“无此单位”"),
        (("--table", "工资"), "错误：没有名为“工资”的类别"),
    ],
)
def test_bad_input_exits_1_in_chinese_and_writes_nothing(db, tmp_path, capsys, args, message):
    out = tmp_path / "x.xlsx"
    code, stdout, stderr = run(capsys, "export-audit", "--db", db, *args, "-o", str(out))
    assert code == 1
    assert message in stderr
    assert "Traceback" not in stderr
    assert stdout == ""
    assert not out.exists()


def test_output_must_be_xlsx_in_an_existing_folder(db, tmp_path, capsys):
    code, _, stderr = run(capsys, "export-audit", "--db", db, "-o", str(tmp_path / "x.pdf"))
    assert (code, stderr.strip()) == (1, f"错误：输出文件应以 .xlsx 结尾：{tmp_path / 'x.pdf'}")
    missing = tmp_path / "无此文件夹" / "x.xlsx"
    code, _, stderr = run(capsys, "export-audit", "--db", db, "-o", str(missing))
    assert code == 1
    assert "不存在" in stderr


def test_a_missing_database_is_named(tmp_path, capsys):
    code, _, stderr = run(capsys, "export-audit", "--db", str(tmp_path / "无.db"),
                          "-o", str(tmp_path / "x.xlsx"))  # fmt: skip
    assert code == 1
    assert "数据库文件" in stderr
    assert "不存在" in stderr


def test_with_accounts_the_export_needs_a_login_allowed_to_export(
    database, units, db_path, tmp_path, capsys, monkeypatch
):
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1, type=Type.ID)
    monkeypatch.setattr(passwords, "_hasher", cheap)
    create_first_admin("admin", "管理员", "Secret2026")
    login("admin", "Secret2026")
    create_account(AccountInput("zhangmin", "张敏", CADRE_OFFICE), "Secret2026")
    create_account(AccountInput("chakan", "查看员", READ_ONLY), "Secret2026")
    logout()
    close_database()
    monkeypatch.setenv("CADREDESK_PASSWORD", "Secret2026")
    out = tmp_path / "x.xlsx"
    db = str(db_path)
    code, _, stderr = run(capsys, "export-audit", "--db", db, "-o", str(out))
    assert code == 1
    assert "请用 --user 指定账号" in stderr
    code, _, stderr = run(capsys, "export-audit", "--db", db, "--user", "chakan", "-o", str(out))
    assert code == 1
    assert "导出修改记录" in stderr
    assert not out.exists()
    code, stdout, stderr = run(capsys, "export-audit", "--db", db, "--user", "zhangmin",
                               "--table", "账号", "-o", str(out))  # fmt: skip
    assert (code, stderr) == (0, "")
    rows = body(out)
    assert "由 zhangmin 导出" in rows[0][0]
    assert {"账号“zhangmin”", "账号“chakan”"} <= {r[4] for r in rows[2:]}
    assert "Secret2026" not in stdout + stderr


def test_the_help_names_every_kind_of_record(capsys):
    """``--table``'s help is written out (no models loaded to print it): it must name every
    kind the 修改记录 knows, the ones added with new subjects too."""
    from models.audit.kinds import KINDS

    with pytest.raises(SystemExit):
        main.main(["export-audit", "--help"])
    text = "".join(capsys.readouterr().out.split())  # argparse wraps the help text
    missing = [k.label for k in KINDS if k.label not in text]
    assert missing == []
