"""The 平时考核 settings in the 考核方案 editor: the quarter score lines 好/较好/一般 and the
"不足 1 名按 1 名计" switch of the cap on 好 are shown, checked live, saved with the scheme and
read-only once the round is locked.

The demo round uses the default quarterly settings: 好 ≥ 90, 较好 ≥ 66, 一般 ≥ 55, cap on
好 40%, no "at least one"."""

from __future__ import annotations

from decimal import Decimal

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


def issue_texts(editor) -> list[str]:  # noqa: ANN001
    return [editor.issue_list.item(k).text() for k in range(editor.issue_list.count())]


def type_into(qtbot, edit, text: str) -> None:  # noqa: ANN001
    """Replace the text as a user would (textEdited fires, so the editor re-checks).
    ASCII only: QTest aborts on key clicks of characters it has no key for."""
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    if text:
        qtbot.keyClicks(edit, text)


def test_default_lines_are_shown(editor) -> None:  # noqa: ANN001
    assert editor.quarter_good_min.text() == "90"
    assert editor.quarter_fairly_good_min.text() == "66"
    assert editor.quarter_ordinary_min.text() == "55"
    assert editor.quarter_good_cap.text() == "40"
    assert not editor.quarter_at_least_one.isChecked()
    assert issue_texts(editor) == []
    assert editor.save_button.isEnabled()


def test_changed_good_line_and_switch_are_saved(qtbot, editor, assessment_db) -> None:  # noqa: ANN001
    from models.assessment import round_history, round_rules
    from models.assessment.engine import quarter_rule_of
    from models.assessment.rules import QuarterGradeRule

    type_into(qtbot, editor.quarter_good_min, "85")
    editor.quarter_at_least_one.setChecked(True)
    assert issue_texts(editor) == []
    assert editor.is_dirty()
    editor.reason.setText("季度好等次线调为85")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.status.text() == "已保存"
    rules = round_rules(assessment_db)
    assert rules.quarterly.good_min == Decimal(85)
    assert rules.quarterly.good_cap_at_least_one is True
    assert quarter_rule_of(rules) == QuarterGradeRule(Decimal(85), Decimal(66), Decimal(55), True)
    # the rest of the scheme is unchanged
    assert rules.thresholds.excellent_min == Decimal(90)
    assert rules.quarterly.good_cap_percent == Decimal(40)
    assert any(
        h.field == "rules.quarterly.good_min" and (h.old_value, h.new_value) == ("90", "85")
        for h in round_history(assessment_db)
    )
    # shown again after the save (the editor read the round again)
    assert editor.quarter_good_min.text() == "85"
    assert editor.quarter_at_least_one.isChecked()


def test_empty_good_line_means_by_rank_and_cap_only(qtbot, editor, assessment_db) -> None:  # noqa: ANN001
    from models.assessment import round_rules

    type_into(qtbot, editor.quarter_good_min, "")
    assert issue_texts(editor) == []
    assert editor.save()
    assert round_rules(assessment_db).quarterly.good_min is None
    assert editor.quarter_good_min.text() == ""


def test_out_of_order_line_is_shown_and_disables_saving(qtbot, editor, assessment_db) -> None:  # noqa: ANN001
    from models.assessment import round_rules

    type_into(qtbot, editor.quarter_fairly_good_min, "92")  # 较好 92 above 好 90
    assert issue_texts(editor) == ["平时考核“好”等次分数线：90 应高于“较好”等次分数线 92"]
    assert not editor.save_button.isEnabled()
    assert "1 处问题" in editor.status.text()
    assert not editor.save()
    assert round_rules(assessment_db).quarterly.fairly_good_min == Decimal(66)
    # put right: 较好 80 is below 好 90 and above 一般 55
    type_into(qtbot, editor.quarter_fairly_good_min, "80")
    assert issue_texts(editor) == []
    assert editor.save_button.isEnabled()


def test_bad_entries_are_named(qtbot, editor) -> None:  # noqa: ANN001
    type_into(qtbot, editor.quarter_ordinary_min, "5o")  # letter o for the digit 0
    assert issue_texts(editor) == ["平时考核：“一般”等次分数线“5o”不是数字"]
    assert not editor.save_button.isEnabled()
    type_into(qtbot, editor.quarter_ordinary_min, "120")
    # 一般 120: outside 0–100, and the 较好 line 66 is no longer above it — only the range
    # is reported for a line that is out of range
    assert issue_texts(editor) == ["平时考核“一般”等次分数线：120 应在 0–100 之间"]
    assert not editor.save_button.isEnabled()


def test_locked_round_shows_the_settings_read_only(editor, assessment_db) -> None:  # noqa: ANN001
    from models.assessment import get_round
    from models.assessment.tables import STATUS_APPROVED, AssessmentRound

    AssessmentRound.update(status=STATUS_APPROVED).where(
        AssessmentRound.id == assessment_db
    ).execute()
    editor.set_round(get_round(assessment_db))
    for edit in (
        editor.quarter_good_min,
        editor.quarter_fairly_good_min,
        editor.quarter_ordinary_min,
        editor.quarter_good_cap,
    ):
        assert edit.isReadOnly()
    assert not editor.quarter_at_least_one.isEnabled()
    assert not editor.save_button.isEnabled()
    assert editor.quarter_good_min.text() == "90"
