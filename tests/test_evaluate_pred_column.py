"""``evaluate --pred-column``: score class_joint (model and people, ``classify --votes``) or a person.

Before, evaluate always scored class_pred: the column ``classify --votes`` writes, the model and
the people combined, could not be scored at all.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    balanced_accuracy_score,
    brier_score_loss,
    f1_score,
    precision_recall_fscore_support,
    precision_score,
    recall_score,
    roc_auc_score,
)
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.evaluate.compare import evaluate_catalogs
from starclass.evaluate.task import EvalTask

# the evaluations' and reports' figures are built but not rendered to PNG (conftest's unrendered_figures): these
# tests read the printed lines, tables and pages around them, and rendering was about half of each command
pytestmark = pytest.mark.usefixtures("unrendered_figures")

runner = CliRunner()
CLASSES = (1, 2, 3)


def _catalogue(n: int = 60, seed: int = 1) -> Table:
    """A classified catalogue with a poor model (class_pred) and a better joint column."""
    rng = np.random.default_rng(seed)
    ref = rng.integers(1, 4, n)
    t = Table({"id": np.arange(1, n + 1), "x": rng.uniform(0, 500, n), "y": rng.uniform(0, 500, n),
               "class_ref": ref})
    for prefix, strength in (("prob", 0.8), ("prob_joint", 2.5)):
        z = rng.normal(0, 1, (n, 3))
        z[np.arange(n), ref - 1] += strength
        p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        for j, k in enumerate(CLASSES):
            t[f"{prefix}_{k}"] = p[:, j]
    t["class_pred"] = np.argmax([t[f"prob_{k}"] for k in CLASSES], axis=0) + 1
    t["class_joint"] = np.argmax([t[f"prob_joint_{k}"] for k in CLASSES], axis=0) + 1
    t["class_h1"] = np.where(rng.random(n) < 0.8, ref, rng.integers(1, 4, n))
    return t


def test_class_joint_is_scored_with_its_own_probabilities_as_sklearn_scores_it():
    t = _catalogue()
    task = EvalTask.from_classes(CLASSES)
    ev = evaluate_catalogs(t, task=task, n_boot=0, pred_column="class_joint")
    assert ev.scored.startswith("scored column class_joint") and "prob_joint_<k>" in ev.scored
    c = ev.comparisons[0]
    y, yp = np.asarray(t["class_ref"]), np.asarray(t["class_joint"])
    r = c.results[0]
    assert r.n == len(t)
    assert r.accuracy == pytest.approx(accuracy_score(y, yp))
    assert r.balanced_accuracy == pytest.approx(balanced_accuracy_score(y, yp))
    prec, rec, f1, _ = precision_recall_fscore_support(y, yp, labels=list(CLASSES), zero_division=0)
    for j, row in enumerate(r.per_class):
        assert (float(row["precision"]), float(row["recall"]), float(row["f1"])) == pytest.approx(
            (prec[j], rec[j], f1[j]))
    p = np.column_stack([np.asarray(t[f"prob_joint_{k}"]) for k in CLASSES])
    areas = {str(row["class"]): row for row in c.curves[0].areas}
    for j, k in enumerate(CLASSES):
        assert float(areas[str(k)]["roc_auc"]) == pytest.approx(roc_auc_score(y == k, p[:, j]))
        assert float(areas[str(k)]["average_precision"]) == pytest.approx(average_precision_score(y == k, p[:, j]))
    # the threshold for the target purity: its purity, recall and F1 are those of the selection it makes
    for st in c.thresholds:
        k = int(st.members[0])
        sel = p[:, CLASSES.index(k)] >= st.chosen["threshold"]
        assert st.chosen["n_selected"] == int(sel.sum())
        assert (st.chosen["purity"], st.chosen["recall"], st.chosen["f1"]) == pytest.approx(
            (precision_score(y == k, sel), recall_score(y == k, sel), f1_score(y == k, sel)))
    assert c.trust.brier == pytest.approx(brier_score_loss(y, p, labels=list(CLASSES)))
    # the model's own figures differ: the column chosen was scored, not class_pred
    assert evaluate_catalogs(t, task=task, n_boot=0).comparisons[0].results[0].accuracy == pytest.approx(
        accuracy_score(y, np.asarray(t["class_pred"])))
    assert accuracy_score(y, np.asarray(t["class_pred"])) != accuracy_score(y, yp)


def test_a_person_is_scored_through_the_reference_map_without_probabilities():
    t = _catalogue()
    task = EvalTask.from_classes((1, 2), reference_map={1: 1, 2: 1, 3: 2})
    t2 = t.copy()
    t2.remove_columns([c for c in t2.colnames if c.startswith("prob")])
    t2["class_pred"] = np.where(t2["class_pred"] == 3, 2, 1)
    ev = evaluate_catalogs(t2, task=task, n_boot=0, pred_column="class_h1")
    merged = {1: 1, 2: 1, 3: 2}
    y = np.array([merged[v] for v in t["class_ref"]])
    yp = np.array([merged[v] for v in t["class_h1"]])
    assert ev.comparisons[0].results[0].accuracy == pytest.approx(accuracy_score(y, yp))
    assert "no probabilities" in ev.scored


def test_a_column_that_cannot_be_scored_is_refused_naming_those_that_can(tmp_path):
    t = _catalogue()
    with pytest.raises(StarclassError, match="class_ref is the reference"):
        evaluate_catalogs(t, task=EvalTask.from_classes(CLASSES), n_boot=0, pred_column="class_ref")
    path = tmp_path / "classified.ecsv"
    t.write(path)
    out = tmp_path / "ev"
    res = runner.invoke(app, ["evaluate", str(path), "--task", _task_file(tmp_path), "--pred-column", "prob_1",
                              "-o", str(out), "--bootstrap", "0", "--no-science"])
    assert res.exit_code == 2
    assert "--pred-column 'prob_1'" in res.output
    assert "class_pred, class_joint, class_h1" in res.output and "Traceback" not in res.output
    assert not out.exists()


@pytest.mark.slow  # writes every figure: 8 s on the loaded 2-core machine
def test_evaluate_cli_prints_what_it_scored(tmp_path):
    t = _catalogue()
    t.meta["classes"] = list(CLASSES)
    path = tmp_path / "classified.ecsv"
    t.write(path)
    res = runner.invoke(app, ["evaluate", str(path), "--pred-column", "class_joint", "-o", str(tmp_path / "ev"),
                              "--bootstrap", "0", "--no-science", "--task", _task_file(tmp_path)])
    assert res.exit_code == 0, res.output
    acc = accuracy_score(np.asarray(t["class_ref"]), np.asarray(t["class_joint"]))
    assert "scored column class_joint" in res.output and f"3class: accuracy {acc:.3f}" in res.output
    # the comparison is named as in the lines below it ("prediction_class_ref: accuracy" read as another one)
    # and as the report's headings name it (it read "prediction class_ref" while class_joint was scored)
    assert "class_joint vs class_ref in classified: " in res.output, res.output
    import json

    assert json.loads((tmp_path / "ev" / "summary.json").read_text())["prediction_column"] == "class_joint"


def _task_file(tmp_path) -> str:
    path = tmp_path / "task.yaml"
    path.write_text("extends: galaxy-cluster\nname: three\nclasses: [1, 2, 3]\nclass_names: [a, b, c]\n"
                    "positive_class: null\nthreshold: null\n")
    return str(path)


def test_class_joint_against_the_catalogues_own_class_ref_is_flagged():
    """class_joint holds the people's votes; scored against the catalogue's own class_ref (often the
    same people's consensus) it looked far better than it is, without a word."""
    t = _catalogue()
    t["n_votes"] = np.where(np.arange(len(t)) < 20, 3, 0)
    task = EvalTask.from_classes(CLASSES)
    said = evaluate_catalogs(t, task=task, n_boot=0, pred_column="class_joint").scored
    assert "class_joint includes people's votes (20 rows with votes)" in said and "-r truth.ecsv" in said
    # an independent reference: nothing to say
    ref = t["x", "y", "class_ref"]
    said = evaluate_catalogs(t, {"truth": ref}, task=task, n_boot=0, pred_column="class_joint").scored
    assert "note" not in said


@pytest.mark.parametrize("command", ["evaluate", "report"])
@pytest.mark.parametrize("option", [["--pred-column", "class_joint"], ["--by", "field"]])
def test_options_of_one_catalogue_are_refused_with_catalogs(tmp_path, command, option):
    """--pred-column and --by score one classified catalogue; report --catalogs ignored --by without a word."""
    (tmp_path / "many").mkdir()
    out = tmp_path / "out"
    res = runner.invoke(app, [command, "--catalogs", str(tmp_path / "many"), *option, "-o", str(out)])
    assert res.exit_code == 2, res.output
    assert f"{option[0]} applies to one classified catalogue (PRED), not to --catalogs" in res.output
    assert "Traceback" not in res.output and not out.exists()


def _reclassified(t: Table, earlier: dict | None = None) -> Table:
    """``t`` classified again: its class_pred and prob_<k> kept as classify keeps them, a new model's beside."""
    import warnings

    from starclass.io.catalog import keep_input_columns
    from starclass.learn.classify import earlier_outputs

    out = t.copy()
    for name, values in (earlier or {}).items():
        out[name] = values
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        keep_input_columns(out, earlier_outputs(out.colnames), "cat.ecsv", one_suffix=True)
    rng = np.random.default_rng(7)
    p = rng.dirichlet(np.ones(3), len(out))
    for j, k in enumerate(CLASSES):
        out[f"prob_{k}"] = p[:, j]
    out["class_pred"] = np.argmax(p, axis=1) + 1
    return out


def test_an_earlier_classification_kept_by_classify_is_scored_with_its_own_probabilities(tmp_path):
    # --pred-column class_pred_input was refused ("cannot be scored on it"): a catalogue classified
    # again keeps the earlier class_pred and prob_<k> as class_pred_input and prob_<k>_input
    t = _catalogue()
    out = _reclassified(t)
    task = EvalTask.from_classes(CLASSES)
    ev = evaluate_catalogs(out, task=task, n_boot=0, pred_column="class_pred_input")
    assert ev.scored.startswith("scored column class_pred_input") and "prob_<k>_input" in ev.scored
    c = ev.comparisons[0]
    y, yp = np.asarray(t["class_ref"]), np.asarray(t["class_pred"])
    assert c.results[0].accuracy == pytest.approx(accuracy_score(y, yp))
    p = np.column_stack([np.asarray(t[f"prob_{k}"]) for k in CLASSES])
    areas = {str(row["class"]): row for row in c.curves[0].areas}
    for j, k in enumerate(CLASSES):
        assert float(areas[str(k)]["roc_auc"]) == pytest.approx(roc_auc_score(y == k, p[:, j]))
    assert c.trust.brier == pytest.approx(brier_score_loss(y, p, labels=list(CLASSES)))
    path = tmp_path / "out.ecsv"
    out.write(path)
    res = runner.invoke(app, ["evaluate", str(path), "--pred-column", "class_pred_input", "-o", str(tmp_path / "ev"),
                              "--bootstrap", "0", "--no-science", "--task", _task_file(tmp_path)])
    assert res.exit_code == 0, res.output
    assert "scored column class_pred_input" in res.output and "probabilities prob_<k>_input" in res.output


def test_classify_keeps_one_classification_under_one_suffix():
    # a catalogue with a class_pred_input of its own but no prob_1_input: the earlier class_pred went to
    # class_pred_input2 and its prob_<k> to prob_<k>_input, which --pred-column class_pred_input2 never found
    t = _catalogue()
    out = _reclassified(t, earlier={"class_pred_input": np.ones(len(t), int)})
    assert "class_pred_input2" in out.colnames and "prob_1_input2" in out.colnames
    assert "prob_1_input" not in out.colnames
    ev = evaluate_catalogs(out, task=EvalTask.from_classes(CLASSES), n_boot=0, pred_column="class_pred_input2")
    assert "probabilities prob_<k>_input2" in ev.scored
    y = np.asarray(t["class_ref"])
    p = np.column_stack([np.asarray(t[f"prob_{k}"]) for k in CLASSES])
    assert ev.comparisons[0].trust.brier == pytest.approx(brier_score_loss(y, p, labels=list(CLASSES)))


@pytest.mark.parametrize("column", ["expert", "class_h2"])
def test_class_joint_note_names_the_label_column_used(column):
    """With ``--label-column expert`` the class_joint note said "the reference is this catalogue's own class_ref"
    (a column the user had not named: evaluate copies the labels into class_ref) and warned that the figures
    flatter class_joint, as if the expert were the voters. It names the column read, and warns only where that
    column is one person's own classes (class_h<k>, the columns classify --votes reads)."""
    t = _catalogue()
    t["n_votes"] = np.where(np.arange(len(t)) < 20, 3, 0)
    t[column] = t["class_ref"]
    del t["class_ref"]
    task = EvalTask.from_classes(CLASSES)
    said = evaluate_catalogs(t, task=task, n_boot=0, pred_column="class_joint", label_column=column).scored
    assert f"the reference is this catalogue's column {column} (--label-column)" in said, said
    assert "own class_ref" not in said, said
    assert ("flatter class_joint" in said) == column.startswith("class_h"), said
