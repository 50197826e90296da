"""新建账号 / 修改账号: 登录名, 姓名, role (with what it may do), the units of a 考核录入
account (ticked in the unit tree), and for a new account its first password. A refused save
(a taken 登录名, the last 系统管理员, someone else's edit meanwhile) is said in red inside
the dialog."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.accounts import (
    ROLE_DESCRIPTIONS,
    ROLES,
    AccountDTO,
    AccountInput,
    create_account,
    is_unit_scoped,
    update_account,
)
from models.core.errors import DomainError
from models.roster import UnitDTO, list_units
from ui.accounts.fields import NewPassword, error_label, show_error
from ui.common import ok_button, ok_cancel

UNIT_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def _tr(text: str) -> str:
    return QCoreApplication.translate("AccountDialog", text)


def unit_tree(units: Sequence[UnitDTO], checked: Sequence[int] = ()) -> QTreeWidget:
    """The units as a tree with a tick box each (``checked`` ticked), all expanded."""
    tree = QTreeWidget()
    tree.setObjectName("account_units")
    tree.setHeaderHidden(True)
    items: dict[int, QTreeWidgetItem] = {}
    for u in units:
        item = QTreeWidgetItem([u.name])
        item.setData(0, UNIT_ID_ROLE, u.id)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        state = Qt.CheckState.Checked if u.id in checked else Qt.CheckState.Unchecked
        item.setCheckState(0, state)
        items[u.id] = item
    for u in units:  # a parent may come after its child
        parent = items.get(u.parent_id) if u.parent_id is not None else None
        if parent is None:
            tree.addTopLevelItem(items[u.id])
        else:
            parent.addChild(items[u.id])
    tree.expandAll()
    return tree


def checked_units(tree: QTreeWidget) -> list[int]:
    out: list[int] = []
    todo = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    while todo:
        item = todo.pop(0)
        if item.checkState(0) == Qt.CheckState.Checked:
            out.append(int(item.data(0, UNIT_ID_ROLE)))
        todo.extend(item.child(i) for i in range(item.childCount()))
    return out


class AccountDialog(QDialog):
    """A new account (``account`` None) or an edit of ``account`` as read."""

    def __init__(self, parent: QWidget | None = None, account: AccountDTO | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("account_dialog")
        self.account = account
        self.result_dto: AccountDTO | None = None
        self.setWindowTitle(_tr("新建账号") if account is None else _tr("修改账号"))

        self.username = QLineEdit(account.username if account else "")
        self.username.setObjectName("account_username")
        self.username.setMaxLength(30)
        self.username.setReadOnly(account is not None)
        self.display_name = QLineEdit(account.display_name if account else "")
        self.display_name.setObjectName("account_display_name")
        self.display_name.setMaxLength(30)
        self.role = QComboBox()
        self.role.setObjectName("account_role")
        self.role.addItems(list(ROLES))
        if account is not None:
            self.role.setCurrentText(account.role)
        self.role_text = QLabel()
        self.role_text.setObjectName("account_role_text")
        self.role_text.setWordWrap(True)
        self.role_text.setStyleSheet("color: #555;")
        self.units = unit_tree(list_units(), account.unit_ids if account else ())
        self.units.setMinimumHeight(self.fontMetrics().height() * 16)

        form = QFormLayout()
        form.addRow(_tr("登录名"), self.username)
        form.addRow(_tr("姓名"), self.display_name)
        form.addRow(_tr("角色"), self.role)
        form.addRow("", self.role_text)
        form.addRow(_tr("负责单位"), self.units)
        self.password: NewPassword | None = None
        if account is None:
            self.password = NewPassword(form, _tr("初始密码"))
        self.error = error_label("account_error")
        self.buttons = ok_cancel(self)
        ok_button(self.buttons).setObjectName("account_ok")
        self.buttons.accepted.disconnect()
        self.buttons.accepted.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.role.currentTextChanged.connect(self._role_changed)
        self._role_changed(self.role.currentText())
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 36)

    @Slot(str)
    def _role_changed(self, role: str) -> None:
        scoped = is_unit_scoped(role)
        self.units.setEnabled(scoped)
        text = ROLE_DESCRIPTIONS.get(role, "")
        if scoped:
            text += _tr("。请在下面勾选负责的单位")
        self.role_text.setText(text)

    @Slot()
    def save(self) -> None:
        role = self.role.currentText()
        units = checked_units(self.units) if is_unit_scoped(role) else []
        try:
            if self.account is None:
                assert self.password is not None
                problem = self.password.problem(self.username.text())
                if problem:
                    show_error(self.error, problem)
                    return
                inp = AccountInput(
                    self.username.text(), self.display_name.text(), role, tuple(units)
                )
                self.result_dto = create_account(inp, self.password.text())
            else:
                self.result_dto = update_account(
                    self.account.id,
                    self.account.version,
                    display_name=self.display_name.text(),
                    role=role,
                    unit_ids=units,
                )
        except DomainError as e:
            show_error(self.error, str(e))
            return
        self.accept()

    @classmethod
    def ask(
        cls, parent: QWidget | None = None, account: AccountDTO | None = None
    ) -> AccountDTO | None:
        """Show the dialog modally; the saved account, or None when cancelled."""
        dlg = cls(parent, account)
        try:
            if dlg.exec() == QDialog.DialogCode.Accepted:
                return dlg.result_dto
            return None
        finally:
            dlg.deleteLater()


__all__ = ["AccountDialog", "checked_units", "unit_tree"]
