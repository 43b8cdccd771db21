"""Active learning: scores, magnitude-spread picks, `starclass suggest`, inspect serving the list,
and `train --labels ... --label-model` / `--resume-from` from the command line."""

from __future__ import annotations

import json

import numpy as np
import pytest
from astropy.table import Table
from scipy.stats import entropy as scipy_entropy
from typer.testing import CliRunner

from conftest import write_untrained_model  # tests/ is on sys.path under pytest
from starclass.bands import BANDS
from starclass.cli import app
from starclass.datasets.stamps import make_synthetic_field
from starclass.errors import StarclassError
from starclass.io.catalog import read_catalog, write_catalog
from starclass.io.mosaic import write_mosaic
from starclass.learn.config import get_preset, save_config
from starclass.learn.labels import read_votes
from starclass.suggest.pick import entropy, informativeness, margin, mutual_information, pick

runner = CliRunner()


def _run(args):
    res = runner.invoke(app, [str(a) for a in args])
    return res, res.output


def test_entropy_matches_scipy():
    p = np.random.default_rng(0).dirichlet(np.ones(4), size=50)
    p[0] = [1, 0, 0, 0]
    assert np.allclose(entropy(p), scipy_entropy(p, axis=1))


def test_mutual_information_by_hand_two_and_three_classes():
    # two views of two classes: [0.9, 0.1] and [0.5, 0.5]; mean [0.7, 0.3]
    # H(mean) = -(0.7 ln 0.7 + 0.3 ln 0.3) = 0.610864; H(views) = 0.325083, 0.693147
    # MI = 0.610864 - (0.325083 + 0.693147) / 2 = 0.101749
    v2 = np.array([[[0.9, 0.1]], [[0.5, 0.5]]])
    assert mutual_information(v2)[0] == pytest.approx(0.101749, abs=1e-6)
    # three views of three classes, each certain of another class: H(mean) = ln 3, each H = 0
    v3 = np.eye(3)[:, None, :]
    assert mutual_information(v3)[0] == pytest.approx(np.log(3))
    # views that agree (however unsure) carry no mutual information
    same = np.repeat(np.array([[[0.2, 0.3, 0.5]]]), 4, axis=0)
    assert mutual_information(same)[0] == 0.0


@pytest.mark.parametrize("k", [2, 3, 4, 5])
def test_mutual_information_matches_scipy_entropies(k):
    rng = np.random.default_rng(k)
    views = rng.dirichlet(np.ones(k) * 0.7, size=(8, 30))  # [views, rows, classes]
    views[:, 0] = np.eye(k)[0]  # a row every view is sure of: 0
    views[0, 1, :] = np.nan  # a row with a missing view: NaN
    expect = scipy_entropy(views.mean(0), axis=1) - scipy_entropy(views, axis=2).mean(0)
    got = mutual_information(views)
    assert np.isnan(got[1]) and got[0] == pytest.approx(0.0, abs=1e-12)
    ok = np.arange(30) != 1
    assert np.allclose(got[ok], expect[ok]) and np.all(got[ok] >= 0) and np.all(got[ok] <= np.log(k) + 1e-12)


def test_mutual_information_refuses_one_view_or_one_class():
    with pytest.raises(StarclassError, match="n_views >= 2"):
        mutual_information(np.full((1, 3, 2), 0.5))
    with pytest.raises(StarclassError, match="n_views >= 2"):
        mutual_information(np.full((3, 2), 0.5))


def test_by_mutual_info_ranks_by_the_column_ties_by_entropy_and_needs_it():
    t = Table({"prob_1": [0.9, 0.5, 0.6, 0.8], "prob_2": [0.1, 0.5, 0.4, 0.2],
               "mutual_info": [0.3, 0.01, 0.2, 0.2]})
    s, used = informativeness(t, "mutual-info")
    # by MI, not entropy (row 1 is the most uncertain, but its views agree); rows 2 and 3 tie: entropy
    assert used == "mutual-info" and np.argsort(-s, kind="stable").tolist() == [0, 2, 3, 1]
    t["mutual_info"][0] = np.nan
    assert np.isnan(informativeness(t, "mutual-info")[0][0])
    with pytest.raises(StarclassError, match=r"no mutual_info column.*classify with --tta \(or an ensemble\) first"):
        informativeness(t["prob_1", "prob_2"], "mutual-info")


def test_suggest_by_mutual_info_without_the_column_exits_2_and_writes_nothing(tmp_path):
    model = _untrained_model(tmp_path / "m", seed=0)
    _six_classified(model, tmp_path / "cand.ecsv")
    out = tmp_path / "s.ecsv"
    res, text = _run(["suggest", model, tmp_path / "cand.ecsv", "-o", out, "-n", 2, "--by", "mutual-info",
                      "--mag-bins", 1])
    assert res.exit_code == 2 and "classify with --tta (or an ensemble) first" in text, text
    assert "Traceback" not in text and not out.exists()
    # with the column: ranked by it, most first
    cand = read_catalog(tmp_path / "cand.ecsv")
    cand["mutual_info"] = [0.0, 0.5, 0.1, 0.4, 0.2, 0.3]
    write_catalog(cand, tmp_path / "cand2.ecsv")
    res, text = _run(["suggest", model, tmp_path / "cand2.ecsv", "-o", out, "-n", 3, "--by", "mutual-info",
                      "--mag-bins", 1])
    assert res.exit_code == 0 and "by mutual-info" in text, text
    assert read_catalog(out)["id"].tolist() == [2, 4, 6]


def test_pick_shares_the_batch_over_magnitude_bins():
    rng = np.random.default_rng(1)
    mags = rng.uniform(18, 26, 400)
    scores = mags + rng.normal(0, 0.5, 400)  # faint = uncertain, as in real fields
    got = pick(scores, 40, mags=mags, bins=4)
    edges = np.quantile(mags, [0, 0.25, 0.5, 0.75, 1])
    # independent: the 10 best of each quarter in magnitude
    expect = set()
    for lo, hi in zip(edges[:-1], edges[1:]):
        rows = np.flatnonzero((mags >= lo) & ((mags < hi) | (hi == edges[-1])))
        expect |= set(rows[np.argsort(-scores[rows])][:10].tolist())
    assert set(got.tolist()) == expect
    assert np.all(np.diff(scores[got]) <= 0)  # most informative first
    plain = pick(scores, 40)
    assert np.mean(mags[plain] > edges[2]) > 0.9  # without spreading almost all are faint


