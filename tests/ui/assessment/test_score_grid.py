"""The 年度考核 score grid: typing, live totals, refusals, block paste from Excel, lock."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit

from tests.ui.assessment import support as assessment_support
from tests.ui.assessment.support import TIE_UNIT, unit_id_of

pytestmark = pytest.mark.ui

# the shared demo-database fixtures (tests/ui/assessment/support.py)
assessment_template = assessment_support.assessment_template
assessment_db = assessment_support.assessment_db


@pytest.fixture
def grid(qtbot, assessment_db: int):  # noqa: ANN001, ANN201
    """The grid of the 2025 round filtered to the tie unit (5 people, none with 加减分)."""
    from models.assessment import get_round
    from ui.assessment.score_grid import ScoreGrid

    w = ScoreGrid()
    qtbot.addWidget(w)
    w.resize(1280, 700)
    w.show()
    w.set_round(get_round(assessment_db), unit_id_of(TIE_UNIT), TIE_UNIT)
    return w


def col(grid, kind: str, code: str = "", label: str = "") -> int:  # noqa: ANN001
    for c, gc in enumerate(grid.model.columns):
        if gc.kind == kind and (not code or gc.code == code) and (not label or gc.label == label):
            return c
    raise AssertionError(f"no column {kind} {code} {label}")


def editor_of(grid) -> QLineEdit:  # noqa: ANN001
    open_editors = [
        e for e in grid.table.findChildren(QLineEdit, "score_editor") if e.isVisible()
    ]  # a closed editor is deleted later: take the one on screen
    assert len(open_editors) == 1
    return open_editors[0]


def type_cell(qtbot, grid, row: int, column: int, text: str) -> QLineEdit:  # noqa: ANN001
    """Start typing on the cell (the first key opens the editor), then the rest, then Enter."""
    grid.table.setCurrentIndex(grid.model.index(row, column))
    grid.table.setFocus()
    qtbot.keyClicks(grid.table, text[0])
    ed = editor_of(grid)
    if text[1:]:
        ed.insert(text[1:])
    qtbot.keyClick(ed, Qt.Key.Key_Return)
    return ed


def test_model_passes_qt_checks(qtmodeltester, grid) -> None:  # noqa: ANN001
    assert grid.model.rowCount() == 5
    qtmodeltester.check(grid.model)


def test_typing_overwrites_stores_and_updates_the_row_total(qtbot, grid, assessment_db) -> None:  # noqa: ANN001
    from models.assessment import person_scores, set_votes

    m = grid.model
    person = m.rows[2].member
    de = col(grid, "item", "de")
    # typing replaces what is in the cell: the first key opens the editor with just that key
    grid.table.setCurrentIndex(m.index(2, de))
    grid.table.setFocus()
    qtbot.keyClicks(grid.table, "9")
    assert editor_of(grid).text() == "9"
    editor_of(grid).insert("0")
    qtbot.keyClick(editor_of(grid), Qt.Key.Key_Tab)
    assert person_scores(assessment_db, person.cadre_id)["de"] == Decimal(90)
    # Tab moved on to the next item, editor open: keep typing
    assert grid.table.currentIndex().column() == col(grid, "item", "neng")
    for code, text in (("neng", "80"), ("qin", "70"), ("ji", "100"), ("lian", "85")):
        assert grid.table.currentIndex().column() == col(grid, "item", code)
        ed = editor_of(grid)
        ed.selectAll()
        ed.insert(text)
        qtbot.keyClick(ed, Qt.Key.Key_Tab)
    stored = person_scores(assessment_db, person.cadre_id)
    assert stored == {"de": 90, "neng": 80, "qin": 70, "ji": 100, "lian": 85}
    # by hand: weights 20/15/15/30+10 (城市转型)/20 = 110
    # (90×20 + 80×15 + 70×15 + 100×40 + 85×20) / 110 = 9750 / 110 = 88.636… → 88.64
    assert m.data(m.index(2, col(grid, "items_total"))) == "88.64"
    # every group 8 优秀 + 2 称职: (8×100 + 2×80) / 10 = 96 → 民主测评 96
    votes = {g: {"优秀": 8, "称职": 2, "基本称职": None, "不称职": None}
             for g in ("superior", "peer", "subordinate", "served")}  # fmt: skip
    set_votes(assessment_db, person.cadre_id, votes)
    grid.refresh()
    assert m.data(m.index(2, col(grid, "eval_total"))) == "96.00"
    # 综合 = 96×40% + 88.64×60% = 38.4 + 53.184 = 91.584 → 91.58 (no 加减分)
    assert m.data(m.index(2, col(grid, "composite"))) == "91.58"


def test_out_of_range_value_is_refused_with_the_reason(qtbot, grid, assessment_db) -> None:  # noqa: ANN001
    from models.assessment import person_scores

    m = grid.model
    person = m.rows[0].member
    before = person_scores(assessment_db, person.cadre_id)
    de = col(grid, "item", "de")
    grid.table.setCurrentIndex(m.index(0, de))
    grid.table.setFocus()
    qtbot.keyClicks(grid.table, "1")
    ed = editor_of(grid)
    ed.insert("20")
    # checked while typing: the editor says why, the hint line too
    assert "120 超出 0–100" in ed.property("problem")
    assert "120 超出 0–100" in grid.hint.text()
    qtbot.keyClick(ed, Qt.Key.Key_Return)
    # not stored, the editor stays on the cell, the cell is red with the reason
    assert person_scores(assessment_db, person.cadre_id) == before
    assert grid.table.currentIndex().column() == de
    tip = m.data(m.index(0, de), Qt.ItemDataRole.ToolTipRole)
    assert person.name in tip
    assert "“德”得分120 超出 0–100" in tip
    assert m.data(m.index(0, de), Qt.ItemDataRole.BackgroundRole) is not None
    # a word is refused the same way
    ed.selectAll()
    ed.insert("优")
    assert "不是数字" in ed.property("problem")


def test_paste_2x3_block_from_excel_stores_six_cells(qtbot, grid, assessment_db) -> None:  # noqa: ANN001
    from models.assessment import person_scores

    m = grid.model
    de = col(grid, "item", "de")
    QGuiApplication.clipboard().setText("81\t82\t83\r\n84\t85.5\t86\r\n")
    grid.table.setCurrentIndex(m.index(1, de))
    grid.table.setFocus()
    qtbot.keyClick(grid.table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    a, b = m.rows[1].member.cadre_id, m.rows[2].member.cadre_id
    sa, sb = person_scores(assessment_db, a), person_scores(assessment_db, b)
    assert (sa["de"], sa["neng"], sa["qin"]) == (81, 82, 83)
    assert (sb["de"], sb["neng"], sb["qin"]) == (84, Decimal("85.5"), 86)
    assert m.data(m.index(2, col(grid, "item", "neng"))) == "85.5"
    assert "6 个单元格有变化" in grid.hint.text()


def test_paste_with_one_bad_cell_stores_nothing(qtbot, grid, assessment_db, monkeypatch) -> None:  # noqa: ANN001
    from models.assessment import person_scores
    from ui import messages

    shown: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, title=None: shown.append(text))
    m = grid.model
    rows = [m.rows[k].member for k in (1, 2)]
    before = [person_scores(assessment_db, p.cadre_id) for p in rows]
    QGuiApplication.clipboard().setText("81\t82\t83\n84\t185\t86\n")
    grid.table.setCurrentIndex(m.index(1, col(grid, "item", "de")))
    assert grid.table.paste_from_clipboard() is None
    assert [person_scores(assessment_db, p.cadre_id) for p in rows] == before
    assert len(shown) == 1
    # the message names the person and the item of the bad cell
    assert rows[1].name in shown[0]
    assert "“能”得分" in shown[0]
    assert "185 超出 0–100" in shown[0]


def test_paste_into_vote_columns_and_mixed_block_refused(
    qtbot, grid, assessment_db, monkeypatch
) -> None:  # noqa: ANN001
    from models.assessment.grading import load_inputs
    from ui import messages

    shown: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, title=None: shown.append(text))
    m = grid.model
    first = col(grid, "vote", "superior", "优秀")
    QGuiApplication.clipboard().setText("3\t2\n")
    grid.table.setCurrentIndex(m.index(0, first))
    assert grid.table.paste_from_clipboard() is not None
    _rules, people, _row = load_inputs(assessment_db)
    p = next(p for p in people if p.person_id == m.rows[0].member.cadre_id)
    assert p.votes is not None
    assert p.votes["superior"]["优秀"] == 3
    assert p.votes["superior"]["称职"] == 2
    # a block that covers a computed column (综合得分) is refused as a whole
    QGuiApplication.clipboard().setText("90\t1\n")
    grid.table.setCurrentIndex(m.index(0, col(grid, "composite")))
    assert grid.table.paste_from_clipboard() is None
    assert "一次粘贴只能落在考核项目得分列内" in shown[0]


def test_locked_round_is_read_only(qtbot, grid, assessment_db, monkeypatch) -> None:  # noqa: ANN001
    from models.assessment import approve_round, get_round, submit_for_review
    from ui import messages

    submit_for_review(assessment_db)
    approve_round(assessment_db)
    grid.set_round(get_round(assessment_db), unit_id_of(TIE_UNIT), TIE_UNIT)
    m = grid.model
    de = col(grid, "item", "de")
    assert not (m.flags(m.index(0, de)) & Qt.ItemFlag.ItemIsEditable)
    assert "已审定锁定" in grid.hint.text()
    assert not grid.import_button.isEnabled()
    assert not grid.add_button.isEnabled()
    shown: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, title=None: shown.append(text))
    QGuiApplication.clipboard().setText("81\n")
    grid.table.setCurrentIndex(m.index(0, de))
    assert grid.table.paste_from_clipboard() is None
    assert "审定锁定" in shown[0]


def test_a_cell_someone_changed_meanwhile_is_refused_shown_and_reread(
    qtbot, grid, assessment_db, monkeypatch
) -> None:  # noqa: ANN001
    """Another clerk saved the cell after this grid read it: typing over it stores nothing,
    the grid shows their value, and the message names them, when, and the value now."""
    from models.assessment import person_scores, set_score
    from models.core.audit import set_actor
    from ui import messages

    said: list[str] = []
    monkeypatch.setattr(messages, "conflict", lambda _parent, text: said.append(text))
    m = grid.model
    person = m.rows[1].member
    de = col(grid, "item", "de")
    shown = m.data(m.index(1, de))
    set_actor("李四")
    try:
        set_score(assessment_db, person.cadre_id, "de", "77")  # the other clerk, elsewhere
    finally:
        set_actor(None)
    type_cell(qtbot, grid, 1, de, "95")
    qtbot.waitUntil(lambda: bool(said))
    assert person_scores(assessment_db, person.cadre_id)["de"] == Decimal("77")
    assert m.data(m.index(1, de)) == "77"  # re-read: the grid shows their value now
    assert shown != "77"
    assert said[0].startswith(f"{person.name}（{person.unit_name}）的“德”得分已被 李四 于 ")
    assert said[0].endswith("修改（现为“77”），请刷新后重试")
    # the clerk types again over what is now shown: stored
    type_cell(qtbot, grid, 1, de, "95")
    assert person_scores(assessment_db, person.cadre_id)["de"] == Decimal("95")


def test_a_paste_over_a_cell_changed_meanwhile_stores_nothing(
    qtbot, grid, assessment_db, monkeypatch
) -> None:  # noqa: ANN001
    from models.assessment import person_scores, set_score
    from ui import messages

    said: list[str] = []
    monkeypatch.setattr(messages, "conflict", lambda _parent, text: said.append(text))
    m = grid.model
    de = col(grid, "item", "de")
    people = [m.rows[r].member.cadre_id for r in (0, 1)]
    before = person_scores(assessment_db, people[0]).get("de")
    set_score(assessment_db, people[1], "de", "66")
    assert m.paste(0, de, [["91"], ["92"]]) == 0
    assert person_scores(assessment_db, people[0]).get("de") == before
    assert person_scores(assessment_db, people[1])["de"] == Decimal("66")
    assert m.data(m.index(1, de)) == "66"
    qtbot.waitUntil(lambda: bool(said))
    assert "请刷新后重试" in said[0]


# --------------------------------------------------------------------------- 全部单位


def test_with_all_units_selected_the_add_button_adds_every_unit_after_asking(
    qtbot, assessment_db, monkeypatch
) -> None:  # noqa: ANN001
    import datetime as dt

    from models.assessment import list_members
    from models.roster.tables import Cadre
    from tests.ui.conftest import id_number
    from ui import messages
    from ui.assessment.assessment_view import AssessmentView

    birth = dt.date(1985, 6, 1)
    for seq, (unit, name) in enumerate(((TIE_UNIT, "新同志甲"), ("市委", "新同志乙")), start=81):
        Cadre.create(name=name, sex="男", birth_date=birth, unit=unit_id_of(unit),
                     id_card=id_number("620402", birth, seq, True), post_title="科员")  # fmt: skip
    before = len(list_members(assessment_db))
    view = AssessmentView()
    qtbot.addWidget(view)
    view.resize(1280, 760)
    view.show()
    view.select_unit(None)
    view.tabs.setCurrentWidget(view.grid)
    button = view.grid.add_button
    assert view.unit_combo.currentText() == "全部单位"
    assert button.isEnabled()
    assert button.text() == "添加全部单位考核人员…"
    asked: list[str] = []
    told: list[str] = []
    errors: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, title=None: errors.append(text))
    monkeypatch.setattr(messages, "info", lambda _p, _t, text: told.append(text))
    answer = [False]
    monkeypatch.setattr(
        messages, "ask_yes_no", lambda _p, _t, text: asked.append(text) or answer[0]
    )

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # asked, declined: nothing added
    assert asked == ["将把全部单位的在职干部 2 人添加到“2025年度考核”。是否继续？"]
    assert len(list_members(assessment_db)) == before
    assert not told

    answer[0] = True
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert told == ["已添加全部单位在职干部 2 人"]
    assert errors == []
    members = list_members(assessment_db)
    assert len(members) == before + 2
    assert {"新同志甲", "新同志乙"} <= {m.name for m in members}
    assert {"新同志甲", "新同志乙"} <= {r.member.name for r in view.grid.model.rows}

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # nobody left: said, not asked
    assert len(asked) == 2
    assert told[-1] == "全部单位的在职干部都已在本轮考核中，无需添加"


def test_a_big_round_is_read_in_the_background_with_the_section_usable(
    qtbot, assessment_db, monkeypatch
) -> None:  # noqa: ANN001
    """Above BACKGROUND_ROWS members the grid is read on the worker thread: the screen is
    there at once saying 正在读取…, then shows every participating member."""
    from models.assessment import get_round, list_members
    from ui import jobs
    from ui.assessment.score_grid import ScoreGrid

    rnd = get_round(assessment_db)
    monkeypatch.setattr(jobs, "BACKGROUND_ROWS", rnd.members - 1)
    w = ScoreGrid()
    qtbot.addWidget(w)
    w.show()
    w.set_round(rnd, None)
    assert w.hint.text() == f"正在读取 {rnd.members} 人的评分…"
    assert w.model.rowCount() == 0
    assert not w.add_button.isEnabled()
    qtbot.waitUntil(lambda: w.model.rowCount() > 0, timeout=20_000)
    taking_part = [m for m in list_members(rnd.id) if not m.not_participating]
    assert [r.member.cadre_id for r in w.model.rows] == [m.cadre_id for m in taking_part]
    assert w.hint.text().startswith(f"{len(taking_part)} 人。")
    assert w.add_button.isEnabled()
    # a unit chosen while a read is under way: only the last choice is shown
    w.set_round(rnd, None)
    w.set_round(rnd, unit_id_of(TIE_UNIT), TIE_UNIT)
    assert jobs.runner().wait(20_000)
    qtbot.waitUntil(lambda: w._loading is None, timeout=20_000)
    assert {r.member.unit_name for r in w.model.rows} == {TIE_UNIT}


def test_equal_votes_read_once_change_for_one_person_only(grid, assessment_db) -> None:  # noqa: ANN001
    """The grid keeps the values as read (two people with the same counts share them); a
    change to one person's counts must not reach the other's."""
    from models.assessment.grading import load_inputs

    m = grid.model
    group = next(c.code for c in m.columns if c.kind == "vote")
    cols = [k for k, c in enumerate(m.columns) if c.kind == "vote" and c.code == group]
    for k in cols:  # the second person's counts of the group typed for the first
        assert m.setData(m.index(0, k), m.data(m.index(1, k)))
    grid.refresh()
    first, second = m.rows[0], m.rows[1]
    assert first.votes[group] == second.votes[group]
    assert first.votes[group] is second.votes[group]  # read once: the case this is about
    before = [m.data(m.index(1, k)) for k in cols]
    new = str(int(before[0] or 0) + 1)
    assert m.setData(m.index(0, cols[0]), new)
    assert m.data(m.index(0, cols[0])) == new
    assert [m.data(m.index(1, k)) for k in cols] == before  # the other row as it was
    stored = {p.person_id: p for p in load_inputs(assessment_db)[1]}
    assert stored[second.member.cadre_id].votes[group] == second.votes[group]
    assert stored[first.member.cadre_id].votes[group][m.columns[cols[0]].label] == int(new)


def test_enter_goes_down_as_in_excel(qtbot, grid, assessment_db) -> None:  # noqa: ANN001
    """Typing a column of scores: Enter stores and goes to the next person's cell in the same
    column (Shift+Enter back up); a refused value keeps the cursor where it is."""
    from models.assessment import person_scores

    m = grid.model
    de = col(grid, "item", "de")
    grid.table.setCurrentIndex(m.index(0, de))
    grid.table.setFocus()
    for row, text in ((0, "81"), (1, "82"), (2, "83")):
        assert (grid.table.currentIndex().row(), grid.table.currentIndex().column()) == (row, de)
        qtbot.keyClicks(grid.table, text[0])
        editor_of(grid).insert(text[1:])
        qtbot.keyClick(editor_of(grid), Qt.Key.Key_Return)
    assert grid.table.currentIndex().row() == 3
    stored = [person_scores(assessment_db, m.rows[r].member.cadre_id)["de"] for r in range(3)]
    assert stored == [81, 82, 83]
    qtbot.keyClick(grid.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert grid.table.currentIndex().row() == 2
    qtbot.keyClick(grid.table, Qt.Key.Key_Return)  # not editing: just down
    assert grid.table.currentIndex().row() == 3
    assert grid.hint.text().startswith(
        f"{len(m.rows)} 人。直接输入分数，回车到下一行、Tab 到下一格"
    )
