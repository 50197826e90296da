"""修改密码 (one's own, with the current password) and 重置密码 (a 系统管理员 gives another
account a new one). What is wrong shows in red inside the dialog."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Slot
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QVBoxLayout, QWidget

from models.accounts import AccountDTO, change_password, current_account, reset_password
from models.core.errors import DomainError
from ui.accounts.fields import NewPassword, error_label, password_edit, show_error
from ui.common import ok_button, ok_cancel


def _tr(text: str) -> str:
    return QCoreApplication.translate("PasswordDialog", text)


class PasswordDialog(QDialog):
    """Without ``account``: the logged-in account changes its own password. With it: a
    系统管理员 resets that account's password (which also unlocks it)."""

    def __init__(self, parent: QWidget | None = None, account: AccountDTO | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("password_dialog")
        self.account = account
        me = current_account()
        self.username = account.username if account else (me.username if me else "")
        form = QFormLayout()
        self.old = None
        if account is None:
            self.setWindowTitle(_tr("修改密码"))
            head = _tr("修改账号 {name} 的密码").format(name=self.username)
            self.old = password_edit("old_password")
            form.addRow(_tr("当前密码"), self.old)
        else:
            self.setWindowTitle(_tr("重置密码"))
            head = _tr(
                "为账号 {name} 设置新密码（同时解除锁定）。请把新密码当面告诉使用人。"
            ).format(name=account.label)
        title = QLabel(head)
        title.setWordWrap(True)
        self.new = NewPassword(form)
        self.error = error_label("password_error")
        self.buttons = ok_cancel(self)
        ok_button(self.buttons).setObjectName("password_ok")
        self.buttons.accepted.disconnect()
        self.buttons.accepted.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 28)

    @Slot()
    def save(self) -> None:
        problem = self.new.problem(self.username)
        if self.old is not None and not self.old.text():
            problem = _tr("请输入当前密码")
        if problem:
            show_error(self.error, problem)
            return
        try:
            if self.account is None:
                assert self.old is not None
                change_password(self.old.text(), self.new.text())
            else:
                reset_password(
                    self.account.id, self.new.text(), expected_version=self.account.version
                )
        except DomainError as e:
            show_error(self.error, str(e))
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None = None, account: AccountDTO | None = None) -> bool:
        """Show the dialog modally; True when the password was changed."""
        dlg = cls(parent, account)
        try:
            return dlg.exec() == QDialog.DialogCode.Accepted
        finally:
            dlg.deleteLater()


__all__ = ["PasswordDialog"]
