"""Static assets (fonts, icons, rule sets) and a path helper that also works when frozen."""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def resource_path(*parts: str) -> Path:
    """Path of a bundled resource, e.g. ``resource_path("fonts", "wqy-microhei.ttc")``.

    In a PyInstaller bundle (``sys._MEIPASS`` set) resources live in ``<_MEIPASS>/resources``;
    otherwise they are resolved relative to this package. The file need not exist.
    """
    base_dir = getattr(sys, "_MEIPASS", None)
    base = Path(base_dir) / "resources" if base_dir else _PACKAGE_DIR
    return base.joinpath(*parts)
