"""A one-band task given FITS cubes whose headers name their planes takes the plane of its band, not the mean.

A Legacy Survey cutout is one ``(3, H, W)`` image of g, r, z planes with ``BAND0 = 'g'``... in its
header. Until 2026-12-05 ``train --task m31-real`` (a g task), classify, calibrate, explain, the
report's Grad-CAM and ``inspect --stamps`` averaged the three planes to grey although the header
said which one is g. Cubes whose headers name none of the task's bands are averaged as before.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.io import fits
from typer.testing import CliRunner

from starclass.cli import app as cli
from starclass.io.cutout_folders import read_cutout_folder
from starclass.learn.config import get_preset
from starclass.learn.cutouts import colour_note

SIZE = 16
#: sky of each plane: the g plane's pixels stay below 60, any mean of the three lies above 400
SKY = {"g": 1.0, "r": 500.0, "z": 900.0}


def _cube(i: int) -> np.ndarray:
    yy, xx = np.mgrid[:SIZE, :SIZE]
    cube = np.stack([np.full((SIZE, SIZE), SKY[b], np.float32) for b in "grz"])
    cube += np.random.default_rng(i).normal(0, 0.01, cube.shape).astype(np.float32)
    cube[0] += 50 * np.exp(-((xx - 7.5) ** 2 + (yy - 7.5) ** 2) / (3.0 if i % 2 else 20.0))
    return cube


def _folder(root, n: int = 4, named: bool = True):
    root.mkdir(parents=True, exist_ok=True)
    rows = ["file,label"]
    for i in range(n):
        header = fits.Header({"BANDS": "grz", "BAND0": "g", "BAND1": "r", "BAND2": "z"}) if named else None
        fits.writeto(root / f"o{i}.fits", _cube(i), header)
        rows.append(f"o{i}.fits,{'cluster' if i % 2 else 'galaxy'}")
    (root / "labels.csv").write_text("\n".join(rows) + "\n")
    return root / "labels.csv"


def test_a_one_band_task_reads_the_g_plane_of_a_named_cube_not_the_mean(tmp_path):
    labels = _folder(tmp_path / "data")
    cs = read_cutout_folder(labels, bands=["g"], bands_of="task 'm31-real'")
    assert cs.images.shape == (4, 1, SIZE, SIZE)
    for i in range(4):
        np.testing.assert_array_equal(cs.images[i, 0], _cube(i)[0])  # the g plane itself
    assert cs.taken_planes == [0] and cs.plane_bands == ["g", "r", "z"]
    note = colour_note(cs, get_preset("m31-real"))
    assert note.startswith("note: the headers of the 4 cutout files name their planes g, r, z (BAND0...): task "
                           "'m31-real' takes plane 0 (g) of each"), note
    # two of the three named bands: those planes, in the task's order
    two = read_cutout_folder(labels, bands=["z", "g"])
    np.testing.assert_array_equal(two.images[1], _cube(1)[[2, 0]])
    # every plane kept for the page's composite, the g plane named as the one taken
    kept = read_cutout_folder(labels, bands=["g"], keep_planes=True)
    assert kept.images.shape == (4, 3, SIZE, SIZE) and kept.taken_planes == [0]
    from starclass.io.cutout_folders import named_planes

    assert named_planes(["g", "r", "z"], ["i"]) is None


def test_cubes_naming_none_of_the_task_bands_are_averaged_as_before(tmp_path):
    plain = read_cutout_folder(_folder(tmp_path / "plain", named=False), bands=["g"])
    assert plain.images.shape[1] == 3 and plain.taken_planes == []
    assert colour_note(plain, get_preset("m31-real")).startswith("warning: 4 cutout files have 3 planes")
    other = get_preset("m31-real")
    other.bands = ["F814W"]
    named = read_cutout_folder(_folder(tmp_path / "named"), bands=["F814W"])
    assert named.images.shape[1] == 3 and colour_note(named, other).startswith("warning: 4 cutout files")


@pytest.fixture()
def seen_inputs(monkeypatch):
    """Every image array the commands turn into model inputs (cutout_inputs, wherever it is called from)."""
    import starclass.learn.cutouts as learn_cutouts
    import starclass.science.gradcam as gradcam
    import starclass.stamps.images as images

    seen: list[np.ndarray] = []
    real = images.cutout_inputs

    def spy(imgs, config):
        seen.append(np.array(imgs))
        return real(imgs, config)

    monkeypatch.setattr(images, "cutout_inputs", spy)
    monkeypatch.setattr(learn_cutouts, "cutout_inputs", spy)
    # gradcam binds the name when first imported: patched here too, whichever test imported it first
    monkeypatch.setattr(gradcam, "cutout_inputs", spy)
    return seen


def test_train_classify_calibrate_explain_and_gradcam_give_the_model_the_g_plane(tmp_path, seen_inputs):
    runner = CliRunner()
    labels = _folder(tmp_path / "data", n=8)
    model = tmp_path / "model"
    out = tmp_path / "out.csv"
    runs = [["train", "--task", "m31-real", "--stamps", str(labels), "--epochs", "1", "--output", str(model),
             "--no-progress"],
            ["classify", "--model", str(model), "--stamps", str(labels), "--output", str(out), "--no-progress"],
            ["calibrate", str(model), "--stamps", str(labels), "--overwrite", "--allow-training-rows"],
            ["explain", str(model), str(labels), "-o", str(tmp_path / "explained"), "--per-class", "1"]]
    for args in runs:
        seen_inputs.clear()
        res = runner.invoke(cli, args)
        assert res.exit_code == 0, (args[0], res.output)
        said = [ln for ln in res.output.splitlines() if "name their planes g, r, z" in ln]
        assert len(said) == 1 and "takes plane 0 (g) of each" in said[0], (args[0], res.output)
        assert "averaged into one grey plane" not in res.output, (args[0], res.output)
        assert seen_inputs, args[0]
        for x in seen_inputs:  # the g plane (sky 1, source up to 51), never the mean of g, r, z (above 400)
            assert x.shape[1] == 1 and np.nanmax(x) < 60, (args[0], x.shape, np.nanmax(x))
    # the report's Grad-CAM reads the folder without the model's bands: it takes the g plane too
    from astropy.table import Table

    from starclass.science.gradcam import cutout_gradcam_inputs

    seen_inputs.clear()
    cutout_gradcam_inputs(str(model), read_cutout_folder(labels, require_group=False, require_labels=False),
                          Table.read(out, format="ascii.csv"))
    assert seen_inputs and all(x.shape[1] == 1 and np.nanmax(x) < 60 for x in seen_inputs)


def test_inspect_stamps_shows_the_g_plane_grey_and_says_so_once(tmp_path, monkeypatch):
    pytest.importorskip("fastapi")
    from starclass.inspect import app as app_module
    from starclass.inspect.cutouts import cutout_cache, read_cutout_list

    labels = _folder(tmp_path / "data")
    lst = read_cutout_list(labels, get_preset("m31-real"))
    cache = cutout_cache(lst, tmp_path / "cache")
    assert lst.images.shape[1] == 3 and cache.colour == (2, 1, 0)  # the composite keeps its colours
    assert cache.grey == 0 and cache.settings.v_band == "g"
    np.testing.assert_array_equal(cache.plane(0), lst.images[0, 0])  # not the mean of the planes
    monkeypatch.setenv("STARCLASS_INSPECT_PASSWORD", "ann-password")
    monkeypatch.setattr(app_module, "serve", lambda *a, **k: print("SERVING"))  # serving would block the test
    res = CliRunner().invoke(cli, ["inspect", "--stamps", str(labels), "--task", "m31-real", "--init",
                                   "--db", f"sqlite:///{tmp_path / 'labels.sqlite'}", "--no-prerender"])
    assert res.exit_code == 0 and "SERVING" in res.output, res.output
    said = [ln for ln in res.output.splitlines() if "planes" in ln]
    assert len(said) == 1 and "takes plane 0 (g) of each: the page's grey stamp and profile show it" in said[0], \
        res.output


@pytest.mark.parametrize("named_first", [True, False])
def test_a_folder_mixing_named_and_plain_cubes_gives_explain_and_the_report_the_pixels_classify_gives(
        tmp_path, named_first):
    """Half the cubes name their planes (BAND0...), half do not: classify takes planes by name only where every
    cube names them, so it averaged every row; explain did too, but the report's Grad-CAM (a folder read without
    the model's bands) took the g plane of every row, the plain cubes' too, and mapped inputs classify never gave.
    Compared here: the tensors each hands the network, row by row."""
    import torch
    from astropy.table import Table

    from conftest import write_untrained_model  # tests/ is on sys.path under pytest
    from starclass.models.registry import build_model
    from starclass.science.gradcam import cutout_gradcam_inputs

    root = tmp_path / "data"
    root.mkdir()
    rows = ["file,label"]
    named = [i % 2 == (0 if named_first else 1) for i in range(8)]
    for i in range(8):
        header = fits.Header({"BANDS": "grz", "BAND0": "g", "BAND1": "r", "BAND2": "z"}) if named[i] else None
        fits.writeto(root / f"o{i}.fits", _cube(i), header)
        rows.append(f"o{i}.fits,{'cluster' if i % 2 else 'galaxy'}")
    labels = root / "labels.csv"
    labels.write_text("\n".join(rows) + "\n")
    cfg = get_preset("m31-real", stamp_size=SIZE)
    model = write_untrained_model(tmp_path / "model", cfg)
    net_type = type(build_model(cfg, pretrained=False))
    fed: list[np.ndarray] = []  # what the network itself is given, forward call by forward call
    hook = torch.nn.modules.module.register_module_forward_pre_hook(
        lambda m, args: fed.append(args[0].detach().numpy().copy()) if isinstance(m, net_type) else None)
    try:
        runner = CliRunner()
        res = runner.invoke(cli, ["classify", "--model", str(model), "--stamps", str(labels), "-o",
                                  str(tmp_path / "out.csv"), "--no-progress", "--device", "cpu"])
        assert res.exit_code == 0, res.output
        classified = fed[0]  # one pass over the 8 rows, in the folder's order
        assert classified.shape == (8, 1, SIZE, SIZE)
        fed.clear()
        res = runner.invoke(cli, ["explain", str(model), str(labels), "-o", str(tmp_path / "ex"), "-m", "gradcam",
                                  "--per-class", "1"])
        assert res.exit_code == 0, res.output
        # its one pass over the explained rows (Grad-CAM's, which gives the probabilities too since s67ux's
        # 877ed05e), in the order of tables/stamps.ecsv; one-row forwards before it probe the network's layers
        passes = [f for f in fed if len(f) == len(classified)]
        assert len(passes) == 1, [f.shape for f in fed]
        explained = passes[0]
    finally:
        hook.remove()
    order = np.asarray(Table.read(tmp_path / "ex" / "tables" / "stamps.ecsv")["index"])
    assert sorted(order.tolist()) == list(range(8))
    np.testing.assert_array_equal(explained, classified[order])
    cutouts = read_cutout_folder(labels, require_group=False, require_labels=False)  # as report --stamps reads it
    report = cutout_gradcam_inputs(str(model), cutouts, Table.read(tmp_path / "out.csv", format="ascii.csv"))
    assert report.inputs.shape == classified.shape  # every row is of one predicted class or the other: all drawn
    for i in range(8):  # rows drawn in the folder's order
        np.testing.assert_array_equal(report.inputs[i], classified[i], err_msg=f"row {i}, named {named[i]}")
    assert cutouts.plane_bands == ["g", "r", "z"] and not cutouts.all_planes_named