def test_pick_fills_from_other_bins_and_skips_ineligible():
    scores = np.array([5, 4, 3, 2, 1, np.nan])
    mags = np.array([20, 20, 20, 20, 25, 25.0])
    eligible = np.array([True, False, True, True, True, True])
    got = pick(scores, 4, mags=mags, bins=2, eligible=eligible).tolist()
    assert sorted(got) == [0, 2, 3, 4] and 1 not in got and 5 not in got
    with pytest.raises(StarclassError, match=r"-n \(n= in Python\) must be >= 1"):
        pick(scores, 0)


def test_set_size_ranks_by_set_then_entropy_and_falls_back():
    t = Table({"prob_1": [0.5, 0.9, 0.6], "prob_2": [0.5, 0.1, 0.4], "pred_set_size": [1, 2, 2]})
    s, used = informativeness(t, "set-size")
    assert used == "set-size" and np.argsort(-s).tolist() == [2, 1, 0]
    s, used = informativeness(t["prob_1", "prob_2"], "set-size")
    assert used == "entropy" and np.argmax(s) == 0
    t2 = Table({"prob_1": [0.5, 0.9], "prob_2": [0.5, 0.1], "pred_set": ["1", "1|2"]})
    assert informativeness(t2, "set-size")[0].argmax() == 1


def test_margin_by_hand_and_ranks_unlike_entropy():
    rng = np.random.default_rng(7)
    p = rng.dirichlet(np.ones(4), size=50)
    # by hand: the two largest of each row with Python's sorted()
    hand = [1.0 - (sorted(r)[-1] - sorted(r)[-2]) for r in p.tolist()]
    assert np.allclose(margin(p), hand)
    assert np.isnan(margin(np.array([[np.nan, 0.5], [0.5, 0.5]]))).tolist() == [True, False]
    # a two-way tie beats a flat spread over four classes by margin, and loses to it by entropy
    t = Table({"prob_1": [0.5, 0.4], "prob_2": [0.5, 0.2], "prob_3": [0.0, 0.2], "prob_4": [0.0, 0.2]})
    s_m, used_m = informativeness(t, "margin")
    s_e, used_e = informativeness(t, "entropy")
    assert (used_m, used_e) == ("margin", "entropy")
    assert s_m.argmax() == 0 and s_e.argmax() == 1
    # equal margins: the entropy orders them
    t2 = Table({"prob_1": [0.6, 0.6], "prob_2": [0.2, 0.2], "prob_3": [0.2, 0.1], "prob_4": [0.0, 0.1]})
    assert informativeness(t2, "margin")[0].argmax() == 1
    with pytest.raises(StarclassError, match="at least two classes"):
        margin(np.array([0.5, 0.5]))
    with pytest.raises(StarclassError, match="entropy, margin, set-size"):
        informativeness(t, "least-confident")


@pytest.fixture(scope="module")
def field(tmp_path_factory):
    """Toy mosaics and candidates in an inspect data folder, three people's votes with noise."""
    root = tmp_path_factory.mktemp("active")
    cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0],
                     recipe={"epochs": 1, "batch_size": 16, "val_fraction": 0.2})
    images, table = make_synthetic_field(cfg, 40, seed=5)
    data = root / "data"
    for band, img in images.items():
        info = BANDS[band]
        write_mosaic(data / f"toy_{band}.fits", img, band, None, photflam=info.photflam, photplam=info.photplam)
    rng = np.random.default_rng(3)
    truth = np.asarray(table["class_ref"])
    cand = table["id", "x", "y"]
    cand["mag_f555w"] = rng.uniform(20, 25, len(table))
    write_catalog(cand, data / "candidates.ecsv")
    votes = Table({"id": table["id"]})
    for h in (1, 2, 3):
        noisy = np.where(rng.random(len(truth)) < 0.25, rng.integers(1, 5, len(truth)), truth)
        votes[f"class_h{h}"] = np.where(rng.random(len(truth)) < 0.1, 0, noisy)  # some did not vote
    write_catalog(votes[:30], root / "humans.ecsv")  # ten candidates are unlabelled
    save_config(cfg, root / "task.yaml")
    return root, data, cfg


