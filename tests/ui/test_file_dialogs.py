"""File dialogs speak Chinese (Qt 6's catalogue lacks its file dialog's "&Look in:" and
"Files of &type:"), open where that kind of file was last used rather than in the program
folder, and remember the folder chosen. (The dialogs themselves are driven in the
screenshot script tests/ui/screenshots/file_dialog.py: a modal file dialog closed under
pytest's output capture can hang on its own file-system thread.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtWidgets import QFileDialog

from resources import resource_path
from ui import messages
from ui.settings import settings

pytestmark = pytest.mark.ui


def test_the_file_dialog_labels_are_translated(qapp) -> None:  # noqa: ANN001
    from ui.app import create_app

    create_app()
    tr = QCoreApplication.translate
    assert tr("QFileDialog", "&Look in:") == "查找范围(&L)："
    assert tr("QFileDialog", "Files of &type:") == "文件类型(&T)："
    assert tr("QFileDialog", "File &name:") == "文件名(&N)："
    assert tr("QFileDialog", "&Open") == "打开(&O)"  # Qt's own catalogue, still loaded
    assert tr("QFileDialog", "&Save") == "保存(&S)"


def test_the_compiled_catalogue_is_the_one_its_source_gives(tmp_path: Path) -> None:
    source = resource_path("translations", "cadredesk_qt_zh_CN.ts")
    built = tmp_path / "built.qm"
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    subprocess.run([str(lrelease), "-silent", str(source), "-qm", str(built)], check=True)
    assert built.read_bytes() == resource_path("translations", "cadredesk_qt_zh_CN.qm").read_bytes()


def test_dialogs_open_where_that_kind_of_file_was_last_used(monkeypatch, tmp_path) -> None:  # noqa: ANN001
    asked: list[tuple[str, str]] = []
    chosen = tmp_path / "交回的打分表" / "市委组织部.xlsx"
    chosen.parent.mkdir()

    def dialog(_parent, title, start, _filters):  # noqa: ANN001, ANN202
        asked.append((title, start))
        return str(chosen), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", dialog)
    docs = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))
    docs.mkdir(parents=True, exist_ok=True)
    # nothing chosen before: the documents folder, not the program's
    assert messages.open_file(None, "选择打分表", Path(""), "Excel (*.xlsx)") == chosen
    assert asked[-1] == ("选择打分表", str(docs))
    assert settings().last_folder("xlsx") == str(chosen.parent)
    # the same kind again: where it was last opened; a folder given by the caller wins
    messages.open_file(None, "选择打分表", Path(""), "Excel (*.xlsx)")
    assert asked[-1][1] == str(chosen.parent)
    messages.open_file(None, "选择打分表", tmp_path, "Excel (*.xlsx)")
    assert asked[-1][1] == str(tmp_path)
    # another kind of file keeps its own folder
    messages.open_file(None, "选择字体", Path(""), "TrueType 字体 (*.ttf *.ttc)")
    assert asked[-1][1] == str(docs)


def test_a_suggested_name_is_saved_in_the_last_folder_of_its_kind(monkeypatch, tmp_path) -> None:  # noqa: ANN001
    settings().set_last_folder("pdf", str(tmp_path))
    asked: list[str] = []

    def dialog(_parent, _title, start, _filters):  # noqa: ANN001, ANN202
        asked.append(start)
        return start, ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    # what messages.save_file does (stubbed in the GUI tests so no dialog opens by mistake)
    got = messages.file_dialog(None, "保存", Path("汇总表.pdf"), "PDF (*.pdf)", save=True)
    assert asked == [str(tmp_path / "汇总表.pdf")]
    assert got == tmp_path / "汇总表.pdf"


@pytest.mark.parametrize(
    ("env", "after"),
    [
        ({}, "zh_CN.UTF-8"),
        ({"LANG": "C"}, "zh_CN.UTF-8"),
        ({"LANG": "en_US.UTF-8"}, "zh_CN.UTF-8"),
        ({"LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"}, "zh_CN.UTF-8"),
        ({"LANG": "zh_CN.UTF-8"}, None),  # a Chinese desktop is left as it is
        ({"LC_ALL": "zh_TW.UTF-8"}, "zh_TW.UTF-8"),
    ],
)
def test_dates_and_sizes_are_formatted_in_chinese(env: dict, after: str | None) -> None:
    from ui.app import chinese_system_locale

    chinese_system_locale(env)
    assert env.get("LC_ALL") == after
