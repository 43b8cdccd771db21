"""FITS/NPY cutouts padded with exact zeros beyond a survey's footprint are said, not reinterpreted.

Survey cutout services (MAST, the Legacy Survey) pad a cutout beyond the footprint with 0.0
when they give no weight map. ``classify --stamps`` read those zeros as sky without a word: a
24 px FITS cutout whose right half was 0.0 (its centre pixel among them) got P(cluster) 0.9999
from a one-epoch model, no ``stamp_no_data``, no warning. The zeros are still data (real data
can be 0), but blocks of them that a mosaic's reader takes for padding (``io.mosaic.zero_padding``)
over a quarter of a cutout are now warned of, by ``classify --stamps`` and ``train --stamps``,
with what to do if they are padding.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from astropy.io import fits
from typer.testing import CliRunner

from conftest import one_band_model, point_source  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.io.cutout_folders import read_cutout_folder
from starclass.learn.config import get_preset
from starclass.learn.cutouts import classify_cutouts

runner = CliRunner()
SIZE = 16
pytestmark = pytest.mark.usefixtures("single_thread")


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    """A one-band model with random weights over 16 px stamps at one scale (the classes do not matter)."""
    return one_band_model(tmp_path_factory.mktemp("m") / "model", SIZE)


def _object(seed: int) -> np.ndarray:
    return point_source(seed, SIZE, sky=5.0)


def _folder(root, pad=0.0):
    """Five FITS cutouts: the right half padded, five top rows padded, one column of 0, sparse counts, clean."""
    root.mkdir()
    a = _object(0)
    a[:, 8:] = pad                       # half the stamp, its centre (8, 8) among them
    b = _object(1)
    b[:5, :] = pad                       # 5 of 16 rows: 31%
    c = _object(2)
    c[:, 0] = 0.0                        # one column: 6%, below the share warned of
    d = np.random.default_rng(3).poisson(0.1, (SIZE, SIZE)).astype("f4")  # X-ray counts: mostly 0, real
    d[8, 8] = 40.0
    for name, img in zip("abcde", (a, b, c, d, _object(4))):
        fits.writeto(root / f"{name}.fits", img)
    (root / "labels.csv").write_text("file,label\n" + "".join(f"{n}.fits,{1 + i % 3}\n" for i, n in enumerate("abcde")))
    return root / "labels.csv"


def test_the_share_by_hand():
    from starclass.stamps.images import cutout_zero_padding_fraction

    img = np.random.default_rng(0).normal(10.0, 1.0, (5, 1, 10, 10)).astype(np.float32)
    img[0, 0, :, 5:] = 0.0                # 50 of 100
    img[1, 0, :5] = 0.0                   # 50 rows' pixels ...
    img[1, 0, :, :5] = 0.0                # ... and 50 columns' (25 shared): 75
    img[2, 0, 2:8, 2:8] = 0.0             # a block inside: 36, padding by the mosaic's rule too
    img[3, 0, :, :4] = 0.0                # 4 columns: narrower than the 5 x 5 squares
    img[4] = np.random.default_rng(1).poisson(0.1, (1, 10, 10))  # photon counts: mostly 0, all sky
    assert cutout_zero_padding_fraction(img).tolist() == [0.5, 0.75, 0.36, 0.0, 0.0]
    nan = img[:4].copy()
    nan[nan == 0] = np.nan                # NaN is no data, not a zero
    assert cutout_zero_padding_fraction(nan).tolist() == [0.0] * 4


def test_classify_stamps_says_so_and_still_reads_them_as_data(model, tmp_path):
    p = _folder(tmp_path / "cut")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = classify_cutouts(read_cutout_folder(p), model, coverage=None)
    said = [" ".join(str(w.message).split()) for w in caught]
    # the old code: classified all five without a word of the zeros
    assert ("2 of 5 cutouts have blocks of exact zeros (as a mosaic without a weight map has beyond its footprint) "
            "covering 31-50% of their pixels (rows 1: a.fits, 2: b.fits): read as data, as every 0 in a cutout is; "
            "if they are a survey's padding, set them to NaN in the files") in " | ".join(said), said
    assert out.meta["n_zero_padding"] == 2
    # not reinterpreted: every cutout classified, no share without data
    assert (np.asarray(out["class_pred"]) > 0).all() and "stamp_no_data" not in out.colnames
    # set to NaN, as the warning says: the centre without data is unclassified, the top rows are counted
    q = _folder(tmp_path / "nan", pad=np.nan)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = classify_cutouts(read_cutout_folder(q), model, coverage=None)
    assert not any("exact zeros" in str(w.message) for w in caught)
    assert out["class_pred"][0] == 0 and float(out["stamp_no_data"][1]) == pytest.approx(5 / 16)


def test_the_cli_says_it(model, tmp_path):
    p = _folder(tmp_path / "cut")
    res = runner.invoke(app, ["classify", "--stamps", str(p), "--model", str(model), "-o", str(tmp_path / "o.csv"),
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    assert "warning: 2 of 5 cutouts have blocks of exact zeros" in text, text


def test_train_stamps_says_so(tmp_path):
    from starclass.learn.config import save_config

    p = _folder(tmp_path / "cut")
    for i in range(7):  # enough rows of each class for a validation split
        fits.writeto(p.parent / f"x{i}.fits", _object(10 + i))
    with open(p, "a") as fh:
        fh.write("".join(f"x{i}.fits,{1 + i % 3}\n" for i in range(7)))
    task = save_config(get_preset("cool-core-compact", stamp_size=SIZE, scales=[1.0]), tmp_path / "task.yaml")
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(p), "-o", str(tmp_path / "m"),
                              "--no-progress", "--epochs", "1"])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    # the old code: trained on the zeros as sky without a word
    assert "2 of 12 cutouts have blocks of exact zeros (as a mosaic without a weight map has beyond its footprint) " \
           "covering 31-50%" in text, text


def test_train_cv_and_info_say_so(tmp_path):
    from starclass.learn.config import save_config

    p = _folder(tmp_path / "cut")
    res = runner.invoke(app, ["info", str(p)])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    # the old code: nothing of the zeros
    assert ("images with blocks of exact zeros (as a mosaic without a weight map has beyond its footprint): 2 (row 1 "
            "a.fits 50%, row 2 b.fits 31%): read as data") in text, text
    for i in range(19):
        fits.writeto(p.parent / f"x{i}.fits", _object(10 + i))
    with open(p, "a") as fh:
        fh.write("".join(f"x{i}.fits,{1 + i % 3}\n" for i in range(19)))
    task = save_config(get_preset("cool-core-compact", stamp_size=SIZE, scales=[1.0]), tmp_path / "task.yaml")
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(p), "-o", str(tmp_path / "cv"),
                              "--no-progress", "--epochs", "1", "--cv", "2"])
    assert res.exit_code == 0, res.output
    assert "2 of 24 cutouts have blocks of exact zeros" in " ".join(res.output.split()), res.output


def test_calibrate_and_explain_say_so(model, tmp_path):
    """calibrate --stamps and explain on a cutout folder name the padded cutouts as classify does."""
    import shutil

    p = _folder(tmp_path / "cut")
    for i in range(13):  # enough labelled rows for a calibration
        fits.writeto(p.parent / f"x{i}.fits", _object(10 + i))
    with open(p, "a") as fh:
        fh.write("".join(f"x{i}.fits,{1 + i % 3}\n" for i in range(13)))
    m = tmp_path / "model"
    shutil.copytree(model, m)
    res = runner.invoke(app, ["calibrate", str(m), "--stamps", str(p)])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    # the old code: fitted the calibration on the zeros as sky without a word
    assert ("warning: 2 of 18 cutouts have blocks of exact zeros (as a mosaic without a weight map has beyond its "
            "footprint) covering 31-50% of their pixels (rows 1: a.fits, 2: b.fits): read as data") in text, text
    res = runner.invoke(app, ["explain", str(model), str(p), "-o", str(tmp_path / "ex"), "--no-progress"])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    # the old code: drew maps of the zeros as sky without a word
    assert "2 of 18 cutouts have blocks of exact zeros" in text and "(rows 1: a.fits, 2: b.fits)" in text, text


def test_a_mixed_size_folder_is_measured_as_read(model, tmp_path):
    """Resampled to the stamp size, a 24 px cutout's 7 padded rows were 4.7 of 16 px: under the 5 x 5 rule."""
    root = tmp_path / "mixed"
    root.mkdir()
    rng = np.random.default_rng(5)
    big = rng.normal(5, 1, (24, 24)).astype("f4")
    big[:7] = 0.0                                 # 7 of 24 rows: 29%
    fits.writeto(root / "big.fits", big)
    for i in range(3):
        fits.writeto(root / f"s{i}.fits", _object(20 + i))
    (root / "labels.csv").write_text("file,label\nbig.fits,1\n" + "".join(f"s{i}.fits,2\n" for i in range(3)))
    from starclass.stamps.images import cutout_resampler

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cs = read_cutout_folder(root / "labels.csv", resample=cutout_resampler(model_config(model)))
        classify_cutouts(cs, model, coverage=None)
    said = " | ".join(" ".join(str(w.message).split()) for w in caught)
    # the old code: info said "row 1 big.fits 29%", classify --stamps nothing
    assert "1 of 4 cutouts has blocks of exact zeros" in said and "covering 29% of its pixels (row 1: big.fits)" \
        in said, said
    res = runner.invoke(app, ["info", str(root / "labels.csv")])
    assert res.exit_code == 0, res.output
    assert "row 1 big.fits 29%" in " ".join(res.output.split()), res.output


def model_config(model):
    from starclass.learn.checkpoint import load_model

    return load_model(model).config
