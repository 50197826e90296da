"""A finished class sent by the 党校 and received by the 组织部: every trainee's 学时 exactly
once, also when the package comes twice or is re-sent after a 更正 there; a trainee the
receiver does not know is named, not applied; a class package cannot edit the roster."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from models import exchange as ex
from models.core.audit import ChangeLog
from models.core.errors import DomainError
from models.exchange.package import read_package, write_package
from models.roster.tables import Cadre
from models.schema import LATEST
from models.training import reopen_class
from models.training.lifecycle import finish_class
from models.training.tables import Attendance, Enrolment, HoursEntry, TrainingClass
from tests.models.exchange.conftest import TODAY, finished_class, on

CLASS = "2025年县处级领导干部进修班"


def ledger() -> dict[str, Decimal]:
    """Each trainee's 班次培训 学时 of the class, by 身份证号."""
    out: dict[str, Decimal] = {}
    q = (
        HoursEntry.select(HoursEntry, Cadre)
        .join(Cadre)
        .switch(HoursEntry)
        .join(TrainingClass)
        .where(TrainingClass.name == CLASS)
    )
    for e in q:
        out[e.cadre.id_card] = out.get(e.cadre.id_card, Decimal(0)) + Decimal(e.hours)
    return out


def send_class(school: Path, back: str, out: Path, password: str | None = None):
    with on(school, back):
        ex.export_class(finished_class(), out, password=password)
        sent = ledger()
    return sent


def test_class_results_arrive_once_also_when_received_twice(receiver, school, tmp_path):
    package = tmp_path / "class.cdx"
    sent = send_class(school, receiver, package)
    assert len(sent) == 20
    pv = ex.preview(package)
    counts = {t.table: t.counts for t in pv.tables}
    assert counts == {
        "cadre": {"相同": 20},
        "training_class": {"新增": 1},
        "class_session": {"新增": 30},
        "enrolment": {"新增": 20},
        "attendance": {"新增": 600},
        "hours_entry": {"新增": 20},
    }
    assert pv.manifest.office == "市委党校"
    result = ex.apply(pv)
    assert (result.added, result.updated, result.unmatched) == (671, 0, ())
    assert ledger() == sent  # each trainee's 学时, once
    c = TrainingClass.get(TrainingClass.name == CLASS)
    assert c.status == "已结业"
    assert c.changed_by_office == "市委党校"
    logged = ChangeLog.select().where(ChangeLog.reason.startswith("接收交换包 class.cdx"))
    assert logged.where(ChangeLog.entity == "hours_entry").count() > 0
    log_size = ChangeLog.select().count()

    again = ex.preview(package)
    assert {t.table: t.counts for t in again.tables} == {
        "cadre": {"相同": 20},
        "training_class": {"相同": 1},
        "class_session": {"相同": 30},
        "enrolment": {"相同": 20},
        "attendance": {"相同": 600},
        "hours_entry": {"相同": 20},
    }
    second = ex.apply(again)
    assert (second.added, second.updated, second.removed) == (0, 0, 0)
    assert ledger() == sent
    assert HoursEntry.select().where(HoursEntry.source_class == c.id).count() == 20
    assert ChangeLog.select().count() == log_size  # nothing changed, nothing logged
    received = [h for h in ex.exchange_history() if h.direction == "接收"]
    assert [h.title for h in received[:2]] == [f"班次《{CLASS}》"] * 2


def test_a_correction_there_replaces_the_lines_here(receiver, school, tmp_path):
    """The 党校 re-opens the class and closes it again (its 学时 lines are written anew): the
    new package takes the old lines out and puts the new ones in, never doubling them."""
    first, second = tmp_path / "first.cdx", tmp_path / "second.cdx"
    send_class(school, receiver, first)
    ex.apply(ex.preview(first))
    with on(school, receiver):
        cid = finished_class()
        reopen_class(cid, "补登考勤", user="班主任")
        finish_class(cid, user="班主任", today=TODAY)
        ex.export_class(cid, second)
        sent = ledger()
    pv = ex.preview(second)
    lines = next(t for t in pv.tables if t.table == "hours_entry")
    assert lines.counts == {"新增": 20, "对方已删除": 20}
    ex.apply(pv)
    assert ledger() == sent
    assert HoursEntry.select().join(TrainingClass).where(TrainingClass.name == CLASS).count() == 20


