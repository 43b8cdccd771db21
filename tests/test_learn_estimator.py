"""The scikit-learn-style front: CNNClassifier and the baselines share one contract."""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import MaskedColumn, Table
from sklearn.base import clone

from conftest import write_untrained_model  # tests/ is on sys.path under pytest
from starclass.datasets.stamps import make_synthetic
from starclass.errors import StarclassError
from starclass.learn.checkpoint import load_model
from starclass.learn.config import get_preset
from starclass.learn.estimator import Classifier, CNNClassifier
from starclass.models.baselines import BaggedTreesPixels, CatalogBoosting

pytestmark = pytest.mark.usefixtures("single_thread")

# a three-class task without a decision threshold, shrunk to train in seconds
TASK = get_preset("cool-core-compact", stamp_size=16, recipe={"batch_size": 16})


@pytest.fixture(scope="module")
def toy():
    return make_synthetic(TASK, 48, seed=0), make_synthetic(TASK, 12, seed=1)


def _catalogue(n: int, seed: int) -> tuple[Table, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = rng.integers(1, 3, n)
    v = rng.uniform(20, 24, n)
    t = Table({"ci": np.where(y == 1, 1.6, 1.1) + rng.normal(0, 0.1, n),
               "mag_f555w": v, "mag_f814w": v - np.where(y == 1, 0.9, 0.3)})
    return t, y


def _cases(toy):
    """(unfitted estimator, X_train, y_train, X_test) for every classifier of starclass."""
    train, test = toy
    table, y = _catalogue(60, 0)
    return {
        "cnn": (CNNClassifier(TASK, epochs=2, seed=0, device="cpu"), train.inputs, train.class_ref, test.inputs),
        "trees": (BaggedTreesPixels(n_estimators=3, patch=9, channels=[0]), train.inputs, train.labels,
                  test.inputs),
        "boosting": (CatalogBoosting(max_iter=10), table, y, _catalogue(20, 1)[0]),
    }


@pytest.fixture(scope="module")
def fitted(toy):
    out = {}
    for name, (est, x, y, x_test) in _cases(toy).items():
        out[name] = (est, est.fit(x, y), x, x_test)
    return out


@pytest.mark.parametrize("name", ["cnn", "trees", "boosting"])
def test_every_classifier_follows_the_contract(name, fitted, toy, tmp_path):
    est, returned, x, x_test = fitted[name]
    assert isinstance(est, Classifier)
    assert returned is est  # fit returns self
    # __init__ stores its parameters as given and learns nothing; fit learned classes_
    fresh = _cases(toy)[name][0]
    assert not [k for k in vars(fresh) if k.endswith("_")]
    params = fresh.get_params()
    assert all(params[k] is getattr(fresh, k) for k in params)
    twin = clone(fresh)
    assert twin.get_params().keys() == params.keys() and not hasattr(twin, "classes_")
    # predict is classes_ at the argmax of predict_proba
    proba = est.predict_proba(x_test)
    assert proba.shape == (len(proba), len(est.classes_)) and np.allclose(proba.sum(axis=1), 1)
    assert np.array_equal(est.predict(x_test), est.classes_[np.argmax(proba, axis=1)])
    # save / load gives the same probabilities
    again = type(est).load(est.save(tmp_path / f"{name}.model"))
    assert np.array_equal(again.classes_, est.classes_)
    np.testing.assert_allclose(again.predict_proba(x_test), proba, rtol=0, atol=1e-6)


@pytest.mark.parametrize("name", ["cnn", "trees", "boosting"])
def test_an_unfitted_classifier_says_so(name, toy, tmp_path):
    """scikit-learn's NotFittedError (it raised a plain StarclassError), still a StarclassError for the CLI."""
    from sklearn.exceptions import NotFittedError

    est, _, _, x_test = _cases(toy)[name]
    for method in (est.predict_proba, est.predict):
        with pytest.raises(NotFittedError, match="fit") as info:
            method(x_test)
        assert isinstance(info.value, StarclassError)
    with pytest.raises(NotFittedError):  # a baseline wrote the unfitted estimator
        est.save(tmp_path / "unfitted")
    assert not (tmp_path / "unfitted").exists()


def test_cnn_fit_is_deterministic_and_wraps_training(fitted, toy):
    est, _, x, x_test = fitted["cnn"]
    train, _ = toy
    assert est.classes_.tolist() == [1, 2, 3] and est.config_.name == TASK.name
    assert len(est.history_) == 1 and [r["epoch"] for r in est.history_[0]] == [1, 2]
    assert est.config == TASK  # the parameter itself is untouched
    # same seed, same weights (both fits here: the module fixture ran under other threading)
    one = CNNClassifier(TASK, epochs=1, seed=5, device="cpu").fit(train.inputs, train.class_ref)
    two = clone(one).fit(train.inputs, train.class_ref)
    np.testing.assert_array_equal(two.predict_proba(x_test), one.predict_proba(x_test))
    assert 0.0 <= est.score(x, train.class_ref) <= 1.0


def test_cnn_saves_what_classify_reads_and_keeps_outdir(fitted, toy, tmp_path):
    est, _, _, x_test = fitted["cnn"]
    model = load_model(est.save(tmp_path / "model"))
    assert model.config == est.config_ and len(model.members) == 1
    train, _ = toy
    kept = CNNClassifier("cool-core-compact", epochs=1, device="cpu", outdir=tmp_path / "run")
    with pytest.raises(StarclassError, match="channels"):  # the preset's 256 px stamps: wrong input
        kept.fit(train.inputs[:, :0], train.class_ref)
    kept.set_params(config=TASK).fit(train.inputs, train.class_ref)
    assert (tmp_path / "run" / "manifest.json").is_file()


def test_cnn_threshold_tasks_predict_with_the_threshold(toy):
    cfg = get_preset("galaxy-cluster-compact", stamp_size=16, threshold=0.9)
    data = make_synthetic(cfg, 32, seed=2)
    est = CNNClassifier(cfg, epochs=1, device="cpu").fit(data.inputs, data.class_ref)
    proba = est.predict_proba(data.inputs)
    expected = np.where(proba[:, 0] >= 0.9, 1, 2)
    assert np.array_equal(est.predict(data.inputs), expected)


@pytest.mark.parametrize(
    "params, word",
    [({"config": 3}, "config"), ({"config": "no-such-preset"}, "no-such-preset"), ({"batch_size": 0}, "batch_size"),
     # precision is used only by predict_proba, where a bad one surfaced after the whole training
     ({"precision": "fp8"}, "CNNClassifier: precision='fp8'")],
)
def test_cnn_bad_parameters_are_reported_by_fit_naming_them(params, word, toy):
    train, _ = toy
    est = CNNClassifier(**{"config": TASK, **params})  # __init__ accepts anything
    with pytest.raises(StarclassError, match=word):
        est.fit(train.inputs, train.class_ref)


def test_cnn_save_leaves_exactly_the_saved_model(fitted, toy, tmp_path):
    """Saving a one-member model over a two-member one left member_02.pt behind, and the survey's
    model digest counted it; a non-empty folder is now refused without overwrite=True."""
    from starclass.survey.plan import model_digest

    one, _, _, x_test = fitted["cnn"]
    train, _ = toy
    two = CNNClassifier(TASK, epochs=1, ensemble=2, seed=1, device="cpu").fit(train.inputs, train.class_ref)
    folder = two.save(tmp_path / "model")
    assert sorted(p.name for p in folder.iterdir()) == ["manifest.json", "member_01.pt", "member_02.pt"]
    before = model_digest(folder)
    with pytest.raises(StarclassError, match="overwrite=True"):
        one.save(folder)
    assert model_digest(folder) == before  # refused: nothing written
    one.save(folder, overwrite=True)
    assert sorted(p.name for p in folder.iterdir()) == ["manifest.json", "member_01.pt"]
    assert model_digest(folder) != before and len(load_model(folder).members) == 1
    np.testing.assert_allclose(CNNClassifier.load(folder).predict_proba(x_test), one.predict_proba(x_test),
                               rtol=0, atol=1e-6)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]  # no temporary folder left


