"""Pseudo-labels (CEAL): starclass.suggest.pseudo, the split that never validates on them,
`suggest --pseudo-labels`, `train --pseudo-labels`, and the pseudo arms of trust_active_real."""

from __future__ import annotations

import json

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.bands import BANDS
from starclass.cli import app
from starclass.datasets.stamps import make_synthetic_field
from starclass.errors import StarclassError
from starclass.io.catalog import read_catalog, write_catalog
from starclass.io.mosaic import write_mosaic
from starclass.learn.config import get_preset, save_config
from starclass.learn.train import prepare_data
from starclass.suggest.pseudo import pseudo_labels

runner = CliRunner()


def _run(args):
    res = runner.invoke(app, [str(a) for a in args])
    return res, res.output


def test_pseudo_labels_are_the_confident_unlabelled_rows_with_the_models_class():
    p1 = np.array([0.99, 0.5, 0.03, 0.96, 0.951, 0.949, np.nan, 0.97])
    t = Table({"id": np.arange(1, 9), "prob_1": p1, "prob_2": 1 - p1})
    out = pseudo_labels(t, labelled=[4.0], min_confidence=0.95)
    # by hand: top probability >= 0.95 and not labelled (id 4) nor unclassified (id 7), most confident first
    assert out["id"].tolist() == [1, 3, 8, 5]
    assert out["class_ref"].tolist() == [1, 2, 1, 1]
    assert out["pseudo_label"].tolist() == [True] * 4
    assert out.meta["pseudo_labels"]["per_class"] == {1: 3, 2: 1}
    assert out.meta["pseudo_labels"]["n_eligible"] == 7
    # every candidate labelled: nothing to pseudo-label, not an error
    assert len(pseudo_labels(t, labelled=list(range(1, 9)))) == 0
    with pytest.raises(StarclassError, match="no 'file' column"):
        pseudo_labels(t, labelled=["a.png"], key="file")
    # a cap per class keeps the most confident of each
    capped = pseudo_labels(t, min_confidence=0.95, max_per_class=2)
    assert capped["id"].tolist() == [1, 3, 8] and capped.meta["pseudo_labels"]["per_class"] == {1: 2, 2: 1}
    # four classes
    t4 = Table({"id": [1, 2], "prob_1": [0.05, 0.3], "prob_2": [0.02, 0.3], "prob_3": [0.91, 0.2],
                "prob_4": [0.02, 0.2]})
    assert pseudo_labels(t4, min_confidence=0.9)["class_ref"].tolist() == [3]


def test_pseudo_labels_keep_the_candidates_own_class_ref_renamed():
    """A classified simulation (its truth in class_ref) lost the truth under the pseudo-labels without a word;
    it is now kept as class_ref_input, with a warning, so the wrong pseudo-labels can still be counted."""
    t = Table({"id": [1, 2, 3], "prob_1": [0.99, 0.02, 0.5], "prob_2": [0.01, 0.98, 0.5],
               "class_ref": np.array([2, 2, 1], dtype=np.int16)})
    with pytest.warns(UserWarning, match="'class_ref' -> 'class_ref_input'"):
        out = pseudo_labels(t, min_confidence=0.95)
    assert out["class_ref"].tolist() == [1, 2] and out["class_ref_input"].tolist() == [2, 2]
    assert "class_ref" in t.colnames and "class_ref_input" not in t.colnames  # the input table as it was


def test_pseudo_labels_threshold_raw_or_calibrated_and_refusals():
    t = Table({"id": [1, 2], "prob_1": [0.9, 0.6], "prob_2": [0.1, 0.4],
               "prob_1_raw": [0.99, 0.97], "prob_2_raw": [0.01, 0.03]})
    # raw by default (a calibrated classification keeps them as prob_<k>_raw)
    raw = pseudo_labels(t, min_confidence=0.95)
    assert raw["id"].tolist() == [1, 2] and raw.meta["pseudo_labels"]["probabilities"] == "prob_<k>_raw"
    assert len(pseudo_labels(t, min_confidence=0.95, probabilities="calibrated")) == 0
    for bad in (0.5, 1.0, 0.3, 1.2):
        with pytest.raises(StarclassError, match="between 0.5 and 1"):
            pseudo_labels(t, min_confidence=bad)
    with pytest.raises(StarclassError, match="max_per_class must be >= 1"):
        pseudo_labels(t, max_per_class=0)
    with pytest.raises(StarclassError, match="fewer than two prob_<k>"):
        pseudo_labels(Table({"id": [1], "x": [0.0]}))


