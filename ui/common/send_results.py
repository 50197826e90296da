"""发送学时到组织部: after 结业 the 党校 writes the class's results (trainees, attendance, the
学时 its 结业 credited) into an exchange package (models.exchange) for the 组织部 to receive,
in the background; the office's own name must be set first (数据交换)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from ui import jobs, messages
from ui.common.export import last_export_folder, run_export

__all__ = ["send_class_results"]


def _tr(text: str) -> str:
    return QCoreApplication.translate("SendResults", text)


def send_class_results(parent: QWidget, class_id: int, class_name: str) -> jobs.Job | None:
    """Ask where to save ``班次名_学时.cdx`` and write the package; None when cancelled."""
    from models import exchange as ex  # lazy: the exchange loads when first used

    if not ex.office_name():
        messages.error(
            parent,
            _tr("请先在“数据交换”中设置本单位名称（对方据此知道交换包从哪里来）"),
            _tr("发送学时到组织部"),
        )
        return None
    dest = messages.save_file(
        parent,
        _tr("发送学时到组织部"),
        last_export_folder() / f"{class_name}_学时.cdx",
        _tr("交换包 (*.cdx)"),
    )
    if dest is None:
        return None

    def work(path: Path, **_progress: object) -> Any:
        return ex.export_class(class_id, path)

    return run_export(
        parent,
        dest,
        work,
        job_title=_tr("发送学时到组织部"),
        done=lambda d, r: _tr(
            "已生成交换包 {p}：{t}，共 {n} 条记录。请把它交给组织部接收。"
        ).format(p=d, t=r.manifest.title, n=sum(r.manifest.rows.values())),
        done_title=_tr("发送学时到组织部"),
    )
