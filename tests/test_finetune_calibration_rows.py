"""A fine-tune calibrates on validation rows its starting model did not train on, or keeps its calibration.

``train --resume-from M`` on the labels so far plus new ones (the active-learning loop) draws its
validation split from rows M was trained on too; its temperature, fitted on them, came out 0.36 on
the PAndAS cutouts (every probability pushed towards 0 or 1), with only a warning. Since 2026-12-06
``train`` fits the calibration (temperature and conformal rows) on the validation rows M did not
train on where there are enough of them (``too_few_rows``' floor: 100 rows, 10 of each class for a
temperature), else keeps M's calibration, and says which in its notes.
"""

from __future__ import annotations

import numpy as np
import pytest

from finetune_setup import calibrated_model, folder_inputs, split_with_start_rows  # tests/ is on sys.path
from starclass.errors import cli_words
from starclass.learn.calibration import calibrate_model
from starclass.learn.checkpoint import read_manifest


@pytest.fixture(scope="module")
def start(toy_trust_model):
    return toy_trust_model  # conftest: a two-member four-class toy model, 100 rows, 40 of them its validation split


def _seen_by_start(result, n_start: int, val_index: np.ndarray) -> np.ndarray:
    """Which of a fine-tune's validation rows (of the starting rows first, then new ones) the start trained on."""
    trained = np.setdiff1d(np.arange(n_start), result.val_index)
    return np.isin(val_index, trained)


def test_too_few_fresh_validation_rows_leave_no_stale_calibration(start, tmp_path):
    # until 2026-12-06 the starting model's temperature and conformal rows were kept: scores of the
    # starting weights, which the fine-tune changed, so the sets no longer held the stated coverage
    from starclass.datasets.stamps import make_synthetic
    from starclass.learn.checkpoint import load_model
    from starclass.learn.classify import trust_columns
    from starclass.learn.train import fit

    root, cfg, toy, result = start
    new = make_synthetic(cfg, 20, seed=12)
    inputs = np.concatenate([toy.inputs, new.inputs])
    labels = np.concatenate([toy.class_ref, new.class_ref])
    with pytest.warns(UserWarning, match="validation rows are rows the starting model"):
        tuned = fit(cfg, inputs, labels, outdir=tmp_path / "tuned", init_from=root / "model", progress=False,
                    device="cpu", ensemble=1, val_index=split_with_start_rows(labels, cfg))
    seen = _seen_by_start(result, len(toy.inputs), tuned.val_index)
    assert 0 < seen.sum() and (~seen).sum() < 100  # the case: too few rows the start did not train on
    # the start was calibrated on its validation split: those rows cannot be read again to score them anew
    assert read_manifest(root / "model")["calibration"]["source"].startswith("validation split")
    doc = read_manifest(tmp_path / "tuned")
    assert "calibration" not in doc
    assert "scores of the starting weights" in doc["no_calibration"]
    said = [n for n in tuned.notes if n.startswith("WARNING: no calibration and no conformal sets")]
    assert len(said) == 1, tuned.notes
    assert f"only {(~seen).sum()} of the {seen.size} validation rows" in said[0]
    assert "starclass calibrate MODEL --stamps HELD_OUT.csv" in cli_words(said[0])  # as train says it
    # classify then writes raw probabilities and no pred_set, and says why
    cols, meta = trust_columns(load_model(tmp_path / "tuned"), np.full((3, cfg.n_classes), 1 / cfg.n_classes))
    assert "pred_set" not in cols and meta["coverage"] is None
    assert "scores of the starting weights" in meta["calibration_note"]


def _add_a_blank_cutout(held):
    """A 61st, blank (constant) cutout: calibrate leaves it out with a warning; the fine-tune's re-scoring
    hid that warning (old code) and now lets it through, once."""
    np.save(held.parent / "cluster" / "blank.npy", np.ones((16, 16), np.float32))
    with open(held, "a") as fh:
        fh.write("cluster/blank.npy,cluster,S2-blank\n")


