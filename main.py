"""CadreDesk 干部教育培训与考核管理系统: the entry point.

    python main.py                       start the app (database in the user data folder)
    python main.py --demo                start the app on a demo database (made on first run)
    python main.py COMMAND ...           run a command without opening a window

Exit codes of commands: 0 success, 1 a data error (Chinese message on stderr), 2 a usage error.

A command imports the models and reports it needs inside its function (each such import
marked `# lazy:`), so that the window and `--help` start without loading all of them.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

from ui.cli import accounts as accounts_cli
from ui.cli import audit as audit_cli
from ui.cli import backup as backup_cli
from ui.cli import calendar as calendar_cli
from ui.cli import evaluation as evaluation_cli
from ui.cli import exchange as exchange_cli
from ui.cli import printing as printing_cli
from ui.cli import sheets as sheets_cli
from ui.cli.parsing import (
    EXIT_DATA,
    EXIT_OK,
    ChineseArgumentParser,
    db_option,
    dry_run_option,
    option,
    output_option,
    unit_option,
    year_option,
)


def build_parser() -> ChineseArgumentParser:
    p = ChineseArgumentParser(
        prog="main.py",
        description="CadreDesk 干部教育培训与考核管理系统。不带命令时打开程序窗口。",
        epilog="退出码：0 成功；1 数据错误（原因以中文写在标准错误）；2 命令行用法错误。",
        parents=[db_option("数据库文件（默认在用户数据文件夹中）", required=False)],
    )
    p.add_argument(
        "--demo",
        action="store_true",
        help="打开演示数据库（用户数据文件夹中的 demo.db，首次运行时自动生成 300 名干部）",
    )
    p.add_argument(
        "--platform",
        metavar="平台",
        help="窗口显示方式（Qt 平台插件）：默认自动；offscreen 不显示窗口（无桌面的服务器上"
        "试运行、截图），xcb 或 wayland 指定 Linux 桌面",
    )
    sub = p.add_subparsers(dest="command", metavar="命令")

    demo = sub.add_parser(
        "demo",
        help="生成白银市演示数据库",
        description="生成白银市演示数据库（单位、干部，身份证号均有效）；"
        "同样的参数总是生成同样的数据。",
        parents=[db_option("新数据库文件（不能已存在）")],
    )
    demo.add_argument("--cadres", type=int, default=300, metavar="N", help="干部人数，默认 300")
    demo.add_argument("--seed", type=int, default=1, metavar="S", help="随机种子，默认 1")

    exp = sub.add_parser(
        "export-roster",
        help="导出干部花名册（xlsx）",
        description="把数据库中的干部导出为花名册 xlsx，每人一行，日期写作 1975.03。",
        parents=[db_option(), output_option("文件.xlsx")],
    )
    exp.add_argument(
        "--status",
        choices=["在职", "调离", "退休", "全部"],
        default="全部",
        help="只导出某一状态的干部，默认全部",
    )

    imp = sub.add_parser(
        "import-roster",
        help="导入花名册（xlsx/csv）或任免审批表（lrmx/lrm），可整个文件夹",
        description="把花名册或任免审批表导入名册。全部成功才写入；任何一行有错，一行也不写入。"
        "先打印汇总（新增、更新、跳过、错误），再逐行列出错误。",
        parents=[
            db_option(),
            dry_run_option(),
            unit_option("新干部所在单位（名称或完整路径），用于没有“单位”列的文件，如任免审批表"),
        ],
    )
    imp.add_argument(
        "path", metavar="文件或文件夹", help="xlsx、csv、lrmx、lrm 文件，或含这些文件的文件夹"
    )
    imp.add_argument(
        "--on-duplicate",
        choices=["update", "skip", "stop"],
        default="update",
        help="名册中已有的人（按身份证号，或姓名+出生年月匹配）：update 更新（默认）、skip 跳过、"
        "stop 视为错误并停止",
    )
    imp.add_argument(
        "--allow-missing-id",
        action="store_true",
        help="允许没有身份证号的人员：按姓名+出生年月（同名同月时再按单位）与名册中已有的人匹配，"
        "新人员不带身份证号存入，名册中显示为“缺身份证号”；以后带身份证号的文件会补上",
    )
    imp.add_argument(
        "--accept-birth-mismatch",
        action="store_true",
        help="出生年月与身份证号中的出生日期不符的行，已核对后按表中的出生年月导入（不给时这些行算错误）",
    )
    imp.add_argument(
        "--map",
        metavar="对照表",
        help="代码表对照（.xlsx 或 .csv，两列：原值、对应代码表项，可加“字段”列；对应写“新增”即"
        "新增到代码表）。表中未识别的值按它对应，并记入代码表别名，下次导入自动识别",
    )

    # --id-card, --split and --class are parents too, only so that -o stays last in the help
    sub.add_parser(
        "export-lrmx",
        help="把一名干部导出为任免审批表（.lrmx）",
        description="按身份证号找到干部，导出为 .lrmx（UTF-8，owip 模板元素顺序）。",
        parents=[
            db_option(),
            option("--id-card", required=True, metavar="身份证号", help="干部的身份证号"),
            output_option("文件.lrmx"),
        ],
    )

    plan = sub.add_parser(
        "plan-class",
        help="新建一个培训班并按三三制排课，打印三种方式的比例",
        description="用课程库中的课程新建培训班并自动排课（开班式、结业式、课堂教学/调研考察/研讨交流"
        "各占三分之一或按给定比例，调研整天安排，节假日不排课，不与其他班次冲突）。课程不够时重复研讨或"
        "调研形式、留出自学或机动半天，并逐条说明；确实排不出时说明是哪条规则卡住。",
        parents=[db_option()],
    )
    plan.add_argument("--name", required=True, metavar="班名", help="培训班名称")
    plan.add_argument("--start", required=True, metavar="日期", help="开班日期，如 2026-03-02")
    plan.add_argument("--end", required=True, metavar="日期", help="结业日期，如 2026-03-20")
    plan.add_argument("--level", default="专题班", metavar="层次", help="班次层次，默认 专题班")
    plan.add_argument(
        "--courses",
        metavar="文件",
        help="课程清单：文本文件，每行一门课程库中的课程名称，优先选用；不给时按班次层次、必修和优先级"
        "从课程库中选课",
    )
    plan.add_argument(
        "--shares",
        metavar="比例",
        help="课堂教学:调研考察:研讨交流 的比例，如 4:3:3；默认各占三分之一",
    )
    plan.add_argument(
        "--weekdays",
        metavar="星期",
        help="上课的星期，1 为星期一，如 3 表示每周三上课的在职班；默认 1-5（星期一至星期五）",
    )
    plan.add_argument(
        "--use-workdays",
        action="store_true",
        help="调休上班日（如春节前后的周末上班日）也排课",
    )

    sub.add_parser(
        "hours",
        help="打印学时不足名单",
        description="按职级要求（乡科级及以下每年 90 学时；县处级及以上五年 550 学时）"
        "列出学时不足的在职干部。",
        parents=[
            db_option(),
            year_option("统计年度"),
            unit_option("只看某单位（含下级单位），名称或完整路径"),
        ],
    )

    sub.add_parser(
        "export-score-template",
        help="导出考核打分模板（xlsx），供各单位填写后交回导入",
        description="导出某年度年度考核的打分模板：每人一行，每个考核项目一列（表头写明满分），"
        "民主测评按测评主体和等次列票数；身份证号为文本。",
        parents=[
            db_option(),
            year_option(),
            unit_option("只导出某单位（含下级单位）"),
            output_option("文件.xlsx"),
        ],
    )

    isc = sub.add_parser(
        "import-scores",
        help="导入各单位交回的打分表",
        description="导入填好的打分模板。全部正确才写入；任何一格有错，一格也不写入。",
        parents=[db_option(), year_option(), dry_run_option()],
    )
    isc.add_argument("path", metavar="文件.xlsx", help="填好的打分模板")

    grade = sub.add_parser(
        "grade",
        help="计算并保存拟定考核等次，按单位打印名额与等次分布",
        description="按考核方案计算综合得分、排名和拟定等次（名额、舍入、处分、试用期、一票否决、"
        "平时考核等规则），保存后按单位打印：人数、优秀名额及舍入、各等次人数、提醒事项。"
        "只计算人员都已录入完整的考核范围；其余范围暂不计算，并逐人列出待录入的人员和所缺内容。",
        parents=[
            db_option(),
            year_option(),
            unit_option("只计算并打印某单位（连同下级单位）所在考核范围的等次"),
        ],
    )
    grade.add_argument(
        "--quarter",
        type=int,
        choices=(1, 2, 3, 4),
        metavar="季度",
        help="计算该年某季度平时考核的季度等次（好/较好/一般/较差），而不是年度考核",
    )
    grade.add_argument(
        "--jobs",
        type=int,
        metavar="进程数",
        help="另开几个进程分单位并行计算，最多 4 个"
        "（默认：2 万人以上按处理器数自动选择；0：只用本进程）",
    )

    prt = sub.add_parser(
        "print",
        help="打印（生成 PDF/xlsx）：考核登记表与考核报表，培训班的课程表等，一人一档",
        description="从数据库生成要打印的文件（PDF 字体嵌入，任何电脑打印效果相同）。",
    )
    what = prt.add_subparsers(dest="document", metavar="文书", required=True)
    what.add_parser(
        "sheets",
        help="年度考核登记表（每人一份，归档用）或考核评分表（--form scored）",
        description="年度考核登记表（标题按人员类别）或考核评分表：合成一个 PDF，或用 --split "
        "每人一个文件（单位_姓名_YYYY年度考核登记表.pdf）。",
        parents=[
            db_option(),
            year_option(),
            unit_option("只打印某单位（含下级单位）"),
            option("--split", action="store_true", help="每人一个文件；-o 给文件夹"),
            output_option("输出", "PDF 文件或文件夹"),
            *sheets_cli.sheet_options(),
        ],
    )
    report = [
        db_option(),
        year_option(),
        unit_option("只含某单位（含下级单位）"),
        output_option("文件", ".pdf 或 .xlsx"),
    ]
    for name, title in (
        ("summary", "考核结果汇总表（按单位排名，标出优秀名额线）"),
        ("approval", "年度考核结果审定表（按层次和等次计数，不定等次原因）"),
        ("register", "年度考核结果名册"),
        (
            "feedback",
            "考核结果反馈表（已审定人员每人一页，未登记反馈的留空手填；xlsx 为反馈情况名单）",
        ),
    ):
        desc = title + "；按输出文件后缀生成 PDF 或 xlsx。"
        what.add_parser(name, help=title, description=desc, parents=report)
    printing_cli.add_kit_parsers(what)
    printing_cli.add_dossier_parser(what)
    printing_cli.add_bulletin_parser(what)
    printing_cli.add_evaluation_parsers(what)
    COMMANDS.update(audit_cli.add_commands(sub))
    COMMANDS.update(backup_cli.add_commands(sub))
    COMMANDS.update(accounts_cli.add_commands(sub))
    COMMANDS.update(calendar_cli.add_commands(sub))
    COMMANDS.update(exchange_cli.add_commands(sub))
    COMMANDS.update(evaluation_cli.add_commands(sub))
    return p


def _date_arg(text: str, what: str) -> dt.date:
    from models.core.errors import DomainError  # lazy: start-up time

    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise DomainError(f"{what}“{text}”不是日期，应写作 2026-03-02") from None


@contextlib.contextmanager
def _database(args: argparse.Namespace, *, create: bool = False) -> Iterator[str]:
    """Open (and migrate) the command's database, and close it afterwards; yields the
    database's name without any password."""
    from ui.cli.database import command_database  # lazy: start-up time

    with command_database(args.db, create=create, user=getattr(args, "user", None)) as shown:
        yield shown


