"""Which band plays a role does not depend on the order a catalogue lists its bands in."""
import itertools

import pytest

from starclass.bands import ubvi_bands, v_band


@pytest.mark.parametrize("bands", list(itertools.permutations(["f606w", "f555w", "f814w"])))
def test_f555w_is_v_whatever_the_order(bands):
    # v_band's docstring promised "F555W, else F606W"; it returned whichever came first
    assert v_band(list(bands)) == "f555w"
    assert ubvi_bands(list(bands))["v"] == "f555w"


@pytest.mark.parametrize("bands", list(itertools.permutations(["f435w", "f438w", "f336w"])))
def test_one_b_band_whatever_the_order(bands):
    assert ubvi_bands(list(bands))["b"] == ubvi_bands(["f336w", "f435w", "f438w"])["b"]


def test_a_single_v_band_is_taken():
    assert v_band(["f814w", "f606w"]) == "f606w"
