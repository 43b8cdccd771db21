"""Issue 17: calibration (temperature, ECE, Brier), conformal sets (crepes) and uncertainty signals.

Every metric is checked against an independent computation (scikit-learn, or a count done by
hand in the comments) for binary, three-, four- and five-class tasks.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from astropy.table import Table
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score
from typer.testing import CliRunner

from conftest import write_toy_held_out
from starclass.cli import app
from starclass.datasets.stamps import make_synthetic_field
from starclass.errors import StarclassError
from starclass.evaluate.reliability import (
    brier_score,
    coverage_table,
    deferral_curve,
    expected_calibration_error,
    parse_sets,
    reliability_table,
    set_size_table,
    signal_aurocs,
)
from starclass.io.catalog import read_catalog, write_catalog
from starclass.learn.calibration import ModelCalibration, TemperatureScaler, temper
from starclass.learn.checkpoint import load_model
from starclass.learn.conformal import ClassConditionalConformal, format_sets

KS = [2, 3, 4, 5]
runner = CliRunner()


def _rows(k: int, conf: float) -> np.ndarray:
    """One probability row whose top class (index 0) has probability ``conf``; the rest share the remainder."""
    p = np.full(k, (1.0 - conf) / (k - 1))
    p[0] = conf
    return p


@pytest.mark.parametrize("k", KS)
def test_ece_matches_a_hand_count(k):
    # 4 rows at confidence 0.9, 3 of them right; 2 rows at 0.6, 1 right. By hand, 5 bins:
    # bin (0.8, 1.0]: |3/4 - 0.9| = 0.15 weighted 4/6; bin (0.4, 0.6]: |1/2 - 0.6| = 0.1 weighted 2/6
    # ECE = 0.1 + 0.1/3 = 0.13333...
    probs = np.array([_rows(k, 0.9)] * 4 + [_rows(k, 0.6)] * 2)
    y = np.array([0, 0, 0, 1, 0, 1])
    assert expected_calibration_error(probs, y, n_bins=5) == pytest.approx(0.1 + 0.1 / 3)
    t = reliability_table(probs, y, n_bins=5)
    assert t["n"].tolist() == [0, 0, 2, 0, 4]  # 0.6 is in (0.4, 0.6], not (0.6, 0.8]
    assert t["accuracy"][4] == pytest.approx(0.75)
    # perfectly calibrated rows give 0 and a single wrong certain row gives 1
    assert expected_calibration_error(np.array([_rows(k, 1.0)]), np.array([1])) == pytest.approx(1.0)


@pytest.mark.parametrize("k", KS)
def test_brier_matches_scikit_learn(k):
    rng = np.random.default_rng(k)
    p = rng.dirichlet(np.ones(k), 200)
    y = rng.integers(0, k, 200)
    y[:k] = np.arange(k)  # every class present
    expect = sum(brier_score_loss((y == j).astype(int), p[:, j]) for j in range(k))
    assert brier_score(p, y) == pytest.approx(expect)
    if k == 2:
        assert brier_score(p, y) == pytest.approx(2 * brier_score_loss(y, p[:, 1]))


@pytest.mark.parametrize("k", KS)
def test_temperature_is_the_minimum_of_scikit_learns_log_loss(k):
    rng = np.random.default_rng(10 + k)
    n = 2000
    logits = rng.normal(0, 2.5, (n, k))
    truth_p = np.exp(logits / 2.0)
    truth_p /= truth_p.sum(1, keepdims=True)
    y = np.array([rng.choice(k, p=row) for row in truth_p])  # labels drawn at temperature 2
    model_p = np.exp(logits)
    model_p /= model_p.sum(1, keepdims=True)  # the over-confident model: temperature 1
    ts = TemperatureScaler().fit(model_p, y)
    grid = np.linspace(1.0, 3.5, 126)
    losses = [log_loss(y, temper(model_p, t), labels=np.arange(k)) for t in grid]
    assert ts.temperature_ == pytest.approx(grid[int(np.argmin(losses))], abs=0.03)
    assert ts.temperature_ == pytest.approx(2.0, abs=0.3)
    assert ts.nll_after_ == pytest.approx(log_loss(y, ts.predict_proba(model_p), labels=np.arange(k)))
    assert ts.nll_after_ < ts.nll_before_
    # tempering never changes the most probable class, and lowers the ECE here
    assert np.array_equal(ts.predict_proba(model_p).argmax(1), model_p.argmax(1))
    assert expected_calibration_error(ts.predict_proba(model_p), y) < expected_calibration_error(model_p, y)


def test_temper_keeps_nan_rows_and_refuses_bad_temperatures():
    out = temper(np.array([[np.nan, np.nan], [0.5, 0.5]]), 2.0)
    assert np.isnan(out[0]).all() and out[1].tolist() == [0.5, 0.5]
    with pytest.raises(StarclassError, match="temperature"):
        temper(np.array([[0.5, 0.5]]), 0.0)
    with pytest.raises(StarclassError, match="labels"):
        TemperatureScaler().fit(np.array([[0.5, 0.5]]), np.array([0, 1]))


@pytest.mark.parametrize("k", KS)
def test_conformal_sets_match_a_hand_computation_and_cover_every_class(k):
    rng = np.random.default_rng(20 + k)

    def draw(n):
        y = rng.integers(0, k, n)
        p = rng.dirichlet(np.ones(k) * 0.7, n)
        p[np.arange(n), y] += rng.uniform(0, 1.5, n)  # informative but noisy
        return p / p.sum(1, keepdims=True), y

    p_cal, y_cal = draw(800 * k)
    p_te, y_te = draw(1000 * k)
    cp = ClassConditionalConformal(smoothing=False).fit(p_cal, y_cal)
    sets = cp.predict_set(p_te, coverage=0.9)
    # by hand: class j is in the set when (#{class-j calibration scores >= score} + 1) / (n_j + 1) >= 0.1
    cal_scores = [1 - p_cal[y_cal == j, j] for j in range(k)]
    hand = np.zeros_like(sets)
    for j in range(k):
        s = 1 - p_te[:, j]
        count = (cal_scores[j][None, :] >= s[:, None]).sum(1)
        hand[:, j] = (count + 1) / (len(cal_scores[j]) + 1) >= 0.1
    assert np.array_equal(sets, hand)
    # smoothed (default) sets: class-conditional coverage near 90% for every class
    sm = ClassConditionalConformal().fit(p_cal, y_cal).predict_set(p_te, coverage=0.9)
    cov = coverage_table(sm, y_te, list(range(1, k + 1)), 0.9)
    per_class = np.asarray(cov["coverage"][:-1], float)
    assert np.all(np.abs(per_class - 0.9) < 0.05), per_class
    # hand count of the coverage table
    assert cov["coverage"][0] == pytest.approx(np.mean(sm[y_te == 0, 0]))
    assert cov["mean_set_size"][-1] == pytest.approx(sm.sum(1).mean())


@pytest.mark.parametrize("smoothing", [False])
def test_conformal_p_values_are_crepes_own(smoothing):
    """p-values are counted by binary search now, not by crepes' loop over rows: the same numbers.

    Unsmoothed only: the smoothing weight is now each row's own (crepes draws it by position), and
    tests/test_conformal_row_order.py checks the smoothed p-values against crepes' formula and bounds.
    """
    from crepes import ConformalClassifier
    from crepes.extras import hinge

    rng = np.random.default_rng(7)
    y_cal = rng.integers(0, 3, 150)
    # probabilities on a grid of 0.05, so that calibration and new scores tie often
    p_cal = np.round(rng.dirichlet(np.ones(3), 150) / 0.05) * 0.05
    p_new = np.round(rng.dirichlet(np.ones(3), 400) / 0.05) * 0.05
    p_new[5] = np.nan
    cp = ClassConditionalConformal(smoothing=smoothing, seed=11).fit(p_cal, y_cal)
    got = cp.predict_p(p_new)
    crepes = ConformalClassifier().fit(hinge(p_cal, np.arange(3), y_cal), bins=y_cal.astype(np.int64))
    ok = np.isfinite(p_new).all(1)
    assert np.isnan(got[~ok]).all() and not np.isnan(got[ok]).any()
    for j in range(3):
        want = crepes.predict_p(hinge(p_new[ok])[:, j], bins=np.full(ok.sum(), j, dtype=np.int64),
                                smoothing=smoothing, seed=11 + j)
        np.testing.assert_array_equal(got[ok, j], want)


def test_conformal_errors_and_set_strings():
    with pytest.raises(StarclassError, match="every class"):
        ClassConditionalConformal().fit(np.array([[0.6, 0.4], [0.7, 0.3]]), np.array([0, 0]))
    with pytest.raises(StarclassError, match="above 0 and below 1"):
        ClassConditionalConformal().fit(np.array([[0.6, 0.4], [0.3, 0.7]]), np.array([0, 1])).predict_set(
            np.array([[0.5, 0.5]]), coverage=1.5)
    sets = np.array([[True, False, True], [False, False, False], [False, True, False]])
    text = format_sets(sets, [1, 2, 3])
    assert text.tolist() == ["1|3", "", "2"]
    assert np.array_equal(parse_sets(text, [1, 2, 3]), sets)
    with pytest.raises(StarclassError, match="not one of"):
        parse_sets(["7"], [1, 2])
    assert set_size_table(sets.sum(1), 3)["n"].tolist() == [1, 1, 1, 0]


def test_deferral_and_mistake_auroc_against_hand_counts_and_scikit_learn():
    u = np.array([0.9, 0.1, 0.2, 0.8, 0.5])
    ok = np.array([False, True, True, True, False])
    t = deferral_curve(u, ok, [0.0, 0.2, 0.4])
    # 0%: 3/5 right; 20%: drop 0.9 (wrong) -> 3/4; 40%: drop 0.9 and 0.8 -> rows 0.1, 0.2, 0.5: 2/3
    assert t["accuracy_kept"].tolist() == pytest.approx([0.6, 0.75, 2 / 3])
    rng = np.random.default_rng(1)
    sig = rng.random(50)
    wrong = rng.random(50) < 0.4
    a = signal_aurocs({"s": sig, "nan": np.full(50, np.nan)}, wrong)
    assert a["auroc"][0] == pytest.approx(roc_auc_score(wrong, sig))
    assert np.isnan(a["auroc"][1])


def test_a_constant_signal_has_no_mistake_auroc():
    """A one-member ensemble's prob_std is 0 on every row: evaluate printed its AUROC as 0.500."""
    from starclass.evaluate.reliability import trust_study

    rng = np.random.default_rng(2)
    p = rng.dirichlet(np.ones(3), 60)
    y = rng.integers(0, 3, 60)
    a = signal_aurocs({"spread": np.zeros(60), "conf": 1 - p.max(axis=1)}, p.argmax(axis=1) != y)
    assert np.isnan(a["auroc"][0]) and a["note"][0] == "the same on every row"
    assert a["auroc"][1] == pytest.approx(roc_auc_score(p.argmax(axis=1) != y, 1 - p.max(axis=1)))
    study = trust_study(p, y, p.argmax(axis=1), {"prob_std": np.zeros(60)}, [1, 2, 3])
    line = [x for x in study.lines() if "mistake AUROC" in x][0]
    assert "prob_std) 0.500" not in line and "not measured: ensemble spread (prob_std) (the same on every row)" in line
    assert study.to_dict()["signal_auroc"]["ensemble spread (prob_std)"] is None


