"""``starclass.explain``'s functions as a notebook calls them: bad arguments are named, not tracebacks.

Walked on 2026-12-05: ``explain(model, stamps, out, methods="gradcam")`` was read letter by letter
("--method g, r, a, d, c, a, m"); ``min_size=0`` was taken (the CLI refuses ``--min-map 0``);
``choose_layer`` on a numpy array stopped in conv2d with a TypeError; ``guided_backprop`` with a
target beyond the outputs stopped with torch's "index 7 is out of bounds", and with one target for
three inputs gave maps without a word; ``explain_inputs`` took one ``class_ref`` for three stamps
silently, stopped with numpy's IndexError for a ``classes`` list of another length, and with an
AttributeError for the ``LoadedModel`` that ``load_model`` returns.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from starclass.errors import StarclassError
from starclass.explain import choose_layer, explain, explain_inputs, guided_backprop, guided_gradcam
from starclass.learn.checkpoint import LoadedModel
from starclass.learn.config import get_preset

pytestmark = pytest.mark.usefixtures("single_thread")


def _net(n_out: int = 3) -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.Conv2d(4, 4, 3, padding=1), nn.ReLU(),
                         nn.Flatten(), nn.Linear(4 * 8 * 8, n_out))


X = np.random.default_rng(0).normal(size=(3, 1, 8, 8)).astype("float32")


def test_targets_of_another_length_or_beyond_the_outputs_are_named():
    with pytest.raises(StarclassError, match=r"target has 1 value for 3 inputs"):
        guided_backprop(_net(), X, np.array([0]))
    with pytest.raises(StarclassError, match=r"target 7 is not an output column of the model: it has 3 outputs "
                                             r"\(0 to 2\); the target is 0-based"):
        guided_backprop(_net(), X, np.array([0, 1, 7]))
    with pytest.raises(StarclassError, match=r"target has 2 values for 3 inputs"):
        guided_gradcam(_net(), X, [0, 1])
    assert guided_backprop(_net(), X, np.array([0, 1, 2])).shape == (3, 8, 8)


def test_choose_layer_takes_numpy_and_refuses_a_map_of_no_pixels():
    assert choose_layer(_net(), X, min_size=1).name == "3"  # the last ReLU's output, the last feature map
    with pytest.raises(StarclassError, match=r"--min-map \(min_size= in Python\) must be >= 1, got 0"):
        choose_layer(_net(), torch.from_numpy(X), min_size=0)


def test_explain_inputs_names_a_class_ref_or_classes_that_do_not_fit():
    with pytest.raises(StarclassError, match=r"class_ref has 1 value for 3 stamps: give one class per stamp"):
        explain_inputs(_net(), X, np.array([1]), [1, 2, 3], methods=("gradcam",), min_size=1)
    with pytest.raises(StarclassError, match=r"classes lists 2 classes \(1, 2\) but the network has 3 outputs"):
        explain_inputs(_net(), X, np.array([1, 2, 3]), [1, 2], methods=("gradcam",), min_size=1)
    # one method by name, and a loaded model (its first member), as explain() takes them
    # (a task the network fits: one band, one scale, three classes; since explain_inputs checks the
    # loaded model's geometry, the 15-channel legus4-compact no longer passes with this 1-channel net)
    cfg = get_preset("legus4-compact", stamp_size=8, bands=["f555w"], scales=[1.0], classes=[1, 2, 3],
                     class_names=["a", "b", "c"])
    res = explain_inputs(LoadedModel(config=cfg, members=[_net()]), X, np.array([1, 2, 3]), [1, 2, 3],
                         methods="gradcam", min_size=1)
    assert list(res.maps) == ["gradcam"] and res.maps["gradcam"].shape == (3, 8, 8)


def test_explain_reads_one_method_by_name_and_names_its_arguments(tmp_path):
    # refused before the model is read (it does not exist here): the argument named as Python calls it
    for kwargs, said in [({"methods": "gradkam"}, r"--method \(methods= in Python\) gradkam: use any of"),
                         ({"per_class": 0}, r"--per-class \(per_class= in Python\) must be >= 1"),
                         ({"max_stamps": 0}, r"--max-stamps \(max_stamps= in Python\) must be >= 1"),
                         ({"min_size": 0}, r"--min-map \(min_size= in Python\) must be >= 1")]:
        with pytest.raises(StarclassError, match=said):
            explain(tmp_path / "no_model", tmp_path / "no_stamps", tmp_path / "out", **kwargs)
    # "gradcam" is one method, not seven letters: the next check (the missing model) is reached
    with pytest.raises(StarclassError, match=r"model .*no_model does not exist"):
        explain(tmp_path / "no_model", tmp_path / "no_stamps", tmp_path / "out", methods="gradcam")
    assert not (tmp_path / "out").exists()


def test_explain_inputs_takes_a_fitted_cnnclassifier_as_explain_does():
    # explain_inputs(clf, ...) stopped with "AttributeError: 'CNNClassifier' object has no attribute 'eval'"
    # where explain(clf, store, out) and classify(mosaics, table, clf) take it
    from starclass.datasets.stamps import make_synthetic
    from starclass.errors import NotFittedError
    from starclass.learn.checkpoint import in_memory_model
    from starclass.learn.estimator import CNNClassifier

    task = get_preset("galaxy-cluster-compact", stamp_size=16, recipe={"batch_size": 16})
    toy = make_synthetic(task, 24, seed=0)
    clf = CNNClassifier(task, epochs=1, seed=0, device="cpu").fit(toy.inputs, toy.class_ref)
    got = explain_inputs(clf, toy.inputs[:4], toy.class_ref[:4], [1, 2], methods="gradcam")
    want = explain_inputs(in_memory_model(clf), toy.inputs[:4], toy.class_ref[:4], [1, 2], methods="gradcam")
    np.testing.assert_array_equal(got.maps["gradcam"], want.maps["gradcam"])
    with pytest.raises(NotFittedError, match="not fitted"):
        explain_inputs(CNNClassifier(task), toy.inputs[:4], toy.class_ref[:4], [1, 2], methods="gradcam")
