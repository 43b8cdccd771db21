"""A candidate's conformal set does not depend on its place in the list (smoothing drawn per row).

The smoothed p-values weight ties and the row itself with a random number. crepes draws one
seeded number per row *position*, so the same model on the same 46 cutouts gave "8 of 1 class"
given the folder and "5 of 1 class" given the folder's CSV in another order: a cutout's
``pred_set`` changed with the order of the list and with the other rows of the run. The number
is now made from the row itself (its model input's digest in ``classify``; its probabilities in
the library by default), the seed and the class.
"""

from __future__ import annotations

import csv
import warnings

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_noise_cutout_folder, write_untrained_model
from starclass.cli import app
from starclass.errors import StarclassError
from starclass.learn.conformal import ClassConditionalConformal

runner = CliRunner()


def _draw(rng, n, k=2):
    y = rng.integers(0, k, n)
    p = rng.dirichlet(np.ones(k) * 0.7, n)
    p[np.arange(n), y] += rng.uniform(0, 1.5, n)
    return p / p.sum(1, keepdims=True), y


def test_sets_of_shuffled_and_partial_rows_are_the_same_per_row():
    rng = np.random.default_rng(4)
    # probabilities on a grid of 0.05: many scores tie with calibration scores, where the
    # smoothing weight decides most often
    p_cal, y_cal = _draw(rng, 300)
    p_cal = np.round(p_cal / 0.05) * 0.05
    p_new = np.round(_draw(rng, 2000)[0] / 0.05) * 0.05
    cp = ClassConditionalConformal(seed=3).fit(p_cal, y_cal)
    sets = cp.predict_set(p_new, coverage=0.8)
    perm = rng.permutation(len(p_new))
    assert np.array_equal(cp.predict_set(p_new[perm], coverage=0.8), sets[perm])
    assert np.array_equal(cp.predict_set(p_new[:7], coverage=0.8), sets[:7])  # the other rows do not matter
    # keys given: the set follows the key, not the position
    keys = np.arange(len(p_new), dtype=np.uint64) * 7919
    keyed = cp.predict_set(p_new, coverage=0.8, keys=keys)
    assert np.array_equal(cp.predict_set(p_new[perm], coverage=0.8, keys=keys[perm]), keyed[perm])
    with pytest.raises(StarclassError, match="one integer per row"):
        cp.predict_p(p_new, keys=keys[:5])


def test_smoothed_p_values_follow_crepes_formula_with_the_rows_own_weight():
    """Between crepes' bounds (weight 0 and 1) and equal to the formula with the row's own draw."""
    from crepes import ConformalClassifier
    from crepes.extras import hinge

    from starclass.learn.conformal import _p_values, row_uniforms

    rng = np.random.default_rng(7)
    y_cal = rng.integers(0, 3, 150)
    p_cal = np.round(rng.dirichlet(np.ones(3), 150) / 0.05) * 0.05
    p_new = np.round(rng.dirichlet(np.ones(3), 400) / 0.05) * 0.05
    keys = rng.integers(0, 2**63, 400).astype(np.uint64)
    got = ClassConditionalConformal(seed=11).fit(p_cal, y_cal).predict_p(p_new, keys=keys)
    crepes = ConformalClassifier().fit(hinge(p_cal, np.arange(3), y_cal), bins=y_cal.astype(np.int64))
    for j in range(3):
        upper = crepes.predict_p(hinge(p_new)[:, j], bins=np.full(400, j, dtype=np.int64), smoothing=False)
        cal = np.sort(1 - p_cal[y_cal == j, j])
        s = 1 - p_new[:, j]
        q, right = cal.size, np.searchsorted(cal, s, side="right")
        lower = (q - right) / (q + 1)
        assert np.all(got[:, j] >= lower - 1e-12) and np.all(got[:, j] <= upper + 1e-12)
        np.testing.assert_allclose(got[:, j], _p_values(cal, s, row_uniforms(keys, 11, j)))


def test_row_uniforms_are_uniform_and_independent_of_class_and_seed():
    from starclass.learn.conformal import row_uniforms

    keys = np.arange(200_000, dtype=np.uint64)  # consecutive keys: the worst case for a weak mixer
    u = row_uniforms(keys, 0, 0)
    counts = np.histogram(u, bins=20, range=(0, 1))[0]
    # chi-square with 19 degrees of freedom: 99.9th percentile 43.8
    assert ((counts - 10_000) ** 2 / 10_000).sum() < 43.8
    assert abs(np.corrcoef(u, row_uniforms(keys, 0, 1))[0, 1]) < 0.01
    assert abs(np.corrcoef(u, row_uniforms(keys, 1, 0))[0, 1]) < 0.01
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 0.01


