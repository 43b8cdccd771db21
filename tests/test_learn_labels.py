"""Label models (mode, soft, Dawid-Skene) and training on soft targets, against independent computations."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
import torch
from astropy.table import MaskedColumn, Table

from starclass.datasets.stamps import make_synthetic
from starclass.errors import StarclassError
from starclass.learn.config import get_preset
from starclass.learn.labels import (
    annotator_table,
    dawid_skene,
    task_targets,
    vote_targets,
    votes_for_catalogue,
)
from starclass.learn.train import fit, prepare_data
from starclass.simulate.humans import consensus

COLS = ["class_h1", "class_h2", "class_h3"]


def _votes_table(votes: np.ndarray) -> Table:
    return Table({c: votes[:, j] for j, c in enumerate(COLS)})


def test_mode_reproduces_the_simulators_consensus_without_ties():
    # the simulator's class_ref sends a tie to person 1 (the teams' senior classifier); the mode
    # of train and inspect sends it to the class nearest the mean: they agree on every untied row
    votes = np.random.default_rng(0).integers(1, 5, size=(500, 3))
    got = vote_targets(_votes_table(votes), COLS, "mode", classes=[1, 2, 3, 4])
    counts = np.stack([(votes == c).sum(axis=1) for c in (1, 2, 3, 4)], axis=1)
    untied = (counts == counts.max(axis=1, keepdims=True)).sum(axis=1) == 1
    assert 0 < (~untied).sum() < len(votes)
    assert np.array_equal((got.argmax(axis=1) + 1)[untied], consensus(votes)[untied])
    assert np.all(got.sum(axis=1) == 1)


@pytest.mark.parametrize(("row", "expect"), [
    ([3, 1, 1], 1),  # a majority wins
    ([2, 1, 4], 2),  # three-way tie: the class nearest the mean 2.33
    ([0, 4, 2], 4),  # tie, mean 3 equally near 2 and 4: the higher class
    ([1, 2, 0], 2),  # tie, mean 1.5: the higher class, whoever voted first
    ([3, 0, 0], 3),  # one vote is a mode
])
def test_mode_ties_as_documented(row, expect):
    got = vote_targets(_votes_table(np.array([row])), COLS, "mode", classes=[1, 2, 3, 4])
    assert got.argmax() + 1 == expect


def test_soft_targets_skip_missing_votes():
    rng = np.random.default_rng(1)
    votes = rng.integers(0, 5, size=(200, 3))
    t = _votes_table(votes)
    t["class_h3"] = MaskedColumn(votes[:, 2].astype(float), mask=rng.random(200) < 0.2)
    t["class_h2"][:5] = np.nan if t["class_h2"].dtype.kind == "f" else 0
    got = vote_targets(t, COLS, "soft", classes=[1, 2, 3, 4])
    for i in range(len(t)):
        cast = [t["class_h1"][i], t["class_h2"][i], t["class_h3"][i]]
        given = [int(v) for v in cast if v is not np.ma.masked and np.isfinite(v) and v > 0]
        counts = Counter(given)
        expect = [counts[c] / len(given) if given else 0.0 for c in (1, 2, 3, 4)]
        assert np.allclose(got[i], expect), (i, given)


def test_bad_vote_columns_are_named():
    t = Table({"class_h1": [1, 2], "class_h2": [1.5, 2]})
    with pytest.raises(StarclassError, match="class_h2.*row 1"):
        vote_targets(t, ["class_h1", "class_h2"], "soft")
    with pytest.raises(StarclassError, match="class_h9"):
        vote_targets(t, ["class_h1", "class_h9"], "soft")
    with pytest.raises(StarclassError, match="label-model"):
        vote_targets(t, ["class_h1"], "majority")


def _crowd(n=1500, seed=2):
    """Votes of a careful person and two careless ones, drawn from known confusion matrices."""
    rng = np.random.default_rng(seed)
    truth = rng.choice(4, size=n, p=[0.2, 0.2, 0.3, 0.3])
    good = np.full((4, 4), 0.02) + np.eye(4) * 0.92
    bad = np.full((4, 4), 0.15) + np.eye(4) * 0.40
    # asymmetric (true 1 is often called 2, not the reverse), so a transposed estimate would fail
    bad[0] = [0.50, 0.40, 0.05, 0.05]
    conf = np.stack([good, bad, bad])
    u = rng.random((n, 3))
    votes = np.stack([(u[:, h, None] > np.cumsum(conf[h, truth], axis=1)).sum(axis=1) + 1 for h in range(3)], axis=1)
    return truth + 1, votes, conf


def test_dawid_skene_recovers_the_people_and_beats_the_mode():
    truth, votes, conf = _crowd()
    fitted = dawid_skene(votes, [1, 2, 3, 4])
    # the careless people's matrices (asymmetric row included) are recovered; the careful one's is
    # estimated too confident, a known trait of Dawid-Skene's EM, but stays the most accurate
    assert np.abs(fitted.confusion[1:] - conf[1:]).max() < 0.1
    assert fitted.confusion[0].diagonal().min() > 0.75 > 0.7 > fitted.confusion[1:].diagonal(axis1=1, axis2=2).max()
    assert np.allclose(fitted.confusion.sum(axis=2), 1)
    ds_acc = np.mean(fitted.posterior.argmax(axis=1) + 1 == truth)
    mode_acc = np.mean(consensus(votes) == truth)
    assert ds_acc > mode_acc + 0.03, (ds_acc, mode_acc)
    # the posterior is the model's own E-step: prior x product of each person's confusion entry
    post = np.tile(fitted.priors, (len(votes), 1))
    for h in range(3):
        post *= fitted.confusion[h][:, votes[:, h] - 1].T
    post /= post.sum(axis=1, keepdims=True)
    # to EM convergence (crowd-kit's own stop left them up to 0.01 apart)
    assert np.abs(fitted.posterior - post).max() < 1e-6
    tab = annotator_table(fitted, COLS)
    assert len(tab) == 12 and np.allclose(tab["p_vote_1"][:4], fitted.confusion[0][:, 0])


def _hand_dawid_skene(votes: np.ndarray, k: int, tol: float = 1e-13) -> tuple[np.ndarray, np.ndarray]:
    """The classic Dawid-Skene EM (Dawid & Skene 1979), written out here, run to convergence.

    Started, as crowd-kit starts, from each candidate's vote fractions; votes are 1..k, every
    person votes on every candidate. Returns the posteriors (N, k) and priors (k,).
    """
    onehot = (votes[:, :, None] == np.arange(1, k + 1)).astype(float)  # (N, H, k)
    post = onehot.sum(axis=1) / votes.shape[1]
    for _ in range(100_000):
        # M-step: class fractions and each person's P(vote l | true c) from the posteriors
        priors = post.mean(axis=0)
        conf = np.einsum("nc,nhl->hcl", post, onehot)
        conf /= conf.sum(axis=2, keepdims=True)
        # E-step: prior x product over people of their confusion entry for their vote
        like = priors * np.prod(np.einsum("nhl,hcl->nhc", onehot, conf), axis=1)
        new = like / like.sum(axis=1, keepdims=True)
        done = np.abs(new - post).max() < tol
        post = new
        if done:
            return post, post.mean(axis=0)
    raise AssertionError("the hand EM did not converge")


def test_dawid_skene_is_the_converged_em_not_crowd_kits_early_stop():
    # crowd-kit stops when its evidence bound changes by less than its tol, which a plateau or a dip
    # of the bound does long before convergence: on these random votes (30 candidates, 4 people,
    # 5 classes) its default (tol 1e-5) stopped after 17 iterations, posteriors up to 0.999 from the
    # converged EM's and another winning class on one candidate
    votes = np.random.default_rng(1).integers(1, 6, size=(30, 4))
    want, priors = _hand_dawid_skene(votes, 5)
    got = dawid_skene(votes, [1, 2, 3, 4, 5])
    assert np.abs(got.posterior - want).max() < 1e-6
    assert np.array_equal(got.posterior.argmax(axis=1), want.argmax(axis=1))
    assert np.abs(got.priors - priors).max() < 1e-6
    # and the fitted model is at its own fixed point: one more E-step leaves the posteriors
    post = np.tile(got.priors, (len(votes), 1))
    for h in range(votes.shape[1]):
        post *= got.confusion[h][:, votes[:, h] - 1].T
    assert np.abs(post / post.sum(axis=1, keepdims=True) - got.posterior).max() < 1e-6


def test_dawid_skene_warns_when_the_iterations_run_out():
    votes = np.random.default_rng(1).integers(1, 6, size=(30, 4))
    with pytest.warns(UserWarning, match=r"posteriors still change by .* per EM iteration after 40 iterations"):
        dawid_skene(votes, [1, 2, 3, 4, 5], n_iter=40)


@pytest.mark.parametrize("kw", [{"n_iter": 1}, {"n_iter": 2.5}, {"tol": 0.0}, {"tol": float("nan")}])
def test_dawid_skene_refuses_a_bad_iteration_count_or_tolerance(kw):
    with pytest.raises(StarclassError, match=f"dawid_skene: {next(iter(kw))} must be"):
        dawid_skene(np.array([[1, 2], [2, 2]]), [1, 2], **kw)


def test_task_targets_merge_and_drop():
    binary = get_preset("legus4", classes=[1, 2], class_names=["c", "n"], merge={1: 1, 2: 1, 3: 2, 4: 2})
    t = np.array([[0.5, 0.25, 0.25, 0.0], [0.0, 0.0, 0.0, 1.0]])
    assert np.allclose(task_targets(binary, t, [1, 2, 3, 4]), [[0.75, 0.25], [0.0, 1.0]])
    three = get_preset("legus4", classes=[1, 2, 3], class_names=["a", "b", "c"], merge={1: 1, 2: 2, 3: 3, 4: 0})
    got = task_targets(three, np.array([[0.5, 0.0, 0.0, 0.5], [0.0, 0.0, 0.0, 1.0]]), [1, 2, 3, 4])
    assert np.allclose(got, [[1.0, 0.0, 0.0], [0.0, 0.0, 0.0]])  # class 4 dropped; nothing left = no target


def test_votes_matched_to_the_catalogue_by_id():
    cfg = get_preset("legus4")
    cat = Table({"id": [10, 11, 12]})
    votes = Table({"id": [12, 10], "class_h1": [4, 1], "class_h2": [4, 1]})
    vt = votes_for_catalogue(cfg, cat, votes, model="mode")
    assert vt.targets.argmax(axis=1).tolist()[::2] == [0, 3] and vt.targets[1].sum() == 0 and vt.n_labelled == 2
    with pytest.raises(StarclassError, match="not in the catalogue"):
        votes_for_catalogue(cfg, cat, Table({"id": [99], "class_h1": [1]}))


def test_votes_whose_ids_number_other_objects_are_refused():
    """classify cand.ecsv --votes humans.ecsv (detect's ids against the simulator's truth ids) gave
    each object another object's votes without a word: the ids matched, the positions did not."""
    from starclass.learn.labels import check_votes, joint_with_votes

    cfg = get_preset("legus4")
    cat = Table({"id": [1, 2, 3, 4], "x": [10.0, 50.0, 90.0, 130.0], "y": [10.0, 20.0, 30.0, 40.0]})
    near = Table({"id": [1, 2, 3], "x": [10.4, 49.7, 90.0], "y": [10.2, 20.5, 31.1],
                  "class_h1": [1, 2, 3], "class_h2": [1, 2, 4]})
    assert votes_for_catalogue(cfg, cat, near).n_labelled == 3  # a re-centred position is the same object
    other = Table({"id": [1, 2, 3], "x": [80.0, 10.0, 50.0], "y": [5.0, 60.0, 20.0],
                   "class_h1": [1, 2, 3], "class_h2": [1, 2, 4]})
    for call in (lambda: votes_for_catalogue(cfg, cat, other, name="humans.ecsv"),
                 lambda: check_votes(cat, other, name="humans.ecsv"),
                 lambda: joint_with_votes(cfg, cat, np.full((4, 4), 0.25), other, name="humans.ecsv")):
        with pytest.raises(StarclassError, match=r"humans\.ecsv: its ids match rows .* 3 of 3 matched ids lie more "
                                                 r"than 2 px apart \(first at row 1, id 1: 70\.2 px\)"):
            call()
    # without positions in the votes, ids are all there is to go by
    assert votes_for_catalogue(cfg, cat, other["id", "class_h1", "class_h2"]).n_labelled == 3


