"""The 修改记录 section: it shows the changes with names, filters them by person, unit, kind
and account, pages through a long log, says in Chinese when a filter names nobody, and
exports what it shows to xlsx."""

from __future__ import annotations

import datetime as dt

import pytest
from argon2 import PasswordHasher, Type
from openpyxl import load_workbook
from PySide6.QtCore import QDate

from models.accounts import (
    READ_ONLY,
    AccountInput,
    create_account,
    create_first_admin,
    login,
    logout,
    passwords,
)
from models.assessment import add_member, add_sanction, create_round, set_score
from models.core.audit import ChangeLog
from models.core.db import bulk_insert
from tests.models.audit.test_query import new_cadre
from ui import messages
from ui.audit import AuditView
from ui.audit import audit_view as module
from ui.main_window import MainWindow

TODAY = dt.date.today()


@pytest.fixture
def story(people):
    """The six cadres of the GUI fixtures (added today by the tests' user), then a round
    with 张三 scored by 录入员 and a sanction of 王芳 by 干部科."""
    rnd = create_round(TODAY.year, user="考核办")
    add_member(rnd.id, people["张三"], user="考核办")
    set_score(rnd.id, people["张三"], "de", 18, user="录入员", reason="考核组评分")
    add_sanction(people["王芳"], "诫勉", dt.date(TODAY.year, 1, 15), note="履职不力", user="干部科")
    return people


@pytest.fixture
def view(qtbot, story):
    v = AuditView()
    qtbot.addWidget(v)
    run(qtbot, v.query())
    return v


def run(qtbot, job) -> None:
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass


def column(view: AuditView, header: str) -> list[str]:
    c = view.model.headers().index(header)
    return [view.model.text(r, c) for r in range(view.model.rowCount())]


def test_the_screen_shows_changes_with_names(qtmodeltester, view) -> None:
    qtmodeltester.check(view.model)
    assert view.model.headers() == ["时间", "账号", "操作", "类别", "对象", "字段", "原值",
                                     "新值", "原因"]  # fmt: skip
    shown = view.model.rowCount()
    assert shown > 20
    assert view.count.text() == f"共 {shown} 条修改记录，显示第 1–{shown} 条（最新的在前）"
    assert column(view, "对象")[0] == "王芳（乌兰镇）"  # the sanction came last
    assert column(view, "类别")[0] == "处分"
    assert column(view, "账号")[0] == "干部科"
    assert column(view, "原因")[0] == "履职不力"
    assert "张三（市委组织部）《" in "".join(column(view, "对象"))
    assert "德得分" in column(view, "字段")
    assert "白银市/市委/市委组织部" in column(view, "新值")  # 单位 named, not its id
    assert not view.prev_button.isEnabled()
    assert not view.next_button.isEnabled()


def test_filters_narrow_the_rows(qtbot, view, units) -> None:
    view.person.setText("王芳")
    run(qtbot, view.query())
    assert set(column(view, "对象")) == {"王芳（乌兰镇）"}
    assert set(column(view, "类别")) == {"干部", "处分"}
    view.person.clear()
    view.kind.setCurrentIndex(view.kind.findData("考核得分"))
    run(qtbot, view.query())
    assert column(view, "新值") == ["18"]
    assert column(view, "账号") == ["录入员"]
    view.kind.setCurrentIndex(0)
    view.unit.setCurrentIndex(view.unit.findData(units["county"]))
    run(qtbot, view.query())
    assert {s.split("（")[0] for s in column(view, "对象")} == {"王芳", "赵敏", "周志强"}
    view.unit.setCurrentIndex(0)
    view.account.setCurrentIndex(view.account.findData("考核办"))
    run(qtbot, view.query())
    assert set(column(view, "账号")) == {"考核办"}
    view.account.setCurrentIndex(0)
    view.date_from.setDate(QDate(TODAY.year + 1, 1, 1))
    view.date_to.setDate(QDate(TODAY.year + 1, 12, 31))
    run(qtbot, view.query())
    assert view.model.rowCount() == 0
    assert view.count.text() == "没有符合条件的修改记录"


def test_a_person_nobody_is_called_is_said_in_red(view) -> None:
    shown = view.model.rowCount()
    view.person.setText("钱七")
    assert view.query() is None
    assert view.count.text() == "名册和修改记录中都没有“钱七”，请检查姓名或身份证号"
    assert "b91c1c" in view.count.styleSheet()
    assert view.model.rowCount() == shown  # the last result stays


