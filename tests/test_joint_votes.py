"""The people and the model together: a classifier's probabilities as the prior of Dawid-Skene votes.

``starclass.learn.labels.combine_votes`` / ``joint_with_votes`` and ``classify --votes``.
"""

from __future__ import annotations

import re
import shlex

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_toy_held_out
from starclass.cli import app
from starclass.errors import StarclassError
from starclass.io.catalog import read_catalog, write_catalog
from starclass.learn.config import get_preset
from starclass.learn.labels import combine_votes, dawid_skene, joint_with_votes, mode_targets

runner = CliRunner()


def test_combine_votes_equals_a_hand_computed_posterior():
    """Two people, three classes: every cell is prior x P(vote | class) products, normalised by hand."""
    classes = [1, 2, 3]
    conf = np.array([
        [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4]],
        [[0.6, 0.3, 0.1], [0.2, 0.5, 0.3], [0.1, 0.1, 0.8]],
    ])
    prior = np.array([[0.2, 0.5, 0.3], [0.6, 0.3, 0.1], [0.1, 0.1, 0.8], [0.4, 0.4, 0.2]])
    votes = np.array([[1, 3], [2, 0], [0, 0], [3, 2]])
    got = combine_votes(prior, votes, conf, classes)
    for i in range(len(prior)):
        num = []
        for c in range(3):
            val = prior[i, c]
            for h in range(2):
                if votes[i, h] > 0:
                    val *= conf[h][c][votes[i, h] - 1]
            num.append(val)
        want = [v / sum(num) for v in num]
        assert got[i].tolist() == pytest.approx(want, rel=1e-12)
    # the row without a vote is its prior
    assert got[2].tolist() == pytest.approx(prior[2].tolist())


def test_combine_votes_keeps_the_prior_where_votes_are_impossible_and_checks_shapes():
    conf = np.array([[[1.0, 0.0], [0.0, 1.0]]])  # a person who is never wrong
    got = combine_votes(np.array([[0.0, 2.0]]), np.array([[1]]), conf, [1, 2])
    assert got.tolist() == [[0.0, 1.0]]  # prior says 2, vote says 1: nothing possible, the prior stays
    with pytest.raises(ValueError, match="shapes"):
        combine_votes(np.ones((2, 2)), np.ones((3, 1), dtype=int), conf, [1, 2])


def _crowd(rng, n: int, k: int = 4, people: int = 3):
    """Truth, people who are right 70 % of the time and err towards a neighbouring class, and a
    weak classifier whose probabilities lean to the truth."""
    truth = rng.integers(1, k + 1, n)
    votes = np.zeros((n, people), dtype=np.int64)
    for h in range(people):
        wrong = rng.random(n) > 0.7
        shift = rng.choice([-1, 1], n)
        votes[:, h] = np.where(wrong, np.clip(truth + shift, 1, k), truth)
    logits = rng.normal(0, 1.0, (n, k))
    logits[np.arange(n), truth - 1] += 1.2
    prob = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return truth, votes, prob


def test_joint_beats_the_votes_alone_and_the_model_alone_when_both_carry_information():
    rng = np.random.default_rng(5)
    truth, votes, prob = _crowd(rng, 3000)
    cfg = get_preset("legus4")
    cat = Table({f"class_h{h + 1}": votes[:, h] for h in range(3)})
    joint = joint_with_votes(cfg, cat, prob)
    acc_joint = np.mean(joint.classes == truth)
    acc_model = np.mean(prob.argmax(axis=1) + 1 == truth)
    acc_mode = np.mean(mode_targets(votes, [1, 2, 3, 4]).argmax(axis=1) + 1 == truth)
    acc_ds = np.mean(dawid_skene(votes, [1, 2, 3, 4]).posterior.argmax(axis=1) + 1 == truth)
    assert acc_joint > max(acc_model, acc_mode, acc_ds) + 0.02
    assert joint.n_votes.tolist() == [3] * 3000
    assert np.allclose(joint.probabilities.sum(axis=1), 1.0)
    assert set(joint.annotators["annotator"]) == {"class_h1", "class_h2", "class_h3"}


