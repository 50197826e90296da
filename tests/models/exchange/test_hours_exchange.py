"""The 学时 lines of a period sent by the 党校 and received by the 组织部: exactly the period's
lines the sender registered, once, also when received twice or when the class's own package
comes later; a line changed on both sides, or registered on both sides, may be kept twice
(两条都保留); a line this office registered may not come back as the sender's."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest

from models import exchange as ex
from models.core.audit import ChangeLog
from models.core.errors import DomainError
from models.roster.tables import Cadre
from models.training.tables import HoursEntry, TrainingClass
from tests.models.exchange.conftest import finished_class, on

START, END = dt.date(2025, 7, 1), dt.date(2025, 12, 31)


def lines(start: dt.date = START, end: dt.date = END) -> Counter:
    """The ledger's lines dated in the period: (身份证号, day, kind, 学时, title), counted."""
    q = (
        HoursEntry.select(
            Cadre.id_card, HoursEntry.day, HoursEntry.kind, HoursEntry.hours, HoursEntry.title
        )
        .join(Cadre)
        .where((HoursEntry.day >= start) & (HoursEntry.day <= end))
    )
    return Counter((c, d, k, Decimal(h), t) for c, d, k, h, t in q.tuples())


def _line(cadre: Cadre, day: dt.date, hours: str = "6", **kw: object) -> HoursEntry:
    values = {"kind": "外出培训", "title": "省委党校专题培训", **kw}
    return HoursEntry.create(cadre=cadre, year=day.year, day=day, hours=Decimal(hours), **values)


def test_exactly_the_period_s_own_lines_arrive_once(receiver, school, tmp_path):
    package = tmp_path / "hours.cdx"
    with on(school, receiver):
        who = Cadre.select().where(Cadre.id_card.is_null(False)).order_by(Cadre.id).first()
        for day in (START, END):  # the first and last days belong to the period
            _line(who, day, title=f"边界日培训{day}")
        for day in (START - dt.timedelta(days=1), END + dt.timedelta(days=1)):
            _line(who, day, title=f"期间以外{day}")
        _line(who, dt.date(2025, 8, 1), title="省里发来的", changed_by_office="省委组织部")
        result = ex.export_hours(START, END, package)
        sent = lines()
        sent -= Counter({k: 1 for k in sent if k[4] == "省里发来的"})
    assert result.manifest.scope == "hours:2025-07-01..2025-12-31"
    assert result.manifest.rows["hours_entry"] == sum(sent.values()) > 100
    assert {k[4] for k in sent} >= {f"边界日培训{START}", f"边界日培训{END}"}

    pv = ex.preview(package)
    assert {t.table: t.counts for t in pv.tables} == {
        "cadre": {"相同": len({k[0] for k in sent})},
        "hours_entry": {"新增": sum(sent.values())},
    }
    ex.apply(pv)
    assert lines() == sent
    assert lines(dt.date(2000, 1, 1), dt.date(2100, 1, 1)) == sent  # nothing outside it
    log_size = ChangeLog.select().count()

    again = ex.preview(package)
    assert {t.table: set(t.counts) for t in again.tables} == {
        "cadre": {"相同"},
        "hours_entry": {"相同"},
    }
    ex.apply(again)
    assert lines() == sent
    assert ChangeLog.select().count() == log_size


def test_the_class_package_after_the_hours_links_the_lines_without_doubling(
    receiver, school, tmp_path
):
    hours, klass = tmp_path / "hours.cdx", tmp_path / "class.cdx"
    with on(school, receiver):
        ex.export_hours(START, END, hours)
        ex.export_class(finished_class(), klass)
    ex.apply(ex.preview(hours))

    def class_lines() -> list[int | None]:
        return [e.source_class_id for e in HoursEntry.select().where(HoursEntry.kind == "班次培训")]

    assert class_lines() == [None] * 20  # the class is not here yet
    pv = ex.preview(klass)
    assert next(t for t in pv.tables if t.table == "hours_entry").counts == {"对方修改": 20}
    ex.apply(pv)
    c = TrainingClass.get(TrainingClass.status == "已结业")
    assert class_lines() == [c.id] * 20


