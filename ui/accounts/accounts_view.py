"""账号管理: the accounts of the database for a 系统管理员 (new, edit role and units,
停用/启用, 重置密码, 解锁). On a database without accounts it explains the single-user mode
and offers to create the 系统管理员; to anyone else it says who is logged in and that only a
系统管理员 manages accounts. The services check the permission themselves."""

from __future__ import annotations

import getpass

from PySide6.QtCore import QCoreApplication, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QVBoxLayout, QWidget

from models.accounts import (
    AccountDTO,
    Permission,
    can,
    current_account,
    has_accounts,
    list_accounts,
    set_active,
    unlock,
)
from models.core.errors import DomainError
from ui import messages
from ui.accounts.account_dialog import AccountDialog
from ui.accounts.first_admin import FirstAdminWizard
from ui.accounts.password_dialog import PasswordDialog
from ui.common import Column, RowsModel, button, table_view

ResizeMode = QHeaderView.ResizeMode


def _tr(text: str) -> str:
    return QCoreApplication.translate("AccountsView", text)


def _when(value: object) -> str:
    return "" if value is None else f"{value:%Y-%m-%d %H:%M}"


def _status_colour(a: AccountDTO) -> str | None:
    if not a.active:
        return "#888888"
    return "#c62828" if a.is_locked() else None


def accounts_model(parent: QWidget | None = None) -> RowsModel[AccountDTO]:
    columns: list[Column[AccountDTO]] = [
        Column(_tr("登录名"), lambda a: a.username),
        Column(_tr("姓名"), lambda a: a.display_name),
        Column(_tr("角色"), lambda a: a.role, centered=True),
        Column(_tr("负责单位"), lambda a: "、".join(a.unit_names)),
        Column(_tr("状态"), lambda a: a.status_text, centered=True, foreground=_status_colour),
        Column(_tr("上次登录"), lambda a: _when(a.last_login), centered=True),
        Column(_tr("建立时间"), lambda a: _when(a.created_at), centered=True),
    ]
    return RowsModel(columns, lambda a: a.id, parent)


def _computer_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return _tr("计算机用户")


