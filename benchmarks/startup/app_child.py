"""What the start-up and section benchmarks run in a fresh process: the app on a database
(argv[1]) with its own settings file (argv[2]), the main window shown on the roster the way
``python main.py`` shows it: the models imported before Qt, then ui.app.open_main_window once
the database is open (no login, as on a database without accounts). Each benchmark appends
what it measures after this."""

MAIN_WINDOW = """
import json, sys, time
from pathlib import Path
from models.schema import open_database  # before Qt, as main.py imports it
from PySide6.QtCore import QStandardPaths
from ui.app import create_app, open_main_window
from ui import settings
QStandardPaths.setTestModeEnabled(True)
settings.use_file(Path(sys.argv[2]))
app = create_app([sys.argv[0]])
open_database(sys.argv[1])
w = open_main_window(sys.argv[1])  # 1280 × 800: the settings file has no saved geometry
"""