def test_train_on_votes_suggest_and_fine_tune(field, single_thread):
    root, data, cfg = field
    base = ["train", "--task", root / "task.yaml", "--mosaics", data, "--catalog", data / "candidates.ecsv",
            "--no-progress", "--device", "cpu", "--seed", "1"]
    res, out = _run([*base, "--labels", root / "humans.ecsv", "--label-model", "dawid-skene", "-o", root / "m"])
    assert res.exit_code == 0, out
    assert "30 candidates with votes in class_h1, class_h2, class_h3" in out and "label model dawid-skene" in out
    manifest = json.loads((root / "m" / "manifest.json").read_text())
    assert manifest["training"]["label_model"] == "dawid-skene"
    ann = Table.read(root / "m" / "annotators.ecsv")
    assert len(ann) == 3 * 4 and np.allclose(
        np.sum([ann[f"p_vote_{k}"] for k in (1, 2, 3, 4)], axis=0), 1)
    # the same data with another label model into the same directory is refused, naming it
    res, out = _run([*base, "--labels", root / "humans.ecsv", "--label-model", "soft", "-o", root / "m"])
    assert res.exit_code == 2 and "another label model (dawid-skene there, soft now)" in out, out
    res, out = _run([*base, "--labels", root / "humans.ecsv", "--label-columns", "class_h1,class_h7",
                     "-o", root / "bad"])
    assert res.exit_code == 2 and "class_h7" in out and not (root / "bad").exists()
    res, out = _run([*base, "--labels", root / "humans.ecsv", "--label-model", "vote", "-o", root / "bad"])
    assert res.exit_code == 2 and "--label-model 'vote'" in out and "mosaics:" not in out

    # suggest the unlabelled candidates the model is least sure of, spread over magnitude
    sug = root / "suggestions.ecsv"
    common = ["suggest", root / "m", data / "candidates.ecsv", "--mosaics", data, "-n", "6", "--labels",
              root / "humans.ecsv", "--mag-bins", "2", "--device", "cpu"]
    args = [*common, "-o", sug]
    res, out = _run(args)
    assert res.exit_code == 0, out
    s = read_catalog(sug)
    labelled = set(np.asarray(read_votes(root / "humans.ecsv")["id"]).tolist())
    assert len(s) == 6 and not set(np.asarray(s["id"]).tolist()) & labelled
    assert s["suggest_rank"].tolist() == [1, 2, 3, 4, 5, 6] and np.all(np.diff(s["entropy"]) <= 1e-12)
    res, out = _run(args)  # an existing output is kept
    assert res.exit_code == 2 and "--overwrite" in out
    # the model carries conformal calibration (train fits it on the validation split), so classify's
    # sets rank the candidates; a classification without sets falls back to entropy
    res, out = _run([*common, "--by", "set-size", "-o", root / "s2.ecsv"])
    assert res.exit_code == 0 and "by set-size" in out and "instead" not in out, out
    assert "pred_set_size" in read_catalog(root / "s2.ecsv").colnames
    # margin sampling: written in order of 1 - (top probability - second), recomputed here
    res, out = _run([*common, "--by", "margin", "--mag-bins", "1", "-o", root / "s3.ecsv"])
    assert res.exit_code == 0 and "by margin" in out, out
    s3 = read_catalog(root / "s3.ecsv")
    gap = [sorted(r)[-1] - sorted(r)[-2] for r in np.stack([s3[f"prob_{k}"] for k in (1, 2, 3, 4)], 1).tolist()]
    assert len(s3) == 6 and np.all(np.diff(gap) >= -1e-12)
    res, out = _run([*common, "--by", "gap", "-o", root / "s4.ecsv"])
    assert res.exit_code == 2 and "--by 'gap'" in out and not (root / "s4.ecsv").exists()

    # inspect serves exactly the suggested list, in its order
    pytest.importorskip("fastapi")
    from starclass.inspect.field import load_field

    f = load_field(data, catalogue=sug)
    assert [f.ids[i] for i in f.order("catalogue")] == [str(i) for i in s["id"]]

    # the people's answers (here: votes for two suggested candidates) fine-tune the model
    new = Table({"id": s["id"][:2], "class_h1": [1, 2], "class_h2": [1, 2]})
    both = Table({"id": np.concatenate([np.asarray(read_votes(root / "humans.ecsv")["id"]),
                                        np.asarray(new["id"])])})
    old = read_votes(root / "humans.ecsv")
    for c in ("class_h1", "class_h2"):
        both[c] = np.concatenate([np.asarray(old[c]), np.asarray(new[c])])
    write_catalog(both, root / "labels2.ecsv")
    res, out = _run(["train", "--mosaics", data, "--catalog", data / "candidates.ecsv", "--labels",
                     root / "labels2.ecsv", "--label-model", "soft", "--resume-from", root / "m", "--no-progress",
                     "--device", "cpu", "-o", root / "m2"])
    assert res.exit_code == 0, out
    assert "32 candidates with votes" in out and "initialised from" in out
    assert json.loads((root / "m2" / "manifest.json").read_text())["config"]["name"] == cfg.name



def test_suggest_on_mosaics_names_the_data_folder_and_the_way_back(field, tmp_path, single_thread):
    """'suggest M f1/candidates.ecsv --mosaics f1' printed 'serve them: starclass inspect DATA_DIR --catalogue
    s.ecsv' (the folder it had been given left for the user to fill in) and said nothing of the export and the
    fine-tune that bring the labels back."""
    import shlex

    root, data, cfg = field
    model = write_untrained_model(tmp_path / "m 0", cfg)
    out_path = tmp_path / "s.ecsv"
    res, out = _run(["suggest", model, data / "candidates.ecsv", "--mosaics", data, "-n", "3", "--device", "cpu",
                     "-o", out_path])
    assert res.exit_code == 0, out
    line = out.split("serve them: ", 1)[1].split("\n")[0]
    serve, rest = line.split("; then export every label so far from the whole catalogue and fine-tune: ")
    export, train = rest.split(", then ")
    assert shlex.split(serve) == ["starclass", "inspect", str(data), "--catalogue", str(out_path)]
    assert shlex.split(export) == ["starclass", "inspect", str(data), "--catalogue", str(data / "candidates.ecsv"),
                                   "--export", str(tmp_path / "labels.ecsv")]  # beside the suggestions, named
    # since 2026-12-07 the fine-tune inspect --export prints too: the fields the model was trained on (placeholders
    # for an untrained model) beside the export, not '--catalog candidates.ecsv --labels labels.ecsv' alone
    train, said = train.split(" (SO_FAR_DIR and SO_FAR.ecsv: ")
    assert shlex.split(train) == ["starclass", "train", "--mosaics", "SO_FAR_DIR", "--catalog", "SO_FAR.ecsv",
                                  "--mosaics", str(data), "--catalog", str(tmp_path / "labels.ecsv"),
                                  "--resume-from", str(model), "-o", "NEW_MODEL"]
    # the mosaics named as files: their folder
    files = [a for f in sorted(data.glob("*.fits")) for a in ("--mosaics", f)]
    res, out = _run(["suggest", model, data / "candidates.ecsv", *files, "-n", "3", "--device", "cpu",
                     "-o", tmp_path / "s2.ecsv"])
    assert res.exit_code == 0, out
    assert shlex.split(out.split("serve them: ", 1)[1].split(";")[0])[2] == str(data)

def test_train_on_votes_from_a_stamp_store(field, tmp_path, single_thread):
    from starclass.io.mosaic import read_mosaics
    from starclass.stamps.store import make_store

    root, data, cfg = field
    cfg = cfg.copy(softening_mag=28.0)
    store = make_store(read_mosaics(data), read_catalog(data / "candidates.ecsv"), tmp_path / "s.h5", cfg)
    res, out = _run(["train", "--task", root / "task.yaml", "--stamps", store, "--labels", root / "humans.ecsv",
                     "--label-model", "soft", "--no-progress", "--device", "cpu", "-o", tmp_path / "m"])
    assert res.exit_code == 0, out
    assert "30 candidates with votes" in out and "label model soft" in out
    assert json.loads((tmp_path / "m" / "manifest.json").read_text())["training"]["label_model"] == "soft"


