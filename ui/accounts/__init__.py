"""Accounts in the window: the login dialog, the first-run wizard that creates the
系统管理员, the 账号管理 screen, the password dialogs, and the 账号 menu with who is logged
in. The rules (roles, lock-out, password checks) are in :mod:`models.accounts`.

The names load on first use (models.core.lazy): start-up needs only the sign-in and the
账号 menu, not the 账号管理 screen and its dialogs.
"""

from models.core.lazy import lazy_api

__all__, __getattr__, __dir__ = lazy_api(
    __name__,
    {
        "account_dialog": ("AccountDialog",),
        "accounts_view": ("AccountsView",),
        "first_admin": ("FirstAdminWizard",),
        "login_dialog": ("LoginDialog",),
        "password_dialog": ("PasswordDialog",),
        "session": ("AccountMenu", "sign_in"),
    },
)
