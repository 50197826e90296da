"""The one place that opens message boxes and file/input dialogs.

Screens call these functions; tests monkeypatch them (``monkeypatch.setattr(messages,
"ask_yes_no", lambda *a, **k: True)``) so no real modal dialog ever opens in a test.
Callers must reach them as ``messages.xxx(...)`` (not ``from ui.messages import xxx``) so a
patch takes effect.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QWidget,
)

from models.core.errors import FieldIssue
from ui.settings import settings


def _tr(text: str) -> str:
    return QCoreApplication.translate("messages", text)


def info(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def error(parent: QWidget | None, text: str, title: str | None = None) -> None:
    QMessageBox.warning(parent, title or _tr("无法完成"), text)


def conflict_box(parent: QWidget | None, text: str) -> QMessageBox:
    """The message box :func:`conflict` shows (not yet shown)."""
    box = QMessageBox(QMessageBox.Icon.Warning, _tr("数据已被他人修改"), text, parent=parent)
    box.setObjectName("conflict_message")
    box.setInformativeText(_tr("您的这次修改没有保存。屏幕上已是最新数据，请核对后重新修改。"))
    return box


def conflict(parent: QWidget | None, text: str) -> None:
    """Someone else changed what this screen showed (a ConflictError's message, which says
    who, when and what it is now); the screen re-reads its data (before or after this)."""
    conflict_box(parent, text).exec()


def critical(parent: QWidget | None, text: str, details: str = "") -> None:
    box = QMessageBox(QMessageBox.Icon.Critical, _tr("程序错误"), text, parent=parent)
    if details:
        box.setDetailedText(details)
    box.exec()


def ask_yes_no(parent: QWidget | None, title: str, text: str) -> bool:
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def confirm_warnings(parent: QWidget | None, record: str, issues: Sequence[FieldIssue]) -> bool:
    """Ask whether to save although ``issues`` (warnings) remain. True means save."""
    lines = "\n".join(f"· {i.label}：{i.message}" for i in issues)
    text = _tr("“{record}”有以下需要核对的地方：\n\n{lines}\n\n确认无误并保存吗？").format(
        record=record, lines=lines
    )
    return ask_yes_no(parent, _tr("请核对"), text)


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    """A line of text, or None when the user cancels."""
    value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
    return value if ok else None


def save_file(parent: QWidget | None, title: str, suggested: Path, filters: str) -> Path | None:
    """A path to write to, or None when the user cancels."""
    return file_dialog(parent, title, suggested, filters, save=True)


def open_file(parent: QWidget | None, title: str, folder: Path, filters: str) -> Path | None:
    """An existing file to read, or None when the user cancels."""
    return file_dialog(parent, title, folder, filters)


def open_folder(parent: QWidget | None, title: str, folder: Path) -> Path | None:
    """An existing folder, or None when the user cancels."""
    return file_dialog(parent, title, folder, "", folders=True)


def _kind_of(filters: str, folders: bool) -> str:
    """What a dialog is for, to remember its folder: the first suffix its filters name
    (pdf, xlsx, lrmx…), or folder."""
    if folders:
        return "folder"
    match = re.search(r"\*\.(\w+)", filters)
    return match.group(1).lower() if match else "file"


def start_folder(kind: str) -> Path:
    """Where a dialog for ``kind`` opens when the caller gives no folder: the one last used
    for that kind of file, else the user's documents folder (not the program's folder)."""
    last = settings().last_folder(kind)
    if last and Path(last).is_dir():
        return Path(last)
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if docs and Path(docs).is_dir():
        return Path(docs)
    return Path.home()


def file_dialog(
    parent: QWidget | None,
    title: str,
    start: Path,
    filters: str,
    *,
    save: bool = False,
    folders: bool = False,
) -> Path | None:
    """Qt's file dialog (its labels in Chinese: ui.app.install_translators), opening where
    the caller says or, for a bare file name, where this kind of file was last saved or
    opened (not in the program's folder); the folder chosen is remembered."""
    kind = _kind_of(filters, folders)
    start = Path(start)
    if not start.is_absolute():  # a suggested name only, or nothing
        start = start_folder(kind) / start if str(start) not in ("", ".") else start_folder(kind)
    if folders:
        name = QFileDialog.getExistingDirectory(parent, title, str(start))
    elif save:
        name, _ = QFileDialog.getSaveFileName(parent, title, str(start), filters)
    else:
        name, _ = QFileDialog.getOpenFileName(parent, title, str(start), filters)
    if not name:
        return None
    path = Path(name)
    settings().set_last_folder(kind, str(path if folders else path.parent))
    return path


def choose_item(
    parent: QWidget | None, title: str, label: str, items: Sequence[str], current: int = 0
) -> int | None:
    """The index of the item the user picked from ``items``, or None when they cancel."""
    if not items:
        return None
    text, ok = QInputDialog.getItem(parent, title, label, list(items), current, False)
    if not ok or text not in items:
        return None
    return list(items).index(text)


def ask_serial(
    parent: QWidget | None, title: str, label: str, prefix: str, first: int = 1
) -> tuple[str, int] | None:
    """A serial-number prefix and first number (e.g. 结业证书编号), or None when cancelled."""
    dialog = QDialog(parent)
    dialog.setObjectName("ask_serial")
    dialog.setWindowTitle(title)
    form = QFormLayout(dialog)
    form.addRow(QLabel(label))
    edit = QLineEdit(prefix)
    edit.setMinimumWidth(260)
    number = QSpinBox()
    number.setRange(1, 99_999_999)
    number.setValue(max(1, first))
    form.addRow(_tr("编号前缀"), edit)
    form.addRow(_tr("起始编号"), number)
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return edit.text().strip(), number.value()


def choose_printer(parent: QWidget | None, printer: object) -> bool:
    """The system print dialog for ``printer`` (a QPrinter it configures); True means print."""
    # lazy: QtPrintSupport loads the print stack; only printing needs it
    from PySide6.QtPrintSupport import QPrintDialog

    dialog = QPrintDialog(printer, parent)  # type: ignore[arg-type]
    dialog.setWindowTitle(_tr("打印"))
    return dialog.exec() == QPrintDialog.DialogCode.Accepted


def issues(parent: QWidget | None, title: str, text: str, lines: Sequence[str]) -> None:
    """A list of problems (one per line, e.g. row, column and reason of an import): the
    first 20 shown, all of them under 显示详细信息."""
    shown = "\n".join(lines[:20])
    if len(lines) > 20:
        shown += "\n" + _tr("……另有 {n} 条，见详细信息").format(n=len(lines) - 20)
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    box.setInformativeText(shown)
    if len(lines) > 20:
        box.setDetailedText("\n".join(lines))
    box.exec()
