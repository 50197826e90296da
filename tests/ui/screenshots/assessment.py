"""Screenshots of the 年度考核 screens, on a 120-cadre demo (last year's graded annual round):
scheme_editor.png, scheme_editor_conflict.png (a save refused because somebody else changed
the scheme meanwhile), score_grid_paste.png (after pasting a block copied from Excel),
score_grid_conflict.png (a cell another clerk saved after the grid read it: refused, re-read),
assessment_overview.png (the person under 诫勉; the unit with the tie at the quota line in the
pool list) and assessment_overview_quarter.png (a 平时考核 round after 计算等次).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from models.assessment import (
    ScoreCell,
    add_unit_members,
    create_round,
    list_members,
    save_rules,
    set_scores,
)
from models.assessment.grading import compute_quarter_grades
from models.assessment.scores import set_score
from models.assessment.tables import KIND_QUARTERLY
from models.core.audit import set_actor
from models.roster import service as roster
from tests.ui.screenshots import harness
from ui import messages
from ui.assessment.score_grid import ScoreGrid

EXCEL_BLOCK = "92\t88.5\t90\t95\t93\r\n85\t86\t84.5\t88\t90\r\n78\t80\t82\t79.5\t85\r\n"


def _conflict_box(shots: harness.Session, grid: ScoreGrid) -> QMessageBox:
    """Type into a cell that 李四 changed meanwhile; the conflict box the grid then shows."""
    boxes: list[QMessageBox] = []
    real = messages.conflict
    messages.conflict = lambda parent, text: boxes.append(messages.conflict_box(parent, text))
    try:
        de = next(c for c, col in enumerate(grid.model.columns) if col.code == "de")
        person = grid.model.rows[3].member
        set_actor("李四")
        try:
            set_score(grid.model.round_id, person.cadre_id, "de", "83.5")
        finally:
            set_actor(None)
        grid.model.setData(grid.model.index(3, de), "91")
        shots.wait(lambda: bool(boxes))
    finally:
        messages.conflict = real
    return boxes[0]


def make(out: Path) -> list[Path]:
    with harness.session(
        out, cadres=120, seed=1, today=dt.date(2026, 3, 18), parts=("assessment",)
    ) as shots:
        window = shots.main_window()
        view = window.assessment_view
        harness.show_section(window, view)
        unit = next(u.id for u in roster.list_units() if u.name == "市委")
        view.select_unit(unit)

        # the scheme editor, with a live problem: 德 20 → 15 makes the weights 95
        view.tabs.setCurrentWidget(view.scheme)
        items = view.scheme.items_model
        items.setData(items.index(0, 2), "15")
        shots.settle()
        shots.save(window, "scheme_editor.png")
        view.scheme.reload()

        # someone else saves the scheme meanwhile (绩 30 → 35, 廉 20 → 15); this user's
        # save of 勤 15 → 20, 能 15 → 10 is refused, names who changed what, reloads
        rnd = view.scheme.round
        other = rnd.rules
        changed = list(other.items)
        changed[3] = dataclasses.replace(changed[3], weight=changed[3].weight + 5)
        changed[4] = dataclasses.replace(changed[4], weight=changed[4].weight - 5)
        theirs = dataclasses.replace(other, items=tuple(changed))
        assert save_rules(rnd.id, theirs, user="李处长") == []
        items.setData(items.index(2, 2), "20")
        items.setData(items.index(1, 2), "10")
        view.scheme.reason.setText("加大勤的权重")
        assert not view.scheme.save()
        shots.settle()
        shots.save(window, "scheme_editor_conflict.png")
        view.scheme.reload()

        # the grid after pasting a 3 × 5 block copied from Excel
        view.tabs.setCurrentWidget(view.grid)
        grid = view.grid
        QGuiApplication.clipboard().setText(EXCEL_BLOCK)
        first_item = next(c for c, col in enumerate(grid.model.columns) if col.kind == "item")
        grid.table.setCurrentIndex(grid.model.index(1, first_item))
        grid.table.setFocus()
        grid.table.paste_from_clipboard()
        shots.settle()
        shots.save(window, "score_grid_paste.png")

        # two clerks on one round: 李四 saves a cell elsewhere after this grid read it; typing
        # over it here is refused, the grid re-reads, and the message names 李四, when, value
        shots.save_with_dialog(window, _conflict_box(shots, grid), "score_grid_conflict.png")

        # the overview: the person under 诫勉 (explanation and history with the sanction);
        # the pool list shows the unit with the tie at the quota line (提示 2, yellow)
        view.select_unit(None)
        view.tabs.setCurrentWidget(view.overview)
        ov = view.overview
        pool, row = next(
            (p.pool_key, r) for p in ov.overview.pools for r in p.rows if "受诫勉" in r.explanation
        )
        ov.select_pool(pool)
        ov.select_person(row.cadre_id)
        shots.settle()
        shots.save(window, "assessment_overview.png")

        # a 平时考核 round: 计算等次 grades the quarter; the overview says where to look
        q = create_round(2025, kind=KIND_QUARTERLY, quarter=4)
        add_unit_members(q.id, unit)
        cells = [
            ScoreCell(m.cadre_id, code, 60 + (m.cadre_id * 7 + k * 3) % 40)
            for m in list_members(q.id)
            for k, code in enumerate(("de", "neng", "qin", "ji", "lian"))
        ]
        set_scores(q.id, cells)
        compute_quarter_grades(q.id)
        view.reload(select=q.id)
        view.tabs.setCurrentWidget(view.overview)
        shots.settle()
        shots.save(window, "assessment_overview_quarter.png")
        return shots.saved


if __name__ == "__main__":
    raise SystemExit(harness.main(make))
