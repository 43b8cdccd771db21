"""Several fields from the command line: train and cutouts take one catalogue per mosaics folder
(or a fields list), stamp stores merge keeping each row's field, and --split galaxy / --cv K /
--cv logo keep fields whole, writing per-fold and pooled metrics that scikit-learn agrees with."""

from __future__ import annotations

import json

import numpy as np
import pytest
from astropy.table import Table
from sklearn.metrics import accuracy_score, precision_recall_fscore_support
from typer.testing import CliRunner

from starclass.bands import BANDS
from starclass.cli import app
from starclass.datasets.stamps import make_synthetic_field
from starclass.errors import StarclassError
from starclass.io.catalog import write_catalog
from starclass.io.fields import read_fields_list
from starclass.io.mosaic import write_mosaic
from starclass.learn.config import get_preset, save_config
from starclass.learn.crossval import cv_folds, fold_metrics
from starclass.stamps import StampStore, StampStores, write_stamp_store

runner = CliRunner()
SIZES = {"north": 16, "south": 12}


def _run(*args):
    res = runner.invoke(app, [str(a) for a in args])
    return res.exit_code, res.output


@pytest.fixture(scope="module")
def fields(tmp_path_factory):
    """Two toy fields (folders of band mosaics, each with its catalogue) and a one-epoch task."""
    root = tmp_path_factory.mktemp("fields")
    # LEGUS classes posed as the M31 search poses them: clusters (1, 2) against everything else
    cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0], classes=[1, 2],
                     class_names=["cluster", "non-cluster"], merge={1: 1, 2: 1, 3: 2, 4: 2}, positive_class=1,
                     recipe={"epochs": 1, "batch_size": 16, "val_fraction": 0.25, "early_stopping_patience": None})
    for k, (name, n) in enumerate(SIZES.items()):
        images, table = make_synthetic_field(cfg, n, seed=20 + k)
        for band, img in images.items():
            info = BANDS[band]
            write_mosaic(root / name / f"{name}_{band}.fits", img, band, None,
                         photflam=info.photflam, photplam=info.photplam)
        write_catalog(table, root / f"{name}.ecsv")
    save_config(cfg, root / "task.yaml")
    return root


def _common(root):
    return ["--task", root / "task.yaml", "--no-progress", "--device", "cpu", "--seed", "3"]


def test_one_catalogue_for_two_field_folders_says_how_to_give_several_fields(fields):
    code, out = _run("train", *_common(fields), "--mosaics", fields / "north", "--mosaics", fields / "south",
                     "--catalog", fields / "north.ecsv", "-o", fields / "m_bad")
    assert code == 2, out
    assert "appears twice" in out and "one --catalog per --mosaics" in out
    assert not (fields / "m_bad").exists()


def test_mismatched_option_counts_and_bad_fields_list_name_the_problem(fields):
    code, out = _run("train", *_common(fields), "--mosaics", fields / "north", "--catalog", fields / "north.ecsv",
                     "--catalog", fields / "south.ecsv", "-o", fields / "m_bad2")
    assert code == 2 and "1 mosaics folder but 2 --catalog" in out, out
    (fields / "bad.csv").write_text("mosaics,catalog\nnorth,north.ecsv\nwest,south.ecsv\n")
    with pytest.raises(StarclassError, match=r"row 2 \(line 3 of the file\): .*west does not exist"):
        read_fields_list(fields / "bad.csv")
    (fields / "nocat.csv").write_text("mosaics,cat\nnorth,north.ecsv\n")
    with pytest.raises(StarclassError, match="no column catalog"):
        read_fields_list(fields / "nocat.csv")


def test_split_galaxy_over_two_fields_holds_out_the_named_field(fields):
    code, out = _run("train", *_common(fields), "--mosaics", fields / "north", "--mosaics", fields / "south",
                     "--catalog", fields / "north.ecsv", "--catalog", fields / "south.ecsv",
                     "--split", "galaxy", "--holdout", "south", "-o", fields / "m_gal")
    assert code == 0, out
    # every south candidate (and none of north) is validation
    assert f"{SIZES['north']} training, {SIZES['south']} validation" in out, out


