"""What the 干部名册 screen exports: the list as shown (filter and order) to an xlsx file, and
任免审批表 (.lrmx) files: one cadre to a file the user names, several to a folder (one file
each). The xlsx and the folder are written on the worker with progress and 取消; one .lrmx
is small and written at once. The 任免审批表 carry the 年度考核结果 of the stored grades
(models.assessment), which the roster's export takes as a parameter."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from models.core.errors import DomainError, os_error_text
from models.core.progress import IsCancelled, Progress
from models.roster import service as roster
from ui import jobs, messages
from ui.common import ask_save_path, export_file, last_export_folder, run_export
from ui.settings import settings


def _tr(text: str) -> str:
    return QCoreApplication.translate("RosterView", text)


def annual_results(ids: Sequence[int]) -> Mapping[int, str]:
    """The 年度考核结果 text of each cadre from the stored grades (models.assessment)."""
    # lazy: the assessment results load on the first 任免审批表 export, not at start-up
    from models.assessment.results import annual_results_text

    return annual_results_text(ids)


def recent_results(ids: Sequence[int]) -> Mapping[int, str]:
    """'2023 称职，2024 优秀，2025 称职' per cadre: the approved 年度考核 results of the last
    three years, for the roster's 近三年考核 column (models.assessment)."""
    # lazy: the assessment results load when the roster first shows a block of rows
    from models.assessment.results import short_results

    return short_results(ids)


def write_roster_xlsx(
    dest: Path,
    ids: Sequence[int],
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> int:
    """Write the cadres ``ids`` (the roster as shown, in that order) to ``dest``; runs on
    the worker thread. Returns the number of rows written."""
    # lazy: openpyxl costs about 0.15 s, paid on the first export rather than at start-up
    from reports.roster import export_roster_xlsx

    return export_roster_xlsx(
        roster.iter_cadres(ids), dest, total=len(ids), progress=progress, cancelled=cancelled
    )


def export_roster(parent: QWidget, ids: Sequence[int]) -> jobs.Job | None:
    """导出 Excel: ask for a file (in the last export folder) and write the cadres ``ids``."""
    return export_file(
        parent,
        title=_tr("导出干部名册"),
        suggested=last_export_folder() / _tr("干部名册.xlsx"),
        filters=_tr("Excel 工作簿 (*.xlsx)"),
        remember_folder=True,
        write=partial(write_roster_xlsx, ids=list(ids)),
        done=lambda dest, n: _tr("已导出 {n} 人到\n{path}").format(n=n, path=dest),
        done_title=_tr("导出完成"),
    )


def export_lrmx_file(parent: QWidget, cadre_id: int) -> Path | None:
    """Ask where to save and write the cadre as a 任免审批表 file (suggested ``姓名.lrmx``);
    the path written, or None when cancelled or refused (the reason was shown)."""
    # lazy: the 任免审批表 writer (models.roster.importing, the intake) loads on first use
    from models.roster.importing import lrmx_document

    title = _tr("导出失败")
    try:
        name, data = lrmx_document(cadre_id, annual_results=annual_results)
    except DomainError as e:
        messages.error(parent, str(e), title)
        return None
    dest = ask_save_path(
        parent,
        _tr("导出任免审批表"),
        last_export_folder() / f"{name}.lrmx",
        _tr("任免审批表 (*.lrmx)"),
        suffixes=(".lrmx",),
    )
    if dest is None:
        return None
    try:
        dest.write_bytes(data)
    except OSError as e:
        e.filename = None  # the path is named once, below
        why = os_error_text(e)
        messages.error(parent, _tr("无法写入“{path}”：{why}").format(path=dest, why=why), title)
        return None
    settings().last_export_dir = str(dest.parent)
    return dest


def export_lrmx_folder(parent: QWidget, ids: Sequence[int]) -> jobs.Job | None:
    """Ask for a folder and write one 任免审批表 file per cadre there, in the background."""
    folder = messages.open_folder(
        parent,
        _tr("把 {n} 名干部的任免审批表导出到文件夹").format(n=len(ids)),
        last_export_folder(),
    )
    if folder is None:
        return None
    settings().last_export_dir = str(folder)
    # lazy: the 任免审批表 writer (models.roster.importing, the intake) loads on first use
    from models.roster.importing import write_lrmx_files

    return run_export(
        parent,
        folder,
        partial(write_lrmx_files, list(ids), annual_results=annual_results),
        job_title=_tr("导出任免审批表"),
        done=lambda dest, paths: _tr("已导出 {n} 份任免审批表到 {folder}").format(
            n=len(paths), folder=dest
        ),
    )
