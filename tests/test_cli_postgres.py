"""Every command on a PostgreSQL URL as on a file; the URL's password never shown or logged;
two clients starting on a new database at once migrate it once."""

from __future__ import annotations

import logging
import multiprocessing
import os
from pathlib import Path
from urllib.parse import urlparse

import pytest
from openpyxl import load_workbook

import main
from models.core.db import display_target
from tests.conftest import PG_DSN

SECRET = "S3cret-pw"


def run(capsys, *argv):
    try:
        code = main.main(list(argv))
    except SystemExit as e:
        code = e.code
    out = capsys.readouterr()
    return code, out.out, out.err


def with_password(url: str) -> str:
    """``url`` with a password in it (the test cluster trusts loopback, so any will do)."""
    u = urlparse(url)
    return u._replace(netloc=f"{u.username}:{SECRET}@{u.hostname}:{u.port}").geturl()


def test_display_target_never_shows_a_password():
    assert display_target("postgresql://cadre:pw@db.local:5433/cd") == (
        "postgresql://cadre@db.local:5433/cd"
    )
    assert display_target("postgres://u:p%40ss@[::1]/x?sslmode=require") == "postgres://u@[::1]/x"
    assert display_target("postgresql://h/x") == "postgresql://h/x"
    assert display_target("/home/a/cadredesk.db") == "/home/a/cadredesk.db"


@pytest.mark.pg
def test_every_command_runs_on_a_url_and_never_shows_its_password(
    pg_url, tmp_path, capsys, caplog, monkeypatch
):
    monkeypatch.chdir(tmp_path)  # a URL taken for a path would make folders here
    caplog.set_level(logging.DEBUG)
    url = with_password(pg_url)
    code, out, err = run(capsys, "demo", "--db", url, "--cadres", "300")
    assert (code, err) == (0, "")
    assert out == f"已生成演示数据库 {display_target(pg_url)}：干部 300 名\n"
    assert list(tmp_path.iterdir()) == []
    # a shared database is used with accounts: its 系统管理员 first, then --user
    monkeypatch.setenv("CADREDESK_NEW_PASSWORD", "Admin2026")
    monkeypatch.setenv("CADREDESK_PASSWORD", "Admin2026")
    code, out, err = run(capsys, "account-add", "admin", "--db", url)
    assert code == 0, err
    url_user = [url, "--user", "admin"]

    roster = tmp_path / "roster.xlsx"
    code, out, _ = run(capsys, "export-roster", "--db", *url_user, "-o", str(roster))
    assert code == 0
    rows = list(load_workbook(roster, read_only=True).active.iter_rows(values_only=True))
    assert len(rows) == 302  # title, header, 300 cadres
    code, out, err = run(capsys, "import-roster", str(roster), "--db", *url_user, "--dry-run")
    assert code == 0, err
    assert out.startswith("新增 0，更新 300")

    code, out, err = run(capsys, "grade", "--db", *url_user, "--year", str(_demo_year()))
    assert code == 0, err
    assert "优秀" in out
    code, out, err = run(capsys, "hours", "--db", *url_user, "--year", str(_demo_year()))
    assert code == 0, err
    pdf = tmp_path / "sheets.pdf"
    code, out, err = run(
        capsys, "print", "sheets", "--db", *url_user, "--year", str(_demo_year()), "-o", str(pdf)
    )
    assert code == 0, err
    assert pdf.stat().st_size > 10_000

    # nothing printed or logged carries the password
    code, out, err = run(capsys, "demo", "--db", url)
    assert code == 1
    assert err == (
        f"错误：数据库 {display_target(pg_url)} 已建立账号；演示数据只建在没有账号的空数据库中\n"
    )
    assert SECRET not in caplog.text
    assert "Admin2026" not in caplog.text


def _demo_year() -> int:
    import datetime as dt

    return dt.date.today().year - 1


@pytest.mark.pg
def test_a_server_that_cannot_be_reached_is_explained_in_chinese(capsys):
    u = urlparse(PG_DSN)
    if not PG_DSN:
        pytest.skip("TEST_PG_DSN is not set")
    missing = u._replace(path="/no_such_database_here").geturl()
    code, _, err = run(capsys, "export-roster", "--db", with_password(missing), "-o", "x.xlsx")
    assert code == 1
    assert err == (
        f"错误：数据库服务器上没有数据库 {display_target(missing)}，请先请管理员建立（createdb）\n"
    )
    closed = u._replace(netloc=f"{u.username}:{SECRET}@127.0.0.1:1").geturl()
    code, _, err = run(capsys, "hours", "--db", closed, "--year", "2025")
    assert code == 1
    assert SECRET not in err
    assert "无法连接数据库服务器 postgresql://cadre@127.0.0.1:1/" in err


def _open_and_report(url: str, queue) -> None:  # noqa: ANN001
    from models.core.db import close_database
    from models.schema import LATEST, current_version, open_database

    try:
        real = open_database(url)
        queue.put(current_version(real) == LATEST)
        close_database()
    except Exception as exc:  # noqa: BLE001 - reported to the test
        queue.put(repr(exc))


@pytest.mark.pg
def test_two_clients_starting_on_a_new_database_migrate_it_once():
    if not PG_DSN:
        pytest.skip("TEST_PG_DSN is not set")
    import psycopg

    name = f"cadredesk_race_{os.getpid()}"
    with psycopg.connect(PG_DSN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    url = urlparse(PG_DSN)._replace(path="/" + name).geturl()
    try:
        ctx = multiprocessing.get_context("spawn")
        queue = ctx.Queue()
        procs = [ctx.Process(target=_open_and_report, args=(url, queue)) for _ in range(3)]
        for p in procs:
            p.start()
        results = [queue.get(timeout=120) for _ in procs]
        for p in procs:
            p.join(30)
        assert results == [True, True, True]
        with psycopg.connect(url) as con:
            rows = con.execute("SELECT version, description FROM schema_version").fetchall()
        assert len(rows) == 1
        assert rows[0][1] == "新建数据库"
    finally:
        with psycopg.connect(PG_DSN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_postgres_driver_is_an_optional_requirement():
    root = Path(main.__file__).resolve().parent
    assert "psycopg" not in (root / "requirements.txt").read_text(encoding="utf-8")
    assert "psycopg[binary]" in (root / "requirements-postgres.txt").read_text(encoding="utf-8")
