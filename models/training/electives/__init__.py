"""菜单化选学 (electives with places, settled by a stated rule): the rules (``rules``), what
the 选学 screen needs around them (``menu``) and wishes imported from a spreadsheet
(``importing``). The names below are the subject's API; models.training lists them too.
"""

from __future__ import annotations

from models.training.electives.importing import ChoiceImportResult, import_elective_choices
from models.training.electives.menu import (
    MAX_WISHES,
    OUTCOME_HEADERS,
    SETTLE_ACTION,
    SettlementView,
    TraineeChoices,
    WishDTO,
    last_settlement,
    list_elective_choices,
    outcome_rows,
    rule_choices,
    set_elective_capacity,
    settle,
    wish_limit,
    wish_name,
)
from models.training.electives.rules import (
    BY_RANK,
    FIRST_COME,
    RULE_NAMES,
    ElectiveOption,
    ElectiveOutcome,
    ElectiveSettlement,
    elective_options,
    set_elective_choices,
    settle_electives,
)

__all__ = [
    "BY_RANK",
    "FIRST_COME",
    "MAX_WISHES",
    "OUTCOME_HEADERS",
    "RULE_NAMES",
    "SETTLE_ACTION",
    "ChoiceImportResult",
    "ElectiveOption",
    "ElectiveOutcome",
    "ElectiveSettlement",
    "SettlementView",
    "TraineeChoices",
    "WishDTO",
    "elective_options",
    "import_elective_choices",
    "last_settlement",
    "list_elective_choices",
    "outcome_rows",
    "rule_choices",
    "set_elective_capacity",
    "set_elective_choices",
    "settle",
    "settle_electives",
    "wish_limit",
    "wish_name",
]
