"""Cool-core cutouts of one physical size at different redshifts: a folder of mixed pixel sizes.

The cool-core paper's images cover the central 1 Mpc of each cluster; a user's own clusters at
different redshifts give cutouts of different pixel counts. Such a folder was refused ("all cutouts
must have one size"), a check made for PAndAS, where cutouts of one survey differing in size are a
mistake. A task that sets ``mixed_sizes`` (``cool-core`` does) now takes it: each cutout is resampled
over its whole field to ``stamp_size``, said once per run, and ``explain`` takes each cutout's pixel
scale from its own FITS WCS; ``report --stamps`` with the model (or ``--task``) too. Every other task still
refuses, naming the setting.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from astropy.io import fits
from astropy.wcs import WCS
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.io.cutout_folders import cutout_field_arcsec, read_cutout_folder, read_image
from starclass.learn.config import TaskConfig, get_preset
from starclass.learn.train import settings_digest
from starclass.stamps.images import cutout_inputs

pytestmark = pytest.mark.usefixtures("single_thread")

#: side (px) of each cutout: 1 Mpc at three redshifts, at one detector pixel of 0.492"
SIZES = (24, 32, 48)


def _folder(root, sizes=SIZES, *, wcs: bool = True, n_each: int = 4):
    root.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(len(sizes))
    rows = ["file,label"]
    k = 0
    for n_px in sizes:
        yy, xx = np.mgrid[:n_px, :n_px] - (n_px - 1) / 2
        for i in range(n_each):
            head = None
            if wcs:
                w = WCS(naxis=2)
                w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
                w.wcs.crval = [150.0, 2.0]
                w.wcs.crpix = [(n_px + 1) / 2] * 2
                w.wcs.cdelt = [-0.492 / 3600, 0.492 / 3600]
                head = w.to_header()
            r = np.hypot(xx, yy) * 32 / n_px  # one physical profile over each field
            counts = rng.poisson(0.3 + 30 * (1 + (r / (1 + i % 3)) ** 2) ** -1.5).astype(np.int32)
            fits.writeto(root / f"c{k}.fits", counts, head)
            rows.append(f"c{k}.fits,{1 + i % 3}")
            k += 1
    (root / "labels.csv").write_text("\n".join(rows) + "\n")
    return root / "labels.csv"


def test_the_reader_resamples_each_cutout_to_the_stamp_size_and_keeps_its_own(tmp_path):
    from starclass.stamps.images import cutout_resampler

    cfg = get_preset("cool-core-compact", stamp_size=32, pixel_scale=3.9 * 256 / 32)
    with pytest.warns(UserWarning, match=r"of 3 sizes \(24 x 24 px: 4, 32 x 32 px: 4, 48 x 48 px: 4\)") as got:
        cut = read_cutout_folder(_folder(tmp_path / "f"), bands=list(cfg.bands), resample=cutout_resampler(cfg))
    assert sum("sizes" in str(w.message) for w in got) == 1  # said once
    assert cut.images.shape == (12, 1, 32, 32) and cut.native_sizes == [24] * 4 + [32] * 4 + [48] * 4
    # the fields come from each cutout's own side: 0.492" x 24, 32, 48 px
    assert cutout_field_arcsec(cut) == pytest.approx(0.492 * 32)
    # the same inputs as a cutout of that size alone gives: one resampling, not two
    alone = read_image(tmp_path / "f" / "c8.fits")[None]  # the first 48 px cutout, as read
    np.testing.assert_allclose(cutout_inputs(cut.images[8:9], cfg), cutout_inputs(alone, cfg), atol=1e-5)


def test_a_task_without_mixed_sizes_still_refuses_naming_the_setting(tmp_path):
    from starclass.stamps.images import cutout_resampler

    src = _folder(tmp_path / "f")
    with pytest.raises(StarclassError, match="one size") as err:
        read_cutout_folder(src, bands=["g"], resample=cutout_resampler(get_preset("m31-real")))
    assert "mixed_sizes: true" in str(err.value)


def test_cool_core_trains_classifies_and_explains_on_mixed_sizes(tmp_path):
    task = tmp_path / "cc32.yaml"
    task.write_text("extends: cool-core-compact\nstamp_size: 32\npixel_scale: 31.2\n")
    run = CliRunner()
    res = run.invoke(app, ["train", "--task", str(task), "--stamps", str(_folder(tmp_path / "train")),
                           "-o", str(tmp_path / "m"), "--epochs", "1"])
    assert res.exit_code == 0, res.output
    assert res.output.count("each is resampled over its whole field to 32 px") == 1
    assert json.loads((tmp_path / "m" / "manifest.json").read_text())["config"]["mixed_sizes"] is True
    test = _folder(tmp_path / "test", sizes=(20, 40))
    res = run.invoke(app, ["classify", "--stamps", str(test), "--model", str(tmp_path / "m"),
                           "-o", str(tmp_path / "pred.csv")])
    assert res.exit_code == 0, res.output
    assert "of 2 sizes" in res.output and "trained on cutouts" not in res.output  # no size warning
    res = run.invoke(app, ["explain", str(tmp_path / "m"), str(test), "-o", str(tmp_path / "ex"),
                           "--method", "gradcam", "--per-class", "1"])
    assert res.exit_code == 0, res.output
    info = json.loads((tmp_path / "ex" / "explain.json").read_text())
    # each cutout's input pixel: 0.492" x 20 or 40 px over 32 px; the median of the two
    assert info["pixel_scale_arcsec"] == pytest.approx(0.492 * 30 / 32, rel=1e-6)
    assert "input pixels differ" in info["pixel_scale_from"]
    # the report's gallery and Grad-CAM read the folder as the model's task does
    res = run.invoke(app, ["report", str(tmp_path / "pred.csv"), "--stamps", str(test), "--model",
                           str(tmp_path / "m"), "--bootstrap", "0", "-o", str(tmp_path / "rep" / "report.html")])
    assert res.exit_code == 0, res.output
    assert res.output.count("of 2 sizes") == 1


def test_mixed_sizes_is_a_yes_or_no_and_leaves_older_models_resumable():
    with pytest.raises(StarclassError, match="mixed_sizes='yes' must be true or false"):
        get_preset("cool-core", mixed_sizes="yes")
    cfg = get_preset("m31-real")
    stored = cfg.to_dict()
    del stored["mixed_sizes"]  # a model trained before the setting existed
    assert settings_digest(TaskConfig.from_dict(stored)) == settings_digest(cfg)
    assert settings_digest(stored) == settings_digest(cfg)


def test_the_labelling_page_reads_a_classified_list_of_mixed_sizes(tmp_path):
    from astropy.table import Table

    from starclass.inspect.cutouts import read_cutout_list

    src = _folder(tmp_path / "f", sizes=(24, 48), n_each=2)
    listed = Table({"file": [f"c{i}.fits" for i in range(4)], "class_pred": [1, 2, 1, 2]})
    listed.meta["cutout_root"] = str(src.parent)
    listed.write(tmp_path / "pred.ecsv")
    cfg = get_preset("cool-core-compact", stamp_size=32, pixel_scale=31.2)
    for source in (src, tmp_path / "pred.ecsv"):  # the folder, and classify's list of it
        with pytest.warns(UserWarning, match="of 2 sizes"):
            lst = read_cutout_list(source, cfg)
        assert lst.images.shape == (4, 1, 32, 32)
    with pytest.raises(StarclassError, match="one"):
        read_cutout_list(tmp_path / "pred.ecsv", get_preset("cool-core-compact", mixed_sizes=False))
