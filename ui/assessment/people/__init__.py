"""The 人员情况 tab of 五项考核: the people table (平时考核 grades, 请假, 试用期, … entered in
place), the selected person's 加分/扣分, 处分 and 一票否决 with their dialogs, and the
person's change history.
"""

from ui.assessment.people.dialogs import AdjustmentDialog, SanctionDialog, VetoDialog
from ui.assessment.people.model import PeopleModel
from ui.assessment.people.people_view import PeopleView
from ui.assessment.people.person_panel import PersonPanel

__all__ = [
    "AdjustmentDialog",
    "PeopleModel",
    "PeopleView",
    "PersonPanel",
    "SanctionDialog",
    "VetoDialog",
]
