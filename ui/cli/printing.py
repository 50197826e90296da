"""``print timetable|signin|roster|certificates``: the printed kit of a training class (课程表,
签到表, 学员名册, 结业证书) from the command line; ``print dossier``: the 一人一档; ``print
bulletin|eval-tasks|self-check|eval-results``: the 单位考评's 督查通报, 任务分解表, a unit's
季度自查表 and 结果汇总表. Reports load inside the command (start-up time); nothing here
imports Qt."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

__all__ = [
    "EVALUATION_DOCUMENTS",
    "TRAINING_DOCUMENTS",
    "add_bulletin_parser",
    "add_dossier_parser",
    "add_evaluation_parsers",
    "add_kit_parsers",
    "print_bulletin_text",
    "print_dossier_text",
    "print_evaluation_text",
    "print_training_text",
]

TRAINING_DOCUMENTS = ("timetable", "signin", "roster", "certificates", "class-file")
EVALUATION_DOCUMENTS = ("eval-tasks", "self-check", "eval-results", "team-form")


def print_training_text(document: str, class_id: int, out: Path) -> str:
    """Print ``document`` of class ``class_id`` to ``out``; returns the line to show
    (warnings go to stderr)."""
    from reports.training import certificates as training_certificates  # lazy: start-up time
    from reports.training import kit as training_kit  # lazy: start-up time

    printers = {
        "timetable": training_kit.print_timetable,
        "signin": training_kit.print_signin,
        "roster": training_kit.print_roster,
        "certificates": training_certificates.print_certificates,
    }
    if document == "class-file":
        from reports.common.files import write_atomic  # lazy: start-up time
        from reports.dossiers import class_file_pdf  # lazy: start-up time

        data, pages = class_file_pdf(class_id)
        write_atomic(out, data, "一班一档")
        return f"已生成 {out}：{pages} 页"
    result = printers[document](class_id, out)
    for warning in result.warnings:
        print(f"提示：{warning}", file=sys.stderr)
    return f"已生成 {out}：{result.pages} 页"


def add_kit_parsers(what: Any) -> None:
    """``print timetable|signin|roster|certificates --class ID -o FILE.pdf``."""
    from ui.cli.parsing import db_option, option, output_option  # lazy: with --help

    kit = [
        db_option(),
        option(
            "--class",
            dest="class_id",
            required=True,
            type=int,
            metavar="班次编号",
            help="培训班编号（plan-class 打印的编号）",
        ),
        output_option("文件.pdf"),
    ]
    for name, title in (
        ("timetable", "培训班课程表（横向 A4，按教学方式着色，附三三制比例）"),
        ("signin", "培训班签到表（每个半天一页，供学员签名）"),
        ("roster", "培训班学员名册（按讨论组）"),
        ("certificates", "结业证书（已结业班次，带编号）"),
        (
            "class-file",
            "一班一档：班次概况、课程表、学员名册、签到表、考勤汇总与学时、结业证书名单，带书签",
        ),
    ):
        what.add_parser(name, help=title, description=title, parents=kit)


def add_bulletin_parser(what: Any) -> None:
    """``print bulletin --year Y --half 1|2 -o FILE.pdf``: the 单位考评's 督查通报."""
    from ui.cli.parsing import db_option, option, output_option  # lazy: with --help

    what.add_parser(
        "bulletin",
        help="单位考评的半年督查通报（按督查评分排名，表扬与通报批评）",
        description="单位考评的半年督查通报：各单位按督查评分排名，列出表扬和通报批评的单位。",
        parents=[
            db_option(),
            option("--year", type=int, required=True, metavar="年度", help="考评年度"),
            option("--half", type=int, required=True, choices=(1, 2), help="1 上半年，2 下半年"),
            output_option("文件.pdf"),
        ],
    )


def print_bulletin_text(year: int, half: int, out: Path) -> str:
    from models.core.errors import DomainError  # lazy: start-up time
    from reports.evaluation import print_bulletin  # lazy: start-up time

    if out.suffix.lower() != ".pdf":
        raise DomainError(f"输出文件应以 .pdf 结尾：{out}")
    n = print_bulletin(year, half, str(out))
    return f"已生成 {out}：{n} 个单位"


def add_evaluation_parsers(what: Any) -> None:
    """``print eval-tasks --year Y``, ``print self-check --year Y --unit NAME [--quarter Q]``
    and ``print eval-results --year Y``, each with ``-o FILE.pdf``."""
    from ui.cli.parsing import db_option, option, output_option  # lazy: with --help

    def year() -> Any:
        return option("--year", type=int, required=True, metavar="年度", help="考评年度，如 2025")

    pdf = output_option("文件.pdf")
    for name, title, description, extra in (
        (
            "eval-tasks",
            "单位考评的年度工作任务分解表（横向 A4，按牵头单位分组）",
            "年度工作任务分解表：序号、任务、类别、重点工作、目标与措施、分值、完成时限、"
            "牵头单位、配合单位、责任人，按牵头单位分组，附制表单位和日期。",
            [],
        ),
        (
            "self-check",
            "单位考评中一个单位的季度自查表（某一季度或全年四个季度）",
            "单位季度自查表：该单位牵头的每项任务的工作进展、自评分、存在问题、报送情况"
            "（按时、逾期补报、未报送）、填报人和时间，附单位主要负责人签字和盖章栏。",
            [
                option("--unit", required=True, metavar="单位",
                       help="牵头单位的名称或完整路径（如 白银市/市委/市委组织部）"),
                option("--quarter", type=int, choices=(1, 2, 3, 4),
                       help="只打印某一季度（1–4）；不给则打印全年四个季度"),
            ],
        ),
        (
            "team-form",
            "一个单位的领导班子年度考核登记表（五项考核、民主测评、年终考评，审定后印等次）",
            "领导班子年度考核登记表：单位和班子成员、年度工作任务完成情况、五项考核得分、"
            "民主测评票数、年终考评得分和排名，等次在审定后才印出，附签字盖章栏。",
            [
                option("--unit", required=True, metavar="单位",
                       help="单位的名称或完整路径（如 白银市/靖远县/靖远县领导班子）"),
            ],
        ),
        (
            "eval-results",
            "单位考评结果汇总表（排名、得分、等次，附各单位总分柱状图）",
            "单位考评结果汇总表：按排名列出各单位的共性、个性、加分、扣分、总分和等次，"
            "未审定时标题注明“（未审定）”，附等次统计和各单位总分柱状图。",
            [],
        ),
    ):  # fmt: skip
        what.add_parser(
            name, help=title, description=description,
            parents=[db_option(), year(), *extra, pdf],
        )  # fmt: skip


