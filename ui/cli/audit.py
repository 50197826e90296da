"""``export-audit``: the 修改记录 of a period as an xlsx for an inspector, filtered by person,
unit, kind of record and account. Models load inside the command (start-up time); nothing
here imports Qt.

``--account`` filters by the account that made the changes; ``--user`` (from
:func:`ui.cli.parsing.db_option`, as every command has it) is the account the command logs
in as: on a database with accounts, exporting the log needs 导出修改记录 (系统管理员, 干部科).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from ui.cli.parsing import EXIT_OK, db_option, option, output_option

__all__ = ["add_commands", "cmd_export_audit"]


def add_commands(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add ``export-audit`` to the subcommands ``sub``; returns name → function."""
    sub.add_parser(
        "export-audit",
        help="导出修改记录（xlsx），供检查、审计",
        description="把一段时间内的修改记录（谁、何时、改了什么、原值、新值、原因）导出为 xlsx，"
        "每个修改的字段一行，按时间先后排列；可按人员、单位、类别、账号筛选。",
        parents=[
            db_option(),
            option(
                "--from", dest="date_from", metavar="日期", help="从哪天起（含），如 2026-01-01"
            ),
            option("--to", dest="date_to", metavar="日期", help="到哪天止（含），如 2026-12-31"),
            option(
                "--person",
                metavar="姓名或身份证号",
                help="只含某干部的修改（其干部信息、考核得分与等次、处分、考勤、学时等）；"
                "同名的干部不止一人时请写身份证号",
            ),
            option("--unit", metavar="单位", help="只含某单位（含下级单位）干部和单位本身的修改"),
            option(
                "--table",
                dest="kind",
                metavar="类别",
                help="只含某类记录：干部、单位、代码表、考核轮次、考核人员、考核得分、加减分、"
                "一票否决、考核等次、处分、平时考核、考核结果反馈、培训班、学员、课表、考勤、学时、课程、教师、"
                "教室、现场教学点、干部讲坛、讲坛讲座、讲坛听课、节假日、单位考评年度、工作任务、季度自查、"
                "佐证材料、督查记录、领导班子评分、单位考评结果、账号",
            ),
            option("--account", metavar="账号", help="只含某账号所做的修改"),
            output_option("文件.xlsx"),
        ],
    )
    return {"export-audit": cmd_export_audit}


def cmd_export_audit(args: argparse.Namespace) -> int:
    from models.audit import AuditFilter, parse_day  # lazy: start-up time
    from models.core.errors import DomainError  # lazy: start-up time
    from reports.audit import export_audit_xlsx  # lazy: start-up time
    from ui.cli.database import command_database  # lazy: start-up time

    out = Path(args.output)
    if out.suffix.lower() != ".xlsx":
        raise DomainError(f"输出文件应以 .xlsx 结尾：{out}")
    f = AuditFilter(
        date_from=parse_day(args.date_from, "开始日期（--from）") if args.date_from else None,
        date_to=parse_day(args.date_to, "结束日期（--to）") if args.date_to else None,
        person=args.person,
        unit=args.unit,
        kind=args.kind,
        account=args.account,
    )
    if f.date_from and f.date_to and f.date_from > f.date_to:
        raise DomainError(
            f"开始日期 {f.date_from.isoformat()} 晚于结束日期 {f.date_to.isoformat()}，"
            "请检查 --from 和 --to"
        )
    if not out.parent.is_dir():
        raise DomainError(f"输出文件夹 {out.parent} 不存在")
    with command_database(args.db, user=args.user):
        n = export_audit_xlsx(f, out)
    if n == 0:
        print(f"没有符合条件的修改记录；已导出只有表头的 {out}")
    else:
        print(f"已导出修改记录 {n} 条到 {out}")
    return EXIT_OK
