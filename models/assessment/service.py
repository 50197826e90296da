"""五项考核 use cases: rounds, the scheme (rules) editor, members and the approval workflow.

One use case = one function = one ``db.atomic()``. Every change to a rule or a status is
written to the change log (who, when, old, new, why). A round that is 审定 (approved) is
locked: any change raises :class:`DomainError` "本轮考核已审定锁定，不能修改" until it is
unlocked with a reason.

Scores, votes, adjustments and sanctions are in :mod:`models.assessment.scores`; grading,
overrides, the overview and the printed sheet data in :mod:`models.assessment.grading.service`.
"""

from __future__ import annotations

from models.assessment.members import (  # noqa: F401  (re-exported)
    _FLAG_LABELS,
    _insert_members,
    _member_dto,
    add_member,
    add_unit_members,
    layer_of,
    list_members,
    remove_member,
    set_member_flags,
)
from models.assessment.rounds import (  # noqa: F401  (re-exported)
    CADRE_ENTITY,
    DEFAULT_LAYER,
    LOCKED_MESSAGE,
    PERSON_ENTITY,
    ROUND_ENTITY,
    MemberDTO,
    RoundChangedError,
    RoundDTO,
    _round_dto,
    _round_name,
    _round_row,
    _user,
    create_round,
    find_round,
    get_round,
    list_rounds,
    member_row,
    round_rules,
    rules_of,
    who,
    writable_round,
)
from models.assessment.scheme import (  # noqa: F401  (re-exported)
    _data_issues,
    _flatten,
    save_rules,
    set_raised_quota,
)
from models.assessment.workflow import (  # noqa: F401  (re-exported)
    _move,
    approve_round,
    return_to_entry,
    submit_for_review,
    unlock_round,
)
from models.core.audit import ChangeDTO, history

__all__ = [
    "CADRE_ENTITY",
    "LOCKED_MESSAGE",
    "PERSON_ENTITY",
    "ROUND_ENTITY",
    "MemberDTO",
    "RoundChangedError",
    "RoundDTO",
    "add_member",
    "add_unit_members",
    "approve_round",
    "create_round",
    "find_round",
    "get_round",
    "list_members",
    "list_rounds",
    "person_history",
    "remove_member",
    "return_to_entry",
    "round_history",
    "round_rules",
    "save_rules",
    "set_member_flags",
    "set_raised_quota",
    "submit_for_review",
    "unlock_round",
]


def round_history(round_id: int) -> list[ChangeDTO]:
    """Changes to the round itself: rules, status, members added."""
    return history(ROUND_ENTITY, round_id)


def person_history(round_id: int, cadre_id: int) -> list[ChangeDTO]:
    """Every recorded change about one person in a round (scores, votes, adjustments, grades,
    flags), plus their sanctions and 平时考核 grades; newest first."""
    m = member_row(round_id, cadre_id)
    out = history(PERSON_ENTITY, m.id) + history(CADRE_ENTITY, cadre_id)
    return sorted(out, key=lambda c: c.at, reverse=True)