def _cfg():
    return get_preset("galaxy-cluster-compact", stamp_size=16,
                      recipe={"epochs": 1, "batch_size": 8, "val_fraction": 0.25, "early_stopping_patience": None})


def test_soft_targets_train_like_hard_ones_when_one_hot(tmp_path, single_thread):
    cfg = _cfg()
    toy = make_synthetic(cfg, 32, seed=3)
    hard = fit(cfg, toy.inputs, toy.class_ref, outdir=tmp_path / "hard", progress=False, device="cpu", seed=1)
    onehot = np.eye(2)[cfg.class_indices(toy.class_ref)]
    soft = fit(cfg, toy.inputs, onehot, outdir=tmp_path / "soft", progress=False, device="cpu", seed=1,
               label_model="mode")
    # same split, same order, the same loss (cross-entropy against a one-hot target)
    assert np.array_equal(hard.val_index, soft.val_index)
    assert np.isclose(hard.histories[0][0]["train_loss"], soft.histories[0][0]["train_loss"], rtol=1e-4)
    assert np.isclose(hard.val_accuracy[0], soft.val_accuracy[0])
    # a half-and-half target changes what is learned
    half = fit(cfg, toy.inputs, np.full((32, 2), 0.5), outdir=tmp_path / "half", progress=False, device="cpu",
               seed=1, label_model="soft")
    assert not np.isclose(half.histories[0][0]["train_loss"], hard.histories[0][0]["train_loss"], rtol=1e-3)
    ck = torch.load(half.members[0], weights_only=True)
    assert ck["label_model"] == "soft"


