"""`starclass info` end to end, and exit code 2 with a named culprit on bad input."""

from __future__ import annotations

import numpy as np
import pytest
import typer.main
from astropy.table import Table
from typer.testing import CliRunner

from starclass.bands import BANDS
from starclass.cli import app
from starclass.io.catalog import write_catalog
from starclass.io.mosaic import write_mosaic
from test_io_mosaic import image, make_wcs  # tests/ is on sys.path under pytest


def invoke(*args):
    """Run ``starclass info ...`` (typer runs a lone command without its name: handle both)."""
    cmd = typer.main.get_command(app)
    argv = list(args) if hasattr(cmd, "commands") else list(args[1:])
    return CliRunner().invoke(app, argv)


def test_info_legus_counts(legus_tab, tmp_path):
    reg = tmp_path / "legus.reg"
    res = invoke("info", str(legus_tab), "--ds9", str(reg))
    assert res.exit_code == 0, res.output
    assert "rows: 2752" in res.output
    assert ("class_ref: 1 (symmetric compact cluster): 477  2 (asymmetric compact cluster): 404  3 (compact "
            "association): 692  4 (artefact / non-cluster): 878  (2451 labelled") in res.output, res.output
    assert "bands: f275w, f336w, f438w, f555w, f814w" in res.output
    assert "f555w" in res.output and "16.137" in res.output  # brightest V magnitude
    assert reg.exists() and reg.read_text().count("circle") == 2752


def test_info_generic_catalogue_with_map(tmp_path):
    p = tmp_path / "mine.csv"
    Table({"NUM": [1, 2, 3], "X_IMAGE": [1.0, 2.0, 3.0], "Y_IMAGE": [4.0, 5.0, 6.0],
           "mag_f814w": [20.0, 21.0, 22.0], "class_pred": [1, 1, 3]}).write(p)
    res = invoke("info", str(p), "--map", "NUM=id")
    assert res.exit_code == 0, res.output
    assert "rows: 3" in res.output and "class_pred: 1: 2  2: 0  3: 1  4: 0" in res.output
    assert "x 0.0 .. 2.0" in res.output  # X_IMAGE is 1-based


def test_info_mosaics(tmp_path):
    paths = []
    for b in ("f555w", "f814w"):
        paths.append(str(write_mosaic(tmp_path / f"g_{b}.fits", image(), b, make_wcs(),
                                      photflam=BANDS[b].photflam, photplam=BANDS[b].photplam)))
    res = invoke("info", *paths)
    assert res.exit_code == 0, res.output
    assert "f555w" in res.output and "f814w" in res.output
    assert "0.0400 arcsec/px" in res.output and "50 x 40" in res.output


@pytest.mark.parametrize("case", ["missing_column", "empty", "unreadable", "missing_file",
                                  "shape_mismatch", "wcs_mismatch", "all_nan"])
def test_bad_input_exit_code_2(tmp_path, case):
    if case == "missing_column":
        p = tmp_path / "c.ecsv"
        write_catalog(Table({"id": [1, 2], "x": [1.0, 2.0]}), p)
        args, culprit = [str(p)], "'y'"
    elif case == "empty":
        p = tmp_path / "e.tab"
        p.write_text("\n")
        args, culprit = [str(p)], "e.tab has no rows"
    elif case == "unreadable":
        p = tmp_path / "u.parquet"
        p.write_bytes(b"\x00\x01garbage" * 50)
        args, culprit = [str(p)], "u.parquet"
    elif case == "missing_file":
        args, culprit = [str(tmp_path / "nope.ecsv")], "nope.ecsv"
    else:
        data2 = image()
        wcs2 = make_wcs()
        if case == "shape_mismatch":
            data2 = image(shape=(41, 50))
        elif case == "wcs_mismatch":
            wcs2 = make_wcs(crval=(65.001, -54.9))
        a = write_mosaic(tmp_path / "a_f555w.fits", image(), "f555w", make_wcs(), photflam=1e-19, photplam=5300.0)
        if case == "all_nan":
            data2 = np.full((40, 50), np.nan, np.float32)
        b = write_mosaic(tmp_path / "b_f814w.fits", data2, "f814w", wcs2, photflam=1e-19, photplam=8000.0)
        args, culprit = [str(a), str(b)], "b_f814w.fits"
    res = invoke("info", *args)
    assert res.exit_code == 2, res.output
    assert "error:" in res.output and culprit in res.output
    assert "Traceback" not in res.output