# ------------------------------------------------------------------------ models end to end


@pytest.fixture(scope="module")
def model(toy_trust_model):
    """A two-member four-class toy model trained for one epoch (its validation split calibrates it)."""
    return toy_trust_model  # conftest: trained once a session, the model copied for this module


def test_training_stores_a_calibration_covered_by_digests(model):
    root, cfg, toy, result = model
    doc = json.loads((root / "model" / "manifest.json").read_text())
    cal = doc["calibration"]
    assert cal["n"] == result.n_val and cal["temperature"] > 0
    assert any("calibration: temperature" in n for n in result.notes)
    loaded = load_model(root / "model")
    mc = ModelCalibration.from_dict(loaded.calibration)
    # the stored rows are the ensemble's mean probabilities on the validation rows
    from starclass.learn.classify import predict_inputs

    raw = predict_inputs(loaded, toy.inputs[result.val_index], calibrated=False).prob_mean
    assert np.allclose(mc.probs, raw, atol=1e-6)
    # an edited temperature, or weights other than those it was fitted with, are refused
    edited = dict(doc, calibration=dict(cal, temperature=cal["temperature"] * 2))
    (root / "model" / "manifest.json").write_text(json.dumps(edited))
    try:
        with pytest.raises(StarclassError, match="digest"):
            load_model(root / "model")
        other = dict(doc, calibration=dict(cal, member_digests=["0" * 64] * 2))
        from starclass.learn.checkpoint import calibration_digest

        other["calibration"]["digest"] = calibration_digest(other["calibration"])
        (root / "model" / "manifest.json").write_text(json.dumps(other))
        with pytest.raises(StarclassError, match="other member weights"):
            load_model(root / "model")
    finally:
        (root / "model" / "manifest.json").write_text(json.dumps(doc))


