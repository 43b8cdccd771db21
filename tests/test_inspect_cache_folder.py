"""The picture cache of ``inspect`` where its folder cannot be written.

The pictures went beside the data (``.inspect_cache``); serving a folder that cannot be written (a
shared, read-only copy of the PAndAS cutouts, with ``--db`` elsewhere) stopped ``inspect`` with a
traceback from ``mkdir``. They now go to the user's cache, never beside the data
(tests/test_inspect_inputs_never_written.py); a cache folder given (``cache_dir``) that cannot be
written still falls back to the user's cache. The tests block the cache's place with a file of its
name, which fails the same ``mkdir`` (``NotADirectoryError``) for every user, root included (a
read-only folder does not stop root, who runs these tests on the shared machine).
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
    return _picture_response(field, tmp_path, cid, scheme).status_code


def _picture_response(field, tmp_path: Path, cid: str, scheme=None):
    """A logged-in request for the candidate's composite picture, answered as the server would (500 on an error
    the app does not handle, not the exception)."""
    engine = db.make_engine(f"sqlite:///{tmp_path / 'labels.sqlite'}")
    db.init_db(engine)
    db.add_user(engine, "ann", "ann-password")
    c = TestClient(create_app(field, engine, scheme=scheme), raise_server_exceptions=False)
    c.get("/login")
    r = c.post("/api/login", json={"name": "ann", "password": "ann-password"},
               headers={"X-CSRF-Token": c.cookies.get("sc_csrf")})
    assert r.status_code == 200, r.text
    got = c.get(f"/img/{cid}/composite.png")
    engine.dispose()
    return got


def test_cutouts_with_a_cache_folder_that_cannot_be_written_are_cached_in_the_users_cache(tmp_path):
    labels = _cutouts(tmp_path / "data")
    blocked = tmp_path / "pictures"
    blocked.write_text("not a folder")  # the cache's place cannot be made
    cfg = get_preset("m31-real")
    with pytest.warns(UserWarning, match=r"the pictures cannot be cached at .*pictures.* they are cached "
                                         r"at .*xdg.starclass.inspect"):
        field = load_cutout_field(labels, cfg, cache_dir=blocked)
    assert field.cache.dir.is_relative_to(tmp_path / "xdg" / "starclass" / "inspect")
    assert _picture(field, tmp_path, "o0.png", scheme=stamps_scheme(cfg)) == 200
    assert any(field.cache.dir.glob("*composite.png"))
    assert blocked.read_text() == "not a folder"  # left as it was


def test_a_mosaic_field_with_a_cache_folder_that_cannot_be_written_is_cached_in_the_users_cache(tmp_path):
    d = make_demo_field(tmp_path / "field", n=4, size=120, seed=1)
    (tmp_path / "pictures").write_text("")
    with pytest.warns(UserWarning, match="the pictures cannot be cached at"):
        field = load_field(d, cache_dir=tmp_path / "pictures")
    assert field.cache.dir.is_relative_to(tmp_path / "xdg")
    assert _picture(field, tmp_path, field.ids[0]) == 200


def test_neither_folder_writable_is_an_error_naming_both(tmp_path, monkeypatch):
    from starclass.inspect.render import cache_folder

    (tmp_path / "blocked").write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "blocked"))  # a file: nothing can be made under it
    with pytest.raises(StarclassError, match=r"cannot be cached at .*data.* nor at .*blocked.*set XDG_CACHE_HOME"):
        cache_folder(tmp_path / "blocked" / "data" / "x")


#: Probes the cache folder of argv[1] with a kill -9 at the first moment a file stands in it (an audit
#: hook runs at every os.open, unlink, listdir...: wherever the probe may be killed), then prints the folder.
KILL_WHILE_PROBING = r"""
import os, signal, sys
from pathlib import Path
folder = Path(sys.argv[1])
busy = False
def hook(event, args):
    global busy
    if busy or not folder.is_dir():
        return
    busy = True
    names = os.listdir(folder)
    if names:
        os.kill(os.getpid(), signal.SIGKILL)
    busy = False
