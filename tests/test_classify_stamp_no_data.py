"""Candidates classified on stamps that reach a drizzled mosaic's NaN border are flagged and counted.

A candidate beside the NaN (or zero-weight) padding of an HST drizzled mosaic has its own pixel on
data, so it is classified, but part of its stamp is filled with the normalised background. Before,
`classify` said nothing of it: on a 512 px HST-like field with a rotated footprint, 68 of 321
classified candidates had such stamps (up to 54% of the input pixels filled) and nothing in the
output or the catalogue told them from the others. Now a `stamp_no_data` column holds the share of
each classified candidate's input pixels that are fill (NaN for unclassified rows), the meta counts
them (`n_stamp_no_data`) and the command prints one line with the count.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from astropy.wcs import WCS
from typer.testing import CliRunner

from starclass.bands import BANDS
from starclass.cli import app
from starclass.datasets.stamps import make_synthetic_field
from starclass.io.catalog import read_catalog, write_catalog
from starclass.io.mosaic import write_mosaic
from starclass.learn.classify import classify
from starclass.learn.config import get_preset
from starclass.learn.train import fit
from starclass.stamps import make_inputs

BANDS_USED = ["f555w", "f814w"]
BORDER = 16  # columns 0-15 are NaN (outside the footprint)
runner = CliRunner()


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    """A compact model with one 16 px scale, trained for one epoch on a synthetic field."""
    cfg = get_preset("legus4-compact", bands=BANDS_USED, stamp_size=16, scales=[1.0],
                     recipe={"epochs": 1, "batch_size": 32, "val_fraction": 0.0})
    images, table = make_synthetic_field(cfg, 32, seed=3)
    inputs, _ = make_inputs(images, table["x"], table["y"], cfg)
    out = tmp_path_factory.mktemp("model")
    fit(cfg, inputs, np.asarray(table["class_ref"]), outdir=out, seed=1, progress=False, device="cpu")
    return out


def _images(n: int = 64) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[:n, :n]
    out = {}
    for b in BANDS_USED:
        img = rng.normal(0.0, 0.02, (n, n))
        for x0, y0 in ((20, 30), (44, 30)):
            img += 5.0 * np.exp(-((xx - x0) ** 2 + (yy - y0) ** 2) / 3.0)
        img[:, :BORDER] = np.nan
        out[b] = img.astype(np.float32)
    return out


# x = 20: stamp columns 12-27, of which 12-15 are NaN: 4 of 16 = 0.25; x = 44: none; x = 5: its own pixel NaN
CANDIDATES = Table({"id": [1, 2, 3], "x": [20.0, 44.0, 5.0], "y": [30.0, 30.0, 30.0]})


def test_classify_writes_the_share_of_filled_input_pixels(model):
    with pytest.warns(UserWarning, match="1 of 3 candidates has no usable stamp"):
        out = classify(_images(), CANDIDATES, model, progress=False, device="cpu")
    assert list(out["class_pred"][:2] > 0) == [True, True] and out["class_pred"][2] == 0
    frac = np.asarray(out["stamp_no_data"], dtype=float)  # the old code: no such column (KeyError)
    assert frac[0] == pytest.approx(4 / 16) and frac[1] == 0.0 and np.isnan(frac[2])
    assert out.meta["n_stamp_no_data"] == 1 and out.meta["n_unclassified"] == 1


def test_classify_command_counts_them_and_writes_the_column(model, tmp_path):
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval, w.wcs.crpix = [65.0, -54.9], [32.5, 32.5]
    w.wcs.cd = np.array([[-0.04, 0.0], [0.0, 0.04]]) / 3600
    (tmp_path / "field").mkdir()
    for b, img in _images().items():
        write_mosaic(tmp_path / "field" / f"m_{b}_drc.fits", img, b, w, photflam=BANDS[b].photflam,
                     photplam=BANDS[b].photplam)
    write_catalog(CANDIDATES, tmp_path / "c.ecsv")
    r = runner.invoke(app, ["classify", str(tmp_path / "field"), "--catalog", str(tmp_path / "c.ecsv"),
                            "--model", str(model), "-o", str(tmp_path / "out.ecsv"), "--no-progress"])
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.split())
    assert "1 of the 2 classified candidates has a stamp partly without data" in text  # said nothing before
    assert "up to 25% of the input pixels" in text
    back = read_catalog(tmp_path / "out.ecsv")
    assert np.asarray(back["stamp_no_data"], dtype=float)[:2].tolist() == [0.25, 0.0]