def _unit_id(name: str | None) -> int | None:
    """The id of the unit named by --unit (name or full path), or None without --unit."""
    from models.roster import find_unit  # lazy: start-up time

    return find_unit(name).id if name else None


def _print_import(lines: list[str], *, ok: bool, dry_run: bool) -> int:
    """Print an import's summary, then its lines (errors on stderr); return the exit code."""
    print(lines[0] + ("（试运行，未写入）" if dry_run else ""))
    for line in lines[1:]:
        print(line, file=sys.stderr if line.startswith("错误") else sys.stdout)
    if not ok:
        print("有错误，未导入任何数据。请改正后重新导入。", file=sys.stderr)
        return EXIT_DATA
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from models.core.db import display_target  # lazy: start-up time
    from models.demo import build_demo  # lazy: start-up time

    n = build_demo(args.db, cadres=args.cadres, seed=args.seed)
    print(f"已生成演示数据库 {display_target(args.db)}：干部 {n} 名")
    return EXIT_OK


def cmd_export_roster(args: argparse.Namespace) -> int:
    from models.core.errors import DomainError  # lazy: start-up time
    from models.roster import service as roster  # lazy: start-up time
    from reports.roster import export_roster_xlsx  # lazy: start-up time

    out = Path(args.output)
    if out.suffix.lower() != ".xlsx":
        raise DomainError(f"输出文件应以 .xlsx 结尾：{out}")
    with _database(args):
        status = "" if args.status == "全部" else args.status
        ids = roster.query_ids(roster.RosterFilter(status=status))
        n = export_roster_xlsx(roster.iter_cadres(ids), out, total=len(ids))
    print(f"已导出 {n} 名干部到 {out}")
    return EXIT_OK


