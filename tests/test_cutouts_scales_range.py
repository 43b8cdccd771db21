"""``cutouts --scales`` that zoom a stamp out beyond 1024 px are refused, naming the scale.

``--scales 1e-6`` asked numpy for an array of 18.2 PiB and stopped with its ArrayMemoryError
traceback; ``--scales 0.01`` cut a 3200 px stamp per candidate for minutes. A zoom-out whose cut
would exceed 1024 px (the largest stamp ``--size`` takes) is now an error (exit 2, nothing written).

At the other end ``--scales 1e6`` cropped 1 px and stored every stamp as one pixel repeated, exit 0:
a zoom-in whose crop is under 2 px is refused the same way, in the same ``base_size`` that train
and classify cut through.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


def test_cutouts_refuses_a_zoom_out_beyond_the_largest_cut(tmp_path, monkeypatch):
    from conftest import write_toy_mosaics  # tests/ is on sys.path under pytest
    from starclass.io.catalog import write_catalog

    monkeypatch.chdir(tmp_path)
    write_toy_mosaics(tmp_path)
    write_catalog(Table({"id": [1, 2], "x": [40.0, 60.0], "y": [40.0, 50.0]}), tmp_path / "c.ecsv")
    args = ["cutouts", "toy_f555w.fits", "toy_f814w.fits", "--catalog", "c.ecsv", "--size", "32", "--no-progress"]
    r = runner.invoke(app, [*args, "--scales", "1,1e-6", "-o", "s.h5"])
    assert r.exit_code == 2, r.output
    assert "scale 1e-06 zooms a 32 px stamp out to a 32000000 px cut; at most 1024 px" in r.output, r.output
    assert not (tmp_path / "s.h5").exists()
    # the end of the range is cut: 32 / 1024
    ok = runner.invoke(app, [*args, "--scales", "1,0.03125", "-o", "ok.h5"])
    assert ok.exit_code == 0 and (tmp_path / "ok.h5").exists(), ok.output


def test_cutouts_refuses_a_zoom_in_to_a_one_pixel_crop(tmp_path, monkeypatch):
    from conftest import write_toy_mosaics  # tests/ is on sys.path under pytest
    from starclass.io.catalog import write_catalog

    monkeypatch.chdir(tmp_path)
    write_toy_mosaics(tmp_path)
    write_catalog(Table({"id": [1, 2], "x": [40.0, 60.0], "y": [40.0, 50.0]}), tmp_path / "c.ecsv")
    args = ["cutouts", "toy_f555w.fits", "toy_f814w.fits", "--catalog", "c.ecsv", "--size", "32", "--no-progress"]
    r = runner.invoke(app, [*args, "--scales", "1,1e6", "-o", "s.h5"])
    assert r.exit_code == 2, r.output
    assert "scale 1e+06 zooms a 32 px stamp in to a 1 px crop" in r.output, r.output
    assert "give scales of at most 16" in r.output, r.output
    assert not (tmp_path / "s.h5").exists() and sorted(p.name for p in tmp_path.glob(".*")) == []
    # the end of the range is kept: 32 / 16 = a 2 px crop
    ok = runner.invoke(app, [*args, "--scales", "1,16", "-o", "ok.h5"])
    assert ok.exit_code == 0 and (tmp_path / "ok.h5").exists(), ok.output


def test_train_and_classify_inputs_refuse_it_through_the_same_check():
    """make_inputs and iter_inputs (train, classify, survey) cut through base_size too."""
    from starclass.errors import StarclassError
    from starclass.learn.config import get_preset
    from starclass.stamps.inputs import iter_inputs, make_inputs

    cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0, 40.0])  # 16 / 40: a 0 px crop, made 1
    images = {b: np.random.default_rng(1).random((64, 64)).astype(np.float32) for b in cfg.bands}
    zps = {b: 25.0 for b in cfg.bands}
    with pytest.raises(StarclassError, match=r"scale 40 zooms a 16 px stamp in to a 1 px crop"):
        make_inputs(images, [30.0], [30.0], cfg, zeropoints=zps)
    with pytest.raises(StarclassError, match=r"give scales of at most 8"):
        next(iter(iter_inputs(images, [30.0], [30.0], cfg, zeropoints=zps)))
def test_a_task_stamp_of_1024_px_that_nothing_zooms_out_of_is_cut_and_a_larger_one_refused():
    # a task file's stamp_size of 1100 px at scale 1 (task scales are >= 1: nothing is zoomed out) was refused as
    # "scale 1 zooms a 1100 px stamp out to a 1100 px cut; at most 1024 px ... give scales of at least 1.07422"
    import numpy as np
    import pytest

    from starclass.errors import StarclassError
    from starclass.learn.config import get_preset
    from starclass.stamps import iter_inputs
    from starclass.stamps.multiscale import base_size

    # since s52review a task's stamp_size is bounded at 1024 px (schema.MAX_STAMP_SIZE, as cutouts --size): an
    # 1100 px task is refused when it is made, naming the bound; the largest one allowed is cut at scale 1
    with pytest.raises(StarclassError, match=r"stamp_size=1100 is too large: at most 1024 px"):
        get_preset("m31-real", stamp_size=1100)
    cfg = get_preset("m31-real", stamp_size=1024)
    images = {b: np.random.default_rng(0).normal(size=(1100, 1100)).astype(np.float32) for b in cfg.bands}
    shapes = [b.inputs.shape for b in iter_inputs(images, np.array([550.0]), np.array([550.0]), cfg)]
    assert shapes == [(1, len(cfg.bands), 1024, 1024)]
    # zooming out of it is still refused, with advice that can be followed
    with pytest.raises(StarclassError, match=r"1100 px stamp out to a 2200 px cut; at most 1100 px .* at least 1$"):
        base_size(1100, (1.0, 0.5))
