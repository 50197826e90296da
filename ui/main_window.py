"""The main window: navigation between sections, and a status bar. Nothing else lives here."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from models import roster
from ui import jobs
from ui.roster_view import RosterView
from ui.settings import settings


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class MainWindow(QMainWindow):
    """Sections on the left (only the ones that work), the chosen section on the right."""

    def __init__(self, db_path: Path | str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("main_window")
        self.setWindowTitle(_tr("CadreDesk 干部教育培训与考核管理系统"))
        self.db_path = str(db_path)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.stack = QStackedWidget()
        self.roster_view = RosterView()
        self._add_section(_tr("干部名册"), self.roster_view)
        from ui.hours_view import HoursView  # training sections (issue 6)
        from ui.training_resources import ResourcesView
        from ui.training_view import TrainingView

        self.training_view, self.resources_view, self.hours_view = (
            TrainingView(), ResourcesView(), HoursView())  # fmt: skip
        self._add_section(_tr("培训班"), self.training_view)
        self._add_section(_tr("培训资源"), self.resources_view)
        self._add_section(_tr("学时"), self.hours_view)
        from ui.assessment_view import AssessmentView  # 五项考核 (issue 4)

        self.assessment_view = AssessmentView()
        self._add_section(_tr("年度考核"), self.assessment_view)
        from ui.codes_view import CodesView  # 代码表 (pick-lists); a rename changes the roster

        self.codes_view = CodesView()
        self.codes_view.codesChanged.connect(self.roster_view.refresh)
        self._add_section(_tr("代码表"), self.codes_view)
        from ui.print_view import PrintView  # 报表打印 (issue 5)

        self.print_view = PrintView()
        self._add_section(_tr("报表打印"), self.print_view)
        char = self.fontMetrics().horizontalAdvance("中")
        self.nav.setFixedWidth(char * 6 + 16)
        self.nav.setStyleSheet("QListWidget::item { padding: 10px 4px; }")
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setCurrentRow(0)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.db_label = QLabel(_tr("数据库：{path}").format(path=self.db_path))
        self.db_label.setObjectName("db_label")
        self.db_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.count_label = QLabel()
        self.count_label.setObjectName("cadre_count_label")
        self.statusBar().addWidget(self.db_label, 1)
        self.statusBar().addPermanentWidget(self.count_label)
        self.roster_view.dataChanged.connect(self.update_counts)
        self.update_counts()

        geometry = settings().window_geometry
        if geometry.isEmpty() or not self.restoreGeometry(geometry):
            self.resize(1280, 800)
        QWidget.setTabOrder(self.nav, self.roster_view.unit_tree)

    def _add_section(self, title: str, widget: QWidget) -> None:
        item = QListWidgetItem(title)
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        self.nav.addItem(item)
        self.stack.addWidget(widget)

    @Slot()
    def update_counts(self) -> None:
        active = roster.count_cadres("在职")
        total = roster.count_cadres()
        self.count_label.setText(_tr("在职干部 {active} 人，共 {total} 人").format(
            active=active, total=total))  # fmt: skip

    def closeEvent(self, event: QCloseEvent) -> None:
        runner = jobs.runner()
        runner.cancel_all()
        runner.wait(30_000)  # never close the database under a running job
        self.roster_view.save_state()
        settings().window_geometry = self.saveGeometry()
        super().closeEvent(event)