def test_cv_logo_from_a_fields_list_scores_each_field_on_a_model_that_never_saw_it(fields):
    (fields / "fields.csv").write_text("name,mosaics,catalog\nnorth,north,north.ecsv\nsouth,south,south.ecsv\n")
    out_dir = fields / "cv_logo"
    code, out = _run("train", *_common(fields), "--fields", fields / "fields.csv", "--cv", "logo", "-o", out_dir)
    assert code == 0, out
    assert "pooled" in out and "purity" in out
    pred = Table.read(out_dir / "cv_predictions.ecsv")
    # leave one field out: every candidate is held out exactly once, by its own field's fold
    assert len(pred) == sum(SIZES.values()) and len(set(pred["row"])) == len(pred)
    assert np.all(pred["fold"] == pred["field"])
    metrics = Table.read(out_dir / "cv_metrics.ecsv")
    assert list(metrics["fold"]) == ["north", "south", "pooled"]
    # the pooled row is scikit-learn's on all held-out predictions together, their labels read through the task's
    # merge (LEGUS 1-4 -> 1, 2; the table keeps them as given, the merge in its meta: tests/test_cv_merged_labels.py)
    # (purity undefined, NaN, where nothing is selected: no longer 0, tests/test_cv_undefined_purity.py)
    merge = {int(k): int(v) for k, v in pred.meta["reference_merge"].items()}
    ref = np.array([merge[int(c)] for c in pred["class_ref"]])
    p, r, _, _ = precision_recall_fscore_support(ref, pred["class_pred"], labels=[1], zero_division=np.nan)
    f = precision_recall_fscore_support(ref, pred["class_pred"], labels=[1], zero_division=0)[2]
    pooled = metrics[metrics["fold"] == "pooled"][0]
    assert pooled["n_test"] == len(pred)
    assert pooled["purity"] == pytest.approx(p[0], nan_ok=True) and pooled["recall"] == pytest.approx(r[0], nan_ok=True)
    assert pooled["f1"] == pytest.approx(f[0])
    assert pooled["accuracy"] == pytest.approx(accuracy_score(ref, pred["class_pred"]))
    north = metrics[metrics["fold"] == "north"][0]
    sel = np.asarray(pred["fold"] == "north")
    assert north["n_test"] == SIZES["north"]
    assert north["accuracy"] == pytest.approx(accuracy_score(ref[sel], pred["class_pred"][sel]))
    summary = json.loads((out_dir / "cv_summary.json").read_text())
    assert summary["mean"]["accuracy"] == pytest.approx(np.mean(metrics["accuracy"][:2]))
    # a fold model trained without its field: its training count is the other field's labelled rows
    assert (out_dir / "fold_north" / "manifest.json").exists()


