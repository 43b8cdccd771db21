"""Messages name only options the command has.

The library's errors and warnings reach every command that reads a catalogue; a hint such as
``--map NAME=id`` is only right where the command takes ``--map`` (only ``info`` does). An
option of another command is fine when the message says which (``starclass info FILE --map``).
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import typer.main
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from test_io_legus import _line, _standard_row  # tests/ is on sys.path under pytest

runner = CliRunner()


def command_options(name: str) -> set[str]:
    """Every ``--option`` (and ``--no-option``) of ``starclass NAME``."""
    cmd = typer.main.get_command(app).commands[name]
    return {o for p in cmd.params for o in (*p.opts, *p.secondary_opts) if o.startswith("--")} | {"--help"}


def foreign_options(text: str, name: str) -> list[str]:
    """Options named in ``text`` that ``starclass NAME`` lacks.

    An option is checked against the command that the same clause names (``starclass info ...
    --map``; a clause ends at ``;``, ``(`` or ``)``), else against ``NAME``.

    Examples
    --------
    >>> foreign_options("error: give --overwrite; starclass info --map A=id helps", "evaluate")
    []
    """
    bad = []
    for clause in re.split(r"[;()]", text):
        named = re.search(r"starclass (\w+)", clause)
        own = command_options(named.group(1) if named else name)
        for m in re.finditer(r"(?<![\w-])--[a-z][a-z0-9-]*", clause):
            if m.group(0) not in own:
                bad.append(m.group(0))
    return bad


def test_helper_finds_a_foreign_option():
    # classify: evaluate and report take --map too since 2026-12-06 (with --catalogs)
    assert foreign_options("name it with --map class_ref=N", "classify") == ["--map"]
    assert foreign_options("name it with --map class_ref=N", "info") == []


def test_evaluate_catalogue_without_id_names_no_missing_option(tmp_path):
    p = tmp_path / "noid.csv"
    Table({"name": ["a", "b"], "x": [1.0, 3.0], "y": [2.0, 4.0], "class_pred": [1, 2],
           "class_ref": [1, 2]}).write(p, format="ascii.csv")
    res = runner.invoke(app, ["evaluate", str(p), "-o", str(tmp_path / "ev")])
    assert res.exit_code == 2
    assert "required column 'id' missing" in res.output and "Traceback" not in res.output
    assert foreign_options(res.output, "evaluate") == []


def test_evaluate_uncertain_legus_layout_names_no_missing_option(tmp_path):
    # the NGC 3351 / NGC 4242 / NGC 45 layout: col 34 only 0/1, 37 columns
    p = tmp_path / "hlsp_legus_hst_wfc3_ngcx_multiband_v1_padagb-mwext-avgapcor.tab"
    rows = [_standard_row(i, i % 2, 0.0, extra=(k, 1)) for i, k in enumerate((1, 2, 3, 4, 0), start=1)]
    p.write_text("\n".join(_line(r) for r in rows) + "\n")
    res = runner.invoke(app, ["evaluate", str(p), "-o", str(tmp_path / "ev"), "--bootstrap", "0"])
    assert "layout 'unknown-class' is uncertain" in res.output
    assert foreign_options(res.output, "evaluate") == []


def test_cutouts_fields_count_mismatch_names_no_missing_option(tmp_path):
    cat = tmp_path / "c.ecsv"
    Table({"id": np.arange(2), "x": [1.0, 2.0], "y": [1.0, 2.0]}).write(cat)
    for d in ("f1", "f2"):
        (tmp_path / d).mkdir()
    res = runner.invoke(app, ["cutouts", str(tmp_path / "f1"), str(tmp_path / "f2"), "--catalog", str(cat),
                              "--catalog", str(cat), "--catalog", str(cat), "-o", str(tmp_path / "s.h5")])
    assert res.exit_code == 2
    assert "2 mosaics folders but 3 --catalog" in res.output
    assert foreign_options(res.output, "cutouts") == []
    assert not (tmp_path / "s.h5").exists()


# every command's quick refusals: each must exit 2 and name only options the command has
SWEEP = [
    ["classify", "m", "--catalog", "c.ecsv", "--model", "nomodel", "-o", "o.ecsv"],
    ["classify", "m", "--model", "nomodel", "-o", "o.ecsv"],
    ["classify", "--stamps", "c.ecsv", "--model", "nomodel", "-o", "o.ecsv", "--coverage", "1.5"],
    ["calibrate", "nomodel", "m", "--catalog", "c.ecsv"],
    ["calibrate", "nomodel", "m", "--catalog", "c.ecsv", "--method", "foo"],
    ["suggest", "nomodel", "c.ecsv", "-n", "0", "-o", "s.ecsv"],
    ["suggest", "nomodel", "c.ecsv", "--mag-bins", "0", "-o", "s.ecsv"],
    ["train", "--mosaics", "m", "--catalog", "c.ecsv", "-o", "model", "--cv", "1"],
    ["train", "--mosaics", "m", "--catalog", "c.ecsv", "-o", "model", "--label-model", "foo"],
    ["train", "--mosaics", "m", "--catalog", "c.ecsv", "-o", "model", "--calibration-method", "foo"],
    ["train", "--mosaics", "m", "--catalog", "c.ecsv", "-o", "model", "--holdout", "ngc1"],
    ["train", "--mosaics", "m", "--catalog", "c.ecsv", "-o", "model", "--resume-from", "a", "--init-from", "b"],
    ["detect", "m", "-o", "d.ecsv", "--magsys", "foo"],
    ["detect", "m", "-o", "d.ecsv", "--mci-polygon", "1,2"],
    ["detect", "m", "-o", "d.ecsv", "--aperture-correction", "foo"],
    ["detect", "m", "-o", "d.ecsv", "--ci-min", "2", "--ci-max", "1"],
    ["detect", "m", "-o", "d.ecsv", "--crowding-radius", "-1"],
    ["detect", "m", "-o", "c.ecsv"],
    ["evaluate", "--catalogs", "nodir"],
    ["evaluate", "c.ecsv", "--catalogs", "nodir"],
    ["report", "c.ecsv", "-o", "r.html", "--mosaics", "m"],
    ["report", "c.ecsv", "-o", "c.ecsv"],
    ["simulate", "s", "--preset", "nope"],
    ["simulate", "s", "--volunteers", "3"],
    ["simulate", "s", "--n", "5"],
    ["cutouts", "s.h5", "--merge", "-o", "t.h5"],
    ["cutouts", "m", "--catalog", "c.ecsv", "-o", "s.h5", "--phangs-fits-dir", "p", "--phangs-size", "0"],
    ["info", "c.ecsv", "--map", "nope"],
    ["info", ".", "--out-format", "xml"],
]


def test_quick_refusals_of_every_command_name_only_its_options(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Table({"id": [1, 2], "x": [1.0, 2.0], "y": [1.0, 2.0], "class_ref": [1, 2], "class_pred": [1, 2]}).write("c.ecsv")
    for args in SWEEP:
        res = runner.invoke(app, args)
        assert res.exit_code == 2, (args, res.output)
        assert res.output.startswith("error: ") and "Traceback" not in res.output, (args, res.output)
        assert foreign_options(res.output, args[0]) == [], (args, res.output)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.ecsv"]  # nothing written


@pytest.mark.parametrize("extra, option, param", [
    (["--scales", "1,x"], "--scales", "scales:"),
    (["--scales", "0"], "--scales", "scales:"),
    (["--normalisation", "zz"], "--normalisation", "normalisation:"),
    (["--softening-mag", "x"], "--softening-mag", "softening_mag"),
    (["--task", "legus4-compact", "--scales", "0.5"], "--scales", "scales must"),
])
def test_cutouts_option_errors_name_the_option_typed(tmp_path, monkeypatch, extra, option, param):
    """The messages named the library's parameters (``scales:``, ``softening_mag:``), not the options."""
    monkeypatch.chdir(tmp_path)
    Table({"id": [1, 2], "x": [1.0, 2.0], "y": [1.0, 2.0]}).write("c.ecsv")
    res = runner.invoke(app, ["cutouts", "m", "--catalog", "c.ecsv", "-o", "s.h5", *extra])
    assert res.exit_code == 2 and "Traceback" not in res.output, res.output
    assert option in res.output and param not in res.output.replace(option, ""), res.output
    assert foreign_options(res.output, "cutouts") == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.ecsv"]


def test_detect_names_the_detection_band_of_a_ground_field_in_the_recovery_line(tmp_path):
    # on a g/i field "classes 1-3 brighter than m_V = 23.5" named a V band the field has not; the
    # line next to it says "median measured - true g magnitude"
    from typer.testing import CliRunner

    from starclass.cli import app

    runner = CliRunner()
    field = tmp_path / "m31"
    r = runner.invoke(app, ["simulate", str(field), "--preset", "m31", "--size", "64", "--n-candidates", "12",
                            "--seed", "2", "--quiet"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["detect", str(field), "-o", str(tmp_path / "c.ecsv"), "--truth", str(field / "truth.ecsv"),
                            "--no-progress"])
    assert r.exit_code == 0, r.output
    assert "classes 1-3 brighter than m_g = 23.5" in r.output and "m_V" not in r.output, r.output
