"""A list of cutouts kept compressed (``labels.csv.gz``, ``.bz2``, ``.xz``, an ``.ecsv.xz``) is read as the list inside.

Archives hand out the lists of a labelled sample as they hand out catalogues, gzipped. Until 2026-12-07 the
reader of cutout lists read none compressed: ``train --stamps labels.csv.gz`` was refused with the command that
decompresses it, and ``info labels.csv.gz`` read it as a catalogue ("not a catalogue of candidates"). Now every
command that takes a list (``info``, ``train``, ``classify``, ``calibrate --stamps``, ``evaluate`` of a classified
list) reads it through :func:`starclass.io.compressed_text.open_table_file`, the files named in it relative to
its folder, and a list cut short or damaged is refused naming it (exit 2). Nothing is written beside it.
"""

from __future__ import annotations

import bz2
import gzip
import lzma

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.cutout_folders import read_cutout_folder

runner = CliRunner()

_PACK = {".gz": gzip.compress, ".bz2": bz2.compress, ".xz": lzma.compress}


def _folder(root, n=12):
    """npy cutouts in ``root/img`` and their ``file,label`` text (paths relative to ``root``)."""
    (root / "img").mkdir()
    rng = np.random.default_rng(0)
    rows = ["file,label"]
    for i in range(n):
        img = rng.normal(size=(16, 16)) + (i % 2) * 3 * np.outer(np.hanning(16), np.hanning(16))
        np.save(root / "img" / f"c{i:02d}.npy", img.astype(np.float32))
        rows.append(f"img/c{i:02d}.npy,{1 + i % 2}")
    return ("\n".join(rows) + "\n").encode()


@pytest.mark.parametrize("suffix", [".gz", ".bz2", ".xz"])
def test_a_compressed_cutout_list_reads_as_the_plain_one(tmp_path, suffix):
    text = _folder(tmp_path)
    plain, packed = tmp_path / "labels.csv", tmp_path / f"labels.csv{suffix}"
    plain.write_bytes(text)
    packed.write_bytes(_PACK[suffix](text))
    a = read_cutout_folder(plain, require_group=False)
    b = read_cutout_folder(packed, require_group=False)
    assert b.labels.tolist() == a.labels.tolist() and len(b) == 12
    assert b.files == a.files and b.root == a.root
    assert np.array_equal(b.images, a.images)
    res = runner.invoke(app, ["info", str(packed)])
    said = " ".join(res.output.split())
    assert res.exit_code == 0 and "cutouts: 12" in said and "labels: 1 6, 2 6" in said, said


def test_an_ecsv_cutout_list_compressed_with_xz_is_read(tmp_path):
    _folder(tmp_path, n=4)
    t = Table({"file": [f"img/c{i:02d}.npy" for i in range(4)], "label": ["cluster", "star"] * 2})
    t.write(tmp_path / "labels.ecsv")
    packed = tmp_path / "labels.ecsv.xz"
    packed.write_bytes(lzma.compress((tmp_path / "labels.ecsv").read_bytes()))
    (tmp_path / "labels.ecsv").unlink()
    cs = read_cutout_folder(packed, require_group=False)
    assert cs.labels.tolist() == ["cluster", "star"] * 2


def test_train_classify_calibrate_and_evaluate_from_a_compressed_list(tmp_path):
    labels = tmp_path / "labels.csv.gz"
    labels.write_bytes(gzip.compress(_folder(tmp_path)))
    task = tmp_path / "num.yaml"
    task.write_text("extends: m31-real\nlabel_map: null\ngroup_column: null\nstamp_size: 16\npixel_scale: 1.496\n")
    model = tmp_path / "model"
    res = runner.invoke(app, ["train", "--stamps", str(labels), "--task", str(task), "--epochs", "1", "-o", str(model)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["calibrate", str(model), "--stamps", str(labels), "--allow-training-rows",
                              "--overwrite"])
    assert res.exit_code == 0, res.output
    out = tmp_path / "out.csv"
    res = runner.invoke(app, ["classify", "--stamps", str(labels), "--model", str(model), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert len(Table.read(out)) == 12
    # the classified list, kept compressed in its turn, is scored as the plain one
    packed = tmp_path / "out.csv.gz"
    packed.write_bytes(gzip.compress(out.read_bytes()))
    res = runner.invoke(app, ["evaluate", str(packed), "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    assert "12 objects paired row by row, 12 classified in both" in res.output, res.output
    assert (tmp_path / "ev" / "summary.json").is_file()
    assert sorted(p.name for p in tmp_path.glob("labels*")) == [labels.name]  # nothing written beside the list


@pytest.mark.parametrize("suffix", [".gz", ".bz2", ".xz"])
@pytest.mark.parametrize("command", ["info", "train"])
def test_a_compressed_list_cut_short_is_refused_naming_it(tmp_path, suffix, command):
    text = _folder(tmp_path, n=200)
    packed = tmp_path / f"labels.csv{suffix}"
    whole = _PACK[suffix](text)
    packed.write_bytes(whole[: len(whole) // 2])
    args = ["info", str(packed)] if command == "info" else \
        ["train", "--stamps", str(packed), "-o", str(tmp_path / "m")]
    res = runner.invoke(app, args)
    said = " ".join(res.output.split())
    assert res.exit_code == 2 and f"cannot read {packed}: a " in said and "cut short" in said, said
    assert "Traceback" not in res.output and not (tmp_path / "m").exists()


def test_a_folder_whose_list_is_kept_compressed_is_read_through_it(tmp_path):
    # the folder's labels.csv.gz was passed over without a word ("images without labels", "nothing to train on"),
    # then (2026-12-07, morning) warned "lists cutouts but is not read"; it is the folder's list now, as
    # labels.csv is (io.cutout_folders.folder_labels_csv; tests/test_cutout_folder_compressed_list.py)
    labels = tmp_path / "labels.csv.gz"
    labels.write_bytes(gzip.compress(_folder(tmp_path, n=4)))
    res = runner.invoke(app, ["info", str(tmp_path)])
    said = " ".join(res.output.split())
    assert res.exit_code == 0 and "not read" not in said and "labels: 1 2, 2 2" in said, said
