"""What every report uses: Chinese fonts and glyph coverage (``fonts``), 避头尾 line
breaking (``cjk``), paragraph and table styles (``styles``), bar charts in PDFs (``charts``),
the table-style PDF plumbing with progress and cancel (``pdf_base``), xlsx sheets written
atomically, with their charts (``xlsx``), atomic file writes and safe file names (``files``)
and how scores are printed (``numbers``).

No subject lives here: these modules import only :mod:`models.core`. Callers import the
modules (``from reports.common import fonts``); this ``__init__`` re-exports nothing, so that
loading ``fonts`` (the roster screen does at start-up) does not also load reportlab's
platypus and openpyxl.
"""

__all__ = ["charts", "cjk", "files", "fonts", "numbers", "pdf_base", "styles", "xlsx"]
