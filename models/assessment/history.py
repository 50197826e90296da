"""五项考核 change history as the screens show it: the changes to a round, and everything
recorded about one person in a round (read from the change log, models.core.audit)."""

from __future__ import annotations

from models.assessment.rounds import CADRE_ENTITY, PERSON_ENTITY, ROUND_ENTITY, member_row
from models.core.audit import ChangeDTO, history

__all__ = ["person_history", "round_history"]


def round_history(round_id: int) -> list[ChangeDTO]:
    """Changes to the round itself: rules, status, members added."""
    return history(ROUND_ENTITY, round_id)


def person_history(round_id: int, cadre_id: int) -> list[ChangeDTO]:
    """Every recorded change about one person in a round (scores, votes, adjustments, grades,
    flags), plus their sanctions and 平时考核 grades; newest first."""
    m = member_row(round_id, cadre_id)
    out = history(PERSON_ENTITY, m.id) + history(CADRE_ENTITY, cadre_id)
    return sorted(out, key=lambda c: c.at, reverse=True)