def test_resume_refuses_another_label_model(tmp_path, single_thread):
    cfg = _cfg()
    toy = make_synthetic(cfg, 24, seed=4)
    onehot = np.eye(2)[cfg.class_indices(toy.class_ref)]
    fit(cfg, toy.inputs, onehot, outdir=tmp_path, progress=False, device="cpu", label_model="soft")
    with pytest.raises(StarclassError, match="another label model \\(soft there, dawid-skene now\\)"):
        fit(cfg, toy.inputs, onehot, outdir=tmp_path, progress=False, device="cpu", label_model="dawid-skene")


def test_soft_targets_are_checked():
    cfg = _cfg()
    x = np.zeros((4, cfg.n_channels, 16, 16), np.float32)
    with pytest.raises(StarclassError, match="3 columns but task"):
        prepare_data(cfg, x, np.full((4, 3), 1 / 3), seed=0)
    with pytest.raises(StarclassError, match="rows \\[1\\]"):
        prepare_data(cfg, x, np.array([[1, 0], [0.7, 0.7], [0, 1], [1, 0]]), seed=0)


def test_votes_written_as_text_are_read_or_named_by_column_and_row(tmp_path):
    """A CSV vote column holding a word was a numpy ValueError with a traceback (classify --votes
    exit 1); empty text cells are no vote; an unknown id is shown as plain text."""
    from starclass.learn.config import get_preset
    from starclass.learn.labels import joint_with_votes, read_votes, vote_matrix

    (tmp_path / "v.csv").write_text("id,class_h1,class_h2\n1,1,2\n2,x,2\n3,3,\n")
    votes = read_votes(tmp_path / "v.csv")
    with pytest.raises(StarclassError, match=r"v\.csv, column 'class_h1', row 2: class 'x' is not a number"):
        vote_matrix(votes, ["class_h1", "class_h2"], name="v.csv")
    text = Table({"a": np.array(["1", " 2 ", ""]), "b": np.array(["4", "", "3"])})
    assert vote_matrix(text, ["a", "b"]).tolist() == [[1, 4], [2, 0], [0, 3]]
    cfg = get_preset("legus4")
    cat = Table({"id": ["c1", "c2", "c3"]})
    # two people: one vote column is refused before the ids are matched (test_votes_one_person)
    votes = Table({"id": ["c1", "c9"], "class_h1": [1, 2], "class_h2": [1, 2]})
    with pytest.raises(StarclassError) as err:
        joint_with_votes(cfg, cat, np.full((3, 4), 0.25), votes, name="v.ecsv")
    assert "first at row 2; e.g. c9" in str(err.value) and "np.str_" not in str(err.value)


