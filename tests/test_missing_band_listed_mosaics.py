"""A band missing from mosaics given as a list of files is to be added to that list, not beside the others.

learn.classify.check_bands named the files' folder and said "Add the band's mosaic beside the others"
whatever the mosaics were given as: a file put in that folder is read by nothing when the plan (or the
command line) lists files. Mosaics read from a folder keep the folder's advice.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from starclass.errors import StarclassError
from starclass.io.mosaic import read_mosaics, write_mosaic
from starclass.learn.classify import check_bands

BANDS = {"f555w": (1.9e-19, 5308.0), "f814w": (1.5e-19, 8040.0)}


def _field(folder):
    folder.mkdir()
    rng = np.random.default_rng(2)
    for band, (flam, plam) in BANDS.items():
        write_mosaic(folder / f"g_{band}.fits", rng.normal(1.0, 0.1, (96, 96)).astype(np.float32), band, None,
                     photflam=flam, photplam=plam)
    return sorted(folder.glob("g_*.fits"))


def test_files_are_added_to_their_list_a_folder_beside_the_others(tmp_path):
    files = _field(tmp_path / "f")
    listed = read_mosaics(files, pixel_scale=0.04, warn_v_band=False)
    with pytest.raises(StarclassError) as exc:
        check_bands(["f336w", *BANDS], listed.bands, "model m", listed, listed="the mosaics of field 'a'")
    text = str(exc.value)
    assert "Add the band's mosaic to the mosaics of field 'a' (" in text and "beside" not in text, text
    folder = read_mosaics(tmp_path / "f", pixel_scale=0.04, warn_v_band=False)
    with pytest.raises(StarclassError) as exc:
        check_bands(["f336w", *BANDS], folder.bands, "model m", folder, listed="the mosaics of field 'a'")
    text = str(exc.value)
    assert f"({tmp_path / 'f'}). Add the band's mosaic beside the others" in text, text


def _model(folder, bands):
    from starclass.learn.checkpoint import write_untrained_model
    from starclass.learn.config import get_preset

    cfg = get_preset("legus4-compact", bands=bands, stamp_size=16, scales=[1.0])
    write_untrained_model(folder, cfg)


def test_a_plan_listing_files_is_told_to_add_the_band_to_the_fields_list(tmp_path):
    from starclass.survey.plan import read_plan
    from starclass.survey.run import prepare

    _model(tmp_path / "model", ["f336w", *BANDS])
    _field(tmp_path / "two")
    (tmp_path / "plan.yaml").write_text("model: model\ntile_size: 64\noverlap: 32\nphotometry: ci\nfields:\n"
                                        "  - {name: two, mosaics: [two/g_f555w.fits, two/g_f814w.fits]}\n")
    with pytest.raises(StarclassError) as exc, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        prepare(read_plan(tmp_path / "plan.yaml"), tmp_path / "out")
    text = str(exc.value)
    assert f"Add the band's mosaic to the mosaics of field 'two' in plan {tmp_path / 'plan.yaml'}" in text, text
    assert "beside the others" not in text and "delete field 'two'" in text, text
    assert not (tmp_path / "out").exists()


def test_classify_given_files_is_told_to_add_the_band_on_the_command_line(tmp_path):
    from typer.testing import CliRunner

    from starclass.cli import app

    _model(tmp_path / "model", ["f336w", *BANDS])
    files = _field(tmp_path / "two")
    (tmp_path / "cat.csv").write_text("id,x,y\n1,40,40\n")
    r = CliRunner().invoke(app, ["classify", *map(str, files), "--catalog", str(tmp_path / "cat.csv"),
                                 "--model", str(tmp_path / "model"), "-o", str(tmp_path / "out.csv")])
    assert r.exit_code == 2, r.output
    assert "Add the band's mosaic to the mosaics given on the command line" in " ".join(r.output.split()), r.output
    assert not (tmp_path / "out.csv").exists()
