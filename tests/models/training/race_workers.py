"""What each of two processes does to the same timetable half-day or attendance record,
again and again: read it, change it, save it with the version read, and on a conflict read
again and retry. Every save that succeeded is one increment, so the final value tells
whether any update was lost; any exception other than the Chinese ConflictError or
DomainError counts as a raw driver error."""

from __future__ import annotations

from tests.models.concurrency.workers import ROUNDS, repeat


def bump_session(target: str, session_id: int, actor: str) -> dict:
    """Count a session's title up by one, ROUNDS times, through the session dialog's
    service with the version read."""
    from models.training import get_session, update_session

    def step() -> None:
        s = get_session(session_id)
        update_session(session_id, title=str(int(s.title) + 1), expected_version=s.version)

    return repeat(target, actor, ROUNDS, step)


def bump_attendance(target: str, session_id: int, cadre_id: int, actor: str) -> dict:
    """Count a trainee's attendance note up by one, ROUNDS / 2 times, with the version read
    (the first write of the two meets an empty record: an insert race)."""
    from models.training import hours as hr
    from models.training import record_attendance, session_attendance

    def step() -> None:
        row = next(r for r in session_attendance(session_id) if r.cadre_id == cadre_id)
        note = str(int(row.note or "0") + 1)
        record_attendance(
            session_id,
            {cadre_id: hr.PRESENT},
            notes={cadre_id: note},
            expected_versions={cadre_id: row.version},
        )

    return repeat(target, actor, ROUNDS // 2, step)
