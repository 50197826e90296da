"""What the start-up and section benchmarks run in a fresh process: the app on a database
(argv[1]) with its own settings file (argv[2]), the main window shown on the roster.
Each benchmark appends what it measures after this."""

MAIN_WINDOW = """
import json, sys, time
from pathlib import Path
from PySide6.QtCore import QStandardPaths
from ui.app import create_app
from models.schema import open_database
from ui import settings
QStandardPaths.setTestModeEnabled(True)
settings.use_file(Path(sys.argv[2]))
app = create_app([sys.argv[0]])
open_database(sys.argv[1])
from ui.main_window import MainWindow
w = MainWindow(sys.argv[1])
w.resize(1280, 800)
w.show()
"""