def cmd_import_roster(args: argparse.Namespace) -> int:
    from models.roster import importing  # lazy: start-up time
    from models.roster.intake import read_path  # lazy: start-up time
    from ui.cli.database import new_file_allowed  # lazy: start-up time

    result = read_path(args.path)
    if new_file_allowed(args.db):
        print(f"数据库 {args.db} 不存在，已新建")
    options = {
        "on_duplicate": args.on_duplicate,
        "default_unit": args.unit,
        "dry_run": args.dry_run,
        "allow_missing_id": args.allow_missing_id,
        "accept_birth_mismatch": args.accept_birth_mismatch,
    }
    with _database(args, create=True):
        if args.map:
            mapped = importing.import_with_value_map(result, args.map, **options)
            outcome = mapped.outcome
        else:
            mapped, outcome = None, importing.import_rows(result, **options)
    lines = importing.report_lines(outcome, mapped)
    return _print_import(lines, ok=outcome.plan.ok, dry_run=args.dry_run)


def cmd_export_lrmx(args: argparse.Namespace) -> int:
    from models.assessment.results import annual_results_text  # lazy: start-up time
    from models.roster.importing import find_by_id_card, lrmx_document  # lazy: start-up time

    with _database(args):
        cadre = find_by_id_card(args.id_card)
        _name, data = lrmx_document(cadre.id, annual_results=annual_results_text)
    out = Path(args.output)
    out.write_bytes(data)
    print(f"已导出 {cadre.name} 的任免审批表到 {out}")
    return EXIT_OK


