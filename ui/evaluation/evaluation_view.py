"""The 单位考评 section: the year chosen at the top, then three tabs —

* 任务分解: the year's tasks (牵头单位, 类别, 重点工作, 分值, 完成时限, 责任人, 年终评分),
  导入任务分解表… and 任务年终评分… (a unit's blank 共性/个性 score is computed from them);
* 季度自查: a task's four quarters (进展, 自评分, 问题, 逾期) and 填报自查… for the quarter chosen
  (after the deadline only with 经考评办同意补报 ticked, which marks it late), 佐证材料…;
* 年终考评: the units with their scores, 班子得分, total, rank and grade; 录入得分…,
  领导班子评分… (five items and 民主测评), 计算等次, 审定 and 用于干部考核… (the units'
  grades set their staff's 优秀 percent in an annual round).

Every refusal is the service's own Chinese message; nothing is half-saved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models import evaluation as ev
from models.accounts import Permission, can
from models.assessment import list_rounds
from models.core.errors import DomainError
from ui import messages
from ui.common import Column, RowsModel, button, ok_cancel, table_view
from ui.evaluation.print_menu import EvaluationPrinter
from ui.evaluation.rules_dialog import RulesDialog
from ui.evaluation.team_dialogs import EvidenceDialog, TeamDialog, run_action

__all__ = ["EvaluationView", "ScoresDialog", "SelfCheckDialog"]


def _tr(text: str) -> str:
    return QCoreApplication.translate("EvaluationView", text)


def _n(v: Decimal | None) -> str:
    return "" if v is None else f"{v:.2f}".rstrip("0").rstrip(".")


def _how(r: ev.UnitResultDTO, category: str) -> str:
    if (r.common if category == "共性" else r.own) is not None:
        return _tr("录入的得分")
    if category in dict(r.computed):
        return _tr("由该单位任务的年终评分计算（重点工作加权）")
    return _tr("尚未录入，也不能由任务年终评分计算")


TASK_COLUMNS: list[Column[ev.TaskDTO]] = [
    Column(_tr("牵头单位"), lambda t: t.lead_unit),
    Column(_tr("任务"), lambda t: t.title),
    Column(_tr("类别"), lambda t: t.category, True),
    Column(_tr("重点工作"), lambda t: "是" if t.key_topic else "", True),
    Column(_tr("分值"), lambda t: _n(t.weight), True),
    Column(_tr("完成时限"), lambda t: t.deadline.isoformat() if t.deadline else "", True),
    Column(_tr("配合单位"), lambda t: t.co_units),
    Column(_tr("责任人"), lambda t: t.responsible),
    Column(_tr("年终评分"), lambda t: _n(t.year_score), True),
]
CHECK_COLUMNS: list[Column[ev.SelfCheckDTO]] = [
    Column(_tr("季度"), lambda c: f"第{c.quarter}季度", True),
    Column(_tr("工作进展"), lambda c: c.progress),
    Column(_tr("自评分"), lambda c: _n(c.self_score), True),
    Column(_tr("存在问题"), lambda c: c.problems),
    Column(
        _tr("报送"),
        lambda c: _tr("逾期补报") if c.late else _tr("按时"),
        True,
        background=lambda c: "#fde2e2" if c.late else None,
    ),
    Column(_tr("填报时间"), lambda c: c.submitted_at.strftime("%Y-%m-%d %H:%M"), True),
]
RESULT_COLUMNS: list[Column[ev.UnitResultDTO]] = [
    Column(_tr("排名"), lambda r: r.rank or "", True),
    Column(_tr("单位"), lambda r: r.unit),
    Column(_tr("共性"), lambda r: _n(r.shown("共性")), True, tooltip=lambda r: _how(r, "共性")),
    Column(_tr("个性"), lambda r: _n(r.shown("个性")), True, tooltip=lambda r: _how(r, "个性")),
    Column(
        _tr("加分"),
        lambda r: (
            (_n(r.bonus) + ("" if r.bonus_approved else _tr("（未批准）"))) if r.bonus else ""
        ),
        True,
    ),  # fmt: skip
    Column(
        _tr("扣分"),
        lambda r: _n(r.all_deductions) if r.all_deductions else "",
        True,
        tooltip=lambda r: _tr("督查扣分 {i}，逾期自查扣分 {late}，其他扣分 {o}").format(
            i=_n(r.inspected), late=_n(r.late_points), o=_n(r.deduction)
        ),
    ),
    Column(_tr("班子得分"), lambda r: _n(r.team), True),
    Column(_tr("总分"), lambda r: _n(r.total), True),
    Column(_tr("等次"), lambda r: r.grade, True),
    Column(_tr("说明"), lambda r: r.explanation, tooltip=lambda r: r.explanation),
]


def _decimal(text: str, what: str) -> Decimal | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise DomainError(f"{what}“{text}”不是数字") from None
    if not value.is_finite():
        raise DomainError(f"{what}“{text}”不是数字")
    return value


class SelfCheckDialog(QDialog):
    """填报自查: one quarter's progress, self-score and problems of a task."""

    def __init__(self, task: ev.TaskDTO, quarter: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("self_check_dialog")
        self.setWindowTitle(_tr("季度自查 — {t}").format(t=task.title))
        self.quarter = QComboBox()
        self.quarter.setObjectName("check_quarter")
        for q in (1, 2, 3, 4):
            self.quarter.addItem(_tr("第{q}季度").format(q=q), q)
        self.quarter.setCurrentIndex(quarter - 1)
        self.progress = QPlainTextEdit()
        self.progress.setObjectName("check_progress")
        self.score = QLineEdit()
        self.score.setObjectName("check_score")
        self.score.setPlaceholderText(_tr("0–100"))
        self.problems = QPlainTextEdit()
        self.problems.setObjectName("check_problems")
        self.late = QCheckBox(_tr("经考评办同意补报（过了截止日期时，按逾期扣分）"))
        self.late.setObjectName("check_late")
        # the 考评办 approves a late one; a unit's clerk does not see the box
        self.late.setVisible(can(Permission.GRADING))
        form = QFormLayout(self)
        form.addRow(_tr("牵头单位："), QLabel(task.lead_unit))
        form.addRow(_tr("季度："), self.quarter)
        form.addRow(_tr("工作进展："), self.progress)
        form.addRow(_tr("自评分："), self.score)
        form.addRow(_tr("存在问题："), self.problems)
        form.addRow(self.late)
        form.addRow(ok_cancel(self))


class ScoresDialog(QDialog):
    """录入得分: a unit's year-end 共性/个性 scores, 加分 (with its reason and approval) and
    督查扣分 (with its reason)."""

    def __init__(self, r: ev.UnitResultDTO, cap: Decimal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unit_scores_dialog")
        self.setWindowTitle(_tr("年终得分 — {u}").format(u=r.unit))
        self.common = QLineEdit(_n(r.common))
        self.common.setObjectName("scores_common")
        self.own = QLineEdit(_n(r.own))
        self.own.setObjectName("scores_own")
        self.bonus = QLineEdit(_n(r.bonus) if r.bonus else "")
        self.bonus.setObjectName("scores_bonus")
        self.bonus.setPlaceholderText(_tr("最多 {c} 分").format(c=_n(cap)))
        self.bonus_reason = QLineEdit(r.bonus_reason)
        self.bonus_reason.setObjectName("scores_bonus_reason")
        self.bonus_approved = QCheckBox(_tr("加分已经批准"))
        self.bonus_approved.setObjectName("scores_bonus_approved")
        self.bonus_approved.setChecked(r.bonus_approved)
        self.deduction = QLineEdit(_n(r.deduction) if r.deduction else "")
        self.deduction.setObjectName("scores_deduction")
        self.deduction_reason = QLineEdit(r.deduction_reason)
        self.deduction_reason.setObjectName("scores_deduction_reason")
        form = QFormLayout(self)
        form.addRow(_tr("共性指标得分："), self.common)
        form.addRow(_tr("个性指标得分："), self.own)
        form.addRow(_tr("特色、创新工作加分："), self.bonus)
        form.addRow(_tr("加分理由："), self.bonus_reason)
        form.addRow(self.bonus_approved)
        form.addRow(_tr("督查扣分："), self.deduction)
        form.addRow(_tr("扣分理由："), self.deduction_reason)
        form.addRow(ok_cancel(self))


class EvaluationView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evaluation_view")
        self.year = QSpinBox()
        self.year.setObjectName("evaluation_year")
        self.year.setRange(2000, 2100)
        self.year.setValue(dt.date.today().year)
        self.year.setSuffix(_tr(" 年度"))
        self.year.valueChanged.connect(lambda _y: self.reload())
        self.status = QLabel()
        self.status.setObjectName("evaluation_status")
        top = QHBoxLayout()
        top.addWidget(QLabel(_tr("考评年度：")))
        top.addWidget(self.year)
        top.addWidget(self.status, 1)
        self.rules_button = button(_tr("考评规则…"), "evaluation_rules", self.edit_rules)
        top.addWidget(self.rules_button)

        self.task_model: RowsModel[ev.TaskDTO] = RowsModel(TASK_COLUMNS, lambda t: t.id, self)
        fit = QHeaderView.ResizeMode.ResizeToContents
        self.task_table = table_view(self.task_model, "evaluation_tasks", resize=fit, stretch=(1,))
        self.import_button = button(_tr("导入任务分解表…"), "evaluation_import", self.import_plan)
        self.task_score_button = button(
            _tr("任务年终评分…"), "evaluation_task_score", self.score_task
        )
        tasks = QWidget()
        tl = QVBoxLayout(tasks)
        bar = QHBoxLayout()
        bar.addWidget(self.import_button)
        bar.addWidget(self.task_score_button)
        bar.addStretch(1)
        tl.addLayout(bar)
        tl.addWidget(self.task_table, 1)

        self.check_task = QComboBox()
        self.check_task.setObjectName("evaluation_check_task")
        self.check_task.currentIndexChanged.connect(lambda _i: self.reload_checks())
        self.check_model: RowsModel[ev.SelfCheckDTO] = RowsModel(
            CHECK_COLUMNS, lambda c: c.id, self
        )
        self.check_table = table_view(
            self.check_model, "evaluation_checks", resize=fit, stretch=(1, 3)
        )
        self.check_button = button(_tr("填报自查…"), "evaluation_check", self.fill_check)
        self.evidence_button = button(_tr("佐证材料…"), "evaluation_evidence", self.evidence)
        checks = QWidget()
        cl = QVBoxLayout(checks)
        cbar = QHBoxLayout()
        cbar.addWidget(QLabel(_tr("任务：")))
        cbar.addWidget(self.check_task, 1)
        cbar.addWidget(self.check_button)
        cbar.addWidget(self.evidence_button)
        cl.addLayout(cbar)
        cl.addWidget(self.check_table, 1)

        self.result_model: RowsModel[ev.UnitResultDTO] = RowsModel(
            RESULT_COLUMNS, lambda r: r.unit_id, self
        )
        self.result_table = table_view(
            self.result_model, "evaluation_results", resize=fit, stretch=(9,)
        )
        self.scores_button = button(_tr("录入得分…"), "evaluation_scores", self.enter_scores)
        self.team_button = button(_tr("领导班子评分…"), "evaluation_team", self.enter_team)
        self.grade_button = button(_tr("计算等次"), "evaluation_grade", self.grade)
        self.approve_button = button(_tr("审定…"), "evaluation_approve", self.approve)
        self.apply_button = button(_tr("用于干部考核…"), "evaluation_apply", self.apply)
        results = QWidget()
        rl = QVBoxLayout(results)
        rbar = QHBoxLayout()
        for b in (self.scores_button, self.team_button, self.grade_button, self.approve_button,
                  self.apply_button):  # fmt: skip
            rbar.addWidget(b)
        rbar.addStretch(1)
        rl.addLayout(rbar)
        rl.addWidget(self.result_table, 1)

        # 打印: the lead unit of the task chosen in 季度自查 is the unit whose 自查表 prints
        self.printer = EvaluationPrinter(
            self,
            self.year.value,
            lambda: (t.lead_unit_id, t.lead_unit) if (t := self._task()) else None,
            lambda: (r.unit_id, r.unit) if (r := self._result()) else None,
        )
        top.addWidget(self.printer.button)
        self.tabs = QTabWidget()
        self.tabs.addTab(tasks, _tr("任务分解"))
        self.tabs.addTab(checks, _tr("季度自查"))
        self.tabs.addTab(results, _tr("年终考评"))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.today: dt.date | None = None  # tests set the day self-checks are filed
        self.reload()

    # -- contents ----------------------------------------------------------------------

    def reload(self) -> None:
        year = self.year.value()
        tasks = ev.list_tasks(year)
        self.task_model.set_rows(tasks)
        keep = self.check_task.currentData()
        self.check_task.blockSignals(True)
        self.check_task.clear()
        for t in tasks:
            self.check_task.addItem(f"{t.lead_unit}：{t.title}", t.id)
        at = self.check_task.findData(keep)
        self.check_task.setCurrentIndex(at if at >= 0 else (0 if tasks else -1))
        self.check_task.blockSignals(False)
        self.reload_checks()
        try:
            results = ev.list_results(year)
        except DomainError as e:  # the year's rules cannot be read: say so, let them be set
            self.result_model.set_rows([])
            self.status.setText(_tr("{y} 年度：{m}").format(y=year, m=e.message))
            return
        self.result_model.set_rows(results)
        graded = sum(1 for r in results if r.grade)
        approved = ev.year_status(year) == "审定"
        self.status.setText(
            _tr("任务 {t} 项，单位 {u} 个，已定等次 {g} 个{a}").format(
                t=len(tasks), u=len(results), g=graded,
                a=_tr("，已审定") if approved else "",
            )
        )  # fmt: skip
        for b in (self.import_button, self.check_button, self.scores_button, self.grade_button,
                  self.approve_button, self.team_button, self.task_score_button):  # fmt: skip
            b.setEnabled(not approved)
        self.check_button.setEnabled(not approved and bool(tasks))
        self.apply_button.setEnabled(approved)

    def reload_checks(self) -> None:
        task_id = self.check_task.currentData()
        self.check_model.set_rows(ev.list_checks(task_id) if task_id is not None else [])

    def _task(self) -> ev.TaskDTO | None:
        task_id = self.check_task.currentData()
        return next((t for t in self.task_model.rows if t.id == task_id), None)

    def _result(self) -> ev.UnitResultDTO | None:
        row = self.result_table.currentIndex().row()
        return self.result_model.rows[row] if 0 <= row < self.result_model.rowCount() else None

    # -- actions -------------------------------------------------------------------------

    def _run(self, title: str, action: Callable[[], object]) -> bool:
        return run_action(self, title, action, self.reload)

    def import_plan(self) -> None:
        path = messages.open_file(
            self, _tr("导入任务分解表"), Path.home(), _tr("Excel 工作簿 (*.xlsx)")
        )
        if path is None:
            return
        year = self.year.value()
        box: list[int] = []
        if self._run(_tr("导入任务分解表"), lambda: box.append(ev.import_tasks(year, path))):
            text = _tr("已导入 {y} 年度工作任务 {n} 项").format(y=year, n=box[0])
            messages.info(self, _tr("导入完成"), text)

    def fill_check(self) -> SelfCheckDialog | None:
        task = self._task()
        if task is None:
            return None
        today = self.today or dt.date.today()
        quarter = min(4, max(1, (today.month - 1) // 3)) if today.year == task.year else 4
        dlg = SelfCheckDialog(task, quarter, self)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return dlg

        def submit() -> None:
            ev.submit_check(
                task.id, dlg.quarter.currentData(), dlg.progress.toPlainText(),
                _decimal(dlg.score.text(), _tr("自评分")), dlg.problems.toPlainText(),
                today=today, late_approved=dlg.late.isChecked(),
            )  # fmt: skip

        self._run(_tr("填报自查"), submit)
        return dlg

    def enter_scores(self) -> ScoresDialog | None:
        r = self._result()
        if r is None:
            messages.info(self, _tr("录入得分"), _tr("请先在表中选择一个单位。"))
            return None
        dlg = ScoresDialog(r, ev.year_rules(self.year.value()).bonus_cap, self)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return dlg

        def store() -> None:
            ev.set_scores(
                self.year.value(), r.unit_id,
                common=_decimal(dlg.common.text(), _tr("共性指标得分")),
                own=_decimal(dlg.own.text(), _tr("个性指标得分")),
                bonus=_decimal(dlg.bonus.text(), _tr("加分")) or Decimal(0),
                bonus_reason=dlg.bonus_reason.text(),
                bonus_approved=dlg.bonus_approved.isChecked(),
                deduction=_decimal(dlg.deduction.text(), _tr("督查扣分")) or Decimal(0),
                deduction_reason=dlg.deduction_reason.text(), expected_version=r.version,
            )  # fmt: skip

        self._run(_tr("录入得分"), store)
        return dlg

    def edit_rules(self) -> RulesDialog:
        year = self.year.value()
        try:
            rules = ev.year_rules(year)
        except DomainError as e:  # unreadable: start again from the defaults
            messages.error(
                self, _tr("{m}。将按默认规则打开。").format(m=e.message), _tr("考评规则")
            )
            rules = ev.default_eval_rules()
        dlg = RulesDialog(year, rules, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self._run(_tr("考评规则"), lambda: ev.save_rules(year, dlg.values()))
        return dlg

    def enter_team(self) -> TeamDialog | None:
        r = self._result()
        if r is None:
            messages.info(self, _tr("领导班子评分"), _tr("请先在表中选择一个单位。"))
            return None
        year = self.year.value()
        team = ev.read_team(year, r.unit_id)
        dlg = TeamDialog(team, ev.year_rules(year), self)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return dlg
        self._run(
            _tr("领导班子评分"),
            lambda: ev.set_team(year, r.unit_id, dlg.item_values(), dlg.vote_values(),
                                expected_version=team.version),
        )  # fmt: skip
        return dlg

    def score_task(self) -> None:
        row = self.task_table.currentIndex().row()
        if not 0 <= row < self.task_model.rowCount():
            messages.info(self, _tr("任务年终评分"), _tr("请先在表中选择一项任务。"))
            return
        t = self.task_model.rows[row]
        text = messages.ask_text(
            self, _tr("任务年终评分"),
            _tr("“{u}”的任务“{t}”年终评分（0–100，空白为清除）：").format(u=t.lead_unit, t=t.title),
            _n(t.year_score),
        )  # fmt: skip
        if text is not None:
            self._run(
                _tr("任务年终评分"),
                lambda: ev.set_task_score(t.id, _decimal(text, _tr("年终评分")),
                                          expected_version=t.version),
            )  # fmt: skip

    def evidence(self) -> EvidenceDialog | None:
        task = self._task()
        row = self.check_table.currentIndex().row()
        if task is None or not 0 <= row < self.check_model.rowCount():
            messages.info(self, _tr("佐证材料"), _tr("请先在表中选择一个季度的自查。"))
            return None
        approved = ev.year_status(self.year.value()) == "审定"
        dlg = EvidenceDialog(self.check_model.rows[row], task.title,
                             self.today or dt.date.today(), approved, self)  # fmt: skip
        dlg.exec()
        return dlg

    def grade(self) -> None:
        self._run(_tr("计算等次"), lambda: ev.grade_year(self.year.value()))

    def approve(self) -> None:
        year = self.year.value()
        if messages.ask_yes_no(
            self,
            _tr("审定"),
            _tr("审定后 {y} 年度单位考评结果锁定，不能再修改。确定审定？").format(y=year),
        ):
            self._run(_tr("审定"), lambda: ev.approve_year(year))

    def apply(self) -> None:
        year = self.year.value()
        rounds = [r for r in list_rounds() if r.kind == "年度考核"]
        if not rounds:
            messages.info(self, _tr("用于干部考核"), _tr("还没有年度考核轮次。"))
            return
        target = next((r for r in rounds if r.year == year), rounds[0])
        if messages.ask_yes_no(
            self,
            _tr("用于干部考核"),
            _tr("按 {y} 年度单位考评等次，设定“{name}”中各单位干部的优秀比例？").format(
                y=year, name=target.name
            ),
        ):
            box: list[dict[str, Decimal]] = []
            if self._run(
                _tr("用于干部考核"), lambda: box.append(ev.apply_to_round(target.id, year))
            ):
                lines = "；".join(f"{u} {p}%" for u, p in box[0].items())
                messages.info(self, _tr("已设定"), _tr("各单位干部优秀比例：{s}").format(s=lines))
