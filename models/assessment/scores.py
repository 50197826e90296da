"""五项考核 data entry: item scores (one cell or a pasted block), 民主测评 votes and group
averages.

Every value is checked before anything is written; a block is stored all or nothing, and
every problem names the person and the item. Every change is logged with its old and new
value (models.core.audit).

The person records (加分/扣分, 一票否决, 平时考核, sanctions) are in
:mod:`models.assessment.records`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from models.accounts import Permission, require_for_cadres
from models.assessment.rounds import (
    PERSON_ENTITY,
    acting_user,
    refuse_approved_pools,
    rules_of,
    who,
    writable_member,
    writable_round,
)
from models.assessment.rules import AssessmentRules, fmt_number, to_decimal
from models.assessment.tables import GroupAverage, ItemScore, RoundMember, VoteCount
from models.core.audit import ChangeLog, change_rows, record_changes
from models.core.concurrency import conflict
from models.core.db import bulk_insert, chunks, db, executemany, write_transaction
from models.core.errors import ConflictError, DomainError, FieldIssue, ValidationError
from models.roster.tables import Cadre

__all__ = [
    "UNREAD",
    "ScoreCell",
    "VoteEntry",
    "parse_count",
    "parse_score",
    "person_scores",
    "set_cells",
    "set_group_averages",
    "set_score",
    "set_scores",
    "set_votes",
    "set_votes_block",
]

_MAX_SHOWN = 30


class _Unread:
    """The type of :data:`UNREAD`."""

    def __repr__(self) -> str:
        return "UNREAD"


UNREAD: object = _Unread()
"""``expected`` of an edit that did not read the stored value first (an import, which
overwrites what it names): stored without a check."""


@dataclass(frozen=True)
class ScoreCell:
    """One grid cell: ``value`` None or "" clears the score. ``expected`` is what the screen
    showed before the edit (None for an empty cell): when the stored score is no longer that,
    someone else changed it meanwhile and the whole edit is refused (ConflictError, naming
    who, when and the value now) instead of overwriting their work."""

    cadre_id: int
    item_code: str
    value: object
    expected: object = UNREAD


@dataclass(frozen=True)
class VoteEntry:
    """All vote counts of one person: group code → vote label → count (None clears).
    ``expected``, when given, holds the counts the screen showed (same shape; a missing or
    None count: empty), checked as :class:`ScoreCell` checks its score."""

    cadre_id: int
    votes: Mapping[str, Mapping[str, object]]
    expected: Mapping[str, Mapping[str, object]] | None = None


def _same_number(expected: object, stored: str | int | None) -> bool:
    """Whether the value a screen read (``expected``) is the stored one (text or count)."""
    if expected is None or (isinstance(expected, str) and not expected.strip()):
        return stored is None
    if stored is None:
        return False
    try:
        return to_decimal(expected) == to_decimal(stored)
    except (ValueError, ArithmeticError):
        return False


def _changed_meanwhile(
    record: str, member_id: int, field: str, stored: str | int | None
) -> ConflictError:
    """The ConflictError of a value someone else changed since the screen read it."""
    return conflict(
        record, PERSON_ENTITY, member_id, field=field, now="空" if stored is None else stored
    )


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _raise(issues: list[FieldIssue], record: str) -> None:
    if not issues:
        return
    shown = issues[:_MAX_SHOWN]
    if len(issues) > _MAX_SHOWN:
        shown.append(FieldIssue("", "其余", f"另有 {len(issues) - _MAX_SHOWN} 处问题未列出"))
    raise ValidationError(shown, record=record)


def parse_score(value: object, full_score: Decimal) -> Decimal | None:
    """A score as typed or pasted: '92', '92.5', 92.5, '' (None). Raises ValueError with the
    Chinese reason."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = value.strip().replace("，", ".").replace("。", ".") if isinstance(value, str) else value
    try:
        d = to_decimal(text, "得分")
    except DomainError:
        raise ValueError(f"“{_text(value)}”不是数字") from None
    if d.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError(f"{fmt_number(d)} 最多保留两位小数")
    if not Decimal(0) <= d <= full_score:
        raise ValueError(f"{fmt_number(d)} 超出 0–{fmt_number(full_score)}")
    return d


