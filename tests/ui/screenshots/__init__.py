"""Screenshot scripts for review: each builds a demo database in a temporary folder (never the
user's data), opens its screens offscreen and saves PNGs, by default into the repository's
``screenshots/``. Run one with ``QT_QPA_PLATFORM=offscreen .venv/bin/python -m
tests.ui.screenshots.roster [folder]`` (likewise assessment, backup, electives, import_wizard,
holidays, lectures, lifecycle, people, planning, planning_editors, print_view, training,
training_print), or all of them with
``.venv/bin/python -m tests.ui.screenshots [folder]``. What they share (demo database,
QApplication, window size, waiting, saving) is in :mod:`tests.ui.screenshots.harness`.
"""
