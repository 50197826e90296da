"""Screenshot of a file dialog as the app shows it (file_dialog.png): 保存 of a report, every
label in Chinese (查找范围, 文件名, 文件类型), opening in the folder where PDFs were last saved
(a folder of earlier reports), with the suggested name filled in."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from tests.ui.screenshots import harness
from ui import messages
from ui.settings import settings


def make(out: Path) -> list[Path]:
    with harness.session(out, cadres=30) as shots:
        reports = shots.folder / "考核报表"
        reports.mkdir()
        for name in (
            "2024年度考核结果汇总表.pdf",
            "2024年度考核结果审定表.pdf",
            "2025年度考核登记表.pdf",
        ):
            (reports / name).write_bytes(b"%PDF-1.4\n")
        settings().set_last_folder("pdf", str(reports))

        def grab() -> None:
            dialogs = [w for w in QApplication.topLevelWidgets()
                       if isinstance(w, QFileDialog) and w.isVisible()]  # fmt: skip
            if not dialogs:
                QTimer.singleShot(50, grab)
                return
            d = dialogs[0]
            d.resize(820, 480)
            shots.settle(pause=0.5)
            shots.save(d, "file_dialog.png")
            QTimer.singleShot(100, d.reject)

        QTimer.singleShot(100, grab)
        messages.save_file(
            None, "保存考核结果汇总表", Path("2025年度考核结果汇总表.pdf"), "PDF (*.pdf)"
        )
        return shots.saved


if __name__ == "__main__":
    raise SystemExit(harness.main(make))