def test_too_few_fresh_rows_rescore_the_starting_models_calibrate_stamps_rows(tmp_path):
    # a start calibrated with 'calibrate --stamps': the fine-tune classifies those rows with its own
    # weights and fits its calibration and conformal rows on them (old code: the start's scores kept)
    from starclass.learn.calibration import calibration_probabilities
    from starclass.learn.checkpoint import load_model
    from starclass.learn.train import fit

    made = calibrated_model(tmp_path, 60, object_ids=True, before_calibrating=_add_a_blank_cutout)
    cfg, held = made.cfg, made.held
    was = read_manifest(made.model)["calibration"]
    assert was["rows_from"]["stamps"] == str(held)
    xh, yh = folder_inputs(held, cfg)
    tuned_cfg = cfg.copy(recipe={"epochs": 3})
    # the new labels include 12 of the calibration cutouts: those the fine-tune trains on are left out
    with pytest.warns(UserWarning, match="validation rows are rows the starting model") as warned:
        tuned = fit(tuned_cfg, np.concatenate([made.x, xh[:12]]), np.concatenate([made.y, yh[:12]]),
                    outdir=tmp_path / "m1", init_from=made.model, progress=False, device="cpu",
                    val_index=split_with_start_rows(np.concatenate([made.y, yh[:12]]), cfg))
    blank = [str(w.message) for w in warned if "left out, as classify leaves them unclassified" in str(w.message)]
    # named as calibrate --stamps names it, by its list's row and line and its file (until 2026-12-07 "(row 61)")
    assert len(blank) == 1 and (f"rows of {held} is a blank (constant) image: row 61 (line 62 of the file), file "
                                "'cluster/blank.npy'; left out") in blank[0], blank
    xh, yh = xh[:60], yh[:60]  # the blank one is never fitted on
    from starclass.learn.provenance import overlap, recorded_digests, row_digests

    trained = overlap(row_digests(xh), recorded_digests(read_manifest(tmp_path / "m1")))
    assert 0 < trained.sum() <= 12 and not trained[12:].any()
    cal = read_manifest(tmp_path / "m1")["calibration"]
    assert cal["source"] == str(held) and was["n"] == 60 and cal["n"] == 60 - trained.sum()
    # the rows scored with the fine-tuned weights, not the starting ones
    now = calibration_probabilities(load_model(tmp_path / "m1", check_calibration=False), xh[~trained], device="cpu")
    assert np.allclose(cal["probs"], now, atol=1e-6)
    assert not np.allclose(cal["probs"], np.asarray(was["probs"])[~trained], atol=1e-3)
    said = [n for n in tuned.notes if "calibration refitted on the calibration rows of the starting model " in n]
    assert len(said) == 1, tuned.notes
    assert f"{trained.sum()} rows this fine-tune trained on left out" in said[0]
    # 60 rows are too few to trust a temperature: the caution names the classes as calibrate's does
    cautions = [n for n in tuned.notes if n.startswith("WARNING: the temperature")]
    assert len(cautions) == 1 and "1 (cluster): " in cautions[0], tuned.notes


def test_enough_fresh_validation_rows_fit_the_temperature_on_them_alone(start, tmp_path):
    from starclass.datasets.stamps import make_synthetic
    from starclass.learn.train import fit

    root, cfg, toy, result = start
    new = make_synthetic(cfg, 300, seed=13)
    inputs = np.concatenate([toy.inputs, new.inputs])
    labels = np.concatenate([toy.class_ref, new.class_ref])
    with pytest.warns(UserWarning, match="validation rows are rows the starting model"):
        tuned = fit(cfg, inputs, labels, outdir=tmp_path / "tuned", init_from=root / "model", progress=False,
                    device="cpu", ensemble=1, val_index=split_with_start_rows(labels, cfg))
    seen = _seen_by_start(result, len(toy.inputs), tuned.val_index)
    fresh_rows = tuned.val_index[~seen]
    assert seen.sum() > 0 and fresh_rows.size >= 100
    cal = read_manifest(tmp_path / "tuned")["calibration"]
    assert cal["n"] == fresh_rows.size
    assert any(f"calibration fitted on the {fresh_rows.size} of the {seen.size} validation rows" in n
               for n in tuned.notes), tuned.notes
    # the same temperature as calibrate fits on those rows by itself (it refuses rows either model trained on)
    refit = calibrate_model(tmp_path / "tuned", inputs[fresh_rows], labels[fresh_rows], source="fresh",
                            overwrite=True, device="cpu")
    assert cal["temperature"] == pytest.approx(refit.temperature, rel=1e-6)


def _field_inputs(folder, cfg):
    """The stamps of ``write_toy_held_out``'s field, cut as calibrate cuts them: (inputs, class values)."""
    from starclass.io.catalog import numeric_column, read_catalog
    from starclass.io.mosaic import read_mosaics
    from starclass.stamps import make_inputs

    table = read_catalog(folder / "held.ecsv")
    inputs, ok = make_inputs(read_mosaics(folder / "mos"), numeric_column(table, "x"), numeric_column(table, "y"),
                             cfg)
    values = np.asarray(table["class_ref"], dtype=float)
    values[~np.asarray(ok, bool)] = 0
    return inputs, values