def test_cnn_save_never_deletes_other_files(fitted, tmp_path):
    one = fitted["cnn"][0]
    folder = one.save(tmp_path / "model")
    (folder / "notes.txt").write_text("mine")
    with pytest.raises(StarclassError, match="notes.txt"):
        one.save(folder, overwrite=True)
    assert (folder / "notes.txt").read_text() == "mine" and (folder / "manifest.json").is_file()
    (tmp_path / "a_file").write_text("x")
    with pytest.raises(StarclassError, match="not a folder"):
        one.save(tmp_path / "a_file", overwrite=True)


def test_masked_classes_of_a_table_column_are_not_trained_on(toy):
    """``fit(X, table["class_ref"])`` with a MaskedColumn (blank or masked classes) trained on the
    values under the mask: ``np.asarray`` dropped it. Masked is now "no label", as ``map_classes``
    and ``score`` read it; the data digest tells the two apart."""
    from astropy.table import MaskedColumn

    from starclass.learn.train import data_digest, prepare_data

    train, _ = toy
    hidden = np.arange(len(train.class_ref)) % 3 == 0
    masked = MaskedColumn(np.asarray(train.class_ref), mask=hidden)
    data = prepare_data(TASK, train.inputs, masked, seed=0)
    assert data.n_unlabelled == int(hidden.sum())
    plain = prepare_data(TASK, train.inputs, np.where(hidden, 0, train.class_ref), seed=0)
    assert np.array_equal(data.counts, plain.counts)
    assert data_digest(train.inputs, masked) != data_digest(train.inputs, np.asarray(train.class_ref))


