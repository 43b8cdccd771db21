"""A band given twice is refused in one wording everywhere: :func:`starclass.schema.check_distinct_bands`.

Before 2026-12-05 the CLI's ``--bands`` options shared that check but other paths kept their own
copies or none: ``info X.tab --bands f275w,f336w,f555w,f555w,f814w`` read a LEGUS catalogue with
two columns named ``mag_f555w`` (one band's magnitudes lost, exit 0) and ``info --bands f555w,f555w``
said "LEGUS catalogues have five bands"; ``detect(mosaics, bands=["f555w", "f555w"])`` measured the
band twice and ``extract_stamps(..., bands=[...twice])`` cut two identical channels; a
``SimConfig`` said "bands: duplicated band in ..." and a task file "'bands' has duplicates".
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import typer
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError

runner = CliRunner()
WORDS = "names band f555w twice (f555w,f555w); give each band once"


@pytest.fixture
def toy(tmp_path, monkeypatch):
    from conftest import write_toy_mosaics  # tests/ is on sys.path under pytest
    from starclass.datasets.catalogs import write_fake_legus_folder

    monkeypatch.chdir(tmp_path)
    write_toy_mosaics(tmp_path)
    Table({"id": [1, 2], "x": [40.0, 20.0], "y": [40.0, 60.0]}).write("c.ecsv")
    legus = write_fake_legus_folder(tmp_path / "legus")
    return tmp_path, sorted(legus.glob("*ngc628-c*.tab"))[0]


def _commands(tab: Path) -> dict[str, list[str]]:
    return {
        "simulate": ["simulate", "sim", "--size", "64"],
        "detect": ["detect", ".", "-o", "det.ecsv"],
        "cutouts": ["cutouts", "toy_f555w.fits", "toy_f814w.fits", "--catalog", "c.ecsv", "-o", "s.h5",
                    "--no-progress"],
        "info": ["info", str(tab)],
    }


def test_the_cases_cover_every_command_with_a_bands_option():
    # a command that gains --bands must join the parametrised test below
    cmd = typer.main.get_command(app)
    with_bands = sorted(n for n, c in cmd.commands.items() if any("--bands" in p.opts for p in c.params))
    assert with_bands == sorted(_commands(Path("x.tab"))), with_bands


@pytest.mark.parametrize("name", ["simulate", "detect", "cutouts", "info"])
def test_every_bands_option_refuses_a_band_twice_in_one_wording(name, toy):
    folder, tab = toy
    before = sorted(p.name for p in folder.iterdir())
    r = runner.invoke(app, [*_commands(tab)[name], "--bands", "f555w,f555w"])
    out = " ".join(r.output.split())
    assert r.exit_code == 2 and "Traceback" not in r.output, r.output
    assert f"error: --bands {WORDS}" in out, out
    assert sorted(p.name for p in folder.iterdir()) == before  # nothing written


def test_info_refuses_five_legus_filters_with_one_twice(toy):
    # read before: two columns named mag_f555w, the V band's magnitudes in the I band's place, exit 0
    _, tab = toy
    r = runner.invoke(app, ["info", str(tab), "--bands", "f275w,f336w,f555w,f555w,f814w"])
    assert r.exit_code == 2, r.output
    assert "--bands names band f555w twice (f275w,f336w,f555w,f555w,f814w)" in " ".join(r.output.split())


def test_the_python_functions_raise_the_same_error(toy):
    from starclass.detect import detect
    from starclass.io.catalog import read_catalog
    from starclass.io.mosaic import read_mosaics
    from starclass.simulate.config import SimConfig
    from starclass.stamps.extract import extract_stamps

    folder, tab = toy
    twice = ["f555w", "f555w"]
    mosaics = read_mosaics(folder)
    calls = {
        "read_mosaics": lambda: read_mosaics(folder, bands=twice),
        "detect": lambda: detect(mosaics, bands=twice),
        "extract_stamps": lambda: extract_stamps(mosaics, np.array([40.0]), np.array([40.0]), 8, twice),
        "SimConfig": lambda: SimConfig(bands=tuple(twice)).validate(),
    }
    for name, call in calls.items():
        with pytest.raises(StarclassError) as info:
            call()
        assert str(info.value) == f"bands {WORDS}", (name, str(info.value))
    with pytest.raises(StarclassError, match=r"^bands names band f555w twice \(f275w,f336w,f555w,f555w,f814w\)"):
        read_catalog(tab, bands=["f275w", "f336w", "f555w", "f555w", "f814w"])


def test_a_task_file_with_a_band_twice_says_so_in_the_same_words(tmp_path):
    from starclass.learn.config import load_config

    task = tmp_path / "two.yaml"
    task.write_text("extends: legus4\nbands: [f555w, F555W]\n")
    with pytest.raises(StarclassError, match=r"'bands' names band f555w twice \(f555w,f555w\); give each band once"):
        load_config(task)


def test_distinct_bands_still_pass(toy):
    from starclass.detect import detect
    from starclass.io.mosaic import read_mosaics

    folder, _ = toy
    assert len(detect(read_mosaics(folder), bands=["f555w", "f814w"])) > 0