def test_cutouts_of_two_fields_then_kfold_cv_on_the_store(fields):
    store = fields / "both.h5"
    code, out = _run("cutouts", fields / "north", fields / "south", "--catalog", fields / "north.ecsv",
                     "--catalog", fields / "south.ecsv", "--task", fields / "task.yaml", "-o", store, "--no-progress")
    assert code == 0, out
    st = StampStore(store)
    assert len(st) == sum(SIZES.values())
    assert st.table["field"].tolist() == ["north"] * SIZES["north"] + ["south"] * SIZES["south"]
    assert st.table["galaxy"].tolist() == st.table["field"].tolist()
    # kept unless --overwrite
    code, out = _run("cutouts", fields / "north", fields / "south", "--catalog", fields / "north.ecsv",
                     "--catalog", fields / "south.ecsv", "--task", fields / "task.yaml", "-o", store, "--no-progress")
    assert code == 2 and "overwrite" in out, out

    out_dir = fields / "cv2"
    code, out = _run("train", *_common(fields), "--stamps", store, "--cv", "2", "-o", out_dir)
    assert code == 0, out
    pred = Table.read(out_dir / "cv_predictions.ecsv")
    assert sorted(pred["row"]) == list(range(len(st)))
    counts = {f: int(np.sum(pred["fold"] == f)) for f in ("1", "2")}
    assert sum(counts.values()) == len(st) and min(counts.values()) >= len(st) // 2 - 1
    # the next: line's evaluate of it: each field numbers its candidates from 1, so ids repeat across the
    # fields ("duplicate id 1 ... (rows 1, 17)" refused the command's own output); (field, id) is unique
    assert set(pred["field"]) == set(SIZES) and len(set(pred["id"])) < len(pred)
    code, out = _run("evaluate", out_dir / "cv_predictions.ecsv", "-o", fields / "cv2_eval", "--bootstrap", "0")
    assert code == 0 and "duplicate id" not in out, out
    assert f"{len(st)} objects paired row by row" in out, out


def test_merge_keeps_rows_in_order_with_their_field_and_refuses_misfits(tmp_path):
    rng = np.random.default_rng(0)
    a = rng.normal(size=(3, 2, 8, 8)).astype(np.float32)
    b = rng.normal(size=(2, 2, 8, 8)).astype(np.float32)
    for name, arr, gal in (("a", a, None), ("b", b, "M33")):
        table = {"x": np.arange(len(arr)) * 1.0, "y": np.zeros(len(arr)), "class_ref": np.arange(len(arr)) + 1}
        if gal:
            table["galaxy"] = np.full(len(arr), gal)
        write_stamp_store(tmp_path / f"{name}.h5", arr, np.ones((len(arr), 8, 8), bool), table,
                          channels=["f555w", "f814w"], normalisation="zscore")
    code, out = _run("cutouts", "--merge", tmp_path / "a.h5", tmp_path / "b.h5", "-o", tmp_path / "ab.h5")
    assert code == 0, out
    ab = StampStore(tmp_path / "ab.h5")
    np.testing.assert_array_equal(ab[np.arange(5)][0], np.concatenate([a, b]))
    assert ab.table["field"].tolist() == ["a", "a", "a", "b", "b"]
    assert ab.table["galaxy"].tolist() == ["a", "a", "a", "M33", "M33"]
    assert ab.table["class_ref"].tolist() == [1, 2, 3, 1, 2]
    # lazy view: rows drawn from both stores in any order
    both = StampStores([tmp_path / "a.h5", tmp_path / "b.h5"])
    np.testing.assert_array_equal(both[[4, 0, 3]][0], np.stack([b[1], a[0], b[0]]))
    # a store of another stamp size does not fit, and the message names it
    write_stamp_store(tmp_path / "c.h5", np.zeros((1, 2, 6, 6), np.float32), np.ones((1, 6, 6), bool),
                      {"x": [0.0], "y": [0.0]}, channels=["f555w", "f814w"], normalisation="zscore")
    code, out = _run("cutouts", "--merge", tmp_path / "a.h5", tmp_path / "c.h5", "-o", tmp_path / "ac.h5")
    assert code == 2 and "c.h5" in out and "stamp_size" in out, out
    assert not (tmp_path / "ac.h5").exists()


def test_kfold_is_stratified_and_disjoint_and_refuses_too_few_per_class():
    target = np.array([0] * 9 + [1] * 6 + [-1] * 2)
    folds = cv_folds(3, target, seed=1)
    rows = np.concatenate([r for _, r in folds])
    assert sorted(rows.tolist()) == list(range(15))  # each labelled row once, unlabelled in none
    assert [int(np.sum(target[r] == 1)) for _, r in folds] == [2, 2, 2]
    with pytest.raises(StarclassError, match="fewer than the 7 folds"):
        cv_folds(7, target)
    with pytest.raises(StarclassError, match="at least two galaxies"):
        cv_folds("logo", target, galaxies=np.full(target.size, "M31"))


