"""The 单位考评 section: the year's task breakdown, the quarterly self-checks and the
year-end evaluation of the units (models.evaluation)."""

from ui.evaluation.evaluation_view import EvaluationView, ScoresDialog, SelfCheckDialog
from ui.evaluation.rules_dialog import RulesDialog
from ui.evaluation.team_dialogs import EvidenceDialog, TeamDialog

__all__ = [
    "EvaluationView",
    "EvidenceDialog",
    "RulesDialog",
    "ScoresDialog",
    "SelfCheckDialog",
    "TeamDialog",
]
