"""A sparse image of photon counts without a weight map: its sky's zeros are data, its zero border is padding.

Blocks of at least 5 x 5 exact zeros were read as padding outside a mosaic's footprint for every band without a
weight map. At 0.05 counts/px a 5 x 5 square of sky is all zero with probability exp(-1.25) = 0.29: 81% of a
512 px image was masked and `starclass detect` stopped with "no background box has enough usable pixels".
A counts image's padding is now a square of zeros too large to be its sky (io.mosaic.padding_side).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from astropy.io import fits
from astropy.table import Table
from typer.testing import CliRunner

from conftest import counts_header
from starclass.io.mosaic import ZERO_PADDING_PX, read_mosaics, zero_padding
from test_survey_tile_weights import _model  # tests/ is on sys.path under pytest

SIZE = 256


def _counts(bkg: float, n_src: int = 12, seed: int = 0):
    """A Poisson image of ``bkg`` counts/px with ``n_src`` point sources of 300 counts (2 px FWHM)."""
    rng = np.random.default_rng(seed)
    pos = rng.uniform(70, SIZE - 70, (n_src, 2))  # inside the footprint of _footprint
    yy, xx = np.mgrid[:SIZE, :SIZE]
    lam = np.full((SIZE, SIZE), bkg)
    s2 = (2.0 / 2.3548) ** 2
    for x, y in pos:
        lam += 300.0 / (2 * np.pi * s2) * np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / (2 * s2))
    return rng.poisson(lam).astype(np.float32), pos


def _footprint() -> np.ndarray:
    """An exposure's disc (True = exposed): zeros outside it, as an X-ray mosaic has."""
    yy, xx = np.mgrid[:SIZE, :SIZE]
    return np.hypot(xx - SIZE / 2, yy - SIZE / 2) < 90  # 38 px from the edges: wider than a square of padding


def _write(folder, img) -> None:
    folder.mkdir()
    fits.writeto(folder / "x_f555w.fits", img, counts_header(img.shape))  # no weight map


def _matched(cat: Table, pos: np.ndarray) -> int:
    d = np.hypot(np.asarray(cat["x"])[None] - pos[:, :1], np.asarray(cat["y"])[None] - pos[:, 1:])
    return int((d.min(axis=1) < 2.0).sum())


def _detect(folder, tmp_path):
    from starclass.cli import app

    out = tmp_path / f"{folder.name}.ecsv"
    res = CliRunner().invoke(app, ["detect", str(folder), "-o", str(out), "--no-progress"])
    return res, (Table.read(out) if out.exists() else None)


@pytest.mark.parametrize("bkg", [0.05, 0.3])
def test_a_sparse_counts_image_without_weight_map_is_detected_on(tmp_path, bkg):
    img, pos = _counts(bkg)
    _write(tmp_path / "sky", img)
    res, cat = _detect(tmp_path / "sky", tmp_path)
    # the old code: 'no background box has enough usable pixels' at 0.05, 3% of the sky masked at 0.3
    assert res.exit_code == 0, res.output
    assert "read as padding" not in res.output, res.output
    assert "read as photon counts" in res.output
    assert _matched(cat, pos) == len(pos) and len(cat) <= len(pos) + 1
    assert np.median(cat["bkg"]) == pytest.approx(bkg, rel=0.3)  # the sky's level, its zeros counted
    assert not read_mosaics(tmp_path / "sky").mask("f555w").any()