def test_predict_and_classify_write_calibrated_probabilities_sets_and_tta_spread(model):
    from starclass.learn.classify import classify, predict_inputs

    root, cfg, toy, _ = model
    loaded = load_model(root / "model")
    res = predict_inputs(loaded, toy.inputs[:20], tta=True)
    # TTA-averaged probabilities get the temperature fitted under TTA (train fits one with and one without)
    t = loaded.calibration["with_tta"]["temperature"]
    assert np.allclose(res.prob_mean, temper(res.prob_raw, t))
    assert res.tta_std.shape == (20,) and np.all(res.tta_std >= 0)
    images, table = make_synthetic_field(cfg, 12, seed=5)
    out = classify(images, table, loaded, progress=False, device="cpu", tta=True)
    assert {"prob_1_raw", "prob_4_raw", "pred_set", "pred_set_size", "tta_std"} <= set(out.colnames)
    assert np.allclose(np.column_stack([out[f"prob_{c}"] for c in cfg.classes]),
                       temper(np.column_stack([out[f"prob_{c}_raw"] for c in cfg.classes]), t))
    sizes = [0 if s == "" else len(str(s).split("|")) for s in out["pred_set"]]
    assert sizes == out["pred_set_size"].tolist()
    assert out.meta["calibrated"] and out.meta["coverage"] == 0.9
    raw = classify(images, table, loaded, progress=False, device="cpu", tta=True, calibrated=False, coverage=None)
    assert "prob_1_raw" not in raw.colnames and "pred_set" not in raw.colnames
    assert np.allclose(raw["prob_1"], out["prob_1_raw"], atol=1e-6)
    assert np.array_equal(raw["class_pred"], out["class_pred"])  # calibration never changes a class


