"""The labelling page draws both images of a two-band cutout list (X-ray and optical) in one picture.

The galaxy-cluster paper's volunteers judged each candidate on its X-ray image and its optical
plate. ``inspect --stamps`` of a ``file_xray``, ``file_optical`` list drew the X-ray image alone in
grey: the optical plate was never shown, so a labeller could not tell a cluster's member galaxies
from an empty field. The composite now shows the first band red and the second cyan (green and
blue; white where both are bright), the caption says which is which, and the stamp canvas and
profile stay on the first band.
"""

from __future__ import annotations

import io
import warnings

import numpy as np
import pytest
from astropy.io import fits
from PIL import Image

with warnings.catch_warnings():  # the installed starlette warns about httpx at import
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from starclass.inspect import db
from starclass.inspect.app import create_app
from starclass.inspect.cutouts import load_cutout_field, stamps_scheme
from starclass.learn.config import get_preset

pytestmark = pytest.mark.usefixtures("cheap_argon2")  # many accounts: cheap hashes (conftest.py)


def _folder(root):
    """X-ray counts bright on the left half, the optical plate bright on the right half."""
    root.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    rows = ["file_xray,file_optical,label"]
    for i in range(3):
        xray = rng.poisson(0.2, (24, 24)).astype(np.int32)
        xray[:, :8] += 40
        plate = rng.normal(100, 2, (24, 24)).astype(np.float32)
        plate[:, 16:] += 2000
        fits.writeto(root / f"x{i}.fits", xray)
        fits.writeto(root / f"o{i}.fits", plate)
        rows.append(f"x{i}.fits,o{i}.fits,{1 + i % 2}")
    (root / "labels.csv").write_text("\n".join(rows) + "\n")
    return root / "labels.csv"


def test_the_composite_shows_the_xray_red_and_the_optical_cyan(tmp_path):
    field = load_cutout_field(_folder(tmp_path / "gc"), get_preset("galaxy-cluster"), cache_dir=tmp_path / "c")
    rgb = np.asarray(Image.open(io.BytesIO(field.cache.get(0, "composite"))).convert("RGB")).astype(int)
    w = rgb.shape[1]
    left, right = rgb[:, : w * 6 // 24].reshape(-1, 3).mean(0), rgb[:, w * 18 // 24:].reshape(-1, 3).mean(0)
    assert left[0] > 150 and left[1] < 60 and left[2] < 60  # the X-ray source: red
    assert right[0] < 60 and right[1] > 150 and right[2] > 150  # the plate's light: cyan
    assert field.cache.grey == 0  # the stamp canvas and the profile: the X-ray band


def test_the_page_caption_names_the_colours(tmp_path):
    cfg = get_preset("galaxy-cluster")
    field = load_cutout_field(_folder(tmp_path / "gc"), cfg, cache_dir=tmp_path / "c")
    engine = db.make_engine(f"sqlite:///{tmp_path / 'a.sqlite'}")
    db.init_db(engine)
    db.add_user(engine, "ann", "ann-password")
    c = TestClient(create_app(field, engine, scheme=stamps_scheme(cfg)))
    c.get("/login")
    r = c.post("/api/login", json={"name": "ann", "password": "ann-password"},
               headers={"X-CSRF-Token": c.cookies.get("sc_csrf")})
    assert r.status_code == 200, r.text
    assert "XRAY red, OPTICAL cyan" in c.get("/").text
