"""单位考评: the assessment of units and their 领导班子 through the year — the work plan
broken down into tasks (责任分解, :mod:`plan`), the quarterly self-checks (一季度一自查,
:mod:`checks`), the half-year inspections and their bulletin (半年一督查、一通报,
:mod:`inspections`), the year-end scores, grades and approval (:mod:`results`, with the pure
rule engine in :mod:`engine` and the year's rules in :mod:`rules`), and the results used:
each unit's grade sets the 优秀 share of its staff in the cadres' annual assessment
(:func:`apply_to_round`)."""

from models.evaluation.checks import SelfCheckDTO, check_deadline, list_checks, submit_check
from models.evaluation.engine import UnitInput, UnitOutcome, grade_units, unit_total
from models.evaluation.inspections import Bulletin, BulletinRow, bulletin, record_inspection
from models.evaluation.plan import (
    TASK_HEADERS,
    TaskDTO,
    TaskInput,
    import_tasks,
    list_tasks,
    save_rules,
    save_task,
    year_rules,
    year_status,
)
from models.evaluation.results import (
    UnitResultDTO,
    apply_to_round,
    approve_year,
    grade_year,
    list_results,
    set_scores,
    staff_shares,
    unit_grades,
)
from models.evaluation.rules import EvalRules, GradeRule, default_eval_rules

__all__ = [
    "TASK_HEADERS",
    "Bulletin",
    "BulletinRow",
    "EvalRules",
    "GradeRule",
    "SelfCheckDTO",
    "TaskDTO",
    "TaskInput",
    "UnitInput",
    "UnitOutcome",
    "UnitResultDTO",
    "apply_to_round",
    "approve_year",
    "bulletin",
    "check_deadline",
    "default_eval_rules",
    "grade_units",
    "grade_year",
    "import_tasks",
    "list_checks",
    "list_results",
    "list_tasks",
    "record_inspection",
    "save_rules",
    "save_task",
    "set_scores",
    "staff_shares",
    "submit_check",
    "unit_grades",
    "unit_total",
    "year_rules",
    "year_status",
]