def print_evaluation_text(args: Any, out: Path) -> str:
    """``print eval-tasks|self-check|eval-results|team-form`` (``args.document``) into ``out``;
    returns the line to show (the font's notes go to stderr)."""
    from models.core.errors import DomainError  # lazy: start-up time
    from models.roster import find_unit  # lazy: start-up time
    from reports.evaluation import (  # lazy: start-up time
        print_results,
        print_self_check,
        print_tasks,
        print_team_form,
    )

    if out.suffix.lower() != ".pdf":
        raise DomainError(f"输出文件应以 .pdf 结尾：{out}")
    if args.document == "eval-tasks":
        printed = print_tasks(args.year, out)
        text = f"已生成 {out}：{printed.rows} 项任务，{printed.pages} 页"
    elif args.document == "self-check":
        unit = find_unit(args.unit)
        printed = print_self_check(args.year, unit.id, unit.name, args.quarter, out)
        text = f"已生成“{unit.name}”的自查表 {out}：{printed.rows} 项任务，{printed.pages} 页"
    elif args.document == "team-form":
        unit = find_unit(args.unit)
        printed = print_team_form(args.year, unit.id, out)
        text = f"已生成“{unit.name}”领导班子年度考核登记表 {out}：{printed.pages} 页"
    else:
        printed = print_results(args.year, out)
        text = f"已生成 {out}：{printed.rows} 个单位，{printed.pages} 页"
    for warning in printed.warnings:
        print(f"提示：{warning}", file=sys.stderr)
    return text


def add_dossier_parser(what: Any) -> None:
    """``print dossier --id-card ID -o FILE.pdf`` (one cadre) or ``--unit NAME -o FOLDER``
    (every 在职 cadre of the unit and its sub-units, one file each)."""
    from ui.cli.parsing import db_option, option, output_option, unit_option  # lazy: with --help

    what.add_parser(
        "dossier",
        help="一人一档：干部的基本信息、学习培训、年度考核、反馈与指导、处分合成一个带书签的 PDF",
        description="一人一档：一名干部（--id-card，-o 给 PDF 文件）或一个单位的在职干部"
        "（--unit，含下级单位，-o 给文件夹，每人一个文件：单位_姓名_一人一档.pdf）。",
        parents=[
            db_option(),
            option("--id-card", metavar="身份证号", help="一名干部的身份证号"),
            unit_option("一个单位（含下级单位）的在职干部，每人一个文件"),
            output_option("输出", "PDF 文件（一名干部）或文件夹（一个单位）"),
        ],
    )


def print_dossier_text(id_card: str | None, unit: str | None, out: Path) -> str:
    """``print dossier``: one cadre's dossier into ``out`` (a .pdf), or a unit's into the
    folder ``out``; returns the line to show."""
    from models.core.errors import DomainError  # lazy: start-up time
    from models.roster import RosterFilter, find_unit, query_ids  # lazy: start-up time
    from models.roster.importing import find_by_id_card  # lazy: start-up time
    from reports.common.files import write_atomic  # lazy: start-up time
    from reports.dossiers import dossier_data, dossier_pdf, write_dossiers  # lazy: start-up time

    if bool(id_card) == bool(unit):
        raise DomainError("请用 --id-card 指定一名干部，或用 --unit 指定一个单位（二者选一）")
    if id_card:
        if out.suffix.lower() != ".pdf":
            raise DomainError(f"输出文件应以 .pdf 结尾：{out}")
        cadre = find_by_id_card(id_card)
        data, pages = dossier_pdf(dossier_data(cadre.id))
        write_atomic(out, data, "一人一档")
        return f"已生成 {cadre.name} 的一人一档 {out}：{pages} 页"
    if not out.is_dir():
        raise DomainError(f"文件夹不存在：{out}（按单位打印时 -o 给一个已有的文件夹）")
    target = find_unit(unit or "")
    ids = query_ids(RosterFilter(unit_id=target.id, status="在职"))
    if not ids:
        raise DomainError(f"“{target.name}”没有在职干部")

    def show(done: int, total: int, _text: str) -> None:
        print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)

    files = write_dossiers(ids, out, progress=show)
    print(file=sys.stderr)
    return f"已生成 {target.name} {len(files)} 名干部的一人一档，在 {out}"
