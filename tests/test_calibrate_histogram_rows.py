"""``starclass calibrate --method histogram`` counts the rows it would fit on (2026-12-05).

Before: the check before the network ran counted every labelled row, blank (constant) cutouts
among them, which calibrate_model then leaves out. 150 labelled cutouts of which 60 blank, with
``--bins 2``, were "150 calibration rows are 75.0 per bin" (90 would have been used); with
``--bins 1`` the check passed, the network ran, and the fit refused "(n_bins 1): 90 calibration
rows", naming no option. Now both are refused before the network runs, with 90 rows and the 60
blank ones named.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.learn.checkpoint import read_manifest
from starclass.learn.config import get_preset

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("single_thread")


def _folder(root: Path, n: int, n_blank: int) -> Path:
    """``n`` labelled 16 x 16 cutouts, cluster and galaxy alternating; the first ``n_blank`` are constant."""
    rng = np.random.default_rng(0)
    root.mkdir()
    lines = ["file,label"]
    for i in range(n):
        img = np.zeros((16, 16)) if i < n_blank else rng.normal(1.0, 0.1, (16, 16))
        np.save(root / f"c{i:03d}.npy", img.astype(np.float32))
        lines.append(f"c{i:03d}.npy,{('cluster', 'galaxy')[i % 2]}")
    (root / "labels.csv").write_text("\n".join(lines) + "\n")
    return root / "labels.csv"


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return write_untrained_model(tmp_path_factory.mktemp("hist_rows") / "model",
                                 get_preset("m31-real", stamp_size=16))


@pytest.mark.parametrize("bins", [1, 2])
def test_too_few_rows_once_the_blank_cutouts_are_left_out_are_counted_so(model, tmp_path, bins):
    labels = _folder(tmp_path / "cut", 150, 60)
    before = (model / "manifest.json").read_bytes()
    res = runner.invoke(app, ["calibrate", str(model), "--stamps", str(labels), "--device", "cpu", "--overwrite",
                              "--method", "histogram", "--bins", str(bins)])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    # the option named: refused by the check before the network runs, not by the fit after it
    assert (f"histogram binning (--method histogram --bins {bins}): 90 calibration rows (of 150 labelled: 60 are "
            f"blank (constant) images, left out) are {90 / bins:.1f} per bin; it needs at least 100 rows per bin "
            f"({100 * bins} rows)") in res.output, res.output
    assert (model / "manifest.json").read_bytes() == before


def test_the_rows_counted_are_the_rows_fitted_on(model, tmp_path):
    cut = tmp_path / "cut"
    labels = _folder(cut, 170, 60)
    res = runner.invoke(app, ["calibrate", str(model), "--stamps", str(labels), "--device", "cpu", "--overwrite",
                              "--method", "histogram", "--bins", "1"])
    assert res.exit_code == 0, res.output
    assert "60 of the 170 labelled calibration rows" in res.output  # the warning of leave_out_blank
    assert read_manifest(model)["calibration"]["n"] == 110


def test_calibration_rows_leaves_out_unlabelled_masked_and_blank_rows():
    from starclass.learn.calibration import calibration_rows

    cfg = get_preset("m31-real", stamp_size=4)
    x = np.random.default_rng(0).normal(size=(5, 1, 4, 4)).astype(np.float32)
    x[1] = 3.0  # blank: constant
    values = np.ma.array([1, 2, 2, 0, 2], mask=[False, False, True, False, False])
    # masked (its value under the mask, 2, is a class) and 0 (no class) are unlabelled
    assert calibration_rows(x, cfg, values).tolist() == [True, False, False, False, True]
    assert calibration_rows(x, cfg, np.array([1.0, 2.0, np.nan, 2.0, 1.0])).tolist() == [True, False, False, True, True]
