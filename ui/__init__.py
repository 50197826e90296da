"""The desktop application (PySide6): the shell -- :mod:`ui.app` (start-up, logging, the
exception hook), :mod:`ui.main_window` (the sections), :mod:`ui.print_view` (报表打印) -- the
plumbing every screen uses -- :mod:`ui.jobs` (background work with progress and 取消),
:mod:`ui.messages` (every message box and file dialog), :mod:`ui.settings` -- and one package
per subject: :mod:`ui.roster`, :mod:`ui.training`, :mod:`ui.assessment`, over the shared
widgets, table models and export flow of :mod:`ui.common`.

The subpackages are imported by their own names; this package re-exports nothing.
"""

__all__ = []  # type: list[str]
