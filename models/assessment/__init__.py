"""五项考核 (the five-item assessment of cadres), the database side: rounds (年度考核 and
平时考核) with their scheme and rules, members, data entry (item scores, 民主测评 votes,
加分/扣分, 一票否决, sanctions, 平时考核 grades), the 录入 → 审核 → 审定 workflow with locking,
the change history, the score template for units, and the demo round. Grading is in
:mod:`models.assessment.grading`, what is read back (overview, 考核登记表 data, the ``grade``
report) in :mod:`models.assessment.results`; the rules and the rule engine are the pure
packages :mod:`models.assessment.rules` and :mod:`models.assessment.engine`. The tables are
in :mod:`models.assessment.tables`; screens and reports use the services and DTOs below.
"""

from models.assessment.demo import DemoAssessment, add_demo_assessment
from models.assessment.history import person_history, round_history
from models.assessment.members import (
    add_member,
    add_unit_members,
    list_members,
    remove_member,
    set_member_flags,
)
from models.assessment.records import (
    AdjustmentDTO,
    SanctionDTO,
    add_adjustment,
    add_sanction,
    delete_adjustment,
    delete_sanction,
    in_force,
    list_adjustments,
    list_sanctions,
    quarter_grades,
    sanctions_in_force,
    set_quarter_grade,
    set_veto_failure,
)
from models.assessment.rounds import (
    CADRE_ENTITY,
    DEFAULT_LAYER,
    LOCKED_MESSAGE,
    PERSON_ENTITY,
    ROUND_ENTITY,
    MemberDTO,
    RoundChangedError,
    RoundDTO,
    create_round,
    find_round,
    get_round,
    list_rounds,
    round_rules,
)
from models.assessment.scheme import save_rules, set_raised_quota
from models.assessment.score_template import (
    ScoreImportResult,
    export_score_template,
    import_scores,
)
from models.assessment.scores import (
    ScoreCell,
    VoteEntry,
    parse_score,
    person_scores,
    set_cells,
    set_group_averages,
    set_score,
    set_scores,
    set_votes,
    set_votes_block,
)
from models.assessment.tables import (
    KIND_ANNUAL,
    KIND_QUARTERLY,
    STATUS_APPROVED,
    STATUS_ENTRY,
    STATUS_REVIEW,
)
from models.assessment.workflow import (
    approve_round,
    return_to_entry,
    submit_for_review,
    unlock_round,
)

__all__ = [
    "CADRE_ENTITY",
    "DEFAULT_LAYER",
    "KIND_ANNUAL",
    "KIND_QUARTERLY",
    "LOCKED_MESSAGE",
    "PERSON_ENTITY",
    "ROUND_ENTITY",
    "STATUS_APPROVED",
    "STATUS_ENTRY",
    "STATUS_REVIEW",
    "AdjustmentDTO",
    "DemoAssessment",
    "MemberDTO",
    "RoundChangedError",
    "RoundDTO",
    "SanctionDTO",
    "ScoreCell",
    "ScoreImportResult",
    "VoteEntry",
    "add_adjustment",
    "add_demo_assessment",
    "add_member",
    "add_sanction",
    "add_unit_members",
    "approve_round",
    "create_round",
    "delete_adjustment",
    "delete_sanction",
    "export_score_template",
    "find_round",
    "get_round",
    "import_scores",
    "in_force",
    "list_adjustments",
    "list_members",
    "list_rounds",
    "list_sanctions",
    "parse_score",
    "person_history",
    "person_scores",
    "quarter_grades",
    "remove_member",
    "return_to_entry",
    "round_history",
    "round_rules",
    "sanctions_in_force",
    "save_rules",
    "set_cells",
    "set_group_averages",
    "set_member_flags",
    "set_quarter_grade",
    "set_raised_quota",
    "set_score",
    "set_scores",
    "set_veto_failure",
    "set_votes",
    "set_votes_block",
    "submit_for_review",
    "unlock_round",
]
