"""The unit of a 任免审批表 (.lrmx/.lrm) person when its 现任职务 names no unit, or several
equally well: :class:`UnsureUnit` is what the import wizard asks about, row by row, and
:func:`chosen_unit` applies the user's answer (a unit path) to the row.

Pure: no database, no Qt.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from models.roster.intake.records import ParsedRow, SourceRef

__all__ = ["UnitChoices", "UnsureUnit", "chosen_unit"]

# (file, row) of a source (or the SourceRef itself) → the unit path chosen for it
UnitChoices = Mapping[object, str]


@dataclass(frozen=True)
class UnsureUnit:
    """A person whose unit could not be found from the 现任职务 ``post``: ``candidates``
    are the unit paths that fit equally well (empty when none fits)."""

    file: str
    row: int | None
    name: str
    post: str
    candidates: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, int | None]:
        """The key of this person's choice in a :data:`UnitChoices` mapping."""
        return (self.file, self.row)

    @classmethod
    def of(cls, row: ParsedRow, candidates: tuple[str, ...]) -> UnsureUnit:
        name, post = row.values.get("name"), row.values.get("post_title")
        return cls(
            row.source.file,
            row.source.row,
            name if isinstance(name, str) else "",
            post if isinstance(post, str) else "",
            tuple(candidates),
        )


def chosen_unit(
    choices: UnitChoices | None, source: SourceRef, by_path: Mapping[str, int]
) -> tuple[int | None, str, str] | None:
    """(unit id, path, problem) of the unit chosen for ``source``; None when none was
    chosen. A path that is not in the unit tree gives no id and a problem to show."""
    if not choices:
        return None
    text = choices.get(source) or choices.get((source.file, source.row))
    if not text:
        return None
    path = "/".join(p.strip() for p in str(text).replace("／", "/").split("/") if p.strip())
    if path in by_path:
        return by_path[path], path, ""
    return None, "", f"所选单位“{text}”不在单位树中，请重新选择单位"
