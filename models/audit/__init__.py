"""The change log as an inspector reads it: who changed what, when, from what to what and
why, filtered by date, person, unit, kind of record and account, with names instead of ids.

``query`` filters in SQL and pages (:func:`list_changes` for a screen, :func:`iter_changes`
for an export); ``names`` turns ids into names (张三（市委组织部）, 班次《…》); ``kinds`` says
what each kind of record is called (干部, 考核得分, 处分…) and how its fields read; ``types``
holds the DTOs. Sits above assessment and training: it reads their tables to name rows.
"""

from models.audit.kinds import KINDS, Kind
from models.audit.query import (
    PAGE_SIZE,
    account_choices,
    count_changes,
    describe,
    find_people,
    iter_changes,
    kind_choices,
    list_changes,
    parse_day,
)
from models.audit.types import HEADERS, AuditFilter, ChangePage, ChangeRow, PersonMatch

__all__ = [
    "HEADERS",
    "KINDS",
    "PAGE_SIZE",
    "AuditFilter",
    "ChangePage",
    "ChangeRow",
    "Kind",
    "PersonMatch",
    "account_choices",
    "count_changes",
    "describe",
    "find_people",
    "iter_changes",
    "kind_choices",
    "list_changes",
    "parse_day",
]
