"""Messages about a missing or unknown band list the bands there are (2026-12-03).

A report on a classified catalogue whose magnitudes were truth columns (``mag_true_*``) said
"catalogue lacks a band for U, B, V, I", naming neither what it had nor what would do; the SSP
and completeness messages named the band asked for only.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table

from starclass.errors import StarclassError


def test_colour_message_lists_the_bands_it_has_and_those_that_would_do():
    from starclass.science.colour import colours

    t = Table({"mag_f555w": [20.0], "mag_f814w": [19.5], "mag_true_f336w": [21.0]})
    with pytest.raises(StarclassError) as exc:
        colours(t)
    msg = str(exc.value)
    assert "lacks a band for U, B" in msg
    assert "U: f336w" in msg and "B: f435w or f438w" in msg, msg
    assert "mag_<band>): f555w, f814w" in msg and "mag_true_<band>, not used here): f336w" in msg, msg


def test_ssp_messages_list_the_models_bands():
    from starclass.science.massfunc import mass_limit
    from starclass.science.ssp import load_ssp, ssp_track

    with pytest.raises(StarclassError) as exc:
        mass_limit(7.0, -8.0, band="f999w")
    assert "f999w" in str(exc.value) and "it has f225w, f275w" in str(exc.value), exc.value
    assert all(b in str(exc.value) for b in ("f555w", "f814w"))
    with pytest.raises(StarclassError) as exc:
        ssp_track(["f555w", "f814w"])
    assert "U, B (U: f336w; B: f435w or f438w) among f555w, f814w" in str(exc.value), exc.value
    assert len(load_ssp()) > 0


def test_completeness_message_lists_the_truths_magnitude_columns():
    from starclass.detect.completeness import completeness

    truth = Table({"id": [1], "x": [1.0], "y": [1.0], "mag_true_f814w": [20.0], "mag_f336w": [21.0]})
    found = Table({"id": [1], "x": [1.0], "y": [1.0], "mag_f555w": [20.0]})
    with pytest.raises(StarclassError) as exc:
        completeness(truth, found, band="f555w")
    assert "mag_true_f555w" in str(exc.value) and "mag_f336w, mag_true_f814w" in str(exc.value), exc.value
    assert np.isfinite(truth["x"][0])
