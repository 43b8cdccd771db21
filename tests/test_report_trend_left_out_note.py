"""report: a trend left out (too few values) is said on the page, whether or not the magnitude table is drawn.

The reason (``metrics against size (ci): 2 finite values, fewer than 5 bins``) was added to the study's
``magnitude_note``, which the page shows only where there is no magnitude table; a catalogue with no
magnitude column then replaced it with its own note. Either way the page said nothing of the missing
trend (until 2026-12-07).
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.catalog import write_catalog

pytestmark = pytest.mark.usefixtures("unrendered_figures")


def _classified(with_magnitudes: bool, n: int = 80, seed: int = 3) -> Table:
    """A binary classification whose ci column has two finite values: its trend cannot be binned."""
    rng = np.random.default_rng(seed)
    ref = rng.integers(1, 3, n)
    pred = np.where(rng.random(n) < 0.8, ref, 3 - ref)
    p1 = np.where(pred == 1, rng.uniform(0.5, 1.0, n), rng.uniform(0.0, 0.5, n))
    ci = np.full(n, np.nan)
    ci[:2] = [1.2, 1.4]
    t = Table({"id": np.arange(1, n + 1), "ci": ci, "class_ref": ref, "class_pred": pred, "prob_1": p1,
               "prob_2": 1 - p1})
    if with_magnitudes:
        t["mag_f555w"] = rng.uniform(18.0, 24.0, n)
    return t


@pytest.mark.parametrize("with_magnitudes", [True, False])
def test_the_page_says_why_the_size_trend_is_missing(tmp_path, with_magnitudes):
    path = tmp_path / "cat.ecsv"
    write_catalog(_classified(with_magnitudes), path)
    page = tmp_path / "rep" / "p.html"
    res = CliRunner().invoke(app, ["report", str(path), "--bootstrap", "0", "-o", str(page)])
    assert res.exit_code == 0, res.output
    html = page.read_text()
    assert not list((tmp_path / "rep").rglob("vs_size*")), "the trend was drawn"
    said = re.findall(r"metrics against size \(ci\): [^<]*", html)
    assert said == ["metrics against size (ci): 2 finite values, fewer than 5 bins; no figure or table of it"], said
    # the magnitude table is drawn where the catalogue has magnitudes, and said to be missing where not
    assert bool(list((tmp_path / "rep").rglob("vs_magnitude*"))) == with_magnitudes
    assert ("has no magnitude column" in html) == (not with_magnitudes)
