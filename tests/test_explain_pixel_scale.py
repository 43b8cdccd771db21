"""``explain``'s radii in arcsec come from the cutouts' FITS WCS, not the task's nominal pixel scale.

The cool-core paper reads its CAMs as radial profiles (the cool cores decided from the centre out
to ~300 kpc). ``explain`` wrote ``radius_arcsec`` as the radius in input pixels times the task's
``pixel_scale`` whatever the cutouts were: ``galaxy-cluster`` says 1"/px where the seed simulator's
7' on 64 px is 6.6"/px, and ``cool-core`` 3.9"/px where a Chandra cutout of 256 px is 0.492"/px.
Each cutout is resampled over its whole field to ``stamp_size``, so an input pixel covers the
cutout's pixel scale times its width over ``stamp_size``; that is now used where the FITS cutouts
carry a WCS (recorded in ``explain.json``), the task's value otherwise.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from astropy.io import fits
from astropy.table import Table
from astropy.wcs import WCS
from typer.testing import CliRunner

from starclass.cli import app

pytestmark = pytest.mark.usefixtures("single_thread")


def _header(scale_arcsec: float) -> fits.Header:
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval = [150.0, 2.0]
    w.wcs.crpix = [12.5, 12.5]
    w.wcs.cdelt = [-scale_arcsec / 3600, scale_arcsec / 3600]
    return w.to_header()


@pytest.fixture(scope="module")
def model_and_cutouts(tmp_path_factory):
    """A cool-core-compact model (stamp_size 48) trained one epoch, and 24 px FITS counts cutouts at 0.492"/px."""
    from starclass.datasets.stamps import make_synthetic
    from starclass.learn.config import get_preset
    from starclass.learn.train import fit

    root = tmp_path_factory.mktemp("explain_scale")
    cfg = get_preset("cool-core-compact", stamp_size=48,
                     recipe={"epochs": 1, "batch_size": 12, "val_fraction": 0.25, "early_stopping_patience": None})
    toy = make_synthetic(cfg, 12, seed=0)
    fit(cfg, toy.inputs, toy.class_ref, outdir=root / "model", seed=0, progress=False, device="cpu")
    rng = np.random.default_rng(1)
    yy, xx = np.mgrid[:24, :24] - 11.5
    for name, head in (("wcs", _header(0.492)), ("bare", None)):
        (root / name).mkdir()
        lines = ["file,label"]
        for i in range(9):
            counts = rng.poisson(0.2 + 30 * np.exp(-0.5 * (xx ** 2 + yy ** 2) / (1.5 + i) ** 2)).astype(np.int32)
            fits.writeto(root / name / f"c{i}.fits", counts, head)
            lines.append(f"c{i}.fits,{1 + i % 3}")
        (root / name / "labels.csv").write_text("\n".join(lines) + "\n")
    return root


def _explain(root, folder, out):
    r = CliRunner().invoke(app, ["explain", str(root / "model"), str(root / folder / "labels.csv"), "-o", str(out),
                                 "--method", "gradcam", "--per-class", "1"])
    assert r.exit_code == 0, r.output
    return json.loads((out / "explain.json").read_text()), Table.read(out / "tables" / "profiles.ecsv")


def test_radii_in_arcsec_follow_the_cutouts_wcs(model_and_cutouts, tmp_path):
    info, prof = _explain(model_and_cutouts, "wcs", tmp_path / "ex")
    per_input = 0.492 * 24 / 48  # 24 px cutouts resampled to the model's 48 px stamps
    assert info["pixel_scale_arcsec"] == pytest.approx(per_input, rel=1e-6)
    assert "FITS WCS" in info["pixel_scale_from"]
    assert len(prof)
    np.testing.assert_allclose(prof["radius_arcsec"], prof["radius_px"] * per_input, rtol=1e-6)


def test_cutouts_without_a_wcs_keep_the_tasks_pixel_scale(model_and_cutouts, tmp_path):
    info, prof = _explain(model_and_cutouts, "bare", tmp_path / "ex")
    assert info["pixel_scale_arcsec"] == pytest.approx(3.9)  # cool-core's
    assert "task's pixel_scale" in info["pixel_scale_from"]
    np.testing.assert_allclose(prof["radius_arcsec"], prof["radius_px"] * 3.9, rtol=1e-6)
