"""``info`` writes its figures to 3 significant digits, or to the decimals of their unit, wherever it shows them.

``info`` of the demo's ``completeness.ecsv`` showed ``0.8289473684210527``, of an evaluation's reliability table bins
``0.06666666666666667`` and confidences ``0.26210677039440455``, beside figures at 3 decimals (accuracies), 4
significant digits (a cutout list's ranges) and 6 (a catalogue's threshold, ``0.723457``). One rule now
(:func:`starclass.errors.figure`).
"""

from __future__ import annotations

import numpy as np
from astropy.table import Column, MaskedColumn, Table
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()

#: A figure at full precision, as numpy computes a ratio
LONG = 0.7234567891234


def _numbers(line: str) -> list[str]:
    return [w for w in line.split() if w[:1].isdigit()]


def test_a_results_tables_float_columns_are_written_to_three_significant_digits(tmp_path):
    from starclass.report.sections import TABLE_META

    t = Table({"mag_lo": Column([15.5, 16.0], unit="mag"), "n": [3, 0],
               "completeness": MaskedColumn([LONG, 0.0], mask=[False, True]), "bin_lo": [1 / 15, 2 / 15]})
    t.meta[TABLE_META] = {"written_by": "starclass demo", "section": "detection", "caption": "Completeness."}
    path = tmp_path / "completeness.ecsv"
    t.write(path)
    res = runner.invoke(app, ["info", str(path)])
    assert res.exit_code == 0, res.output
    assert "warning" not in res.output.lower(), res.output  # no "converting a masked element to nan"
    rows = [ln.split() for ln in res.output.splitlines() if ln.strip().startswith(("15.", "16."))]
    assert rows == [["15.500", "3", "0.723", "0.0667"], ["16.000", "0", "--", "0.133"]], res.output
    assert str(LONG) not in res.output


def test_a_cutout_lists_ranges_and_a_catalogues_threshold_take_the_same_digits(tmp_path):
    from starclass.cli.info_cmd import _decision_lines, _range_words

    assert _range_words(Column([LONG, 0.12345678], name="prob_1")) == "prob_1 0.123 .. 0.723"
    # magnitudes, RA and Dec by their names: their unit's decimals (at 3 digits an RA of 26.03 read 26)
    assert _range_words(Column([15.4634, 19.8291], name="g_mag")) == "g_mag 15.463 .. 19.829"
    assert _range_words(Column([28.820971, 49.044171], name="dec")) == "dec 28.82097 .. 49.04417"
    t = Table({"class_pred": [1, 2], "prob_1": [0.9, 0.1]}, meta={"threshold": LONG, "positive_class": 1})
    (line,) = _decision_lines(t, {})
    assert ">= 0.723 (" in line, line


def test_figure_keeps_an_integers_digits_and_writes_the_tiny_with_an_exponent():
    from starclass.errors import figure

    assert [figure(v) for v in (1159.4, 65269.0, 1.759e-28, 0.000658, 1.0, float("nan"))] == [
        "1159", "65269", "1.76e-28", "0.000658", "1", "nan"]
    assert float(figure(LONG)) == np.round(LONG, 3)
