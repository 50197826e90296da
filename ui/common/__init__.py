"""What every screen shares: the table models (a numbered-header base and :class:`RowsModel`
over a list of DTOs), the widget builders (a named button, a table view, the OK / 取消 row),
the export flow (save dialog, background job, message) and the PDF preview.
"""

from ui.common.export import ask_save_path, export_file, last_export_folder, run_export
from ui.common.pdf_preview import PdfPreview
from ui.common.tablemodels import (
    DISPLAY,
    ID_ROLE,
    Column,
    HeadedTableModel,
    ModelIndex,
    RowsModel,
    num,
)
from ui.common.widgets import button, ok_button, ok_cancel, table_view

__all__ = [
    "DISPLAY",
    "ID_ROLE",
    "Column",
    "HeadedTableModel",
    "ModelIndex",
    "PdfPreview",
    "RowsModel",
    "ask_save_path",
    "button",
    "export_file",
    "last_export_folder",
    "num",
    "ok_button",
    "ok_cancel",
    "run_export",
    "table_view",
]
