"""A fine-tune notices that an image of its starting model's ``--stamps`` calibration changed since.

Only the list (or, for label folders, its listing) was stamped: an image overwritten with other pixels
(the same name, the same size) was re-scored on its new pixels at ``train --resume-from`` without a word.
The images are now stamped too (size, time, SHA-256), and the changed one is named.
"""

from __future__ import annotations

import os
import shutil

import numpy as np
import pytest

from finetune_setup import calibrated_model, fine_tune  # tests/ is on sys.path under pytest
from starclass.learn.checkpoint import read_manifest


@pytest.fixture(scope="module")
def calibrated(tmp_path_factory):
    """m0 trained on 40 cutouts and calibrated with 'calibrate m0 --stamps held/labels.csv' on 40 others."""
    return calibrated_model(tmp_path_factory.mktemp("images_changed"), 40)


def test_the_images_are_stamped_and_a_copied_folder_is_rescored(calibrated, tmp_path):
    """A copy of the model and its data (new times, the same bytes) is re-scored: the images are hashed, not refused."""
    tmp, held = calibrated.root, calibrated.held
    rec = read_manifest(calibrated.model)["calibration"]["rows_from"]
    stamps = {name: (size, sha) for name, size, _, sha in rec["stamps_of_images"]}
    assert len(stamps) == 40 and stamps["cluster/obj000.npy"][0] == (held.parent / "cluster/obj000.npy").stat().st_size
    shutil.copytree(tmp / "m0", tmp_path / "copy" / "m0")
    shutil.copytree(held.parent, tmp_path / "copy" / "held")  # new times; the same place relative to m0
    os.rename(held.parent, tmp / "held_away")
    try:
        tuned = fine_tune(calibrated, tmp_path / "m1", tmp_path / "copy" / "m0")
    finally:
        os.rename(tmp / "held_away", held.parent)
    assert read_manifest(tmp_path / "m1")["calibration"]["source"] == str(tmp_path / "copy" / "held" / "labels.csv")
    refit = "calibration refitted on the calibration rows of the starting model "
    assert any(n.startswith(refit) for n in tuned.notes), tuned.notes


def test_an_image_overwritten_with_other_pixels_drops_it_naming_the_file(calibrated, tmp_path):
    tmp, held = calibrated.root, calibrated.held
    image = held.parent / "galaxy" / "obj003.npy"
    kept = image.read_bytes()
    try:
        arr = np.load(image)
        np.save(image, arr[::-1].copy())  # other pixels, the same size
        assert image.stat().st_size == len(kept)
        st = image.stat()
        os.utime(image, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
        tuned = fine_tune(calibrated, tmp_path / "m2", tmp / "m0")
    finally:
        image.write_bytes(kept)
    doc = read_manifest(tmp_path / "m2")
    assert "calibration" not in doc
    why = (f"{image} changed since (same size, other bytes): its pixels are not those the starting model was "
           "calibrated on")
    assert why in doc["no_calibration"], doc["no_calibration"]
    said = [n for n in tuned.notes if n.startswith("WARNING: no calibration and no conformal sets")]
    assert len(said) == 1 and why in said[0], tuned.notes
