"""The bottom layer every subject builds on, importing nothing from roster, training or
assessment: errors a user can fix, in Chinese (``errors``); progress and cancel for long work
(``progress``); dates as the forms write them (``dates``); opening the files users bring, as
bytes or an .xlsx workbook (``workbook``). Re-exported below. The database (``db``: the proxy,
transactions, bulk inserts) and the change log (``audit``) bring peewee, which the pure rule
packages must not load, so they are imported from their own modules.
"""

from models.core.dates import age_on, as_date, now_seconds, parse_date, ym, ymd_cn
from models.core.errors import (
    ConflictError,
    DomainError,
    FieldIssue,
    NotFoundError,
    ValidationError,
    os_error_text,
)
from models.core.progress import (
    Cancelled,
    IsCancelled,
    Progress,
    raise_if_cancelled,
)
from models.core.workbook import (
    OLE_MAGIC,
    ZIP_MAGICS,
    looks_like_text,
    not_xlsx,
    open_workbook,
    read_file,
)

__all__ = [
    "OLE_MAGIC",
    "ZIP_MAGICS",
    "Cancelled",
    "ConflictError",
    "DomainError",
    "FieldIssue",
    "IsCancelled",
    "NotFoundError",
    "Progress",
    "ValidationError",
    "os_error_text",
    "age_on",
    "as_date",
    "looks_like_text",
    "not_xlsx",
    "now_seconds",
    "open_workbook",
    "parse_date",
    "raise_if_cancelled",
    "read_file",
    "ym",
    "ymd_cn",
]
