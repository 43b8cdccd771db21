"""Mosaics without a V band (F555W, F606W, g, F475W) say which band is used as V and how to choose another.

Until 2026-12-05 a field whose F555W mosaic was missing was detected, measured (CI, background) and
described ('info DIR': "V band f275w") in F275W, the bluest band, without a word. Now reading such a
set warns once, naming the band taken and ``--bands`` with the band wanted first; a set with F555W,
and a single band (nothing else to choose), get no warning.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from astropy.io import fits
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.mosaic import read_mosaics

runner = CliRunner()


def _field(folder: Path, bands: tuple[str, ...]) -> Path:
    folder.mkdir()
    rng = np.random.default_rng(0)
    for band in bands:
        hdr = fits.Header({"FILTER": band.upper(), "ABMAGZP": 25.0})
        fits.PrimaryHDU(rng.normal(1, 0.1, (16, 16)).astype(np.float32), hdr).writeto(folder / f"f_{band}.fits")
    return folder


def _v_notes(folder: Path, **kw) -> tuple[object, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ms = read_mosaics(folder, require_zeropoint=False, **kw)
    return ms, [str(w.message) for w in caught if "no V band" in str(w.message)]


def test_a_set_without_v_warns_naming_the_band_used_and_the_option(tmp_path):
    ms, notes = _v_notes(_field(tmp_path / "f", ("f275w", "f336w", "f814w")))
    assert ms.v_band == "f275w"
    assert len(notes) == 1, notes
    assert "f275w, the first, is used as V" in notes[0] and "--bands f814w,f275w,f336w" in notes[0], notes[0]


def test_the_band_given_first_is_the_one_named(tmp_path):
    ms, notes = _v_notes(_field(tmp_path / "f", ("f275w", "f336w", "f814w")), bands=["f814w", "f275w"])
    assert ms.v_band == "f814w"
    assert len(notes) == 1 and "f814w, the first, is used as V" in notes[0], notes


@pytest.mark.parametrize("bands", [("f275w", "f555w", "f814w"), ("f438w", "f606w"), ("f814w",)])
def test_no_warning_with_a_v_band_or_a_single_band(tmp_path, bands):
    ms, notes = _v_notes(_field(tmp_path / "f", bands))
    assert notes == [], notes
    assert ms.v_band in {"f555w", "f606w", "f814w"}


@pytest.mark.parametrize(("bands", "warned"), [(("f275w", "f336w", "f814w"), True),
                                               (("f275w", "f555w", "f814w"), False)])
def test_info_says_it_once(tmp_path, bands, warned):
    res = runner.invoke(app, ["info", str(_field(tmp_path / "f", bands))])
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())
    assert said.count("warning: no V band") == (1 if warned else 0), said
    if warned:
        # info chooses no V band: it names the one detect would use, and detect's --bands (2026-12-06)
        assert "V band f275w" in said and "f275w, the first, is the V band detect would use" in said
        assert "give detect --bands with it first" in said
