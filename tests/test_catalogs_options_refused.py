"""Options of one catalogue given with ``--catalogs`` (and ``--min-inspected`` without it) are refused.

``starclass evaluate --catalogs ../shared/data/legus --distance 10 -o many`` placed every field at its
galaxy's own distance (``science.many.FIELD_DISTANCES_MPC``) and said nothing of the 10 Mpc asked
for; ``-r``, ``--task``, ``--radius``, ``--label-column``, ``--model``, ``--target-purity`` (and
``report``'s ``--mosaics``, ``--stamps``) were ignored the same way, and ``--min-inspected`` with one
catalogue (PRED). Each is now an error naming the options as typed (exit 2, nothing written).
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


@pytest.mark.parametrize("command", ["evaluate", "report"])
@pytest.mark.parametrize(("extra", "named"), [
    (["--distance", "10"], "--distance applies"),
    (["-r", "self", "--task", "legus4"], "--reference, --task apply"),
    (["--radius", "2"], "--radius applies"),  # the default typed: still a sign the user expects it used
    (["--model", "model_dir"], "--model applies"),
    (["--group-column", "object_id"], "--group-column applies"),  # ignored without a word until 2026-12-05
    (["--file-column", "filename"], "--file-column applies"),  # an option since 2026-12-06
])
def test_an_option_of_one_catalogue_with_catalogs_is_refused_naming_it(tmp_path, command, extra, named):
    (tmp_path / "legus").mkdir()
    out = tmp_path / ("out" if command == "evaluate" else "rep/page.html")
    res = runner.invoke(app, [command, "--catalogs", str(tmp_path / "legus"), *extra, "-o", str(out)])
    assert res.exit_code == 2, res.output
    assert f"error: {named} to one classified catalogue (PRED), not to --catalogs" in res.output
    assert "Traceback" not in res.output and not out.exists()
    if "--distance" in extra:
        assert "FIELD_DISTANCES_MPC" in res.output  # where the distances come from instead


def test_target_purity_with_catalogs_is_refused(tmp_path):
    (tmp_path / "legus").mkdir()
    res = runner.invoke(app, ["evaluate", "--catalogs", str(tmp_path / "legus"), "--target-purity", "0.5",
                              "-o", str(tmp_path / "out")])
    assert res.exit_code == 2 and "error: --target-purity applies to one classified catalogue" in res.output


def test_bootstrap_and_no_science_stay_harmless_with_catalogs(tmp_path):
    # they only save work: accepted, as scripts pass them (the folder here holds no catalogue)
    (tmp_path / "legus").mkdir()
    res = runner.invoke(app, ["evaluate", "--catalogs", str(tmp_path / "legus"), "--no-science", "--bootstrap", "0",
                              "-o", str(tmp_path / "out")])
    assert res.exit_code == 2 and "no LEGUS .tab (or .tab.gz) catalogue in" in res.output, res.output


def test_min_inspected_with_one_catalogue_is_refused(tmp_path):
    t = Table({"id": np.arange(1, 9), "x": np.arange(8.0), "y": np.arange(8.0),
               "class_pred": np.array([1, 2, 3, 4] * 2, np.int16), "class_ref": np.array([1, 2, 4, 4] * 2, np.int16)})
    t.write(tmp_path / "cat.ecsv")
    for command, out in (("evaluate", tmp_path / "ev"), ("report", tmp_path / "rep" / "r.html")):
        res = runner.invoke(app, [command, str(tmp_path / "cat.ecsv"), "--min-inspected", "5", "-o", str(out)])
        assert res.exit_code == 2, res.output
        assert "error: --min-inspected applies to --catalogs DIR" in res.output and not out.exists()


def test_python_callers_are_not_refused():
    from starclass.cli._app import refuse_given_with_catalogs

    refuse_given_with_catalogs(None)  # called outside a command: nothing was typed


def test_real_legus_folder_without_those_options_still_runs(tmp_path, legus_tab):
    # two galaxies of the real catalogues (NGC 628-C, NGC 1433): the plain call is unchanged
    folder = tmp_path / "legus"
    folder.mkdir()
    for name in ("hlsp_legus_hst_acs-wfc3_ngc628-c_multiband_v1_padagb-mwext-avgapcor.tab",
                 "hlsp_legus_hst_wfc3_ngc1433_multiband_v1_padagb-mwext-avgapcor.tab"):
        (folder / name).symlink_to(legus_tab.parent / name)
    res = runner.invoke(app, ["evaluate", "--catalogs", str(folder), "--min-inspected", "100",
                              "-o", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("2 fields from"), res.stdout  # the progress lines go to stderr (a log file)
