"""The one band check: every stage that takes bands names the missing and the available ones."""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table

from starclass.bands import require_bands
from starclass.datasets.labelling import make_demo_field
from starclass.detect import ArrayMosaics, measure
from starclass.detect.find import detect
from starclass.errors import StarclassError
from starclass.inspect.app import load_field
from starclass.learn.classify import check_bands as model_check_bands
from starclass.stamps.extract import extract_stamps

MESSAGE = r"band f336w missing from the mosaics \(available: f555w, f814w\)"


def _mosaics() -> ArrayMosaics:
    img = np.zeros((40, 40))
    return ArrayMosaics({"F555W": img, "f814w": img}, {"f555w": 25.0, "f814w": 24.0})


def test_require_bands_returns_lower_case_in_order():
    assert require_bands(["F814W", "f555w"], ["f555w", "F814W"]) == ["f814w", "f555w"]
    assert require_bands(None, ["F555W", "f814w"]) == ["f555w", "f814w"]


def test_require_bands_names_missing_once_and_available():
    with pytest.raises(StarclassError,
                       match=r"task x: bands f336w, g missing from the mosaics \(available: f555w\)"):
        require_bands(["f336w", "F336W", "g", "f555w"], ["f555w"], context="task x")


def test_every_stage_gives_the_same_message():
    mos = _mosaics()
    with pytest.raises(StarclassError, match=MESSAGE):
        measure(mos, Table({"x": [20.0], "y": [20.0]}), bands=["f555w", "f336w"])
    with pytest.raises(StarclassError, match="detection band: " + MESSAGE):
        detect(mos, band="F336W")
    with pytest.raises(StarclassError, match=MESSAGE):
        extract_stamps(mos, [20.0], [20.0], size=8, bands=["f336w"])
    with pytest.raises(StarclassError, match="model.pt .*" + MESSAGE):
        model_check_bands(["f336w", "f555w"], mos.bands, "model.pt")


def test_labelling_page_rgb_uses_the_same_check(tmp_path):
    d = make_demo_field(tmp_path / "f", n=3, size=80, predictions=False)
    with pytest.raises(StarclassError, match=r"--rgb: band g missing from the mosaics \(available: "):
        load_field(d, rgb=("F814W", "f555w", "g"), cache_dir=tmp_path / "c")
    assert load_field(d, rgb=("F814W", "f555w", "f336w"), cache_dir=tmp_path / "c").cache.settings.rgb == (
        "f814w", "f555w", "f336w")
