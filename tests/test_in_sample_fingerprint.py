"""The in-sample check finds training cutouts saved again in another format, or flipped.

A model trained on a PNG folder, given FITS copies of the same cutouts (the same 0-255 values, flipped
vertically as DS9 shows them): ``classify --stamps`` printed "accuracy 0.700" with no word that the model had
trained on 8 of the 10, and ``evaluate`` of its table warned of nothing, since the record held the digest of the
exact float32 input only. Until 2026-12-07; now a format-blind fingerprint of each training input is recorded
too (:func:`starclass.learn.provenance.row_fingerprints`), and a model recorded before it is still checked by the
exact digest.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import numpy as np
import pytest
from astropy.io import fits
from astropy.table import Table
from PIL import Image
from typer.testing import CliRunner

from conftest import write_untrained_model
from starclass.cli import app
from starclass.io.cutout_folders import read_cutout_folder
from starclass.learn.config import get_preset

pytestmark = pytest.mark.usefixtures("unrendered_figures")

runner = CliRunner()
MANIFEST_KEY = "training_rows"
N, N_TRAINED, SIZE = 10, 8, 32


def _cutout(rng: np.random.Generator) -> np.ndarray:
    """An 8-bit cutout: a blob of random width and place over noise, as a survey cutout stretched to 0-255."""
    yy, xx = np.mgrid[:SIZE, :SIZE]
    cy, cx = SIZE / 2 + rng.normal(0, 1.5, 2)
    blob = np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * rng.uniform(1.5, 4) ** 2))
    return np.clip(40 + 180 * blob + rng.normal(0, 12, (SIZE, SIZE)), 0, 255).astype(np.uint8)


def _folders(root: Path) -> tuple[Path, Path]:
    """A PNG folder and its FITS copies (the same values, flipped top to bottom); their labels files."""
    rng = np.random.default_rng(3)
    png, fit = [], []
    for k in range(N):
        label = ("cluster", "galaxy")[k % 2]
        a = _cutout(rng)
        for sub in ("png", "fits"):
            (root / sub / label).mkdir(parents=True, exist_ok=True)
        Image.fromarray(a).save(root / "png" / label / f"obj{k}.png")
        fits.writeto(root / "fits" / label / f"obj{k}.fits", a[::-1].astype(np.float32))
        png.append((f"{label}/obj{k}.png", label))
        fit.append((f"{label}/obj{k}.fits", label))
    for sub, rows in (("png", png), ("fits", fit)):
        Table(rows=rows, names=("file", "label")).write(root / sub / "labels.csv", overwrite=True)
    return root / "png" / "labels.csv", root / "fits" / "labels.csv"


def _model(root: Path, png_labels: Path, *, robust: bool = True) -> Path:
    """A model whose record says it trained on the first 8 PNG cutouts (as train records them)."""
    from starclass.learn.provenance import training_record
    from starclass.stamps.images import cutout_inputs, cutout_resampler

    cfg = get_preset("m31-real", stamp_size=SIZE)
    model = write_untrained_model(root / "model", cfg)
    cut = read_cutout_folder(png_labels, require_group=False, bands=list(cfg.bands), resample=cutout_resampler(cfg))
    manifest = model / "manifest.json"
    doc = json.loads(manifest.read_text())
    record = training_record(cutout_inputs(cut.images, cfg), np.arange(N_TRAINED))
    if not robust:
        record.pop("robust", None)  # as a model trained before the fingerprints were recorded
    doc[MANIFEST_KEY] = record
    manifest.write_text(json.dumps(doc))
    return model


def _classify(labels: Path, model: Path, out: Path):
    res = runner.invoke(app, ["classify", "--stamps", str(labels), "--model", str(model), "-o", str(out),
                              "--device", "cpu", "--no-progress"])
    assert res.exit_code == 0, res.output
    return next(ln for ln in res.output.splitlines() if ln.startswith("accuracy against the labels"))


def test_fits_copies_flipped_are_told_as_training_rows(tmp_path):
    png, fit = _folders(tmp_path)
    model = _model(tmp_path, png)
    for labels in (png, fit):
        line = _classify(labels, model, tmp_path / f"{labels.parent.name}.ecsv")
        assert f"the model was trained on {N_TRAINED} of these {N} rows, so this is no test figure" in line, line
    res = runner.invoke(app, ["evaluate", str(tmp_path / "fits.ecsv"), "-o", str(tmp_path / "ev"),
                              "--bootstrap", "0", "--no-science", "--no-progress"])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    assert re.search(rf"{N_TRAINED} of the {N} rows scored are cutouts model \S*model was trained on", text), text


def test_old_model_is_checked_by_its_exact_digests(tmp_path):
    png, fit = _folders(tmp_path)
    model = _model(tmp_path, png, robust=False)
    assert f"trained on {N_TRAINED} of these {N} rows" in _classify(png, model, tmp_path / "png.ecsv")
    # the FITS copies' exact inputs differ: without fingerprints nothing can be said of them (and nothing is)
    assert "trained on" not in _classify(fit, model, tmp_path / "fits.ecsv")


def test_fingerprints_blind_to_the_eight_flips_and_a_scale():
    from starclass.learn.provenance import row_fingerprints

    rng = np.random.default_rng(5)
    x = np.stack([_cutout(rng)[None] for _ in range(4)]).astype(np.float32)
    base = row_fingerprints(x)
    assert np.unique(base).size == 4  # different cutouts, different fingerprints
    for turn, flip in itertools.product(range(4), (False, True)):
        t = np.rot90(x, turn, axes=(2, 3))
        t = t[..., ::-1] if flip else t
        assert (row_fingerprints(np.ascontiguousarray(t) / 255.0 + 1) == base).all(), (turn, flip)


PANDAS = Path(__file__).resolve().parents[2] / "shared" / "data" / "pandas-m31"


@pytest.mark.slow
@pytest.mark.skipif(not (PANDAS / "labels.csv").exists(), reason="PAndAS cutouts not present")
def test_no_two_pandas_objects_share_a_fingerprint():
    from starclass.learn.provenance import row_fingerprints
    from starclass.stamps.images import cutout_inputs, cutout_resampler

    cfg = get_preset("m31-real")
    cut = read_cutout_folder(PANDAS / "labels.csv", require_group=False, bands=list(cfg.bands),
                             resample=cutout_resampler(cfg), progress=False)
    x = cutout_inputs(cut.images, cfg)
    prints = row_fingerprints(x)
    obj = np.asarray(Table.read(PANDAS / "labels.csv")["object_id"]).astype(str)
    blank = np.ptp(x.reshape(len(x), -1), axis=1) == 0  # all-zero cutouts (two in the set) are one picture
    for i, j in itertools.combinations(np.flatnonzero(~blank), 2):
        if prints[i] == prints[j]:
            assert obj[i] == obj[j], (i, j)


def test_fine_tune_keeps_the_starting_models_fingerprints(tmp_path):
    """A fine-tune's record holds its starting model's fingerprints too, as it holds its exact digests."""
    from starclass.learn.checkpoint import write_untrained_model as write_model
    from starclass.learn.provenance import recorded_fingerprints, row_fingerprints, starting_rows, training_record

    rng = np.random.default_rng(7)
    x = np.stack([_cutout(rng)[None] for _ in range(6)]).astype(np.float32)
    start = write_model(tmp_path / "start", get_preset("m31-real", stamp_size=SIZE))
    doc = json.loads((start / "manifest.json").read_text())
    doc[MANIFEST_KEY] = training_record(x, np.arange(3))
    (start / "manifest.json").write_text(json.dumps(doc))
    record = training_record(x, np.arange(3, 6), inherited=starting_rows(start),
                             inherited_prints=starting_rows(start, fingerprints=True))
    assert set(recorded_fingerprints({MANIFEST_KEY: record}).tolist()) == set(row_fingerprints(x).tolist())


def test_calibrate_refuses_fits_copies_of_training_rows(tmp_path):
    """``calibrate`` on the FITS copies of a model's training PNGs took them for held-out rows (exact digest only)."""
    png, fit = _folders(tmp_path)
    model = _model(tmp_path, png)
    res = runner.invoke(app, ["calibrate", str(model), "--stamps", str(fit), "--overwrite", "--device", "cpu"])
    text = " ".join(res.output.split())
    assert res.exit_code == 2, res.output
    assert f"{N_TRAINED} of the {N} calibration rows" in text, text
    assert "Traceback" not in res.output


