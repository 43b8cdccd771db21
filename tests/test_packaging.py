"""pyproject.toml: the extras cover what the tests import, the web stack is optional, and
package-data names only folders that exist."""

from __future__ import annotations

import ast
import importlib.metadata as md
import re
import sys
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from starclass.cli import app

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PROJECT = PYPROJECT["project"]
WEB = {"fastapi", "uvicorn", "sqlalchemy", "jinja2", "argon2-cffi"}


def _name(requirement: str) -> str:
    """Normalised distribution name of a requirement string (``"dask[distributed]>=1"`` -> ``dask``)."""
    return re.split(r"[\s\[<>=!~;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _extra(extra: str, seen: set[str] | None = None) -> set[str]:
    """Distribution names an extra of starclass pulls in, following ``starclass[...]`` references."""
    seen = set() if seen is None else seen
    seen.add(extra)
    names: set[str] = set()
    for req in PROJECT["optional-dependencies"][extra]:
        if _name(req) == "starclass":
            for inner in re.search(r"\[(.*)\]", req).group(1).split(","):
                if inner.strip() not in seen:
                    names |= _extra(inner.strip(), seen)
        else:
            names.add(_name(req))
    return names


def _closure(names: set[str]) -> set[str]:
    """``names`` and every installed distribution they require, transitively (markers ignored)."""
    todo, out = list(names), set()
    while todo:
        name = todo.pop()
        if name in out:
            continue
        out.add(name)
        try:
            reqs = md.requires(name) or []
        except md.PackageNotFoundError:
            continue
        todo += [_name(r) for r in reqs if "extra ==" not in r]
    return out


def test_runtime_dependencies_leave_out_the_web_stack_and_unused_packages():
    runtime = {_name(r) for r in PROJECT["dependencies"]}
    assert runtime.isdisjoint(WEB), "the web stack belongs in the [web] extra"
    assert runtime.isdisjoint({"httpx", "itsdangerous", "python-multipart"})
    assert WEB <= _extra("web")


def test_test_extra_pulls_in_web_and_dev_pulls_in_test_and_ruff():
    assert WEB <= _extra("test")
    assert {"pytest", "hypothesis", "httpx", "captum", "playwright", "psycopg"} <= _extra("test")
    assert _extra("test") | {"ruff"} <= _extra("dev")


def test_every_third_party_module_the_tests_import_is_installed_by_the_test_extra():
    provided = _closure({_name(r) for r in PROJECT["dependencies"]} | _extra("test"))
    dists_of = md.packages_distributions()
    local = {"starclass", "conftest", "webtools"} | {p.stem for p in (ROOT / "tests").glob("*.py")}
    unprovided = {}
    for path in sorted((ROOT / "tests").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                mods = [node.module]
            else:
                continue
            for mod in (m.split(".")[0] for m in mods):
                if mod in sys.stdlib_module_names or mod in local:
                    continue
                dists = {_name(d) for d in dists_of.get(mod, [mod])}
                if not dists & provided:
                    unprovided.setdefault(mod, path.name)
    assert not unprovided, f"imported by tests but not installed by .[test]: {unprovided}"


def test_package_data_names_existing_folders():
    package = ROOT / "src" / "starclass"
    for pattern in PYPROJECT["tool"]["setuptools"]["package-data"]["starclass"]:
        folder = (package / pattern).parent
        if pattern.startswith("learn/presets/") and not folder.is_dir():
            pytest.skip("learn/presets/ arrives with the task presets as data files")
        assert list(package.glob(pattern)), f"package-data {pattern!r} matches no file"


def test_inspect_without_the_web_extra_names_the_extra(monkeypatch, tmp_path):
    # a None entry in sys.modules makes `import fastapi` fail as if it were not installed
    monkeypatch.setitem(sys.modules, "fastapi", None)
    result = CliRunner().invoke(app, ["inspect", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "pip install 'starclass[web]'" in result.output
    assert "fastapi" in result.output and "Traceback" not in result.output


def test_python_dash_m_starclass_runs_the_cli():
    # `python -m starclass --help` failed: "'starclass' is a package and cannot be directly executed"
    import os
    import subprocess

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    res = subprocess.run([sys.executable, "-m", "starclass", "info", "--help"], capture_output=True, text=True,
                         env=env, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "Usage:" in res.stdout and "info" in res.stdout
    res = subprocess.run([sys.executable, "-m", "starclass", "info", "/no/such/catalogue.ecsv"], capture_output=True,
                         text=True, env=env, timeout=120)
    assert res.returncode == 2 and "Traceback" not in res.stderr
