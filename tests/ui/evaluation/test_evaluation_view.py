"""The 单位考评 screen driven as the 考评办 drives it: the task breakdown imported from the
xlsx and shown; a quarter's self-check filed (a late one refused with the service's message,
then filed with 补报 ticked and shown as 逾期补报); the year-end scores entered for each unit,
graded, approved (the screen then offers no change) and used for the cadres' round."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QDialog

from models.assessment import create_round, get_round
from models.core.errors import DomainError
from models.evaluation import TASK_HEADERS, TeamDTO, default_eval_rules, year_rules
from tests.fixtures.sheets import book
from ui import messages
from ui.evaluation import (
    EvaluationView,
    EvidenceDialog,
    RulesDialog,
    ScoresDialog,
    SelfCheckDialog,
    TeamDialog,
)

Y = 2025


@pytest.fixture
def view(qtbot, people):  # noqa: ANN001, ANN201
    v = EvaluationView()
    qtbot.addWidget(v)
    v.year.setValue(Y)
    return v


def _texts(model, column: str) -> list[str]:  # noqa: ANN001
    k = model.headers().index(column)
    return [model.text(r, k) for r in range(model.rowCount())]


def _answer(monkeypatch, cls, fill) -> None:  # noqa: ANN001
    """The next ``cls`` dialog is filled by ``fill(dialog)`` and accepted."""

    def exec_(dlg: QDialog) -> int:
        fill(dlg)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(cls, "exec", exec_)


def test_the_year_as_the_office_runs_it(view, monkeypatch, tmp_path) -> None:
    rows = [
        ["干部教育培训全覆盖", "共性", "", "", 20, "2025-12-31", "市委组织部", "", "张科长"],
        ["乡村振兴示范村建设", "个性", "是", "", 30, "2025-11-30", "乌兰镇", "", "王镇长"],
    ]
    path = book(tmp_path / "任务分解表.xlsx", list(TASK_HEADERS), rows)
    monkeypatch.setattr(messages, "open_file", lambda *_a: path)
    told: list[str] = []
    monkeypatch.setattr(messages, "info", lambda _p, _t, text: told.append(text))
    view.import_plan()
    assert told == ["已导入 2025 年度工作任务 2 项"]
    assert _texts(view.task_model, "任务") == ["干部教育培训全覆盖", "乡村振兴示范村建设"]
    assert _texts(view.task_model, "重点工作") == ["", "是"]

    # 季度自查 of 乡村振兴 (乌兰镇): Q2 is due 07-10; on 07-20 only as an approved late one
    view.tabs.setCurrentIndex(1)
    view.check_task.setCurrentIndex(1)
    view.today = dt.date(Y, 7, 20)
    errors: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, _t=None: errors.append(text))

    def q2(late: bool):  # noqa: ANN202
        def fill(d: SelfCheckDialog) -> None:
            d.quarter.setCurrentIndex(1)
            d.progress.setPlainText("完成一期建设")
            d.score.setText("88")
            d.late.setChecked(late)

        return fill

    _answer(monkeypatch, SelfCheckDialog, q2(False))
    view.fill_check()
    assert "已过截止日期（2025年7月10日）" in errors[0]
    assert view.check_model.rowCount() == 0
    _answer(monkeypatch, SelfCheckDialog, q2(True))
    view.fill_check()
    assert _texts(view.check_model, "报送") == ["逾期补报"]
    assert _texts(view.check_model, "自评分") == ["88"]

    # 年终考评: both lead units listed; scores entered, graded, approved
    view.tabs.setCurrentIndex(2)
    assert sorted(_texts(view.result_model, "单位")) == ["乌兰镇", "市委组织部"]
    for unit, (common, own) in {"市委组织部": ("95", "95"), "乌兰镇": ("85", "80")}.items():
        view.result_table.selectRow(_texts(view.result_model, "单位").index(unit))

        def fill(d: ScoresDialog, common: str = common, own: str = own) -> None:
            d.common.setText(common)
            d.own.setText(own)

        _answer(monkeypatch, ScoresDialog, fill)
        view.enter_scores()
    view.grade()  # refused: the 领导班子 counts 20 % and has no scores yet
    assert "市委组织部（领导班子评分或民主测评）" in errors[-1]
    assert _texts(view.result_model, "总分") == ["", ""]
    # 领导班子评分: five items and the 民主测评 of the 本单位干部职工 group
    shown: list[str] = []
    for unit, (item, label) in {"市委组织部": ("95", "好"), "乌兰镇": ("80", "较好")}.items():
        view.result_table.selectRow(_texts(view.result_model, "单位").index(unit))

        def team(d: TeamDialog, item: str = item, label: str = label) -> None:
            for edit in d.items.values():
                edit.setText(item)
            d.spins[("staff", label)].setValue(10)
            shown.append(d.result.text())

        _answer(monkeypatch, TeamDialog, team)
        view.enter_team()
    # 95×70% + 100×30% = 96.5; 80×70% + 80×30% = 80
    assert shown[0].startswith("班子得分：96.5（五项考核 95")
    assert shown[1].startswith("班子得分：80（")
    view.grade()
    assert _texts(view.result_model, "单位") == ["市委组织部", "乌兰镇"]
    # 95×80% + 96.5×20% = 95.3; 82×80% + 80×20% = 81.6, − 0.5 for the late check = 81.1
    assert _texts(view.result_model, "总分") == ["95.3", "81.1"]
    assert _texts(view.result_model, "班子得分") == ["96.5", "80"]
    assert _texts(view.result_model, "等次") == ["好", "较好"]
    monkeypatch.setattr(messages, "ask_yes_no", lambda *_a: True)
    view.approve()
    assert "已审定" in view.status.text()
    assert not view.scores_button.isEnabled()
    assert not view.grade_button.isEnabled()
    assert view.apply_button.isEnabled()
    rid = create_round(Y, user="tester").id
    view.apply()
    assert told[-1] == "各单位干部优秀比例：市委组织部 25%；乌兰镇 20%"
    assert dict(get_round(rid).rules.quota.unit_percents) == {"乌兰镇": 20, "市委组织部": 25}


def test_bad_scores_are_refused_with_the_reason(view, monkeypatch, tmp_path) -> None:
    rows = [["干部教育培训全覆盖", "共性", "", "", 20, "", "市委组织部", "", ""]]
    monkeypatch.setattr(
        messages, "open_file", lambda *_a: book(tmp_path / "t.xlsx", list(TASK_HEADERS), rows)
    )
    monkeypatch.setattr(messages, "info", lambda *_a: None)
    view.import_plan()
    view.tabs.setCurrentIndex(2)
    view.result_table.selectRow(0)
    errors: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, _t=None: errors.append(text))

    def fill(d: ScoresDialog) -> None:
        d.common.setText("九十")
        d.own.setText("90")

    _answer(monkeypatch, ScoresDialog, fill)
    view.enter_scores()
    assert errors == ["共性指标得分“九十”不是数字"]

    def over(d: ScoresDialog) -> None:
        d.common.setText("90")
        d.own.setText("90")
        d.bonus.setText("8")
        d.bonus_reason.setText("创新")

    _answer(monkeypatch, ScoresDialog, over)
    view.enter_scores()
    assert "特色、创新工作加分最多 5 分，现为 8" in errors[-1]
    assert _texts(view.result_model, "共性") == [""]  # nothing stored


def test_task_scores_and_evidence_files(view, monkeypatch, tmp_path) -> None:
    rows = [["乡村振兴示范村建设", "个性", "是", "", 30, "2025-11-30", "乌兰镇", "", "王镇长"]]
    monkeypatch.setattr(
        messages, "open_file", lambda *_a: book(tmp_path / "t.xlsx", list(TASK_HEADERS), rows)
    )
    monkeypatch.setattr(messages, "info", lambda *_a: None)
    errors: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, _t=None: errors.append(text))
    view.import_plan()
    view.task_table.selectRow(0)
    monkeypatch.setattr(messages, "ask_text", lambda *_a: "120")
    view.score_task()
    assert "年终评分应在 0–100 之间，现为 120" in errors[-1]
    monkeypatch.setattr(messages, "ask_text", lambda *_a: "87.5")
    view.score_task()
    assert _texts(view.task_model, "年终评分") == ["87.5"]

    # 佐证材料 of the second quarter's self-check, filed on time
    view.tabs.setCurrentIndex(1)
    view.today = dt.date(Y, 7, 5)

    def q2(d: SelfCheckDialog) -> None:
        d.quarter.setCurrentIndex(1)
        d.progress.setPlainText("完成一期")

    _answer(monkeypatch, SelfCheckDialog, q2)
    view.fill_check()
    view.check_table.selectRow(0)
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + bytes(5000))
    empty = tmp_path / "空.pdf"
    empty.write_bytes(b"")
    out = tmp_path / "另存.jpg"
    seen: list[list[str]] = []

    def work(d: EvidenceDialog) -> int:
        for path in (empty, photo):
            monkeypatch.setattr(messages, "open_file", lambda *_a, p=path: p)
            d.add()
        seen.append(_texts(d.model, "文件"))
        d.table.selectRow(0)
        monkeypatch.setattr(messages, "save_file", lambda *_a: out)
        d.save_as()
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(EvidenceDialog, "exec", work)
    view.evidence()
    assert "佐证材料“空.pdf”是空文件" in errors[-1]
    assert seen == [["现场照片.jpg"]]
    assert out.read_bytes() == photo.read_bytes()


def test_the_rules_of_the_year_are_edited_and_checked(view, monkeypatch) -> None:
    errors: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, _t=None: errors.append(text))

    def answer(fill):  # noqa: ANN001, ANN202
        def exec_(dlg: RulesDialog) -> int:
            fill(dlg)
            return QDialog.DialogCode.Accepted

        monkeypatch.setattr(RulesDialog, "exec", exec_)

    answer(lambda d: d.edits["team_weight"].setText("二十"))
    view.edit_rules()
    assert errors[-1] == "“领导班子得分比例”应为数字，现为“二十”"
    answer(lambda d: d.edits["own_weight"].setText("50"))
    view.edit_rules()
    assert errors[-1] == "共性指标与个性指标的权重合计应为 100，现为 90"

    def three_grades(d: RulesDialog) -> None:
        d.edits["team_weight"].setText("30")
        for r, row in enumerate([["一等", "30", "90", "25"], ["二等", "50", "75", "18"],
                                 ["三等", "100", "0", "12"]]):  # fmt: skip
            for c, text in enumerate(row):
                d.grades.item(r, c).setText(text)
        d.grades.setCurrentCell(3, 0)
        d.remove_grade()  # the fourth of the defaults goes

    answer(three_grades)
    view.edit_rules()
    rules = year_rules(Y)
    assert [(g.name, g.share, g.min_score, g.staff_excellent) for g in rules.grades] == [
        ("一等", 30, 90, 25), ("二等", 50, 75, 18), ("三等", 100, 0, 12),
    ]  # fmt: skip
    assert rules.team_weight == 30
    # what is stored opens again as stored
    shown = RulesDialog(Y, rules)
    assert shown.grades.rowCount() == 3
    assert shown.edits["team_weight"].text() == "30"


def test_the_team_dialog_refuses_what_is_not_a_number(qtbot) -> None:
    team = TeamDTO(Y, 1, "乌兰镇", {}, {}, None, "", 0)
    dialog = TeamDialog(team, default_eval_rules())
    qtbot.addWidget(dialog)
    for code, edit in dialog.items.items():
        edit.setText("inf" if code == "sxzz" else "90")
    dialog.spins[("staff", "好")].setValue(3)
    shown = dialog.result.text()
    assert shown.startswith("班子得分：尚不能计算（“思想政治建设”的得分“inf”不是数字")
    with pytest.raises(DomainError, match="不是数字"):
        dialog.item_values()
    dialog.items["sxzz"].setText("90")
    assert dialog.result.text().startswith("班子得分：93（")  # 90×70% + 100×30%