def test_calibrate_of_an_old_model_checks_exact_digests_only(tmp_path):
    png, fit = _folders(tmp_path)
    model = _model(tmp_path, png, robust=False)
    res = runner.invoke(app, ["calibrate", str(model), "--stamps", str(fit), "--overwrite", "--device", "cpu"])
    # without fingerprints the FITS copies cannot be told from held-out rows: calibrated, as before
    assert res.exit_code == 0, res.output
    assert "rows model" not in " ".join(res.output.split())


def test_flipped_copy_among_validation_files_is_recorded_as_trained(tmp_path):
    """A flipped copy of a training cutout in the folder train read is recorded, by its bytes, as trained on.

    Recorded as a file not trained on (its exact input is no training row's), ``evaluate`` took it for held out
    by its bytes without decoding it, though its fingerprint is a training row's.
    """
    from starclass.learn.cutouts import _record_training_files
    from starclass.learn.provenance import file_digests, recorded_files, training_rows_in
    from starclass.stamps.images import cutout_inputs, cutout_resampler

    png, _ = _folders(tmp_path)
    model = _model(tmp_path, png)  # trained on obj0..obj7
    a = np.asarray(Image.open(png.parent / "cluster" / "obj0.png"))
    Image.fromarray(np.ascontiguousarray(a[:, ::-1])).save(png.parent / "cluster" / "copy0.png")
    rows = Table.read(png)
    rows.add_row(("cluster/copy0.png", "cluster"))
    rows.write(png, overwrite=True)
    cfg = get_preset("m31-real", stamp_size=SIZE)
    cut = read_cutout_folder(png, require_group=False, bands=list(cfg.bands), resample=cutout_resampler(cfg))
    _record_training_files(model, cut, np.arange(len(cut.images)), cutout_inputs(cut.images, cfg))
    trained, not_trained = recorded_files(json.loads((model / "manifest.json").read_text()))
    copy = file_digests([png.parent / "cluster" / "copy0.png"])[0]
    assert copy in trained and copy not in not_trained
    seen = training_rows_in(Table({"file": list(rows["file"])}), png, model)
    assert seen.tolist() == [True] * N_TRAINED + [False] * (N - N_TRAINED) + [True]


