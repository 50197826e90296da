"""The options of ``print sheets`` and the command itself: the 考核登记表 as filed in the
人事档案 (``--form official``, the default) or the 考核评分表 (``--form scored``, one page per
person with weights, weighted points, 综合得分, 排名 and 拟定等次); ``--paper`` A4/B5/16K;
``--duplex`` pads each person to an even number of pages; ``--category`` prints every form
under one personnel category's title instead of the one the roster implies. Reports load
inside the command (start-up time); nothing here imports Qt."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ui.cli.parsing import ChineseArgumentParser, option

__all__ = ["CATEGORIES", "FORMS", "PAPERS", "header_rows", "print_sheets_text", "sheet_options"]

FORMS = {"official": "考核登记表", "scored": "考核评分表"}
PAPERS = {"A4": "A4", "B5": "B5", "16K": "K16", "16开": "K16"}
CATEGORIES = {
    "公务员": "公务员",
    "参公": "参照公务员法管理单位工作人员",
    "事业单位": "事业单位工作人员",
}


def sheet_options() -> list[ChineseArgumentParser]:
    """--form, --paper, --duplex, --rows, --jobs and --category of ``print sheets``."""
    return [
        option(
            "--form",
            choices=tuple(FORMS),
            default="official",
            help="official：考核登记表（归档用，默认，不印分数、排名和等次）；"
            "scored：考核评分表（每人一页，列出权重、加权得分、综合得分、排名和拟定等次）",
        ),
        option(
            "--paper",
            choices=("A4", "B5", "16K"),
            default="A4",
            type=lambda s: "16K" if s == "16开" else s.upper(),
            help="纸张：A4（默认，210×297 mm）、B5（176×250 mm）、16K（16开，185×260 mm）",
        ),
        option(
            "--duplex",
            action="store_true",
            help="双面打印：每人的页数补成偶数（加“本页空白”页），一张纸不会印两个人",
        ),
        option(
            "--rows",
            metavar="表头行",
            help="表头加印的可选行，逗号分隔：文化程度、参加脱产培训情况（可简写为 脱产培训）；"
            "写“无”则不加印；默认按 resources/forms/sheet_templates.json 中该人员类别的模板",
        ),
        option(
            "--jobs",
            type=int,
            metavar="进程数",
            help="另开几个进程分批生成（默认：300 人以上按处理器数；0：只用本进程）；"
            "超过 1000 人的合成 PDF 分成若干部分文件（单位不拆开），"
            "名为“文件名_第01部分（共N部分）.pdf”",
        ),
        option(
            "--category",
            choices=tuple(CATEGORIES),
            metavar="人员类别",
            help="登记表标题统一按此人员类别（公务员/参公/事业单位）；默认按单位类型和职级逐人判断",
        ),
    ]


ROW_NAMES = {
    "文化程度": "文化程度",
    "参加脱产培训情况": "参加脱产培训情况",
    "脱产培训": "参加脱产培训情况",
}


def header_rows(text: str | None) -> tuple[str, ...] | None:
    """--rows as the header rows to print; None without --rows (the template decides)."""
    from models.core.errors import DomainError  # lazy: start-up time

    if text is None:
        return None
    parts = [p.strip() for p in text.replace("，", ",").replace("、", ",").split(",")]
    if parts == ["无"]:
        return ()
    unknown = [p for p in parts if p and p not in ROW_NAMES]
    if unknown:
        raise DomainError(
            f"--rows 中的“{'、'.join(unknown)}”不是可选的表头行（可选：文化程度、参加脱产培训情况）"
        )
    return tuple(dict.fromkeys(ROW_NAMES[p] for p in parts if p))


def print_sheets_text(
    args: argparse.Namespace, round_id: int, unit_id: int | None, out: Path
) -> str:
    """Print the sheets as ``args`` asks; returns the line to show (warnings go to stderr)."""
    from models.core.errors import DomainError  # lazy: start-up time
    from reports.sheets import (  # lazy: start-up time
        PageSize,
        PrintOptions,
        SheetVariant,
        StaffCategory,
        print_sheets,
    )

    category = getattr(args, "category", None)
    rows = header_rows(getattr(args, "rows", None))
    jobs = getattr(args, "jobs", None)
    if jobs is not None and jobs < 0:
        raise DomainError(f"--jobs 应为不小于 0 的整数，而不是 {jobs}")
    options = PrintOptions(
        variant=SheetVariant(getattr(args, "form", "official")),
        page_size=PageSize[PAPERS[getattr(args, "paper", "A4")]],
        duplex=bool(getattr(args, "duplex", False)),
        category=StaffCategory(CATEGORIES[category]) if category else None,
        header_rows=rows,
    )
    result = print_sheets(round_id, unit_id, out, split=args.split, options=options, jobs=jobs)
    for warning in result.warnings:
        print(f"提示：{warning}", file=sys.stderr)
    if args.split:
        where = f"{len(result.files)} 个文件，在 {out}"
    elif len(result.files) > 1:
        where = f"分为 {len(result.files)} 个部分文件，在 {out.parent}：{result.files[0].name} 等"
    else:
        where = str(out)
    label = options.variant.label
    paper = options.page_size.label + ("，双面" if options.duplex else "")
    return f"已生成{label} {result.sheets} 份、{result.pages} 页（{paper}）：{where}"
