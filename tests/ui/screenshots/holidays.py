"""Screenshots of the 节假日 section on a small demo: holidays_2026.png (the year as the
State Council published it, 春节 selected), holidays_2027.png (only the statutory days until
the 2027 notice is entered) and holiday_dialog.png (the form, adding a local day off).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.ui.screenshots import harness
from ui.calendar import HolidayDialog


def make(out: Path) -> list[Path]:
    with harness.session(out, cadres=30, seed=1, parts=()) as shots:
        window = shots.main_window()
        view = window.holidays_view
        harness.show_section(window, view)
        view.year.setValue(2026)
        view.select_day(dt.date(2026, 2, 17))
        shots.settle()
        shots.save(window, "holidays_2026.png")

        view.year.setValue(2027)
        view.select_day(dt.date(2027, 1, 1))
        shots.settle()
        shots.save(window, "holidays_2027.png")

        dialog = HolidayDialog(None, dt.date(2027, 7, 1), window)
        dialog.name.setCurrentText("建党节")
        dialog.source.setText("市委办公室通知")
        shots.save_with_dialog(window, dialog, "holiday_dialog.png")
        return shots.saved


if __name__ == "__main__":
    raise SystemExit(harness.main(make))
