"""Screenshot of the 首页 on the 300-cadre demo (built as of 2026-11-20, last year's graded
annual round): home_overview.png shows the four charts with their tables once the
background count has finished.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.ui.screenshots import harness

TODAY = dt.date(2026, 11, 20)


def make(out: Path) -> list[Path]:
    with harness.session(out, cadres=300, seed=1, today=TODAY) as shots:
        window = shots.main_window()
        view = window.home_view  # built now, counted when shown
        view.today = TODAY
        harness.show_section(window, view)
        shots.wait(lambda: view.overview is not None and view.load_job is None)
        shots.save(window, "home_overview.png")
        return shots.saved


if __name__ == "__main__":
    raise SystemExit(harness.main(make))
