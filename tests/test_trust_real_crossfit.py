"""Issue 17: cross-fitted calibration and conformal sets of ``benchmarks/trust_real_crossfit.py``.

The point of cross-fitting is that no row of a fold helps fit what scores it: checked by
changing one fold's labels. Coverage is checked on probabilities that are calibrated by
construction (labels drawn from them), where the class-conditional sets must cover each class
at about the target; the ECE of a tempered model against a hand computation.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import load_benchmark


@pytest.fixture(scope="module")
def xf():
    return load_benchmark("trust_real_crossfit")


def _calibrated(n: int, seed: int):
    rng = np.random.default_rng(seed)
    p0 = rng.beta(0.6, 0.6, n).clip(0.01, 0.99)
    y = (rng.random(n) >= p0).astype(int)  # class index 0 with probability p0
    return np.c_[p0, 1 - p0], y


def test_a_fold_is_scored_by_maps_fitted_without_its_rows(xf):
    probs, y = _calibrated(900, 1)
    fold = np.arange(900) % 3
    q, sets = xf.cross_fit(probs, y, fold, "temperature")
    flipped = y.copy()
    flipped[fold == 0] = 1 - flipped[fold == 0]
    q2, sets2 = xf.cross_fit(probs, flipped, fold, "temperature")
    # fold 0's own labels changed: its calibrated rows and sets are untouched ...
    np.testing.assert_array_equal(q2[fold == 0], q[fold == 0])
    np.testing.assert_array_equal(sets2[fold == 0], sets[fold == 0])
    # ... while the folds fitted on those labels moved
    assert not np.allclose(q2[fold != 0], q[fold != 0])


@pytest.mark.parametrize("method", ["temperature", "vector"])
def test_sets_cover_each_class_near_the_target(xf, method):
    probs, y = _calibrated(6000, 2)
    q, sets = xf.cross_fit(probs, y, np.arange(6000) % 5, method, coverage=0.9)
    for j in (0, 1):
        cov = sets[y == j, j].mean()
        assert abs(cov - 0.9) < 0.02, (j, cov)
    # already calibrated: a fitted temperature stays near 1, so the probabilities barely move
    assert np.abs(q - probs).max() < 0.05


def test_score_run_matches_a_hand_count(xf):
    probs, y = _calibrated(500, 3)
    fold = np.arange(500) % 5
    r = xf.score_run(probs[:, 0], fold, y)
    # the as-trained ECE by hand: 15 equal-width bins of the top-class confidence
    conf, correct = probs.max(1), (probs.argmax(1) == y)
    edges = np.linspace(0, 1, 16)
    b = np.clip(np.digitize(conf, edges[1:-1]), 0, 14)
    ece = sum(abs(conf[b == i].mean() - correct[b == i].mean()) * np.mean(b == i) for i in range(15) if np.any(b == i))
    assert r["as_trained"]["ece"] == pytest.approx(ece, abs=1e-4)
    q, sets = xf.cross_fit(np.c_[probs[:, 0], 1 - probs[:, 0]], y, fold, "temperature")
    assert r["cross_fitted"]["temperature"]["coverage"] == [round(float(sets[y == j, j].mean()), 4) for j in (0, 1)]
    assert r["per_class"] == [int(np.sum(y == 0)), int(np.sum(y == 1))]


def test_load_oof_refuses_overlapping_or_missing_rows(xf, tmp_path):
    (tmp_path / "m_fold0.json").write_text(json.dumps({"test": [0, 1], "p": [0.1, 0.2]}))
    (tmp_path / "m_fold1.json").write_text(json.dumps({"test": [1, 2], "p": [0.3, 0.4]}))
    with pytest.raises(SystemExit, match="already held out"):
        xf.load_oof(tmp_path, "m", "p", 3)
    (tmp_path / "m_fold1.json").write_text(json.dumps({"test": [2], "p": [0.4]}))
    with pytest.raises(SystemExit, match="1 of 4 cutouts are in no fold"):
        xf.load_oof(tmp_path, "m", "p", 4)
    with pytest.raises(SystemExit, match="has no 'p_tta'"):
        xf.load_oof(tmp_path, "m", "p_tta", 3)


def test_json_never_lands_on_a_saved_fold(xf, tmp_path):
    fold = tmp_path / "m_fold0.json"
    fold.write_text(json.dumps({"test": [0], "p": [0.1]}))
    with pytest.raises(SystemExit, match="would overwrite a saved fold"):
        xf.main(["--results", str(tmp_path), "--runs", "m", "--json", str(fold)])
    assert json.loads(fold.read_text()) == {"test": [0], "p": [0.1]}


def _write_folds(d, probs_tta_raw, y, t_one, t_tta, sets, n_folds=3):
    """Fold files as ``real_pandas.py`` writes them since 2026-12-05 (two-class, P(cluster) = column 0)."""
    from starclass.learn.calibration import temper

    fold = np.arange(len(y)) % n_folds
    for k in range(n_folds):
        i = np.flatnonzero(fold == k)
        raw = probs_tta_raw[i]
        d.joinpath(f"m_fold{k}.json").write_text(json.dumps({
            "test": i.tolist(), "p_tta_raw": raw.tolist(),
            "p_tta": temper(np.c_[raw, 1 - raw], t_tta)[:, 0].tolist(),
            "pred_set_tta": sets[i].tolist(),
            "calibration": {"method": "temperature", "temperature": t_one,
                            "with_tta": {"method": "temperature", "temperature": t_tta}}}))
    return fold


def test_the_one_view_map_is_the_one_view_temperature_on_the_raw_tta_probabilities(xf, tmp_path):
    """What classify --tta gave before 2026-12-05 is rebuilt from the same weights' raw TTA probabilities."""
    probs, y = _calibrated(300, 4)
    sets = np.array(["1|2"] * 300)
    _write_folds(tmp_path, probs[:, 0], y, t_one=1.8, t_tta=0.7, sets=sets)
    old = xf.one_view_map_tta(tmp_path, "m", 300)
    p = probs[:, 0]
    want = p ** (1 / 1.8) / (p ** (1 / 1.8) + (1 - p) ** (1 / 1.8))
    np.testing.assert_allclose(old, want, atol=1e-9)
    stored, _ = xf.load_oof(tmp_path, "m", "p_tta", 300)
    assert not np.allclose(stored, old)  # the stored p_tta carry the other map