def test_suggest_candidates_off_the_mosaics_are_named(field, tmp_path, single_thread):
    """All candidates off the image: an empty suggestion list was written with exit status 0."""
    root, data, cfg = field
    res, out = _run(["train", "--task", root / "task.yaml", "--mosaics", data, "--catalog", data / "candidates.ecsv",
                     "--labels", root / "humans.ecsv", "--no-progress", "--device", "cpu", "--seed", "1",
                     "-o", tmp_path / "m"])
    assert res.exit_code == 0, out
    cand = read_catalog(data / "candidates.ecsv")
    off = cand.copy()
    off["x"] = np.asarray(off["x"]) + 1e4
    write_catalog(off, tmp_path / "off.ecsv")
    res, out = _run(["suggest", tmp_path / "m", tmp_path / "off.ecsv", "--mosaics", data, "-n", "3", "--device",
                     "cpu", "-o", tmp_path / "s.ecsv"])
    assert res.exit_code == 2 and "off.ecsv" in out and "nothing to suggest" in out and "Traceback" not in out, out
    assert not (tmp_path / "s.ecsv").exists()
    # some off the image: named, the others suggested
    some = cand.copy()
    some["x"][:2] = -500.0
    write_catalog(some, tmp_path / "some.ecsv")
    res, out = _run(["suggest", tmp_path / "m", tmp_path / "some.ecsv", "--mosaics", data, "-n", "3", "--device",
                     "cpu", "-o", tmp_path / "s.ecsv"])
    assert res.exit_code == 0 and "2 of 40 candidates lie outside" in out, out
    suggested = set(np.asarray(read_catalog(tmp_path / "s.ecsv")["id"]).tolist())
    assert not suggested & set(np.asarray(cand["id"][:2]).tolist())


def _untrained_model(d, seed: int):
    """An untrained compact m31-binary model (distinct weights per seed): enough for the meta check."""
    from starclass.learn.checkpoint import write_untrained_model

    return write_untrained_model(d, get_preset("m31-binary-compact"), seed=seed)


def _six_classified(model, path) -> None:
    """Write six classified candidates (ids 1..6, prob_1 0.1..0.9) of ``model`` to ``path``."""
    p1 = np.linspace(0.1, 0.9, 6)
    cand = Table({"id": np.arange(1, 7), "x": np.arange(6.0), "y": np.arange(6.0), "prob_1": p1, "prob_2": 1 - p1,
                  "class_pred": np.where(p1 > 0.5, 1, 2)})
    cand.meta.update({"model": str(model), "task": "m31-binary-compact"})
    write_catalog(cand, path)


def test_suggest_refuses_candidates_classified_by_another_model(tmp_path):
    """The classified catalogue's meta names its model: suggestions for another model are refused,
    naming both; the same model (also copied elsewhere) is accepted."""
    import shutil

    a = _untrained_model(tmp_path / "a", seed=0)
    b = _untrained_model(tmp_path / "b", seed=1)
    rng = np.random.default_rng(0)
    p1 = rng.uniform(0, 1, 30)
    cand = Table({"id": np.arange(1, 31), "x": rng.uniform(0, 50, 30), "y": rng.uniform(0, 50, 30),
                  "prob_1": p1, "prob_2": 1 - p1, "class_pred": np.where(p1 > 0.5, 1, 2)})
    cand.meta.update({"model": str(a), "task": "m31-binary-compact"})
    write_catalog(cand, tmp_path / "cand.ecsv")
    out = tmp_path / "sugg.ecsv"
    res, text = _run(["suggest", b, tmp_path / "cand.ecsv", "-o", out, "-n", 5, "--mag-bins", 1])
    assert res.exit_code == 2, text
    assert str(a) in text and str(b) in text and "Traceback" not in text
    assert not out.exists()
    shutil.copytree(a, tmp_path / "a_copy")
    for model in (a, tmp_path / "a_copy"):
        res, text = _run(["suggest", model, tmp_path / "cand.ecsv", "-o", out, "-n", 5, "--mag-bins", 1,
                          "--overwrite"])
        assert res.exit_code == 0, text
        assert len(read_catalog(out)) == 5


def test_suggest_names_a_bad_by_before_any_work(tmp_path):
    """--by was checked only after the candidates were read and classified: a typo cost the whole
    classification, and other complaints (no magnitude column, the model) came first."""
    cand = Table({"id": [1, 2], "x": [5.0, 9.0], "y": [5.0, 9.0]})
    write_catalog(cand, tmp_path / "cand.ecsv")
    res, text = _run(["suggest", tmp_path / "no_model", tmp_path / "cand.ecsv", "-o", tmp_path / "s.ecsv",
                      "--by", "margn"])
    assert res.exit_code == 2
    assert text.strip().splitlines() == ["error: --by 'margn': use one of entropy, margin, set-size, mutual-info (the "
                                         "score candidates are ranked by; a column to split metrics by is evaluate's "
                                         "and report's --by)"]
    assert not (tmp_path / "s.ecsv").exists()


def test_suggest_ranks_a_classified_cutout_folder(tmp_path):
    """classify --stamps writes file, class_pred and prob_<k> but no id and no positions: suggest
    refused it ("required column 'id' missing") though its help takes any classify output; the
    cutouts labelled so far (--labels, a CSV with a file column) are left out by file."""
    model = _untrained_model(tmp_path / "m", seed=0)
    p1 = np.array([0.95, 0.52, 0.70, 0.49, 0.10, 0.60])
    files = [f"dir with space/c{i}.png" for i in range(6)]
    cand = Table({"file": files, "label": ["cluster"] * 6, "class_pred": np.where(p1 >= 0.5, 1, 2),
                  "prob_1": p1, "prob_2": 1 - p1, "model": [str(model)] * 6})
    cand.write(tmp_path / "out.csv", format="ascii.csv")
    (tmp_path / "done.csv").write_text("file,label\n" + f"{files[3]},galaxy\n")
    out = tmp_path / "sugg.csv"
    res, text = _run(["suggest", model, tmp_path / "out.csv", "-o", out, "-n", 3, "--labels", tmp_path / "done.csv"])
    assert res.exit_code == 0, text
    got = Table.read(out, format="ascii.csv")
    # by entropy, most uncertain first, the labelled c3 (P = 0.49) left out: c1, c5, c2
    order = np.argsort(-entropy(np.c_[p1, 1 - p1]), kind="stable")
    expect = [files[i] for i in order if i != 3][:3]
    assert list(got["file"]) == expect
    # the next step: fine-tune with --resume-from, which takes the model's own task (--init-from
    # alone fell back to the default task legus4 and refused a one-band cutout model)
    # the labels so far are those --labels gave, the new ones the export's named file beside the suggestions
    done, new = tmp_path / "done.csv", tmp_path / "labels.csv"
    assert f"starclass train --stamps {done} --stamps {new} --resume-from {model} -o NEW_MODEL" in text
    assert f"--export {new}" in text
    # the page serves cutouts now (inspect --stamps), not as a data directory's --catalogue
    assert "--init-from" not in text and "--catalogue" not in text
    # the pool's one database (docs/inspect.md, "Rounds in one database"), the model's task by its preset name
    assert (f"starclass inspect --stamps {out} --task m31-binary-compact --db sqlite:///{tmp_path.resolve()}"
            "/inspect.sqlite --init") in text
    # positions are needed to cut stamps from mosaics: refused by name, nothing written
    res, text = _run(["suggest", model, tmp_path / "out.csv", "-o", tmp_path / "s2.csv", "--mosaics", tmp_path])
    assert res.exit_code == 2 and "leave out --mosaics" in text and not (tmp_path / "s2.csv").exists()


