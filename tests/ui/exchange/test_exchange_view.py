"""The 数据交换 screen as two offices use it: the 党校 names itself and sends a finished class
with a password; the 组织部 opens the package (a wrong password is one Chinese message), sees
what it would add, receives it, and both see the exchange in 记录."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from models.core.db import close_database
from models.demo import build_demo
from models.schema import open_database
from models.training.tables import TrainingClass
from ui import messages
from ui.exchange import ExchangeView


@pytest.fixture
def offices(tmp_path: Path) -> tuple[Path, Path]:
    school, office = tmp_path / "school.db", tmp_path / "office.db"
    build_demo(school, cadres=120, today=dt.date(2026, 3, 1), parts=("training",))
    build_demo(office, cadres=120, today=dt.date(2026, 3, 1), parts=())
    return school, office


def _hours(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT COUNT(*) FROM hours_entry WHERE kind = '班次培训'").fetchone()[0]
    finally:
        con.close()


def _texts(model, column: str) -> list[str]:  # noqa: ANN001
    k = model.headers().index(column)
    return [model.text(r, k) for r in range(model.rowCount())]


def test_send_and_receive_a_class(qtbot, offices, tmp_path, monkeypatch) -> None:
    school, office = offices
    package = tmp_path / "班次.cdx"
    told: list[str] = []
    monkeypatch.setattr(messages, "info", lambda _p, _t, text: told.append(text))
    errors: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, _t=None: errors.append(text))

    open_database(school)
    try:
        view = ExchangeView()
        qtbot.addWidget(view)
        monkeypatch.setattr(messages, "ask_text", lambda *_a: "白银市委党校")
        view.set_office()
        assert view.office.text() == "本单位：白银市委党校"
        assert view.class_box.count() == 1  # the demo's finished class
        view.send_password.setText("党校2026")
        monkeypatch.setattr(messages, "save_file", lambda *_a: package)
        job = view.send()
        with qtbot.waitSignal(job.finished, timeout=30_000):
            pass
        assert told[-1].startswith(f"已生成交换包 {package}")
        assert _texts(view.history_model, "方向") == ["发出"]
    finally:
        close_database()

    before = _hours(office)
    open_database(office)
    try:
        view = ExchangeView()
        qtbot.addWidget(view)
        monkeypatch.setattr(messages, "open_file", lambda *_a: package)
        view.receive_password.setText("错误密码")
        job = view.open_package()
        with qtbot.waitSignal(job.finished, timeout=30_000):
            pass
        assert len(errors) == 1
        assert "密码" in errors[0]
        assert not view.receive_button.isEnabled()
        view.receive_password.setText("党校2026")
        job = view.open_package()
        with qtbot.waitSignal(job.finished, timeout=30_000):
            pass
        assert "白银市委党校" in view.preview_label.text()
        hours_row = _texts(view.count_model, "类别").index("学时")
        assert view.count_model.text(hours_row, view.count_model.headers().index("新增")) != ""
        assert view.receive_button.isEnabled()
        job = view.receive()
        with qtbot.waitSignal(job.finished, timeout=30_000):
            pass
        assert told[-1].startswith("已接收")
        assert _texts(view.history_model, "方向") == ["接收"]
    finally:
        close_database()
    assert _hours(office) > before


def test_a_conflict_is_decided_record_by_record(qtbot, tmp_path, monkeypatch) -> None:
    """The county sends its roster, the city receives it; both change one cadre's phone;
    the next package shows the conflict with both values; a double click takes the
    package's value for that record, which is what 接收 stores."""
    from models import exchange as ex
    from models.roster.tables import Cadre

    county, city = tmp_path / "county.db", tmp_path / "city.db"
    build_demo(county, cadres=120, today=dt.date(2026, 3, 1), parts=())
    build_demo(city, cadres=120, today=dt.date(2026, 3, 1), parts=())
    first, again = tmp_path / "1.cdx", tmp_path / "2.cdx"
    open_database(county)
    ex.set_office("靖远县委组织部")
    root = ex.find_unit("白银市")
    ex.export_unit(root, first)
    close_database()
    open_database(city)
    try:
        ex.set_office("白银市委组织部")
        ex.apply(ex.preview(first))
        person = Cadre.select().where(Cadre.id_card.is_null(False)).first()
        Cadre.update(phone="0943-1111111").where(Cadre.id == person.id).execute()
    finally:
        close_database()
    open_database(county)
    Cadre.update(phone="0943-2222222").where(Cadre.id_card == person.id_card).execute()
    ex.export_unit(root, again)
    close_database()
    open_database(city)
    try:
        view = ExchangeView()
        qtbot.addWidget(view)
        view.show_preview(ex.preview(again))
        assert _texts(view.conflict_model, "本单位的值") == ["0943-1111111"]
        assert _texts(view.conflict_model, "交换包的值") == ["0943-2222222"]
        assert _texts(view.conflict_model, "处理（双击改变）") == ["保留本单位的"]
        view.toggle(0)
        assert _texts(view.conflict_model, "处理（双击改变）") == ["采用交换包的"]
        monkeypatch.setattr(messages, "info", lambda *_a: None)
        job = view.receive()
        with qtbot.waitSignal(job.finished, timeout=30_000):
            pass
        assert Cadre.get_by_id(person.id).phone == "0943-2222222"
    finally:
        close_database()


