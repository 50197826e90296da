"""Accounts, roles and the logged-in account: argon2id password hashes, lock-out after
repeated failures, and the permission checks every service makes.

Services that change shared data start with ``require(Permission.X)`` (or
:func:`require_for_cadres` for work limited to a 考核录入 account's units). A database
without accounts allows everything (the single-user default); once it has accounts, nothing
changes without a logged-in account whose role allows it.
"""

from models.accounts.access import (
    LOCK_AFTER,
    LOCK_MINUTES,
    can,
    current_account,
    has_accounts,
    login,
    logout,
    normalise_username,
    require,
    require_for_cadres,
)
from models.accounts.passwords import MIN_LENGTH, password_problem
from models.accounts.roles import (
    ADMIN,
    CADRE_OFFICE,
    READ_ONLY,
    ROLE_DESCRIPTIONS,
    ROLES,
    SCORE_CLERK,
    TRAINING_OFFICE,
    Permission,
    is_unit_scoped,
    permissions_of,
)
from models.accounts.service import (
    AccountInput,
    change_password,
    create_account,
    create_first_admin,
    delete_account,
    find_account,
    get_account,
    list_accounts,
    reset_password,
    set_active,
    unlock,
    update_account,
)
from models.accounts.tables import ACCOUNT_TABLES, Account
from models.accounts.types import AccessDeniedError, AccountDTO, LoginError

__all__ = [
    "ACCOUNT_TABLES",
    "ADMIN",
    "CADRE_OFFICE",
    "LOCK_AFTER",
    "LOCK_MINUTES",
    "MIN_LENGTH",
    "READ_ONLY",
    "ROLES",
    "ROLE_DESCRIPTIONS",
    "SCORE_CLERK",
    "TRAINING_OFFICE",
    "AccessDeniedError",
    "Account",
    "AccountDTO",
    "AccountInput",
    "LoginError",
    "Permission",
    "can",
    "change_password",
    "create_account",
    "create_first_admin",
    "current_account",
    "delete_account",
    "find_account",
    "get_account",
    "has_accounts",
    "is_unit_scoped",
    "list_accounts",
    "login",
    "logout",
    "normalise_username",
    "password_problem",
    "permissions_of",
    "require",
    "require_for_cadres",
    "reset_password",
    "set_active",
    "unlock",
    "update_account",
]
