"""``starclass info`` on the SSP model table describes it as one, not as a catalogue lacking an id.

Walking the shared data as a user (2026-12-07), ``starclass info ../shared/data/ssp/yggdrasil_..._AB.txt`` (the
table ``evaluate``/``report --ssp`` take) said "required column 'id' missing ...; name a column 'id' in the file",
and ``info ../shared/data/ssp`` the same after "no catalogue could be read": advice to edit a model table.
No ../shared needed: the packaged table is the same file.
"""

from __future__ import annotations

import shutil
from importlib import resources

import numpy as np
from typer.testing import CliRunner

from starclass.cli import app
from starclass.science.ssp import SSP_FILE, load_ssp

runner = CliRunner()


def _copy(tmp_path, name=SSP_FILE):
    d = tmp_path / "ssp"
    d.mkdir()
    shutil.copy(str(resources.files("starclass") / "data" / SSP_FILE), d / name)
    return d / name


def test_info_describes_the_ssp_table_from_its_own_rows(tmp_path):
    path = _copy(tmp_path)
    res = runner.invoke(app, ["info", str(path)])
    assert res.exit_code == 0, res.output
    assert "required column 'id'" not in res.output
    lines = res.output.splitlines()
    assert lines[0] == f"SSP model table: {path}"
    assert "Yggdrasil (Zackrisson et al. 2011), Z=0.020, Kroupa IMF, fcov=1" in lines[1] and "AB magnitudes" in lines[1]
    # the ages and redshifts as the file holds them, counted here from its rows
    raw = np.loadtxt(path, skiprows=1, ndmin=2)
    at_zero = raw[np.isclose(raw[:, 0], 0.0), 1]
    z = np.unique(raw[:, 0])
    assert lines[2] == (f"ages: {len(at_zero)} from {at_zero.min():.2g} to {at_zero.max():.2g} yr at redshift 0 "
                        f"({len(z)} redshifts in the file, {z.min():g} to {z.max():g})")
    header = path.read_text().splitlines()[0].split()
    assert lines[3] == "bands: " + ", ".join(h.upper().replace("_IR", "") for h in header[4:])
    assert "--ssp" in lines[4]
    assert len(at_zero) == len(load_ssp(path))


def test_info_of_its_folder_names_it_as_an_ssp_table(tmp_path):
    path = _copy(tmp_path)
    res = runner.invoke(app, ["info", str(path.parent)])
    assert res.exit_code == 2, res.output
    assert "required column 'id'" not in res.output and "Traceback" not in res.output
    assert f"{path.name}: not a catalogue, skipped: an SSP model table" in res.output
    assert f"'starclass info {path}' describes it" in res.output


def test_a_damaged_ssp_table_is_refused_naming_it(tmp_path):
    path = _copy(tmp_path, "my_model.txt")
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0], lines[1], "0.0 1e5 oops"]) + "\n")
    res = runner.invoke(app, ["info", str(path)])
    assert res.exit_code == 2, res.output
    assert "my_model.txt" in res.output and "Traceback" not in res.output
