"""The logged-in account in the window: signing in at start, and the 账号 menu (修改密码,
切换账号, 注销) with the status-bar line saying who is logged in."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from models.accounts import current_account, has_accounts, logout
from models.core.db import is_server
from ui import messages
from ui.accounts.first_admin import FirstAdminWizard
from ui.accounts.login_dialog import LoginDialog
from ui.accounts.password_dialog import PasswordDialog


def _tr(text: str) -> str:
    return QCoreApplication.translate("AccountSession", text)


def sign_in(parent: QWidget | None = None, *, username: str = "") -> bool:
    """At start, after the database is open: True when the window may open. A database with
    accounts asks for a login; a shared PostgreSQL database without any first has its
    系统管理员 created (the first-run wizard); a SQLite file without accounts needs nothing.
    False when the user cancels."""
    if has_accounts():
        return LoginDialog.ask(parent, username=username) is not None
    if is_server():
        return FirstAdminWizard.ask(parent, mandatory=True) is not None
    return True


class AccountMenu(QObject):
    """The 账号 menu of ``window`` and the status-bar line; ``changed`` after a login,
    a switch or a logout."""

    changed = Signal()

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)  # no reference back to the window: it must not be kept alive
        menu = window.menuBar().addMenu(_tr("账号(&A)"))
        menu.setObjectName("account_menu")
        self.change_password_action = QAction(_tr("修改密码…"), window)
        self.change_password_action.setObjectName("change_password_action")
        self.change_password_action.triggered.connect(self.change_password)
        self.switch_action = QAction(_tr("切换账号…"), window)
        self.switch_action.setObjectName("switch_account_action")
        self.switch_action.triggered.connect(self.switch_account)
        self.logout_action = QAction(_tr("注销"), window)
        self.logout_action.setObjectName("logout_action")
        self.logout_action.triggered.connect(self.log_out)
        menu.addAction(self.change_password_action)
        menu.addSeparator()
        menu.addAction(self.switch_action)
        menu.addAction(self.logout_action)
        self.label = QLabel()
        self.label.setObjectName("account_label")
        self.label.setStyleSheet("margin-left: 12px;")  # apart from the cadre count before it
        window.statusBar().addPermanentWidget(self.label)
        self.update()

    def _window(self) -> QMainWindow:
        window = self.parent()
        assert isinstance(window, QMainWindow)
        return window

    @Slot()
    def update(self) -> None:
        me = current_account()
        if me is not None:
            text = _tr("当前账号：{name}，{role}").format(name=me.label, role=me.role)
        elif has_accounts():
            text = _tr("未登录")
        else:
            text = _tr("单机使用，未建立账号")
        self.label.setText(text)
        self.change_password_action.setEnabled(me is not None)
        self.switch_action.setEnabled(has_accounts())
        self.logout_action.setEnabled(me is not None)

    @Slot()
    def change_password(self) -> None:
        if PasswordDialog.ask(self._window()):
            messages.info(self._window(), _tr("修改密码"), _tr("密码已修改，下次登录请用新密码。"))

    @Slot()
    def switch_account(self) -> None:
        """Log in as someone else; cancelled, the current account stays logged in."""
        if LoginDialog.ask(self._window()) is not None:
            self.update()
            self.changed.emit()

    @Slot()
    def log_out(self) -> None:
        """Log out and ask for a login; cancelled, the window closes."""
        me = current_account()
        logout()
        self.update()
        self.changed.emit()
        if LoginDialog.ask(self._window(), username=me.username if me else "") is None:
            self._window().close()
            return
        self.update()
        self.changed.emit()

    @Slot()
    def after_restore(self) -> None:
        """The database now holds a backup's accounts, which may not be the ones logged in
        with: the session ends; with accounts in the backup a login is asked for (cancelled,
        the window closes)."""
        me = current_account()
        logout()
        self.update()
        self.changed.emit()
        if not has_accounts():
            return
        if LoginDialog.ask(self._window(), username=me.username if me else "") is None:
            self._window().close()
            return
        self.update()
        self.changed.emit()


__all__ = ["AccountMenu", "sign_in"]
