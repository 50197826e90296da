"""Run every screenshot script: ``.venv/bin/python -m tests.ui.screenshots [folder]``."""

from __future__ import annotations

from pathlib import Path

from tests.ui.audit import screenshot as audit
from tests.ui.screenshots import (
    accounts,
    assessment,
    backup,
    big_round,
    charts,
    dossier,
    electives,
    evaluation,
    exchange,
    feedback,
    file_dialog,
    grade_unit,
    harness,
    holidays,
    home,
    import_wizard,
    lectures,
    lifecycle,
    people,
    planning,
    planning_editors,
    print_view,
    roster,
    training,
    training_print,
)

SCRIPTS = (roster, import_wizard, training, training_print, electives, assessment, grade_unit,
           feedback, people, print_view, backup, accounts, audit, holidays, lifecycle, lectures,
           planning, planning_editors, big_round, file_dialog, dossier, home,
           evaluation, exchange, charts)  # fmt: skip


def make_all(out: Path) -> list[Path]:
    return [path for script in SCRIPTS for path in script.make(out)]


if __name__ == "__main__":
    raise SystemExit(harness.main(make_all))
