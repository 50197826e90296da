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

from models.assessment.rounds import (
    PERSON_ENTITY,
    acting_user,
    member_row,
    rules_of,
    who,
    writable_round,
)
from models.assessment.rules import AssessmentRules, fmt_number, to_decimal
from models.assessment.tables import (
    GroupAverage,
    ItemScore,
    RoundMember,
    VoteCount,
)
from models.core.audit import record_changes
from models.core.db import bulk_insert, chunks, db
from models.core.errors import DomainError, FieldIssue, ValidationError
from models.roster.tables import Cadre

__all__ = [
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


@dataclass(frozen=True)
class ScoreCell:
    """One grid cell: ``value`` None or "" clears the score."""

    cadre_id: int
    item_code: str
    value: object


@dataclass(frozen=True)
class VoteEntry:
    """All vote counts of one person: group code → vote label → count (None clears)."""

    cadre_id: int
    votes: Mapping[str, Mapping[str, object]]


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
    user = acting_user(user)
    with db.atomic():
        row = writable_round(round_id)
        rules = rules_of(row)
        members = _members(round_id, [c.cadre_id for c in cells])
        names = _names([c.cadre_id for c in cells])
        issues: list[FieldIssue] = []
        parsed: dict[tuple[int, str], Decimal | None] = {}
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
        _raise(issues, row.name)
        return _store_scores(round_id, rules, members, parsed, reason, user)


def _store_scores(
    round_id: int,
    rules: AssessmentRules,
    members: Mapping[int, RoundMember],
    parsed: Mapping[tuple[int, str], Decimal | None],
    reason: str,
    user: str,
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
    old_log: dict[int, dict[str, object]] = {}
    new_log: dict[int, dict[str, object]] = {}
    changed = 0
    for (cid, code), value in parsed.items():
        before = existing.get((cid, code))
        new_text = None if value is None else fmt_number(value)
        old_text = None if before is None else before[1]
        if (old_text is None and new_text is None) or (
            old_text is not None and new_text is not None and Decimal(old_text) == value
        ):
            continue
        changed += 1
        if before is None:
            inserts.append({"round": round_id, "cadre": cid, "item_code": code, "score": new_text})
        elif new_text is None:
            ItemScore.delete().where(ItemScore.id == before[0]).execute()
        else:
            ItemScore.update(score=new_text).where(ItemScore.id == before[0]).execute()
        mid = members[cid].id
        label = f"{rules.items_by_code[code].name}得分"
        old_log.setdefault(mid, {})[label] = old_text
        new_log.setdefault(mid, {})[label] = new_text
    bulk_insert(ItemScore, inserts)
    for mid in new_log:
        record_changes(
            PERSON_ENTITY, mid, "修改", old_log[mid], new_log[mid], user=user, reason=reason
        )
    return changed


def set_score(
    round_id: int,
    cadre_id: int,
    item_code: str,
    value: object,
    *,
    reason: str = "",
    user: str | None = None,
) -> Decimal | None:
    """Store one cell; returns the stored score (None when cleared)."""
    set_scores(round_id, [ScoreCell(cadre_id, item_code, value)], reason=reason, user=user)
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
    user = acting_user(user)
    with db.atomic():
        row = writable_round(round_id)
        rules = rules_of(row)
        ids = [e.cadre_id for e in entries]
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
            elif n is None:
                VoteCount.delete().where(VoteCount.id == before[0]).execute()
            else:
                VoteCount.update(count=n).where(VoteCount.id == before[0]).execute()
            mid = members[cid].id
            key = f"测评/{rules.groups_by_code[g].name}/{lab}票"
            old_log.setdefault(mid, {})[key] = old_n
            new_log.setdefault(mid, {})[key] = n
        bulk_insert(VoteCount, inserts)
        for mid in new_log:
            record_changes(
                PERSON_ENTITY, mid, "修改", old_log[mid], new_log[mid], user=user, reason=reason
            )
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
) -> int:
    """民主测评 average score (0–100) per rater group, instead of vote counts."""
    user = acting_user(user)
    with db.atomic():
        row = writable_round(round_id)
        rules = rules_of(row)
        m = member_row(round_id, cadre_id)
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
            if old_text == new_text:
                continue
            if before is None:
                GroupAverage.insert(
                    round=round_id, cadre=cadre_id, group_code=code, average=new_text
                ).execute()
            elif new_text is None:
                GroupAverage.delete().where(GroupAverage.id == before[0]).execute()
            else:
                GroupAverage.update(average=new_text).where(GroupAverage.id == before[0]).execute()
            key = f"测评/{rules.groups_by_code[code].name}/平均分"
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
    with db.atomic():
        n = set_scores(round_id, cells, reason=reason, user=user) if cells else 0
        if votes:
            n += set_votes_block(round_id, votes, reason=reason, user=user)
        return n