def _fine_tune(cfg, toy, start_model, outdir, extra_x=None, extra_y=None):
    from starclass.datasets.stamps import make_synthetic
    from starclass.learn.train import fit

    new = make_synthetic(cfg, 20, seed=12)
    xs, ys = [toy.inputs, new.inputs], [toy.class_ref, new.class_ref]
    if extra_x is not None:
        xs.append(extra_x)
        ys.append(extra_y)
    with pytest.warns(UserWarning, match="validation rows are rows the starting model") as said:
        tuned = fit(cfg, np.concatenate(xs), np.concatenate(ys), outdir=outdir, init_from=start_model,
                    progress=False, device="cpu", ensemble=1, val_index=split_with_start_rows(np.concatenate(ys), cfg))
    return tuned, said


@pytest.fixture()
def mosaic_calibrated(start, tmp_path):
    """The toy model copied and calibrated with 'calibrate MOSAICS -c CATALOGUE' on a 60-object held-out field."""
    import shutil

    from typer.testing import CliRunner

    from conftest import write_toy_held_out  # tests/ is on sys.path under pytest
    from starclass.cli import app

    root, cfg, toy, result = start
    shutil.copytree(root / "model", tmp_path / "data" / "m0")
    held = tmp_path / "data" / "held"
    write_toy_held_out(cfg, held, 60, seed=21)
    res = CliRunner().invoke(app, ["calibrate", str(tmp_path / "data" / "m0"), str(held / "mos"), "-c",
                                   str(held / "held.ecsv"), "--overwrite", "--device", "cpu"])
    assert res.exit_code == 0, res.output
    return tmp_path / "data", cfg, toy


def test_too_few_fresh_rows_rescore_the_starting_models_calibrate_mosaic_rows(mosaic_calibrated, tmp_path):
    # a start calibrated with 'calibrate MOSAICS -c CATALOGUE' recorded no way to read its rows again (old
    # code): the fine-tune was left without a calibration. Now it cuts them again and scores them anew
    from starclass.learn.calibration import calibration_probabilities
    from starclass.learn.checkpoint import load_model
    from starclass.learn.provenance import overlap, recorded_digests, row_digests

    data, cfg, toy = mosaic_calibrated
    was = read_manifest(data / "m0")["calibration"]
    rec = was["rows_from"]
    assert rec["catalog"] == str(data / "held" / "held.ecsv") and rec["catalog_relative"] == "../held/held.ecsv"
    assert len(rec["mosaics"]) == len(cfg.bands) and rec["bands"] == list(cfg.bands)
    xh, yh = _field_inputs(data / "held", cfg)
    usable = np.isin(yh, cfg.classes)
    assert was["n"] == usable.sum()
    # the fine-tune's new labels include 8 of the calibration rows: left out of its calibration
    tuned, _ = _fine_tune(cfg, toy, data / "m0", tmp_path / "m1", xh[usable][:8], yh[usable][:8])
    doc = read_manifest(tmp_path / "m1")
    assert "calibration" in doc, doc.get("no_calibration")
    cal = doc["calibration"]
    trained = overlap(row_digests(xh), recorded_digests(doc)) & usable
    assert 0 < trained.sum() <= 8
    assert cal["source"] == rec["catalog"] and cal["n"] == was["n"] - trained.sum()
    now = calibration_probabilities(load_model(tmp_path / "m1", check_calibration=False), xh[usable & ~trained],
                                    device="cpu")
    assert np.allclose(cal["probs"], now, atol=1e-6)
    # its own record points to the same files, relative to its own folder
    assert cal["rows_from"]["catalog_relative"] == str(
        __import__("os").path.relpath(data / "held" / "held.ecsv", tmp_path / "m1"))
    said = [n for n in tuned.notes if "calibration refitted on the calibration rows of the starting model " in n]
    assert len(said) == 1 and f"{trained.sum()} rows this fine-tune trained on left out" in said[0], tuned.notes


