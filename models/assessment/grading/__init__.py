"""五项考核 grading from the database: the rule engine's inputs read from a round
(``inputs``), the pools ready to be graded and the 待录入 list (``ready``), 年度考核
grading and storing with the 考核委员会's overrides (``service``, with ``store`` writing
the results and ``parallel`` sharing a large round out between processes),
and 平时考核 quarter grades (``quarterly``). The rules themselves are in the pure packages
:mod:`models.assessment.rules` and :mod:`models.assessment.engine`.
"""

from models.assessment.grading.inputs import load_inputs, pool_summaries
from models.assessment.grading.quarterly import (
    QuarterComputeResult,
    QuarterGradeChange,
    QuarterPoolRow,
    compute_quarter_grades,
    format_quarter_report,
    quarter_approval_problems,
    quarter_bounds,
    quarter_overview,
)
from models.assessment.grading.ready import (
    PendingPerson,
    PendingPool,
    approval_problems,
    pending_people,
)
from models.assessment.grading.service import (
    GradingOutcome,
    PoolCheck,
    clear_override,
    compute_grades,
    grade_and_store,
    pool_check,
    set_override,
    stale_people,
)

__all__ = [
    "GradingOutcome",
    "PendingPerson",
    "PendingPool",
    "PoolCheck",
    "QuarterComputeResult",
    "QuarterGradeChange",
    "QuarterPoolRow",
    "approval_problems",
    "clear_override",
    "compute_grades",
    "compute_quarter_grades",
    "format_quarter_report",
    "grade_and_store",
    "load_inputs",
    "pending_people",
    "pool_check",
    "pool_summaries",
    "quarter_approval_problems",
    "quarter_bounds",
    "quarter_overview",
    "set_override",
    "stale_people",
]
