"""Screenshots of the 修改记录 section on a 120-cadre demo, after a morning's work by three
accounts (a cadre moved to another unit, a score corrected, a sanction entered):
audit.png shows every change of the year, newest first; audit_person.png the changes of the
cadre whose score was corrected. Run with ``QT_QPA_PLATFORM=offscreen .venv/bin/python -m
tests.ui.audit.screenshot [folder]`` (the shared harness, tests.ui.screenshots.harness).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from models.assessment import add_sanction, find_round, list_members, set_score
from models.core.audit import set_actor
from models.roster import CadreInput, find_unit, get_cadre, save_cadre
from tests.ui.screenshots import harness
from ui.audit import AuditView


def _work() -> str:
    """Changes under three accounts, through the services; returns the 姓名 of the cadre
    whose score was corrected."""
    rnd = find_round(dt.date.today().year - 1)
    members = list_members(rnd.id)
    scored, moved, punished = members[3], members[10], members[20]
    try:
        set_actor("kaohe_li")
        set_score(rnd.id, scored.cadre_id, "de", 92, reason="考核组复核更正")
        set_actor("ganbu_zhang")
        c = get_cadre(moved.cadre_id)
        target = find_unit("市委组织部")
        save_cadre(
            dataclasses.replace(
                CadreInput.from_dto(c), unit_id=target.id, post_title="市委组织部干部一科科长"
            ),
            accept_warnings=True,
            reason="市委任免〔2026〕12号",
        )
        set_actor("admin")
        add_sanction(
            punished.cadre_id, "诫勉", dt.date(dt.date.today().year, 2, 1), note="督查通报"
        )
    finally:
        set_actor(None)
    return get_cadre(scored.cadre_id).name


def make(out: Path) -> list[Path]:
    with harness.session(out, cadres=120, seed=1) as shots:
        name = _work()
        window = shots.main_window()
        view = window.audit_view
        assert isinstance(view, AuditView)
        harness.show_section(window, view)
        shots.wait(lambda: view.model.rowCount() > 0 and view.query_button.isEnabled())
        shots.save(window, "audit.png")
        view.person.setText(name)
        view.query()
        shots.wait(lambda: view.query_button.isEnabled() and view.filter is not None
                   and view.filter.person is not None)  # fmt: skip
        shots.save(window, "audit_person.png")
        return shots.saved


if __name__ == "__main__":
    raise SystemExit(harness.main(make))
