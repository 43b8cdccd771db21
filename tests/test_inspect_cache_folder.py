"""The picture cache of ``inspect`` where the data folder cannot be written.

The pictures go beside the data (``.inspect_cache``). Serving a folder that cannot be written (a
shared, read-only copy of the PAndAS cutouts, with ``--db`` elsewhere) stopped ``inspect`` with a
traceback from ``mkdir``. The tests block the cache's place with a file of its name, which fails
the same ``mkdir`` (``NotADirectoryError``) for every user, root included (a read-only folder does
not stop root, who runs these tests on the shared machine).
"""

import warnings
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

with warnings.catch_warnings():  # the installed starlette warns about httpx at import
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from starclass.datasets.labelling import make_demo_field
from starclass.errors import StarclassError
from starclass.inspect import db
from starclass.inspect.app import create_app, load_field
from starclass.inspect.cutouts import load_cutout_field, stamps_scheme
from starclass.learn.config import get_preset

pytestmark = pytest.mark.usefixtures("cheap_argon2")  # accounts: cheap hashes (conftest.py)


@pytest.fixture(autouse=True)
def _user_cache(tmp_path, monkeypatch):
    """The user's cache in the test's folder, not in ~/.cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))


def _cutouts(root: Path) -> Path:
    root.mkdir(parents=True)
    rng = np.random.default_rng(0)
    rows = ["file,label,object_id"]
    for i, lab in enumerate(("cluster", "galaxy")):
        Image.fromarray(rng.integers(0, 255, (16, 16)).astype(np.uint8)).save(root / f"o{i}.png")
        rows.append(f"o{i}.png,{lab},obj{i}")
    (root / "labels.csv").write_text("\n".join(rows) + "\n")
    return root / "labels.csv"


def _picture(field, tmp_path: Path, cid: str, scheme=None) -> int:
    """The status of a logged-in request for the candidate's composite picture."""
    engine = db.make_engine(f"sqlite:///{tmp_path / 'labels.sqlite'}")
    db.init_db(engine)
    db.add_user(engine, "ann", "ann-password")
    c = TestClient(create_app(field, engine, scheme=scheme))
    c.get("/login")
    r = c.post("/api/login", json={"name": "ann", "password": "ann-password"},
               headers={"X-CSRF-Token": c.cookies.get("sc_csrf")})
    assert r.status_code == 200, r.text
    code = c.get(f"/img/{cid}/composite.png").status_code
    engine.dispose()
    return code


def test_cutouts_beside_a_folder_that_cannot_be_written_are_cached_in_the_users_cache(tmp_path):
    labels = _cutouts(tmp_path / "data")
    (labels.parent / ".inspect_cache").write_text("not a folder")  # the cache's place cannot be made
    cfg = get_preset("m31-real")
    with pytest.warns(UserWarning, match=r"the pictures cannot be cached at .*\.inspect_cache.* they are cached "
                                         r"at .*xdg.starclass.inspect"):
        field = load_cutout_field(labels, cfg)
    assert field.cache.dir.is_relative_to(tmp_path / "xdg" / "starclass" / "inspect")
    assert _picture(field, tmp_path, "o0.png", scheme=stamps_scheme(cfg)) == 200
    assert any(field.cache.dir.glob("*composite.png"))
    assert (labels.parent / ".inspect_cache").read_text() == "not a folder"  # the data folder is left as it was


def test_a_mosaic_field_that_cannot_be_written_is_cached_in_the_users_cache(tmp_path):
    d = make_demo_field(tmp_path / "field", n=4, size=120, seed=1)
    (Path(d) / ".inspect_cache").write_text("")
    with pytest.warns(UserWarning, match="the pictures cannot be cached at"):
        field = load_field(d)
    assert field.cache.dir.is_relative_to(tmp_path / "xdg")
    assert _picture(field, tmp_path, field.ids[0]) == 200


def test_neither_folder_writable_is_an_error_naming_both(tmp_path, monkeypatch):
    from starclass.inspect.render import cache_folder

    (tmp_path / "blocked").write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "blocked"))  # a file: nothing can be made under it
    with pytest.raises(StarclassError, match=r"cannot be cached at .*data.* nor at .*blocked"):
        cache_folder(tmp_path / "blocked" / "data" / "x")