def test_suggest_refuses_a_csv_classified_by_another_model(tmp_path):
    """A CSV keeps no meta: classify names its model in a 'model' column, which suggest did not
    read, so a CSV classified by another model was ranked without a word."""
    a = _untrained_model(tmp_path / "a", seed=0)
    b = _untrained_model(tmp_path / "b", seed=1)
    p1 = np.linspace(0.05, 0.95, 8)
    cand = Table({"file": [f"c{i}.png" for i in range(8)], "class_pred": np.where(p1 >= 0.5, 1, 2),
                  "prob_1": p1, "prob_2": 1 - p1, "model": [str(a.resolve())] * 8})
    cand.write(tmp_path / "out.csv", format="ascii.csv")
    out = tmp_path / "sugg.csv"
    res, text = _run(["suggest", b, tmp_path / "out.csv", "-o", out, "-n", 3])
    assert res.exit_code == 2, text
    assert f"classified by model {a.resolve()} (their 'model' column), not by {b}" in text
    assert "classify --stamps" in text and "--mosaics" not in text and not out.exists()
    res, text = _run(["suggest", a, tmp_path / "out.csv", "-o", out, "-n", 3])
    assert res.exit_code == 0, text
    # rows of several models in one table: refused, naming the count
    cand["model"][:4] = str(b.resolve())
    cand.write(tmp_path / "mixed.csv", format="ascii.csv")
    res, text = _run(["suggest", a, tmp_path / "mixed.csv", "-o", tmp_path / "s2.csv", "-n", 3])
    assert res.exit_code == 2 and "names 2 models" in text, text


def test_classify_records_its_model_absolute_so_suggest_checks_it_from_anywhere(tmp_path, monkeypatch):
    """classify wrote meta['model'] as given ('m', relative): suggest run from another directory
    said the model 'is not found here: it cannot be checked' (or compared another folder 'm')."""
    import warnings

    cfg = get_preset("m31-real", stamp_size=16)  # a cutout model (m31-binary's flux needs zeropoints)
    model = write_untrained_model(tmp_path / "work" / "m", cfg)
    rng = np.random.default_rng(0)
    (tmp_path / "work" / "cut").mkdir()
    lines = ["file,label"]
    for i in range(6):
        np.save(tmp_path / "work" / "cut" / f"c{i}.npy", rng.random((32, 32)).astype(np.float32))
        lines.append(f"c{i}.npy,")
    (tmp_path / "work" / "cut" / "labels.csv").write_text("\n".join(lines) + "\n")
    monkeypatch.chdir(tmp_path / "work")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res, text = _run(["classify", "--stamps", "cut/labels.csv", "--model", "m", "-o", "out.ecsv",
                          "--no-progress", "--device", "cpu"])
    assert res.exit_code == 0, text
    assert Table.read(tmp_path / "work" / "out.ecsv").meta["model"] == str(model.resolve())
    monkeypatch.chdir(tmp_path)
    res, text = _run(["suggest", model, tmp_path / "work" / "out.ecsv", "-o", tmp_path / "s.ecsv", "-n", 2])
    assert res.exit_code == 0, text
    assert "cannot be checked" not in text


def test_suggest_with_every_candidate_labelled_says_so(tmp_path):
    """Every candidate already in --labels: an empty suggestion list was written, exit status 0,
    after the whole classification."""
    model = _untrained_model(tmp_path / "m", seed=0)
    _six_classified(model, tmp_path / "cand.ecsv")
    write_catalog(Table({"id": [6.0, 5, 4, 3, 2, 1], "class_h1": [1, 2, 1, 2, 1, 2]}), tmp_path / "done.ecsv")
    out = tmp_path / "s.ecsv"
    res, text = _run(["suggest", model, tmp_path / "cand.ecsv", "-o", out, "-n", 3, "--labels", tmp_path / "done.ecsv"])
    assert res.exit_code == 2, text
    assert text.strip().splitlines() == [f"error: every one of the 6 candidates already has a label in --labels "
                                         f"{tmp_path / 'done.ecsv'}: nothing to suggest (give candidates that are "
                                         "not labelled yet, e.g. a larger catalogue of the field)"]
    assert not out.exists()
    # said before the model is loaded and the mosaics read (neither exists here)
    res, text = _run(["suggest", tmp_path / "no_model", tmp_path / "cand.ecsv", "-o", out, "--mosaics",
                      tmp_path / "no_mosaics", "--labels", tmp_path / "done.ecsv"])
    assert res.exit_code == 2 and "nothing to suggest" in text, text
    # one left: it is suggested
    write_catalog(Table({"id": [1, 2, 3, 4, 5], "class_h1": [1, 2, 1, 2, 1]}), tmp_path / "most.ecsv")
    res, text = _run(["suggest", model, tmp_path / "cand.ecsv", "-o", out, "-n", 3, "--mag-bins", 1, "--labels",
                      tmp_path / "most.ecsv"])
    assert res.exit_code == 0 and read_catalog(out)["id"].tolist() == [6], text


