"""导入干部: the roster import wizard -- its steps, its table models (the column mapping and
the preview of planned rows) and the reading, planning and importing it runs on the worker.
"""

from ui.roster.importing.models import ColumnMappingModel, PreviewModel
from ui.roster.importing.wizard import ImportWizard

__all__ = ["ColumnMappingModel", "ImportWizard", "PreviewModel"]