def test_fold_extras_score_the_stored_sets_the_raw_and_the_one_view_map(xf, tmp_path):
    probs, y = _calibrated(600, 5)
    rng = np.random.default_rng(0)
    # sets that hold the true class 90% of the time for class 0, 80% for class 1
    hit = rng.random(600) < np.where(y == 0, 0.9, 0.8)
    true = np.where(y == 0, "1", "2")
    other = np.where(y == 0, "2", "1")
    sets = np.where(hit, true, other)
    _write_folds(tmp_path, probs[:, 0], y, t_one=1.8, t_tta=1.0, sets=sets)
    tc = xf._load("trust_calibrators")
    r = xf.add_fold_extras({"as_trained": {}}, tmp_path, "m", "p_tta", y)
    cov = [round(float(hit[y == j].mean()), 4) for j in (0, 1)]
    assert r["as_trained"]["coverage"] == cov and r["as_trained"]["mean_set_size"] == 1.0
    assert r["as_trained"]["within_2_points"] is False
    # the raw probabilities are calibrated by construction; a temperature of 1.8 flattens them
    assert r["raw"]["ece"] == pytest.approx(tc.scores(probs, y)["ece"], abs=1e-4)
    assert r["as_trained_one_view_map"]["ece"] > r["raw"]["ece"] + 0.03
    assert xf.add_fold_extras({"as_trained": {}}, tmp_path, "m", "p", y) == {"as_trained": {}}


