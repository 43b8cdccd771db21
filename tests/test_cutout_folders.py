"""Labelled cutout folders: readers, ImageFolder layout, label map, grouped splits, bad input, CLI."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from astropy.io import fits
from PIL import Image
from typer.testing import CliRunner

from conftest import write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.errors import StarclassError
from starclass.io.cutout_folders import (
    label_classes,
    listed_files,
    read_cutout_folder,
    read_image,
)
from starclass.learn.config import TaskConfig, get_preset, save_config
from starclass.learn.cutouts import group_folds, group_validation
from starclass.stamps.images import cutout_inputs

ROOT = Path(__file__).resolve().parents[1]
# ../shared from the repository root; a worktree under <repo>/../wt/<name> looks one level higher
PANDAS = next((p for p in (ROOT.parent / "shared" / "data" / "pandas-m31",
                           ROOT.parents[1] / "shared" / "data" / "pandas-m31") if p.is_dir()), None)

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("single_thread")


def _blob(rng, kind: str, size: int = 24) -> np.ndarray:
    """A compact (cluster) or elongated, wider (galaxy) source on a noisy sky, in [0, 1]."""
    yy, xx = np.mgrid[:size, :size] - (size - 1) / 2
    if kind == "cluster":
        img = np.exp(-(xx**2 + yy**2) / (2 * 1.5**2))
    else:
        img = np.exp(-((xx / 5.0) ** 2 + (yy / 2.0) ** 2) / 2)
    return np.clip(0.1 + 0.8 * img + rng.normal(0, 0.03, img.shape), 0, 1)


def _write(path: Path, img: np.ndarray, fmt: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "png8":
        Image.fromarray((img * 255).astype(np.uint8)).save(path)
    elif fmt == "png16":
        Image.fromarray((img * 65535).astype(np.uint16)).save(path)
    elif fmt == "rgb":
        Image.fromarray(np.repeat((img * 255).astype(np.uint8)[..., None], 3, axis=2)).save(path)
    elif fmt == "jpeg":
        Image.fromarray((img * 255).astype(np.uint8)).save(path, quality=95)
    elif fmt == "fits":
        fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(img.astype(np.float32))]).writeto(path)
    elif fmt == "npy":
        np.save(path, img.astype(np.float32))


def _make_csv_folder(root: Path, n_objects: int = 24, seed: int = 0, fmt: str = "png8",
                     twice: int = 4) -> Path:
    """``n_objects`` objects (half clusters), the first ``twice`` of them with two cutouts."""
    rng = np.random.default_rng(seed)
    ext = {"png8": "png", "png16": "png", "rgb": "png", "jpeg": "jpg", "fits": "fits", "npy": "npy"}[fmt]
    rows = []
    for k in range(n_objects):
        label = ("cluster", "galaxy")[k % 2] if k % 6 else "extended_cluster"
        kind = "galaxy" if label == "galaxy" else "cluster"
        for copy in range(2 if k < twice else 1):
            rel = f"{label}/obj{k:03d}_{copy}.{ext}"
            _write(root / rel, _blob(rng, kind), fmt)
            rows.append({"file": rel, "label": label, "object_id": f"OBJ-{k}", "ra": 10.0 + k})
    with open(root / "labels.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["file", "label", "object_id", "ra"])
        w.writeheader()
        w.writerows(rows)
    return root / "labels.csv"


def _rewrite(csv_path: Path, edit) -> None:
    with open(csv_path, newline="") as fh:
        rows = list(csv.DictReader(fh))
    names = list(rows[0])
    rows = edit(rows)
    names = list(dict.fromkeys(names + [k for r in rows for k in r]))
    with open(csv_path, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=names)
        w.writeheader()
        w.writerows(rows)


# ----------------------------------------------------------------------------- readers


@pytest.mark.parametrize("fmt", ["png8", "png16", "rgb", "jpeg", "fits", "npy"])
def test_read_image_every_format(tmp_path, fmt):
    img = _blob(np.random.default_rng(1), "cluster")
    p = tmp_path / f"a.{ {'png8': 'png', 'png16': 'png', 'rgb': 'png', 'jpeg': 'jpg'}.get(fmt, fmt)}"
    _write(p, img, fmt)
    a = read_image(p)
    assert a.dtype == np.float32 and a.shape == ((3 if fmt == "rgb" else 1), 24, 24)
    # every format gives back the same pixels in [0, 1] (8-bit and JPEG to their precision)
    tol = {"png8": 1 / 255, "rgb": 1 / 255, "jpeg": 0.05, "png16": 1e-4}.get(fmt, 1e-6)
    assert np.abs(a[0] - img).max() <= tol + 1e-6


@pytest.mark.parametrize("channels", [1, 3])
def test_npy_channels_last_is_read_as_channels(tmp_path, channels):
    # numpy's (H, W, C) habit: (24, 24, 1) was refused as "too small" and (24, 24, 3) read as
    # 24 channels of 24 x 3 px, which train and classify then refused naming no file
    img = _blob(np.random.default_rng(3), "cluster")
    np.save(tmp_path / "hwc.npy", np.repeat(img[..., None], channels, axis=2).astype(np.float32))
    np.save(tmp_path / "chw.npy", np.repeat(img[None], channels, axis=0).astype(np.float32))
    a = read_image(tmp_path / "hwc.npy")
    assert a.shape == (channels, 24, 24)
    np.testing.assert_array_equal(a, read_image(tmp_path / "chw.npy"))
    # more than four planes stay channels first, as documented
    np.save(tmp_path / "five.npy", np.zeros((5, 24, 24), np.float32))
    assert read_image(tmp_path / "five.npy").shape == (5, 24, 24)


def test_fpack_compressed_fits_is_read(tmp_path):
    # .fits.fz (tile-compressed, as survey cutout services give them) was refused as "not an
    # image file", and an ImageFolder of them had "no images"
    img = _blob(np.random.default_rng(4), "cluster").astype(np.float32)
    for lab in ("cluster", "galaxy"):
        (tmp_path / lab).mkdir()
        fits.HDUList([fits.PrimaryHDU(), fits.CompImageHDU(img)]).writeto(tmp_path / lab / "a.fits.fz")
    # the pixels astropy decompresses (quantised: fpack's float compression is lossy)
    expect = fits.getdata(tmp_path / "cluster" / "a.fits.fz", ext=1)
    np.testing.assert_array_equal(read_image(tmp_path / "cluster" / "a.fits.fz")[0], expect)
    assert np.abs(expect - img).max() < 0.05
    cs = read_cutout_folder(tmp_path)
    assert len(cs) == 2 and cs.labels.tolist() == ["cluster", "galaxy"]


def test_csv_reader_counts_groups_and_passes_columns(tmp_path):
    cs = read_cutout_folder(_make_csv_folder(tmp_path), group_column="object_id")
    assert len(cs) == 28 and cs.images.shape == (28, 1, 24, 24)
    assert np.unique(cs.groups).size == 24
    assert cs.groups[0] == cs.groups[1] == "OBJ-0"
    assert cs.table.colnames == ["file", "label", "object_id", "ra"]
    assert cs.table["ra"].dtype.kind == "f"  # numeric columns pass through as numbers
    assert cs.images.min() >= 0 and cs.images.max() <= 1


def test_id_columns_pass_through_as_written(tmp_path):
    # an id column "007", "010", ... was read as the integers 7, 10: classify's output lost the
    # leading zeros, and the user's own catalogue no longer matched it
    p = _make_csv_folder(tmp_path, twice=0)
    _rewrite(p, lambda rows: [dict(r, cat_id=f"{3 * i:03d}", ccd=str(i % 4), sign=f"+{i}")
                              for i, r in enumerate(rows)])
    cs = read_cutout_folder(p)
    assert cs.table["cat_id"].tolist()[:4] == ["000", "003", "006", "009"]
    assert cs.table["sign"][1] == "+1"
    assert cs.table["ccd"].dtype.kind == "i" and cs.table["ra"].dtype.kind == "f"


def test_one_object_with_two_labels_is_warned_about(tmp_path):
    # accepted silently before: OBJ-0's second cutout labelled galaxy while its first is a cluster
    p = _make_csv_folder(tmp_path)
    _rewrite(p, lambda rows: [dict(r, label="galaxy") if i == 1 else r for i, r in enumerate(rows)])
    expected = r"object_id 'OBJ-0': 'galaxy' at .*row 2 \(line 3 of the file\).*'extended_cluster' at row 1"
    with pytest.warns(UserWarning, match=expected):
        read_cutout_folder(p, group_column="object_id")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read_cutout_folder(p)  # without groups every row is its own object: nothing to say


def test_imagefolder_layout_without_csv(tmp_path):
    _make_csv_folder(tmp_path, fmt="fits")
    (tmp_path / "labels.csv").unlink()
    cs = read_cutout_folder(tmp_path)
    assert len(cs) == 28
    assert sorted(set(cs.labels)) == ["cluster", "extended_cluster", "galaxy"]
    assert all(f.startswith(f"{lab}/") for f, lab in zip(cs.files, cs.labels))
    assert np.unique(cs.groups).size == 28  # no CSV: each image is its own group


def test_imagefolder_reads_images_below_the_label_folders(tmp_path):
    # torchvision's ImageFolder walks each label folder's tree; images in cluster/night2/ were
    # left out without a word (train saw 14 of 28 cutouts)
    _make_csv_folder(tmp_path, twice=0)
    (tmp_path / "labels.csv").unlink()
    moved = 0
    for lab in ("cluster", "galaxy"):
        for k, f in enumerate(sorted((tmp_path / lab).glob("*.png"))):
            if k % 2:
                (tmp_path / lab / "night2" / "deep").mkdir(parents=True, exist_ok=True)
                f.rename(tmp_path / lab / "night2" / "deep" / f.name)
                moved += 1
    (tmp_path / "galaxy" / ".cache").mkdir()
    _write(tmp_path / "galaxy" / ".cache" / "thumb.png", np.zeros((24, 24)), "png8")  # hidden: not a cutout
    cs = read_cutout_folder(tmp_path)
    assert moved > 0 and len(cs) == 24
    assert sum(f.startswith("galaxy/night2/deep/") for f in cs.files) > 0
    assert all(lab == f.split("/")[0] for f, lab in zip(cs.files, cs.labels))
    res = runner.invoke(app, ["info", str(tmp_path)])
    assert res.exit_code == 0 and "cutouts: 24" in res.output


def test_directory_with_labels_csv_uses_the_csv(tmp_path):
    _make_csv_folder(tmp_path)
    cs = read_cutout_folder(tmp_path, group_column="object_id")
    assert np.unique(cs.groups).size == 24


def test_several_bands_per_row(tmp_path):
    rng = np.random.default_rng(2)
    rows = []
    for k in range(4):
        img = _blob(rng, "cluster")
        for band in ("g", "i"):
            _write(tmp_path / f"o{k}_{band}.npy", img * (1 if band == "g" else 2), "npy")
        rows.append(f"o{k}_i.npy,o{k}_g.npy,cluster")
    (tmp_path / "labels.csv").write_text("file_i,file_g,label\n" + "\n".join(rows) + "\n")
    cs = read_cutout_folder(tmp_path / "labels.csv", bands=["g", "i"])
    assert cs.images.shape == (4, 2, 24, 24) and cs.bands == ["g", "i"]
    assert np.allclose(cs.images[:, 1], 2 * cs.images[:, 0])  # band order follows `bands`


def test_one_row_per_band_file_is_refused(tmp_path):
    # file,band,label,object_id with a g and an i row per object was read as two cutouts per
    # object, the i file trained on as the task's g band, without a word
    rng = np.random.default_rng(2)
    lines = ["file,band,label,object_id"]
    for k in range(4):
        kind = "cluster" if k % 2 else "galaxy"
        img = _blob(rng, kind)
        for band in ("g", "i"):
            _write(tmp_path / f"o{k}_{band}.png", img, "png8")
            lines.append(f"o{k}_{band}.png,{band},{kind},o{k}")
    (tmp_path / "labels.csv").write_text("\n".join(lines) + "\n")
    msg = _expect_error(tmp_path / "labels.csv", "column 'band' names 2 bands")
    assert "(g, i)" in msg and "file_g, file_i" in msg
    assert "row 2 (line 3 of the file), file 'o0_i.png', band 'i'" in msg
    task = save_config(get_preset("m31-real", stamp_size=16), tmp_path / "t.yaml")
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(tmp_path / "labels.csv"),
                              "--group-column", "object_id", "-o", str(tmp_path / "m"), "--epochs", "1",
                              "--no-progress"])
    assert res.exit_code == 2 and "one row per band file" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "m").exists()
    # the pivot the message gives is read, and one band throughout is read as it is
    import pandas as pd

    df = pd.read_csv(tmp_path / "labels.csv")
    df.pivot(index=["object_id", "label"], columns="band", values="file").add_prefix("file_").reset_index() \
        .to_csv(tmp_path / "wide.csv", index=False)
    assert read_cutout_folder(tmp_path / "wide.csv", bands=["g", "i"]).images.shape == (4, 2, 24, 24)
    df[df.band == "g"].to_csv(tmp_path / "g.csv", index=False)
    assert len(read_cutout_folder(tmp_path / "g.csv")) == 4


def test_a_cutout_list_kept_as_ecsv_or_fits_is_trained_on(tmp_path):
    # train/explain --stamps labels.ecsv said "stamp store labels.ecsv: cannot read HDF5 (Unable to
    # synchronously open file (file signature not found))", then (until 2026-12-06) to write it as CSV;
    # it is read as the list it is since (tests/test_cutout_list_tables.py)
    from astropy.table import Table

    rng = np.random.default_rng(3)
    files = []
    for k in range(4):
        _write(tmp_path / f"o{k}.png", _blob(rng, "cluster" if k % 2 else "galaxy"), "png8")
        files.append(f"o{k}.png")
    t = Table({"file": files, "label": ["galaxy", "cluster"] * 2})
    task = save_config(get_preset("m31-real", stamp_size=16), tmp_path / "t.yaml")
    for name in ("labels.ecsv", "labels.fits"):
        t.write(tmp_path / name)
        res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(tmp_path / name),
                                  "-o", str(tmp_path / f"m_{name}"), "--epochs", "1", "--no-progress"])
        assert res.exit_code == 0 and "Traceback" not in res.output, res.output
        assert "cutouts: 4 images of " in res.output and (tmp_path / f"m_{name}").is_dir()
    assert read_cutout_folder(tmp_path / "labels.fits").labels.tolist() == ["galaxy", "cluster"] * 2


def test_a_missing_band_file_names_the_objects_other_file(tmp_path):
    # "row 2 (line 3 of the file): empty 'file_i'" named no file of the object
    rng = np.random.default_rng(4)
    rows = []
    for k in range(3):
        _write(tmp_path / f"o{k}_g.npy", _blob(rng, "cluster"), "npy")
        _write(tmp_path / f"o{k}_i.npy", _blob(rng, "cluster"), "npy")
        rows.append(f"o{k}_g.npy,{'' if k == 1 else f'o{k}_i.npy'},cluster")
    (tmp_path / "labels.csv").write_text("file_g,file_i,label\n" + "\n".join(rows) + "\n")
    msg = _expect_error(tmp_path / "labels.csv", "empty 'file_i'", bands=["g", "i"])
    assert "row 2 (line 3 of the file)" in msg and "file_g 'o1_g.npy'" in msg and "each band read" in msg


def test_zero_one_labels_without_a_label_map_are_refused_for_training(tmp_path):
    # a 0/1 labelled folder and a task with label_map {}: the 0 rows were read as "no class" and left
    # out without a word ("class 2 (non-cluster) has no training example"; with more classes the
    # model trained without them)
    rng = np.random.default_rng(5)
    lines = ["file,label"]
    for k in range(6):
        _write(tmp_path / f"o{k}.png", _blob(rng, "cluster" if k % 2 else "galaxy"), "png8")
        lines.append(f"o{k}.png,{k % 2}")
    (tmp_path / "labels.csv").write_text("\n".join(lines) + "\n")
    task = save_config(get_preset("m31-real", label_map={}, stamp_size=16), tmp_path / "t.yaml")
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(tmp_path / "labels.csv"),
                              "-o", str(tmp_path / "m"), "--epochs", "1", "--no-progress"])
    out = res.output.replace("\n", "")
    assert res.exit_code == 2 and "Traceback" not in out, out
    assert "row 1 (line 2 of the file), file 'o0.png': label '0' is not a class of task" in out
    assert 'label_map: {"0": N, "1": N}' in out and not (tmp_path / "m").exists()


def test_band_files_of_different_sizes_name_both_files(tmp_path):
    # an object whose i-band file is 20 px and g-band file 24 px stopped train/info with numpy's
    # "all the input array dimensions except for the concatenation axis must match" traceback
    rng = np.random.default_rng(2)
    rows = []
    for k in range(3):
        _write(tmp_path / f"o{k}_g.npy", _blob(rng, "cluster"), "npy")
        _write(tmp_path / f"o{k}_i.npy", _blob(rng, "cluster", size=20 if k == 1 else 24), "npy")
        rows.append(f"o{k}_g.npy,o{k}_i.npy,cluster")
    (tmp_path / "labels.csv").write_text("file_g,file_i,label\n" + "\n".join(rows) + "\n")
    msg = _expect_error(tmp_path / "labels.csv", "band files of different sizes", bands=["g", "i"])
    assert "row 2 (line 3 of the file)" in msg
    assert "file_g 'o1_g.npy' is 24 x 24 px, file_i 'o1_i.npy' is 20 x 20 px" in msg
    task = save_config(get_preset("m31-real", bands=["g", "i"], stamp_size=16), tmp_path / "gi.yaml")
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(tmp_path / "labels.csv"),
                              "-o", str(tmp_path / "m"), "--no-progress"])
    assert res.exit_code == 2 and "o1_i.npy" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "m").exists()


# ----------------------------------------------------------------------------- label map, inputs


def test_label_map_of_m31_real(tmp_path):
    cfg = get_preset("m31-real")
    cs = read_cutout_folder(_make_csv_folder(tmp_path), group_column="object_id")
    classes = label_classes(cs, cfg.label_map)
    assert set(classes[cs.labels == "extended_cluster"]) == {1}
    assert set(classes[cs.labels == "cluster"]) == {1}
    assert set(classes[cs.labels == "galaxy"]) == {2}
    # the label map travels with the config (and so with the model)
    again = TaskConfig.from_dict(cfg.to_dict())
    assert again.label_map == {"cluster": 1, "extended_cluster": 1, "galaxy": 2}
    assert again.group_column == "object_id"
    with pytest.raises(StarclassError, match="label_map"):
        get_preset("m31-real", label_map={"cluster": 7})


def test_cutout_inputs_resample_and_normalise(tmp_path):
    cfg = get_preset("m31-real", stamp_size=16)
    cs = read_cutout_folder(_make_csv_folder(tmp_path, fmt="rgb"))
    x = cutout_inputs(cs.images, cfg)
    assert x.shape == (28, 1, 16, 16) and np.isfinite(x).all()
    # robust z-score: the sky (most pixels) is near 0, the source centre far above it
    assert abs(float(np.median(x))) < 0.5
    assert float(x[:, 0, 8, 8].mean()) > 5
    with pytest.raises(StarclassError, match="zeropoints"):
        cutout_inputs(cs.images, get_preset("m31-real", normalisation="flux"))


# ----------------------------------------------------------------------------- grouped splits


def test_group_folds_keep_each_group_on_one_side():
    rng = np.random.default_rng(0)
    groups = rng.integers(0, 60, 150).astype(str)
    labels = np.array([1 + int(g) % 2 for g in groups])
    folds = group_folds(labels, groups, 5, seed=3)
    assert set(folds.tolist()) == {0, 1, 2, 3, 4}
    for g in np.unique(groups):
        assert np.unique(folds[groups == g]).size == 1
    assert np.array_equal(folds, group_folds(labels, groups, 5, seed=3))  # same folds every time
    tr, va = group_validation(labels, groups, 0.2, seed=1)
    assert not set(groups[tr]) & set(groups[va])
    assert 0.1 < va.size / labels.size < 0.3
    with pytest.raises(StarclassError):
        group_folds(labels, groups, 100)


# ----------------------------------------------------------------------------- bad input


def _expect_error(csv_path, match, **kw):
    with pytest.raises(StarclassError, match=match) as info:
        read_cutout_folder(csv_path, **kw)
    return str(info.value)


def test_a_csv_written_on_windows_names_its_files_with_backslashes(tmp_path):
    # 'cluster\\obj000_0.png' (pandas on Windows) was "no such file" on every row here
    p = _make_csv_folder(tmp_path)
    want = read_cutout_folder(p)
    _rewrite(p, lambda rows: [dict(r, file=r["file"].replace("/", "\\")) for r in rows])
    got = read_cutout_folder(p)
    assert got.files[0] == want.files[0].replace("/", "\\")  # kept as written, for the output
    assert np.array_equal(got.images, want.images)
    # suggest --labels compares files so: the same files as the folder's
    assert [Path(f) for f in listed_files(p, absolute=True)] == [(tmp_path / f).resolve() for f in want.files]
    # a drive letter cannot be read here: said so
    _rewrite(p, lambda rows: [dict(r, file="C:\\data\\" + r["file"]) if i == 2 else r for i, r in enumerate(rows)])
    msg = _expect_error(p, "row 3 .*no such file")
    assert "a Windows path (drive or network share)" in msg


def test_an_imagefolder_of_data_splits_is_pointed_out(tmp_path):
    # torchvision's root/train/<label>/ layout was read as labels 'train' and 'val' without a word
    rng = np.random.default_rng(3)
    for k, (split, label) in enumerate([("train", "cluster"), ("train", "galaxy"), ("val", "cluster"),
                                        ("val", "galaxy")]):
        _write(tmp_path / "splits" / split / label / f"o{k}.png", _blob(rng, label), "png8")
    with pytest.warns(UserWarning, match="'train', 'val' are named as data splits and hold folders "
                                         r"\(cluster, galaxy\).*--stamps .*splits/train"):
        cs = read_cutout_folder(tmp_path / "splits")
    assert sorted(set(cs.labels.tolist())) == ["train", "val"]  # read as before: the warning says why
    # label folders with sub-folders of their own (nights) are no splits: no warning
    for label, k in [("cluster", 0), ("galaxy", 1)]:
        _write(tmp_path / "nights" / label / "night1" / f"o{k}.png", _blob(rng, label), "png8")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert sorted(read_cutout_folder(tmp_path / "nights").labels.tolist()) == ["cluster", "galaxy"]


def test_a_plain_folder_of_images_is_read_unlabelled(tmp_path):
    # new cutouts in one folder, to classify: "no images in sub-folders" refused it, so a CSV
    # listing every file had to be written by hand
    rng = np.random.default_rng(4)
    imgs = {f"o{k}.png": _blob(rng, "cluster") for k in (2, 0, 1)}
    for name, img in imgs.items():
        _write(tmp_path / "new" / name, img, "png8")
    (tmp_path / "new" / "README.txt").write_text("cutouts of tonight\n")
    cs = read_cutout_folder(tmp_path / "new")
    assert cs.labels is None and cs.files == ["o0.png", "o1.png", "o2.png"]
    for i, f in enumerate(cs.files):
        assert np.array_equal(cs.images[i, 0], np.asarray(Image.open(tmp_path / "new" / f)) / np.float32(255))
    res = runner.invoke(app, ["info", str(tmp_path / "new")])
    assert res.exit_code == 0 and "(images without labels)" in res.output and "cutouts: 3" in res.output, res.output
    res = runner.invoke(app, ["train", "--task", "m31-real", "--stamps", str(tmp_path / "new"), "-o",
                              str(tmp_path / "m"), "--no-progress"])
    assert res.exit_code == 2 and "3 images without labels" in res.output and not (tmp_path / "m").exists()
    # beside label folders, an image in none of them is left out with a word, not silently
    _write(tmp_path / "new" / "cluster" / "c.png", _blob(rng, "cluster"), "png8")
    with pytest.warns(UserWarning, match=r"3 images lie directly in the folder.*o0.png, o1.png, o2.png"):
        cs = read_cutout_folder(tmp_path / "new")
    assert cs.files == ["cluster/c.png"]


def test_paths_written_relative_to_the_current_directory_are_pointed_out(tmp_path, monkeypatch):
    # data/labels.csv listing 'data/cluster/a.png' (written from the folder above) was a bare
    # "no such file (.../data/data/cluster/a.png)"
    p = _make_csv_folder(tmp_path / "data")
    _rewrite(p, lambda rows: [dict(r, file="data/" + r["file"]) for r in rows])
    monkeypatch.chdir(tmp_path)
    msg = _expect_error(Path("data/labels.csv"), "row 1 .*no such file")
    assert "exists relative to the current directory" in msg and "without the leading 'data/'" in msg
    monkeypatch.chdir(tmp_path / "data")  # from elsewhere nothing is found: no such hint
    assert "current directory" not in _expect_error(Path("labels.csv"), "no such file")


def test_missing_file_names_file_and_row(tmp_path):
    p = _make_csv_folder(tmp_path)
    (tmp_path / "galaxy/obj005_0.png").unlink()
    msg = _expect_error(p, "no such file")
    assert "obj005_0.png" in msg and "row 10" in msg


def test_truncated_and_unreadable_images(tmp_path):
    p = _make_csv_folder(tmp_path)
    f = tmp_path / "galaxy/obj001_0.png"
    f.write_bytes(f.read_bytes()[:60])
    msg = _expect_error(p, "cannot read")
    assert "obj001_0.png" in msg and "row 3" in msg
    f.write_bytes(b"this is not a png")
    _expect_error(p, "cannot read")


@pytest.mark.parametrize("kind, words", [("text", "holds text"), ("complex", "holds complex numbers"),
                                         ("object", "Python objects"), ("date", "holds dates")])
def test_npy_of_text_objects_or_complex_numbers_is_refused_naming_the_file(tmp_path, kind, words):
    # an NPY of strings stopped with a bare "could not convert string to float" traceback, and
    # one of complex numbers was read with its imaginary part silently dropped
    p = _make_csv_folder(tmp_path, fmt="npy")
    bad = tmp_path / "galaxy/obj001_0.npy"
    arr = {"text": np.full((24, 24), "ab"), "complex": np.ones((24, 24)) * (1 + 2j),
           "object": np.empty((24, 24), dtype=object), "date": np.zeros((24, 24), "datetime64[s]")}[kind]
    np.save(bad, arr, allow_pickle=True)
    msg = _expect_error(p, words)
    assert "obj001_0.npy" in msg and "row 3" in msg
    res = runner.invoke(app, ["info", str(p)])
    assert res.exit_code == 2 and "obj001_0.npy" in res.output and "Traceback" not in res.output, res.output


def test_mixed_sizes(tmp_path):
    p = _make_csv_folder(tmp_path)
    _write(tmp_path / "galaxy/obj003_0.png", np.zeros((20, 20)), "png8")
    msg = _expect_error(p, "shape")
    assert "obj003_0.png" in msg and "row 7" in msg


def test_non_square_cutouts_are_padded_naming_them_once(tmp_path):
    # every cutout 24 x 20 was read, then train/classify stopped with "cutouts must be square
    # [N, C, H, W]; got shape (28, 1, 24, 20)", naming neither a file nor a row; then (until 2026-12-04)
    # refused as "not square". Now padded with NaN to 24 x 24, with one warning (tests/test_cutout_non_square.py)
    p = _make_csv_folder(tmp_path)
    for f in sorted(tmp_path.glob("*/*.png")):
        _write(f, _blob(np.random.default_rng(0), "cluster")[:, :20], "png8")
    with pytest.warns(UserWarning, match="not square") as seen:
        cs = read_cutout_folder(p)
    msg = " ".join(str(w.message) for w in seen if "not square" in str(w.message))
    assert "row 1 extended_cluster/obj000_0.png: 24 x 20 px" in msg and "28 of the 28 cutouts are not square" in msg
    assert cs.images.shape[1:] == (1, 24, 24) and np.isnan(cs.images[:, :, :, :2]).all()


def test_blank_and_all_empty_rows_are_skipped_and_lines_stay_right(tmp_path):
    # a spreadsheet's trailing ",,," rows stopped the folder ("row 29: empty 'file'"), and after
    # a blank line in the middle every message named the line above the one at fault
    p = _make_csv_folder(tmp_path)
    text = p.read_text().splitlines()
    p.write_text("\n".join(text[:5] + [""] + text[5:] + [",,,", " , , ,"]) + "\n")
    cs = read_cutout_folder(p)
    assert len(cs) == 28
    (tmp_path / cs.files[6]).write_bytes(b"not an image")  # row 7: line 9 of the file after the blank
    msg = _expect_error(p, "cannot read")
    assert "row 7 (line 9 of the file)" in msg
    assert text[7].split(",")[0] in msg


def test_csv_header_names_are_stripped_and_a_repeated_name_is_refused(tmp_path):
    # "file, label" (a space after each comma, as people type it) named the columns " label":
    # "no label column 'label'"; a header naming a column twice kept one of them without a word
    p = _make_csv_folder(tmp_path)
    text = p.read_text().splitlines()
    p.write_text("\n".join([" file , label,object_id, ra"] + text[1:]) + "\n")
    cs = read_cutout_folder(p, group_column="object_id")
    assert cs.table.colnames == ["file", "label", "object_id", "ra"]
    assert sorted(set(cs.labels.tolist())) == ["cluster", "extended_cluster", "galaxy"]
    p.write_text("\n".join(["file,label,object_id,label"] + [r + ",galaxy" for r in text[1:]]) + "\n")
    msg = _expect_error(p, "names a column twice")
    assert "'label' in columns 2, 4" in msg
    res = runner.invoke(app, ["train", "--task", str(_task(tmp_path)), "--stamps", str(p), "-o", str(tmp_path / "m"),
                              "--no-progress"])
    assert res.exit_code == 2 and "'label' in columns 2, 4" in res.output and not (tmp_path / "m").exists()


def test_file_listed_twice(tmp_path):
    p = _make_csv_folder(tmp_path)
    _rewrite(p, lambda rows: rows + [dict(rows[2], object_id="OTHER")])
    msg = _expect_error(p, "listed twice")
    assert "row 29" in msg and "first in row 3" in msg


def test_unknown_label(tmp_path):
    p = _make_csv_folder(tmp_path)
    _rewrite(p, lambda rows: [dict(r, label="star") if i == 9 else r for i, r in enumerate(rows)])
    cs = read_cutout_folder(p)
    with pytest.raises(StarclassError, match="'star' is not known") as info:
        label_classes(cs, get_preset("m31-real").label_map)
    assert "row 10" in str(info.value)


def _snippet_task(message: str, tmp_path: Path, n: int) -> TaskConfig:
    """The task file an unknown-label message offers, each N replaced by class ``n``, loaded."""
    from starclass.learn.config import load_config

    body = [line.strip() for line in message.splitlines() if line.startswith("    ")]
    assert body and body[0].startswith("extends: "), message
    (tmp_path / "my_task.yaml").write_text("\n".join(body).replace(": N", f": {n}") + "\n")
    return load_config(tmp_path / "my_task.yaml")


def test_every_unknown_label_is_named_with_a_task_file_that_maps_them(tmp_path):
    # the M31 paper's other negatives: a folder with 'star' and 'artefact' was refused for its
    # first 'star' only; once that was mapped, refused again for 'artefact', and the hint asked
    # for "classes, class_names and label_map" where a label_map alone does it
    p = _make_csv_folder(tmp_path)
    odd = {10: "star", 13: "artefact", 16: "star", 20: "background galaxy"}
    _rewrite(p, lambda rows: [dict(r, label=odd.get(i, r["label"])) for i, r in enumerate(rows)])
    cs = read_cutout_folder(p, group_column="object_id")
    cfg = get_preset("m31-real")
    with pytest.raises(StarclassError) as info:
        label_classes(cs, cfg.label_map, config=cfg)
    msg = str(info.value)
    assert "row 11 (line 12 of the file)" in msg and "label 'star' is not known" in msg
    assert "4 rows carry 3 labels" in msg
    assert "'star' (2 rows: 11, 17), 'artefact' (row 14), 'background galaxy' (row 21)" in msg
    assert "extends: m31-real" in msg and "1 = cluster, 2 = non-cluster" in msg
    # the offered task file, N filled in, keeps the task's own labels and reads the folder
    mine = _snippet_task(msg, tmp_path, 2)
    classes = label_classes(cs, mine.label_map, config=mine)
    want = [2 if i in odd else cfg.label_map[str(lab)] for i, lab in enumerate(cs.labels)]
    assert classes.tolist() == want
    # evaluate --label-column names them all too
    from starclass.evaluate.task import EvalTask

    with pytest.raises(StarclassError) as info:
        EvalTask.from_config(cfg).label_classes(["cluster", "star", "Galaxy", "star", "yes"])
    msg = str(info.value)
    # 'Galaxy' is read as the task's 'galaxy' (since 2026-12-06: tests/test_label_case_matched.py)
    assert "row 2 has label 'star'" in msg and "'star' (2 rows: 2, 4), 'yes' (row 5)" in msg
    assert "'Galaxy'" not in msg
    # a YAML word stays text
    mine = _snippet_task(msg, tmp_path, 2)
    assert mine.label_map["yes"] == 2 and mine.label_map["galaxy"] == 2
    assert "label_map: {}" not in msg
    # class numbers for labels: the task without a label map is named
    with pytest.raises(StarclassError, match=r"'1' \(row 1\), '2' \(row 2\).*read as such by a task without a "
                                             r"label map: 'extends: m31-real' and 'label_map: \{\}'"):
        EvalTask.from_config(cfg).label_classes(["1", "2"])


def test_an_imagefolder_with_labels_of_its_own_counts_images_not_rows(tmp_path):
    _make_csv_folder(tmp_path)
    (tmp_path / "labels.csv").unlink()
    (tmp_path / "cluster").rename(tmp_path / "Globular Cluster")
    (tmp_path / "galaxy").rename(tmp_path / "background galaxy")
    cs = read_cutout_folder(tmp_path)
    cfg = get_preset("m31-real")
    with pytest.raises(StarclassError) as info:
        label_classes(cs, cfg.label_map, config=cfg)
    msg = str(info.value)
    n_c = sum(lab == "Globular Cluster" for lab in cs.labels)
    assert f"'Globular Cluster' ({n_c} images)" in msg and "rows" not in msg.split("carry")[1]
    mine = _snippet_task(msg, tmp_path, 2)
    assert mine.label_map["Globular Cluster"] == 2 and mine.label_map["background galaxy"] == 2


def test_a_label_that_differs_in_case_is_read_as_the_tasks(tmp_path):
    # an ImageFolder with Cluster/ and Galaxy/ was refused as "label 'Galaxy' is not known" until 2026-12-06;
    # now read as the task's 'galaxy', said once
    _make_csv_folder(tmp_path)
    (tmp_path / "labels.csv").unlink()
    (tmp_path / "galaxy").rename(tmp_path / "Galaxy")
    cs = read_cutout_folder(tmp_path)
    cfg = get_preset("m31-real")
    with pytest.warns(UserWarning, match="'Galaxy' as 'galaxy'"):
        classes = label_classes(cs, cfg.label_map)
    assert classes.tolist() == [cfg.label_map[str(lab).lower()] for lab in cs.labels]
    from starclass.evaluate.task import EvalTask

    task = EvalTask.from_config(cfg)
    with pytest.warns(UserWarning, match="'GALAXY' as 'galaxy' \\(1 row\\)"):
        assert task.label_classes(["cluster", "GALAXY"]).tolist() == [1, 2]
    # a label with no other spelling among the known ones gets no such hint
    with pytest.raises(StarclassError) as info:
        task.label_classes(["star"])
    assert "could be" not in str(info.value)


def test_group_split_across_folds(tmp_path):
    p = _make_csv_folder(tmp_path)
    _rewrite(p, lambda rows: [dict(r, fold=str(i % 3)) for i, r in enumerate(rows)])
    msg = _expect_error(p, "split across folds", group_column="object_id")
    assert "OBJ-0" in msg and "row 2" in msg
    # folds that keep every group together are accepted
    _rewrite(p, lambda rows: [dict(r, fold=str(int(r["object_id"][4:]) % 3)) for r in rows])
    assert read_cutout_folder(p, group_column="object_id").folds is not None


def test_missing_group_column_and_empty_cells(tmp_path):
    p = _make_csv_folder(tmp_path)
    _expect_error(p, "no group column 'objid'", group_column="objid")
    assert len(read_cutout_folder(p, group_column="objid", require_group=False)) == 28
    _rewrite(p, lambda rows: [dict(r, label="") if i == 4 else r for i, r in enumerate(rows)])
    _expect_error(p, "row 5 .*empty 'label'")


def test_every_empty_label_is_named_at_once_before_any_image_is_read(tmp_path):
    # train named the first empty label only ('row 5 ...: empty 'label''), after reading the images above it:
    # one run per gap
    p = _make_csv_folder(tmp_path)
    _rewrite(p, lambda rows: [dict(r, label="") if i in (4, 9, 20) else r for i, r in enumerate(rows)])
    with open(p, newline="") as fh:
        first = next(csv.DictReader(fh))["file"]
    (p.parent / first).unlink()  # the first row's image is gone: the labels are said first
    msg = _expect_error(p, "row 5 .*empty 'label'; 3 rows have an empty 'label': rows 5, 10, 21 \\(rows counted")
    assert "train and calibrate need a label on every row" in msg


# ----------------------------------------------------------------------------- CLI


def _task(tmp_path) -> Path:
    cfg = get_preset("m31-real", stamp_size=16, recipe={"epochs": 2, "batch_size": 16, "val_fraction": 0.25})
    return save_config(cfg, tmp_path / "task.yaml", overwrite=True)  # a test may ask for it twice


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> tuple[Path, Path]:
    """A model trained for one epoch on 12 cutouts of 24 px, and its folder's CSV."""
    root = tmp_path_factory.mktemp("tiny")
    p = _make_csv_folder(root / "data", n_objects=12, twice=0)
    res = runner.invoke(app, ["train", "--task", str(_task(root)), "--stamps", str(p), "-o",
                              str(root / "model"), "--no-progress", "--epochs", "1"])
    assert res.exit_code == 0, res.output
    return root / "model", p


