"""The 考核 summary reports of an annual round, each to a PDF or an xlsx file chosen by the file
suffix: 考核结果汇总表 (``summary``), 年度考核结果审定表 (``approval``) and 年度考核结果名册
(``register``), and the 考核结果反馈表 of 一项指导 (``feedback``, the list of who still has no
feedback as xlsx).

Each entry point gathers the data (:mod:`reports.assessment.data`) and hands it to the PDF
layout (:mod:`reports.assessment.summary_pdf`) or the sheet writer
(:mod:`reports.assessment.summary_xlsx`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models.assessment import RoundDTO
from models.core.errors import DomainError
from models.core.progress import IsCancelled, Progress, raise_if_cancelled
from reports.assessment.data import approval_data, register_data, summary_data
from reports.assessment.feedback import feedback_data, feedback_pdf, feedback_xlsx
from reports.assessment.summary_pdf import approval_pdf, register_pdf, summary_pdf
from reports.assessment.summary_xlsx import approval_xlsx, register_xlsx, summary_xlsx
from reports.common.files import write_atomic

__all__ = [
    "REPORTS",
    "Report",
    "print_report",
    "report_pdf_bytes",
]


@dataclass(frozen=True)
class Report:
    """One summary report: its title, how its data is gathered and how it is written."""

    title: str
    gather: Callable[[int | RoundDTO, int | None], Any]  # (year or round, unit id) → data
    pdf: Callable[..., tuple[bytes, int]]  # data → (PDF bytes, pages)
    xlsx: Callable[..., int]  # (data, path) → rows written


#: The reports by the key :func:`report_pdf_bytes` takes.
REPORTS = {
    "summary": Report("考核结果汇总表", summary_data, summary_pdf, summary_xlsx),
    "approval": Report("年度考核结果审定表", approval_data, approval_pdf, approval_xlsx),
    "register": Report("年度考核结果名册", register_data, register_pdf, register_xlsx),
    "feedback": Report("考核结果反馈表", feedback_data, feedback_pdf, feedback_xlsx),
}


def _kind(out: str | os.PathLike[str]) -> str:
    suffix = Path(out).suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        raise DomainError(
            f"不支持的文件类型“{Path(out).name}”：文件名应以 .pdf 或 .xlsx 结尾", field="out"
        )
    return suffix


def _report(key: str) -> Report:
    if key not in REPORTS:
        raise DomainError(f"没有名为“{key}”的报表", field="report")
    return REPORTS[key]


def print_report(
    report: str,
    year_or_round: int | RoundDTO,
    out: str | os.PathLike[str],
    *,
    unit_id: int | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> int:
    """One of :data:`REPORTS` (``summary``, ``approval``, ``register``) to ``out``, a PDF or
    an xlsx by its suffix; returns pages (PDF) or rows (xlsx)."""
    kind = _kind(out)
    r = _report(report)
    d = r.gather(year_or_round, unit_id)
    raise_if_cancelled(cancelled, f"已取消生成{r.title}，未写入文件")
    if kind == ".xlsx":
        return r.xlsx(d, out, progress=progress, cancelled=cancelled)
    data, pages = r.pdf(d, progress=progress, cancelled=cancelled)
    write_atomic(out, data, r.title)
    return pages


def report_pdf_bytes(
    report: str,
    year_or_round: int | RoundDTO,
    *,
    unit_id: int | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> bytes:
    """One of :data:`REPORTS` as PDF bytes in memory (the preview)."""
    r = _report(report)
    d = r.gather(year_or_round, unit_id)
    data, _pages = r.pdf(d, progress=progress, cancelled=cancelled)
    return data
