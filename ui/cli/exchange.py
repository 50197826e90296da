"""``exchange``: data between offices with no network (交换包, models.exchange). ``exchange
office`` shows or sets this office's name; ``exchange export`` writes a finished class's
results (``--scope class:编号``), a unit's roster (``--scope unit:单位名``), a year's annual
round's scores and grades (``--scope round:2025``) or the 学时 lines of a period
(``--scope hours:2026-01-01..2026-06-30``) as a .cdx file; ``exchange import`` checks a
package and says what it would do, then receives it in one transaction (``--dry-run``: only
say; ``--prefer``: how conflicts go); ``exchange history`` lists packages sent and received.
A password comes from an environment variable named with ``--password-env``, never from the
command line. Models load inside the commands (start-up time); nothing here imports Qt.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable

from ui.cli.parsing import EXIT_OK, db_option, dry_run_option, option

__all__ = ["add_commands", "cmd_exchange"]

SCOPES = (
    "class:班次编号、unit:单位名称、round:考核年度 或 hours:起始日期..结束日期"
    "（如 hours:2026-01-01..2026-06-30）"
)


def _password_option() -> argparse.ArgumentParser:
    return option(
        "--password-env",
        metavar="变量名",
        help="交换包的密码所在的环境变量（加密或解密数据文件；密码不能写在命令行上）",
    )


def add_commands(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add ``exchange`` (office, export, import, history) to ``sub``; returns name → function."""
    p = sub.add_parser(
        "exchange",
        help="办公室之间交换数据（交换包 .cdx）",
        description="没有网络的单位之间用交换包（.cdx 文件）传递数据：党校把已结业班次的结果"
        "（班次、课表、学员、考勤、学时）发给组织部，或一个单位的名册、一个年度考核的得分与"
        "等次、一段时间的学时记录。接收前先检查校验值、版本和范围，列出新增、相同、对方修改、"
        "本地修改、冲突和无法匹配的记录。",
    )
    what = p.add_subparsers(dest="exchange_command", metavar="操作", required=True)
    what.add_parser(
        "office",
        help="查看或设置本单位名称（发出的交换包都带上它）",
        description="查看或设置本单位名称。",
        parents=[db_option(), option("--set", metavar="名称", help="设为这个名称")],
    )
    what.add_parser(
        "export",
        help="发出交换包",
        description="把一个已结业班次的结果（class:班次编号）、一个单位的名册"
        "（unit:单位名称，重名时写完整路径如 白银市/靖远县）、一个年度考核的得分与等次"
        "（round:年度，如 round:2025）或一段时间内本单位登记的学时记录"
        "（hours:起始日期..结束日期，如 hours:2026-01-01..2026-06-30）写成交换包。",
        parents=[
            db_option(),
            option("--scope", required=True, metavar="范围", help=SCOPES),
            option("-o", "--output", required=True, metavar="文件.cdx", help="交换包文件"),
            _password_option(),
        ],
    )
    imp = what.add_parser(
        "import",
        help="接收交换包",
        description="检查交换包并列出各表的新增、相同、对方修改、本地修改、冲突、无法匹配的记录"
        "条数，然后在一个事务中全部接收（--dry-run 只列出不写入）。冲突按 --prefer 处理：mine "
        "保留本单位的（默认），theirs 采用交换包的，both 对学时记录两条都保留（其他冲突仍保留"
        "本单位的）。",
        parents=[
            db_option(),
            dry_run_option(),
            option(
                "--prefer",
                choices=("mine", "theirs", "both"),
                default="mine",
                help="冲突时保留本单位的（mine，默认）、采用交换包的（theirs），"
                "或学时记录两条都保留（both，其他冲突保留本单位的）",
            ),
            _password_option(),
        ],
    )
    imp.add_argument("file", metavar="文件.cdx", help="要接收的交换包")
    what.add_parser(
        "history",
        help="列出发出和接收的交换包",
        description="列出发出和接收过的交换包（最近的在前）。",
        parents=[db_option()],
    )
    return {"exchange": cmd_exchange}


