"""No false size warning for a CNNClassifier fitted on the task's preparation of the same cutouts.

Before: ``CNNClassifier("m31-real").fit(cutout_inputs(cs.images, cfg), y)`` then ``classify_cutouts(cs, clf)``
warned that the 128 px cutouts must be cut to 64 px (the model "records no training cutouts (it learnt from
stamps cut from mosaics ...)"), though it learnt from those very cutouts, prepared as classify prepares them.
A model without the record that was not fitted on inputs given to it (trained on mosaics) still warns
(tests/test_cutout_folders.py::test_classify_warns_of_cutouts_of_another_size_than_a_mosaic_trained_models_stamps).
"""

from __future__ import annotations

import warnings

import numpy as np
from PIL import Image

from starclass.io.cutout_folders import label_classes, read_cutout_folder
from starclass.learn import CNNClassifier, get_preset
from starclass.learn.cutouts import classify_cutouts, cutout_size_note
from starclass.stamps.images import cutout_inputs


def _noise_folder(root, n: int, seed: int):
    """``n`` 128 px noise PNGs labelled cluster / galaxy in turn, listed in ``root/labels.csv``, read back."""
    rng = np.random.default_rng(seed)
    rows = ["file,label"]
    for i in range(n):
        Image.fromarray((rng.random((128, 128)) * 255).astype(np.uint8)).save(root / f"c{i}.png")
        rows.append(f"c{i}.png,{('cluster', 'galaxy')[i % 2]}")
    (root / "labels.csv").write_text("\n".join(rows) + "\n")
    return read_cutout_folder(root / "labels.csv")


def test_a_classifier_fitted_on_cutout_inputs_is_not_told_to_cut_them(tmp_path):
    cs = _noise_folder(tmp_path, 12, 0)
    cfg = get_preset("m31-real")
    clf = CNNClassifier("m31-real", epochs=1, seed=0, progress=False, device="cpu")
    clf.fit(cutout_inputs(cs.images, cfg), label_classes(cs, cfg.label_map))
    assert cutout_size_note(cs, clf.model_, "clf") is None
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        out = classify_cutouts(cs, clf)
    assert not [w for w in said if "px" in str(w.message)], [str(w.message) for w in said]
    assert len(out) == 12
    # the same network as if trained on mosaics (no record, not fitted here): the warning stays
    clf.model_.fitted_on_inputs = False
    note = cutout_size_note(cs, clf.model_, "clf")
    assert note is not None and "the cutouts are 128 x 128 px" in note


def test_the_marker_survives_save_and_load(tmp_path):
    # before: clf.save(p); CNNClassifier.load(p) dropped fitted_on_inputs, and the false "cut them to 64 px" came back
    import json

    from starclass.learn.checkpoint import load_model, write_untrained_model

    cs = _noise_folder(tmp_path, 8, 1)
    cfg = get_preset("m31-real")
    clf = CNNClassifier("m31-real", epochs=1, seed=0, progress=False, device="cpu")
    clf.fit(cutout_inputs(cs.images, cfg), label_classes(cs, cfg.label_map))
    back = CNNClassifier.load(clf.save(tmp_path / "model"), device="cpu")
    assert back.model_.fitted_on_inputs is True
    assert cutout_size_note(cs, back.model_, "model") is None
    # saved again from the loaded one, it is still there
    again = CNNClassifier.load(back.save(tmp_path / "model2"), device="cpu")
    assert again.model_.fitted_on_inputs is True
    # a manifest without the key (every model written before it, and train's) reads as before: warned
    old = write_untrained_model(tmp_path / "old", "m31-real")
    assert "fitted_on_inputs" not in json.loads((old / "manifest.json").read_text())
    assert load_model(old).fitted_on_inputs is False
    note = cutout_size_note(cs, load_model(old), "old")
    assert note is not None and "the cutouts are 128 x 128 px" in note
    # the key removed by hand from the saved model's manifest: the marker goes with it
    man = tmp_path / "model" / "manifest.json"
    doc = json.loads(man.read_text())
    del doc["fitted_on_inputs"]
    man.write_text(json.dumps(doc))
    assert load_model(tmp_path / "model").fitted_on_inputs is False


def test_the_model_left_in_outdir_is_marked_too(tmp_path):
    # before: CNNClassifier(outdir=D).fit(cutout_inputs(...), y), then load_model(D) (or classify_cutouts(cs, D)):
    # the model in D did not say it was fitted on inputs, and the false "cut them to 64 px" came back
    from starclass.learn.checkpoint import load_model

    cs = _noise_folder(tmp_path, 8, 2)
    cfg = get_preset("m31-real")
    clf = CNNClassifier("m31-real", epochs=1, seed=0, progress=False, device="cpu", outdir=tmp_path / "run")
    clf.fit(cutout_inputs(cs.images, cfg), label_classes(cs, cfg.label_map))
    left = load_model(tmp_path / "run")
    assert left.fitted_on_inputs is True
    assert cutout_size_note(cs, left, "run") is None
