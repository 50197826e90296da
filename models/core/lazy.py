"""Package APIs that load on first use (PEP 562).

A subject package lists its public names in ``__all__``; importing the package should not
import every service behind them, because the tables of every subject are imported when a
database opens (models.schema) and the services are needed only once a screen opens or a
command runs. :func:`lazy_api` gives a package's ``__init__`` its ``__all__``, and the
module-level ``__getattr__`` and ``__dir__`` that import a name's module the first time the
name is asked for (``from models.training import list_classes`` works as usual). Every
lookup goes to the defining module, so patching a name there reaches all callers.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence


def lazy_api(
    package: str, api: Mapping[str, Sequence[str]]
) -> tuple[list[str], Callable[[str], object], Callable[[], list[str]]]:
    """``(__all__, __getattr__, __dir__)`` for ``package``, whose ``api`` maps each module
    (relative to the package) to the public names it defines."""
    home = {name: module for module, names in api.items() for name in names}
    namespace = importlib.import_module(package).__dict__

    def getattr_(name: str) -> object:
        module = home.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        # not cached in the package: the defining module stays the one place a name lives,
        # so a test that patches it there reaches every caller, and nothing stale is left
        return getattr(importlib.import_module(f"{package}.{module}"), name)

    def dir_() -> list[str]:
        return sorted({*namespace, *home})

    return sorted(home), getattr_, dir_


__all__ = ["lazy_api"]
