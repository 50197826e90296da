"""The 干部名册 and 代码表 screens: the unit tree, the roster table (its lazy SQL-sorted
model), the cadre form, the exports (xlsx of the list, 任免审批表 files) and the import
wizard (:mod:`ui.roster.importing`).
"""

from ui.roster.cadre_dialog import CadreDialog
from ui.roster.codes_view import CodesView
from ui.roster.roster_model import RosterModel
from ui.roster.roster_view import RosterView
from ui.roster.unit_tree import UnitTree

# the import wizard (ui.roster.importing) loads the file readers: imported when it opens
__all__ = ["CadreDialog", "CodesView", "RosterModel", "RosterView", "UnitTree"]
