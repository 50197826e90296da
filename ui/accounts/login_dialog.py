"""登录: the dialog shown at start (and on 切换账号) when the database has accounts. A wrong
password or a locked account is said in red inside the dialog, which stays open."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Slot
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from models.accounts import AccountDTO, LoginError, login
from models.core.db import current_target
from ui.accounts.fields import error_label, password_edit, show_error
from ui.common import ok_button, ok_cancel


def _tr(text: str) -> str:
    return QCoreApplication.translate("LoginDialog", text)


class LoginDialog(QDialog):
    """登录名 and 密码; 登录 logs in (models.accounts.login) or shows why not."""

    def __init__(self, parent: QWidget | None = None, *, username: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("login_dialog")
        self.setWindowTitle(_tr("登录 CadreDesk"))
        self.account: AccountDTO | None = None

        intro = QLabel(_tr("此数据库已建立账号，请登录后使用。"))
        intro.setWordWrap(True)
        where = QLabel(_tr("数据库：{target}").format(target=current_target()))
        where.setObjectName("login_target")
        where.setWordWrap(True)
        where.setStyleSheet("color: #555;")
        self.username = QLineEdit(username)
        self.username.setObjectName("login_username")
        self.username.setMaxLength(30)
        self.password = password_edit("login_password")
        self.error = error_label("login_error")
        form = QFormLayout()
        form.addRow(_tr("登录名"), self.username)
        form.addRow(_tr("密码"), self.password)

        self.buttons = ok_cancel(self)
        ok_button(self.buttons).setText(_tr("登录"))
        ok_button(self.buttons).setObjectName("login_button")
        self.buttons.accepted.disconnect()
        self.buttons.accepted.connect(self.try_login)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(where)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 26)
        (self.password if username else self.username).setFocus()

    @Slot()
    def try_login(self) -> None:
        try:
            self.account = login(self.username.text(), self.password.text())
        except LoginError as e:
            self.password.clear()
            self.password.setFocus()
            show_error(self.error, str(e))
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None = None, *, username: str = "") -> AccountDTO | None:
        """Show the dialog modally; the logged-in account, or None when the user cancels."""
        dlg = cls(parent, username=username)
        try:
            if dlg.exec() == QDialog.DialogCode.Accepted:
                return dlg.account
            return None
        finally:
            dlg.deleteLater()


__all__ = ["LoginDialog"]
