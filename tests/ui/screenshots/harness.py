"""What every screenshot script shares: a demo database in a temporary folder, the offscreen
QApplication, the main window at 1280 × 800, waiting for the screen to settle, saving PNGs.

A script defines ``make(out)``, which opens a :func:`session` and saves its pictures through
it, and ends with ``raise SystemExit(harness.main(make))``: the pictures go to the folder named
by the first command-line argument, else to the repository's ``screenshots/``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QStandardPaths
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QWidget

from models.core.db import close_database
from models.demo import build_demo
from models.schema import open_database
from ui import jobs, settings
from ui.app import create_app
from ui.main_window import MainWindow

SIZE = (1280, 800)
SCREENSHOTS = Path(__file__).resolve().parents[3] / "screenshots"


@dataclass
class Session:
    """One demo database opened for one script; ``saved`` lists the files written so far."""

    app: QApplication
    db_path: Path
    out: Path
    saved: list[Path] = field(default_factory=list)
    windows: list[QWidget] = field(default_factory=list)

    @property
    def folder(self) -> Path:
        """The temporary folder that holds the demo database (for scratch files)."""
        return self.db_path.parent

    def main_window(self, size: tuple[int, int] = SIZE) -> MainWindow:
        """The main window on the demo database, shown at ``size`` (closed at the session's end)."""
        window = MainWindow(self.db_path)
        window.resize(*size)
        window.show()
        self.windows.append(window)
        return window

    def settle(self, rounds: int = 8, pause: float = 0.0) -> None:
        """Process events; ``pause`` gives a render thread (QPdfView's) time to paint."""
        for _ in range(rounds):
            self.app.processEvents()
            if pause:
                time.sleep(pause)

    def wait(self, done: Callable[[], bool], limit: float = 60.0) -> None:
        """Process events until ``done()`` (a background step finished), then settle."""
        end = time.monotonic() + limit
        while not done():
            if time.monotonic() > end:
                raise TimeoutError("the screen did not finish its step")
            self.app.processEvents()
            time.sleep(0.01)
        self.settle()

    def save(self, widget: QWidget, name: str) -> Path:
        """Grab ``widget`` as it is on screen into ``out/name``."""
        path = self.out / name
        if not widget.grab().save(str(path)):
            raise OSError(f"could not write {path}")
        self.saved.append(path)
        return path

    def save_with_dialog(self, widget: QWidget, dialog: QWidget, name: str) -> Path:
        """``widget`` with ``dialog`` (a message box, not modal here) drawn over its middle, as
        the user sees them together; the dialog is closed afterwards."""
        dialog.show()
        self.settle()
        picture = widget.grab()
        over = dialog.grab()
        painter = QPainter(picture)
        painter.drawPixmap(
            (picture.width() - over.width()) // 2, (picture.height() - over.height()) // 2, over
        )
        painter.end()
        dialog.close()
        path = self.out / name
        if not picture.save(str(path)):
            raise OSError(f"could not write {path}")
        self.saved.append(path)
        return path

    def save_pdf_page(self, pdf: Path, stem: str) -> Path:
        """The first page of ``pdf`` at 60 dpi as ``out/<stem>-1.png`` (pdftoppm)."""
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf), str(self.out / stem)],
            check=True,
        )
        # pdftoppm pads the page number to the page count's width: report_summary-01.png
        made = sorted(self.out.glob(f"{stem}-*.png"), key=lambda p: p.stat().st_mtime)[-1]
        path = made.replace(self.out / f"{stem}-1.png")
        self.saved.append(path)
        return path


def show_section(window: MainWindow, view: QWidget) -> None:
    """Select ``view``'s entry in the main window's navigation list."""
    window.nav.setCurrentRow(window.stack.indexOf(view))


@contextmanager
def session(out: Path, **demo: object) -> Iterator[Session]:
    """A demo database built with ``build_demo(**demo)`` in a temporary folder (never the
    user's data), opened under the QApplication, with settings in that folder too; on the way
    out every main window is closed and the database with it."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out.mkdir(parents=True, exist_ok=True)
    QStandardPaths.setTestModeEnabled(True)
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "demo.db"
        settings.use_file(Path(tmp) / "settings.ini")
        build_demo(db_path, **demo)  # type: ignore[arg-type]
        app = create_app([sys.argv[0]])
        open_database(db_path)
        shots = Session(app, db_path, out)
        try:
            yield shots
        finally:
            for window in shots.windows:
                window.close()
                window.deleteLater()  # deleted now, not by a later garbage collection
            shots.windows.clear()
            jobs.runner().wait(30_000)
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            close_database()
            settings.use_file(None)


def target(argv: list[str]) -> Path:
    """The folder named on the command line, else the repository's ``screenshots/``."""
    return Path(argv[1]) if len(argv) > 1 else SCREENSHOTS


def main(make: Callable[[Path], list[Path]], argv: list[str] | None = None) -> int:
    """Run one script's ``make`` into the target folder and list what it wrote."""
    out = target(sys.argv if argv is None else argv)
    for path in make(out):
        print(path)
    return 0
