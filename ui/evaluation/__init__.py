"""The 单位考评 section: the year's task breakdown, the quarterly self-checks and the
year-end evaluation of the units (models.evaluation)."""

from ui.evaluation.evaluation_view import EvaluationView, ScoresDialog, SelfCheckDialog

__all__ = ["EvaluationView", "ScoresDialog", "SelfCheckDialog"]
