"""Every band says which share of its aperture lies on masked or off-image pixels: ``masked_frac_<band>``.

Until 2026-12-06 only the V band's share was written (``masked_frac``): bands of HST mosaics cover
different areas, and a source whose centre is on band i's data but one pixel from the edge of its
footprint read mag_i 0.17 mag too faint with nothing marking it (masked_frac 0, the V band being whole
there). Now photometry writes ``masked_frac_<band>`` for every band (``masked_frac`` stays the V band's),
detect prints a note per band, classify keeps the columns, and info and the labelling page show them.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table

from starclass import schema
from starclass.detect import ArrayMosaics, measure
from starclass.detect.photometry import measure_on_image

SHAPE = (100, 100)
EDGE = 49  # band f814w is NaN in columns 0..48: the star at x = 50 has its centre on data, its aperture not


def _mosaics(edge: bool = True, empty_i: bool = False) -> ArrayMosaics:
    yy, xx = np.mgrid[0:SHAPE[0], 0:SHAPE[1]]
    star = (40 * np.exp(-((xx - 50) ** 2 + (yy - 50) ** 2) / (2 * 1.5 ** 2))).astype("f4")
    rng = np.random.default_rng(0)
    v = star + rng.normal(0, 0.05, SHAPE).astype("f4")
    i = star + rng.normal(0, 0.05, SHAPE).astype("f4")
    if edge:
        i[:, :EDGE] = np.nan
    if empty_i:
        i[:] = np.nan
    return ArrayMosaics({"f555w": v, "f814w": i}, {"f555w": 25.0, "f814w": 25.0})


def test_the_schema_declares_one_column_per_band():
    entry = schema.find_column("masked_frac_f814w")
    assert entry is not None and entry.name == "masked_frac_<band>" and entry.dtype == "float64"
    assert schema.masked_frac_col("F814W") == "masked_frac_f814w"
    assert schema.band_of("masked_frac_f814w") == "f814w" and schema.band_of("masked_frac") is None
    assert "masked_frac_<band>" in schema.column_table()


def test_a_source_on_the_edge_of_one_band_s_footprint_is_flagged_in_that_band():
    whole = measure(_mosaics(edge=False), Table({"x": [50.0], "y": [50.0]}), aperture_correction=None)
    edge = measure(_mosaics(), Table({"x": [50.0], "y": [50.0]}), aperture_correction=None)
    # the light lost: mag_f814w too faint, the V band untouched
    assert float(edge["mag_f814w"][0]) - float(whole["mag_f814w"][0]) > 0.1
    assert float(edge["masked_frac"][0]) == 0.0 and float(edge["masked_frac_f555w"][0]) == 0.0
    # the share of the 4 px aperture left of x = 48.5: a circular segment 1.5 px from the centre
    r, d = 4.0, 1.5
    segment = (r * r * np.arccos(d / r) - d * np.sqrt(r * r - d * d)) / (np.pi * r * r)
    assert float(edge["masked_frac_f814w"][0]) == pytest.approx(segment, abs=0.01)
    for b in ("f555w", "f814w"):
        assert float(whole[schema.masked_frac_col(b)][0]) == 0.0


def test_rows_off_the_image_and_an_empty_band_read_one():
    given = Table({"x": [50.0, 500.0], "y": [50.0, 20.0]})
    out, off = measure_on_image(_mosaics(), given, aperture_correction=None)
    assert off.tolist() == [False, True]
    for c in ("masked_frac", "masked_frac_f555w", "masked_frac_f814w"):
        assert float(out[c][1]) == 1.0, c
    empty = measure(_mosaics(empty_i=True), Table({"x": [50.0], "y": [50.0]}), aperture_correction=None,
                    keep_empty_bands=True)
    assert float(empty["masked_frac_f814w"][0]) == 1.0 and float(empty["masked_frac_f555w"][0]) == 0.0


def test_detect_notes_it_classify_keeps_it_info_and_the_labelling_page_show_it(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from starclass.bands import BANDS
    from starclass.cli import app
    from starclass.inspect.field import load_field
    from starclass.io.catalog import read_catalog
    from starclass.io.mosaic import write_mosaic
    from starclass.learn.checkpoint import write_untrained_model
    from starclass.learn.config import get_preset
    from starclass.simulate import preset
    from starclass.simulate.field import make_wcs

    monkeypatch.chdir(tmp_path)
    m = _mosaics()
    (tmp_path / "m").mkdir()
    # the m31 preset's bands: g (its V band) and i
    for band, name in (("f555w", "g"), ("f814w", "i")):
        write_mosaic(tmp_path / "m" / f"f_{name}.fits", m.data[band], name, make_wcs(preset("m31", shape=SHAPE)),
                     photflam=BANDS[name].photflam, photplam=BANDS[name].photplam)
    write_untrained_model(tmp_path / "model", get_preset("m31-binary-compact"))
    runner = CliRunner()
    r = runner.invoke(app, ["detect", "m", "-o", "c.ecsv", "--no-progress"])
    said = " ".join(r.output.split())
    assert r.exit_code == 0, r.output
    assert ("note: 1 candidate has part of its 4 px aperture in band i on NaN, zero-weight or off-image pixels "
            "(column masked_frac_i > 0): mag_i misses that light") in said, said
    r = runner.invoke(app, ["classify", "m", "--catalog", "c.ecsv", "--model", "model", "-o", "p.ecsv",
                            "--no-progress"])
    assert r.exit_code == 0, r.output
    classified = read_catalog(tmp_path / "p.ecsv")
    assert float(classified["masked_frac_i"][0]) > 0.2 and float(classified["masked_frac_g"][0]) == 0.0
    r = runner.invoke(app, ["info", "p.ecsv"])
    assert r.exit_code == 0 and "masked_frac_g, masked_frac_i" in r.output, r.output
    (tmp_path / "m" / "candidates.ecsv").write_bytes((tmp_path / "p.ecsv").read_bytes())
    field = load_field(tmp_path / "m", cache_dir=tmp_path / "cache")
    shown = field.values(0)
    assert shown["masked_frac_i"] == pytest.approx(float(classified["masked_frac_i"][0]), abs=1e-5)  # 5 decimals
    assert "prob_1" not in shown  # still no class or probability beside the picture


def test_a_given_table_s_own_per_band_share_is_kept_renamed_not_replaced():
    """detect --positions and the survey keep an input's own photometry columns renamed: the new columns too."""
    import warnings

    from starclass.detect.photometry import keep_given_photometry

    t = Table({"id": [1], "x": [50.0], "y": [50.0], "masked_frac_f814w": [0.5], "mag_f814w": [20.0]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        renamed = keep_given_photometry(t, "given.ecsv")
    assert "'masked_frac_f814w' -> 'masked_frac_f814w_input'" in renamed, renamed
    assert float(t["masked_frac_f814w_input"][0]) == 0.5 and "masked_frac_f814w" not in t.colnames