def test_sets_only_in_some_folds_are_refused(xf, tmp_path):
    (tmp_path / "m_fold0.json").write_text(json.dumps({"test": [0], "p": [0.1], "pred_set": ["1"]}))
    (tmp_path / "m_fold1.json").write_text(json.dumps({"test": [1], "p": [0.3]}))
    with pytest.raises(SystemExit, match="'pred_set' is in 1 of its 2 fold files"):
        xf.load_oof_sets(tmp_path, "m", "pred_set", 2)


def _cutout_folder(d, n: int, blank_rows, seed: int = 6):
    """A labelled one-band folder of ``n`` 16 px NPY cutouts (m31-real labels), constant at ``blank_rows``."""
    rng = np.random.default_rng(seed)
    y = (np.arange(n) % 2).astype(int)  # 0 cluster, 1 galaxy, as the benchmark's indices
    lines = ["file,label,object_id"]
    for i in range(n):
        img = rng.normal(10.0, 1.0, (16, 16)).astype("f4")
        if i in blank_rows:
            img[:] = 3.0
        np.save(d / f"c{i}.npy", img)
        lines.append(f"c{i}.npy,{'galaxy' if y[i] else 'cluster'},obj{i}")
    (d / "labels.csv").write_text("\n".join(lines) + "\n")
    return y


def test_cutouts_classify_leaves_unclassified_are_left_out_and_said(xf, tmp_path, capsys):
    """A blank (constant) cutout gets no probabilities from classify --stamps: it is not scored either."""
    data, results = tmp_path / "data", tmp_path / "runs"
    data.mkdir(), results.mkdir()
    n, blank = 240, [4, 71, 120]
    y = _cutout_folder(data, n, blank)
    rng = np.random.default_rng(7)
    p = rng.uniform(0.05, 0.95, n)
    p[blank] = np.where(y[blank] == 0, 0.001, 0.999)  # confidently wrong, as a network is on a blank image
    fold = np.arange(n) % 3
    for k in range(3):
        i = np.flatnonzero(fold == k)
        (results / f"m_fold{k}.json").write_text(json.dumps(
            {"test": i.tolist(), "p": p[i].tolist(), "p_tta": p[i].tolist(), "stamp_size": 16}))
    out = tmp_path / "out.json"
    assert xf.main(["--results", str(results), "--data", str(data), "--runs", "m", "--json", str(out)]) == 0
    err = capsys.readouterr().err
    assert "left out 3 of 240 cutouts that classify --stamps leaves unclassified: 3 blank (rows 4, 71, 120" in err
    r = json.loads(out.read_text())["m"]
    assert r["n"] == n - 3 and r["left_out"]["blank"] == blank and r["left_out"]["rows"] == blank
    keep = np.ones(n, bool)
    keep[blank] = False
    tc = xf._load("trust_calibrators")
    want = tc.scores(np.c_[p, 1 - p][keep], y[keep])["ece"]
    assert r["as_trained"]["ece"] == pytest.approx(want, abs=1e-4)
    assert abs(tc.scores(np.c_[p, 1 - p], y)["ece"] - want) > 0.005  # scoring them would have moved it


