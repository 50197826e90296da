"""The 打印 button of the 单位考评 section and its menu: the year's 任务分解表, the 季度自查表 of
the unit that leads the task chosen in 季度自查 (the whole year or one quarter), the 督查通报 of
either half and the 考评结果汇总表. Each is built on the job worker (reportlab is not
thread-safe, SQLite has one writer: the data are read there too) and opens in the shared PDF
preview window (打印 / 保存 / 用系统查看器打开); a refusal (no tasks, nobody inspected) is the
service's own Chinese message."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QPushButton, QWidget

from models.core.progress import IsCancelled, Progress
from ui import jobs

__all__ = [
    "EvaluationPrinter",
    "bulletin_output",
    "results_output",
    "self_check_output",
    "tasks_output",
    "team_form_output",
]

QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}
HALF_NAMES = {1: "上半年", 2: "下半年"}


def _tr(text: str) -> str:
    return QCoreApplication.translate("EvaluationPrint", text)


# ============================================================================ worker side


@dataclass(frozen=True)
class BulletinResult:
    units: int
    warnings: tuple[str, ...] = ()


def _output(printed: Any) -> Any:
    from ui.common.preview_window import PdfOutput  # lazy: QtPdf with the first preview

    return PdfOutput(printed.data, printed)


def tasks_output(
    year: int, *, progress: Progress | None = None, cancelled: IsCancelled | None = None
) -> Any:
    """The year's 任务分解表 (a :class:`ui.common.preview_window.PdfOutput`)."""
    from reports.evaluation import tasks_report  # lazy: reportlab with the first print

    return _output(tasks_report(year, progress=progress, cancelled=cancelled))


