"""``backup`` and ``restore`` on the command line: Chinese output naming the files, the
confirmation on the terminal, refusals with exit code 1, on a file and on a PostgreSQL URL."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

import main
from models.backup import Source, list_backups
from models.core.db import close_database
from models.roster.tables import Unit
from models.schema import open_database


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main.main(list(argv))
    except SystemExit as e:  # usage errors
        code = e.code  # type: ignore[assignment]
    out = capsys.readouterr()
    return code, out.out, out.err


def units_of(target: str | Path) -> list[str]:
    open_database(target)
    try:
        return [u.name for u in Unit.select().order_by(Unit.id)]
    finally:
        close_database()


def add_unit(target: str | Path, name: str) -> None:
    open_database(target)
    try:
        Unit.create(name=name, sort_order=Unit.select().count())
    finally:
        close_database()


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    path = tmp_path / "cadredesk.db"
    add_unit(path, "白银市")
    return path


def test_backup_then_list_names_the_file(capsys, db_file: Path) -> None:
    code, out, err = run(capsys, "backup", "--db", str(db_file))
    assert (code, err) == (0, "")
    [made] = list_backups(Source(path=db_file))
    size = out.split("（")[1].split("，")[0]
    assert out == f"已备份数据库 {db_file}：{made.path}（{size}，已通过完整性检查）\n"
    assert size.endswith(("KB", "MB"))
    assert made.path.parent == db_file.parent / "backups" / "cadredesk"
    code, out, _ = run(capsys, "backup", "--db", str(db_file), "--list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"数据库 {db_file} 的备份，在 {db_file.parent / 'backups' / 'cadredesk'}："
    assert lines[1].split() == ["日期", "类别", "大小", "校验", "文件名"]
    assert "手动备份" in lines[2]
    assert "已校验" in lines[2]
    assert lines[2].endswith(made.name)


def test_backup_to_another_folder(capsys, db_file: Path, tmp_path: Path) -> None:
    usb = tmp_path / "U盘"
    code, out, _ = run(capsys, "backup", "--db", str(db_file), "--to", str(usb))
    assert code == 0
    [made] = list(usb.iterdir())
    assert made.name.startswith("cadredesk-")
    assert made.name.endswith("-手动.db")
    assert str(made) in out
    code, out, _ = run(capsys, "backup", "--db", str(db_file), "--to", str(usb), "--list")
    assert made.name in out


def test_an_empty_list_says_so(capsys, db_file: Path) -> None:
    code, out, _ = run(capsys, "backup", "--db", str(db_file), "--list")
    assert code == 0
    assert out.splitlines()[-1] == "还没有备份"


def test_restore_asks_and_a_no_changes_nothing(capsys, db_file: Path, monkeypatch) -> None:
    run(capsys, "backup", "--db", str(db_file))
    [made] = list_backups(Source(path=db_file))
    add_unit(db_file, "靖远县")
    monkeypatch.setattr("sys.stdin", io.StringIO("否\n"))
    code, out, err = run(capsys, "restore", "--db", str(db_file), made.name)
    assert code == 1
    assert (
        f"将用备份 {made.name} 替换数据库 {db_file} 的全部数据；当前数据会先备份（恢复前）。" in out
    )
    assert "确认恢复？(是/否)" in out
    assert "数据库没有改变" in err
    assert units_of(db_file) == ["白银市", "靖远县"]


def test_restore_after_a_yes_brings_the_data_back_and_says_where_the_old_is(
    capsys, db_file: Path, monkeypatch
) -> None:
    run(capsys, "backup", "--db", str(db_file))
    [made] = list_backups(Source(path=db_file))
    add_unit(db_file, "靖远县")
    monkeypatch.setattr("sys.stdin", io.StringIO("是\n"))
    code, out, err = run(capsys, "restore", "--db", str(db_file), str(made.path))
    assert (code, err) == (0, "")
    assert units_of(db_file) == ["白银市"]
    safety = next(b for b in list_backups(Source(path=db_file)) if b.reason == "恢复前")
    assert f"已用备份 {made.name} 恢复数据库 {db_file}" in out
    assert f"恢复前的数据已备份为 {safety.path}" in out
    assert units_of(safety.path) == ["白银市", "靖远县"]


def test_restore_without_a_terminal_needs_yes(capsys, db_file: Path, monkeypatch) -> None:
    run(capsys, "backup", "--db", str(db_file))
    [made] = list_backups(Source(path=db_file))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # nobody to answer
    code, _, err = run(capsys, "restore", "--db", str(db_file), made.name)
    assert code == 1
    assert "没有确认（回答“是”，或加 --yes），数据库没有改变" in err
    code, out, _ = run(capsys, "restore", "--db", str(db_file), made.name, "--yes")
    assert code == 0
    assert "确认恢复" not in out


def test_restore_refusals_are_in_chinese(capsys, db_file: Path, tmp_path: Path) -> None:
    code, _, err = run(capsys, "restore", "--db", str(db_file), "没有这个.db", "--yes")
    assert (code, err) == (1, "错误：备份文件 没有这个.db 不存在\n")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x00garbage" * 1000)
    code, _, err = run(capsys, "restore", "--db", str(db_file), str(junk), "--yes")
    assert code == 1
    assert err.startswith("错误：备份文件 junk.db 不是 SQLite 数据库文件")
    assert units_of(db_file) == ["白银市"]


def test_a_lost_database_file_is_restored_from_its_backup(capsys, db_file: Path) -> None:
    run(capsys, "backup", "--db", str(db_file))
    [made] = list_backups(Source(path=db_file))
    db_file.unlink()
    for extra in ("-wal", "-shm"):
        db_file.with_name(db_file.name + extra).unlink(missing_ok=True)
    code, out, _ = run(capsys, "restore", "--db", str(db_file), made.name, "--yes")
    assert code == 0
    assert f"数据库文件 {db_file} 不存在，将由备份新建" in out
    assert units_of(db_file) == ["白银市"]


def test_backup_of_a_missing_file_is_refused(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "backup", "--db", str(tmp_path / "无.db"))
    assert code == 1
    assert err.startswith("错误：数据库文件")
    assert "不存在" in err


@pytest.mark.pg
def test_backup_and_restore_on_a_postgresql_url(
    capsys, pg_url: str, tmp_path: Path, monkeypatch
) -> None:
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump/pg_restore are not installed")
    folder = tmp_path / "pg-backups"
    add_unit(pg_url, "白银市")
    monkeypatch.setenv("CADREDESK_NEW_PASSWORD", "Admin2026")
    monkeypatch.setenv("CADREDESK_PASSWORD", "Admin2026")
    assert run(capsys, "account-add", "admin", "--db", pg_url)[0] == 0  # a shared database
    admin = ["--user", "admin"]
    code, out, err = run(capsys, "backup", "--db", pg_url, *admin, "--to", str(folder))
    assert (code, err) == (0, "")
    [made] = list(folder.iterdir())
    assert made.suffix == ".dump"
    assert out.startswith(f"已备份数据库 {pg_url}：{made}")
    add_unit(pg_url, "靖远县")
    code, out, err = run(
        capsys, "restore", "--db", pg_url, *admin, "--from", str(folder), made.name, "--yes"
    )
    assert (code, err) == (0, "")
    assert f"已用备份 {made.name} 恢复数据库 {pg_url}" in out
    assert units_of(pg_url) == ["白银市"]
    code, out, _ = run(capsys, "backup", "--db", pg_url, *admin, "--to", str(folder), "--list")
    assert "恢复前" in out
    assert made.name in out


@pytest.mark.pg
def test_missing_pg_dump_is_told_on_the_command_line(
    capsys, tmp_path: Path, monkeypatch, pg_url: str
) -> None:
    monkeypatch.setenv("CADREDESK_NEW_PASSWORD", "Admin2026")
    monkeypatch.setenv("CADREDESK_PASSWORD", "Admin2026")
    assert run(capsys, "account-add", "admin", "--db", pg_url)[0] == 0  # a shared database
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    code, _, err = run(
        capsys, "backup", "--db", pg_url, "--user", "admin", "--to", str(tmp_path / "bk")
    )
    assert code == 1
    assert "找不到 PostgreSQL 备份程序 pg_dump" in err
    assert "postgresql-client" in err


@pytest.fixture
def cheap_hashes(monkeypatch):
    """argon2id with tiny costs (the real ones take about 0.3 s a hash)."""
    from argon2 import PasswordHasher, Type

    from models.accounts import logout, passwords

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1, type=Type.ID)
    monkeypatch.setattr(passwords, "_hasher", cheap)
    yield
    logout()


def test_with_accounts_only_an_account_allowed_to_may_back_up_or_restore(
    capsys, db_file: Path, monkeypatch, cheap_hashes
) -> None:
    password = "Secret2026"
    monkeypatch.setenv("CADREDESK_NEW_PASSWORD", password)
    code, _, err = run(capsys, "account-add", "admin", "--name", "管理员", "--db", str(db_file))
    assert code == 0, err
    monkeypatch.setenv("CADREDESK_PASSWORD", password)
    code, _, err = run(capsys, "account-add", "reader", "--role", "只读", "--db", str(db_file),
                       "--user", "admin")  # fmt: skip
    assert code == 0, err
    code, _, err = run(capsys, "backup", "--db", str(db_file))
    assert code == 1
    assert "请用 --user 指定账号" in err
    code, _, err = run(capsys, "backup", "--db", str(db_file), "--user", "reader")
    assert code == 1
    assert "错误：账号 reader（只读）无权备份与恢复数据库" in err
    code, out, err = run(capsys, "backup", "--db", str(db_file), "--user", "admin")
    assert (code, err) == (0, "")
    [made] = list_backups(Source(path=db_file))
    code, _, err = run(capsys, "restore", "--db", str(db_file), made.name, "--yes",
                       "--user", "reader")  # fmt: skip
    assert code == 1
    assert "无权备份与恢复数据库" in err
    code, out, err = run(capsys, "restore", "--db", str(db_file), made.name, "--yes",
                         "--user", "admin")  # fmt: skip
    assert (code, err) == (0, "")
    assert password not in out
