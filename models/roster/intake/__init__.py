"""Roster intake: spreadsheets, CSV, .lrmx and .lrm files -> normalised cadre records.

No Qt, no database. Readers return :class:`ParsedRow` objects (values, original text,
issues in Chinese); the roster service validates and stores them.
"""

from models.roster.intake.headers import SYNONYMS, ColumnInfo, attribute_for, header_key
from models.roster.intake.lrm import parse_lrm, parse_lrm_bytes
from models.roster.intake.lrmx import DEFAULT_VERSION, MAX_LRMX_BYTES, parse_lrmx, write_lrmx
from models.roster.intake.reader import IntakeResult, read_path, scan_file, sniff
from models.roster.intake.records import (
    ATTRIBUTE_LABELS,
    FamilyRow,
    FileIssue,
    IntakeCancelled,
    ParsedRow,
    RowIssue,
    SourceRef,
)
from models.roster.intake.tabular import (
    SheetLayout,
    TableResult,
    decode_text,
    read_csv,
    read_xlsx,
    scan_csv,
    scan_xlsx,
)
from models.roster.intake.values import (
    ValueProblem,
    normalise_date,
    normalise_id_card,
    normalise_sex,
)

__all__ = [
    "ATTRIBUTE_LABELS",
    "DEFAULT_VERSION",
    "MAX_LRMX_BYTES",
    "SYNONYMS",
    "ColumnInfo",
    "FamilyRow",
    "FileIssue",
    "IntakeCancelled",
    "IntakeResult",
    "ParsedRow",
    "RowIssue",
    "SheetLayout",
    "SourceRef",
    "TableResult",
    "ValueProblem",
    "attribute_for",
    "decode_text",
    "header_key",
    "normalise_date",
    "normalise_id_card",
    "normalise_sex",
    "parse_lrm",
    "parse_lrm_bytes",
    "parse_lrmx",
    "read_csv",
    "read_path",
    "read_xlsx",
    "scan_csv",
    "scan_file",
    "scan_xlsx",
    "sniff",
    "write_lrmx",
]