def self_check_output(
    year: int,
    unit_id: int,
    unit_name: str,
    quarter: int | None,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> Any:
    """A unit's 季度自查表 for ``quarter`` (None: the whole year)."""
    from reports.evaluation import self_check_report  # lazy: reportlab with the first print

    printed = self_check_report(
        year, unit_id, unit_name, quarter, progress=progress, cancelled=cancelled
    )
    return _output(printed)


def results_output(
    year: int, *, progress: Progress | None = None, cancelled: IsCancelled | None = None
) -> Any:
    """The year's 考评结果汇总表 with its chart."""
    from reports.evaluation import results_report  # lazy: reportlab with the first print

    return _output(results_report(year, progress=progress, cancelled=cancelled))


def team_form_output(
    year: int,
    unit_id: int,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> Any:
    """A unit's 领导班子年度考核登记表."""
    from reports.evaluation import team_form_report  # lazy: reportlab with the first print

    return _output(team_form_report(year, unit_id, progress=progress, cancelled=cancelled))


def bulletin_output(
    year: int, half: int, *, progress: Progress | None = None, cancelled: IsCancelled | None = None
) -> Any:
    """The 督查通报 of ``year``'s ``half`` (one short document: no progress)."""
    del progress, cancelled  # bulletin_pdf takes neither
    from models.evaluation import bulletin  # lazy: as the reports
    from reports.evaluation import bulletin_pdf  # lazy: reportlab with the first print
    from ui.common.preview_window import PdfOutput  # lazy: QtPdf with the first preview

    b = bulletin(year, half)
    return PdfOutput(bulletin_pdf(b), BulletinResult(len(b.rows)))


# ============================================================================ the button


class EvaluationPrinter(QObject):
    """The 打印 button. ``year`` gives the year shown, ``unit`` the (id, name) of the unit
    whose 自查表 is printed (the lead unit of the task chosen in 季度自查; None when there is
    none), ``team_unit`` the unit chosen in 年终考评 whose 领导班子年度考核登记表 prints, when
    an action is taken."""

    def __init__(
        self,
        parent_widget: QWidget,
        year: Callable[[], int],
        unit: Callable[[], tuple[int, str] | None],
        team_unit: Callable[[], tuple[int, str] | None] = lambda: None,
    ) -> None:
        super().__init__(parent_widget)
        self.parent_widget = parent_widget
        self.year = year
        self.unit = unit
        self.team_unit = team_unit
        self.host: Any = None  # the preview window's host, made on the first preview
        self.job: jobs.Job | None = None

        menu = QMenu(parent_widget)
        menu.setObjectName("evaluation_print_menu")

        def action(name: str, text: str, slot: Callable[[], object], to: QMenu = menu) -> QAction:
            a = to.addAction(text)
            a.setObjectName(name)
            a.triggered.connect(lambda _checked=False: slot())
            return a

        self.tasks_action = action("print_eval_tasks", _tr("任务分解表…"), self.preview_tasks)
        self.check_menu = menu.addMenu(_tr("季度自查表"))
        self.check_menu.setObjectName("evaluation_check_print_menu")
        quarters = {
            None: _tr("全年四个季度…"),
            1: _tr("第一季度…"),
            2: _tr("第二季度…"),
            3: _tr("第三季度…"),
            4: _tr("第四季度…"),
        }
        self.check_actions = {
            q: action(
                f"print_self_check_{q or 'year'}",
                text,
                lambda q=q: self.preview_self_check(q),
                self.check_menu,
            )
            for q, text in quarters.items()
        }
        bulletin_menu = menu.addMenu(_tr("督查通报"))
        bulletin_menu.setObjectName("evaluation_bulletin_print_menu")
        halves = {1: _tr("上半年…"), 2: _tr("下半年…")}
        self.bulletin_actions = {
            h: action(
                f"print_bulletin_{h}", text, lambda h=h: self.preview_bulletin(h), bulletin_menu
            )
            for h, text in halves.items()
        }
        self.results_action = action(
            "print_eval_results", _tr("考评结果汇总表…"), self.preview_results
        )
        self.team_action = action(
            "print_team_form", _tr("领导班子年度考核登记表…"), self.preview_team_form
        )
        menu.aboutToShow.connect(self.update_actions)
        self.menu = menu

        self.button = QPushButton(_tr("打印"), parent_widget)
        self.button.setObjectName("evaluation_print_button")
        self.button.setToolTip(
            _tr(
                "任务分解表、季度自查表、督查通报、考评结果汇总表、领导班子考核登记表：预览后打印或保存"
            )
        )
        self.button.setMenu(menu)  # a click opens the menu
        self.update_actions()

    @Slot()
    def update_actions(self) -> None:
        u = self.unit()
        self.check_menu.setEnabled(u is not None)
        self.check_menu.setTitle(
            _tr("季度自查表（{unit}）").format(unit=u[1]) if u else _tr("季度自查表")
        )
        t = self.team_unit()
        self.team_action.setEnabled(t is not None)
        self.team_action.setText(
            _tr("领导班子年度考核登记表（{unit}）…").format(unit=t[1])
            if t
            else _tr("领导班子年度考核登记表（请在年终考评中选择单位）")
        )

    @property
    def dialog(self) -> Any:
        return None if self.host is None else self.host.dialog

    def _run(self, fn: Callable[..., Any], *args: Any, what: str, stem: str) -> jobs.Job:
        from ui.common.preview_window import PreviewHost  # lazy: QtPdf with the first preview

        if self.host is None:
            self.host = PreviewHost(self.parent_widget)
        self.job = self.host.run(fn, *args, what=what, file_stem=stem)
        return self.job

    def preview_tasks(self) -> jobs.Job:
        y = self.year()
        return self._run(tasks_output, y, what=_tr("任务分解表"), stem=f"{y}年度工作任务分解表")

    def preview_self_check(self, quarter: int | None) -> jobs.Job | None:
        u = self.unit()
        if u is None:
            return None
        y = self.year()
        when = f"{y}年{QUARTER_NAMES[quarter]}" if quarter else f"{y}年度"
        return self._run(self_check_output, y, u[0], u[1], quarter,
                         what=_tr("季度自查表"), stem=f"{u[1]}_{when}自查表")  # fmt: skip

    def preview_bulletin(self, half: int) -> jobs.Job:
        y = self.year()
        return self._run(bulletin_output, y, half, what=_tr("督查通报"),
                         stem=f"{y}年{HALF_NAMES[half]}督查通报")  # fmt: skip

    def preview_results(self) -> jobs.Job:
        y = self.year()
        return self._run(results_output, y, what=_tr("考评结果汇总表"),
                         stem=f"{y}年度单位考评结果汇总表")  # fmt: skip

    def preview_team_form(self) -> jobs.Job | None:
        t = self.team_unit()
        if t is None:
            return None
        y = self.year()
        return self._run(team_form_output, y, t[0], what=_tr("领导班子年度考核登记表"),
                         stem=f"{t[1]}_{y}年度领导班子考核登记表")  # fmt: skip