def test_info_dir_text_names_files_that_share_a_field(tmp_path):
    """A simulated field's truth.ecsv and humans.ecsv are both galaxy SIM-1: two rows 'SIM-1', files not shown."""
    from typer.testing import CliRunner

    from starclass.cli import app

    for name, classes in (("truth.ecsv", [1, 2, 2]), ("humans.ecsv", [1, 1, 4])):
        Table({"id": [1, 2, 3], "x": [1.0, 2.0, 3.0], "y": [1.0, 2.0, 3.0], "class_ref": classes,
               "galaxy": ["SIM-1"] * 3}).write(tmp_path / name)
    res = CliRunner().invoke(app, ["info", str(tmp_path)])
    assert res.exit_code == 0, res.output
    rows = [line for line in res.output.splitlines() if "SIM-1" in line]
    assert len(rows) == 2
    assert any("truth.ecsv" in r for r in rows) and any("humans.ecsv" in r for r in rows)


def test_info_bad_ds9_coords_is_named_before_the_summary(tmp_path):
    """--ds9-coords foo failed as "coords must be 'image' or 'fk5'" after printing the whole summary."""
    from typer.testing import CliRunner

    from starclass.cli import app

    Table({"id": [1], "x": [1.0], "y": [1.0]}).write(tmp_path / "c.ecsv")
    res = CliRunner().invoke(app, ["info", str(tmp_path / "c.ecsv"), "--ds9", str(tmp_path / "c.reg"),
                                   "--ds9-coords", "foo"])
    assert res.exit_code == 2 and res.output.startswith("error: --ds9-coords"), res.output
    assert not (tmp_path / "c.reg").exists()


def test_info_ds9_regions_keep_the_catalogue_ids_when_read_back(tmp_path):
    """info --ds9 wrote circles without labels, so the file read back as a catalogue numbered them 1..N."""
    from starclass.io.catalog import read_catalog

    Table({"id": [101, 7, 55], "x": [10.0, 20.5, 30.0], "y": [5.0, 6.0, 7.25],
           "class_pred": [1, 2, 4]}).write(tmp_path / "c.ecsv")
    reg = tmp_path / "c.reg"
    res = CliRunner().invoke(app, ["info", str(tmp_path / "c.ecsv"), "--ds9", str(reg)])
    assert res.exit_code == 0, res.output
    back = read_catalog(reg)
    assert back["id"].tolist() == [101, 7, 55]  # old: 1, 2, 3
    assert np.allclose(back["x"], [10.0, 20.5, 30.0]) and np.allclose(back["y"], [5.0, 6.0, 7.25])


@pytest.mark.parametrize("option", [["--out-format", "csv"], ["--bands", "f275w,f336w,f435w,f555w,f814w"]])
def test_info_refuses_options_that_do_nothing_for_the_file(tmp_path, option):
    """--out-format (a folder's summary) and --bands (a LEGUS .tab's filters) were ignored for an ECSV table."""
    from typer.testing import CliRunner

    from starclass.cli import app

    Table({"id": [1], "x": [1.0], "y": [1.0], "mag_f555w": [21.0]}).write(tmp_path / "c.ecsv")
    res = CliRunner().invoke(app, ["info", str(tmp_path / "c.ecsv"), *option])
    assert res.exit_code == 2 and res.output.startswith(f"error: {option[0]}") and "c.ecsv" in res.output, res.output
