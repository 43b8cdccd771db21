"""One person's votes, or a catalogue's final class, are not several people's votes.

Before: ``train --label-model soft`` (or ``dawid-skene``) with one vote column trained on that
person's labels one-hot, as ``mode`` does, under the other model's name (Dawid-Skene cannot
estimate one person's confusion without others to compare with: it came out the identity), and
``classify --votes`` with one column gave that person's vote as ``prob_joint`` with probability
1 whatever the network said. A LEGUS catalogue's column 34 (``class_ref``: the people's mode;
in NGC 1566 the hybrid human + machine class, also ``class_hybrid``) and NGC 1566's
``class_method`` flag were taken as one more person. Now each is refused, exit 2, nothing
written.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table

from starclass.errors import StarclassError
from starclass.learn.config import get_preset
from starclass.learn.labels import check_votes, joint_with_votes, votes_for_catalogue
from test_evaluate_machine_reference import _files
from test_io_legus import invoke
from test_train_votes_checks import _no_mosaics, _train, field  # noqa: F401  (the module's fixture)


def _votes(n: int = 30) -> Table:
    rng = np.random.default_rng(0)
    return Table({"id": np.arange(1, n + 1), "x": rng.uniform(5, 60, n), "y": rng.uniform(5, 60, n),
                  "class_h1": rng.integers(1, 5, n), "class_h2": rng.integers(1, 5, n)})


@pytest.mark.parametrize("model", ["soft", "dawid-skene"])
def test_a_label_model_of_several_people_refuses_one_vote_column(model):
    cfg = get_preset("legus4-compact")
    with pytest.raises(StarclassError, match=f"--label-model {model} weighs several people's votes, but one vote "
                                             r"column was given \(class_h1\)"):
        votes_for_catalogue(cfg, _votes(), columns="class_h1", model=model)
    # the mode of one column is that column: allowed; two columns: allowed
    assert votes_for_catalogue(cfg, _votes(), columns="class_h1", model="mode").n_labelled == 30
    assert votes_for_catalogue(cfg, _votes(), columns="class_h1,class_h2", model=model).n_labelled == 30


def test_classify_votes_refuses_one_vote_column():
    cfg = get_preset("legus4-compact")
    t = _votes()
    prob = np.full((len(t), 4), 0.25)
    with pytest.raises(StarclassError, match=r"with one vote column \(class_h1\) there is nobody to compare with"):
        joint_with_votes(cfg, t, prob, columns="class_h1")
    with pytest.raises(StarclassError, match="nobody to compare with"):
        check_votes(t, t, columns="class_h1")
    # two people: the network's probabilities still count (no row is certain from two split votes)
    joint = joint_with_votes(cfg, t, prob, columns="class_h1,class_h2")
    split = np.asarray(t["class_h1"]) != np.asarray(t["class_h2"])
    assert (joint.probabilities[split].max(axis=1) < 1 - 1e-6).all()


@pytest.mark.parametrize("model", ["soft", "dawid-skene"])
def test_train_refuses_one_vote_column_with_the_mosaics_exit_2_nothing_written(field, tmp_path, monkeypatch,  # noqa: F811
                                                                               model):
    root, data, cfg, votes = field
    labels = tmp_path / "votes.ecsv"
    votes.write(labels)
    _no_mosaics(monkeypatch)  # refused before the mosaics are read
    res, out = _train(root, data, labels, tmp_path / "m", "--label-columns", "class_h1", "--label-model", model)
    assert res.exit_code == 2, out
    assert f"--label-model {model} weighs several people's votes, but one vote column was given (class_h1)" in out
    assert "Traceback" not in out
    assert not (tmp_path / "m").exists()


def test_train_without_images_names_the_one_column_first(tmp_path):
    labels = tmp_path / "votes.ecsv"
    _votes().write(labels)
    res = invoke("train", "--labels", str(labels), "--label-columns", "class_h2", "--label-model", "soft",
                 "-o", str(tmp_path / "m"))
    assert res.exit_code == 2, res.output
    assert "--label-model soft weighs several people's votes, but one vote column was given (class_h2)" in res.output
    assert "not the images" not in res.output
    assert not (tmp_path / "m").exists()


def test_a_legus_final_class_is_not_one_more_person(tmp_path):
    tab, _ = _files(tmp_path)  # a hybrid (NGC 1566) layout file
    for cols, number in (("class_ref,class_hybrid", 34), ("class_hybrid,class_ref", 34),
                         ("class_method,class_ref", 35)):
        res = invoke("train", "--labels", str(tab), "--label-columns", cols, "--label-model", "soft",
                     "-o", str(tmp_path / "m"))
        assert res.exit_code == 2, res.output
        first = cols.split(",")[0]
        assert f"--label-columns {first} is column {number} of this LEGUS catalogue" in res.output, res.output
        assert "not one person's votes" in res.output and "not the images" not in res.output
        assert not (tmp_path / "m").exists()


def test_classify_votes_refuses_a_legus_final_class(tmp_path):
    tab, _ = _files(tmp_path)
    from starclass.io.catalog import read_catalog

    t = read_catalog(tab, require_xy=False)
    with pytest.raises(StarclassError, match="class_ref is column 34 of this LEGUS catalogue"):
        check_votes(t, t, columns="class_ref,class_ml_checked")
