"""The Mosaics protocol: both implementations satisfy it, and it rejects what lacks a part."""

from __future__ import annotations

import numpy as np

import starclass.detect
from starclass.io import ArrayMosaics, Mosaics, MosaicSet, read_mosaics
from starclass.io.mosaic import write_mosaic


def test_array_mosaics_is_a_mosaics():
    m = ArrayMosaics({"f555w": np.ones((5, 7)), "f814w": np.ones((5, 7))}, {"f555w": 25.0, "f814w": 24.0})
    assert isinstance(m, Mosaics)
    assert m.mask("f555w").shape == m.shape == (5, 7)


def test_mosaic_set_read_from_fits_is_a_mosaics(tmp_path):
    write_mosaic(tmp_path / "f555w.fits", np.ones((6, 8), dtype=np.float32), "f555w", None,
                 photflam=1e-19, photplam=5000.0)
    m = read_mosaics(tmp_path / "f555w.fits")
    assert isinstance(m, MosaicSet) and isinstance(m, Mosaics)


def test_an_object_without_zeropoints_is_not_a_mosaics():
    class Partial:
        bands = ["f555w"]
        data = {"f555w": np.ones((2, 2))}

    assert not isinstance(Partial(), Mosaics)


def test_old_import_path_of_array_mosaics_still_works():
    assert starclass.detect.ArrayMosaics is ArrayMosaics
