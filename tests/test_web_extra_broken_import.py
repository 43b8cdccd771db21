"""A web-extra package that is installed but fails to import is named, with the extra to install, exit 2.

require_extra only finds the modules (importlib.util.find_spec, as importing them is slow): a package
that is there but raises ImportError as it imports (a broken build, a missing shared library) passed
the check, and inspect then failed with a traceback where it imported the database layer (argon2,
sqlalchemy) or the server (uvicorn, fastapi). cli._app.importing_extra turns that into the
"install starclass[web]" advice, naming the module and its error.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from starclass.errors import StarclassError
from starclass.io.mosaic import write_mosaic
from webtools import free_port  # tests/ is on sys.path under pytest

SRC = Path(__file__).resolve().parents[1] / "src"
BROKEN = "libbroken.so.1: cannot open shared object file: No such file or directory"


def _broken(fake: Path, name: str) -> Path:
    (fake / name).mkdir(parents=True)
    (fake / name / "__init__.py").write_text(f"raise ImportError({BROKEN!r})\n")
    return fake


def _inspect(fake: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=f"{fake}{os.pathsep}{SRC}", OMP_NUM_THREADS="1")
    # a port of its own: the command binds it before it opens the database (8000 may be taken here)
    args = (*args, "--port", str(free_port()))
    return subprocess.run([sys.executable, "-m", "starclass", "inspect", *args], capture_output=True, text=True,
                          env=env, timeout=180)


def _said(r: subprocess.CompletedProcess, name: str) -> None:
    out = " ".join((r.stdout + r.stderr).split())
    assert r.returncode == 2, out
    assert "Traceback" not in out, out
    assert f"{name} is installed but fails to import (ImportError: {BROKEN})" in out, out
    assert "pip install 'starclass[web]'" in out, out


def test_broken_argon2_names_it_where_the_database_layer_imports(tmp_path):
    fake = _broken(tmp_path / "fake", "argon2")
    (tmp_path / "field").mkdir()
    _said(_inspect(fake, str(tmp_path / "field")), "argon2")


def _field(tmp_path: Path) -> Path:
    """Two small mosaics and a catalogue: a field serving would read."""
    field = tmp_path / "field"
    field.mkdir()
    rng = np.random.default_rng(0)
    for band, plam in (("f555w", 5308.0), ("f814w", 8040.0)):
        write_mosaic(field / f"f_{band}.fits", rng.normal(0.1, 0.01, (64, 64)).astype(np.float32), band, None,
                     photflam=1.9e-19, photplam=plam, exptime=400.0)
    (field / "candidates.csv").write_text("id,x,y\n1,20.0,30.0\n2,40.5,12.0\n")
    return field


def test_broken_uvicorn_names_it_where_the_server_imports(tmp_path):
    fake = _broken(tmp_path / "fake", "uvicorn")
    r = _inspect(fake, str(_field(tmp_path)), "--init", "--no-prerender")
    _said(r, "uvicorn")


def test_broken_uvicorn_with_init_makes_no_database(tmp_path):
    """The server was imported after ``--init`` had made ``inspect.sqlite`` and the notes were printed: the
    refusal left a new database behind and "no accounts yet" / "labels in ..." on stdout. A child interpreter
    imports the web modules while the field is read (cli._app.ImportProbe), checked before the database."""
    fake = _broken(tmp_path / "fake", "uvicorn")
    field = _field(tmp_path)
    r = _inspect(fake, str(field), "--init", "--no-prerender")
    _said(r, "uvicorn")
    assert r.stdout == "", r.stdout
    assert not list(field.glob("inspect.sqlite*")), sorted(p.name for p in field.iterdir())


def test_the_import_probe_names_a_broken_module_and_only_that(tmp_path, monkeypatch):
    from starclass.cli._app import ImportProbe

    fake = _broken(tmp_path / "fake", "s76_broken_web")
    (fake / "s76_fine_web.py").write_text("VALUE = 1\n")
    (fake / "s76_exits_web.py").write_text("import os\nos._exit(3)\n")  # a crash is no failed import
    monkeypatch.syspath_prepend(str(fake))  # the child gets this interpreter's sys.path
    with pytest.raises(StarclassError, match=r"s76_broken_web is installed but fails to import \(ImportError: "
                       + BROKEN.replace(".", r"\.") + r"\); install them again with: pip install 'starclass\[web\]'"):
        ImportProbe("web", ["s76_fine_web", "s76_broken_web"], "inspect").check()
    ImportProbe("web", ["s76_fine_web"], "inspect").check()
    ImportProbe("web", ["s76_exits_web", "s76_broken_web"], "inspect").check()
    # a module this interpreter has imported is known to import: no child at all
    probe = ImportProbe("web", ["json", "os"], "inspect")
    assert probe._child is None
    probe.check()
    # ended before it was checked: the child is stopped, not left running
    probe = ImportProbe("web", ["s76_fine_web"], "inspect")
    child = probe._child
    probe.close()
    assert child is not None and child.poll() is not None


def test_an_import_error_of_starclass_itself_is_passed_on():
    from starclass.cli._app import importing_extra

    with pytest.raises(ImportError, match="no_such_starclass_module"):
        with importing_extra("web", ["fastapi", "uvicorn"], "inspect"):
            import starclass.no_such_starclass_module  # noqa: F401


def test_a_named_module_of_the_extra_is_said():
    from starclass.cli._app import importing_extra

    with pytest.raises(StarclassError, match=r"fastapi is installed but fails to import \(ImportError: x\)"):
        with importing_extra("web", ["fastapi"], "inspect"):
            raise ImportError("x", name="fastapi.routing")
