"""一项指导: after the assessment, the organisation's 反馈与指导 talk with each cadre.

A record per cadre and annual round: when and where, who talked with the cadre (谈话人), the
form (当面谈话, 书面反馈 or 集体反馈), the strengths (主要优点), the shortcomings (存在不足),
the points to improve and guidance (改进方向和指导意见), and the cadre's own response (本人
意见). It is entered once the person's result is approved: the whole round 审定, or the
person's 考核范围 approved on its own; before that there is nothing to feed back. Editing
carries the version read (a change by someone else meanwhile is refused, naming who and
when); every change is logged. The list of a round (or a unit) says who still has no
feedback. The printed 考核结果反馈表 is :mod:`reports.assessment.feedback_pdf`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from models.accounts import Permission, require
from models.assessment.rounds import FEEDBACK_ENTITY, acting_user, round_row, who
from models.assessment.tables import (
    KIND_ANNUAL,
    STATUS_APPROVED,
    Feedback,
    GradeResult,
    PoolApproval,
    RoundMember,
)
from models.core.audit import record_changes
from models.core.concurrency import conflict
from models.core.dates import parse_date
from models.core.db import query_rows, write_transaction
from models.core.errors import DomainError, FieldIssue, ValidationError
from models.roster import subtree_ids, unit_and_post
from models.roster.tables import Cadre

__all__ = [
    "FEEDBACK_ENTITY",
    "FEEDBACK_FORMS",
    "FEEDBACK_LABELS",
    "FeedbackDTO",
    "FeedbackInput",
    "FeedbackRow",
    "delete_feedback",
    "feedback_list",
    "get_feedback",
    "save_feedback",
]

FEEDBACK_FORMS = ("当面谈话", "书面反馈", "集体反馈")
# A box of the printed form holds at most a page: about 36 lines of 36 characters
BOX_LINES = 36
BOX_LINE_CHARS = 36


def box_lines(text: str) -> int:
    """The lines ``text`` takes in a box of the printed 反馈表 (each paragraph starts one)."""
    return sum(max(1, -(-len(line) // BOX_LINE_CHARS)) for line in text.splitlines() if line)


#: field → its name on the form, in the form's order (the change log names them so too)
FEEDBACK_LABELS = {
    "talk_date": "谈话时间",
    "place": "谈话地点",
    "talker": "谈话人",
    "form": "反馈形式",
    "strengths": "主要优点",
    "shortcomings": "存在不足",
    "improvements": "改进方向和指导意见",
    "response": "本人意见",
}


@dataclass(frozen=True)
class FeedbackInput:
    """What the 反馈与指导 form holds (as typed: the date may be text)."""

    talk_date: dt.date | str
    talker: str
    place: str = ""
    form: str = FEEDBACK_FORMS[0]
    strengths: str = ""
    shortcomings: str = ""
    improvements: str = ""
    response: str = ""


@dataclass(frozen=True)
class FeedbackDTO:
    id: int
    round_id: int
    cadre_id: int
    talk_date: dt.date
    talker: str
    place: str
    form: str
    strengths: str
    shortcomings: str
    improvements: str
    response: str
    recorder: str
    version: int


@dataclass(frozen=True)
class FeedbackRow:
    """A member of the round in the feedback list: their result, and the record if any."""

    cadre_id: int
    name: str
    unit_name: str
    post_title: str
    grade: str  # the final grade ('' not graded)
    approved: bool  # the result is approved (round 审定 or the pool approved on its own)
    feedback: FeedbackDTO | None

    @property
    def unit_and_post(self) -> str:
        """单位及职务 as the forms write it (the unit not said twice)."""
        return unit_and_post(self.unit_name, self.post_title)

    @property
    def status(self) -> str:
        if self.feedback is not None:
            return "已反馈"
        return "未反馈" if self.approved else "结果未审定"


def _dto(f: Feedback) -> FeedbackDTO:
    return FeedbackDTO(
        id=f.id,
        round_id=f.round_id,
        cadre_id=f.cadre_id,
        talk_date=f.talk_date,
        talker=f.talker,
        place=f.place,
        form=f.form,
        strengths=f.strengths,
        shortcomings=f.shortcomings,
        improvements=f.improvements,
        response=f.response,
        recorder=f.recorder,
        version=f.version,
    )


def _approved_cadres(round_id: int, cadre_ids: list[int] | None = None) -> set[int]:
    """The members whose result is approved: all graded ones of an approved round, else
    those of the pools approved on their own."""
    row = round_row(round_id)
    q = GradeResult.select(GradeResult.cadre).where(
        (GradeResult.round == round_id) & (GradeResult.final_grade != "")
    )
    if row.status != STATUS_APPROVED:
        q = q.join(
            PoolApproval,
            on=(PoolApproval.round == GradeResult.round)
            & (PoolApproval.pool_key == GradeResult.pool_key),
        )
    if cadre_ids is not None:
        q = q.where(GradeResult.cadre.in_(cadre_ids))
    return {cid for (cid,) in query_rows(q)}


def feedback_list(
    round_id: int, unit_id: int | None = None, *, missing_only: bool = False
) -> list[FeedbackRow]:
    """The participating members of an annual round (or of ``unit_id`` and its sub-units)
    in member order, with their grade and feedback; ``missing_only``: only those whose
    result is approved and who still have no feedback (the list to work through)."""
    q = (
        RoundMember.select(
            RoundMember.cadre,
            Cadre.name,
            RoundMember.unit_name,
            Cadre.post_title,
        )
        .join(Cadre)
        .where((RoundMember.round == round_id) & (RoundMember.not_participating == ""))
        .order_by(RoundMember.sort_order, RoundMember.id)
    )
    if unit_id is not None:
        q = q.where(RoundMember.unit_id.in_(subtree_ids(unit_id)))
    members = query_rows(q)
    grades = dict(
        query_rows(
            GradeResult.select(GradeResult.cadre, GradeResult.final_grade).where(
                GradeResult.round == round_id
            )
        )
    )
    approved = _approved_cadres(round_id)
    records = {f.cadre_id: _dto(f) for f in Feedback.select().where(Feedback.round == round_id)}
    out = []
    for cid, name, unit, post in members:
        row = FeedbackRow(
            cid, name, unit, post or "", grades.get(cid, ""), cid in approved, records.get(cid)
        )
        if missing_only and row.status != "未反馈":
            continue
        out.append(row)
    return out


def get_feedback(round_id: int, cadre_id: int) -> FeedbackDTO | None:
    f = Feedback.get_or_none((Feedback.round == round_id) & (Feedback.cadre == cadre_id))
    return None if f is None else _dto(f)


def _issue(field: str, message: str) -> FieldIssue:
    return FieldIssue(field, FEEDBACK_LABELS[field], message)


def _clean(values: FeedbackInput, person: str, year: int) -> dict[str, object]:
    """The values to store, or ValidationError naming every problem and its field."""
    issues: list[FieldIssue] = []
    out: dict[str, object] = {}
    for f in fields(FeedbackInput):
        raw = getattr(values, f.name)
        out[f.name] = raw.strip() if isinstance(raw, str) else raw
    raw_day = out["talk_date"]
    try:
        day = raw_day if isinstance(raw_day, dt.date) else parse_date(str(raw_day or ""))
    except ValueError:
        day = None
        issues.append(_issue("talk_date", f"“{raw_day}”不是日期，应写作 2026-03-02"))
    else:
        if day is None:
            issues.append(_issue("talk_date", "请填写谈话时间"))
        elif day > dt.date.today():
            issues.append(_issue("talk_date", f"{day:%Y-%m-%d} 还没有到，不能登记"))
        elif day.year < year:
            issues.append(
                _issue(
                    "talk_date",
                    f"{day:%Y-%m-%d} 早于{year}年度，反馈谈话应在考核之后",
                )
            )
    out["talk_date"] = day
    if not out["talker"]:
        issues.append(_issue("talker", "请填写谈话人（姓名和职务）"))
    if out["form"] not in FEEDBACK_FORMS:
        issues.append(_issue("form", f"应为{'、'.join(FEEDBACK_FORMS)}之一"))
    if not (out["strengths"] or out["shortcomings"] or out["improvements"]):
        issues.append(
            _issue(
                "improvements",
                "主要优点、存在不足、改进方向和指导意见至少填写一项",
            )
        )
    issues += [
        _issue(name, "不能超过 100 个字")
        for name in ("talker", "place")
        if len(str(out[name])) > 100
    ]
    issues += [
        _issue(
            name,
            f"内容过长（约 {box_lines(str(out[name]))} 行），反馈表一栏最多约 {BOX_LINES} 行"
            f"（每行 {BOX_LINE_CHARS} 字），请精简",
        )
        for name in ("strengths", "shortcomings", "improvements", "response")
        if box_lines(str(out[name])) > BOX_LINES
    ]
    if issues:
        raise ValidationError(issues, record=f"{person}的考核结果反馈")
    return out


def _member(round_id: int, cadre_id: int) -> tuple[str, int]:
    """('张三（市委办公室）', the round's year), or DomainError when this person's result
    cannot be fed back yet."""
    row = round_row(round_id)
    if row.kind != KIND_ANNUAL:
        raise DomainError("考核结果反馈与指导只针对年度考核", record=row.name)
    m = RoundMember.get_or_none((RoundMember.round == round_id) & (RoundMember.cadre == cadre_id))
    if m is None or m.not_participating:
        raise DomainError("此人不是本轮考核的参加人员，不能登记考核结果反馈", record=row.name)
    person = who(m)
    if cadre_id not in _approved_cadres(round_id, [cadre_id]):
        raise DomainError(
            f"{person}的考核结果还没有审定：审定（或其所在考核范围审定）后再登记反馈与指导",
            record=person,
        )
    return person, row.year


def save_feedback(
    round_id: int,
    cadre_id: int,
    values: FeedbackInput,
    *,
    user: str | None = None,
    expected_version: int | None = None,
) -> FeedbackDTO:
    """Enter or change the person's 反馈与指导 record. ``expected_version``: the version the
    form showed (None: a new record); when someone else entered or changed it meanwhile,
    ConflictError naming who and when, and nothing is saved."""
    require(Permission.FEEDBACK)
    user = acting_user(user)
    with write_transaction():
        person, year = _member(round_id, cadre_id)
        clean = _clean(values, person, year)
        cur = Feedback.get_or_none((Feedback.round == round_id) & (Feedback.cadre == cadre_id))
        record = f"{person}的考核结果反馈"
        if cur is None:
            if expected_version is not None:
                raise conflict(record, FEEDBACK_ENTITY, None, deleted=True)
            f = Feedback.create(round=round_id, cadre=cadre_id, recorder=user, **clean)
            new = {"member": person} | _logged(clean)  # the name the change log shows
            record_changes(FEEDBACK_ENTITY, f.id, "新增", {}, new, user=user)
            return _dto(f)
        if expected_version != cur.version:
            raise conflict(record, FEEDBACK_ENTITY, cur.id)
        old = {k: getattr(cur, k) for k in clean}
        if old == clean:
            return _dto(cur)
        same = (Feedback.id == cur.id) & (Feedback.version == cur.version)
        n = (
            Feedback.update(**clean, recorder=user, version=Feedback.version + 1)
            .where(same)
            .execute()
        )
        if n != 1:  # pragma: no cover - the row was read in this transaction
            raise conflict(record, FEEDBACK_ENTITY, cur.id)
        record_changes(FEEDBACK_ENTITY, cur.id, "修改", _logged(old), _logged(clean), user=user)
        return _dto(Feedback.get_by_id(cur.id))


def _logged(values: dict[str, object]) -> dict[str, object]:
    return {k: (f"{v:%Y-%m-%d}" if isinstance(v, dt.date) else v) for k, v in values.items()}


def delete_feedback(
    round_id: int,
    cadre_id: int,
    *,
    reason: str,
    user: str | None = None,
    expected_version: int | None = None,
) -> None:
    """Remove the person's record (entered for the wrong person, say); a reason is logged."""
    require(Permission.FEEDBACK)
    if not reason.strip():
        raise DomainError("删除考核结果反馈记录必须填写理由", field="reason")
    user = acting_user(user)
    with write_transaction():
        cur = Feedback.get_or_none((Feedback.round == round_id) & (Feedback.cadre == cadre_id))
        name = Cadre.select(Cadre.name).where(Cadre.id == cadre_id).scalar() or ""
        record = f"{name}的考核结果反馈"
        if cur is None or (expected_version is not None and expected_version != cur.version):
            raise conflict(record, FEEDBACK_ENTITY, cur.id if cur else None, deleted=cur is None)
        old = {"member": name} | {k: getattr(cur, k) for k in FEEDBACK_LABELS}
        cur.delete_instance()
        record_changes(FEEDBACK_ENTITY, cur.id, "删除", _logged(old), {}, user=user, reason=reason)
