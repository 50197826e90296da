"""Names for the ids the change log holds: the record a row is about (张三（市委组织部）,
班次《…》, 《2025年度考核》) and values that are ids (a cadre's 单位, a unit's 上级单位).

A :class:`Namer` turns raw log rows into :class:`ChangeRow` a batch at a time, with a few
queries per batch whatever its size, and keeps what it looked up for the next batch (an
export of 50,000 rows reads each cadre and unit once). A record deleted since is named from
the log itself (the name its 新增 or 删除 entry recorded), marked 已删除.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from models.assessment.rounds import CADRE_ENTITY, PERSON_ENTITY, ROUND_ENTITY
from models.assessment.tables import AssessmentRound, RoundMember
from models.audit import kinds as k
from models.audit.types import ChangeRow
from models.calendar.tables import Holiday
from models.core.audit import ChangeLog
from models.core.dates import as_date
from models.core.db import chunks
from models.roster.picklists import KINDS as PICKLIST_KINDS
from models.roster.tables import Cadre, PicklistItem, Unit
from models.training.planner.types import slot_label
from models.training.tables import (
    Attendance,
    ClassSession,
    Course,
    Enrolment,
    Lecture,
    LectureAttendance,
    LectureSeries,
    Room,
    Site,
    Teacher,
    TrainingClass,
)

__all__ = ["RAW_COLUMNS", "Namer", "RawChange"]

RAW_COLUMNS = (
    ChangeLog.id,
    ChangeLog.at,
    ChangeLog.user,
    ChangeLog.entity,
    ChangeLog.entity_id,
    ChangeLog.action,
    ChangeLog.field,
    ChangeLog.old_value,
    ChangeLog.new_value,
    ChangeLog.reason,
)


@dataclass(frozen=True)
class RawChange:
    """A change-log row as stored (the columns of :data:`RAW_COLUMNS`)."""

    id: int
    at: dt.datetime
    user: str
    entity: str
    entity_id: int
    action: str
    field: str
    old_value: str
    new_value: str
    reason: str


# fields whose values are ids, by entity: what they name
_UNIT_VALUES = {(k.CADRE, "unit_id"), (k.UNIT, "parent_id")}
_CADRE_VALUES = {(k.ATTENDANCE, "cadre_id"), (k.HOURS, "cadre_id")}
_SESSION_VALUES = {(k.ATTENDANCE, "session_id")}
_NAME_FIELDS = ("name", "导入", "member", "title", "登录名", "username", "名称", "姓名")
# records named by one column of their table: entity → (column, how the name reads, the
# fields their log entries record the name in, for one deleted since)
_NAMED: dict[str, tuple[Any, str, tuple[str, ...]]] = {
    k.CLASS: (TrainingClass.name, "班次《{}》", ("班次名称", "name")),
    k.COURSE: (Course.title, "课程《{}》", ("课程名称", "title")),
    k.TEACHER: (Teacher.name, "教师“{}”", ("姓名", "name")),
    k.ROOM: (Room.name, "教室“{}”", ("名称", "name")),
    k.SITE: (Site.name, "现场教学点“{}”", ("名称", "name")),
    k.LECTURE_SERIES: (LectureSeries.name, "讲坛《{}》", ("名称",)),
    k.LECTURE: (Lecture.title, "讲座《{}》", ("题目",)),
    k.HOLIDAY: (Holiday.day, "节假日 {}", ("day",)),
}
_DELETED = "已删除"


def _int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else None


def _as_datetime(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


class Namer:
    """Names records and id values for the rows of one listing or export."""

    def __init__(self) -> None:
        self._units: dict[int, tuple[str, int | None]] | None = None  # id → (name, parent)
        self._unit_short: dict[int, str] = {}
        self._cadres: dict[int, str] = {}
        self._members: dict[int, tuple[int, int]] = {}  # member id → (cadre, round)
        self._rounds: dict[int, str] = {}
        self._named: dict[tuple[str, int], str] = {}
        self._enrolments: dict[int, tuple[int, int]] = {}  # enrolment id → (cadre, class)
        self._heard: dict[int, tuple[int, str]] = {}  # 讲坛听课 id → (cadre, 讲座《title》)
        self._sessions: dict[int, str] = {}
        self._items: dict[int, str] = {}
        self._logged: dict[tuple[str, int], str] = {}

    # -- what the query module calls -------------------------------------------------------

    def rows(self, raw: Sequence[RawChange]) -> list[ChangeRow]:
        """``raw`` in words, in the same order."""
        links = self._links(raw)
        self._load(raw, links)
        return [
            ChangeRow(
                id=r.id,
                at=_as_datetime(r.at),
                account=r.user,
                action=r.action,
                kind=k.kind_of(r.entity, r.field),
                subject=self._subject(r, links.get(r.id)),
                field=k.field_label(r.entity, r.field),
                old=self._value(r.entity, r.field, r.old_value),
                new=self._value(r.entity, r.field, r.new_value),
                reason=r.reason,
            )
            for r in raw
        ]

    def cadre_label(self, cadre_id: int) -> str:
        self._load_cadres([cadre_id])
        return self._cadres[cadre_id]

    def unit_path(self, unit_id: int) -> str:
        units = self._all_units()
        if unit_id not in units:
            return self._deleted_name(k.UNIT, unit_id, "单位")
        parts: list[str] = []
        seen: set[int] = set()
        uid: int | None = unit_id
        while uid is not None and uid in units and uid not in seen:
            seen.add(uid)
            name, uid = units[uid]
            parts.append(name)
        return "/".join(reversed(parts))

    # -- the cadre and session a training row belongs to ---------------------------------

    def _links(self, raw: Sequence[RawChange]) -> dict[int, tuple[int | None, int | None]]:
        """log row id → (cadre id, session id) for 考勤 and 学时 rows: from the row's own
        entry (its 新增 or 删除 records both), else from the live 考勤 record, else from
        the last earlier entry about the same record."""
        wanted = {(r.entity, r.entity_id) for r in raw if r.entity in (k.ATTENDANCE, k.HOURS)}
        if not wanted:
            return {}
        groups: dict[tuple[str, int], list[tuple[int, object, str, dict[str, int]]]] = {}
        for entity in (k.ATTENDANCE, k.HOURS):
            ids = [i for e, i in wanted if e == entity]
            for part in chunks(ids):
                q = (
                    ChangeLog.select(
                        ChangeLog.id,
                        ChangeLog.entity_id,
                        ChangeLog.at,
                        ChangeLog.action,
                        ChangeLog.field,
                        ChangeLog.old_value,
                        ChangeLog.new_value,
                    )
                    .where(
                        (ChangeLog.entity == entity)
                        & ChangeLog.entity_id.in_(part)
                        & ChangeLog.field.in_(("cadre_id", "session_id"))
                    )
                    .order_by(ChangeLog.id)
                    .tuples()
                )
                for log_id, eid, at, action, field, old, new in q:
                    value = _int(new or old)
                    if value is None:
                        continue
                    entries = groups.setdefault((entity, eid), [])
                    if entries and entries[-1][1] == at and entries[-1][2] == action:
                        entries[-1][3][field] = value
                    else:
                        entries.append((log_id, at, action, {field: value}))
        live: dict[int, tuple[int, int]] = {}
        attendance_ids = [i for e, i in wanted if e == k.ATTENDANCE]
        for part in chunks(attendance_ids):
            for aid, cid, sid in (
                Attendance.select(Attendance.id, Attendance.cadre, Attendance.session)
                .where(Attendance.id.in_(part))
                .tuples()
            ):
                live[aid] = (cid, sid)
        out: dict[int, tuple[int | None, int | None]] = {}
        for r in raw:
            if r.entity not in (k.ATTENDANCE, k.HOURS):
                continue
            entries = groups.get((r.entity, r.entity_id), [])
            own = next((e[3] for e in entries if str(e[1]) == str(r.at) and e[2] == r.action), None)
            if own is None and r.entity == k.ATTENDANCE and r.entity_id in live:
                cid, sid = live[r.entity_id]
                own = {"cadre_id": cid, "session_id": sid}
            if own is None:
                earlier = [e for e in entries if e[0] <= r.id]
                own = earlier[-1][3] if earlier else (entries[-1][3] if entries else {})
            out[r.id] = (own.get("cadre_id"), own.get("session_id"))
        return out

    # -- loading names in bulk ---------------------------------------------------------------

    def _load(
        self, raw: Sequence[RawChange], links: dict[int, tuple[int | None, int | None]]
    ) -> None:
        by_entity: dict[str, set[int]] = {}
        for r in raw:
            by_entity.setdefault(r.entity, set()).add(r.entity_id)
        self._load_members(by_entity.get(PERSON_ENTITY, set()))
        self._load_enrolments(by_entity.get(k.ENROLMENT, set()))
        cadres = set(by_entity.get(k.CADRE, set())) | by_entity.get(CADRE_ENTITY, set())
        cadres |= {cid for cid, _r in self._members.values()}
        cadres |= {cid for cid, _c in self._enrolments.values()}
        cadres |= {cid for cid, _s in links.values() if cid is not None}
        sessions = {sid for _c, sid in links.values() if sid is not None}
        sessions |= by_entity.get(k.SESSION, set())
        for r in raw:
            for value in (r.old_value, r.new_value):
                vid = _int(value)
                if vid is None:
                    continue
                if (r.entity, r.field) in _CADRE_VALUES:
                    cadres.add(vid)
                elif (r.entity, r.field) in _SESSION_VALUES:
                    sessions.add(vid)
        self._load_heard(by_entity.get(k.LECTURE_ATTENDANCE, set()))
        cadres |= {cid for cid, _t in self._heard.values()}
        self._load_cadres(cadres)
        self._load_sessions(sessions)
        rounds = set(by_entity.get(ROUND_ENTITY, set()))
        rounds |= {rid for _c, rid in self._members.values()}
        self._load_rounds(rounds)
        classes = set(by_entity.get(k.CLASS, set()))
        classes |= {cid for _c, cid in self._enrolments.values()}
        self._load_named(k.CLASS, classes)
        for entity in (k.COURSE, k.TEACHER, k.ROOM, k.SITE, k.LECTURE_SERIES, k.LECTURE, k.HOLIDAY):
            self._load_named(entity, by_entity.get(entity, set()))
        self._load_items(by_entity.get(k.PICKLIST, set()))
        known = {k.CADRE, CADRE_ENTITY, PERSON_ENTITY, ROUND_ENTITY, k.UNIT, k.SESSION,
                 k.PICKLIST, k.ATTENDANCE, k.HOURS, k.ENROLMENT, k.LECTURE_ATTENDANCE,
                 *_NAMED}  # fmt: skip
        for entity, ids in by_entity.items():
            if entity not in known:
                self._load_logged(entity, ids, _NAME_FIELDS)

    def _all_units(self) -> dict[int, tuple[str, int | None]]:
        if self._units is None:
            self._units = {
                uid: (name, parent)
                for uid, name, parent in Unit.select(Unit.id, Unit.name, Unit.parent).tuples()
            }
            counts: dict[str, int] = {}
            for name, _p in self._units.values():
                counts[name] = counts.get(name, 0) + 1
            for uid, (name, parent) in self._units.items():
                if counts[name] > 1 and parent in self._units:
                    self._unit_short[uid] = f"{self._units[parent][0]}/{name}"
                else:
                    self._unit_short[uid] = name
        return self._units

    def _load_logged(self, entity: str, ids: Iterable[int], fields: Sequence[str]) -> None:
        """Names of records of ``entity`` as their log entries recorded them (for records
        deleted since, and entities this module has no table for)."""
        todo = [i for i in ids if (entity, i) not in self._logged]
        for part in chunks(todo):
            q = (
                ChangeLog.select(
                    ChangeLog.entity_id, ChangeLog.action, ChangeLog.old_value, ChangeLog.new_value
                )
                .where(
                    (ChangeLog.entity == entity)
                    & ChangeLog.entity_id.in_(part)
                    & ChangeLog.field.in_(list(fields))
                )
                .order_by(ChangeLog.id)
                .tuples()
            )
            for eid, action, old, new in q:
                value = old if action == "删除" else new
                if value:
                    self._logged[(entity, eid)] = value

    def _deleted_name(self, entity: str, record_id: int, what: str) -> str:
        self._load_logged(entity, [record_id], _NAME_FIELDS)
        name = self._logged.get((entity, record_id))
        if name:
            return f"{name}（{_DELETED}）"
        return f"{_DELETED}的{what}（编号 {record_id}）"

    def _load_cadres(self, ids: Iterable[int]) -> None:
        todo = [i for i in ids if i not in self._cadres]
        if not todo:
            return
        self._all_units()
        for part in chunks(todo):
            for cid, name, unit_id in (
                Cadre.select(Cadre.id, Cadre.name, Cadre.unit).where(Cadre.id.in_(part)).tuples()
            ):
                unit = self._unit_short.get(unit_id, "")
                self._cadres[cid] = f"{name}（{unit}）" if unit else name
        gone = [i for i in todo if i not in self._cadres]
        self._load_logged(k.CADRE, gone, ("name", "导入"))
        for cid in gone:
            self._cadres[cid] = self._deleted_name(k.CADRE, cid, "干部")

    def _load_members(self, ids: Iterable[int]) -> None:
        todo = [i for i in ids if i not in self._members]
        for part in chunks(todo):
            for mid, cid, rid in (
                RoundMember.select(RoundMember.id, RoundMember.cadre, RoundMember.round)
                .where(RoundMember.id.in_(part))
                .tuples()
            ):
                self._members[mid] = (cid, rid)

    def _load_rounds(self, ids: Iterable[int]) -> None:
        todo = [i for i in ids if i not in self._rounds]
        for part in chunks(todo):
            for rid, name in (
                AssessmentRound.select(AssessmentRound.id, AssessmentRound.name)
                .where(AssessmentRound.id.in_(part))
                .tuples()
            ):
                self._rounds[rid] = f"《{name}》"
        for rid in todo:
            if rid not in self._rounds:
                self._rounds[rid] = self._deleted_name(ROUND_ENTITY, rid, "考核")

    def _load_named(self, entity: str, ids: Iterable[int]) -> None:
        column, text, logged = _NAMED[entity]
        model = column.model
        todo = [i for i in ids if (entity, i) not in self._named]
        for part in chunks(todo):
            for rid, name in model.select(model.id, column).where(model.id.in_(part)).tuples():
                self._named[(entity, rid)] = text.format(name)
        gone = [i for i in todo if (entity, i) not in self._named]
        self._load_logged(entity, gone, logged)
        for rid in gone:
            name = self._logged.get((entity, rid))
            self._named[(entity, rid)] = (
                f"{text.format(name)}（{_DELETED}）"
                if name
                else f"{_DELETED}的{k.entity_label(entity)}（编号 {rid}）"
            )

    def _load_enrolments(self, ids: Iterable[int]) -> None:
        todo = [i for i in ids if i not in self._enrolments]
        for part in chunks(todo):
            for eid, cid, class_id in (
                Enrolment.select(Enrolment.id, Enrolment.cadre, Enrolment.training_class)
                .where(Enrolment.id.in_(part))
                .tuples()
            ):
                self._enrolments[eid] = (cid, class_id)
        self._load_logged(k.ENROLMENT, [i for i in todo if i not in self._enrolments], ("学员",))

    def _load_heard(self, ids: Iterable[int]) -> None:
        todo = [i for i in ids if i not in self._heard]
        for part in chunks(todo):
            q = (
                LectureAttendance.select(
                    LectureAttendance.id, LectureAttendance.cadre, Lecture.title
                )
                .join(Lecture)
                .where(LectureAttendance.id.in_(part))
                .tuples()
            )
            for aid, cid, title in q:
                self._heard[aid] = (cid, f"讲座《{title}》")

    def _load_sessions(self, ids: Iterable[int]) -> None:
        todo = [i for i in ids if i not in self._sessions]
        for part in chunks(todo):
            q = (
                ClassSession.select(
                    ClassSession.id, TrainingClass.name, ClassSession.day, ClassSession.slot
                )
                .join(TrainingClass)
                .where(ClassSession.id.in_(part))
                .tuples()
            )
            for sid, class_name, day, slot in q:
                self._sessions[sid] = f"班次《{class_name}》{slot_label(as_date(day), slot)}"
        for sid in todo:
            self._sessions.setdefault(sid, f"{_DELETED}的课表时段（编号 {sid}）")

    def _load_items(self, ids: Iterable[int]) -> None:
        todo = [i for i in ids if i not in self._items]
        for part in chunks(todo):
            for iid, kind, name in (
                PicklistItem.select(PicklistItem.id, PicklistItem.kind, PicklistItem.name)
                .where(PicklistItem.id.in_(part))
                .tuples()
            ):
                self._items[iid] = f"{PICKLIST_KINDS.get(kind, kind)}：{name}"
        for iid in todo:
            if iid not in self._items:
                self._items[iid] = self._deleted_name(k.PICKLIST, iid, "代码")

    # -- one row --------------------------------------------------------------------------

    def _subject(self, r: RawChange, link: tuple[int | None, int | None] | None) -> str:
        e, i = r.entity, r.entity_id
        if e in (k.CADRE, CADRE_ENTITY):
            return self._cadres[i]
        if e == PERSON_ENTITY:
            if i in self._members:
                cid, rid = self._members[i]
                return f"{self._cadres[cid]}{self._rounds[rid]}"
            return self._deleted_name(PERSON_ENTITY, i, "考核人员").replace(_DELETED, "已移出考核")
        if e == ROUND_ENTITY:
            return f"考核{self._rounds[i]}"
        if e == k.UNIT:
            return self.unit_path(i)
        if e == k.PICKLIST:
            return self._items[i]
        if e in _NAMED:
            return self._named[(e, i)]
        if e == k.ENROLMENT:
            if i in self._enrolments:
                cid, class_id = self._enrolments[i]
                return f"{self._cadres[cid]}·{self._named[(k.CLASS, class_id)]}"
            name = self._logged.get((e, i))
            return f"{name}（已退出班次）" if name else f"{_DELETED}的学员（编号 {i}）"
        if e == k.SESSION:
            return self._sessions[i]
        if e == k.LECTURE_ATTENDANCE:
            if i in self._heard:
                cid, lecture = self._heard[i]
                return f"{self._cadres[cid]}·{lecture}"
            return f"{_DELETED}的讲坛听课（编号 {i}）"
        if e in (k.ATTENDANCE, k.HOURS):
            cid, sid = link or (None, None)
            who = self._cadres[cid] if cid is not None else "学员"
            if e == k.ATTENDANCE and sid is not None:
                return f"{who}·{self._sessions[sid]}"
            return who
        name = self._logged.get((e, i))
        label = k.entity_label(e)
        return f"{label}“{name}”" if name else f"{label}（编号 {i}）"

    def _value(self, entity: str, field: str, value: str) -> str:
        key = (entity, field)
        vid = _int(value) if key in _UNIT_VALUES | _CADRE_VALUES | _SESSION_VALUES else None
        if vid is not None:
            if key in _UNIT_VALUES:
                return self.unit_path(vid)
            if key in _CADRE_VALUES:
                return self._cadres.get(vid) or self.cadre_label(vid)
            return self._sessions.get(vid, value)
        return k.plain_value(entity, field, value)