def test_the_split_is_drawn_on_peoples_labels_and_never_holds_a_pseudo_label():
    cfg = get_preset("galaxy-cluster", stamp_size=8, recipe={"val_fraction": 0.3})
    n = 40
    x = np.zeros((n, cfg.n_channels, 8, 8), np.float32)
    people = np.array([1, 2] * 10 + [0] * 20)  # rows 20-39 unlabelled by people
    pseudo_cls = np.array([2, 1] * 10)
    with_pseudo = people.copy()
    with_pseudo[20:] = pseudo_cls
    for seed in range(4):
        plain = prepare_data(cfg, x, people, seed=seed)
        got = prepare_data(cfg, x, with_pseudo, seed=seed, pseudo_index=np.arange(20, 40))
        # the validation rows are the ones people's labels alone give, and never a pseudo-label
        assert got.val.indices.tolist() == plain.val.indices.tolist()
        assert not set(got.val.indices.tolist()) & set(range(20, 40))
        assert set(got.train.indices.tolist()) == set(plain.train.indices.tolist()) | set(range(20, 40))
        # without pseudo_index the same labels are split over all 40 rows: pseudo rows reach validation
    mixed = [set(prepare_data(cfg, x, with_pseudo, seed=s).val.indices.tolist()) & set(range(20, 40))
             for s in range(4)]
    assert any(mixed)
    with pytest.raises(StarclassError, match="every labelled training row is a pseudo-label"):
        prepare_data(cfg, x, with_pseudo, seed=0, pseudo_index=np.arange(n))


@pytest.fixture(scope="module")
def field(tmp_path_factory):
    """Toy mosaics, 40 candidates; people labelled ids of the first 24 rows (the truth)."""
    root = tmp_path_factory.mktemp("pseudo")
    cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0],
                     recipe={"epochs": 1, "batch_size": 16, "val_fraction": 0.25})
    images, table = make_synthetic_field(cfg, 40, seed=5)
    data = root / "data"
    for band, img in images.items():
        info = BANDS[band]
        write_mosaic(data / f"toy_{band}.fits", img, band, None, photflam=info.photflam, photplam=info.photplam)
    cand = table["id", "x", "y", "class_ref"]
    cand["class_ref"][24:] = 0
    write_catalog(cand, root / "labelled.ecsv")
    save_config(cfg, root / "task.yaml")
    return root, data, cfg, table


def test_suggest_writes_pseudo_labels_beside_the_suggestions(tmp_path):
    from test_suggest import _untrained_model

    model = _untrained_model(tmp_path / "m", seed=0)
    p1 = np.array([0.99, 0.97, 0.5, 0.55, 0.02, 0.6, 0.96, 0.3])
    cand = Table({"id": np.arange(1, 9), "x": np.arange(8.0), "y": np.arange(8.0), "prob_1": p1, "prob_2": 1 - p1,
                  "class_pred": np.where(p1 > 0.5, 1, 2)})
    cand.meta.update({"model": str(model), "task": "m31-binary-compact"})
    write_catalog(cand, tmp_path / "cand.ecsv")
    write_catalog(Table({"id": [2], "class_h1": [1]}), tmp_path / "done.ecsv")
    sug, pse = tmp_path / "s.ecsv", tmp_path / "p.ecsv"
    args = ["suggest", model, tmp_path / "cand.ecsv", "-o", sug, "-n", 2, "--mag-bins", 1, "--labels",
            tmp_path / "done.ecsv", "--pseudo-labels", pse, "--min-confidence", 0.95]
    res, text = _run(args)
    assert res.exit_code == 0, text
    assert read_catalog(sug)["id"].tolist() == [3, 4]  # the two least sure go to people
    p = read_catalog(pse)
    # >= 0.95, not labelled (2), not suggested: 1 (0.99), 5 (0.98 for class 2), 7 (0.96)
    assert p["id"].tolist() == [1, 5, 7] and p["class_ref"].tolist() == [1, 2, 1]
    assert p["pseudo_label"].tolist() == [True] * 3
    assert "pseudo-labels: 3 unlabelled candidates" in text and "class 1: 2, class 2: 1" in text
    # kept without --overwrite (neither file written: the suggestions are not replaced either)
    before = sug.stat().st_mtime_ns
    res, text = _run(args)
    assert res.exit_code == 2 and "--overwrite" in text and sug.stat().st_mtime_ns == before
    res, text = _run([*args, "--overwrite", "--max-per-class", 1])
    assert res.exit_code == 0 and read_catalog(pse)["id"].tolist() == [1, 5], text
    # refused before any work, nothing written
    for extra, said in ((["--min-confidence", 1.0], "--min-confidence must be between 0.5 and 1"),
                        (["--min-confidence", 0.4], "--min-confidence must be between 0.5 and 1"),
                        (["--max-per-class", 0], "--max-per-class must be >= 1")):
        out2 = tmp_path / "p2.ecsv"
        bad = [*args[:-4], "--pseudo-labels", out2, *extra]
        bad[bad.index(sug)] = tmp_path / "s2.ecsv"
        res, text = _run(bad)
        assert res.exit_code == 2 and said in text and "Traceback" not in text, text
        assert not out2.exists() and not (tmp_path / "s2.ecsv").exists()
    res, text = _run([*args[:-4], "--pseudo-labels", sug, "--overwrite"])
    assert res.exit_code == 2 and "name the same file" in text
    res, text = _run([*args[:-4], "--max-per-class", 3, "--overwrite"])
    assert res.exit_code == 2 and "give --pseudo-labels too" in text