@pytest.mark.parametrize("bkg", [0.05, 2.0])
def test_the_zero_border_of_a_counts_image_is_still_padding(tmp_path, bkg):
    img, pos = _counts(bkg)
    inside = _footprint()
    _write(tmp_path / "border", np.where(inside, img, 0.0).astype(np.float32))
    with pytest.warns(UserWarning, match="read as padding") as caught:
        pad = read_mosaics(tmp_path / "border").padding("f555w")
    assert "photon-counting image" in str(caught[0].message) or bkg > 1
    assert pad is not None and pad[~inside].all()  # the whole border
    # and no sky but a thin ring along the edge: the corners of squares of zeros reach into a sky this sparse
    yy, xx = np.mgrid[:SIZE, :SIZE]
    depth = 90 - np.hypot(xx - SIZE / 2, yy - SIZE / 2)[pad & inside]
    assert depth.size == 0 or depth.max() < 8, depth.max()
    print(f"sky read as padding: {pad[inside].mean():.3f} of the footprint, at most {depth.max():.1f} px deep")
    res, cat = _detect(tmp_path / "border", tmp_path)
    assert res.exit_code == 0, res.output
    assert "read as photon counts" in res.output
    assert _matched(cat, pos) == len(pos) and len(cat) <= len(pos) + 1  # no row of candidates on the edge
    assert np.median(cat["bkg"]) == pytest.approx(bkg, rel=0.3)


def test_a_float_image_keeps_its_five_pixel_padding():
    """An HST-like image (sky-subtracted floats with noise) and an integer one clipped at 0 (not Poisson): 5 px."""
    from starclass.io.mosaic import padding_side

    rng = np.random.default_rng(3)
    img = rng.normal(0.0, 0.01, (SIZE, SIZE)).astype(np.float32)
    img[:, :7] = 0.0
    assert padding_side(img) == ZERO_PADDING_PX
    assert zero_padding(img, side=padding_side(img))[:, :7].all()
    clipped = np.maximum(np.round(rng.normal(0, 30, (SIZE, SIZE))), 0).astype(np.float32)
    clipped[:, :7] = 0.0
    assert padding_side(clipped) == ZERO_PADDING_PX


@pytest.mark.parametrize("side", [5, 9])
def test_zero_padding_is_the_opening_by_a_square(side):
    """zero_padding opens by two separable filters; the result is scipy's binary opening by the square."""
    from scipy.ndimage import binary_opening

    rng = np.random.default_rng(side)
    img = rng.poisson(0.04, (300, 200)).astype(np.float32)
    img[250:, :30] = 0.0
    expected = binary_opening(img == 0, structure=np.ones((side, side), dtype=bool))
    np.testing.assert_array_equal(zero_padding(img, side=side), expected)
    with pytest.raises(ValueError, match="odd"):
        zero_padding(img, side=4)


def test_the_survey_reads_a_counts_fields_padding_as_detect_does(tmp_path):
    """The plan check, the field's decision handed to the tiles and detect on the whole image agree."""
    from starclass.survey.plan import read_plan
    from starclass.survey.run import prepare
    from starclass.survey.tiles import MosaicWindow

    _model(tmp_path / "model", ["f555w"])
    img, _pos = _counts(0.05)
    _write(tmp_path / "sky", img)
    _write(tmp_path / "border", np.where(_footprint(), img, 0.0).astype(np.float32))
    (tmp_path / "plan.yaml").write_text(
        "model: model\ntile_size: 128\noverlap: 32\nphotometry: ci\nfields:\n"
        "  - {name: sky, mosaics: sky}\n  - {name: border, mosaics: border}\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        prepared = prepare(read_plan(tmp_path / "plan.yaml"), tmp_path / "out")
        whole = read_mosaics(tmp_path / "border")
        side = whole.padding_side("f555w")
        expected = whole.mask("f555w")
    sky, border = prepared.fields
    assert sky.padding is None, sky.padding  # ~80% of the sky before
    assert border.padding is not None and f"blocks of {side} x {side} px" in border.padding, border.padding
    assert side > ZERO_PADDING_PX and sky.photon_counts == border.photon_counts == {"f555w": True}
    jobs = [j for j in prepared.jobs if j.field == "border"]
    assert jobs and all(j.padding_sides == {"f555w": side} for j in jobs)
    # a tile's mask (from a worker's mosaics given the field's side) is the whole image's padding there
    tile = read_mosaics(tmp_path / "border")
    tile.padding_sides.update(jobs[0].padding_sides)
    x0, x1, y0, y1 = jobs[0].tile.window
    win = MosaicWindow(tile, jobs[0].tile.window)
    np.testing.assert_array_equal(win.mask("f555w"), expected[y0:y1, x0:x1])