def test_inspect_export_and_train_mode_break_a_tie_alike():
    """The export's class_ref took the tied class nearest the mean; train --label-model mode the
    first column's vote: [1, 2] was exported as 2 and trained as 1. Now both use schema.vote_mode."""
    from starclass.inspect.consensus import consensus_table
    from starclass.learn.config import get_preset
    from starclass.learn.labels import votes_for_catalogue

    M = np.array([[1, 2, 0], [2, 1, 0], [0, 4, 2], [1, 2, 4], [3, 1, 0], [1, 1, 2], [4, 3, 0], [2, 3, 1]])
    exported, summary = consensus_table(M, [str(i) for i in range(1, len(M) + 1)], ["ann", "bob", "cat"],
                                        scheme="phangs")
    assert summary["n_ties"] >= 6
    for order in (COLS, COLS[::-1]):  # the order of the people changes nothing
        vt = votes_for_catalogue(get_preset("legus4"), exported, columns=order, model="mode")
        trained = np.asarray(get_preset("legus4").classes)[vt.targets.argmax(axis=1)]
        assert trained.tolist() == exported["class_ref"].tolist()
    assert exported["class_ref"].tolist()[:2] == [2, 2]


def test_dawid_skene_annotators_are_named_by_the_exports_people():
    """annotators.ecsv said class_h1, class_h2 only, though an inspect export names its people."""
    from starclass.learn.labels import votes_for_catalogue

    rng = np.random.default_rng(3)
    truth = rng.integers(1, 5, 60)
    votes = Table({"id": np.arange(60), **{f"class_h{j}": np.where(rng.random(60) < 0.2, truth % 4 + 1, truth)
                                           for j in (1, 2, 3)}})
    votes.meta["people"] = {"class_h1": "ann", "class_h2": "bob", "class_h3": "cat"}
    vt = votes_for_catalogue(get_preset("legus4"), votes, model="dawid-skene")
    ann = vt.annotators
    assert ann["person"].tolist() == ["ann"] * 4 + ["bob"] * 4 + ["cat"] * 4
    assert ann["annotator"].tolist()[::4] == ["class_h1", "class_h2", "class_h3"]
    votes.meta.clear()   # a CSV keeps no meta: no person column, nothing guessed
    assert "person" not in votes_for_catalogue(get_preset("legus4"), votes, model="dawid-skene").annotators.colnames


