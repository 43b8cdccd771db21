"""A task's ``pixel_scale`` is the arcsec of a stamp pixel, also where a task derives from a preset.

``pixel_scale`` gives explain's radii in arcsec for cutouts without a FITS WCS, the field the
cutout-size warning names and classify's check of the mosaics' scale. A task file that changes
``stamp_size`` (``extends: galaxy-cluster``, ``stamp_size: 128``) kept the base's 6.5625"/px without
a word, where 7' cutouts resampled to 128 px are 3.28"/px; ``m31-real`` said 0.187"/px (the PNGs' own
scale) for its 64 px stamps of their 23.9" (0.374"/px), so explain's radii on the PAndAS PNGs were half
their size; and the cutout-size warning of a model trained on cutouts without a WCS named the training
field as the cutouts' width times the task's scale (galaxy-cluster's 168 px cutouts: 1102" for 7').
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from astropy.table import Table

from starclass.io.cutout_folders import CutoutSet
from starclass.learn.checkpoint import LoadedModel
from starclass.learn.config import PRESET_DIR, PresetRegistry, get_preset, load_config
from starclass.learn.cutouts import cutout_size_note


def test_a_task_file_changing_stamp_size_is_told_of_the_kept_pixel_scale(tmp_path):
    task = tmp_path / "gc128.yaml"
    task.write_text("extends: galaxy-cluster\nstamp_size: 128\n")
    with pytest.warns(UserWarning) as got:
        cfg = load_config(task)
    said = " ".join(str(w.message) for w in got)
    assert cfg.pixel_scale == pytest.approx(6.5625)  # kept: only the user knows which reading holds
    assert "stamp_size 128 with the pixel_scale of galaxy-cluster (6.5625\"/px" in said
    assert "3.281\"/px" in said and "Set pixel_scale" in said


def test_a_task_file_setting_both_is_not_warned(tmp_path):
    task = tmp_path / "gc128.yaml"
    task.write_text("extends: galaxy-cluster\nstamp_size: 128\npixel_scale: 3.28125\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert load_config(task).pixel_scale == pytest.approx(3.28125)


def test_no_preset_keeps_a_pixel_scale_of_another_stamp_size():
    fresh = PresetRegistry(PRESET_DIR)  # not the module's, which may have read them already
    for name in fresh.names():
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            fresh.load(name)


def test_m31_real_s_pixel_scale_is_that_of_its_64_px_stamps():
    # the PAndAS cutouts: 128 px of 0.187" (shared/data/pandas-m31/README.md), resampled to stamp_size
    for name in ("m31-real", "m31-real-resnet18"):
        cfg = get_preset(name)
        assert cfg.pixel_scale * cfg.stamp_size == pytest.approx(128 * 0.187, rel=1e-3)


def test_the_cutout_size_note_names_the_field_of_the_task_s_stamps():
    cs = CutoutSet(images=np.zeros((2, 2, 84, 84), np.float32), table=Table(), files=["a", "b"],
                   labels=None, groups=np.array(["a", "b"]))
    lm = LoadedModel(config=get_preset("galaxy-cluster"), members=[],
                     training_cutouts={"height": 168, "width": 168, "channels": 2})
    note = cutout_size_note(cs, lm, "gc_model")
    assert note is not None and "7'" in note and "1102" not in note
