"""``--mass-kind stellar|formed``: the user states which mass a catalogue's masses are.

The mass limits and the completeness curve of ``evaluate`` and ``report`` are drawn in the convention
of the catalogue's masses (``meta['mass_kind']``): io.legus says stellar, the simulator formed, and any
other catalogue (PHANGS, a user's own) was taken as formed with the words "assumed" and no way to say
otherwise. Now ``--mass-kind`` states it: the limits move by log(Mstars / Mconverted) of the packaged SSP
table (worked out from its text in ``test_mass_kind.py``), the captions say who stated it, and the
written tables keep it in ``meta['mass_kind']``.
"""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.datasets.catalogs import fake_catalogs
from test_mass_kind import _ratio, _stellar_limit

# the evaluations' and reports' figures are built but not rendered to PNG (conftest's unrendered_figures): these
# tests read the printed lines, tables and pages around them, and rendering was about half of each command
pytestmark = pytest.mark.usefixtures("unrendered_figures")


def _unsaid(tmp_path: Path) -> tuple[Path, Path]:
    """A prediction and a truth with masses whose convention neither says (as a PHANGS table)."""
    pred, truth = fake_catalogs(300, seed=0)
    for t in (pred, truth):
        t.meta.pop("mass_kind", None)
    p, r = tmp_path / "pred.ecsv", tmp_path / "truth.ecsv"
    pred.write(p)
    truth.write(r)
    return p, r


def _evaluate(p: Path, r: Path, out: Path, *extra: str):
    return CliRunner().invoke(app, ["evaluate", str(p), "-r", str(r), "--distance", "10", "--bootstrap", "0",
                                    "-o", str(out), *extra])


def test_evaluate_mass_kind_stellar_moves_the_limits_and_says_who_stated_it(tmp_path):
    p, r = _unsaid(tmp_path)
    res = _evaluate(p, r, tmp_path / "stellar", "--mass-kind", "stellar")
    assert res.exit_code == 0, res.output  # the old code: "No such option: --mass-kind", exit 2
    base = _evaluate(p, r, tmp_path / "assumed")
    assert base.exit_code == 0, base.output
    mf = Table.read(tmp_path / "stellar" / "tables" / "mass_functions_truth.ecsv")
    mf0 = Table.read(tmp_path / "assumed" / "tables" / "mass_functions_truth.ecsv")
    # M_V = -7.8 at each range's oldest age, in the stars' mass: worked out from the table's text
    assert mf["log_mass_min"].tolist() == [round(_stellar_limit(a, -7.8), 2) for a in (7.0, 8.0, 8.6)]
    assert mf0["log_mass_min"].tolist() == [3.51, 4.25, 4.68]  # the mass formed, assumed
    assert mf.meta["mass_kind"] == "stellar (--mass-kind)" and mf0.meta["mass_kind"] == "formed (assumed)"
    caption = mf.meta["starclass_table"]["caption"]
    assert "as --mass-kind states the catalogue's masses are" in caption and "assumed" not in caption
    c = Table.read(tmp_path / "stellar" / "tables" / "mass_completeness_truth.ecsv")
    c0 = Table.read(tmp_path / "assumed" / "tables" / "mass_completeness_truth.ecsv")
    # the curve moves down by log(Mstars / Mconverted) at every age: 0.046 dex at 10 Myr, 0.084 at 100 Myr
    np.testing.assert_allclose(np.asarray(c["log_mass_limit"]) - np.asarray(c0["log_mass_limit"]),
                               [np.log10(_ratio(a)) for a in c["log_age"]], atol=1e-6)
    assert c.meta["mass_kind"] == "stellar (--mass-kind)"
    assert "assumed" not in c.meta["starclass_table"]["caption"]
    assert "assumed" in c0.meta["starclass_table"]["caption"]


@pytest.mark.slow
def test_report_mass_kind_formed_keeps_the_limits_and_drops_assumed(tmp_path):
    p, r = _unsaid(tmp_path)
    res = CliRunner().invoke(app, ["report", str(p), "-r", str(r), "--distance", "10", "--bootstrap", "0",
                                   "--mass-kind", "formed", "-o", str(tmp_path / "r.html")])
    assert res.exit_code == 0, res.output
    page = html.unescape((tmp_path / "r.html").read_text())
    assert "mass formed, as --mass-kind states the catalogue's masses are" in page
    assert "assumed: the catalogue does not say" not in page
    mf = Table.read(tmp_path / "tables" / "mass_functions_truth.ecsv")
    assert mf["log_mass_min"].tolist() == [3.51, 4.25, 4.68] and mf.meta["mass_kind"] == "formed (--mass-kind)"


def test_a_bad_mass_kind_is_refused_before_any_work(tmp_path):
    p, r = _unsaid(tmp_path)
    res = _evaluate(p, r, tmp_path / "out", "--mass-kind", "initial")
    assert res.exit_code == 2
    assert "--mass-kind must be one of stellar, formed, got 'initial'" in res.output
    assert "Traceback" not in res.output and not (tmp_path / "out").exists()


def test_mass_kind_is_refused_with_catalogs(tmp_path):
    # every LEGUS field says its masses are stellar: the option would be ignored without a word
    d = tmp_path / "legus"
    d.mkdir()
    res = CliRunner().invoke(app, ["evaluate", "--catalogs", str(d), "--mass-kind", "stellar",
                                   "-o", str(tmp_path / "out")])
    assert res.exit_code == 2 and "--mass-kind applies to one classified catalogue (PRED)" in res.output, res.output