def test_a_line_changed_on_both_sides_may_be_kept_twice(receiver, school, tmp_path):
    package = tmp_path / "hours.cdx"
    with on(school, receiver):
        ex.export_hours(START, END, package)
    ex.apply(ex.preview(package))
    line = HoursEntry.select().where(HoursEntry.kind == "外出培训").order_by(HoursEntry.id).first()
    gid, card = line.gid, line.cadre.id_card
    HoursEntry.update(hours=Decimal("3.5")).where(HoursEntry.id == line.id).execute()
    with on(school, receiver):
        HoursEntry.update(hours=Decimal("4")).where(HoursEntry.gid == gid).execute()
        ex.export_hours(START, END, package)
    pv = ex.preview(package)
    (conflict,) = pv.conflicts
    assert conflict.may_keep_both
    assert [(d.label, d.mine, d.theirs) for d in conflict.differences] == [("学时", "3.50", "4.00")]
    result = ex.apply(pv, {("hours_entry", gid): "both"})
    assert result.both == 1
    assert "两条都保留 1 条" in result.summary
    same_day = (
        HoursEntry.select()
        .join(Cadre)
        .where(
            (Cadre.id_card == card)
            & (HoursEntry.day == line.day)
            & (HoursEntry.title == line.title)
        )
    )
    kept = {e.gid == gid: (Decimal(e.hours), e.changed_by_office) for e in same_day}
    assert kept == {True: (Decimal("4.00"), "市委党校"), False: (Decimal("3.50"), "")}
    total = HoursEntry.select().count()
    again = ex.preview(package)
    assert again.conflicts == ()
    ex.apply(again)
    assert HoursEntry.select().count() == total


def test_a_line_registered_on_both_sides(receiver, school, tmp_path):
    """The same training registered in both offices: alike in all but when it was written,
    it is the same line (not doubled); with other 学时 it is a conflict, kept twice on
    request."""
    package = tmp_path / "hours.cdx"
    with on(school, receiver):
        a, b = Cadre.select().where(Cadre.id_card.is_null(False)).order_by(Cadre.id)[:2]
        _line(a, dt.date(2025, 9, 1), "8", title="红色教育")
        _line(b, dt.date(2025, 9, 1), "8", title="红色教育")
        ex.export_hours(START, END, package)
    here_a, here_b = (Cadre.get(Cadre.id_card == c.id_card) for c in (a, b))
    _line(here_a, dt.date(2025, 9, 1), "8", title="红色教育")
    _line(here_b, dt.date(2025, 9, 1), "6", title="红色教育")
    pv = ex.preview(package)
    (conflict,) = pv.conflicts
    assert conflict.reason.startswith("本单位已有此人同一天")
    assert [(d.mine, d.theirs) for d in conflict.differences] == [("6.00", "8.00")]
    ex.apply(pv, prefer="both")
    red = HoursEntry.select().where(HoursEntry.title == "红色教育")
    assert sorted((e.cadre_id, Decimal(e.hours)) for e in red) == [
        (here_a.id, Decimal("8.00")),
        (here_b.id, Decimal("6.00")),
        (here_b.id, Decimal("8.00")),
    ]
    assert ex.preview(package).conflicts == ()


def test_a_line_registered_here_may_not_come_back_as_the_sender_s(receiver, school, tmp_path):
    package = tmp_path / "hours.cdx"
    who = Cadre.select().where(Cadre.id_card.is_null(False)).first()
    mine = _line(who, dt.date(2025, 10, 8), title="本单位登记")
    with on(school, receiver):
        sent = HoursEntry.select().where(HoursEntry.day >= START).first()
        HoursEntry.update(gid=mine.gid).where(HoursEntry.id == sent.id).execute()
        ex.export_hours(START, END, package)
    with pytest.raises(DomainError, match="含有本单位自己登记的学时记录"):
        ex.preview(package)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-01-01", "应写作 起始日期..结束日期"),
        ("2026-13-01..2026-06-30", "日期“2026-13-01”不对"),
        ("2026-02-30..2026-06-30", "日期“2026-02-30”不对"),
        ("2026-07-01..2026-06-30", "起始日期 2026-07-01 晚于结束日期 2026-06-30"),
    ],
)
def test_a_period_written_wrong_is_told_in_chinese(text, message):
    with pytest.raises(DomainError, match=message):
        ex.parse_period(text)


def test_a_period_read():
    assert ex.parse_period(" 2026-01-01..2026-06-30 ") == (
        dt.date(2026, 1, 1),
        dt.date(2026, 6, 30),
    )