def test_suggest_labels_of_a_multi_band_cutout_folder(tmp_path):
    """--labels of a folder with several bands per object (file_g, file_i columns, as the cutout
    reader takes them) was refused for want of a 'file' column; now its objects are left out. A
    labels CSV whose paths name none of the candidates (another folder) is warned about."""
    model = _untrained_model(tmp_path / "m", seed=0)
    p1 = np.array([0.95, 0.52, 0.70, 0.49, 0.10, 0.60])
    g = [f"g/c{i}.png" for i in range(6)]
    i_band = [f"i/c{i}.png" for i in range(6)]
    # classify --stamps writes 'file' (the model's first band) beside the folder's file_<band> columns
    cand = Table({"file_i": i_band, "file_g": g, "file": g, "label": ["cluster"] * 6,
                  "class_pred": np.where(p1 >= 0.5, 1, 2), "prob_1": p1, "prob_2": 1 - p1, "model": [str(model)] * 6})
    cand.write(tmp_path / "out.csv", format="ascii.csv")
    # the labels CSV lists i before g: either order names the objects
    (tmp_path / "done.csv").write_text("file_i,file_g,label\n" + f"{i_band[3]},{g[3]},galaxy\n"
                                       + f"{i_band[1]},{g[1]},cluster\n")
    out = tmp_path / "sugg.csv"
    res, text = _run(["suggest", model, tmp_path / "out.csv", "-o", out, "-n", 3, "--labels", tmp_path / "done.csv"])
    assert res.exit_code == 0, text
    got = Table.read(out, format="ascii.csv")
    order = np.argsort(-entropy(np.c_[p1, 1 - p1]), kind="stable")
    assert list(got["file"]) == [g[k] for k in order if k not in (1, 3)][:3]
    assert "2 of the 6 cutouts are labelled there and left out" in text
    # the next step names the band columns to fill in
    assert "in a CSV beside the cutouts (their file_i, file_g files and a label)" in text
    # paths relative to another folder match nothing: said, not silently suggested again
    (tmp_path / "elsewhere.csv").write_text("file_g,file_i,label\n" + f"../x/{g[3]},../x/{i_band[3]},galaxy\n")
    res, text = _run(["suggest", model, tmp_path / "out.csv", "-o", out, "-n", 3, "--labels",
                      tmp_path / "elsewhere.csv", "--overwrite"])
    assert res.exit_code == 0 and "0 of the 6 cutouts are labelled there" in text, text
    assert "compared as written" in text
    # neither file nor file_<band>: refused by name, nothing written
    (tmp_path / "bad.csv").write_text("path,label\na.png,galaxy\n")
    res, text = _run(["suggest", model, tmp_path / "out.csv", "-o", tmp_path / "s3.csv", "--labels",
                      tmp_path / "bad.csv"])
    assert res.exit_code == 2 and "file_<band>" in text and not (tmp_path / "s3.csv").exists(), text


def test_suggest_labels_may_be_an_imagefolder_directory(tmp_path):
    """--labels naming an ImageFolder directory (one sub-folder per label, the layout classify
    --stamps takes) failed with "cannot read it as a CSV ([Errno 21] Is a directory ...)"."""
    from PIL import Image

    model = _untrained_model(tmp_path / "m", seed=0)
    p1 = np.array([0.95, 0.52, 0.70, 0.49, 0.10, 0.60])
    files = [f"{('GC', 'Star')[k % 2]}/c {k}.png" for k in range(6)]
    cand = Table({"file": files, "label": [f.split("/")[0] for f in files], "class_pred": np.where(p1 >= 0.5, 1, 2),
                  "prob_1": p1, "prob_2": 1 - p1, "model": [str(model)] * 6})
    cand.write(tmp_path / "out.csv", format="ascii.csv")
    done = tmp_path / "labelled so far"
    for k in (1, 3):  # the two most uncertain are labelled already
        (done / files[k]).parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(np.zeros((8, 8), np.uint8)).save(done / files[k])
    out = tmp_path / "sugg.csv"
    res, text = _run(["suggest", model, tmp_path / "out.csv", "-o", out, "-n", 3, "--labels", done])
    assert res.exit_code == 0, text
    order = np.argsort(-entropy(np.c_[p1, 1 - p1]), kind="stable")
    assert list(Table.read(out, format="ascii.csv")["file"]) == [files[k] for k in order if k not in (1, 3)][:3]


def test_suggest_labels_of_another_folder_with_the_same_file_names(tmp_path):
    """A training folder and the folder classified name their cutouts alike (g/o000.png in both):
    compared as written, --labels TRAIN/labels.csv made every candidate "already labelled" (exit 2).
    classify --stamps records the folder (cutout_root), so both sides are compared as files."""
    from PIL import Image

    model = _untrained_model(tmp_path / "m", seed=0)
    p1 = np.array([0.95, 0.52, 0.70, 0.49, 0.10, 0.60])
    files = [f"g/o{k:03d}.png" for k in range(6)]
    for split in ("train", "test"):
        for f in files:
            (tmp_path / split / f).parent.mkdir(parents=True, exist_ok=True)
            Image.fromarray(np.zeros((8, 8), np.uint8)).save(tmp_path / split / f)
        (tmp_path / split / "labels.csv").write_text("file,label\n" + "".join(f"{f},galaxy\n" for f in files))
    root = str((tmp_path / "test").resolve())
    cand = Table({"file": files, "class_pred": np.where(p1 >= 0.5, 1, 2), "prob_1": p1, "prob_2": 1 - p1,
                  "model": [str(model)] * 6, "cutout_root": [root] * 6})
    cand.write(tmp_path / "out.csv", format="ascii.csv")
    out = tmp_path / "sugg.csv"
    res, text = _run(["suggest", model, tmp_path / "out.csv", "-o", out, "-n", 3, "--labels",
                      tmp_path / "train" / "labels.csv"])
    assert res.exit_code == 0, text
    assert "0 of the 6 cutouts are labelled there" in text and "compared as files" in text
    assert len(Table.read(out, format="ascii.csv")) == 3
    # the candidates' own folder, labelled in part (a CSV elsewhere naming them by another path)
    (tmp_path / "done").mkdir()
    (tmp_path / "done" / "l.csv").write_text(f"file,label\n../test/{files[1]},galaxy\n../test/{files[3]},galaxy\n")
    res, text = _run(["suggest", model, tmp_path / "out.csv", "-o", out, "-n", 3, "--overwrite", "--labels",
                      tmp_path / "done" / "l.csv"])
    assert res.exit_code == 0 and "2 of the 6 cutouts are labelled there" in text, text
    order = np.argsort(-entropy(np.c_[p1, 1 - p1]), kind="stable")
    assert list(Table.read(out, format="ascii.csv")["file"]) == [files[k] for k in order if k not in (1, 3)][:3]


