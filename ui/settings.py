"""Typed access to the user's settings (QSettings, INI format), and applying the print font
they name.

Every read passes ``type=``: with IniFormat a value written by another process comes back
as the string ``'true'`` or ``'5'`` otherwise (TECH-NOTES 5.3.5). Nothing else in ui/ builds
a QSettings; call :func:`settings` and use the typed properties.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

_override_path: Path | None = None
log = logging.getLogger(__name__)


class Settings:
    """One settings store. Keys are grouped by screen: ``roster/...``, ``window/...``."""

    def __init__(self, path: Path | None = None) -> None:
        if path is not None:
            self._qs = QSettings(str(path), QSettings.Format.IniFormat)
        else:
            self._qs = QSettings(
                QSettings.Format.IniFormat,
                QSettings.Scope.UserScope,
                "CadreDesk",
                "CadreDesk",
            )

    @property
    def file_name(self) -> str:
        return self._qs.fileName()

    def sync(self) -> None:
        self._qs.sync()

    # -- generic typed helpers ------------------------------------------------------------

    def _str(self, key: str, default: str = "") -> str:
        return str(self._qs.value(key, default, type=str))

    def _list(self, key: str) -> list[str]:
        text = self._str(key)
        return [part for part in text.split(",") if part]

    def _set(self, key: str, value: object) -> None:
        self._qs.setValue(key, value)
        self._qs.sync()

    # -- roster -----------------------------------------------------------------------------

    @property
    def roster_hidden_columns(self) -> list[str] | None:
        """ROSTER_COLUMNS keys the user has hidden; None when never chosen."""
        if not self._qs.contains("roster/hidden_columns"):
            return None
        return self._list("roster/hidden_columns")

    @roster_hidden_columns.setter
    def roster_hidden_columns(self, keys: list[str]) -> None:
        self._set("roster/hidden_columns", ",".join(keys))

    @property
    def roster_column_widths(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for part in self._list("roster/column_widths"):
            key, _, width = part.partition("=")
            if width.isdigit():
                out[key] = int(width)
        return out

    @roster_column_widths.setter
    def roster_column_widths(self, widths: dict[str, int]) -> None:
        self._set("roster/column_widths", ",".join(f"{k}={w}" for k, w in widths.items()))

    @property
    def last_export_dir(self) -> str:
        return self._str("roster/last_export_dir")

    @last_export_dir.setter
    def last_export_dir(self, folder: str) -> None:
        self._set("roster/last_export_dir", folder)

    # -- printing ---------------------------------------------------------------------------

    def last_folder(self, kind: str) -> str:
        """The folder a file dialog for ``kind`` (pdf, xlsx, lrmx, folder…) was last used in."""
        return self._str(f"dialogs/last_{kind}")

    def set_last_folder(self, kind: str, folder: str) -> None:
        self._set(f"dialogs/last_{kind}", folder)

    @property
    def print_font(self) -> str:
        """A .ttf/.ttc file the user chose for PDFs ('' = automatic: the system's 宋体 or a
        free TrueType CJK font, else the bundled one)."""
        return self._str("print/font")

    @print_font.setter
    def print_font(self, path: str) -> None:
        self._set("print/font", path)

    # -- roster import ----------------------------------------------------------------------

    @property
    def import_column_mapping(self) -> dict[str, str | None]:
        """Header text as written -> attribute (None: ignore the column), as the user chose
        in the import wizard's column-mapping step."""
        text = self._str("import/column_mapping")
        if not text:
            return {}
        try:
            data = json.loads(text)
        except ValueError:
            log.warning("ignoring a damaged import/column_mapping setting: %r", text[:200])
            return {}
        if not isinstance(data, dict):
            return {}
        return {
            str(k): (v if isinstance(v, str) and v else None)
            for k, v in data.items()
            if isinstance(k, str) and (v is None or isinstance(v, str))
        }

    @import_column_mapping.setter
    def import_column_mapping(self, mapping: dict[str, str | None]) -> None:
        self._set("import/column_mapping", json.dumps(mapping, ensure_ascii=False, sort_keys=True))

    @property
    def last_import_dir(self) -> str:
        return self._str("import/last_dir")

    @last_import_dir.setter
    def last_import_dir(self, folder: str) -> None:
        self._set("import/last_dir", folder)

    # -- training ---------------------------------------------------------------------------

    @property
    def certificate_prefix(self) -> str:
        """The 结业证书 serial prefix last used ("" when never chosen)."""
        return self._str("training/certificate_prefix")

    @certificate_prefix.setter
    def certificate_prefix(self, prefix: str) -> None:
        self._set("training/certificate_prefix", prefix)

    # -- main window ------------------------------------------------------------------------

    @property
    def window_geometry(self) -> QByteArray:
        value = self._qs.value("window/geometry", QByteArray(), type=QByteArray)
        return value if isinstance(value, QByteArray) else QByteArray()

    @window_geometry.setter
    def window_geometry(self, data: QByteArray) -> None:
        self._set("window/geometry", data)

    @property
    def roster_splitter(self) -> QByteArray:
        value = self._qs.value("roster/splitter", QByteArray(), type=QByteArray)
        return value if isinstance(value, QByteArray) else QByteArray()

    @roster_splitter.setter
    def roster_splitter(self, data: QByteArray) -> None:
        self._set("roster/splitter", data)


def use_file(path: Path | None) -> None:
    """Keep settings in ``path`` (tests, portable installs); None restores the user's file."""
    global _override_path
    _override_path = path


def settings() -> Settings:
    """The settings store in use (a cheap object: QSettings caches per file)."""
    return Settings(_override_path)


def apply_print_font() -> str | None:
    """Register the PDF font the settings name (or the automatic choice); the warning to show,
    if any. Called at start-up and whenever the user changes the font."""
    from reports.common import fonts  # lazy: start-up time (reportlab, the font files)

    setup = fonts.setup_fonts(user_font=settings().print_font or None)
    return setup.warning
