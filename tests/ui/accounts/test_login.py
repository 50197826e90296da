"""The login dialog and signing in at start: a wrong password is said inside the dialog, a
locked account says until when, the right one logs in; cancelling the login at start ends
the program with exit code 0; a shared database without accounts must get its 系统管理员
first."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from models.accounts import current_account
from models.core.audit import current_actor
from tests.ui.accounts.conftest import PASSWORD
from ui import app as ui_app
from ui.accounts import FirstAdminWizard, LoginDialog, sign_in
from ui.accounts import session as account_session
from ui.common import ok_button


def _try(qtbot, dlg: LoginDialog, password: str) -> None:
    dlg.password.clear()
    qtbot.keyClicks(dlg.password, password)
    qtbot.mouseClick(ok_button(dlg.buttons), Qt.MouseButton.LeftButton)


def test_wrong_then_right_password(qtbot, admin):
    dlg = LoginDialog(username="admin")
    qtbot.addWidget(dlg)
    assert dlg.username.text() == "admin"
    assert ok_button(dlg.buttons).text() == "登录"
    _try(qtbot, dlg, "Wrong2026")
    assert dlg.error.text() == "登录名或密码不对"
    assert not dlg.error.isHidden()
    assert dlg.result() != QDialog.DialogCode.Accepted
    assert dlg.password.text() == ""  # cleared for the next try
    assert current_account() is None
    _try(qtbot, dlg, PASSWORD)
    assert dlg.result() == QDialog.DialogCode.Accepted
    assert dlg.account is not None
    assert dlg.account.username == "admin"
    assert current_actor() == "admin"


def test_a_locked_account_says_until_when(qtbot, admin):
    dlg = LoginDialog(username="admin")
    qtbot.addWidget(dlg)
    for _ in range(5):
        _try(qtbot, dlg, "Wrong2026")
    assert "账号 admin 连续 5 次密码错误，已锁定至" in dlg.error.text()
    _try(qtbot, dlg, PASSWORD)
    assert "已锁定至" in dlg.error.text()
    assert current_account() is None


def test_cancelling_the_login_at_start_exits_0(qapp, admin, db_path, monkeypatch, app_log):
    asked: list[str] = []

    def cancel(cls, parent=None, *, username=""):
        asked.append(username)

    monkeypatch.setattr(LoginDialog, "ask", classmethod(cancel))
    assert ui_app.run(db_path, user="admin") == 0
    assert asked == ["admin"]  # --user fills in the 登录名
    assert "starting on" in app_log.read_text(encoding="utf-8")


def test_a_single_user_file_needs_no_login(database, monkeypatch):
    def fail(cls, *args, **kwargs):
        raise AssertionError("no dialog expected")

    monkeypatch.setattr(LoginDialog, "ask", classmethod(fail))
    monkeypatch.setattr(FirstAdminWizard, "ask", classmethod(fail))
    assert sign_in() is True


def test_a_shared_database_without_accounts_requires_the_administrator(database, monkeypatch):
    shown: list[bool] = []

    def wizard(cls, parent=None, *, mandatory=False):
        shown.append(mandatory)

    monkeypatch.setattr(account_session, "is_server", lambda: True)
    monkeypatch.setattr(FirstAdminWizard, "ask", classmethod(wizard))
    assert sign_in() is False  # cancelled: the program does not open
    assert shown == [True]


@pytest.mark.pg
def test_login_on_postgresql(qtbot, pg_url):
    from models.accounts import create_first_admin
    from models.core.db import close_database
    from models.schema import open_database

    open_database(pg_url)
    try:
        create_first_admin("admin", "管理员", PASSWORD)
        dlg = LoginDialog()
        qtbot.addWidget(dlg)
        assert "postgresql://" in dlg.findChild(type(dlg.error), "login_target").text()
        qtbot.keyClicks(dlg.username, "admin")
        _try(qtbot, dlg, PASSWORD)
        assert dlg.account is not None
        assert current_actor() == "admin"
    finally:
        close_database()
