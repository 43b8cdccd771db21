"""The colour-colour track is read from an AB table (``..._HST_AB.txt``) and drawn beside Vega
photometry (LEGUS, PHANGS): the model must be put on Vega, and the track's name must say so.

Before 2026-12-07 the model was converted, but ``evaluate`` and the report named the track
``(yggdrasil_..._HST_AB.txt, AB magnitudes)`` beside a Vega catalogue, which reads as a system
mismatch. The offsets here are computed by hand from the STScI WFC3/UVIS infinite-aperture
zeropoints (2012-03-06 table): AB - Vega = ZP_AB - ZP_Vega.
"""
from __future__ import annotations

import numpy as np

from starclass.science.ssp import load_ssp, ssp_label, ssp_track

# STScI WFC3/UVIS zeropoints (ABmag, VEGAmag), infinite aperture, table in use from 2012-03-06
F336W_AB_MINUS_VEGA = 24.6682 - 23.4836  # 1.1846
F814W_AB_MINUS_VEGA = 25.0985 - 24.6803  # 0.4182
CAMERAS = {"f336w": "WFC3/UVIS", "f438w": "WFC3/UVIS", "f555w": "WFC3/UVIS", "f814w": "WFC3/UVIS"}


def _raw_ab(path: str) -> dict[str, np.ndarray]:
    """The model file's own AB columns, read without starclass."""
    with open(path) as fh:
        header = fh.readline().split()
    data = np.loadtxt(path, skiprows=1)
    data = data[data[:, 0] == 0.0]  # the file holds many redshifts; load_ssp's default is redshift 0
    return {name.lower(): data[:, i] for i, name in enumerate(header)}


def test_ab_model_is_put_on_vega_with_hand_computed_offsets():
    ssp = load_ssp(cameras=CAMERAS)
    raw = _raw_ab(ssp.meta["file"])
    assert ssp.meta["magsys"] == "ab"
    # load_ssp keeps a subset of the file's ages: pair its rows with the file's by age
    rows = np.searchsorted(raw["age(yr)"], np.asarray(ssp["age"].value))
    np.testing.assert_allclose(raw["age(yr)"][rows], np.asarray(ssp["age"].value))
    np.testing.assert_allclose(np.asarray(ssp["mag_f336w"]), raw["f336w"][rows] - F336W_AB_MINUS_VEGA, atol=1e-6)
    np.testing.assert_allclose(np.asarray(ssp["mag_f814w"]), raw["f814w"][rows] - F814W_AB_MINUS_VEGA, atol=1e-6)


def test_track_label_says_the_ab_table_was_put_on_vega_and_by_how_much():
    track = ssp_track(["f336w", "f438w", "f555w", "f814w"], cameras=CAMERAS)
    label = ssp_label(track.meta)
    assert "_HST_AB.txt" in label
    # not a bare "AB magnitudes)" beside Vega photometry: the conversion and its offsets are named
    assert not label.endswith("AB magnitudes)")
    assert "put on Vega" in label and "STScI zeropoints" in label
    assert f"f336w {F336W_AB_MINUS_VEGA:+.4f}" in label
    assert f"f814w {F814W_AB_MINUS_VEGA:+.4f}" in label
