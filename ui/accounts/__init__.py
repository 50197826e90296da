"""Accounts in the window: the login dialog, the first-run wizard that creates the
系统管理员, the 账号管理 screen, the password dialogs, and the 账号 menu with who is logged
in. The rules (roles, lock-out, password checks) are in :mod:`models.accounts`.
"""

from ui.accounts.account_dialog import AccountDialog
from ui.accounts.accounts_view import AccountsView
from ui.accounts.first_admin import FirstAdminWizard
from ui.accounts.login_dialog import LoginDialog
from ui.accounts.password_dialog import PasswordDialog
from ui.accounts.session import AccountMenu, sign_in

__all__ = [
    "AccountDialog",
    "AccountMenu",
    "AccountsView",
    "FirstAdminWizard",
    "LoginDialog",
    "PasswordDialog",
    "sign_in",
]
