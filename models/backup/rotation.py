"""Which backups to keep: 7 daily, 4 weekly, 12 monthly, the "before" backups of the last 7
days, and always the newest one. Pure rules on timestamps (no files), so they are tested
with made-up dates.

A backup is kept when it is
- the newest backup of its day, for the 7 most recent days that have backups;
- the newest of its ISO week, for the 4 most recent weeks that have backups;
- the newest of its month, for the 12 most recent months that have backups;
- taken before an operation (导入前, 计算等次前, 审定前, 恢复前, 升级前), or made by hand
  (手动), less than 7 days ago (a backup someone asked for never vanishes the same day);
- the newest backup of all.
"Days that have backups" (not calendar days) means a month without work never empties the
folder: after a long holiday the last 7 working days are still there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_MONTHLY = 12
KEEP_BEFORE_DAYS = 7


@dataclass(frozen=True)
class Stamp:
    """One backup as the rules see it: when it was taken and whether it is kept for
    :data:`KEEP_BEFORE_DAYS` whatever the periods say (a "before" or a manual backup)."""

    key: Hashable  # what the caller knows it by (its path)
    when: dt.datetime
    before: bool = False


def _newest_per_period(
    stamps: Sequence[Stamp], period: Callable[[dt.datetime], Hashable], count: int
) -> set[Hashable]:
    kept: set[Hashable] = set()
    seen: set[Hashable] = set()
    for s in sorted(stamps, key=lambda s: s.when, reverse=True):
        p = period(s.when)
        if p in seen:
            continue
        if len(seen) == count:
            break
        seen.add(p)
        kept.add(s.key)
    return kept


def _iso_week(when: dt.datetime) -> tuple[int, int]:
    year, week, _ = when.isocalendar()
    return year, week


def kept(stamps: Sequence[Stamp], now: dt.datetime) -> set[Hashable]:
    """The keys of the backups to keep (see the module's docstring); the rest may go."""
    if not stamps:
        return set()
    keep = _newest_per_period(stamps, lambda w: w.date(), KEEP_DAILY)
    keep |= _newest_per_period(stamps, _iso_week, KEEP_WEEKLY)
    keep |= _newest_per_period(stamps, lambda w: (w.year, w.month), KEEP_MONTHLY)
    since = now - dt.timedelta(days=KEEP_BEFORE_DAYS)
    keep |= {s.key for s in stamps if s.before and s.when >= since}
    keep.add(max(stamps, key=lambda s: s.when).key)
    return keep


__all__ = ["KEEP_BEFORE_DAYS", "KEEP_DAILY", "KEEP_MONTHLY", "KEEP_WEEKLY", "Stamp", "kept"]