def test_train_on_pseudo_labels_validates_on_peoples_labels_only(field, tmp_path, monkeypatch, single_thread):
    import starclass.learn.train as train_mod

    root, data, cfg, truth = field
    real_fit = train_mod.fit
    seen = {}

    def recording_fit(*a, **kw):
        result = real_fit(*a, **kw)
        seen.update(labels=np.asarray(a[2]).copy(), pseudo=kw.get("pseudo_index"), val=result.val_index,
                    n=result.n_train + result.n_val)
        return result

    monkeypatch.setattr(train_mod, "fit", recording_fit)
    ids = np.asarray(truth["id"])
    # the model's classes for ten unlabelled candidates (rows 24-33); one is "wrong" on purpose
    pcls = np.asarray(truth["class_ref"])[24:34].copy()
    pcls[0] = pcls[0] % 4 + 1
    write_catalog(Table({"id": ids[24:34], "class_ref": pcls, "pseudo_label": [True] * 10}), tmp_path / "p.ecsv")
    base = ["train", "--task", root / "task.yaml", "--mosaics", data, "--catalog", root / "labelled.ecsv",
            "--no-progress", "--device", "cpu", "--seed", "0"]
    res, text = _run([*base, "--pseudo-labels", tmp_path / "p.ecsv", "-o", tmp_path / "m"])
    assert res.exit_code == 0, text
    assert "pseudo-labels: 10 candidates" in text
    assert sorted(seen["pseudo"].tolist()) == list(range(24, 34))
    assert seen["labels"][24:34].tolist() == pcls.tolist() and (seen["labels"][34:] == 0).all()
    assert len(seen["val"]) and not set(np.asarray(seen["val"]).tolist()) & set(range(24, 34))
    assert seen["n"] == 34  # 24 people's labels + 10 pseudo-labels


def test_train_pseudo_labels_refusals(field, tmp_path, single_thread):
    root, data, cfg, truth = field
    ids = np.asarray(truth["id"])
    base = ["train", "--task", root / "task.yaml", "--mosaics", data, "--catalog", root / "labelled.ecsv",
            "--no-progress", "--device", "cpu", "-o", tmp_path / "m"]
    other = np.asarray(truth["class_ref"])[:2] % 4 + 1
    two = [True, True]
    cases = {
        "clash": (Table({"id": ids[:2], "class_ref": other, "pseudo_label": two}),
                  "2 candidates are labelled by people with another class"),
        "unknown": (Table({"id": [99999, 99998], "class_ref": [1, 2], "pseudo_label": two}),
                    "2 ids are not in the catalogue"),
        "class": (Table({"id": ids[30:32], "class_ref": [1, 7], "pseudo_label": two}),
                  "class_ref 7 on row 2 is not one of"),
        "twice": (Table({"id": [ids[30], ids[30]], "class_ref": [1, 1], "pseudo_label": two}),
                  "is given more than once"),
        "nocls": (Table({"id": ids[30:32]}), "no class_ref column"),
        "people": (Table({"id": ids[30:32], "class_ref": [1, 2], "pseudo_label": [True, False]}),
                   "1 row is not a pseudo-label"),
        # suggest's other output, the list for people, given by mistake: its class_ref is whatever the
        # catalogue held (here people's labels of candidates not yet labelled), never the model's
        "suggestions": (Table({"id": ids[30:32], "class_ref": [1, 2], "suggest_rank": [1, 2]}),
                        "no pseudo_label column, so not `starclass suggest --pseudo-labels` output (it looks like "
                        "suggest's list for people"),
        "handmade": (Table({"id": ids[30:32], "class_ref": [1, 2]}), "add pseudo_label = True"),
    }
    for name, (t, said) in cases.items():
        write_catalog(t, tmp_path / f"{name}.ecsv")
        res, text = _run([*base, "--pseudo-labels", tmp_path / f"{name}.ecsv"])
        assert res.exit_code == 2 and said in text and "Traceback" not in text, (name, text)
        assert "mosaics:" not in text  # named before the stamps are cut
        assert not (tmp_path / "m").exists()
    res, text = _run([*base, "--pseudo-labels", tmp_path / "missing.ecsv"])
    assert res.exit_code == 2 and "not found" in text
    res, text = _run([*base, "--pseudo-labels", tmp_path / "clash.ecsv", "--cv", "2"])
    assert res.exit_code == 2 and "--cv" in text


