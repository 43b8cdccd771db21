"""``inspect --stamps LIST --rgb z,r,g`` names the planes of FITS cubes by the bands their headers give them.

A Legacy Survey cutout is one ``(3, H, W)`` cube with ``BAND0 = 'g'``... Until 2026-12-05 ``--rgb`` on
such cubes was refused: "--rgb names three file_<band> bands; these cutouts have one file per row",
although the page already read the names to order the composite's colours.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.io import fits
from PIL import Image
from typer.testing import CliRunner

from starclass.cli import app as cli
from starclass.errors import StarclassError
from starclass.learn.config import get_preset

SIZE = 16


def _cubes(root, n: int = 3, named: bool = True):
    root.mkdir(parents=True, exist_ok=True)
    rows = ["file,label"]
    rng = np.random.default_rng(0)
    for i in range(n):
        cube = rng.normal(1.0, 0.01, (3, SIZE, SIZE)).astype(np.float32)
        header = fits.Header({"BAND0": "g", "BAND1": "r", "BAND2": "z"}) if named else None
        fits.writeto(root / f"o{i}.fits", cube, header)
        rows.append(f"o{i}.fits,cluster")
    (root / "labels.csv").write_text("\n".join(rows) + "\n")
    return root / "labels.csv"


def test_rgb_names_a_cubes_planes_by_their_header_bands(tmp_path):
    pytest.importorskip("fastapi")
    from starclass.inspect.cutouts import cutout_cache, read_cutout_list

    lst = read_cutout_list(_cubes(tmp_path / "data"), get_preset("m31-real"))
    cache = cutout_cache(lst, tmp_path / "cache", rgb=("g", "r", "z"))  # against the default z red
    assert cache.colour == (0, 1, 2) and cache.settings.rgb == ("g", "r", "z")
    cache = cutout_cache(lst, tmp_path / "cache", rgb=("Z", "R", "G"))
    assert cache.colour == (2, 1, 0)
    with pytest.raises(StarclassError, match=r"--rgb: no band i among the cubes' planes g, r, z"):
        cutout_cache(lst, tmp_path / "cache", rgb=("i", "r", "g"))


def test_inspect_stamps_rgb_on_cubes_serves_and_on_pictures_says_what_to_do(tmp_path, monkeypatch):
    pytest.importorskip("fastapi")
    from starclass.inspect import app as app_module

    monkeypatch.setenv("STARCLASS_INSPECT_PASSWORD", "ann-password")
    monkeypatch.setattr(app_module, "serve", lambda *a, **k: print("SERVING"))  # serving would block the test
    runner = CliRunner()

    def inspect(labels, rgb, db):
        return runner.invoke(cli, ["inspect", "--stamps", str(labels), "--task", "m31-real", "--init", "--rgb", rgb,
                                   "--db", f"sqlite:///{tmp_path / db}", "--no-prerender"])

    res = inspect(_cubes(tmp_path / "cubes"), "z,r,g", "a.sqlite")
    assert res.exit_code == 0 and "SERVING" in res.output, res.output
    # RGB pictures: no band names to give; the message says so and what to do, not "one file per row"
    (tmp_path / "pics").mkdir()
    for i in range(2):
        Image.fromarray(np.full((SIZE, SIZE, 3), 40 * i, np.uint8)).save(tmp_path / "pics" / f"p{i}.png")
    (tmp_path / "pics" / "labels.csv").write_text("file,label\np0.png,cluster\np1.png,galaxy\n")
    res = inspect(tmp_path / "pics" / "labels.csv", "z,r,g", "b.sqlite")
    assert res.exit_code == 2, res.output
    assert "one file per row" not in res.output
    assert "these cutouts have 3 planes that no FITS header names" in res.output and "leave --rgb out" in res.output