def test_suggest_prints_the_next_command_quoted_for_a_shell(tmp_path):
    """A model folder with a space ('model dir') was printed bare in the fine-tuning command."""
    import shlex

    model = _untrained_model(tmp_path / "model dir", seed=0)
    p1 = np.array([0.95, 0.52, 0.70])
    cand = Table({"file": ["a.png", "b.png", "c.png"], "class_pred": np.where(p1 >= 0.5, 1, 2), "prob_1": p1,
                  "prob_2": 1 - p1, "model": [str(model)] * 3})
    cand.write(tmp_path / "out.csv", format="ascii.csv")
    res, text = _run(["suggest", model, tmp_path / "out.csv", "-o", tmp_path / "s.csv", "-n", 2])
    assert res.exit_code == 0, text
    command = text.split("fine-tune: ", 1)[1].split("\n")[0]
    words = shlex.split(command)
    assert words[words.index("--resume-from") + 1] == str(model), command
    # fine-tuning on the new labels alone missed whole classes: the hint says to keep the old ones, as a
    # second --stamps list (train takes several since 2026-12-05)
    assert "with the cutouts labelled so far (every class needs training rows), one --stamps for each list" in text
    # without --labels the list labelled so far is the user's own, said in words; the export's file is named
    assert words[2:6] == ["--stamps", "SO_FAR.csv", "--stamps", str(tmp_path / "labels.csv")], command
    assert "(SO_FAR.csv: the list of the cutouts labelled before this round" in text


def test_suggest_without_mag_band_column_names_the_usable_ones(tmp_path):
    """Candidates with mag_true_<band> (a simulated truth catalogue) but no mag_<band>: suggest said
    only 'no magnitude column', though --mag-column could take one of those."""
    model = _untrained_model(tmp_path / "m", seed=0)
    p1 = np.linspace(0.1, 0.9, 8)
    cand = Table({"id": np.arange(1, 9), "x": np.arange(8.0), "y": np.arange(8.0), "prob_1": p1, "prob_2": 1 - p1,
                  "class_pred": np.where(p1 > 0.5, 1, 2), "mag_true_f555w": np.linspace(20, 25, 8)})
    cand.meta.update({"model": str(model), "task": "m31-binary-compact"})
    write_catalog(cand, tmp_path / "cand.ecsv")
    res, text = _run(["suggest", model, tmp_path / "cand.ecsv", "-o", tmp_path / "s.ecsv", "-n", 4])
    assert res.exit_code == 0, text
    assert "--mag-column, e.g. mag_true_f555w" in text
    res, text = _run(["suggest", model, tmp_path / "cand.ecsv", "-o", tmp_path / "s2.ecsv", "-n", 4,
                      "--mag-column", "mag_true_f555w", "--mag-bins", "2"])
    assert res.exit_code == 0 and "spread over 2 bins of mag_true_f555w" in text, text


def test_resume_from_help_says_the_calibration_is_refitted():
    """train --resume-from on a first round's 50 labels refitted the calibration on 4 validation rows
    (temperature at its bound); the help said only 'the same as --init-from'."""
    import os

    res = CliRunner().invoke(app, ["train", "--help"], env={**os.environ, "COLUMNS": "400"})
    text = " ".join(res.output.split())
    assert "Its calibration is not kept" in text and "starclass calibrate" in text, text


def test_suggest_labels_with_unlabelled_rows_count_only_the_voted(tmp_path):
    """inspect --export --include-unlabelled lists every candidate, most without a vote: suggest took
    all of them as labelled and refused ('every one of the 6 candidates already has a label')."""
    model = _untrained_model(tmp_path / "m", seed=0)
    _six_classified(model, tmp_path / "cand.ecsv")
    export = Table({"id": np.arange(1, 7), "class_h1": [1, 0, 0, 0, 0, 2], "class_h2": [0, 0, 0, 0, 0, 2],
                    "class_ref": [1, 0, 0, 0, 0, 2], "n_labels": [1, 0, 0, 0, 0, 2]})
    write_catalog(export, tmp_path / "all.ecsv")
    out = tmp_path / "s.ecsv"
    res, text = _run(["suggest", model, tmp_path / "cand.ecsv", "-o", out, "-n", 10, "--mag-bins", 1,
                      "--labels", tmp_path / "all.ecsv"])
    assert res.exit_code == 0, text
    assert sorted(read_catalog(out)["id"].tolist()) == [2, 3, 4, 5]
    assert "suggested 4 of the 4 candidates that can be ranked (of 6: 2 labelled in --labels) by" in text, text
    # a table of ids alone still lists labelled candidates
    write_catalog(Table({"id": [2, 3]}), tmp_path / "ids.ecsv")
    res, text = _run(["suggest", model, tmp_path / "cand.ecsv", "-o", tmp_path / "s2.ecsv", "-n", 10,
                      "--mag-bins", 1, "--labels", tmp_path / "ids.ecsv"])
    assert res.exit_code == 0 and sorted(read_catalog(tmp_path / "s2.ecsv")["id"].tolist()) == [1, 4, 5, 6], text


def test_suggest_labels_for_cutouts_named_by_file_band_columns_only(tmp_path):
    """A classified cutout table naming its rows by file_g, file_i (no 'file' column) failed on
    --labels with a KeyError traceback; its first file_<band> column now names each row."""
    model = _untrained_model(tmp_path / "m", seed=0)
    p1 = np.array([0.95, 0.52, 0.70])
    cand = Table({"file_g": ["g/a.png", "g/b.png", "g/c.png"], "file_i": ["i/a.png", "i/b.png", "i/c.png"],
                  "class_pred": [1, 1, 1], "prob_1": p1, "prob_2": 1 - p1, "model": [str(model)] * 3})
    cand.write(tmp_path / "out.csv", format="ascii.csv")
    (tmp_path / "l.csv").write_text("file_g,file_i,label\ng/b.png,i/b.png,galaxy\n")
    out = tmp_path / "sugg.csv"
    res, text = _run(["suggest", model, tmp_path / "out.csv", "-o", out, "-n", 2, "--labels", tmp_path / "l.csv"])
    assert res.exit_code == 0, text
    assert "1 of the 3 cutouts is labelled there" in text
    assert sorted(Table.read(out, format="ascii.csv")["file_g"]) == ["g/a.png", "g/c.png"]