def test_pseudo_arms_of_the_real_benchmark(tmp_path, monkeypatch, single_thread):
    """The pseudo arms train round 1 on people's labels alone, then add the previous model's
    confident objects (never people's, never validated on) and store how many and how many wrong."""
    import starclass.learn.cutouts as cutouts_mod
    from conftest import load_benchmark
    from starclass.io.cutout_folders import label_classes, read_cutout_folder
    from test_trust_active_real import _toy_folder

    bench = load_benchmark("trust_active_real")
    data = tmp_path / "data"
    _toy_folder(data)
    cs = read_cutout_folder(data / "labels.csv", group_column="object_id")
    truth = label_classes(cs, get_preset("m31-real").label_map)
    real = cutouts_mod.fit_cutouts
    calls = []

    def recording_fit(*a, **kw):
        calls.append({k: kw.get(k) for k in ("train_index", "pseudo_index", "pseudo_classes")})
        return real(*a, **kw)

    monkeypatch.setattr(cutouts_mod, "fit_cutouts", recording_fit)
    out = tmp_path / "out"
    assert bench.main(["--data", str(data), "--folds", "0", "--n-folds", "2", "--start", "8", "--batch", "6",
                       "--max-labels", "14", "--runs", "0:0", "--ref-seeds", "1", "--epochs", "1",
                       "--arms", "random-pseudo,entropy-pseudo", "--pseudo-threshold", "0.51",
                       "--out", str(out)]) == 0
    pieces = calls[1:]  # the seed's reference first, then 2 grid points x 2 arms
    assert len(pieces) == 4 and calls[0]["pseudo_index"] is None
    for first, second in (pieces[:2], pieces[2:]):
        assert first["pseudo_index"] is None
        prow, pcls = second["pseudo_index"], second["pseudo_classes"]
        assert not set(prow.tolist()) & set(second["train_index"].tolist())
        assert len(prow) == len(pcls)
    for arm, (_, second) in (("random-pseudo", pieces[:2]), ("entropy-pseudo", pieces[2:])):
        d = json.loads((out / f"fold0_o0_s0_{arm}.json").read_text())
        assert d["pseudo_threshold"] == 0.51
        c0, c1 = d[arm][0]
        assert c0["n_pseudo"] == 0
        assert c1["n_pseudo_cutouts"] == len(second["pseudo_index"])
        # wrong objects, counted here from the recorded rows against the folder's labels
        objs = {}
        for r, c in zip(second["pseudo_index"], second["pseudo_classes"]):
            objs.setdefault(cs.groups[r], []).append(truth[r] != c)
        assert c1["n_pseudo"] == len(objs) and c1["n_pseudo_wrong"] == sum(any(v) for v in objs.values())
    with pytest.raises(SystemExit):
        bench.main(["--out", str(out), "--arms", "entropy-pseudo", "--pseudo-threshold", "1.0"])


def test_suggest_writes_both_files_or_neither(tmp_path, monkeypatch):
    """The suggestions and the pseudo-labels are one output: a failure writing the second left the first."""
    import starclass.io.catalog as catalog
    from test_suggest import _untrained_model

    model = _untrained_model(tmp_path / "m", seed=0)
    p1 = np.array([0.99, 0.97, 0.5, 0.55, 0.02, 0.6, 0.96, 0.3])
    cand = Table({"id": np.arange(1, 9), "x": np.arange(8.0), "y": np.arange(8.0), "prob_1": p1, "prob_2": 1 - p1,
                  "class_pred": np.where(p1 > 0.5, 1, 2)})
    cand.meta.update({"model": str(model), "task": "m31-binary-compact"})
    write_catalog(cand, tmp_path / "cand.ecsv")
    sug, pse = tmp_path / "s.ecsv", tmp_path / "p.ecsv"
    real_write = catalog.write_catalog

    def failing_on_pseudo(table, path, **kw):
        if "pseudo_labels" in table.meta:
            raise StarclassError(f"cannot write catalogue {path}: No space left on device")
        return real_write(table, path, **kw)

    monkeypatch.setattr(catalog, "write_catalog", failing_on_pseudo)
    res, text = _run(["suggest", model, tmp_path / "cand.ecsv", "-o", sug, "-n", 2, "--mag-bins", 1,
                      "--pseudo-labels", pse, "--min-confidence", 0.95])
    assert res.exit_code == 2 and "No space left" in text, text
    assert not sug.exists() and not pse.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cand.ecsv", "m"]  # no temporary left behind
