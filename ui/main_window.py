"""The main window: navigation between sections, and a status bar. Nothing else lives here."""

from __future__ import annotations

from collections.abc import Callable
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

from models.core.db import display_target
from models.roster import service as roster
from ui import jobs
from ui.accounts.session import AccountMenu
from ui.roster import preload
from ui.roster.roster_view import RosterView
from ui.settings import settings


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class MainWindow(QMainWindow):
    """Sections on the left (only the ones that work), the chosen section on the right."""

    def __init__(self, db_path: Path | str, parent: QWidget | None = None) -> None:
        preload.start()  # the roster's list, read on a thread while the window is built
        super().__init__(parent)
        self.setObjectName("main_window")
        self.setWindowTitle(_tr("CadreDesk 干部教育培训与考核管理系统"))
        self.db_path = str(db_path)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.stack = QStackedWidget()
        # factories take the window rather than close over it: a window that refers to
        # itself through a closure is left to the garbage collector, which would then
        # delete its widgets at some later, arbitrary moment
        self._factories: list[Callable[[MainWindow], QWidget]] = []
        self._built: dict[int, QWidget] = {}
        self._index: dict[str, int] = {}
        self.roster_view = RosterView()
        self._add_section(_tr("干部名册"), _roster_view, "roster_view", built=self.roster_view)
        # The other sections are built the first time they are opened: each loads its own
        # data (rounds, classes, 学时 over the whole roster) and its modules (training alone
        # imports in about 1 s), which must not delay start-up.
        self._add_section(_tr("首页"), _home_view, "home_view")
        self._add_section(_tr("培训班"), _training_view, "training_view")
        self._add_section(_tr("培训资源"), _resources_view, "resources_view")
        self._add_section(_tr("学时"), _hours_view, "hours_view")
        self._add_section(_tr("干部讲坛"), _lectures_view, "lectures_view")
        self._add_section(_tr("节假日"), _holidays_view, "holidays_view")
        self._add_section(_tr("年度考核"), _assessment_view, "assessment_view")
        self._add_section(_tr("单位考评"), _evaluation_view, "evaluation_view")
        self._add_section(_tr("代码表"), _codes_view, "codes_view")
        self._add_section(_tr("报表打印"), _print_view, "print_view")
        self._add_section(_tr("数据交换"), _exchange_view, "exchange_view")
        self._add_section(_tr("修改记录"), _audit_view, "audit_view")
        self._add_section(_tr("备份与恢复"), _backup_view, "backup_view")
        self._add_section(_tr("账号管理"), _accounts_view, "accounts_view")
        char = self.fontMetrics().horizontalAdvance("中")
        self.nav.setFixedWidth(char * 6 + 16)
        self.nav.setStyleSheet("QListWidget::item { padding: 10px 4px; }")
        self.nav.currentRowChanged.connect(self.open_section)
        self.nav.setCurrentRow(0)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.db_label = QLabel(_tr("数据库：{path}").format(path=display_target(self.db_path)))
        self.db_label.setObjectName("db_label")
        self.db_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.count_label = QLabel()
        self.count_label.setObjectName("cadre_count_label")
        self.statusBar().addWidget(self.db_label, 1)
        self.statusBar().addPermanentWidget(self.count_label)
        self.account_menu = AccountMenu(self)  # 账号 menu, who is logged in (ui.accounts)
        self.roster_view.dataChanged.connect(self.update_counts)
        self.update_counts()

        geometry = settings().window_geometry
        if geometry.isEmpty() or not self.restoreGeometry(geometry):
            self.resize(1280, 800)
        QWidget.setTabOrder(self.nav, self.roster_view.unit_tree)

    def _add_section(
        self,
        title: str,
        factory: Callable[[MainWindow], QWidget],
        name: str,
        *,
        built: QWidget | None = None,
    ) -> None:
        item = QListWidgetItem(title)
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        self.nav.addItem(item)
        index = len(self._factories)
        self._index[name] = index
        self._factories.append(factory)
        if built is not None:
            self._built[index] = built
        # until the section is opened its page is empty
        self.stack.addWidget(built if built is not None else QWidget())

    def section(self, index: int) -> QWidget:
        """The section's screen, built on first use in place of its empty page."""
        widget = self._built.get(index)
        if widget is None:
            widget = self._factories[index](self)
            empty = self.stack.widget(index)
            self.stack.insertWidget(index, widget)
            self.stack.removeWidget(empty)
            empty.deleteLater()
            self._built[index] = widget
        return widget

    @Slot()
    def forget_sections(self) -> None:
        """The database's content was replaced (a restore): every section built so far, but
        the roster (which refreshes) and the one on screen, is dropped, and built again from
        the restored data when it is next opened."""
        keep = {self.stack.currentIndex(), self._index["roster_view"]}
        for index in [i for i in self._built if i not in keep]:
            widget = self._built.pop(index)
            self.stack.insertWidget(index, QWidget())
            self.stack.removeWidget(widget)
            widget.deleteLater()

    @Slot(int)
    def open_section(self, index: int) -> None:
        if index >= 0:
            self.section(index)
            self.stack.setCurrentIndex(index)

    home_view = property(lambda self: self.section(self._index["home_view"]))
    evaluation_view = property(lambda self: self.section(self._index["evaluation_view"]))
    exchange_view = property(lambda self: self.section(self._index["exchange_view"]))
    training_view = property(lambda self: self.section(self._index["training_view"]))
    resources_view = property(lambda self: self.section(self._index["resources_view"]))
    hours_view = property(lambda self: self.section(self._index["hours_view"]))
    lectures_view = property(lambda self: self.section(self._index["lectures_view"]))
    holidays_view = property(lambda self: self.section(self._index["holidays_view"]))
    assessment_view = property(lambda self: self.section(self._index["assessment_view"]))
    codes_view = property(lambda self: self.section(self._index["codes_view"]))
    print_view = property(lambda self: self.section(self._index["print_view"]))
    audit_view = property(lambda self: self.section(self._index["audit_view"]))
    backup_view = property(lambda self: self.section(self._index["backup_view"]))
    accounts_view = property(lambda self: self.section(self._index["accounts_view"]))

    @Slot()
    def update_counts(self) -> None:
        active = roster.count_cadres("在职")
        total = roster.count_cadres()
        self.count_label.setText(
            _tr("在职干部 {active} 人，共 {total} 人").format(active=active, total=total)
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        runner = jobs.runner()
        runner.cancel_all()
        runner.wait(30_000)  # never close the database under a running job
        self.roster_view.save_state()
        settings().window_geometry = self.saveGeometry()
        super().closeEvent(event)


def _roster_view(window: MainWindow) -> QWidget:
    return window.roster_view


def _codes_view(window: MainWindow) -> QWidget:
    from ui.roster.codes_view import CodesView  # lazy: the section opens later (start-up time)

    view = CodesView()
    view.codesChanged.connect(window.roster_view.refresh)  # a renamed code shows at once
    return view


def _home_view(_window: MainWindow) -> QWidget:
    from ui.home import HomeView  # lazy: the section opens later (start-up time, QtCharts)

    return HomeView()


def _training_view(_window: MainWindow) -> QWidget:
    from ui.training import TrainingView  # lazy: the section opens later (start-up time)

    return TrainingView()


def _resources_view(_window: MainWindow) -> QWidget:
    from ui.training import ResourcesView  # lazy: the section opens later (start-up time)

    return ResourcesView()


def _hours_view(_window: MainWindow) -> QWidget:
    from ui.training import HoursView  # lazy: the section opens later (start-up time)

    return HoursView()


def _lectures_view(_window: MainWindow) -> QWidget:
    from ui.training.lectures import LecturesView  # lazy: the section opens later (start-up time)

    return LecturesView()


def _holidays_view(_window: MainWindow) -> QWidget:
    from ui.calendar import HolidaysView  # lazy: the section opens later (start-up time)

    return HolidaysView()


def _exchange_view(_window: MainWindow) -> QWidget:
    from ui.exchange import ExchangeView  # lazy: the section opens later (start-up time)

    return ExchangeView()


def _evaluation_view(_window: MainWindow) -> QWidget:
    from ui.evaluation import EvaluationView  # lazy: the section opens later (start-up time)

    return EvaluationView()


def _assessment_view(_window: MainWindow) -> QWidget:
    from ui.assessment import AssessmentView  # lazy: the section opens later (start-up time)

    return AssessmentView()


def _print_view(_window: MainWindow) -> QWidget:
    from ui.print_view import PrintView  # lazy: the section opens later (start-up time)

    return PrintView()


def _audit_view(_window: MainWindow) -> QWidget:
    from ui.audit import AuditView  # lazy: the section opens later (start-up time)

    return AuditView()


def _backup_view(window: MainWindow) -> QWidget:
    from ui.backup import BackupView  # lazy: the section opens later (start-up time)

    view = BackupView(window.db_path)
    view.restored.connect(window.roster_view.refresh)  # the restored data shows at once
    view.restored.connect(window.update_counts)
    view.restored.connect(window.forget_sections)  # the others are built anew when opened
    view.restored.connect(window.account_menu.after_restore)  # the backup's accounts now
    return view


def _accounts_view(window: MainWindow) -> QWidget:
    from ui.accounts import AccountsView  # lazy: the section opens later (start-up time)

    view = AccountsView()
    view.accountChanged.connect(window.account_menu.update)  # the 系统管理员 just made
    window.account_menu.changed.connect(view.refresh)  # another account logged in
    return view
