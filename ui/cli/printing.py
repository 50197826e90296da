"""``print timetable|signin|roster|certificates``: the printed kit of a training class (课程表,
签到表, 学员名册, 结业证书) from the command line; ``print dossier``: the 一人一档. Reports
load inside the command (start-up time); nothing here imports Qt."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

__all__ = [
    "TRAINING_DOCUMENTS",
    "add_bulletin_parser",
    "print_bulletin_text",
    "add_dossier_parser",
    "add_kit_parsers",
    "print_dossier_text",
    "print_training_text",
]

TRAINING_DOCUMENTS = ("timetable", "signin", "roster", "certificates", "class-file")


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
