"""Accounts on the command line: the first administrator, --user with the password from
CADREDESK_PASSWORD or a prompt (never from argv, never printed), refusals in Chinese with
exit code 1, changing and resetting passwords, unlocking."""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest

import main
from models.core.db import close_database, display_target
from models.schema import open_database

PASSWORD = "Secret2026"
NEW_PASSWORD = "Changed2027"


@pytest.fixture(autouse=True)
def _cheap_hashes(monkeypatch):
    """argon2id with tiny costs (the real ones take about 0.3 s a hash)."""
    from argon2 import PasswordHasher, Type

    from models.accounts import logout, passwords

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1, type=Type.ID)
    monkeypatch.setattr(passwords, "_hasher", cheap)
    monkeypatch.delenv("CADREDESK_PASSWORD", raising=False)
    monkeypatch.delenv("CADREDESK_NEW_PASSWORD", raising=False)
    yield
    logout()


@pytest.fixture
def empty_db(tmp_path: Path) -> str:
    """A migrated database without any account, with 白银市 > 靖远县 > 乌兰镇."""
    from models.roster.units import add_unit

    path = tmp_path / "cadredesk.db"
    open_database(path)
    city = add_unit("白银市")
    county = add_unit("靖远县", parent_id=city.id)
    add_unit("乌兰镇", parent_id=county.id)
    close_database()
    return str(path)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main.main(list(argv))
    except SystemExit as e:
        code = e.code
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def with_admin(empty_db, capsys, monkeypatch) -> str:
    """``empty_db`` with the first administrator ``admin`` (password PASSWORD)."""
    monkeypatch.setenv("CADREDESK_NEW_PASSWORD", PASSWORD)
    code, out, err = run(capsys, "account-add", "admin", "--name", "管理员", "--db", empty_db)
    assert code == 0, err
    monkeypatch.delenv("CADREDESK_NEW_PASSWORD")
    return empty_db


def test_first_administrator_without_login_then_every_command_needs_one(
    empty_db, capsys, monkeypatch
):
    monkeypatch.setenv("CADREDESK_NEW_PASSWORD", PASSWORD)
    code, out, err = run(capsys, "account-add", "admin", "--name", "管理员", "--db", empty_db)
    assert code == 0, err
    assert "已建立账号 admin（管理员），角色：系统管理员" in out
    assert "此数据库从此需要登录" in out
    assert PASSWORD not in out + err
    # from now on a command without --user is refused, whatever it is
    for argv in (
        ("account-list", "--db", empty_db),
        ("export-roster", "--db", empty_db, "-o", str(Path(empty_db).with_name("x.xlsx"))),
        ("account-add", "second", "--db", empty_db),
    ):
        code, out, err = run(capsys, *argv)
        assert code == 1
        assert "错误：此数据库已建立账号，请用 --user 指定账号" in err


