"""Screenshots of the 备份与恢复 section on a 60-cadre demo with two months of backups as the
rotation leaves them: backup_view.png (the list, one backup selected) and
backup_restore_confirm.png (the question asked before a restore).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from models.backup import Source, backup_now
from tests.ui.screenshots import harness
from ui import messages

# (when, reason) in the order a clerk's work would have made them; each backup applies the
# rotation as of its own time, so the list shows what the app would really keep
HISTORY = (
    ("2026-10-31 17:02", "每日"),
    ("2026-11-27 08:41", "每日"),
    ("2026-11-30 09:03", "每日"),
    ("2026-12-01 08:45", "每日"),
    ("2026-12-02 08:50", "每日"),
    ("2026-12-03 09:10", "每日"),
    ("2026-12-03 14:20", "导入前"),
    ("2026-12-04 08:40", "每日"),
    ("2026-12-04 16:05", "计算等次前"),
    ("2026-12-05 09:02", "每日"),
    ("2026-12-06 10:30", "审定前"),
    ("2026-12-07 08:35", "每日"),
    ("2026-12-07 09:12", "导入前"),
    ("2026-12-07 11:20", "手动"),
)


def make(out: Path) -> list[Path]:
    with harness.session(out, cadres=60, seed=1, parts=()) as shots:
        source = Source(path=shots.db_path)
        for when, reason in HISTORY:
            backup_now(source, reason=reason, now=dt.datetime.fromisoformat(when))
        window = shots.main_window()
        view = window.backup_view
        harness.show_section(window, view)
        view.refresh()
        view.table.selectRow(3)
        shots.settle()
        shots.save(window, "backup_view.png")

        asked: list[tuple[str, str]] = []
        original = messages.ask_yes_no
        messages.ask_yes_no = lambda _p, title, text: asked.append((title, text)) or False  # type: ignore[assignment]
        try:
            view.restore_selected()
        finally:
            messages.ask_yes_no = original  # type: ignore[assignment]
        title, text = asked[0]
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=window)
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.show()
        shots.settle()
        shots.save(box, "backup_restore_confirm.png")
        box.close()
        return shots.saved


if __name__ == "__main__":
    raise SystemExit(harness.main(make))
