"""The export flow every screen shares: ask where to save, write the file on the worker with
progress and 取消 (ui.jobs), then say what happened.

:func:`export_file` is the whole flow for one file. A screen that asks differently (a folder
for one file per person) asks itself and calls :func:`run_export`; a screen that writes at
once, without a job, uses :func:`ask_save_path` alone. A refusal (DomainError) is shown as
the service words it; a file that cannot be written, or any other failure, gets a Chinese
message and the traceback goes to the log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from models.core.errors import DomainError
from ui import jobs, messages
from ui.settings import settings

log = logging.getLogger(__name__)

T = TypeVar("T")


def _tr(text: str) -> str:
    return QCoreApplication.translate("export", text)


def last_export_folder(default: Path | None = None) -> Path:
    """The folder the user last exported to; ``default`` (the home folder) before that."""
    last = settings().last_export_dir
    if last:
        return Path(last)
    return default if default is not None else Path.home()


def ask_save_path(
    parent: QWidget | None,
    title: str,
    suggested: Path,
    filters: str,
    *,
    suffixes: Sequence[str] = (".xlsx",),
    remember_folder: bool = False,
) -> Path | None:
    """The file to write, or None when the user cancels. A name that ends in none of
    ``suffixes`` gets the first one added (``名册`` → ``名册.xlsx``, ``名册.v2`` →
    ``名册.v2.xlsx``). ``remember_folder``: the chosen folder becomes the last export
    folder (:func:`last_export_folder`)."""
    dest = messages.save_file(parent, title, suggested, filters)
    if dest is None:
        return None
    if dest.suffix.lower() not in suffixes:
        dest = dest.with_name(dest.name + suffixes[0])
    if remember_folder:
        settings().last_export_dir = str(dest.parent)
    return dest


def run_export(
    parent: QWidget | None,
    dest: Path,
    write: Callable[..., T],
    *,
    job_title: str,
    done: Callable[[Path, T], str],
    done_title: str | None = None,
    on_cancelled: Callable[[], None] | None = None,
) -> jobs.Job:
    """Run ``write(dest, progress=..., cancelled=...)`` on the worker; on success show
    ``done(dest, result)`` under ``done_title`` (已导出), on failure why. ``job_title`` names
    the work in the progress window and in the failure message."""

    def succeeded(result: Any) -> None:
        messages.info(parent, done_title or _tr("已导出"), done(dest, result))

    def failed(exc: BaseException) -> None:
        if isinstance(exc, DomainError):
            messages.error(parent, str(exc), job_title)
        elif (busy := jobs.busy_database_message(exc, job_title)) is not None:
            log.warning("%s: %s", job_title, exc)
            messages.error(parent, busy, job_title)
        elif isinstance(exc, OSError):
            log.warning("%s: writing %s failed", job_title, dest, exc_info=exc)
            messages.error(
                parent,
                _tr(
                    "无法写入“{path}”：请确认文件没有被其他程序（如 Excel）打开，并且文件夹可以写入"
                ).format(path=dest),
                job_title,
            )
        else:
            log.error("%s failed", job_title, exc_info=exc)
            messages.critical(
                parent,
                _tr("“{title}”没有完成：程序出错，详情已记入日志").format(title=job_title),
            )

    return jobs.runner().run(
        write, dest, title=job_title, parent_widget=parent,
        on_success=succeeded, on_failure=failed, on_cancelled=on_cancelled,
    )  # fmt: skip


def export_file(
    parent: QWidget | None,
    *,
    title: str,
    suggested: Path,
    filters: str,
    write: Callable[..., T],
    done: Callable[[Path, T], str],
    job_title: str | None = None,
    done_title: str | None = None,
    suffixes: Sequence[str] = (".xlsx",),
    remember_folder: bool = False,
) -> jobs.Job | None:
    """Ask for a file (:func:`ask_save_path`: the dialog's ``title``, the ``suggested``
    path, ``filters``, ``suffixes``, ``remember_folder``), then :func:`run_export` it
    (``job_title`` defaults to ``title``). The job, or None when the user cancelled the
    dialog."""
    dest = ask_save_path(
        parent, title, suggested, filters, suffixes=suffixes, remember_folder=remember_folder
    )
    if dest is None:
        return None
    return run_export(
        parent, dest, write, job_title=job_title or title, done=done, done_title=done_title
    )
