"""The PostgreSQL driver, loaded only when a shared database is opened.

peewee imports psycopg (the PostgreSQL driver) as soon as it is itself imported, whatever the
database: 0.1–0.15 s of every start of the app and of every command, most of which open a
SQLite file. So ``models`` imports peewee with psycopg held back (:func:`import_peewee`),
and :func:`attach_postgres_driver` gives peewee the driver when a PostgreSQL database is
opened (models.core.db.make_postgres, models.backup.restoring). Everything else may import
psycopg as usual: it is held back only while peewee itself is being imported.

No peewee at the top of this module: it must run before peewee is imported.
"""

from __future__ import annotations

import importlib
import sys

# peewee's module-level names for the psycopg 3 driver, filled in when it is imported
_PEEWEE_NAMES = (
    ("psycopg", "psycopg", None),
    ("TransactionStatus", "psycopg.pq", "TransactionStatus"),
    ("Json_pg3", "psycopg.types.json", "Json"),
    ("Jsonb_pg3", "psycopg.types.json", "Jsonb"),
)


def import_peewee() -> None:
    """Import peewee without letting it import psycopg (nothing when peewee or psycopg is
    already imported: peewee then has the driver as usual)."""
    if "peewee" in sys.modules or "psycopg" in sys.modules:
        return
    sys.modules["psycopg"] = None  # type: ignore[assignment]  # `import psycopg` → ImportError
    try:
        importlib.import_module("peewee")
    finally:
        if sys.modules.get("psycopg", False) is None:
            del sys.modules["psycopg"]


def attach_postgres_driver() -> bool:
    """Give peewee the psycopg 3 driver (imported now if it was held back). False when
    psycopg is not installed."""
    peewee = importlib.import_module("peewee")
    if getattr(peewee, "psycopg", None) is not None:
        return True
    try:
        values = []
        for _name, module, attr in _PEEWEE_NAMES:
            imported = importlib.import_module(module)
            values.append(imported if attr is None else getattr(imported, attr))
    except ImportError:
        return False
    for (name, _module, _attr), value in zip(_PEEWEE_NAMES, values, strict=True):
        setattr(peewee, name, value)
    return True


__all__ = ["attach_postgres_driver", "import_peewee"]
