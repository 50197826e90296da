"""What every screen shares: the table models (a numbered-header base and :class:`RowsModel`
over a list of DTOs), the widget builders (a named button, a table view, the OK / 取消 row),
the export flow (save dialog, background job, message), the PDF preview and the bar charts.

The names load on first use (models.core.lazy): the PDF preview brings QtPdf, which the
roster screen shown at start-up does not need.
"""

from models.core.lazy import lazy_api

__all__, __getattr__, __dir__ = lazy_api(
    __name__,
    {
        "charts": ("Bars", "BarsChart", "Line", "legend_html", "nice_top", "scrolling"),
        "export": ("ask_save_path", "export_file", "last_export_folder", "run_export"),
        "mark_grid": ("selected_ids", "shown_versions", "step_down"),
        "pdf_preview": ("PdfPreview",),
        "preview_window": ("PdfOutput", "PreviewDialog", "PreviewHost"),
        "tablemodels": (
            "DISPLAY",
            "ID_ROLE",
            "Column",
            "HeadedTableModel",
            "ModelIndex",
            "RowsModel",
            "num",
        ),
        "widgets": ("button", "choice_page", "ok_button", "ok_cancel", "table_view"),
    },
)
