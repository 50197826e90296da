"""The 干部名册 and 代码表 screens: the unit tree, the roster table (its lazy SQL-sorted
model), the cadre form, the exports (xlsx of the list, 任免审批表 files) and the import
wizard (:mod:`ui.roster.importing`).

The names load on first use (models.core.lazy): the window shows the roster at start-up,
while the cadre form, the 代码表 and the import wizard wait until they are opened.
"""

from models.core.lazy import lazy_api

__all__, __getattr__, __dir__ = lazy_api(
    __name__,
    {
        "cadre_dialog": ("CadreDialog",),
        "codes_view": ("CodesView",),
        "roster_model": ("RosterModel",),
        "roster_view": ("RosterView",),
        "unit_tree": ("UnitTree",),
    },
)
