"""The report's SSP track caption names the bands drawn and only the substitutes it used.

Before: every page said the track took "F438W from the model's F435W", also for a field measured
in F435W (the LEGUS ACS fields), whose track is the model's own F435W.
"""
from __future__ import annotations

import html
import re

import pytest

from starclass.datasets.catalogs import fake_catalogs
from starclass.report import build_report

# the evaluations' and reports' figures are built but not rendered to PNG (conftest's unrendered_figures): these
# tests read the printed lines, tables and pages around them, and rendering was about half of each command
pytestmark = pytest.mark.usefixtures("unrendered_figures")


def _caption(page) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", " ", page.read_text()))
    # the SSP table's name (ssp_label) ends "... from the STScI zeropoints)" since 2026-12-07
    (line,) = re.findall(r"Black line: [^\n]*?STScI zeropoints\)[^.]*\.", text)
    return line


@pytest.fixture(scope="module")
def cats():
    return fake_catalogs(120, accuracy=0.7, seed=2)


def test_a_f438w_field_is_told_of_the_substitute(cats, tmp_path):
    pred, truth = cats
    line = _caption(build_report(pred, {"truth": truth}, tmp_path, distance_mpc=10.0, n_boot=0, science=True))
    assert "U-B = F336W − F438W, V-I = F555W − F814W" in line
    assert "F438W from the model's F435W" in line


def test_a_f435w_field_is_not_told_of_f438w(cats, tmp_path):
    pred, truth = (c.copy() for c in cats)
    for t in (pred, truth):
        t.rename_column("mag_f438w", "mag_f435w")
        t.rename_column("magerr_f438w", "magerr_f435w")
    line = _caption(build_report(pred, {"truth": truth}, tmp_path, distance_mpc=10.0, n_boot=0, science=True))
    assert "U-B = F336W − F435W" in line
    assert "F438W" not in line