def _password(args: argparse.Namespace) -> str | None:
    from models.core.errors import DomainError  # lazy: start-up time

    name = getattr(args, "password_env", None)
    if not name:
        return None
    value = os.environ.get(name)
    if not value:
        raise DomainError(f"环境变量 {name} 未设置或为空：请把交换包的密码放在其中")
    return value


def cmd_exchange(args: argparse.Namespace) -> int:
    from ui.cli.database import command_database  # lazy: start-up time

    with command_database(args.db, user=args.user):
        return {
            "office": _office,
            "export": _export,
            "import": _import,
            "history": _history,
        }[args.exchange_command](args)


def _office(args: argparse.Namespace) -> int:
    from models.exchange import office_name, set_office  # lazy: start-up time

    if args.set is not None:
        print(f"本单位名称已设为：{set_office(args.set)}")
    else:
        print(f"本单位名称：{office_name() or '（尚未设置）'}")
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from models.core.errors import DomainError  # lazy: start-up time
    from models.exchange import (  # lazy: start-up time
        LABELS,
        export_class,
        export_hours,
        export_round,
        export_unit,
        find_unit,
        parse_period,
    )

    kind, _, value = args.scope.partition(":")
    value = value.strip()
    password = _password(args)
    if kind == "class" and value.isdigit():
        result = export_class(int(value), args.output, password=password)
    elif kind == "unit" and value:
        result = export_unit(find_unit(value), args.output, password=password)
    elif kind == "round" and value.isdigit():
        result = export_round(int(value), args.output, password=password)
    elif kind == "round":
        raise DomainError(f"范围“{args.scope}”中的考核年度应为四位数字，如 round:2025")
    elif kind == "hours":
        start, end = parse_period(value)
        result = export_hours(start, end, args.output, password=password)
    else:
        raise DomainError(f"范围“{args.scope}”无法识别，应写作 {SCOPES}")
    m = result.manifest
    rows = "，".join(f"{LABELS.get(t, t)} {n} 条" for t, n in m.rows.items())
    lock = "（已加密）" if m.encrypted else ""
    print(f"已发出交换包 {result.path}{lock}：{m.title}，{rows}")
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from models.exchange import KINDS, apply, preview  # lazy: start-up time

    pv = preview(args.file, _password(args))
    m = pv.manifest
    print(f"交换包：{m.title}，来自 {m.office}，生成于 {m.created.replace('T', ' ')}")
    for t in pv.tables:
        counts = "，".join(f"{k} {t.count(k)}" for k in KINDS if t.count(k))
        print(f"  {t.label}：{counts or '无'}")
    for item in pv.conflicts:
        both = "（可两条都保留：--prefer both）" if item.may_keep_both else ""
        alike = f"：{item.reason}" if item.reason else ""
        print(f"  冲突：{item.label} {item.title}{alike}{both}")
        for d in item.differences:
            print(f"    {d.label}：本单位“{d.mine}”，交换包“{d.theirs}”")
    for item in pv.unmatched:
        print(f"  无法匹配：{item.label} {item.title}：{item.reason}")
    if args.dry_run:
        print("（--dry-run：只检查，未写入数据库）")
        return EXIT_OK
    result = apply(pv, prefer=args.prefer)
    print(f"已接收：{result.summary}")
    return EXIT_OK


def _history(args: argparse.Namespace) -> int:
    from models.exchange import exchange_history  # lazy: start-up time

    rows = exchange_history()
    if not rows:
        print("还没有发出或接收过交换包")
    for r in rows:
        when = r.at.strftime("%Y-%m-%d %H:%M") if hasattr(r.at, "strftime") else str(r.at)
        print(f"{when}  {r.direction}  {r.office}  {r.title}  {r.file_name}  {r.user}  {r.summary}")
    return EXIT_OK
