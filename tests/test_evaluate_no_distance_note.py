"""``evaluate`` without ``--distance`` says what the science tables then leave out, and a LEGUS galaxy's distance.

Found walking docs/evaluation.md (2026-12-06): ``starclass evaluate NGC1566.tab --pred-column class_ml
--reference-column class_human_mode`` wrote its PHANGS Table 2 box counts over every magnitude (``mag_limit_v``
null) with no word on the terminal, where the docs compare M_V < -7.8 counts; only the HTML report says "No
distance given". Now a note says so and, for a galaxy of the LEGUS study, the distance to give.
"""

from __future__ import annotations

import warnings

import numpy as np
from typer.testing import CliRunner

from starclass.cli import app
from starclass.datasets.catalogs import write_fake_legus_folder
from starclass.io.catalog import read_catalog

runner = CliRunner()


def _classified(tmp_path):
    legus = write_fake_legus_folder(tmp_path / "legus", n=120)
    (p,) = legus.glob("*ngc7793-w*.tab")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = read_catalog(p)
    t = t[np.asarray(t["class_ref"]) > 0]
    t["class_pred"] = np.roll(np.asarray(t["class_ref"]), 1)  # a classifier that is often wrong
    out = tmp_path / "classified.ecsv"
    t.write(out)
    return out


def test_evaluate_without_distance_says_so_and_names_the_legus_distance(tmp_path):
    pred = _classified(tmp_path)
    res = runner.invoke(app, ["evaluate", str(pred), "--bootstrap", "0", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    notes = [s for s in res.output.splitlines() if s.startswith("note: no --distance")]
    assert len(notes) == 1, res.output
    assert "not M_V < -7.8 as PHANGS Table 2 does" in notes[0], notes
    assert notes[0].endswith("ngc7793's distance in the LEGUS study is 3.44 Mpc (--distance 3.44)"), notes


def test_evaluate_with_distance_or_without_science_says_nothing_of_it(tmp_path):
    pred = _classified(tmp_path)
    for extra, out in ((["--distance", "3.44"], "ev_d"), (["--no-science"], "ev_n")):
        res = runner.invoke(app, ["evaluate", str(pred), "--bootstrap", "0", *extra, "-o", str(tmp_path / out)])
        assert res.exit_code == 0, res.output
        assert "no --distance" not in res.output, res.output
