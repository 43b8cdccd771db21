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


def test_a_headers_sixteen_digit_scale_gives_the_scale_not_its_last_digit_noise(tmp_path):
    """simulate writes PC 0.0021666666666667 deg (7.8"/px): a 128 px cutout read at 256 px was 3.90000000000006"/px
    in explain.json and 1.95000000000003 in profiles.ecsv's radius_arcsec."""
    from starclass.io.cutout_folders import CutoutSet
    from starclass.science.gradcam import cutout_pixel_scale

    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.pc = [[-0.0021666666666667, 0], [0, 0.0021666666666667]]
    fits.writeto(tmp_path / "a.fits", np.zeros((128, 128), np.float32), w.to_header())
    cut = CutoutSet(images=np.zeros((1, 1, 128, 128), np.float32), table=Table(), files=["a.fits"], labels=None,
                    groups=np.array(["a"]), root=tmp_path)
    scale, note = cutout_pixel_scale(cut, 256)
    assert repr(scale) == "3.9", scale
    assert repr(scale * 0.5) == "1.95"  # the first ring's radius
    assert "7.8\"/px over 128 px, resampled to 256 px (3.9\"/px)" in note


def test_the_profiles_radii_in_arcsec_carry_no_product_noise():
    """radius_arcsec was radius_px times the scale as a float product: 1.5 px at 0.2"/px gave 0.30000000000000004."""
    import torch.nn as nn

    from starclass.explain.run import explain_inputs

    net = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(2 * 8 * 8, 2)).eval()
    x = np.random.default_rng(0).normal(size=(4, 1, 8, 8)).astype("float32")
    res = explain_inputs(net, x, np.array([1, 2, 1, 2]), [1, 2], methods=("gradcam",), min_size=1, pixel_scale=0.2)
    radii = res.profiles["radius_arcsec"]
    assert len(radii) and 0.3 in list(radii)
    assert all(repr(float(r)) == repr(round(float(r), 6)) for r in radii), list(radii)
