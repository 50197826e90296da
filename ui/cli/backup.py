"""``backup`` and ``restore``: back a database up now (a SQLite file through the online
backup API, a PostgreSQL database through pg_dump), list its backups, and restore one after
a confirmation (what is there is backed up first, 恢复前). Models load inside the commands
(start-up time); nothing here imports Qt.

Both commands act on the database as the account logged in for the command (备份与恢复数据库
permission once the database has accounts). A database file that is missing or damaged can
still be restored: it cannot be opened to check an account, and whoever can replace the file
needs none.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from ui.cli.parsing import EXIT_DATA, EXIT_OK, db_option, option

__all__ = ["add_commands", "cmd_backup", "cmd_restore"]

_YES = {"是", "y", "yes"}


def add_commands(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add ``backup`` and ``restore`` to the subcommands ``sub``; returns name → function."""
    where = (
        "默认备份文件夹：数据库文件所在文件夹下的 backups/<文件名>/；PostgreSQL 数据库为用户数据"
        "文件夹下的 backups/<库名>/（可用环境变量 CADREDESK_BACKUP_DIR 另指定）。"
    )
    sub.add_parser(
        "backup",
        help="备份数据库，或列出已有的备份",
        description="立即备份数据库：数据库文件用 SQLite 在线备份，PostgreSQL 数据库用 pg_dump；"
        "备份先写入临时文件，通过完整性检查后才改为正式文件名，并按轮换规则（每天 7 份、每周 4 份、"
        "每月 12 份及 7 天内的操作前备份）清理旧备份。" + where,
        parents=[
            db_option("数据库文件，或 PostgreSQL 地址 postgresql://账号@主机:端口/库名"),
            option("--to", metavar="文件夹", help="备份到这个文件夹（默认见上）"),
            option(
                "--list",
                action="store_true",
                help="不备份，只列出已有的备份（日期、类别、大小、校验、文件名）",
            ),
        ],
    )
    restore = sub.add_parser(
        "restore",
        help="用一个备份恢复数据库（先备份当前数据）",
        description="先检查备份是否完好、是否为 CadreDesk 数据库，再把当前数据备份一份（恢复前），"
        "然后用备份替换数据库的全部内容；较早版本的备份恢复后自动升级。" + where,
        parents=[
            db_option("要恢复的数据库文件，或 PostgreSQL 地址"),
            option("--from", dest="folder", metavar="文件夹", help="备份所在的文件夹（默认见上）"),
            option("--yes", action="store_true", help="不再询问，直接恢复"),
        ],
    )
    restore.add_argument(
        "backup",
        metavar="备份文件",
        help="备份文件的路径，或备份文件夹中的文件名（见 backup --list）",
    )
    return {"backup": cmd_backup, "restore": cmd_restore}


def cmd_backup(args: argparse.Namespace) -> int:
    from models.accounts import Permission, require  # lazy: start-up time
    from models.backup import (  # lazy: start-up time
        backup_folder,
        backup_now,
        describe,
        list_backups,
        listing_lines,
        size_text,
        source_of,
    )
    from ui.cli.database import command_database  # lazy: start-up time

    folder = Path(args.to) if args.to else None
    with command_database(args.db, user=args.user):
        require(Permission.BACKUP)
        source = source_of()
        assert source is not None  # a file or a server was just opened
        shown = describe(source)
        if args.list:
            backups = list_backups(source, folder)
            print(f"数据库 {shown} 的备份，在 {folder or backup_folder(source)}：")
            for line in listing_lines(backups) if backups else ["还没有备份"]:
                print(line)
            return EXIT_OK
        info = backup_now(source, folder=folder)
    print(f"已备份数据库 {shown}：{info.path}（{size_text(info.size)}，已通过完整性检查）")
    return EXIT_OK


@contextlib.contextmanager
def _checked_account(target: str, user: str | None) -> Iterator[None]:
    """Open the database to check the account may restore (closed again before restoring);
    a missing or damaged file is restored without."""
    from models.accounts import Permission, require  # lazy: start-up time
    from models.backup import integrity_problem  # lazy: start-up time
    from models.core.db import is_postgres_url  # lazy: start-up time
    from models.core.errors import DomainError  # lazy: start-up time
    from ui.cli.database import command_database  # lazy: start-up time

    if not is_postgres_url(target):
        path = Path(target)
        if not path.exists():
            if not path.parent.is_dir():
                raise DomainError(f"数据库所在文件夹 {path.parent} 不存在")
            print(f"数据库文件 {path} 不存在，将由备份新建")
            yield
            return
        if integrity_problem(path) is not None:
            print(f"数据库文件 {path} 已损坏，恢复前会把它原样另存一份")
            yield
            return
    with command_database(target, user=user):
        require(Permission.BACKUP)
    yield


def _confirmed(backup: str, shown: str) -> bool:
    print(f"将用备份 {backup} 替换数据库 {shown} 的全部数据；当前数据会先备份（恢复前）。")
    try:
        answer = input("确认恢复？(是/否) ")
    except EOFError:  # no terminal to answer on
        print("", file=sys.stderr)
        return False
    return answer.strip().lower() in _YES


def cmd_restore(args: argparse.Namespace) -> int:
    from models.backup import (  # lazy: start-up time
        check_backup,
        describe,
        find_backup,
        restore,
        source_of,
    )
    from models.core.db import close_database  # lazy: start-up time
    from models.schema import LATEST, open_database  # lazy: start-up time

    source = source_of(args.db)
    assert source is not None
    shown = describe(source)
    folder = Path(args.folder) if args.folder else None
    path = find_backup(source, args.backup, folder)
    check_backup(source, path, LATEST)
    with _checked_account(args.db, args.user):
        if not args.yes and not _confirmed(path.name, shown):
            print("没有确认（回答“是”，或加 --yes），数据库没有改变", file=sys.stderr)
            return EXIT_DATA
        try:
            result = restore(
                source, path, reopen=open_database, latest=LATEST, target=args.db, folder=folder
            )
        finally:
            close_database()
    print(f"已用备份 {path.name} 恢复数据库 {shown}")
    if result.safety is not None:
        print(f"恢复前的数据已备份为 {result.safety.path}")
    if result.damaged_copy is not None:
        print(f"已损坏的原数据库文件另存为 {result.damaged_copy}")
    return EXIT_OK
