"""在职 cadres counted for the 首页: by 领导职务层次 or 职级, and by age band."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from peewee import fn

from models.core.dates import age_on, as_date
from models.core.db import query_rows
from models.overview.types import CountRow
from models.roster import picklist
from models.roster.tables import Cadre

ACTIVE = "在职"
NOT_FILLED = "未填写"

#: (label, lowest age, highest age) of each band; None: open-ended
AGE_BANDS: tuple[tuple[str, int | None, int | None], ...] = (
    ("30岁及以下", None, 30),
    ("31—35岁", 31, 35),
    ("36—40岁", 36, 40),
    ("41—45岁", 41, 45),
    ("46—50岁", 46, 50),
    ("51—55岁", 51, 55),
    ("56岁及以上", 56, None),
)


def age_band(age: int) -> str:
    """The label of the band ``age`` falls in."""
    for label, low, high in AGE_BANDS:
        if (low is None or age >= low) and (high is None or age <= high):
            return label
    raise AssertionError(f"no age band holds {age}")  # the bands cover every age


def cadres_by_level() -> tuple[CountRow, ...]:
    """在职 cadres by 领导职务层次, and those without one by 职级 (how a 干部统计 splits
    leaders from the others, so that everyone is counted once). In the 代码表's order, high
    to low: the 领导职务层次, then the 职级; values the 代码表 does not hold after them, and
    those with neither last (未填写). Only the non-empty ones."""
    counts: Counter[str] = Counter()
    q = (
        Cadre.select(Cadre.leadership_level, Cadre.rank, fn.COUNT(Cadre.id))
        .where(Cadre.status == ACTIVE)
        .group_by(Cadre.leadership_level, Cadre.rank)
    )
    for level, rank, n in query_rows(q):
        counts[(level or "").strip() or (rank or "").strip() or NOT_FILLED] += n
    known = picklist("leadership_level", include_inactive=True) + picklist(
        "rank", include_inactive=True
    )
    order = {name: k for k, name in enumerate(dict.fromkeys(known))}
    labels = sorted(counts, key=lambda s: (s == NOT_FILLED, s not in order, order.get(s, 0), s))
    return tuple(CountRow(label, counts[label]) for label in labels)


def cadres_by_age(today: dt.date) -> tuple[CountRow, ...]:
    """在职 cadres by age on ``today`` (周岁), every band of :data:`AGE_BANDS` in order, the
    empty ones with 0."""
    counts = Counter(
        age_band(age_on(as_date(birth), today))
        for (birth,) in query_rows(Cadre.select(Cadre.birth_date).where(Cadre.status == ACTIVE))
    )
    return tuple(CountRow(label, counts[label]) for label, _low, _high in AGE_BANDS)


__all__ = ["ACTIVE", "AGE_BANDS", "NOT_FILLED", "age_band", "cadres_by_age", "cadres_by_level"]
