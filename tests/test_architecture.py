"""The arrows run one way: corpus → coding → stats → site (pages, serve, export, qda) → cli; no import cycles.

Every module's imports are read with ``ast`` (top-level and the lazy ones inside functions alike, relative
imports resolved), each module is put in its room, and an import is allowed only along ``ALLOWED``. The
checker is tested on a small synthetic tree too, so a broken rule cannot pass unnoticed.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

#: Room → the package that holds it (a module belongs to the room of the longest matching prefix).
ROOMS = {
    "corpus": "bolyst.corpus",
    "coding": "bolyst.coding",
    "stats": "bolyst.stats",
    "site": "bolyst.site",  # bolyst.site itself and site/build.py: the database assembly the rooms share
    "pages": "bolyst.site.pages",
    "export": "bolyst.site.export",
    "qda": "bolyst.site.qda",
    "serve": "bolyst.site.serve",
    "cli": "bolyst.site.cli",
}

#: Room → the rooms it may import (besides itself). Nothing may import cli.
ALLOWED = {
    "corpus": set(),
    "coding": {"corpus"},
    "stats": {"corpus", "coding"},
    "site": {"corpus", "coding", "stats"},
    "pages": {"corpus"},  # pages read SQLite only: never coding or stats, so a published .db rebuilds them
    "export": {"corpus", "pages"},  # exports read SQLite only, like the pages; their words: pages.i18n
    "qda": {"corpus", "coding", "site"},  # the exchange reads and writes the project's source files
    "serve": {"corpus", "coding", "stats", "site", "pages", "export"},  # mounts the pages' and exports' routes
    "cli": {"corpus", "coding", "stats", "site", "pages", "export", "qda", "serve"},
}

PACKAGES = ("bolyst.corpus", "bolyst.coding", "bolyst.stats", "bolyst.site")


def modules_of(packages: dict[str, Path]) -> dict[str, Path]:
    """Module name → file for every ``.py`` below each package's folder."""
    found = {}
    for package, folder in packages.items():
        for path in sorted(folder.rglob("*.py")):
            parts = path.relative_to(folder).with_suffix("").parts
            if "__pycache__" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join((package, *parts))] = path
    return found


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The known modules ``name`` imports (``from pkg import sub`` counts as importing ``pkg.sub``)."""
    is_package = path.name == "__init__.py"
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".")
                anchor = anchor[:len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:  # import a.b.c of a known a.b
                target = target.rpartition(".")[0]
            if target and target != name:
                out.add(target)
    return out


def import_graph(packages: dict[str, Path]) -> dict[str, set[str]]:
    files = modules_of(packages)
    return {name: imports_of(name, path, set(files)) for name, path in files.items()}


def room_of(module: str, rooms: dict[str, str]) -> str | None:
    matches = [r for r, prefix in rooms.items() if module == prefix or module.startswith(prefix + ".")]
    return max(matches, key=lambda r: len(rooms[r]), default=None)


def against_the_flow(graph: dict[str, set[str]], rooms: dict[str, str],
                     allowed: dict[str, set[str]]) -> list[str]:
    """'a imports b (room → room)' for every import the room graph does not allow."""
    bad = []
    for module, targets in sorted(graph.items()):
        here = room_of(module, rooms)
        for target in sorted(targets):
            there = room_of(target, rooms)
            if here is None or there is None or there == here:
                continue
            if there not in allowed.get(here, set()):
                bad.append(f"{module} imports {target} ({here} → {there})")
    return bad


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of two or more modules (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def shipped_packages() -> dict[str, Path]:
    folders = {}
    for package in PACKAGES:
        spec = importlib.util.find_spec(package)
        folders[package] = Path(next(iter(spec.submodule_search_locations)))
    return folders


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph(shipped_packages())


def test_every_module_is_in_a_room(graph) -> None:
    assert len(graph) > 90  # the whole product, not an empty folder
    assert [m for m in graph if room_of(m, ROOMS) is None] == []
    assert set(ALLOWED) == set(ROOMS)


def test_imports_follow_the_flow(graph) -> None:
    assert against_the_flow(graph, ROOMS, ALLOWED) == []


def test_no_import_cycles(graph) -> None:
    assert cycles(graph) == []


def test_nothing_imports_the_cli(graph) -> None:
    assert sorted(m for m, targets in graph.items() if room_of(m, ROOMS) != "cli"
                  and any(room_of(t, ROOMS) == "cli" for t in targets)) == []


# ---------------------------------------------------------------- the checker itself


def _tree(root: Path, files: dict[str, str]) -> dict[str, Path]:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return {f"bolyst.{p}": root / p for p in ("corpus", "coding", "site")}


def test_checker_finds_an_import_against_the_flow(tmp_path: Path) -> None:
    packages = _tree(tmp_path, {
        "corpus/__init__.py": "",
        "corpus/reader.py": "def f():\n    from bolyst.coding.coder import code\n",  # lazy, still counted
        "coding/__init__.py": "",
        "coding/coder.py": "from bolyst.corpus import reader\n",
        "site/__init__.py": "",
        "site/pages/__init__.py": "",
        "site/pages/home.py": "from ..cli.main import cli\nfrom bolyst.coding import coder\n",
        "site/cli/__init__.py": "",
        "site/cli/main.py": "from bolyst.site.pages import home\n",
    })
    graph = import_graph(packages)
    assert graph["bolyst.coding.coder"] == {"bolyst.corpus.reader"}
    assert graph["bolyst.site.pages.home"] == {"bolyst.site.cli.main", "bolyst.coding.coder"}
    assert against_the_flow(graph, ROOMS, ALLOWED) == [
        "bolyst.corpus.reader imports bolyst.coding.coder (corpus → coding)",
        "bolyst.site.pages.home imports bolyst.coding.coder (pages → coding)",
        "bolyst.site.pages.home imports bolyst.site.cli.main (pages → cli)",
    ]


def test_checker_finds_cycles(tmp_path: Path) -> None:
    packages = _tree(tmp_path, {
        "corpus/__init__.py": "",
        "corpus/a.py": "from . import b\n",
        "corpus/b.py": "from .c import thing\n",
        "corpus/c.py": "import bolyst.corpus.a\n",
        "corpus/d.py": "from .a import x\n",
        "coding/__init__.py": "",
        "site/__init__.py": "",
    })
    assert cycles(import_graph(packages)) == [["bolyst.corpus.a", "bolyst.corpus.b", "bolyst.corpus.c"]]
