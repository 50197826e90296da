"""A package written by an older program (a lower schema version) brought to this program's
shape in memory, before anything else reads it; one from a newer program is refused when it
is read (models.exchange.package).

Two rules, in order:

* ``STEPS``: the known changes of shape since packages began (schema v14), each run on the
  records of a package older than it: a field renamed, a value written differently. None
  so far: no table a package carries has changed shape since v14.
* A field the current program sends that an older package's record lacks (added to the
  table since) gets the column's default. A row added by the package is written with it;
  an existing row keeps its own value (the sender never had one to send), and the field
  is not compared (``Package.defaulted`` names such fields).
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from peewee import Field

from models.core.errors import DomainError
from models.exchange.package import Package
from models.exchange.records import SPECS_BY_KIND, encode

OLDEST_SCHEMA = 14
"""The schema that brought exchange packages: no program wrote one before it."""

Tables = dict[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class ShapeStep:
    """One change of a package's shape: ``run`` brings the records of a package written
    before schema ``version`` to that version's shape."""

    version: int
    description: str
    run: Callable[[Tables], None]


STEPS: list[ShapeStep] = []


def _default(field: Field) -> object:
    value = field.default
    return encode(value() if callable(value) else value)


def upgrade(package: Package, schema: int) -> Package:
    """``package`` in the shape of ``schema`` (this program's): unchanged when written at
    it; DomainError when older than any package can be."""
    written = package.manifest.schema
    if written < OLDEST_SCHEMA:
        raise DomainError(
            f"交换包的数据库版本为 {written}，早于交换功能（版本 {OLDEST_SCHEMA}），"
            "不是本程序能接收的交换包"
        )
    if written >= schema:
        return package
    tables: Tables = copy.deepcopy(package.tables)
    for step in sorted(STEPS, key=lambda s: s.version):
        if written < step.version <= schema:
            step.run(tables)
    kind = package.manifest.scope.partition(":")[0]
    defaulted: dict[str, frozenset[str]] = {}
    for spec in SPECS_BY_KIND.get(kind, ()):
        model_fields = spec.model._meta.fields
        filled: set[str] = set()
        for record in tables.get(spec.table, []):
            values = record.get("f") if isinstance(record, dict) else None
            if not isinstance(values, dict):
                continue  # refused by the scope check
            for name in spec.fields:
                if name not in values:
                    values[name] = _default(model_fields[name])
                    filled.add(name)
        if filled:
            defaulted[spec.table] = frozenset(filled)
    return dataclasses.replace(package, tables=tables, defaulted=defaulted)


__all__ = ["OLDEST_SCHEMA", "STEPS", "ShapeStep", "upgrade"]
