"""CadreDesk 干部教育培训与考核管理系统: the entry point.

    python main.py                       start the app (database in the user data folder)
    python main.py --demo                start the app on a demo database (made on first run)
    python main.py COMMAND ...           run a command without opening a window

Exit codes of commands: 0 success, 1 a data error (Chinese message on stderr), 2 a usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# argparse's own words, in Chinese (argparse looks them up through its module-level `_`).
_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "无效的选择：%(value)r（可选：%(choices)s）"
    ),
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "expected one argument": "需要一个值",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
}
argparse._ = lambda text: _ARGPARSE_ZH.get(text, text)  # type: ignore[attr-defined]

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"命令行参数有误：{message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="main.py",
        description="CadreDesk 干部教育培训与考核管理系统。不带命令时打开程序窗口。",
        epilog="退出码：0 成功；1 数据错误（原因以中文写在标准错误）；2 命令行用法错误。",
    )
    p.add_argument("--db", metavar="路径", help="数据库文件（默认在用户数据文件夹中）")
    p.add_argument(
        "--demo",
        action="store_true",
        help="打开演示数据库（用户数据文件夹中的 demo.db，首次运行时自动生成 300 名干部）",
    )
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)

    demo = sub.add_parser(
        "demo",
        help="生成白银市演示数据库",
        description="生成白银市演示数据库（单位、干部，身份证号均有效）；"
        "同样的参数总是生成同样的数据。",
    )
    demo.add_argument("--db", required=True, metavar="路径", help="新数据库文件（不能已存在）")
    demo.add_argument("--cadres", type=int, default=300, metavar="N", help="干部人数，默认 300")
    demo.add_argument("--seed", type=int, default=1, metavar="S", help="随机种子，默认 1")

    exp = sub.add_parser(
        "export-roster",
        help="导出干部花名册（xlsx）",
        description="把数据库中的干部导出为花名册 xlsx，每人一行，日期写作 1975.03。",
    )
    exp.add_argument("--db", required=True, metavar="路径", help="数据库文件")
    exp.add_argument("-o", "--output", required=True, metavar="文件.xlsx", help="输出文件")
    exp.add_argument(
        "--status",
        choices=["在职", "调离", "退休", "全部"],
        default="全部",
        help="只导出某一状态的干部，默认全部",
    )
    return p


def _existing_db(path: str) -> Path:
    from models.errors import DomainError

    db_path = Path(path)
    if not db_path.is_file():
        raise DomainError(f"数据库文件 {db_path} 不存在")
    return db_path


def cmd_demo(args: argparse.Namespace) -> int:
    from models.demo import build_demo

    n = build_demo(args.db, cadres=args.cadres, seed=args.seed)
    print(f"已生成演示数据库 {args.db}：干部 {n} 名")
    return EXIT_OK


def cmd_export_roster(args: argparse.Namespace) -> int:
    from models import roster
    from models.db import close_database, open_database
    from models.errors import DomainError
    from reports.roster_xlsx import export_roster_xlsx

    out = Path(args.output)
    if out.suffix.lower() != ".xlsx":
        raise DomainError(f"输出文件应以 .xlsx 结尾：{out}")
    open_database(_existing_db(args.db))
    try:
        status = "" if args.status == "全部" else args.status
        ids = roster.query_ids(roster.RosterFilter(status=status))
        n = export_roster_xlsx(roster.iter_cadres(ids), out, total=len(ids))
    finally:
        close_database()
    print(f"已导出 {n} 名干部到 {out}")
    return EXIT_OK


COMMANDS = {"demo": cmd_demo, "export-roster": cmd_export_roster}


def run_gui(args: argparse.Namespace) -> int:
    from ui.app import default_db_path, run

    if args.demo:
        db_path = Path(args.db) if args.db else default_db_path().with_name("demo.db")
        if not db_path.exists():
            from models.demo import build_demo

            print(f"首次运行：正在生成演示数据库 {db_path} ……", file=sys.stderr)
            build_demo(db_path)
    else:
        db_path = Path(args.db) if args.db else default_db_path()
    return run(db_path)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        return run_gui(args)
    from models.errors import DomainError

    try:
        return COMMANDS[args.command](args)
    except DomainError as e:
        print(f"错误：{e}", file=sys.stderr)
        return EXIT_DATA
    except OSError as e:
        print(f"错误：无法读写文件 {e.filename or ''}：{e.strerror or e}", file=sys.stderr)
        return EXIT_DATA


if __name__ == "__main__":
    sys.exit(main())
