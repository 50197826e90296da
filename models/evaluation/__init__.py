"""单位考评: the assessment of units and their 领导班子 through the year — the work plan
broken down into tasks (责任分解, :mod:`plan`), the quarterly self-checks (一季度一自查,
:mod:`checks`), the half-year inspections and their bulletin (半年一督查、一通报,
:mod:`inspections`), the year-end scores, grades and approval (:mod:`results`, with the pure
rule engine in :mod:`engine` and the year's rules in :mod:`rules`), and the results used:
each unit's grade sets the 优秀 share of its staff in the cadres' annual assessment
(:func:`apply_to_round`); the 领导班子's five items and 民主测评 and the tasks' year-end
scores (:mod:`team`), and the evidence filed with self-checks (:mod:`evidence`)."""

from models.evaluation.checks import SelfCheckDTO, check_deadline, list_checks, submit_check
from models.evaluation.engine import UnitInput, UnitOutcome, grade_units, unit_total
from models.evaluation.evidence import (
    MAX_BYTES,
    EvidenceDTO,
    add_evidence,
    evidence_data,
    file_evidence,
    list_evidence,
    remove_evidence,
)
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
from models.evaluation.rules import EvalRules, GradeRule, Weighted, default_eval_rules
from models.evaluation.team import TeamDTO, read_team, set_task_score, set_team

__all__ = [
    "MAX_BYTES",
    "TASK_HEADERS",
    "Bulletin",
    "BulletinRow",
    "EvalRules",
    "EvidenceDTO",
    "GradeRule",
    "SelfCheckDTO",
    "TaskDTO",
    "TaskInput",
    "TeamDTO",
    "UnitInput",
    "UnitOutcome",
    "UnitResultDTO",
    "Weighted",
    "add_evidence",
    "apply_to_round",
    "approve_year",
    "bulletin",
    "check_deadline",
    "default_eval_rules",
    "evidence_data",
    "file_evidence",
    "grade_units",
    "grade_year",
    "import_tasks",
    "list_checks",
    "list_evidence",
    "list_results",
    "list_tasks",
    "read_team",
    "record_inspection",
    "remove_evidence",
    "save_rules",
    "save_task",
    "set_scores",
    "set_task_score",
    "set_team",
    "staff_shares",
    "submit_check",
    "unit_grades",
    "unit_total",
    "year_rules",
    "year_status",
]
