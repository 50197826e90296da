"""一人一档: a cadre's whole record as one bookmarked PDF (:func:`dossier_pdf` of
:func:`dossier_data`), and a unit's dossiers one file per cadre (:func:`write_dossiers`);
一班一档: a training class's whole file as one bookmarked PDF (:func:`class_file_pdf`)."""

from reports.dossiers.class_file import class_file_pdf
from reports.dossiers.data import DossierData, YearHours, dossier_data
from reports.dossiers.person import dossier_file_name, dossier_pdf, write_dossiers

__all__ = [
    "DossierData",
    "YearHours",
    "class_file_pdf",
    "dossier_data",
    "dossier_file_name",
    "dossier_pdf",
    "write_dossiers",
]
