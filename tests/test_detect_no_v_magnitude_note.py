"""``detect`` says how many of its peaks have no V magnitude, and why.

A walk of the docs (2026-12-07) on a simulated 512 px field: ``detect`` wrote 392 candidates, and ``info`` then
counted ``f555w ... n=359``: 33 peaks of S/N 5-9 had a NaN V magnitude (and 12 a negative CI), without a word
from ``detect``. Their aperture flux less the local sky is not positive (faint peaks on the galaxy's bright,
uneven light). ``detect`` now counts them in a note; the rows with no data in the aperture keep their own note.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

pytestmark = pytest.mark.usefixtures("single_thread")
runner = CliRunner()


@pytest.fixture()
def field(simulated_fields):
    """A 512 px field of 150 candidates: a smaller one has no peak without a V magnitude (shared, read only)."""
    return simulated_fields(512, 150)


def test_the_note_counts_the_candidates_without_a_v_magnitude(field, tmp_path):
    out = tmp_path / "c.ecsv"
    res = runner.invoke(app, ["detect", str(field), "-o", str(out), "--no-progress"])
    assert res.exit_code == 0, res.output
    cat = Table.read(out)
    v = np.ma.filled(np.ma.asarray(cat["mag_f555w"], dtype=float), np.nan)
    off = np.ma.filled(np.ma.asarray(cat["masked_frac"], dtype=float), 0.0) >= 1
    expected = int((~np.isfinite(v) & ~off).sum())
    assert expected > 0, "this field has peaks with no V magnitude (33 when found)"
    note = re.search(r"note: (\d+) of the (\d+) candidates have no f555w \(V\) magnitude: their aperture flux less "
                     r"the local sky \(annulus\) is not positive", " ".join(res.output.split()))
    assert note, res.output
    assert (int(note.group(1)), int(note.group(2))) == (expected, len(cat))


def test_a_magnitude_cut_leaves_them_out_and_says_nothing_of_them(field, tmp_path):
    out = tmp_path / "cut.ecsv"
    res = runner.invoke(app, ["detect", str(field), "-o", str(out), "--mag-limit", "24", "--no-progress"])
    assert res.exit_code == 0, res.output
    cat = Table.read(out)
    assert np.isfinite(np.asarray(cat["mag_f555w"], dtype=float)).all()
    assert "(V) magnitude:" not in res.output
