"""The 考核方案 editor: live checks beside the tables, 保存 only when the scheme is usable,
saving persists; a new round copies last year's scheme."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QTableView,
    QWidget,
)

from tests.ui.assessment import support as assessment_support

pytestmark = pytest.mark.ui

# the shared demo-database fixtures (tests/ui/assessment/support.py)
assessment_template = assessment_support.assessment_template
assessment_db = assessment_support.assessment_db


@pytest.fixture
def editor(qtbot, assessment_db: int):  # noqa: ANN001, ANN201
    from models.assessment import get_round
    from ui.assessment.scheme.editor import SchemeEditor

    w = SchemeEditor()
    qtbot.addWidget(w)
    w.set_round(get_round(assessment_db))
    return w


def set_cell(model, row: int, key: str, value: str) -> None:  # noqa: ANN001
    c = next(k for k, f in enumerate(model.fields) if f.key == key)
    assert model.setData(model.index(row, c), value, Qt.ItemDataRole.EditRole)


def issue_texts(editor) -> list[str]:  # noqa: ANN001
    return [editor.issue_list.item(k).text() for k in range(editor.issue_list.count())]


def test_models_pass_qt_checks(qtmodeltester, editor) -> None:  # noqa: ANN001
    for model in (editor.items_model, editor.groups_model, editor.votes_model):
        qtmodeltester.check(model)


def test_demo_scheme_is_shown_and_valid(editor) -> None:  # noqa: ANN001
    names = [r["name"] for r in editor.items_model.rows]
    assert names == ["德", "能", "勤", "绩", "廉"]
    ji = editor.items_model.rows[3]
    assert (ji["key_topic"], ji["key_topic_weight"]) == ("城市转型", "10")
    assert issue_texts(editor) == []
    assert editor.save_button.isEnabled()
    assert editor.weight_sum.text() == "项目权重合计 100，另有重点内容加权 10"


def test_weight_sum_issue_disables_save(editor) -> None:  # noqa: ANN001
    set_cell(editor.items_model, 0, "weight", "15")  # 德 20 → 15: 15+15+15+30+20 = 95
    assert "考核项目权重（不含重点内容加权）：合计为 95，应为 100（少 5）" in issue_texts(editor)
    assert not editor.save_button.isEnabled()
    assert "1 处问题" in editor.status.text()
    # a word where a number belongs is named too
    set_cell(editor.items_model, 1, "full_score", "满分")
    assert any("“能”" in t and "不是数字" in t for t in issue_texts(editor))
    assert not editor.save_button.isEnabled()


def test_group_weights_and_composite_weights_checked(editor) -> None:  # noqa: ANN001
    set_cell(editor.groups_model, 0, "weight", "0.4")  # 0.4+0.3+0.2+0.2 = 1.1
    assert "民主测评各评价组权重：合计为 1.1，应为 1（多 0.1）" in issue_texts(editor)
    editor.grading.eval_weight.setText("50")
    editor.revalidate()
    assert any("民主测评 50 + 项目 60 = 110，应为 100（多 10）" in t for t in issue_texts(editor))


def test_saving_a_valid_change_persists(qtbot, editor, assessment_db) -> None:  # noqa: ANN001
    from models.assessment import round_history, round_rules
    from models.assessment.rules import Rounding

    set_cell(editor.items_model, 0, "weight", "25")
    set_cell(editor.items_model, 1, "weight", "10")  # 25+10+15+30+20 = 100
    editor.grading.rounding.setCurrentText(Rounding.UP.value)
    r = editor.add_item()  # a 个性 item as a veto-only item (weight 0)
    set_cell(editor.items_model, r, "name", "安全生产")
    c = next(k for k, f in enumerate(editor.items_model.fields) if f.key == "is_veto")
    editor.items_model.setData(
        editor.items_model.index(r, c), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole
    )
    assert issue_texts(editor) == []
    assert editor.save_button.isEnabled()
    editor.reason.setText("调整权重")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    rules = round_rules(assessment_db)
    weights = {i.name: i.weight for i in rules.items}
    assert weights == {"德": 25, "能": 10, "勤": 15, "绩": 30, "廉": 20, "安全生产": 0}
    assert rules.items_by_code["ji"].key_topic_weight == Decimal(10)
    assert rules.items[-1].is_veto
    assert rules.quota.rounding is Rounding.UP
    assert any(c.reason == "调整权重" for c in round_history(assessment_db))
    assert editor.status.text() == "已保存"


def test_removing_an_item_with_scores_is_refused_by_the_service(editor, assessment_db) -> None:  # noqa: ANN001
    from models.assessment import round_rules

    editor.items_table.setCurrentIndex(editor.items_model.index(4, 1))  # 廉
    editor.delete_item()
    set_cell(editor.items_model, 0, "weight", "40")  # weights add up again: 40+15+15+30
    assert issue_texts(editor) == []
    assert not editor.save()
    assert any("已录入" in t and "不能删除该项目" in t for t in issue_texts(editor))
    assert len(round_rules(assessment_db).items) == 5


def test_new_round_copies_last_years_scheme(qtbot, assessment_db, monkeypatch) -> None:  # noqa: ANN001
    from models.assessment import round_rules
    from ui.assessment.assessment_view import AssessmentView, NewRound, NewRoundDialog

    view = AssessmentView()
    qtbot.addWidget(view)
    dialog = NewRoundDialog(view.round and [view.round] or [])
    qtbot.addWidget(dialog)
    assert dialog.year.value() == 2026
    assert dialog.copy.isChecked()
    assert "复制自“2025年度考核”" in dialog.source.text()
    monkeypatch.setattr(
        NewRoundDialog, "ask", classmethod(lambda cls, p, r: NewRound(2026, "年度考核", None, True))
    )
    rnd = view.new_round()
    assert rnd is not None
    assert rnd.year == 2026
    rules = round_rules(rnd.id)
    assert rules.name == "2026年度五项考核方案"  # the copy is named for its own year
    assert view.scheme.name.text() == "2026年度五项考核方案"
    assert rules.items_by_code["ji"].key_topic == "城市转型"
    assert view.round is not None
    assert view.round.id == rnd.id
    assert view.tabs.currentWidget() is view.scheme
    assert view.scheme.items_model.rows[3]["key_topic"] == "城市转型"


# --------------------------------------------------------------------------- names, not codes

CODES = re.compile(
    r"(?<![A-Za-z])(de|neng|qin|ji|lian|superior|peer|subordinate|served)(?![A-Za-z])"
)


def screen_texts(editor) -> list[str]:  # noqa: ANN001
    """Everything the editor shows: visible table cells and headers, labels, fields, buttons,
    group titles, combo box entries, list entries and every tooltip."""
    texts: list[str] = []
    widgets = [editor, *editor.findChildren(QWidget)]
    for w in widgets:
        texts.append(w.toolTip())
        if isinstance(w, QTableView) and w.model() is not None:
            m = w.model()
            for c in range(m.columnCount()):
                if w.isColumnHidden(c):
                    continue
                texts.append(str(m.headerData(c, Qt.Orientation.Horizontal)))
                for r in range(m.rowCount()):
                    texts.append(str(m.index(r, c).data() or ""))
                    texts.append(str(m.index(r, c).data(Qt.ItemDataRole.ToolTipRole) or ""))
        elif isinstance(w, QComboBox):
            texts += [w.itemText(k) for k in range(w.count())]
        elif isinstance(w, QListWidget):
            texts += [w.item(k).text() for k in range(w.count())]
            texts += [w.item(k).toolTip() for k in range(w.count())]
        elif isinstance(w, QLabel | QLineEdit | QAbstractButton):
            texts.append(w.text())
        elif isinstance(w, QGroupBox):
            texts.append(w.title())
    return texts


def codes_shown(editor) -> list[str]:  # noqa: ANN001
    return [t for t in screen_texts(editor) if CODES.search(t)]


def test_the_editor_shows_chinese_names_never_the_codes(qtbot, editor, assessment_db) -> None:  # noqa: ANN001
    from models.assessment import round_rules

    editor.show()
    texts = " ".join(screen_texts(editor))
    for name in ("德", "能", "勤", "绩", "廉", "上级领导", "同级", "下级", "服务对象"):
        assert name in texts
    assert codes_shown(editor) == []
    # the codes are still what is stored
    rules = round_rules(assessment_db)
    assert [i.code for i in rules.items] == ["de", "neng", "qin", "ji", "lian"]
    assert [g.code for g in rules.rater_groups] == ["superior", "peer", "subordinate", "served"]

    # problems name the item or group, never its code
    set_cell(editor.groups_model, 1, "name", "")  # 同级 loses its name
    assert "第 2 个评价组：名称不能为空" in issue_texts(editor)
    set_cell(editor.items_model, 3, "name", "")  # 绩 loses its name
    assert any(t.startswith("第 4 个考核项目：") for t in issue_texts(editor))
    assert codes_shown(editor) == []
    editor.reload()

    # 绩, a tie-break, is deleted: it leaves the tie-break list, no problem about "ji"
    ties = editor.grading.tie_list
    assert "“绩”得分" in [ties.item(k).text() for k in range(ties.count())]
    editor.items_table.setCurrentIndex(editor.items_model.index(3, 1))
    editor.delete_item()
    set_cell(editor.items_model, 0, "weight", "50")  # 50+15+15+20 = 100
    assert "“绩”得分" not in [ties.item(k).text() for k in range(ties.count())]
    assert issue_texts(editor) == []
    assert codes_shown(editor) == []
    # the service refuses (绩 has scores) and names it
    assert not editor.save()
    assert any(t.startswith("考核项目“绩”：已录入") for t in issue_texts(editor))
    assert codes_shown(editor) == []


def test_new_groups_get_codes_of_their_own(editor) -> None:  # noqa: ANN001
    editor.add_group()
    editor.groups_table.setCurrentIndex(editor.groups_model.index(0, 1))
    editor.delete_group()
    editor.add_group()
    codes = [r["code"] for r in editor.groups_model.rows]
    assert len(set(codes)) == len(codes)
    assert not any("重复" in t for t in issue_texts(editor))