from starclass.inspect.render import cache_folder
sys.addaudithook(hook)
print(cache_folder(folder))
"""


def test_probing_the_cache_folder_leaves_nothing_there_whenever_it_is_killed(tmp_path):
    """Whether the cache folder can be written was tested with a named file (``.write-test-XXXXXXXX``) made
    and removed: a kill between the two left it in the user's data folder's ``.inspect_cache`` for good. The
    probe's file has no name now (``O_TMPFILE``), so no moment of the probe has a file there to leave."""
    import subprocess
    import sys

    import starclass

    folder = tmp_path / "data" / ".inspect_cache" / "abc"
    env = {**__import__("os").environ, "PYTHONPATH": str(Path(starclass.__file__).parents[1])}
    r = subprocess.run([sys.executable, "-c", KILL_WHILE_PROBING, str(folder)], env=env, capture_output=True,
                       text=True, timeout=120)
    assert sorted(p.name for p in folder.iterdir()) == [], "left in the cache folder"
    assert r.returncode == 0 and r.stdout.strip() == str(folder), r.stderr


def test_where_no_unnamed_file_can_be_made_the_folder_is_asked_and_refused_naming_it(tmp_path, monkeypatch):
    """Without ``O_TMPFILE`` (another system, a file system without it) ``os.access`` decides, and a folder
    it says cannot be written is left for the user's cache with the warning naming both, as before."""
    import os

    from starclass.inspect import render

    monkeypatch.delattr(os, "O_TMPFILE", raising=False)
    asked = []
    monkeypatch.setattr(os, "access", lambda p, mode: asked.append(Path(p)) or Path(p).is_relative_to(tmp_path / "xdg"))
    data = tmp_path / "data" / ".inspect_cache" / "abc"
    with pytest.warns(UserWarning, match=r"cannot be cached at .*data.\.inspect_cache.abc \(Permission denied\): "
                                         r"they are cached at .*xdg"):
        got = render.cache_folder(data)
    assert got.is_relative_to(tmp_path / "xdg") and asked[0] == data
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


@pytest.mark.parametrize("fails", ["temporary", "write"])
def test_a_picture_whose_write_fails_where_os_access_said_yes_answers_400_naming_the_file(tmp_path, monkeypatch,
                                                                                         fails):
    """Without O_TMPFILE the cache folder is checked with os.access, which may say yes where writes fail all the
    same (a full disk, a quota, root on a network file system). A temporary that could not be made was already
    named; a write that failed (ENOSPC) answered the picture's request 500 'Internal Server Error' with a
    traceback in the server's log. Both answer 400 'cannot write <the picture>.png: <why>', nothing left."""
    import errno
    import os
    import tempfile

    monkeypatch.delattr(os, "O_TMPFILE", raising=False)
    monkeypatch.setattr(os, "access", lambda path, mode: True)
    field = load_field(make_demo_field(tmp_path / "field", n=4, size=120, seed=1, predictions=False))
    assert field.cache.dir.is_relative_to(tmp_path / "xdg")  # the folder passed its check
    if fails == "temporary":
        def refused(*args, **kwargs):
            raise PermissionError(errno.EACCES, "Permission denied")

        monkeypatch.setattr(tempfile, "mkstemp", refused)
        why = "Permission denied"
    else:
        real = Path.write_bytes

        def disk_full(self, data):
            if self.parent == field.cache.dir:
                raise OSError(errno.ENOSPC, "No space left on device")
            return real(self, data)

        monkeypatch.setattr(Path, "write_bytes", disk_full)
        why = "No space left on device"
    r = _picture_response(field, tmp_path, field.ids[0])
    assert r.status_code == 400, (r.status_code, r.text)
    assert r.json()["detail"] == f"cannot write {field.cache.path(0, 'composite')}: {why}"
    assert list(field.cache.dir.iterdir()) == []  # no picture, no temporary
