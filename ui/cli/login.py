"""Logging in for one command: ``--user`` names the account; the password comes from the
environment variable CADREDESK_PASSWORD or is typed at a prompt that does not echo it. A
password is never taken from the command line (where ``ps`` and the shell history would
show it), and never printed.

Nothing here imports Qt; the models load inside the functions (start-up time).
"""

from __future__ import annotations

import contextlib
import getpass
import os
import sys
import warnings
from collections.abc import Iterator

PASSWORD_VARIABLE = "CADREDESK_PASSWORD"
"""The variable holding the password of the account ``--user`` names."""
NEW_PASSWORD_VARIABLE = "CADREDESK_NEW_PASSWORD"
"""The variable holding a new password (account-add, account-passwd), instead of a prompt."""

_given: list[str] = []  # a password the command already read (account-passwd's current one)


def read_secret(prompt: str, variable: str) -> str:
    """The value of ``variable`` when set, else what is typed at ``prompt`` (not echoed);
    DomainError when nothing can be read or the user cancels."""
    from models.core.errors import DomainError  # lazy: start-up time

    value = os.environ.get(variable)
    if value is not None:
        return value
    try:
        with warnings.catch_warnings():
            # without a terminal getpass reads the standard input and warns in English
            warnings.simplefilter("ignore", getpass.GetPassWarning)
            return getpass.getpass(prompt)
    except (EOFError, KeyboardInterrupt):
        print(file=sys.stderr)
        raise DomainError(f"未输入密码（也可以放在环境变量 {variable} 中）") from None


def read_new_password(what: str = "新密码") -> str:
    """A new password: CADREDESK_NEW_PASSWORD, or typed twice at the prompt (must match)."""
    from models.core.errors import DomainError  # lazy: start-up time

    if os.environ.get(NEW_PASSWORD_VARIABLE) is not None:
        return os.environ[NEW_PASSWORD_VARIABLE]
    first = read_secret(f"{what}：", NEW_PASSWORD_VARIABLE)
    second = read_secret(f"再输入一次{what}：", NEW_PASSWORD_VARIABLE)
    if first != second:
        raise DomainError(f"两次输入的{what}不一致，未作修改")
    return first


@contextlib.contextmanager
def password_given(password: str) -> Iterator[None]:
    """Inside, :func:`login_for_command` uses ``password`` instead of asking again (a
    command that read the current password itself, such as account-passwd)."""
    _given.append(password)
    try:
        yield
    finally:
        _given.pop()


def login_for_command(user: str | None, *, first_account: bool = False) -> None:
    """Log in as ``user`` on the open database, or refuse: a database with accounts needs
    ``--user``; a SQLite file without accounts (one clerk's) needs none; a shared server
    database without accounts is refused until its first 系统管理员 exists, unless this
    command makes it (``first_account``). Raises DomainError (LoginError) with the Chinese
    reason (wrong password, locked, deactivated)."""
    from models.accounts import has_accounts, login  # lazy: start-up time
    from models.core.db import current_target, is_server  # lazy: start-up time
    from models.core.errors import DomainError  # lazy: start-up time

    if not has_accounts():
        if is_server() and not first_account:
            raise DomainError(
                f"共用数据库 {current_target()} 还没有账号：请先建立系统管理员账号"
                "（python main.py account-add 登录名 --db 地址），之后各命令用 --user 登录"
            )
        if user:
            raise DomainError(
                "此数据库还没有建立账号，不需要 --user；"
                "要建立首个系统管理员，请用 account-add（不带 --user）"
            )
        return
    if not user:
        raise DomainError("此数据库已建立账号，请用 --user 指定账号")
    password = _given[-1] if _given else read_secret("密码：", PASSWORD_VARIABLE)
    login(user, password)


def logout_after_command() -> None:
    from models.accounts import logout  # lazy: start-up time

    logout()


__all__ = [
    "NEW_PASSWORD_VARIABLE",
    "PASSWORD_VARIABLE",
    "login_for_command",
    "logout_after_command",
    "password_given",
    "read_new_password",
    "read_secret",
]
