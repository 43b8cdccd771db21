"""A filter whose AB - Vega offset is tabulated for another HST camera only says so when used."""
import warnings

import pytest

from starclass.bands import BANDS, ab_minus_vega


@pytest.mark.parametrize(("band", "camera"), [("f625w", "wfc3/uvis"), ("f475w", "wfc3/uvis"),
                                              ("f555w", "wfpc2/pc"), ("f336w", "acs/hrc")])
def test_another_cameras_value_is_used_with_a_warning(band, camera):
    with pytest.warns(UserWarning) as record:
        value = ab_minus_vega(band, camera)
    assert value == BANDS[band].ab_minus_vega
    text = str(record[0].message)
    assert repr(band) in text and camera.upper() in text and BANDS[band].camera.upper() in text


@pytest.mark.parametrize(("band", "camera"), [("f555w", "acs/wfc"), ("f555w", "wfc3/uvis"), ("f625w", "acs/wfc"),
                                              ("f814w", "simulated"), ("f814w", None)])
def test_a_tabulated_or_non_hst_camera_is_silent(band, camera):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ab_minus_vega(band, camera)