def test_predict_and_classify_write_mutual_information_over_tta_views_and_members(model):
    """BALD: mutual_info is H(mean) - mean H over every TTA view of every member, of the raw
    probabilities; with one member and no TTA (one prediction per row) it is not written."""
    import dataclasses

    from starclass.learn.classify import classify, member_probabilities, predict_inputs
    from starclass.suggest import mutual_information

    root, cfg, toy, _ = model
    loaded = load_model(root / "model")
    assert len(loaded.members) == 2
    x = toy.inputs[:10]
    res = predict_inputs(loaded, x, tta=True, precision="fp32")
    _, views = member_probabilities(loaded.members, x, tta=True, amp=False, return_views=True, per_member=True)
    assert views.shape == (2, 8, 10, cfg.n_classes)
    expect = mutual_information(views.reshape(16, 10, cfg.n_classes))
    assert np.allclose(res.mutual_info, expect, atol=1e-6) and np.all(res.mutual_info >= 0)
    # two members without TTA: the members are the views
    plain = predict_inputs(loaded, x, tta=False, precision="fp32")
    members = member_probabilities(loaded.members, x, tta=False, amp=False)
    assert np.allclose(plain.mutual_info, mutual_information(members), atol=1e-6)
    one = dataclasses.replace(loaded, members=loaded.members[:1], calibration=None)
    assert predict_inputs(one, x, tta=False).mutual_info is None
    assert predict_inputs(one, x, tta=True).mutual_info.shape == (10,)
    images, table = make_synthetic_field(cfg, 8, seed=6)
    out = classify(images, table, loaded, progress=False, device="cpu", tta=True, precision="fp32")
    assert "mutual_info" in out.colnames and np.all(np.asarray(out["mutual_info"]) >= 0)
    assert "mutual_info" not in classify(images, table, one, progress=False, device="cpu").colnames
    assert "mutual_info" in classify(images, table, one, progress=False, device="cpu", tta=True).colnames
    # suggest --by mutual-info --mosaics classifies with TTA (classified(..., tta=True))
    from starclass.suggest.pick import classified

    got = classified(root / "model", table, images, device="cpu", tta=True)
    assert {"tta_std", "mutual_info"} <= set(got.colnames)


