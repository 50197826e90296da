"""Optimistic locking of the 五项考核 records: 加分/扣分, 一票否决, 平时考核, sanctions, member
flags, removing a member and the committee's override. Each edit carries what the screen
read (a version, a value or the records listed); when someone else (王科长, another clerk
on the same database) changed it meanwhile, the edit is refused with a message naming who,
when and what is stored now, and nothing stored changes.

The last tests start the other writer *between* the service's read and its write (a second
connection, PostgreSQL only: on SQLite the first writer holds the database lock), so they
show the UPDATE itself is conditional, not only a comparison in Python.

Runs on SQLite and PostgreSQL (the ``database`` fixture)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time
from collections.abc import Callable
from decimal import Decimal

import pytest

from models.assessment import (
    RoundChangedError,
    ScoreCell,
    add_adjustment,
    add_sanction,
    add_unit_members,
    create_round,
    delete_adjustment,
    delete_sanction,
    get_round,
    list_adjustments,
    list_members,
    list_sanctions,
    quarter_grades,
    remove_member,
    round_rules,
    save_rules,
    set_group_averages,
    set_member_flags,
    set_quarter_grade,
    set_scores,
    set_veto_failure,
    submit_for_review,
)
from models.assessment.grading import clear_override, compute_grades, set_override
from models.assessment.results import round_overview
from models.assessment.rules import Grade, SchemeItem
from models.assessment.tables import ASSESSMENT_TABLES, GradeResult, RoundMember, VetoFailure
from models.core.audit import ChangeLog
from models.core.db import db, is_server
from models.core.errors import ConflictError, DomainError, NotFoundError
from models.roster.tables import Cadre

D = Decimal
OTHER = "王科长"
ITEMS = ("de", "neng", "qin", "ji", "lian")
GROUPS = ("superior", "peer", "subordinate", "served")


@pytest.fixture
def org(database, units):
    """市委组织部 with five cadres 甲..戊 in the 2025 annual round, which has a 一票否决 item
    安全生产 (code safety)."""
    database.create_tables(ASSESSMENT_TABLES)
    ids = {}
    for n, name in enumerate("甲乙丙丁戊", 1):
        ids[name] = Cadre.create(
            name=name,
            sex="男",
            birth_date=dt.date(1980, 1, 1),
            unit=units["org"],
            id_card=f"62040219800101{n:04d}",
            post_title="科员",
        ).id
    rid = create_round(2025, user="tester").id
    assert add_unit_members(rid, units["org"], user="tester") == 5
    rules = round_rules(rid)
    veto = SchemeItem("safety", "安全生产", D(0), is_veto=True, veto_max_grade=Grade.BASIC)
    assert save_rules(rid, dataclasses.replace(rules, items=(*rules.items, veto))) == []
    return rid, ids


def refused(exc: pytest.ExceptionInfo[ConflictError], *parts: str) -> str:
    text = str(exc.value)
    assert f"已被 {OTHER} 于 " in text, text
    assert text.endswith("，请刷新后重试"), text
    for p in parts:
        assert p in text, text
    return text


def member(rid: int, cadre_id: int):  # noqa: ANN201
    return next(m for m in list_members(rid) if m.cadre_id == cadre_id)


# --------------------------------------------------------------------------- 加分/扣分


def test_adding_an_adjustment_after_someone_else_added_one_is_refused(org):
    rid, ids = org
    shown = [a.id for a in list_adjustments(rid, ids["甲"])]  # the panel lists none
    add_adjustment(rid, ids["甲"], "2", "优秀共产党员", user=OTHER, expected_ids=shown)
    with pytest.raises(ConflictError) as exc:
        add_adjustment(rid, ids["甲"], "2", "优秀共产党员", expected_ids=shown)
    refused(exc, "甲（市委组织部）的加减分", "（现为“2（优秀共产党员）”）")
    assert [(a.points, a.reason) for a in list_adjustments(rid, ids["甲"])] == [
        (D(2), "优秀共产党员")
    ]
    # with the list as it is now, a second, different record is added
    now = [a.id for a in list_adjustments(rid, ids["甲"])]
    added = add_adjustment(rid, ids["甲"], "-1", "迟报材料", expected_ids=now)
    assert added.version == 1
    assert len(list_adjustments(rid, ids["甲"])) == 2


def test_deleting_an_adjustment_deleted_or_changed_meanwhile(org):
    rid, ids = org
    a = add_adjustment(rid, ids["乙"], "1.5", "抢险救灾")
    shown = list_adjustments(rid, ids["乙"])[0]
    assert (shown.id, shown.version) == (a.id, 1)
    with pytest.raises(ConflictError) as exc:  # a version the record does not have
        delete_adjustment(a.id, reason="录错", expected_version=shown.version + 1)
    assert "乙（市委组织部）的加减分" in str(exc.value)
    assert [x.id for x in list_adjustments(rid, ids["乙"])] == [a.id]
    delete_adjustment(a.id, reason="重复录入", user=OTHER, expected_version=shown.version)
    with pytest.raises(ConflictError, match="这条加减分记录已被他人删除，请刷新后重试"):
        delete_adjustment(a.id, reason="录错", expected_version=shown.version)
    with pytest.raises(NotFoundError):  # an old caller without a version: as before
        delete_adjustment(a.id, reason="录错")
    with pytest.raises(DomainError, match="必须填写理由"):
        delete_adjustment(a.id, reason=" ", expected_version=1)


# --------------------------------------------------------------------------- 一票否决


def test_veto_set_on_a_stale_screen_is_refused(org):
    rid, ids = org
    set_veto_failure(rid, ids["丙"], "safety", True, reason="较大安全事故", user=OTHER)
    with pytest.raises(ConflictError) as exc:  # the screen still showed 丙 not failed
        set_veto_failure(rid, ids["丙"], "safety", True, reason="另一理由", expected=False)
    refused(exc, "丙（市委组织部）的一票否决“安全生产”", "（现为“否决”）")
    (row,) = VetoFailure.select().where(VetoFailure.cadre == ids["丙"])
    assert row.reason == "较大安全事故"
    # the other clerk withdraws it; clearing it from the old screen is refused too
    set_veto_failure(rid, ids["丙"], "safety", False, reason="复核撤销", user=OTHER)
    with pytest.raises(ConflictError) as exc:
        set_veto_failure(rid, ids["丙"], "safety", False, reason="撤销", expected=True)
    refused(exc, "（现为“未否决”）")
    # with what is stored now, the edit goes through
    set_veto_failure(rid, ids["丙"], "safety", True, reason="重新认定", expected=False)
    assert VetoFailure.get(VetoFailure.cadre == ids["丙"]).reason == "重新认定"


# --------------------------------------------------------------------------- 平时考核


def test_quarter_grade_edit_carries_the_grade_shown(org):
    rid, ids = org
    cid = ids["丁"]
    set_quarter_grade(cid, 2025, 1, "好", user=OTHER, expected=None)  # the cell was empty
    with pytest.raises(ConflictError) as exc:  # another screen still shows it empty
        set_quarter_grade(cid, 2025, 1, "一般", expected=None)
    refused(exc, "丁的2025年第1季度平时考核等次", "（现为“好”）")
    set_quarter_grade(cid, 2025, 1, "较好", user=OTHER, expected="好")
    with pytest.raises(ConflictError) as exc:  # clearing what it showed as 好
        set_quarter_grade(cid, 2025, 1, None, expected="好")
    refused(exc, "（现为“较好”）")
    assert quarter_grades(cid, 2025)[0] == "较好"
    set_quarter_grade(cid, 2025, 1, None, expected="较好")
    assert quarter_grades(cid, 2025)[0] is None
    # bad input is still refused first, naming the person
    with pytest.raises(DomainError, match="应为好、较好、一般或较差"):
        set_quarter_grade(cid, 2025, 2, "优秀", expected=None)


# --------------------------------------------------------------------------- sanctions


def test_sanctions_added_or_deleted_on_a_stale_screen_are_refused(org):
    _rid, ids = org
    cid = ids["戊"]
    shown = list_sanctions(cid)
    assert shown == []
    s = add_sanction(cid, "诫勉", dt.date(2025, 3, 1), user=OTHER, expected_ids=[])
    assert s.version == 1
    with pytest.raises(ConflictError) as exc:
        add_sanction(cid, "诫勉", dt.date(2025, 3, 1), expected_ids=[x.id for x in shown])
    refused(exc, "戊的处分记录", "（现为“诫勉（2025-03-01起）”）")
    assert [x.id for x in list_sanctions(cid)] == [s.id]
    with pytest.raises(ConflictError):  # a version the record does not have
        delete_sanction(s.id, reason="录错", expected_version=s.version + 1)
    delete_sanction(s.id, reason="撤销处分", user=OTHER, expected_version=s.version)
    with pytest.raises(ConflictError, match="这条处分记录已被他人删除"):
        delete_sanction(s.id, reason="录错", expected_version=s.version)
    assert list_sanctions(cid) == []


# --------------------------------------------------------------------------- members


def test_member_flag_set_on_a_stale_screen_is_refused_flag_by_flag(org):
    rid, ids = org
    shown = member(rid, ids["乙"])
    set_member_flags(rid, ids["乙"], leave_days=40, user=OTHER, expected=shown)
    with pytest.raises(ConflictError) as exc:
        set_member_flags(rid, ids["乙"], leave_days=5, expected=shown)
    refused(exc, "乙（市委组织部）的“病事假天数”", "（现为“40”）")
    assert member(rid, ids["乙"]).leave_days == 40
    # another flag, unchanged since it was shown, may still be set from that screen
    after = set_member_flags(rid, ids["乙"], on_probation=True, expected=shown)
    assert (after.on_probation, after.leave_days) == (True, 40)
    set_member_flags(rid, ids["乙"], not_participating="借调外单位", user=OTHER, expected=after)
    with pytest.raises(ConflictError) as exc:
        set_member_flags(rid, ids["乙"], not_participating="长期病假", expected=after)
    refused(exc, "（现为“借调外单位”）")
    with pytest.raises(DomainError, match="病事假天数应为 0–366 的整数"):
        set_member_flags(rid, ids["乙"], leave_days=400, expected=after)


def test_removing_a_member_from_a_stale_round_is_refused(org):
    rid, ids = org
    shown = get_round(rid)
    remove_member(rid, ids["丙"], reason="调离", user=OTHER, expected_version=shown.version)
    with pytest.raises(RoundChangedError):
        remove_member(rid, ids["丁"], reason="调离", expected_version=shown.version)
    assert {m.cadre_id for m in list_members(rid)} == {ids[n] for n in "甲乙丁戊"}
    assert get_round(rid).version == shown.version + 1


# --------------------------------------------------------------------------- override


def graded(rid: int, ids: dict[str, int]) -> None:
    for name, score in zip("甲乙丙丁戊", (95, 92, 80, 70, 70), strict=True):
        cid = ids[name]
        set_scores(rid, [ScoreCell(cid, c, score) for c in ITEMS], user="tester")
        set_group_averages(rid, cid, dict.fromkeys(GROUPS, score), user="tester")
    compute_grades(rid, user="tester")


def result_row(rid: int, cadre_id: int):  # noqa: ANN201
    return next(r for p in round_overview(rid).pools for r in p.rows if r.cadre_id == cadre_id)


def test_override_on_a_stale_result_is_refused(org):
    rid, ids = org
    graded(rid, ids)
    shown = result_row(rid, ids["乙"])
    assert (shown.final_grade, shown.version) == ("称职", 1)
    set_override(rid, ids["乙"], "优秀", "重点工作成绩突出", user=OTHER, expected_version=1)
    # the override, and the pool graded again with it: the result's version moved on
    after = result_row(rid, ids["乙"]).version
    assert after > 1
    with pytest.raises(ConflictError) as exc:  # the committee's second screen, read before
        set_override(rid, ids["乙"], "基本称职", "复议", expected_version=shown.version)
    refused(exc, "乙（市委组织部）的考核等次", "（现为“优秀”）")
    with pytest.raises(ConflictError):
        clear_override(rid, ids["乙"], reason="复议撤销", expected_version=shown.version)
    stored = GradeResult.get(GradeResult.cadre == ids["乙"])
    assert (stored.final_grade, stored.override_reason) == ("优秀", "重点工作成绩突出")
    # with the version shown now, the withdrawal goes through
    clear_override(rid, ids["乙"], reason="复议撤销", expected_version=after)
    assert GradeResult.get(GradeResult.cadre == ids["乙"]).final_grade == "称职"
    assert result_row(rid, ids["乙"]).version > after


# --------------------------------------------------------------------------- races


def meanwhile(write: Callable[[], object]) -> Callable[..., object]:
    """A wrapper for a function the service calls after its read: the first call runs
    ``write`` on a second connection (another clerk) and commits it, then returns what the
    wrapped function returns."""
    done = threading.Event()

    def wrap(real: Callable[..., object]) -> Callable[..., object]:
        def hooked(*args: object, **kwargs: object) -> object:
            out = real(*args, **kwargs)
            if not done.is_set():
                done.set()
                errors: list[BaseException] = []

                def other() -> None:
                    try:
                        write()
                    except BaseException as e:  # noqa: BLE001 (reported below)
                        errors.append(e)
                    finally:
                        db.close()

                t = threading.Thread(target=other)
                t.start()
                t.join(20)
                assert not t.is_alive()
                assert not errors, errors
            return out

        return hooked

    return wrap


def server_only() -> None:
    if not is_server():
        pytest.skip("needs a second connection that can write while the first one reads")


class Waiting:
    """Another clerk's write started while the service holds the round (SELECT … FOR
    UPDATE): it must wait for the service's commit, and then work on what it stored."""

    def __init__(self, write: Callable[[], object]) -> None:
        self.write = write
        self.errors: list[BaseException] = []
        self.thread: threading.Thread | None = None

    def after(self, real: Callable[..., object]) -> Callable[..., object]:
        """``real``, which starts the other write (once) after it returned, and returns when
        that write is blocked on the round's lock."""

        def hooked(*args: object, **kwargs: object) -> object:
            out = real(*args, **kwargs)
            if self.thread is None:
                self.thread = threading.Thread(target=self._run)
                self.thread.start()
                self._until_blocked()
            return out

        return hooked

    def _run(self) -> None:
        try:
            self.write()
        except BaseException as e:  # noqa: BLE001 (reported by finish)
            self.errors.append(e)
        finally:
            db.close()

    def _until_blocked(self) -> None:
        sql = (
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        for _ in range(100):
            db.execute_sql("SELECT pg_stat_clear_snapshot()")  # else read once a transaction
            if db.execute_sql(sql).fetchone()[0]:
                return
            time.sleep(0.05)
        raise AssertionError("the other clerk's write was not made to wait")

    def finish(self) -> list[BaseException]:
        assert self.thread is not None
        self.thread.join(20)
        assert not self.thread.is_alive()
        return self.errors


def test_member_flag_written_meanwhile_waits_and_overwrites_nothing(org, monkeypatch):
    server_only()
    import models.assessment.members as members

    rid, ids = org
    other = Waiting(lambda: set_member_flags(rid, ids["甲"], leave_days=30, user=OTHER))
    monkeypatch.setattr(members, "writable_member", other.after(members.writable_member))
    set_member_flags(rid, ids["甲"], leave_days=3)
    assert other.finish() == []
    assert RoundMember.get(RoundMember.cadre == ids["甲"]).leave_days == 30
    # one after the other: the second change replaced the first one's value, not an older one
    log = [
        (c.user, c.old_value, c.new_value)
        for c in ChangeLog.select().order_by(ChangeLog.id)
        if "病事假" in c.field or "leave" in c.field
    ]
    assert [entry[1:] for entry in log][-2:] == [("0", "3"), ("3", "30")]


def test_workflow_step_taken_meanwhile_is_not_repeated(org, monkeypatch):
    server_only()
    import models.assessment.workflow as workflow

    rid, _ids = org
    v = get_round(rid).version
    other = Waiting(lambda: submit_for_review(rid, user=OTHER))
    monkeypatch.setattr(workflow, "check_version", other.after(workflow.check_version))
    submit_for_review(rid)  # the command line passes no version
    [refused_step] = other.finish()
    assert "当前为“审核”状态" in str(refused_step)
    rnd = get_round(rid)
    assert (rnd.status, rnd.version) == ("审核", v + 1)


def test_scheme_saved_meanwhile_from_an_older_read_is_refused(org, monkeypatch):
    server_only()
    import models.assessment.scheme as scheme

    rid, _ids = org
    rules = round_rules(rid)
    read = get_round(rid).version  # 王科长's editor opened now

    def theirs() -> None:
        named = dataclasses.replace(rules, name="王科长的方案")
        save_rules(rid, named, user=OTHER, expected_version=read)

    other = Waiting(theirs)
    monkeypatch.setattr(scheme, "writable_round", other.after(scheme.writable_round))
    save_rules(rid, dataclasses.replace(rules, name="我的方案"))
    [refused_save] = other.finish()
    assert isinstance(refused_save, RoundChangedError)
    assert round_rules(rid).name == "我的方案"


def test_status_change_in_between_is_not_overwritten(units, monkeypatch):
    server_only()
    import models.roster.service as roster

    c = roster.save_cadre(
        roster.CadreInput(name="张三", id_card="620421197503120014", unit_id=units["org"]),
        today=dt.date(2026, 11, 22),
    )

    def other() -> None:
        roster.set_status(c.id, "退休", user=OTHER)

    monkeypatch.setattr(roster, "get_cadre", meanwhile(other)(roster.get_cadre))
    with pytest.raises(ConflictError) as exc:
        roster.set_status(c.id, "调离")
    refused(exc, "干部“张三”", "（现为“状态：退休”）")
    assert Cadre.get_by_id(c.id).status == "退休"
