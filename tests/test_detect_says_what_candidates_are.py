"""``detect`` says what its candidates are when there are more of them than objects (2026-12-07).

On a simulated field of 300 objects ``detect`` reported 567 candidates (``demo`` 899) and nothing else: a
user took it for a broken detection. They are every peak above the threshold, field stars fainter than the
truth's limit and noise peaks among them. ``detect`` without a cut now says so and names the cuts that make a
catalogue; with ``--truth`` it counts the candidates no truth object matched and how faint they are.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.detect.completeness import completeness
from starclass.detect.match import match_truth

pytestmark = pytest.mark.usefixtures("single_thread")
runner = CliRunner()


def test_without_a_cut_it_says_what_the_candidates_are(sim_field, tmp_path):
    out = tmp_path / "c.ecsv"
    res = runner.invoke(app, ["detect", str(sim_field), "-o", str(out), "--no-progress"])
    assert res.exit_code == 0, res.output
    cat = Table.read(out)
    note = re.search(r"note: the (\d+) candidates are every peak above S/N 5 in f555w \(--threshold\), "
                     r"m_f555w ([\d.]+)-([\d.]+) \(median ([\d.]+)\)", res.output)
    assert note, res.output
    m = np.asarray(cat["mag_f555w"], dtype=float)
    assert int(note.group(1)) == len(cat)
    assert [float(v) for v in note.groups()[1:]] == [round(float(f(m)), 1) for f in (np.nanmin, np.nanmax,
                                                                                      np.nanmedian)]
    assert "--mag-limit 24 --ci-min 1.35" in res.output and "--mci-polygon default" in res.output
    # a cut given: the count is that of the cut, and no note
    res = runner.invoke(app, ["detect", str(sim_field), "-o", str(tmp_path / "cut.ecsv"), "--mag-limit", "24",
                              "--no-progress"])
    assert res.exit_code == 0 and "every peak above" not in res.output, res.output


def test_with_the_truth_it_counts_the_candidates_no_object_matched(sim_field, tmp_path):
    out = tmp_path / "t.ecsv"
    res = runner.invoke(app, ["detect", str(sim_field), "-o", str(out), "--truth",
                              str(sim_field / "truth.ecsv"), "--no-progress"])
    assert res.exit_code == 0, res.output
    cat, truth = Table.read(out), Table.read(sim_field / "truth.ecsv")
    _, ib, _ = match_truth(truth, cat, radius=2.0)
    spare = np.setdiff1d(np.arange(len(cat)), ib)
    assert 0 < len(spare) < len(cat)
    said = re.search(r"the other (\d+) of the (\d+) candidates are no truth object's match "
                     r"\(median m_f555w ([\d.]+), the truth's faintest ([\d.]+)\): sources the truth does not list",
                     res.output)
    assert said, res.output
    assert (int(said.group(1)), int(said.group(2))) == (len(spare), len(cat))
    assert float(said.group(3)) == round(float(np.nanmedian(np.asarray(cat["mag_f555w"], float)[spare])), 1)
    assert float(said.group(4)) == round(float(np.nanmax(np.asarray(truth["mag_true_f555w"], float))), 1)


def test_completeness_counts_the_detections_left_over():
    truth = Table({"x": [10.0, 30.0], "y": [10.0, 10.0], "mag_true_f555w": [21.0, 22.0]})
    found = Table({"x": [10.2, 50.0, 70.0], "y": [10.0, 10.0, 10.0], "mag_f555w": [21.1, 25.0, 26.0]})
    meta = completeness(truth, found).meta
    assert meta["matched"] == 1 and meta["n_found_unmatched"] == 2
    assert meta["median_mag_unmatched"] == pytest.approx(25.5) and meta["faintest_true_mag"] == 22.0