def test_the_maps_are_cross_fitted_on_the_raw_rows_too(xf, tmp_path):
    """Each fold's own map moved its stored rows its own way; the map cross-fitted on the raw rows does not see that."""
    from starclass.learn.calibration import temper

    probs, y = _calibrated(1500, 8)  # raw TTA probabilities calibrated by construction
    fold = np.arange(1500) % 3
    own_t = (0.5, 1.0, 2.5)  # each fold model's own (poorly fitted) temperature under TTA
    for k in range(3):
        i = np.flatnonzero(fold == k)
        raw = probs[i, 0]
        (tmp_path / f"m_fold{k}.json").write_text(json.dumps(
            {"test": i.tolist(), "p_tta_raw": raw.tolist(),
             "p_tta": temper(np.c_[raw, 1 - raw], own_t[k])[:, 0].tolist()}))
    p, f = xf.load_oof(tmp_path, "m", "p_tta", 1500)
    r = xf.add_fold_extras(xf.score_run(p, f, y), tmp_path, "m", "p_tta", y)
    tc = xf._load("trust_calibrators")
    for method in ("temperature", "vector"):
        q, sets = xf.cross_fit(probs, y, fold, method)
        assert r["cross_fitted_on_raw"][method]["ece"] == pytest.approx(tc.scores(q, y)["ece"], abs=1e-4)
        assert r["cross_fitted_on_raw"][method]["coverage"] == [round(float(sets[y == j, j].mean()), 4)
                                                                for j in (0, 1)]
    # on the raw rows one temperature fits them all; on the stored rows no one temperature undoes three
    assert r["cross_fitted_on_raw"]["temperature"]["ece"] < 0.03
    assert r["cross_fitted"]["temperature"]["ece"] > r["cross_fitted_on_raw"]["temperature"]["ece"] + 0.02
    # the kept rows only, as for every other score
    keep = np.arange(1500) % 7 != 0
    r2 = xf.add_fold_extras({"as_trained": {}}, tmp_path, "m", "p_tta", y, keep)
    q, _ = xf.cross_fit(probs[keep], y[keep], fold[keep], "temperature")
    assert r2["cross_fitted_on_raw"]["temperature"]["ece"] == pytest.approx(tc.scores(q, y[keep])["ece"], abs=1e-4)


def test_the_rows_curve_draws_from_the_other_folds_and_ends_at_the_cross_fit(xf):
    """A temperature on m drawn rows: on all the other folds' rows it is cross_fit's; fewer rows scatter more."""
    from starclass.learn.calibration import temper

    probs, y = _calibrated(1500, 9)
    over = temper(probs, 0.6)  # an over-confident model: a temperature near 1 / 0.6 fixes it
    fold = np.arange(1500) % 5
    c = xf.rows_curve(over, y, fold, [30, 300, 5000], draws=40, seed=1)
    tc = xf._load("trust_calibrators")
    q, _ = xf.cross_fit(over, y, fold, "temperature")
    assert c["5000"]["draws"] == 1 and c["5000"]["ece_mean"] == pytest.approx(tc.scores(q, y)["ece"], abs=1e-4)
    assert c["raw"]["ece"] == pytest.approx(tc.scores(over, y)["ece"], abs=1e-4)
    assert c["30"]["draws"] == c["300"]["draws"] == 40
    # the temperatures found sit about the one that made the rows over-confident, closer with more rows
    t30, t300 = c["30"]["temperature_median_p5_p95"], c["300"]["temperature_median_p5_p95"]
    assert t300[1] <= 1 / 0.6 <= t300[2] and (t300[2] - t300[1]) < (t30[2] - t30[1])
    assert c["300"]["ece_sd"] < c["30"]["ece_sd"] and c["300"]["ece_mean"] < c["raw"]["ece"]
    assert c["300"]["share_ece_below_raw"] > 0.9


def test_the_rows_curve_is_kept_with_rows_given(xf, tmp_path):
    probs, y = _calibrated(600, 10)
    _write_folds(tmp_path, probs[:, 0], y, t_one=1.8, t_tta=1.0, sets=np.array(["1|2"] * 600))
    r = xf.add_fold_extras({"as_trained": {}}, tmp_path, "m", "p_tta", y, rows=[50], draws=3)
    assert r["raw_rows_curve"]["50"]["draws"] == 3
    # each fold's own raw rows, fitted in-sample (calibrated by construction: near 1 on 200 rows)
    from starclass.learn.calibration import ModelCalibration

    fold = np.arange(600) % 3
    own = [ModelCalibration.fit(probs[fold == k], y[fold == k], [1, 2]).temperature for k in range(3)]
    assert r["raw_rows_curve"]["temperature_in_sample_per_fold"] == pytest.approx(own, abs=1e-4)
    assert all(0.7 < t < 1.4 for t in own), own
    assert "raw_rows_curve" not in xf.add_fold_extras({"as_trained": {}}, tmp_path, "m", "p_tta", y)
