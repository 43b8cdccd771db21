"""The inspection app's modules import one way, and the app is assembled from routers."""

from __future__ import annotations

import ast
from pathlib import Path

import starclass.inspect
from starclass.datasets.labelling import make_demo_field
from starclass.inspect import db
from starclass.inspect.app import create_app
from starclass.inspect.field import load_field
from starclass.inspect.routes import candidates, datafiles, labels, pages, sessions

PACKAGE = Path(starclass.inspect.__file__).resolve().parent


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, known: set[str]) -> set[str]:
    """Modules of ``known`` that ``path`` imports anywhere (function-local imports too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found & known


def test_inspect_modules_have_no_import_cycle():
    files = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {m: _imports(p, set(files)) - {m} for m, p in files.items()}
    # the package's own __init__ re-exports; a module importing its package is not a cycle
    graph = {m: {d for d in deps if not m.startswith(d + ".")} for m, deps in graph.items()}
    state: dict[str, int] = {}

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for d in sorted(graph[m]):
            assert state.get(d) != 1, "import cycle: " + " -> ".join([*path, m, d])
            if d not in state:
                visit(d, [*path, m])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [])
    assert "starclass.inspect.auth" not in graph["starclass.inspect.db"]


def test_app_is_assembled_from_routers_over_app_state(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'labels.sqlite'}")
    db.init_db(engine)
    field = load_field(make_demo_field(tmp_path / "field", n=3, size=100, seed=1))
    app = create_app(field, engine)
    assert app.state.field is field and app.state.engine is engine
    for module, endpoint, path in [(pages, "login_page", "/login"), (sessions, "api_login", "/api/login"),
                                   (candidates, "api_queue", "/api/queue"),
                                   (labels, "api_label", "/api/label"),
                                   (datafiles, "api_data", "/data/{path:path}")]:
        assert path in [r.path for r in module.router.routes], path
        assert app.url_path_for(endpoint, **({"path": "x"} if "{" in path else {})) == path.replace(
            "{path:path}", "x")
