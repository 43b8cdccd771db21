"""Survey tiles cut stamps as classify does: a given position on a drizzled mosaic's padding has no usable stamp."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from starclass.io.mosaic import read_mosaics, write_mosaic
from starclass.stamps import make_inputs
from starclass.survey.tiles import MosaicWindow

BANDS = {"f555w": (1.9e-19, 5308.0), "f814w": (1.5e-19, 8040.0)}


def _field(folder, *, weight: bool):
    rng = np.random.default_rng(2)
    for band, (flam, plam) in BANDS.items():
        data = rng.normal(1.0, 0.1, (96, 96)).astype(np.float32)
        data[:, :40] = 0.0  # drizzle's padding: no exposure there
        wht = np.where(data != 0, 400.0, 0.0).astype(np.float32)
        write_mosaic(folder / f"g_{band}_drc.fits", data, band, None, photflam=flam, photplam=plam,
                     weight=wht if weight else None)
    return read_mosaics(folder)


@pytest.mark.parametrize("weight", [True, False])
def test_tile_stamps_leave_out_the_padding_as_the_whole_mosaic_does(tmp_path, weight):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the padding's note without a weight map
        ms = _field(tmp_path, weight=weight)
        x, y = np.array([10.0, 70.0]), np.array([50.0, 50.0])  # in the padding, in the data
        config = dict(bands=list(BANDS), stamp_size=8, scales=[1.0], input_size=8, normalisation="zscore")
        _, whole_ok = make_inputs(ms, x, y, config)
        window = MosaicWindow(ms, (0, 96, 16, 80))  # x0, x1, y0, y1: a tile holding both
        _, tile_ok = make_inputs(window, x, y - 16, config)
    assert whole_ok.tolist() == [False, True]
    # the old tiles had no weight maps: the padding's zeros were cut as data and classified
    assert tile_ok.tolist() == whole_ok.tolist()


def test_a_blank_band_is_not_masked_window_by_window(tmp_path):
    rng = np.random.default_rng(4)
    for band, (flam, plam) in BANDS.items():
        data = rng.normal(1.0, 0.1, (96, 96)).astype(np.float32) if band == "f555w" else np.zeros((96, 96), "f4")
        write_mosaic(tmp_path / f"g_{band}_drc.fits", data, band, None, photflam=flam, photplam=plam)
    ms = read_mosaics(tmp_path)
    window = MosaicWindow(ms, (0, 64, 16, 80))
    # the whole image names the band constant (f951746); the old tiles read each window of it as padding
    # (a survey's worker computes only its windows: these come first, before a whole-image mask is cached)
    assert window.weights["f814w"] is None
    assert not window.mask("f814w").any()
    assert not ms.mask("f814w").any()
    assert ms.blank("f814w") and not ms.blank("f555w")
    with pytest.warns(UserWarning, match="band f814w.*constant"):
        from starclass.detect import detect

        detect(window, progress=False)
