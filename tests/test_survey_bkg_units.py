"""``survey`` checks the fields' ``bkg`` units against each other before any tile runs (2026-12-05).

``bkg`` is the V-band background per pixel in the mosaics' own unit (``BUNIT``). A plan of a field
in ELECTRONS/S and one in COUNTS ran to the end, and the merged catalogue (``OUT/catalogue``, read
whole) gave every field's ``bkg`` the first field's unit: the e-/s field's 0.002 read as ``ct / pix``.
Units that cannot be converted are refused now, naming each field, its unit and its header, exit 2,
nothing written; units that convert (``Jy / sr`` and ``MJy / sr``) are converted in the merged
catalogue with astropy.units.
"""

from __future__ import annotations

import json
from pathlib import Path

import astropy.units as u
import numpy as np
import pytest
from astropy.io import fits
from astropy.table import Table

pytest.importorskip("distributed")

SHAPE = (96, 100)


def _model(d: Path) -> Path:
    import torch

    from starclass.learn.checkpoint import make_checkpoint, member_filename, save_checkpoint, write_manifest
    from starclass.learn.config import get_preset
    from starclass.models.registry import build_model

    cfg = get_preset("m31-binary-compact")
    torch.manual_seed(0)
    net = build_model(cfg, pretrained=False)
    d.mkdir(parents=True)
    save_checkpoint(make_checkpoint(cfg, net.state_dict(), seed=0), d / member_filename(1))
    write_manifest(d, cfg, [{"file": member_filename(1), "architecture": cfg.architecture, "seed": 0}])
    return d


def _field(d: Path, seed: int, counts: bool = False) -> None:
    """g and i mosaics with a few Gaussian sources; in counts (BUNIT COUNTS, EXPTIME 500) if ``counts``."""
    from starclass.bands import BANDS
    from starclass.io.mosaic import write_mosaic
    from starclass.simulate import preset
    from starclass.simulate.field import make_wcs

    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:SHAPE[0], 0:SHAPE[1]]
    wcs = make_wcs(preset("m31", shape=SHAPE))
    d.mkdir(parents=True)
    for b in ("g", "i"):
        img = rng.normal(0.0, 0.05, SHAPE).astype("f4")
        for x, y in ((30.0, 30.0), (70.0, 60.0)):
            img += (50.0 * np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / (2 * 1.5 ** 2))).astype("f4")
        extra = {"BUNIT": "COUNTS", "EXPTIME": 500.0} if counts else None
        write_mosaic(d / f"f_{b}.fits", img * (500.0 if counts else 1.0), b, wcs, photflam=BANDS[b].photflam,
                     photplam=BANDS[b].photplam, extra_header=extra)


@pytest.fixture
def mixed(tmp_path) -> Path:
    _model(tmp_path / "model")
    _field(tmp_path / "rate", seed=1)
    _field(tmp_path / "counts", seed=2, counts=True)
    assert fits.getheader(tmp_path / "counts" / "f_g.fits")["BUNIT"] == "COUNTS"
    (tmp_path / "plan.yaml").write_text(
        "model: model\ntile_size: 64\noverlap: 56\nphotometry: ci\nfields:\n"
        "  - {name: rate, mosaics: rate}\n  - {name: counts, mosaics: counts}\n")
    return tmp_path


def test_fields_in_e_per_s_and_in_counts_are_refused_before_any_tile(mixed):
    from starclass.errors import StarclassError
    from starclass.survey import read_plan
    from starclass.survey.run import prepare

    with pytest.raises(StarclassError) as e:
        prepare(read_plan(mixed / "plan.yaml"), mixed / "out")
    said = str(e.value)
    assert "the fields' bkg would be in units that do not convert into one another" in said
    assert "field 'rate': electron / (pix s)" in said and "BUNIT 'ELECTRONS/S'" in said
    assert "field 'counts': ct / pix" in said and "BUNIT 'COUNTS'" in said
    assert str(mixed / "plan.yaml") in said and "Nothing was run" in said


def test_the_cli_exits_2_and_writes_nothing(mixed):
    from typer.testing import CliRunner

    from starclass.cli import app

    res = CliRunner().invoke(app, ["survey", str(mixed / "plan.yaml"), "-o", str(mixed / "out"), "--workers", "1",
                                   "--threads-per-worker", "1"])
    assert res.exit_code == 2, res.output
    assert res.output.startswith("error: plan ") and "do not convert" in res.output, res.output
    assert not (mixed / "out").exists()


def test_one_unit_or_units_that_convert_pass():
    from starclass.survey.run import check_bkg_units

    e_s = u.electron / u.s / u.pix
    check_bkg_units([("a", (e_s, "a")), ("b", (e_s, "b")), ("c", None)])
    check_bkg_units([("a", (u.MJy / u.sr, "a")), ("b", (u.Jy / u.sr, "b"))])
    check_bkg_units([("a", (None, "a")), ("b", (None, "b"))])  # neither states one: nothing to mislabel
    from starclass.errors import StarclassError

    with pytest.raises(StarclassError, match=r"field 'b': no unit \(b.fits\)"):
        check_bkg_units([("a", (e_s, "a.fits")), ("b", (None, "b.fits"))])


