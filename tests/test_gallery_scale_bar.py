"""The Grad-CAM examples and the gallery of mistakes carry a scale bar in their first panel.

Until 2026-12-07 neither had an angular scale: a PAndAS cutout (24" at 0.187"/px) and a 3" HST stamp looked the same.
The first panel of each now has an ``AnchoredSizeBar`` (gid "scale_bar"): a round number of arcsec from the pixel
scale the model or the cutouts record, or pixels, saying the scale is not known. Read from the figure's artists:
its text and the bar's length in image pixels.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table

from starclass.report import figures as F


def _bars(ax):
    return [a for a in ax.artists if a.get_gid() == "scale_bar"]


def _read(bar) -> tuple[str, float]:
    """The bar's text and its length in data units (image pixels)."""
    rect = bar.size_bar.get_children()[0]
    return bar.txt_label.get_text(), float(rect.get_width())


@pytest.mark.parametrize("scale, width, text, length", [
    (0.187, 128, '5"', 5 / 0.187),        # a PAndAS cutout as the gallery draws it: 24" wide
    (0.374, 64, '5"', 5 / 0.374),         # the same at m31-real's 64 px inputs
    (0.04, 32, '0.2"', 0.2 / 0.04),       # an HST stamp of the demo: 1.28" wide
    (None, 128, "20 px (scale unknown)", 20.0),
])
def test_the_gallery_first_panel_has_the_bar_of_the_known_scale(scale, width, text, length):
    fig = F.fig_gallery(np.zeros((3, width, width)), ["a", "b", "c"], "most confident mistakes", pixel_scale=scale)
    first, *others = fig.axes
    (bar,) = _bars(first)
    got_text, got_length = _read(bar)
    assert got_text == text
    assert got_length == pytest.approx(length)
    assert got_length <= 0.25 * width + 1e-9  # a quarter of the cutout at most
    assert all(_bars(ax) == [] for ax in others)


def test_the_gradcam_first_example_has_the_bar():
    avg = {1: np.zeros((64, 64)), 2: np.ones((64, 64))}
    prof = {k: (np.arange(4.0), np.ones(4)) for k in avg}
    fig = F.fig_gradcam(np.zeros((4, 64, 64)), np.zeros((4, 64, 64)), ["pred cluster"] * 4, avg, prof, "Grad-CAM",
                        pixel_scale=0.374)
    with_bar = [ax for ax in fig.axes if _bars(ax)]
    assert with_bar == [fig.axes[0]]
    assert _read(_bars(fig.axes[0])[0]) == ('5"', pytest.approx(5 / 0.374))


def test_gradcam_without_a_scale_counts_pixels_and_says_so():
    avg = {1: np.zeros((32, 32))}
    prof = {1: (np.arange(4.0), np.ones(4))}
    fig = F.fig_gradcam(np.zeros((2, 32, 32)), np.zeros((2, 32, 32)), ["a", "b"], avg, prof, "Grad-CAM")
    assert _read(_bars(fig.axes[0])[0]) == ("5 px (scale unknown)", 5.0)


class _Inputs:
    """What gallery_pixel_scale reads of the report's Grad-CAM inputs: the per-input scale and the inputs."""

    def __init__(self, scale, size):
        self.pixel_scale, self.inputs = scale, np.zeros((1, 1, size, size), np.float32)


def test_gallery_scale_from_the_model_and_from_the_cutouts_wcs(tmp_path):
    from astropy.io import fits
    from astropy.wcs import WCS

    from starclass.io.cutout_folders import CutoutSet
    from starclass.report.build import gallery_pixel_scale

    pngs = CutoutSet(images=np.zeros((1, 1, 128, 128), np.float32), table=Table(), files=["a.png"], labels=None,
                     groups=np.array(["a"]), root=tmp_path)
    # m31-real: 0.374"/px at its 64 px inputs, the 128 px cutout drawn at 0.187"/px
    scale, said = gallery_pixel_scale(pngs, _Inputs(0.374, 64))
    assert scale == pytest.approx(0.187)
    assert "from the model's pixel scale" in said
    assert gallery_pixel_scale(pngs)[0] is None
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.cdelt = [-0.5 / 3600, 0.5 / 3600]
    fits.writeto(tmp_path / "b.fits", np.zeros((32, 32), np.float32), w.to_header())
    wcs = CutoutSet(images=np.zeros((1, 1, 32, 32), np.float32), table=Table(), files=["b.fits"], labels=None,
                    groups=np.array(["b"]), root=tmp_path)
    scale, said = gallery_pixel_scale(wcs, _Inputs(0.374, 64))  # the WCS first, whatever the model says
    assert scale == pytest.approx(0.5)
    assert "FITS WCS" in said