def test_mosaic_rows_moved_with_the_model_are_found_changed_ones_drop_the_calibration(mosaic_calibrated, tmp_path):
    import os
    import shutil

    data, cfg, toy = mosaic_calibrated
    # moved together (copied: new modification times, same bytes): found relative to the starting model
    moved = tmp_path / "moved"
    shutil.copytree(data, moved)
    shutil.rmtree(data / "held")
    for f in (moved / "held").rglob("*"):
        os.utime(f, ns=(f.stat().st_atime_ns, f.stat().st_mtime_ns + 10**9))  # copytree keeps the times; cp does not
    _fine_tune(cfg, toy, moved / "m0", tmp_path / "m1")
    cal = read_manifest(tmp_path / "m1")["calibration"]
    assert cal["source"] == str(moved / "held" / "held.ecsv")
    # its record holds the copies' times, so its own fine-tune compares times first
    assert cal["rows_from"]["stamps_of_files"][-1]["mtime_ns"] == (moved / "held" / "held.ecsv").stat().st_mtime_ns
    # a catalogue changed since the calibration (a row dropped): its rows are not those the start was calibrated on
    cat = moved / "held" / "held.ecsv"
    from astropy.table import Table

    Table.read(cat)[:-1].write(cat, overwrite=True)
    tuned, _ = _fine_tune(cfg, toy, moved / "m0", tmp_path / "m2")
    doc = read_manifest(tmp_path / "m2")
    assert "calibration" not in doc and f"{cat} changed since" in doc["no_calibration"]
    said = [n for n in tuned.notes if n.startswith("WARNING: no calibration and no conformal sets")]
    assert len(said) == 1 and f"{cat} changed since" in said[0], tuned.notes
    # the kind of rows it had, as train says it
    assert "'starclass calibrate MODEL MOSAICS -c HELD_OUT.ecsv --overwrite'" in cli_words(said[0])
    # a mosaic gone
    gone = read_manifest(moved / "m0")["calibration"]["rows_from"]["mosaics_relative"][0]
    os.remove(moved / "m0" / gone)
    _fine_tune(cfg, toy, moved / "m0", tmp_path / "m3")
    assert "is gone" in read_manifest(tmp_path / "m3")["no_calibration"]


def test_a_mask_file_changed_since_the_mosaic_calibration_drops_it(start, tmp_path):
    # the bad-pixel mask files (--mask-file) shape the stamps as the mosaics do, but were not stamped: a mask
    # edited since the calibration went unnoticed and the fine-tune refitted on other stamps than those
    import shutil

    from astropy.io import fits
    from typer.testing import CliRunner

    from conftest import write_toy_held_out  # tests/ is on sys.path under pytest
    from starclass.cli import app

    root, cfg, toy, result = start
    data = tmp_path / "data"
    shutil.copytree(root / "model", data / "m0")
    held = data / "held"
    write_toy_held_out(cfg, held, 60, seed=21)
    masks = []
    for mosaic in sorted((held / "mos").glob("toy_*.fits")):
        shape = fits.getdata(mosaic).shape
        masks.append(mosaic.with_name(mosaic.name.replace(".fits", "_bpm.fits")))
        fits.PrimaryHDU(np.zeros(shape, dtype=np.uint8)).writeto(masks[-1])
    res = CliRunner().invoke(app, ["calibrate", str(data / "m0"), str(held / "mos"), "-c", str(held / "held.ecsv"),
                                   "--mask-file", "{stem}_bpm.fits", "--overwrite", "--device", "cpu"])
    assert res.exit_code == 0, res.output
    rec = read_manifest(data / "m0")["calibration"]["rows_from"]
    assert sorted(rec["mask_files"]) == sorted(str(m) for m in masks)
    assert len(rec["stamps_of_mask_files"]) == len(masks) > 1
    # unchanged masks: the rows are cut again with them and scored anew
    _fine_tune(cfg, toy, data / "m0", tmp_path / "m1")
    doc = read_manifest(tmp_path / "m1")
    assert "calibration" in doc, doc.get("no_calibration")
    assert sorted(doc["calibration"]["rows_from"]["mask_files"]) == sorted(str(m) for m in masks)
    # a mask edited since (a column flagged bad: same size, other bytes): dropped, with the reason
    with fits.open(masks[0], mode="update") as hdul:
        hdul[0].data[:, 5] = 1
    tuned, _ = _fine_tune(cfg, toy, data / "m0", tmp_path / "m2")
    doc = read_manifest(tmp_path / "m2")
    assert "calibration" not in doc
    assert f"{masks[0]} changed since (same size, other bytes)" in doc["no_calibration"]
    said = [n for n in tuned.notes if n.startswith("WARNING: no calibration and no conformal sets")]
    assert len(said) == 1 and f"{masks[0]} changed since" in said[0], tuned.notes
    # a mask gone
    masks[1].unlink()
    _fine_tune(cfg, toy, data / "m0", tmp_path / "m3")
    assert f"{masks[1]} is gone" in read_manifest(tmp_path / "m3")["no_calibration"]


