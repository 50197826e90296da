"""Sheets of the roster: the 干部花名册 export (:func:`export_roster_xlsx`) and the list of
problems found in an import file, for the sender to correct it (:func:`export_import_errors`).
"""

from reports.roster.import_errors_xlsx import export_import_errors
from reports.roster.roster_xlsx import export_roster_xlsx

__all__ = ["export_import_errors", "export_roster_xlsx"]