def test_joint_merges_votes_into_a_binary_tasks_classes():
    """Four-class votes on a clusters-vs-rest task: votes 1, 2 count as class 1 and 3, 4 as class 2."""
    rng = np.random.default_rng(2)
    truth4, votes, _ = _crowd(rng, 800)
    cfg = get_preset("legus4", merge={1: 1, 2: 1, 3: 2, 4: 2}, classes=[1, 2], class_names=["c", "n"])
    prob = np.full((800, 2), 0.5)  # an uninformative model: the joint class is the people's
    cat = Table({f"class_h{h + 1}": votes[:, h] for h in range(3)})
    joint = joint_with_votes(cfg, cat, prob)
    merged = np.where(votes <= 2, 1, 2)
    ds = dawid_skene(merged, [1, 2])
    # with even prior odds the joint posterior is the likelihood ratio: the Dawid-Skene posterior
    # with flat class fractions, i.e. the same ranking of candidates as DS's
    lik = combine_votes(np.full((800, 2), 0.5), merged, ds.confusion, [1, 2])
    assert np.allclose(joint.probabilities, lik)
    assert set(np.unique(joint.classes)) <= {1, 2}
    assert np.mean(joint.classes == np.where(truth4 <= 2, 1, 2)) > 0.85


def test_joint_matches_a_votes_table_by_id_and_handles_missing_rows():
    rng = np.random.default_rng(3)
    truth, votes, prob = _crowd(rng, 400)
    cfg = get_preset("legus4")
    cat = Table({"id": np.arange(400) + 1000})
    prob[7] = np.nan  # the model could not score it; the people did
    keep = np.arange(400) % 4 != 0  # every fourth candidate has no votes
    keep[7] = True
    vt = Table({"id": (np.arange(400) + 1000)[keep], **{f"class_h{h + 1}": votes[keep, h] for h in range(3)}})
    prob[8] = np.nan  # neither the model nor a person: row 8 is a multiple of 4
    joint = joint_with_votes(cfg, cat, prob, vt)
    assert joint.n_votes[~keep].tolist() == [0] * int((~keep).sum())
    # no votes: the model's probabilities as they are
    rows = np.flatnonzero(~keep & np.isfinite(prob).all(axis=1))
    assert np.allclose(joint.probabilities[rows], prob[rows])
    assert joint.classes[8] == 0 and np.isnan(joint.probabilities[8]).all()
    assert joint.classes[7] in (1, 2, 3, 4) and np.isfinite(joint.probabilities[7]).all()
    bad = vt.copy()
    bad["id"][0] = 5
    with pytest.raises(StarclassError, match="not in the catalogue"):
        joint_with_votes(cfg, cat, prob, bad, name="votes.ecsv")
    with pytest.raises(StarclassError, match="class_h9"):
        joint_with_votes(cfg, cat, prob, vt, columns="class_h1,class_h9", name="votes.ecsv")
    with pytest.raises(StarclassError, match="shape"):
        joint_with_votes(cfg, cat, prob[:, :3], vt)


@pytest.fixture(scope="module")
def toy_model(toy_trust_model):
    root, cfg, _, _ = toy_trust_model  # conftest: trained once a session, the model copied here
    write_toy_held_out(cfg, root, 60, seed=11)
    return root