def test_a_catalogue_table_as_x_is_refused_saying_how_to_make_stamps(toy):
    """``fit(table, table["class_ref"])`` stopped with numpy's "Datatype coercion is not allowed" and
    ``predict_proba(table)`` with "inputs of shape (12,) do not fit": a notebook user was not told
    that the network reads stamps (make_inputs), not catalogue columns."""
    train, test = toy
    table = Table({"id": np.arange(len(train.class_ref)), "x": np.ones(len(train.class_ref)),
                   "class_ref": train.class_ref})
    with pytest.raises(StarclassError, match=r"CNNClassifier\.fit: X is a catalogue \(Table of 48 rows, "
                                             r"columns id, x, class_ref\).*make_inputs"):
        CNNClassifier(TASK, epochs=1, device="cpu").fit(table, table["class_ref"])
    clf = CNNClassifier(TASK, epochs=1, device="cpu").fit(train.inputs, train.class_ref)
    with pytest.raises(StarclassError, match=r"predict_proba: X is a catalogue .*make_inputs"):
        clf.predict_proba(table[:12])


def test_the_other_apis_of_model_inputs_refuse_a_catalogue_table(tmp_path):
    """7b774db refused a catalogue as X in CNNClassifier.fit / predict_proba only: calibrate_model (what
    ``starclass calibrate`` wraps) stopped with "IndexError: tuple index out of range", gradcam with torch's
    "can't convert np.ndarray of type numpy.void", explain_inputs with numpy's error."""
    import torch

    from starclass.explain.run import explain_inputs
    from starclass.learn.calibration import calibrate_model
    from starclass.models.registry import build_model
    from starclass.science.gradcam import gradcam

    cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
    torch.manual_seed(0)
    net = build_model(cfg, pretrained=False).eval()
    table = Table({"id": np.arange(1, 5), "x": np.ones(4), "class_ref": np.array([1, 2, 1, 2])})
    calls = {"calibrate_model": lambda: calibrate_model(tmp_path / "model", table, table["class_ref"], source="t"),
             "gradcam": lambda: gradcam(net, table),
             "explain_inputs": lambda: explain_inputs(net, table, np.asarray(table["class_ref"]), [1, 2])}
    for name, call in calls.items():
        with pytest.raises(StarclassError, match=rf"{name}: inputs is a catalogue \(Table of 4 rows.*make_inputs"):
            call()


