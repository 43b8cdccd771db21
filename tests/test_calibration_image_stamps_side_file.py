"""A ``calibrate --stamps`` calibration keeps its per-image stamps in a side file, not in the manifest.

Until 2026-12-06 every image's ``[name, size, time, SHA-256]`` went into ``manifest.json`` (about 187 KB for
the 869 PAndAS cutouts, 215 KB per 1000). The manifest now names a side file beside it with their
digest; ``read_manifest`` puts the rows back in memory, so a fine-tune's check of the images is unchanged.
A manifest written the old way (the rows inline) still loads and is still checked.
"""

from __future__ import annotations

import json
import os
import shutil

import numpy as np
import pytest

from finetune_setup import calibrated_model, fine_tune  # tests/ is on sys.path under pytest
from starclass.learn.calibration import stale_cutout_list
from starclass.learn.checkpoint import (
    IMAGE_STAMPS_GLOB,
    IMAGES_RECORD,
    MANIFEST,
    calibration_digest,
    image_stamps_digest,
    load_model,
    read_manifest,
)


@pytest.fixture(scope="module")
def calibrated(tmp_path_factory):
    """m0 trained on 30 cutouts and calibrated with 'calibrate m0 --stamps held/labels.csv' on 30 others."""
    return calibrated_model(tmp_path_factory.mktemp("side_file"), 30)


def _copy_model(calibrated, where):
    shutil.copytree(calibrated.model, where)
    return where


def test_the_manifest_names_a_side_file_instead_of_holding_every_image(calibrated):
    text = (calibrated.model / MANIFEST).read_text()
    raw = json.loads(text)["calibration"]["rows_from"]
    assert "stamps_of_images" not in raw and "obj000.npy" not in text
    record = raw[IMAGES_RECORD]
    sides = sorted(p.name for p in calibrated.model.glob(IMAGE_STAMPS_GLOB))
    assert sides == [record["file"]] and record["count"] == 30
    # the rows come back in memory, as they were recorded, bound by the record's digest
    rows = read_manifest(calibrated.model)["calibration"]["rows_from"]["stamps_of_images"]
    assert len(rows) == 30 and image_stamps_digest(rows) == record["sha256"]
    image = calibrated.held.parent / "cluster" / "obj000.npy"
    assert dict((r[0], r[1]) for r in rows)["cluster/obj000.npy"] == image.stat().st_size
    # and the whole calibration entry, side file included, still passes load_model's digest check
    assert load_model(calibrated.model).calibration["rows_from"]["stamps_of_images"] == rows


def test_a_manifest_with_the_rows_inline_still_loads_and_is_checked(calibrated, tmp_path):
    """A model calibrated before the side file (rows in the manifest, the digest over them) loads and is checked."""
    old = _copy_model(calibrated, tmp_path / "old")
    doc = json.loads((old / MANIFEST).read_text())
    cal = doc["calibration"]
    rows_from = read_manifest(old)["calibration"]["rows_from"]
    cal["rows_from"] = {k: v for k, v in rows_from.items() if k != IMAGES_RECORD}
    cal["digest"] = calibration_digest(cal)
    (old / MANIFEST).write_text(json.dumps(doc, indent=2) + "\n")
    for side in old.glob(IMAGE_STAMPS_GLOB):
        side.unlink()
    loaded = load_model(old)  # the old digest, over the inline rows, is accepted
    assert len(loaded.calibration["rows_from"]["stamps_of_images"]) == 30
    held = calibrated.held
    assert stale_cutout_list(held, loaded.calibration["rows_from"]) is None
    image = held.parent / "galaxy" / "obj003.npy"
    kept = image.read_bytes()
    try:
        np.save(image, np.load(image)[::-1].copy())  # other pixels, the same size, a new time
        st = image.stat()
        os.utime(image, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
        why = stale_cutout_list(held, loaded.calibration["rows_from"])
    finally:
        image.write_bytes(kept)
    assert why is not None and f"{image} changed since (same size, other bytes)" in why


def test_a_side_file_gone_or_edited_leaves_the_model_usable_and_the_images_unchecked(calibrated, tmp_path):
    m = _copy_model(calibrated, tmp_path / "gone")
    side = next(m.glob(IMAGE_STAMPS_GLOB))
    side.write_text(side.read_text().replace("obj000", "objXYZ"))  # edited by hand: not the recorded rows
    cal = load_model(m).calibration  # classify needs no image stamps: the calibration itself is intact
    assert "stamps_of_images" not in cal["rows_from"]
    why = stale_cutout_list(calibrated.held, cal["rows_from"])
    assert why is not None and side.name in why and "cannot be told" in why
    side.unlink()
    assert "stamps_of_images" not in load_model(m).calibration["rows_from"]


def test_a_model_saved_again_carries_its_side_file_and_a_recalibration_replaces_it(calibrated, tmp_path):
    from finetune_setup import calibrate_on_stamps, noise_folder
    from starclass.learn.estimator import CNNClassifier

    saved = tmp_path / "saved"
    CNNClassifier.load(calibrated.model).save(saved)
    rows = read_manifest(calibrated.model)["calibration"]["rows_from"]["stamps_of_images"]
    assert read_manifest(saved)["calibration"]["rows_from"]["stamps_of_images"] == rows
    assert len(list(saved.glob(IMAGE_STAMPS_GLOB))) == 1
    m = _copy_model(calibrated, tmp_path / "again")
    before = {p.name for p in m.glob(IMAGE_STAMPS_GLOB)}
    calibrate_on_stamps(m, noise_folder(tmp_path / "other", 30, seed=5))  # other images: another side file
    after = {p.name for p in m.glob(IMAGE_STAMPS_GLOB)}
    assert len(after) == 1 and after != before
    assert read_manifest(m)["calibration"]["rows_from"][IMAGES_RECORD]["file"] in after


def test_a_fine_tune_still_names_an_image_changed_since(calibrated, tmp_path):
    image = calibrated.held.parent / "cluster" / "obj004.npy"
    kept = image.read_bytes()
    try:
        np.save(image, -np.load(image))
        st = image.stat()
        os.utime(image, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
        fine_tune(calibrated, tmp_path / "m1")
    finally:
        image.write_bytes(kept)
    doc = read_manifest(tmp_path / "m1")
    assert "calibration" not in doc and f"{image} changed since" in doc["no_calibration"]
    assert not list((tmp_path / "m1").glob(IMAGE_STAMPS_GLOB))
