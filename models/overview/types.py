"""The shapes of the 首页 figures: a labelled count, shared by every chart."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CountRow:
    """One bar of a chart and one line of its table: a Chinese label and how many people."""

    label: str
    count: int


def total(rows: tuple[CountRow, ...]) -> int:
    """The 合计 of ``rows``."""
    return sum(r.count for r in rows)


__all__ = ["CountRow", "total"]
