"""Background work of the roster import wizard (ui.roster.importing.wizard): reading, planning and
importing on the worker, and export_cadre_lrmx (write one cadre as a 任免审批表 file).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QWidget,
)

from models.core.errors import DomainError
from models.roster import importing as roster_import
from models.roster import intake
from models.roster.importing import ImportPlan, ImportResult
from models.roster.intake import IntakeResult
from ui import messages
from ui.settings import settings


def _tr(text: str) -> str:
    return QCoreApplication.translate("ImportWizard", text)


# --------------------------------------------------------------------------- jobs


def read_source(
    path: Path,
    mapping: Mapping[str, str | None],
    recursive: bool,
    *,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> IntakeResult:
    """Worker: read the file or folder."""
    return intake.read_path(
        path, mapping=dict(mapping), recursive=recursive, progress=progress, cancelled=cancelled
    )


def plan_source(
    result: IntakeResult,
    on_duplicate: str,
    default_unit: str | None,
    *,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportPlan:
    """Worker: what importing would do (reads the database, writes nothing)."""
    return roster_import.plan_import(
        result,
        on_duplicate=on_duplicate,
        default_unit=default_unit,
        progress=progress,
        cancelled=cancelled,
    )


def import_source(
    result: IntakeResult,
    on_duplicate: str,
    default_unit: str | None,
    *,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportResult:
    """Worker: plan again and write everything in one transaction, or nothing."""
    return roster_import.import_rows(
        result,
        on_duplicate=on_duplicate,
        default_unit=default_unit,
        progress=progress,
        cancelled=cancelled,
    )


# --------------------------------------------------------------------------- export


def export_cadre_lrmx(parent: QWidget, cadre_id: int) -> Path | None:
    """Ask where to save and write the cadre as a 任免审批表 file (suggested ``姓名.lrmx``);
    the path written, or None when cancelled or refused (the reason was shown)."""
    title = _tr("导出失败")
    try:
        record = roster_import.lrmx_record(cadre_id)
        data = intake.write_lrmx(record)
    except DomainError as e:
        messages.error(parent, str(e), title)
        return None
    s = settings()
    folder = Path(s.last_export_dir) if s.last_export_dir else Path.home()
    name = str(record.get("name") or cadre_id)
    dest = messages.save_file(
        parent, _tr("导出任免审批表"), folder / f"{name}.lrmx", _tr("任免审批表 (*.lrmx)")
    )
    if dest is None:
        return None
    if dest.suffix.lower() != ".lrmx":
        dest = dest.with_name(dest.name + ".lrmx")
    try:
        dest.write_bytes(data)
    except OSError as e:
        why = e.strerror or str(e)
        messages.error(parent, _tr("无法写入“{path}”：{why}").format(path=dest, why=why), title)
        return None
    s.last_export_dir = str(dest.parent)
    return dest