def test_suggest_help_says_how_labelled_cutouts_are_matched():
    """--help said cutout paths were "compared as written, relative to its folder", but a
    classification that records its folder (cutout_root) is matched as files."""
    import os

    r = CliRunner().invoke(app, ["suggest", "--help"], env={**os.environ, "COLUMNS": "200"})
    assert r.exit_code == 0
    text = " ".join(r.output.replace("│", " ").split())
    assert "compared as written, relative to its folder" not in text
    assert "matched as files where the classification records its folder (cutout_root)" in text, text


def test_suggest_labels_errors_name_suggest_labels(tmp_path):
    """A --labels table without an id column (or missing) was called "votes table ... (train --labels
    / classify --votes)": options of other commands, not the one the user gave."""
    model = _untrained_model(tmp_path / "m", seed=0)
    _six_classified(model, tmp_path / "cand.ecsv")
    write_catalog(Table({"ident": [1, 2]}), tmp_path / "done.ecsv")
    for labels, says in ((tmp_path / "done.ecsv", "has no 'id' column"), (tmp_path / "nope.ecsv", "not found")):
        res, text = _run(["suggest", model, tmp_path / "cand.ecsv", "-o", tmp_path / "s.ecsv", "--labels", labels])
        assert res.exit_code == 2 and says in text, text
        assert "(suggest --labels)" in text and "classify --votes" not in text, text


def test_suggest_says_exactly_what_it_chose_from(tmp_path):
    """'suggested 4 of 6 unlabelled candidates' (asked for 10): two of the six had no classification (NaN
    probabilities, never suggested) and the eight candidates in all were not named; read as all candidates."""
    model = _untrained_model(tmp_path / "m", seed=0)
    p1 = np.linspace(0.1, 0.9, 8)
    p1[[2, 5]] = np.nan
    cand = Table({"id": np.arange(1, 9), "x": np.arange(8.0), "y": np.arange(8.0), "prob_1": p1, "prob_2": 1 - p1,
                  "class_pred": np.where(p1 > 0.5, 1, 2)})
    cand.meta.update({"model": str(model), "task": "m31-binary-compact"})
    write_catalog(cand, tmp_path / "cand.ecsv")
    write_catalog(Table({"id": [1, 8], "class_ref": [1, 2]}), tmp_path / "labels.ecsv")
    out = tmp_path / "s.ecsv"
    res, text = _run(["suggest", model, tmp_path / "cand.ecsv", "-o", out, "-n", 10, "--mag-bins", 1,
                      "--labels", tmp_path / "labels.ecsv"])
    assert res.exit_code == 0, text
    picked = read_catalog(out)["id"].tolist()
    assert sorted(picked) == [2, 4, 5, 7]
    assert (f"suggested {len(picked)} of the 4 candidates that can be ranked (of 8: 2 labelled in --labels, "
            "2 without a classification) by entropy") in text, text
    meta = read_catalog(out).meta["suggest"]
    assert (meta["n_candidates"], meta["n_labelled"], meta["n_unranked"], meta["n_eligible"]) == (8, 2, 2, 4)
    # nothing left out: all the candidates, not "unlabelled" ones (they may carry a class_ref of their own)
    res, text = _run(["suggest", model, tmp_path / "cand.ecsv", "-o", tmp_path / "s2.ecsv", "-n", 3,
                      "--mag-bins", 1])
    assert res.exit_code == 0, text
    assert "suggested 3 of the 6 candidates that can be ranked (of 8: 2 without a classification) by" in text, text


def test_suggest_hint_keeps_the_pools_one_database_and_its_scheme(tmp_path):
    """suggest's next step said 'inspect --stamps roundN/suggest.csv --task MODEL --init': a new database
    beside every round's suggestions, while the docs keep one pool database with --db, and the model
    folder's scheme (task:<its task>) where the pool's database records the one it was served with
    (task:m31-real), which inspect then refused. The hint now names the pool's database where there is one
    and the scheme it records; where there is none, a new one beside the suggestions (until 2026-12-07 in the
    cutout folder, which may be read-only or shared), its command on a line of its own."""
    import sqlite3

    model = _untrained_model(tmp_path / "m", seed=0)
    pool = tmp_path / "pool"
    pool.mkdir()
    p1 = np.linspace(0.1, 0.9, 6)
    cand = Table({"file": [f"img/c{i}.png" for i in range(6)], "class_pred": np.where(p1 >= 0.5, 1, 2),
                  "prob_1": p1, "prob_2": 1 - p1})
    cand.meta.update({"model": str(model), "cutout_root": str(pool)})
    (tmp_path / "round1").mkdir()
    write_catalog(cand, tmp_path / "round1" / "classified.ecsv")
    out = tmp_path / "round1" / "suggest.csv"
    db = f"sqlite:///{pool.resolve()}/inspect.sqlite"
    res, text = _run(["suggest", model, tmp_path / "round1" / "classified.ecsv", "-o", out, "-n", 3])
    assert res.exit_code == 0, text
    # no database yet: a new one beside the suggestions (inspect --stamps' own default), not in the cutout folder,
    # which may be a read-only or shared copy; the command on a line of its own, the last, to be copied whole
    beside = f"sqlite:///{(tmp_path / 'round1').resolve()}/inspect.sqlite"
    assert text.strip().splitlines()[-1] == (f"label them: starclass inspect --stamps {out} --task m31-binary-compact "
                                             f"--db {beside} --init"), text
    assert "keep this --db in every round" in text and f"--db {db}" not in text
    # a later round: the pool's database records the scheme it was served with (not the model's task)
    with sqlite3.connect(pool / "inspect.sqlite") as conn:
        conn.execute("CREATE TABLE label_schemes (dataset TEXT PRIMARY KEY, scheme TEXT, chosen_at TEXT)")
        conn.execute("INSERT INTO label_schemes VALUES ('', 'task:m31-real', '2026-12-04')")
    conn.close()
    res, text = _run(["suggest", model, tmp_path / "round1" / "classified.ecsv", "-o", out, "-n", 3, "--overwrite"])
    assert res.exit_code == 0, text
    assert text.strip().splitlines()[-1] == f"label them: starclass inspect --stamps {out} --task m31-real --db {db}"
    assert "--init" not in text and f"--task {model}" not in text