def test_keyed_smoothing_keeps_the_coverage_exact_on_average():
    """Mean class coverage over 150 small calibration sets: at the target, below the unsmoothed."""
    rng = np.random.default_rng(40)
    smoothed, plain = [], []
    for rep in range(150):
        p_cal, y_cal = _draw(rng, 40)
        p_new, y_new = _draw(rng, 300)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # 40 rows: a class may have too few (it is in every set)
            s = ClassConditionalConformal(seed=rep).fit(p_cal, y_cal).predict_set(p_new, coverage=0.9)
            u = ClassConditionalConformal(smoothing=False).fit(p_cal, y_cal).predict_set(p_new, coverage=0.9)
        smoothed.append([s[y_new == j, j].mean() for j in range(2)])
        plain.append([u[y_new == j, j].mean() for j in range(2)])
    smoothed, plain = np.mean(smoothed, axis=0), np.mean(plain, axis=0)
    # the spread of one run's class coverage is ~0.06, so 150 runs pin the mean to ~0.005
    assert np.all(np.abs(smoothed - 0.9) < 0.015), smoothed
    assert np.all(plain > smoothed + 0.01), (plain, smoothed)  # conservative by up to 1/(n_k + 1)


@pytest.fixture(scope="module")
def calibrated_model(tmp_path_factory):
    """An untrained one-band 16 px model calibrated on 60 noise cutouts (ties: smoothing decides often)."""
    from starclass.learn.config import get_preset

    root = tmp_path_factory.mktemp("order")
    cfg = get_preset("m31-real", stamp_size=16, scales=[1.0])
    write_untrained_model(root / "model", cfg)
    labels = write_noise_cutout_folder(root / "cal", 16, object_ids=True, n=60)
    res = runner.invoke(app, ["calibrate", str(root / "model"), "--stamps", str(labels), "--device", "cpu",
                              "--overwrite"])
    assert res.exit_code == 0, res.output
    return root, cfg


def test_classify_a_folder_and_its_shuffled_list_gives_each_cutout_the_same_set(calibrated_model, tmp_path):
    root, _ = calibrated_model
    folder = tmp_path / "cut"
    labels = write_noise_cutout_folder(folder, 16, object_ids=True, n=240)
    with open(labels, newline="") as fh:
        rows = list(csv.DictReader(fh))
    order = np.random.default_rng(1).permutation(len(rows))
    with open(folder / "labels_shuffled.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows[i] for i in order)
    sets = {}
    for name, given in (("a", folder), ("b", folder / "labels_shuffled.csv"), ("c", folder / "labels.csv")):
        out = tmp_path / f"{name}.ecsv"
        res = runner.invoke(app, ["classify", "--stamps", str(given), "--model", str(root / "model"), "-o", str(out),
                                  "--device", "cpu"])
        assert res.exit_code == 0, res.output
        t = Table.read(out)
        sets[name] = {str(f): str(s) for f, s in zip(t["file"], t["pred_set"])}
    assert len(sets["a"]) == 240 and set(sets["a"].values()) != {"1|2"}  # some sets leave a class out
    assert sets["b"] == sets["a"]
    # and a part of the list: the other rows of the run do not matter
    part = tmp_path / "cut" / "part.csv"
    with open(part, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows[i] for i in order[:50])
    res = runner.invoke(app, ["classify", "--stamps", str(part), "--model", str(root / "model"), "-o",
                              str(tmp_path / "p.ecsv"), "--device", "cpu"])
    assert res.exit_code == 0, res.output
    t = Table.read(tmp_path / "p.ecsv")
    assert {str(f): str(s) for f, s in zip(t["file"], t["pred_set"])} == {f: sets["a"][f] for f in
                                                                       (str(r["file"]) for r in
                                                                        (rows[i] for i in order[:50]))}


def test_classify_a_catalogue_in_another_order_gives_each_candidate_the_same_set(tmp_path):
    from starclass.datasets.stamps import make_synthetic_field
    from starclass.learn.calibration import calibrate_model
    from starclass.learn.checkpoint import load_model
    from starclass.learn.classify import classify
    from starclass.learn.config import get_preset
    from starclass.stamps import iter_inputs

    cfg = get_preset("m31-real", stamp_size=16, scales=[1.0])
    write_untrained_model(tmp_path / "model", cfg)
    images, field = make_synthetic_field(cfg, 40, seed=2)
    inputs = np.concatenate([b.inputs for b in iter_inputs(images, field["x"], field["y"], cfg)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the rows cannot be checked against training rows (none recorded)
        # calibrated on these very stamps: every candidate's score ties with a calibration score, so
        # the smoothing weight decides the sets of many rows (a test of the draw, not of a model)
        calibrate_model(tmp_path / "model", inputs, np.asarray(field["class_ref"]), source="field", overwrite=True)
    # each candidate five times under five ids: drawn by position, the copies got different sets
    table = field[np.tile(np.arange(40), 5)]
    table["id"] = np.arange(200)
    loaded = load_model(tmp_path / "model")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = classify(images, table, loaded, progress=False, device="cpu", batch_size=64)
        perm = np.random.default_rng(5).permutation(len(table))
        b = classify(images, table[perm], loaded, progress=False, device="cpu", batch_size=64)
    got_a = dict(zip(a["id"].tolist(), a["pred_set"].tolist()))
    got_b = dict(zip(b["id"].tolist(), b["pred_set"].tolist()))
    assert len(set(got_a.values())) > 1
    assert got_b == got_a
    # the copies of one candidate share its set
    assert all(got_a[i] == got_a[i % 40] for i in range(200))
