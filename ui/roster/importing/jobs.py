"""Background work of the roster import wizard (ui.roster.importing.wizard): reading,
planning and importing, each run on the worker (ui.jobs) with progress and 取消.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from models.core.progress import IsCancelled, Progress
from models.roster import importing as roster_import
from models.roster import intake
from models.roster.import_plan import ImportPlan, ImportResult, plan_import
from models.roster.intake import IntakeResult
from models.roster.intake.unit_choice import UnitChoices


def read_source(
    path: Path,
    mapping: Mapping[str, str | None],
    recursive: bool,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> IntakeResult:
    """Worker: read the file or folder."""
    return intake.read_path(
        path, mapping=dict(mapping), recursive=recursive, progress=progress, cancelled=cancelled
    )


def plan_source(
    result: IntakeResult,
    on_duplicate: str,
    default_unit: str | None,
    allow_missing_id: bool = False,
    accept_birth_mismatch: bool = False,
    unit_choices: UnitChoices | None = None,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> ImportPlan:
    """Worker: what importing would do (reads the database, writes nothing)."""
    return plan_import(
        result,
        on_duplicate=on_duplicate,
        default_unit=default_unit,
        allow_missing_id=allow_missing_id,
        accept_birth_mismatch=accept_birth_mismatch,
        unit_choices=unit_choices,
        progress=progress,
        cancelled=cancelled,
    )


def import_source(
    result: IntakeResult,
    on_duplicate: str,
    default_unit: str | None,
    allow_missing_id: bool = False,
    accept_birth_mismatch: bool = False,
    unit_choices: UnitChoices | None = None,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> ImportResult:
    """Worker: plan again and write everything in one transaction, or nothing."""
    return roster_import.import_rows(
        result,
        on_duplicate=on_duplicate,
        default_unit=default_unit,
        allow_missing_id=allow_missing_id,
        accept_birth_mismatch=accept_birth_mismatch,
        unit_choices=unit_choices,
        progress=progress,
        cancelled=cancelled,
    )