def test_evaluate_reports_calibration_and_coverage_from_a_classified_table(tmp_path):
    from starclass.report.build import run_evaluation

    rng = np.random.default_rng(0)
    n = 120
    y = rng.integers(1, 4, n)
    p = rng.dirichlet(np.ones(3), n)
    p[np.arange(n), y - 1] += 0.7
    p /= p.sum(1, keepdims=True)
    t = Table({"id": np.arange(n), "x": np.arange(n) * 10.0, "y": np.zeros(n), "class_ref": y,
               "class_pred": p.argmax(1) + 1})
    for j in range(3):
        t[f"prob_{j + 1}"] = p[:, j]
        t[f"prob_{j + 1}_raw"] = temper(p, 0.5)[:, j]
    sets = rng.random((n, 3)) < 0.6
    t["pred_set"] = format_sets(sets, [1, 2, 3])
    t["pred_set_size"] = sets.sum(1)
    t.meta.update({"classes": [1, 2, 3], "coverage": 0.9, "temperature": 2.0})
    write_catalog(t, tmp_path / "p.ecsv")
    res = run_evaluation(str(tmp_path / "p.ecsv"), None, tmp_path / "ev", n_boot=0, science=False)
    trust = json.loads((tmp_path / "ev" / "summary.json").read_text())["trust"]["p_class_ref"]
    assert trust["ece"] == pytest.approx(expected_calibration_error(p, y - 1), abs=1e-5)
    assert trust["brier_raw"] == pytest.approx(brier_score(temper(p, 0.5), y - 1), abs=1e-5)
    assert trust["coverage"]["2"] == pytest.approx(np.mean(sets[y == 2, 1]), abs=1e-5)
    assert {f.name for f in res["figures"]} >= {"reliability_p_class_ref.png",
                                                 "deferral_p_class_ref.png"}
    assert any("conformal coverage at 90%" in line for line in res["details"])


def test_ece_from_a_few_rows_is_said_to_be_not_meaningful(tmp_path, monkeypatch):
    """evaluate on 3 classified rows with labels printed 'calibration: ECE 0.3333' and drew the
    reliability diagram with nothing saying that 3 rows cannot measure calibration; the text and
    the figure now say so below RELIABILITY_MIN_ROWS rows, and not from it on."""
    import starclass.report.sections as sections

    min_rows = 100  # evaluate.reliability.RELIABILITY_MIN_ROWS, named here so the old code fails on the text
    drawn = {}

    def record(fig):
        # the note is drawn under the histogram's x label (a text of the figure or of any panel), not on the curves
        drawn[fig.axes[0].get_title()] = [t.get_text() for t in fig.texts + [t for ax in fig.axes for t in ax.texts]]
        import matplotlib.pyplot as plt
        plt.close(fig)
        return ""

    monkeypatch.setattr(sections, "to_png_base64", record)
    from starclass.report.build import build_report

    for n, said in ((3, True), (min_rows, False)):
        rng = np.random.default_rng(n)
        ref = rng.integers(1, 3, n)
        p1 = rng.uniform(0.05, 0.95, n)
        t = Table({"id": np.arange(n), "x": np.arange(n) * 10.0, "y": np.zeros(n), "class_ref": ref,
                   "class_pred": np.where(p1 >= 0.5, 1, 2), "prob_1": p1, "prob_2": 1 - p1})
        write_catalog(t, tmp_path / f"p{n}.ecsv")
        r = CliRunner().invoke(app, ["evaluate", str(tmp_path / f"p{n}.ecsv"), "-r", "self", "--task", "m31-real",
                                     "--bootstrap", "0", "-o", str(tmp_path / f"ev{n}")])
        assert r.exit_code == 0, r.output
        note = f"ECE and the reliability diagram from {n} rows are not meaningful (fewer than {min_rows}"
        assert (note in r.output) is said
        drawn.clear()
        build_report(str(tmp_path / f"p{n}.ecsv"), ["self"], tmp_path / f"r{n}", task="m31-real", n_boot=0)
        assert any(note in " ".join(x.split()) for x in drawn["reliability diagram"]) is said


