"""Automatic backups: once a day at the first start, before a roster or score import, before
计算等次 and before 审定, before a schema upgrade; none on a dry run; and an operation whose
backup fails does not run. On PostgreSQL they are taken once the app turned them on."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook

import models.schema as schema
from models import backup
from models.assessment import (
    ScoreCell,
    add_unit_members,
    approve_round,
    create_round,
    set_group_averages,
    set_scores,
    submit_for_review,
)
from models.assessment.grading import grade_and_store
from models.assessment.tables import GradeResult
from models.backup import (
    BEFORE_APPROVAL,
    BEFORE_GRADING,
    BEFORE_IMPORT,
    BEFORE_UPGRADE,
    DAILY,
    daily_backup,
    list_backups,
    source_of,
)
from models.core.db import close_database, db, is_server
from models.core.errors import DomainError
from models.roster.importing import import_rows
from models.roster.intake import read_path
from models.roster.tables import Cadre
from models.schema import open_database

ZHANG = "620421197503120014"
HEADER = ["序号", "姓名", "性别", "出生年月", "公民身份号码", "工作单位", "现任职务"]


@pytest.fixture
def folder(database, tmp_path: Path) -> Iterator[Path]:
    """Where this test's automatic backups go: beside the file, or (PostgreSQL, with
    automatic backups turned on as the app does) in a temporary folder."""
    source = source_of()
    assert source is not None
    if is_server():
        if shutil.which("pg_dump") is None:
            pytest.skip("pg_dump is not installed")
        backup.configure_server_backups(tmp_path / "server-backups", automatic=True)
    try:
        yield backup.backup_folder(source)
    finally:
        backup.configure_server_backups(None, automatic=False)


def reasons(folder: Path) -> list[str]:
    source = source_of()
    assert source is not None
    return sorted(b.reason for b in list_backups(source, folder))


def roster_file(tmp_path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append([1, "张三", "男", "1975.03", ZHANG, "市委组织部", "干部科科长"])
    path = tmp_path / "名册.xlsx"
    wb.save(path)
    return path


def test_the_daily_backup_is_taken_once_a_day(folder: Path) -> None:
    monday = dt.datetime(2026, 12, 7, 8, 30)
    first = daily_backup(now=monday)
    assert first is not None
    assert first.reason == DAILY
    assert first.label == "每日自动备份"
    assert daily_backup(now=monday + dt.timedelta(hours=9)) is None  # later the same day
    tuesday = daily_backup(now=monday + dt.timedelta(days=1))
    assert tuesday is not None
    assert reasons(folder) == [DAILY, DAILY]


def test_a_roster_import_is_backed_up_first_and_a_dry_run_is_not(
    folder: Path, tmp_path: Path
) -> None:
    result = read_path(roster_file(tmp_path))
    import_rows(result, dry_run=True)
    assert reasons(folder) == []
    out = import_rows(result)
    assert out.imported
    assert reasons(folder) == [BEFORE_IMPORT]
    before = list_backups(source_of(), folder)[0]  # type: ignore[arg-type]
    assert "-导入前." in before.name
    # the backup holds the roster as it was before the import: empty
    backup.restore(source_of(), before.path, reopen=open_database,  # type: ignore[arg-type]
                   latest=schema.LATEST, target=_target(), folder=folder)  # fmt: skip
    assert Cadre.select().count() == 0


def _target() -> str:
    real = db.obj
    if is_server():
        p = real.connect_params
        return f"postgresql://{p['user']}@{p['host']}:{p['port']}/{real.database}"
    return str(real.database)


def test_an_import_whose_backup_fails_does_not_run(
    database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if is_server():
        pytest.skip("the file's backup folder is what is blocked here")
    source = source_of()
    assert source is not None
    blocked = backup.backup_folder(source)
    blocked.parent.mkdir(parents=True, exist_ok=True)
    blocked.write_text("a file where the backup folder should be")
    with pytest.raises(DomainError) as e:
        import_rows(read_path(roster_file(tmp_path)))
    text = str(e.value)
    assert text.startswith("导入前没能备份数据库（无法建立备份文件夹")
    assert text.endswith("为保护数据，导入没有进行")
    assert Cadre.select().count() == 0


def test_grading_and_approval_are_backed_up_first(folder: Path, units) -> None:
    for n, name in enumerate("甲乙丙", start=1):
        Cadre.create(name=name, sex="男", birth_date=dt.date(1980, 1, 1), unit=units["org"],
                     id_card=f"62040219800101{n:04d}", post_title="科员")  # fmt: skip
    rnd = create_round(2025, user="tester")
    add_unit_members(rnd.id, units["org"], user="tester")
    for cid in [c.id for c in Cadre.select()]:
        items = ("de", "neng", "qin", "ji", "lian")
        set_scores(rnd.id, [ScoreCell(cid, c, 80) for c in items], user="tester")
        groups = ("superior", "peer", "subordinate", "served")
        set_group_averages(rnd.id, cid, dict.fromkeys(groups, 80), user="tester")
    assert reasons(folder) == []
    # a first grading only adds results: there is nothing before it to keep
    grade_and_store(rnd.id, user="tester", workers=0)
    assert GradeResult.select().count() == 3
    assert reasons(folder) == []
    # grading unchanged data again changes no stored result: no backup either
    grade_and_store(rnd.id, user="tester", workers=0)
    assert reasons(folder) == []
    # a changed score changes the results: backed up first, with the results before it
    first = Cadre.select().order_by(Cadre.id).first().id
    set_scores(rnd.id, [ScoreCell(first, "ji", 99)], user="tester")
    grade_and_store(rnd.id, user="tester", workers=0)
    assert reasons(folder) == [BEFORE_GRADING]
    if not is_server():
        newest = max(folder.glob("*计算等次前*"), key=lambda p: p.stat().st_mtime_ns)
        con = sqlite3.connect(newest)
        try:
            composites = {r[0] for r in con.execute("SELECT composite FROM grade_result")}
        finally:
            con.close()
        assert composites == {"80.00"}  # the state before the second grading
    submit_for_review(rnd.id, user="tester")
    approve_round(rnd.id, user="部长")
    assert reasons(folder) == sorted([BEFORE_GRADING, BEFORE_APPROVAL])


def test_automatic_backups_of_a_server_wait_until_the_app_turns_them_on(database) -> None:
    if not is_server():
        pytest.skip("a file is always backed up")
    assert backup.backup_before(BEFORE_IMPORT) is None  # a command-line import: no dump
    assert daily_backup() is None


def test_paused_automatic_backups_take_none(folder: Path) -> None:
    with backup.automatic_paused():
        assert backup.backup_before(BEFORE_IMPORT) is None
        assert daily_backup() is None
    assert reasons(folder) == []


def test_a_schema_upgrade_is_backed_up_first(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "old.db"
    with monkeypatch.context() as m:  # a database as the program of version 5 left it
        m.setattr(schema, "STEPS", [s for s in schema.STEPS if s.version <= 5])
        m.setattr(schema, "LATEST", 5)
        open_database(path)
        close_database()
    open_database(path)
    close_database()
    upgrades = list_backups(backup.Source(path=path))
    assert [b.reason for b in upgrades] == [BEFORE_UPGRADE]
    assert upgrades[0].path.parent == tmp_path / "backups" / "old"
    con = sqlite3.connect(upgrades[0].path)
    assert con.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == 5
    con.close()