def test_calibrate_model_leaves_masked_classes_out(tmp_path):
    """calibrate_model(model, inputs, table["class_ref"]) with masked classes fitted the calibration on the
    values under the mask (np.asarray dropped it), as fit did before 98b1488: masked rows are unlabelled."""
    from starclass.learn.calibration import calibrate_model

    cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
    model = write_untrained_model(tmp_path / "model", cfg)
    toy = make_synthetic(cfg, 40, seed=3)
    masked = MaskedColumn(np.asarray(toy.class_ref), mask=np.arange(40) >= 25)
    with pytest.warns(UserWarning, match="no record of its training rows"):
        cal = calibrate_model(model, toy.inputs, masked, source="held-out", overwrite=True)
    assert cal.to_dict()["n"] == 25


def test_cross_validate_leaves_masked_labels_out(tmp_path, single_thread):
    """cross_validate (what ``train --cv`` wraps) read labels with np.asarray, which dropped a
    MaskedColumn's mask: the masked rows were trained and scored on (24 scored of 24, not 16)."""
    from starclass.learn.crossval import cross_validate

    cfg = get_preset("galaxy-cluster-compact", stamp_size=16, recipe={"epochs": 1})
    toy = make_synthetic(cfg, 24, seed=0)
    masked = MaskedColumn(np.asarray(toy.class_ref), mask=np.arange(24) % 3 == 0)
    cv = cross_validate(cfg, toy.inputs, masked, scheme=2, outdir=tmp_path / "cv", progress=False, device="cpu")
    assert cv.pooled["n"] == 16
    assert not set(np.asarray(cv.predictions["row"]).tolist()) & set(np.flatnonzero(masked.mask).tolist())


def test_cnn_takes_array_like_inputs_as_scikit_learn_does(toy):
    """A nested list of stamps (array-like, as scikit-learn estimators take) stopped fit with numpy's
    "only integer scalar arrays can be converted to a scalar index": it was read as a stamp store."""
    train, test = toy
    as_array = CNNClassifier(TASK, epochs=1, device="cpu", seed=0).fit(train.inputs, train.class_ref)
    as_list = CNNClassifier(TASK, epochs=1, device="cpu", seed=0).fit(train.inputs.tolist(), train.class_ref.tolist())
    assert np.allclose(as_list.predict_proba(test.inputs.tolist()), as_array.predict_proba(test.inputs), atol=1e-6)
    ragged = [np.zeros((1, 16, 16)), np.zeros((1, 8, 8))]
    with pytest.raises(StarclassError, match="training inputs: a list that is not an array"):
        CNNClassifier(TASK, epochs=1, device="cpu").fit(ragged, [1, 2])


def test_cnn_non_square_stamps_are_refused_naming_the_rotations(toy):
    """Stamps that are not square stopped fit (augmentation) and predict_proba(tta=True) with the
    augment module's bare ValueError "dihedral transforms need square stamps", deep in training."""
    train, test = toy
    wide = train.inputs[:, :, :8, :]
    with pytest.raises(StarclassError, match=r"training inputs are 8 x 16 px.*recipe\.augment"):
        CNNClassifier(TASK, epochs=1, device="cpu").fit(wide, train.class_ref)
    # without the rotations they are still not the task's 16 x 16 px, which predict_proba refuses
    flat = get_preset("cool-core-compact", stamp_size=16, recipe={"batch_size": 16, "augment": False})
    with pytest.raises(StarclassError, match=r"training inputs are 8 x 16 px.*takes 16 x 16 px"):
        CNNClassifier(flat, epochs=1, device="cpu").fit(wide, train.class_ref)
    clf = CNNClassifier(TASK, epochs=1, device="cpu").fit(train.inputs, train.class_ref)
    clf.set_params(tta=True)
    with pytest.raises(StarclassError, match=r"inputs are 8 x 16 px.*tta"):
        clf.predict_proba(test.inputs[:, :, :8, :])


