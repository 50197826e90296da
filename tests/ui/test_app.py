"""Start-up pieces: paths, Chinese Qt translations, settings across processes, the
exception hook, the main window, and refusing a database that is not ours."""

from __future__ import annotations

import gc
import logging
import sqlite3
import subprocess
import sys
import weakref
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtWidgets import QDialogButtonBox

from models.roster import service as roster
from ui import app as ui_app
from ui import jobs, messages
from ui.main_window import MainWindow
from ui.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_default_db_path_is_in_the_app_data_folder(qapp):
    path = ui_app.default_db_path()
    assert path.name == "cadredesk.db"
    data = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    assert str(path.parent) == data
    assert "qttest" in data  # tests never touch the real user folder


def test_standard_buttons_are_chinese(qapp):
    ui_app.create_app()
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Yes | QDialogButtonBox.StandardButton.No)
    texts = {b.text().replace("&", "") for b in box.buttons()}
    assert any("是" in t for t in texts)
    assert any("否" in t for t in texts)


def test_settings_read_back_typed_in_a_new_process(qapp, tmp_path):
    path = tmp_path / "s.ini"
    s = Settings(path)
    s.roster_hidden_columns = ["phone", "unit_name"]
    s.roster_column_widths = {"name": 80, "post_title": 200}
    code = (
        "from pathlib import Path; from ui.settings import Settings; "
        f"s = Settings(Path({str(path)!r})); "
        "print(s.roster_hidden_columns, sorted(s.roster_column_widths.items()))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True, timeout=60)  # fmt: skip
    assert out.stdout.strip() == "['phone', 'unit_name'] [('name', 80), ('post_title', 200)]"
    assert Settings(tmp_path / "fresh.ini").roster_hidden_columns is None  # never chosen


def test_excepthook_logs_and_tells_the_user_in_chinese(qapp, tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    shown: list[str] = []
    monkeypatch.setattr(messages, "critical", lambda p, text, details="": shown.append(text))
    log_path = tmp_path / "cadredesk.log"
    ui_app.install_excepthook(log_path)
    try:
        raise ValueError("坏数据")
    except ValueError as e:
        with caplog.at_level(logging.ERROR):
            sys.excepthook(type(e), e, e.__traceback__)
    assert len(shown) == 1
    assert "程序出现意外错误" in shown[0]
    assert "ValueError: 坏数据" in shown[0]
    assert str(log_path) in shown[0]
    assert "uncaught exception" in caplog.text


def test_a_lost_database_connection_is_told_in_chinese(qapp, tmp_path, monkeypatch, caplog):
    """A server gone away mid-session: the message says so in Chinese, no driver text."""
    import peewee

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    shown: list[str] = []
    monkeypatch.setattr(messages, "error", lambda p, text, title=None: shown.append(text))
    ui_app.install_excepthook(tmp_path / "cadredesk.log")
    try:
        raise peewee.InterfaceError("connection already closed")
    except peewee.InterfaceError as e:
        with caplog.at_level(logging.ERROR):
            sys.excepthook(type(e), e, e.__traceback__)
    assert shown == ["与数据库服务器的连接已断开，请检查网络和服务器后重新运行"]
    assert "connection already closed" in caplog.text  # the details are in the log


def test_rotating_log_file_receives_records(tmp_path):
    path = ui_app.setup_logging(tmp_path / "logs")
    try:
        logging.getLogger("ui.test").warning("检查日志 %s", 42)
        for h in logging.getLogger().handlers:
            h.flush()
        assert "检查日志 42" in path.read_text(encoding="utf-8")
    finally:
        root = logging.getLogger()
        for h in list(root.handlers):
            if getattr(h, "baseFilename", None) == str(path):
                root.removeHandler(h)
                h.close()


def test_main_window_sections_and_counts(qtbot, people, db_path):
    w = MainWindow(db_path)
    qtbot.addWidget(w)
    names = [w.nav.item(i).text() for i in range(w.nav.count())]
    assert names[0] == "干部名册"
    assert {"干部名册", "培训班", "培训资源", "学时", "代码表"} <= set(names)
    assert w.stack.count() == len(names)
    assert w.stack.currentWidget() is w.roster_view
    from ui.training.classes_view import TrainingView

    training = names.index("培训班")
    # sections other than the roster are built when first opened, not at start-up
    assert not isinstance(w.stack.widget(training), TrainingView)
    for i in range(len(names)):  # every section opens a real screen
        w.nav.setCurrentRow(i)
        assert w.stack.currentIndex() == i
    assert isinstance(w.stack.widget(training), TrainingView)
    assert w.training_view is w.stack.widget(training)
    w.nav.setCurrentRow(0)
    assert str(db_path) in w.db_label.text()
    assert w.count_label.text() == "在职干部 5 人，共 6 人"
    roster.delete_cadre(people["赵敏"])
    w.roster_view._after_change()
    assert w.count_label.text() == "在职干部 4 人，共 5 人"


def test_a_closed_main_window_is_deleted_at_once(qapp, people, db_path):
    """With every section opened, a window nobody refers to any more is deleted when the last
    reference goes, not left to a later garbage collection (which would delete its widgets at
    an arbitrary moment, e.g. while a job runs for another window)."""
    w = MainWindow(db_path)
    for i in range(w.nav.count()):
        w.nav.setCurrentRow(i)
    jobs.runner().wait(30_000)  # the sections' first loads
    qapp.processEvents()
    gone = weakref.ref(w)
    gc.disable()
    try:
        w.close()
        del w
        assert gone() is None
    finally:
        gc.enable()


def test_run_refuses_a_database_that_is_not_ours(qapp, tmp_path, monkeypatch, app_log):
    foreign = tmp_path / "other.db"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE cadre (id INTEGER PRIMARY KEY)")
    con.commit()
    con.close()
    shown: list[str] = []
    monkeypatch.setattr(messages, "error", lambda p, text, title=None: shown.append(text))
    assert ui_app.run(foreign) == 1
    assert len(shown) == 1
    assert "不是 CadreDesk 数据库" in shown[0]
    assert "不是 CadreDesk 数据库" in app_log.read_text(encoding="utf-8")  # and in the log


# ============================================================================ no display


@pytest.mark.parametrize(
    ("env", "why"),
    [
        ({}, "找不到显示器（未设置 DISPLAY）"),
        ({"QT_QPA_PLATFORM": "xcb"}, "找不到显示器（未设置 DISPLAY）"),
        ({"DISPLAY": ":97"}, "显示器 :97 不存在（没有运行中的 X 服务）"),
        ({"QT_QPA_PLATFORM": "wayland"}, "找不到 Wayland 显示（未设置 WAYLAND_DISPLAY）"),
    ],
)
def test_a_session_without_a_display_is_told_in_chinese(env: dict, why: str) -> None:
    from ui.app import NO_DISPLAY_ADVICE, display_problem

    assert display_problem(env, "linux") == f"{why}。{NO_DISPLAY_ADVICE}"


@pytest.mark.parametrize(
    ("env", "platform"),
    [
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux"),
        ({"QT_QPA_PLATFORM": "vnc:size=800x600"}, "linux"),
        ({"DISPLAY": "remotehost:10.0"}, "linux"),  # over the network: Qt will say
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux"),
        ({}, "win32"),
        ({}, "darwin"),
    ],
)
def test_a_usable_display_is_not_questioned(env: dict, platform: str) -> None:
    from ui.app import display_problem

    assert display_problem(env, platform) is None


def test_the_app_without_a_display_exits_1_with_a_chinese_message(tmp_path) -> None:  # noqa: ANN001
    """Not Qt's abort (SIGABRT, exit 134) with an English xcb message; no database made."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "main.py", "--db", str(tmp_path / "a.db")],
        cwd=Path(__file__).resolve().parents[2], env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.startswith(
        "错误：找不到显示器（未设置 DISPLAY）。CadreDesk 的窗口需要图形桌面"
    )
    assert "--platform offscreen" in done.stderr
    assert "xvfb-run" in done.stderr
    assert not (tmp_path / "a.db").exists()


def test_an_unknown_platform_is_named_with_the_ones_there_are() -> None:
    from ui.app import display_problem, platform_plugins

    plugins = platform_plugins()
    assert "offscreen" in plugins
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux", plugins) is None
    text = display_problem({"QT_QPA_PLATFORM": "offscren"}, "win32", plugins)
    assert text == f"没有名为“offscren”的窗口显示方式，可用的有：{'、'.join(plugins)}"


def test_the_started_app_stays_open_until_closed(tmp_path) -> None:  # noqa: ANN001
    """The real start (main.py in its own process, offscreen): the window stays up — a main
    window nobody referred to was collected and the app quit by itself with exit 0."""
    import os

    from models.demo import build_demo

    db = tmp_path / "demo.db"
    build_demo(db, cadres=30, parts=())
    env = {**os.environ, "HOME": str(tmp_path / "home"), "XDG_DATA_HOME": str(tmp_path / "xdg")}
    proc = subprocess.Popen(
        [sys.executable, "main.py", "--db", str(db), "--platform", "offscreen"],
        cwd=Path(__file__).resolve().parents[2], env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        with pytest.raises(subprocess.TimeoutExpired):
            proc.wait(timeout=8)  # still running after its start: the window is up
    finally:
        proc.kill()
        proc.wait()
