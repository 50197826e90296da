"""一人一档: a cadre's whole record as one bookmarked PDF (:func:`dossier_pdf` of
:func:`dossier_data`), and a unit's dossiers one file per cadre (:func:`write_dossiers`)."""

from reports.dossiers.data import DossierData, YearHours, dossier_data
from reports.dossiers.person import dossier_file_name, dossier_pdf, write_dossiers

__all__ = [
    "DossierData",
    "YearHours",
    "dossier_data",
    "dossier_file_name",
    "dossier_pdf",
    "write_dossiers",
]
