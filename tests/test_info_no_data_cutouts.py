"""``info`` names the cutouts partly without data (NaN chip edges) before training (issue 12: other people's data).

FITS cutouts cut at a chip's edge hold NaN beyond it. ``classify --stamps`` counts each one's share
(``stamp_no_data``) and leaves one whose centre pixel is NaN unclassified, but until 2026-12-06 ``info`` said
nothing of them: a folder of 101 px FITS cutouts, 56 of 120 with NaN edges, was described by its size,
labels and pixel range only.
"""

from __future__ import annotations

import numpy as np
from astropy.io import fits
from typer.testing import CliRunner

from starclass.cli import app


def test_info_counts_cutouts_with_nan_and_those_without_data_at_the_centre(tmp_path):
    rng = np.random.default_rng(2)
    for lab in ("Globular Cluster", "background galaxy"):
        (tmp_path / lab).mkdir()
    for i in range(6):
        a = rng.normal(100.0, 5.0, (21, 21)).astype(np.float32)
        if i < 2:
            a[:, :4] = np.nan  # a chip edge: 4 of 21 columns
        if i == 2:
            a[:, 8:] = np.nan  # the object's own pixel (10, 10) beyond the edge
        lab = "Globular Cluster" if i % 2 == 0 else "background galaxy"
        fits.PrimaryHDU(a).writeto(tmp_path / lab / f"c{i}.fits")
    res = CliRunner().invoke(app, ["info", str(tmp_path)])
    said = " ".join(res.output.split())
    assert res.exit_code == 0, res.output
    assert "images partly without data (NaN, or zero exposure): 3 (" in said, said
    assert "Globular Cluster/c0.fits 19%" in said and "Globular Cluster/c2.fits 62%" in said
    assert "up to 62% of the pixels" in said
    assert "1 without data at the centre pixel, which classify leaves unclassified" in said


def test_info_says_nothing_of_cutouts_with_data_everywhere(tmp_path):
    for lab in ("cluster", "galaxy"):
        (tmp_path / lab).mkdir()
        np.save(tmp_path / lab / "a.npy", np.ones((16, 16), np.float32) + (lab == "cluster"))
    res = CliRunner().invoke(app, ["info", str(tmp_path)])
    assert res.exit_code == 0 and "without data" not in res.output, res.output