def test_a_blank_catalogue_row_is_named_by_its_id_and_position_by_calibrate_and_the_fine_tune(start, tmp_path):
    """``calibrate MOSAICS -c held.ecsv`` and the fine-tune that re-scores those rows named a blank row "(row 1)"
    of an ECSV: a row no viewer of the field shows, whose line is not the row's. Both name its id and its x, y
    now (:func:`starclass.io.catalog.catalogue_row_places`), as a person finds it in the catalogue and in DS9."""
    import shutil

    from astropy.io import fits
    from typer.testing import CliRunner

    from conftest import write_toy_held_out  # tests/ is on sys.path under pytest
    from starclass.cli import app
    from starclass.io.catalog import read_catalog

    root, cfg, toy, result = start
    shutil.copytree(root / "model", tmp_path / "data" / "m0")
    held = tmp_path / "data" / "held"
    write_toy_held_out(cfg, held, 60, seed=21)
    row = read_catalog(held / "held.ecsv")[4]
    x, y, half = int(round(float(row["x"]))), int(round(float(row["y"]))), cfg.stamp_size // 2 + 3
    for path in sorted((held / "mos").glob("*.fits")):  # the fifth object's stamp one value in every band
        with fits.open(path, mode="update") as hdul:
            hdu = next(h for h in hdul if h.data is not None)
            hdu.data[y - half:y + half + 1, x - half:x + half + 1] = 1.0
    res = CliRunner().invoke(app, ["calibrate", str(tmp_path / "data" / "m0"), str(held / "mos"), "-c",
                                   str(held / "held.ecsv"), "--overwrite", "--device", "cpu"])
    assert res.exit_code == 0, res.output
    place = f"id {row['id']} at x {float(row['x']):.1f}, y {float(row['y']):.1f}"
    (said,) = [s for s in res.output.splitlines() if "blank (constant) image" in s]
    assert f"is a blank (constant) image: {place}; left out" in said and "(row 5)" not in said, said
    _, warned = _fine_tune(cfg, toy, tmp_path / "data" / "m0", tmp_path / "m1")
    blank = [str(w.message) for w in warned if "left out, as classify leaves them unclassified" in str(w.message)]
    assert len(blank) == 1 and f"is a blank (constant) image: {place}; left out" in blank[0], blank


def test_a_blank_stamp_store_row_is_named_by_its_id_and_position_by_calibrate(start, tmp_path):
    """``calibrate MODEL --stamps STORE.h5`` named a blank row "(row 5)": a row of an HDF5 file no viewer shows.
    It names the row's id and x, y now, as of a catalogue (:func:`starclass.cli.calibrate_cmd.store_row_places`)."""
    import shutil

    from astropy.io import fits
    from typer.testing import CliRunner

    from conftest import write_toy_held_out  # tests/ is on sys.path under pytest
    from starclass.cli import app
    from starclass.io.catalog import read_catalog

    root, cfg, toy, result = start
    shutil.copytree(root / "model", tmp_path / "m0")
    held = tmp_path / "held"
    write_toy_held_out(cfg, held, 60, seed=21)
    row = read_catalog(held / "held.ecsv")[4]
    x, y, half = int(round(float(row["x"]))), int(round(float(row["y"]))), cfg.stamp_size // 2 + 3
    for path in sorted((held / "mos").glob("*.fits")):  # the fifth object's stamp one value in every band
        with fits.open(path, mode="update") as hdul:
            hdu = next(h for h in hdul if h.data is not None)
            hdu.data[y - half:y + half + 1, x - half:x + half + 1] = 1.0
    runner = CliRunner()
    res = runner.invoke(app, ["cutouts", str(held / "mos"), "-c", str(held / "held.ecsv"), "--task",
                              str(tmp_path / "m0"), "-o", str(tmp_path / "held.h5"), "--no-progress"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["calibrate", str(tmp_path / "m0"), "--stamps", str(tmp_path / "held.h5"),
                              "--overwrite", "--device", "cpu", "--no-progress"])
    assert res.exit_code == 0, res.output
    place = f"id {row['id']} at x {float(row['x']):.1f}, y {float(row['y']):.1f}"
    (said,) = [s for s in res.output.splitlines() if "blank (constant) image" in s]
    assert f"is a blank (constant) image: {place}" in said and "(row 5)" not in said, said