def test_classify_votes_adds_the_joint_columns(toy_model, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # evaluate below writes its folder here
    root = toy_model
    cat = read_catalog(root / "held.ecsv")
    rng = np.random.default_rng(0)
    ref = np.asarray(cat["class_ref"])
    votes = Table({"id": np.asarray(cat["id"])[:40]})
    for col in ("class_h1", "class_h2", "class_h3"):
        wrong = rng.random(40) > 0.75
        votes[col] = np.where(wrong, rng.integers(1, 5, 40), ref[:40]).astype(np.int16)
    write_catalog(votes, tmp_path / "votes.ecsv")
    out = tmp_path / "out.ecsv"
    res = runner.invoke(app, ["classify", str(root / "mos"), "--catalog", str(root / "held.ecsv"), "--model",
                              str(root / "model"), "-o", str(out), "--device", "cpu", "--no-progress",
                              "--votes", str(tmp_path / "votes.ecsv")])
    assert res.exit_code == 0, res.output
    assert "40 candidates with votes" in res.output
    t = read_catalog(out)
    for col in ("class_joint", "prob_joint_1", "prob_joint_4", "n_votes"):
        assert col in t.colnames
    assert np.asarray(t["n_votes"])[:40].tolist() == [3] * 40
    assert np.asarray(t["n_votes"])[40:].tolist() == [0] * (len(t) - 40)
    # the rows without votes keep the model's class and probabilities
    assert np.array_equal(np.asarray(t["class_joint"])[40:], np.asarray(t["class_pred"])[40:])
    assert np.allclose(np.asarray(t["prob_joint_2"])[40:], np.asarray(t["prob_2"])[40:])
    # ... and the voted rows follow the people more than the one-epoch model does
    agree_joint = np.mean(np.asarray(t["class_joint"])[:40] == ref[:40])
    agree_model = np.mean(np.asarray(t["class_pred"])[:40] == ref[:40])
    assert agree_joint > agree_model
    # the next: line says how to score class_joint (evaluate scores class_pred unless told; until 2026-12-07 the
    # line named only that command), and the command runs as printed
    (line,) = [ln for ln in res.output.splitlines() if ln.startswith("next: ")]
    joint = [shlex.split(c) for c in re.findall(r"'(starclass [^']*)'", line) if "class_joint" in c]
    assert joint == [["starclass", "evaluate", str(out), "--pred-column", "class_joint"]], line
    res = runner.invoke(app, joint[0][1:])
    assert res.exit_code == 0, res.output
    assert "class_joint" in res.output


def test_classify_votes_refusals_name_the_option(toy_model, tmp_path):
    root = toy_model
    base = ["classify", str(root / "mos"), "--catalog", str(root / "held.ecsv"), "--model", str(root / "model"),
            "-o", str(tmp_path / "out.ecsv"), "--device", "cpu", "--no-progress"]
    res = runner.invoke(app, [*base, "--label-columns", "class_h1"])
    assert res.exit_code == 2 and "--votes" in res.output
    res = runner.invoke(app, [*base, "--votes", str(tmp_path / "nope.ecsv")])
    assert res.exit_code == 2 and "nope.ecsv" in res.output
    res = runner.invoke(app, [*base, "--votes", str(root / "held.ecsv"), "--label-columns", "class_h7"])
    assert res.exit_code == 2 and "class_h7" in res.output
    assert not (tmp_path / "out.ecsv").exists()


def test_classify_votes_are_checked_before_the_model_is_loaded(tmp_path):
    """A duplicate or unknown id, a word for a class, or no vote columns was found only after the
    whole classification (its warnings printed first); now before the model is even loaded."""
    from starclass.learn.checkpoint import write_untrained_model
    from starclass.learn.config import get_preset

    (tmp_path / "mos").mkdir()
    # a mosaic name is enough: the paths are checked before the votes (classify's check_image_inputs), the
    # pixels only after them
    (tmp_path / "mos" / "f555w.fits").write_bytes(b"")
    # a manifest (checked before the first line, without torch) over a member that is no checkpoint: loading it
    # would be the first error, so the votes' refusal proves they are read before the model loads
    model = write_untrained_model(tmp_path / "model", get_preset("galaxy-cluster-compact", stamp_size=16))
    for member in model.glob("member_*.pt"):
        member.write_bytes(b"not a checkpoint")
    write_catalog(Table({"id": [1, 2, 3], "x": [5.0, 6.0, 7.0], "y": [5.0, 6.0, 7.0]}), tmp_path / "cat.ecsv")
    cases = {"dup.ecsv": (Table({"id": [1, 1], "class_h1": [1, 2]}), "id 1 appears 2 times"),
             "unknown.ecsv": (Table({"id": [1, 9], "class_h1": [1, 2]}), "first at row 2; e.g. 9"),
             "none.ecsv": (Table({"id": [1, 2], "vote": [1, 2]}), "no class_h<k> vote columns")}
    for name, (votes, message) in cases.items():
        write_catalog(votes, tmp_path / name)
        res = runner.invoke(app, ["classify", str(tmp_path / "mos"), "--catalog", str(tmp_path / "cat.ecsv"),
                                  "--model", str(tmp_path / "model"), "-o", str(tmp_path / "out.ecsv"),
                                  "--device", "cpu", "--no-progress", "--votes", str(tmp_path / name)])
        assert res.exit_code == 2 and message in res.output and name in res.output, res.output
        assert not (tmp_path / "out.ecsv").exists()


def test_classify_stamps_votes_without_ids_name_the_cutout_folder():
    """--stamps labels.csv without an id column: the message said 'the catalogue', which the
    command was never given; it names the cutout folder's file now."""
    from starclass.learn.labels import check_votes

    # a cutout folder's table: file and label, no id
    with pytest.raises(StarclassError, match=r"--stamps cut/labels\.csv has no 'id' column"):
        check_votes(Table({"file": ["s0.npy"], "label": ["1"]}), Table({"id": [1], "class_h1": [1]}),
                    name="votes.ecsv", catalogue_name="--stamps cut/labels.csv")


def test_ngc1566_columns_as_classify_votes_give_advice_for_classify(legus_tab):
    """classify --votes with NGC 1566's columns 36-39 was told to 'train ... no --labels'."""
    from starclass.learn.labels import check_votes

    tab = read_catalog(legus_tab)
    with pytest.raises(StarclassError, match="columns 36-39 are not independent") as exc:
        check_votes(tab, tab, columns="class_human_mode,class_ml", name=str(legus_tab))
    msg = str(exc.value)
    assert "for classify --votes the file holds no individual people's votes" in msg
    assert "--catalog FILE --label-column class_ref" in msg


def test_votes_without_ids_name_the_option_and_why(tmp_path):
    """classify --votes with a cutout folder's labels.csv (file, label): 'labels file ... has no id
    column', a name the command never used, and no word on why an id is needed."""
    from starclass.learn.labels import read_votes

    (tmp_path / "labels.csv").write_text("file,label\nc/a.png,cluster\n")
    with pytest.raises(StarclassError) as exc:
        read_votes(tmp_path / "labels.csv")
    msg = str(exc.value)
    assert "classify --votes" in msg and "matched to the candidates by id" in msg and "labels file" not in msg


def test_classify_again_keeps_an_earlier_joint_result_renamed(toy_model, tmp_path):
    """A catalogue classified with --votes and classified again (another model, with or without
    --votes): the old class_joint stayed beside the new class_pred without --votes, and a
    prob_joint_<k> of a class the new model lacks stayed with it; now each is kept as
    ``<name>_input`` with a warning naming it."""
    root = toy_model
    cat = read_catalog(root / "held.ecsv")
    n = len(cat)
    cat["class_joint"] = np.full(n, 4, dtype=np.int16)  # as an earlier model's classify --votes wrote them
    cat["prob_joint_1"] = np.full(n, 0.25)
    cat["prob_joint_9"] = np.full(n, 0.5)  # a class this model does not have
    cat["n_votes"] = np.full(n, 2, dtype=np.int16)
    write_catalog(cat, tmp_path / "before.ecsv")
    # two people (one vote column is refused: test_votes_one_person)
    votes = Table({"id": np.asarray(cat["id"])[:10], "class_h1": np.asarray(cat["class_ref"])[:10],
                   "class_h2": np.asarray(cat["class_ref"])[:10]})
    write_catalog(votes, tmp_path / "votes.ecsv")
    base = ["classify", str(root / "mos"), "--catalog", str(tmp_path / "before.ecsv"), "--model",
            str(root / "model"), "--device", "cpu", "--no-progress"]
    for extra in ([], ["--votes", str(tmp_path / "votes.ecsv")]):
        out = tmp_path / f"out{len(extra)}.ecsv"
        res = runner.invoke(app, [*base, "-o", str(out), *extra])
        assert res.exit_code == 0, res.output
        assert "'class_joint' -> 'class_joint_input'" in res.output and "'prob_joint_9' -> 'prob_joint_9_input'" \
            in res.output, res.output
        t = read_catalog(out)
        assert np.asarray(t["class_joint_input"]).tolist() == [4] * n
        assert np.asarray(t["n_votes_input"]).tolist() == [2] * n
        assert "prob_joint_9" not in t.colnames and np.allclose(np.asarray(t["prob_joint_1_input"]), 0.25)
        if extra:  # the new joint result is this model's and these votes'
            assert np.asarray(t["n_votes"]).tolist() == [2] * 10 + [0] * (n - 10)
            assert np.array_equal(np.asarray(t["class_joint"])[10:], np.asarray(t["class_pred"])[10:])
        else:  # no joint column that this classification did not compute
            assert not {"class_joint", "prob_joint_1", "n_votes"} & set(t.colnames)


def test_classify_again_keeps_an_earlier_classification_renamed(toy_model, tmp_path):
    """A CSV classified before (a model with a class 9 and a 5th member, its path in 'model') and classified
    again: class_pred was replaced without a word, prob_9 and class_m5 stayed under their names beside the
    new model's columns, and the old 'model' path stayed, so evaluate took the old model's task. Each is now
    kept as <name>_input with a warning."""
    root = toy_model
    cat = read_catalog(root / "held.ecsv")
    n = len(cat)
    cat["class_pred"] = np.full(n, 3, dtype=np.int16)
    cat["prob_9"] = np.full(n, 0.5)
    cat["class_m5"] = np.full(n, 2, dtype=np.int16)
    cat["model"] = ["/old/model"] * n
    write_catalog(cat, tmp_path / "before.csv")
    out = tmp_path / "after.csv"
    res = runner.invoke(app, ["classify", str(root / "mos"), "--catalog", str(tmp_path / "before.csv"), "--model",
                              str(root / "model"), "--device", "cpu", "--no-progress", "-o", str(out)])
    assert res.exit_code == 0, res.output
    for old in ("class_pred", "prob_9", "class_m5", "model"):
        assert f"'{old}' -> '{old}_input'" in res.output, res.output
    t = read_catalog(out)
    assert np.asarray(t["class_pred_input"]).tolist() == [3] * n and "prob_9" not in t.colnames
    assert np.allclose(np.asarray(t["prob_9_input"]), 0.5) and "class_m5" not in t.colnames
    assert set(np.asarray(t["model"]).tolist()) == {str((root / "model").resolve())}
    assert np.asarray(t["model_input"]).tolist() == ["/old/model"] * n


def test_classify_in_python_keeps_an_earlier_model_path_and_joint_result_renamed(toy_model):
    """classify() itself (survey tiles, the demo, Python users): a catalogue classified before kept its
    'model' path (a survey of it as positions wrote the old model's path beside the new classes) and its
    class_joint / n_votes under their names; they are kept as <name>_input, the warning naming ``source``."""
    from starclass.io.mosaic import read_mosaics
    from starclass.learn.classify import classify

    root = toy_model
    cat = read_catalog(root / "held.ecsv")[:8]
    n = len(cat)
    cat["model"] = ["/old/model"] * n
    cat["class_joint"] = np.full(n, 4, dtype=np.int16)
    cat["n_votes"] = np.full(n, 2, dtype=np.int16)
    with pytest.warns(UserWarning, match=r"old\.csv: .*'model' -> 'model_input'") as rec:
        out = classify(read_mosaics(root / "mos"), cat, root / "model", device="cpu", progress=False,
                       source="old.csv")
    text = " ".join(str(w.message) for w in rec)
    assert "'class_joint' -> 'class_joint_input'" in text and "'n_votes' -> 'n_votes_input'" in text
    assert not {"model", "class_joint", "n_votes"} & set(out.colnames)
    assert np.asarray(out["model_input"]).tolist() == ["/old/model"] * n
    assert np.asarray(out["class_joint_input"]).tolist() == [4] * n
