"""Batches of 年度考核登记表: a unit, a county (a unit and everything below it), everyone, or
chosen people; into one combined PDF for printing, or one file per person for distribution.

A cancelled or failed batch leaves no half-written file: the combined PDF is built in memory
and written atomically (reports.sheets.pdf); split files are written into a hidden temporary folder
inside the target folder and only moved next to each other into place when every file is done;
on cancel or error that folder is removed.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from models.assessment import MemberDTO, get_round, list_members
from models.core.errors import DomainError
from models.core.progress import IsCancelled, Progress, raise_if_cancelled
from reports.common.files import safe_part
from reports.sheets.data import sheet_for
from reports.sheets.model import (
    CANCELLED_MESSAGE,
    PageSize,
    RenderResult,
    SheetData,
    SheetVariant,
    StaffCategory,
)
from reports.sheets.pdf import build_pdf_bytes, render_sheets

log = logging.getLogger(__name__)

__all__ = [
    "BatchResult",
    "PrintOptions",
    "batch_members",
    "build_sheets_pdf",
    "print_sheets",
    "sheet_file_name",
]


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
) -> list[MemberDTO]:
    """The round's members in roster order: of ``unit_id`` and its sub-units (None: all),
    restricted to ``cadre_ids`` when given (in the round's order, not the given order)."""
    members = list_members(round_id, unit_id)
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


def _gather(
    round_id: int,
    members: Sequence[MemberDTO],
    opts: PrintOptions,
    progress: Progress | None,
    cancelled: IsCancelled | None,
    total: int,
) -> list[SheetData]:
    sheets = []
    for i, m in enumerate(members):
        _check(cancelled)
        sheets.append(
            sheet_for(
                round_id,
                m.cadre_id,
                variant=opts.variant,
                category=opts.category,
                header_rows=opts.header_rows,
            )
        )
        _report(progress, i + 1, total, f"正在读取考核数据：{m.name}（{i + 1}/{len(members)}）")
    return sheets


def build_sheets_pdf(
    round_id: int,
    unit_id: int | None = None,
    *,
    cadre_ids: Sequence[int] | None = None,
    options: PrintOptions | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> tuple[bytes, RenderResult]:
    """All selected sheets as one PDF in memory (the preview); see :func:`batch_members`."""
    opts = options or PrintOptions()
    members = batch_members(round_id, unit_id, cadre_ids)
    n = len(members)
    sheets = _gather(round_id, members, opts, progress, cancelled, 2 * n)

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
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> BatchResult:
    """Print the 考核登记表 (or, with ``options.variant`` SCORED, the 考核评分表) of the
    round's members of ``unit_id`` (and its sub-units; None: everyone; ``cadre_ids``: only these
    people), on ``options.page_size``, padded to even page counts with ``options.duplex``.

    ``split=False``: ``out`` is the PDF file holding every sheet. ``split=True``: ``out`` is a
    folder (created when missing, its parent must exist) receiving one file per person named
    ``单位_姓名_YYYY年度考核登记表.pdf`` (or …考核评分表.pdf); an existing file of that name is
    replaced, two people with the same unit and name get "(2)" after the second name.
    Raises Cancelled when ``cancelled()`` turns true (nothing written), DomainError for
    an empty selection or a folder that cannot be written."""
    out = Path(out)
    opts = options or PrintOptions()
    if not split:
        members = batch_members(round_id, unit_id, cadre_ids)
        n = len(members)
        sheets = _gather(round_id, members, opts, progress, cancelled, 2 * n)

        def layout(done: int, _total: int, text: str) -> None:
            _report(progress, n + done, 2 * n, text)

        r = render_sheets(
            sheets, out, layout, cancelled, page_size=opts.page_size, duplex=opts.duplex
        )
        return BatchResult((out,), r.sheets, r.pages, r.warnings)
    return _print_split(round_id, unit_id, out, opts, cadre_ids, progress, cancelled)


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
                f"无法建立文件夹“{out}”（{exc.strerror or exc}）", field="out"
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


def _print_split(
    round_id: int,
    unit_id: int | None,
    out: Path,
    opts: PrintOptions,
    cadre_ids: Sequence[int] | None,
    progress: Progress | None,
    cancelled: IsCancelled | None,
) -> BatchResult:
    members = batch_members(round_id, unit_id, cadre_ids)
    year = get_round(round_id).year
    folder, created = _target_folder(out)
    try:
        staging = Path(tempfile.mkdtemp(prefix=".考核登记表-", suffix=".part", dir=folder))
    except OSError as exc:
        if created:
            folder.rmdir()
        raise DomainError(
            f"无法写入文件夹“{folder}”（{exc.strerror or exc}）", field="out"
        ) from exc
    names: list[str] = []
    used: set[str] = set()
    pages = 0
    warnings: list[str] = []
    n = len(members)
    done = False
    try:
        for i, m in enumerate(members):
            _check(cancelled)
            sheet = sheet_for(round_id, m.cadre_id, variant=opts.variant, category=opts.category)
            data, r = build_pdf_bytes([sheet], page_size=opts.page_size, duplex=opts.duplex)
            label = opts.variant.label
            name = _unique(sheet_file_name(m.unit_name, m.name, year, label), used)
            (staging / name).write_bytes(data)
            names.append(name)
            pages += r.pages
            warnings.extend(w.replace(f"第1份{label}", f"第{i + 1}份{label}") for w in r.warnings)
            _report(progress, i + 1, n, f"已生成 {i + 1}/{n}：{name}")
        _check(cancelled)
        for name in names:  # all files exist in full: move them into place
            os.replace(staging / name, folder / name)
        done = True
    except OSError as exc:
        raise DomainError(
            f"保存考核登记表失败：无法写入文件夹“{folder}”（{exc.strerror or exc}）", field="out"
        ) from exc
    finally:
        try:
            shutil.rmtree(staging)
            if created and not done and not any(folder.iterdir()):
                folder.rmdir()  # a cancelled batch leaves nothing behind, not even its folder
        except OSError:
            log.warning("could not remove the temporary batch folder %s", staging, exc_info=True)
    unique_warnings = tuple(dict.fromkeys(warnings))
    return BatchResult(tuple(folder / nm for nm in names), n, pages, unique_warnings)
