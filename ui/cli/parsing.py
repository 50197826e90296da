"""The command line's parser: argparse speaking Chinese, and the options commands share.

Subject commands live beside it (:mod:`ui.cli.admin` …); :mod:`main` builds the parser from
all of them. Nothing here imports Qt.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any, NoReturn

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2

# argparse's English error messages (Python 3.11) as patterns, and their Chinese; "argument X:
# MESSAGE" wraps one of them. A message not listed here stays as it is.
_ARGPARSE_ERRORS = {
    r"the following arguments are required: (.*)": "缺少必需的参数：{0}",
    r"unrecognized arguments: (.*)": "无法识别的参数：{0}",
    r"invalid choice: (.*) \(choose from (.*)\)": "无效的选择：{0}（可选：{1}）",
    r"invalid (.*?) value: (.*)": "无效的 {0} 值：{1}",
    r"expected one argument": "需要一个值",
    r"ambiguous option: (.*) could match (.*)": "有歧义的选项：{0} 可以是 {1}",
    r"ignored explicit argument (.*)": "此选项不带值：{0}",
}
_GROUP_TITLES = {"positional arguments": "位置参数", "options": "选项"}


def chinese_error(message: str) -> str:
    """argparse's error ``message`` in Chinese."""
    if match := re.fullmatch(r"argument (.+?): (.*)", message, re.S):
        return f"参数 {match[1]}：{chinese_error(match[2])}"
    for pattern, chinese in _ARGPARSE_ERRORS.items():
        if match := re.fullmatch(pattern, message, re.S):
            return chinese.format(*match.groups())
    return message


class ChineseHelpFormatter(argparse.HelpFormatter):
    """argparse's help layout, with the usage line headed 用法：."""

    def add_usage(
        self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None
    ) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser that speaks Chinese; a usage error exits with ``EXIT_USAGE``.

    Subparsers are of the same class (argparse makes them with ``type(self)``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        super().__init__(*args, **kwargs)

    def add_argument_group(self, title: str | None = None, *args: Any, **kwargs: Any) -> Any:
        # argparse's own sections ("positional arguments", "options") come through here
        return super().add_argument_group(_GROUP_TITLES.get(title, title), *args, **kwargs)

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        if kwargs.get("action") == "help":  # argparse's own -h/--help
            kwargs["help"] = "显示本帮助并退出"
        return super().add_argument(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"命令行参数有误：{chinese_error(message)}\n")


# Options shared by several commands: each is a parent parser (``parents=[...]``), made by a
# function because the help text differs from command to command.


def option(*flags: str, **kwargs: Any) -> ChineseArgumentParser:
    """A parent parser holding one option."""
    parent = ChineseArgumentParser(add_help=False)
    parent.add_argument(*flags, **kwargs)
    return parent


def db_option(text: str = "数据库文件", *, required: bool = True) -> ChineseArgumentParser:
    """--db, and with it --user (:func:`user_option`): every command that opens a database
    may have to log in to it."""
    return ChineseArgumentParser(
        add_help=False,
        parents=[option("--db", required=required, metavar="路径", help=text), user_option()],
    )


def year_option(text: str = "考核年度") -> ChineseArgumentParser:
    return option("--year", required=True, type=int, metavar="年份", help=text)


def unit_option(text: str) -> ChineseArgumentParser:
    return option("--unit", metavar="单位", help=text)


def output_option(metavar: str, text: str = "输出文件") -> ChineseArgumentParser:
    return option("-o", "--output", required=True, metavar=metavar, help=text)


def dry_run_option() -> ChineseArgumentParser:
    return option("--dry-run", action="store_true", help="只检查并报告，不写入数据库")


def user_option() -> ChineseArgumentParser:
    """--user: the account a command acts as, once the database has accounts. The password is
    read from the terminal (or the CADREDESK_PASSWORD variable), never from the command line."""
    return option(
        "--user",
        metavar="账号",
        help="以哪个账号执行（数据库已建立账号时必须给出；密码在提示时输入，"
        "或放在环境变量 CADREDESK_PASSWORD 中，不能写在命令行上）",
    )


__all__ = [
    "EXIT_DATA",
    "EXIT_OK",
    "EXIT_USAGE",
    "ChineseArgumentParser",
    "chinese_error",
    "db_option",
    "dry_run_option",
    "option",
    "output_option",
    "unit_option",
    "user_option",
    "year_option",
]