@pytest.mark.sqlite_only
def test_trainees_are_matched_by_id_card_and_an_unknown_one_is_named(database, tmp_path):
    """Two offices with their own rosters (no gid in common): trainees are found by 身份证号;
    one the receiver lacks is reported by name and nothing of his is applied."""
    from models.core.db import close_database
    from models.demo import build_demo
    from models.schema import open_database

    close_database()
    school, office = tmp_path / "s.db", tmp_path / "o.db"
    build_demo(school, cadres=300, today=TODAY, parts=("training",))
    build_demo(office, cadres=300, today=TODAY, parts=())
    package = tmp_path / "class.cdx"
    with on(school):
        ex.set_office("市委党校")
        cid = finished_class()
        ex.export_class(cid, package)
        sent = ledger()
        stranger = Enrolment.select().where(Enrolment.training_class == cid).first().cadre
    open_database(office)
    Cadre.update(id_card=None, name="改名者").where(Cadre.id_card == stranger.id_card).execute()
    pv = ex.preview(package)
    assert [i.title for i in pv.unmatched if i.table == "cadre"] == [
        f"{stranger.name}（身份证号 {stranger.id_card}）"
    ]
    assert any(stranger.name in i.reason for i in pv.unmatched if i.table == "hours_entry")
    result = ex.apply(pv)
    got = ledger()
    assert stranger.id_card not in got
    assert got == {k: v for k, v in sent.items() if k != stranger.id_card}
    assert any(stranger.name in u for u in result.unmatched)
    assert Attendance.select().count() == 570  # 19 trainees x 30 half-days


def test_a_class_package_carrying_roster_edits_is_refused(receiver, school, tmp_path):
    package, forged = tmp_path / "class.cdx", tmp_path / "forged.cdx"
    send_class(school, receiver, package)
    p = read_package(package, schema=LATEST)
    p.tables["cadre"][0]["f"]["phone"] = "13900000000"
    head = {
        "schema": p.manifest.schema,
        "office": p.manifest.office,
        "created": p.manifest.created,
        "scope": p.manifest.scope,
        "title": p.manifest.title,
    }
    write_package(forged, head, p.tables)
    with pytest.raises(DomainError, match="不能用它修改干部名册"):
        ex.preview(forged)
    # nor may it carry another class's lines
    p.tables["cadre"][0]["f"].pop("phone")
    p.tables["hours_entry"][0]["r"]["source_class"] = "0" * 36
    write_package(forged, head, p.tables)
    with pytest.raises(DomainError, match="含有其他培训班的学时记录"):
        ex.preview(forged)


def test_only_a_finished_class_is_sent(receiver, school, tmp_path):
    with on(school, receiver):
        running = TrainingClass.get(TrainingClass.status == "进行中")
        with pytest.raises(DomainError, match="尚未结业"):
            ex.export_class(running.id, tmp_path / "x.cdx")
    assert not (tmp_path / "x.cdx").exists()


def test_newer_schema_refused_by_the_receiver(receiver, school, tmp_path):
    package = tmp_path / "class.cdx"
    send_class(school, receiver, package)
    p = read_package(package, schema=LATEST)
    head = {
        "schema": LATEST + 1,
        "office": "市委党校",
        "created": dt.datetime(2026, 3, 1).isoformat(),
    }
    write_package(package, {**head, "scope": p.manifest.scope, "title": "x"}, p.tables)
    with pytest.raises(DomainError, match="较新版本的程序"):
        ex.preview(package)
