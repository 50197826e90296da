"""Screenshot of the 年度考核 人员情况 tab, on a 120-cadre demo (last year's graded annual
round): assessment_people.png shows 全部单位 with the demo's person under 诫勉 selected
(sanction and history visible).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from models.assessment import find_round, list_members, list_sanctions
from tests.ui.screenshots import harness


def make(out: Path) -> list[Path]:
    with harness.session(
        out, cadres=120, seed=1, today=dt.date(2026, 3, 18), parts=("assessment",)
    ) as shots:
        window = shots.main_window()
        view = window.assessment_view
        harness.show_section(window, view)
        view.tabs.setCurrentWidget(view.people)
        rnd = find_round(2025)
        admonished = next(
            m
            for m in list_members(rnd.id)
            if any(s.code == "admonition" for s in list_sanctions(m.cadre_id))
        )
        view.people.select_person(admonished.cadre_id, 8)
        shots.settle()
        shots.save(window, "assessment_people.png")
        return shots.saved


if __name__ == "__main__":
    raise SystemExit(harness.main(make))
