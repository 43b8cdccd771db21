"""``mag_<band>_input`` (an input catalogue's own magnitude kept beside the measured one by detect
--positions and survey) is not a band of its own: ``info`` listed ten bands for five, and the
photometric baselines and colour plots took the kept magnitudes for more bands."""

from __future__ import annotations

from astropy.table import Table
from typer.testing import CliRunner

from starclass import schema
from starclass.cli import app


def _table() -> Table:
    return Table({"id": [1, 2], "x": [1.0, 2.0], "y": [1.0, 2.0], "mag_f555w_input": [20.0, 21.0],
                  "magerr_f555w_input2": [0.1, 0.1], "mag_f555w": [20.5, 21.5], "mag_f814w": [19.0, 20.0],
                  "mag_input": [1.0, 2.0]})


def test_kept_input_magnitudes_are_not_bands():
    assert schema.bands_in(_table()) == ["f555w", "f814w", "input"]  # a band named 'input' stays one
    assert schema.band_of("mag_f555w_input") is None and schema.band_of("magerr_f555w_input2") is None
    assert schema.band_of("mag_true_f555w") == "f555w" and schema.band_of("mag_f555w_inputs") == "f555w_inputs"


def test_info_lists_the_measured_bands_only(tmp_path):
    _table().write(tmp_path / "pos.ecsv")
    res = CliRunner().invoke(app, ["info", str(tmp_path / "pos.ecsv")])
    assert res.exit_code == 0, res.output
    assert "bands: f555w, f814w, input\n" in res.output, res.output


def test_a_kept_input_magnitude_keeps_its_unit_when_read(tmp_path):
    from starclass.io.catalog import read_catalog

    t = _table()
    t["mag_f555w_input"].unit = "mag"
    t.write(tmp_path / "pos.ecsv")
    got = read_catalog(tmp_path / "pos.ecsv")
    assert str(got["mag_f555w_input"].unit) == "mag" and str(got["mag_f555w"].unit) == "mag"
