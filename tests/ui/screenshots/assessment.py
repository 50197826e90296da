"""Save screenshots of the 年度考核 screens (offscreen) for review.

    .venv/bin/python -m tests.ui.make_assessment_screenshots [OUT_DIR]

Builds a 120-cadre demo database (last year's graded annual round) in a temporary folder and
saves scheme_editor.png, scheme_editor_conflict.png (a save refused because somebody else
changed the scheme meanwhile), assessment_overview_quarter.png (a 平时考核 round after
计算等次), score_grid_paste.png (after pasting a block copied from Excel) and
assessment_overview.png (the unit with the tie at the quota line, explanation visible).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QStandardPaths  # noqa: E402
from PySide6.QtGui import QGuiApplication  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from models.core.db import close_database, open_database  # noqa: E402
from models.demo import build_demo  # noqa: E402

SIZE = (1280, 800)
TIE_UNIT = "市住房和城乡建设局"


def settle(app: QApplication) -> None:
    for _ in range(8):
        app.processEvents()


def roster_members(round_id: int) -> list[int]:
    from models.assessment.tables import RoundMember

    return [m.cadre_id for m in RoundMember.select().where(RoundMember.round == round_id)]


def main(out: Path) -> int:
    from models.roster import service as roster
    from ui import settings
    from ui.app import create_app
    from ui.main_window import MainWindow

    out.mkdir(parents=True, exist_ok=True)
    QStandardPaths.setTestModeEnabled(True)
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "demo.db"
        settings.use_file(Path(tmp) / "settings.ini")
        build_demo(db_path, cadres=120, seed=1, today=dt.date(2026, 3, 18), parts=("assessment",))
        app = create_app([sys.argv[0]])
        open_database(db_path)
        try:
            window = MainWindow(db_path)
            window.resize(*SIZE)
            window.show()
            view = window.assessment_view
            window.nav.setCurrentRow(window.stack.indexOf(view))
            unit = next(u.id for u in roster.list_units() if u.name == "市委")
            view.select_unit(unit)

            # the scheme editor, with a live problem: 德 20 → 15 makes the weights 95
            view.tabs.setCurrentWidget(view.scheme)
            items = view.scheme.items_model
            items.setData(items.index(0, 2), "15")
            settle(app)
            window.grab().save(str(out / "scheme_editor.png"))
            view.scheme.reload()

            # someone else saves the scheme meanwhile (绩 30 → 35, 廉 20 → 15); this user's
            # save of 勤 15 → 20, 能 15 → 10 is refused, names who changed what, reloads
            import dataclasses

            from models.assessment.service import save_rules

            rnd = view.scheme.round
            other = rnd.rules
            changed = list(other.items)
            changed[3] = dataclasses.replace(changed[3], weight=changed[3].weight + 5)
            changed[4] = dataclasses.replace(changed[4], weight=changed[4].weight - 5)
            assert (
                save_rules(rnd.id, dataclasses.replace(other, items=tuple(changed)), user="李处长")
                == []
            )
            items.setData(items.index(2, 2), "20")
            items.setData(items.index(1, 2), "10")
            view.scheme.reason.setText("加大勤的权重")
            assert not view.scheme.save()
            settle(app)
            window.grab().save(str(out / "scheme_editor_conflict.png"))
            view.scheme.reload()

            # the grid after pasting a 3 × 5 block copied from Excel
            view.tabs.setCurrentWidget(view.grid)
            grid = view.grid
            QGuiApplication.clipboard().setText(
                "92\t88.5\t90\t95\t93\r\n85\t86\t84.5\t88\t90\r\n78\t80\t82\t79.5\t85\r\n"
            )
            first_item = next(c for c, col in enumerate(grid.model.columns) if col.kind == "item")
            grid.table.setCurrentIndex(grid.model.index(1, first_item))
            grid.table.setFocus()
            grid.table.paste_from_clipboard()
            settle(app)
            window.grab().save(str(out / "score_grid_paste.png"))

            # the overview: the person under 诫勉 (explanation and history with the sanction);
            # the pool list shows the unit with the tie at the quota line (提示 2, yellow)
            view.select_unit(None)
            view.tabs.setCurrentWidget(view.overview)
            ov = view.overview
            pool, row = next(
                (p.pool_key, r)
                for p in ov.overview.pools
                for r in p.rows
                if "受诫勉" in r.explanation
            )
            ov.select_pool(pool)
            ov.select_person(row.cadre_id)
            settle(app)
            window.grab().save(str(out / "assessment_overview.png"))

            # a 平时考核 round: 计算等次 grades the quarter; the overview says where to look
            from models.assessment.grading.quarterly import compute_quarter_grades
            from models.assessment.scores import ScoreCell, set_scores
            from models.assessment.service import add_unit_members, create_round
            from models.assessment.tables import KIND_QUARTERLY

            q = create_round(2025, kind=KIND_QUARTERLY, quarter=4)
            add_unit_members(q.id, unit)
            cells = [
                ScoreCell(m, code, 60 + (m * 7 + k * 3) % 40)
                for m in roster_members(q.id)
                for k, code in enumerate(("de", "neng", "qin", "ji", "lian"))
            ]
            set_scores(q.id, cells)
            compute_quarter_grades(q.id)
            view.reload(select=q.id)
            view.tabs.setCurrentWidget(view.overview)
            settle(app)
            window.grab().save(str(out / "assessment_overview_quarter.png"))
            window.close()
        finally:
            close_database()
    print(f"saved to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("screenshots")))