def test_fine_tune_split_finds_fits_copies_of_the_starting_models_rows(tmp_path):
    """A fine-tune's split tells the FITS copies of its starting model's training PNGs as rows it learnt.

    Told by the exact digest only, they were drawn into the validation rows as unseen.
    """
    from starclass.learn.provenance import starting_trained
    from starclass.stamps.images import cutout_inputs, cutout_resampler

    png, fit = _folders(tmp_path)
    cfg = get_preset("m31-real", stamp_size=SIZE)
    cut = read_cutout_folder(fit, require_group=False, bands=list(cfg.bands), resample=cutout_resampler(cfg))
    x = cutout_inputs(cut.images, cfg)
    seen = starting_trained(_model(tmp_path, png), x)
    assert seen is not None and seen.tolist() == [True] * N_TRAINED + [False] * (N - N_TRAINED)
    # a starting model recorded before the fingerprints: its exact digests only, and no FITS copy matches them
    assert starting_trained(_model(tmp_path / "old", png, robust=False), x) is None


def test_fine_tune_warns_of_fits_copies_among_its_validation_rows(tmp_path):
    """Where the split cannot keep them out, FITS copies of the starting model's rows in validation are warned of."""
    from starclass.learn.provenance import starting_rows
    from starclass.learn.train import _warn_validation_rows_seen
    from starclass.stamps.images import cutout_inputs, cutout_resampler

    png, fit = _folders(tmp_path)
    start = _model(tmp_path, png)
    cfg = get_preset("m31-real", stamp_size=SIZE)
    cut = read_cutout_folder(fit, require_group=False, bands=list(cfg.bands), resample=cutout_resampler(cfg))
    with pytest.warns(UserWarning, match=r"2 of the 3 validation rows are rows the starting model"):
        seen = _warn_validation_rows_seen(cutout_inputs(cut.images, cfg), np.array([0, 1, 9]), starting_rows(start),
                                          start, seen_prints=starting_rows(start, fingerprints=True))
    assert seen.tolist() == [True, True, False]