class AccountsView(QWidget):
    accountChanged = Signal()  # the 系统管理员 was created and logged in from this screen

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accounts_view")
        self.notice = QLabel()
        self.notice.setObjectName("accounts_notice")
        self.notice.setWordWrap(True)
        self.create_admin_button = button(
            _tr("建立系统管理员账号…"), "create_admin_button", self.create_admin
        )
        self.model = accounts_model(self)
        self.table = table_view(
            self.model, "accounts_table", read_only=True, resize=ResizeMode.ResizeToContents
        )
        self.table.horizontalHeader().setSectionResizeMode(3, ResizeMode.Stretch)  # 负责单位
        self.table.doubleClicked.connect(lambda _index: self.edit_account())
        self.add_button = button(_tr("新建账号…"), "add_account_button", self.add_account)
        self.edit_button = button(_tr("修改…"), "edit_account_button", self.edit_account)
        self.active_button = button(_tr("停用"), "toggle_active_button", self.toggle_active)
        self.reset_button = button(_tr("重置密码…"), "reset_password_button", self.reset_password)
        self.unlock_button = button(_tr("解锁"), "unlock_button", self.unlock_account)
        refresh = button(_tr("刷新"), "refresh_accounts_button", self.refresh)
        self.tools = QWidget()
        row = QHBoxLayout(self.tools)
        row.setContentsMargins(0, 0, 0, 0)
        for b in (self.add_button, self.edit_button, self.active_button, self.reset_button):
            row.addWidget(b)
        row.addWidget(self.unlock_button)
        row.addStretch(1)
        row.addWidget(refresh)
        top = QHBoxLayout()
        top.addWidget(self.notice, 1)
        top.addWidget(self.create_admin_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tools)
        layout.addWidget(self.table, 1)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.refresh()

    # -- state --------------------------------------------------------------------------------

    def selected(self) -> AccountDTO | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    @Slot()
    def refresh(self, select_id: int | None = None) -> None:
        """Re-read the accounts (after any change, and after a refused one)."""
        keep = select_id if select_id is not None else getattr(self.selected(), "id", None)
        me = current_account()
        none_yet = not has_accounts()
        manage = not none_yet and can(Permission.ACCOUNTS)
        self.create_admin_button.setVisible(none_yet)
        self.tools.setVisible(manage)
        self.table.setVisible(manage)
        if none_yet:
            self.notice.setText(
                _tr(
                    "此数据库还没有账号：打开程序不需要登录，修改记录记在计算机用户 {user} 名下。"
                    "多人使用同一数据库时，请建立系统管理员账号，再为每个人建立自己的账号。"
                ).format(user=_computer_user())
            )
            self.model.set_rows([])
        elif manage:
            rows = list_accounts()
            self.model.set_rows(rows)
            self.notice.setText(
                _tr(
                    "共 {n} 个账号；当前登录：{me}。停用的账号不能登录；连续 5 次密码错误的账号"
                    "锁定 15 分钟，可在此提前解锁。"
                ).format(n=len(rows), me=me.label if me else "")
            )
            row = self.model.row_of(keep) if keep is not None else None
            if row is not None:
                self.table.selectRow(row)
        else:
            who = (
                _tr("{name}（{role}）").format(name=me.label, role=me.role) if me else _tr("未登录")
            )
            self.notice.setText(
                _tr(
                    "只有系统管理员可以管理账号。当前账号：{who}。"
                    "修改自己的密码请用菜单“账号 → 修改密码”。"
                ).format(who=who)
            )
            self.model.set_rows([])
        self._update_buttons()

    def _update_buttons(self) -> None:
        a = self.selected()
        for b in (self.edit_button, self.active_button, self.reset_button):
            b.setEnabled(a is not None)
        self.unlock_button.setEnabled(a is not None and a.is_locked())
        self.active_button.setText(_tr("启用") if a is not None and not a.active else _tr("停用"))

    # -- actions ------------------------------------------------------------------------------

    @Slot()
    def create_admin(self) -> None:
        if FirstAdminWizard.ask(self, mandatory=False) is not None:
            self.refresh()
            self.accountChanged.emit()

    @Slot()
    def add_account(self) -> None:
        made = AccountDialog.ask(self)
        if made is not None:
            self.refresh(made.id)

    @Slot()
    def edit_account(self) -> None:
        a = self.selected()
        if a is not None and AccountDialog.ask(self, a) is not None:
            self.refresh(a.id)
        elif a is not None:
            self.refresh(a.id)  # a refused edit (someone else's change) shows what is there now

    @Slot()
    def toggle_active(self) -> None:
        a = self.selected()
        if a is None:
            return
        if a.active:
            question = _tr("停用账号 {name}？停用后不能登录，其修改记录保留。").format(name=a.label)
            if not messages.ask_yes_no(self, _tr("停用账号"), question):
                return
        self._run(lambda: set_active(a.id, a.version, not a.active), a.id)

    @Slot()
    def reset_password(self) -> None:
        a = self.selected()
        if a is not None and PasswordDialog.ask(self, a):
            messages.info(
                self, _tr("重置密码"), _tr("已为账号 {name} 设置新密码。").format(name=a.label)
            )
        if a is not None:
            self.refresh(a.id)

    @Slot()
    def unlock_account(self) -> None:
        a = self.selected()
        if a is not None:
            self._run(lambda: unlock(a.id), a.id)

    def _run(self, action, select_id: int) -> None:  # noqa: ANN001 - a no-argument callable
        try:
            action()
        except DomainError as e:
            messages.error(self, str(e))
        self.refresh(select_id)


__all__ = ["AccountsView", "accounts_model"]
