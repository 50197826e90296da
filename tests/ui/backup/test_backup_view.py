"""The 备份与恢复 screen: the list with date, kind, size and check; 立即备份 on the worker;
恢复 after a confirmation that says the current data is backed up first; a PostgreSQL
database without pg_dump; the daily backup at start-up; the section in the main window."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from argon2 import PasswordHasher, Type
from PySide6.QtWidgets import QMainWindow

from models import backup
from models.accounts import (
    READ_ONLY,
    AccountInput,
    create_account,
    create_first_admin,
    login,
    logout,
    passwords,
)
from models.backup import Source, backup_now, list_backups
from models.backup.server import ServerParams
from models.roster.tables import Unit
from ui import jobs, messages
from ui.backup import BackupView, start_daily_backup
from ui.main_window import MainWindow

pytestmark = pytest.mark.ui


@pytest.fixture
def view(qtbot, database, db_path: Path) -> BackupView:
    Unit.create(name="白银市", sort_order=0)
    source = Source(path=db_path)
    for when, reason in (
        (dt.datetime(2025, 3, 5, 9, 0), "每日"),
        (dt.datetime(2025, 3, 6, 15, 30), "导入前"),
        (dt.datetime(2025, 3, 7, 8, 0), "每日"),
    ):
        backup_now(source, reason=reason, now=when)
    v = BackupView(db_path)
    qtbot.addWidget(v)
    v.resize(1000, 600)
    return v


def texts(v: BackupView) -> list[list[str]]:
    m = v.model
    return [[m.text(r, c) for c in range(m.columnCount())] for r in range(m.rowCount())]


def test_the_list_shows_date_kind_size_and_check(view: BackupView, db_path: Path) -> None:
    assert view.model.headers() == ["日期", "类别", "大小", "校验", "文件名"]
    rows = texts(view)
    assert [r[:2] for r in rows] == [
        ["2025-03-07 08:00:00", "每日自动备份"],
        ["2025-03-06 15:30:00", "导入前"],
        ["2025-03-05 09:00:00", "每日自动备份"],
    ]
    assert all(r[2].endswith(("KB", "MB")) for r in rows)
    assert all(r[3] == "已校验" for r in rows)
    assert rows[1][4] == "cadredesk-20250306-153000-导入前.db"
    assert str(db_path) in view.where.text()
    assert str(db_path.parent / "backups" / "cadredesk") in view.where.text()
    assert view.count_label.text().startswith("共 3 份，")
    assert not view.problem.isVisible()
    assert not view.restore_button.isEnabled()  # nothing selected yet
    view.table.selectRow(1)
    assert view.restore_button.isEnabled()


def test_backup_now_runs_on_the_worker_and_lists_the_new_backup(
    qtbot, view: BackupView, monkeypatch
) -> None:
    told: list[str] = []
    monkeypatch.setattr(messages, "info", lambda _p, title, text: told.append(text))
    view.backup_button.click()
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    assert view.model.rowCount() == 4
    newest = view.model.row(0)
    assert newest is not None
    assert newest.label == "手动备份"
    assert told == [
        f"已备份为 {newest.name}（{backup.size_text(newest.size)}），并通过了完整性检查。"
    ]
    assert view.table.selectionModel().selectedRows()[0].row() == 0


def test_restore_asks_first_then_brings_back_the_data(
    qtbot, view: BackupView, db_path: Path, monkeypatch
) -> None:
    Unit.create(name="靖远县", sort_order=1)  # after every backup in the list
    assert view.model.row(0).name == "cadredesk-20250307-080000-每日.db"  # type: ignore[union-attr]
    asked: list[str] = []
    told: list[str] = []
    monkeypatch.setattr(messages, "ask_yes_no", lambda _p, _t, text: asked.append(text) or True)
    monkeypatch.setattr(messages, "info", lambda _p, _t, text: told.append(text))
    view.table.selectRow(0)
    with qtbot.waitSignal(view.restored, timeout=15_000):
        view.restore_button.click()
    qtbot.waitUntil(lambda: bool(told), timeout=5_000)
    assert "用备份 cadredesk-20250307-080000-每日.db（2025-03-07 08:00，每日自动备份）" in asked[0]
    assert "恢复前会先把当前数据备份一份（恢复前），需要时可以再恢复回来。" in asked[0]
    assert [u.name for u in Unit.select()] == ["白银市"]
    safety = next(b for b in list_backups(Source(path=db_path)) if b.reason == "恢复前")
    restored = "cadredesk-20250307-080000-每日.db"
    assert told == [f"已用备份 {restored} 恢复数据库。\n恢复前的数据已备份为 {safety.name}。"]
    assert "恢复前" in [r[1] for r in texts(view)]


def test_a_no_to_the_question_restores_nothing(qtbot, view: BackupView, monkeypatch) -> None:
    Unit.create(name="靖远县", sort_order=1)
    monkeypatch.setattr(messages, "ask_yes_no", lambda *_a: False)
    view.table.selectRow(0)
    view.restore_button.click()
    assert not jobs.runner().busy
    assert Unit.select().count() == 2
    assert view.model.rowCount() == 3


def test_a_damaged_backup_is_refused_with_a_message(qtbot, view: BackupView, monkeypatch) -> None:
    chosen = view.model.row(0)
    assert chosen is not None
    data = bytearray(chosen.path.read_bytes())
    data[4096 * 2 : 4096 * 6] = b"\xa5" * (4096 * 4)
    chosen.path.write_bytes(bytes(data))
    errors: list[str] = []
    monkeypatch.setattr(messages, "ask_yes_no", lambda *_a: True)
    monkeypatch.setattr(messages, "error", lambda _p, text, title=None: errors.append(text))
    view.table.selectRow(0)
    view.restore_button.click()
    qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
    assert errors == [f"备份文件 {chosen.name} 已损坏（完整性检查未通过），不能用来恢复"]
    assert Unit.select().count() == 1


def test_a_server_without_pg_dump_says_what_to_install(
    qtbot, view: BackupView, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setenv("CADREDESK_BACKUP_DIR", str(tmp_path / "server-backups"))
    view.source = Source(params=ServerParams("cadredesk", "clerk", "db.example", 5432, "pw"))
    view.refresh()
    assert not view.problem.isHidden()
    assert "找不到 PostgreSQL 备份程序 pg_dump / pg_restore" in view.problem.text()
    assert "postgresql-client" in view.problem.text()
    assert "postgresql://clerk@db.example:5432/cadredesk" in view.where.text()
    assert "pw" not in view.where.text().replace("postgresql", "")
    assert not view.backup_button.isEnabled()
    assert not view.restore_button.isEnabled()


def test_the_first_start_of_a_day_backs_up_once(qtbot, database, db_path: Path, tmp_path) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    job = start_daily_backup(window, tmp_path / "data")
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    [daily] = list_backups(Source(path=db_path))
    assert daily.reason == "每日"
    assert window.statusBar().currentMessage() == f"已完成今天的自动备份：{daily.name}"
    again = start_daily_backup(window, tmp_path / "data")
    assert again is not None
    with qtbot.waitSignal(again.finished, timeout=10_000):
        pass
    assert len(list_backups(Source(path=db_path))) == 1
    backup.configure_server_backups(None, automatic=False)


def test_the_main_window_has_the_section(qtbot, database, db_path: Path) -> None:
    window = MainWindow(db_path)
    qtbot.addWidget(window)
    titles = [window.nav.item(k).text() for k in range(window.nav.count())]
    assert "备份与恢复" in titles
    window.nav.setCurrentRow(titles.index("备份与恢复"))
    assert isinstance(window.backup_view, BackupView)
    assert window.stack.currentWidget() is window.backup_view


def test_an_account_without_the_right_is_told_and_nothing_runs(
    qtbot, view: BackupView, monkeypatch
) -> None:
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1, type=Type.ID)
    monkeypatch.setattr(passwords, "_hasher", cheap)
    create_first_admin("admin", "管理员", "Secret2026")
    login("admin", "Secret2026")
    create_account(AccountInput("reader", "查阅", READ_ONLY), "Secret2026")
    login("reader", "Secret2026")
    errors: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, title=None: errors.append(text))
    try:
        view.backup_button.click()
        view.table.selectRow(0)
        view.restore_button.click()
    finally:
        logout()
    assert not jobs.runner().busy
    assert len(errors) == 2
    assert "账号 reader（只读）无权备份与恢复数据库" in errors[0]
    assert view.model.rowCount() == 3


def test_after_a_restore_other_sections_are_built_again_from_the_restored_data(
    qtbot, database, db_path: Path, monkeypatch
) -> None:
    """A section opened before the restore shows the restored data when opened again, not
    what it had read before."""
    Unit.create(name="白银市", sort_order=0)
    backup_now(Source(path=db_path), reason="手动", now=dt.datetime(2025, 3, 5, 9, 0))
    Unit.create(name="靖远县", sort_order=1)  # after the backup: gone once restored
    monkeypatch.setattr(messages, "ask_yes_no", lambda *_a: True)
    monkeypatch.setattr(messages, "info", lambda *_a: None)
    window = MainWindow(db_path)
    qtbot.addWidget(window)
    titles = [window.nav.item(k).text() for k in range(window.nav.count())]
    window.nav.setCurrentRow(titles.index("代码表"))
    codes_before = window.codes_view
    window.nav.setCurrentRow(titles.index("备份与恢复"))
    view = window.backup_view
    view.table.selectRow(0)
    with qtbot.waitSignal(view.restored, timeout=15_000):
        view.restore_button.click()
    assert window.stack.currentWidget() is view  # the screen on view stays
    window.nav.setCurrentRow(titles.index("代码表"))
    assert window.codes_view is not codes_before  # built again, on the restored database
    assert [u.name for u in Unit.select()] == ["白银市"]


def test_after_a_restore_the_session_ends_and_a_login_is_asked_for(
    qtbot, database, db_path: Path, monkeypatch
) -> None:
    """The restored database holds the backup's accounts: nobody stays logged in from
    before; with accounts a login is asked for, and cancelling it closes the window."""
    from models.accounts import current_account
    from ui.accounts import login_dialog

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1, type=Type.ID)
    monkeypatch.setattr(passwords, "_hasher", cheap)
    create_first_admin("admin", "管理员", "Secret2026")
    login("admin", "Secret2026")
    backup_now(Source(path=db_path), reason="手动", now=dt.datetime(2025, 3, 5, 9, 0))
    monkeypatch.setattr(messages, "ask_yes_no", lambda *_a: True)
    monkeypatch.setattr(messages, "info", lambda *_a: None)
    asked: list[str] = []

    def cancel(_parent=None, *, username: str = ""):  # noqa: ANN001, ANN202
        asked.append(username)

    monkeypatch.setattr(login_dialog.LoginDialog, "ask", staticmethod(cancel))
    window = MainWindow(db_path)
    qtbot.addWidget(window)
    window.show()
    view = window.backup_view
    window.stack.setCurrentWidget(view)
    view.table.selectRow(0)
    try:
        with qtbot.waitSignal(view.restored, timeout=15_000):
            view.restore_button.click()
        assert current_account() is None
        assert asked == ["admin"]
        qtbot.waitUntil(lambda: not window.isVisible())
    finally:
        logout()
