"""The report's luminosity-function slope says over which magnitudes it was fitted.

Without ``--distance`` the slope alpha of dN/dL ~ L^alpha was fitted over every magnitude, the faint
end where a catalogue is incomplete included, which flattens it (LEGUS NGC 1566, class 1+2 of its ML
class: -1.87 over all 815 objects, -2.21 over the 423 above M_V = -7.8 at 17.7 Mpc), and the page
gave the number alone. It now says the range: ``m_V < 23.44 (M_V < -7.8 at 17.7 Mpc)``, or every
magnitude with the reason to give ``--distance``.
"""

from __future__ import annotations

import html
import re

import numpy as np
import pytest

from starclass.datasets.catalogs import fake_catalogs
from starclass.report import build_report
from starclass.schema import class_array
from starclass.science.luminosity import luminosity_function

# the evaluations' and reports' figures are built but not rendered to PNG (conftest's unrendered_figures): these
# tests read the printed lines, tables and pages around them, and rendering was about half of each command
pytestmark = pytest.mark.usefixtures("unrendered_figures")


@pytest.fixture(scope="module")
def cats():
    return fake_catalogs(300, accuracy=0.7, seed=1)


def _lf_lines(page):
    # the sentence of the prediction's slope, up to the end of what follows its number of objects
    text = html.unescape(re.sub(r"<[^>]+>", " ", page.read_text()))
    return re.findall(r"prediction, class 1\+2: dN/dL .*? objects[^\n]*", text)


def _alpha(pred, mag_limit):
    cl = class_array(pred, "class_pred")
    col = next(c for c in pred.colnames if c in ("mag_f555w", "mag_f606w"))
    return luminosity_function(np.asarray(pred[col], float)[np.isin(cl, (1, 2))], mag_limit=mag_limit)


def test_with_a_distance_the_fitted_range_is_named(cats, tmp_path):
    pred, truth = cats
    page = build_report(pred, {"truth": truth}, tmp_path, distance_mpc=17.7, n_boot=0, science=True)
    (line,) = _lf_lines(page)
    limit = -7.8 + 5 * np.log10(17.7e6) - 5
    r = _alpha(pred, limit)
    assert (f"α = {r['alpha']:.2f} ± {r['alpha_err']:.2f} ({r['n_fit']} objects; fitted over m_V < {limit:.2f} "
            "(M_V < −7.8 at 17.7 Mpc))") in line


def test_without_a_distance_the_page_says_every_magnitude_is_fitted(cats, tmp_path):
    pred, truth = cats
    page = build_report(pred, {"truth": truth}, tmp_path, n_boot=0, science=True)
    (line,) = _lf_lines(page)
    r = _alpha(pred, None)
    assert f"({r['n_fit']} objects; fitted over every magnitude: no --distance" in line
    assert "give --distance to fit above M_V = −7.8" in line