def test_a_legus_catalogue_as_votes_is_told_it_has_none():
    """train --labels NGC628C.tab: 'has no class_h<k> vote columns; name them with --label-columns',
    though a LEGUS file has no individual votes to name (only the mode and its mean)."""
    from starclass.errors import StarclassError
    from starclass.learn.labels import votes_for_catalogue

    t = Table({"id": [1, 2], "class_ref": [1, 4], "class_human_mean": [1.33, 3.67]},
              meta={"legus_layout": "standard", "format": "legus"})
    with pytest.raises(StarclassError, match="a LEGUS catalogue holds no individual people's votes") as exc:
        votes_for_catalogue(get_preset("legus4"), t, model="soft", name="ngc628c.tab")
    assert "name them with --label-columns" not in str(exc.value)
    t.meta.clear()  # another table: the plain message
    with pytest.raises(StarclassError) as exc:
        votes_for_catalogue(get_preset("legus4"), t, model="soft", name="votes.ecsv")
    assert "LEGUS" not in str(exc.value) and "has no class_h<k> vote columns; name them" in str(exc.value)


def test_the_legus_class_mean_is_not_a_vote_column():
    """--label-columns class_human_mean (LEGUS col 35) was refused as 'class 2.667 is not an integer
    (subclasses such as 4.2 belong in subclass)': the advice pointed at subclasses."""
    from starclass.errors import StarclassError
    from starclass.learn.labels import votes_for_catalogue

    t = Table({"id": [1, 2, 3], "class_ref": [1, 4, 3], "class_human_mean": [1.0, 3.67, 3.0]},
              meta={"legus_layout": "standard"})
    for cols in ("class_human_mean", "class_ref,class_human_mean"):
        with pytest.raises(StarclassError, match="is the mean of the people's classes") as exc:
            votes_for_catalogue(get_preset("legus4"), t, columns=cols, model="soft", name="ngc628c.tab")
        assert "subclass" not in str(exc.value)


