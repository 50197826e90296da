"""What each of two processes does to the same record again and again: read it, change it,
save it with what it read, and on a conflict read again and retry. Every save that
succeeded is one increment, so the final value tells whether any update was lost; any
exception other than the Chinese ConflictError/DomainError counts as a raw driver error."""

from __future__ import annotations

import dataclasses
import traceback
from collections.abc import Callable
from decimal import Decimal

ROUNDS = 100


def repeat(target: str, actor: str, rounds: int, step: Callable[[], None]) -> dict:
    """Open ``target`` as ``actor`` and run ``step`` until it succeeded ``rounds`` times;
    the counts of successes, conflicts, busy refusals and raw errors (their tracebacks)."""
    from models.core.audit import set_actor
    from models.core.db import close_database
    from models.core.errors import ConflictError, DomainError
    from models.schema import open_database

    open_database(target)
    set_actor(actor)
    done = conflicts = busy = 0
    raw: list[str] = []
    try:
        while done < rounds:
            try:
                step()
                done += 1
            except ConflictError as exc:
                conflicts += 1
                if "请刷新后重试" not in str(exc):
                    raw.append(f"conflict without the Chinese advice: {exc}")
            except DomainError as exc:  # told in Chinese (the write lock held too long)
                busy += 1
                if busy > rounds:
                    raw.append(f"too many refusals, last: {exc}")
                    break
            except Exception:  # noqa: BLE001 - counted: no raw error may get through
                raw.append(traceback.format_exc(limit=3))
                if len(raw) > 5:
                    break
    finally:
        close_database()
    return {"done": done, "conflicts": conflicts, "busy": busy, "raw": raw}


def bump_score(target: str, round_id: int, cadre_id: int, item: str, actor: str) -> dict:
    """Add 0.1 to a score ROUNDS times, each time read-then-save with the value read."""
    from models.assessment.scores import person_scores, set_score

    def step() -> None:
        seen = person_scores(round_id, cadre_id).get(item)
        new = (seen or Decimal(0)) + Decimal("0.1")
        set_score(round_id, cadre_id, item, new, expected=seen)

    return repeat(target, actor, ROUNDS, step)


def bump_cadre(target: str, cadre_id: int, actor: str) -> dict:
    """Append a character to a cadre's 备注 ROUNDS times through the edit dialog's service
    (read the cadre with its version, save it with that version)."""
    from models.roster import service as roster
    from models.roster.types import CadreInput

    names = [f.name for f in dataclasses.fields(CadreInput)]

    def step() -> None:
        dto = roster.get_cadre(cadre_id)
        values = {k: getattr(dto, k) for k in names if hasattr(dto, k)}
        roster.save_cadre(CadreInput(**{**values, "notes": dto.notes + actor[0]}))

    return repeat(target, actor, ROUNDS, step)
