"""``inspect`` never writes into the folder of its inputs: the picture cache goes to the user's cache.

``inspect --stamps LIST`` (and ``inspect DATA_DIR``) made ``.inspect_cache/`` beside the list (or in
DATA_DIR) and rendered every picture into it: serving the shared, read-only PAndAS cutouts wrote into
them. The cache is now ``$XDG_CACHE_HOME/starclass/inspect/<name>-<digest of the input's path>/``
(``render.user_cache_root``). Each test takes the listing of the input folder (names, sizes, times)
before, builds the cache and serves every picture through the app's test client, and compares. The
label database is given elsewhere (``--db``): its default place is beside the data, by design.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

with warnings.catch_warnings():  # the installed starlette warns about httpx at import
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from starclass.cli import app as cli
from starclass.datasets.labelling import make_demo_field
from starclass.inspect import db
from starclass.inspect.app import create_app, load_field
from starclass.inspect.cutouts import load_cutout_field, stamps_scheme
from starclass.inspect.render import KINDS
from starclass.learn.config import get_preset
from webtools import free_port  # tests/ is on sys.path under pytest

pytestmark = pytest.mark.usefixtures("cheap_argon2")  # accounts: cheap hashes (conftest.py)


def _user_cache_root(source: Path) -> Path:
    # imported here: the listing's assertion, not an ImportError, is what fails on the code before it
    from starclass.inspect.render import user_cache_root

    return user_cache_root(source)


def _listing(folder: Path) -> list[tuple[str, int, int]]:
    """Every file and folder under ``folder`` with its size and modification time."""
    return sorted((str(p.relative_to(folder)), p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*"))


def _cutouts(root: Path, n: int = 3) -> Path:
    root.mkdir(parents=True)
    rng = np.random.default_rng(0)
    rows = ["file,label"]
    for i in range(n):
        Image.fromarray(rng.integers(0, 255, (16, 16)).astype(np.uint8)).save(root / f"o{i}.png")
        rows.append(f"o{i}.png,{('cluster', 'galaxy')[i % 2]}")
    (root / "labels.csv").write_text("\n".join(rows) + "\n")
    return root / "labels.csv"


def _serve_every_picture(field, dbfile: Path, scheme=None) -> None:
    dbfile.parent.mkdir(parents=True, exist_ok=True)
    engine = db.make_engine(f"sqlite:///{dbfile}")
    db.init_db(engine)
    db.add_user(engine, "ann", "ann-password")
    try:
        c = TestClient(create_app(field, engine, scheme=scheme), raise_server_exceptions=False)
        c.get("/login")
        r = c.post("/api/login", json={"name": "ann", "password": "ann-password"},
                   headers={"X-CSRF-Token": c.cookies.get("sc_csrf")})
        assert r.status_code == 200, r.text
        for cid in field.ids:
            for kind in KINDS:
                got = c.get(f"/img/{cid}/{kind}.png")
                assert got.status_code == 200 and got.content[:4] == b"\x89PNG", (cid, kind, got.status_code)
    finally:
        engine.dispose()


def test_serving_a_cutout_list_leaves_its_folder_as_it_was(tmp_path):
    labels = _cutouts(tmp_path / "cutouts")
    before = _listing(labels.parent)
    cfg = get_preset("m31-real")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the cache's own place is writable: no "cached at ... instead"
        field = load_cutout_field(labels, cfg)
    _serve_every_picture(field, tmp_path / "db" / "labels.sqlite", scheme=stamps_scheme(cfg))
    assert _listing(labels.parent) == before
    assert field.cache.dir.is_relative_to(_user_cache_root(labels))
    assert Path(os.environ["XDG_CACHE_HOME"]) in field.cache.dir.parents
    assert len(list(field.cache.dir.glob("*.png"))) == 3 * len(KINDS)  # the pictures were made, there


def test_serving_a_data_folder_leaves_it_as_it_was(tmp_path):
    d = Path(make_demo_field(tmp_path / "field", n=4, size=120, seed=1))
    before = _listing(d)
    field = load_field(d)
    _serve_every_picture(field, tmp_path / "db" / "labels.sqlite")
    assert _listing(d) == before
    assert field.cache.dir.is_relative_to(_user_cache_root(d))


def test_the_inspect_command_with_stamps_and_db_elsewhere_writes_nothing_beside_the_list(tmp_path, monkeypatch):
    """The command as the PAndAS walk ran it (``--stamps LIST --task m31-real --db ... --init``), served by a no-op:
    it made ``.inspect_cache/`` (and, prerendering, its pictures) beside the list."""
    import starclass.inspect.app as inspect_app

    served = []
    monkeypatch.setattr(inspect_app, "serve", lambda field, *a, **k: served.append(field))
    labels = _cutouts(tmp_path / "cutouts")
    before = _listing(labels.parent)
    dbfile = tmp_path / "db" / "labels.sqlite"
    dbfile.parent.mkdir()
    res = CliRunner().invoke(cli, ["inspect", "--stamps", str(labels), "--task", "m31-real", "--init",
                                   "--db", f"sqlite:///{dbfile}", "--port", str(free_port())])
    assert res.exit_code == 0, (res.output, res.exception)
    assert served and served[0].cache.dir.is_dir()  # the command made the pictures' folder ...
    assert _listing(labels.parent) == before  # ... not beside the list
    assert served[0].cache.dir.is_relative_to(_user_cache_root(labels))
