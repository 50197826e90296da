"""Exchange packages (交换包): data carried between offices with no network, as a ``.cdx``
file (a zip of ``manifest.json`` and one JSON-lines file per table; hashes on every part,
optionally encrypted with a password). Scopes: a finished class's results (``class``: the
class, timetable, trainees, attendance, the 学时 its 结业 wrote, and only the keys of the
trainees), a unit's roster (``unit``: the unit, its sub-units, their cadres), a year's
annual round's scores and grades (``round``, models.exchange.rounds) and the 学时 lines of a
period (``hours``, models.exchange.ledger).

Records are named by a global id (``gid``, schema v14) in every office; a round's results,
whose tables have none, by their natural key (the round, the person, the item). Receiving is
in two steps for the screens and the command line alike: :func:`preview` (what the package
would do here: 新增, 相同, 对方修改, 本地修改, 冲突, 无法匹配, 对方已删除, table by table) and
:func:`apply` (all of it in one transaction, conflicts decided by the user: mine, theirs,
or for two 学时 lines both). ``package`` reads and writes the file (no database);
``upgrade`` brings an older program's package to today's shape; ``records`` says how each
table travels; ``items`` is what a preview is made of; ``tables`` holds the exchange's own
tables. The names below load on first use (the schema imports ``tables`` at start-up).
"""

from __future__ import annotations

from models.core.lazy import lazy_api

_API: dict[str, tuple[str, ...]] = {
    "receive": ("PREFER", "ApplyResult", "apply"),
    "export": ("ExportResult", "export_class", "export_unit", "find_unit"),
    "rounds": ("export_round",),
    "ledger": ("export_hours", "parse_period"),
    "upgrade": ("OLDEST_SCHEMA",),
    "office": (
        "RECEIVED",
        "SENT",
        "HistoryDTO",
        "exchange_history",
        "office_name",
        "received_before",
        "set_office",
    ),
    "package": ("FORMAT_VERSION", "SUFFIX", "Manifest", "read_manifest"),
    "records": ("LABELS",),
    "plan": ("preview",),
    "items": (
        "BOTH_TABLES",
        "CONFLICT",
        "KINDS",
        "MINE",
        "NEW",
        "REMOVED",
        "SAME",
        "THEIRS",
        "UNMATCHED",
        "Difference",
        "ItemDTO",
        "Preview",
        "TableCounts",
    ),
}

__all__, __getattr__, __dir__ = lazy_api(__name__, _API)
