"""``unit-plan import`` and ``unit-grade``: the 单位考评 from the command line — the year's
task breakdown imported from the 考评办's xlsx (all rows or none), and the year-end grading
of the units with its ranking printed (``--approve`` also 审定 the year, ``--round`` writes
the units' grades into an annual round's 优秀 quotas). Models load inside the command
(start-up time); nothing here imports Qt."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from ui.cli.parsing import EXIT_OK, db_option, option

__all__ = ["add_commands", "cmd_unit_grade", "cmd_unit_plan"]


def add_commands(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add ``unit-plan`` and ``unit-grade`` to the subcommands ``sub``."""
    sub.add_parser(
        "unit-plan",
        help="单位考评：从任务分解表（xlsx）导入某年度的工作任务",
        description="导入任务分解表：列标题 任务、类别、重点工作、目标与措施、分值、完成时限、"
        "牵头单位、配合单位、责任人（顺序不限，任务和牵头单位必填）；有一行出错则全部不导入。",
        parents=[
            db_option(),
            option("--year", type=int, required=True, metavar="年度", help="考评年度，如 2025"),
            option("file", metavar="任务分解表.xlsx", help="考评办的任务分解表"),
        ],
    )
    sub.add_parser(
        "unit-grade",
        help="单位考评：计算某年度各单位的总分、排名和等次",
        description="按年终得分、批准的加分、逾期自查和督查扣分计算各单位总分、排名和等次并保存；"
        "--approve 同时审定（锁定），--round 把各单位等次对应的干部优秀比例写入该年度干部考核。",
        parents=[
            db_option(),
            option("--year", type=int, required=True, metavar="年度", help="考评年度，如 2025"),
            option("--approve", action="store_true", help="计算后审定本年度单位考评结果"),
            option(
                "--round",
                type=int,
                metavar="考核年度",
                help="把审定的单位等次用于哪一年度的干部年度考核（各单位优秀比例）",
            ),  # fmt: skip
        ],
    )
    return {"unit-plan": cmd_unit_plan, "unit-grade": cmd_unit_grade}


def cmd_unit_plan(args: argparse.Namespace) -> int:
    from models.evaluation import import_tasks  # lazy: start-up time
    from ui.cli.database import command_database  # lazy: start-up time

    with command_database(args.db, user=args.user):
        n = import_tasks(args.year, Path(args.file))
    print(f"已导入 {args.year} 年度工作任务 {n} 项")
    return EXIT_OK


def cmd_unit_grade(args: argparse.Namespace) -> int:
    from models.assessment import find_round  # lazy: start-up time
    from models.evaluation import apply_to_round, approve_year, grade_year  # lazy: start-up time
    from ui.cli.database import command_database  # lazy: start-up time

    with command_database(args.db, user=args.user):
        results = grade_year(args.year)
        print(f"{args.year} 年度单位考评：{len(results)} 个单位")
        print("排名\t单位\t总分\t等次")
        for r in results:
            print(f"{r.rank}\t{r.unit}\t{r.total:.2f}\t{r.grade}")
        if args.approve:
            approve_year(args.year)
            print("已审定")
        if args.round is not None:
            rnd = find_round(args.round)
            shares = apply_to_round(rnd.id, args.year)
            print(f"已按单位等次设定“{rnd.name}”中 {len(shares)} 个单位的干部优秀比例")
    return EXIT_OK
