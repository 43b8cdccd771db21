"""Survey tiles cut stamps as classify does: a given position on a drizzled mosaic's padding has no usable stamp."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from starclass.io.mosaic import read_mosaics, write_mosaic
from starclass.stamps import make_inputs
from starclass.survey.tiles import MosaicWindow

BANDS = {"f555w": (1.9e-19, 5308.0), "f814w": (1.5e-19, 8040.0)}


def _field(folder, *, weight: bool):
    rng = np.random.default_rng(2)
    for band, (flam, plam) in BANDS.items():
        data = rng.normal(1.0, 0.1, (96, 96)).astype(np.float32)
        data[:, :40] = 0.0  # drizzle's padding: no exposure there
        wht = np.where(data != 0, 400.0, 0.0).astype(np.float32)
        write_mosaic(folder / f"g_{band}_drc.fits", data, band, None, photflam=flam, photplam=plam,
                     weight=wht if weight else None)
    return read_mosaics(folder)


@pytest.mark.parametrize("weight", [True, False])
def test_tile_stamps_leave_out_the_padding_as_the_whole_mosaic_does(tmp_path, weight):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the padding's note without a weight map
        ms = _field(tmp_path, weight=weight)
        x, y = np.array([10.0, 70.0]), np.array([50.0, 50.0])  # in the padding, in the data
        config = dict(bands=list(BANDS), stamp_size=8, scales=[1.0], input_size=8, normalisation="zscore")
        _, whole_ok = make_inputs(ms, x, y, config)
        window = MosaicWindow(ms, (0, 96, 16, 80))  # x0, x1, y0, y1: a tile holding both
        _, tile_ok = make_inputs(window, x, y - 16, config)
    assert whole_ok.tolist() == [False, True]
    # the old tiles had no weight maps: the padding's zeros were cut as data and classified
    assert tile_ok.tolist() == whole_ok.tolist()


def test_a_blank_band_is_not_masked_window_by_window(tmp_path):
    rng = np.random.default_rng(4)
    for band, (flam, plam) in BANDS.items():
        data = rng.normal(1.0, 0.1, (96, 96)).astype(np.float32) if band == "f555w" else np.zeros((96, 96), "f4")
        write_mosaic(tmp_path / f"g_{band}_drc.fits", data, band, None, photflam=flam, photplam=plam)
    ms = read_mosaics(tmp_path)
    window = MosaicWindow(ms, (0, 64, 16, 80))
    # the whole image names the band constant (f951746); the old tiles read each window of it as padding
    # (a survey's worker computes only its windows: these come first, before a whole-image mask is cached)
    assert window.weights["f814w"] is None
    assert not window.mask("f814w").any()
    assert not ms.mask("f814w").any()
    assert ms.blank("f814w") and not ms.blank("f555w")
    with pytest.warns(UserWarning, match="band f814w.*constant"):
        from starclass.detect import detect

        detect(window, progress=False)


def _model(folder, bands):
    """An untrained compact model of ``bands`` (16 px stamps): enough for a survey's plan check."""
    from starclass.learn.checkpoint import write_untrained_model
    from starclass.learn.config import get_preset

    cfg = get_preset("legus4-compact", bands=bands, stamp_size=16, scales=[1.0])
    write_untrained_model(folder, cfg)
    return cfg


def test_the_survey_names_zero_padding_once_per_field_before_the_tiles(tmp_path):
    """detect warns of a weight-less band's zero padding; a survey's tiles masked it window by window without
    a word (a photon-counting field lost its zeros silently). The plan check now names the bands, with the
    share of sampled rows, within a few per cent of the whole image's."""
    from starclass.io.mosaic import sampled_padding, zero_padding
    from starclass.survey.plan import read_plan
    from starclass.survey.run import prepare

    _model(tmp_path / "model", list(BANDS))
    for sub, weight in (("pad", False), ("wht", True)):
        (tmp_path / sub).mkdir()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _field(tmp_path / sub, weight=weight)
    (tmp_path / "plan.yaml").write_text(
        "model: model\ntile_size: 64\noverlap: 32\nphotometry: ci\nfields:\n"
        "  - {name: pad, mosaics: pad}\n  - {name: wht, mosaics: wht}\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fields = prepare(read_plan(tmp_path / "plan.yaml"), tmp_path / "out").fields
    pad, wht = fields
    assert wht.padding is None  # a weight map decides alone
    assert pad.padding is not None and "f555w" in pad.padding and "f814w" in pad.padding, pad.padding
    ms = read_mosaics(tmp_path / "pad")
    exact = zero_padding(ms.data["f555w"]).mean()
    assert exact == pytest.approx(40 / 96)
    assert sampled_padding(ms.data["f555w"]) == pytest.approx(exact, abs=0.02)
    assert f"~{100 * exact:.2g}%" in pad.padding


def test_a_field_without_a_model_band_is_refused_with_classifys_advice(tmp_path):
    """The plan check said only "band(s) f336w of the model are not among its mosaics (f555w, f814w)", where
    classify on the same files (2f86fe7) names the folder, how to add the band and the task file to train."""
    from starclass.errors import StarclassError
    from starclass.survey.plan import read_plan
    from starclass.survey.run import prepare

    cfg = _model(tmp_path / "model", ["f336w", *BANDS])
    (tmp_path / "two").mkdir()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _field(tmp_path / "two", weight=True)
    (tmp_path / "plan.yaml").write_text("model: model\ntile_size: 64\noverlap: 32\nphotometry: ci\nfields:\n"
                                        "  - {name: two, mosaics: two}\n")
    with pytest.raises(StarclassError) as exc:
        prepare(read_plan(tmp_path / "plan.yaml"), tmp_path / "out")
    text = str(exc.value)
    assert "field 'two'" in text and "band f336w missing from the mosaics" in text, text
    assert str(tmp_path / "two") in text and f"'extends: {cfg.name}'" in text and "delete field 'two'" in text, text