def _shares_arg(text: str) -> tuple[float, float, float]:
    from models.core.errors import DomainError  # lazy: start-up time

    parts = [p.strip() for p in text.replace("：", ":").split(":")]
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        values = ()
    if len(values) != 3 or any(v < 0 for v in values) or sum(values) <= 0:
        raise DomainError(
            f"--shares“{text}”不是三种方式的比例："
            "应为 课堂教学:调研考察:研讨交流 三个非负数，如 4:3:3"
        )
    return values  # type: ignore[return-value]


def _weekdays_arg(text: str) -> list[int]:
    from models.core.errors import DomainError  # lazy: start-up time

    days: set[int] = set()
    for part in text.replace("，", ",").split(","):
        a, _, b = part.strip().partition("-")
        if not (a.isdigit() and (not b or b.isdigit())):
            days = set()
            break
        lo, hi = int(a), int(b or a)
        if not 1 <= lo <= hi <= 7:
            days = set()
            break
        days.update(range(lo - 1, hi))
    if not days:
        raise DomainError(
            f"--weekdays“{text}”不是星期：用 1 至 7 表示星期一至星期日，如 3 或 1-5 或 1,3,5"
        )
    return sorted(days)


def cmd_plan_class(args: argparse.Namespace) -> int:
    from models.training import format_plan_summary, plan_new_class  # lazy: start-up time

    start, end = _date_arg(args.start, "开班日期"), _date_arg(args.end, "结业日期")
    titles = None
    if args.courses:
        text = Path(args.courses).read_text(encoding="utf-8-sig")
        titles = [line.strip().strip("《》") for line in text.splitlines() if line.strip()]
    shares = _shares_arg(args.shares) if args.shares else None
    weekdays = _weekdays_arg(args.weekdays) if args.weekdays else None
    with _database(args):
        result = plan_new_class(
            args.name,
            start,
            end,
            course_titles=titles,
            level=args.level,
            shares=shares,
            weekdays=weekdays,
            use_workdays=args.use_workdays,
        )
        print(f"已新建并排课：班次编号 {result.class_id}")
        print(format_plan_summary(result.class_id))
    return EXIT_OK


