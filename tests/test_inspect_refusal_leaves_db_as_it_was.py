"""A refused ``inspect DATA_DIR`` says nothing on stdout and leaves its label database byte for byte as it was.

Serving without ``--init`` from an existing database, with a web extra whose uvicorn fails to import, printed
``note: no accounts yet; ...`` and ``labels in ... (schema version 2)`` and only then refused (the server's import
came after the notes; the import probe ran only for ``--init`` with no database yet). A database of an older
schema was upgraded before that refusal, and before the refusal of a field or label scheme the labels are not
in (``starclass.inspect.db.check_binding``): the file was rewritten by a command that did nothing. The probe now
runs whenever the command serves, and the schema is made or upgraded in one transaction with the check of the
field and scheme, after the probe.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.inspect import db
from starclass.inspect.render import user_cache_root
from starclass.io.mosaic import write_mosaic
from webtools import free_port  # tests/ is on sys.path under pytest

pytest.importorskip("uvicorn")

SRC = Path(__file__).resolve().parents[1] / "src"
BROKEN = "libbroken.so.1: cannot open shared object file: No such file or directory"


def _field(tmp_path: Path) -> Path:
    """Two small mosaics and a catalogue of candidates 1 and 2."""
    field = tmp_path / "field"
    field.mkdir()
    rng = np.random.default_rng(0)
    for band, plam in (("f555w", 5308.0), ("f814w", 8040.0)):
        write_mosaic(field / f"f_{band}.fits", rng.normal(0.1, 0.01, (64, 64)).astype(np.float32), band, None,
                     photflam=1.9e-19, photplam=plam, exptime=400.0)
    (field / "candidates.csv").write_text("id,x,y\n1,20.0,30.0\n2,40.5,12.0\n")
    return field


def _database(path: Path, version: int) -> str:
    """A label database of schema ``version`` (1: as released, with one PHANGS label of candidate 1); its digest."""
    engine = db.make_engine(f"sqlite:///{path}")
    try:
        if version == 1:
            db.create_v1_schema(engine)
            md = db._v1_metadata()
            t0 = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC)
            with engine.begin() as conn:
                conn.execute(md.tables["users"].insert(), [{"id": 1, "name": "ann", "password_hash": "x",
                                                             "created_at": t0}])
                conn.execute(md.tables["labels"].insert(), [{"id": 1, "candidate_id": "1", "user_id": 1, "cls": 1,
                                                              "subclass_code": None, "created_at": t0}])
        else:
            db.init_db(engine)
    finally:
        engine.dispose()
    return _digest(path)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _version(path: Path) -> int | None:
    engine = db.make_engine(f"sqlite:///{path}", create=False)
    try:
        return db.current_version(engine)
    finally:
        engine.dispose()


def _serve_with_broken_uvicorn(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    fake = tmp_path / "fake"
    (fake / "uvicorn").mkdir(parents=True)
    (fake / "uvicorn" / "__init__.py").write_text(f"raise ImportError({BROKEN!r})\n")
    env = dict(os.environ, PYTHONPATH=f"{fake}{os.pathsep}{SRC}", OMP_NUM_THREADS="1")
    return subprocess.run([sys.executable, "-m", "starclass", "inspect", *args, "--port", str(free_port()),
                           "--no-prerender"], capture_output=True, text=True, env=env, timeout=180)


@pytest.mark.parametrize(("version", "init"), [(2, False), (1, False), (1, True)])
def test_a_broken_uvicorn_is_refused_before_any_line_and_any_upgrade(tmp_path, version, init):
    field = _field(tmp_path)
    dbfile = field / "inspect.sqlite"
    before = _database(dbfile, version)
    r = _serve_with_broken_uvicorn(tmp_path, str(field), *(["--init"] if init else []))
    said = " ".join(r.stderr.split())
    assert r.returncode == 2, (r.stdout, said)
    assert f"uvicorn is installed but fails to import (ImportError: {BROKEN})" in said, said
    assert "Traceback" not in said
    assert r.stdout == "", r.stdout  # no "no accounts yet", no "labels in ..."
    assert _digest(dbfile) == before and _version(dbfile) == version
    assert sorted(p.name for p in field.glob("inspect.sqlite*")) == ["inspect.sqlite"]
    # the field was read before the refusal: its picture folder was made then, and left behind empty
    assert not (field / ".inspect_cache").exists()


def test_a_broken_uvicorn_refuses_stamps_init_before_the_grey_note_and_leaves_nothing(tmp_path):
    """``--stamps LIST --task m31-real --init`` of RGB pictures (averaged to grey for a one-band task): the note
    saying so was printed on stdout, then the broken uvicorn refused, and ``.inspect_cache`` was left beside the
    list. The notes are said once nothing is left to refuse; the folder is made then."""
    from PIL import Image

    cut = tmp_path / "cut"
    cut.mkdir()
    rng = np.random.default_rng(0)
    rows = ["file,label"]
    for i, lab in enumerate(("cluster", "galaxy")):
        Image.fromarray(rng.integers(0, 255, (16, 16, 3)).astype(np.uint8)).save(cut / f"o{i}.png")
        rows.append(f"o{i}.png,{lab}")
    (cut / "labels.csv").write_text("\n".join(rows) + "\n")
    r = _serve_with_broken_uvicorn(tmp_path, "--stamps", str(cut / "labels.csv"), "--task", "m31-real", "--init")
    said = " ".join(r.stderr.split())
    assert r.returncode == 2, (r.stdout, said)
    assert "uvicorn is installed but fails to import" in said, said
    assert r.stdout == "", r.stdout
    assert sorted(p.name for p in cut.iterdir()) == ["labels.csv", "o0.png", "o1.png"]


@pytest.fixture()
def no_server(monkeypatch):
    """serve replaced by a no-op: a test that really served would hang."""
    import starclass.inspect.app as inspect_app

    monkeypatch.setattr(inspect_app, "serve", lambda *a, **k: None)


def test_an_older_database_refused_for_its_scheme_is_not_upgraded(tmp_path, no_server):
    field = _field(tmp_path)
    dbfile = field / "inspect.sqlite"
    before = _database(dbfile, 1)
    res = CliRunner().invoke(app, ["inspect", str(field), "--task", "m31-binary", "--port", str(free_port()),
                                   "--no-prerender"])
    assert res.exit_code == 2, (res.output, res.exception)
    said = " ".join(res.stderr.split())
    # its label of candidate 1, made before schemes were recorded, is a PHANGS label
    assert "are in label scheme phangs, not m31-check" in said, said
    assert res.stdout == "", res.stdout
    assert _digest(dbfile) == before and _version(dbfile) == 1
    assert not user_cache_root(field).exists()  # the pictures' folder is made once nothing is refused


def test_an_older_database_served_in_its_scheme_is_upgraded(tmp_path, no_server):
    # guard: the upgrade still happens where nothing is refused, and the label is kept
    field = _field(tmp_path)
    dbfile = field / "inspect.sqlite"
    _database(dbfile, 1)
    res = CliRunner().invoke(app, ["inspect", str(field), "--scheme", "phangs", "--port", str(free_port()),
                                   "--no-prerender"])
    assert res.exit_code == 0, (res.output, res.exception)
    assert f"labels in sqlite:///{dbfile} (schema version {db.SCHEMA_VERSION})" in res.stdout, res.stdout
    assert _version(dbfile) == db.SCHEMA_VERSION
    assert user_cache_root(field).is_dir()  # made once nothing was refused (in the user's cache)
    assert not (field / ".inspect_cache").exists()  # never beside the data
    engine = db.make_engine(f"sqlite:///{dbfile}", create=False)
    try:
        assert [(r.candidate_id, r.cls) for r in db.labels_of(engine, "")] == [("1", 1)]
    finally:
        engine.dispose()
