"""Evaluation that knows the task: every figure against scikit-learn for 2, 3, 4 and 5 classes."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from astropy.table import Table
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    balanced_accuracy_score,
    f1_score,
    precision_recall_fscore_support,
    precision_score,
    recall_score,
    roc_auc_score,
)

from starclass.errors import StarclassError
from starclass.evaluate.compare import compare, evaluate_catalogs
from starclass.evaluate.task import EvalTask, resolve_task
from starclass.learn.config import get_preset
from starclass.report import run_evaluation

# the evaluations' and reports' figures are built but not rendered to PNG (conftest's unrendered_figures): these
# tests read the printed lines, tables and pages around them, and rendering was about half of each command
pytestmark = pytest.mark.usefixtures("unrendered_figures")


def _catalogue(n: int, k: int, seed: int, signal: float = 1.2) -> Table:
    """Objects with reference classes 1..k, softmax probabilities leaning to the truth, and magnitudes."""
    rng = np.random.default_rng(seed)
    ref = rng.integers(1, k + 1, n)
    logits = rng.normal(size=(n, k))
    logits[np.arange(n), ref - 1] += signal
    p = np.exp(logits)
    p /= p.sum(axis=1, keepdims=True)
    t = Table({"id": np.arange(1, n + 1), "x": rng.uniform(0, 1000, n), "y": rng.uniform(0, 1000, n), "class_ref": ref,
               "class_pred": np.argmax(p, axis=1) + 1})
    for j in range(k):
        t[f"prob_{j + 1}"] = p[:, j]
    t["mag_f555w"] = rng.uniform(19.0, 25.0, n)
    return t


def _self(t: Table, task: EvalTask, **kw):
    return compare(t, t, task, ref_is_pred=True, n_boot=0, **kw)


@pytest.mark.parametrize("k", [2, 3, 4, 5])
def test_accuracy_f1_balanced_accuracy_equal_sklearn(k):
    t = _catalogue(400, k, seed=k)
    task = EvalTask.from_classes(range(1, k + 1))
    c = _self(t, task)
    ref, pred = np.asarray(t["class_ref"]), np.asarray(t["class_pred"])
    first = c.results[0]
    assert first.merge == f"{k}class"
    assert first.accuracy == pytest.approx(accuracy_score(ref, pred))
    assert first.balanced_accuracy == pytest.approx(balanced_accuracy_score(ref, pred))
    labels = list(range(1, k + 1))
    prec, rec, f1, support = precision_recall_fscore_support(ref, pred, labels=labels, zero_division=0)
    pc = first.per_class
    np.testing.assert_allclose(pc["precision"], prec)
    np.testing.assert_allclose(pc["recall"], rec)
    np.testing.assert_allclose(pc["f1"], f1)
    np.testing.assert_array_equal(pc["n_ref"], support)
    ovr = [balanced_accuracy_score(ref == j, pred == j) for j in labels]
    np.testing.assert_allclose(pc["one_vs_rest_balanced_accuracy"], ovr)
    # the PHANGS merges belong to the four PHANGS classes only
    assert ("12v34" in task.merges) == (k == 4)


def _check_threshold_study(st, y, score, mags, target):
    for row in st.scan:
        sel = score >= row["threshold"]
        if sel.any():
            assert row["purity"] == pytest.approx(precision_score(y, sel))
            assert row["f1"] == pytest.approx(f1_score(y, sel))
        assert row["recall"] == pytest.approx(recall_score(y, sel))
    ch = st.chosen
    assert ch is not None and ch["purity"] >= target
    sel = score >= ch["threshold"]
    assert ch["purity"] == pytest.approx(precision_score(y, sel))
    assert ch["recall"] == pytest.approx(recall_score(y, sel))
    # no lower threshold at an observed score reaches the target with more objects kept
    lower = np.unique(score[score < ch["threshold"]])
    assert all(precision_score(y, score >= s) < target for s in lower[-20:] if (score >= s).sum() >= 10)
    thr = st.magnitude_threshold
    for row in st.magnitude:
        m = mags < row["mag_hi"]
        if (score[m] >= thr).any():
            assert row["purity"] == pytest.approx(precision_score(y[m], score[m] >= thr))
        if y[m].any():
            assert row["recall"] == pytest.approx(recall_score(y[m], score[m] >= thr))


def test_binary_curves_and_thresholds_equal_sklearn():
    t = _catalogue(500, 2, seed=11)
    task = EvalTask.from_classes((1, 2), positive_class=1)
    c = _self(t, task, target_purity=0.7)
    ref = np.asarray(t["class_ref"])
    y, score = ref == 1, np.asarray(t["prob_1"])
    (cs,) = c.curves
    assert [cu.label for cu in cs.roc] == ["1"]  # a binary task: one curve, of the positive class
    assert cs.areas["roc_auc"][0] == pytest.approx(roc_auc_score(y, score))
    assert cs.areas["average_precision"][0] == pytest.approx(average_precision_score(y, score))
    (st,) = c.thresholds
    assert st.label == "1"
    _check_threshold_study(st, y, score, np.asarray(t["mag_f555w"]), 0.7)


def test_binary_positive_class_two():
    t = _catalogue(300, 2, seed=5)
    c = _self(t, EvalTask.from_classes((1, 2), positive_class=2), target_purity=0.6)
    y, score = np.asarray(t["class_ref"]) == 2, np.asarray(t["prob_2"])
    assert c.curves[0].areas["roc_auc"][0] == pytest.approx(roc_auc_score(y, score))
    _check_threshold_study(c.thresholds[0], y, score, np.asarray(t["mag_f555w"]), 0.6)


def test_three_class_one_vs_rest_equal_sklearn():
    t = _catalogue(600, 3, seed=3, signal=1.6)
    task = EvalTask.from_config(get_preset("cool-core"))
    c = _self(t, task, target_purity=0.6)
    ref = np.asarray(t["class_ref"])
    (cs,) = c.curves
    for j, row in zip((1, 2, 3), cs.areas):
        assert row["class"] == str(j)
        assert row["roc_auc"] == pytest.approx(roc_auc_score(ref == j, t[f"prob_{j}"]))
        assert row["average_precision"] == pytest.approx(average_precision_score(ref == j, t[f"prob_{j}"]))
    # no positive class: every class gets its own threshold and magnitude study
    assert [st.label for st in c.thresholds] == ["1", "2", "3"]
    for j, st in zip((1, 2, 3), c.thresholds):
        _check_threshold_study(st, ref == j, np.asarray(t[f"prob_{j}"]), np.asarray(t["mag_f555w"]), 0.6)


def test_one_class_predictor_gets_auc_half_and_a_warning():
    t = _catalogue(200, 2, seed=8)
    t["class_pred"] = 1
    t["prob_1"], t["prob_2"] = 0.7, 0.3
    with pytest.warns(UserWarning, match="puts all 200 labelled objects in class 1"):
        c = _self(t, EvalTask.from_classes((1, 2), positive_class=1))
    assert c.curves[0].areas["roc_auc"][0] == pytest.approx(0.5)
    assert c.results[0].accuracy == pytest.approx(np.mean(t["class_ref"] == 1))
    assert any("puts all" in n for n in c.notes)


def _classified_binary(n=300, seed=2) -> Table:
    """A binary catalogue as `starclass classify` writes it for the galaxy-cluster task."""
    t = _catalogue(n, 2, seed=seed)
    cfg = get_preset("galaxy-cluster")
    t.meta.update({"task": cfg.name, "classes": [1, 2], "class_names": list(cfg.class_names), "threshold": 0.5,
                   "positive_class": 1, "eval_merges": {}, "reference_merge": {}})
    return t


def test_regression_binary_catalogue_is_not_read_as_phangs(tmp_path):
    # Old evaluate read class 2 (non-cluster) as PHANGS class 2: a one-class predictor got
    # accuracy[12v34] = accuracy[123v4] = 1.000. Now it gets the binary accuracy only.
    t = _classified_binary()
    t["class_pred"] = 2
    path = tmp_path / "classified.ecsv"
    t.write(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        res = run_evaluation(str(path), None, tmp_path / "ev", n_boot=20, science=False)
    (accs,) = res["headline"].values()
    assert set(accs) == {"2class"}
    assert accs["2class"] == pytest.approx(accuracy_score(t["class_ref"], t["class_pred"]), abs=1e-4)
    assert accs["2class"] < 0.6


def test_m31_reference_classes_are_mapped_like_training_labels():
    # m31-binary maps PHANGS reference classes 1, 2 -> cluster (1) and 3, 4 -> non-cluster (2)
    rng = np.random.default_rng(0)
    phangs = rng.integers(1, 5, 200)
    binary = np.where(phangs <= 2, 1, 2)
    pred = np.where(rng.random(200) < 0.8, binary, 3 - binary)
    t = Table({"class_ref": phangs, "class_pred": pred, "prob_1": np.where(pred == 1, 0.8, 0.2)})
    t["prob_2"] = 1 - t["prob_1"]
    ev = evaluate_catalogs(t, task="m31-binary", n_boot=0)
    (acc,) = ev.headline().values()
    assert acc == {"2class": pytest.approx(accuracy_score(binary, pred), abs=1e-4)}
    assert ev.task.positive == 1 and ev.task.threshold == pytest.approx(0.669)
    bad = t.copy()
    bad["class_ref"][7] = 6
    with pytest.raises(StarclassError, match=r"class 6 \(row 8\).*m31-binary"):
        evaluate_catalogs(bad, task="m31-binary", n_boot=0)


def test_where_the_task_comes_from():
    t = _classified_binary()
    assert resolve_task(t) == (EvalTask.from_meta(t.meta), None)
    assert resolve_task(t)[0].name == "galaxy-cluster"
    bare = Table({"class_pred": [1, 2, 3], "class_ref": [1, 2, 2], "prob_1": [1.0, 0, 0], "prob_2": [0, 1.0, 0],
                  "prob_3": [0, 0, 1.0]})
    task, note = resolve_task(bare)
    assert task.classes == (1, 2, 3) and "prob_<k>" in note
    task, note = resolve_task(bare, "cool-core")
    assert task.name == "cool-core" and note is None
    task, note = resolve_task(Table({"class_pred": [1], "class_ref": [1]}))
    assert task.phangs_like and "PHANGS" in note
    with pytest.raises(StarclassError, match="no-such-task"):
        resolve_task(bare, "no-such-task")


def test_eval_merges_from_the_config():
    cfg = get_preset("cool-core", eval_merges={"1v23": {"cool": [1], "other": [2, 3]}})
    task = EvalTask.from_config(cfg)
    assert list(task.merges) == ["3class", "1v23"]
    t = _catalogue(200, 3, seed=4)
    c = _self(t, task)
    merged_ref, merged_pred = np.asarray(t["class_ref"]) == 1, np.asarray(t["class_pred"]) == 1
    assert c.results[1].accuracy == pytest.approx(accuracy_score(merged_ref, merged_pred))
    assert cfg.copy().eval_merges == cfg.eval_merges  # survives to_dict / from_dict
    with pytest.raises(StarclassError, match="eval_merges"):
        get_preset("cool-core", eval_merges={"bad": {"a": [1], "b": [2]}})


def test_cli_headline_accuracy_is_rounded_once(tmp_path):
    """27 right of 132 (0.20455): the headline printed 0.204 (0.2045 rounded again), the details 0.205."""
    from typer.testing import CliRunner

    from starclass.cli import app

    ref = np.repeat([1, 2, 3, 4], 33)
    pred = np.where(np.arange(132) < 27, ref, ref % 4 + 1)
    t = Table({"id": np.arange(1, 133), "x": np.arange(132.0), "y": np.zeros(132), "class_ref": ref,
               "class_pred": pred})
    t.write(tmp_path / "classified.ecsv")
    res = CliRunner().invoke(app, ["evaluate", str(tmp_path / "classified.ecsv"), "-o", str(tmp_path / "ev"),
                                   "--bootstrap", "0", "--no-science"])
    assert res.exit_code == 0, res.output
    acc = accuracy_score(ref, pred)
    assert acc == pytest.approx(27 / 132)
    # said once, rounded once (a headline 'accuracy[4class] = 0.204' above it was printed until 2026-12-07)
    assert f"4class: accuracy {acc:.3f}" in res.output and "accuracy[" not in res.output, res.output


def test_no_reference_names_the_missing_column(tmp_path):
    """A human catalogue (class_ref, no class_pred) alone: the message said it had no class_ref."""
    from typer.testing import CliRunner

    from starclass.cli import app

    t = Table({"id": [1, 2, 3], "x": [1.0, 9.0, 20.0], "y": [1.0, 9.0, 20.0], "class_ref": [1, 2, 4]})
    t.write(tmp_path / "humans.ecsv")
    res = CliRunner().invoke(app, ["evaluate", str(tmp_path / "humans.ecsv"), "-o", str(tmp_path / "ev"),
                                   "--bootstrap", "0"])
    assert res.exit_code == 2
    assert "has class_ref but no class_pred" in res.output and "-r" in res.output
    assert "Traceback" not in res.output and not (tmp_path / "ev").exists()
    t.remove_column("class_ref")
    with pytest.raises(StarclassError, match="no class_pred and no class_ref"):
        evaluate_catalogs(t, n_boot=0)


def test_a_reference_without_a_class_is_named(tmp_path):
    """A LEGUS file whose class column is unknown (NGC 3351) as a reference: 'catalogue has neither
    class_pred nor class_ref' named no file, and said nothing of the layout."""
    from starclass.io.catalog import write_catalog

    pred = Table({"x": [1.0, 9.0], "y": [1.0, 9.0], "class_pred": [1, 2]})
    ref = Table({"id": [1, 2], "x": [1.0, 9.0], "y": [1.0, 9.0], "legus_col35": [1.0, 2.0]},
                meta={"legus_layout": "unknown-class", "layout_certain": False,
                      "layout_note": "col 34 holds only 0/1: the class column is not known"})
    write_catalog(ref, tmp_path / "ngc3351.ecsv")
    with pytest.raises(StarclassError) as exc:
        evaluate_catalogs(pred, [str(tmp_path / "ngc3351.ecsv")], task="legus4", n_boot=0)
    msg = str(exc.value)
    assert msg.startswith(f"{tmp_path / 'ngc3351.ecsv'} has neither class_pred nor class_ref")
    assert "LEGUS catalogue of layout 'unknown-class': col 34 holds only 0/1" in msg


def test_a_prediction_without_class_pred_says_its_class_ref_is_scored():
    """``evaluate truth.ecsv -r humans.ecsv`` (a catalogue never classified) printed accuracies as
    if of a model: its class_ref was scored as the prediction without a word."""
    from astropy.table import Table

    from starclass.evaluate.compare import evaluate_catalogs

    xy = {"id": [1, 2, 3, 4], "x": [10.0, 20, 30, 40], "y": [10.0, 20, 30, 40]}
    truth = Table({**xy, "class_ref": [1, 2, 3, 4]})
    people = Table({**xy, "class_ref": [1, 2, 4, 4]})
    ev = evaluate_catalogs(truth, [people], n_boot=0)
    assert ev.scored and "class_ref" in ev.scored and "no class_pred" in ev.scored, ev.scored
    classified = Table({**xy, "class_pred": [1, 2, 3, 3], "class_ref": [1, 2, 3, 4]})
    assert not evaluate_catalogs(classified, [people], n_boot=0).scored
