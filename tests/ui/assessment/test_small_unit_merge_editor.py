"""The 考核方案 editor's "小于 N 人的单位并入上级单位计算名额" spin box (名额计算单元): 0 (不合并)
by default, saved with the scheme, shown again, read-only once the round is locked; the
处分影响年度 choice and the 自定义考核范围 drawn by the user, the same way."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.assessment import support as assessment_support

pytestmark = pytest.mark.ui

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


def test_merge_below_is_off_by_default_and_saved(qtbot, editor, assessment_db) -> None:  # noqa: ANN001
    from models.assessment import round_rules

    spin = editor.grading.merge_below
    assert spin.objectName() == "scheme_merge_below"
    assert spin.value() == 0
    assert spin.text() == "0（不合并）"
    spin.setValue(5)
    assert editor.is_dirty()
    editor.reason.setText("小单位并入主管部门计算名额")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.status.text() == "已保存"
    assert round_rules(assessment_db).quota.merge_below == 5
    assert editor.grading.merge_below.value() == 5  # shown again after the save


def test_merge_below_read_only_when_locked(editor) -> None:  # noqa: ANN001
    editor.grading.set_read_only(True)
    assert not editor.grading.merge_below.isEnabled()
    editor.grading.set_read_only(False)
    assert editor.grading.merge_below.isEnabled()


def test_overview_shows_the_city_level_warning(qtbot, assessment_db) -> None:  # noqa: ANN001
    """The demo city's small units each get "at least one" 优秀: the 结果汇总 says the overall
    share passes the 25% ceiling and names those units."""
    from models.assessment import get_round
    from models.assessment.results import round_overview
    from ui.assessment.overview_view import OverviewView

    warning = round_overview(assessment_db).ceiling_warning
    assert warning.startswith("全市优秀 ")
    assert "超过 25% 上限；多出的名额来自按“不足 1 名按 1 名计”取整的" in warning
    v = OverviewView()
    qtbot.addWidget(v)
    v.set_round(get_round(assessment_db), None)
    assert v.ceiling_label.text() == f"注意：{warning}"
    assert not v.ceiling_label.isHidden()


def test_sanction_count_is_chosen_saved_and_locked(qtbot, editor, assessment_db) -> None:  # noqa: ANN001
    """处分影响年度: 按自然年度 (the table) by default; 按处分期间 saved with the scheme."""
    from models.assessment import round_rules
    from models.assessment.rules import SanctionCount

    combo = editor.grading.sanction_count
    assert [combo.itemText(i) for i in range(combo.count())] == ["按自然年度", "按处分期间"]
    assert combo.currentText() == "按自然年度"
    combo.setCurrentText("按处分期间")
    assert editor.is_dirty()
    editor.reason.setText("本地按处分期间计算影响")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.status.text() == "已保存"
    assert round_rules(assessment_db).sanction_count is SanctionCount.PERIOD
    assert editor.grading.sanction_count.currentText() == "按处分期间"
    editor.grading.set_read_only(True)
    assert not editor.grading.sanction_count.isEnabled()


def test_a_pool_is_drawn_saved_and_shown(qtbot, editor, assessment_db, monkeypatch) -> None:  # noqa: ANN001
    """自定义考核范围: a name and ticked units; saved with the scheme; a unit in two pools
    is named as a problem and nothing is saved."""
    from models.assessment import round_rules
    from models.assessment.rules import NamedPool
    from ui.assessment.scheme.pools_box import PoolDialog

    box = editor.pools_box
    assert box.list.count() == 0
    # the dialog: every unit offered, the ticked ones taken
    dlg = PoolDialog(["市委办公室", "市委组织部", "市委宣传部"], None)
    qtbot.addWidget(dlg)
    dlg.name.setText("市委工作部门")
    for k in (0, 2):
        dlg.units.item(k).setCheckState(Qt.CheckState.Checked)
    assert dlg.pool() == NamedPool("市委工作部门", ("市委办公室", "市委宣传部"))
    answers = iter([dlg.pool(), NamedPool("二组", ("市委宣传部",))])
    monkeypatch.setattr(box, "_ask", lambda _pool: next(answers))
    box.add_pool()
    assert box.list.item(0).text() == "市委工作部门：市委办公室、市委宣传部"
    box.add_pool()
    shown = [editor.issue_list.item(k).text() for k in range(editor.issue_list.count())]
    assert shown == [
        "自定义考核范围“二组”：单位“市委宣传部”已在“市委工作部门”中，一个单位只能在一个考核范围"
    ]
    assert not editor.save_button.isEnabled()
    box.list.setCurrentRow(1)
    box.remove_pool()
    editor.reason.setText("市委小部门合并计算名额")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.status.text() == "已保存"
    assert round_rules(assessment_db).quota.named_pools == (
        NamedPool("市委工作部门", ("市委办公室", "市委宣传部")),
    )
    box.set_read_only(True)
    assert not box.add_button.isEnabled()