def test_cnn_a_failed_refit_leaves_no_model_of_the_earlier_fit(toy):
    """A second fit that failed (here: a class without examples) left the first fit's network in
    place, so predict went on answering with a model of other data, and maybe of another config
    than get_params() now showed."""
    from sklearn.exceptions import NotFittedError

    train, _ = toy
    clf = CNNClassifier(TASK, epochs=1, device="cpu").fit(train.inputs, train.class_ref)
    no_3 = train.class_ref != 3
    with pytest.raises(StarclassError, match="no training example"):
        clf.fit(train.inputs[no_3], train.class_ref[no_3])
    assert not [k for k in vars(clf) if k.endswith("_")]
    with pytest.raises(NotFittedError):
        clf.predict(train.inputs)


@pytest.mark.parametrize("side", [8, 24])
def test_cnn_fit_refuses_stamps_of_another_size_than_predict_takes(side, toy):
    """fit trained on stamps of any size while predict_proba refuses all but the task's stamp_size
    (dd318d6): a model fitted on 8 px stamps of a 16 px task could not classify its own inputs."""
    train, _ = toy
    other = make_synthetic(get_preset("cool-core-compact", stamp_size=side), 24, seed=2)
    clf = CNNClassifier(TASK, epochs=1, device="cpu")
    with pytest.raises(StarclassError, match=rf"training inputs are {side} x {side} px.*takes 16 x 16 px "
                                             r"stamps \(stamp_size=16\)"):
        clf.fit(other.inputs, other.class_ref)
    assert not hasattr(clf, "classes_")
    # the config's stamp_size set to theirs: fitted, and it classifies what it was fitted on
    own = CNNClassifier(get_preset("cool-core-compact", stamp_size=side, recipe={"batch_size": 16}),
                        epochs=1, device="cpu").fit(other.inputs, other.class_ref)
    assert own.predict_proba(other.inputs).shape == (24, 3)


def test_cross_val_predict_of_probabilities_is_refused_saying_why(toy):
    """cross_val_predict(..., method="predict_proba") relabels y as 0..K-1 before fit, and 0 is "no
    label" here: for m31-binary with reference classes 1-4 it returned a [N, 4] array without a word,
    the first reference class dropped from training and P(cluster), P(non-cluster) filed under
    reference classes 2 and 3 (for galaxy-cluster it said "class 2 has no training example")."""
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    task = get_preset("m31-binary-compact", stamp_size=16, recipe={"split": "random", "batch_size": 16})
    data = make_synthetic(task, 40, seed=0)
    refs = data.class_ref + np.arange(40) % 2  # 1, 2 (cluster) and 3, 4 (non-cluster)
    assert set(refs.tolist()) == {1, 2, 3, 4}
    clf = CNNClassifier(task, epochs=1, device="cpu", seed=0)
    with pytest.raises(StarclassError, match=r"cross_val_predict\(\.\.\., method='predict_proba'\) relabels y"):
        cross_val_predict(clf, data.inputs, refs, cv=StratifiedKFold(2), method="predict_proba")
    # predict's classes are not relabelled: the task's classes, one per candidate, as the loop gives
    pred = cross_val_predict(clf, data.inputs, refs, cv=StratifiedKFold(2))
    folds = np.zeros(40, np.int64)
    for train, test in StratifiedKFold(2).split(data.inputs, refs):
        folds[test] = clone(clf).fit(data.inputs[train], refs[train]).predict(data.inputs[test])
    np.testing.assert_array_equal(pred, folds)


def test_cnn_save_refuses_a_saved_model_as_every_writer_does(tmp_path):
    """CNNClassifier.save over a model folder was refused with a plain StarclassError, where every other
    writer's refusal is an OutputExistsError (a FileExistsError too, the path in ``filename``)."""
    from starclass.errors import OutputExistsError

    folder = write_untrained_model(tmp_path / "model", get_preset("galaxy-cluster-compact", stamp_size=16))
    before = sorted((p.name, p.read_bytes()) for p in folder.iterdir())
    with pytest.raises(FileExistsError) as info:
        CNNClassifier.load(folder).save(folder)
    assert isinstance(info.value, OutputExistsError) and info.value.filename == str(folder)
    assert "save(..., overwrite=True) replaces a model saved there" in str(info.value)
    assert sorted((p.name, p.read_bytes()) for p in folder.iterdir()) == before  # nothing written
