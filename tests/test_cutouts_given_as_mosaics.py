"""A cutout folder typed where the mosaics go, or its CSV as ``--catalog``, is named as such, with ``--stamps``.

Found by a new user's walk through docs/real_images.md (2026-12-06): with a folder of labelled PNGs,
``classify my_cutouts --model M -o out.csv`` said "give the mosaics and --catalog, or a cutout folder with
--stamps", ``classify my_cutouts -c cat.ecsv ...`` said "no FITS images found in my_cutouts", ``classify
field/ -c my_cutouts/labels.csv ...`` said "required column 'id' missing", ``calibrate M my_cutouts`` "give the
mosaics and --catalog, or a labelled cutout folder with --stamps" and ``train -m my_cutouts`` "give the labelled
catalogue (--catalog)": none said that the folder is right and only the option wrong. Each now says what the
path is and to give it with ``--stamps PATH`` (exit 2, nothing written).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import one_band_model, write_noise_cutout_folder, write_toy_mosaics  # tests/ is on sys.path
from starclass.cli import app

pytestmark = pytest.mark.usefixtures("single_thread")
runner = CliRunner()


def _said(res) -> str:
    return " ".join(res.output.split())


@pytest.fixture()
def made(tmp_path):
    """An ImageFolder directory (no CSV), the same cutouts listed in a CSV, a model, a catalogue and mosaics."""
    image_folder = tmp_path / "my cutouts"
    listed = write_noise_cutout_folder(image_folder, 16)
    csv_list = tmp_path / "list" / "labels.csv"
    csv_list.parent.mkdir()
    header, *rows = listed.read_text().splitlines()
    csv_list.write_text("\n".join([header, *(f"../my cutouts/{row}" for row in rows)]) + "\n")
    listed.unlink()  # the folder is read by its label sub-folders
    model = one_band_model(tmp_path / "model")
    catalogue = tmp_path / "cat.ecsv"
    Table({"id": [1], "x": [10.0], "y": [10.0]}).write(catalogue)
    field = tmp_path / "field"
    field.mkdir()
    write_toy_mosaics(field)
    return {"folder": image_folder, "csv": csv_list, "model": model, "cat": catalogue, "field": field,
            "root": tmp_path}


def _refused(res, path: Path, what: str, out: Path) -> None:
    said = _said(res)
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    assert what in said, said
    assert f"give it with --stamps {path}" in said, said
    assert not out.exists()


def test_classify_folder_as_the_mosaics(made):
    out = made["root"] / "out.csv"
    what = "is a folder of labelled cutouts (one sub-folder per label: cluster, galaxy), not FITS mosaics"
    for extra in ([], ["-c", str(made["cat"])]):
        res = runner.invoke(app, ["classify", str(made["folder"]), *extra, "--model", str(made["model"]),
                                  "-o", str(out)])
        _refused(res, made["folder"], f"{made['folder']} {what}", out)


def test_classify_cutout_list_as_the_catalogue(made):
    out = made["root"] / "out.csv"
    res = runner.invoke(app, ["classify", str(made["field"]), "-c", str(made["csv"]), "--model", str(made["model"]),
                              "-o", str(out)])
    _refused(res, made["csv"], f"--catalog {made['csv']} is a list of cutout images (column 'file')", out)
    assert "required column 'id'" not in _said(res)


def test_calibrate_folder_as_the_mosaics(made):
    manifest = (made["model"] / "manifest.json").read_bytes()
    res = runner.invoke(app, ["calibrate", str(made["model"]), str(made["folder"]), "--overwrite"])
    _refused(res, made["folder"], "a folder of labelled cutouts (one sub-folder per label", made["root"] / "none")
    res = runner.invoke(app, ["calibrate", str(made["model"]), str(made["field"]), "-c", str(made["csv"]),
                              "--overwrite"])
    _refused(res, made["csv"], "is a list of cutout images", made["root"] / "none")
    assert (made["model"] / "manifest.json").read_bytes() == manifest


def test_train_folder_as_mosaics_or_list_as_catalogue(made):
    out = made["root"] / "new_model"
    res = runner.invoke(app, ["train", "--task", "cool-core-compact", "-m", str(made["folder"]), "-o", str(out)])
    _refused(res, made["folder"], "a folder of labelled cutouts (one sub-folder per label", out)
    res = runner.invoke(app, ["train", "--task", "cool-core-compact", "-c", str(made["csv"]), "-o", str(out)])
    _refused(res, made["csv"], "is a list of cutout images (column 'file')", out)


def test_mosaics_and_catalogues_are_not_called_cutouts(made, tmp_path):
    """Guard: a folder of FITS mosaics, a catalogue of positions and a missing path are not cutouts."""
    from starclass.io.cutout_folders import cutouts_not_mosaics

    plain = tmp_path / "cat.csv"
    plain.write_text("id,x,y\n1,10,10\n")
    assert cutouts_not_mosaics(made["field"]) is None
    assert cutouts_not_mosaics(plain) is None
    assert cutouts_not_mosaics(made["cat"]) is None
    assert cutouts_not_mosaics(tmp_path / "missing") is None
    flat = tmp_path / "flat"
    flat.mkdir()
    for f in (made["folder"] / "galaxy").iterdir():
        (flat / f.name).write_bytes(f.read_bytes())
    assert cutouts_not_mosaics(flat) == "a folder of cutout images (8 NPY files)"
