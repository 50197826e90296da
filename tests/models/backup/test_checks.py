"""What a restore refuses, in Chinese and before anything changes: a missing file, a file that
is no database, a damaged backup (integrity_check), another program's database, a backup of a
newer program, a backup of the other kind; and how a damaged database is itself handled."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from models.backup import (
    Source,
    backup_folder,
    backup_now,
    check_backup,
    integrity_problem,
    list_backups,
    restore,
    source_of,
)
from models.core.db import close_database
from models.core.errors import DomainError
from models.roster.tables import Unit
from models.schema import LATEST, open_database


def corrupt(path: Path) -> None:
    """Overwrite pages in the middle of a SQLite file with garbage (its header stays)."""
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 8 * page
    for k in range(2, len(data) // page - 1, 3):
        data[k * page + 8 : k * page + 600] = b"\xa5" * 592
    path.write_bytes(bytes(data))


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    """A CadreDesk database with some pages of data, closed."""
    path = tmp_path / "cadredesk.db"
    open_database(path)
    for k in range(300):
        Unit.create(name=f"单位{k:03d}" + "测" * 40, sort_order=k)
    close_database()
    return path


def test_integrity_check_finds_a_corrupted_backup(filled: Path, tmp_path: Path) -> None:
    source = Source(path=filled)
    info = backup_now(source, folder=tmp_path / "bk")
    assert integrity_problem(info.path) is None
    corrupt(info.path)
    assert integrity_problem(info.path) == "已损坏（完整性检查未通过）"
    with pytest.raises(DomainError) as e:
        check_backup(source, info.path, LATEST)
    assert str(e.value) == f"备份文件 {info.path.name} 已损坏（完整性检查未通过），不能用来恢复"


def test_a_damaged_backup_is_refused_and_the_database_is_unchanged(
    filled: Path, tmp_path: Path
) -> None:
    source = Source(path=filled)
    info = backup_now(source, folder=tmp_path / "bk")
    corrupt(info.path)
    before = filled.read_bytes()
    with pytest.raises(DomainError, match="已损坏"):
        restore(source, info.path, reopen=open_database, latest=LATEST, folder=tmp_path / "bk")
    assert filled.read_bytes() == before
    assert [b.reason for b in list_backups(source, tmp_path / "bk")] == ["手动"]  # no 恢复前


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (None, "备份文件 {path} 不存在"),
        (lambda p: p.write_text("这不是数据库" * 200), "备份文件 {name} 不是 SQLite 数据库文件"),
        (
            lambda p: sqlite3.connect(p).execute("CREATE TABLE t (x)").connection.commit(),
            "{name} 不是 CadreDesk 数据库的备份（没有版本记录），不能用来恢复",
        ),
    ],
    ids=["missing", "not-sqlite", "not-cadredesk"],
)
def test_restore_says_what_is_wrong_with_the_file(
    filled: Path, tmp_path: Path, make, message: str
) -> None:
    bad = tmp_path / "别的.db"
    if make is not None:
        make(bad)
    before = filled.read_bytes()
    with pytest.raises(DomainError) as e:
        restore(Source(path=filled), bad, reopen=open_database, latest=LATEST)
    assert message.format(path=bad, name=bad.name) in str(e.value)
    assert filled.read_bytes() == before


def test_a_backup_of_a_newer_program_is_refused(filled: Path, tmp_path: Path) -> None:
    info = backup_now(Source(path=filled), folder=tmp_path / "bk")
    con = sqlite3.connect(info.path)
    con.execute(
        "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)",
        (LATEST + 1, "将来", "2030-01-01 00:00:00"),
    )
    con.commit()
    con.close()
    with pytest.raises(DomainError) as e:
        check_backup(Source(path=filled), info.path, LATEST)
    assert f"数据库版本为 {LATEST + 1}，高于本程序支持的 {LATEST}" in str(e.value)


def test_a_server_backup_is_not_restored_into_a_file(filled: Path, tmp_path: Path) -> None:
    dump = tmp_path / "cadredesk-20261207-091200-手动.dump"
    dump.write_bytes(b"PGDMP")
    with pytest.raises(DomainError) as e:
        check_backup(Source(path=filled), dump, LATEST)
    assert "是 PostgreSQL 服务器数据库的备份，不能恢复到数据库文件" in str(e.value)


def test_a_backup_is_found_by_its_name_in_the_backup_folder(filled: Path) -> None:
    source = Source(path=filled)
    info = backup_now(source)  # the default folder: backups/<stem>/ beside the file
    assert info.path.parent == filled.parent / "backups" / "cadredesk"
    open_database(filled)
    Unit.delete().execute()
    result = restore(source, info.name, reopen=open_database, latest=LATEST)
    assert result.restored == info.path
    assert Unit.select().count() == 300
    close_database()


def test_backing_up_a_damaged_database_fails_with_a_message_and_leaves_no_backup(
    filled: Path, tmp_path: Path
) -> None:
    corrupt(filled)
    folder = tmp_path / "bk"
    with pytest.raises(DomainError) as e:
        backup_now(Source(path=filled), folder=folder)
    # SQLite finds the damage while copying, or the copy fails its integrity check
    assert "数据库文件已损坏" in str(e.value) or "数据库文件本身可能已损坏" in str(e.value)
    assert "请在“备份与恢复”中恢复最近的备份" in str(e.value)
    assert list_backups(Source(path=filled), folder) == []
    assert [p.name for p in folder.iterdir()] == []  # not even a temp file


def test_a_damaged_database_is_kept_aside_then_restored(filled: Path, tmp_path: Path) -> None:
    folder = tmp_path / "bk"
    good = backup_now(Source(path=filled), folder=folder)
    corrupt(filled)
    result = restore(Source(path=filled), good.path, reopen=open_database, latest=LATEST,
                     folder=folder)  # fmt: skip
    try:
        assert result.safety is None
        assert result.damaged_copy is not None
        assert result.damaged_copy.name.endswith(".db.损坏")
        assert Unit.select().count() == 300
        assert integrity_problem(filled) is None
        assert [b.path for b in list_backups(Source(path=filled), folder)] == [good.path]
    finally:
        close_database()


def test_a_disk_error_while_backing_up_is_told_in_chinese(filled: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the backup folder should be")
    with pytest.raises(DomainError) as e:
        backup_now(Source(path=filled), folder=blocker / "bk")
    assert str(e.value).startswith(f"无法建立备份文件夹 {blocker / 'bk'}：")
    assert "Errno" not in str(e.value)


def test_nothing_to_back_up_in_memory(tmp_path: Path) -> None:
    open_database(":memory:")
    try:
        assert source_of() is None
    finally:
        close_database()


def test_the_database_itself_is_no_backup_to_restore(filled: Path) -> None:
    with pytest.raises(DomainError) as e:
        restore(Source(path=filled), filled, reopen=open_database, latest=LATEST)
    assert str(e.value) == "cadredesk.db 就是要恢复的数据库本身，请选择一个备份文件"


def test_two_servers_with_databases_called_alike_keep_their_backups_apart() -> None:
    from models.backup.server import ServerParams

    a = Source(params=ServerParams("cadredesk", "cadre", "10.0.0.1", 5432))
    b = Source(params=ServerParams("cadredesk", "cadre", "10.0.0.2", 5432))
    c = Source(params=ServerParams("cadredesk", "cadre", "10.0.0.1", 5433))
    folders = {backup_folder(s) for s in (a, b, c)}
    assert len(folders) == 3
    assert all("cadredesk" in f.name for f in folders)


def test_the_quick_check_of_an_operations_backup_still_finds_damaged_pages(
    filled: Path, tmp_path: Path
) -> None:
    """Before an import, a grading or an approval the copy is checked with SQLite's quick
    check (pages, b-trees and records; not each index against its table): a backup with
    garbage pages is still refused, and no half backup is left."""
    folder = tmp_path / "bk"
    info = backup_now(Source(path=filled), folder=folder, quick_check=True)
    assert integrity_problem(info.path, quick=True) is None
    corrupt(info.path)
    assert integrity_problem(info.path, quick=True) == "已损坏（完整性检查未通过）"
    corrupt(filled)
    with pytest.raises(DomainError, match="损坏"):
        backup_now(Source(path=filled), folder=folder, quick_check=True)
    assert [b.path for b in list_backups(Source(path=filled), folder)] == [info.path]


def test_operations_use_the_quick_check_and_other_backups_the_full_one(
    filled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from models.backup import backup_before
    from models.backup import files as backup_files

    seen: list[bool] = []
    real = backup_files.integrity_problem

    def spy(path: Path, *, quick: bool = False) -> str | None:
        seen.append(quick)
        return real(path, quick=quick)

    monkeypatch.setattr(backup_files, "integrity_problem", spy)
    open_database(filled, backup_dir=tmp_path / "upgrade")
    try:
        assert backup_before("计算等次前") is not None
        backup_now(source_of(), folder=tmp_path / "bk")  # 手动
    finally:
        close_database()
    assert seen == [True, False]
