"""The output layer of CadreDesk: PDF (reportlab) and xlsx (openpyxl) files built from the
plain data objects the services in :mod:`models` return. No Qt, no peewee rows.

Grouped by subject, each a package with its public API in its ``__init__``: ``common`` (fonts,
Chinese line breaking, styles, PDF and xlsx plumbing, atomic writes, number formats),
``sheets`` (年度考核登记表), ``assessment`` (考核 summary reports and the round overview sheet),
``training`` (the training kit and certificates), ``roster`` (干部名册 and import error sheets).
This package imports none of them: reportlab and openpyxl load only when a report is made.
"""

__all__ = ["assessment", "common", "roster", "sheets", "training"]
