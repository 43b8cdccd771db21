"""Detection says so instead of answering nothing: blank bands and tiny fields (issue 13, point 13)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from starclass.datasets.fields import synthetic_field
from starclass.detect import detect
from starclass.errors import StarclassError
from starclass.io import ArrayMosaics


def _field():
    mosaics, _truth = synthetic_field((160, 160), 20, seed=4)
    return mosaics


def _with(mosaics, band, image):
    data = dict(mosaics.data)
    data[band] = image
    return ArrayMosaics(data=data, zeropoint=dict(mosaics.zeropoint))


def test_an_all_zero_detection_band_is_an_error_naming_it():
    m = _field()
    blank = _with(m, m.v_band, np.zeros_like(m.data[m.v_band]))
    with pytest.raises(StarclassError, match=f"band {m.v_band}.*constant"):
        detect(blank, progress=False)


def test_an_all_zero_other_band_warns_naming_it():
    m = _field()
    other = next(b for b in m.bands if b != m.v_band)
    blank = _with(m, other, np.zeros_like(m.data[other]))
    with pytest.warns(UserWarning, match=f"band {other}.*constant"):
        table = detect(blank, progress=False)
    assert len(table) > 0


def test_a_field_too_small_to_search_is_an_error():
    m = _field()
    tiny = ArrayMosaics(data={b: a[:8, :8] for b, a in m.data.items()}, zeropoint=dict(m.zeropoint))
    with pytest.raises(StarclassError, match="8 x 8 px"):
        detect(tiny, progress=False)


def test_a_normal_field_raises_no_blank_warning():
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*constant.*")
        assert len(detect(_field(), progress=False)) > 0
