"""A fine-tune notices that the cutout list its starting model was calibrated on changed since.

``calibrate M --stamps held.csv``, then labels of ``held.csv`` edited, then ``train --resume-from M``
with too few fresh validation rows: the fine-tune re-read ``held.csv`` as it was now and refitted the
calibration on the edited labels without a word, where a changed catalogue or mosaic (stamped in
``rows_from``) drops the calibration with the reason. The list is now stamped too.
"""

from __future__ import annotations

import os

import pytest

from finetune_setup import calibrated_model, fine_tune  # tests/ is on sys.path under pytest
from starclass.errors import cli_words
from starclass.learn.checkpoint import read_manifest


@pytest.fixture(scope="module")
def calibrated(tmp_path_factory):
    """m0 trained on 60 cutouts and calibrated with 'calibrate m0 --stamps held/labels.csv' on 60 others."""
    return calibrated_model(tmp_path_factory.mktemp("stamps_list"), 60)


def test_the_list_is_stamped_and_an_unchanged_one_is_rescored(calibrated, tmp_path):
    held = calibrated.held
    rec = read_manifest(calibrated.model)["calibration"]["rows_from"]
    assert rec["stamps_of_list"]["size"] == held.stat().st_size and len(rec["stamps_of_list"]["sha256"]) == 64
    tuned = fine_tune(calibrated, tmp_path / "m1")
    cal = read_manifest(tmp_path / "m1")["calibration"]
    assert cal["source"] == str(held)
    refit = "calibration refitted on the calibration rows of the starting model "
    assert any(n.startswith(refit) for n in tuned.notes), tuned.notes


def test_labels_edited_since_the_calibration_drop_it_with_the_reason(calibrated, tmp_path):
    held = calibrated.held
    text = held.read_bytes().decode()
    try:
        # four labels flipped, two each way: the same size, only the labels and the time changed
        lines = text.splitlines(keepends=True)
        for i in (1, 2, 3, 4):
            lines[i] = (lines[i].replace(",cluster", ",GALAXY") if ",cluster" in lines[i]
                        else lines[i].replace(",galaxy", ",cluster")).replace(",GALAXY", ",galaxy")
        with open(held, "w", newline="") as fh:
            fh.write("".join(lines))
        assert held.stat().st_size == len(text.encode())  # only the labels changed, and the time
        st = held.stat()
        os.utime(held, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
        tuned = fine_tune(calibrated, tmp_path / "m2")
    finally:
        held.write_bytes(text.encode())
    doc = read_manifest(tmp_path / "m2")
    assert "calibration" not in doc
    assert f"{held} changed since (same size, other bytes)" in doc["no_calibration"], doc["no_calibration"]
    said = [n for n in tuned.notes if n.startswith("WARNING: no calibration and no conformal sets")]
    assert len(said) == 1 and f"{held} changed since" in said[0], tuned.notes
    assert "not those the starting model was calibrated on" in said[0]
    assert "starclass calibrate MODEL --stamps HELD_OUT.csv --overwrite" in cli_words(said[0])  # as train says it