def test_a_cancelled_receive_keeps_nothing(qtbot, offices, tmp_path) -> None:
    from models import exchange as ex

    school, office = offices
    package = tmp_path / "班次.cdx"
    open_database(school)
    try:
        ex.set_office("白银市委党校")
        class_id = TrainingClass.get(TrainingClass.status == "已结业").id
        ex.export_class(class_id, package)
    finally:
        close_database()
    before = _hours(office)
    open_database(office)
    try:
        view = ExchangeView()
        qtbot.addWidget(view)
        view.show_preview(ex.preview(package))
        job = view.receive()
        job.cancel()
        with qtbot.waitSignal(job.finished, timeout=30_000):
            pass
        assert view.receive_button.isEnabled()  # it can be received again
    finally:
        close_database()
    assert _hours(office) == before


def test_a_round_and_a_period_s_hours_are_sent(qtbot, tmp_path, monkeypatch) -> None:
    from PySide6.QtCore import QDate

    from models import exchange as ex
    from models.assessment import list_rounds

    county = tmp_path / "county.db"
    build_demo(county, cadres=120, today=dt.date(2026, 3, 1), parts=("training", "assessment"))
    told: list[str] = []
    errors: list[str] = []
    monkeypatch.setattr(messages, "info", lambda _p, _t, text: told.append(text))
    monkeypatch.setattr(messages, "error", lambda _p, text, _t=None: errors.append(text))
    open_database(county)
    try:
        ex.set_office("县委组织部")
        view = ExchangeView()
        qtbot.addWidget(view)
        (annual,) = [r for r in list_rounds() if r.kind == "年度考核"]
        assert [view.round_box.itemText(i) for i in range(view.round_box.count())] == [
            f"2025年度考核（{annual.members} 人，{annual.status}）"
        ]
        assert view.round_box.currentData() == 2025
        saved: list[Path] = []
        monkeypatch.setattr(
            messages,
            "save_file",
            lambda _p, _t, path, _f: saved.append(path) or tmp_path / path.name,
        )
        view.send_round.setChecked(True)
        job = view.send()
        with qtbot.waitSignal(job.finished, timeout=30_000):
            pass
        assert saved[-1].name == "2025年度考核.cdx"
        m = ex.read_manifest(tmp_path / "2025年度考核.cdx")
        assert (m.scope, m.title) == ("round:2025", "2025年度考核的得分与等次")
        assert m.rows["grade_result"] > 50

        view.send_hours.setChecked(True)
        view.hours_from.setDate(QDate(2025, 7, 1))
        view.hours_to.setDate(QDate(2025, 12, 31))
        job = view.send()
        with qtbot.waitSignal(job.finished, timeout=30_000):
            pass
        m = ex.read_manifest(tmp_path / saved[-1].name)
        assert saved[-1].name == "学时2025-07-01至2025-12-31.cdx"
        assert m.scope == "hours:2025-07-01..2025-12-31"
        assert m.rows["hours_entry"] > 20
        assert told[-1].startswith("已生成交换包")

        view.hours_from.setDate(QDate(2026, 1, 1))
        assert view.send() is None
        assert errors == ["学时期间的起始日期 2026-01-01 晚于结束日期 2025-12-31，请对调后重试"]
        assert _texts(view.history_model, "方向") == ["发出", "发出"]
    finally:
        close_database()


def test_a_hours_conflict_may_keep_both_lines(qtbot, tmp_path, monkeypatch) -> None:
    """The city registered a training the county also sent, with other 学时: a double
    click goes 保留本单位的 → 采用交换包的 → 两条都保留, and 接收 keeps both lines."""
    from decimal import Decimal

    from models import exchange as ex
    from models.roster.tables import Cadre
    from models.training.tables import HoursEntry

    county, city = tmp_path / "county.db", tmp_path / "city.db"
    build_demo(county, cadres=120, today=dt.date(2026, 3, 1), parts=("training",))
    build_demo(city, cadres=120, today=dt.date(2026, 3, 1), parts=())
    package = tmp_path / "学时.cdx"
    open_database(county)
    ex.set_office("县委组织部")
    first = HoursEntry.select().where(HoursEntry.day >= dt.date(2026, 1, 1)).first()
    card, day, kind, title = first.cadre.id_card, first.day, first.kind, first.title
    ex.export_hours(dt.date(2026, 1, 1), dt.date(2026, 6, 30), package)
    close_database()
    open_database(city)
    try:
        ex.set_office("市委组织部")
        who = Cadre.get(Cadre.id_card == card)
        HoursEntry.create(
            cadre=who, year=day.year, day=day, kind=kind, title=title, hours=Decimal("1.5")
        )
        view = ExchangeView()
        qtbot.addWidget(view)
        view.show_preview(ex.preview(package))
        assert _texts(view.conflict_model, "记录") == [
            f"{who.name}（身份证号 {card}） "
            + f"{day} {title} {Decimal(first.hours):.2f} 学时（本单位另有相似记录）"
        ]
        choice = "处理（双击改变）"
        assert _texts(view.conflict_model, choice) == ["保留本单位的"]
        view.toggle(0)
        assert _texts(view.conflict_model, choice) == ["采用交换包的"]
        view.toggle(0)
        assert _texts(view.conflict_model, choice) == ["两条都保留"]
        monkeypatch.setattr(messages, "info", lambda *_a: None)
        job = view.receive()
        with qtbot.waitSignal(job.finished, timeout=30_000):
            pass
        same_day = HoursEntry.select().where(
            (HoursEntry.cadre == who.id) & (HoursEntry.day == day) & (HoursEntry.title == title)
        )
        assert sorted(Decimal(e.hours) for e in same_day) == sorted(
            [Decimal("1.5"), Decimal(first.hours)]
        )
    finally:
        close_database()