def test_user_with_the_password_in_the_environment(with_admin, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("CADREDESK_PASSWORD", PASSWORD)
    code, out, err = run(capsys, "account-list", "--db", with_admin, "--user", "admin")
    assert code == 0, err
    assert "admin\t管理员\t系统管理员\t\t正常\t" in out
    assert "共 1 个账号" in out
    out_file = tmp_path / "roster.xlsx"
    code, out, err = run(
        capsys, "export-roster", "--db", with_admin, "--user", "admin", "-o", str(out_file)
    )
    assert code == 0, err
    assert out_file.exists()
    assert PASSWORD not in out + err


def test_wrong_password_exits_1_in_chinese_without_showing_it(with_admin, capsys, monkeypatch):
    monkeypatch.setenv("CADREDESK_PASSWORD", "Wrong2026x")
    code, out, err = run(capsys, "account-list", "--db", with_admin, "--user", "admin")
    assert code == 1
    assert err.strip() == "错误：登录名或密码不对"
    assert "Wrong2026x" not in out + err
    assert PASSWORD not in out + err
    code, out, err = run(capsys, "account-list", "--db", with_admin, "--user", "nobody")
    assert code == 1
    assert "登录名或密码不对" in err


def test_the_password_is_asked_at_a_prompt_when_not_in_the_environment(
    with_admin, capsys, monkeypatch
):
    prompts: list[str] = []
    answers = iter([PASSWORD, "Clerk2026a", "Clerk2026a"])

    def fake_getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr(getpass, "getpass", fake_getpass)
    code, out, err = run(
        capsys,
        "account-add", "clerk", "--role", "考核录入", "--units", "靖远县",
        "--db", with_admin, "--user", "admin",
    )  # fmt: skip
    assert code == 0, err
    assert prompts == ["密码：", "账号 clerk 的密码：", "再输入一次账号 clerk 的密码："]
    assert "已建立账号 clerk，角色：考核录入，负责单位：靖远县" in out
    assert "Clerk2026a" not in out + err
    assert PASSWORD not in out + err
    # two different entries of the new password: refused, nothing made
    answers = iter([PASSWORD, "Other2026a", "Other2026b"])
    code, out, err = run(
        capsys, "account-add", "other", "--role", "只读", "--db", with_admin, "--user", "admin"
    )
    assert code == 1
    assert "两次输入的账号 other 的密码不一致" in err


def test_a_password_cannot_be_given_on_the_command_line(with_admin, capsys):
    code, out, err = run(
        capsys, "account-list", "--db", with_admin, "--user", "admin", "--password", PASSWORD
    )
    assert code == 2
    assert "无法识别的参数" in err


def test_user_on_a_database_without_accounts_is_refused(empty_db, capsys, monkeypatch):
    monkeypatch.setenv("CADREDESK_PASSWORD", PASSWORD)
    code, _out, err = run(capsys, "account-list", "--db", empty_db, "--user", "admin")
    assert code == 1
    assert "此数据库还没有建立账号，不需要 --user" in err
    code, out, err = run(capsys, "account-list", "--db", empty_db)
    assert code == 0
    assert "此数据库还没有账号" in out


def test_roles_are_checked_for_commands(with_admin, capsys, monkeypatch):
    monkeypatch.setenv("CADREDESK_PASSWORD", PASSWORD)
    monkeypatch.setenv("CADREDESK_NEW_PASSWORD", PASSWORD)
    code, _, err = run(
        capsys, "account-add", "reader", "--role", "只读", "--db", with_admin, "--user", "admin"
    )
    assert code == 0, err
    code, _, err = run(capsys, "account-list", "--db", with_admin, "--user", "reader")
    assert code == 1
    assert "错误：账号 reader（只读）无权管理账号" in err


def test_own_password_change_and_administrator_reset(with_admin, capsys, monkeypatch):
    monkeypatch.setenv("CADREDESK_PASSWORD", PASSWORD)
    monkeypatch.setenv("CADREDESK_NEW_PASSWORD", PASSWORD)
    run(capsys, "account-add", "reader", "--role", "只读", "--db", with_admin, "--user", "admin")
    # reader changes its own password
    monkeypatch.setenv("CADREDESK_NEW_PASSWORD", NEW_PASSWORD)
    code, out, err = run(capsys, "account-passwd", "--db", with_admin, "--user", "reader")
    assert code == 0, err
    assert "已修改账号 reader 的密码" in out
    assert NEW_PASSWORD not in out + err
    code, _, err = run(capsys, "account-list", "--db", with_admin, "--user", "reader")
    assert "登录名或密码不对" in err  # the old password no longer works
    # the administrator resets it
    monkeypatch.setenv("CADREDESK_NEW_PASSWORD", "Reset2026a")
    code, out, err = run(
        capsys, "account-passwd", "--account", "reader", "--db", with_admin, "--user", "admin"
    )
    assert code == 0
    assert "已重置账号 reader 的密码" in out
    monkeypatch.setenv("CADREDESK_PASSWORD", "Reset2026a")
    code, _, err = run(capsys, "account-list", "--db", with_admin, "--user", "reader")
    assert "（只读）无权管理账号" in err  # logged in, then refused by role


def test_a_locked_account_is_unlocked(with_admin, capsys, monkeypatch):
    monkeypatch.setenv("CADREDESK_PASSWORD", PASSWORD)
    monkeypatch.setenv("CADREDESK_NEW_PASSWORD", PASSWORD)
    run(capsys, "account-add", "reader", "--role", "只读", "--db", with_admin, "--user", "admin")
    monkeypatch.setenv("CADREDESK_PASSWORD", "Wrong2026x")
    for _ in range(5):
        run(capsys, "account-list", "--db", with_admin, "--user", "reader")
    monkeypatch.setenv("CADREDESK_PASSWORD", PASSWORD)
    code, _, err = run(capsys, "account-list", "--db", with_admin, "--user", "reader")
    assert code == 1
    assert "账号 reader 连续 5 次密码错误，已锁定至" in err
    code, out, err = run(capsys, "account-unlock", "reader", "--db", with_admin, "--user", "admin")
    assert code == 0
    assert "已解除账号 reader 的锁定" in out
    code, _, err = run(capsys, "account-list", "--db", with_admin, "--user", "reader")
    assert "无权管理账号" in err


@pytest.mark.pg
def test_accounts_on_a_postgresql_database(pg_url, capsys, monkeypatch):
    # a shared database is not used without accounts: the first command is refused …
    code, _, err = run(capsys, "account-list", "--db", pg_url)
    assert code == 1
    assert err == (
        f"错误：共用数据库 {display_target(pg_url)} 还没有账号：请先建立系统管理员账号"
        "（python main.py account-add 登录名 --db 地址），之后各命令用 --user 登录\n"
    )
    # … but the one that makes its 系统管理员
    monkeypatch.setenv("CADREDESK_NEW_PASSWORD", PASSWORD)
    code, out, err = run(capsys, "account-add", "admin", "--db", pg_url)
    assert code == 0, err
    code, _, err = run(capsys, "account-list", "--db", pg_url)
    assert code == 1
    assert "请用 --user 指定账号" in err
    monkeypatch.setenv("CADREDESK_PASSWORD", PASSWORD)
    code, out, err = run(capsys, "account-list", "--db", pg_url, "--user", "admin")
    assert code == 0
    assert "共 1 个账号" in out
