"""The package layout holds: no package cycle, no upward import, no private import across
packages, and only the agreed modules at the top of ``src/starclass/``.

Imports are read with :mod:`ast` (function-local ones included: a lazy import is still a
dependency), so nothing under ``src/`` is executed. docs/architecture.md explains the layering.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "starclass"
#: ``__main__.py`` is ``python -m starclass``: the interpreter's entry point, above the CLI it runs.
TOP_LEVEL_MODULES = {"__init__.py", "__main__.py", "bands.py", "schema.py", "errors.py", "pipeline.py"}
#: The foundation every stage stands on: it imports nothing of starclass but itself.
CORE = {"errors", "bands", "schema"}
#: Who may import the consumers at the top (everyone else must not: that is an upward import).
IMPORTED_ONLY_BY = {
    "cli": {"__main__"},
    "pipeline": {"cli"},
    "datasets": {"cli", "pipeline"},
}


@dataclass(frozen=True)
class Import:
    """One import of a starclass module: where it is, what it names, which unit it reaches."""

    path: Path
    line: int
    module: str  # dotted target module, e.g. "starclass.detect._images"
    name: str | None  # the imported name for ``from X import name``
    source_unit: str
    target_unit: str


def _unit_of(module: str) -> str:
    """The top-level unit of a dotted module: ``starclass.detect.find`` -> ``detect``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def starclass_imports() -> list[Import]:
    """Every import of a starclass module made by a file under src/starclass."""
    return list(_scanned_imports())


# five tests read the same scan: parsing every file under src/ once per test was most of this file's time
@functools.cache
def _scanned_imports() -> tuple[Import, ...]:
    units = {p.stem if p.is_file() else p.name for p in PACKAGE.iterdir() if p.suffix == ".py" or p.is_dir()}
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        me = _module_name(path)
        package = me.split(".") if path.name == "__init__.py" else me.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                targets = [(a.name, None) for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package[: len(package) - node.level + 1]
                    module = ".".join(base + ([node.module] if node.module else []))
                else:
                    module = node.module or ""
                # ``from starclass import schema`` reaches the module schema, not the root package
                targets = [(f"{module}.{a.name}" if module == "starclass" and a.name in units else module, a.name)
                           for a in node.names]
            else:
                continue
            for module, name in targets:
                if module == "starclass" or module.startswith("starclass."):
                    found.append(Import(path, node.lineno, module, name, _unit_of(me), _unit_of(module)))
    return tuple(found)


def unit_graph(imports: list[Import]) -> dict[str, set[str]]:
    """unit -> the other units it imports."""
    graph: dict[str, set[str]] = {}
    for imp in imports:
        if imp.source_unit != imp.target_unit:
            graph.setdefault(imp.source_unit, set()).add(imp.target_unit)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as a list of nodes (first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def private_imports(imports: list[Import]) -> list[str]:
    """Imports that reach into another unit's private module or name."""
    bad = []
    for imp in imports:
        if imp.source_unit == imp.target_unit:
            continue
        parts = imp.module.split(".")[1:]
        if any(_is_private(p) for p in parts) or (imp.name and _is_private(imp.name)):
            where = imp.path.relative_to(PACKAGE.parent)
            bad.append(f"{where}:{imp.line} imports {imp.module}{'.' + imp.name if imp.name else ''}")
    return bad


# -- the checks on the checker: each must be able to fail -------------------------------------------
def test_find_cycle_finds_a_cycle_and_only_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_private_imports_are_recognised():
    def imp(module, name, src="cli", dst="inspect"):
        return Import(PACKAGE / "x.py", 1, module, name, src, dst)

    assert private_imports([imp("starclass.inspect.app", "_find")])
    assert private_imports([imp("starclass.detect._images", "ArrayMosaics", dst="detect")])
    assert not private_imports([imp("starclass.inspect.app", "load_field")])
    assert not private_imports([imp("starclass.cli._app", "command", dst="cli")])  # inside one package


def test_the_scanner_sees_function_local_and_relative_imports():
    imports = starclass_imports()
    assert len(imports) > 100
    assert any(i.source_unit == "cli" and i.target_unit == "inspect" for i in imports)  # local imports
    assert {i.target_unit for i in imports if i.module == "starclass.schema"} == {"schema"}


# -- the layout ------------------------------------------------------------------------------------
def test_only_the_agreed_modules_sit_at_the_top_of_the_package():
    top = {p.name for p in PACKAGE.glob("*.py")}
    assert top - TOP_LEVEL_MODULES == set(), "new code belongs in a stage package, not at the top"


def test_no_package_import_cycle():
    cycle = find_cycle(unit_graph(starclass_imports()))
    assert cycle is None, f"package import cycle: {' -> '.join(cycle)}"


def test_core_modules_import_only_each_other():
    graph = unit_graph(starclass_imports())
    for unit in CORE:
        assert graph.get(unit, set()) <= CORE, f"{unit} imports {graph[unit] - CORE}"


def test_no_upward_import():
    bad = [f"{imp.path.relative_to(PACKAGE.parent)}:{imp.line} imports {imp.module}"
           for imp in starclass_imports()
           if imp.target_unit in IMPORTED_ONLY_BY and imp.source_unit != imp.target_unit
           and imp.source_unit not in IMPORTED_ONLY_BY[imp.target_unit]]
    assert not bad, "upward imports:\n" + "\n".join(bad)


def test_no_private_import_across_packages():
    bad = private_imports(starclass_imports())
    assert not bad, "private imports across packages:\n" + "\n".join(bad)


#: What the repository's root tracks: a test's or a doctest's scratch folder (``cc_cut/``, ``cc_model/``, ``cut/``,
#: written by ``classify_cutouts``' example when run from the root) was committed there unseen until 2026-12-07.
ROOT_ENTRIES = {".ci", ".gitignore", "README.md", "benchmarks", "docs", "pyproject.toml", "src", "tests"}


def test_the_repository_root_tracks_only_the_agreed_entries():
    import shutil
    import subprocess

    root = PACKAGE.parents[1]
    if shutil.which("git") is None or not (root / ".git").exists():
        import pytest

        pytest.skip("not a git checkout: nothing tracked to check")
    listed = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True).stdout
    tops = {line.split("/", 1)[0] for line in listed.splitlines() if line}
    assert tops <= ROOT_ENTRIES, f"tracked at the repository root beyond the agreed ones: {sorted(tops - ROOT_ENTRIES)}"
