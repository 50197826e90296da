"""Batches of 年度考核登记表: a unit, a county (a unit and everything below it), everyone, or
chosen people; into one combined PDF for printing, or one file per person for distribution.

A batch is streamed (reports.sheets.stream): read in bulk and written part by part, in flat
memory, by this process or by worker processes (``jobs``). Up to PART_SHEETS people give one
PDF; a larger combined batch gives one PDF per part (about 2,000 pages each, a unit kept whole
where it fits), named ``<name>_第01部分（共48部分）.pdf``. A cancelled or failed batch leaves no
half-written file: everything is written into a hidden temporary folder inside the target
folder and only moved into place when every file is done; on cancel or error that folder is
removed.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from models.assessment import get_round, member_names
from models.core.errors import DomainError, os_error_text
from models.core.progress import IsCancelled, Progress, raise_if_cancelled
from reports.common.files import safe_part
from reports.sheets.data import sheets_for
from reports.sheets.model import (
    CANCELLED_MESSAGE,
    PageSize,
    RenderResult,
    SheetVariant,
    StaffCategory,
)
from reports.sheets.pdf import build_pdf_bytes
from reports.sheets.stream import (
    Job,
    Member,
    Part,
    default_jobs,
    plan_parts,
    remove_staging,
    run_parts,
    staging_folder,
)

log = logging.getLogger(__name__)

__all__ = [
    "PREVIEW_SHEETS",
    "BatchResult",
    "PrintOptions",
    "batch_members",
    "build_sheets_pdf",
    "print_sheets",
    "sheet_file_name",
]


#: people a preview shows at most (it is built in memory; the batch itself is streamed)
PREVIEW_SHEETS = 200


@dataclass(frozen=True)
class BatchResult:
    """What a batch wrote: the files (one combined PDF, or one per person), sheets and pages."""

    files: tuple[Path, ...]
    sheets: int
    pages: int
    warnings: tuple[str, ...] = field(default_factory=tuple)


def sheet_file_name(unit: str, name: str, year: int, label: str = "考核登记表") -> str:
    """'市委组织部_张三_2025年度考核登记表.pdf' (``label``: 考核评分表 for the 评分表)."""
    return f"{safe_part(unit)}_{safe_part(name)}_{year}年度{label}.pdf"


@dataclass(frozen=True)
class PrintOptions:
    """How to print: which form, paper, duplex padding, and a personnel category that overrides
    the one the roster implies (None: per person)."""

    variant: SheetVariant = SheetVariant.OFFICIAL
    page_size: PageSize = PageSize.A4
    duplex: bool = False
    category: StaffCategory | None = None
    # optional header rows (HEADER_ROWS names); None: each category's template decides
    header_rows: tuple[str, ...] | None = None


def batch_members(
    round_id: int, unit_id: int | None = None, cadre_ids: Sequence[int] | None = None
) -> list[Member]:
    """The round's members in roster order: of ``unit_id`` and its sub-units (None: all),
    restricted to ``cadre_ids`` when given (in the round's order, not the given order)."""
    members = [Member(*row) for row in member_names(round_id, unit_id)]
    if cadre_ids is not None:
        wanted = set(cadre_ids)
        members = [m for m in members if m.cadre_id in wanted]
        missing = wanted - {m.cadre_id for m in members}
        if missing:
            raise DomainError(
                f"有 {len(missing)} 名所选人员不在本轮考核（或所选单位）中，请重新选择",
                field="cadre_ids",
            )
    if not members:
        rnd = get_round(round_id)
        raise DomainError(f"“{rnd.name}”在所选范围内没有考核人员，没有可打印的考核登记表")
    return members


def _check(cancelled: IsCancelled | None) -> None:
    raise_if_cancelled(cancelled, CANCELLED_MESSAGE)


def _report(progress: Progress | None, done: int, total: int, text: str) -> None:
    if progress is not None:
        progress(done, total, text)


def build_sheets_pdf(
    round_id: int,
    unit_id: int | None = None,
    *,
    cadre_ids: Sequence[int] | None = None,
    options: PrintOptions | None = None,
    limit: int | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> tuple[bytes, RenderResult]:
    """The selected sheets as one PDF in memory (the preview), the first ``limit`` people
    only when given (a preview of a whole round would hold 100,000 pages); see
    :func:`batch_members`."""
    opts = options or PrintOptions()
    members = batch_members(round_id, unit_id, cadre_ids)
    if limit is not None:
        members = members[:limit]
    n = len(members)
    _report(progress, 0, 2 * n, "正在读取考核数据")
    _check(cancelled)
    sheets = sheets_for(
        round_id,
        [m.cadre_id for m in members],
        variant=opts.variant,
        category=opts.category,
        header_rows=opts.header_rows,
    )

    def layout(done: int, _total: int, text: str) -> None:
        _report(progress, n + done, 2 * n, text)

    return build_pdf_bytes(
        sheets,
        page_size=opts.page_size,
        duplex=opts.duplex,
        progress=layout,
        cancelled=cancelled,
    )


def print_sheets(
    round_id: int,
    unit_id: int | None,
    out: str | os.PathLike[str],
    *,
    split: bool = False,
    options: PrintOptions | None = None,
    cadre_ids: Sequence[int] | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> BatchResult:
    """Print the 考核登记表 (or, with ``options.variant`` SCORED, the 考核评分表) of the
    round's members of ``unit_id`` (and its sub-units; None: everyone; ``cadre_ids``: only these
    people), on ``options.page_size``, padded to even page counts with ``options.duplex``.

    ``split=False``: ``out`` is the PDF file holding every sheet (more than PART_SHEETS
    people: one file per part beside it, see the module docstring). ``split=True``: ``out`` is
    a folder (created when missing, its parent must exist) receiving one file per person named
    ``单位_姓名_YYYY年度考核登记表.pdf`` (or …考核评分表.pdf); an existing file of that name is
    replaced, two people with the same unit and name get "(2)" after the second name.
    ``jobs``: worker processes (None: by the size of the batch and the processors; 0: this
    process alone). Raises Cancelled when ``cancelled()`` turns true (nothing written),
    DomainError for an empty selection or a folder that cannot be written."""
    out = Path(out)
    opts = options or PrintOptions()
    members = batch_members(round_id, unit_id, cadre_ids)
    people = members
    groups = plan_parts(people)
    n = len(people)
    label = opts.variant.label
    if split:
        folder, created = _target_folder(out)
        year = get_round(round_id).year
        used: set[str] = set()
        names = [_unique(sheet_file_name(p.unit, p.name, year, label), used) for p in people]
        finals = names
    else:
        folder, created = out.parent, False
        if not folder.is_dir():
            raise DomainError(f"保存{label}失败：文件夹不存在：{folder}", field="out")
        names = [f"part-{k + 1}.pdf" for k in range(len(groups))]
        finals = [out.name] if len(groups) == 1 else _part_names(out, len(groups))
    try:
        staging = staging_folder(folder)
    except DomainError:
        if created:
            folder.rmdir()
        raise
    parts = []
    at = 0
    for k, group in enumerate(groups):
        files = names[at : at + len(group)] if split else [names[k]]
        parts.append(Part(k, tuple(p.cadre_id for p in group), tuple(files), at))
        at += len(group)
    job = Job(
        round_id, opts.variant, opts.page_size, opts.duplex, opts.category, opts.header_rows,
        str(staging), split,
    )  # fmt: skip
    _report(progress, 0, n, f"正在准备生成 {n} 份{label}")
    done = False
    try:
        made = run_parts(job, parts, n, default_jobs(n) if jobs is None else jobs, progress,
                         cancelled)  # fmt: skip
        _check(cancelled)
        for name, final in zip(names, finals, strict=True):  # every file is whole: into place
            os.replace(staging / name, folder / final)
        done = True
    except OSError as exc:
        raise DomainError(
            f"保存{label}失败：无法写入文件夹“{folder}”（{os_error_text(exc)}）", field="out"
        ) from exc
    finally:
        remove_staging(staging)
        try:
            if created and not done and not any(folder.iterdir()):
                folder.rmdir()  # a cancelled batch leaves nothing behind, not even its folder
        except OSError:
            log.warning("could not remove the folder %s of a cancelled batch", folder)
    warnings = [w for d in made for w in d.warnings]  # the font setup's among them
    return BatchResult(
        tuple(folder / f for f in finals),
        sum(d.sheets for d in made),
        sum(d.pages for d in made),
        tuple(dict.fromkeys(warnings)),
    )


def _part_names(out: Path, count: int) -> list[str]:
    """'2025年度考核登记表_第01部分（共48部分）.pdf'…: the parts of a large combined batch,
    numbered so that they sort in order; the count in each name keeps the parts of one
    printing apart from those of an earlier one of another size."""
    width = len(str(count))
    return [
        f"{out.stem}_第{k:0{width}d}部分（共{count}部分）{out.suffix}" for k in range(1, count + 1)
    ]


def _target_folder(out: Path) -> tuple[Path, bool]:
    """The folder, and whether this batch created it."""
    if out.exists() and not out.is_dir():
        raise DomainError(f"分人保存需要一个文件夹，但“{out}”是一个文件", field="out")
    if not out.exists():
        if not out.parent.is_dir():
            raise DomainError(f"保存考核登记表失败：文件夹不存在：{out.parent}", field="out")
        try:
            out.mkdir()
        except OSError as exc:
            raise DomainError(
                f"无法建立文件夹“{out}”（{os_error_text(exc)}）", field="out"
            ) from exc
        return out, True
    return out, False


def _unique(name: str, used: set[str]) -> str:
    if name not in used:
        used.add(name)
        return name
    stem, suffix = name[: -len(".pdf")], ".pdf"
    n = 2
    while f"{stem}({n}){suffix}" in used:
        n += 1
    name = f"{stem}({n}){suffix}"
    used.add(name)
    return name
