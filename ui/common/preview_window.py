"""The PDF preview window every section opens (non-modal, reused): a report built on the
job worker (:class:`PreviewHost`), its pages with print / save / open buttons
(:class:`PdfPreview`) and the report's notes above them (names the font cannot print,
people left out)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from reports.common.files import safe_part
from ui import jobs
from ui.common.pdf_preview import PdfPreview

__all__ = ["PdfOutput", "PreviewDialog", "PreviewHost"]


def _tr(text: str) -> str:
    return QCoreApplication.translate("TrainingPrint", text)


@dataclass(frozen=True)
class PdfOutput:
    """A whole PDF in memory with what the report function said about it."""

    data: bytes
    result: Any  # what the report returned; its ``warnings`` are shown above the pages


class PreviewDialog(QDialog):
    """A non-modal window around :class:`PdfPreview`, with the report's notes (names the
    font cannot print, trainees left without a certificate) above the pages."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kit_preview_dialog")
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.preview = PdfPreview(self)
        self.notes = QLabel()
        self.notes.setObjectName("kit_preview_notes")
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes.setStyleSheet(
            "background:#fef3c7; color:#78350f; padding:6px; border:1px solid #f59e0b;"
        )
        self.notes.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_tr("关闭"))
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notes)
        layout.addWidget(self.preview, 1)
        layout.addWidget(buttons)
        self.resize(1100, 800)

    def show_pdf(self, output: PdfOutput, file_name: str, title: str) -> None:
        self.setWindowTitle(title)
        notes = output.result.warnings
        self.notes.setText(_tr("请注意：") + "\n" + "\n".join(f"· {w}" for w in notes))
        self.notes.setVisible(bool(notes))
        self.preview.set_pdf(output.data, file_name)
        self.show()
        self.raise_()
        self.activateWindow()
        self.preview.view.setFocus()  # the pages scroll with the keys, not a zoom button


class PreviewHost(QObject):
    """Runs a PDF builder on the job worker and shows its bytes in one reused preview
    window. ``dialog`` is None until the first preview; ``job`` is the last job started."""

    def __init__(self, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self.parent_widget = parent_widget
        self.dialog: PreviewDialog | None = None
        self.job: jobs.Job | None = None

    def _show(self, output: PdfOutput, file_name: str, title: str) -> None:
        if self.dialog is None:
            self.dialog = PreviewDialog(self.parent_widget)
        self.dialog.show_pdf(output, file_name, title)

    def run(
        self, fn: Callable[..., PdfOutput], *args: Any, what: str, file_stem: str, **kwargs: Any
    ) -> jobs.Job:
        """Build ``fn(*args, **kwargs)`` in the background; DomainErrors (the services'
        refusals) are shown with their own Chinese message."""
        name = f"{safe_part(file_stem)}.pdf"
        title = _tr("{what}预览 — {name}").format(what=what, name=name)
        self.job = jobs.runner().run(
            fn, *args, title=_tr("生成{what}").format(what=what),
            parent_widget=self.parent_widget,
            on_success=lambda out: self._show(out, name, title), **kwargs,
        )  # fmt: skip
        return self.job
