"""The 学时 section: the 学时不足名单 by year and unit, its xlsx export, and one cadre's
ledger with 外出培训 / 网络学习 lines added and deleted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from models.training import add_hours_entry, list_hours
from tests.ui.job_support import CancelAfterService
from ui import messages
from ui.training.hours_view import HoursEntryDialog, HoursView


@pytest.fixture
def view(qtbot, people):  # noqa: ANN001, ANN201
    # 李四 (乡科级正职, 90 a year) has 95 学时 in 2026; 王芳 30; the 县处级 cadres 张三
    # and 周志强 need 550 over 2022-2026: 张三 has 500, 周志强 nothing; 赵敏 nothing;
    # 张珊珊 is retired and never listed.
    add_hours_entry(people["李四"], dt.date(2026, 4, 1), "网络学习", 95, "网络学院")
    add_hours_entry(people["王芳"], dt.date(2026, 4, 1), "外出培训", 30, "省委党校培训")
    add_hours_entry(people["张三"], dt.date(2023, 6, 1), "外出培训", 500, "中央党校进修")
    v = HoursView()
    qtbot.addWidget(v)
    v.year.setValue(2026)
    with qtbot.waitSignal(v.reload().finished, timeout=10_000):
        pass
    return v


def shown(view: HoursView) -> dict[str, tuple[str, str, str]]:
    m = view.model
    return {m.text(r, 1): (m.text(r, 6), m.text(r, 7), m.text(r, 8)) for r in range(m.rowCount())}


def test_shortfall_list(qtmodeltester, view) -> None:
    qtmodeltester.check(view.model)
    assert shown(view) == {
        "张三": ("550", "500", "50"),
        "周志强": ("550", "0", "550"),
        "王芳": ("90", "30", "60"),
        "赵敏": ("90", "0", "90"),
    }
    assert view.count.text() == "2026 年学时不足 4 人，共差 750 学时"
    # 领导职务层次 and 职级 each in its own column, as the roster stores them
    from models.roster import service as roster

    m = view.model
    headers = [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())]
    assert headers[2:4] == ["领导职务层次", "职级"]
    for r in range(m.rowCount()):
        cadre = roster.get_cadre(m.row(r).cadre_id)
        assert m.text(r, 2) == (cadre.leadership_level or "—")
        assert m.text(r, 3) == (cadre.rank or "—")


def test_shortfall_list_by_unit(qtbot, view, units) -> None:
    view.unit.setCurrentIndex(view.unit.findData(units["town"]))
    with qtbot.waitSignal(view.reload().finished, timeout=10_000):
        pass
    assert set(shown(view)) == {"王芳", "赵敏"}


def test_export_writes_the_list(qtbot, monkeypatch, tmp_path, view) -> None:
    dest = tmp_path / "名单.xlsx"
    told: list[str] = []
    monkeypatch.setattr(messages, "save_file", lambda *a: dest)
    monkeypatch.setattr(messages, "info", lambda _p, _t, text: told.append(text))
    job = view.export()
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    ws = load_workbook(dest).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "2026 年学时不足名单（全部单位）"
    assert rows[1][:2] == ("单位", "姓名")
    by_name = {r[1]: r for r in rows[2:]}
    assert set(by_name) == {"张三", "周志强", "王芳", "赵敏"}
    assert by_name["王芳"][6:] == (90, 30, 60)
    assert rows[1][2:4] == ("领导职务层次", "职级")  # two columns, never one for the other
    assert told == [f"已导出 4 行到 {dest}"]


def test_export_of_empty_list_says_so(monkeypatch, view) -> None:
    view.model.set_rows([])
    shown_errors: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, title=None: shown_errors.append(text))
    assert view.export() is None
    assert "名单是空的" in shown_errors[0]


def test_ledger_add_and_delete(qtbot, qtmodeltester, monkeypatch, view, people) -> None:
    row = next(r for r in range(view.model.rowCount()) if view.model.text(r, 1) == "王芳")
    view.table.selectRow(row)
    assert view.cadre_id == people["王芳"]
    assert view.ledger_model.rowCount() == 1
    monkeypatch.setattr(
        HoursEntryDialog,
        "ask",
        classmethod(lambda cls, *a: (dt.date(2026, 5, 6), "网络学习", Decimal("60"), "网上专题班")),
    )
    entry = view.add_entry()
    assert entry is not None
    qtmodeltester.check(view.ledger_model)
    assert [e.title for e in list_hours(people["王芳"], 2026)] == ["省委党校培训", "网上专题班"]
    assert (
        view.ledger_title.text() == "王芳 2026 年共 90 学时（班次培训 0，外出培训 30，网络学习 60）"
    )
    qtbot.waitUntil(lambda: "王芳" not in shown(view))  # 30 + 60 = 90 meets the requirement

    monkeypatch.setattr(messages, "ask_yes_no", lambda *a: True)
    view.ledger.selectRow(view.ledger_model.row_of(entry.id))
    assert view.delete_entry()
    assert [e.title for e in list_hours(people["王芳"], 2026)] == ["省委党校培训"]
    qtbot.waitUntil(lambda: "王芳" in shown(view))


def test_ledger_bad_entry_is_refused_with_reason(monkeypatch, view, people) -> None:
    view.show_ledger(people["赵敏"])
    monkeypatch.setattr(
        HoursEntryDialog,
        "ask",
        classmethod(lambda cls, *a: (dt.date(2026, 5, 6), "网络学习", Decimal(0), "x")),
    )
    errors: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, title=None: errors.append(text))
    assert view.add_entry() is None
    assert errors == ["干部“赵敏”2026-05-06 的学时应大于 0 且不超过 1000，现为 0.00"]
    assert list_hours(people["赵敏"]) == []


def test_find_cadre_by_name(view, people) -> None:
    view.search.insert("周志强")
    view.find_cadre()
    assert view.cadre_id == people["周志强"]
    assert view.ledger_title.text().startswith("周志强 2026 年共 0 学时")


def hours_sheet(path, rows):  # noqa: ANN001, ANN201
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["身份证号", "姓名", "日期", "类别", "学时", "内容"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_import_hours_from_xlsx(qtbot, monkeypatch, tmp_path, view, people) -> None:
    from models.roster import service as roster

    card = {n: roster.get_cadre(people[n]).id_card for n in ("王芳", "赵敏")}
    # row 2 fine; row 3 an ID number nobody has: the whole file is refused
    bad = hours_sheet(
        tmp_path / "bad.xlsx",
        [
            [card["王芳"], "王芳", "2026-05-06", "网络学习", 40, "网络学院专题班"],
            ["620402199901010000", "", "2026-05-06", "网络学习", 10, "x"],
        ],
    )
    listed: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(messages, "open_file", lambda *a: bad)
    monkeypatch.setattr(
        messages, "issues", lambda _p, _t, text, lines: listed.append((text, lines))
    )
    job = view.import_hours()
    assert job is not None
    assert not view.import_button.isEnabled()  # no second import while this one runs
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert view.import_button.isEnabled()
    assert len(listed) == 1
    text, lines = listed[0]
    assert text == "“bad.xlsx”：学时导入失败，未导入任何记录。请改正以下各行后重新导入："
    assert lines == ["第 3 行“身份证号”列：620402199901010000 不在干部名册中"]
    assert [e.title for e in list_hours(people["王芳"], 2026)] == ["省委党校培训"]  # nothing added
    assert shown(view)["王芳"] == ("90", "30", "60")

    # 王芳 30 + 40 = 70 of 90: 20 short; 赵敏 0 + 90: no longer listed
    good = hours_sheet(
        tmp_path / "good.xlsx",
        [
            [card["王芳"], "王芳", "2026-05-06", "网络学习", 40, "网络学院专题班"],
            [card["赵敏"], "赵敏", dt.datetime(2026, 6, 1), "外出培训", 90, "省委党校轮训"],
        ],
    )
    told: list[str] = []
    monkeypatch.setattr(messages, "open_file", lambda *a: good)
    monkeypatch.setattr(messages, "info", lambda _p, _t, text: told.append(text))
    job = view.import_hours()
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert told == ["已从“good.xlsx”导入 2 条学时记录"]
    wang = [(e.day, e.kind, e.hours, e.title) for e in list_hours(people["王芳"], 2026)]
    assert wang == [
        (dt.date(2026, 4, 1), "外出培训", Decimal(30), "省委党校培训"),
        (dt.date(2026, 5, 6), "网络学习", Decimal(40), "网络学院专题班"),
    ]
    zhao = [(e.day, e.kind, e.hours, e.title) for e in list_hours(people["赵敏"], 2026)]
    assert zhao == [(dt.date(2026, 6, 1), "外出培训", Decimal(90), "省委党校轮训")]
    qtbot.waitUntil(lambda: view.count.text() == "2026 年学时不足 3 人，共差 620 学时")
    assert shown(view)["王芳"] == ("90", "70", "20")
    assert "赵敏" not in shown(view)

    # the same file again: every row is already in the ledger, nothing is added twice
    listed.clear()
    job = view.import_hours()
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert listed[0][1] == [
        "第 2 行：王芳 2026-05-06 的“网络学院专题班”已登记过，不能重复导入",
        "第 3 行：赵敏 2026-06-01 的“省委党校轮训”已登记过，不能重复导入",
    ]
    assert len(list_hours(people["王芳"], 2026)) == 2
    assert len(list_hours(people["赵敏"], 2026)) == 1


def refused_file(qtbot, monkeypatch, view, path) -> list[tuple[str, str | None]]:  # noqa: ANN001
    errors: list[tuple[str, str | None]] = []
    monkeypatch.setattr(messages, "open_file", lambda *a: path)
    monkeypatch.setattr(
        messages, "error", lambda _p, text, title=None: errors.append((text, title))
    )
    job = view.import_hours()
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert view.import_button.isEnabled()
    return errors


def test_import_hours_file_that_is_not_a_workbook(qtbot, monkeypatch, tmp_path, view) -> None:
    path = tmp_path / "学时.xlsx"
    path.write_text("not a workbook")
    assert refused_file(qtbot, monkeypatch, view, path) == [
        (
            "“学时.xlsx”的内容是文本（可能是CSV），不是Excel工作簿（.xlsx）；"
            "请在Excel或WPS中打开后另存为.xlsx",
            "不能导入学时",
        )
    ]


def test_import_hours_sheet_without_rows_or_columns(qtbot, monkeypatch, tmp_path, view) -> None:
    from openpyxl import Workbook

    empty = hours_sheet(tmp_path / "空表.xlsx", [])
    assert refused_file(qtbot, monkeypatch, view, empty) == [
        ("“空表.xlsx”中没有学时记录", "不能导入学时")
    ]
    wb = Workbook()
    wb.active.append(["身份证号", "姓名", "日期", "类别", "内容"])  # no 学时 column
    wb.save(tmp_path / "缺列.xlsx")
    assert refused_file(qtbot, monkeypatch, view, tmp_path / "缺列.xlsx") == [
        ("缺列.xlsx 第 1 行缺少列：学时", "不能导入学时")
    ]


def test_cancel_before_the_import_commits_stores_nothing(
    qtbot, monkeypatch, tmp_path, view, people
) -> None:
    from models import training as svc
    from models.roster import service as roster

    card = roster.get_cadre(people["赵敏"]).id_card
    good = hours_sheet(
        tmp_path / "good.xlsx", [[card, "赵敏", "2026-06-01", "外出培训", 90, "省委党校轮训"]]
    )
    monkeypatch.setattr(messages, "open_file", lambda *a: good)
    cancel = CancelAfterService(monkeypatch, svc, "import_hours")
    job = view.import_hours()
    cancel.cancel(job)
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert cancel.results == [1]  # the service had stored the row...
    assert list_hours(people["赵敏"]) == []  # ...and it was rolled back; nothing told
    assert view.import_button.isEnabled()