def test_classify_warns_of_cutouts_of_another_pixel_size_than_training(tmp_path, tiny_model):
    # a model trained on 128 px PAndAS cutouts classified 64 px centre crops without a word:
    # each cutout is resampled over its whole field, so the objects looked twice as large to
    # the network and 39 of 40 came out 'cluster'
    model, p = tiny_model
    from starclass.learn.checkpoint import read_manifest

    # the size of the training cutouts, and (since 2026-12-03) the label column they were read from, and (since
    # 2026-12-05) the object column (classify names it in its output: evaluate resamples whole objects)
    assert read_manifest(model)["training_cutouts"] == {"height": 24, "width": 24, "channels": 1,
                                                         "label_column": "label", "group_column": "object_id"}
    res = runner.invoke(app, ["classify", "--stamps", str(p), "--model", str(model), "-o",
                              str(tmp_path / "same.csv"), "--no-progress"])
    assert res.exit_code == 0 and "trained on cutouts of" not in res.output, res.output
    crops = tmp_path / "crops"
    with open(p, newline="") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:  # the centre 12 px of each cutout, at the same pixel scale
        img = np.asarray(Image.open(p.parent / r["file"]))
        (crops / r["file"]).parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(img[6:18, 6:18]).save(crops / r["file"])
    with open(crops / "labels.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    res = runner.invoke(app, ["classify", "--stamps", str(crops / "labels.csv"), "--model", str(model),
                              "-o", str(tmp_path / "crops.csv"), "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "the cutouts are 12 x 12 px but model" in res.output and "trained on cutouts of 24 x 24 px" in res.output
    assert "look 2.00 times as large" in res.output and (tmp_path / "crops.csv").exists()
    # calibrate --stamps on them says the same (its fit would be for inputs the model never sees so)
    import shutil

    shutil.copytree(model, tmp_path / "m2")
    res = runner.invoke(app, ["calibrate", str(tmp_path / "m2"), "--stamps", str(crops / "labels.csv"), "--overwrite",
                              "--allow-training-rows"])
    assert "the cutouts are 12 x 12 px but model" in res.output, res.output


def test_classify_keeps_input_columns_named_as_its_outputs(tmp_path, tiny_model):
    # a folder's own class_pred/prob_1 (an earlier catalogue's) were replaced without a word by
    # classify's, and its own 'model' column (an instrument) was kept and read by evaluate as
    # the model that classified the rows ("HST/ACS, which is not found here")
    model, data = tiny_model
    p = tmp_path / "labels.csv"
    p.write_text(data.read_text())
    for f in ("cluster", "galaxy", "extended_cluster"):
        (tmp_path / f).symlink_to(data.parent / f)
    _rewrite(p, lambda rows: [dict(r, class_pred="GC", prob_1=f"0.{i}", model="HST/ACS")
                              for i, r in enumerate(rows)])
    out = tmp_path / "out.csv"
    res = runner.invoke(app, ["classify", "--stamps", str(p), "--model", str(model), "-o", str(out),
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "kept renamed: 'class_pred' -> 'class_pred_input', 'prob_1' -> 'prob_1_input'" in res.output
    from astropy.table import Table

    t = Table.read(out, format="ascii.csv")
    assert list(t["class_pred_input"]) == ["GC"] * 12 and list(t["model_input"]) == ["HST/ACS"] * 12
    assert np.allclose(t["prob_1_input"], [i / 10 if i < 10 else float(f"0.{i}") for i in range(12)])
    assert set(t["class_pred"]) <= {1, 2} and np.allclose(t["prob_1"] + t["prob_2"], 1, atol=1e-5)
    assert set(t["model"]) == {str(model.resolve())}
    res = runner.invoke(app, ["evaluate", str(out), "--label-column", "label", "--bootstrap", "0", "--no-science",
                              "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0 and "; task from the model named in the catalogue's model column: " in res.output, \
        res.output


def test_classify_points_to_a_label_column_of_another_name(tmp_path, tiny_model):
    # a CSV with 'Class' for 'label' was classified as unlabelled without a word (no accuracy,
    # no class_ref; evaluate then had nothing to compare)
    model, data = tiny_model
    p = tmp_path / "labels.csv"
    p.write_text(data.read_text().replace("file,label,", "file,Class,", 1))
    for f in ("cluster", "galaxy", "extended_cluster"):
        (tmp_path / f).symlink_to(data.parent / f)
    res = runner.invoke(app, ["classify", "--stamps", str(p), "--model", str(model), "-o", str(tmp_path / "o.csv"),
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "no 'label' column, so the cutouts are read as unlabelled; column 'Class' may hold their labels: give " \
           "--label-column Class" in res.output
    res = runner.invoke(app, ["classify", "--stamps", str(p), "--model", str(model), "-o", str(tmp_path / "o2.csv"),
                              "--no-progress", "--label-column", "Class"])
    assert res.exit_code == 0 and "accuracy against the labels" in res.output and "may hold" not in res.output


def test_classify_a_folder_with_labels_the_model_does_not_know(tmp_path, tiny_model):
    # the M31 paper's other negatives (star, artefact) in a folder made classify refuse it whole,
    # advising a --task that classify does not take; they are classified, class_ref 0, and named
    model, data = tiny_model
    p = tmp_path / "labels.csv"
    p.write_text(data.read_text())
    for f in ("cluster", "galaxy", "extended_cluster"):
        (tmp_path / f).symlink_to(data.parent / f)
    _rewrite(p, lambda rows: [dict(r, label={2: "star", 5: "artefact", 7: ""}.get(i, r["label"]))
                              for i, r in enumerate(rows)])
    out = tmp_path / "out.csv"
    res = runner.invoke(app, ["classify", "--stamps", str(p), "--model", str(model), "-o", str(out), "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "those whose label the task does not know get class_ref 0" in res.output
    assert "'star' (row 3), 'artefact' (row 6)" in res.output and "then evaluate --task my_task.yaml" in res.output
    # the rows of labels it does not know were counted as "unlabelled" beside the empty one ("3 unlabelled")
    assert "(1 unlabelled and 2 with a label the task does not know left out)" in res.output, res.output
    from astropy.table import Table

    t = Table.read(out, format="ascii.csv")
    assert len(t) == 12 and set(t["class_pred"]) <= {1, 2}
    assert list(t["class_ref"][[2, 5, 7]]) == [0, 0, 0] and set(t["class_ref"][[0, 1, 3, 4]]) <= {1, 2}


def test_cli_train_then_classify_cutouts(tmp_path):
    data = tmp_path / "data"
    p = _make_csv_folder(data)
    task = _task(tmp_path)
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(p), "--group-column", "object_id",
                              "-o", str(tmp_path / "model"), "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "of 24 objects (object_id)" in res.output
    out = tmp_path / "out.csv"
    res = runner.invoke(app, ["classify", "--stamps", str(p), "--model", str(tmp_path / "model"),
                              "-o", str(out), "--no-progress"])
    assert res.exit_code == 0, res.output
    from astropy.table import Table

    t = Table.read(out, format="ascii.csv")
    assert len(t) == 28
    for col in ("file", "label", "object_id", "ra", "class_pred", "prob_1", "prob_2", "class_ref"):
        assert col in t.colnames
    assert np.allclose(t["prob_1"] + t["prob_2"], 1, atol=1e-5)
    assert set(t["class_ref"][t["label"] == "galaxy"]) == {2}
    # an ImageFolder directory classifies too
    (data / "labels.csv").unlink()
    res = runner.invoke(app, ["classify", "--stamps", str(data), "--model", str(tmp_path / "model"),
                              "-o", str(tmp_path / "out2.ecsv"), "--no-progress"])
    assert res.exit_code == 0, res.output


def test_cli_classify_stamps_applies_threshold(tmp_path):
    # classify --stamps --threshold T was accepted and ignored: class_pred stayed the most
    # probable class (PAndAS cutouts with P(cluster) 0.47 at --threshold 0.3 were called galaxies)
    from astropy.table import Table

    p = _make_csv_folder(tmp_path / "data")
    task = _task(tmp_path)
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(p), "-o", str(tmp_path / "model"),
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    base = tmp_path / "base.ecsv"
    res = runner.invoke(app, ["classify", "--stamps", str(p), "--model", str(tmp_path / "model"), "-o", str(base),
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    t0 = Table.read(base)
    # decisions are taken on the raw probabilities (calibration never changes a class)
    raw = np.asarray(t0["prob_1_raw" if "prob_1_raw" in t0.colnames else "prob_1"])
    thr = float(np.sort(raw)[len(raw) // 4])  # a quarter of the rows below it, whatever the argmax says
    out = tmp_path / "thr.ecsv"
    res = runner.invoke(app, ["classify", "--stamps", str(p), "--model", str(tmp_path / "model"), "-o", str(out),
                              "--threshold", str(thr), "--no-progress"])
    assert res.exit_code == 0, res.output
    t = Table.read(out)
    np.testing.assert_array_equal(np.asarray(t["class_pred"]), np.where(raw >= thr, 1, 2))
    assert t.meta["threshold"] == pytest.approx(thr) and t.meta["positive_class"] == 1
    # a threshold outside [0, 1] is refused before anything is written
    res = runner.invoke(app, ["classify", "--stamps", str(p), "--model", str(tmp_path / "model"),
                              "-o", str(tmp_path / "bad.ecsv"), "--threshold", "7", "--no-progress"])
    assert res.exit_code == 2 and "--threshold" in res.output and not (tmp_path / "bad.ecsv").exists()


def test_classified_folder_meta_keeps_the_task_merges(tmp_path):
    # classify --stamps to ECSV wrote no eval_merges in the meta: evaluate of a three-class
    # output with a cluster/galaxy merge scored the three classes only (mosaics kept it)
    from starclass.evaluate.compare import evaluate_catalogs

    p = _make_csv_folder(tmp_path / "data")
    cfg = get_preset("m31-real", stamp_size=16, classes=[1, 2, 3], class_names=["gc", "ext", "gal"],
                     label_map={"cluster": 1, "extended_cluster": 2, "galaxy": 3},
                     eval_merges={"binary": {"cluster": [1, 2], "galaxy": [3]}}, positive_class=None,
                     recipe={"epochs": 1, "batch_size": 16, "val_fraction": 0.25})
    task = save_config(cfg, tmp_path / "three.yaml")
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(p), "-o", str(tmp_path / "model"),
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    out = tmp_path / "out.ecsv"
    res = runner.invoke(app, ["classify", "--stamps", str(p), "--model", str(tmp_path / "model"), "-o", str(out),
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    ev = evaluate_catalogs(out, label_column="label", n_boot=0)
    assert ev.task.source == "meta"
    merges = {r.merge: r for r in ev.comparisons[0].results}
    assert "binary" in merges
    from astropy.table import Table

    t = Table.read(out)
    ref = np.where(np.asarray(t["label"]) == "galaxy", 2, 1)
    pred = np.where(np.asarray(t["class_pred"]) == 3, 2, 1)
    assert merges["binary"].accuracy == pytest.approx(np.mean(ref == pred))


def test_cli_a_folder_labelled_in_part_is_classified_and_evaluated_on_its_labels(tmp_path):
    # classify --stamps refused the whole folder ("row 3: empty 'label'") though the label
    # column is optional there; evaluate refused the output's empty cells ("row 3 has no label")
    from astropy.table import Table
    from sklearn.metrics import accuracy_score

    p = _make_csv_folder(tmp_path / "data")
    task = _task(tmp_path)
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(p), "-o", str(tmp_path / "model"),
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    _rewrite(p, lambda rows: [dict(r, label="") if i % 4 == 2 else r for i, r in enumerate(rows)])
    # training still needs every label
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(p), "-o", str(tmp_path / "m2"),
                              "--no-progress"])
    assert res.exit_code == 2 and "row 3 (line 4" in res.output and "empty 'label'" in res.output
    out = tmp_path / "out.csv"
    res = runner.invoke(app, ["classify", "--stamps", str(p), "--model", str(tmp_path / "model"), "-o", str(out),
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "7 unlabelled" in res.output
    t = Table.read(out, format="ascii.csv")
    unlabelled = np.arange(len(t)) % 4 == 2
    assert np.all(np.asarray(t["class_ref"])[unlabelled] == 0) and np.all(np.asarray(t["class_ref"])[~unlabelled] > 0)
    res = runner.invoke(app, ["evaluate", str(out), "--label-column", "label", "-o", str(tmp_path / "ev"),
                              "--bootstrap", "0", "--no-science"])
    assert res.exit_code == 0, res.output
    labels = np.asarray(t["label"].filled("") if hasattr(t["label"], "filled") else t["label"]).astype(str)
    y = np.array([{"cluster": 1, "extended_cluster": 1, "galaxy": 2}[s] for s in labels[~unlabelled]])
    acc = accuracy_score(y, np.asarray(t["class_pred"])[~unlabelled])
    # the CSV's model (m31-real's task) reads the objects from object_id: the rows are 21, their objects fewer
    # (since 2026-12-05; "(21 objects)" before, tests/test_grouped_bootstrap.py)
    objects = len(set(np.asarray(t["object_id"]).astype(str)[~unlabelled]))
    assert objects < 21
    assert f"2class: accuracy {acc:.3f}" in res.output and f"(21 rows of {objects} objects)" in res.output
    res = runner.invoke(app, ["info", str(p)])
    assert res.exit_code == 0 and "(none: classify only) 7" in res.output


def test_cli_classify_stamps_to_fits_names_a_non_ascii_file_name(tmp_path):
    # a folder "Ströme/" ended, after the whole classification, in "cannot write catalogue
    # out.fits: UnicodeEncodeError: 'ascii' codec can't encode character '\\xf6' in position 3"
    p = _make_csv_folder(tmp_path / "data")
    task = _task(tmp_path)
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(p), "-o", str(tmp_path / "model"),
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    (tmp_path / "data" / "galaxy").rename(tmp_path / "data" / "Ströme")
    _rewrite(p, lambda rows: [dict(r, file=r["file"].replace("galaxy/", "Ströme/")) for r in rows])
    out = tmp_path / "out.fits"
    res = runner.invoke(app, ["classify", "--stamps", str(p), "--model", str(tmp_path / "model"), "-o", str(out),
                              "--no-progress"])
    assert res.exit_code == 2 and "column 'file' row 3" in res.output and "Ströme/obj001_0.png" in res.output
    assert ".ecsv" in res.output and "Traceback" not in res.output and not out.exists()
    res = runner.invoke(app, ["classify", "--stamps", str(p), "--model", str(tmp_path / "model"),
                              "-o", str(tmp_path / "out.ecsv"), "--no-progress"])
    assert res.exit_code == 0, res.output


def test_cli_classify_stamps_to_fits_keeps_the_model_column(tmp_path):
    # a FITS output had no 'model' column (CSV has it) and its header kept no classes or label
    # map: evaluate OUT.fits --label-column label said "task '(unnamed)' has no label_map"
    from astropy.table import Table

    p = _make_csv_folder(tmp_path / "data")
    model = tmp_path / "model"
    res = runner.invoke(app, ["train", "--task", str(_task(tmp_path)), "--stamps", str(p), "-o", str(model),
                              "--no-progress", "--epochs", "1"])
    assert res.exit_code == 0, res.output
    out = tmp_path / "out.fits"
    res = runner.invoke(app, ["classify", "--stamps", str(p), "--model", str(model), "-o", str(out), "--no-progress"])
    assert res.exit_code == 0, res.output
    assert set(Table.read(out)["model"].tolist()) == {str(model.resolve())}
    res = runner.invoke(app, ["evaluate", str(out), "--label-column", "label", "--bootstrap", "0",
                              "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    # the FITS output keeps the task in its meta (SC_META card) since 2026-12-04; the model column before
    assert "(from meta)" in res.output
    # a model path FITS cannot hold: said, and the table is still written
    odd = tmp_path / "Ströme"
    model.rename(odd)
    res = runner.invoke(app, ["classify", "--stamps", str(p), "--model", str(odd), "-o", str(tmp_path / "o2.fits"),
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "is not ASCII" in res.output and "model" not in Table.read(tmp_path / "o2.fits").colnames
    # the meta still carries the task (SC_META): no --model needed to evaluate it
    res = runner.invoke(app, ["evaluate", str(tmp_path / "o2.fits"), "--label-column", "label", "--bootstrap", "0",
                              "-o", str(tmp_path / "ev2")])
    assert res.exit_code == 0 and "(from meta)" in res.output, res.output


def test_cv_folds_keep_each_group_in_one_fold():
    from starclass.learn.crossval import cv_folds

    rng = np.random.default_rng(1)
    groups = rng.integers(0, 40, 120).astype(str)
    target = np.array([int(g) % 2 for g in groups])
    target[:3] = -1  # rows without a class are in no fold
    folds = cv_folds(5, target, seed=2, groups=groups)
    rows = np.concatenate([r for _, r in folds])
    assert sorted(rows.tolist()) == list(range(3, 120))
    fold_of = {}
    for name, r in folds:
        for g in set(groups[r].tolist()):
            assert fold_of.setdefault(g, name) == name, f"group {g} in folds {fold_of[g]} and {name}"
    with pytest.raises(StarclassError, match="groups"):
        cv_folds(5, np.array([0, 1] * 5), groups=np.array(list("aabbccaabb")))


def test_cli_cv_on_a_folder_with_several_cutouts_per_object(tmp_path):
    # the PAndAS folder (869 cutouts of 755 objects) was refused: "--cv on a cutout folder needs
    # one cutout per group"; the folds now keep every object whole
    p = _make_csv_folder(tmp_path / "data", n_objects=24, twice=6)
    cfg = get_preset("m31-real", stamp_size=16, recipe={"epochs": 1, "batch_size": 16, "val_fraction": 0.25})
    task = save_config(cfg, tmp_path / "task.yaml")
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(p), "--group-column", "object_id",
                              "--cv", "3", "-o", str(tmp_path / "cv"), "--no-progress"])
    assert res.exit_code == 0, res.output
    from astropy.table import Table

    t = Table.read(tmp_path / "cv" / "cv_predictions.ecsv")
    assert len(t) == 30
    # each row's object under the folder's own column name (object_id; it was 'group' until 2026-12-07, which
    # inspect --stamps of suggest --check-labels' list, reading the task's object_id, did not find)
    assert "group" not in t.colnames
    for g in np.unique(t["object_id"]):
        assert np.unique(t["fold"][t["object_id"] == g]).size == 1
    # the object of each file, as in the CSV
    assert all(str(gr) == f"OBJ-{int(str(f).split('obj')[1][:3])}" for f, gr in zip(t["file"], t["object_id"]))
    # every fold model records its training cutouts' size (classify --stamps compares with it)
    from starclass.learn.checkpoint import read_manifest

    folds = sorted((tmp_path / "cv").glob("fold_*"))
    assert len(folds) == 3
    assert all(read_manifest(f).get("training_cutouts") == {"height": 24, "width": 24, "channels": 1,
                                                             "label_column": "label", "group_column": "object_id"}
               for f in folds)
    # and the held-out predictions name their object column: evaluate resamples whole objects
    # under the column the list names them by (it was 'group'), so that one name means one thing
    assert t.meta["group_column"] == "object_id" and "group" not in t.colnames


def test_a_cv_folder_is_named_as_one_by_info_and_where_a_model_is_asked_for(tmp_path):
    # the Commands of docs/real_images.md train `--cv 5 -o m31_cv5`; `info m31_cv5` then said "no
    # catalogue could be read in m31_cv5 (looked for .tab, ...)" and `classify --model m31_cv5`
    # "no manifest.json (not a starclass model directory)": neither said it is a folder of fold models
    p = _make_csv_folder(tmp_path / "data", n_objects=16, twice=4)
    cfg = get_preset("m31-real", stamp_size=16, recipe={"epochs": 1, "batch_size": 16, "val_fraction": 0.25})
    task = save_config(cfg, tmp_path / "task.yaml")
    cv = tmp_path / "cv"
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(p), "--cv", "2", "-o", str(cv),
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    import json

    summary = json.loads((cv / "cv_summary.json").read_text())
    res = runner.invoke(app, ["info", str(cv)])
    assert res.exit_code == 0, res.output
    assert f"cross-validation folder {cv} (train --cv): 2 fold models, fold_1 .. fold_2" in res.output
    assert f"pooled over {summary['pooled']['n']} held-out rows: accuracy {summary['pooled']['accuracy']:.3f}" \
        in res.output, res.output
    assert f"starclass info {cv / 'fold_1'}" in res.output
    import typer

    assert "a 'train --cv' folder" in " ".join(typer.main.get_command(app).commands["info"].help.split())
    out = tmp_path / "c.csv"
    for args in (["classify", "--stamps", str(p), "--model", str(cv), "-o", str(out)],
                 ["calibrate", str(cv), "--stamps", str(p)]):
        res = runner.invoke(app, args)
        assert res.exit_code == 2, (args, res.output, res.exception)
        assert "is a cross-validation folder (train --cv)" in res.output, res.output
        assert f"give one fold's model ({cv / 'fold_1'})" in res.output, res.output
        assert not out.exists()


def test_cv_predictions_carry_the_task_so_evaluate_scores_its_merges(tmp_path):
    # `evaluate cv5/cv_predictions.ecsv` (the honest, held-out figures of docs/real_images.md) said
    # "task (unnamed): classes [1, 2, 3] ... (from probabilities)": no class names, and a task's
    # merge (five.yaml's clusters against galaxies) was not scored
    p = _make_csv_folder(tmp_path / "data", n_objects=48, twice=4)  # 8 extended objects: 2 folds, each split
    cfg = get_preset("m31-real", name="m31-three", stamp_size=16, classes=[1, 2, 3],
                     class_names=["cluster", "extended", "galaxy"],
                     label_map={"cluster": 1, "extended_cluster": 2, "galaxy": 3},
                     eval_merges={"binary": {"cluster": [1, 2], "galaxy": [3]}}, positive_class=None,
                     recipe={"epochs": 1, "batch_size": 16, "val_fraction": 0.25})
    task = save_config(cfg, tmp_path / "three.yaml")
    cv = tmp_path / "cv"
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(p), "--cv", "2", "-o", str(cv),
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["evaluate", str(cv / "cv_predictions.ecsv"), "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    assert "task m31-three: classes 1 (cluster), 2 (extended), 3 (galaxy)" in res.output, res.output
    assert "(from meta)" in res.output, res.output
    assert "  binary: accuracy" in res.output, res.output
    from astropy.table import Table

    t = Table.read(cv / "cv_predictions.ecsv")
    # the binary merge by hand: clusters (1, 2) against galaxies (3)
    acc = np.mean([(r == 3) == (q == 3) for r, q in zip(t["class_ref"], t["class_pred"])])
    assert f"binary: accuracy {acc:.3f}" in res.output, res.output


def test_cli_info_summarises_a_cutout_folder(tmp_path):
    # `starclass info labels.csv` on the PAndAS folder failed: "required column 'id' missing"
    data = tmp_path / "data"
    p = _make_csv_folder(data)  # 24 objects, the first 4 with two cutouts: 28 rows
    with open(p, newline="") as fh:
        rows = list(csv.DictReader(fh))
    _write(data / rows[5]["file"], np.full((24, 24), 0.5), "png8")  # row 6 blank
    res = runner.invoke(app, ["info", str(p)])
    assert res.exit_code == 0, res.output
    assert "cutouts: 28, images 1 x 24 x 24" in res.output
    counts = {lab: sum(r["label"] == lab for r in rows) for lab in ("cluster", "extended_cluster", "galaxy")}
    assert "labels: " + ", ".join(f"{k} {v}" for k, v in counts.items()) in res.output
    assert "object_id 24" in res.output and "file 28" in res.output
    assert f"blank (constant) images: 1 (row 6 {rows[5]['file']})" in res.output
    # what each command does with them (train and calibrate leave them out, as classify does)
    assert "classify leaves them unclassified (class_pred 0); train and calibrate leave them out" \
        in res.output.replace("\n", " ")
    # the folder holding labels.csv reads the same; without it, as one sub-folder per label
    assert runner.invoke(app, ["info", str(data)]).output == res.output
    p.unlink()
    res = runner.invoke(app, ["info", str(data)])
    assert res.exit_code == 0 and "one sub-folder per label" in res.output and "cutouts: 28" in res.output
    # a bad image is named as train and classify name it
    (data / rows[2]["file"]).write_bytes(b"not an image")
    res = runner.invoke(app, ["info", str(data)])
    assert res.exit_code == 2 and rows[2]["file"] in res.output and "Traceback" not in res.output
    # fields in sub-folders (mosaics beside their catalogue, as simulate --fields writes) are not cutouts
    field = tmp_path / "fields" / "f1"
    _write(field / "f555w.fits", np.zeros((8, 8)), "fits")
    from astropy.table import Table

    Table({"id": [1], "x": [1.0], "y": [1.0]}).write(field / "truth.ecsv")
    assert "cutout folder" not in runner.invoke(app, ["info", str(tmp_path / "fields")]).output


def test_cli_info_reads_an_imagefolder_with_text_notes(tmp_path):
    # a README.txt beside the label folders (or notes.txt in one) made info answer "no catalogue
    # could be read" while train and classify --stamps read the folder as it is
    _make_csv_folder(tmp_path)
    (tmp_path / "labels.csv").unlink()
    (tmp_path / "README.txt").write_text("cutouts from our survey, g band\n")
    (tmp_path / "galaxy" / "notes.txt").write_text("two of these may be stars\n")
    res = runner.invoke(app, ["info", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert "one sub-folder per label" in res.output and "cutouts: 28" in res.output
    # a folder with neither catalogues nor images keeps the catalogue reader's message
    (tmp_path / "other" / "sub").mkdir(parents=True)
    (tmp_path / "other" / "sub" / "a.txt").write_text("x\n")
    res = runner.invoke(app, ["info", str(tmp_path / "other")])
    assert res.exit_code == 2 and "no catalogue could be read" in res.output


def test_cli_info_reads_a_plain_folder_of_images_with_a_notes_file(tmp_path):
    # a notes.txt beside loose PNGs (a README.txt passed) made info answer "no catalogue could be
    # read in new", while classify --stamps reads the folder as unlabelled cutouts
    rng = np.random.default_rng(5)
    for k in range(3):
        _write(tmp_path / "new" / f"o{k}.png", _blob(rng, "cluster"), "png8")
    (tmp_path / "new" / "notes.txt").write_text("seeing 0.7 arcsec tonight\n")
    res = runner.invoke(app, ["info", str(tmp_path / "new")])
    assert res.exit_code == 0, res.output
    assert "(images without labels)" in res.output and "cutouts: 3" in res.output
    # a table beside them keeps the folder a folder of catalogues
    ecsv = "# %ECSV 1.0\n# ---\n# datatype:\n# - {name: a, datatype: int64}\na\n1\n"
    (tmp_path / "new" / "cat.ecsv").write_text(ecsv)
    res = runner.invoke(app, ["info", str(tmp_path / "new")])
    assert "(images without labels)" not in res.output


def test_cli_train_names_a_missing_label_column(tmp_path):
    # "no label column: the cutouts need labels" named neither the column asked for nor those there
    p = _make_csv_folder(tmp_path / "data")
    res = runner.invoke(app, ["train", "--task", str(_task(tmp_path)), "--stamps", str(p), "--label-column", "klass",
                              "-o", str(tmp_path / "model"), "--no-progress"])
    assert res.exit_code == 2
    assert "no label column 'klass' (--label-column); columns: file, label, object_id, ra" in res.output
    assert not (tmp_path / "model").exists()


def test_train_help_says_what_label_column_means_for_a_cutout_folder():
    # train --help said only "Column with the reference class (1-4; 0 = none) [default:
    # class_ref]", while a cutout folder's labels are strings read from 'label'
    import typer.main

    cmd = typer.main.get_command(app).commands["train"]
    text = next(p.help for p in cmd.params if "--label-column" in p.opts)
    assert "cutout folder" in text and "label strings" in text and "default there: label" in text


def test_cli_calibrate_takes_the_label_column_of_a_cutout_folder(tmp_path):
    # calibrate --stamps ignored --label-column: labels in any column but 'label' were "no labels"
    p = _make_csv_folder(tmp_path / "data")
    model = tmp_path / "model"
    res = runner.invoke(app, ["train", "--task", str(_task(tmp_path)), "--stamps", str(p), "-o", str(model),
                              "--no-progress", "--epochs", "1"])
    assert res.exit_code == 0, res.output
    p.write_text(p.read_text().replace("file,label,", "file,klass,", 1))
    # the training folder itself, for brevity: calibrate refuses its rows without --allow-training-rows
    res = runner.invoke(app, ["calibrate", str(model), "--stamps", str(p), "--label-column", "klass", "--overwrite",
                              "--allow-training-rows"])
    assert res.exit_code == 0, res.output
    assert "calibrated" in res.output and "on 28 rows" in res.output
    res = runner.invoke(app, ["calibrate", str(model), "--stamps", str(p), "--overwrite"])
    assert res.exit_code == 2 and "no label column 'label'" in res.output and "klass" in res.output


def test_cli_calibrate_leaves_out_blank_cutouts_as_classify_does(tmp_path):
    # calibrate --stamps fitted the calibration on blank (constant) cutouts too, which classify
    # never gives probabilities (class_pred 0): the PAndAS folder has two such
    p = _make_csv_folder(tmp_path / "data")
    model = tmp_path / "model"
    res = runner.invoke(app, ["train", "--task", str(_task(tmp_path)), "--stamps", str(p), "-o", str(model),
                              "--no-progress", "--epochs", "1"])
    assert res.exit_code == 0, res.output
    rows = p.read_text().splitlines()[1:]
    blank_row = 5
    _write(p.parent / rows[blank_row - 1].split(",")[0], np.full((24, 24), 0.5), "png8")
    res = runner.invoke(app, ["calibrate", str(model), "--stamps", str(p), "--overwrite", "--allow-training-rows"])
    assert res.exit_code == 0, res.output
    # since 2026-12-07 named with its line and file, as train and the cutout list's errors name a row
    assert (f"1 of the 28 labelled calibration rows of {p} is a blank (constant) image: row {blank_row} (line "
            f"{blank_row + 1} of the file), file " in " ".join(res.output.split())), res.output
    assert "on 27 rows" in res.output
    out = tmp_path / "out.csv"
    res = runner.invoke(app, ["classify", "--stamps", str(p), "--model", str(model), "-o", str(out), "--no-progress"])
    assert res.exit_code == 0, res.output
    from astropy.table import Table

    # the same row is the one classify leaves unclassified
    assert np.flatnonzero(np.asarray(Table.read(out)["class_pred"]) == 0).tolist() == [blank_row - 1]


def test_cli_train_rerun_that_trains_nothing_keeps_calibration_and_threshold(tmp_path):
    # rerunning the same train command said "kept MODEL unchanged" but rewrote the manifest:
    # the calibration fitted with `starclass calibrate` became a validation-split one again and
    # a --target-purity threshold was dropped
    import json

    from starclass.learn.checkpoint import set_tuned_threshold

    p = _make_csv_folder(tmp_path / "data")
    model = tmp_path / "model"
    argv = ["train", "--task", str(_task(tmp_path)), "--stamps", str(p), "-o", str(model), "--no-progress",
            "--epochs", "1"]
    assert runner.invoke(app, argv).exit_code == 0
    # the training folder itself, for brevity: calibrate refuses its rows without --allow-training-rows
    res = runner.invoke(app, ["calibrate", str(model), "--stamps", str(p), "--overwrite", "--allow-training-rows"])
    assert res.exit_code == 0, res.output
    set_tuned_threshold(model, {"threshold": 0.37, "target_purity": 0.9})
    before = (model / "manifest.json").read_text()
    res = runner.invoke(app, argv)
    assert res.exit_code == 0 and "kept" in res.output and "calibration kept" in res.output, res.output
    after = json.loads((model / "manifest.json").read_text())
    assert after["calibration"] == json.loads(before)["calibration"]
    assert after["calibration"]["source"] == str(p)
    assert after["tuned_threshold"]["threshold"] == 0.37
    res = runner.invoke(app, ["classify", "--stamps", str(p), "--model", str(model), "-o", str(tmp_path / "o.csv"),
                              "--no-progress"])
    assert res.exit_code == 0 and f"held-out rows: {p}" in res.output, res.output


def test_cli_bad_input_exits_2_and_writes_nothing(tmp_path):
    p = _make_csv_folder(tmp_path / "data")
    _rewrite(p, lambda rows: [dict(r, label="star") if i == 3 else r for i, r in enumerate(rows)])
    res = runner.invoke(app, ["train", "--task", str(_task(tmp_path)), "--stamps", str(p),
                              "-o", str(tmp_path / "model"), "--no-progress"])
    assert res.exit_code == 2
    assert "row 4" in res.output and "star" in res.output
    assert not (tmp_path / "model").exists()
    (tmp_path / "data/galaxy/obj005_0.png").unlink()
    res = runner.invoke(app, ["classify", "--stamps", str(p), "--model", str(tmp_path / "nomodel"),
                              "-o", str(tmp_path / "out.csv"), "--no-progress"])
    assert res.exit_code == 2 and not (tmp_path / "out.csv").exists()


# ----------------------------------------------------------------------------- the real folder


@pytest.mark.skipif(PANDAS is None, reason="../shared/data/pandas-m31 is not available")
def test_real_pandas_folder():
    cs = read_cutout_folder(PANDAS / "labels.csv", group_column="object_id")
    assert len(cs) == 869 and np.unique(cs.groups).size == 755
    assert cs.images.shape == (869, 1, 128, 128)
    classes = label_classes(cs, get_preset("m31-real").label_map)
    assert int((classes == 1).sum()) == 476 and int((classes == 2).sum()) == 393
    folds = group_folds(classes, cs.groups, 5, seed=0)
    for g in np.unique(cs.groups):
        assert np.unique(folds[cs.groups == g]).size == 1
    # the directory form reads the same CSV
    assert len(read_cutout_folder(PANDAS)) == 869



def test_cli_train_init_from_fine_tunes_and_refuses_a_mismatched_model(tmp_path):
    p = _make_csv_folder(tmp_path / "data")
    task = _task(tmp_path)
    base = ["train", "--task", str(task), "--stamps", str(p), "--group-column", "object_id", "--no-progress"]
    res = runner.invoke(app, [*base, "-o", str(tmp_path / "sim_model")])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, [*base, "-o", str(tmp_path / "tuned"), "--init-from", str(tmp_path / "sim_model")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "tuned" / "manifest.json").exists()
    # a model of another stamp size cannot seed this task: refused before training, naming it
    other = tmp_path / "other.yaml"
    other.write_text(task.read_text().replace("stamp_size: 16", "stamp_size: 24"))
    assert other.read_text() != task.read_text()
    res = runner.invoke(app, ["train", "--task", str(other), "--stamps", str(p), "--group-column", "object_id",
                              "--no-progress", "-o", str(tmp_path / "bad"), "--init-from",
                              str(tmp_path / "sim_model")])
    assert res.exit_code == 2 and "--init-from / --resume-from" in res.output and "stamp_size" in res.output, res.output
    assert "Traceback" not in res.output


def test_validation_split_of_a_small_set_with_every_class_below_the_fold_count():
    """Nine cutouts of three classes, 10 % validation: scikit-learn's stratified split into ten parts
    refused it (a ValueError traceback from `train --stamps`); now a split with both sides filled."""
    labels = np.repeat([1, 2, 3], 3)
    groups = np.arange(9).astype(str)
    tr, va = group_validation(labels, groups, 0.1, seed=0)
    assert va.size >= 1 and tr.size >= 1
    assert sorted(np.concatenate([tr, va]).tolist()) == list(range(9))


def test_classify_stamps_accuracy_merges_the_labels_into_the_task_classes(tmp_path):
    """A binary task's cutout labels are reference classes (3 and 4 merge into class 2, as
    training merges them): the printed accuracy compared them unmerged and said 0.000."""
    import re

    from astropy.table import Table

    cfg = get_preset("m31-binary-compact", normalisation="zscore")
    model = write_untrained_model(tmp_path / "model", cfg)
    rng = np.random.default_rng(0)
    labels = [1, 3, 2, 4, 3, 1, 4, 3]
    with open(tmp_path / "labels.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file", "label"])
        for i, lab in enumerate(labels):
            np.save(tmp_path / f"s{i}.npy", rng.normal(5.0, 1.0, (2, 56, 56)).astype("f4"))
            w.writerow([f"s{i}.npy", lab])
    out = tmp_path / "out.ecsv"
    res = runner.invoke(app, ["classify", "--stamps", str(tmp_path / "labels.csv"), "--model", str(model),
                              "-o", str(out), "--device", "cpu"])
    assert res.exit_code == 0, res.output
    pred = np.asarray(Table.read(out, format="ascii.ecsv")["class_pred"])
    merged = np.array([{1: 1, 2: 1, 3: 2, 4: 2}[lab] for lab in labels])
    shown = float(re.search(r"accuracy against the labels: ([0-9.]+)", res.output).group(1))
    assert shown == pytest.approx(np.mean(pred == merged), abs=5e-4)


def test_a_stamp_store_given_as_a_cutout_folder_is_named_as_such(tmp_path):
    """``report --stamps stamps.h5`` (the store `starclass cutouts` wrote) failed with "cannot read the
    CSV ('utf-8' codec can't decode byte 0x89 ...)"; it now says what the file is and what to give."""
    h5py = pytest.importorskip("h5py")

    with h5py.File(tmp_path / "stamps.h5", "w") as f:
        f["x"] = np.zeros(3)
    with pytest.raises(StarclassError, match=r"stamps.h5 is an HDF5 stamp store .*--mosaics") as exc:
        read_cutout_folder(tmp_path / "stamps.h5")
    assert "codec" not in str(exc.value)


def test_classify_stamps_with_an_hdf5_file_that_is_no_store_says_what_it_is(tmp_path, tiny_model):
    """``classify --stamps stamps.h5`` said only "give a cutout folder (a .csv or a directory)". A stamp store is
    classified now (tests/test_classify_stamp_store.py); another HDF5 file is named as no store."""
    h5py = pytest.importorskip("h5py")

    model, _ = tiny_model
    with h5py.File(tmp_path / "stamps.h5", "w") as f:
        f["x"] = np.zeros(3)
    res = runner.invoke(app, ["classify", "--stamps", str(tmp_path / "stamps.h5"), "--model", str(model),
                              "-o", str(tmp_path / "out.ecsv"), "--no-progress"])
    text = " ".join(res.output.split())
    assert res.exit_code == 2 and "Traceback" not in text, text
    assert "stamps.h5: not a starclass stamp store" in text, text
    assert not (tmp_path / "out.ecsv").exists()


def test_info_shows_the_training_cutouts_size_of_a_model_trained_on_cutouts(tiny_model):
    # classify --stamps warns of cutouts of another size than the training ones, but info said only
    # "pixel flags of the training stamps: not recorded", so the user could not see what to cut
    model, _ = tiny_model
    res = runner.invoke(app, ["info", str(model)])
    assert res.exit_code == 0, res.output
    assert "training cutouts: 24 x 24 px, 1 channel" in res.output


def test_a_model_loaded_and_saved_again_keeps_its_records(tmp_path, tiny_model):
    # CNNClassifier.load(...).save(...) wrote a manifest without the training cutouts' size and the
    # pixel flags, so classify's warnings about them were lost without a word
    import json
    import shutil

    from starclass.learn.checkpoint import read_manifest
    from starclass.learn.estimator import CNNClassifier
    from starclass.learn.provenance import flags_record

    model, _ = tiny_model
    src = tmp_path / "src"
    shutil.copytree(model, src)
    doc = read_manifest(src)
    doc["pixel_flags"] = flags_record(None)
    (src / "manifest.json").write_text(json.dumps(doc))
    CNNClassifier.load(src).save(tmp_path / "again")
    again = read_manifest(tmp_path / "again")
    # the label and object columns travel too (until 2026-12-05 only the size did: a model saved again read a
    # folder's 'label' instead of the column it learnt, and classify named no objects for evaluate)
    assert again.get("training_cutouts") == {"height": 24, "width": 24, "channels": 1, "label_column": "label",
                                             "group_column": "object_id"}
    assert again.get("pixel_flags") == doc["pixel_flags"]


def test_explain_takes_a_folder_with_labels_the_task_does_not_know(tmp_path, tiny_model):
    # classify --stamps took a folder with the M31 paper's 'star' rows (class_ref 0, a warning), but
    # explain on the same folder was refused: "label 'star' is not known to the task"
    model, data = tiny_model
    p = tmp_path / "labels.csv"
    p.write_text(data.read_text())
    for f in ("cluster", "galaxy", "extended_cluster"):
        (tmp_path / f).symlink_to(data.parent / f)
    _rewrite(p, lambda rows: [dict(r, label="star") if i < 2 else r for i, r in enumerate(rows)])
    res = runner.invoke(app, ["explain", str(model), str(p), "-o", str(tmp_path / "ex")])
    assert res.exit_code == 0, res.output
    assert "'star' (2 rows: 1, 2)" in " ".join(res.output.split())
    # and, as classify --stamps, it warns of cutouts of another size than the training ones
    crops = tmp_path / "crops"
    crops.mkdir()
    rows = ["file,label"]
    with open(data, newline="") as fh:
        for r in list(csv.DictReader(fh))[:4]:
            img = np.asarray(Image.open(data.parent / r["file"]))
            name = r["file"].replace("/", "_")
            Image.fromarray(img[6:18, 6:18]).save(crops / name)
            rows.append(f"{name},{r['label']}")
    (crops / "labels.csv").write_text("\n".join(rows) + "\n")
    res = runner.invoke(app, ["explain", str(model), str(crops / "labels.csv"), "-o", str(tmp_path / "ex2")])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    assert "the cutouts are 12 x 12 px but the model was trained on cutouts of 24 x 24 px" in text


def test_info_on_mosaics_with_a_png_preview_still_describes_the_mosaics(tmp_path):
    # a folder of FITS mosaics with a preview.png beside them was read as a plain folder of cutouts,
    # and info failed ("field_f555w.fits: image of 120 x 100 px ... is not square", exit 2)
    rng = np.random.default_rng(0)
    for band in ("f555w", "f814w"):
        hdr = fits.Header({"FILTER": band.upper(), "PHOTFLAM": 1e-19, "PHOTPLAM": 5000.0})
        fits.writeto(tmp_path / f"field_{band}.fits", rng.normal(0, 1, (120, 100)).astype(np.float32), hdr)
    Image.fromarray(np.zeros((50, 60), np.uint8)).save(tmp_path / "preview.png")
    res = runner.invoke(app, ["info", str(tmp_path)])
    assert res.exit_code == 0 and "mosaics: 2 bands" in res.output, res.output


def test_a_linked_csv_whose_files_lie_beside_its_target_says_so(tmp_path):
    # labels.csv linked into a work folder: every row was "no such file (work/cluster/...)", without
    # a word that the cutouts lie beside the file the link points to
    p = _make_csv_folder(tmp_path / "data")
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "labels.csv").symlink_to(p)
    with pytest.raises(StarclassError, match="no such file") as err:
        read_cutout_folder(tmp_path / "work" / "labels.csv")
    assert f"is a link to {p.resolve()}" in str(err.value) and f"give {p.resolve()} itself" in str(err.value)
    res = runner.invoke(app, ["info", str(tmp_path / "work" / "labels.csv")])
    assert res.exit_code == 2 and "is a link to" in res.output
    # a linked folder reads as it is
    (tmp_path / "linked").symlink_to(tmp_path / "data")
    assert read_cutout_folder(tmp_path / "linked").images.shape[0] == read_cutout_folder(p).images.shape[0]


def test_an_all_nan_fits_cutout_is_blank_not_the_end_of_the_run(tmp_path, tiny_model):
    # one FITS cutout off the chip (every pixel NaN) refused the whole folder ("every pixel is NaN
    # or infinite", exit 2) for info, train and classify, while a constant one is left unclassified
    model, _ = tiny_model
    p = _make_csv_folder(tmp_path / "data", n_objects=12, twice=0, fmt="fits")
    with open(p, newline="") as fh:
        first = next(csv.DictReader(fh))["file"]
    fits.writeto(p.parent / first, np.full((24, 24), np.nan, np.float32), overwrite=True)
    res = runner.invoke(app, ["info", str(p)])
    assert res.exit_code == 0, res.output
    # said as having no data (it is all NaN), not as a constant image
    assert f"images with no data (all NaN): 1 (row 1 {first})" in res.output and "nan .. nan" not in res.output
    out = tmp_path / "out.csv"
    res = runner.invoke(app, ["classify", "--stamps", str(p), "--model", str(model), "-o", str(out), "--no-progress"])
    assert res.exit_code == 0, res.output
    from astropy.table import Table

    t = Table.read(out, format="ascii.csv")
    assert t["class_pred"][0] == 0 and set(t["class_pred"][1:]) <= {1, 2}


def test_classify_into_an_imagefolders_labels_csv_says_why_not(tmp_path, tiny_model):
    # -o DATA/labels.csv on an ImageFolder directory was refused as "one of the command's inputs
    # (DATA/labels.csv)", a file that does not exist; the reason is that it would replace the label folders
    model, _ = tiny_model
    p = _make_csv_folder(tmp_path / "data", n_objects=4, twice=0)
    p.unlink()
    res = runner.invoke(app, ["classify", "--stamps", str(p.parent), "--model", str(model), "-o", str(p)])
    assert res.exit_code == 2 and "in place of its label sub-folders" in res.output, res.output
    assert "one of the command's inputs" not in res.output and not p.exists()


def test_a_capitalised_file_column_is_named_as_the_case_it_differs_in(tmp_path):
    # a spreadsheet's 'File,Label' header: "no 'file' column ... columns: ['File', 'Label']" without
    # saying that the names are matched with their case
    p = _make_csv_folder(tmp_path / "data", n_objects=2, twice=0)
    text = p.read_text().splitlines()
    p.write_text("\n".join(["File,label,object_id,ra", *text[1:]]) + "\n")
    with pytest.raises(StarclassError, match="rename 'File' to 'file'"):
        read_cutout_folder(p)


def test_cli_train_points_to_a_capitalised_label_column(tmp_path):
    # a 'Label' header: train said "no label column 'label' ... columns: file, Label, ..." while
    # classify --stamps on the same folder points to --label-column Label
    p = _make_csv_folder(tmp_path / "data", n_objects=4, twice=0)
    text = p.read_text().splitlines()
    p.write_text("\n".join(["file,Label,object_id,ra", *text[1:]]) + "\n")
    res = runner.invoke(app, ["train", "--task", str(_task(tmp_path)), "--stamps", str(p), "-o",
                              str(tmp_path / "model"), "--no-progress"])
    assert res.exit_code == 2 and "give --label-column Label" in res.output, res.output
    assert not (tmp_path / "model").exists()


def test_classify_with_a_task_of_class_numbers_takes_a_folder_labelled_by_name(tmp_path):
    # an open-globular model (labels are class numbers, no label_map) refused a folder with 'open' and
    # 'globular' sub-folders whole ("not a class number"), while an m31-real model classifies rows of
    # labels it does not know (class_ref 0, with a warning)
    cfg = get_preset("m31-real", stamp_size=16, label_map={}, recipe={"epochs": 1, "batch_size": 16,
                                                                      "val_fraction": 0.25})
    task = save_config(cfg, tmp_path / "numbers.yaml")
    p = _make_csv_folder(tmp_path / "data", n_objects=8, twice=0)
    _rewrite(p, lambda rows: [dict(r, label="2" if r["label"] == "galaxy" else "1") for r in rows])
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(p), "-o", str(tmp_path / "m"),
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    _rewrite(p, lambda rows: [dict(r, label="galaxy" if r["label"] == "2" else "cluster") for r in rows])
    out = tmp_path / "out.csv"
    res = runner.invoke(app, ["classify", "--stamps", str(p), "--model", str(tmp_path / "m"), "-o", str(out),
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "those whose label the task does not know get class_ref 0" in res.output
    from astropy.table import Table

    t = Table.read(out, format="ascii.csv")
    assert len(t) == 8 and set(t["class_ref"]) == {0} and set(t["class_pred"]) <= {1, 2}
    # train still refuses them
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(p), "-o", str(tmp_path / "m2"),
                              "--no-progress"])
    assert res.exit_code == 2 and "is not a class number" in res.output


@pytest.mark.parametrize("command", ["calibrate", "explain"])
def test_calibrate_and_explain_point_to_a_capitalised_label_column(tiny_model, tmp_path, command):
    # a 'Label' header: train and classify --stamps point to --label-column Label (cd4ae61); calibrate
    # and explain said only "no label column 'label'" and listed the columns
    model, p = tiny_model
    text = p.read_text().splitlines()
    caps = p.parent / "caps.csv"
    caps.write_text("\n".join([text[0].replace("label", "Label", 1), *text[1:]]) + "\n")
    args = (["calibrate", str(model), "--stamps", str(caps), "--overwrite"] if command == "calibrate" else
            ["explain", str(model), str(caps), "-o", str(tmp_path / "ex"), "--label-column", "label"])
    res = runner.invoke(app, args)
    out = " ".join(res.output.split())
    assert res.exit_code == 2 and "no label column 'label'" in out, out
    assert "column 'Label' may hold the labels: give --label-column Label" in out, out


def test_classify_warns_of_cutouts_of_another_size_than_a_mosaic_trained_models_stamps(tmp_path, tiny_model):
    # a model trained on stamps cut from mosaics has no training-cutouts record, and classify --stamps
    # squeezed cutouts of any size to its stamp_size without a word (64 px cutouts for a 16 px model)
    import json
    import shutil

    model, p = tiny_model
    plain = tmp_path / "model"
    shutil.copytree(model, plain)
    doc = json.loads((plain / "manifest.json").read_text())
    del doc["training_cutouts"]  # as train writes it for stamps cut from mosaics
    (plain / "manifest.json").write_text(json.dumps(doc))
    res = runner.invoke(app, ["classify", "--stamps", str(p), "--model", str(plain), "-o",
                              str(tmp_path / "out.csv"), "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "the cutouts are 24 x 24 px but" in res.output and "takes 16 x 16 px stamps" in res.output
    assert "look 0.67 times as large" in res.output and (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("from_file", [True, False])
def test_train_unknown_label_names_the_task_file_or_preset_it_came_from(tmp_path, from_file):
    """train --task mine.yaml --stamps with a 'star' label said 'my_task.yaml holding extends: <the task
    file you trained with>', a placeholder where the file given to --task was known; it now gives the
    label_map to put in that file, named. A preset is named in 'extends:' (as before)."""
    p = _make_csv_folder(tmp_path / "data", n_objects=8, twice=0)
    _rewrite(p, lambda rows: [dict(r, label="star") if i == 2 else r for i, r in enumerate(rows)])
    if from_file:
        task = tmp_path / "mine.yaml"
        task.write_text("extends: m31-real\nstamp_size: 16\n")
    else:
        task = "m31-real"
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(p), "-o", str(tmp_path / "m"),
                              "--no-progress", "--epochs", "1"])
    assert res.exit_code == 2, res.output
    assert "'star' (row 3)" in res.output and "<the task file" not in res.output
    if from_file:
        assert f"put this one in {task} (it replaces the one there)" in res.output
        assert f"then --task {task} " in res.output
    else:
        assert "extends: m31-real" in res.output
    assert not (tmp_path / "m").exists()


def test_a_refused_zero_label_is_not_called_no_class():
    """train/calibrate refusing label '0' (task without a label_map) said 'reads labels as its class
    numbers (0: no class)', as if 0 were accepted, in the message refusing it; it now says which
    numbers are taken. classify (allow_unknown) still reads the 0 as no reference class."""
    from starclass.io.cutout_folders import CutoutSet

    cs = CutoutSet(images=np.zeros((2, 1, 4, 4), np.float32), table=None, files=["a.png", "b.png"],
                   labels=np.array(["0", "1"]), groups=np.array(["a", "b"]))
    cfg = get_preset("m31-real", label_map={})
    with pytest.raises(StarclassError) as exc:
        label_classes(cs, {}, config=cfg)
    assert "0: no class" not in str(exc.value)
    assert "reads labels as its class numbers and takes only 1, 2" in str(exc.value)
    assert label_classes(cs, {}, config=cfg, allow_unknown=True).tolist() == [0, 1]


def test_a_file_the_folder_does_not_list_is_named_as_written():
    # report OUT.csv --stamps OTHER.csv said "row 1 has file np.str_('/work/.../cutout_m248_....png'), which
    # labels.csv does not list": numpy's repr of the cell, not the file name as the user wrote it
    from astropy.table import Table

    from starclass.io.cutout_folders import CutoutSet, cutout_rows

    cs = CutoutSet(images=np.zeros((1, 1, 4, 4), np.float32), table=Table(), files=["a.png"], labels=None,
                   groups=np.array(["a"]))
    with pytest.raises(StarclassError) as exc:
        cutout_rows(Table({"file": ["a.png", "/data/b.png"]}), cs)
    assert "row 2 has file '/data/b.png', which" in str(exc.value) and "np.str_" not in str(exc.value), exc.value


def test_calibrate_records_the_held_out_folder_as_an_absolute_path(tmp_path, monkeypatch):
    """``calibrate model --stamps heldout.csv`` recorded 'heldout.csv' as typed: classify, run from another folder,
    said "calibrated ... (24 held-out rows: heldout.csv)", a file of no folder. Now the manifest holds its
    absolute path, and classify names that."""
    import json

    monkeypatch.chdir(tmp_path)
    _make_csv_folder(tmp_path / "data", n_objects=12, twice=0)
    model = write_untrained_model(tmp_path / "model", get_preset("m31-real", stamp_size=16))
    res = runner.invoke(app, ["calibrate", "model", "--stamps", "data/labels.csv", "--no-progress"])
    assert res.exit_code == 0, res.output
    held = tmp_path / "data" / "labels.csv"
    assert json.loads((model / "manifest.json").read_text())["calibration"]["source"] == str(held)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    res = runner.invoke(app, ["classify", "--stamps", str(held), "--model", str(model), "-o", "o.csv", "--no-progress"])
    assert res.exit_code == 0 and f"held-out rows: {held})" in res.output.replace("\n", ""), res.output
