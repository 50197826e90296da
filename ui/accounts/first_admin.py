"""建立系统管理员: the first-run wizard. On a shared PostgreSQL database without accounts it
is shown at start and must be completed; on a single-user SQLite file it is offered by the
账号管理 screen. Finishing creates the 系统管理员 and logs in as it."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from models.accounts import (
    ROLE_DESCRIPTIONS,
    ROLES,
    AccountDTO,
    create_first_admin,
    login,
)
from models.core.db import current_target
from models.core.errors import DomainError
from ui.accounts.fields import NewPassword, error_label, show_error


def _tr(text: str) -> str:
    return QCoreApplication.translate("FirstAdminWizard", text)


def _intro_page(mandatory: bool) -> QWizardPage:
    page = QWizardPage()
    page.setObjectName("first_admin_intro")
    page.setTitle(_tr("建立系统管理员账号"))
    if mandatory:
        text = _tr(
            "数据库 {target} 由多人共用，还没有任何账号。请先建立系统管理员账号：之后每个人"
            "以自己的账号登录，所有修改都记在登录账号名下。"
        )
    else:
        text = _tr(
            "此数据库现在不需要登录，修改记录记在计算机用户名下。建立系统管理员账号后，每次"
            "打开此数据库（{target}）都要登录，所有修改记在登录账号名下。"
        )
    intro = QLabel(text.format(target=current_target()))
    intro.setObjectName("first_admin_text")
    intro.setWordWrap(True)
    roles = QLabel(
        _tr("系统管理员可以再为其他人建立账号，角色有：")
        + "".join(f"<br>· <b>{r}</b>：{ROLE_DESCRIPTIONS[r]}" for r in ROLES)
    )
    roles.setObjectName("first_admin_roles")
    roles.setWordWrap(True)
    layout = QVBoxLayout(page)
    layout.addWidget(intro)
    layout.addSpacing(8)
    layout.addWidget(roles)
    layout.addStretch(1)
    return page


class _AccountPage(QWizardPage):
    """登录名, 姓名 and the password twice; 完成 creates the account (or says why not)."""

    def __init__(self, wizard: FirstAdminWizard) -> None:
        super().__init__()
        self.setObjectName("first_admin_account")
        self.setTitle(_tr("系统管理员账号"))
        self.setSubTitle(_tr("请牢记登录名和密码；忘记密码时只能由另一名系统管理员重置。"))
        self._wizard = wizard
        self.username = QLineEdit("admin")
        self.username.setObjectName("admin_username")
        self.username.setMaxLength(30)
        self.display_name = QLineEdit()
        self.display_name.setObjectName("admin_display_name")
        self.display_name.setMaxLength(30)
        self.display_name.setPlaceholderText(_tr("使用人的姓名，如 张伟"))
        form = QFormLayout()
        form.addRow(_tr("登录名"), self.username)
        form.addRow(_tr("姓名"), self.display_name)
        self.password = NewPassword(form, _tr("密码"))
        self.error = error_label("admin_error")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)

    def validatePage(self) -> bool:
        username = self.username.text().strip()
        if not username:
            show_error(self.error, _tr("请输入登录名"))
            return False
        problem = self.password.problem(username)
        if problem:
            show_error(self.error, problem)
            return False
        try:
            create_first_admin(username, self.display_name.text(), self.password.text())
            self._wizard.account = login(username, self.password.text())
        except DomainError as e:
            show_error(self.error, str(e))
            return False
        return True


class FirstAdminWizard(QWizard):
    def __init__(self, parent: QWidget | None = None, *, mandatory: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("first_admin_wizard")
        self.setWindowTitle(_tr("建立系统管理员账号"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.account: AccountDTO | None = None
        self.intro = _intro_page(mandatory)
        self.account_page = _AccountPage(self)
        self.addPage(self.intro)
        self.addPage(self.account_page)
        self.setButtonText(QWizard.WizardButton.FinishButton, _tr("建立并登录"))
        char = self.fontMetrics().horizontalAdvance("中")
        self.resize(char * 44, char * 30)

    @classmethod
    def ask(cls, parent: QWidget | None = None, *, mandatory: bool = False) -> AccountDTO | None:
        """Run the wizard modally; the new 系统管理员 (logged in), or None when cancelled."""
        wizard = cls(parent, mandatory=mandatory)
        try:
            wizard.exec()
            return wizard.account
        finally:
            wizard.deleteLater()


__all__ = ["FirstAdminWizard"]
