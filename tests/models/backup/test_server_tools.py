"""The PostgreSQL client programs: a Chinese message naming postgresql-client when pg_dump or
pg_restore is missing; the password reaches pg_dump only through its environment, never its
command line nor the log; its English errors become Chinese. No server is needed here: a
stand-in pg_dump records how it was called."""

from __future__ import annotations

import logging
import os
import stat
import sys
from pathlib import Path

import pytest

from models import backup
from models.backup import Source, ToolsMissing, backup_before, backup_now, service, tools_available
from models.backup.server import ServerParams
from models.core.errors import DomainError

PASSWORD = "s3cret-口令"
PARAMS = ServerParams("cadredesk", "clerk", "db.example", 5433, PASSWORD)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="stand-in programs are sh scripts")


def fake_tool(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


def test_missing_pg_dump_says_to_install_the_client_tools(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert not tools_available()
    with pytest.raises(ToolsMissing) as e:
        backup_now(Source(params=PARAMS), folder=tmp_path / "bk")
    text = str(e.value)
    assert text.startswith("找不到 PostgreSQL 备份程序 pg_dump。请安装 PostgreSQL 客户端工具")
    assert "postgresql-client" in text
    assert not (tmp_path / "bk").exists() or not list((tmp_path / "bk").iterdir())


def test_the_password_goes_only_into_pg_dumps_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "called.txt"
    fake_tool(
        bin_dir,
        "pg_dump",
        f'printf "%s\\n" "$@" > "{record}"\n'
        f'printf "PGPASSWORD=%s PGUSER=%s PGHOST=%s PGPORT=%s\\n" '
        f'"$PGPASSWORD" "$PGUSER" "$PGHOST" "$PGPORT" >> "{record}"\n'
        'echo "pg_dump: error: connection to server failed: password authentication failed '
        'for user clerk" >&2\nexit 1\n',
    )
    fake_tool(bin_dir, "pg_restore", "exit 0\n")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    caplog.set_level(logging.DEBUG)
    with pytest.raises(DomainError) as e:
        backup_now(Source(params=PARAMS), folder=tmp_path / "bk")
    assert (
        str(e.value)
        == "数据库服务器 postgresql://clerk@db.example:5433/cadredesk 拒绝登录：账号或密码不对"
    )
    called = record.read_text(encoding="utf-8").splitlines()
    arguments, environment = called[:-1], called[-1]
    assert "--format=custom" in arguments
    assert "--dbname=dbname='cadredesk'" in arguments
    assert not any(PASSWORD in a for a in arguments)
    assert environment == f"PGPASSWORD={PASSWORD} PGUSER=clerk PGHOST=db.example PGPORT=5433"
    assert PASSWORD not in caplog.text
    assert PASSWORD not in repr(PARAMS)
    assert [p.name for p in (tmp_path / "bk").iterdir()] == []  # the failed dump left nothing


def test_a_full_disk_during_pg_dump_is_told_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_tool(
        bin_dir,
        "pg_dump",
        'echo "pg_dump: error: could not write to output file: No space left on device" >&2\n'
        "exit 1\n",
    )
    fake_tool(bin_dir, "pg_restore", "exit 0\n")
    monkeypatch.setenv("PATH", str(bin_dir))
    with pytest.raises(DomainError) as e:
        backup_now(Source(params=PARAMS), folder=tmp_path / "bk")
    assert str(e.value) == "pg_dump 没有完成：磁盘空间不足"


def test_an_import_on_a_server_without_pg_dump_goes_on_with_a_warning_in_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Automatic backups turned on, but this computer lacks the client tools: the import is
    not refused (the 备份与恢复 screen says what to install)."""
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(service, "source_of", lambda target=None: Source(params=PARAMS))
    backup.configure_server_backups(tmp_path, automatic=True)
    try:
        with caplog.at_level(logging.WARNING):
            assert backup_before("导入前") is None
    finally:
        backup.configure_server_backups(None, automatic=False)
    assert "pg_dump is not installed" in caplog.text