@pytest.mark.parametrize("label_model", ["mode", "soft", "dawid-skene"])
def test_label_models_refuse_a_vote_that_is_no_whole_class(label_model):
    # 1.5 became class 1 in dawid_skene (an int cast) and no vote at all in soft and mode, silently
    from starclass.learn.labels import mode_targets, soft_targets

    fit = {"mode": mode_targets, "soft": soft_targets, "dawid-skene": dawid_skene}[label_model]
    votes = np.array([[1, 2, 2], [2, 1.5, 2], [1, 1, 2]])
    with pytest.raises(StarclassError, match=r"votes\[1, 1\] \(column 1, row 1\) is 1\.5, not a whole class"):
        fit(votes, [1, 2])


@pytest.mark.parametrize("label_model", ["mode", "soft", "dawid-skene"])
def test_label_models_refuse_a_vote_outside_the_classes(label_model):
    # a vote of 7 for classes 1-4 was dropped as if the person had not voted
    from starclass.learn.labels import mode_targets, soft_targets

    fit = {"mode": mode_targets, "soft": soft_targets, "dawid-skene": dawid_skene}[label_model]
    votes = np.array([[1, 2, 0], [2, 2, 7]])
    with pytest.raises(StarclassError, match=r"votes\[1, 2\] \(column 2, row 1\) is 7, not one of the classes 1, 2"):
        fit(votes, [1, 2])
    # 0, negative and NaN stay "no vote"
    assert fit(np.array([[1, 0, -1], [2, np.nan, 2]]), [1, 2]) is not None
    t = Table({"id": [5, 6], "class_h1": [1, 7], "class_h2": [2, 2]})
    with pytest.raises(StarclassError, match=r"labels, column 'class_h1', row 2 \(id 6\): vote 7 is not one of the "
                                             r"classes 1, 2, 3, 4"):
        vote_targets(t, ["class_h1", "class_h2"], label_model, classes=[1, 2, 3, 4])


def test_dawid_skene_iterates_on_arrays_not_through_crowdkits_pandas_steps(monkeypatch):
    """The EM to convergence ran crowd-kit's pandas E- and M-steps, about 30 ms each, thousands of times:
    64 s for the 1500 candidates of ``_crowd`` on a loaded machine (0.9 s on arrays). crowd-kit gives the
    start and its first iteration; the rest must not go through its steps, and still reach its fixed point."""
    from crowdkit.aggregation import DawidSkene

    calls = {"e": 0, "m": 0}
    e_step, m_step = DawidSkene._e_step, DawidSkene._m_step

    def counted_e(*a, **kw):
        calls["e"] += 1
        return e_step(*a, **kw)

    def counted_m(*a, **kw):
        calls["m"] += 1
        return m_step(*a, **kw)

    monkeypatch.setattr(DawidSkene, "_e_step", staticmethod(counted_e))
    monkeypatch.setattr(DawidSkene, "_m_step", staticmethod(counted_m))
    truth, votes, _ = _crowd(n=200, seed=4)
    fitted = dawid_skene(votes, [1, 2, 3, 4])
    assert calls["e"] <= 1 and calls["m"] <= 2, calls  # crowd-kit's start (M) and first iteration (E, M)
    post, priors = _hand_dawid_skene(votes, 4)
    assert np.abs(fitted.posterior - post).max() < 1e-5
    assert np.allclose(fitted.priors, priors, atol=1e-5)