def test_fold_metrics_by_hand():
    # 4 true clusters (1), 4 others (2): 3 clusters found, 1 other called a cluster, 1 candidate unclassified (0)
    ref = np.array([1, 1, 1, 1, 2, 2, 2, 2])
    pred = np.array([1, 1, 1, 0, 1, 2, 2, 2])
    m = fold_metrics(ref, pred, [1, 2], positive=1)
    assert m["purity"] == pytest.approx(3 / 4) and m["recall"] == pytest.approx(3 / 4)
    assert m["f1"] == pytest.approx(3 / 4) and m["accuracy"] == pytest.approx(6 / 8)


def test_cutouts_of_two_fields_keep_their_parts_where_a_kill_is_named_by_the_next_run(fields, tmp_path, monkeypatch):
    """``cutouts`` of several fields cuts each into a store of its own in a hidden folder beside the output, then
    merges them. That folder was ``.cutouts-fields-XXXXXXXX``, which no run named after a kill (a survey's
    stores, gigabytes, left for good); it is named as the output's temporaries are (``.both.h5.XXXXXXXX``), so
    the next run writing the output names it. What stands beside the output when the second field is cut is what
    a kill leaves: each of those is recognised, and a run without a kill says nothing of its own."""
    from starclass.io.atomic import is_leftover
    from starclass.stamps import store as store_module

    out = tmp_path / "out" / "both.h5"
    args = ["cutouts", fields / "north", fields / "south", "--catalog", fields / "north.ecsv", "--catalog",
            fields / "south.ecsv", "--task", fields / "task.yaml", "-o", out, "--no-progress"]
    seen: list[list[str]] = []
    write = store_module.StampStoreWriter.write

    def write_and_look(self, *a, **k):
        write(self, *a, **k)
        seen.append(sorted(p.name for p in out.parent.iterdir()))

    monkeypatch.setattr(store_module.StampStoreWriter, "write", write_and_look)
    code, said = _run(*args)
    assert code == 0 and "interrupted run" not in said, said
    hidden = {n for names in seen for n in names}
    assert hidden and all(is_leftover(n, out) for n in hidden), hidden
    assert sorted(p.name for p in out.parent.iterdir()) == ["both.h5"]


def test_cv_fold_models_record_the_fields_they_learnt_from(fields):
    """A fold model recorded no training fields: a survey with it could not tell the fields it learnt from."""
    from starclass.learn.checkpoint import read_manifest, trained_fields

    (fields / "fields2.csv").write_text("name,mosaics,catalog\nnorth,north,north.ecsv\nsouth,south,south.ecsv\n")
    out_dir = fields / "cv_logo_rec"
    code, out = _run("train", *_common(fields), "--fields", fields / "fields2.csv", "--cv", "logo", "-o", out_dir)
    assert code == 0, out
    for fold, other in (("north", "south"), ("south", "north")):
        rec = trained_fields(read_manifest(out_dir / f"fold_{fold}"))
        # leave one field out: the fold learnt from the other field only
        assert rec is not None and [r["catalog"] for r in rec] == [str((fields / f"{other}.ecsv").resolve())], rec
        assert rec[0]["mosaics"] and all(f"/{other}/" in m for m in rec[0]["mosaics"]), rec
    # K folds of one field: every fold learnt from part of it
    out_k = fields / "cv_k_rec"
    code, out = _run("train", *_common(fields), "--mosaics", fields / "north", "--catalog", fields / "north.ecsv",
                     "--cv", "2", "-o", out_k)
    assert code == 0, out
    for fold in ("1", "2"):
        rec = trained_fields(read_manifest(out_k / f"fold_{fold}"))
        assert rec is not None and [r["catalog"] for r in rec] == [str((fields / "north.ecsv").resolve())], rec
