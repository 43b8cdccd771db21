"""A calibration fitted on too few held-out rows says so, and ``starclass info`` shows the rows.

Before, a temperature fitted on 39 validation rows (``train`` on a small simulated field: 9.664)
was stored and applied without a word unless it reached an end of its search.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import write_toy_held_out  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.errors import cli_words
from starclass.evaluate.task import class_labels
from starclass.learn.calibration import ModelCalibration
from starclass.learn.checkpoint import read_manifest

# the fewest rows a fit is trusted on (calibration.CALIBRATION_MIN_ROWS), spelled out so that the
# tests run, and fail, on code without it
CALIBRATION_MIN_ROWS = 100

runner = CliRunner()


@pytest.fixture(scope="module")
def trained(toy_trust_model):
    return toy_trust_model  # conftest: trained once a session, the model copied for this module


def _rows(n: int, k: int = 4, seed: int = 0):
    rng = np.random.default_rng(seed)
    y = np.arange(n) % k
    z = rng.normal(0, 1.0, size=(n, k))
    z[np.arange(n), y] += 1.5
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    return p, y


def test_few_rows_are_flagged_with_the_counts_and_enough_are_not():
    p, y = _rows(40)
    cal = ModelCalibration.fit(p, y, [1, 2, 3, 4])
    said = " ".join(cal.cautions())
    assert "only 40 held-out rows (per class 1: 10, 2: 10, 3: 10, 4: 10)" in said
    # from a validation split; a notebook's words (the command line says its options: test_library_warning_words)
    assert "calibrate_model(" in said and "val_fraction" in said and "--val-fraction" not in said
    # a labelled set given to calibrate: no advice about a validation split
    cal = ModelCalibration.fit(p, y, [1, 2, 3, 4], source="held.ecsv")
    assert "val_fraction" not in " ".join(cal.cautions())
    # vector scaling has 2 K parameters: 10 rows a class are too few even with 400 rows in all
    p, y = _rows(4 * CALIBRATION_MIN_ROWS)
    assert ModelCalibration.fit(p, y, [1, 2, 3, 4]).cautions() == []
    p, y = _rows(4 * CALIBRATION_MIN_ROWS + 30)
    y[:-30] = y[:-30] % 3  # class 4 keeps only rows among the last 30
    said = " ".join(ModelCalibration.fit(p, y, [1, 2, 3, 4], method="vector").cautions())
    assert "vector scaling" in said and "fewer than 50 of class 4" in said


def test_train_warns_and_info_shows_the_rows(trained):
    root, cfg, _, result = trained
    cal = read_manifest(root / "model")["calibration"]
    n = cal["n"]
    assert n == result.n_val < CALIBRATION_MIN_ROWS
    warned = [m for m in result.notes if m.startswith("WARNING") and f"only {n} held-out rows" in m]
    assert len(warned) == 1 and "val_fraction" in warned[0]  # fit's note: a notebook's words
    res = runner.invoke(app, ["info", str(root / "model")])
    assert res.exit_code == 0, res.output
    named = class_labels(cfg.classes, cfg.class_names)  # as evaluate names them (the bare number before)
    counts = ", ".join(f"{named[int(c)]}: {k}" for c, k in cal["class_counts"].items())
    # train's own warning names the classes as info does (it printed 'per class 1: 4, ...')
    assert f"held-out rows (per class {counts})" in warned[0], warned[0]
    assert f"fitted on {n} rows (validation split; per class {counts})" in res.output
    assert re.search(rf"WARNING: the temperature [0-9.]+ was fitted on only {n} held-out rows", res.output)
    # a temperature at an end of its search is named there too, as train named it
    from starclass.learn.calibration import ModelCalibration

    bound = ModelCalibration.from_dict(cal).warning()
    assert (f"WARNING: {cli_words(bound)}" in res.output) if bound else ("end of its search" not in res.output)


def test_calibrate_warns_on_a_small_labelled_set(trained, tmp_path):
    import shutil

    root, cfg, _, _ = trained
    shutil.copytree(root / "model", tmp_path / "model")
    write_toy_held_out(cfg, tmp_path, 40, seed=9)
    res = runner.invoke(app, ["calibrate", str(tmp_path / "model"), str(tmp_path / "mos"), "--catalog",
                              str(tmp_path / "held.ecsv"), "--device", "cpu", "--overwrite"])
    assert res.exit_code == 0, res.output
    n = read_manifest(tmp_path / "model")["calibration"]["n"]
    assert f"WARNING: the temperature {read_manifest(tmp_path / 'model')['calibration']['temperature']:.3f} " \
           f"was fitted on only {n} held-out rows" in res.output
    assert "--val-fraction" not in res.output
    named = class_labels(cfg.classes, cfg.class_names)  # as evaluate names them (the bare number before)
    counts = ", ".join(f"{named[int(c)]}: {k}"
                       for c, k in read_manifest(tmp_path / "model")["calibration"]["class_counts"].items())
    assert f"on {n} rows of {tmp_path / 'held.ecsv'} (per class {counts})" in res.output
    # info says every caution calibrate printed (here the temperature also ran to its bound)
    info = runner.invoke(app, ["info", str(tmp_path / "model")]).output
    printed = [line[len("WARNING: "):] for line in res.output.splitlines() if line.startswith("WARNING: ")]
    assert printed and all(f"WARNING: {c}" in info for c in printed), (printed, info)


def test_classify_says_it_and_the_catalogue_keeps_it(trained, tmp_path):
    from starclass.io.catalog import read_catalog

    root, cfg, _, _ = trained
    write_toy_held_out(cfg, tmp_path, 20, seed=11)
    out = tmp_path / "c.ecsv"
    res = runner.invoke(app, ["classify", str(tmp_path / "mos"), "--catalog", str(tmp_path / "held.ecsv"),
                              "--model", str(root / "model"), "-o", str(out), "--no-progress", "--device", "cpu"])
    assert res.exit_code == 0, res.output
    n = read_manifest(root / "model")["calibration"]["n"]
    assert re.search(rf"WARNING: the temperature [0-9.]+ was fitted on only {n} held-out rows", res.output)
    assert any(f"only {n} held-out rows" in c for c in read_catalog(out).meta["calibration_cautions"])


def test_a_vector_scale_at_an_end_of_its_search_is_named():
    """On 120 rows of a weak model two of four vector-scaling scales ended at 0.05 (the end of the
    search, no minimum) and nothing said so: only a temperature at its bound was named."""
    rng = np.random.default_rng(3)
    n = 400
    y = np.arange(n) % 2
    # the model is as often confidently wrong as right on class 1: its log-probability tells nothing
    right = rng.random(n) < 0.5
    p1 = np.where((y == 0) == right, 0.95, 0.05)
    p = np.column_stack([p1, 1 - p1])
    cal = ModelCalibration.fit(p, y, [1, 2], method="vector")
    assert np.any(cal.scale <= 0.0505), cal.scale
    said = " ".join(cal.cautions())
    assert "vector-scaling scale" in said and "end of the search" in said
    # a sound fit: nothing about the scales
    p, y = _rows(4 * CALIBRATION_MIN_ROWS)
    assert ModelCalibration.fit(p, y, [1, 2, 3, 4], method="vector").cautions() == []


@pytest.mark.slow  # trains and loads two fold models: 11 s on the loaded 2-core machine
def test_cross_validation_says_the_few_rows_warning_once(tmp_path):
    """Every fold calibrates on its own validation rows (the real PAndAS folder's --cv 5: 99 each):
    the warning was printed in full once per fold."""
    from starclass.datasets.stamps import make_synthetic
    from starclass.learn.config import get_preset
    from starclass.learn.crossval import cross_validate

    cfg = get_preset("galaxy-cluster-compact", stamp_size=8, recipe={"epochs": 1, "val_fraction": 0.25})
    toy = make_synthetic(cfg, 24, seed=0)
    cv = cross_validate(cfg, toy.inputs, toy.class_ref, scheme=2, outdir=tmp_path / "cv", progress=False,
                        device="cpu")
    full = [n for n in cv.notes if "held-out rows (per class" in n]
    assert len(full) == 1 and full[0].startswith("fold 1: WARNING: the temperature"), cv.notes
    assert "fold 2: the same WARNING as fold 1" in " ".join(cv.notes)  # one fold: not "folds 2"
