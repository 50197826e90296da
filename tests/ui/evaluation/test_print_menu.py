"""The 打印 button of the 单位考评 screen: its menu offers the 任务分解表, the 季度自查表 of the
lead unit of the task chosen in 季度自查 (named in the menu; not offered without a task), the
督查通报 of each half, the 考评结果汇总表 and the 领导班子年度考核登记表 of the unit chosen in
年终考评; each opens in the preview window with its pages
and the file name to save under; a refusal (nobody inspected) is the service's message."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from models.evaluation import TaskInput, save_task, submit_check
from ui import messages
from ui.evaluation import EvaluationView

Y = 2025


@pytest.fixture
def view(qtbot, people):  # noqa: ANN001, ANN201
    v = EvaluationView()
    qtbot.addWidget(v)
    v.year.setValue(Y)
    return v


@pytest.fixture
def tasks(people, units):  # noqa: ANN001, ANN201
    org = save_task(TaskInput(Y, "干部教育培训全覆盖", units["org"], category="共性",
                              weight=Decimal(40)), user="考评办")  # fmt: skip
    town = save_task(TaskInput(Y, "乡村振兴示范村建设", units["town"], weight=Decimal(60)),
                     user="考评办")  # fmt: skip
    submit_check(town.id, 1, "完成规划编制", Decimal(88), today=dt.date(Y, 4, 5), user="王镇长")
    return org, town


def _shown(qtbot, view, job) -> tuple[str, int, str]:  # noqa: ANN001
    """(window title, pages, text of the first page) of the preview the job opened."""
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=20_000):
        pass
    dialog = view.printer.dialog
    assert dialog is not None
    assert dialog.isVisible()
    doc = dialog.preview.document
    return dialog.windowTitle(), doc.pageCount(), doc.getAllText(0).text()


def test_without_tasks_the_self_check_is_not_offered(view) -> None:
    printer = view.printer
    assert printer.button.menu() is printer.menu
    names = [a.objectName() for a in printer.menu.actions() if a.objectName()]
    assert names == ["print_eval_tasks", "print_eval_results", "print_team_form"]
    printer.update_actions()
    assert not printer.check_menu.isEnabled()
    assert printer.check_menu.title() == "季度自查表"
    assert not printer.team_action.isEnabled()  # no unit chosen in 年终考评


def test_each_form_opens_in_the_preview(qtbot, view, tasks) -> None:
    view.reload()
    view.check_task.setCurrentIndex(1)  # 乌兰镇：乡村振兴示范村建设
    view.printer.update_actions()
    assert view.printer.check_menu.isEnabled()
    assert view.printer.check_menu.title() == "季度自查表（乌兰镇）"

    title, pages, text = _shown(qtbot, view, view.printer.preview_tasks())
    assert title == "任务分解表预览 — 2025年度工作任务分解表.pdf"
    assert pages == 1
    assert "2025年度工作任务分解表" in text
    assert "乡村振兴示范村建设" in text

    title, pages, text = _shown(qtbot, view, view.printer.preview_self_check(1))
    assert title == "季度自查表预览 — 乌兰镇_2025年第一季度自查表.pdf"
    assert "填报单位：乌兰镇" in text
    assert "完成规划编制" in text
    assert "干部教育培训全覆盖" not in text  # 市委组织部's task is not 乌兰镇's

    view.printer.check_actions[None].trigger()  # the whole year, from the menu
    title, _pages, text = _shown(qtbot, view, view.printer.job)
    assert title == "季度自查表预览 — 乌兰镇_2025年度自查表.pdf"
    assert "第四季度" in text

    title, _pages, text = _shown(qtbot, view, view.printer.preview_results())
    assert title == "考评结果汇总表预览 — 2025年度单位考评结果汇总表.pdf"
    assert "2025年度单位考评结果汇总表（未审定）" in text

    # the 领导班子年度考核登记表 of the unit chosen in 年终考评
    view.tabs.setCurrentIndex(2)
    view.result_table.selectRow([r.unit for r in view.result_model.rows].index("乌兰镇"))
    view.printer.update_actions()
    assert view.printer.team_action.text() == "领导班子年度考核登记表（乌兰镇）…"
    title, pages, text = _shown(qtbot, view, view.printer.preview_team_form())
    assert title == "领导班子年度考核登记表预览 — 乌兰镇_2025年度领导班子考核登记表.pdf"
    assert pages == 1
    assert "领导班子年度考核登记表" in text
    assert "乡村振兴示范村建设" in text
    assert "审定后填写" in text


def test_a_bulletin_without_inspections_is_refused_in_chinese(qtbot, view, tasks, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, _t=None: shown.append(text))
    job = view.printer.preview_bulletin(1)
    with qtbot.waitSignal(job.finished, timeout=20_000):
        pass
    assert shown == ["2025年上半年还没有督查记录，无法生成通报"]
    assert view.printer.dialog is None