def test_units_that_convert_are_converted_in_the_merged_catalogue(tmp_path):
    """The partitions of OUT/catalogue each carry their units; a reader of the whole folder takes the first's."""
    import pyarrow.parquet as pq

    from starclass.survey.run import common_units
    from starclass.survey.work import table_to_arrow

    a = table_to_arrow(Table({"x": [1.0, 2.0], "bkg": [0.5, 0.7] * u.MJy / u.sr}))
    b = table_to_arrow(Table({"x": [3.0], "bkg": [2.5e5] * u.Jy / u.sr, "fwhm": [2.0] * u.pix}))
    out, notes = common_units({"a": a, "b": b})
    assert out["a"].column("bkg").to_pylist() == [0.5, 0.7]
    assert out["b"].column("bkg").to_pylist() == pytest.approx([0.25])
    assert json.loads(out["b"].schema.metadata[b"starclass_units"]) == {"bkg": "MJy / sr", "fwhm": "pix"}
    assert notes == ["bkg of field 'b' converted from Jy / sr to MJy / sr in the merged catalogue "
                     "(fields/b/catalogue.parquet keeps Jy / sr)"]
    from starclass.survey.work import with_astropy_metadata

    pq.write_table(with_astropy_metadata(out["b"]), tmp_path / "b.parquet")
    back = Table.read(tmp_path / "b.parquet")
    assert back["bkg"].unit == u.MJy / u.sr and back["bkg"][0] == pytest.approx(0.25)


def test_given_columns_in_units_that_do_not_convert_are_refused(tmp_path):
    """Two positions catalogues with bkg in ct / pix and in electron / (pix s) ran; the merged catalogue read
    whole gave both fields' bkg_input ct / pix."""
    from starclass.errors import StarclassError
    from starclass.survey import read_plan
    from starclass.survey.run import prepare

    _model(tmp_path / "model")
    for name, unit in (("a", u.ct / u.pix), ("b", u.electron / u.s / u.pix)):
        _field(tmp_path / name, seed=3)
        Table({"id": [1, 2], "x": [30.0, 70.0], "y": [30.0, 60.0], "bkg": [12.0, 12.0] * unit}).write(
            tmp_path / name / "pos.ecsv")
    (tmp_path / "plan.yaml").write_text(
        "model: model\ntile_size: 64\noverlap: 56\nphotometry: ci\nfields:\n"
        "  - {name: a, mosaics: a, positions: a/pos.ecsv}\n  - {name: b, mosaics: b, positions: b/pos.ecsv}\n")
    with pytest.raises(StarclassError, match=r"the positions catalogues' column bkg is in units that do not convert "
                                             r"into one another: field 'a': ct / pix \(.*a/pos.ecsv\); field 'b': "
                                             r"electron / \(pix s\)"):
        prepare(read_plan(tmp_path / "plan.yaml"), tmp_path / "out")


def test_a_given_column_with_a_unit_in_one_field_and_none_in_another_is_refused(tmp_path):
    """Field a's positions in an ECSV with bkg in ct / pix, field b's in a CSV (no unit): the survey ran, and the
    merged catalogue read whole (pyarrow.parquet.read_table('OUT/catalogue')) gave b's bkg_input 0.002 the unit
    ct / pix. A column in the schema's own unit (x in pix) beside a CSV's is read in that unit anyway: it passes."""
    from starclass.errors import StarclassError
    from starclass.survey import read_plan
    from starclass.survey.run import prepare

    _model(tmp_path / "model")
    _field(tmp_path / "a", seed=3)
    _field(tmp_path / "b", seed=4)
    Table({"id": [1, 2], "x": [30.0, 70.0] * u.pix, "y": [30.0, 60.0] * u.pix,
           "bkg": [12.0, 12.0] * u.ct / u.pix}).write(tmp_path / "a" / "pos.ecsv")
    Table({"id": [1, 2], "x": [30.0, 70.0], "y": [30.0, 60.0], "bkg": [0.002, 0.002]}).write(tmp_path / "b" / "pos.csv")
    plan = ("model: model\ntile_size: 64\noverlap: 56\nphotometry: ci\nfields:\n"
            "  - {name: a, mosaics: a, positions: a/pos.ecsv}\n  - {name: b, mosaics: b, positions: b/pos.csv}\n")
    (tmp_path / "plan.yaml").write_text(plan)
    with pytest.raises(StarclassError) as e:
        prepare(read_plan(tmp_path / "plan.yaml"), tmp_path / "out")
    said = str(e.value)
    assert "the positions catalogues' column bkg states a unit in some fields and none in others" in said
    assert "field 'a': ct / pix (" in said and "a/pos.ecsv)" in said
    assert "field 'b': no unit (" in said and "b/pos.csv)" in said
    assert "field 'b' would be read as ct / pix" in said and "Nothing was run" in said
    assert not (tmp_path / "out").exists()
    # the same without bkg: x, y in pix beside the CSV's plain x, y are what starclass reads them as
    Table({"id": [1, 2], "x": [30.0, 70.0] * u.pix, "y": [30.0, 60.0] * u.pix}).write(tmp_path / "a" / "pos.ecsv",
                                                                                  overwrite=True)
    Table({"id": [1, 2], "x": [30.0, 70.0], "y": [30.0, 60.0]}).write(tmp_path / "b" / "pos.csv", overwrite=True)
    prepare(read_plan(tmp_path / "plan.yaml"), tmp_path / "out")
