"""The 干部名册 (roster) on the database side: cadres and units, what a cadre record holds and
how it is checked, the services the roster screen, the command line and the other subjects
use (list, search, read, save, retire, the unit tree), with their DTOs and constants,
re-exported below. Imported from their own modules instead: the tables (``tables``), the
代码表 (``codes``, ``picklists``), the ID-card and pinyin helpers (``idcard``, ``pinyin``),
and importing, which reads files and is needed only when a file is imported (``intake``
reads 花名册, .lrmx and .lrm files; ``import_plan`` previews an import; ``importing`` writes
it and exports .lrmx). Nothing here imports training or assessment.
"""

from models.roster.service import (
    count_cadres,
    delete_cadre,
    fetch_rows,
    get_cadre,
    iter_cadres,
    level_choices,
    list_units,
    picklist,
    query_ids,
    references,
    save_cadre,
    set_status,
    subtree_ids,
    unit_paths,
)
from models.roster.tables import STATUSES
from models.roster.types import (
    DATE_FIELDS,
    FIELD_LABELS,
    PARTY_MEMBER,
    PICKLIST_FIELDS,
    ROSTER_COLUMNS,
    STAFF_CATEGORIES,
    CadreDTO,
    CadreInput,
    RosterFilter,
    RosterRow,
    UnitDTO,
    staff_category_of,
    unit_and_post,
)
from models.roster.units import (
    add_unit,
    delete_unit,
    find_unit,
    move_unit,
    move_unit_order,
    rename_unit,
)
from models.roster.validation import CheckContext, Checked, check

__all__ = [
    "DATE_FIELDS",
    "FIELD_LABELS",
    "PARTY_MEMBER",
    "PICKLIST_FIELDS",
    "ROSTER_COLUMNS",
    "STAFF_CATEGORIES",
    "STATUSES",
    "CadreDTO",
    "CadreInput",
    "CheckContext",
    "Checked",
    "RosterFilter",
    "RosterRow",
    "UnitDTO",
    "add_unit",
    "check",
    "count_cadres",
    "delete_cadre",
    "delete_unit",
    "fetch_rows",
    "find_unit",
    "get_cadre",
    "iter_cadres",
    "level_choices",
    "list_units",
    "move_unit",
    "move_unit_order",
    "picklist",
    "query_ids",
    "references",
    "rename_unit",
    "save_cadre",
    "set_status",
    "staff_category_of",
    "subtree_ids",
    "unit_and_post",
    "unit_paths",
]
