"""Account commands: ``account-add``, ``account-list``, ``account-passwd``, ``account-unlock``.

Passwords are typed at a prompt that does not echo them (a new one twice), or come from the
environment (CADREDESK_PASSWORD for the account ``--user`` logs in as, CADREDESK_NEW_PASSWORD
for a new password); never from the command line, and never printed. Models load inside the
commands (start-up time); nothing here imports Qt.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable

from ui.cli.login import NEW_PASSWORD_VARIABLE, PASSWORD_VARIABLE
from ui.cli.parsing import EXIT_OK, db_option, option

__all__ = [
    "add_commands",
    "cmd_account_add",
    "cmd_account_list",
    "cmd_account_passwd",
    "cmd_account_unlock",
]

_ROLES_TEXT = "系统管理员、干部科、教育培训、考核录入、只读"
_PASSWORDS = (
    f"新密码在提示时输入两次，或放在环境变量 {NEW_PASSWORD_VARIABLE} 中；"
    f"--user 账号的密码在提示时输入，或放在环境变量 {PASSWORD_VARIABLE} 中。"
)


def add_commands(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add the account commands to the subcommands ``sub``; returns name → function."""
    add = sub.add_parser(
        "account-add",
        help="建立账号（数据库还没有账号时，建立首个系统管理员）",
        description="建立一个登录账号。数据库还没有账号时，不用 --user，建立的是首个系统管理员；"
        "此后只有系统管理员（--user）能建立账号。密码至少 8 位，须含英文字母和数字。" + _PASSWORDS,
        parents=[db_option()],
    )
    add.add_argument("username", metavar="登录名", help="新账号的登录名（字母、数字或汉字）")
    add.add_argument("--name", default="", metavar="姓名", help="使用人的姓名")
    add.add_argument(
        "--role",
        metavar="角色",
        help=f"{_ROLES_TEXT}之一；首个账号默认且只能是系统管理员",
    )
    add.add_argument(
        "--units",
        metavar="单位",
        help="考核录入账号负责的单位（名称或完整路径，多个用逗号或顿号分隔），含其下级单位",
    )

    sub.add_parser(
        "account-list",
        help="列出账号（系统管理员）",
        description="列出全部账号：登录名、姓名、角色、负责单位、状态和上次登录时间。",
        parents=[db_option()],
    )

    sub.add_parser(
        "account-passwd",
        help="修改自己的密码，或由系统管理员重置他人密码",
        description="不带 --account：修改 --user 账号自己的密码（先输入当前密码）。"
        "带 --account：系统管理员为该账号设置新密码（同时解除锁定）。" + _PASSWORDS,
        parents=[
            db_option(),
            option("--account", metavar="登录名", help="要重置密码的账号（系统管理员使用）"),
        ],
    )

    unlock = sub.add_parser(
        "account-unlock",
        help="解除账号锁定（系统管理员）",
        description="连续 5 次密码错误的账号锁定 15 分钟；系统管理员可以提前解除。",
        parents=[db_option()],
    )
    unlock.add_argument("username", metavar="登录名", help="要解锁的账号")
    return {
        "account-add": cmd_account_add,
        "account-list": cmd_account_list,
        "account-passwd": cmd_account_passwd,
        "account-unlock": cmd_account_unlock,
    }


def _unit_ids(text: str | None) -> tuple[int, ...]:
    from models.roster import find_unit  # lazy: start-up time

    if not text:
        return ()
    names = [part.strip() for part in re.split(r"[,，、]", text) if part.strip()]
    return tuple(find_unit(name).id for name in names)


def cmd_account_add(args: argparse.Namespace) -> int:
    from models.accounts import (  # lazy: start-up time
        ADMIN,
        AccountInput,
        create_account,
        create_first_admin,
        has_accounts,
    )
    from models.core.errors import DomainError  # lazy: start-up time
    from ui.cli.database import command_database  # lazy: start-up time
    from ui.cli.login import read_new_password  # lazy: start-up time

    with command_database(args.db, user=args.user, first_account=True):
        first = not has_accounts()
        role = args.role or (ADMIN if first else "")
        if not role:
            raise DomainError(f"请用 --role 指定角色：{_ROLES_TEXT}")
        if first and role != ADMIN:
            raise DomainError("此数据库还没有账号，首个账号必须是系统管理员（--role 系统管理员）")
        units = _unit_ids(args.units)
        password = read_new_password(f"账号 {args.username.strip()} 的密码")
        if first:
            made = create_first_admin(args.username, args.name, password)
        else:
            made = create_account(AccountInput(args.username, args.name, role, units), password)
    where = f"，负责单位：{'、'.join(made.unit_names)}" if made.unit_names else ""
    print(f"已建立账号 {made.label}，角色：{made.role}{where}")
    if first:
        print("此数据库从此需要登录：命令请加 --user 账号，程序窗口启动时会要求登录")
    return EXIT_OK


def _when(value: object) -> str:
    return "" if value is None else f"{value:%Y-%m-%d %H:%M}"


def cmd_account_list(args: argparse.Namespace) -> int:
    from models.accounts import has_accounts, list_accounts  # lazy: start-up time
    from ui.cli.database import command_database  # lazy: start-up time

    with command_database(args.db, user=args.user):
        if not has_accounts():
            print("此数据库还没有账号（单机使用，不需要登录）；可用 account-add 建立首个系统管理员")
            return EXIT_OK
        accounts = list_accounts()
    print("登录名\t姓名\t角色\t负责单位\t状态\t上次登录")
    for a in accounts:
        units = "、".join(a.unit_names)
        line = [a.username, a.display_name, a.role, units, a.status_text, _when(a.last_login)]
        print("\t".join(line))
    print(f"共 {len(accounts)} 个账号")
    return EXIT_OK


def cmd_account_passwd(args: argparse.Namespace) -> int:
    from models.accounts import (  # lazy: start-up time
        change_password,
        find_account,
        normalise_username,
        reset_password,
    )
    from models.core.errors import DomainError  # lazy: start-up time
    from ui.cli.database import command_database  # lazy: start-up time
    from ui.cli.login import password_given, read_new_password, read_secret  # lazy: start-up

    own = not args.account or normalise_username(args.account) == normalise_username(
        args.user or ""
    )
    if not own:
        with command_database(args.db, user=args.user):
            target = find_account(args.account)
            reset_password(target.id, read_new_password(f"账号 {target.username} 的新密码"))
        print(f"已重置账号 {target.username} 的密码（并解除锁定）")
        return EXIT_OK
    if not args.user:
        raise DomainError(
            "请用 --user 指定要修改密码的账号（系统管理员重置他人密码请用 --account）"
        )
    current = read_secret("当前密码：", PASSWORD_VARIABLE)
    with password_given(current), command_database(args.db, user=args.user):
        change_password(current, read_new_password())
    print(f"已修改账号 {normalise_username(args.user)} 的密码")
    return EXIT_OK


def cmd_account_unlock(args: argparse.Namespace) -> int:
    from models.accounts import find_account, unlock  # lazy: start-up time
    from ui.cli.database import command_database  # lazy: start-up time

    with command_database(args.db, user=args.user):
        done = unlock(find_account(args.username).id)
    print(f"已解除账号 {done.username} 的锁定")
    return EXIT_OK