def test_namesakes_are_chosen_from_a_list(qtbot, monkeypatch, view, units) -> None:
    new_cadre("张三", units["town"], 9, user="干部科")
    asked: list[list[str]] = []

    def choose(_parent, _title, _label, items, current=0):  # noqa: ANN001, ANN202
        asked.append(list(items))
        return 1

    monkeypatch.setattr(messages, "choose_item", choose)
    view.person.setText("张三")
    run(qtbot, view.query())
    assert [label.split("，")[0] for label in asked[0]] == ["张三（市委组织部", "张三（乌兰镇"]
    assert set(column(view, "对象")) == {"张三（乌兰镇）"}
    run(qtbot, view.query())  # the same text again: the choice stands, nothing is asked
    assert len(asked) == 1
    view.person.setText("张三 ")
    run(qtbot, view.query())
    assert len(asked) == 1


def test_pages_through_a_long_log(qtbot, monkeypatch, story) -> None:
    monkeypatch.setattr(module, "PAGE_SIZE", 50)
    start = dt.datetime.combine(TODAY, dt.time())
    bulk_insert(
        ChangeLog,
        [
            {"at": start, "user": "批量", "entity": "cadre", "entity_id": story["李四"],
             "action": "修改", "field": "phone", "old_value": str(n), "new_value": str(n + 1),
             "reason": ""}
            for n in range(120)
        ],
    )  # fmt: skip
    v = AuditView()
    qtbot.addWidget(v)
    v.account.setCurrentIndex(v.account.findData("批量"))
    run(qtbot, v.query())
    assert v.model.rowCount() == 50
    assert v.count.text() == "共 120 条修改记录，显示第 1–50 条（最新的在前）"
    assert v.next_button.isEnabled()
    run(qtbot, v.next_page())
    run(qtbot, v.next_page())
    assert v.count.text() == "共 120 条修改记录，显示第 101–120 条（最新的在前）"
    assert not v.next_button.isEnabled()
    assert column(v, "字段") == ["联系电话"] * 20
    run(qtbot, v.previous_page())
    assert v.offset == 50


def test_export_writes_every_page_of_the_filter(qtbot, monkeypatch, tmp_path, view) -> None:
    dest = tmp_path / "修改记录.xlsx"
    told: list[str] = []
    monkeypatch.setattr(messages, "save_file", lambda *a: dest)
    monkeypatch.setattr(messages, "info", lambda _p, _t, text: told.append(text))
    view.person.setText("王芳")
    run(qtbot, view.export())
    rows = list(load_workbook(dest)["修改记录"].iter_rows(values_only=True))
    assert rows[0][0].startswith(f"修改记录（{TODAY.year}-01-01 至 {TODAY.isoformat()}；人员：王芳")
    assert rows[1][:5] == ("时间", "账号", "操作", "类别", "对象")
    assert {r[4] for r in rows[2:]} == {"王芳（乌兰镇）"}
    assert told == [f"已导出修改记录 {len(rows) - 2} 条到 {dest}"]


def test_the_main_window_has_the_section(qtbot, story, db_path) -> None:
    window = MainWindow(db_path)
    qtbot.addWidget(window)
    window.show()
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert "修改记录" in titles
    window.nav.setCurrentRow(titles.index("修改记录"))
    view = window.audit_view
    assert isinstance(view, AuditView)
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=10_000)
    assert column(view, "类别")[0] == "处分"
    window.close()


def test_export_is_greyed_for_an_account_without_the_permission(qtbot, monkeypatch, story):
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1, type=Type.ID)
    monkeypatch.setattr(passwords, "_hasher", cheap)
    create_first_admin("admin", "管理员", "Secret2026")
    login("admin", "Secret2026")
    create_account(AccountInput("chakan", "查看员", READ_ONLY), "Secret2026")
    try:
        login("chakan", "Secret2026")
        v = AuditView()
        qtbot.addWidget(v)
        assert not v.export_button.isEnabled()
        assert "没有“导出修改记录”的权限" in v.export_button.toolTip()
        run(qtbot, v.query())  # reading stays open
        assert v.model.rowCount() > 0
    finally:
        logout()
