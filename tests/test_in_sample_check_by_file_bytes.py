"""The in-sample check of ``evaluate``/``report`` tells recorded cutout files by their bytes, decoding only the rest.

``learn.provenance.training_rows_in`` read and decoded every cutout of a classified table again, as the model
reads them, to compare their inputs with the model's training record: 1.89 s of the 2.13 s of ``evaluate
--bootstrap 0`` of the 869 PAndAS rows (``benchmarks/evaluate_in_sample_cost.py``). A model trained on a cutout
folder now also records the bytes of each file it read (``training_files``: trained on, or not); a file found
there is told without decoding, and only files it never read are decoded and compared as before, so a copy of a
training cutout written with other bytes (same pixels) is still found.
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from conftest import write_noise_cutout_folder, write_untrained_model
from starclass.io.cutout_folders import read_cutout_folder
from starclass.learn.config import get_preset


@pytest.fixture()
def recorded(tmp_path):
    """A 16-cutout folder; a model whose record says rows 0-9 are training rows, and which read rows 0-11."""
    from starclass.learn.provenance import file_digests, files_record, training_record
    from starclass.stamps.images import cutout_inputs, cutout_resampler

    labels = write_noise_cutout_folder(tmp_path / "data", 32, n=16)
    cfg = get_preset("m31-real", stamp_size=32)
    model = write_untrained_model(tmp_path / "model", cfg)
    cut = read_cutout_folder(labels, require_group=False, bands=list(cfg.bands), resample=cutout_resampler(cfg))
    manifest = tmp_path / "model" / "manifest.json"
    doc = json.loads(manifest.read_text())
    doc["training_rows"] = training_record(cutout_inputs(cut.images, cfg), np.arange(10))
    paths = [labels.parent / f for f in cut.files[:12]]
    doc["training_files"] = files_record(file_digests(paths), np.arange(12) < 10)
    manifest.write_text(json.dumps(doc))
    return labels, model, cut


def _counting_reader(monkeypatch):
    """Count the cutouts the check decodes (the reader it imports on each call)."""
    import starclass.io.cutout_folders as folders

    decoded: list[int] = []
    real = folders.read_cutout_folder

    def reader(*args, **kwargs):
        out = real(*args, **kwargs)
        decoded.append(len(out.images))
        return out

    monkeypatch.setattr(folders, "read_cutout_folder", reader)
    return decoded


def test_only_the_files_the_model_never_read_are_decoded(recorded, monkeypatch):
    from astropy.table import Table

    from starclass.learn.provenance import training_rows_in

    labels, model, cut = recorded
    decoded = _counting_reader(monkeypatch)
    table = Table({"file": list(cut.files)})
    seen = training_rows_in(table, labels, model)
    assert seen.tolist() == [True] * 10 + [False] * 6
    assert decoded == [4], decoded  # rows 12-15: the model never read them


def test_a_table_of_recorded_files_decodes_nothing(recorded, monkeypatch):
    from astropy.table import Table

    from starclass.learn.provenance import training_rows_in

    labels, model, cut = recorded
    decoded = _counting_reader(monkeypatch)
    seen = training_rows_in(Table({"file": list(cut.files[:12])}), labels, model)
    assert seen.tolist() == [True] * 10 + [False] * 2 and decoded == [], decoded


def test_a_training_cutout_in_other_bytes_is_still_found(recorded, monkeypatch):
    """Not weakened: a copy of a training cutout with the same pixels and other bytes is decoded and found."""
    from astropy.table import Table

    from starclass.learn.provenance import training_rows_in

    labels, model, cut = recorded
    root = labels.parent
    pixels = np.load(root / cut.files[0])
    np.save(root / "copy64.npy", pixels.astype(np.float64))  # other bytes, the same float32 pixels
    shutil.copy(root / cut.files[1], root / "same_bytes.npy")  # the same bytes under another name
    decoded = _counting_reader(monkeypatch)
    seen = training_rows_in(Table({"file": ["copy64.npy", "same_bytes.npy", cut.files[15]]}), labels, model)
    assert seen.tolist() == [True, True, False]
    assert decoded == [2], decoded  # the renamed copy is told by its bytes


@pytest.mark.slow
def test_a_model_trained_on_a_folder_records_its_files(tmp_path, single_thread):
    """train --stamps writes the record: the bytes of each file read, split by whether it was trained on."""
    from typer.testing import CliRunner

    from starclass.cli import app
    from starclass.learn.checkpoint import read_manifest
    from starclass.learn.provenance import file_digests, recorded_files

    labels = write_noise_cutout_folder(tmp_path / "data", 16, n=12)
    res = CliRunner().invoke(app, ["train", "--task", "m31-real", "--stamps", str(labels), "--stamp-size", "16",
                                   "--epochs", "1", "-o", str(tmp_path / "m"), "--no-progress"])
    assert res.exit_code == 0, res.output
    known = recorded_files(read_manifest(tmp_path / "m"))
    assert known is not None
    trained, other = known
    files = sorted((tmp_path / "data").glob("*/*.npy"))
    digests = file_digests(files)
    # every file is recorded once; the validation rows are read, not trained on
    assert sorted(np.concatenate([trained, other]).tolist()) == sorted(digests.tolist())
    assert trained.size and other.size