def _members(round_id: int, cadre_ids: Sequence[int]) -> dict[int, RoundMember]:
    out: dict[int, RoundMember] = {}
    ids = list(set(cadre_ids))
    for i in range(0, len(ids), 500):
        for m in RoundMember.select().where(
            (RoundMember.round == round_id) & (RoundMember.cadre.in_(ids[i : i + 500]))
        ):
            out[m.cadre_id] = m
    return out


def _names(cadre_ids: Sequence[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    ids = list(set(cadre_ids))
    for i in range(0, len(ids), 500):
        out.update(
            Cadre.select(Cadre.id, Cadre.name).where(Cadre.id.in_(ids[i : i + 500])).tuples()
        )
    return out


# --------------------------------------------------------------------------- item scores


def set_scores(
    round_id: int, cells: Sequence[ScoreCell], *, reason: str = "", user: str | None = None
) -> int:
    """Store a block of scores (the grid's paste) in one transaction: every value is checked
    against its item's full score first and nothing is stored when any is wrong. Returns the
    number of cells that changed."""
    require_for_cadres(Permission.SCORES, [c.cadre_id for c in cells], round_id=round_id)
    user = acting_user(user)
    with write_transaction():
        row = writable_round(round_id)
        refuse_approved_pools(round_id, [c.cadre_id for c in cells])
        rules = rules_of(row)
        members = _members(round_id, [c.cadre_id for c in cells])
        names = _names([c.cadre_id for c in cells])
        issues: list[FieldIssue] = []
        parsed: dict[tuple[int, str], Decimal | None] = {}
        expected: dict[tuple[int, str], tuple[object, str]] = {}
        for c in cells:
            m = members.get(c.cadre_id)
            name = names.get(c.cadre_id, f"编号 {c.cadre_id}")
            if m is None:
                issues.append(FieldIssue("cadre", name, "不在本轮考核人员中"))
                continue
            person = f"{name}（{m.unit_name}）"
            item = rules.items_by_code.get(c.item_code)
            if item is None:
                issues.append(
                    FieldIssue(c.item_code, person, f"考核项目“{c.item_code}”不在本轮考核方案中")
                )
                continue
            try:
                parsed[(c.cadre_id, c.item_code)] = parse_score(c.value, item.full_score)
            except ValueError as exc:
                issues.append(FieldIssue(c.item_code, f"{person}的“{item.name}”得分", str(exc)))
            if c.expected is not UNREAD:
                expected[(c.cadre_id, c.item_code)] = (c.expected, person)
        _raise(issues, row.name)
        return _store_scores(round_id, rules, members, parsed, reason, user, expected)


def _store_scores(
    round_id: int,
    rules: AssessmentRules,
    members: Mapping[int, RoundMember],
    parsed: Mapping[tuple[int, str], Decimal | None],
    reason: str,
    user: str,
    expected: Mapping[tuple[int, str], tuple[object, str]],
) -> int:
    cadre_ids = list({k[0] for k in parsed})
    existing: dict[tuple[int, str], tuple[int, str]] = {}
    for i in range(0, len(cadre_ids), 500):
        for sid, cid, code, score in (
            ItemScore.select(ItemScore.id, ItemScore.cadre, ItemScore.item_code, ItemScore.score)
            .where((ItemScore.round == round_id) & (ItemScore.cadre.in_(cadre_ids[i : i + 500])))
            .tuples()
        ):
            existing[(cid, code)] = (sid, score)
    inserts: list[dict[str, object]] = []
    updates: list[tuple[str, int, str]] = []  # new score, row id, score read
    deletes: list[tuple[int, str]] = []  # row id, score read
    whose: dict[int, tuple[int, str]] = {}  # row id → member id, item code
    old_log: dict[int, dict[str, object]] = {}
    new_log: dict[int, dict[str, object]] = {}
    changed = 0
    for (cid, code), value in parsed.items():
        before = existing.get((cid, code))
        new_text = None if value is None else fmt_number(value)
        old_text = None if before is None else before[1]
        mid = members[cid].id
        label = f"{rules.items_by_code[code].name}得分"
        if (cid, code) in expected:
            seen, person = expected[(cid, code)]
            if not _same_number(seen, old_text):
                record = f"{person}的“{rules.items_by_code[code].name}”得分"
                raise _changed_meanwhile(record, mid, label, old_text)
        if (old_text is None and new_text is None) or (
            old_text is not None and new_text is not None and Decimal(old_text) == value
        ):
            continue
        changed += 1
        if before is None:
            inserts.append({"round": round_id, "cadre": cid, "item_code": code, "score": new_text})
        elif new_text is None:
            deletes.append((before[0], before[1]))
        else:
            updates.append((new_text, before[0], before[1]))
        if before is not None:
            whose[before[0]] = (mid, code)
        old_log.setdefault(mid, {})[label] = old_text
        new_log.setdefault(mid, {})[label] = new_text
    _write_conditionally(rules, updates, deletes, whose)
    bulk_insert(ItemScore, inserts)
    log: list[dict[str, object]] = []
    for mid in new_log:
        log += change_rows(
            PERSON_ENTITY, mid, "修改", old_log[mid], new_log[mid], user=user, reason=reason
        )
    bulk_insert(ChangeLog, log)
    return changed


def _write_conditionally(
    rules: AssessmentRules,
    updates: Sequence[tuple[str, int, str]],
    deletes: Sequence[tuple[int, str]],
    whose: Mapping[int, tuple[int, str]],
) -> None:
    """Update and delete score rows, each conditional on the score read before (``WHERE id
    = ? AND score = ?``), in two statements run for all rows (executemany). A writer who
    committed in between (on a server) makes some row match nothing: then the use case is
    refused, naming that cell, instead of overwriting the other writer's score."""
    mark = db.param
    done = 0
    if updates:
        sql = f"UPDATE item_score SET score = {mark} WHERE id = {mark} AND score = {mark}"
        done += executemany(sql, list(updates))
    if deletes:
        done += executemany(
            f"DELETE FROM item_score WHERE id = {mark} AND score = {mark}", list(deletes)
        )
    if done == len(updates) + len(deletes):
        return
    read = {row_id: old for _new, row_id, old in updates} | dict(deletes)
    now = _scores_by_id(list(read))
    for row_id, old in read.items():
        if now.get(row_id) != old:
            mid, code = whose[row_id]
            label = f"{rules.items_by_code[code].name}得分"
            name = f"“{rules.items_by_code[code].name}”得分"
            raise _changed_meanwhile(name, mid, label, now.get(row_id))
    raise ConflictError()  # counted fewer rows than written, yet every row agrees: refuse


def _scores_by_id(ids: list[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    for part in chunks(ids):
        out.update(
            ItemScore.select(ItemScore.id, ItemScore.score).where(ItemScore.id.in_(part)).tuples()
        )
    return out


def set_score(
    round_id: int,
    cadre_id: int,
    item_code: str,
    value: object,
    *,
    reason: str = "",
    user: str | None = None,
    expected: object = UNREAD,
) -> Decimal | None:
    """Store one cell; returns the stored score (None when cleared). ``expected``: the score
    the screen showed (see :class:`ScoreCell`)."""
    cell = ScoreCell(cadre_id, item_code, value, expected)
    set_scores(round_id, [cell], reason=reason, user=user)
    s = (
        ItemScore.select(ItemScore.score)
        .where(
            (ItemScore.round == round_id)
            & (ItemScore.cadre == cadre_id)
            & (ItemScore.item_code == item_code)
        )
        .scalar()
    )
    return None if s is None else Decimal(s)


def person_scores(round_id: int, cadre_id: int) -> dict[str, Decimal]:
    return {
        code: Decimal(s)
        for code, s in ItemScore.select(ItemScore.item_code, ItemScore.score)
        .where((ItemScore.round == round_id) & (ItemScore.cadre == cadre_id))
        .tuples()
    }


# --------------------------------------------------------------------------- 民主测评


def parse_count(value: object) -> int | None:
    """A vote count as typed or pasted: 12, '12', 12.0, '' (None). Raises ValueError with
    the Chinese reason."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"“{value}”不是票数")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        text = value.strip()
        if not text.isdigit():
            raise ValueError(f"“{text}”不是不小于 0 的整数")
        value = int(text)
    if not isinstance(value, int) or value < 0:
        raise ValueError(f"“{value}”不是不小于 0 的整数")
    return value


def set_votes_block(
    round_id: int, entries: Sequence[VoteEntry], *, reason: str = "", user: str | None = None
) -> int:
    """Store 民主测评 vote counts for many people at once (all or nothing). A count of None
    clears it. Returns the number of counts that changed."""
    require_for_cadres(Permission.SCORES, [e.cadre_id for e in entries], round_id=round_id)
    user = acting_user(user)
    with write_transaction():
        row = writable_round(round_id)
        rules = rules_of(row)
        ids = [e.cadre_id for e in entries]
        refuse_approved_pools(round_id, ids)
        members = _members(round_id, ids)
        names = _names(ids)
        with_averages = {
            c
            for part in chunks(ids)
            for (c,) in GroupAverage.select(GroupAverage.cadre)
            .where((GroupAverage.round == round_id) & (GroupAverage.cadre.in_(part)))
            .tuples()
        }
        issues: list[FieldIssue] = []
        parsed: dict[tuple[int, str, str], int | None] = {}
        seen: dict[tuple[int, str, str], tuple[object, str]] = {}
        for e in entries:
            m = members.get(e.cadre_id)
            name = names.get(e.cadre_id, f"编号 {e.cadre_id}")
            if m is None:
                issues.append(FieldIssue("cadre", name, "不在本轮考核人员中"))
                continue
            person = f"{name}（{m.unit_name}）"
            if e.cadre_id in with_averages and any(
                v is not None and _text(v) for g in e.votes.values() for v in g.values()
            ):
                issues.append(
                    FieldIssue(
                        "votes", person, "已录入民主测评平均分，不能同时录入票数；请先清除平均分"
                    )
                )
                continue
            for code, counts in e.votes.items():
                group = rules.groups_by_code.get(code)
                if group is None:
                    issues.append(FieldIssue("votes", person, f"评价组“{code}”不在本轮考核方案中"))
                    continue
                for label, value in counts.items():
                    if label not in rules.vote_value_by_label:
                        issues.append(
                            FieldIssue("votes", person, f"票种“{label}”不在测评票分值表中")
                        )
                        continue
                    if e.expected is not None:
                        shown = e.expected.get(code, {}).get(label)
                        seen[(e.cadre_id, code, label)] = (shown, f"{person}的“{group.name}”组")
                    try:
                        parsed[(e.cadre_id, code, label)] = parse_count(value)
                    except ValueError as exc:
                        issues.append(
                            FieldIssue(
                                "votes", f"{person}的“{group.name}”组“{label}”票数", str(exc)
                            )
                        )
        _raise(issues, row.name)
        existing: dict[tuple[int, str, str], tuple[int, int]] = {}
        for i in range(0, len(ids), 500):
            for vid, cid, g, lab, n in (
                VoteCount.select(
                    VoteCount.id,
                    VoteCount.cadre,
                    VoteCount.group_code,
                    VoteCount.grade_label,
                    VoteCount.count,
                )
                .where((VoteCount.round == round_id) & (VoteCount.cadre.in_(ids[i : i + 500])))
                .tuples()
            ):
                existing[(cid, g, lab)] = (vid, n)
        inserts: list[dict[str, object]] = []
        old_log: dict[int, dict[str, object]] = {}
        new_log: dict[int, dict[str, object]] = {}
        for (cid, g, lab), n in parsed.items():
            before = existing.get((cid, g, lab))
            old_n = None if before is None else before[1]
            mid = members[cid].id
            key = f"测评/{rules.groups_by_code[g].name}/{lab}票"
            if (cid, g, lab) in seen and not _same_number(seen[(cid, g, lab)][0], old_n):
                raise _changed_meanwhile(f"{seen[(cid, g, lab)][1]}“{lab}”票数", mid, key, old_n)
            if old_n == n:
                continue
            if before is None:
                inserts.append(
                    {
                        "round": round_id,
                        "cadre": cid,
                        "group_code": g,
                        "grade_label": lab,
                        "count": n,
                    }
                )
            else:
                same = (VoteCount.id == before[0]) & (VoteCount.count == old_n)
                if n is None:
                    done = VoteCount.delete().where(same).execute()
                else:
                    done = VoteCount.update(count=n).where(same).execute()
                if done != 1:
                    now = VoteCount.select(VoteCount.count).where(VoteCount.id == before[0])
                    raise _changed_meanwhile(f"“{lab}”票数", mid, key, now.scalar())
            old_log.setdefault(mid, {})[key] = old_n
            new_log.setdefault(mid, {})[key] = n
        bulk_insert(VoteCount, inserts)
        log: list[dict[str, object]] = []
        for mid in new_log:
            log += change_rows(
                PERSON_ENTITY, mid, "修改", old_log[mid], new_log[mid], user=user, reason=reason
            )
        bulk_insert(ChangeLog, log)
        return sum(len(v) for v in new_log.values())


def set_votes(
    round_id: int,
    cadre_id: int,
    votes: Mapping[str, Mapping[str, object]],
    *,
    reason: str = "",
    user: str | None = None,
) -> int:
    """Vote counts of one person: group code → vote label → count."""
    return set_votes_block(round_id, [VoteEntry(cadre_id, votes)], reason=reason, user=user)


def set_group_averages(
    round_id: int,
    cadre_id: int,
    averages: Mapping[str, object],
    *,
    reason: str = "",
    user: str | None = None,
    expected: Mapping[str, object] | None = None,
) -> int:
    """民主测评 average score (0–100) per rater group, instead of vote counts. ``expected``:
    the averages the screen showed, by group code (checked as :class:`ScoreCell` checks)."""
    require_for_cadres(Permission.SCORES, [cadre_id], round_id=round_id)
    user = acting_user(user)
    with write_transaction():
        row = writable_round(round_id)
        rules = rules_of(row)
        m = writable_member(round_id, cadre_id)
        person = who(m)
        issues: list[FieldIssue] = []
        has_votes = (
            VoteCount.select()
            .where((VoteCount.round == round_id) & (VoteCount.cadre == cadre_id))
            .exists()
        )
        parsed: dict[str, Decimal | None] = {}
        for code, value in averages.items():
            group = rules.groups_by_code.get(code)
            if group is None:
                issues.append(
                    FieldIssue("group_averages", person, f"评价组“{code}”不在本轮考核方案中")
                )
                continue
            try:
                parsed[code] = parse_score(value, Decimal(100))
            except ValueError as exc:
                issues.append(
                    FieldIssue("group_averages", f"{person}的“{group.name}”组平均分", str(exc))
                )
        if has_votes and any(v is not None for v in parsed.values()):
            issues.append(
                FieldIssue(
                    "group_averages", person, "已录入民主测评票数，不能同时录入平均分；请先清除票数"
                )
            )
        _raise(issues, row.name)
        existing = {
            g: (gid, a)
            for gid, g, a in GroupAverage.select(
                GroupAverage.id, GroupAverage.group_code, GroupAverage.average
            )
            .where((GroupAverage.round == round_id) & (GroupAverage.cadre == cadre_id))
            .tuples()
        }
        old_log: dict[str, object] = {}
        new_log: dict[str, object] = {}
        for code, value in parsed.items():
            before = existing.get(code)
            new_text = None if value is None else fmt_number(value)
            old_text = None if before is None else before[1]
            key = f"测评/{rules.groups_by_code[code].name}/平均分"
            if expected is not None and not _same_number(expected.get(code), old_text):
                name = f"{person}的“{rules.groups_by_code[code].name}”组平均分"
                raise _changed_meanwhile(name, m.id, key, old_text)
            if old_text == new_text:
                continue
            if before is None:
                GroupAverage.insert(
                    round=round_id, cadre=cadre_id, group_code=code, average=new_text
                ).execute()
            else:
                same = (GroupAverage.id == before[0]) & (GroupAverage.average == old_text)
                if new_text is None:
                    done = GroupAverage.delete().where(same).execute()
                else:
                    done = GroupAverage.update(average=new_text).where(same).execute()
                if done != 1:
                    now = GroupAverage.select(GroupAverage.average).where(
                        GroupAverage.id == before[0]
                    )
                    raise _changed_meanwhile(key, m.id, key, now.scalar())
            old_log[key], new_log[key] = old_text, new_text
        record_changes(PERSON_ENTITY, m.id, "修改", old_log, new_log, user=user, reason=reason)
        return len(new_log)


def set_cells(
    round_id: int,
    cells: Sequence[ScoreCell],
    votes: Sequence[VoteEntry],
    *,
    reason: str = "",
    user: str | None = None,
) -> int:
    """Scores and vote counts of one grid selection (a paste or a clear) in ONE transaction:
    either all of them change or none. Returns the number of values that changed."""
    with write_transaction():
        n = set_scores(round_id, cells, reason=reason, user=user) if cells else 0
        if votes:
            n += set_votes_block(round_id, votes, reason=reason, user=user)
        return n
