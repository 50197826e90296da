"""The domain layer of CadreDesk: tables, rules, use cases, imports and exports. No Qt.

Grouped by subject, each a package with its public API in its ``__init__``:
``core`` (database, errors, change log, dates, progress, workbooks), ``roster`` (干部名册
and its intake), ``training`` (三三制 classes, 学时, the planner), ``assessment`` (五项考核:
rounds, scores, rules, the grading engine, results). ``schema`` holds the migrations and
opens a database; ``demo`` builds the whole demo database.
"""

from models.core.driver import import_peewee

import_peewee()  # first: peewee without the PostgreSQL driver until a server is opened

__all__ = ["assessment", "core", "demo", "roster", "schema", "training"]