def cmd_hours(args: argparse.Namespace) -> int:
    from models.training import format_shortfall  # lazy: start-up time

    with _database(args):
        print(format_shortfall(args.year, _unit_id(args.unit)))
    return EXIT_OK


def cmd_export_score_template(args: argparse.Namespace) -> int:
    from models.assessment import export_score_template, find_round  # lazy: start-up time

    out = Path(args.output)
    with _database(args):
        rnd = find_round(args.year)
        n = export_score_template(rnd.id, _unit_id(args.unit), out)
    print(f"已导出 {n} 人的打分模板到 {out}")
    return EXIT_OK


def cmd_import_scores(args: argparse.Namespace) -> int:
    from models.assessment import find_round, import_scores  # lazy: start-up time

    with _database(args):
        result = import_scores(args.path, find_round(args.year).id, dry_run=args.dry_run)
    return _print_import(result.lines(), ok=result.ok, dry_run=args.dry_run)


def cmd_grade(args: argparse.Namespace) -> int:
    from models.assessment.results import grade_command  # lazy: start-up time
    from models.core.errors import DomainError  # lazy: start-up time

    if args.jobs is not None and args.jobs < 0:
        raise DomainError(f"--jobs 应为不小于 0 的整数，而不是 {args.jobs}")
    with _database(args):
        unit_id = _unit_id(args.unit)
        print(grade_command(args.year, unit_id, quarter=args.quarter, workers=args.jobs))
    return EXIT_OK


def cmd_print(args: argparse.Namespace) -> int:
    from models.core.errors import DomainError  # lazy: start-up time

    out = Path(args.output)
    split = getattr(args, "split", False)
    if args.document in ("dossier", "bulletin"):
        with _database(args):
            if args.document == "dossier":
                print(printing_cli.print_dossier_text(args.id_card, args.unit, out))
            else:
                print(printing_cli.print_bulletin_text(args.year, args.half, out))
        return EXIT_OK
    if args.document in printing_cli.EVALUATION_DOCUMENTS:
        with _database(args):
            print(printing_cli.print_evaluation_text(args, out))
        return EXIT_OK
    if args.document in printing_cli.TRAINING_DOCUMENTS and out.suffix.lower() != ".pdf":
        raise DomainError(f"输出文件应以 .pdf 结尾：{out}")
    if args.document == "sheets" and not split and out.suffix.lower() != ".pdf":
        raise DomainError(f"输出文件应以 .pdf 结尾（每人一个文件请加 --split）：{out}")
    with _database(args):
        if args.document in printing_cli.TRAINING_DOCUMENTS:
            text = printing_cli.print_training_text(args.document, args.class_id, out)
        else:
            text = _print_assessment(args, out)
    print(text)
    return EXIT_OK


