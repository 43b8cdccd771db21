"""The no-V-band warning is said once by the commands that use the V band, in their words, and by no other.

Until 2026-12-06 ``read_mosaics`` said it for every command: train and classify, which cut stamps
of their task's bands and use no V band, said "f275w ... is used as V (detection, CI, background);
to use another, give detect and cutouts --bands", as did cutouts (whose --bands orders channels,
not a V band) and inspect (which has no --bands); info, whose --bands is for LEGUS .tab files,
pointed to "--bands" without saying whose. Now detect says its own --bands, info says detect's,
inspect says what it shows as V and that detect --bands chooses another, and train,
classify and cutouts say nothing; ``read_mosaics`` in Python keeps the warning.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from starclass.cli import app as cli
from starclass.datasets.labelling import make_demo_field
from starclass.inspect import app as app_module
from starclass.io.catalog import read_catalog, write_catalog
from starclass.io.mosaic import read_mosaics

pytestmark = pytest.mark.usefixtures("cheap_argon2")

NOTE = "no V band (F555W, F606W, F475W, g) among the bands f336w, f814w: f336w, the first,"


@pytest.fixture(scope="module")
def field(tmp_path_factory) -> Path:
    """A demo field without its F555W mosaic (F336W, F814W left), candidates labelled 1-4."""
    d = make_demo_field(tmp_path_factory.mktemp("field"), n=12, size=100, seed=2, predictions=False)
    next(d.glob("*_f555w.fits")).unlink()
    t = read_catalog(d / "candidates.ecsv")
    t["class_ref"] = (np.arange(len(t)) % 4) + 1
    write_catalog(t, d / "candidates.ecsv", overwrite=True)
    return d


@pytest.fixture()
def runner(monkeypatch):
    monkeypatch.setenv("STARCLASS_INSPECT_PASSWORD", "dana-password")
    monkeypatch.setattr(app_module, "serve", lambda *a, **k: print("SERVING"))
    return CliRunner()


def _notes(result) -> list[str]:
    said = " ".join(result.output.split())
    return [f"no V band{part}" for part in said.split("no V band")[1:]]


@pytest.mark.parametrize(("args", "words"), [
    (["detect", "{d}", "-o", "{o}/c.ecsv"], "is used as V (detection, CI, background); to use another, give "
                                             "--bands with it first (e.g. --bands f814w,f336w)"),
    (["info", "{d}"], "is the V band detect would use (detection, CI, background); to use another, give detect "
                      "--bands with it first"),
    (["inspect", "{d}", "--db", "sqlite:///{o}/l.sqlite", "--init", "--add-user", "ann"],
     "is shown as V (the profile, the contours,"),
    (["inspect", "{d}", "--db", "sqlite:///{o}/l.sqlite", "--init", "--no-prerender"],
     "to show another, give detect --bands with it first: inspect shows the band the catalogue was measured with"),
])
def test_commands_that_use_the_v_band_say_it_once_in_their_words(field, runner, tmp_path, args, words):
    r = runner.invoke(cli, [a.format(d=field, o=tmp_path) for a in args])
    assert r.exit_code == 0, r.output
    notes = _notes(r)
    assert len(notes) == 1, notes
    assert notes[0].startswith(NOTE) and words in notes[0], notes[0]
    assert "cutouts --bands" not in notes[0]


def test_commands_that_use_no_v_band_say_nothing_of_it(field, runner, tmp_path):
    task = tmp_path / "uv_i.yaml"
    task.write_text("extends: legus4-compact\nstamp_size: 16\nscales: [1.0]\nbands: [f336w, f814w]\n")
    cat = str(field / "candidates.ecsv")
    r = runner.invoke(cli, ["train", "--task", str(task), "--mosaics", str(field), "--catalog", cat,
                            "-o", str(tmp_path / "m"), "--epochs", "1"])
    assert r.exit_code == 0 and _notes(r) == [], r.output
    r = runner.invoke(cli, ["classify", str(field), "--catalog", cat, "--model", str(tmp_path / "m"),
                            "-o", str(tmp_path / "cl.ecsv")])
    assert r.exit_code == 0 and _notes(r) == [], r.output
    r = runner.invoke(cli, ["cutouts", str(field), "--catalog", cat, "-o", str(tmp_path / "st.h5")])
    assert r.exit_code == 0 and _notes(r) == [], r.output


def test_python_keeps_the_warning_and_names_bands(field):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        read_mosaics(field, require_zeropoint=False)
        read_mosaics(field, require_zeropoint=False, warn_v_band=False)
    notes = [str(w.message) for w in caught if "no V band" in str(w.message)]
    assert len(notes) == 1 and notes[0].startswith(NOTE) and "bands= of read_mosaics" in notes[0], notes
