"""The house rules of the code base (ARCHITECTURE.md, "Packages by subject"), checked on the
source: no private name imported from another module, no import hidden inside a function
unless a ``# lazy:`` comment says why, no import cycle between modules, packages that name
their public API, and folders and modules small enough to find one's way in."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("models", "reports", "ui")
MAX_MODULES_PER_FOLDER = 12
MAX_LINES = 600


def _sources(*tops: str) -> list[Path]:
    out: list[Path] = []
    for top in tops:
        path = ROOT / top
        out.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return out


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(path: Path, node: ast.ImportFrom, root: Path) -> str:
    """The absolute module an ``from … import`` names (relative imports resolved)."""
    if not node.level:
        return node.module or ""
    package = _module_name(path, root).split(".")
    if path.name != "__init__.py":
        package.pop()
    base = package[: len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def private_imports(paths: list[Path], root: Path = ROOT) -> list[str]:
    """``from a import _b`` where ``a`` is another module of ours (dunder names aside)."""
    found = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom):
                continue
            source = _resolve(path, node, root)
            if source.split(".")[0] not in (*LAYERS, "tests", "resources"):
                continue
            for alias in node.names:
                name = alias.name
                if name.startswith("_") and not (name.startswith("__") and name.endswith("__")):
                    where = f"{path.relative_to(root).as_posix()}:{node.lineno}"
                    found.append(f"{where}: from {source} import {name}")
    return found


def unmarked_function_imports(paths: list[Path], root: Path = ROOT) -> list[str]:
    """Imports inside a function whose line, or the line above, has no ``# lazy:`` comment."""
    found = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        tree = ast.parse(text)
        for func in ast.walk(tree):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(func):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    here = lines[node.lineno - 1]
                    above = lines[node.lineno - 2] if node.lineno > 1 else ""
                    if "# lazy:" not in here and "# lazy:" not in above:
                        where = f"{path.relative_to(root).as_posix()}:{node.lineno}"
                        found.append(f"{where}: {here.strip()}")
    return found


def test_the_checks_find_what_they_look_for(tmp_path: Path) -> None:
    """The two source checks are not blind: they flag a planted private import and an
    unmarked import inside a function, and accept the marked one."""
    planted = tmp_path / "models" / "planted.py"
    planted.parent.mkdir()
    planted.write_text(
        "from models.core.errors import _private, DomainError\n"
        "from .sibling import _also_private\n"
        "def f():\n"
        "    import json\n"
        "    # lazy: start-up time\n"
        "    import csv\n"
        "    import zipfile  # lazy: start-up time\n",
        encoding="utf-8",
    )
    assert private_imports([planted], tmp_path) == [
        "models/planted.py:1: from models.core.errors import _private",
        "models/planted.py:2: from models.sibling import _also_private",
    ]
    assert unmarked_function_imports([planted], tmp_path) == ["models/planted.py:4: import json"]


def test_no_private_name_crosses_a_module() -> None:
    assert private_imports(_sources(*LAYERS, "main.py", "tests", "benchmarks")) == []


def test_imports_inside_functions_say_why() -> None:
    assert unmarked_function_imports(_sources(*LAYERS, "main.py")) == []


def _graph() -> grimp.ImportGraph:
    sys.path.insert(0, str(ROOT))
    try:
        return grimp.build_graph(*LAYERS, include_external_packages=False, cache_dir=None)
    finally:
        sys.path.remove(str(ROOT))


def cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Groups of modules that import each other, directly or through others (Tarjan)."""
    mods = sorted(graph.modules)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in mods}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(start: str) -> None:
        # iterative Tarjan: (module, position in its edge list)
        work = [(start, 0)]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            v, i = work[-1]
            if i < len(edges[v]):
                work[-1] = (v, i + 1)
                w = edges[v][i]
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, 0))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                group = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    group.append(w)
                    if w == v:
                        break
                if len(group) > 1:
                    found.append(sorted(group))

    for m in mods:
        if m not in index:
            visit(m)
    return found


def test_cycle_finder_sees_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for m in ("a", "a.b", "a.c", "a.d"):
        graph.add_module(m)
    graph.add_import(importer="a.b", imported="a.c")
    graph.add_import(importer="a.c", imported="a.b")
    graph.add_import(importer="a.d", imported="a.b")
    assert cycles(graph) == [["a.b", "a.c"]]


def test_no_import_cycles_between_modules() -> None:
    """A package importing its own modules is not a cycle unless a module imports the
    package back; grimp records both directions, so any loop shows up here."""
    assert cycles(_graph()) == []


@pytest.mark.parametrize("top", LAYERS)
def test_every_package_names_its_public_api(top: str) -> None:
    """Every package says what it is for and lists its public API in ``__all__``: no private
    name, and every name there can really be had (a lazy API with a stale entry fails)."""
    problems = []
    for init in sorted((ROOT / top).rglob("__init__.py")):
        name = _module_name(init, ROOT)
        if ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) is None:
            problems.append(f"{name}: no docstring")
        package = importlib.import_module(name)
        api = getattr(package, "__all__", None)
        if not isinstance(api, (list, tuple)):
            problems.append(f"{name}: no __all__")
            continue
        for public in api:
            if public.startswith("_"):
                problems.append(f"{name}: exports private {public}")
            elif (
                not hasattr(package, public)
                and importlib.util.find_spec(f"{name}.{public}") is None
            ):
                problems.append(f"{name}: __all__ names {public}, which it does not have")
    assert problems == []


@pytest.mark.parametrize("top", LAYERS)
def test_folders_and_modules_stay_small(top: str) -> None:
    crowded = []
    for folder in sorted({p.parent for p in (ROOT / top).rglob("*.py")}):
        modules = list(folder.glob("*.py"))  # __init__.py counts too
        if len(modules) > MAX_MODULES_PER_FOLDER:
            crowded.append(f"{folder.relative_to(ROOT)}: {len(modules)} modules")
    for path in sorted((ROOT / top).rglob("*.py")):
        n = len(path.read_text(encoding="utf-8").splitlines())
        if n > MAX_LINES:
            crowded.append(f"{path.relative_to(ROOT)}: {n} lines")
    assert crowded == []
