"""五项考核 (the five-item assessment of cadres), the database side: rounds (年度考核 and
平时考核) with their scheme and rules, members, data entry (item scores, 民主测评 votes,
加分/扣分, 一票否决, sanctions, 平时考核 grades), the 录入 → 审核 → 审定 workflow with locking,
the change history and the score template for units (the demo round is in models.demo).
Grading is in :mod:`models.assessment.grading`, what is read back (overview, 考核登记表 data,
the ``grade`` report) in :mod:`models.assessment.results`; the rules and the rule engine are
the pure packages :mod:`models.assessment.rules` and :mod:`models.assessment.engine`. The
tables are in :mod:`models.assessment.tables`; screens and reports use the services and DTOs
below.

The names below load on first use (models.core.lazy): opening a database imports the
assessment tables, and the services are needed only once a screen opens or a command runs.
"""

from __future__ import annotations

from models.core.lazy import lazy_api

_API: dict[str, tuple[str, ...]] = {
    "feedback": (
        "FEEDBACK_FORMS",
        "FeedbackDTO",
        "FeedbackInput",
        "FeedbackRow",
        "delete_feedback",
        "feedback_list",
        "get_feedback",
        "save_feedback",
    ),
    "history": (
        "person_history",
        "round_history",
    ),
    "members": (
        "add_member",
        "add_unit_members",
        "count_addable",
        "list_members",
        "member_names",
        "remove_member",
        "set_member_flags",
    ),
    "records": (
        "AdjustmentDTO",
        "SanctionDTO",
        "add_adjustment",
        "add_sanction",
        "delete_adjustment",
        "delete_sanction",
        "in_force",
        "list_adjustments",
        "list_sanctions",
        "quarter_grades",
        "sanctions_in_force",
        "set_quarter_grade",
        "set_veto_failure",
    ),
    "rounds": (
        "CADRE_ENTITY",
        "FEEDBACK_ENTITY",
        "DEFAULT_LAYER",
        "LOCKED_MESSAGE",
        "PERSON_ENTITY",
        "ROUND_ENTITY",
        "MemberDTO",
        "RoundChangedError",
        "RoundDTO",
        "create_round",
        "find_round",
        "get_round",
        "list_rounds",
        "round_rules",
    ),
    "scheme": (
        "save_rules",
        "set_raised_quota",
    ),
    "score_template": (
        "ScoreImportResult",
        "export_score_template",
        "import_scores",
    ),
    "scores": (
        "ScoreCell",
        "VoteEntry",
        "parse_score",
        "person_scores",
        "set_cells",
        "set_group_averages",
        "set_score",
        "set_scores",
        "set_votes",
        "set_votes_block",
    ),
    "tables": (
        "KIND_ANNUAL",
        "KIND_QUARTERLY",
        "STATUS_APPROVED",
        "STATUS_ENTRY",
        "STATUS_REVIEW",
    ),
    "workflow": (
        "approve_pool",
        "approve_round",
        "pool_approvals",
        "return_to_entry",
        "submit_for_review",
        "unlock_pool",
        "unlock_round",
    ),
}
__all__, __getattr__, __dir__ = lazy_api(__name__, _API)
