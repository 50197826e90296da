"""Screenshots of 计算等次 unit by unit, on a 120-cadre demo whose 2025 round is being graded
again from scratch while two people still lack their 绩 score:

* grade_unit.png: 市委 selected (its departments below it), 计算等次 done: the line that
  says how many were graded and which pool waits, the 待录入 list by name and unit;
* grade_unit_jump.png: a click on the person in the 待录入 list: 评分录入 with the cursor on
  the empty 绩 cell.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from models.assessment import find_round, list_members, set_score
from models.assessment.tables import AssessmentRound, GradeResult
from models.roster import service as roster
from tests.ui.screenshots import harness


def make(out: Path) -> list[Path]:
    with harness.session(
        out, cadres=120, seed=1, today=dt.date(2026, 3, 18), parts=("assessment",)
    ) as shots:
        rid = find_round(2025).id
        # the round graded again from the start: no stored results
        GradeResult.delete().where(GradeResult.round == rid).execute()
        AssessmentRound.update(pools_json="[]", graded_at=None).where(
            AssessmentRound.id == rid
        ).execute()
        units = {u.name: u.id for u in roster.list_units()}
        party = units["市委"]
        # one person under 市委 and one elsewhere have not had their 绩 entered yet
        inside = set(roster.subtree_ids(party))
        members = [
            m
            for m in list_members(rid)
            if not m.not_participating and not m.on_probation and not m.under_investigation
        ]
        first_in = next(m for m in members if m.unit_id in inside and m.unit_id != party)
        first_out = next(m for m in members if m.unit_id not in inside)
        for m in (first_in, first_out):
            set_score(rid, m.cadre_id, "ji", None, reason="尚未报送")

        window = shots.main_window()
        view = window.assessment_view
        harness.show_section(window, view)
        view.reload(select=rid)
        view.select_unit(party)
        view.tabs.setCurrentWidget(view.overview)
        ov = view.overview
        job = ov.compute()
        assert job is not None
        shots.wait(lambda: job.done)
        shots.wait(lambda: ov.pending_job is not None and ov.pending_job.done)  # 待录入 list
        shots.settle()
        waiting = ov.pending_model.rows[0]
        ov.select_pool(waiting.pool_key)
        ov.select_person(waiting.cadre_id)
        shots.settle()
        shots.save(window, "grade_unit.png")

        ov.pending_table.clicked.emit(ov.pending_model.index(0, 0))
        shots.settle()
        shots.save(window, "grade_unit_jump.png")
        return shots.saved


if __name__ == "__main__":
    raise SystemExit(harness.main(make))
