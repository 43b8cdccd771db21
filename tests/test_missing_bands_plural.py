"""Several bands missing from the mosaics: the advice names each and says mosaics, plural.

learn.classify.check_bands said "Add the band's mosaic beside the others (... e.g. '_f275w_')" when two
bands were missing, naming one of them as the example only: a user adding that one mosaic met the same
refusal again for the other.
"""

from __future__ import annotations

import numpy as np
import pytest

from starclass.errors import StarclassError
from starclass.io.mosaic import read_mosaics, write_mosaic
from starclass.learn.classify import check_bands


def _field(folder):
    folder.mkdir()
    rng = np.random.default_rng(3)
    write_mosaic(folder / "g_f555w.fits", rng.normal(1.0, 0.1, (64, 64)).astype(np.float32), "f555w", None,
                 photflam=1.9e-19, photplam=5308.0)
    return folder


def _advice(exc):
    return str(exc.value).split(". ", 1)[1]


def test_two_missing_bands_are_both_named_in_plural_advice(tmp_path):
    mos = read_mosaics(_field(tmp_path / "f"), pixel_scale=0.04, warn_v_band=False)
    with pytest.raises(StarclassError) as exc:
        check_bands(["f275w", "f336w", "f555w"], mos.bands, "model m", mos)
    advice = _advice(exc)
    assert advice.startswith("Add the mosaics of bands f275w and f336w beside the others"), advice
    assert "'_f275w_'" in advice and "'_f336w_'" in advice, advice
    assert "band's" not in advice, advice


def test_two_missing_bands_listed_files_plural(tmp_path):
    mos = read_mosaics(sorted(_field(tmp_path / "f").glob("*.fits")), pixel_scale=0.04, warn_v_band=False)
    with pytest.raises(StarclassError) as exc:
        check_bands(["f275w", "f336w", "f555w"], mos.bands, "model m", mos, listed="the mosaics given")
    advice = _advice(exc)
    assert advice.startswith("Add the mosaics of bands f275w and f336w to the mosaics given"), advice


def test_one_missing_band_keeps_singular_advice(tmp_path):
    mos = read_mosaics(_field(tmp_path / "f"), pixel_scale=0.04, warn_v_band=False)
    with pytest.raises(StarclassError) as exc:
        check_bands(["f336w", "f555w"], mos.bands, "model m", mos)
    advice = _advice(exc)
    assert advice.startswith("Add the band's mosaic beside the others"), advice
    assert "'_f336w_'" in advice, advice
