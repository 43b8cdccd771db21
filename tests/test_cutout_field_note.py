"""The cutout-size warning compares the cutouts' fields on the sky where their FITS WCS give them.

Each cutout is resampled over its whole field to the task's ``stamp_size``, so what matters is the
field, not the pixel count. A model trained on the seed simulator's galaxy-cluster cutouts (7' on
64 px) warned on the same simulator's 7' on 48 px that they "cover 0.75 of the training field's
width ... cut them to the training field (64 px at the task's 1"/px: 64.0")", a false alarm with a
wrong field (galaxy-cluster's nominal pixel scale), while cutouts of 64 px over 3.5' (objects
twice as large to the network) passed without a word. The training cutouts' field (from their
WCS) is now recorded in the manifest (``training_cutouts.field_arcsec``) and compared.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from astropy.io import fits
from astropy.wcs import WCS
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.cutout_folders import read_cutout_folder
from starclass.learn.checkpoint import load_model
from starclass.learn.cutouts import cutout_size_note

pytestmark = pytest.mark.usefixtures("single_thread")


def _folder(root, n_px: int, field_arcsec: float, *, wcs: bool = True):
    root.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(n_px)
    rows = ["file,label"]
    yy, xx = np.mgrid[:n_px, :n_px] - (n_px - 1) / 2
    for i in range(9):
        head = None
        if wcs:
            w = WCS(naxis=2)
            w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
            w.wcs.crval = [150.0, 2.0]
            w.wcs.crpix = [(n_px + 1) / 2] * 2
            s = field_arcsec / n_px / 3600
            w.wcs.cdelt = [-s, s]
            head = w.to_header()
        r = np.hypot(xx, yy) * 32 / n_px
        counts = rng.poisson(0.3 + 30 * (1 + (r / (1 + i % 3)) ** 2) ** -1.5).astype(np.int32)
        fits.writeto(root / f"c{i}.fits", counts, head)
        rows.append(f"c{i}.fits,{1 + i % 3}")
    (root / "labels.csv").write_text("\n".join(rows) + "\n")
    return root / "labels.csv"


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    """cool-core-compact (stamp_size 32) trained one epoch on 32 px cutouts over 420"."""
    root = tmp_path_factory.mktemp("field")
    task = root / "cc32.yaml"
    # cool-core takes cutouts of any field (mixed_sizes: 1 Mpc at any redshift) and compares none: the field
    # check is of a task whose cutouts share one field, as galaxy-cluster's 7'
    task.write_text("extends: cool-core-compact\nstamp_size: 32\npixel_scale: 13.125\nmixed_sizes: false\n")
    res = CliRunner().invoke(app, ["train", "--task", str(task), "--stamps", str(_folder(root / "train", 32, 420.0)),
                                   "-o", str(root / "m"), "--epochs", "1"])
    assert res.exit_code == 0, res.output
    return root


def test_the_training_field_is_recorded(model):
    rec = json.loads((model / "m" / "manifest.json").read_text())["training_cutouts"]
    assert rec["width"] == 32 and rec["field_arcsec"] == pytest.approx(420.0)


def test_fewer_pixels_over_the_same_field_are_no_cause_for_a_warning(model, tmp_path):
    cut = read_cutout_folder(_folder(tmp_path / "same", 24, 420.0))
    assert cutout_size_note(cut, load_model(model / "m"), "the model") is None


def test_as_many_pixels_over_half_the_field_are_warned_of_with_both_fields(model, tmp_path):
    cut = read_cutout_folder(_folder(tmp_path / "half", 32, 210.0))
    note = cutout_size_note(cut, load_model(model / "m"), "the model")
    assert note is not None and "cover 3.5'" in note and "covering 7'" in note and "2.00 times as large" in note
    res = CliRunner().invoke(app, ["classify", "--stamps", str(tmp_path / "half" / "labels.csv"), "--model",
                                   str(model / "m"), "-o", str(tmp_path / "pred.csv")])
    assert res.exit_code == 0, res.output
    assert "times as large" in res.output


def test_cutouts_without_a_wcs_are_compared_by_pixels_naming_the_recorded_field(model, tmp_path):
    cut = read_cutout_folder(_folder(tmp_path / "bare", 24, 420.0, wcs=False))
    note = cutout_size_note(cut, load_model(model / "m"), "the model")
    assert note is not None and "32 px over 7'" in note and "task's 3.9" not in note


def test_info_shows_the_recorded_field(model):
    res = CliRunner().invoke(app, ["info", str(model / "m")])
    assert res.exit_code == 0, res.output
    assert "training cutouts: 32 x 32 px over 7' (FITS WCS)" in res.output
