"""Pieces the account dialogs share: a password box, the red line that says what is wrong,
the password rules as one sentence, and a pair of new-password boxes that check each other."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from models.accounts import MIN_LENGTH, password_problem

ERROR_COLOR = "#c62828"


def _tr(text: str) -> str:
    return QCoreApplication.translate("accounts", text)


def rules_text() -> str:
    return _tr("密码至少 {n} 位，须同时包含英文字母和数字，不能与登录名相同。").format(n=MIN_LENGTH)


def password_edit(name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(128)
    if placeholder:
        edit.setPlaceholderText(placeholder)
    return edit


def error_label(name: str = "error_label") -> QLabel:
    """A red, word-wrapped line, empty (and taking no room) until there is something to say."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {ERROR_COLOR};")
    label.hide()
    return label


def show_error(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


class NewPassword:
    """Two boxes for a new password (typed twice), added to ``form``; :meth:`problem` says
    what is wrong with them, or '' when they may be used."""

    def __init__(self, form: QFormLayout, label: str = "", parent: QWidget | None = None) -> None:
        self.first = password_edit(
            "new_password", _tr("至少 {n} 位，含字母和数字").format(n=MIN_LENGTH)
        )
        self.second = password_edit("repeat_password", _tr("再输入一次"))
        label = label or _tr("新密码")
        form.addRow(label, self.first)
        form.addRow(_tr("确认{label}").format(label=label), self.second)
        hint = QLabel(rules_text(), parent)
        hint.setObjectName("password_rules")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        form.addRow("", hint)

    def text(self) -> str:
        return self.first.text()

    def problem(self, username: str = "") -> str:
        password = self.first.text()
        if not password:
            return _tr("请输入新密码")
        found = password_problem(password, username)
        if found:
            return found
        if password != self.second.text():
            return _tr("两次输入的密码不一致")
        return ""


__all__ = [
    "ERROR_COLOR",
    "NewPassword",
    "error_label",
    "password_edit",
    "rules_text",
    "show_error",
]
