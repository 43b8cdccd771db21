"""Per-cutout statistics: known answers on synthetic images, and the real PAndAS folder."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from starclass.errors import StarclassError
from starclass.stamps.morphology import STATISTICS, cutout_statistics, folder_statistics, read_cutout

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "pandas-m31"
if not (REAL / "labels.csv").exists():
    # worktrees live one level deeper than the main checkout
    REAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "pandas-m31"


def _gauss(sx, sy=None, x0=64.0, y0=64.0, amp=500.0, noise=2.0, seed=0, size=128):
    sy = sx if sy is None else sy
    yy, xx = np.mgrid[:size, :size]
    img = amp * np.exp(-0.5 * (((xx - x0) / sx) ** 2 + ((yy - y0) / sy) ** 2))
    return img + np.random.default_rng(seed).normal(20.0, noise, img.shape)


def test_round_gaussian_is_round_symmetric_and_has_known_size():
    s = cutout_statistics(_gauss(4.0), saturated=None)
    assert set(STATISTICS) <= set(s)
    assert s["ellipticity"] < 0.05
    assert s["asymmetry"] < 0.05
    # a Gaussian's half-light radius is 1.1774 sigma
    assert s["r50"] == pytest.approx(1.1774 * 4.0, rel=0.1)
    # C = 5 log10(r80 / r20) of a Gaussian: 5 log10(sqrt(ln 5 / ln 1.25)) = 2.15
    assert s["concentration"] == pytest.approx(2.15, abs=0.15)
    assert s["bkg_level"] == pytest.approx(20.0, abs=0.3)
    assert s["bkg_noise"] == pytest.approx(2.0, rel=0.1)
    assert s["flag"] == 0


def test_elongated_gaussian_has_its_ellipticity():
    s = cutout_statistics(_gauss(6.0, 3.0), saturated=None)
    assert s["ellipticity"] == pytest.approx(0.5, abs=0.06)


def test_a_shifted_copy_is_more_asymmetric():
    base = _gauss(4.0)
    yy, xx = np.mgrid[:128, :128]
    lopsided = base + 250.0 * np.exp(-0.5 * (((xx - 71) / 3.0) ** 2 + ((yy - 64) / 3.0) ** 2))
    a0 = cutout_statistics(base, saturated=None)["asymmetry"]
    a1 = cutout_statistics(lopsided, saturated=None)["asymmetry"]
    assert a1 > 0.05 and a1 > 3 * a0


def test_noise_and_saturation_are_measured():
    quiet = cutout_statistics(_gauss(4.0, noise=1.0), saturated=None)["bkg_noise"]
    loud = cutout_statistics(_gauss(4.0, noise=5.0), saturated=None)["bkg_noise"]
    assert loud > 4 * quiet
    img = np.clip(_gauss(4.0), 0, 255).astype(np.uint8)
    assert cutout_statistics(img)["frac_saturated"] > 0


def test_blank_image_has_no_source_and_bad_shape_is_refused():
    s = cutout_statistics(np.random.default_rng(3).normal(0, 1, (64, 64)) * 0 + 5.0, saturated=None)
    assert s["flag"] == 4 and np.isnan(s["concentration"])
    with pytest.raises(StarclassError):
        cutout_statistics(np.zeros((4, 4, 4)))


def test_statmorph_engine_agrees_on_a_round_source():
    pytest.importorskip("statmorph")
    s = cutout_statistics(_gauss(4.0), saturated=None, engine="statmorph")
    assert s["ellipticity"] < 0.1 and s["asymmetry"] < 0.1 and np.isfinite(s["m20"])


def test_folder_statistics_reads_a_labelled_folder(tmp_path):
    (tmp_path / "a").mkdir()
    rows = []
    for i, (lab, sx) in enumerate((("a", 3.0), ("a", 3.5), ("b", 8.0))):
        (tmp_path / lab).mkdir(exist_ok=True)
        img = np.clip(_gauss(sx, seed=i) / 3, 0, 255).astype(np.uint8)
        Image.fromarray(img).save(tmp_path / lab / f"{i}.png")
        rows.append({"file": f"{lab}/{i}.png", "label": lab, "object_id": str(i)})
    with open(tmp_path / "labels.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["file", "label", "object_id"])
        w.writeheader()
        w.writerows(rows)
    t = folder_statistics(tmp_path)
    assert list(t["label"]) == ["a", "a", "b"]
    assert t["r50"][2] > t["r50"][0]
    assert len(folder_statistics(tmp_path / "labels.csv", per_label=1)) == 2
    assert read_cutout(tmp_path / "b" / "2.png").shape == (128, 128)


@pytest.mark.skipif(not (REAL / "labels.csv").exists(), reason="shared/data/pandas-m31 not present")
def test_simulated_cutouts_resemble_the_real_folder():
    """A few dozen cutouts per class: no statistic's KS distance reaches 0.5.

    With 24 against 24 cutouts a KS distance of 0.5 has p ~ 0.004 when the distributions agree,
    so this catches a simulator that has gone wrong (a blank sky gives D ~ 1), not the 0.2
    of the full benchmark (``benchmarks/realism_pandas.py``).
    """
    from scipy.stats import ks_2samp

    from starclass.simulate.cutouts_m31 import CutoutSimConfig, simulate_cutout

    n = 24
    real = folder_statistics(REAL, per_label=n, labels=("cluster", "galaxy"), seed=2)
    cfg = CutoutSimConfig(seed=21)
    for lab in ("cluster", "galaxy"):
        sim = [cutout_statistics(simulate_cutout(cfg, lab, i)[0]) for i in range(n)]
        r = real[real["label"] == lab]
        for k in ("pix_median", "bkg_level", "concentration", "asymmetry", "ellipticity", "r50"):
            a = np.asarray(r[k], float)
            b = np.asarray([x[k] for x in sim], float)
            d = ks_2samp(a[np.isfinite(a)], b[np.isfinite(b)]).statistic
            assert d < 0.5, (lab, k, d)


def test_folder_statistics_reads_a_spreadsheets_semicolon_labels_file(tmp_path):
    """The labels file train and classify read (a European spreadsheet's ';', its 'sep=' line, a
    Windows path) is read here too: it was "needs columns file and label, has file;label"."""
    (tmp_path / "a").mkdir()
    for i, sx in enumerate((3.0, 8.0)):
        Image.fromarray(np.clip(_gauss(sx, seed=i) / 3, 0, 255).astype(np.uint8)).save(tmp_path / "a" / f"{i}.png")
    (tmp_path / "labels.csv").write_text("sep=;\nfile;label\na\\0.png;cluster\na/1.png;galaxy\n", encoding="utf-16")
    t = folder_statistics(tmp_path)
    assert t["file"].tolist() == ["a\\0.png", "a/1.png"] and t["label"].tolist() == ["cluster", "galaxy"]
    assert t["r50"][1] > t["r50"][0]