def _print_assessment(args: argparse.Namespace, out: Path) -> str:
    from models.assessment import find_round  # lazy: start-up time
    from reports.assessment import summary as assessment_reports  # lazy: start-up time

    unit_id = _unit_id(args.unit)
    rnd = find_round(args.year)
    if args.document == "sheets":
        return sheets_cli.print_sheets_text(args, rnd.id, unit_id, out)
    n = assessment_reports.print_report(args.document, rnd, out, unit_id=unit_id)
    return f"已生成 {out}：{n} {'行' if out.suffix.lower() == '.xlsx' else '页'}"


COMMANDS = {
    "print": cmd_print,
    "export-score-template": cmd_export_score_template,
    "import-scores": cmd_import_scores,
    "grade": cmd_grade,
    "plan-class": cmd_plan_class,
    "hours": cmd_hours,
    "demo": cmd_demo,
    "export-roster": cmd_export_roster,
    "import-roster": cmd_import_roster,
    "export-lrmx": cmd_export_lrmx,
}


def run_gui(args: argparse.Namespace) -> int:
    import os  # lazy: only the window needs it

    if args.platform:
        os.environ["QT_QPA_PLATFORM"] = args.platform
    # the models before Qt: PySide6's import hook reads the source of each module imported
    # after it (__feature__), 0.02-0.04 s for peewee and the models
    import models.schema  # noqa: F401  # lazy: start-up time, see above
    from ui.app import default_db_path, display_problem, platform_plugins, run  # lazy: start-up

    problem = display_problem(os.environ, sys.platform, platform_plugins())
    if problem:  # Qt would abort (SIGABRT) with an English message of its own
        print(f"错误：{problem}", file=sys.stderr)
        return EXIT_DATA

    if args.demo:
        db_path = Path(args.db) if args.db else default_db_path().with_name("demo.db")
        if not db_path.exists():
            from models.demo import build_demo  # lazy: start-up time

            print(f"首次运行：正在生成演示数据库 {db_path} ……", file=sys.stderr)
            build_demo(db_path)
    elif args.db and args.db.startswith(("postgres://", "postgresql://")):
        return run(args.db, user=args.user or "")  # a shared departmental database
    else:
        db_path = Path(args.db) if args.db else default_db_path()
    return run(db_path, user=args.user or "")


def main(argv: list[str] | None = None) -> int:
    # a packaged Windows build starts its grading worker processes through this executable
    if getattr(sys, "frozen", False):  # (freeze_support does nothing in a source run)
        import multiprocessing  # lazy: 0.02 s that only a packaged build's workers need

        multiprocessing.freeze_support()
    args = build_parser().parse_args(argv)
    if args.command is None:
        return run_gui(args)
    # peewee through models: without the PostgreSQL driver until a server is opened
    from models.core.db import PeeweeException, database_error_text  # lazy: start-up time
    from models.core.errors import DomainError, os_error_text  # lazy: start-up time

    # library warnings are for the log of the app; a command says what went wrong in Chinese
    # itself, so nothing in English reaches the terminal through logging's last resort
    logging.getLogger().addHandler(logging.NullHandler())
    try:
        return COMMANDS[args.command](args)
    except DomainError as e:
        print(f"错误：{e}", file=sys.stderr)
        return EXIT_DATA
    except OSError as e:
        print(f"错误：无法读写文件{os_error_text(e)}", file=sys.stderr)
        return EXIT_DATA
    except PeeweeException as e:  # the server went away, a privilege is missing, damage…
        print(f"错误：{database_error_text(e)}", file=sys.stderr)
        return EXIT_DATA


if __name__ == "__main__":
    sys.exit(main())
