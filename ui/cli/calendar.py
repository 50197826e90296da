"""``holidays``: one year's 节假日 table (放假 days and 调休 working days) printed to the
terminal, as the 节假日 screen lists it. Models load inside the command (start-up time);
nothing here imports Qt."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from ui.cli.parsing import EXIT_OK, db_option, option

__all__ = ["add_commands", "cmd_holidays"]


def add_commands(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add ``holidays`` to the subcommands ``sub``; returns name → function."""
    sub.add_parser(
        "holidays",
        help="列出某年的节假日（放假日和调休上班日）",
        description="列出某年的放假日和调休上班日：日期、星期、类型、名称、来源。"
        "自动排课跳过放假日；调休上班日只在班次设置“调休上班日排课”时使用。",
        parents=[
            db_option(),
            option("--year", type=int, metavar="年份", help="哪一年，默认今年，如 2027"),
        ],
    )
    return {"holidays": cmd_holidays}


def cmd_holidays(args: argparse.Namespace) -> int:
    import datetime as dt  # lazy: start-up time

    from models import calendar  # lazy: start-up time
    from models.core.errors import DomainError  # lazy: start-up time
    from ui.cli.database import command_database  # lazy: start-up time

    year = dt.date.today().year if args.year is None else args.year
    if not 1900 <= year <= 2200:
        raise DomainError(f"年份 {year} 不对，应写作四位数年份，如 2027")
    with command_database(args.db, user=args.user):
        rows = calendar.list_holidays(year)
        note = calendar.national_note(year)
    off = sum(1 for h in rows if h.kind == calendar.DAY_OFF)
    print(f"{year} 年节假日：放假 {off} 天，调休上班 {len(rows) - off} 天")
    print(note)
    if not rows:
        print("（本年没有节假日记录）")
        return EXIT_OK
    wide = "　"  # a full-width space pads the 类型 column: 放假 and 调休上班 line up
    print(f"日期\t\t星期\t{'类型'.ljust(4, wide)}\t名称\t来源")
    for h in rows:
        kind = h.kind.ljust(4, wide)
        print(f"{h.day.isoformat()}\t{h.weekday}\t{kind}\t{h.name}\t{h.source or '手工录入'}")
    return EXIT_OK
