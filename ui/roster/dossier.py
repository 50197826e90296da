"""一人一档 from the roster: the button and its menu. One cadre's dossier opens in the PDF
preview (to print, save or open); the selected cadres, or everybody the list shows (a unit
chosen in the tree), are written one PDF each into a folder in the background, with progress
and cancel (a cancelled batch leaves no file)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QMenu, QPushButton, QWidget

from models.core.progress import IsCancelled, Progress
from models.roster import get_cadre
from ui import jobs, messages
from ui.common import last_export_folder, run_export
from ui.settings import settings

__all__ = ["DossierPrinter", "dossier_output"]


def _tr(text: str) -> str:
    return QCoreApplication.translate("Dossier", text)


@dataclass(frozen=True)
class DossierResult:
    pages: int
    warnings: tuple[str, ...]


def dossier_output(
    cadre_id: int, *, progress: Progress | None = None, cancelled: IsCancelled | None = None
) -> Any:
    """One cadre's 一人一档 in memory (on the job worker), with the font's notes: a
    :class:`ui.common.preview_window.PdfOutput`."""
    # lazy: reportlab and the reports load on the first dossier, not with the roster
    from reports.common.pdf_base import font_warnings
    from reports.dossiers import dossier_data, dossier_pdf  # lazy: as above
    from ui.common.preview_window import PdfOutput  # lazy: QtPdf with the preview

    d = dossier_data(cadre_id)
    data, pages = dossier_pdf(d)
    texts = [("姓名", d.cadre.name), ("简历", str(d.record.get("resume") or ""))]
    return PdfOutput(data, DossierResult(pages, tuple(font_warnings(texts))))


class DossierPrinter(QObject):
    """The 一人一档 button of the roster. ``selected`` gives the selected cadres (the current
    one when none is selected), ``listed`` everybody the list shows, when an action is
    taken."""

    def __init__(
        self,
        parent_widget: QWidget,
        selected: Callable[[], list[int]],
        listed: Callable[[], list[int]],
    ) -> None:
        super().__init__(parent_widget)
        self.parent_widget = parent_widget
        self.selected = selected
        self.listed = listed
        self.host: Any = None  # the preview window's host, made on the first preview
        self.job: jobs.Job | None = None
        self.button = QPushButton(_tr("一人一档(&A)"))
        self.button.setObjectName("dossier_button")
        self.button.setToolTip(
            _tr("干部的基本信息、学习培训、年度考核、反馈与指导、处分合成一个带书签的 PDF")
        )
        menu = QMenu(self.button)
        menu.setObjectName("dossier_menu")
        self.selected_action = menu.addAction(_tr("所选干部…"))
        self.selected_action.setObjectName("dossier_selected")
        self.selected_action.triggered.connect(lambda _c=False: self.print_selected())
        self.listed_action = menu.addAction(_tr("当前列表的全部干部（每人一个文件）…"))
        self.listed_action.setObjectName("dossier_listed")
        self.listed_action.triggered.connect(lambda _c=False: self.print_listed())
        self.button.setMenu(menu)

    def print_selected(self) -> jobs.Job | None:
        """One selected cadre: preview. Several: one file each into a folder."""
        ids = self.selected()
        if not ids:
            return None
        if len(ids) > 1:
            return self.write_folder(ids)
        # lazy: QtPdf and reportlab load with the first preview
        from reports.common.files import safe_part
        from ui.common.preview_window import PreviewHost  # lazy: as above

        if self.host is None:
            self.host = PreviewHost(self.parent_widget)
        c = get_cadre(ids[0])
        stem = f"{safe_part(c.unit_name)}_{safe_part(c.name)}_一人一档"
        self.job = self.host.run(dossier_output, ids[0], what=_tr("一人一档"), file_stem=stem)
        return self.job

    def print_listed(self) -> jobs.Job | None:
        ids = self.listed()
        if not ids:
            messages.info(self.parent_widget, _tr("一人一档"), _tr("当前列表没有干部。"))
            return None
        return self.write_folder(ids)

    def write_folder(self, ids: list[int]) -> jobs.Job | None:
        folder = messages.open_folder(
            self.parent_widget,
            _tr("把 {n} 名干部的一人一档保存到文件夹").format(n=len(ids)),
            last_export_folder(),
        )
        if folder is None:
            return None
        settings().last_export_dir = str(folder)
        from reports.dossiers import write_dossiers  # lazy: reportlab with the first dossier

        self.job = run_export(
            self.parent_widget,
            folder,
            partial(write_dossiers, ids),
            job_title=_tr("生成一人一档"),
            done=lambda dest, paths: _tr("已生成 {n} 名干部的一人一档，保存在 {folder}").format(
                n=len(paths), folder=dest
            ),
            done_title=_tr("一人一档"),
        )
        return self.job
