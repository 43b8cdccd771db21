"""``evaluate --catalogs`` and ``report --catalogs`` take ``--ssp``: each field's mass limits and curve come from it.

Each field's mass-function limit (``mass_slopes.ecsv``'s ``log_mass_min``) and mass-completeness curve
(``mass_completeness.ecsv``) are the mass an SSP model gives a cluster at the field's V limit, and its SED
check reads the same model; docs/legus_validation.md says a table of LEGUS's own covering fraction (0.5) is
taken with ``--ssp FILE``. Until 2026-12-07 ``--ssp`` with ``--catalogs`` was refused ("--ssp applies to one
classified catalogue (PRED), not to --catalogs"), so the fields were always measured with the packaged table
(found walking the LEGUS folder as a user).

No ../shared needed: three synthetic LEGUS fields, and the packaged table with every magnitude 0.5 mag
fainter, which must raise every limit by 0.4 x 0.5 = 0.2 dex.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.datasets.catalogs import write_fake_legus_folder
from starclass.science.ssp import SSP_FILE

runner = CliRunner()
FAINT = "yggdrasil_Z0.008_kroupa_fcov0.5_inst_HST_AB.txt"  # what its name says is what the caption reads


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("catalogs_ssp")
    legus = write_fake_legus_folder(d / "legus")
    lines = (resources.files("starclass") / "data" / SSP_FILE).read_text().splitlines()
    data = np.loadtxt(lines[1:], ndmin=2)
    data[:, 4:] += 0.5  # every band 0.5 mag fainter: the mass at a given magnitude 10^0.2 times larger
    body = [" ".join(f"{v:.6e}" for v in row) for row in data]
    (d / FAINT).write_text("\n".join([lines[0], *body]) + "\n")
    return legus, d / FAINT


def _evaluate(legus: Path, out: Path, *extra: str) -> tuple[Table, Table, str]:
    res = runner.invoke(app, ["evaluate", "--catalogs", str(legus), *extra, "-o", str(out)])
    assert res.exit_code == 0, res.output
    return (Table.read(out / "tables" / "mass_completeness.ecsv"), Table.read(out / "tables" / "mass_slopes.ecsv"),
            res.output)


def test_evaluate_catalogs_takes_the_limits_and_curves_from_the_ssp_given(folder, tmp_path):
    legus, faint = folder
    comp0, slopes0, out0 = _evaluate(legus, tmp_path / "packaged")
    comp1, slopes1, out1 = _evaluate(legus, tmp_path / "faint", "--ssp", str(faint))
    assert list(comp1["field"]) == list(comp0["field"]) and len(comp0) > 10
    assert np.allclose(comp1["log_age"], comp0["log_age"])
    # the same fields, limits and ages; every mass 0.2 dex higher
    assert np.allclose(comp1["mag_limit"], comp0["mag_limit"])
    assert np.allclose(np.asarray(comp1["log_mass_limit"]) - np.asarray(comp0["log_mass_limit"]), 0.2, atol=1e-3)
    assert np.allclose(np.asarray(slopes1["log_mass_min"]) - np.asarray(slopes0["log_mass_min"]), 0.2, atol=0.011)
    # the terminal names the table used, and the report command it proposes carries it
    assert "SSP model of the mass limits" in out1 and "Z=0.008" in out1 and "fcov=0.5" in out1
    assert "SSP model of the mass limits" not in out0
    assert f"--ssp {faint}" in out1.splitlines()[-1]


def test_report_catalogs_names_the_ssp_on_its_page(folder, tmp_path):
    legus, faint = folder
    page = tmp_path / "rep" / "legus.html"
    res = runner.invoke(app, ["report", "--catalogs", str(legus), "--ssp", str(faint), "-o", str(page)])
    assert res.exit_code == 0, res.output
    assert "Z=0.008" in res.output
    text = page.read_text()
    assert "SSP model: Yggdrasil (Zackrisson et al. 2011), Z=0.008" in text and FAINT in text


def test_a_table_that_is_not_one_is_refused_with_catalogs_before_any_work(folder, tmp_path):
    legus, _ = folder
    bad = tmp_path / "model.txt"
    bad.write_text("not a table\n")
    out = tmp_path / "ev"
    res = runner.invoke(app, ["evaluate", "--catalogs", str(legus), "--ssp", str(bad), "-o", str(out)])
    assert res.exit_code == 2, res.output
    assert "--ssp" in res.output and "model.txt" in res.output and "Traceback" not in res.output
    assert not out.exists()
