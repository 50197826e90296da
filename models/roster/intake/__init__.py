"""Roster intake: spreadsheets, CSV, .lrmx and .lrm files -> normalised cadre records.

No Qt, no database. Readers return :class:`ParsedRow` objects (values, original text,
issues in Chinese); models.roster.import_plan checks them against the roster and
models.roster.importing stores them. Other imports of people from a spreadsheet (选学志愿)
use the header recognition and value cleaning here.
"""

from models.roster.intake.headers import (
    HEADER_SCAN_ROWS,
    SYNONYMS,
    ColumnInfo,
    attribute_for,
    header_key,
    unit_and_post,
)
from models.roster.intake.lrm import parse_lrm, parse_lrm_bytes
from models.roster.intake.lrmx import DEFAULT_VERSION, MAX_LRMX_BYTES, parse_lrmx, write_lrmx
from models.roster.intake.post_unit import PostUnitIndex, UnitGuess
from models.roster.intake.reader import IntakeResult, read_path, scan_file, sniff
from models.roster.intake.records import (
    ATTRIBUTE_LABELS,
    IMPORT_CANCELLED,
    FamilyRow,
    FileIssue,
    ParsedRow,
    RowIssue,
    SourceRef,
)
from models.roster.intake.tabular import (
    SheetLayout,
    TableResult,
    UnimportedColumn,
    decode_text,
    read_csv,
    read_xlsx,
    scan_csv,
    scan_xlsx,
)
from models.roster.intake.values import (
    ValueProblem,
    clean_name,
    display_raw,
    normalise_date,
    normalise_id_card,
    normalise_sex,
    split_education_degree,
)

__all__ = [
    "ATTRIBUTE_LABELS",
    "DEFAULT_VERSION",
    "HEADER_SCAN_ROWS",
    "MAX_LRMX_BYTES",
    "SYNONYMS",
    "ColumnInfo",
    "FamilyRow",
    "FileIssue",
    "IMPORT_CANCELLED",
    "IntakeResult",
    "ParsedRow",
    "PostUnitIndex",
    "RowIssue",
    "SheetLayout",
    "SourceRef",
    "TableResult",
    "UnimportedColumn",
    "UnitGuess",
    "ValueProblem",
    "attribute_for",
    "clean_name",
    "decode_text",
    "display_raw",
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
    "unit_and_post",
    "split_education_degree",
    "write_lrmx",
]
