"""A PDF preview built from bytes in memory (QtPdf), with zoom, print, save and "open in the
system viewer".

Qt has no call that sends a PDF to a printer: :func:`print_document` renders each page with
``QPdfDocument.render`` at the printer's resolution (capped at :data:`MAX_PRINT_DPI`) and paints
it onto the paper (TECH-NOTES 5.3.2). The print dialog is opened through
``messages.choose_printer`` so tests can replace it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QRectF,
    QSize,
    QStandardPaths,
    Qt,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import QDesktopServices, QPageLayout, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from models.core.errors import DomainError
from reports.common.files import write_atomic
from ui import messages
from ui.common.export import ask_save_path

log = logging.getLogger(__name__)

MAX_PRINT_DPI = 300  # a form page at 300 dpi is ~35 MB while painted; text prints sharp
ZOOM_STEP = 1.25

#: Opens a URL with the desktop's handler; replaced in tests.
open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl


def _tr(text: str) -> str:
    return QCoreApplication.translate("PdfPreview", text)


def print_document(
    document: QPdfDocument,
    printer: QPrinter,
    *,
    max_dpi: int = MAX_PRINT_DPI,
    progress: Callable[[int, int], bool] | None = None,
) -> int:
    """Paint every page of ``document`` onto ``printer``; returns the pages printed.

    Each page is rendered at min(printer resolution, ``max_dpi``) and scaled onto the whole
    sheet of paper (the PDF carries its own margins). ``progress(done, total)`` may return
    False to stop early. Raises DomainError when the printer cannot start."""
    total = document.pageCount()
    if total <= 0:
        raise DomainError(_tr("没有可打印的内容：请先预览"))
    first = document.pagePointSize(0)
    printer.setFullPage(True)
    printer.setPageOrientation(
        QPageLayout.Orientation.Landscape
        if first.width() > first.height()
        else QPageLayout.Orientation.Portrait
    )
    painter = QPainter()
    if not painter.begin(printer):
        raise DomainError(_tr("无法开始打印：打印机不可用或输出文件无法写入"))
    printed = 0
    try:
        dpi = max(72, min(printer.resolution(), max_dpi))
        for i in range(total):
            if progress is not None and progress(i, total) is False:
                break
            if i and not printer.newPage():
                raise DomainError(_tr("打印第 {n} 页时打印机出错").format(n=i + 1))
            pts = document.pagePointSize(i)
            size = QSize(round(pts.width() / 72 * dpi), round(pts.height() / 72 * dpi))
            image = document.render(i, size)
            paper = QRectF(printer.paperRect(QPrinter.Unit.DevicePixel))
            paper.moveTo(0, 0)
            scale = min(paper.width() / size.width(), paper.height() / size.height())
            w, h = size.width() * scale, size.height() * scale
            x, y = (paper.width() - w) / 2, (paper.height() - h) / 2
            target = QRectF(x, y, w, h)
            painter.drawImage(target, image)
            printed += 1
    finally:
        painter.end()
    return printed


class PdfPreview(QWidget):
    """Shows one PDF held in memory; 放大/缩小/适合宽度, 打印, 保存, 用系统查看器打开."""

    loaded = Signal(int)  # page count, once the document is ready

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pdf_preview")
        self.data = b""
        self.file_name = "预览.pdf"
        self._bytes = QByteArray()
        self._buffer: QBuffer | None = None  # must outlive the document's use of it
        self.document = QPdfDocument(self)
        self.document.statusChanged.connect(self._status_changed)
        self.view = QPdfView(self)
        self.view.setObjectName("pdf_view")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        def button(name: str, text: str, slot: Callable[[], object]) -> QPushButton:
            b = QPushButton(text)
            b.setObjectName(name)
            b.clicked.connect(slot)
            return b

        self.zoom_out_button = button("zoom_out", _tr("缩小"), self.zoom_out)
        self.zoom_in_button = button("zoom_in", _tr("放大"), self.zoom_in)
        self.fit_button = button("fit_width", _tr("适合宽度"), self.fit_width)
        self.print_button = button("print_pdf", _tr("打印…"), lambda: self.print_pdf())
        self.save_button = button("save_pdf", _tr("保存…"), self.save_pdf)
        self.open_button = button("open_external", _tr("用系统查看器打开"), self.open_external)
        self.info = QLabel(_tr("尚未预览"))
        self.info.setObjectName("preview_info")
        # a long file name wraps instead of widening the window past the screen
        self.info.setWordWrap(True)
        self.info.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 12)
        bar = QHBoxLayout()
        for b in (self.zoom_out_button, self.zoom_in_button, self.fit_button):
            bar.addWidget(b)
        bar.addWidget(self.info, 1)
        for b in (self.print_button, self.save_button, self.open_button):
            bar.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self._enable(False)

    # -- contents ---------------------------------------------------------------------------

    def _enable(self, on: bool) -> None:
        for b in (self.zoom_out_button, self.zoom_in_button, self.fit_button, self.print_button,
                  self.save_button, self.open_button):  # fmt: skip
            b.setEnabled(on)

    def set_pdf(self, data: bytes, file_name: str = "预览.pdf") -> None:
        """Show ``data`` (a whole PDF); ``file_name`` is suggested when saving."""
        self.document.close()
        old = self._buffer
        self.data = bytes(data)
        self.file_name = file_name
        self._bytes = QByteArray(self.data)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        if old is not None:
            old.close()
            old.deleteLater()
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def clear(self) -> None:
        self.document.close()
        self.data = b""
        self.info.setText(_tr("尚未预览"))
        self._enable(False)

    def page_count(self) -> int:
        return self.document.pageCount()

    @Slot(QPdfDocument.Status)
    def _status_changed(self, status: QPdfDocument.Status) -> None:
        if status == QPdfDocument.Status.Ready:
            n = self.document.pageCount()
            self.info.setText(_tr("{name}，共 {n} 页").format(name=self.file_name, n=n))
            self._enable(n > 0)
            self.loaded.emit(n)
        elif status == QPdfDocument.Status.Error:
            log.error("PDF preview failed to load: %s", self.document.error())
            self.info.setText(_tr("无法显示此 PDF"))
            self._enable(False)

    # -- zoom -------------------------------------------------------------------------------

    def _zoom_by(self, factor: float) -> None:
        current = self.view.zoomFactor()
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.2, min(6.0, current * factor)))

    @Slot()
    def zoom_in(self) -> None:
        self._zoom_by(ZOOM_STEP)

    @Slot()
    def zoom_out(self) -> None:
        self._zoom_by(1 / ZOOM_STEP)

    @Slot()
    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    # -- output -----------------------------------------------------------------------------

    def print_pdf(self, printer: QPrinter | None = None) -> int:
        """Ask for a printer (system dialog) and print every page; returns pages printed."""
        if not self.data or self.page_count() <= 0:
            messages.error(self, _tr("没有可打印的内容：请先预览"))
            return 0
        printer = printer or QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(Path(self.file_name).stem)
        if not messages.choose_printer(self, printer):
            return 0
        try:
            return print_document(self.document, printer)
        except DomainError as exc:
            messages.error(self, str(exc), _tr("打印"))
            return 0

    @Slot()
    def save_pdf(self) -> Path | None:
        if not self.data:
            return None
        dest = ask_save_path(
            self, _tr("保存 PDF"), Path(self.file_name), "PDF (*.pdf)", suffixes=(".pdf",)
        )
        if dest is None:
            return None
        try:
            write_atomic(dest, self.data, "PDF")
        except DomainError as exc:
            messages.error(self, str(exc), _tr("保存 PDF"))
            return None
        return dest

    @Slot()
    def open_external(self) -> Path | None:
        """Save a temporary copy and hand it to the system's PDF viewer."""
        if not self.data:
            return None
        base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.TempLocation)
        folder = Path(base) / "CadreDesk"
        path = folder / Path(self.file_name).name
        try:
            folder.mkdir(parents=True, exist_ok=True)
            write_atomic(path, self.data, "PDF")
        except (OSError, DomainError) as exc:
            messages.error(self, _tr("无法写入临时文件：{e}").format(e=exc))
            return None
        if not open_url(QUrl.fromLocalFile(str(path))):
            messages.error(
                self, _tr("没有找到能打开 PDF 的程序。文件已保存在：{path}").format(path=path)
            )
        return path

    def keyPressEvent(self, event) -> None:  # noqa: ANN001 - Qt override
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if event.key() in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
                self.zoom_in()
                return
            if event.key() == Qt.Key.Key_Minus:
                self.zoom_out()
                return
        super().keyPressEvent(event)