def test_cli_calibrate_and_classify_options(model, tmp_path):
    root, cfg, toy, _ = model
    write_toy_held_out(cfg, tmp_path, 40, seed=9)
    import shutil

    shutil.copytree(root / "model", tmp_path / "model")
    res = runner.invoke(app, ["calibrate", str(tmp_path / "model"), str(tmp_path / "mos"), "--catalog",
                              str(tmp_path / "held.ecsv"), "--device", "cpu"])
    assert res.exit_code == 2 and "--overwrite" in res.output  # the existing calibration is kept
    res = runner.invoke(app, ["calibrate", str(tmp_path / "model"), str(tmp_path / "mos"), "--catalog",
                              str(tmp_path / "held.ecsv"), "--device", "cpu", "--overwrite"])
    assert res.exit_code == 0, res.output
    cal = json.loads((tmp_path / "model" / "manifest.json").read_text())["calibration"]
    assert cal["n"] == 40 and cal["source"].endswith("held.ecsv")
    out = tmp_path / "c.ecsv"
    res = runner.invoke(app, ["classify", str(tmp_path / "mos"), "--catalog", str(tmp_path / "held.ecsv"),
                              "--model", str(tmp_path / "model"), "-o", str(out), "--no-progress", "--device",
                              "cpu", "--coverage", "1.5"])
    assert res.exit_code == 2 and "--coverage" in res.output and not out.exists()
    res = runner.invoke(app, ["classify", str(tmp_path / "mos"), "--catalog", str(tmp_path / "held.ecsv"),
                              "--model", str(tmp_path / "model"), "-o", str(out), "--no-progress", "--device",
                              "cpu", "--coverage", "0.8"])
    assert res.exit_code == 0, res.output
    assert "conformal sets at 80% coverage" in res.output
    t = read_catalog(out)
    assert "pred_set" in t.colnames and t.meta["temperature"] == pytest.approx(cal["temperature"])
    # the sizes in words, as the table counts them: "sizes 1: 30, 2: 10" read as classes 1 and 2
    sizes, counts = np.unique(np.asarray(t["pred_set_size"]), return_counts=True)
    words = {0: "empty", 1: "of 1 class"}
    said = ", ".join(f"{c} {words.get(int(k), f'of {k} classes')}" for k, c in zip(sizes, counts))
    assert f"conformal sets at 80% coverage: {said}" in " ".join(res.output.split()), res.output


def test_evaluate_scores_the_mutual_information_beside_the_other_signals(tmp_path):
    """classify --tta writes mutual_info (BALD), but evaluate's mistake AUROC scored entropy, tta_std and
    the set size and never it: the signal suggest --by mutual-info ranks by was not compared. It is now
    a row of the mistake-AUROC table, summary.json and the printed line, with scikit-learn's AUROC."""
    from starclass.report.build import run_evaluation

    rng = np.random.default_rng(4)
    n = 80
    ref = rng.integers(1, 3, n)
    p1 = rng.uniform(0.05, 0.95, n)
    pred = np.where(p1 >= 0.5, 1, 2)
    wrong = pred != ref
    mi = np.where(wrong, 0.3, 0.1) + rng.uniform(0, 0.25, n)  # informative, not perfect
    t = Table({"file": [f"c{i}.png" for i in range(n)], "class_ref": ref, "class_pred": pred,
               "prob_1": p1, "prob_2": 1 - p1, "tta_std": rng.uniform(0, 0.2, n), "mutual_info": mi})
    t.meta.update({"classes": [1, 2]})
    write_catalog(t, tmp_path / "tta.ecsv")
    res = run_evaluation(str(tmp_path / "tta.ecsv"), ["self"], tmp_path / "ev", task="m31-real", n_boot=0,
                         science=False)
    name = "BALD mutual information (mutual_info)"
    summary = json.loads((tmp_path / "ev" / "summary.json").read_text())
    aurocs = summary["trust"]["tta_class_ref"]["signal_auroc"]
    assert aurocs[name] == pytest.approx(roc_auc_score(wrong, mi), abs=1e-5)
    assert {"entropy", "TTA spread (tta_std)"} <= set(aurocs)
    table = Table.read(tmp_path / "ev" / "tables" / "mistake_auroc_tta_class_ref.ecsv")
    assert name in list(table["signal"])
    line = [x for x in res["details"] if "mistake AUROC" in x][0]
    assert f"{name} {roc_auc_score(wrong, mi):.3f}" in line
