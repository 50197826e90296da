"""Application start-up: QApplication, Chinese translations, logging, the exception hook,
the user data folder, and :func:`run` which main.py calls."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

import PySide6
from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QLocale,
    QObject,
    QStandardPaths,
    QTimer,
    QTranslator,
)
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from models.core.db import PeeweeException, close_database, database_error_text, display_target
from models.core.errors import DomainError
from models.schema import open_database
from resources import resource_path
from ui import jobs, messages
from ui.accounts.session import sign_in
from ui.roster import preload
from ui.settings import settings

if TYPE_CHECKING:
    from ui.main_window import MainWindow

log = logging.getLogger(__name__)

ORGANIZATION = "CadreDesk"
APPLICATION = "CadreDesk"
DB_FILE = "cadredesk.db"
LOG_FILE = "cadredesk.log"

_handling = False


def _tr(text: str) -> str:
    return QCoreApplication.translate("app", text)


def set_names() -> None:
    """Names QStandardPaths and QSettings use; safe to call before a QApplication exists."""
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)


def data_dir() -> Path:
    """The user data folder (created if missing)."""
    set_names()
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def default_db_path() -> Path:
    """Where the database lives unless ``--db`` says otherwise."""
    return data_dir() / DB_FILE


def translations_dir() -> Path:
    path = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    if (path / "qtbase_zh_CN.qm").exists():
        return path
    # a wheel install: PySide6/Qt/translations
    return Path(PySide6.__file__).parent / "Qt" / "translations"


def install_translators(app: QCoreApplication) -> list[QTranslator]:
    """Load Qt's own Chinese catalogue so standard buttons and dialogs speak Chinese, then
    what it lacks (resources/translations/cadredesk_qt_zh_CN: the file dialog's "&Look in:"
    and "Files of &type:"), which is consulted first. Compiled catalogues only: Qt asks for
    translations from its own threads too (the file dialog's), where Python must not run."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    installed: list[QTranslator] = []
    folder = translations_dir()
    for name, where in (
        ("qtbase_zh_CN", folder),
        ("qt_zh_CN", folder),
        ("cadredesk_qt_zh_CN", resource_path("translations")),
    ):
        tr = QTranslator(app)
        if tr.load(name, str(where)):
            app.installTranslator(tr)
            installed.append(tr)
        else:
            log.warning("Qt translation %s not found in %s", name, where)
    return installed


def setup_logging(folder: Path | None = None) -> Path:
    """Log to a rotating file in the user data folder; returns the log file's path."""
    from logging.handlers import RotatingFileHandler  # lazy: start-up time (socket, pickle)

    folder = folder or data_dir() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE
    root = logging.getLogger()
    for h in root.handlers:
        if isinstance(h, RotatingFileHandler) and Path(h.baseFilename) == path:
            return path
    handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def install_excepthook(log_path: Path) -> None:
    """Log every uncaught exception and tell the user in Chinese; the app keeps running."""

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        global _handling
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.error("uncaught exception", exc_info=(exc_type, exc, tb))
        if _handling or QApplication.instance() is None:
            return
        _handling = True
        try:
            if isinstance(exc, DomainError):
                messages.error(None, str(exc))
            elif isinstance(exc, PeeweeException):  # the server went away, a privilege…
                messages.error(None, database_error_text(exc))
            else:
                messages.critical(
                    None,
                    _tr(
                        "程序出现意外错误，刚才的操作可能没有完成：\n{error}\n\n"
                        "详细信息已写入日志文件：\n{log}"
                    ).format(error=f"{exc_type.__name__}: {exc}", log=log_path),
                    "".join(traceback.format_exception(exc_type, exc, tb)),
                )
        except Exception:
            log.exception("could not show the error message")
        finally:
            _handling = False

    sys.excepthook = hook


def chinese_system_locale(env: MutableMapping[str, str]) -> None:
    """Dates, times and sizes in Chinese wherever Qt formats them with the system's locale
    (the file dialog's 修改日期 and 大小 among them): a session whose locale is not Chinese
    (often plain C on a server, or English) gets zh_CN for this program, set before the
    QApplication reads it."""
    current = env.get("LC_ALL") or env.get("LC_TIME") or env.get("LANG") or ""
    if not current.lower().startswith("zh"):
        env["LC_ALL"] = "zh_CN.UTF-8"


def create_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication with names and translations (reuses an existing one)."""
    set_names()
    chinese_system_locale(os.environ)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv)
    app.setApplicationDisplayName(_tr("CadreDesk 干部教育培训与考核管理系统"))
    if not getattr(app, "_cadredesk_translators", None):
        app._cadredesk_translators = install_translators(app)  # type: ignore[attr-defined]
    return app


NO_DISPLAY_ADVICE = (
    "CadreDesk 的窗口需要图形桌面。在没有桌面的服务器上可用 xvfb-run python main.py 运行"
    "（需安装 xvfb），或加 --platform offscreen 在后台运行（不显示窗口）；命令行功能"
    "（如 python main.py grade …）不需要桌面，见 python main.py --help"
)


def platform_plugins() -> list[str]:
    """The names of the Qt platform plugins this installation has (offscreen, xcb…)."""
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    names = (p.name.split(".")[0] for p in folder.glob("*q*.*") if p.suffix in (".so", ".dll"))
    return sorted({n.removeprefix("lib").removeprefix("q") for n in names})


def display_problem(
    env: Mapping[str, str], platform: str = sys.platform, plugins: Sequence[str] = ()
) -> str | None:
    """Why the window cannot be shown on this session (Qt would abort with an English
    message), or None: a platform plugin chosen that is not among ``plugins`` (when given);
    on Linux/Unix no X display or Wayland compositor to talk to, unless a plugin that needs
    none is chosen (offscreen, vnc, eglfs…). Windows and macOS always have a display."""
    chosen = env.get("QT_QPA_PLATFORM", "").split(":")[0].strip().lower()
    if chosen and plugins and chosen not in plugins:
        return f"没有名为“{chosen}”的窗口显示方式，可用的有：{'、'.join(plugins)}"
    if platform.startswith(("win", "darwin", "cygwin")):
        return None
    if chosen and not chosen.startswith(("xcb", "wayland")):
        return None
    if chosen.startswith("wayland") or (not chosen and env.get("WAYLAND_DISPLAY")):
        if env.get("WAYLAND_DISPLAY"):
            return None
        if not chosen:
            return None
        return f"找不到 Wayland 显示（未设置 WAYLAND_DISPLAY）。{NO_DISPLAY_ADVICE}"
    display = env.get("DISPLAY", "").strip()
    if not display:
        return f"找不到显示器（未设置 DISPLAY）。{NO_DISPLAY_ADVICE}"
    host, _, rest = display.partition(":")
    number = rest.split(".")[0]
    local = host in ("", "unix") and number.isdigit()
    if local and not Path(f"/tmp/.X11-unix/X{number}").exists():
        return f"显示器 {display} 不存在（没有运行中的 X 服务）。{NO_DISPLAY_ADVICE}"
    return None


def _register_fonts(user_font: str | None, **_job: object) -> str | None:
    from reports.common import fonts  # lazy: reportlab and the font files, once the window shows

    return fonts.setup_fonts(user_font=user_font).warning


def start_print_fonts() -> jobs.Job:
    """Register the PDF fonts the settings name (or the automatic choice), on the worker:
    reportlab and reading the font files take 0.3-0.5 s, and the PDFs are made there (the
    reports of every screen use these fonts; one made sooner waits in the worker's queue, and
    the font module's lock makes any other reader wait). A warning goes to the log."""

    def failed(exc: BaseException) -> None:
        log.error("print fonts not set up", exc_info=exc)  # each PDF made says what is wrong

    def done(warning: str | None) -> None:
        if warning:
            log.warning("print font: %s", warning)

    user_font = settings().print_font or None
    return jobs.runner().run(
        _register_fonts, user_font, title=_tr("准备打印字体"), quiet=True,
        on_success=done, on_failure=failed,
    )  # fmt: skip


def _after_shown(window: QMainWindow) -> None:
    """What start-up does once the window is on screen, on the worker: the print fonts, then
    (on the first start of a day) the backup of the database (ui.backup)."""
    start_print_fonts()
    from ui.backup.startup import start_daily_backup  # lazy: start-up time

    start_daily_backup(window, data_dir())


FIRST_FRAME_FALLBACK_MS = 2000
"""When a window that never paints (minimised at start) still gets its after-first-frame work."""


class AfterFirstFrame(QObject):
    """Runs ``work`` once, on the GUI thread, right after ``window`` first painted (or after
    :data:`FIRST_FRAME_FALLBACK_MS` when it does not paint): start-up work the user need not
    wait for to see the window (starting the print fonts and the daily backup on the worker)
    no longer comes before its first frame."""

    def __init__(self, window: QWidget, work: Callable[[], None]) -> None:
        super().__init__(window)
        self._work: Callable[[], None] | None = work
        window.installEventFilter(self)
        QTimer.singleShot(FIRST_FRAME_FALLBACK_MS, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._work is not None:
            watched.removeEventFilter(self)
            # queued: the painted frame is flushed to the screen before the work starts
            QTimer.singleShot(0, self, self._run)
        return False

    def _run(self) -> None:
        work, self._work = self._work, None
        if work is not None:
            work()


def open_main_window(
    db_path: Path | str, after_shown: Callable[[MainWindow], None] | None = None
) -> MainWindow:
    """The main window on the database already open, shown on the roster; ``after_shown``
    runs once its first frame is painted (:class:`AfterFirstFrame`). The roster's list is read
    on a thread (ui.roster.preload) from before the window's modules are imported."""
    preload.start()
    from ui.main_window import MainWindow  # lazy: imported while the roster's list is read

    window = MainWindow(db_path)
    if after_shown is not None:
        AfterFirstFrame(window, partial(after_shown, window))
    window.show()
    return window


def run(db_path: Path | str, *, user: str = "") -> int:
    """Start the GUI on the database at ``db_path``; returns the process exit code. A
    database with accounts asks for a login first (``user`` fills in the 登录名)."""
    app = create_app()
    log_path = setup_logging()
    install_excepthook(log_path)
    shown = display_target(db_path)  # a server's URL without its password
    log.info("starting on %s", shown)
    try:
        open_database(db_path)
    except DomainError as e:
        log.warning("cannot open %s: %s", shown, e)  # why, for whoever looks at the log
        close_database()
        messages.error(None, _tr("无法打开数据库 {path}：\n{error}").format(path=shown, error=e))
        return 1
    except Exception as e:
        log.exception("opening %s failed", shown)
        close_database()
        messages.critical(
            None,
            _tr("无法打开数据库 {path}：\n{error}").format(path=shown, error=e),
            traceback.format_exc(),
        )
        return 1
    if not sign_in(username=user):  # login, or the first 系统管理员 on a server (ui.accounts)
        close_database()
        return 0
    try:
        # held while the event loop runs: a window nobody refers to is collected and closed
        window = open_main_window(db_path, _after_shown)
        code = app.exec()
        del window
        return code
    finally:
        close_database()
