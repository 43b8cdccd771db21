"""Long-pass filter columns (F850LP) of a catalogue are read as magnitudes, and F775W is I only without F814W.

Before: the column-name patterns knew F555W, F658N, F550M but not a long-pass filter, so a CDS-style
``F850LPmag``/``e_F850LPmag`` pair (GOODS, CANDELS) stayed two unknown columns: ``info`` listed
``bands: f475w`` for an F475W + F850LP catalogue, without a word. Now they are ``mag_f850lp`` and
``magerr_f850lp``, as ``F475Wmag`` is ``mag_f475w``.
"""

from __future__ import annotations

from typer.testing import CliRunner

from starclass.bands import ubvi_bands, v_band
from starclass.cli import app
from starclass.io.catalog import read_catalog

runner = CliRunner()


def test_f850lp_columns_are_a_band(tmp_path):
    path = tmp_path / "goods.csv"
    path.write_text("id,x,y,F475Wmag,e_F475Wmag,F850LPmag,e_F850LPmag,mag_F625W,F775W_mag\n"
                    "1,10.0,12.0,21.0,0.05,20.5,0.06,20.8,20.6\n2,30.0,40.0,22.0,0.05,21.5,0.07,21.8,21.6\n")
    t = read_catalog(path)
    for col in ("mag_f850lp", "magerr_f850lp", "mag_f475w", "mag_f625w", "mag_f775w"):
        assert col in t.colnames, t.colnames  # F850LPmag, e_F850LPmag kept as they were before
    r = runner.invoke(app, ["info", str(path)])
    assert r.exit_code == 0, r.output
    assert "bands: f475w, f850lp, f625w, f775w" in r.output, r.output  # "bands: f475w, f625w, f775w" before


def test_f775w_is_i_only_without_f814w():
    assert ubvi_bands(["f435w", "f555w", "f775w", "f814w"])["i"] == "f814w"
    assert ubvi_bands(["f475w", "f775w"])["i"] == "f775w"
    assert v_band(["f475w", "f775w", "f850lp"]) == "f475w"
